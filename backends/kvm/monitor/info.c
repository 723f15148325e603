/*
 * previrt info: what kind of KVM this machine has, because the answer
 * decides what a run means.  A hardware-assisted KVM (kvm_intel, kvm_amd)
 * runs guest code natively; the software kvm_pvm of the development
 * machines runs every guest instruction through KVM's emulator, which is
 * right for small guests but not for timing (ARCHITECTURE.md, section 2).
 */
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mon.h"

static bool exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0;
}

/* Does /proc/cpuinfo's first flags line have the word w? */
static bool cpu_flag(const char *w)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[4096];
	bool found = false;
	while (f && !found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5))
			continue;
		for (char *t = strtok(strchr(line, ':') ? strchr(line, ':') + 1 : line, " \n"); t;
		     t = strtok(NULL, " \n"))
			found |= !strcmp(t, w);
		break;
	}
	if (f)
		fclose(f);
	return found;
}

static void param(const char *mod, const char *name)
{
	char p[128], v[32] = "?";
	snprintf(p, sizeof(p), "/sys/module/%s/parameters/%s", mod, name);
	FILE *f = fopen(p, "r");
	if (f && fgets(v, sizeof(v), f))
		v[strcspn(v, "\n")] = '\0';
	if (f)
		fclose(f);
	printf(" %s=%s", name, v);
}

static void kind(void)
{
	bool vmx = cpu_flag("vmx"), svm = cpu_flag("svm");
	printf("kind:          ");
	if (exists("/sys/module/kvm_amd") && svm) {
		printf("hardware-assisted (kvm_amd, SVM):");
		param("kvm_amd", "npt");
		param("kvm_amd", "nested");
	} else if (exists("/sys/module/kvm_intel") && vmx) {
		printf("hardware-assisted (kvm_intel, VT-x):");
		param("kvm_intel", "ept");
		param("kvm_intel", "nested");
	} else if (exists("/sys/module/kvm_pvm")) {
		printf("software (kvm_pvm, no VT-x/SVM): guest code runs through KVM's "
		       "instruction emulator; fine for small guests, not for timing");
	} else {
		printf("unknown (no kvm_amd, kvm_intel or kvm_pvm module seen; CPU %s)",
		       vmx ? "has VT-x" : svm ? "has SVM" : "has neither VT-x nor SVM");
	}
	printf("\n");
}

static void yes_no(const char *what, bool v)
{
	printf("  %-40s %s\n", what, v ? "yes" : "no");
}

static void caps(int kvm)
{
	struct mon_kvm_caps c;
	mon_kvm_caps(kvm, &c);
	printf("capabilities:\n");
	yes_no("in-kernel irqchip", ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_IRQCHIP) > 0);
	yes_no("in-kernel PIT (PIT2)", ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_PIT2) > 0);
	yes_no("coalesced PIO (port 0x80)", c.coalesced_pio);
	yes_no("TSC-deadline timer", c.tsc_deadline);
	yes_no("binary stats (KVM_GET_STATS_FD)", c.stats_fd);
	yes_no("KVM_GET_TSC_KHZ", c.tsc_khz);
	yes_no("instruction bytes on emulation failure", c.emul_failure_bytes);
	printf("  %-40s %d\n", "memory slots", c.nr_memslots);
	printf("  %-40s %d\n", "vCPUs (max)", ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS));
	int vm = ioctl(kvm, KVM_CREATE_VM, 0);
	int vcpu = vm >= 0 ? ioctl(vm, KVM_CREATE_VCPU, 0) : -1;
	int khz = vcpu >= 0 && c.tsc_khz ? ioctl(vcpu, KVM_GET_TSC_KHZ, 0) : -1;
	if (khz > 0)
		printf("  %-40s %d kHz\n", "guest TSC", khz);
	else
		printf("  %-40s unknown\n", "guest TSC");
	if (vcpu >= 0)
		close(vcpu);
	if (vm >= 0)
		close(vm);
}

static void tracing(void)
{
	const char *root = exists("/sys/kernel/tracing/events") ? "/sys/kernel/tracing" :
			   exists("/sys/kernel/debug/tracing/events") ? "/sys/kernel/debug/tracing" :
			   NULL;
	char p[128];
	if (!root) {
		printf("tracefs:       not mounted (exit reasons in --stats need it: "
		       "mount -t tracefs tracefs /sys/kernel/tracing)\n");
		return;
	}
	snprintf(p, sizeof(p), "%s/events/kvm/kvm_exit", root);
	printf("tracefs:       %s, kvm:kvm_exit %s\n", root, exists(p) ? "present" : "absent");
}

int mon_cmd_info(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("usage: previrt info\n\nWhat /dev/kvm is on this machine: hardware-assisted "
		       "or software, its capabilities, tracefs.\n");
		return 0;
	}
	if (argc > 1) {
		mon_err("info: unexpected argument '%s' (previrt info --help)", argv[1]);
		return MON_EXIT_ERROR;
	}
	int kvm;
	if (mon_kvm_open(&kvm, false))
		return MON_EXIT_ERROR;
	printf("/dev/kvm:      API version %d\n", ioctl(kvm, KVM_GET_API_VERSION, 0));
	kind();
	caps(kvm);
	tracing();
	close(kvm);
	return 0;
}
