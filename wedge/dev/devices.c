/*
 * The standard PC set on one bus, wired as on a PC: the UART's IRQ4 and
 * the PIT's IRQ0 into the PIC, port 0x61 onto PIT channel 2's gate.
 */
#include "dev.h"

int wedge_devices_init(struct wedge_devices *d, const struct wedge_dev_host *host)
{
	static const struct wedge_dev_host none;
	if (!host)
		host = &none;
	wedge_pio_bus_init(&d->bus);
	wedge_pic_init(&d->pic, host->irq_notify, host->ctx);
	wedge_pit_init(&d->pit, host->monotonic_ns, host->ctx);
	wedge_port61_init(&d->port61, &d->pit);
	wedge_port80_init(&d->port80);
	wedge_uart_init(&d->com1, 0x3f8, host->console_flush, host->ctx);
	wedge_uart_connect_irq(&d->com1, wedge_pic_line, &d->pic, 4);
	wedge_rtc_init(&d->rtc, host->wall_clock, host->ctx);
	wedge_pci_init(&d->pci);

	if (wedge_pic_attach(&d->pic, &d->bus) || wedge_pit_attach(&d->pit, &d->bus) ||
	    wedge_pio_register(&d->bus, &d->port61.dev) ||
	    wedge_pio_register(&d->bus, &d->port80.dev) ||
	    wedge_pio_register(&d->bus, &d->com1.dev) ||
	    wedge_pio_register(&d->bus, &d->rtc.dev) ||
	    wedge_pio_register(&d->bus, &d->pci.dev))
		return -1;
	return 0;
}

uint64_t wedge_devices_tick(struct wedge_devices *d, uint64_t now_ns)
{
	/* Missed ticks coalesce into one edge, as a late timer IRQ would. */
	if (wedge_pit_poll(&d->pit, now_ns))
		wedge_pic_pulse(&d->pic, 0);
	return wedge_pit_next_irq(&d->pit, now_ns);
}

/* Optional: callers without a disk never touch d->ata. */
int wedge_devices_add_disk(struct wedge_devices *d, const struct wedge_ata_host *host)
{
	wedge_ata_init(&d->ata, 0x1f0, 0x3f6, host);
	wedge_ata_connect_irq(&d->ata, wedge_pic_line, &d->pic, 14);
	return wedge_ata_attach(&d->ata, &d->bus);
}
