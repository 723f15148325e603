/*
 * What the wedge receives (a PVH start info, from QEMU -kernel/-initrd)
 * and what it hands on (a Linux boot_params, the 64-bit boot protocol).
 *
 * boot_params, the fields written (offsets from Linux's bootparam.h):
 *
 *   0x0c8  u32  ext_cmd_line_ptr    high half of the command line's address
 *   0x1e8  u8   e820_entries
 *   0x202  u32  hdr.header          "HdrS"
 *   0x206  u16  hdr.version         0x020f
 *   0x210  u8   hdr.type_of_loader  0xff (undefined loader)
 *   0x228  u32  hdr.cmd_line_ptr
 *   0x238  u32  hdr.cmdline_size
 *   0x2d0  e820 table, 20-byte entries {u64 addr, u64 size, u32 type}
 */
#include "wedge/guest.h"
#include "wedge/rt.h"

#define PVH_MAGIC 0x336ec578u

struct hvm_start_info {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr;
	uint64_t memmap_paddr;   /* version >= 1 */
	uint32_t memmap_entries, reserved;
};

struct hvm_modlist_entry {
	uint64_t paddr, size, cmdline_paddr, reserved;
};

struct hvm_memmap_entry {
	uint64_t addr, size;
	uint32_t type, reserved;
};

#define BP_EXT_CMD_LINE_PTR 0x0c8
#define BP_E820_ENTRIES 0x1e8
#define BP_HDR_HEADER 0x202
#define BP_HDR_VERSION 0x206
#define BP_TYPE_OF_LOADER 0x210
#define BP_CMD_LINE_PTR 0x228
#define BP_CMDLINE_SIZE 0x238
#define BP_E820_TABLE 0x2d0
#define BP_E820_MAX 128
#define E820_RESERVED 2

static void *identity(uint64_t pa, uint64_t len, const char *what)
{
	if (pa >= WEDGE_IDENTITY_END || len > WEDGE_IDENTITY_END - pa)
		wedge_panic("%s at %#lx+%#lx lies above the 1 GiB the wedge maps", what, pa, len);
	return (void *)(uintptr_t)pa;
}

void wedge_pvh_read(uint32_t start_info_pa, struct wedge_boot *b)
{
	const struct hvm_start_info *si = identity(start_info_pa, sizeof(*si), "hvm_start_info");
	if (si->magic != PVH_MAGIC)
		wedge_panic("not started through PVH (start info magic %#x at %#x)", si->magic,
			    start_info_pa);
	*b = (struct wedge_boot){ .cmdline = "" };
	if (si->cmdline_paddr)
		b->cmdline = identity(si->cmdline_paddr, 1, "the command line");
	if (si->nr_modules < 1)
		wedge_panic("no guest: give the guest kernel as the first module "
			    "(qemu -kernel wedge.elf -initrd guest.elf)");
	const struct hvm_modlist_entry *m =
		identity(si->modlist_paddr, sizeof(*m), "the module list");
	b->module = identity(m->paddr, m->size, "the guest module");
	b->module_size = m->size;
	if (si->version >= 1 && si->memmap_paddr) {
		b->memmap_pa = si->memmap_paddr;
		b->memmap_entries = si->memmap_entries;
	}
}

static uint8_t boot_params[4096] __attribute__((aligned(4096)));
static char cmdline_copy[2048];

static void put32(uint8_t *p, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
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
	if (n == BP_E820_MAX)
		return n;
	uint8_t *e = boot_params + BP_E820_TABLE + 20 * n;
	put64(e, addr);
	put64(e + 8, size);
	put32(e + 16, type);
	return n + 1;
}

/* The platform's map, then the wedge's 2 MiB marked reserved (a later
 * entry wins in Linux's e820 sanitizing: reserved overrides RAM). */
static unsigned fill_e820(const struct wedge_boot *b)
{
	unsigned n = 0;
	const struct hvm_memmap_entry *m = b->memmap_entries ?
		identity(b->memmap_pa, b->memmap_entries * sizeof(*m), "the memory map") : 0;
	for (uint32_t i = 0; i < b->memmap_entries; i++)
		n = add_e820(n, m[i].addr, m[i].size, m[i].type);
	return add_e820(n, WEDGE_PHYS, WEDGE_SIZE, E820_RESERVED);
}

uint64_t wedge_boot_params(const struct wedge_boot *b, const char *guest_cmdline)
{
	size_t len = wedge_strlen(guest_cmdline);
	if (len >= sizeof(cmdline_copy))
		wedge_panic("the guest's command line is longer than %lu bytes",
			    (uint64_t)sizeof(cmdline_copy) - 1);
	wedge_memcpy(cmdline_copy, guest_cmdline, len + 1);
	wedge_memset(boot_params, 0, sizeof(boot_params));
	wedge_memcpy(boot_params + BP_HDR_HEADER, "HdrS", 4);
	boot_params[BP_HDR_VERSION] = 0x0f;
	boot_params[BP_HDR_VERSION + 1] = 0x02;
	boot_params[BP_TYPE_OF_LOADER] = 0xff;
	put32(boot_params + BP_CMD_LINE_PTR, (uint32_t)phys(cmdline_copy));
	put32(boot_params + BP_EXT_CMD_LINE_PTR, (uint32_t)(phys(cmdline_copy) >> 32));
	put32(boot_params + BP_CMDLINE_SIZE, (uint32_t)sizeof(cmdline_copy) - 1);
	boot_params[BP_E820_ENTRIES] = (uint8_t)fill_e820(b);
	return phys(boot_params);
}
