/*
 * Linux's zero page as our loaders write it (include/afterburn/boot.h has
 * the layout).  Freestanding: the wedge links it as the monitor does.
 */
#include "afterburn/boot.h"

#define BP_ACPI_RSDP_ADDR 0x070
#define BP_EXT_RAMDISK_IMAGE 0x0c0
#define BP_EXT_RAMDISK_SIZE 0x0c4
#define BP_E820_ENTRIES 0x1e8
#define BP_HDR_BOOT_FLAG 0x1fe
#define BP_TYPE_OF_LOADER 0x210
#define BP_LOADFLAGS 0x211
#define BP_RAMDISK_IMAGE 0x218
#define BP_RAMDISK_SIZE 0x21c
#define BP_INITRD_ADDR_MAX 0x22c
#define BP_KERNEL_ALIGNMENT 0x230
#define BP_CMDLINE_SIZE 0x238
#define BP_E820_TABLE 0x2d0
#define LOADED_HIGH 0x01

static void put(uint8_t *bp, unsigned off, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		bp[off + i] = (uint8_t)(v >> (8 * i));
}

int ab_zero_page_write(uint8_t *bp, const struct ab_zero_page *z)
{
	if (z->e820_entries > AB_ZERO_PAGE_E820_MAX)
		return -1;
	for (unsigned i = 0; i < AB_ZERO_PAGE_SIZE; i++)
		bp[i] = 0;
	put(bp, BP_HDR_BOOT_FLAG, 0xaa55, 2);
	put(bp, AB_BP_HDR_HEADER, 0x53726448, 4); /* "HdrS" */
	put(bp, AB_BP_HDR_VERSION, 0x020f, 2);
	bp[BP_TYPE_OF_LOADER] = 0xff;
	bp[BP_LOADFLAGS] = LOADED_HIGH;
	put(bp, BP_KERNEL_ALIGNMENT, 0x200000, 4);
	put(bp, AB_BP_CMD_LINE_PTR, z->cmdline_pa, 4);
	put(bp, AB_BP_EXT_CMD_LINE_PTR, z->cmdline_pa >> 32, 4);
	put(bp, BP_CMDLINE_SIZE, z->cmdline_max, 4);
	put(bp, BP_INITRD_ADDR_MAX, z->initrd_addr_max, 4);
	put(bp, BP_ACPI_RSDP_ADDR, z->rsdp_pa, 8);
	if (z->initrd_size) {
		put(bp, BP_RAMDISK_IMAGE, z->initrd_pa, 4);
		put(bp, BP_EXT_RAMDISK_IMAGE, z->initrd_pa >> 32, 4);
		put(bp, BP_RAMDISK_SIZE, z->initrd_size, 4);
		put(bp, BP_EXT_RAMDISK_SIZE, z->initrd_size >> 32, 4);
	}
	for (unsigned i = 0; i < z->e820_entries; i++) {
		unsigned at = BP_E820_TABLE + 20 * i;
		put(bp, at, z->e820[i].addr, 8);
		put(bp, at + 8, z->e820[i].size, 8);
		put(bp, at + 16, z->e820[i].type, 4);
	}
	bp[BP_E820_ENTRIES] = (uint8_t)z->e820_entries;
	return 0;
}
