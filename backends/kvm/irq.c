/*
 * The interrupt protocol with the monitor (abi.h, struct ab_shared): the
 * wedge owns the PIC and the PIT, the monitor owns time and the CPU's
 * interrupt pin.  The wedge catches up with what the monitor did (sync)
 * before every device access and says what it would need next (publish)
 * after it.  Both run with interrupts off, inside the entry stub.
 */
#include "kvm.h"

/* A periodic deadline may differ from the monitor's by rounding. */
#define DEADLINE_SLACK_NS 20000ull

static uint32_t seen_injected;

/* PIT clocks (1.193182 MHz) to TSC ticks. */
static uint64_t tsc_of_pit_ticks(uint64_t ticks)
{
	return ticks * kvm.tsc_khz * 1000ull / WEDGE_PIT_HZ;
}

static void deliver_ticks(uint64_t tsc)
{
	wedge_devices_tick(&kvm.devs, kvm_ns_of_tsc(tsc));
}

/*
 * Ticks up to the moment of the monitor's INTA first (they coalesce into
 * what it acknowledged; the timer's own edge among them when it injected
 * the timer's vector), then the INTA, then the ticks due by now.
 */
void kvm_irq_sync(void)
{
	volatile struct ab_shared *sh = kvm.shared;
	uint32_t injected = sh->injected;

	if (injected != sh->acked) {
		if (injected - sh->acked != 1)
			wedge_panic("kvm: the monitor injected %u interrupts, the wedge acknowledged %u",
				    injected, sh->acked);
		deliver_ticks(sh->inject_tsc);
		int vector = wedge_pic_ack(&kvm.devs.pic);
		if (vector != sh->last_vector)
			wedge_panic("kvm: the monitor injected vector %d, the PIC acknowledges %d",
				    sh->last_vector, vector);
		sh->acked = injected;
	}
	deliver_ticks(kvm_rdtsc());
}

/* The monitor should be armed for this deadline and is not (abi.h). */
static bool deadline_unseen(const volatile struct ab_shared *sh, uint64_t now)
{
	uint64_t armed = sh->armed_deadline, deadline = sh->timer_deadline;
	uint64_t slack = kvm_tsc_of_ns(DEADLINE_SLACK_NS) - kvm.tsc_hello;
	if (!deadline || sh->timer_vector < 0 || sh->irq_vector >= 0)
		return false;
	return !armed || armed + slack < now || armed > deadline + slack;
}

void kvm_irq_publish(void)
{
	volatile struct ab_shared *sh = kvm.shared;
	const struct wedge_devices *d = &kvm.devs;
	uint64_t now = kvm_rdtsc();
	uint64_t next = wedge_pit_next_irq(&d->pit, kvm_ns_of_tsc(now));
	uint64_t deadline = next == UINT64_MAX ? 0 : kvm_tsc_of_ns(next);
	int32_t irq = wedge_pic_pending(&d->pic);

	sh->irq_vector = irq;
	sh->timer_vector = wedge_pic_pending_after_edge(&d->pic, 0);
	sh->timer_deadline = deadline;
	sh->timer_period = tsc_of_pit_ticks(wedge_pit_period_ticks(&d->pit));
	sh->wedge_seq++;

	/* A request the monitor has not seen yet: no exit may be coming. */
	bool new_irq = irq >= 0 && (kvm.last_irq_vector < 0 || sh->injected != seen_injected);
	kvm.last_irq_vector = irq;
	seen_injected = sh->injected;
	if (new_irq || deadline_unseen(sh, now))
		kvm_kick();
}

void kvm_irq_init(void)
{
	volatile struct ab_shared *sh = kvm.shared;
	sh->acked = sh->injected;
	kvm.last_irq_vector = -1;
	seen_injected = sh->injected;
	kvm_irq_publish();
}
