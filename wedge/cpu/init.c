/* wedge_vcpu_init: the state a 64-bit kernel is entered in. */
#include "cpu.h"

void wedge_vcpu_zero(void *p, size_t n)
{
	/*
	 * volatile keeps the compiler from turning the loop back into a
	 * call to memset, which a freestanding wedge does not have.
	 */
	volatile uint8_t *b = p;
	while (n--)
		*b++ = 0;
}

void wedge_vcpu_init(struct wedge_vcpu *v, const struct wedge_vcpu_host *host)
{
	wedge_vcpu_zero(v, sizeof(*v));
	if (host)
		v->host = *host;
	v->posted = -1;
	/* Linux's CR0_STATE: what startup_64 runs with. */
	v->cr0 = WEDGE_X86_CR0_PE | WEDGE_X86_CR0_MP | WEDGE_X86_CR0_ET | WEDGE_X86_CR0_NE |
		 WEDGE_X86_CR0_WP | WEDGE_X86_CR0_AM | WEDGE_X86_CR0_PG;
	v->cr4 = WEDGE_X86_CR4_PAE;
	v->msr.efer = WEDGE_X86_EFER_LME | WEDGE_X86_EFER_LMA;
	/* Power-on values (SDM vol. 3 table 9-1, KVM's reset state). */
	v->msr.apic_base = 0xfee00000u | WEDGE_X86_APIC_BASE_BSP | WEDGE_X86_APIC_BASE_EN;
	v->msr.misc_enable = 1u << 0 | 1u << 11 | 1u << 12; /* fast strings; no BTS, no PEBS */
	v->msr.pat = 0x0007040600070406ull;                  /* WB WT UC- UC, twice */
	v->gdtr.limit = v->idtr.limit = 0xffff;
	wedge_vcpu_cpuid_fill(v);
}
