/*
 * The MSRs the wedge emulates, one row each, and the write checks that
 * raise #GP on hardware (SDM vol. 4, AMD APM vol. 2; KVM's
 * __kvm_set_msr and kvm_set_msr_common for the cases the manuals leave
 * open).  Any MSR not in the table is #GP, read or write: the wedge
 * does not pass unknown MSRs through to a host that may not have them.
 */
#include "cpu.h"

enum check {
	ANY,        /* every value */
	CANONICAL,  /* a linear address: canonical */
	LOW32,      /* bits 63:32 reserved */
	EFER, APIC_BASE, MISC_ENABLE, PAT, TSC, TSC_AUX,
};

#define ROW(msr, field, check) { WEDGE_X86_MSR_##msr, offsetof(struct wedge_vcpu_msrs, field), check }

static const struct msr_row {
	uint32_t index;
	uint16_t off;     /* in struct wedge_vcpu_msrs */
	uint8_t check;
} table[] = {
	ROW(TSC, tsc_offset, TSC),
	ROW(APIC_BASE, apic_base, APIC_BASE),
	ROW(SYSENTER_CS, sysenter_cs, ANY),
	ROW(SYSENTER_ESP, sysenter_esp, CANONICAL),
	ROW(SYSENTER_EIP, sysenter_eip, CANONICAL),
	ROW(MISC_ENABLE, misc_enable, MISC_ENABLE),
	ROW(PAT, pat, PAT),
	ROW(EFER, efer, EFER),
	ROW(STAR, star, ANY),
	ROW(LSTAR, lstar, CANONICAL),
	ROW(CSTAR, cstar, CANONICAL),
	ROW(SFMASK, sfmask, LOW32),
	ROW(FS_BASE, fs_base, CANONICAL),
	ROW(GS_BASE, gs_base, CANONICAL),
	ROW(KERNEL_GS_BASE, kernel_gs_base, CANONICAL),
	ROW(TSC_AUX, tsc_aux, TSC_AUX),
};

static const struct msr_row *lookup(uint32_t index)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].index == index)
			return &table[i];
	return NULL;
}

static uint64_t *field(struct wedge_vcpu *v, const struct msr_row *row)
{
	return (uint64_t *)((char *)&v->msr + row->off);
}

static uint64_t stored(const struct wedge_vcpu *v, const struct msr_row *row)
{
	return *(const uint64_t *)((const char *)&v->msr + row->off);
}

static uint64_t tsc_now(const struct wedge_vcpu *v)
{
	return v->host.tsc ? v->host.tsc(v->host.ctx) : 0;
}

static bool has_tsc_aux(const struct wedge_vcpu *v)
{
	return wedge_vcpu_has(v, F_RDTSCP) || wedge_vcpu_has(v, F_RDPID);
}

int wedge_vcpu_rdmsr(const struct wedge_vcpu *v, uint32_t msr, uint64_t *val)
{
	const struct msr_row *row = lookup(msr);
	if (!row || (row->check == TSC_AUX && !has_tsc_aux(v)))
		return WEDGE_VCPU_GP;
	/* Unsigned wrap-around is the point: the guest's TSC may start anywhere. */
	*val = row->check == TSC ? tsc_now(v) + stored(v, row) : stored(v, row);
	return WEDGE_VCPU_OK;
}

static int write_efer(struct wedge_vcpu *v, uint64_t val)
{
	static const struct {
		uint64_t bit;
		struct wedge_vcpu_feat feat;
	} feats[] = {
		{ WEDGE_X86_EFER_SCE, F_SYSCALL }, { WEDGE_X86_EFER_LME, F_LM },
		{ WEDGE_X86_EFER_LMA, F_LM },      { WEDGE_X86_EFER_NXE, F_NX },
		{ WEDGE_X86_EFER_SVME, F_SVM },    { WEDGE_X86_EFER_FFXSR, F_FFXSR },
		{ WEDGE_X86_EFER_TCE, F_TCE },     { WEDGE_X86_EFER_AUTOIBRS, F_AUTOIBRS },
	};
	uint64_t ok = 0;
	for (size_t i = 0; i < sizeof(feats) / sizeof(feats[0]); i++)
		if (wedge_vcpu_has(v, feats[i].feat))
			ok |= feats[i].bit;
	if (val & ~ok)
		return WEDGE_VCPU_GP;
	if ((v->cr0 & WEDGE_X86_CR0_PG) && ((val ^ v->msr.efer) & WEDGE_X86_EFER_LME))
		return WEDGE_VCPU_GP;
	/* LMA is the CPU's to set (CR0.PG with LME); a write keeps it. */
	v->msr.efer = (val & ~WEDGE_X86_EFER_LMA) | (v->msr.efer & WEDGE_X86_EFER_LMA);
	return WEDGE_VCPU_OK;
}

enum apic_mode { DISABLED, INVALID, XAPIC, X2APIC };

static enum apic_mode apic_mode(uint64_t base)
{
	return (enum apic_mode)((base & WEDGE_X86_APIC_BASE_EN ? 2 : 0) |
				(base & WEDGE_X86_APIC_BASE_EXTD ? 1 : 0));
}

static int write_apic_base(struct wedge_vcpu *v, uint64_t val)
{
	uint64_t reserved = 0x2ffull | ~0ull << wedge_vcpu_phys_bits(v);
	if (!wedge_vcpu_has(v, F_X2APIC))
		reserved |= WEDGE_X86_APIC_BASE_EXTD;
	if (val & reserved)
		return WEDGE_VCPU_GP;
	/* The mode transitions the SDM (10.12.5) forbids. */
	enum apic_mode from = apic_mode(v->msr.apic_base), to = apic_mode(val);
	if (to == INVALID || (from == X2APIC && to == XAPIC) || (from == DISABLED && to == X2APIC))
		return WEDGE_VCPU_GP;
	v->msr.apic_base = val;
	return WEDGE_VCPU_OK;
}

#define MISC_EMON        (1ull << 7)                /* read-only, writes ignored */
#define MISC_PMU_RO      ((1ull << 11) | (1ull << 12)) /* BTS/PEBS unavailable: #GP if changed */

static int write_misc_enable(struct wedge_vcpu *v, uint64_t val)
{
	uint64_t old = v->msr.misc_enable;
	if ((old ^ val) & MISC_PMU_RO)
		return WEDGE_VCPU_GP;
	v->msr.misc_enable = (val & ~MISC_EMON) | (old & MISC_EMON);
	return WEDGE_VCPU_OK;
}

/* Each byte a memory type: 0 UC, 1 WC, 4 WT, 5 WP, 6 WB, 7 UC-; 2, 3, >7 reserved. */
static bool pat_valid(uint64_t val)
{
	if (val & 0xf8f8f8f8f8f8f8f8ull)
		return false;
	/* Types 2 and 3 are the ones with bit 1 set and bit 2 clear. */
	return (val | (val & 0x0202020202020202ull) << 1) == val;
}

int wedge_vcpu_wrmsr(struct wedge_vcpu *v, uint32_t msr, uint64_t val)
{
	const struct msr_row *row = lookup(msr);
	if (!row)
		return WEDGE_VCPU_GP;
	switch ((enum check)row->check) {
	case ANY:
		break;
	case CANONICAL:
		if (!wedge_vcpu_canonical(v, val))
			return WEDGE_VCPU_GP;
		break;
	case LOW32:
		if (val >> 32)
			return WEDGE_VCPU_GP;
		break;
	case EFER:
		return write_efer(v, val);
	case APIC_BASE:
		return write_apic_base(v, val);
	case MISC_ENABLE:
		return write_misc_enable(v, val);
	case PAT:
		if (!pat_valid(val))
			return WEDGE_VCPU_GP;
		break;
	case TSC:
		val -= tsc_now(v); /* kept as an offset: the TSC keeps counting */
		break;
	case TSC_AUX:
		if (!has_tsc_aux(v) || val >> 32)
			return WEDGE_VCPU_GP;
		break;
	}
	*field(v, row) = val;
	return WEDGE_VCPU_OK;
}

void wedge_vcpu_swapgs(struct wedge_vcpu *v)
{
	uint64_t t = v->msr.gs_base;
	v->msr.gs_base = v->msr.kernel_gs_base;
	v->msr.kernel_gs_base = t;
}

int wedge_vcpu_rdtscp(const struct wedge_vcpu *v, uint64_t *tsc, uint32_t *aux)
{
	if (!wedge_vcpu_has(v, F_RDTSCP))
		return WEDGE_VCPU_UD;
	*tsc = tsc_now(v) + v->msr.tsc_offset;
	*aux = (uint32_t)v->msr.tsc_aux;
	return WEDGE_VCPU_OK;
}
