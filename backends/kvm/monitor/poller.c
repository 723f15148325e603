/*
 * --mode splitcore: the polling thread (after SplitX).  It runs on a core
 * of its own, polls the ring the wedge posts to (ring.c) and keeps the
 * shared page's `due` word, so that the guest's I/O and most of its
 * interrupts cost no exit at all.
 *
 *   thread   pinned to                     does
 *   +--------+-----------------------------+------------------------------+
 *   | vCPU   | the first CPU of the        | KVM_RUN, exits, injections   |
 *   | (main) | process's affinity mask     | (irq.c), hlt sleeps (run.c)  |
 *   | poller | the second                  | the ring, `due`, grace kicks |
 *   +--------+-----------------------------+------------------------------+
 *
 * With fewer than two CPUs in the mask the run is refused (status 125):
 * a poller that spins on the vCPU's own core takes the time the guest
 * would run in, and its latency becomes the scheduler's, which is not
 * split-core any more.
 *
 * Back-off.  While the guest runs the poller spins, like a DPDK poll-mode
 * driver, without `pause`: under QEMU's TCG (the kvm-host platform) a
 * `pause` leaves the translated code for QEMU's main loop and its big
 * lock, which the other vCPU (the guest's) needs too: with it the ring's
 * round trip measured 7.3 ms there, without it 0.4-0.5 us.  While the
 * vCPU is in a hlt exit the guest cannot post, so after IDLE_SPIN_NS more
 * of spinning (a short halt ends before that) the poller sleeps on a
 * futex until the vCPU thread says it resumes (mon_ring_halted); the
 * first request after a sleep then waits for a thread wake-up (--stats
 * counts the sleeps).  Before the ring is attached it sleeps the same way.
 *
 * `due` (abi.h): 1 while irq_vector >= 0, or timer_deadline has passed
 * with timer_vector >= 0.  The wedge's safe points read it and deliver
 * the interrupt themselves.  When it stays 1 for AB_SPLIT_GRACE_US (the
 * guest runs in user mode, or long with IF=0), the poller kicks the vCPU
 * thread out of KVM_RUN with MON_KICK_SIGNAL, the timer's signal, and the
 * vCPU thread's injection code runs (a "grace kick", counted apart from
 * the injections at hlt).  No kick while the vCPU is halted (run.c's hlt
 * path injects), while the monitor has injected and the wedge has not
 * caught up (injected != acked), while an interrupt window is requested
 * (KVM exits by itself when the guest sets IF), or while an earlier kick
 * is unseen; after a kick, the next waits another grace period.
 *
 * Every signal the monitor uses is blocked in this thread (inherited from
 * the vCPU thread, which blocks them outside KVM_RUN), so the timer's and
 * ^C's go to the vCPU thread.
 */
#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mon.h"

#define IDLE_SPIN_NS 20000ull
#define SLEEP_NS 100000000ull /* a futex wait's limit: the wake is what counts */

/* One turn of a spin (see "Back-off" above: no pause). */
static void spin(void)
{
	atomic_signal_fence(memory_order_seq_cst);
}

static uint64_t ticks_of_ns(const struct mon_vm *vm, uint64_t ns)
{
	return ns * vm->clock.tsc_khz / 1000000u;
}

static void futex_wait(atomic_uint *word, unsigned val)
{
	struct timespec ts = { 0, (long)SLEEP_NS };
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, &ts, NULL, 0);
}

static void notify(struct mon_ring *r)
{
	atomic_fetch_add(&r->wake, 1);
	if (atomic_load(&r->sleeping))
		syscall(SYS_futex, &r->wake, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

void mon_kick_vcpu(struct mon_vm *vm)
{
	pthread_kill(vm->ring.vcpu, MON_KICK_SIGNAL);
}

/* ---- the due word and grace kicks ------------------------------------ */

static bool due_now(const volatile struct ab_shared *sh, uint64_t guest_tsc)
{
	uint64_t dl = sh->timer_deadline;
	if (sh->irq_vector >= 0)
		return true;
	return dl && sh->timer_vector >= 0 && guest_tsc >= dl;
}

static bool may_kick(struct mon_ring *r, const volatile struct ab_shared *sh)
{
	return !atomic_load(&r->halted) && !atomic_load(&r->window) &&
	       !atomic_load(&r->kicked) && sh->injected == sh->acked;
}

static void watch_due(struct mon_vm *vm, uint64_t now)
{
	struct mon_ring *r = &vm->ring;
	volatile struct ab_shared *sh = r->shared;
	bool due = due_now(sh, now + vm->clock.tsc_offset);
	if (due != r->due) {
		r->due = due;
		sh->due = due;
		r->due_since = now;
		r->due_rises += due;
		return;
	}
	if (!due || now - r->due_since < ticks_of_ns(vm, AB_SPLIT_GRACE_US * 1000ull) ||
	    !may_kick(r, sh))
		return;
	r->due_since = now;
	r->grace_kicks++;
	atomic_store(&r->kicked, true);
	mon_kick_vcpu(vm);
}

/* ---- idling ------------------------------------------------------------ */

static bool idle_now(struct mon_ring *r)
{
	return !atomic_load(&r->stop) && (!atomic_load(&r->ring) || atomic_load(&r->halted));
}

/* How long the vCPU ran before the poller was back (the wake-up's latency). */
static void woke(struct mon_ring *r)
{
	uint64_t resumed = atomic_load(&r->resume_tsc), now = mon_rdtsc();
	if (atomic_load(&r->halted) || !resumed || resumed > now)
		return;
	uint64_t d = now - resumed;
	r->wakes++;
	r->wake_ticks += d;
	if (d > r->wake_max)
		r->wake_max = d;
}

/* A request posted just before the hlt is taken first (the wedge posts, then halts). */
static void idle(struct mon_vm *vm)
{
	struct mon_ring *r = &vm->ring;
	uint64_t t0 = mon_now_ns();
	while (idle_now(r) && mon_now_ns() - t0 < IDLE_SPIN_NS) {
		struct ab_ring *ring = atomic_load_explicit(&r->ring, memory_order_acquire);
		if (ring && mon_ring_poll(vm, ring, mon_rdtsc()))
			return;
		spin();
	}
	atomic_store(&r->sleeping, true);
	unsigned seq = atomic_load(&r->wake);
	struct ab_ring *ring = atomic_load_explicit(&r->ring, memory_order_acquire);
	if (idle_now(r) && !(ring && mon_ring_poll(vm, ring, mon_rdtsc()))) {
		r->sleeps++;
		futex_wait(&r->wake, seq);
		woke(r);
		r->looked_empty = false; /* the next request may have waited for our wake-up */
	}
	atomic_store(&r->sleeping, false);
}

/* ---- the thread ---------------------------------------------------------- */

/* What is posted when the run ends is still done, in order (at most one lap). */
static void drain(struct mon_vm *vm)
{
	struct ab_ring *ring = atomic_load_explicit(&vm->ring.ring, memory_order_acquire);
	for (unsigned n = 0; ring && !vm->ring.exited && n < AB_RING_SLOTS; n++) {
		if (!mon_ring_poll(vm, ring, mon_rdtsc()))
			break;
		vm->ring.drained++;
	}
}

static void *poller(void *arg)
{
	struct mon_vm *vm = arg;
	struct mon_ring *r = &vm->ring;
	while (!atomic_load(&r->stop) && !r->exited) {
		struct ab_ring *ring = atomic_load_explicit(&r->ring, memory_order_acquire);
		uint64_t now = mon_rdtsc();
		if (ring && mon_ring_poll(vm, ring, now))
			continue;
		if (idle_now(r)) {
			idle(vm);
			continue;
		}
		watch_due(vm, now);
		spin();
	}
	drain(vm);
	return NULL;
}

/* ---- the vCPU thread's side ---------------------------------------------- */

int mon_ring_plan(struct mon_vm *vm)
{
	struct mon_ring *r = &vm->ring;
	cpu_set_t set;
	r->on = vm->cfg->mode == AB_MODE_SPLITCORE;
	if (!r->on)
		return 0;
	if (sched_getaffinity(0, sizeof(set), &set)) {
		mon_err("sched_getaffinity: %s", strerror(errno));
		return -1;
	}
	int cpus[2], found = 0;
	for (int cpu = 0; cpu < CPU_SETSIZE && found < 2; cpu++)
		if (CPU_ISSET(cpu, &set))
			cpus[found++] = cpu;
	if (found < 2) {
		mon_err("--mode splitcore needs two CPUs, one for the vCPU and one for the polling "
			"thread; this process may use %d (see taskset, cgroup cpusets)", CPU_COUNT(&set));
		return -1;
	}
	r->cpu_vcpu = cpus[0];
	r->cpu_poller = cpus[1];
	return 0;
}

static void one_cpu(cpu_set_t *set, int cpu)
{
	CPU_ZERO(set);
	CPU_SET(cpu, set);
}

/* The poller starts on its own CPU (attribute), never on the vCPU's. */
int mon_ring_start(struct mon_vm *vm)
{
	struct mon_ring *r = &vm->ring;
	cpu_set_t set;
	if (!r->on)
		return 0;
	r->vcpu = pthread_self();
	one_cpu(&set, r->cpu_vcpu);
	int e = pthread_setaffinity_np(r->vcpu, sizeof(set), &set);
	if (e) {
		mon_err("pinning the vCPU thread to CPU %d: %s", r->cpu_vcpu, strerror(e));
		return -1;
	}
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	one_cpu(&set, r->cpu_poller);
	e = pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
	if (!e)
		e = pthread_create(&r->thread, &attr, poller, vm);
	pthread_attr_destroy(&attr);
	if (e) {
		mon_err("cannot start the polling thread on CPU %d: %s", r->cpu_poller, strerror(e));
		return -1;
	}
	r->started = true;
	return 0;
}

void mon_ring_attach(struct mon_vm *vm, struct ab_ring *ring, struct ab_shared *sh)
{
	struct mon_ring *r = &vm->ring;
	r->shared = sh;
	r->next = 1; /* the wedge's first request, in slot 1 */
	sh->due = 0;
	atomic_store_explicit(&r->ring, ring, memory_order_release);
	notify(r);
}

void mon_ring_halted(struct mon_vm *vm, bool halted)
{
	struct mon_ring *r = &vm->ring;
	if (!r->on)
		return;
	if (!halted)
		atomic_store(&r->resume_tsc, mon_rdtsc());
	atomic_store(&r->halted, halted);
	if (!halted)
		notify(r);
}

bool mon_ring_kicked(struct mon_vm *vm)
{
	return vm->ring.on && atomic_exchange(&vm->ring.kicked, false);
}

void mon_ring_stop(struct mon_vm *vm)
{
	struct mon_ring *r = &vm->ring;
	if (!r->started)
		return;
	atomic_store(&r->stop, true);
	notify(r);
	pthread_join(r->thread, NULL);
	r->started = false;
}
