/*
 * --mode full: Linux's 64-bit boot protocol, as firecracker boots a
 * vmlinux.  Every PT_LOAD at its p_paddr, identity page tables plus the
 * kernel map, a boot_params, an MP table, and e_entry in long mode with
 * %rsi pointing at it.
 *
 * The boot_params is common/ab_boot.c's (the layout is in
 * include/afterburn/boot.h), the one the wedge writes too.
 */
#include <stdlib.h>
#include <string.h>

#include "mon.h"

#define INITRD_ADDR_MAX 0x7fffffffull

#define PTE_P 0x1ull
#define PTE_W 0x2ull
#define PTE_PS 0x80ull
#define PD_COUNT 4 /* 4 GiB of 2 MiB pages */

/* Identity 0..4 GiB, and 0xffffffff80000000 -> 0..2 GiB (PML4[511], PDPT[510..511]). */
static void page_tables(const struct mon_mem *m)
{
	uint64_t *pml4 = mon_gpa(m, MON_PML4_GPA, 4096);
	uint64_t *id = mon_gpa(m, MON_PDPT_ID_GPA, 4096);
	uint64_t *high = mon_gpa(m, MON_PDPT_HIGH_GPA, 4096);
	uint64_t *pd = mon_gpa(m, MON_PD_GPA, PD_COUNT * 4096);
	memset(pml4, 0, 4096);
	memset(id, 0, 4096);
	memset(high, 0, 4096);
	for (uint64_t i = 0; i < PD_COUNT * 512; i++)
		pd[i] = i << 21 | PTE_P | PTE_W | PTE_PS;
	for (uint64_t i = 0; i < PD_COUNT; i++)
		id[i] = (MON_PD_GPA + i * 4096) | PTE_P | PTE_W;
	high[510] = MON_PD_GPA | PTE_P | PTE_W;
	high[511] = (MON_PD_GPA + 4096) | PTE_P | PTE_W;
	pml4[0] = MON_PDPT_ID_GPA | PTE_P | PTE_W;
	pml4[511] = MON_PDPT_HIGH_GPA | PTE_P | PTE_W;
}

/* The initrd at the top of RAM below initrd_addr_max, clear of the kernel. */
static int initrd(struct mon_vm *vm, const struct mon_elf *k, struct ab_zero_page *z)
{
	uint8_t *data;
	size_t size;
	if (!vm->cfg->initrd)
		return 0;
	if (mon_read_file(vm->cfg->initrd, &data, &size))
		return -1;
	struct mon_range avoid = { k->lo, k->hi - k->lo };
	uint64_t at = size ? mon_place_high(&vm->mem, size, INITRD_ADDR_MAX + 1, &avoid, 1) : 0;
	if (size && !at) {
		mon_err("%s: %zu bytes do not fit in guest RAM beside the kernel (more -m?)",
			vm->cfg->initrd, size);
		free(data);
		return -1;
	}
	if (size)
		memcpy(mon_gpa(&vm->mem, at, size), data, size);
	free(data);
	z->initrd_pa = at;
	z->initrd_size = size;
	return 0;
}

int mon_boot_linux(struct mon_vm *vm)
{
	uint8_t *file;
	size_t size;
	struct mon_elf k;
	if (mon_read_file(vm->cfg->kernel, &file, &size))
		return -1;
	int r = -1;
	uint8_t *bp = mon_gpa(&vm->mem, MON_INFO_GPA, AB_ZERO_PAGE_SIZE);
	if (mon_elf_parse(vm->cfg->kernel, file, size, &k) || mon_elf_check_entry(&k) ||
	    mon_elf_load(&k, &vm->mem) || mon_cmdline_write(vm))
		goto out;
	struct ab_e820 map[MON_E820_MAX];
	struct ab_zero_page z = {
		.cmdline_pa = MON_CMDLINE_GPA, .cmdline_max = MON_CMDLINE_MAX,
		.initrd_addr_max = (uint32_t)INITRD_ADDR_MAX,
		.e820 = map, .e820_entries = mon_e820_map(&vm->mem, map),
	};
	if (initrd(vm, &k, &z))
		goto out;
	ab_zero_page_write(bp, &z);
	page_tables(&vm->mem);
	mon_gdt_write(&vm->mem);
	mon_mptable_write(&vm->mem);
	vm->entry = (struct mon_entry){ .long_mode = true, .rip = k.entry, .arg = MON_INFO_GPA };
	r = 0;
out:
	free(file);
	return r;
}
