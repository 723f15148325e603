/*
 * Keeping the wedge mapped in the guest's page tables.  Every guest load
 * of %cr3 is a site; a backend that calls into the wedge hooks it (cr3.c)
 * and, before the new tables go live, this links the wedge's own page
 * table into them (wedge/rt.h has the address space):
 *
 *   level   index for HOME  for LOW   when the guest's entry is absent
 *   PML4    511             0         link spare_pdpt_high / spare_pdpt_low
 *   PDPT    511             1         link wedge_pd_high / wedge_pd_low
 *   PD      511             511       link wedge_pt (the wedge itself)
 *
 * A present entry on the way is followed; one that maps a large page, or a
 * PD slot already holding something else, means the guest uses the
 * wedge's addresses: a panic, never a silent remap.
 *
 * Where.  HOME always: for Linux it is the documented hole at the top of
 * the address space, level2_fixmap_pgt[511], in the kernel half every
 * process shares.  LOW only when the load is made by code running at the
 * kernel's physical alias (the hook's return address is in the low alias),
 * because only such code, until it jumps to its link address, has calls
 * that land at LOW.  Linux's startup_64 is the one case: it loads
 * early_top_pgt from there, and LOW goes into that table's identity map
 * (PML4[0] -> its PUD[1]), which Linux clears right after.  LOW is in the
 * user half: linked into a process's tables, the wedge's spare PDPT or PD
 * would be taken by Linux's mm as its own, filled with user mappings and
 * freed with the process.  wedge.low_alias=always links it everywhere, for
 * a guest that knows it runs sites at its alias under tables it loaded
 * from its link address (the test guest's far-pointer checks).
 *
 * The guest's tables are reached through windows, the last three pages of
 * the wedge's 2 MiB, one per level, each remapped (one invlpg) only when it
 * must show another table.  On Linux's context switches the PDPT and PD on
 * HOME's path are always the kernel's level3_kernel_pgt and
 * level2_fixmap_pgt, so a switch costs one remap and three reads.  The
 * window entries are global: a guest with PCIDs would otherwise keep a
 * stale one under another PCID, which an invlpg does not reach.
 */
#include "wedge/rt.h"

#define PTE_P 0x1ull
#define PTE_W 0x2ull
#define PTE_PS 0x80ull
#define PTE_G 0x100ull
#define PTE_ADDR 0x000ffffffffff000ull

extern uint64_t wedge_pt[512], wedge_pd_low[512], wedge_pd_high[512];
extern uint64_t spare_pdpt_low[512], spare_pdpt_high[512];

static bool low_always;

void wedge_paging_configure(const char *low_alias)
{
	if (!low_alias || !wedge_strcmp(low_alias, "auto"))
		low_always = false;
	else if (!wedge_strcmp(low_alias, "always"))
		low_always = true;
	else
		wedge_panic("wedge.low_alias=%s: want auto or always", low_alias);
}

static uint64_t phys(const void *p)
{
	return (uint64_t)(uintptr_t)p - WEDGE_HOME + WEDGE_PHYS;
}

/* The table at pa, seen through the window of its level (3 PML4 .. 1 PD). */
static volatile uint64_t *window(unsigned level, uint64_t pa)
{
	unsigned slot = 512 - WEDGE_WINDOWS + (3 - level);
	uint64_t pte = (pa & PTE_ADDR) | PTE_P | PTE_W | PTE_G;
	uint64_t va = WEDGE_HOME + (uint64_t)slot * 0x1000;
	if (wedge_pt[slot] != pte) {
		wedge_pt[slot] = pte;
		__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
	}
	return (volatile uint64_t *)va;
}

static unsigned index_at(uint64_t va, unsigned level)
{
	return (unsigned)(va >> (12 + 9 * level)) & 511;
}

/* A new link is rare (Linux: twice in a boot), and says where the wedge now is. */
static void linked(uint64_t cr3, uint64_t va, unsigned level, uint64_t table)
{
	wedge_printf("wedge: mapped at %#lx (%s) in the tables at %#lx: level-%u table %#lx\n",
		     va, va == WEDGE_HOME ? "home" : "low alias", (uint64_t)(cr3 & PTE_ADDR), level + 1, table);
}

/* Link `ours` into the table at pa, slot idx; returns the next table, or 0 when linked. */
static uint64_t follow_or_link(uint64_t cr3, unsigned level, uint64_t pa, uint64_t ours,
			       uint64_t va)
{
	volatile uint64_t *t = window(level, pa);
	unsigned idx = index_at(va, level);
	uint64_t e = t[idx];
	if (!(e & PTE_P)) {
		t[idx] = ours | PTE_P | PTE_W;
		linked(cr3, va, level, pa);
		return 0;
	}
	if (e & PTE_PS)
		wedge_panic("the guest maps %#lx with a large page at level %u: the wedge needs "
			    "that range", va, level + 1);
	return e & PTE_ADDR;
}

static void map_at(uint64_t cr3, uint64_t va, uint64_t *spare_pdpt, uint64_t *pd)
{
	uint64_t pdpt = follow_or_link(cr3, 3, cr3 & PTE_ADDR, phys(spare_pdpt), va);
	if (!pdpt)
		return;
	uint64_t pdt = follow_or_link(cr3, 2, pdpt, phys(pd), va);
	if (!pdt)
		return;
	volatile uint64_t *t = window(1, pdt);
	uint64_t e = t[index_at(va, 1)];
	if ((e & (PTE_ADDR | PTE_PS | PTE_P)) == (phys(wedge_pt) | PTE_P))
		return; /* already there: every load but the first of each table */
	if (e & PTE_P)
		wedge_panic("the guest maps %#lx (entry %#lx): the wedge needs that range", va, e);
	t[index_at(va, 1)] = phys(wedge_pt) | PTE_P | PTE_W;
	linked(cr3, va, 1, pdt);
}

static bool caller_at_alias(void)
{
	const struct wedge_regs *r = wedge_hook_regs();
	return r && wedge_at_low(r->thunk_ret);
}

void wedge_map_into(uint64_t cr3)
{
	map_at(cr3, WEDGE_HOME, spare_pdpt_high, wedge_pd_high);
	if (low_always || caller_at_alias())
		map_at(cr3, WEDGE_LOW, spare_pdpt_low, wedge_pd_low);
}
