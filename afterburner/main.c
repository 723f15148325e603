/* build/bin/afterburn: dispatch to the subcommands. */
#include <stdio.h>
#include <string.h>

#include "afterburn/abi.h"
#include "cli.h"
#include "pack/pack.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "rewrite", ab_rewrite_main, "annotate sensitive instructions in GNU as source" },
	{ "audit", ab_audit_main, "prove every sensitive instruction of an ELF file is recorded" },
	{ "sites", ab_sites_main, "list the site records of an ELF file" },
	{ "compare", ab_compare_main, "compare a plain and an afterburned object, padding removed" },
	{ "pack", ab_pack_main, "pack a kernel ELF, an initrd and a command line into one boot image" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: afterburn COMMAND [ARGS]   (afterburn COMMAND --help for more)\n\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nafterburn %s, site record ABI %u\n", AB_TOOLCHAIN_VERSION, AB_ABI_VERSION);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("afterburn %s (site record ABI %u)\n", AB_TOOLCHAIN_VERSION, AB_ABI_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "afterburn: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
