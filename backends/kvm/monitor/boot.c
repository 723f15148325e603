/*
 * What both boot paths share: the memory map, the command line, and
 * placing a blob (initrd, PVH module) high in RAM clear of what is
 * already there.
 *
 *   e820 / PVH memmap, for -m RAM:
 *   +-------------------------+----------+--------------------------------+
 *   | 0 .. 0x9fc00            | RAM      | low memory (boot data < 64 KiB)|
 *   | 0x9fc00 .. 0x100000     | reserved | EBDA, VGA, option ROMs, BIOS   |
 *   | 0x100000 .. low end     | RAM      | kernel, wedge, modules, initrd |
 *   | 4 GiB .. 4 GiB + rest   | RAM      | when -m is above 3 GiB         |
 *   +-------------------------+----------+--------------------------------+
 */
#include <string.h>

#include "mon.h"

#define EBDA_START 0x9fc00ull

unsigned mon_e820_map(const struct mon_mem *m, struct ab_e820 *out)
{
	unsigned n = 0;
	out[n++] = (struct ab_e820){ 0, EBDA_START, AB_E820_RAM };
	out[n++] = (struct ab_e820){ EBDA_START, MON_MIB - EBDA_START, AB_E820_RESERVED };
	out[n++] = (struct ab_e820){ MON_MIB, m->low - MON_MIB, AB_E820_RAM };
	if (m->size > m->low)
		out[n++] = (struct ab_e820){ MON_HIGH_RAM_BASE, m->size - m->low, AB_E820_RAM };
	return n;
}

int mon_cmdline_write(const struct mon_vm *vm)
{
	const char *s = vm->cfg->append ? vm->cfg->append : "";
	size_t n = strlen(s);
	if (n > MON_CMDLINE_MAX) {
		mon_err("--append: %zu bytes, at most %u", n, MON_CMDLINE_MAX);
		return -1;
	}
	memcpy(mon_gpa(&vm->mem, MON_CMDLINE_GPA, n + 1), s, n + 1);
	return 0;
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/*
 * The highest 4 KiB-aligned address below top where len bytes fit in RAM
 * above 1 MiB without touching any of the avoid ranges; 0 if none.
 */
uint64_t mon_place_high(const struct mon_mem *m, uint64_t len, uint64_t top,
			const struct mon_range *avoid, unsigned navoid)
{
	if (top > m->low)
		top = m->low;
	while (len && top >= MON_MIB && top - MON_MIB >= len) {
		uint64_t at = (top - len) & ~0xfffull;
		unsigned i;
		for (i = 0; i < navoid; i++)
			if (overlaps(at, len, avoid[i].addr, avoid[i].len))
				break;
		if (i == navoid)
			return at >= MON_MIB ? at : 0;
		top = avoid[i].addr; /* try again below what was in the way */
	}
	return 0;
}
