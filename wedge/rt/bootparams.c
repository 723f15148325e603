/*
 * What the wedge hands on: a Linux boot_params ("zero page"), the 64-bit
 * boot protocol's one argument (Documentation/x86/boot.rst; the fields a
 * vmlinux loader such as Firecracker's sets).  Offsets from Linux's
 * arch/x86/include/uapi/asm/bootparam.h:
 *
 *   0x070  u64  acpi_rsdp_addr        the start info's RSDP (protocol 2.14)
 *   0x0c0  u32  ext_ramdisk_image     high half of the initrd's address
 *   0x0c4  u32  ext_ramdisk_size      high half of its size
 *   0x0c8  u32  ext_cmd_line_ptr      high half of the command line's address
 *   0x1e8  u8   e820_entries
 *   0x1fe  u16  hdr.boot_flag         0xaa55
 *   0x202  u32  hdr.header            "HdrS"
 *   0x206  u16  hdr.version           0x020f
 *   0x210  u8   hdr.type_of_loader    0xff (undefined loader; 0 would hide the initrd)
 *   0x211  u8   hdr.loadflags         LOADED_HIGH: the kernel is above 1 MiB
 *   0x218  u32  hdr.ramdisk_image     the initrd, physical, page-aligned
 *   0x21c  u32  hdr.ramdisk_size
 *   0x228  u32  hdr.cmd_line_ptr
 *   0x230  u32  hdr.kernel_alignment  2 MiB, x86-64's smallest CONFIG_PHYSICAL_ALIGN
 *   0x238  u32  hdr.cmdline_size
 *   0x2d0  e820 table, 20-byte entries {u64 addr, u64 size, u32 type}
 *
 * Linux keeps the initrd only where the e820 map says RAM (it reserves
 * it there before allocating); the wedge's own 2 MiB must be reserved.
 */
#include "wedge/guest.h"
#include "wedge/rt.h"

#define BP_ACPI_RSDP_ADDR 0x070
#define BP_EXT_RAMDISK_IMAGE 0x0c0
#define BP_EXT_RAMDISK_SIZE 0x0c4
#define BP_EXT_CMD_LINE_PTR 0x0c8
#define BP_E820_ENTRIES 0x1e8
#define BP_HDR_BOOT_FLAG 0x1fe
#define BP_HDR_HEADER 0x202
#define BP_HDR_VERSION 0x206
#define BP_TYPE_OF_LOADER 0x210
#define BP_LOADFLAGS 0x211
#define BP_RAMDISK_IMAGE 0x218
#define BP_RAMDISK_SIZE 0x21c
#define BP_CMD_LINE_PTR 0x228
#define BP_KERNEL_ALIGNMENT 0x230
#define BP_CMDLINE_SIZE 0x238
#define BP_E820_TABLE 0x2d0
#define BP_E820_MAX 128
#define LOADED_HIGH 0x01

static uint8_t boot_params[4096] __attribute__((aligned(4096)));
static char cmdline_copy[2048];

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint64_t phys(const void *wedge_ptr)
{
	return (uint64_t)(uintptr_t)wedge_ptr - WEDGE_HOME + WEDGE_PHYS;
}

static unsigned add_e820(unsigned n, uint64_t addr, uint64_t size, uint32_t type)
{
	if (!size)
		return n;
	if (n == BP_E820_MAX)
		wedge_panic("more than %u e820 entries", BP_E820_MAX);
	uint8_t *e = boot_params + BP_E820_TABLE + 20 * n;
	put64(e, addr);
	put64(e + 8, size);
	put32(e + 16, type);
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
		const struct wedge_memmap_entry *m = &b->memmap[i];
		uint64_t end = m->addr + m->size;
		if (m->type != WEDGE_E820_RAM || end <= w0 || m->addr >= w1) {
			n = add_e820(n, m->addr, m->size, m->type);
			continue;
		}
		if (m->addr < w0)
			n = add_e820(n, m->addr, w0 - m->addr, WEDGE_E820_RAM);
		if (end > w1)
			n = add_e820(n, w1, end - w1, WEDGE_E820_RAM);
	}
	return add_e820(n, w0, WEDGE_SIZE, WEDGE_E820_RESERVED);
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
		const struct wedge_memmap_entry *m = &b->memmap[i];
		if (m->type == WEDGE_E820_RAM && s >= m->addr && e <= m->addr + m->size)
			return;
	}
	wedge_panic("the initrd at %#lx+%#lx is not in RAM of the memory map", s,
		    b->initrd_size);
}

static void set_initrd(const struct wedge_boot *b)
{
	if (!b->initrd_size)
		return;
	check_initrd(b);
	put32(boot_params + BP_RAMDISK_IMAGE, (uint32_t)b->initrd_pa);
	put32(boot_params + BP_EXT_RAMDISK_IMAGE, (uint32_t)(b->initrd_pa >> 32));
	put32(boot_params + BP_RAMDISK_SIZE, (uint32_t)b->initrd_size);
	put32(boot_params + BP_EXT_RAMDISK_SIZE, (uint32_t)(b->initrd_size >> 32));
	wedge_printf("wedge: initrd at %#lx, %lu bytes\n", b->initrd_pa, b->initrd_size);
}

static void set_header(void)
{
	put16(boot_params + BP_HDR_BOOT_FLAG, 0xaa55);
	wedge_memcpy(boot_params + BP_HDR_HEADER, "HdrS", 4);
	put16(boot_params + BP_HDR_VERSION, 0x020f);
	boot_params[BP_TYPE_OF_LOADER] = 0xff;
	boot_params[BP_LOADFLAGS] = LOADED_HIGH;
	put32(boot_params + BP_KERNEL_ALIGNMENT, 0x200000);
}

uint64_t wedge_boot_params(const struct wedge_boot *b, const char *guest_cmdline)
{
	size_t len = wedge_strlen(guest_cmdline);
	if (len >= sizeof(cmdline_copy))
		wedge_panic("the guest's command line is longer than %lu bytes",
			    (uint64_t)sizeof(cmdline_copy) - 1);
	wedge_memcpy(cmdline_copy, guest_cmdline, len + 1);
	wedge_memset(boot_params, 0, sizeof(boot_params));
	set_header();
	put32(boot_params + BP_CMD_LINE_PTR, (uint32_t)phys(cmdline_copy));
	put32(boot_params + BP_EXT_CMD_LINE_PTR, (uint32_t)(phys(cmdline_copy) >> 32));
	put32(boot_params + BP_CMDLINE_SIZE, (uint32_t)sizeof(cmdline_copy) - 1);
	put64(boot_params + BP_ACPI_RSDP_ADDR, b->rsdp_pa);
	set_initrd(b);
	boot_params[BP_E820_ENTRIES] = (uint8_t)fill_e820(b);
	return phys(boot_params);
}
