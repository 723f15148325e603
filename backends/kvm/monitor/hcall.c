/*
 * Hypercalls (include/afterburn/abi.h): `outl %eax, $AB_HC_PORT_BASE+nr`
 * with eax the GPA of the call's block.  A block must be 8-aligned and
 * wholly in guest RAM; every address inside it is checked the same way.
 * A bad block cannot be answered (there is nowhere safe to write `ret`):
 * the call is counted as failed and the guest resumes.  Any other fault is
 * answered in `ret`.  Nothing a guest writes can stop the monitor, except
 * AB_HC_EXIT, whose job that is.
 *
 *   nr  call     full mode                  previrt mode
 *   +---+--------+--------------------------+--------------------------+
 *   | 0 | HELLO  | answered, mode FULL, no  | answered, the shared     |
 *   |   |        | shared page (KVM's chips)| page attached (irq.c)    |
 *   | 1 | CONSOLE| to stdout                | to stdout                |
 *   | 2 | EXIT   | ends the run             | ends the run             |
 *   | 3 | KICK   | ignored                  | the page is re-read      |
 *   | 4 | DISK   | -AB_E_NOSYS (no disk yet)| -AB_E_NOSYS              |
 *   +---+--------+--------------------------+--------------------------+
 */
#include <time.h>

#include "mon.h"

static void *block(struct mon_vm *vm, uint32_t gpa, size_t size)
{
	return gpa & 7 ? NULL : mon_gpa(&vm->mem, gpa, size);
}

static int32_t hello(struct mon_vm *vm, struct ab_hc_hello *h)
{
	if (h->version != AB_HC_VERSION)
		return -(int32_t)AB_E_VERSION;
	void *page = (h->shared & 0xfff) ? NULL : mon_gpa(&vm->mem, h->shared, 4096);
	if (!page)
		return -(int32_t)AB_E_INVAL;
	h->mode = (uint32_t)vm->cfg->mode;
	h->flags = 0;
	h->tsc_khz = vm->clock.tsc_khz;
	h->tsc_hello = mon_guest_tsc(&vm->clock);
	h->wallclock_sec = (uint64_t)time(NULL);
	h->disk_sectors = 0;
	if (vm->cfg->mode != AB_MODE_FULL)
		mon_irq_attach(vm, page, h->shared);
	return 0;
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
	default: ret = -(int32_t)AB_E_NOSYS; ((struct ab_hc_disk *)b)->ret = ret; break;
	}
	if (ret)
		st->hcall_refused++;
}
