/*
 * The ports the monitor serves in userspace (both modes), on the wedge's
 * port bus with the wedge's own models (wedge/dev/, compiled for the host
 * here), plus three one-liners:
 *
 *   ports          device                          model
 *   +-------------+-------------------------------+-------------------------+
 *   | 0x3f8-0x3ff | 16550A UART COM1, IRQ4        | wedge/dev/uart.c        |
 *   | 0x70-0x71   | MC146818 RTC + CMOS           | wedge/dev/rtc.c         |
 *   | 0xcf8-0xcff | PCI config #1, no devices     | wedge/dev/pci.c         |
 *   | 0x80        | POST codes (Linux's io delay) | wedge/dev/port80.c      |
 *   | 0x64        | i8042 status 0; 0xfe = reset  | here: ends the run, 0   |
 *   | 0xf4-0xf7   | QEMU's isa-debug-exit         | here: v -> (v << 1) | 1 |
 *   | 0x500-0x50f | hypercalls (abi.h)            | hcall.c                 |
 *   | 0x1f0-0x1f7,| ATA disk, IRQ14 (full mode    | wedge/dev/ata.c,        |
 *   | 0x3f6       | with --disk)                  | disk-ata.c              |
 *   | anything    | nothing: reads all ones       | the bus                 |
 *   +-------------+-------------------------------+-------------------------+
 *
 * --mode full has the PIC (0x20, 0xa0, 0x4d0), PIT (0x40) and port 0x61
 * in the kernel; under --mode previrt the wedge serves them in the guest.
 * The UART's IRQ4 goes to the in-kernel irqchip (full mode only: under
 * previrt the wedge's PIC is the only one).
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "mon.h"

#define COM1 0x3f8
#define COM1_IRQ 4
#define I8042_STATUS 0x64
#define I8042_RESET 0xfe
#define DEBUG_EXIT 0xf4
#define CONSOLE_FLUSH_NS 20000000ull /* a partial line waits at most this long */

static void console_line(void *ctx, const char *line, size_t len)
{
	struct mon_vm *vm = ctx;
	mon_console_write(&vm->console, line, len);
}

static uint64_t wall_clock(void *ctx)
{
	(void)ctx;
	return (uint64_t)time(NULL);
}

void mon_irq_line(void *ctx, unsigned irq, bool level)
{
	struct mon_vm *vm = ctx;
	struct kvm_irq_level l = { .irq = irq, .level = level };
	if (ioctl(vm->vm_fd, KVM_IRQ_LINE, &l) < 0)
		mon_err("KVM_IRQ_LINE %u: %s", irq, strerror(errno));
}

static uint32_t i8042_in(struct wedge_pio_dev *dev, uint16_t port, unsigned size)
{
	(void)dev, (void)port, (void)size;
	return 0; /* output and input buffers empty: Linux's kb_wait goes on */
}

static void i8042_out(struct wedge_pio_dev *dev, uint16_t port, unsigned size, uint32_t val)
{
	(void)port, (void)size;
	if (val == I8042_RESET)
		mon_end(dev->state, 0, "the guest reset the machine (i8042 0xfe)");
}

static void debug_exit_out(struct wedge_pio_dev *dev, uint16_t port, unsigned size,
			   uint32_t val)
{
	(void)port, (void)size;
	uint64_t status = (uint64_t)val << 1 | 1;
	if (status > MON_EXIT_GUEST_MAX) {
		mon_err("isa-debug-exit: %#x gives status %llu, above %d: ending with %d", val,
			(unsigned long long)status, MON_EXIT_GUEST_MAX, MON_EXIT_GUEST_MAX);
		status = MON_EXIT_GUEST_MAX;
	}
	mon_end(dev->state, (int)status, "the guest wrote to isa-debug-exit");
}

static void simple(struct wedge_pio_dev *d, const char *name, uint16_t base, uint16_t len,
		   struct mon_vm *vm)
{
	d->name = name;
	d->base = base;
	d->len = len;
	d->sizes = 1 | 2 | 4;
	d->state = vm;
}

int mon_devs_init(struct mon_vm *vm)
{
	struct mon_devs *d = &vm->devs;
	wedge_pio_bus_init(&d->bus);
	wedge_uart_init(&d->com1, COM1, console_line, vm);
	if (vm->cfg->mode == AB_MODE_FULL)
		wedge_uart_connect_irq(&d->com1, mon_irq_line, vm, COM1_IRQ);
	wedge_rtc_init(&d->rtc, wall_clock, vm);
	wedge_pci_init(&d->pci);
	wedge_port80_init(&d->port80);
	simple(&d->i8042, "i8042", I8042_STATUS, 1, vm);
	d->i8042.in = i8042_in;
	d->i8042.out = i8042_out;
	simple(&d->debug_exit, "isa-debug-exit", DEBUG_EXIT, 4, vm);
	d->debug_exit.out = debug_exit_out;
	struct wedge_pio_dev *all[] = { &d->com1.dev, &d->rtc.dev, &d->pci.dev, &d->port80.dev,
					&d->i8042, &d->debug_exit };
	for (unsigned i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (wedge_pio_register(&d->bus, all[i])) {
			mon_err("the port bus refused %s", all[i]->name);
			return -1;
		}
	}
	return mon_ata_attach(vm);
}

/* A partial line is handed out after CONSOLE_FLUSH_NS: a prompt shows up. */
static void console_timer(struct mon_vm *vm)
{
	struct mon_clock *c = &vm->clock;
	if (!vm->devs.com1.line_len)
		mon_clock_set(c, MON_DL_CONSOLE, 0);
	else if (!c->due[MON_DL_CONSOLE])
		mon_clock_set(c, MON_DL_CONSOLE, mon_now_ns() + CONSOLE_FLUSH_NS);
}

void mon_pio(struct mon_vm *vm, uint16_t port, unsigned size, bool out, uint32_t *val)
{
	if (port >= AB_HC_PORT_BASE && port - AB_HC_PORT_BASE < AB_HC_PORT_COUNT) {
		if (out && size == 4)
			mon_hcall(vm, port - AB_HC_PORT_BASE, *val);
		else if (out)
			vm->stats->hcall_bad++; /* no full GPA: nothing to answer in */
		else
			*val = 0xffffffffu;
		return;
	}
	if (out)
		wedge_pio_out(&vm->devs.bus, port, size, *val);
	else
		*val = wedge_pio_in(&vm->devs.bus, port, size);
	if (port >= COM1 && port < COM1 + 8)
		console_timer(vm);
}

void mon_devs_flush(struct mon_vm *vm)
{
	wedge_uart_flush(&vm->devs.com1);
	mon_clock_set(&vm->clock, MON_DL_CONSOLE, 0);
}
