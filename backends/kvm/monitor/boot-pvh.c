/*
 * --mode previrt: the wedge is the kernel the vCPU starts, through PVH
 * (Xen's arch-x86/hvm/start_info.h, version 1), exactly as QEMU -kernel
 * wedge.elf -initrd KERNEL starts it on bare hardware.  The guest kernel
 * is module 0, unchanged; the wedge loads and patches it (wedge/rt/pvh.c
 * reads what is built here).
 *
 *   at MON_INFO_GPA     what
 *   +-----------------+------------------------------------------------+
 *   | +0x000          | struct ab_hvm_start_info (56 bytes)               |
 *   | +0x040          | module list: 0 = the kernel file, 1 = initrd   |
 *   | +0x100          | memory map (boot.c), 24-byte entries           |
 *   +-----------------+------------------------------------------------+
 *
 * Modules go high in RAM below 1 GiB (the wedge maps no more), clear of
 * the wedge's 2 MiB at 0x800000 and of the kernel's p_paddr range, where
 * the wedge will copy the kernel's segments.
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "mon.h"

#define MODLIST_OFF 0x40
#define MEMMAP_OFF 0x100
#define MAX_MODULES 2

struct pvh_blobs {
	struct mon_range avoid[MAX_MODULES + 3];
	unsigned navoid;
	struct ab_hvm_modlist_entry mod[MAX_MODULES];
	unsigned nmod;
};

static int wedge_entry(struct mon_vm *vm, struct pvh_blobs *b, const uint8_t *data, size_t size,
		       uint32_t *entry)
{
	const char *path = vm->cfg->wedge ? vm->cfg->wedge : "the built-in wedge";
	struct mon_elf w;
	uint64_t e;
	if (!size) {
		mon_err("no wedge is built into this previrt: give --wedge FILE");
		return -1;
	}
	if (mon_elf_parse(path, data, size, &w) || mon_elf_load(&w, &vm->mem))
		return -1;
	int r = mon_elf_note_value(&w, "Xen", AB_XEN_ELFNOTE_PHYS32_ENTRY, &e);
	if (r)
		mon_err("%s: no PVH entry (Xen note %d, XEN_ELFNOTE_PHYS32_ENTRY)%s", path,
			AB_XEN_ELFNOTE_PHYS32_ENTRY, r < 0 ? " that can be read" : "");
	else if (e >= 4 * MON_GIB || !mon_gpa(&vm->mem, e, 1) || e < w.lo || e >= w.hi)
		mon_err("%s: the PVH entry %#llx is not inside the wedge", path,
			(unsigned long long)e);
	else {
		*entry = (uint32_t)e;
		b->avoid[b->navoid++] = (struct mon_range){ w.lo, w.hi - w.lo };
		return 0;
	}
	return -1;
}

static int load_wedge(struct mon_vm *vm, struct pvh_blobs *b, uint32_t *entry)
{
	if (!vm->cfg->wedge)
		return wedge_entry(vm, b, mon_wedge_blob,
				   (size_t)(mon_wedge_blob_end - mon_wedge_blob), entry);
	uint8_t *data;
	size_t size;
	if (mon_read_file(vm->cfg->wedge, &data, &size))
		return -1;
	int r = wedge_entry(vm, b, data, size, entry);
	free(data);
	return r;
}

static int add_module(struct mon_vm *vm, struct pvh_blobs *b, const char *path,
		      const uint8_t *data, size_t size)
{
	uint64_t at = mon_place_high(&vm->mem, size, MON_MODULE_LIMIT, b->avoid, b->navoid);
	if (!at) {
		mon_err("%s: %zu bytes do not fit in guest RAM below 1 GiB beside the wedge and "
			"the kernel (more -m?)", path, size);
		return -1;
	}
	memcpy(mon_gpa(&vm->mem, at, size), data, size);
	b->avoid[b->navoid++] = (struct mon_range){ at, size };
	b->mod[b->nmod++] = (struct ab_hvm_modlist_entry){ .paddr = at, .size = size };
	return 0;
}

static bool hits(const struct pvh_blobs *b, uint64_t lo, uint64_t hi)
{
	for (unsigned i = 0; i < b->navoid; i++)
		if (lo < b->avoid[i].addr + b->avoid[i].len && b->avoid[i].addr < hi)
			return true;
	return false;
}

/* The kernel is checked here so that a bad file fails with our message, not the wedge's. */
static int kernel_module(struct mon_vm *vm, struct pvh_blobs *b)
{
	uint8_t *data;
	size_t size;
	struct mon_elf k;
	if (mon_read_file(vm->cfg->kernel, &data, &size))
		return -1;
	int r = mon_elf_parse(vm->cfg->kernel, data, size, &k);
	if (!r && (k.hi > MON_MODULE_LIMIT || k.lo < MON_LOAD_MIN || hits(b, k.lo, k.hi) ||
		   !mon_gpa(&vm->mem, k.lo, k.hi - k.lo))) {
		const struct mon_range *w = &b->avoid[b->navoid - 1]; /* the wedge's loads */
		mon_err("%s: its PT_LOADs (physical %#llx-%#llx) must lie in guest RAM between "
			"1 MiB and 1 GiB, clear of the wedge (%#llx-%#llx, and %#llx-%#llx reserved)",
			vm->cfg->kernel, (unsigned long long)k.lo, (unsigned long long)k.hi,
			(unsigned long long)w->addr, (unsigned long long)(w->addr + w->len),
			MON_WEDGE_PHYS, MON_WEDGE_PHYS + MON_WEDGE_SIZE);
		r = -1;
	}
	if (!r) {
		b->avoid[b->navoid++] = (struct mon_range){ k.lo, k.hi - k.lo };
		r = add_module(vm, b, vm->cfg->kernel, data, size);
	}
	free(data);
	return r;
}

static int initrd_module(struct mon_vm *vm, struct pvh_blobs *b)
{
	uint8_t *data;
	size_t size;
	if (!vm->cfg->initrd)
		return 0;
	if (mon_read_file(vm->cfg->initrd, &data, &size))
		return -1;
	int r = size ? add_module(vm, b, vm->cfg->initrd, data, size) : 0;
	free(data);
	return r;
}

static void start_info(struct mon_vm *vm, const struct pvh_blobs *b)
{
	struct ab_e820 map[MON_E820_MAX];
	unsigned n = mon_e820_map(&vm->mem, map);
	struct ab_hvm_memmap_entry *mm = mon_gpa(&vm->mem, MON_INFO_GPA + MEMMAP_OFF, n * sizeof(*mm));
	for (unsigned i = 0; i < n; i++)
		mm[i] = (struct ab_hvm_memmap_entry){ map[i].addr, map[i].size, map[i].type, 0 };
	memcpy(mon_gpa(&vm->mem, MON_INFO_GPA + MODLIST_OFF, sizeof(b->mod)), b->mod,
	       sizeof(b->mod));
	struct ab_hvm_start_info si = {
		.magic = AB_PVH_MAGIC, .version = 1, .nr_modules = b->nmod,
		.modlist_paddr = MON_INFO_GPA + MODLIST_OFF, .cmdline_paddr = MON_CMDLINE_GPA,
		.memmap_paddr = MON_INFO_GPA + MEMMAP_OFF, .memmap_entries = n,
	};
	memcpy(mon_gpa(&vm->mem, MON_INFO_GPA, sizeof(si)), &si, sizeof(si));
}

int mon_boot_pvh(struct mon_vm *vm)
{
	uint32_t entry;
	struct pvh_blobs b = { .navoid = 1 };
	b.avoid[0] = (struct mon_range){ MON_WEDGE_PHYS, MON_WEDGE_SIZE };
	memset(mon_gpa(&vm->mem, MON_INFO_GPA, 4096), 0, 4096);
	if (load_wedge(vm, &b, &entry) || kernel_module(vm, &b) || initrd_module(vm, &b) ||
	    mon_cmdline_write(vm))
		return -1;
	start_info(vm, &b);
	mon_gdt_write(&vm->mem);
	vm->entry = (struct mon_entry){ .long_mode = false, .rip = entry, .arg = MON_INFO_GPA };
	return 0;
}
