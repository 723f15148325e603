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

/*
 * The guest TSC the host timer should wake the vCPU at, 0: none.  None
 * either while a tick could not be injected (timer_vector -1: IRQ0 masked
 * or in service; the unmask or EOI enters the wedge, which republishes)
 * or while a vector is due already (it goes in at the next chance, and a
 * later tick would only coalesce with it): no signal exit for nothing.
 */
static uint64_t next_wake(const struct mon_vm *vm, const struct ab_shared *sh, uint64_t now)
{
	uint64_t dl = sh->timer_deadline, armed = vm->irq.armed, period = sh->timer_period;
	if (sh->timer_vector < 0 || due_vector(sh, now) >= 0)
		return 0;
	if (dl > now)
		return dl;
	if (armed > now)
		return armed;
	uint64_t base = armed ? armed : dl;
	if (!base || !period)
		return 0;
	if (period < min_period(&vm->clock))
		period = min_period(&vm->clock);
	uint64_t next = base + ((now - base) / period + 1) * period;
	return next > now ? next : 0;
}

static void sync_timer(struct mon_vm *vm, struct ab_shared *sh, uint64_t now)
{
	uint64_t want = next_wake(vm, sh, now);
	if (want != vm->irq.armed) {
		vm->irq.armed = want;
		mon_clock_set(&vm->clock, MON_DL_GUEST,
			      want ? mon_ns_of_guest_tsc(&vm->clock, want) : 0);
	}
	sh->armed_deadline = want;
}

static bool inject(struct mon_vm *vm, struct ab_shared *sh, uint64_t now)
{
	struct kvm_run *run = vm->run;
	run->request_interrupt_window = 0;
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
		run->request_interrupt_window = 1;
		vm->stats->window_requests++;
		return false;
	}
	struct kvm_interrupt irq = { .irq = (uint32_t)vec };
	if (ioctl(vm->vcpu_fd, KVM_INTERRUPT, &irq) < 0) {
		run->request_interrupt_window = 1; /* KVM still holds one: later */
		return false;
	}
	sh->inject_tsc = now;
	sh->last_vector = vec;
	sh->injected++;
	sh->injections++;
	vm->stats->injected++;
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
	sync_timer(vm, sh, now);
	return inject(vm, sh, now);
}
