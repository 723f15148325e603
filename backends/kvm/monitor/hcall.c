/*
 * Hypercalls (include/afterburn/abi.h): `outl %eax, $AB_HC_PORT_BASE+nr`
 * with eax the GPA of the call's block.  A block must be 8-aligned and
 * wholly in guest RAM; every address inside it is checked the same way.
 * A bad block cannot be answered (there is nowhere safe to write `ret`):
 * the call is counted as failed and the guest resumes.  Any other fault is
 * answered in `ret`.  Nothing a guest writes can stop the monitor, except
 * AB_HC_EXIT, whose job that is.
 *
 *   nr  call     full mode                  previrt, splitcore
 *   +---+--------+--------------------------+--------------------------+
 *   | 0 | HELLO  | answered, mode FULL, no  | answered, the shared     |
 *   |   |        | shared page (KVM's chips)| page attached (irq.c);   |
 *   |   |        | disk_sectors 0           | disk_sectors; splitcore: |
 *   |   |        |                          | the ring (once)          |
 *   | 1 | CONSOLE| to stdout                | to stdout                |
 *   | 2 | EXIT   | ends the run             | ends the run             |
 *   | 3 | KICK   | ignored                  | the page is re-read      |
 *   | 4 | DISK   | -AB_E_NOSYS (the disk is | the transfer, synchronous|
 *   |   |        | the ATA channel)         | (disk.c checks it)       |
 *   +---+--------+--------------------------+--------------------------+
 */
#include <time.h>

#include "mon.h"

static void *block(struct mon_vm *vm, uint32_t gpa, size_t size)
{
	return gpa & 7 ? NULL : mon_gpa(&vm->mem, gpa, size);
}

/* Splitcore's ring: 4 KiB-aligned, all of it in RAM, and only one per run. */
static struct ab_ring *ring_of(struct mon_vm *vm, uint64_t gpa)
{
	if (vm->cfg->mode != AB_MODE_SPLITCORE)
		return NULL;
	if ((gpa & 0xfff) || atomic_load(&vm->ring.ring))
		return NULL;
	return mon_gpa(&vm->mem, gpa, sizeof(struct ab_ring));
}

static int32_t hello(struct mon_vm *vm, struct ab_hc_hello *h)
{
	enum ab_mode mode = vm->cfg->mode;
	if (h->version != AB_HC_VERSION)
		return -(int32_t)AB_E_VERSION;
	void *page = (h->shared & 0xfff) ? NULL : mon_gpa(&vm->mem, h->shared, 4096);
	struct ab_ring *ring = ring_of(vm, h->ring);
	if (!page || (mode == AB_MODE_SPLITCORE && !ring))
		return -(int32_t)AB_E_INVAL;
	bool disk = mode != AB_MODE_FULL && vm->disk.fd >= 0;
	h->mode = (uint32_t)mode;
	h->flags = disk && vm->disk.read_only ? AB_HELLO_F_DISK_RO : 0;
	h->tsc_khz = vm->clock.tsc_khz;
	h->tsc_hello = mon_guest_tsc(&vm->clock);
	h->wallclock_sec = (uint64_t)time(NULL);
	h->disk_sectors = disk ? vm->disk.sectors : 0;
	if (mode != AB_MODE_FULL)
		mon_irq_attach(vm, page, h->shared);
	if (ring)
		mon_ring_attach(vm, ring, page);
	return 0;
}

static int32_t disk(struct mon_vm *vm, const struct ab_hc_disk *d)
{
	if (vm->cfg->mode == AB_MODE_FULL)
		return -(int32_t)AB_E_NOSYS;
	return mon_disk_request(vm, d->op, d->lba, d->count, d->buf);
}

static int32_t console(struct mon_vm *vm, const struct ab_hc_console *c)
{
	if (c->len > AB_HC_CONSOLE_MAX)
		return -(int32_t)AB_E_INVAL;
	if (!c->len)
		return 0;
	const void *data = mon_gpa(&vm->mem, c->data, c->len);
	if (!data)
		return -(int32_t)AB_E_INVAL;
	mon_devs_flush(vm); /* the UART's partial line came first */
	mon_console_write(&vm->console, data, c->len);
	return 0;
}

static int32_t exit_call(struct mon_vm *vm, const struct ab_hc_exit *e)
{
	if (e->status < 0 || e->status > MON_EXIT_GUEST_MAX)
		return -(int32_t)AB_E_INVAL;
	mon_end(vm, e->status, "the guest called AB_HC_EXIT");
	return 0;
}

void mon_hcall(struct mon_vm *vm, unsigned nr, uint32_t gpa)
{
	struct mon_stats *st = vm->stats;
	st->hcalls[nr]++;
	if (nr == AB_HC_KICK) {
		if (vm->irq.shared)
			vm->irq.shared->kicks++;
		return; /* the run loop re-reads the page after every exit */
	}
	static const size_t sizes[AB_HC_COUNT] = {
		[AB_HC_HELLO] = sizeof(struct ab_hc_hello),
		[AB_HC_CONSOLE] = sizeof(struct ab_hc_console),
		[AB_HC_EXIT] = sizeof(struct ab_hc_exit),
		[AB_HC_DISK] = sizeof(struct ab_hc_disk),
	};
	void *b = nr < AB_HC_COUNT ? block(vm, gpa, sizes[nr]) : NULL;
	if (!b) {
		st->hcall_bad++;
		return;
	}
	int32_t ret;
	switch (nr) {
	case AB_HC_HELLO: ret = hello(vm, b); ((struct ab_hc_hello *)b)->ret = ret; break;
	case AB_HC_CONSOLE: ret = console(vm, b); ((struct ab_hc_console *)b)->ret = ret; break;
	case AB_HC_EXIT:
		ret = exit_call(vm, b);
		if (ret)
			((struct ab_hc_exit *)b)->ret = ret;
		break;
	default: ret = disk(vm, b); ((struct ab_hc_disk *)b)->ret = ret; break;
	}
	if (ret)
		st->hcall_refused++;
}
