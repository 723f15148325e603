/*
 * Control registers CR0, CR2, CR3, CR4, CR8 and the legacy CR0 forms
 * (clts, lmsw, smsw).  The #GP rules are those of MOV to CR in 64-bit
 * mode (SDM vol. 2, vol. 3 2.5; AMD APM vol. 2 3.1), which KVM's
 * kvm_set_cr0/3/4/8 also implement; a bit is reserved in CR4 unless the
 * (policy-filtered) CPUID cache announces its feature, so what the guest
 * was told and what it may enable cannot disagree.
 */
#include "cpu.h"

#define CR0_KNOWN                                                                   \
	(WEDGE_X86_CR0_PE | WEDGE_X86_CR0_MP | WEDGE_X86_CR0_EM | WEDGE_X86_CR0_TS | \
	 WEDGE_X86_CR0_ET | WEDGE_X86_CR0_NE | WEDGE_X86_CR0_WP | WEDGE_X86_CR0_AM | \
	 WEDGE_X86_CR0_NW | WEDGE_X86_CR0_CD | WEDGE_X86_CR0_PG)

static const struct {
	uint64_t bit;
	struct wedge_vcpu_feat feat;
} cr4_feats[] = {
	{ WEDGE_X86_CR4_VME, F_VME },           { WEDGE_X86_CR4_PVI, F_VME },
	{ WEDGE_X86_CR4_TSD, F_TSC },           { WEDGE_X86_CR4_DE, F_DE },
	{ WEDGE_X86_CR4_PSE, F_PSE },           { WEDGE_X86_CR4_PAE, F_PAE },
	{ WEDGE_X86_CR4_MCE, F_MCE },           { WEDGE_X86_CR4_PGE, F_PGE },
	{ WEDGE_X86_CR4_OSFXSR, F_FXSR },       { WEDGE_X86_CR4_OSXMMEXCPT, F_SSE },
	{ WEDGE_X86_CR4_UMIP, F_UMIP },         { WEDGE_X86_CR4_LA57, F_LA57 },
	{ WEDGE_X86_CR4_VMXE, F_VMX },          { WEDGE_X86_CR4_SMXE, F_SMX },
	{ WEDGE_X86_CR4_FSGSBASE, F_FSGSBASE }, { WEDGE_X86_CR4_PCIDE, F_PCID },
	{ WEDGE_X86_CR4_OSXSAVE, F_XSAVE },     { WEDGE_X86_CR4_KL, F_KL },
	{ WEDGE_X86_CR4_SMEP, F_SMEP },         { WEDGE_X86_CR4_SMAP, F_SMAP },
	{ WEDGE_X86_CR4_PKE, F_PKU },           { WEDGE_X86_CR4_CET, F_CET_SS },
	{ WEDGE_X86_CR4_CET, F_CET_IBT },       { WEDGE_X86_CR4_PKS, F_PKS },
	{ WEDGE_X86_CR4_UINTR, F_UINTR },       { WEDGE_X86_CR4_LAM_SUP, F_LAM },
};

static uint64_t cr4_allowed(const struct wedge_vcpu *v)
{
	uint64_t ok = WEDGE_X86_CR4_PCE; /* no CPUID bit: every CPU has it */
	for (size_t i = 0; i < sizeof(cr4_feats) / sizeof(cr4_feats[0]); i++)
		if (wedge_vcpu_has(v, cr4_feats[i].feat))
			ok |= cr4_feats[i].bit;
	return ok;
}

static bool long_mode(const struct wedge_vcpu *v)
{
	return v->msr.efer & WEDGE_X86_EFER_LMA;
}

static int write_cr0(struct wedge_vcpu *v, uint64_t val)
{
	if (val >> 32)
		return WEDGE_VCPU_GP;
	val = (val & CR0_KNOWN) | WEDGE_X86_CR0_ET;
	if ((val & WEDGE_X86_CR0_PG) && !(val & WEDGE_X86_CR0_PE))
		return WEDGE_VCPU_GP;
	if ((val & WEDGE_X86_CR0_NW) && !(val & WEDGE_X86_CR0_CD))
		return WEDGE_VCPU_GP;
	if (!(val & WEDGE_X86_CR0_WP) && (v->cr4 & WEDGE_X86_CR4_CET))
		return WEDGE_VCPU_GP;
	/* Code running in 64-bit mode cannot turn paging off under itself. */
	if (long_mode(v) && !(val & WEDGE_X86_CR0_PG))
		return WEDGE_VCPU_GP;
	if ((val & WEDGE_X86_CR0_PG) && !(v->cr0 & WEDGE_X86_CR0_PG) &&
	    (v->msr.efer & WEDGE_X86_EFER_LME)) {
		if (!(v->cr4 & WEDGE_X86_CR4_PAE))
			return WEDGE_VCPU_GP;
		v->msr.efer |= WEDGE_X86_EFER_LMA; /* paging on with LME: long mode */
	}
	v->cr0 = val;
	return WEDGE_VCPU_OK;
}

static int write_cr3(struct wedge_vcpu *v, uint64_t val)
{
	if (v->cr4 & WEDGE_X86_CR4_PCIDE)
		val &= ~WEDGE_X86_CR3_NOFLUSH;
	/* Bits from MAXPHYADDR up are reserved (bit 63 too without PCIDE). */
	if (val >> wedge_vcpu_phys_bits(v))
		return WEDGE_VCPU_GP;
	v->cr3 = val;
	return WEDGE_VCPU_OK;
}

static int write_cr4(struct wedge_vcpu *v, uint64_t val)
{
	uint64_t changed = val ^ v->cr4;
	if (val & ~cr4_allowed(v))
		return WEDGE_VCPU_GP;
	if (long_mode(v) && (!(val & WEDGE_X86_CR4_PAE) || (changed & WEDGE_X86_CR4_LA57)))
		return WEDGE_VCPU_GP;
	/* PCIDE turns on only in long mode, with PCID 0 current. */
	if ((val & changed & WEDGE_X86_CR4_PCIDE) && (!long_mode(v) || (v->cr3 & 0xfff)))
		return WEDGE_VCPU_GP;
	if ((val & WEDGE_X86_CR4_CET) && !(v->cr0 & WEDGE_X86_CR0_WP))
		return WEDGE_VCPU_GP;
	v->cr4 = val;
	return WEDGE_VCPU_OK;
}

int wedge_vcpu_write_cr(struct wedge_vcpu *v, unsigned cr, uint64_t val)
{
	switch (cr) {
	case 0: return write_cr0(v, val);
	case 2: v->cr2 = val; return WEDGE_VCPU_OK;
	case 3: return write_cr3(v, val);
	case 4: return write_cr4(v, val);
	case 8:
		if (val >> 4) /* TPR: bits 63:4 reserved */
			return WEDGE_VCPU_GP;
		v->cr8 = val;
		return WEDGE_VCPU_OK;
	default: return WEDGE_VCPU_UD;
	}
}

int wedge_vcpu_read_cr(const struct wedge_vcpu *v, unsigned cr, uint64_t *val)
{
	switch (cr) {
	case 0: *val = v->cr0; return WEDGE_VCPU_OK;
	case 2: *val = v->cr2; return WEDGE_VCPU_OK;
	case 3: *val = v->cr3; return WEDGE_VCPU_OK;
	case 4: *val = v->cr4; return WEDGE_VCPU_OK;
	case 8: *val = v->cr8; return WEDGE_VCPU_OK;
	default: return WEDGE_VCPU_UD;
	}
}

void wedge_vcpu_clts(struct wedge_vcpu *v)
{
	v->cr0 &= ~WEDGE_X86_CR0_TS;
}

void wedge_vcpu_lmsw(struct wedge_vcpu *v, uint16_t msw)
{
	/* The 286's instruction: PE, MP, EM, TS; PE is sticky. */
	v->cr0 = (v->cr0 & ~0xfull) | (msw & 0xfu) | (v->cr0 & WEDGE_X86_CR0_PE);
}

uint64_t wedge_vcpu_smsw(const struct wedge_vcpu *v)
{
	return v->cr0;
}
