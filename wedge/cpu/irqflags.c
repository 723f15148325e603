/*
 * The virtual interrupt flag and the other RFLAGS bits a deprivileged
 * guest cannot own (table in wedge/vcpu.h): cli, sti, pushf, popf, iret's
 * flags, stac, clac.  The guest kernel runs at virtual CPL 0, so popf
 * may change IF and IOPL as it would on bare hardware.
 */
#include "cpu.h"

#define IF WEDGE_X86_RFLAGS_IF

/* popf at CPL 0 changes these; VIF and VIP only through iret. */
#define POPF_VIRT (WEDGE_X86_RFLAGS_IF | WEDGE_X86_RFLAGS_IOPL | WEDGE_X86_RFLAGS_AC)

void wedge_vcpu_cli(struct wedge_vcpu *v)
{
	v->vflags &= ~IF;
}

bool wedge_vcpu_sti(struct wedge_vcpu *v)
{
	/* Only an sti that sets IF opens a shadow (SDM: STI). */
	if (!(v->vflags & IF)) {
		v->vflags |= IF;
		v->shadow = true;
	}
	return wedge_vcpu_irq_pending(v);
}

bool wedge_vcpu_shadow_end(struct wedge_vcpu *v)
{
	v->shadow = false;
	return wedge_vcpu_irq_deliverable(v);
}

uint64_t wedge_vcpu_pushf(const struct wedge_vcpu *v, uint64_t real_rflags)
{
	/* RF and VM are stored as 0 (SDM: PUSHF). */
	return (real_rflags & WEDGE_VCPU_RFLAGS_REAL) | (v->vflags & WEDGE_VCPU_RFLAGS_VIRT) |
	       WEDGE_X86_RFLAGS_FIXED;
}

/* Load the guest's image: `virt` selects the virtual bits it may change. */
static uint64_t load_flags(struct wedge_vcpu *v, uint64_t image, uint64_t real_rflags,
			  uint64_t virt, uint64_t real_extra, bool *deliver)
{
	bool was_on = v->vflags & IF;
	v->vflags = (v->vflags & ~virt) | (image & virt);
	if (deliver)
		*deliver = !was_on && wedge_vcpu_irq_deliverable(v);
	uint64_t guest = WEDGE_VCPU_RFLAGS_REAL | real_extra;
	return (real_rflags & ~guest & ~WEDGE_X86_RFLAGS_RF) | (image & guest) | WEDGE_X86_RFLAGS_FIXED;
}

uint64_t wedge_vcpu_popf(struct wedge_vcpu *v, uint64_t value, uint64_t real_rflags,
			 bool *deliver)
{
	return load_flags(v, value, real_rflags, POPF_VIRT, 0, deliver);
}

uint64_t wedge_vcpu_iret(struct wedge_vcpu *v, uint64_t image, uint64_t real_rflags,
			 bool *deliver)
{
	return load_flags(v, image, real_rflags, WEDGE_VCPU_RFLAGS_VIRT, WEDGE_X86_RFLAGS_RF,
			  deliver);
}

int wedge_vcpu_stac(struct wedge_vcpu *v)
{
	if (!wedge_vcpu_has(v, F_SMAP))
		return WEDGE_VCPU_UD;
	v->vflags |= WEDGE_X86_RFLAGS_AC;
	return WEDGE_VCPU_OK;
}

int wedge_vcpu_clac(struct wedge_vcpu *v)
{
	if (!wedge_vcpu_has(v, F_SMAP))
		return WEDGE_VCPU_UD;
	v->vflags &= ~WEDGE_X86_RFLAGS_AC;
	return WEDGE_VCPU_OK;
}
