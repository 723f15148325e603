/*
 * What the wedge hands on: a Linux boot_params ("zero page"), the 64-bit
 * boot protocol's one argument, written by common/ab_boot.c (the layout is
 * in include/afterburn/boot.h; the monitor writes the same for --mode
 * full).  Here: what goes in it.
 *
 * Linux keeps the initrd only where the e820 map says RAM (it reserves
 * it there before allocating); the wedge's own 2 MiB must be reserved.
 */
#include "afterburn/boot.h"
#include "wedge/guest.h"
#include "wedge/rt.h"

static uint8_t boot_params[AB_ZERO_PAGE_SIZE] __attribute__((aligned(4096)));
static char cmdline_copy[2048];
static struct ab_e820 e820[AB_ZERO_PAGE_E820_MAX];

static uint64_t phys(const void *wedge_ptr)
{
	return (uint64_t)(uintptr_t)wedge_ptr - WEDGE_HOME + WEDGE_PHYS;
}

static unsigned add_e820(unsigned n, uint64_t addr, uint64_t size, uint32_t type)
{
	if (!size)
		return n;
	if (n == AB_ZERO_PAGE_E820_MAX)
		wedge_panic("more than %u e820 entries", AB_ZERO_PAGE_E820_MAX);
	e820[n] = (struct ab_e820){ addr, size, type };
	return n + 1;
}

/*
 * The platform's map with the wedge's 2 MiB cut out of the RAM around it
 * and listed as reserved, so the guest never allocates the wedge's pages.
 */
static unsigned fill_e820(const struct wedge_boot *b)
{
	const uint64_t w0 = WEDGE_PHYS, w1 = WEDGE_PHYS + WEDGE_SIZE;
	unsigned n = 0;
	for (uint32_t i = 0; i < b->memmap_entries; i++) {
		const struct ab_e820 *m = &b->memmap[i];
		uint64_t end = m->addr + m->size;
		if (m->type != AB_E820_RAM || end <= w0 || m->addr >= w1) {
			n = add_e820(n, m->addr, m->size, m->type);
			continue;
		}
		if (m->addr < w0)
			n = add_e820(n, m->addr, w0 - m->addr, AB_E820_RAM);
		if (end > w1)
			n = add_e820(n, w1, end - w1, AB_E820_RAM);
	}
	return add_e820(n, w0, WEDGE_SIZE, AB_E820_RESERVED);
}

/* The initrd must be RAM the guest is told about, page-aligned, and not the wedge's. */
static void check_initrd(const struct wedge_boot *b)
{
	uint64_t s = b->initrd_pa, e = b->initrd_pa + b->initrd_size;
	if (s & 0xfff)
		wedge_panic("the initrd at %#lx is not page-aligned", s);
	if (s < WEDGE_PHYS + WEDGE_SIZE && WEDGE_PHYS < e)
		wedge_panic("the initrd at %#lx+%#lx overlaps the wedge", s, b->initrd_size);
	for (uint32_t i = 0; i < b->memmap_entries; i++) {
		const struct ab_e820 *m = &b->memmap[i];
		if (m->type == AB_E820_RAM && s >= m->addr && e <= m->addr + m->size)
			return;
	}
	wedge_panic("the initrd at %#lx+%#lx is not in RAM of the memory map", s,
		    b->initrd_size);
}

uint64_t wedge_boot_params(const struct wedge_boot *b, const char *guest_cmdline)
{
	size_t len = wedge_strlen(guest_cmdline);
	if (len >= sizeof(cmdline_copy))
		wedge_panic("the guest's command line is longer than %lu bytes",
			    (uint64_t)sizeof(cmdline_copy) - 1);
	wedge_memcpy(cmdline_copy, guest_cmdline, len + 1);
	if (b->initrd_size) {
		check_initrd(b);
		wedge_printf("wedge: initrd at %#lx, %lu bytes\n", b->initrd_pa, b->initrd_size);
	}
	const struct ab_zero_page z = {
		.cmdline_pa = phys(cmdline_copy),
		.cmdline_max = (uint32_t)sizeof(cmdline_copy) - 1,
		.initrd_pa = b->initrd_pa,
		.initrd_size = b->initrd_size,
		.rsdp_pa = b->rsdp_pa,
		.e820 = e820,
		.e820_entries = fill_e820(b),
	};
	ab_zero_page_write(boot_params, &z);
	return phys(boot_params);
}
