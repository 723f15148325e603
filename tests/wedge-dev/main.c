/*
 * wedge-dev-unit [SUITE...]: run the named suites (all by default) and
 * print "N passed, M failed"; exit 1 if any check failed.
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"

static void host_flush(void *ctx, const char *line, size_t len)
{
	struct fake_host *h = ctx;
	size_t room = sizeof(h->console) - h->console_len;
	size_t n = len < room ? len : room;
	memcpy(h->console + h->console_len, line, n);
	h->console_len += n;
	h->flushes++;
	h->last_flush_len = len;
}

static uint64_t host_mono(void *ctx)
{
	return ((struct fake_host *)ctx)->mono_ns;
}

static uint64_t host_wall(void *ctx)
{
	return ((struct fake_host *)ctx)->wall_s;
}

static void host_notify(void *ctx, bool level)
{
	struct fake_host *h = ctx;
	h->notifies++;
	h->int_level = level;
}

void fake_host_init(struct fake_host *h, struct wedge_dev_host *out)
{
	memset(h, 0, sizeof(*h));
	h->wall_s = 1700000000; /* 2023-11-14 22:13:20 UTC, a Tuesday */
	*out = (struct wedge_dev_host){
		.ctx = h, .console_flush = host_flush, .monotonic_ns = host_mono,
		.wall_clock = host_wall, .irq_notify = host_notify,
	};
}

void fake_pc(struct wedge_devices *d, struct fake_host *h)
{
	struct wedge_dev_host host;
	fake_host_init(h, &host);
	int rc = wedge_devices_init(d, &host);
	if (rc)
		report(false, "wedge_devices_init returned %d", rc);
}

uint8_t inb(struct wedge_devices *d, uint16_t port) { return (uint8_t)wedge_pio_in(&d->bus, port, 1); }
uint16_t inw(struct wedge_devices *d, uint16_t port) { return (uint16_t)wedge_pio_in(&d->bus, port, 2); }
uint32_t inl(struct wedge_devices *d, uint16_t port) { return wedge_pio_in(&d->bus, port, 4); }
void outb(struct wedge_devices *d, uint16_t port, uint8_t val) { wedge_pio_out(&d->bus, port, 1, val); }
void outw(struct wedge_devices *d, uint16_t port, uint16_t val) { wedge_pio_out(&d->bus, port, 2, val); }
void outl(struct wedge_devices *d, uint16_t port, uint32_t val) { wedge_pio_out(&d->bus, port, 4, val); }

static const struct unit_suite suites[] = {
	{ "bus", suite_bus }, { "pic", suite_pic }, { "pit", suite_pit },
	{ "uart", suite_uart }, { "rtc", suite_rtc }, { "pci", suite_pci },
	{ "ports", suite_ports }, { "set", suite_set }, { "ata", suite_ata },
};

int main(int argc, char **argv)
{
	return unit_main("wedge-dev-unit", suites, sizeof(suites) / sizeof(suites[0]), argc, argv);
}
