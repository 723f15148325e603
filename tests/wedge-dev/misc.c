/* The bus, PCI mechanism #1, ports 0x80 and 0x61, the PC set as a whole. */
#include <string.h>

#include "unit.h"

static struct wedge_devices d;
static struct fake_host h;

static uint32_t echo_in(struct wedge_pio_dev *dev, uint16_t port, unsigned size)
{
	(void)dev;
	return 0x1000u * size + port;
}

static void test_bus(void)
{
	struct wedge_pio_bus bus;
	struct wedge_pio_dev a = { .name = "a", .base = 0x100, .len = 4, .sizes = 1 | 2 | 4, .in = echo_in };
	struct wedge_pio_dev b = { .name = "b", .base = 0x103, .len = 2, .sizes = 1, .in = echo_in };
	struct wedge_pio_dev c = { .name = "c", .base = 0xfffe, .len = 4, .sizes = 1 };
	struct wedge_pio_dev z = { .name = "z", .base = 0x200, .len = 0, .sizes = 1 };
	wedge_pio_bus_init(&bus);
	report(wedge_pio_register(&bus, &a) == 0, "bus: register");
	report(wedge_pio_register(&bus, &b) == -1, "bus: overlapping range refused");
	report(wedge_pio_register(&bus, &c) == -1 && wedge_pio_register(&bus, &z) == -1,
	       "bus: ranges past 0xffff or empty refused");
	report(wedge_pio_in(&bus, 0x102, 2) == 0x2102, "bus: a device takes the widths it declares");
	report(wedge_pio_in(&bus, 0x103, 2) == 0xff03, "bus: an access running off a device is split");
	report(bus.unknown_in == 1 && bus.last_unknown == 0x104, "bus: the unclaimed byte is counted");

	struct wedge_pio_dev many[WEDGE_PIO_MAX_DEVS];
	unsigned ok = 0;
	for (unsigned i = 0; i < WEDGE_PIO_MAX_DEVS; i++) {
		many[i] = (struct wedge_pio_dev){ .name = "m", .base = (uint16_t)(0x1000 + i), .len = 1, .sizes = 1 };
		ok += wedge_pio_register(&bus, &many[i]) == 0;
	}
	report(ok == WEDGE_PIO_MAX_DEVS - 1 && bus.ndevs == WEDGE_PIO_MAX_DEVS, "bus: full bus refuses more");

	fake_pc(&d, &h);
	report(inb(&d, 0x1234) == 0xff && inw(&d, 0x1234) == 0xffff && inl(&d, 0x1234) == 0xffffffffu,
	       "bus: unknown ports read all ones");
	uint64_t before = d.bus.unknown_out;
	outb(&d, 0x1234, 1);
	outl(&d, 0x1234, 1);
	report(d.bus.unknown_out == before + 5, "bus: unknown writes are counted per byte");
	report(wedge_pio_in(&d.bus, 0x80, 3) == 0xffffffffu && d.bus.unknown_in > 0, "bus: a bad size is refused");
	outb(&d, 0x21, 0x5a);
	report(inw(&d, 0x20) == (0x5a << 8 | inb(&d, 0x20)), "bus: 16-bit PIC access is two byte accesses");
	report(inl(&d, 0x3fe) == (0xffff0000u | inb(&d, 0x3ff) << 8 | inb(&d, 0x3fe)),
	       "bus: 32-bit read at 0x3fe: two UART bytes, two unclaimed");
}

static void test_pci(void)
{
	fake_pc(&d, &h);
	outb(&d, 0xcfb, 0x01);                    /* pci_check_type1 */
	uint32_t tmp = inl(&d, 0xcf8);
	outl(&d, 0xcf8, 0x80000000u);
	report(inl(&d, 0xcf8) == 0x80000000u, "pci: address register reads back");
	outl(&d, 0xcf8, tmp);
	outl(&d, 0xcf8, 0x8000f8a3u);
	report(inl(&d, 0xcf8) == 0x8000f8a0u, "pci: low two address bits read zero");
	report(inl(&d, 0xcfc) == 0xffffffffu && inw(&d, 0xcfe) == 0xffff && inb(&d, 0xcfd) == 0xff,
	       "pci: every device reads all ones");
	bool ok = true;
	for (unsigned bdf = 0; bdf < 0x10000; bdf += 7) {
		outl(&d, 0xcf8, 0x80000000u | bdf << 8);
		ok &= inl(&d, 0xcfc) == 0xffffffffu;  /* vendor/device: no device */
	}
	report(ok, "pci: no device on any bus/device/function");
	outl(&d, 0xcf8, 0x80000000u);
	outl(&d, 0xcfc, 0x12345678u);
	outb(&d, 0xcf8, 0x00);                    /* pci_check_type2 pokes */
	outb(&d, 0xcfa, 0x00);
	report(inl(&d, 0xcf8) == 0x80000000u && inl(&d, 0xcfc) == 0xffffffffu, "pci: data and byte writes dropped");
	report(inb(&d, 0xcf8) == 0xff && inb(&d, 0xcfa) == 0xff, "pci: mechanism #2 probe fails");
}

static void test_ports(void)
{
	fake_pc(&d, &h);
	report(inb(&d, 0x80) == 0xff, "port80: reads 0xff before any POST code");
	outb(&d, 0x80, 0x42);
	outb(&d, 0x80, 0x43);
	report(inb(&d, 0x80) == 0x43 && d.port80.writes == 2, "port80: last code kept, writes counted");

	uint8_t a = inb(&d, 0x61), b = inb(&d, 0x61);
	report(((a ^ b) & 0x10) == 0x10, "port61: refresh bit toggles on every read");
	outb(&d, 0x61, 0xff);
	report((inb(&d, 0x61) & 0xcf) == 0x0f, "port61: bits 0-3 stored, 6-7 read zero");
	report(d.pit.ch[2].gate, "port61: bit 0 drives PIT channel 2's gate");
	outb(&d, 0x61, 0x00);
	report(!d.pit.ch[2].gate && (inb(&d, 0x61) & 0x0f) == 0, "port61: gate off");
	outb(&d, 0x43, 0xb6);                     /* ch2 mode 3: the speaker tone */
	outb(&d, 0x42, 0x10);
	outb(&d, 0x42, 0x00);
	outb(&d, 0x61, 0x03);
	report(inb(&d, 0x61) & 0x20, "port61: bit 5 shows OUT2 (high at the start of mode 3)");
	h.mono_ns += 9000;                        /* ~10.7 ticks: second half */
	report(!(inb(&d, 0x61) & 0x20), "port61: bit 5 follows OUT2 low");
}

static void test_set(void)
{
	fake_pc(&d, &h);
	static const uint16_t ports[] = { 0x20, 0x21, 0xa0, 0xa1, 0x4d0, 0x4d1, 0x40, 0x43, 0x61, 0x70,
					  0x71, 0x80, 0x3f8, 0x3ff, 0xcf8, 0xcfc };
	size_t n = sizeof(ports) / sizeof(ports[0]);
	uint64_t before = d.bus.unknown_in;
	for (size_t i = 0; i < n; i++)
		inb(&d, ports[i]);
	report(d.bus.unknown_in == before, "set: every standard port is claimed");
	report(d.bus.ndevs == 9, "set: nine ranges on the bus");

	struct wedge_devices q;
	report(wedge_devices_init(&q, NULL) == 0, "set: no host callbacks is fine");
	wedge_pio_out(&q.bus, 0x3f8, 1, '\n');
	wedge_pio_out(&q.bus, 0x43, 1, 0x34);
	wedge_pio_out(&q.bus, 0x40, 1, 0x10);
	wedge_pio_out(&q.bus, 0x40, 1, 0x00);
	report(q.com1.flushes == 1 && wedge_pio_in(&q.bus, 0x71, 1) == 0x80 &&
	       wedge_devices_tick(&q, 0) == 0 + 13410, "set: console, RTC, PIT on a frozen clock");
}

void suite_bus(void) { test_bus(); }
void suite_pci(void) { test_pci(); }
void suite_ports(void) { test_ports(); }
void suite_set(void) { test_set(); }
