/*
 * Pending interrupts.  The INTR line follows the PIC's INT output as a
 * level, as the pin does: the vector is only known at the INTA cycle, so
 * the line says "something is pending" and host->inta names it when the
 * vCPU takes it.  A posted vector (one slot) carries interrupts that come
 * with their vector already, such as a backend's event channel.
 */
#include "cpu.h"

bool wedge_vcpu_set_irq_line(struct wedge_vcpu *v, bool level)
{
	v->irq_line = level;
	return wedge_vcpu_irq_deliverable(v);
}

void wedge_vcpu_irq_notify(void *ctx, bool level)
{
	wedge_vcpu_set_irq_line(ctx, level);
}

int wedge_vcpu_post(struct wedge_vcpu *v, uint8_t vector)
{
	if (v->posted >= 0)
		return -1;
	v->posted = vector;
	return 0;
}

bool wedge_vcpu_irq_pending(const struct wedge_vcpu *v)
{
	return v->irq_line || v->posted >= 0;
}

bool wedge_vcpu_irq_deliverable(const struct wedge_vcpu *v)
{
	return wedge_vcpu_irq_pending(v) && (v->vflags & WEDGE_X86_RFLAGS_IF) && !v->shadow;
}

int wedge_vcpu_irq_ack(struct wedge_vcpu *v)
{
	if (!wedge_vcpu_irq_deliverable(v))
		return -1;
	if (v->posted >= 0) {
		int vec = v->posted;
		v->posted = -1;
		return vec;
	}
	return v->host.inta ? v->host.inta(v->host.ctx) : -1;
}

uint64_t wedge_vcpu_irq_enter(struct wedge_vcpu *v, uint64_t real_rflags, bool interrupt_gate)
{
	uint64_t image = wedge_vcpu_pushf(v, real_rflags);
	if (interrupt_gate)
		v->vflags &= ~WEDGE_X86_RFLAGS_IF;
	v->shadow = false;
	v->halted = false;
	return image;
}

bool wedge_vcpu_hlt(struct wedge_vcpu *v)
{
	/*
	 * "sti; hlt" with an interrupt pending must not sleep: the shadow
	 * covers hlt itself, so the interrupt arrives once hlt has begun,
	 * with hlt completed.
	 */
	v->shadow = false;
	v->halted = !wedge_vcpu_irq_deliverable(v);
	return v->halted;
}
