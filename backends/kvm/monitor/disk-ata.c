/*
 * --mode full with --disk: the legacy primary ATA channel, emulated here
 * as a full-virtualization VMM does, with the wedge's own model
 * (wedge/dev/ata.c, as Linux's pata_legacy drives it) on the monitor's
 * port bus.  Every access to its ports is an exit; `rep insw`/`rep outsw`
 * come a page at a time (run.c walks kvm_run's io.count).
 *
 *   ports            IRQ                         backing
 *   +----------------+---------------------------+-----------------------+
 *   | 0x1f0-0x1f7,   | 14, KVM_IRQ_LINE into the | disk.c: pread/pwrite, |
 *   | 0x3f6          | in-kernel PIC and IOAPIC  | fsync for FLUSH CACHE |
 *   +----------------+---------------------------+-----------------------+
 *
 * Transfers finish inside the callback (WEDGE_ATA_DONE): the vCPU waits
 * in the exit anyway, and the model then shows the data at once, as a
 * disk with its data in cache would.  The model checks every LBA against
 * the capacity before it calls back, so what arrives here is in range.
 */
#include "mon.h"

#define ATA_CMD 0x1f0
#define ATA_CTL 0x3f6
#define ATA_IRQ 14

static int result(int32_t r)
{
	return r ? WEDGE_ATA_EIO : WEDGE_ATA_DONE;
}

static int ata_read(void *ctx, uint64_t lba, unsigned count, void *buf)
{
	return result(mon_disk_read(ctx, lba, count, buf));
}

static int ata_write(void *ctx, uint64_t lba, unsigned count, const void *buf)
{
	return result(mon_disk_write(ctx, lba, count, buf));
}

static int ata_flush(void *ctx)
{
	return result(mon_disk_flush(ctx));
}

int mon_ata_attach(struct mon_vm *vm)
{
	struct mon_devs *d = &vm->devs;
	if (vm->cfg->mode != AB_MODE_FULL || vm->disk.fd < 0)
		return 0;
	const struct wedge_ata_host host = {
		.ctx = &vm->disk,
		.sectors = vm->disk.sectors,
		.read_only = vm->disk.read_only,
		.model = "afterburn previrt disk",
		.read = ata_read,
		.write = vm->disk.read_only ? NULL : ata_write,
		.flush = ata_flush,
	};
	wedge_ata_init(&d->ata, ATA_CMD, ATA_CTL, &host);
	wedge_ata_connect_irq(&d->ata, mon_irq_line, vm, ATA_IRQ);
	if (wedge_ata_attach(&d->ata, &d->bus)) {
		mon_err("the port bus refused the ATA disk");
		return -1;
	}
	d->has_ata = true;
	return 0;
}
