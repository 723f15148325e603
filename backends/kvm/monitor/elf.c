/*
 * ELF64 x86-64 executables: the guest kernel and the wedge.  Every field
 * is checked against the file's size before it is used, so a truncated or
 * corrupt file is a one-line error, never a wild read.  Headers are copied
 * out with memcpy: the file buffer has no alignment guarantee.
 */
#include <elf.h>
#include <string.h>

#include "mon.h"

#define MON_ELF_MAX_PHDRS 64

static int bad(const struct mon_elf *e, const char *what)
{
	mon_err("%s: %s", e->path, what);
	return -1;
}

/* Is [off, off + len) inside the file? */
static bool in_file(const struct mon_elf *e, uint64_t off, uint64_t len)
{
	return off <= e->size && len <= e->size - off;
}

static int check_ehdr(struct mon_elf *e, Elf64_Ehdr *h)
{
	if (e->size < sizeof(*h))
		return bad(e, e->size >= SELFMAG && !memcmp(e->data, ELFMAG, SELFMAG) ?
			   "truncated ELF header" : "not an ELF file");
	memcpy(h, e->data, sizeof(*h));
	if (memcmp(h->e_ident, ELFMAG, SELFMAG))
		return bad(e, "not an ELF file");
	if (h->e_ident[EI_CLASS] != ELFCLASS64 || h->e_ident[EI_DATA] != ELFDATA2LSB)
		return bad(e, "not a little-endian ELF64 file (a 64-bit kernel is needed)");
	if (h->e_machine != EM_X86_64)
		return bad(e, "not an x86-64 ELF file");
	if (h->e_type != ET_EXEC)
		return bad(e, "not an ELF executable (ET_EXEC)");
	if (h->e_phnum == 0 || h->e_phnum > MON_ELF_MAX_PHDRS)
		return bad(e, "no program headers, or more than 64");
	if (h->e_phentsize != sizeof(Elf64_Phdr))
		return bad(e, "program header size is not 56");
	if (!in_file(e, h->e_phoff, (uint64_t)h->e_phnum * sizeof(Elf64_Phdr)))
		return bad(e, "program headers lie outside the file");
	e->entry = h->e_entry;
	return 0;
}

static int add_load(struct mon_elf *e, const Elf64_Phdr *p, unsigned i)
{
	char msg[160];
	if (!in_file(e, p->p_offset, p->p_filesz)) {
		snprintf(msg, sizeof(msg), "PT_LOAD %u (offset %#llx, %#llx bytes) runs past the "
			 "end of the file (%zu bytes)", i, (unsigned long long)p->p_offset,
			 (unsigned long long)p->p_filesz, e->size);
		return bad(e, msg);
	}
	if (p->p_filesz > p->p_memsz || p->p_paddr + p->p_memsz < p->p_paddr) {
		snprintf(msg, sizeof(msg), "PT_LOAD %u has file size %#llx above its memory size "
			 "%#llx, or wraps", i, (unsigned long long)p->p_filesz,
			 (unsigned long long)p->p_memsz);
		return bad(e, msg);
	}
	if (!p->p_memsz)
		return 0;
	if (e->nload == MON_ELF_MAX_LOADS)
		return bad(e, "more than 16 PT_LOAD segments");
	for (unsigned j = 0; j < e->nload; j++) {
		const struct mon_elf_load *o = &e->load[j];
		if (p->p_paddr < o->paddr + o->memsz && o->paddr < p->p_paddr + p->p_memsz) {
			snprintf(msg, sizeof(msg), "PT_LOAD %u overlaps another at physical %#llx",
				 i, (unsigned long long)o->paddr);
			return bad(e, msg);
		}
	}
	e->load[e->nload++] = (struct mon_elf_load){ p->p_offset, p->p_paddr, p->p_vaddr,
		p->p_filesz, p->p_memsz, p->p_flags };
	return 0;
}

static int add_note(struct mon_elf *e, const Elf64_Phdr *p)
{
	if (!in_file(e, p->p_offset, p->p_filesz))
		return bad(e, "a PT_NOTE segment runs past the end of the file");
	if (e->nnotes == MON_ELF_MAX_LOADS)
		return 0;
	e->note[e->nnotes].offset = p->p_offset;
	e->note[e->nnotes].len = p->p_filesz;
	e->note[e->nnotes].align = p->p_align == 8 ? 8 : 4;
	e->nnotes++;
	return 0;
}

int mon_elf_parse(const char *path, const uint8_t *data, size_t size, struct mon_elf *e)
{
	Elf64_Ehdr h;
	*e = (struct mon_elf){ .path = path, .data = data, .size = size };
	if (check_ehdr(e, &h))
		return -1;
	for (unsigned i = 0; i < h.e_phnum; i++) {
		Elf64_Phdr p;
		memcpy(&p, data + h.e_phoff + (uint64_t)i * sizeof(p), sizeof(p));
		if ((p.p_type == PT_LOAD && add_load(e, &p, i)) ||
		    (p.p_type == PT_NOTE && add_note(e, &p)))
			return -1;
	}
	if (!e->nload)
		return bad(e, "no PT_LOAD segment with contents");
	e->lo = UINT64_MAX;
	for (unsigned i = 0; i < e->nload; i++) {
		if (e->load[i].paddr < e->lo)
			e->lo = e->load[i].paddr;
		if (e->load[i].paddr + e->load[i].memsz > e->hi)
			e->hi = e->load[i].paddr + e->load[i].memsz;
	}
	return 0;
}

int mon_elf_load(const struct mon_elf *e, const struct mon_mem *m)
{
	for (unsigned i = 0; i < e->nload; i++) {
		const struct mon_elf_load *l = &e->load[i];
		uint8_t *dst = mon_gpa(m, l->paddr, l->memsz);
		if (!dst || l->paddr < MON_LOAD_MIN) {
			mon_err("%s: a PT_LOAD at physical %#llx-%#llx lies %s", e->path,
				(unsigned long long)l->paddr, (unsigned long long)(l->paddr + l->memsz),
				l->paddr < MON_LOAD_MIN ? "below 1 MiB (the monitor's boot data)" :
				"outside guest RAM (more -m?)");
			return -1;
		}
		memcpy(dst, e->data + l->offset, l->filesz);
		memset(dst + l->filesz, 0, l->memsz - l->filesz);
	}
	return 0;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* Walk one PT_NOTE: 0 found, 1 not there, -1 malformed. */
static int find_note(const struct mon_elf *e, unsigned seg, const char *name, uint32_t type,
		     uint64_t *val)
{
	const uint8_t *p = e->data + e->note[seg].offset;
	uint64_t len = e->note[seg].len, align = e->note[seg].align, off = 0;
	size_t nlen = strlen(name) + 1;
	while (len - off >= 12) {
		uint32_t namesz = get32(p + off), descsz = get32(p + off + 4), t = get32(p + off + 8);
		uint64_t name_off = off + 12, desc_off = name_off + round_up(namesz, align);
		if (desc_off > len || descsz > len - desc_off)
			return -1;
		if (t == type && namesz == nlen && !memcmp(p + name_off, name, nlen)) {
			if (descsz != 4 && descsz != 8)
				return -1;
			uint64_t v = 0;
			memcpy(&v, p + desc_off, descsz);
			*val = v;
			return 0;
		}
		off = desc_off + round_up(descsz, align);
	}
	return 1;
}

int mon_elf_note_value(const struct mon_elf *e, const char *name, uint32_t type, uint64_t *val)
{
	for (unsigned i = 0; i < e->nnotes; i++) {
		int r = find_note(e, i, name, type, val);
		if (r < 0) {
			mon_err("%s: a malformed note in a PT_NOTE segment", e->path);
			return -1;
		}
		if (r == 0)
			return 0;
	}
	return 1;
}

int mon_elf_check_entry(const struct mon_elf *e)
{
	for (unsigned i = 0; i < e->nload; i++) {
		const struct mon_elf_load *l = &e->load[i];
		if (!(l->flags & PF_X))
			continue;
		if (e->entry >= l->paddr && e->entry - l->paddr < l->memsz)
			return 0;
		if (l->vaddr - l->paddr == MON_KERNEL_MAP && l->paddr + l->memsz <= 2 * MON_GIB &&
		    e->entry >= l->vaddr && e->entry - l->vaddr < l->memsz)
			return 0;
	}
	mon_err("%s: the entry point %#llx is not inside an executable PT_LOAD", e->path,
		(unsigned long long)e->entry);
	return -1;
}
