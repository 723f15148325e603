/*
 * A packed image as module 0 (include/afterburn/abi.h, struct
 * ab_pack_header; written by `afterburn pack`): the kernel ELF, the initrd
 * and a command line in one module, for loaders that pass only one (QEMU's
 * PVH loader).  Every field is checked against the module's size before
 * use.  The parts stay where the loader put them: the kernel is loaded
 * from there, the initrd is handed to the guest in place.
 */
#include "afterburn/abi.h"
#include "wedge/guest.h"
#include "wedge/rt.h"

static char cmdline[AB_PACK_CMDLINE_MAX * 2];

static int is_packed(const struct wedge_boot *b)
{
	const uint8_t *m = b->module;
	if (b->module_size < AB_PACK_MAGIC_LEN)
		return 0;
	for (unsigned i = 0; i < AB_PACK_MAGIC_LEN; i++)
		if (m[i] != (uint8_t)AB_PACK_MAGIC[i])
			return 0;
	return 1;
}

/* [off, off + size) inside the module after the header, and off aligned as asked. */
static void check_part(const struct wedge_boot *b, const struct ab_pack_header *h, uint64_t off,
		       uint64_t size, uint64_t align, const char *what)
{
	if (size && off < h->header_size)
		wedge_panic("packed image: the %s (offset %#lx) overlaps the header", what, off);
	if (off > b->module_size || size > b->module_size - off)
		wedge_panic("packed image: the %s (%#lx+%#lx) lies outside the module (%#lx "
			    "bytes)", what, off, size, b->module_size);
	if (off & (align - 1))
		wedge_panic("packed image: the %s at offset %#lx is not %lu-aligned", what, off,
			    (uint64_t)align);
}

static void check_header(const struct wedge_boot *b, const struct ab_pack_header *h)
{
	if (b->module_size < sizeof(*h))
		wedge_panic("packed image: %lu bytes, shorter than its header", b->module_size);
	if (h->version != AB_PACK_VERSION)
		wedge_panic("packed image: version %u, this wedge reads version %u", h->version,
			    AB_PACK_VERSION);
	if (h->header_size < sizeof(*h) || h->header_size > b->module_size)
		wedge_panic("packed image: header size %u (want at least %lu)", h->header_size,
			    (uint64_t)sizeof(*h));
	if (!h->kernel_size)
		wedge_panic("packed image: no kernel");
	check_part(b, h, h->kernel_offset, h->kernel_size, AB_PACK_ALIGN, "kernel");
	check_part(b, h, h->initrd_offset, h->initrd_size, AB_PACK_ALIGN, "initrd");
	check_part(b, h, h->cmdline_offset, h->cmdline_size + (h->cmdline_offset ? 1 : 0), 1,
		   "command line");
	if (h->initrd_size && h->initrd_offset < h->kernel_offset + h->kernel_size &&
	    h->kernel_offset < h->initrd_offset + h->initrd_size)
		wedge_panic("packed image: the initrd overlaps the kernel");
	if (h->cmdline_size >= AB_PACK_CMDLINE_MAX)
		wedge_panic("packed image: the command line is %lu bytes, the limit is %u",
			    h->cmdline_size, AB_PACK_CMDLINE_MAX - 1);
	if (h->cmdline_offset && b->module[h->cmdline_offset + h->cmdline_size] != '\0')
		wedge_panic("packed image: the command line does not end with a NUL");
}

void wedge_unpack(struct wedge_boot *b)
{
	if (!is_packed(b))
		return;
	const struct ab_pack_header *h = (const void *)b->module;
	check_header(b, h);
	if (h->initrd_size && b->initrd_size)
		wedge_panic("two initrds: one in the packed image, one as module 1");
	b->kernel = b->module + h->kernel_offset;
	b->kernel_size = h->kernel_size;
	if (h->initrd_size) {
		b->initrd_pa = (uint64_t)(uintptr_t)b->module + h->initrd_offset;
		b->initrd_size = h->initrd_size;
	}
	if (h->cmdline_offset)
		b->packed_cmdline = (const char *)b->module + h->cmdline_offset;
	wedge_printf("wedge: packed image: kernel %lu bytes, initrd %lu bytes, command line "
		     "\"%s\"\n", b->kernel_size, h->initrd_size, b->packed_cmdline);
}

const char *wedge_boot_cmdline(const struct wedge_boot *b)
{
	size_t p = wedge_strlen(b->packed_cmdline), l = wedge_strlen(b->cmdline);
	if (p + 1 + l >= sizeof(cmdline))
		wedge_panic("the command line is longer than %lu bytes",
			    (uint64_t)sizeof(cmdline) - 1);
	wedge_memcpy(cmdline, b->packed_cmdline, p);
	cmdline[p] = ' ';
	wedge_memcpy(cmdline + (p ? p + 1 : 0), b->cmdline, l + 1);
	return cmdline;
}
