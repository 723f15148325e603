/*
 * What the backend asks of the real machine, in one file so that the rest
 * also builds for the host (tests/kvm-wedge fakes these): hypercalls, the
 * TSC, port writes that must reach the monitor, cpuid, CR4.
 *
 * A hypercall is one `outl` of the argument block's physical address to
 * the call's port (include/afterburn/abi.h).  The blocks live in the
 * wedge's own memory, whose physical address is fixed, so the guest's
 * page tables never matter.
 */
#include "kvm.h"

uint64_t kvm_phys(const void *wedge_ptr)
{
	uint64_t va = (uint64_t)(uintptr_t)wedge_ptr;
	if (va >= WEDGE_HOME)
		return va - WEDGE_HOME + WEDGE_PHYS;
	if (va >= WEDGE_LOW && va < WEDGE_LOW + WEDGE_SIZE)
		return va - WEDGE_LOW + WEDGE_PHYS;
	/* Not wedge_panic: its message would come back here. */
	for (;;)
		__asm__ volatile("cli; hlt");
}

int32_t kvm_hypercall(enum ab_hc_nr nr, void *block)
{
	uint32_t gpa = block ? (uint32_t)kvm_phys(block) : 0;
	uint16_t port = (uint16_t)(AB_HC_PORT_BASE + nr);
	__asm__ volatile("outl %0, %w1" : : "a"(gpa), "Nd"(port) : "memory");
	return 0;
}

uint64_t kvm_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

void kvm_real_out(uint16_t port, unsigned size, uint32_t v)
{
	if (size == 1)
		__asm__ volatile("outb %b0, %w1" : : "a"(v), "Nd"(port));
	else if (size == 2)
		__asm__ volatile("outw %w0, %w1" : : "a"(v), "Nd"(port));
	else
		__asm__ volatile("outl %0, %w1" : : "a"(v), "Nd"(port));
}

void kvm_real_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
	(void)ctx;
	__asm__ volatile("cpuid"
			 : "=a"(out[0]), "=b"(out[1]), "=c"(out[2]), "=d"(out[3])
			 : "a"(leaf), "c"(subleaf));
}

uint64_t kvm_real_cr4(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

void kvm_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}
