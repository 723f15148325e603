/*
 * Host unit tests of the wedge's device models, kvm-unit-tests style:
 * report(cond, "name") per check, one suite per device, a summary line
 * and the exit status from main.c.
 */
#ifndef WEDGE_DEV_UNIT_H
#define WEDGE_DEV_UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wedge/devices.h"

#include "../unit/harness.h"

/* The host side of the devices: a settable clock and a console log. */
struct fake_host {
	uint64_t mono_ns;
	uint64_t wall_s;
	char console[8192];   /* every flushed line, concatenated */
	size_t console_len;
	unsigned flushes;
	size_t last_flush_len;
	unsigned notifies;
	bool int_level;
};

void fake_host_init(struct fake_host *h, struct wedge_dev_host *out);
/* A full PC set wired to a fresh fake host. */
void fake_pc(struct wedge_devices *d, struct fake_host *h);

uint8_t inb(struct wedge_devices *d, uint16_t port);
uint16_t inw(struct wedge_devices *d, uint16_t port);
uint32_t inl(struct wedge_devices *d, uint16_t port);
void outb(struct wedge_devices *d, uint16_t port, uint8_t val);
void outw(struct wedge_devices *d, uint16_t port, uint16_t val);
void outl(struct wedge_devices *d, uint16_t port, uint32_t val);

void suite_bus(void);
void suite_pic(void);
void suite_pit(void);
void suite_uart(void);
void suite_rtc(void);
void suite_pci(void);
void suite_ports(void);
void suite_set(void);
void suite_ata(void);

#endif
