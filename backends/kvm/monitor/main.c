/*
 * previrt: the host monitor of the afterburn toolchain (docs/monitor.md).
 *
 *   previrt run --kernel FILE [...]   run a guest (run.c does the loop)
 *   previrt info                      what /dev/kvm is here
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mon.h"

/*
 * Every file is read and checked before /dev/kvm is opened.  The polling
 * thread (splitcore) starts after mon_clock_init, so that it inherits the
 * blocked signals and never takes one meant for the vCPU thread.
 */
static int setup(struct mon_vm *vm)
{
	const struct mon_config *c = vm->cfg;
	if (mon_ring_plan(vm) || mon_mem_alloc(&vm->mem, c->ram))
		return -1;
	if (c->disk && mon_disk_open(&vm->disk, c->disk, c->disk_readonly))
		return -1;
	if (c->console_times && mon_console_times(&vm->console, c->console_times))
		return -1;
	int r = c->mode == AB_MODE_FULL ? mon_boot_linux(vm) : mon_boot_pvh(vm);
	if (r || mon_kvm_create(vm) || mon_cpuid_setup(vm) || mon_devs_init(vm) ||
	    mon_clock_init(vm) || mon_ring_start(vm) || mon_cpu_enter(vm) || mon_cpu_msrs(vm))
		return -1;
	if (vm->cfg->timeout_ns)
		mon_clock_set(&vm->clock, MON_DL_TIMEOUT, mon_now_ns() + vm->cfg->timeout_ns);
	return 0;
}

static int write_stats_file(const struct mon_vm *vm, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		mon_err("--stats-file %s: %s", path, strerror(errno));
		return -1;
	}
	int r = mon_stats_json(vm, f);
	if (fclose(f) || r) {
		mon_err("--stats-file %s: write failed", path);
		return -1;
	}
	return 0;
}

static int report(struct mon_vm *vm)
{
	const struct mon_config *c = vm->cfg;
	struct mon_stats *st = vm->stats;
	if (c->stats == MON_STATS_NONE && !c->stats_file)
		return 0;
	mon_trace_stop(&st->trace);
	mon_kstats_read(vm->vcpu_fd, &st->kvm_vcpu);
	mon_kstats_read(vm->vm_fd, &st->kvm_vm);
	if (c->stats == MON_STATS_TABLE)
		mon_stats_print(vm, stderr);
	else if (c->stats == MON_STATS_JSON)
		mon_stats_json(vm, stderr);
	int r = c->stats_file ? write_stats_file(vm, c->stats_file) : 0;
	mon_kstats_free(&st->kvm_vcpu);
	mon_kstats_free(&st->kvm_vm);
	return r;
}

int mon_cmd_run(int argc, char **argv)
{
	struct mon_config cfg;
	int p = mon_parse_run(argc, argv, &cfg);
	if (p)
		return p > 0 ? 0 : MON_EXIT_ERROR;
	struct mon_vm vm = { .cfg = &cfg, .kvm_fd = -1, .vm_fd = -1, .vcpu_fd = -1,
			     .disk.fd = -1 };
	vm.stats = calloc(1, sizeof(*vm.stats));
	if (!vm.stats) {
		mon_err("out of memory");
		return MON_EXIT_ERROR;
	}
	signal(SIGPIPE, SIG_IGN); /* a closed stdout is an EPIPE, handled by console.c */
	mon_console_init(&vm.console, STDOUT_FILENO);
	int status = MON_EXIT_ERROR;
	if (!setup(&vm)) {
		if (cfg.stats != MON_STATS_NONE || cfg.stats_file)
			mon_trace_start(&vm.stats->trace);
		status = mon_run(&vm);
		if (report(&vm) && status < MON_EXIT_TIMEOUT)
			status = MON_EXIT_ERROR;
	}
	mon_ring_stop(&vm); /* no-op unless a setup failure left it running */
	mon_trace_stop(&vm.stats->trace); /* no-op unless a setup failure left it */
	mon_clock_fini(&vm.clock);
	mon_kvm_close(&vm);
	mon_disk_close(&vm.disk);
	mon_console_fini(&vm.console);
	free(vm.stats);
	return status;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;
	if (!cmd) {
		mon_usage(stderr);
		return MON_EXIT_ERROR;
	}
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		mon_usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		printf("previrt %s (afterburn ABI %u, hypercall ABI %u)\n", AB_TOOLCHAIN_VERSION,
		       AB_ABI_VERSION, AB_HC_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "run"))
		return mon_cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "info"))
		return mon_cmd_info(argc - 1, argv + 1);
	mon_err("unknown command '%s' (previrt --help)", cmd);
	return MON_EXIT_ERROR;
}
