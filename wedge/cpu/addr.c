/*
 * Address widths, as CPUID 0x80000008 EAX reports them: the physical one
 * bounds CR3 and APIC_BASE, the linear one decides which addresses are
 * canonical.  Canonical checks use the CPU's width, not CR4.LA57: that is
 * what hardware does for MSRs and descriptor-table bases (Intel's 5-level
 * paging paper; KVM models it the same way).
 */
#include "cpu.h"

unsigned wedge_vcpu_phys_bits(const struct wedge_vcpu *v)
{
	const struct wedge_vcpu_cpuid_entry *e = wedge_vcpu_cpuid_find(v, 0x80000008u, 0);
	unsigned bits = e ? (e->regs[0] & 0xff) : 0;
	if (!bits)
		return 36; /* SDM: without the leaf, 36 on a CPU with PAE */
	return bits < 32 ? 32 : bits > 52 ? 52 : bits;
}

unsigned wedge_vcpu_virt_bits(const struct wedge_vcpu *v)
{
	const struct wedge_vcpu_cpuid_entry *e = wedge_vcpu_cpuid_find(v, 0x80000008u, 0);
	return e && (e->regs[0] >> 8 & 0xff) == 57 ? 57 : 48;
}

bool wedge_vcpu_canonical(const struct wedge_vcpu *v, uint64_t addr)
{
	/* Bits 63..width-1 all equal. */
	uint64_t top = addr >> (wedge_vcpu_virt_bits(v) - 1);
	return top == 0 || top == ~0ull >> (wedge_vcpu_virt_bits(v) - 1);
}
