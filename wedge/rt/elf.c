/*
 * Loading the guest: an x86-64 ELF executable linked like Linux (virtual =
 * physical + 0xffffffff80000000), handed to the wedge as a module or inside
 * a packed image.  Every field is checked against the file's size before
 * use; anything the wedge cannot load exactly is refused with what and
 * where, and so is a segment that would land on the wedge, on the
 * modules (they are read after loading) or on the initrd.
 */
#include "wedge/rt.h"
#include "wedge/guest.h"

struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

#define PT_LOAD 1
#define PT_NOTE 4
#define PF_X 1
#define ET_EXEC 2
#define EM_X86_64 62

static int overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static void check_header(const struct elf64_ehdr *eh, uint64_t size)
{
	if (size < sizeof(*eh) || eh->ident[0] != 0x7f || eh->ident[1] != 'E' ||
	    eh->ident[2] != 'L' || eh->ident[3] != 'F')
		wedge_panic("guest: the module is not an ELF file");
	if (eh->ident[4] != 2 || eh->ident[5] != 1 || eh->machine != EM_X86_64)
		wedge_panic("guest: not a little-endian ELF64 x86-64 file");
	if (eh->type != ET_EXEC)
		wedge_panic("guest: ELF type %u, want an executable (%u)", eh->type, ET_EXEC);
	if (eh->phentsize != sizeof(struct elf64_phdr) || eh->phnum == 0 ||
	    eh->phoff > size || (uint64_t)eh->phnum * sizeof(struct elf64_phdr) > size - eh->phoff)
		wedge_panic("guest: program headers (%u at %#lx) lie outside the file", eh->phnum,
			    eh->phoff);
}

static void add_range(struct wedge_range *r, size_t *n, size_t max, uint64_t start,
		      uint64_t end, const char *what)
{
	if (*n == max)
		wedge_panic("guest: more than %lu %s segments", (uint64_t)max, what);
	r[*n].start = start;
	r[*n].end = end;
	(*n)++;
}

static void load_segment(const struct wedge_boot *b, unsigned i, const struct elf64_phdr *ph,
			 struct wedge_guest *g)
{
	const uint8_t *file = b->kernel;
	uint64_t size = b->kernel_size;
	if (ph->filesz > ph->memsz || ph->offset > size || ph->filesz > size - ph->offset)
		wedge_panic("guest: segment %u: file range %#lx+%#lx outside the file (%#lx bytes)", i,
			    ph->offset, ph->filesz, size);
	if (ph->vaddr - ph->paddr != WEDGE_KERNEL_MAP)
		wedge_panic("guest: segment %u: virtual %#lx for physical %#lx; the wedge loads "
			    "kernels linked at physical + %#llx", i, ph->vaddr, ph->paddr,
			    WEDGE_KERNEL_MAP);
	if (ph->paddr >= WEDGE_IDENTITY_END || ph->memsz > WEDGE_IDENTITY_END - ph->paddr)
		wedge_panic("guest: segment %u: physical %#lx+%#lx is not below 1 GiB", i, ph->paddr,
			    ph->memsz);
	if (overlaps(ph->paddr, ph->memsz, WEDGE_PHYS, WEDGE_SIZE))
		wedge_panic("guest: segment %u: physical %#lx+%#lx overlaps the wedge at %#llx", i,
			    ph->paddr, ph->memsz, (unsigned long long)WEDGE_PHYS);
	if (overlaps(ph->paddr, ph->memsz, (uint64_t)(uintptr_t)b->module, b->module_size))
		wedge_panic("guest: segment %u: physical %#lx+%#lx overlaps the module itself at "
			    "%p; give the machine more memory", i, ph->paddr, ph->memsz, b->module);
	if (b->initrd_size && overlaps(ph->paddr, ph->memsz, b->initrd_pa, b->initrd_size))
		wedge_panic("guest: segment %u: physical %#lx+%#lx overlaps the initrd at %#lx",
			    i, ph->paddr, ph->memsz, b->initrd_pa);
	uint8_t *to = (uint8_t *)(uintptr_t)ph->paddr; /* identity-mapped */
	wedge_memcpy(to, file + ph->offset, ph->filesz);
	wedge_memset(to + ph->filesz, 0, ph->memsz - ph->filesz);
	if (ph->paddr + ph->memsz > g->phys_end)
		g->phys_end = ph->paddr + ph->memsz;
	if (ph->flags & PF_X)
		add_range(g->text, &g->ntext, WEDGE_GUEST_RANGES, ph->vaddr, ph->vaddr + ph->memsz,
			  "executable");
}

static int in_text(const struct wedge_guest *g, uint64_t va)
{
	for (size_t i = 0; i < g->ntext; i++)
		if (va >= g->text[i].start && va < g->text[i].end)
			return 1;
	return 0;
}

void wedge_load_guest(const struct wedge_boot *b, struct wedge_guest *g)
{
	const struct elf64_ehdr *eh = (const void *)b->kernel;
	check_header(eh, b->kernel_size);
	*g = (struct wedge_guest){ 0 };
	const struct elf64_phdr *ph = (const void *)(b->kernel + eh->phoff);
	for (unsigned i = 0; i < eh->phnum; i++)
		if (ph[i].type == PT_LOAD && ph[i].memsz)
			load_segment(b, i, &ph[i], g);
	if (!g->ntext)
		wedge_panic("guest: no executable segment");
	/* Notes are read where they were loaded: they must lie in a loaded segment. */
	for (unsigned i = 0; i < eh->phnum; i++)
		if (ph[i].type == PT_NOTE && ph[i].filesz)
			add_range(g->notes, &g->nnotes, WEDGE_GUEST_RANGES, ph[i].vaddr,
				  ph[i].vaddr + ph[i].filesz, "note");
	if (!g->nnotes)
		wedge_panic("guest: no PT_NOTE segment, so no site records (was it built "
			    "through the afterburner?)");
	/* Linux's e_entry is startup_64's physical address; accept a virtual one too. */
	g->entry_phys = eh->entry >= WEDGE_KERNEL_MAP ? eh->entry - WEDGE_KERNEL_MAP : eh->entry;
	g->entry = g->entry_phys + WEDGE_KERNEL_MAP;
	if (!in_text(g, g->entry))
		wedge_panic("guest: the entry %#lx is not in an executable segment", eh->entry);
}
