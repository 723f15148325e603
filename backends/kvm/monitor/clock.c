/*
 * Time: the guest's TSC as the host sees it, and one POSIX timer that
 * kicks the vCPU out of KVM_RUN for whichever deadline comes first (the
 * guest's timer, a partial console line, --timeout).
 *
 * The kick is a signal, blocked everywhere except inside KVM_RUN
 * (KVM_SET_SIGNAL_MASK): taken there it makes KVM_RUN return EINTR; sent
 * while the monitor runs it stays pending and makes the next KVM_RUN
 * return at once, so no wake-up is lost.  Pending signals are consumed
 * with sigtimedwait, which also is the sleep of a halted vCPU.  SIGINT,
 * SIGTERM and SIGHUP go the same way and end the run cleanly (stats,
 * console flushed).
 *
 * Guest TSC = host rdtsc + tsc_offset, measured once with KVM_GET_MSRS
 * (IA32_TSC) between two host reads; KVM runs the guest's TSC at the
 * host's rate unless told otherwise, and this monitor never tells it.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "mon.h"

#define MSR_IA32_TSC 0x10
#define MAX_SLEEP_NS (24ull * 3600 * 1000000000ull)

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };

uint64_t mon_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

uint64_t mon_guest_tsc(const struct mon_clock *c)
{
	return mon_rdtsc() + c->tsc_offset;
}

uint64_t mon_ns_of_guest_tsc(const struct mon_clock *c, uint64_t tsc)
{
	uint64_t now_tsc = mon_guest_tsc(c), now = mon_now_ns();
	if (tsc <= now_tsc || !c->tsc_khz)
		return now;
	unsigned __int128 d = (unsigned __int128)(tsc - now_tsc) * 1000000u / c->tsc_khz;
	return now + (d > MAX_SLEEP_NS ? MAX_SLEEP_NS : (uint64_t)d);
}

static void on_signal(int sig)
{
	(void)sig; /* only there to interrupt KVM_RUN; sigtimedwait does the rest */
}

static int signals(struct mon_vm *vm)
{
	struct mon_clock *c = &vm->clock;
	sigset_t cur;
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigemptyset(&c->wait_set);
	sigaddset(&c->wait_set, MON_KICK_SIGNAL);
	for (unsigned i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		sigaddset(&c->wait_set, stop_signals[i]);
	for (int s = 1; s < NSIG; s++)
		if (sigismember(&c->wait_set, s) == 1)
			sigaction(s, &sa, NULL);
	if (sigprocmask(SIG_BLOCK, &c->wait_set, &cur)) {
		mon_err("sigprocmask: %s", strerror(errno));
		return -1;
	}
	c->run_mask = cur; /* as before: the kick and the stop signals open */
	struct {
		struct kvm_signal_mask m;
		uint8_t set[8];
	} km = { .m.len = 8 };
	memcpy(km.set, &c->run_mask, 8); /* the kernel's sigset is 64 bits */
	if (ioctl(vm->vcpu_fd, KVM_SET_SIGNAL_MASK, &km) < 0) {
		mon_err("KVM_SET_SIGNAL_MASK: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int timer(struct mon_clock *c)
{
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = MON_KICK_SIGNAL };
	if (timer_create(CLOCK_MONOTONIC, &ev, &c->timer)) {
		mon_err("timer_create: %s", strerror(errno));
		return -1;
	}
	c->have_timer = true;
	return 0;
}

/* The offset, from the read whose two host TSC reads are closest together. */
static int tsc(struct mon_vm *vm)
{
	struct mon_clock *c = &vm->clock;
	struct tsc_msr {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} m;
	uint64_t best = UINT64_MAX;
	for (int i = 0; i < 5; i++) {
		m = (struct tsc_msr){ .hdr.nmsrs = 1, .e.index = MSR_IA32_TSC };
		uint64_t t0 = mon_rdtsc();
		int r = ioctl(vm->vcpu_fd, KVM_GET_MSRS, &m);
		uint64_t t1 = mon_rdtsc();
		if (r != 1) {
			mon_err("KVM_GET_MSRS(IA32_TSC): %s", r < 0 ? strerror(errno) : "not read");
			return -1;
		}
		if (t1 - t0 < best) {
			best = t1 - t0;
			c->tsc_offset = m.e.data - (t0 + (t1 - t0) / 2);
		}
	}
	int khz = vm->caps.tsc_khz ? ioctl(vm->vcpu_fd, KVM_GET_TSC_KHZ, 0) : -1;
	if (khz <= 0 && vm->cfg->mode != AB_MODE_FULL) {
		mon_err("KVM_GET_TSC_KHZ: %s (--mode previrt needs the guest's TSC frequency)",
			khz < 0 ? strerror(errno) : "0 kHz");
		return -1;
	}
	c->tsc_khz = khz > 0 ? (uint64_t)khz : 0;
	return 0;
}

int mon_clock_init(struct mon_vm *vm)
{
	return signals(vm) || timer(&vm->clock) || tsc(vm) ? -1 : 0;
}

void mon_clock_fini(struct mon_clock *c)
{
	if (c->have_timer)
		timer_delete(c->timer);
	c->have_timer = false;
}

static void program(struct mon_clock *c)
{
	uint64_t next = 0;
	for (int d = 0; d < MON_DL_COUNT; d++)
		if (c->due[d] && (!next || c->due[d] < next))
			next = c->due[d];
	if (next == c->armed || !c->have_timer)
		return;
	struct itimerspec its = { .it_value = { (time_t)(next / 1000000000ull),
						(long)(next % 1000000000ull) } };
	timer_settime(c->timer, TIMER_ABSTIME, &its, NULL); /* all zero disarms */
	c->armed = next;
}

void mon_clock_set(struct mon_clock *c, enum mon_deadline d, uint64_t due_ns)
{
	if (c->due[d] == due_ns)
		return;
	c->due[d] = due_ns;
	program(c);
}

static void took(struct mon_clock *c, int sig)
{
	if (sig > 0 && sig != MON_KICK_SIGNAL && !c->stop_signal)
		c->stop_signal = sig;
}

void mon_clock_wait(struct mon_clock *c, uint64_t timeout_ns)
{
	siginfo_t si;
	if (timeout_ns) {
		if (timeout_ns > MAX_SLEEP_NS)
			timeout_ns = MAX_SLEEP_NS;
		struct timespec ts = { (time_t)(timeout_ns / 1000000000ull),
				       (long)(timeout_ns % 1000000000ull) };
		took(c, sigtimedwait(&c->wait_set, &si, &ts));
	}
	struct timespec zero = { 0, 0 };
	int sig;
	while ((sig = sigtimedwait(&c->wait_set, &si, &zero)) > 0)
		took(c, sig);
}
