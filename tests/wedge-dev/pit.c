/* 8254 PIT: Linux's i8253 clockevent and its TSC calibration loops. */
#include "unit.h"

static struct wedge_devices d;
static struct fake_host h;
static uint64_t t0;

/* Independent of the model's own arithmetic: 128-bit, exact. */
static uint64_t ticks_of(uint64_t ns)
{
	return (uint64_t)((unsigned __int128)ns * WEDGE_PIT_HZ / 1000000000u);
}

static uint64_t ns_for(uint64_t ticks)
{
	unsigned __int128 x = (unsigned __int128)ticks * 1000000000u;
	return (uint64_t)((x + WEDGE_PIT_HZ - 1) / WEDGE_PIT_HZ);
}

static void at(uint64_t ticks)
{
	h.mono_ns = t0 + ns_for(ticks);
}

static void fresh(void)
{
	fake_pc(&d, &h);
	t0 = 5000000000ull;      /* not zero: catches absolute/relative mixups */
	h.mono_ns = t0;
}

static void program(uint8_t cw, uint16_t port, uint16_t count)
{
	outb(&d, 0x43, cw);
	outb(&d, port, (uint8_t)count);
	outb(&d, port, (uint8_t)(count >> 8));
}

static uint16_t read16(uint16_t port)
{
	uint16_t lo = inb(&d, port);
	return (uint16_t)(lo | inb(&d, port) << 8);
}

static void test_periodic(void)
{
	const uint16_t latch = 11932;            /* PIT_LATCH for HZ=100 */
	fresh();
	report(wedge_pit_next_irq(&d.pit, t0) == UINT64_MAX, "pit: unprogrammed channel 0 never fires");
	program(0x34, 0x40, latch);               /* pit_set_periodic */
	report(wedge_pit_next_irq(&d.pit, t0) == t0 + ns_for(latch), "pit: mode 2 next IRQ after LATCH ticks");
	report(wedge_pit_poll(&d.pit, t0 + ns_for(latch) - 1) == 0, "pit: no edge a ns early");
	report(wedge_pit_poll(&d.pit, t0 + ns_for(latch)) == 1, "pit: one edge on time");
	report(wedge_pit_next_irq(&d.pit, t0 + ns_for(latch)) == t0 + ns_for(2 * latch), "pit: then one period later");
	report(wedge_pit_poll(&d.pit, t0 + ns_for(5 * latch + 7)) == 4, "pit: missed periods are counted");

	at(100);
	outb(&d, 0x43, 0x00);                     /* latch command, as i8253 read */
	at(5000);
	report(read16(0x40) == latch - 100, "pit: latched count survives time passing");
	report(read16(0x40) == latch - 5000, "pit: unlatched lobyte/hibyte read is live");
	at(latch);
	report(read16(0x40) == latch, "pit: mode 2 reloads at the period");
	report(!wedge_pit_out(&d.pit, 0, t0 + ns_for(latch - 1)) && wedge_pit_out(&d.pit, 0, t0 + ns_for(latch)),
	       "pit: mode 2 OUT low for the last clock");

	at(300);
	outb(&d, 0x43, 0xc2);                     /* read-back: count and status of ch0 */
	at(400);
	uint8_t st = inb(&d, 0x40);
	report(st == 0xb4, "pit: read-back status 0x%02x (OUT, lobyte/hibyte, mode 2)", st);
	report(read16(0x40) == latch - 300, "pit: read-back count latch");
	outb(&d, 0x43, 0xe2);                     /* status only */
	report(inb(&d, 0x40) == 0xb4 && read16(0x40) == latch - 400, "pit: status-only read-back");
	outb(&d, 0x43, 0xd2);                     /* count only */
	report(read16(0x40) == latch - 400, "pit: count-only read-back");
	outb(&d, 0x43, 0x00);
	outb(&d, 0x43, 0x00);
	at(500);
	report(read16(0x40) == latch - 400, "pit: a second latch does not overwrite the first");
}

static void test_square_and_oneshot(void)
{
	fresh();
	program(0x36, 0x40, 1000);                /* mode 3 */
	report(wedge_pit_out(&d.pit, 0, t0 + ns_for(499)) && !wedge_pit_out(&d.pit, 0, t0 + ns_for(500)),
	       "pit: mode 3 OUT high for the first half");
	report(!wedge_pit_out(&d.pit, 0, t0 + ns_for(999)) && wedge_pit_out(&d.pit, 0, t0 + ns_for(1000)),
	       "pit: mode 3 OUT rises at the period");
	at(10);
	report(read16(0x40) == 980, "pit: mode 3 counts down by two");
	report(wedge_pit_poll(&d.pit, t0 + ns_for(2500)) == 2, "pit: mode 3 one IRQ per period");

	fresh();
	program(0x30, 0x40, 100);                 /* mode 0 */
	report(!wedge_pit_out(&d.pit, 0, t0 + ns_for(99)) && wedge_pit_out(&d.pit, 0, t0 + ns_for(100)),
	       "pit: mode 0 OUT rises at terminal count");
	report(wedge_pit_next_irq(&d.pit, t0) == t0 + ns_for(100), "pit: mode 0 IRQ at terminal count");
	report(wedge_pit_poll(&d.pit, t0 + ns_for(100)) == 1, "pit: mode 0 fires once");
	report(wedge_pit_next_irq(&d.pit, t0 + ns_for(100)) == UINT64_MAX &&
	       wedge_pit_poll(&d.pit, t0 + ns_for(100000)) == 0, "pit: and never again");
	at(101);
	report(read16(0x40) == 0xffff, "pit: mode 0 count wraps past zero");

	fresh();
	outb(&d, 0x43, 0x38);                     /* pit_set_oneshot: mode 4 */
	outb(&d, 0x40, 0xf4);                     /* pit_next_event(500) */
	outb(&d, 0x40, 0x01);
	report(wedge_pit_next_irq(&d.pit, t0) == t0 + ns_for(500), "pit: oneshot event in 500 ticks");
	report(wedge_pit_poll(&d.pit, t0 + ns_for(600)) == 1, "pit: oneshot fired");
	at(1000);
	outb(&d, 0x40, 44);                       /* pit_next_event(300) */
	outb(&d, 0x40, 1);
	report(wedge_pit_next_irq(&d.pit, h.mono_ns) == h.mono_ns + ns_for(300), "pit: next oneshot re-arms");
	outb(&d, 0x43, 0x30);                     /* clockevent_i8253_disable */
	outb(&d, 0x40, 0);
	outb(&d, 0x40, 0);
	outb(&d, 0x43, 0x30);
	report(wedge_pit_next_irq(&d.pit, h.mono_ns) == UINT64_MAX &&
	       wedge_pit_poll(&d.pit, h.mono_ns + 1000000000ull) == 0, "pit: shutdown stops IRQs");
}

static void test_access_modes(void)
{
	fresh();
	outb(&d, 0x43, 0x14);                     /* LSB only, mode 2 */
	outb(&d, 0x40, 100);
	report(wedge_pit_next_irq(&d.pit, t0) == t0 + ns_for(100), "pit: LSB-only count");
	at(1);
	report(inb(&d, 0x40) == 99 && inb(&d, 0x40) == 99, "pit: LSB-only reads");
	outb(&d, 0x43, 0x24);                     /* MSB only */
	outb(&d, 0x40, 1);
	report(wedge_pit_next_irq(&d.pit, h.mono_ns) == h.mono_ns + ns_for(256), "pit: MSB-only count");
	program(0x34, 0x40, 0);
	report(wedge_pit_next_irq(&d.pit, h.mono_ns) == h.mono_ns + ns_for(65536), "pit: count 0 means 65536");

	fresh();
	outb(&d, 0x43, 0x34);
	outb(&d, 0x43, 0xe2);
	report(inb(&d, 0x40) == 0xf4, "pit: null count set until the count is written");
	outb(&d, 0x40, 0x10);
	report(wedge_pit_next_irq(&d.pit, t0) == UINT64_MAX, "pit: half a count does not start mode 2");
	outb(&d, 0x40, 0x00);
	outb(&d, 0x43, 0xe2);
	report(inb(&d, 0x40) == 0xb4, "pit: null count clear after loading");

	fresh();
	program(0x35, 0x40, 0x0100);              /* BCD 100 */
	report(wedge_pit_next_irq(&d.pit, t0) == t0 + ns_for(100), "pit: BCD count 0100 is 100 ticks");
	at(1);
	report(read16(0x40) == 0x0099, "pit: BCD count reads 0099");
	report(inb(&d, 0x43) == 0xff, "pit: control register reads 0xff");
}

/* pit_calibrate_tsc: gate on, mode 0, wait for OUT2 in port 0x61 bit 5. */
static void test_calibrate(void)
{
	const uint16_t latch = 1193182 / 100;      /* CAL_LATCH, 10 ms */
	fresh();
	outb(&d, 0x61, (inb(&d, 0x61) & ~0x02) | 0x01);
	report((inb(&d, 0x61) & 0x0f) == 0x01, "pit: port 0x61 gate on, speaker off");
	program(0xb0, 0x42, latch);
	report((inb(&d, 0x61) & 0x20) == 0, "pit: OUT2 low after loading mode 0");
	uint64_t t = t0, step = 997;
	while (!(inb(&d, 0x61) & 0x20) && t < t0 + 20000000ull)
		h.mono_ns = t += step;
	report(ticks_of(t - t0) >= latch && ticks_of(t - step - t0) < latch,
	       "pit: OUT2 rises exactly after CAL_LATCH ticks (%.3f ms)", (double)(t - t0) / 1e6);
}

/* quick_pit_calibrate: mode 0 from 0xffff, LSB then MSB without latching. */
static void test_quick_calibrate(void)
{
	fresh();
	outb(&d, 0x61, (inb(&d, 0x61) & ~0x02) | 0x01);
	program(0xb0, 0x42, 0xffff);
	bool ok = true;
	for (unsigned i = 0; i < 200; i++) {
		at(256 * i + 128);
		inb(&d, 0x42);                    /* pit_verify_msb: ignore LSB */
		ok &= inb(&d, 0x42) == 0xff - i;
	}
	report(ok, "pit: MSB steps down once per 256 ticks");
	inb(&d, 0x42);
	at(0x100 * 10);
	report(inb(&d, 0x42) == (uint8_t)((0xffff - 0xa00) >> 8), "pit: the LSB/MSB flip-flop alternates");
}

static void test_gate(void)
{
	fresh();
	outb(&d, 0x61, 0x01);
	program(0xb0, 0x42, 1000);
	at(100);
	outb(&d, 0x61, 0x00);                     /* gate low pauses mode 0 */
	at(600);
	report(read16(0x42) == 900, "pit: gate low holds the mode 0 count");
	outb(&d, 0x61, 0x01);
	at(650);
	report(read16(0x42) == 900 - ticks_of(ns_for(650) - ns_for(600)), "pit: gate high resumes it");

	fresh();
	program(0xb4, 0x42, 1000);                /* mode 2, gate still low */
	at(500);
	report(read16(0x42) == 1000 && wedge_pit_out(&d.pit, 2, h.mono_ns), "pit: mode 2 waits for the gate, OUT high");
	outb(&d, 0x61, 0x01);
	at(510);
	report(read16(0x42) == 1000 - ticks_of(ns_for(510) - ns_for(500)), "pit: rising gate starts mode 2");
	outb(&d, 0x61, 0x00);
	outb(&d, 0x61, 0x01);
	at(520);
	report(read16(0x42) == 1000 - ticks_of(ns_for(520) - ns_for(510)),
	       "pit: rising gate restarts mode 2");
}

static void test_devices_tick(void)
{
	fresh();
	outb(&d, 0x20, 0x11);
	outb(&d, 0x21, 0x30);
	outb(&d, 0x21, 0x04);
	outb(&d, 0x21, 0x01);
	outb(&d, 0x21, 0xfa);                     /* IRQ0 and cascade open */
	program(0x34, 0x40, 11932);
	uint64_t next = wedge_devices_tick(&d, t0);
	report(next == t0 + ns_for(11932) && wedge_pic_pending(&d.pic) == -1, "pit: tick arms the first deadline");
	next = wedge_devices_tick(&d, next);
	report(wedge_pic_pending(&d.pic) == 0x30 && next == t0 + ns_for(2 * 11932), "pit: tick delivers IRQ0 to the PIC");
}

void suite_pit(void)
{
	test_periodic();
	test_square_and_oneshot();
	test_access_modes();
	test_calibrate();
	test_quick_calibrate();
	test_gate();
	test_devices_tick();
}
