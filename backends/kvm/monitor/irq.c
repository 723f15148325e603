/*
 * --mode previrt: the monitor's half of the shared-page protocol
 * (include/afterburn/abi.h, struct ab_shared).  The wedge runs the PIC
 * and the PIT inside the guest and publishes what they want; the monitor
 * owns time and the interrupt pin.  Run at every exit, before KVM_RUN:
 *
 *   1. keep the host timer on the earliest future deadline: the wedge's
 *      timer_deadline, or for a periodic PIT the next period after the
 *      one that passed (no hypercall per tick); none while a tick could
 *      not be injected or would add nothing (next_wake);
 *   2. if injected == acked: the timer's vector when its deadline has
 *      passed, else irq_vector; injected by KVM_INTERRUPT when KVM says
 *      the guest takes interrupts (IF=1, no shadow), else an interrupt
 *      window is requested and the next exit tries again.
 *
 * Everything read from the page was written by the guest: a vector
 * outside 0..255 is never injected, and nothing read is used as an
 * address.  While injected != acked nothing is requested, so an
 * interrupt window can never spin while the wedge catches up.
 *
 * --mode splitcore uses the same code with one difference: the host
 * timer is armed only while the vCPU is in a hlt exit.  While the guest
 * runs, the wedge delivers timer ticks itself at its safe points (its PIT
 * runs on the TSC) and the polling thread kicks the vCPU when something
 * waits longer than AB_SPLIT_GRACE_US (poller.c); a timer signal per tick
 * would be an exit per tick for nothing.
 */
#include <errno.h>
#include <sys/ioctl.h>

#include "mon.h"

/* The 8254's fastest rate is 1.19 MHz; a shorter period is the guest's bug. */
static uint64_t min_period(const struct mon_clock *c)
{
	uint64_t p = c->tsc_khz / 2000;
	return p ? p : 1;
}

static int32_t due_vector(const struct ab_shared *sh, uint64_t now)
{
	if (sh->timer_deadline && now >= sh->timer_deadline && sh->timer_vector >= 0)
		return sh->timer_vector;
	return sh->irq_vector;
}

/* The first base + k * period after now (k >= 1), 0: none. */
static uint64_t next_period(const struct mon_vm *vm, uint64_t base, uint64_t period, uint64_t now)
{
	if (!base || !period || base > now)
		return 0;
	if (period < min_period(&vm->clock))
		period = min_period(&vm->clock);
	uint64_t next = base + ((now - base) / period + 1) * period;
	return next > now ? next : 0;
}

/*
 * The guest TSC the host timer should wake the vCPU at, 0: none.  No new
 * arming while a tick could not be injected (timer_vector -1: IRQ0 masked
 * or in service) or another request is pending (irq_vector >= 0): the
 * unmask, the EOI or the INTA enters the wedge, which republishes (and
 * kicks when the monitor should be armed and is not).  No signal exit for
 * nothing; a timer already set for the future stays (inject() sets one for
 * the next period of a periodic PIT, which spares the wedge that kick).
 */
static uint64_t next_wake(const struct mon_vm *vm, const struct ab_shared *sh, uint64_t now)
{
	uint64_t dl = sh->timer_deadline, armed = vm->irq.armed;
	uint64_t keep = armed > now ? armed : 0;
	if (sh->timer_vector < 0 || sh->irq_vector >= 0)
		return keep;
	if (dl > now)
		return dl;
	if (keep)
		return keep;
	return next_period(vm, armed ? armed : dl, sh->timer_period, now);
}

static void arm(struct mon_vm *vm, struct ab_shared *sh, uint64_t want)
{
	if (vm->cfg->mode == AB_MODE_SPLITCORE && !vm->irq.halted)
		want = 0;
	if (want != vm->irq.armed) {
		vm->irq.armed = want;
		mon_clock_set(&vm->clock, MON_DL_GUEST,
			      want ? mon_ns_of_guest_tsc(&vm->clock, want) : 0);
	}
	sh->armed_deadline = want;
}

static void window(struct mon_vm *vm, bool on)
{
	vm->run->request_interrupt_window = on;
	if (vm->ring.on)
		atomic_store(&vm->ring.window, on); /* the poller need not kick then */
	if (on)
		vm->stats->window_requests++;
}

static void count(struct mon_stats *st, enum mon_inject_at at)
{
	st->injected++;
	st->injected_hlt += at == MON_AT_HLT;
	st->injected_kick += at == MON_AT_KICK;
}

static bool inject(struct mon_vm *vm, struct ab_shared *sh, uint64_t now)
{
	struct kvm_run *run = vm->run;
	window(vm, false);
	if (sh->injected != sh->acked)
		return false;
	int32_t vec = due_vector(sh, now);
	if (vec < 0)
		return false;
	if (vec > 255) {
		vm->stats->bad_vectors++;
		return false;
	}
	if (!run->ready_for_interrupt_injection || !run->if_flag) {
		window(vm, true);
		return false;
	}
	struct kvm_interrupt irq = { .irq = (uint32_t)vec };
	if (ioctl(vm->vcpu_fd, KVM_INTERRUPT, &irq) < 0) {
		window(vm, true); /* KVM still holds one: later */
		return false;
	}
	sh->inject_tsc = now;
	sh->last_vector = vec;
	sh->injected++;
	sh->injections++;
	count(vm->stats, vm->irq.at);
	/* IRQ0's vector taken: arm for the periodic PIT's next tick now, where the
	 * wedge will put it after the INTA, instead of waiting for its kick */
	uint64_t dl = sh->timer_deadline;
	if (vec == sh->timer_vector && sh->timer_period && dl)
		arm(vm, sh, dl > now ? dl : next_period(vm, dl, sh->timer_period, now));
	return true;
}

void mon_irq_attach(struct mon_vm *vm, struct ab_shared *sh, uint64_t gpa)
{
	vm->irq = (struct mon_irq){ .shared = sh, .shared_gpa = gpa };
	sh->injected = 0;
	sh->last_vector = -1;
	sh->inject_tsc = 0;
	sh->armed_deadline = 0;
	sh->injections = 0;
	sh->kicks = 0;
	mon_clock_set(&vm->clock, MON_DL_GUEST, 0);
}

bool mon_irq_service(struct mon_vm *vm)
{
	struct ab_shared *sh = vm->irq.shared;
	if (!sh)
		return false;
	uint64_t now = mon_guest_tsc(&vm->clock);
	arm(vm, sh, next_wake(vm, sh, now));
	return inject(vm, sh, now);
}

/* A guest TSC relative to now, "now+123us" or "none", for the report. */
static const char *when(const struct mon_vm *vm, uint64_t tsc, uint64_t now, char *buf, size_t n)
{
	if (!tsc)
		return "none";
	snprintf(buf, n, "now%+.0fus", (double)(int64_t)(tsc - now) * 1000.0 / (double)vm->clock.tsc_khz);
	return buf;
}

void mon_irq_report(const struct mon_vm *vm)
{
	const struct ab_shared *sh = vm->irq.shared;
	char dl[32], armed[32];
	if (!sh)
		return;
	uint64_t now = mon_guest_tsc(&vm->clock);
	mon_err("interrupt page: irq_vector %d, timer_vector %d, timer_deadline %s, period %.0fus, "
		"armed %s, injected %u, acked %u, guest IF %u",
		sh->irq_vector, sh->timer_vector, when(vm, sh->timer_deadline, now, dl, sizeof(dl)),
		(double)sh->timer_period * 1000.0 / (double)vm->clock.tsc_khz,
		when(vm, vm->irq.armed, now, armed, sizeof(armed)), sh->injected, sh->acked,
		vm->run->if_flag);
}
