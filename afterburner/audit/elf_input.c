/* Opening an ELF file with libbfd: sections, contents, relocations. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../diag.h"
#include "elf_input.h"
#include "symbols.h"
#include "util.h"

/*
 * libbfd reports what it finds wrong in a corrupt file itself, and may
 * repeat one complaint for every symbol.  The first few say enough.
 */
#define BFD_MESSAGES_MAX 8
static bfd_error_handler_type bfd_default_handler;
static unsigned long bfd_messages; /* ever */
static unsigned long bfd_shown;    /* since the last open */

static void bfd_limited_handler(const char *fmt, va_list ap)
{
	bfd_messages++;
	if (bfd_shown++ < BFD_MESSAGES_MAX)
		bfd_default_handler(fmt, ap);
}

static void bfd_messages_done(const char *path)
{
	if (bfd_shown > BFD_MESSAGES_MAX)
		ab_warn(path, 0, "%lu more messages of libbfd not shown",
			bfd_shown - BFD_MESSAGES_MAX);
	bfd_shown = 0;
}

unsigned long ab_elf_complaints(const struct ab_elf *e)
{
	return bfd_messages - e->bfd_base;
}

int ab_elf_check_sound(const struct ab_elf *e)
{
	unsigned long n = ab_elf_complaints(e);
	if (!n)
		return 0;
	ab_error(e->path, 0, "corrupt ELF file: libbfd complained %lu time%s while reading it",
		 n, n == 1 ? "" : "s");
	return -1;
}

static void bfd_once(void)
{
	static int done;
	if (done)
		return;
	bfd_init();
	/* libbfd's own warnings about corrupt files then read "afterburn: ..." */
	bfd_set_error_program_name("afterburn");
	bfd_default_handler = bfd_set_error_handler(bfd_limited_handler);
	done = 1;
}

static const char *bfd_why(void)
{
	return bfd_errmsg(bfd_get_error());
}

static int check_regular_file(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		ab_error(path, 0, "%s", strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		ab_error(path, 0, "not a regular file");
		return -1;
	}
	return 0;
}

/* Does the file start like an ELF file?  Then an unreadable one is corrupt
 * or truncated rather than something else entirely. */
static int elf_magic(const char *path)
{
	char m[4] = { 0 };
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	size_t n = fread(m, 1, sizeof(m), f);
	fclose(f);
	return n == sizeof(m) && !memcmp(m, "\177ELF", 4);
}

static int check_format(struct ab_elf *e)
{
	bfd *abfd = e->abfd;
	if (bfd_check_format(abfd, bfd_archive)) {
		ab_error(e->path, 0, "is an archive, not an ELF object or image");
		return -1;
	}
	if (!bfd_check_format(abfd, bfd_object)) {
		const char *why = bfd_why();
		if (elf_magic(e->path))
			ab_error(e->path, 0, "truncated or corrupt ELF file (%s)", why);
		else
			ab_error(e->path, 0, "not an ELF object or image (%s)", why);
		return -1;
	}
	if (bfd_get_flavour(abfd) != bfd_target_elf_flavour) {
		ab_error(e->path, 0, "not an ELF file (format %s)", bfd_get_target(abfd));
		return -1;
	}
	if (bfd_get_arch(abfd) != bfd_arch_i386) {
		ab_error(e->path, 0, "not an x86 ELF file (architecture %s)",
			 bfd_printable_name(abfd));
		return -1;
	}
	e->mode64 = (bfd_get_mach(abfd) & bfd_mach_x86_64) != 0;
	e->linked = (bfd_get_file_flags(abfd) & (EXEC_P | DYNAMIC)) != 0;
	return 0;
}

static int load_sections(struct ab_elf *e)
{
	ufile_ptr fsize = bfd_get_file_size(e->abfd);
	e->nsecs = bfd_count_sections(e->abfd);
	e->secs = ab_au_calloc(e->nsecs + 1, sizeof(*e->secs));
	size_t i = 0;
	for (asection *s = e->abfd->sections; s && i < e->nsecs; s = s->next, i++) {
		struct ab_section *as = &e->secs[i];
		flagword f = bfd_section_flags(s);
		if ((size_t)s->index != i) {
			ab_error(e->path, 0, "inconsistent section table");
			return -1;
		}
		as->bsec = s;
		as->name = bfd_section_name(s);
		as->vma = bfd_section_vma(s);
		as->size = bfd_section_size(s);
		as->code = (f & SEC_CODE) != 0;
		as->alloc = (f & SEC_ALLOC) != 0;
		as->has_contents = (f & SEC_HAS_CONTENTS) != 0;
		/* A size past the end of the file means a corrupt or truncated
		 * file; say so before libbfd tries to allocate it. */
		if (as->has_contents && fsize && as->size > fsize &&
		    !(f & SEC_IN_MEMORY) && s->compress_status == COMPRESS_SECTION_NONE) {
			ab_error(e->path, 0, "section %s: size 0x%llx past the end of the file "
				 "(truncated or corrupt)", as->name, (unsigned long long)as->size);
			return -1;
		}
	}
	e->nsecs = i;
	return 0;
}

int ab_elf_open(struct ab_elf *e, const char *path)
{
	memset(e, 0, sizeof(*e));
	e->path = path;
	bfd_once();
	e->bfd_base = bfd_messages;
	bfd_shown = 0;
	if (check_regular_file(path))
		return -1;
	e->abfd = bfd_openr(path, NULL);
	if (!e->abfd) {
		ab_error(path, 0, "cannot open: %s", bfd_why());
		return -1;
	}
	if (check_format(e) || load_sections(e) || ab_symbols_load(e)) {
		ab_elf_close(e);
		return -1;
	}
	return 0;
}

void ab_elf_close(struct ab_elf *e)
{
	for (size_t i = 0; i < e->nsecs; i++)
		free(e->secs[i].data);
	free(e->secs);
	free(e->bsyms);
	free(e->syms);
	free(e->sym_first);
	if (e->abfd)
		bfd_close(e->abfd);
	if (e->path)
		bfd_messages_done(e->path);
	memset(e, 0, sizeof(*e));
}

const uint8_t *ab_elf_contents(struct ab_elf *e, unsigned sec)
{
	struct ab_section *s = &e->secs[sec];
	bfd_byte *buf = NULL;

	if (s->data || !s->size)
		return s->data ? s->data : (const uint8_t *)"";
	if (!s->has_contents) {
		/* SHT_NOBITS: no bytes in the file, whatever size it claims. */
		ab_error(e->path, 0, "section %s has no contents in the file", s->name);
		return NULL;
	}
	if (!bfd_malloc_and_get_section(e->abfd, s->bsec, &buf)) {
		ab_error(e->path, 0, "cannot read section %s: %s", s->name, bfd_why());
		free(buf);
		return NULL;
	}
	s->data = buf;
	return s->data;
}

int ab_elf_find_section(const struct ab_elf *e, const char *name, unsigned n)
{
	for (size_t i = 0; i < e->nsecs; i++)
		if (!strcmp(e->secs[i].name, name) && n-- == 0)
			return (int)i;
	return -1;
}

static int holds(const struct ab_section *s, uint64_t vma)
{
	return s->alloc && vma >= s->vma && vma - s->vma < s->size;
}

int ab_elf_section_at(const struct ab_elf *e, uint64_t vma)
{
	for (size_t i = 0; i < e->nsecs; i++)
		if (e->secs[i].code && holds(&e->secs[i], vma))
			return (int)i;
	for (size_t i = 0; i < e->nsecs; i++)
		if (holds(&e->secs[i], vma))
			return (int)i;
	return -1;
}

void ab_elf_loc(const struct ab_elf *e, unsigned sec, uint64_t off, char *buf, size_t n)
{
	const struct ab_section *s = &e->secs[sec];
	if (e->linked)
		ab_au_snprintf(buf, n, "0x%016llx", (unsigned long long)(s->vma + off));
	else
		ab_au_snprintf(buf, n, "%s+0x%llx", s->name, (unsigned long long)off);
}

/* Our index of a section libbfd handed back, -1 for its special sections. */
static int section_index(const struct ab_elf *e, const asection *s)
{
	if (!s || s->owner != e->abfd || (size_t)s->index >= e->nsecs ||
	    e->secs[s->index].bsec != s)
		return -1;
	return (int)s->index;
}

static void resolve_reloc(const struct ab_elf *e, const arelent *r, struct ab_reloc *out)
{
	const asymbol *sym = r->sym_ptr_ptr ? *r->sym_ptr_ptr : NULL;
	out->off = r->address;
	out->type = r->howto ? r->howto->type : ~0u;
	out->tsec = sym ? section_index(e, sym->section) : -1;
	out->toff = (sym ? sym->value : 0) + (uint64_t)r->addend;
	out->sym = sym && sym->name ? sym->name : "?";
	out->inplace = r->howto && r->howto->partial_inplace;
	out->pcrel = r->howto && r->howto->pc_relative;
}

int ab_elf_relocs(struct ab_elf *e, unsigned sec, struct ab_reloc **out, size_t *n)
{
	asection *s = e->secs[sec].bsec;
	*out = NULL;
	*n = 0;
	if (!(bfd_section_flags(s) & SEC_RELOC)) {
		*out = ab_au_calloc(1, sizeof(**out)); /* never NULL: qsort, memcpy */
		return 0;
	}
	long bytes = bfd_get_reloc_upper_bound(e->abfd, s);
	if (bytes < 0) {
		ab_error(e->path, 0, "cannot read relocations of %s: %s", e->secs[sec].name, bfd_why());
		return -1;
	}
	arelent **rel = ab_au_malloc((size_t)bytes);
	long cnt = bfd_canonicalize_reloc(e->abfd, s, rel, e->bsyms);
	if (cnt < 0) {
		ab_error(e->path, 0, "cannot read relocations of %s: %s", e->secs[sec].name, bfd_why());
		free(rel);
		return -1;
	}
	*out = ab_au_calloc((size_t)cnt + 1, sizeof(**out));
	for (long i = 0; i < cnt; i++)
		resolve_reloc(e, rel[i], &(*out)[i]);
	*n = (size_t)cnt;
	free(rel);
	return 0;
}
