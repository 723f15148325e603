/*
 * Descriptor-table registers.  The wedge keeps what the guest loaded and
 * answers the stores from it; a backend that also loads the real
 * registers (or hands the tables to the hypervisor) does so after the
 * checks here pass.  The checks are the ones that need no guest memory.
 */
#include "cpu.h"

/* Selector bits: RPL 1:0, TI 2 (0: GDT, 1: LDT), index 15:3. */
#define SEL_TI 0x4u

int wedge_vcpu_lgdt(struct wedge_vcpu *v, uint64_t base, uint16_t limit)
{
	/* As KVM's em_lgdt_lidt: a 64-bit table must be reachable. */
	if (!wedge_vcpu_canonical(v, base))
		return WEDGE_VCPU_GP;
	v->gdtr = (struct wedge_vcpu_dtr){ base, limit };
	return WEDGE_VCPU_OK;
}

int wedge_vcpu_lidt(struct wedge_vcpu *v, uint64_t base, uint16_t limit)
{
	if (!wedge_vcpu_canonical(v, base))
		return WEDGE_VCPU_GP;
	v->idtr = (struct wedge_vcpu_dtr){ base, limit };
	return WEDGE_VCPU_OK;
}

struct wedge_vcpu_dtr wedge_vcpu_sgdt(const struct wedge_vcpu *v)
{
	return v->gdtr;
}

struct wedge_vcpu_dtr wedge_vcpu_sidt(const struct wedge_vcpu *v)
{
	return v->idtr;
}

/* An LDT or TSS descriptor: in the GDT, all 16 bytes (long mode) inside the limit. */
static bool system_sel_ok(const struct wedge_vcpu *v, uint16_t sel)
{
	uint32_t off = sel & ~7u;
	return !(sel & SEL_TI) && off + 15 <= v->gdtr.limit;
}

int wedge_vcpu_lldt(struct wedge_vcpu *v, uint16_t sel)
{
	/* A null selector is allowed: it leaves LDTR unusable. */
	if ((sel & ~3u) && !system_sel_ok(v, sel))
		return WEDGE_VCPU_GP;
	v->ldtr = sel;
	return WEDGE_VCPU_OK;
}

int wedge_vcpu_ltr(struct wedge_vcpu *v, uint16_t sel)
{
	if (!(sel & ~3u) || !system_sel_ok(v, sel))
		return WEDGE_VCPU_GP;
	v->tr = sel;
	return WEDGE_VCPU_OK;
}

uint16_t wedge_vcpu_sldt(const struct wedge_vcpu *v)
{
	return v->ldtr;
}

uint16_t wedge_vcpu_str(const struct wedge_vcpu *v)
{
	return v->tr;
}
