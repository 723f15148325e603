/*
 * Port I/O in place: every in/out/ins/outs site becomes a call, and the
 * access goes to the wedge's devices (wedge/dev/) instead of exiting.
 * Only the ports the monitor itself serves still leave the guest: the
 * platform's exit port and the keyboard controller's command port 0x64
 * (Linux's `reboot -f` pulses its reset line) end the run (host.c), and
 * the hypercall ports are the monitor's.  Ports no
 * device claims read all ones, as on a PC, without an exit.
 *
 * The instruction is decoded once, at patch time (struct pio_site).
 */
#include "kvm.h"

#include "wedge/console.h"

enum {
	PIO_OUT = 1 << 0,    /* out/outs, else in/ins */
	PIO_STRING = 1 << 1, /* ins/outs */
	PIO_REP = 1 << 2,    /* rep (f3 or f2: both repeat ins/outs) */
	PIO_IMM = 1 << 3,    /* port is an immediate, else %dx */
	PIO_ADDR32 = 1 << 4, /* 67: %edi/%esi/%ecx */
};

#define ATA_DATA 0x1f0
#define I8042_DATA 0x60
#define I8042_STATUS 0x64  /* reads: status (0: nothing to read, ready); writes: commands */
#define PIO_SITES_MAX 2048

struct pio_site {
	uint16_t port;
	uint8_t size;
	uint8_t flags;
};

static struct pio_site pio_sites[PIO_SITES_MAX];
static unsigned npio_sites;

/* ---- Decoding ------------------------------------------------------------ */

/* 0, or -1 for what this backend does not emulate (left native). */
static int pio_decode(const uint8_t *p, unsigned len, struct pio_site *ps)
{
	unsigned i = 0, opsize16 = 0;
	*ps = (struct pio_site){ 0 };
	for (; i < len; i++) {
		uint8_t b = p[i];
		if (b == 0x66)
			opsize16 = 1;
		else if (b == 0x67)
			ps->flags |= PIO_ADDR32;
		else if (b == 0xf3 || b == 0xf2)
			ps->flags |= PIO_REP;
		else if (b == 0x64 || b == 0x65)
			return -1; /* an fs/gs source for outs: its base is not ours to read */
		else if (b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0xf0)
			continue;
		else if ((b & 0xf0) == 0x40)
			continue;  /* REX: no 64-bit port access exists */
		else
			break;
	}
	if (i >= len)
		return -1;
	uint8_t op = p[i];
	unsigned wide = op & 1 ? (opsize16 ? 2 : 4) : 1;
	ps->size = (uint8_t)wide;
	if (op >= 0xe4 && op <= 0xe7) {
		if (i + 1 >= len)
			return -1;
		ps->port = p[i + 1];
		ps->flags |= PIO_IMM | (op >= 0xe6 ? PIO_OUT : 0);
	} else if (op >= 0xec && op <= 0xef) {
		ps->flags |= op >= 0xee ? PIO_OUT : 0;
	} else if (op >= 0x6c && op <= 0x6f) {
		ps->flags |= PIO_STRING | (op >= 0x6e ? PIO_OUT : 0);
	} else {
		return -1;
	}
	if (!(ps->flags & PIO_STRING))
		ps->flags &= (uint8_t)~(PIO_REP | PIO_ADDR32);
	return 0;
}

/* ---- The ports ------------------------------------------------------------ */

/* Writes that may end the run: the monitor's, not the devices'. */
static bool stop_port(uint16_t port)
{
	return port == wedge_exit_port() || port == I8042_STATUS;
}

/* The PIC pair, its ELCR, the PIT: what the interrupt protocol publishes. */
static bool timer_or_pic_port(uint16_t port)
{
	return (port & ~1u) == 0x20 || (port & ~1u) == 0xa0 || (port & ~1u) == 0x4d0 ||
	       (port & ~3u) == 0x40;
}

static bool hypercall_port(uint16_t port)
{
	return port >= AB_HC_PORT_BASE && port < AB_HC_PORT_BASE + AB_HC_PORT_COUNT;
}

static uint32_t port_in(uint16_t port, unsigned size)
{
	if (port == I8042_STATUS || port == I8042_DATA)
		return 0;
	return wedge_pio_in(&kvm.devs.bus, port, size);
}

static void port_out(uint16_t port, unsigned size, uint32_t v)
{
	if (stop_port(port)) {
		/* The machine may stop at this write: nothing buffered may be lost. */
		wedge_uart_flush(&kvm.devs.com1);
		wedge_console_flush();
		kvm_host_stop(port, size, v);
	} else if (hypercall_port(port)) {
		kvm_real_out(port, size, v); /* the guest's own call: the monitor judges it */
	} else {
		wedge_pio_out(&kvm.devs.bus, port, size, v);
	}
}

/* ---- The hook -------------------------------------------------------------- */

static uint64_t merge_in(uint64_t rax, uint32_t v, unsigned size)
{
	if (size == 4)
		return v;  /* a 32-bit destination zero-extends */
	uint64_t mask = size == 2 ? 0xffffu : 0xffu;
	return (rax & ~mask) | (v & mask);
}

static void set_index(uint64_t *reg, uint64_t v, bool addr32)
{
	*reg = addr32 ? (uint32_t)v : v;
}

/*
 * rep insw/outsw on the disk's data port, upwards: a DRQ block at a time
 * (wedge_ata_read_words), not 256 bus accesses per sector.  Returns the
 * words moved; the caller does the rest (if any) one at a time.
 */
static uint64_t disk_words(bool out, uint64_t at, uint64_t count)
{
	uint64_t moved = 0;
	while (moved < count) {
		unsigned n = count - moved > 65536 ? 65536 : (unsigned)(count - moved);
		uint8_t *mem = (uint8_t *)(uintptr_t)(at + 2 * moved);
		unsigned got = out ? wedge_ata_write_words(&kvm.devs.ata, mem, n)
				   : wedge_ata_read_words(&kvm.devs.ata, mem, n);
		moved += got;
		if (got < n)
			break;
	}
	return moved;
}

static bool disk_data_port(uint16_t port, const struct pio_site *ps, const struct wedge_regs *r)
{
	return port == ATA_DATA && kvm.disk_sectors && ps->size == 2 &&
	       !(ps->flags & PIO_ADDR32) && !(r->rflags & WEDGE_X86_RFLAGS_DF);
}

static void pio_string(struct wedge_regs *r, const struct pio_site *ps, uint16_t port)
{
	bool a32 = ps->flags & PIO_ADDR32, out = ps->flags & PIO_OUT;
	uint64_t mask = a32 ? 0xffffffffu : ~0ull;
	uint64_t count = ps->flags & PIO_REP ? r->rcx & mask : 1;
	int64_t step = r->rflags & WEDGE_X86_RFLAGS_DF ? -(int64_t)ps->size : ps->size;
	uint64_t *index = out ? &r->rsi : &r->rdi;
	uint64_t at = *index & mask;

	if (disk_data_port(port, ps, r)) {
		uint64_t moved = disk_words(out, at, count);
		at += 2 * moved;
		count -= moved;
	}
	for (uint64_t i = 0; i < count; i++, at = (at + (uint64_t)step) & mask) {
		volatile uint8_t *mem = (volatile uint8_t *)(uintptr_t)at;
		uint32_t v = 0;
		if (out) {
			for (unsigned b = 0; b < ps->size; b++)
				v |= (uint32_t)mem[b] << (8 * b);
			port_out(port, ps->size, v);
		} else {
			v = port_in(port, ps->size);
			for (unsigned b = 0; b < ps->size; b++)
				mem[b] = (uint8_t)(v >> (8 * b));
		}
	}
	set_index(index, at, a32);
	if (ps->flags & PIO_REP)
		set_index(&r->rcx, 0, a32);
}

static void pio_hook(struct wedge_regs *r, void *arg)
{
	const struct pio_site *ps = arg;
	uint16_t port = ps->flags & PIO_IMM ? ps->port : (uint16_t)r->rdx;

	kvm_irq_sync();
	if (ps->flags & PIO_STRING)
		pio_string(r, ps, port);
	else if (ps->flags & PIO_OUT)
		port_out(port, ps->size, (uint32_t)r->rax);
	else
		r->rax = merge_in(r->rax, port_in(port, ps->size), ps->size);
	kvm_deliver(r, r->rflags & WEDGE_X86_RFLAGS_IF);
	kvm_irq_publish((ps->flags & PIO_OUT) && timer_or_pic_port(port));
}

unsigned kvm_patch_pio(const struct wedge_site *s, uint8_t *out)
{
	struct pio_site ps;
	if (pio_decode(s->bytes + s->insn_off, s->insn_len, &ps))
		return 0;
	if (npio_sites == PIO_SITES_MAX)
		wedge_panic("kvm: more than %u port I/O sites", PIO_SITES_MAX);
	pio_sites[npio_sites] = ps;
	return kvm_call_hook(s, out, pio_hook, &pio_sites[npio_sites++], false, WEDGE_CALL_BEFORE);
}
