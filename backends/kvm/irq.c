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

/*
 * What a publish depends on, in a few words.  Most device accesses (the
 * console's status polls, port 0x80, the RTC) change none of it, and then
 * the publish -- 64-bit divisions, slow under emulation -- is skipped, as
 * is the tick delivery of the next sync while the next edge is not due.
 * A write to the PIC or the PIT (a new mode, vector base, priority or
 * count) always publishes: kvm_irq_publish(true).
 */
struct irq_inputs {
	uint64_t pic;                 /* irr, isr, imr, lines of both chips */
	uint64_t pic_output;
	uint64_t pit_count, pit_load_ns, pit_base_ticks, pit_edges;
};

static struct irq_inputs published;
static bool published_valid;
static uint64_t next_edge_tsc;   /* timer_deadline as published; 0: none */
static uint64_t slack_tsc;

static void inputs_of(struct irq_inputs *in)
{
	const struct wedge_pic_chip *c = kvm.devs.pic.chip;
	const struct wedge_pit_channel *t = &kvm.devs.pit.ch[0];
	in->pic = 0;
	for (unsigned i = 0; i < 2; i++)
		in->pic |= ((uint64_t)c[i].irr | (uint64_t)c[i].isr << 8 | (uint64_t)c[i].imr << 16 |
			    (uint64_t)c[i].lines << 24) << (32 * i);
	in->pic_output = kvm.devs.pic.output;
	in->pit_count = (uint64_t)t->count | (uint64_t)t->mode << 32 | (uint64_t)t->loaded << 40 |
			(uint64_t)t->running << 41 | (uint64_t)t->gate << 42;
	in->pit_load_ns = t->load_ns;
	in->pit_base_ticks = t->base_ticks;
	in->pit_edges = t->edges;
}

static bool same_inputs(const struct irq_inputs *a, const struct irq_inputs *b)
{
	return a->pic == b->pic && a->pic_output == b->pic_output && a->pit_count == b->pit_count &&
	       a->pit_load_ns == b->pit_load_ns && a->pit_base_ticks == b->pit_base_ticks &&
	       a->pit_edges == b->pit_edges;
}

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
	if (next_edge_tsc && kvm_rdtsc() >= next_edge_tsc)
		deliver_ticks(kvm_rdtsc());
}

/* The monitor should be armed for this deadline and is not (abi.h). */
static bool deadline_unseen(const volatile struct ab_shared *sh, uint64_t now)
{
	uint64_t armed = sh->armed_deadline, deadline = sh->timer_deadline;
	if (!deadline || sh->timer_vector < 0 || sh->irq_vector >= 0)
		return false;
	return !armed || armed + slack_tsc < now || armed > deadline + slack_tsc;
}

/*
 * An interrupt pending that this entry could not deliver (IF=0), and a
 * monitor that will not come back by itself (no future armed_deadline):
 * the guest may set IF=1 again by an iretq, which stays native, and spin
 * (Linux's delay calibration waits for jiffies so) with nobody to deliver
 * it.  Under splitcore the polling thread watches for that (`due`).
 */
static bool pending_unseen(const volatile struct ab_shared *sh, int32_t irq, uint64_t now)
{
	return irq >= 0 && kvm.mode == AB_MODE_PREVIRT && sh->armed_deadline <= now;
}

void kvm_irq_publish(bool force)
{
	volatile struct ab_shared *sh = kvm.shared;
	const struct wedge_devices *d = &kvm.devs;
	struct irq_inputs in;

	inputs_of(&in);
	if (!force && published_valid && same_inputs(&in, &published))
		return;
	published = in;
	published_valid = true;

	uint64_t now = kvm_rdtsc();
	uint64_t next = wedge_pit_next_irq(&d->pit, kvm_ns_of_tsc(now));
	next_edge_tsc = next == UINT64_MAX ? 0 : kvm_tsc_of_ns(next);
	int32_t irq = wedge_pic_pending(&d->pic);

	sh->irq_vector = irq;
	sh->timer_vector = wedge_pic_pending_after_edge(&d->pic, 0);
	sh->timer_deadline = next_edge_tsc;
	sh->timer_period = tsc_of_pit_ticks(wedge_pit_period_ticks(&d->pit));
	sh->wedge_seq++;

	/*
	 * A pending interrupt waits for the guest's next safe point (it was
	 * not deliverable at this one: IF=0); under previrt the monitor also
	 * injects it at its next exit, whichever comes first, or at once
	 * when no exit is due.  The timer's deadline is the monitor's alone:
	 * tell it when it is not armed.
	 */
	kvm.local_due = irq >= 0;
	if (deadline_unseen(sh, now) || pending_unseen(sh, irq, now))
		kvm_kick();
}

void kvm_irq_init(void)
{
	volatile struct ab_shared *sh = kvm.shared;
	sh->acked = sh->injected;
	slack_tsc = kvm_tsc_of_ns(DEADLINE_SLACK_NS) - kvm.tsc_hello;
	published_valid = false;
	next_edge_tsc = 0;
	kvm_irq_publish(true);
}
