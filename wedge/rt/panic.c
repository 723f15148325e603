/*
 * Stopping: the wedge cannot hand a guest it does not trust to a backend,
 * so every refusal ends the machine with a message naming what was wrong.
 * On bare, through isa-debug-exit when present (QEMU status
 * (WEDGE_PANIC_CODE << 1) | 1 = 5, apart from the guest's 1 and 3);
 * otherwise the CPU halts with interrupts off.
 */
#include "afterburn/kind.h"
#include "wedge/guest.h"
#include "wedge/rt.h"
#include "wedge/sites.h"

#define WEDGE_PANIC_CODE 2

static size_t bad_sites;

void wedge_panic(const char *fmt, ...)
{
	va_list ap;
	wedge_printf("wedge: PANIC: ");
	va_start(ap, fmt);
	wedge_vprintf(fmt, ap);
	va_end(ap);
	wedge_printf("\n");
	uint16_t port = wedge_exit_port();
	__asm__ volatile("outl %0, %1" : : "a"((uint32_t)WEDGE_PANIC_CODE), "Nd"(port));
	for (;;)
		__asm__ volatile("cli; hlt");
}

void wedge_bad_site(const struct wedge_site *s, enum wedge_site_error why)
{
	const char *kind = ab_kind_name(s->kind);
	wedge_printf("wedge: bad site at %#lx kind %s len %u (record at %#lx): %s\n", s->addr,
		     kind ? kind : "?", s->len, s->record, wedge_site_error_name(why));
	bad_sites++;
}

size_t wedge_bad_site_count(void)
{
	return bad_sites;
}
