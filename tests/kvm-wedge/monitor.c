/*
 * The monitor's side of the shared-page protocol, as abi.h states it
 * (struct ab_shared), for the wedge's tests.  The real one is
 * backends/kvm/monitor/; this model is written from the same text, so a
 * disagreement between the two shows up as a failing test on one side.
 */
#include "unit.h"

static void inject(struct fake_monitor *m, struct ab_shared *sh, int vector, uint64_t at)
{
	sh->inject_tsc = at;
	sh->last_vector = vector;
	sh->injected++;
	sh->injections++;
	if (m->injections < 64)
		m->vectors[m->injections] = vector;
	m->injections++;
	m->last_vector = vector;
}

/* Arm for the wedge's deadline, or the next period after one that passed. */
static void arm(struct fake_monitor *m, struct ab_shared *sh)
{
	uint64_t d = sh->timer_deadline;
	if (d && d <= fake.tsc && sh->timer_period) {
		uint64_t k = (fake.tsc - d) / sh->timer_period + 1;
		d += k * sh->timer_period;
	}
	m->armed = d;
	sh->armed_deadline = d;
}

bool monitor_exit(struct fake_monitor *m, bool if_flag)
{
	struct ab_shared *sh = kvm.shared;
	bool due = sh->timer_deadline && fake.tsc >= sh->timer_deadline;
	bool injected = false;

	m->window_requested = false;
	if (sh->injected == sh->acked) {
		if (due && sh->timer_vector >= 0 && if_flag) {
			inject(m, sh, sh->timer_vector, fake.tsc);
			injected = true;
		} else if (sh->irq_vector >= 0 && if_flag) {
			inject(m, sh, sh->irq_vector, fake.tsc);
			injected = true;
		}
		m->window_requested = !if_flag && (due || sh->irq_vector >= 0);
	}
	arm(m, sh);
	return injected;
}
