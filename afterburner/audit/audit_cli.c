/* Command line of `afterburn audit`. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../cli.h"
#include "../diag.h"
#include "audit.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: afterburn audit FILE [--json] [--exceptions FILE] [-v]\n"
		"\n"
		"Decode every executable section of FILE (an x86 relocatable object or a\n"
		"linked image such as vmlinux), find the sensitive instructions and check\n"
		"that each has a valid site record (the \"Afterburn\" notes), and that\n"
		"every record is valid.  Exit 0 when nothing is uncovered and no record\n"
		"or version note is invalid.\n"
		"\n"
		"  --json             machine-readable report on stdout\n"
		"  --exceptions FILE  instructions knowingly left uncovered, one per line:\n"
		"                     SYMBOL[+0xOFF] KIND reason   (see docs/audit.md)\n"
		"  -v, --verbose      also list covered instructions, the instructions\n"
		"                     whose length Capstone and libopcodes disagree on,\n"
		"                     and those the wedge's decoder reads otherwise\n"
		"  -h, --help         this text\n");
}

int ab_audit_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "exceptions", required_argument, NULL, 'e' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 },
	};
	struct ab_audit_opts o = { .out = stdout };
	int c;
	optind = 0;
	opterr = 0; /* getopt would name the program "audit" */
	while ((c = getopt_long(argc, argv, "hve:", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': o.json = 1; break;
		case 'e': o.exceptions = optarg; break;
		case 'v': o.verbose = 1; break;
		case 'h': usage(stdout); return 0;
		default:
			ab_error(NULL, 0, "audit: bad option '%s'", argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		ab_error(NULL, 0, "audit: expected exactly one FILE");
		usage(stderr);
		return 2;
	}
	o.path = argv[optind];
	return ab_audit_run(&o);
}
