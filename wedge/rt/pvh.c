/*
 * What the wedge receives: a PVH start info (QEMU -kernel wedge.elf, or our
 * monitor).  Module 0 is the guest: its kernel ELF, or a packed image
 * (rt/pack.c).  Module 1, when there is one, is the guest's initrd.  The
 * command line is the loader's (-append); the memory map is copied, since
 * loading the guest may overwrite where the loader left it.
 */
#include "afterburn/boot.h"
#include "wedge/guest.h"
#include "wedge/rt.h"

static void *identity(uint64_t pa, uint64_t len, const char *what)
{
	if (pa >= WEDGE_IDENTITY_END || len > WEDGE_IDENTITY_END - pa)
		wedge_panic("%s at %#lx+%#lx lies above the 1 GiB the wedge maps", what, pa, len);
	return (void *)(uintptr_t)pa;
}

static void read_modules(const struct ab_hvm_start_info *si, struct wedge_boot *b)
{
	if (si->nr_modules < 1)
		wedge_panic("no guest: give the guest kernel (or a packed image) as the first "
			    "module (qemu -kernel wedge.elf -initrd guest.elf)");
	if (si->nr_modules > 2)
		wedge_panic("%u modules: the wedge takes a kernel and an initrd", si->nr_modules);
	const struct ab_hvm_modlist_entry *m =
		identity(si->modlist_paddr, si->nr_modules * sizeof(*m), "the module list");
	b->module = identity(m[0].paddr, m[0].size, "the guest module");
	b->module_size = m[0].size;
	b->kernel = b->module;
	b->kernel_size = b->module_size;
	if (si->nr_modules == 2) {
		identity(m[1].paddr, m[1].size, "the initrd module");
		b->initrd_pa = m[1].paddr;
		b->initrd_size = m[1].size;
	}
}

static void read_memmap(const struct ab_hvm_start_info *si, struct wedge_boot *b)
{
	if (si->version < 1 || !si->memmap_paddr || !si->memmap_entries) {
		wedge_printf("wedge: the loader gave no memory map; the guest's lists only "
			     "the wedge\n");
		return;
	}
	if (si->memmap_entries > WEDGE_MEMMAP_MAX - 2)
		wedge_panic("the memory map has %u entries; the wedge takes %u", si->memmap_entries,
			    WEDGE_MEMMAP_MAX - 2);
	const struct ab_hvm_memmap_entry *m =
		identity(si->memmap_paddr, si->memmap_entries * sizeof(*m), "the memory map");
	for (uint32_t i = 0; i < si->memmap_entries; i++)
		b->memmap[i] = (struct ab_e820){ m[i].addr, m[i].size, m[i].type };
	b->memmap_entries = si->memmap_entries;
}

void wedge_pvh_read(uint32_t start_info_pa, struct wedge_boot *b)
{
	const struct ab_hvm_start_info *si = identity(start_info_pa, sizeof(*si), "hvm_start_info");
	if (si->magic != AB_PVH_MAGIC)
		wedge_panic("not started through PVH (start info magic %#x at %#x)", si->magic,
			    start_info_pa);
	*b = (struct wedge_boot){ .cmdline = "", .packed_cmdline = "", .rsdp_pa = si->rsdp_paddr };
	if (si->cmdline_paddr)
		b->cmdline = identity(si->cmdline_paddr, 1, "the command line");
	read_modules(si, b);
	read_memmap(si, b);
}
