/*
 * What the guest needs from the host, by mode: under previrt each is a
 * hypercall (one exit); under splitcore a request in the ring that a
 * monitor thread on another core polls (no exit; ring.c).
 *
 *   need       previrt                      splitcore
 *   +----------+----------------------------+--------------------------------+
 *   | console  | AB_HC_CONSOLE per line     | AB_RING_CONSOLE per line        |
 *   | disk     | AB_HC_DISK, synchronous    | AB_RING_DISK_*, spin until DONE |
 *   | stop     | the port write itself      | AB_RING_EXIT with the status    |
 *   | kick     | AB_HC_KICK                 | none: the poller watches the    |
 *   |          |                            | shared page (abi.h)             |
 *   +----------+----------------------------+--------------------------------+
 */
#include "kvm.h"

#define I8042_STATUS 0x64

static void hc_console(const char *buf, size_t len)
{
	static struct ab_hc_console call __attribute__((aligned(8)));
	while (len) {
		uint32_t n = len > AB_HC_CONSOLE_MAX ? AB_HC_CONSOLE_MAX : (uint32_t)len;
		call = (struct ab_hc_console){ .data = kvm_phys(buf), .len = n };
		kvm_hypercall(AB_HC_CONSOLE, &call);
		buf += n;
		len -= n;
	}
}

/*
 * Under splitcore the wedge's lines from its probe to HELLO (the banner,
 * the sites it found on the user's stack) wait here for the ring, so that
 * the console path has no exit at all; a line that does not fit still
 * goes out by hypercall.
 */
static char early[2048];
static size_t early_len;

void kvm_console_line(const char *buf, size_t len)
{
	if (kvm.mode == AB_MODE_SPLITCORE) {
		kvm_ring_console(buf, len);
	} else if (kvm.ring_expected && len <= sizeof(early) - early_len) {
		for (size_t i = 0; i < len; i++)
			early[early_len++] = buf[i];
	} else {
		hc_console(buf, len);
	}
}

void kvm_console_ring_started(void)
{
	kvm.ring_expected = false;
	if (early_len)
		kvm_ring_console(early, early_len);
	early_len = 0;
}

static int hc_disk(uint32_t op, uint64_t lba, unsigned count, const void *buf)
{
	static struct ab_hc_disk call __attribute__((aligned(8)));
	call = (struct ab_hc_disk){ .op = op, .count = count, .lba = lba,
				    .buf = buf ? kvm_phys(buf) : 0 };
	kvm_hypercall(AB_HC_DISK, &call);
	return call.ret;
}

int kvm_host_disk(enum ab_disk_op op, uint64_t lba, unsigned count, const void *buf)
{
	kvm.disk_calls++;
	if (kvm.mode != AB_MODE_SPLITCORE)
		return hc_disk(op, lba, count, buf);
	static const uint32_t ring_op[] = {
		[AB_DISK_READ] = AB_RING_DISK_READ,
		[AB_DISK_WRITE] = AB_RING_DISK_WRITE,
		[AB_DISK_FLUSH] = AB_RING_DISK_FLUSH,
	};
	return kvm_ring_disk(ring_op[op], lba, count, buf);
}

void kvm_host_stop(uint16_t port, unsigned size, uint32_t v)
{
	if (kvm.mode != AB_MODE_SPLITCORE) {
		kvm_real_out(port, size, v);
		return;
	}
	/* What the monitor makes of these writes under previrt (docs/monitor.md). */
	if (port == I8042_STATUS && (v & 0xff) != 0xfe)
		return;
	uint64_t status = port == I8042_STATUS ? 0 : (uint64_t)v << 1 | 1;
	kvm_ring_exit(status > AB_EXIT_STATUS_MAX ? AB_EXIT_STATUS_MAX : (int32_t)status);
}

void kvm_kick(void)
{
	if (kvm.mode != AB_MODE_SPLITCORE)
		kvm_hypercall(AB_HC_KICK, 0);
}
