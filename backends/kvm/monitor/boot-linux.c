/*
 * --mode full: Linux's 64-bit boot protocol, as firecracker boots a
 * vmlinux.  Every PT_LOAD at its p_paddr, identity page tables plus the
 * kernel map, a boot_params, an MP table, and e_entry in long mode with
 * %rsi pointing at it.
 *
 * boot_params, the fields written (offsets from Linux's bootparam.h):
 *
 *   offset  size  field                value
 *   +------+-----+--------------------+--------------------------------+
 *   | 0x0c0|  4  | ext_ramdisk_image  | initrd address >> 32           |
 *   | 0x0c4|  4  | ext_ramdisk_size   | initrd size >> 32              |
 *   | 0x0c8|  4  | ext_cmd_line_ptr   | 0 (below 4 GiB)                |
 *   | 0x1e8|  1  | e820_entries       | boot.c's map                   |
 *   | 0x1fe|  2  | hdr.boot_flag      | 0xaa55                         |
 *   | 0x202|  4  | hdr.header         | "HdrS"                         |
 *   | 0x206|  2  | hdr.version        | 0x020f (2.15)                  |
 *   | 0x210|  1  | hdr.type_of_loader | 0xff (undefined loader)        |
 *   | 0x211|  1  | hdr.loadflags      | LOADED_HIGH                    |
 *   | 0x218|  4  | hdr.ramdisk_image  | initrd address                 |
 *   | 0x21c|  4  | hdr.ramdisk_size   | initrd size                    |
 *   | 0x228|  4  | hdr.cmd_line_ptr   | MON_CMDLINE_GPA                |
 *   | 0x22c|  4  | hdr.initrd_addr_max| 0x7fffffff                     |
 *   | 0x230|  4  | hdr.kernel_alignment | 2 MiB                        |
 *   | 0x238|  4  | hdr.cmdline_size   | MON_CMDLINE_MAX                |
 *   | 0x2d0| 20n | e820_table         | {u64 addr, u64 size, u32 type} |
 *   +------+-----+--------------------+--------------------------------+
 */
#include <stdlib.h>
#include <string.h>

#include "mon.h"

#define BP_EXT_RAMDISK_IMAGE 0x0c0
#define BP_EXT_RAMDISK_SIZE 0x0c4
#define BP_E820_ENTRIES 0x1e8
#define BP_BOOT_FLAG 0x1fe
#define BP_HEADER 0x202
#define BP_VERSION 0x206
#define BP_TYPE_OF_LOADER 0x210
#define BP_LOADFLAGS 0x211
#define BP_RAMDISK_IMAGE 0x218
#define BP_RAMDISK_SIZE 0x21c
#define BP_CMD_LINE_PTR 0x228
#define BP_INITRD_ADDR_MAX 0x22c
#define BP_KERNEL_ALIGNMENT 0x230
#define BP_CMDLINE_SIZE 0x238
#define BP_E820_TABLE 0x2d0
#define BP_SIZE 4096
#define LOADED_HIGH 0x01
#define INITRD_ADDR_MAX 0x7fffffffull

#define PTE_P 0x1ull
#define PTE_W 0x2ull
#define PTE_PS 0x80ull
#define PD_COUNT 4 /* 4 GiB of 2 MiB pages */

static void put(uint8_t *bp, unsigned off, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		bp[off + i] = (uint8_t)(v >> (8 * i));
}

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

static void e820(const struct mon_mem *m, uint8_t *bp)
{
	struct mon_e820 map[MON_E820_MAX];
	unsigned n = mon_e820_map(m, map);
	for (unsigned i = 0; i < n; i++) {
		put(bp, BP_E820_TABLE + 20 * i, map[i].addr, 8);
		put(bp, BP_E820_TABLE + 20 * i + 8, map[i].size, 8);
		put(bp, BP_E820_TABLE + 20 * i + 16, map[i].type, 4);
	}
	bp[BP_E820_ENTRIES] = (uint8_t)n;
}

static void header(uint8_t *bp)
{
	put(bp, BP_BOOT_FLAG, 0xaa55, 2);
	memcpy(bp + BP_HEADER, "HdrS", 4);
	put(bp, BP_VERSION, 0x020f, 2);
	bp[BP_TYPE_OF_LOADER] = 0xff;
	bp[BP_LOADFLAGS] = LOADED_HIGH;
	put(bp, BP_CMD_LINE_PTR, MON_CMDLINE_GPA, 4);
	put(bp, BP_INITRD_ADDR_MAX, INITRD_ADDR_MAX, 4);
	put(bp, BP_KERNEL_ALIGNMENT, 2 * MON_MIB, 4);
	put(bp, BP_CMDLINE_SIZE, MON_CMDLINE_MAX, 4);
}

/* The initrd at the top of RAM below initrd_addr_max, clear of the kernel. */
static int initrd(struct mon_vm *vm, const struct mon_elf *k, uint8_t *bp)
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
	put(bp, BP_RAMDISK_IMAGE, at, 4);
	put(bp, BP_RAMDISK_SIZE, size, 4);
	put(bp, BP_EXT_RAMDISK_IMAGE, at >> 32, 4);
	put(bp, BP_EXT_RAMDISK_SIZE, (uint64_t)size >> 32, 4);
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
	uint8_t *bp = mon_gpa(&vm->mem, MON_INFO_GPA, BP_SIZE);
	if (mon_elf_parse(vm->cfg->kernel, file, size, &k) || mon_elf_check_entry(&k) ||
	    mon_elf_load(&k, &vm->mem) || mon_cmdline_write(vm))
		goto out;
	memset(bp, 0, BP_SIZE);
	header(bp);
	e820(&vm->mem, bp);
	if (initrd(vm, &k, bp))
		goto out;
	page_tables(&vm->mem);
	mon_gdt_write(&vm->mem);
	mon_mptable_write(&vm->mem);
	vm->entry = (struct mon_entry){ .long_mode = true, .rip = k.entry, .arg = MON_INFO_GPA };
	r = 0;
out:
	free(file);
	return r;
}
