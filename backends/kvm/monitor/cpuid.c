/*
 * The guest's CPUID: what KVM supports on this host, with
 *
 *   - our signature at AB_CPUID_LEAF (0x40000000, "AfterburnMon") and the
 *     mode at AB_CPUID_MODE_LEAF (eax = enum ab_mode), so that each wedge
 *     backend probes for its own mode; KVM's own leaves move up by 0x100,
 *     where Linux's hypervisor_cpuid_base() and KVM itself still find
 *     them (both scan in steps of 0x100);
 *   - the APIC ID of vCPU 0;
 *   - --mode full: TSC-deadline where KVM emulates it (it is never in the
 *     supported list: KVM_CAP_TSC_DEADLINE_TIMER says so instead);
 *   - --mode previrt: no APIC, x2APIC or TSC-deadline, since there is no
 *     LAPIC without the in-kernel irqchip.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "mon.h"

#define HV_BASE AB_CPUID_LEAF
#define HV_MOVED (AB_CPUID_LEAF + 0x100)
#define CPUID_MAX_ENTRIES 1024

#define F1_ECX_X2APIC (1u << 21)
#define F1_ECX_TSC_DEADLINE (1u << 24)
#define F1_EDX_APIC (1u << 9)
#define X1_EDX_APIC (1u << 9) /* 0x80000001, AMD's copy of the APIC bit */

static struct kvm_cpuid2 *supported(int kvm_fd)
{
	for (unsigned n = 128; n <= CPUID_MAX_ENTRIES; n *= 2) {
		struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + n * sizeof(c->entries[0]));
		if (!c)
			break;
		c->nent = n;
		if (ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, c) == 0)
			return c;
		int e = errno;
		free(c);
		if (e != E2BIG) {
			mon_err("KVM_GET_SUPPORTED_CPUID: %s", strerror(e));
			return NULL;
		}
	}
	mon_err("KVM_GET_SUPPORTED_CPUID: more than %d entries", CPUID_MAX_ENTRIES);
	return NULL;
}

static void adjust(struct kvm_cpuid_entry2 *e, const struct mon_vm *vm)
{
	bool previrt = vm->cfg->mode != AB_MODE_FULL;
	if (e->function >= HV_BASE && e->function < HV_MOVED) {
		e->function += HV_MOVED - HV_BASE;
		if (e->function == HV_MOVED && e->eax >= HV_BASE && e->eax < HV_MOVED)
			e->eax += HV_MOVED - HV_BASE;
	} else if (e->function == 1) {
		e->ebx &= 0x00ffffffu;
		if (!previrt && vm->caps.tsc_deadline)
			e->ecx |= F1_ECX_TSC_DEADLINE;
		if (previrt) {
			e->ecx &= ~(F1_ECX_X2APIC | F1_ECX_TSC_DEADLINE);
			e->edx &= ~F1_EDX_APIC;
		}
	} else if (e->function == 0x80000001 && previrt) {
		e->edx &= ~X1_EDX_APIC;
	}
}

static void ours(struct kvm_cpuid_entry2 *e, const struct mon_vm *vm)
{
	uint32_t r[3];
	memcpy(r, AB_CPUID_SIGNATURE, sizeof(r));
	e[0] = (struct kvm_cpuid_entry2){ .function = HV_BASE, .eax = AB_CPUID_MODE_LEAF,
					  .ebx = r[0], .ecx = r[1], .edx = r[2] };
	e[1] = (struct kvm_cpuid_entry2){ .function = AB_CPUID_MODE_LEAF,
					  .eax = (uint32_t)vm->cfg->mode };
}

int mon_cpuid_setup(struct mon_vm *vm)
{
	struct kvm_cpuid2 *c = supported(vm->kvm_fd);
	if (!c)
		return -1;
	for (unsigned i = 0; i < c->nent; i++)
		adjust(&c->entries[i], vm);
	struct kvm_cpuid2 *big = realloc(c, sizeof(*c) + (c->nent + 2) * sizeof(c->entries[0]));
	if (!big) {
		free(c);
		mon_err("out of memory for CPUID");
		return -1;
	}
	c = big;
	ours(&c->entries[c->nent], vm);
	c->nent += 2;
	int r = ioctl(vm->vcpu_fd, KVM_SET_CPUID2, c);
	if (r < 0)
		mon_err("KVM_SET_CPUID2: %s", strerror(errno));
	free(c);
	return r < 0 ? -1 : 0;
}
