/*
 * The vCPU loop: KVM_RUN, serve the exit, look at the clock, again.
 *
 *   exit                    what the monitor does
 *   +----------------------+--------------------------------------------+
 *   | IO                   | the port devices (devices.c), hypercalls   |
 *   | MMIO                 | nothing there: reads all ones              |
 *   | HLT (previrt)        | sleep until a deadline or a signal, inject |
 *   | IRQ_WINDOW_OPEN      | nothing: the injection before KVM_RUN      |
 *   | INTR (EINTR)         | a signal: deadlines, SIGINT/SIGTERM        |
 *   | SHUTDOWN             | triple fault: register dump, status 126    |
 *   | INTERNAL_ERROR,      | register dump, status 127                  |
 *   | FAIL_ENTRY, others   |                                            |
 *   +----------------------+--------------------------------------------+
 *
 * Under --mode splitcore this is the vCPU thread; the polling thread
 * (poller.c) may end the run too (AB_RING_EXIT), so mon_end is atomic,
 * and when the loop ends for any reason the poller first finishes every
 * request already posted (console lines, disk writes) before the console
 * is flushed and the stats are taken.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "mon.h"

void mon_end(struct mon_vm *vm, int status, const char *why)
{
	int none = 0;
	if (!atomic_compare_exchange_strong(&vm->ending, &none, 1))
		return;
	vm->status = status;
	vm->why = why;
	atomic_store(&vm->done, true);
}

static void io_exit(struct mon_vm *vm)
{
	struct kvm_run *run = vm->run;
	unsigned size = run->io.size;
	bool out = run->io.direction == KVM_EXIT_IO_OUT;
	uint64_t bytes = (uint64_t)run->io.count * size;
	if ((size != 1 && size != 2 && size != 4) || run->io.data_offset > vm->run_size ||
	    bytes > vm->run_size - run->io.data_offset) {
		mon_dump(vm, "KVM reported a port access the monitor cannot follow");
		mon_end(vm, MON_EXIT_INTERNAL, "a malformed KVM_EXIT_IO");
		return;
	}
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	uint64_t *count = out ? vm->stats->pio_out : vm->stats->pio_in;
	count[run->io.port] += run->io.count;
	if (run->io.count > 1) { /* rep ins/outs: KVM hands over up to a page at once */
		vm->stats->pio_strings++;
		vm->stats->pio_string_items += run->io.count;
	}
	for (uint32_t i = 0; i < run->io.count && !vm->done; i++) {
		uint32_t v = 0;
		if (out)
			memcpy(&v, data + i * size, size);
		mon_pio(vm, run->io.port, size, out, &v);
		if (!out)
			memcpy(data + i * size, &v, size);
	}
}

static struct mon_mmio_page *mmio_page(struct mon_stats *st, uint64_t gpa)
{
	uint64_t page = gpa & ~0xfffull;
	for (unsigned i = 0; i < st->nmmio; i++)
		if (st->mmio[i].page == page)
			return &st->mmio[i];
	if (st->nmmio == MON_MMIO_PAGES)
		return NULL;
	st->mmio[st->nmmio].page = page;
	return &st->mmio[st->nmmio++];
}

/* No MMIO devices: reads see all ones, writes vanish (counted by page). */
static void mmio_exit(struct mon_vm *vm)
{
	struct kvm_run *run = vm->run;
	struct mon_mmio_page *p = mmio_page(vm->stats, run->mmio.phys_addr);
	if (run->mmio.is_write) {
		vm->stats->mmio_writes++;
		if (p)
			p->writes++;
		return;
	}
	vm->stats->mmio_reads++;
	if (p)
		p->reads++;
	memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
}

/* Deadlines due by now, and a stop signal. */
static void service(struct mon_vm *vm, uint64_t now)
{
	struct mon_clock *c = &vm->clock;
	if (c->stop_signal && !vm->done) {
		mon_err("%s: ending the run", strsignal(c->stop_signal));
		mon_end(vm, MON_EXIT_SIGNAL + c->stop_signal, "a signal to the monitor");
	}
	if (!c->armed || c->armed > now)
		return;
	if (c->due[MON_DL_TIMEOUT] && c->due[MON_DL_TIMEOUT] <= now) {
		char what[96];
		snprintf(what, sizeof(what), "timeout: the guest ran for %.3f s (--timeout)",
			 (double)vm->cfg->timeout_ns / 1e9);
		mon_dump(vm, what); /* where a hung guest spins, and what it waits for */
		mon_irq_report(vm);
		mon_end(vm, MON_EXIT_TIMEOUT, "--timeout expired");
		mon_clock_set(c, MON_DL_TIMEOUT, 0);
	}
	if (c->due[MON_DL_CONSOLE] && c->due[MON_DL_CONSOLE] <= now)
		mon_devs_flush(vm);
	if (c->due[MON_DL_GUEST] && c->due[MON_DL_GUEST] <= now)
		mon_clock_set(c, MON_DL_GUEST, 0); /* irq.c arms the next one */
	if (c->armed && c->armed <= now)
		c->armed = 0; /* fired: the timer is idle, re-arm whatever is left */
}

/* A halted vCPU without in-kernel LAPIC: wait for what would wake it. */
static void halt(struct mon_vm *vm)
{
	struct mon_clock *c = &vm->clock;
	uint64_t t0 = mon_now_ns(), now = t0;
	vm->stats->halts++;
	vm->irq.halted = true;
	vm->irq.at = MON_AT_HLT;
	mon_ring_halted(vm, true);
	while (!vm->done && !mon_irq_service(vm)) {
		now = mon_now_ns();
		if (c->armed && c->armed <= now) {
			service(vm, now);
			continue;
		}
		mon_clock_wait(c, c->armed ? c->armed - now : UINT64_MAX);
		now = mon_now_ns();
		service(vm, now);
	}
	vm->irq.halted = false;
	mon_ring_halted(vm, false);
	vm->stats->halt_ns += now - t0;
}

static void system_event(struct mon_vm *vm)
{
	uint32_t type = vm->run->system_event.type;
	if (type == KVM_SYSTEM_EVENT_RESET || type == KVM_SYSTEM_EVENT_SHUTDOWN) {
		mon_end(vm, 0, "the guest reset or powered off the machine");
		return;
	}
	mon_dump(vm, "an unexpected system event");
	mon_end(vm, MON_EXIT_INTERNAL, "an unexpected system event");
}

static void fatal(struct mon_vm *vm, int status, const char *what)
{
	mon_dump(vm, what);
	mon_end(vm, status, what);
}

static void dispatch(struct mon_vm *vm)
{
	uint32_t r = vm->run->exit_reason;
	switch (r) {
	case KVM_EXIT_IO: io_exit(vm); break;
	case KVM_EXIT_MMIO: mmio_exit(vm); break;
	case KVM_EXIT_HLT: halt(vm); break;
	case KVM_EXIT_IRQ_WINDOW_OPEN: break;
	case KVM_EXIT_INTR: break;
	case KVM_EXIT_SYSTEM_EVENT: system_event(vm); break;
	case KVM_EXIT_SHUTDOWN:
		fatal(vm, MON_EXIT_SHUTDOWN, "the guest shut down (triple fault)");
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		fatal(vm, MON_EXIT_INTERNAL, "KVM internal error");
		break;
	case KVM_EXIT_FAIL_ENTRY:
		fatal(vm, MON_EXIT_INTERNAL, "KVM could not enter the guest");
		break;
	default:
		fatal(vm, MON_EXIT_INTERNAL, "an exit the monitor does not handle");
		break;
	}
}

static void count_exit(struct mon_vm *vm, uint32_t reason)
{
	if (reason < MON_EXIT_REASONS)
		vm->stats->exits[reason]++;
	else
		vm->stats->exits_other++;
	vm->last_exit = reason;
}

int mon_run(struct mon_vm *vm)
{
	struct mon_stats *st = vm->stats;
	st->t_start = mon_now_ns();
	vm->console.t0 = st->t_start;
	while (!vm->done) {
		/* Here, not at the EINTR: another wait may have taken the kick's signal. */
		if (mon_ring_kicked(vm))
			vm->irq.at = MON_AT_KICK;
		mon_irq_service(vm);
		uint64_t t0 = mon_now_ns();
		int r = ioctl(vm->vcpu_fd, KVM_RUN, 0);
		int e = errno;
		uint64_t t1 = mon_now_ns();
		st->t_in_run += t1 - t0;
		vm->irq.at = MON_AT_EXIT;
		if (r < 0 && (e == EINTR || e == EAGAIN)) {
			st->eintr++;
			count_exit(vm, KVM_EXIT_INTR);
			mon_clock_wait(&vm->clock, 0);
		} else if (r < 0) {
			mon_err("KVM_RUN: %s", strerror(e));
			mon_end(vm, MON_EXIT_INTERNAL, "KVM_RUN failed");
		} else {
			count_exit(vm, vm->run->exit_reason);
			dispatch(vm);
		}
		mon_kvm_drain_pio(vm);
		service(vm, t1);
	}
	mon_ring_stop(vm);
	mon_kvm_drain_pio(vm);
	mon_devs_flush(vm);
	st->t_end = mon_now_ns();
	return vm->status;
}
