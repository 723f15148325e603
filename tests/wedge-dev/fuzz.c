/*
 * wedge-dev-fuzz [ITERATIONS [SEED]]: random port accesses across the
 * whole PC set and an ATA disk (biased toward the claimed ports),
 * interleaved with what the host side does (RX bytes, IRQ lines, INTA,
 * ticks, clock jumps, disk completions), with
 * the models' invariants checked after every step.  Deterministic for a
 * seed; built with ASan and UBSan, so any bad access or overflow aborts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wedge/devices.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* How much of the models the run reached, so a dull run shows. */
static struct {
	unsigned long acks, rx_bytes, next_checked, int_rises;
	unsigned long disk_requests, disk_pending, disk_errors;
} seen;

static struct {
	uint64_t mono_ns, wall_s;
	unsigned bad_flush;
	bool int_level;
	unsigned long long flushed;
} host;

static void h_flush(void *ctx, const char *line, size_t len)
{
	(void)ctx;
	(void)line;
	if (len == 0 || len > WEDGE_UART_LINE_MAX)
		host.bad_flush++;
	host.flushed += len;
}
static uint64_t h_mono(void *ctx) { (void)ctx; return host.mono_ns; }
static uint64_t h_wall(void *ctx) { (void)ctx; return host.wall_s; }
static void h_notify(void *ctx, bool level)
{
	(void)ctx;
	host.int_level = level;
	seen.int_rises += level;
}

/*
 * The disk's host: every transfer answers DONE, PENDING or EIO at random
 * and is checked against what the model promised (whole sectors in its
 * buffer, inside the disk, one request at a time).  No data is kept.
 */
#define DISK_SECTORS ((1ull << 28) + 4096)
static struct {
	bool outstanding;
	unsigned bad;
} disk;

static int disk_request(struct wedge_ata *a, uint64_t lba, unsigned count, const void *buf)
{
	bool flush = buf == NULL;
	if (disk.outstanding || (!flush && (buf != a->buf || count < 1 || count > WEDGE_ATA_MAX_MULTI ||
					    lba >= DISK_SECTORS || count > DISK_SECTORS - lba)))
		disk.bad++;
	seen.disk_requests++;
	uint64_t r = rnd() % 8;
	if (r == 0) {
		seen.disk_errors++;
		return WEDGE_ATA_EIO;
	}
	if (r < 4) {
		disk.outstanding = true;
		seen.disk_pending++;
		return WEDGE_ATA_PENDING;
	}
	return WEDGE_ATA_DONE;
}

static int disk_read(void *ctx, uint64_t lba, unsigned count, void *buf)
{
	int rc = disk_request(ctx, lba, count, buf);
	if (rc == WEDGE_ATA_DONE)
		memset(buf, (int)(lba & 0xff), count * WEDGE_ATA_SECTOR);
	return rc;
}

static int disk_write(void *ctx, uint64_t lba, unsigned count, const void *buf)
{
	return disk_request(ctx, lba, count, buf);
}

static int disk_flush(void *ctx)
{
	return disk_request(ctx, 0, 0, NULL);
}

/* Failures per invariant, with the first iteration that broke it. */
enum { INV_PIC, INV_PIT, INV_UART, INV_RTC, INV_BUS, INV_NEXT, INV_ATA, INV_COUNT };
static const char *const inv_names[INV_COUNT] = {
	"pic: state in range, INT consistent with pending and notify",
	"pit: channel state in range",
	"uart: line and FIFO within capacity, DR matches FIFO, flush lengths",
	"rtc: index in range, time registers valid BCD/binary",
	"bus: unknown-access counters never go back",
	"pit: next_irq is exact (no edge before it, one at it)",
	"ata: phase, buffer offsets and IRQ line consistent; host asked only for valid transfers",
};
static unsigned long fails[INV_COUNT];
static unsigned long first_fail[INV_COUNT];

static void check(int inv, bool ok, unsigned long iter)
{
	if (!ok && !fails[inv]++)
		first_fail[inv] = iter;
}

static const uint16_t hot_ports[] = {
	0x20, 0x21, 0xa0, 0xa1, 0x4d0, 0x4d1, 0x40, 0x41, 0x42, 0x43, 0x61,
	0x70, 0x71, 0x80, 0x3f8, 0x3f9, 0x3fa, 0x3fb, 0x3fc, 0x3fd, 0x3fe,
	0x3ff, 0xcf8, 0xcf9, 0xcfa, 0xcfb, 0xcfc, 0xcfd, 0xcfe, 0xcff,
	0x1f0, 0x1f0, 0x1f0, 0x1f1, 0x1f2, 0x1f3, 0x1f4, 0x1f5, 0x1f6, 0x1f7, 0x3f6,
};
#define NHOT (sizeof(hot_ports) / sizeof(hot_ports[0]))

static uint16_t pick_port(void)
{
	uint64_t r = rnd();
	if (r % 4 == 0)
		return (uint16_t)(r >> 16);
	return (uint16_t)(hot_ports[(r >> 8) % NHOT] + (r % 16 == 1 ? 1 : 0) - (r % 16 == 2 ? 1 : 0));
}

/* Half the writes carry what a driver writes, or the disk stays shallow. */
static uint32_t pick_value(uint16_t port)
{
	static const uint8_t cmds[] = { 0x20, 0x24, 0x29, 0xc4, 0x30, 0x34, 0x39, 0xc5,
					0xec, 0xe7, 0xea, 0xef, 0xc6, 0x40, 0x91, 0x90 };
	uint64_t r = rnd();
	if (r % 2)
		return (uint32_t)rnd();
	switch (port) {
	case 0x1f7: return cmds[(r >> 8) % 16];
	case 0x1f6: return (r >> 8) % 2 ? 0xe0 : 0xa0;
	case 0x3f6: return (uint32_t)(r >> 8) & ~4u; /* SRST only from the other half */
	default: return (uint32_t)(r >> 8);
	}
}

/* A driver's rep insw/outsw of one sector, in the direction DRQ asks. */
static void data_burst(struct wedge_devices *d)
{
	unsigned size = rnd() % 2 ? 2 : 4;
	bool out = d->ata.phase == WEDGE_ATA_DATA_OUT;
	for (unsigned i = 0; i < WEDGE_ATA_SECTOR / size; i++) {
		if (out)
			wedge_pio_out(&d->bus, 0x1f0, size, (uint32_t)rnd());
		else
			wedge_pio_in(&d->bus, 0x1f0, size);
	}
}

static unsigned pick_size(void)
{
	static const unsigned sizes[] = { 1, 1, 1, 1, 1, 2, 4, 3 };
	return sizes[rnd() % 8];
}

static bool pic_ok(const struct wedge_devices *d)
{
	const struct wedge_pic *p = &d->pic;
	for (unsigned i = 0; i < 2; i++) {
		const struct wedge_pic_chip *c = &p->chip[i];
		if (c->init_state > 3 || c->prio_add > 7 || (c->elcr & ~c->elcr_mask))
			return false;
	}
	int v = wedge_pic_pending(p);
	if ((v >= 0) != p->output || host.int_level != p->output)
		return false;
	if (v < 0)
		return true;
	unsigned m = p->chip[0].base, s = p->chip[1].base;
	return ((unsigned)v >= m && (unsigned)v < m + 8) || ((unsigned)v >= s && (unsigned)v < s + 8);
}

static bool pit_ok(const struct wedge_devices *d)
{
	for (unsigned i = 0; i < 3; i++) {
		const struct wedge_pit_channel *c = &d->pit.ch[i];
		if (c->count < 1 || c->count > 0x10000 || c->mode > 7 || c->rw < 1 || c->rw > 3 ||
		    c->read_state < 1 || c->read_state > 4 || c->write_state < 1 ||
		    c->write_state > 4 || c->latched > 3 || c->bcd > 1)
			return false;
	}
	return true;
}

static bool uart_ok(const struct wedge_uart *u)
{
	return u->line_len < WEDGE_UART_LINE_MAX && u->rx_count <= WEDGE_UART_FIFO &&
	       u->rx_head < WEDGE_UART_FIFO && ((u->lsr & 1) != 0) == (u->rx_count > 0) &&
	       !host.bad_flush && (u->ier & 0xf0) == 0;
}

static bool bcd_ok(uint8_t v)
{
	return (v & 0x0f) <= 9 && (v >> 4) <= 9;
}

/* Read every time register as the guest would, then restore the index. */
static bool rtc_ok(struct wedge_devices *d)
{
	struct wedge_rtc *r = &d->rtc;
	if (r->index > 0x7f)
		return false;
	uint8_t b = r->cmos[0x0b], idx = r->index;
	bool nmi = r->nmi_masked, ok = true;
	if (b & 0x80)
		return true;          /* SET: whatever the guest wrote */
	static const uint8_t regs[] = { 0, 2, 4, 6, 7, 8, 9, 0x32 };
	for (unsigned i = 0; i < sizeof(regs); i++) {
		wedge_pio_out(&d->bus, 0x70, 1, regs[i]);
		uint8_t v = (uint8_t)wedge_pio_in(&d->bus, 0x71, 1);
		if (regs[i] == 4 && !(b & 0x02))
			v &= 0x7f;    /* 12-hour PM bit */
		ok &= (b & 0x04) ? v <= 99 : bcd_ok(v);
	}
	r->index = idx;
	r->nmi_masked = nmi;
	return ok;
}

static bool ata_ok(const struct wedge_ata *a)
{
	bool data = a->phase == WEDGE_ATA_DATA_IN || a->phase == WEDGE_ATA_DATA_OUT;
	bool busy = a->phase == WEDGE_ATA_HOST || a->phase == WEDGE_ATA_RESET;
	bool level = a->intrq && !(a->devctl & 0x02) && !(a->device & 0x10);
	if (a->phase > WEDGE_ATA_RESET || a->outstanding != disk.outstanding || disk.bad ||
	    (a->outstanding && !busy) || (a->phase == WEDGE_ATA_HOST && !a->outstanding) ||
	    a->irq_level != level || a->multi > WEDGE_ATA_MAX_MULTI || (a->multi & (a->multi - 1)))
		return false;
	return !data || (a->pos % 2 == 0 && a->pos < a->block_end && a->block_end <= a->chunk_end &&
			 a->chunk_end <= sizeof(a->buf) && a->block >= 1 && a->block <= WEDGE_ATA_MAX_MULTI);
}

/* next_irq must name the exact first ns of the next IRQ0 edge. */
static bool next_ok(struct wedge_devices *d)
{
	uint64_t now = host.mono_ns, t = wedge_pit_next_irq(&d->pit, now);
	if (t == UINT64_MAX)
		return true;
	if (t < now)
		return false;
	if (t == now || t - now > 2000000000ull)
		return true;
	seen.next_checked++;
	bool ok = wedge_pit_poll(&d->pit, t - 1) == 0 && wedge_pit_poll(&d->pit, t) >= 1;
	host.mono_ns = t;
	return ok;
}

static void host_step(struct wedge_devices *d)
{
	uint64_t r = rnd();
	switch (r % 16) {
	case 0: {
		char buf[8] = "fuzzing";
		seen.rx_bytes += wedge_uart_rx_push(&d->com1, buf, (r >> 8) % 8);
		break;
	}
	case 1: wedge_pic_set_irq(&d->pic, (unsigned)(r >> 8) % 18, (r >> 16) & 1); break;
	case 2:
		if (d->pic.output) {
			wedge_pic_ack(&d->pic);
			seen.acks++;
		}
		break;
	case 3: wedge_devices_tick(d, host.mono_ns); break;
	case 4: host.mono_ns += (r >> 8) % 1000000000ull; break;
	case 5: host.wall_s = (r >> 8) % 2 ? host.wall_s + 1 : (r >> 20); break;
	case 6: wedge_uart_flush(&d->com1); break;
	case 7:
	case 8:
		if (disk.outstanding) {
			disk.outstanding = false;
			wedge_ata_complete(&d->ata, r % 5 == 0 ? WEDGE_ATA_EIO : WEDGE_ATA_DONE);
		} else if (r % 64 == 7) {
			wedge_ata_complete(&d->ata, WEDGE_ATA_DONE); /* stray: ignored */
		}
		break;
	default: host.mono_ns += (r >> 8) % 100000; break;
	}
}

int main(int argc, char **argv)
{
	unsigned long iters = argc > 1 ? strtoul(argv[1], NULL, 0) : 1000000;
	if (argc > 2)
		rng = (strtoull(argv[2], NULL, 0) + 1) * 0x9e3779b97f4a7c15ull | 1;
	static struct wedge_devices d;
	struct wedge_dev_host h = { .console_flush = h_flush, .monotonic_ns = h_mono,
				    .wall_clock = h_wall, .irq_notify = h_notify };
	host.wall_s = 1700000000;
	struct wedge_ata_host disk_host = { .ctx = &d.ata, .sectors = DISK_SECTORS, .read = disk_read,
					    .write = disk_write, .flush = disk_flush };
	if (wedge_devices_init(&d, &h) || wedge_devices_add_disk(&d, &disk_host)) {
		printf("FAIL: wedge_devices_init, wedge_devices_add_disk\n");
		return 1;
	}
	uint64_t uin = 0, uout = 0;
	for (unsigned long i = 0; i < iters; i++) {
		uint16_t port = pick_port();
		unsigned size = pick_size();
		if (rnd() & 1)
			wedge_pio_out(&d.bus, port, size, pick_value(port));
		else
			wedge_pio_in(&d.bus, port, size);
		if (rnd() % 16 == 0)
			data_burst(&d);
		if (rnd() % 4 == 0)
			host_step(&d);
		check(INV_PIC, pic_ok(&d), i);
		check(INV_PIT, pit_ok(&d), i);
		check(INV_UART, uart_ok(&d.com1), i);
		check(INV_BUS, d.bus.unknown_in >= uin && d.bus.unknown_out >= uout, i);
		check(INV_ATA, ata_ok(&d.ata), i);
		uin = d.bus.unknown_in;
		uout = d.bus.unknown_out;
		if (i % 64 == 0)
			check(INV_RTC, rtc_ok(&d), i);
		if (i % 16 == 0)
			check(INV_NEXT, next_ok(&d), i);
	}
	unsigned passed = 0, failed = 0;
	for (int k = 0; k < INV_COUNT; k++) {
		if (fails[k])
			printf("FAIL: %s (%lu times, first at iteration %lu)\n", inv_names[k], fails[k], first_fail[k]);
		else
			printf("PASS: %s\n", inv_names[k]);
		fails[k] ? failed++ : passed++;
	}
	printf("%lu accesses, %llu console bytes flushed, %llu unknown in, %llu unknown out\n", iters,
	       host.flushed, (unsigned long long)d.bus.unknown_in, (unsigned long long)d.bus.unknown_out);
	printf("reached: %lu INT rises, %lu INTA, %lu RX bytes, %lu next_irq checks\n", seen.int_rises,
	       seen.acks, seen.rx_bytes, seen.next_checked);
	printf("disk: %llu commands, %lu host requests (%lu pending, %lu failed), %llu ignored, %llu stray\n",
	       (unsigned long long)d.ata.commands, seen.disk_requests, seen.disk_pending, seen.disk_errors,
	       (unsigned long long)d.ata.ignored, (unsigned long long)d.ata.stray_completions);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
