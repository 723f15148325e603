/*
 * The boot protocols our loaders speak, written down once for all of
 * them (freestanding; needs only <stdint.h>):
 *
 *   - Xen's PVH start info (xen/include/public/arch-x86/hvm/start_info.h,
 *     version 1), which the monitor (`previrt --mode previrt|splitcore`)
 *     and QEMU's -kernel hand to the wedge;
 *   - Linux's x86 zero page, struct boot_params (Documentation/x86/boot.rst
 *     and zero-page.rst), which the wedge and the monitor (`--mode full`)
 *     hand to a 64-bit kernel.  Only the fields a 64-bit entry reads.
 *
 *   zero page  size  field                 written as
 *   +--------+-----+---------------------+---------------------------------+
 *   | 0x070  |  8  | acpi_rsdp_addr      | the loader's RSDP, if any        |
 *   | 0x0c0  |  4  | ext_ramdisk_image   | initrd address, high half        |
 *   | 0x0c4  |  4  | ext_ramdisk_size    | initrd size, high half           |
 *   | 0x0c8  |  4  | ext_cmd_line_ptr    | command line address, high half  |
 *   | 0x1e8  |  1  | e820_entries        |                                  |
 *   | 0x1fe  |  2  | hdr.boot_flag       | 0xaa55                           |
 *   | 0x202  |  4  | hdr.header          | "HdrS"                           |
 *   | 0x206  |  2  | hdr.version         | 0x020f (2.15)                    |
 *   | 0x210  |  1  | hdr.type_of_loader  | 0xff (undefined)                 |
 *   | 0x211  |  1  | hdr.loadflags       | LOADED_HIGH                      |
 *   | 0x218  |  4  | hdr.ramdisk_image   | initrd address, low half         |
 *   | 0x21c  |  4  | hdr.ramdisk_size    | initrd size, low half            |
 *   | 0x228  |  4  | hdr.cmd_line_ptr    | command line address, low half   |
 *   | 0x22c  |  4  | hdr.initrd_addr_max | the loader's limit, if any       |
 *   | 0x230  |  4  | hdr.kernel_alignment| 2 MiB                            |
 *   | 0x238  |  4  | hdr.cmdline_size    | the longest command line         |
 *   | 0x2d0  | 20n | e820_table          | {u64 addr, u64 size, u32 type}   |
 *   +--------+-----+---------------------+---------------------------------+
 */
#ifndef AFTERBURN_BOOT_H
#define AFTERBURN_BOOT_H

#include <stdint.h>

/* ---- PVH ---------------------------------------------------------------- */

#define AB_PVH_MAGIC 0x336ec578u
#define AB_XEN_ELFNOTE_PHYS32_ENTRY 18 /* the PVH entry: an ELF note's type */

struct ab_hvm_start_info {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr;
	uint64_t memmap_paddr;   /* version >= 1 */
	uint32_t memmap_entries, reserved;
};

struct ab_hvm_modlist_entry {
	uint64_t paddr, size, cmdline_paddr, reserved;
};

struct ab_hvm_memmap_entry {
	uint64_t addr, size;
	uint32_t type, reserved;
};

/* ---- e820 ------------------------------------------------------------- */

#define AB_E820_RAM 1
#define AB_E820_RESERVED 2

struct ab_e820 {
	uint64_t addr, size;
	uint32_t type;
};

/* ---- The zero page ---------------------------------------------------- */

#define AB_ZERO_PAGE_SIZE 4096u
#define AB_ZERO_PAGE_E820_MAX 128u

struct ab_zero_page {
	uint64_t cmdline_pa;
	uint32_t cmdline_max;         /* hdr.cmdline_size */
	uint64_t initrd_pa, initrd_size;   /* size 0: none */
	uint32_t initrd_addr_max;     /* 0: not set */
	uint64_t rsdp_pa;             /* 0: none */
	const struct ab_e820 *e820;
	unsigned e820_entries;
};

/* Write the zero page (AB_ZERO_PAGE_SIZE bytes, cleared first); -1: too many e820 entries. */
int ab_zero_page_write(uint8_t *bp, const struct ab_zero_page *z);

/* The offsets a 64-bit kernel reads back (the test guest checks its own). */
#define AB_BP_HDR_HEADER 0x202
#define AB_BP_HDR_VERSION 0x206
#define AB_BP_CMD_LINE_PTR 0x228
#define AB_BP_EXT_CMD_LINE_PTR 0x0c8

#endif
