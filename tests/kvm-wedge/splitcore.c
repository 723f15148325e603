/*
 * The splitcore backend's wedge side: requests through the ring (abi.h,
 * struct ab_ring) to a polling thread on another core -- here a real
 * thread of the test, so that the ordering between the two sides is
 * exercised -- and interrupts delivered at safe points (safepoint.c).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "unit.h"

static struct {
	pthread_t thread;
	atomic_bool stop;
	uint64_t next, bad, taken;
	char console[4096];
	size_t console_len;
	int exit_status;
	bool exited;
	uint8_t disk[16 * 512];
} poller;

/* Until the poller has taken n requests (it writes `taken` last). */
static void wait_taken(uint64_t n)
{
	while (__atomic_load_n(&poller.taken, __ATOMIC_ACQUIRE) < n)
		;
}

static struct ab_ring *ring(void)
{
	return (struct ab_ring *)(uintptr_t)kvm_ring_phys();
}

/* The monitor's side as abi.h states it: its own index, copy, check, answer. */
static void take(struct ab_ring *r, struct ab_ring_slot *s, unsigned i)
{
	struct ab_ring_slot req = *s;
	int32_t status = 0;
	if (req.seq != poller.next + 1) {
		status = -AB_E_INVAL;
		poller.bad++;
	} else if (req.op == AB_RING_CONSOLE && req.count <= AB_RING_DATA) {
		memcpy(poller.console + poller.console_len, r->data[i], req.count);
		poller.console_len += req.count;
	} else if ((req.op == AB_RING_DISK_READ || req.op == AB_RING_DISK_WRITE) &&
		   req.lba + req.count <= 16) {
		void *buf = (void *)(uintptr_t)req.addr;
		if (req.op == AB_RING_DISK_READ)
			memcpy(buf, poller.disk + req.lba * 512, req.count * 512u);
		else
			memcpy(poller.disk + req.lba * 512, buf, req.count * 512u);
	} else if (req.op == AB_RING_EXIT) {
		poller.exit_status = (int)req.count;
		poller.exited = true;
	} else {
		status = -AB_E_INVAL;
		poller.bad++;
	}
	s->status = status;
	poller.next++;
	__atomic_store_n(&poller.taken, poller.taken + 1, __ATOMIC_RELEASE);
	__atomic_store_n(&s->state, AB_SLOT_DONE, __ATOMIC_RELEASE);
}

static void *poll_ring(void *arg)
{
	(void)arg;
	struct ab_ring *r = ring();
	while (!atomic_load(&poller.stop)) {
		unsigned i = (unsigned)((poller.next + 1) % AB_RING_SLOTS);
		struct ab_ring_slot *s = &r->slot[i];
		if (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) == AB_SLOT_POSTED)
			take(r, s, i);
	}
	return 0;
}

static void boot(void)
{
	fake.mode = AB_MODE_SPLITCORE;
	fake.disk_sectors = 16;
	fake_reset();
	memset(&poller, 0, sizeof(poller));
	for (unsigned i = 0; i < sizeof(poller.disk); i++)
		poller.disk[i] = (uint8_t)(i ^ 0x5a);
	pthread_create(&poller.thread, 0, poll_ring, 0);
}

static void halt_poller(void)
{
	atomic_store(&poller.stop, true);
	pthread_join(poller.thread, 0);
	fake.mode = 0;
	fake.disk_sectors = 0;
}

static wedge_hook_fn *site_hook(unsigned kind, const uint8_t *insn, unsigned len,
				const uint8_t *next, uint8_t *out, unsigned *n)
{
	static uint8_t buf[32];
	memcpy(buf + len + (kind == AB_K_STI ? 0 : 5), next, 1);
	struct wedge_site s = fake_site(kind, insn, len, buf);
	if (kind == AB_K_STI) {           /* sti's padding comes first (AB_F_LEAD) */
		memmove(buf + 5, buf, len);
		wedge_fill_nops(buf, 5);
		buf[5 + len] = next[0];
		s.insn_off = 5;
		s.len = 5 + len;
	}
	fake.hook = 0;
	*n = wedge_backend_find("splitcore")->patch(&s, out);
	return fake.hook;
}

/* An `out` with the guest's IF = 0: its epilogue may not deliver. */
static void out_port(uint16_t port, uint32_t v)
{
	static uint8_t buf[16];
	struct wedge_regs r = { .rdx = port, .rax = v, .rflags = 0x2 };
	struct wedge_site s = fake_site(AB_K_OUT, (const uint8_t[]){ 0xee }, 1, buf);
	fake_run_site(wedge_backend_find("splitcore")->patch, &s, &r);
}

static uint8_t in_port(uint16_t port)
{
	static uint8_t buf[16];
	struct wedge_regs r = { .rdx = port, .rflags = 0x2 };
	struct wedge_site s = fake_site(AB_K_IN, (const uint8_t[]){ 0xec }, 1, buf);
	fake_run_site(wedge_backend_find("splitcore")->patch, &s, &r);
	return (uint8_t)r.rax;
}

static void requests(void)
{
	boot();
	report(fake.hellos == 1 && kvm.mode == AB_MODE_SPLITCORE, "hello: splitcore");
	for (const char *p = "one\ntwo\n"; *p; p++)
		out_port(0x3f8, (uint8_t)*p);
	wait_taken(2);
	report(poller.console_len == 8 && !memcmp(poller.console, "one\ntwo\n", 8),
	       "console: two lines through the ring, in order");
	report(fake.console_calls == 0 && fake.kicks == 0, "console: no hypercall, no kick");

	uint8_t buf[2 * 512];
	int st = kvm_host_disk(AB_DISK_READ, 3, 2, buf);
	report(st == 0 && !memcmp(buf, poller.disk + 3 * 512, sizeof(buf)),
	       "disk: a read through the ring, waited for");
	memset(buf, 0xee, sizeof(buf));
	st = kvm_host_disk(AB_DISK_WRITE, 10, 2, buf);
	report(st == 0 && poller.disk[10 * 512] == 0xee && poller.disk[12 * 512 - 1] == 0xee,
	       "disk: a write through the ring");
	for (unsigned i = 0; i < 3 * AB_RING_SLOTS; i++)
		kvm_console_line("x", 1);
	wait_taken(4 + 3 * AB_RING_SLOTS);
	report(poller.bad == 0 && poller.console_len == 8 + 3 * AB_RING_SLOTS,
	       "ring: three times round, nothing lost or out of order");

	fake.panic_armed = true;
	if (setjmp(fake.panic_jmp) == 0)
		out_port(0xf4, 1);
	report(fake.halted && poller.exited && poller.exit_status == 3 && fake.nout == 0,
	       "exit port: an EXIT request with status 3, no port exit (%d)", poller.exit_status);
	halt_poller();
}

static void safe_points(void)
{
	uint8_t out[64];
	unsigned n;
	boot();
	/* The 8259A remapped to 0x30, IRQ4 (COM1) unmasked, its THRE interrupt on. */
	static const uint8_t init[][2] = {
		{ 0x20, 0x11 }, { 0x21, 0x30 }, { 0x21, 0x04 }, { 0x21, 0x01 }, { 0x21, 0xef },
		{ 0xfc, 0x08 }, { 0xf9, 0x02 },
	};
	for (unsigned i = 0; i < sizeof(init) / sizeof(init[0]); i++)
		out_port(init[i][0] < 0x30 ? init[i][0] : 0x300 + init[i][0], init[i][1]);
	report(kvm.shared->irq_vector == 0x34, "pending: IRQ4's 0x34 published (%d)",
	       kvm.shared->irq_vector);

	wedge_hook_fn *sti = site_hook(AB_K_STI, (const uint8_t[]){ 0xfb }, 1,
				       (const uint8_t[]){ 0x90 }, out, &n);
	report(sti && n == 6 && out[0] == 0xe8 && out[5] == 0xfb, "sti: a call before it, kept");
	struct wedge_regs r = { .rflags = 0x2 };
	uint64_t before = r.thunk_ret;
	sti(&r, 0);
	report(r.thunk_ret != before && r.rflags & WEDGE_X86_RFLAGS_IF,
	       "sti: delivers the pending interrupt, IF set as after the sti");
	const uint8_t *stub = (const uint8_t *)(uintptr_t)r.thunk_ret;
	report(stub && stub[0] == 0xcd && stub[1] == 0x34 && stub[2] == 0x48,
	       "sti: through `int $0x34` and the thunk's tail");
	report(kvm.devs.pic.chip[0].isr == 0x10 && kvm.shared->irq_vector == -1,
	       "sti: the wedge acknowledged IRQ4 itself, nothing left pending");

	wedge_hook_fn *before_hlt = site_hook(AB_K_STI, (const uint8_t[]){ 0xfb }, 1,
					      (const uint8_t[]){ 0xf4 }, out, &n);
	report(!before_hlt && out[5] == 0xfb, "sti; hlt: the sti stays native (hlt in its shadow)");

	wedge_hook_fn *popf = site_hook(AB_K_POPF, (const uint8_t[]){ 0x9d }, 1,
					(const uint8_t[]){ 0x90 }, out, &n);
	report(popf && out[0] == 0x9d && out[1] == 0xe8, "popf: kept, a call after it");
	(void)in_port(0x3fa);             /* the handler: IIR (THRI taken), */
	out_port(0x20, 0x20);             /* EOI, */
	out_port(0x3f8, 'x');             /* THR: THRE again, IRQ4 again */
	r = (struct wedge_regs){ .rflags = 0x2 };
	before = r.thunk_ret;
	popf(&r, 0);
	report(r.thunk_ret == before, "popf to IF=0: nothing delivered");
	r.rflags = 0x202;
	popf(&r, 0);
	report(r.thunk_ret != before && kvm.delivered == 2, "popf to IF=1: delivered");
	report(fake.kicks == 0, "no kick under splitcore (%u)", fake.kicks);
	(void)in_port(0x3fa);
	out_port(0x20, 0x20);
	out_port(0x3f8, 'y');
	struct wedge_regs w = { .rdx = 0x80, .rflags = 0x202 };
	static uint8_t buf[16];
	struct wedge_site s = fake_site(AB_K_OUT, (const uint8_t[]){ 0xee }, 1, buf);
	fake_run_site(wedge_backend_find("splitcore")->patch, &s, &w);
	report(w.thunk_ret && kvm.delivered == 3, "an out with IF=1 delivers on its way out");
	halt_poller();
}

void suite_splitcore(void)
{
	requests();
	safe_points();
}
