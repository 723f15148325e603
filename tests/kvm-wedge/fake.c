/*
 * The machine under the kvm backend, faked for the host: the functions of
 * backends/kvm/platform.c and the wedge runtime's (wedge/rt/) that the
 * backend calls.  A hypercall is answered as the monitor would; the thunk
 * emitters record which hook a site got, so a test can "execute" the site.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "wedge/console.h"

struct fake_machine fake;

/* Thunks and sites sit in one arena so that every rel32 reaches. */
static uint8_t arena[1 << 16] __attribute__((aligned(16)));
static size_t arena_used;

uint64_t kvm_phys(const void *wedge_ptr)
{
	return (uint64_t)(uintptr_t)wedge_ptr;
}

static void hello(struct ab_hc_hello *h)
{
	fake.hellos++;
	if (h->version != AB_HC_VERSION) {
		h->ret = -AB_E_VERSION;
		return;
	}
	h->ret = 0;
	h->mode = fake.mode ? fake.mode : AB_MODE_PREVIRT;
	h->tsc_khz = FAKE_TSC_KHZ;
	h->tsc_hello = fake.tsc;
	h->wallclock_sec = 1700000000;
	h->disk_sectors = fake.disk_sectors;
}

static void disk(struct ab_hc_disk *d)
{
	fake.disk_calls++;
	uint64_t bytes = (uint64_t)d->count * AB_DISK_SECTOR, at = d->lba * AB_DISK_SECTOR;
	if (d->op == AB_DISK_FLUSH) {
		d->ret = 0;
		return;
	}
	if (d->lba + d->count > fake.disk_sectors || d->count > AB_DISK_MAX_SECTORS) {
		d->ret = -AB_E_INVAL;
		return;
	}
	void *buf = (void *)(uintptr_t)d->buf;
	if (d->op == AB_DISK_READ)
		memcpy(buf, fake.disk + at, bytes);
	else
		memcpy(fake.disk + at, buf, bytes);
	d->ret = 0;
}

static void console(const struct ab_hc_console *c)
{
	size_t room = sizeof(fake.console) - fake.console_len;
	size_t n = c->len < room ? c->len : room;
	memcpy(fake.console + fake.console_len, (const void *)(uintptr_t)c->data, n);
	fake.console_len += n;
	fake.console_calls++;
}

int32_t kvm_hypercall(enum ab_hc_nr nr, void *block)
{
	if (nr == AB_HC_HELLO)
		hello(block);
	else if (nr == AB_HC_KICK)
		fake.kicks++;
	else if (nr == AB_HC_DISK)
		disk(block);
	else if (nr == AB_HC_CONSOLE)
		console(block);
	return 0;
}

void kvm_halt_forever(void)
{
	fake.halted = true;
	if (fake.panic_armed) {
		fake.panic_armed = false;
		longjmp(fake.panic_jmp, 2);
	}
	abort();
}

uint64_t kvm_rdtsc(void)
{
	return fake.tsc;
}

void kvm_real_out(uint16_t port, unsigned size, uint32_t v)
{
	(void)size;
	if (!fake.nout)
		fake.console_len_at_out = fake.console_len;
	if (fake.nout < 64) {
		fake.out_port[fake.nout] = port;
		fake.out_val[fake.nout] = v;
	}
	fake.nout++;
}

/* A small AMD-like CPU: leaves 0, 1, 7 and 0x80000000-1. */
void kvm_real_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
	(void)ctx;
	(void)subleaf;
	memset(out, 0, 4 * sizeof(out[0]));
	switch (leaf) {
	case 0: out[0] = 7; memcpy(&out[1], "Auth", 4); memcpy(&out[3], "enti", 4);
		memcpy(&out[2], "cAMD", 4); break;
	case 1: out[0] = 0x00a00f11; out[2] = 1u << 31 | 1u << 26 | 1u << 0; /* hypervisor, xsave, sse3 */
		out[3] = 1u << 0 | 1u << 5 | 1u << 6; break;
	case 0x80000000: out[0] = 0x80000001; break;
	case 0x80000001: out[3] = 1u << 29 | 1u << 20 | 1u << 11; break;
	default: break;
	}
}

uint64_t kvm_real_cr4(void)
{
	return WEDGE_X86_CR4_PAE;
}

uint8_t *wedge_thunk_alloc(unsigned n)
{
	if (arena_used + n > sizeof(arena))
		abort();
	uint8_t *p = arena + arena_used;
	arena_used += (n + 15) & ~15u;
	return p;
}

unsigned wedge_emit_hook(uint8_t *p, wedge_hook_fn *fn, void *arg)
{
	(void)p;
	fake.hook = fn;
	fake.hook_arg = arg;
	return 15;
}

unsigned wedge_emit_ret(uint8_t *p)
{
	p[0] = 0xc3;
	return 1;
}

void wedge_map_into(uint64_t cr3)
{
	(void)cr3;
}

void wedge_panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(fake.panic_msg, sizeof(fake.panic_msg), fmt, ap);
	va_end(ap);
	if (fake.panic_armed) {
		fake.panic_armed = false;
		longjmp(fake.panic_jmp, 1);
	}
	fprintf(stderr, "unexpected wedge panic: %s\n", fake.panic_msg);
	abort();
}

void wedge_printf(const char *fmt, ...)
{
	(void)fmt;
}

uint16_t wedge_exit_port(void)
{
	return 0xf4;
}

void wedge_console_set_sink(wedge_console_sink_fn *fn)
{
	(void)fn;
}

void wedge_console_flush(void)
{
}

void wedge_bad_site(const struct wedge_site *s, enum wedge_site_error why)
{
	fprintf(stderr, "bad site at %#llx: error %d\n", (unsigned long long)s->addr, (int)why);
}

void fake_reset(void)
{
	uint64_t sectors = fake.disk_sectors;
	uint32_t mode = fake.mode;
	memset(&fake, 0, sizeof(fake));
	fake.disk_sectors = sectors;
	fake.mode = mode;
	memset(&kvm, 0, sizeof(kvm));
	fake.tsc = 1000000;
	const struct wedge_backend *be =
		wedge_backend_find(mode == AB_MODE_SPLITCORE ? "splitcore" : "kvm");
	if (!be || !be->prepare)
		abort();
	be->prepare(0);
}

struct wedge_site fake_site(unsigned kind, const uint8_t *insn, unsigned len, uint8_t *buf)
{
	memcpy(buf, insn, len);
	wedge_fill_nops(buf + len, 5);
	uint8_t *at = wedge_thunk_alloc(0);
	return (struct wedge_site){
		.addr = (uint64_t)(uintptr_t)at - 0x100, .bytes = buf, .len = len + 5,
		.insn_len = len, .kind = kind,
	};
}

bool fake_run_site(unsigned (*patch)(const struct wedge_site *, uint8_t *),
		   const struct wedge_site *s, struct wedge_regs *regs)
{
	uint8_t out[64];
	fake.hook = 0;
	unsigned n = patch(s, out);
	if (!n || !fake.hook)
		return false;
	fake.hook(regs, fake.hook_arg);
	return true;
}

void fake_call_hook(struct wedge_regs *regs)
{
	fake.hook(regs, fake.hook_arg);
}

void *wedge_memcpy(void *dst, const void *src, size_t n)
{
	return memcpy(dst, src, n);
}
