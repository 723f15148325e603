/*
 * The command line of `previrt run` (docs/monitor.md has the same text
 * at more length).  Bad usage is one line on stderr and exit 125, as
 * every other monitor error.
 */
#include <getopt.h>
#include <string.h>

#include "mon.h"

#define DEFAULT_RAM (256 * MON_MIB)

void mon_usage(FILE *f)
{
	fprintf(f,
		"usage: previrt run --kernel FILE [options]   run a guest kernel on /dev/kvm\n"
		"       previrt info                          what this /dev/kvm is\n"
		"       previrt --help | --version\n"
		"\n"
		"previrt run --help lists the options and the exit statuses.\n");
}

void mon_usage_run(FILE *f)
{
	fprintf(f,
		"usage: previrt run --kernel FILE [options]\n"
		"\n"
		"Runs an ELF64 kernel (a vmlinux, or the test guest) on /dev/kvm.  The guest's\n"
		"serial console (COM1) is stdout; messages and stats go to stderr.\n"
		"\n"
		"  --kernel FILE        the kernel: PT_LOADs at their p_paddr (>= 1 MiB)\n"
		"  --initrd FILE        an initrd (full: boot_params' ramdisk; previrt: module 1)\n"
		"  --append TEXT        the kernel command line (at most %u bytes); under\n"
		"                       previrt the wedge takes the words starting with wedge.\n"
		"  -m, --memory SIZE    guest RAM, e.g. 256M, 1G (default 256M; a number alone is MiB)\n"
		"  --mode full          no wedge: KVM's in-kernel PIC, IOAPIC, LAPIC and PIT,\n"
		"                       Linux's 64-bit boot protocol (the default)\n"
		"  --mode previrt       the wedge (PVH) loads the unchanged kernel and patches it;\n"
		"                       no in-kernel chips: the wedge's PIC/PIT, our injection\n"
		"  --mode splitcore     as previrt, and the wedge's requests go through a ring\n"
		"                       that a polling thread serves: the vCPU thread is pinned\n"
		"                       to the first CPU this process may use, the poller to the\n"
		"                       second (two are needed)\n"
		"  --wedge FILE         the wedge for previrt or splitcore (default: built in)\n"
		"  --disk FILE          a disk of FILE's size / 512 sectors (full: an ATA disk on\n"
		"                       the primary channel, IRQ 14; previrt, splitcore: through\n"
		"                       the wedge); FILE must be writable\n"
		"  --disk-readonly      the disk is read-only (FILE is opened read-only)\n"
		"  --stats[=table|json] exit counts and times on stderr when the run ends\n"
		"  --stats-file FILE    the same as JSON into FILE\n"
		"  --console-times FILE the console's lines, each after the seconds since the\n"
		"                       run started (host clock)\n"
		"  --timeout SECS       end the run after SECS seconds (e.g. 30, 0.5)\n"
		"  -h, --help           this text\n"
		"\n"
		"Exit status:\n"
		"  0..123  the guest's: AB_HC_EXIT's status; isa-debug-exit (port 0xf4) value v\n"
		"          gives (v << 1) | 1 as QEMU does; 0 when the guest resets the machine\n"
		"          (i8042 0xfe, a reset or power-off event)\n"
		"  124     --timeout expired\n"
		"  125     the monitor could not run the guest (bad option, bad file, no /dev/kvm)\n"
		"  126     the guest shut down: a triple fault (registers on stderr)\n"
		"  127     KVM internal error, failed entry or an unexpected exit (registers)\n"
		"  128+n   ended by signal n (SIGINT, SIGTERM, SIGHUP)\n",
		MON_CMDLINE_MAX);
}

enum { OPT_KERNEL = 256, OPT_INITRD, OPT_APPEND, OPT_MODE, OPT_WEDGE, OPT_STATS,
	OPT_STATS_FILE, OPT_TIMEOUT, OPT_DISK, OPT_DISK_RO, OPT_CONSOLE_TIMES };

static const struct option longopts[] = {
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "memory", required_argument, NULL, 'm' },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "wedge", required_argument, NULL, OPT_WEDGE },
	{ "stats", optional_argument, NULL, OPT_STATS },
	{ "stats-file", required_argument, NULL, OPT_STATS_FILE },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "disk", required_argument, NULL, OPT_DISK },
	{ "disk-readonly", no_argument, NULL, OPT_DISK_RO },
	{ "console-times", required_argument, NULL, OPT_CONSOLE_TIMES },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int usage_error(const char *fmt, const char *arg)
{
	char buf[256];
	snprintf(buf, sizeof(buf), fmt, arg);
	mon_err("run: %s (previrt run --help)", buf);
	return -1;
}

static int one(struct mon_config *c, int opt, const char *arg)
{
	switch (opt) {
	case OPT_KERNEL: c->kernel = arg; return 0;
	case OPT_INITRD: c->initrd = arg; return 0;
	case OPT_APPEND: c->append = arg; return 0;
	case OPT_WEDGE: c->wedge = arg; return 0;
	case OPT_STATS_FILE: c->stats_file = arg; return 0;
	case OPT_DISK: c->disk = arg; return 0;
	case OPT_DISK_RO: c->disk_readonly = true; return 0;
	case OPT_CONSOLE_TIMES: c->console_times = arg; return 0;
	case 'm':
		if (mon_parse_size(arg, &c->ram) || c->ram < MON_RAM_MIN || c->ram > MON_RAM_MAX ||
		    c->ram % (4 * MON_KIB))
			return usage_error("-m %s: want 4M..256G, a multiple of 4K", arg);
		return 0;
	case OPT_MODE:
		if (!strcmp(arg, "full"))
			c->mode = AB_MODE_FULL;
		else if (!strcmp(arg, "previrt"))
			c->mode = AB_MODE_PREVIRT;
		else if (!strcmp(arg, "splitcore"))
			c->mode = AB_MODE_SPLITCORE;
		else
			return usage_error("--mode %s: want full, previrt or splitcore", arg);
		return 0;
	case OPT_STATS:
		if (!arg || !strcmp(arg, "table"))
			c->stats = MON_STATS_TABLE;
		else if (!strcmp(arg, "json"))
			c->stats = MON_STATS_JSON;
		else
			return usage_error("--stats=%s: want table or json", arg);
		return 0;
	case OPT_TIMEOUT:
		if (mon_parse_seconds(arg, &c->timeout_ns))
			return usage_error("--timeout %s: want a positive number of seconds", arg);
		return 0;
	default:
		return -1;
	}
}

/* Names the option getopt stopped at, whatever form it had. */
static int bad_option(char **argv, int ind, int opt)
{
	const char *w = argv[ind - 1];
	if (opt == ':')
		return usage_error("%s needs a value", w);
	return usage_error("unknown option '%s'", w);
}

int mon_parse_run(int argc, char **argv, struct mon_config *c)
{
	*c = (struct mon_config){ .ram = DEFAULT_RAM, .mode = AB_MODE_FULL };
	opterr = 0;
	optind = 1;
	int opt;
	while ((opt = getopt_long(argc, argv, ":m:h", longopts, NULL)) != -1) {
		if (opt == 'h') {
			mon_usage_run(stdout);
			return 1;
		}
		if (opt == '?' || opt == ':')
			return bad_option(argv, optind, opt);
		if (one(c, opt, optarg))
			return -1;
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (!c->kernel)
		return usage_error("%s", "--kernel FILE is missing");
	if (c->wedge && c->mode == AB_MODE_FULL)
		return usage_error("%s", "--wedge needs --mode previrt or splitcore");
	if (c->disk_readonly && !c->disk)
		return usage_error("%s", "--disk-readonly needs --disk FILE");
	return 0;
}

const char *mon_mode_name(enum ab_mode mode)
{
	switch (mode) {
	case AB_MODE_FULL: return "full";
	case AB_MODE_PREVIRT: return "previrt";
	case AB_MODE_SPLITCORE: return "splitcore";
	}
	return "?";
}
