/*
 * Keeping the wedge mapped in the guest's page tables.  Every guest load
 * of %cr3 is a site; a backend that calls into the wedge hooks it (cr3.c)
 * and, before the new tables go live, this links the wedge's own page
 * table into them at both of its addresses (wedge/rt.h):
 *
 *   level   index for HOME  for LOW   when the guest's entry is absent
 *   PML4    511             0         link spare_pdpt_high / spare_pdpt_low
 *   PDPT    511             1         link wedge_pd_high / wedge_pd_low
 *   PD      511             511       link wedge_pt (the wedge itself)
 *
 * A present entry on the way is followed; one that maps a large page, or a
 * PD slot already holding something else, means the guest uses the
 * wedge's addresses: a panic, never a silent remap.  The guest's tables
 * are reached through the window, the last page of the wedge's 2 MiB,
 * since no guest mapping of them can be assumed.
 */
#include "wedge/rt.h"

#define PTE_P 0x1ull
#define PTE_W 0x2ull
#define PTE_PS 0x80ull
#define PTE_ADDR 0x000ffffffffff000ull

extern uint64_t wedge_pt[512], wedge_pd_low[512], wedge_pd_high[512];
extern uint64_t spare_pdpt_low[512], spare_pdpt_high[512];

static uint64_t phys(const void *p)
{
	return (uint64_t)(uintptr_t)p - WEDGE_HOME + WEDGE_PHYS;
}

static volatile uint64_t *window(uint64_t pa)
{
	wedge_pt[511] = (pa & PTE_ADDR) | PTE_P | PTE_W;
	__asm__ volatile("invlpg (%0)" : : "r"(WEDGE_WINDOW) : "memory");
	return (volatile uint64_t *)WEDGE_WINDOW;
}

static unsigned index_at(uint64_t va, unsigned level)
{
	return (unsigned)(va >> (12 + 9 * level)) & 511;
}

/* Link `ours` into the table at pa, slot idx; returns the next table, or 0 when linked. */
static uint64_t follow_or_link(uint64_t pa, unsigned idx, uint64_t ours, uint64_t va,
			       unsigned level)
{
	volatile uint64_t *t = window(pa);
	uint64_t e = t[idx];
	if (!(e & PTE_P)) {
		t[idx] = ours | PTE_P | PTE_W;
		return 0;
	}
	if (e & PTE_PS)
		wedge_panic("the guest maps %#lx with a large page at level %u: the wedge needs "
			    "that range", va, level + 1);
	return e & PTE_ADDR;
}

static void map_at(uint64_t cr3, uint64_t va, uint64_t *spare_pdpt, uint64_t *pd)
{
	uint64_t pdpt = follow_or_link(cr3 & PTE_ADDR, index_at(va, 3), phys(spare_pdpt), va, 3);
	if (!pdpt)
		return;
	uint64_t pdt = follow_or_link(pdpt, index_at(va, 2), phys(pd), va, 2);
	if (!pdt)
		return;
	volatile uint64_t *t = window(pdt);
	uint64_t e = t[index_at(va, 1)];
	if ((e & PTE_P) && (e & (PTE_ADDR | PTE_PS)) != phys(wedge_pt))
		wedge_panic("the guest maps %#lx (entry %#lx): the wedge needs that range", va, e);
	t[index_at(va, 1)] = phys(wedge_pt) | PTE_P | PTE_W;
}

void wedge_map_into(uint64_t cr3)
{
	map_at(cr3, WEDGE_HOME, spare_pdpt_high, wedge_pd_high);
	map_at(cr3, WEDGE_LOW, spare_pdpt_low, wedge_pd_low);
}
