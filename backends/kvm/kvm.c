/*
 * The kvm and splitcore backends: registration, HELLO with the monitor,
 * and which sites they patch (the table in kvm.h).  They share all but
 * the transport to the host (host.c) and splitcore's safe points
 * (safepoint.c); the monitor says which mode it runs (CPUID leaf
 * AB_CPUID_MODE_LEAF), so each probes for its own.
 */
#include "kvm.h"

#include "afterburn/kind.h"
#include "wedge/console.h"
#include "wedge/sites.h"

#define KVM_THUNK_MAX 32

struct kvm_state kvm;
static struct ab_shared shared_page __attribute__((aligned(4096)));

/* Our monitor's signature leaf, and the mode it says it runs. */
static bool monitor_runs(uint32_t mode)
{
	uint32_t r[4];
	kvm_real_cpuid(0, AB_CPUID_LEAF, 0, r);
	const char *want = AB_CPUID_SIGNATURE;
	const char *got[3] = { (const char *)&r[1], (const char *)&r[2], (const char *)&r[3] };
	for (unsigned i = 0; i < 12; i++)
		if (got[i / 4][i % 4] != want[i])
			return false;
	if (r[0] < AB_CPUID_MODE_LEAF)
		return false;
	kvm_real_cpuid(0, AB_CPUID_MODE_LEAF, 0, r);
	return r[0] == mode;
}

/*
 * A backend that probes true is the one the wedge takes, so its console
 * can move to the monitor at once: the wedge's messages up to HELLO (the
 * sites it reads, the user-stack ones it lists) then cost an exit a line,
 * not two a byte through the real UART.
 */
static int probe(uint32_t mode)
{
	if (!monitor_runs(mode))
		return 0;
	kvm.ring_expected = mode == AB_MODE_SPLITCORE;
	wedge_console_set_sink(kvm_console_line);
	return 1;
}

static int kvm_probe(void)
{
	return probe(AB_MODE_PREVIRT);
}

static int splitcore_probe(void)
{
	return probe(AB_MODE_SPLITCORE);
}

static void uart_line(void *ctx, const char *line, size_t len)
{
	(void)ctx;
	kvm_console_line(line, len);
}

static void hello(uint32_t mode)
{
	static struct ab_hc_hello call __attribute__((aligned(8)));
	shared_page = (struct ab_shared){ .irq_vector = -1, .timer_vector = -1, .last_vector = -1 };
	call = (struct ab_hc_hello){ .version = AB_HC_VERSION, .shared = kvm_phys(&shared_page),
				     .ring = mode == AB_MODE_SPLITCORE ? kvm_ring_phys() : 0 };
	kvm_hypercall(AB_HC_HELLO, &call);
	if (call.ret)
		wedge_panic("kvm: the monitor refused HELLO (%d)", call.ret);
	if (call.mode != mode)
		wedge_panic("kvm: the monitor runs mode %u, this backend needs %u", call.mode, mode);
	if (!call.tsc_khz)
		wedge_panic("kvm: the monitor gave no TSC frequency");
	kvm.shared = &shared_page;
	kvm.mode = call.mode;
	kvm.tsc_khz = call.tsc_khz;
	kvm.tsc_hello = call.tsc_hello;
	kvm.wallclock_sec = call.wallclock_sec;
	kvm.disk_sectors = call.disk_sectors;
	kvm.disk_read_only = call.flags & AB_HELLO_F_DISK_RO;
	if (mode == AB_MODE_SPLITCORE)
		kvm_console_ring_started();
}

static void prepare(uint32_t mode)
{
	hello(mode);
	wedge_console_set_sink(kvm_console_line);
	const struct wedge_dev_host host = {
		.console_flush = uart_line,
		.monotonic_ns = kvm_monotonic_ns,
		.wall_clock = kvm_wall_clock,
	};
	if (wedge_devices_init(&kvm.devs, &host))
		wedge_panic("kvm: the device models do not fit on the port bus");
	kvm_disk_init(kvm.disk_sectors, kvm.disk_read_only);
	kvm_cpuid_init();
	kvm_safepoint_init();
	kvm_irq_init();
	wedge_printf("wedge: kvm: TSC %lu kHz, %u CPUID rows cached, shared page at %#lx\n",
		     kvm.tsc_khz, kvm.vcpu.cpuid.n, kvm_phys(&shared_page));
}

static void kvm_prepare(size_t nsites)
{
	(void)nsites;
	prepare(AB_MODE_PREVIRT);
}

static void splitcore_prepare(size_t nsites)
{
	(void)nsites;
	prepare(AB_MODE_SPLITCORE);
}

unsigned kvm_call_thunk(const struct wedge_site *s, uint8_t *out, const uint8_t *thunk,
			bool keep_insn, enum wedge_call_at at)
{
	uint64_t target = (uint64_t)(uintptr_t)thunk;
	unsigned n = 0;
	if (keep_insn) {
		n = wedge_site_call(s, out, target, at);
	} else {
		/* The call takes the instruction's place; its lead NOPs stay. */
		uint64_t from = s->addr + s->insn_off + 5;
		int64_t rel = (int64_t)(target - from);
		if (rel == (int32_t)rel && s->len - s->insn_off >= 5) {
			wedge_fill_nops(out, s->insn_off);
			out[s->insn_off] = 0xe8;
			for (unsigned i = 0; i < 4; i++)
				out[s->insn_off + 1 + i] = (uint8_t)((uint64_t)rel >> (8 * i));
			n = s->insn_off + 5;
		}
	}
	if (!n)
		wedge_bad_site(s, WEDGE_SITE_TOO_SHORT);
	return n;
}

unsigned kvm_call_hook(const struct wedge_site *s, uint8_t *out, wedge_hook_fn *fn, void *arg,
		       bool keep_insn, enum wedge_call_at at)
{
	uint8_t *thunk = wedge_thunk_alloc(KVM_THUNK_MAX), *p = thunk;
	p += wedge_emit_hook(p, fn, arg);
	wedge_emit_ret(p);
	return kvm_call_thunk(s, out, thunk, keep_insn, at);
}

static unsigned native(const struct wedge_site *s, uint8_t *out)
{
	for (unsigned i = 0; i < s->len; i++)
		out[i] = s->bytes[i];
	return s->len;
}

static unsigned patch_cr_load(const struct wedge_site *s, uint8_t *out)
{
	unsigned gpr;
	if (wedge_site_loads_cr3(s->bytes + s->insn_off, s->insn_len, &gpr))
		return kvm_call_hook(s, out, wedge_hook_cr3, (void *)(uintptr_t)gpr, true,
				     WEDGE_CALL_BEFORE);
	return kvm_patch_cr4(s, out);
}

/* 0: this site stays native. */
static unsigned patch_by_kind(const struct wedge_site *s, uint8_t *out)
{
	switch (s->kind) {
	case AB_K_IN: case AB_K_OUT: case AB_K_INS: case AB_K_OUTS:
		return kvm_patch_pio(s, out);
	case AB_K_CPUID:
		return kvm_patch_cpuid(s, out);
	case AB_K_MOV_TO_CR:
		return patch_cr_load(s, out);
	case AB_K_STI: case AB_K_POPF:
		return kvm_patch_safepoint(s, out);
	default:
		return 0;
	}
}

static unsigned kvm_patch(const struct wedge_site *s, uint8_t *out)
{
	/* Replacement code is copied elsewhere by the guest: no rel32 there (abi.h). */
	if (s->flags & AB_F_ALTREPL) {
		kvm.native_altrepl++;
		return native(s, out);
	}
	/* A call there would push onto the user's stack (core/stack.c). */
	if (s->user_stack) {
		kvm.native_user_stack++;
		return native(s, out);
	}
	unsigned n = patch_by_kind(s, out);
	if (!n)
		return native(s, out);
	kvm.patched[s->kind]++;
	return n;
}

WEDGE_BACKEND(kvm_backend) = {
	.name = "kvm",
	.probe = kvm_probe,
	.patch = kvm_patch,
	.prepare = kvm_prepare,
};

WEDGE_BACKEND(splitcore_backend) = {
	.name = "splitcore",
	.probe = splitcore_probe,
	.patch = kvm_patch,
	.prepare = splitcore_prepare,
};
