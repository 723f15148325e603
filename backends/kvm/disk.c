/*
 * The disk: the ATA model (wedge/dev/ata.c) runs in place, so the guest's
 * driver talks to it without exits; each transfer it asks for (up to
 * WEDGE_ATA_MAX_MULTI sectors, one READ/WRITE MULTIPLE block) is one
 * synchronous request to the monitor (AB_HC_DISK, or a ring slot under
 * splitcore: host.c), which reads or writes the host file.  The model's
 * sector buffer is in the wedge's memory, so the monitor finds it at a
 * fixed physical address.
 */
#include "kvm.h"

static int disk_call(enum ab_disk_op op, uint64_t lba, unsigned count, const void *buf)
{
	return kvm_host_disk(op, lba, count, buf) ? WEDGE_ATA_EIO : WEDGE_ATA_DONE;
}

static int disk_read(void *ctx, uint64_t lba, unsigned count, void *buf)
{
	(void)ctx;
	return disk_call(AB_DISK_READ, lba, count, buf);
}

static int disk_write(void *ctx, uint64_t lba, unsigned count, const void *buf)
{
	(void)ctx;
	return disk_call(AB_DISK_WRITE, lba, count, buf);
}

static int disk_flush(void *ctx)
{
	(void)ctx;
	return disk_call(AB_DISK_FLUSH, 0, 0, 0);
}

void kvm_disk_init(uint64_t sectors, bool read_only)
{
	if (!sectors)
		return;
	const struct wedge_ata_host host = {
		.sectors = sectors,
		.read_only = read_only,
		.model = "afterburn previrt disk",
		.read = disk_read,
		.write = disk_write,
		.flush = disk_flush,
	};
	if (wedge_devices_add_disk(&kvm.devs, &host))
		wedge_panic("kvm: the disk does not fit on the port bus");
	wedge_printf("wedge: kvm: disk of %lu sectors%s on the primary ATA channel\n", sectors,
		     read_only ? " (read-only)" : "");
}
