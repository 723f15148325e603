/*
 * Symbols: libbfd's table (kept for relocations) and our own array of the
 * symbols that name code or data, sorted by (section, offset, rank) so that
 * "which function is this address in" is a binary search.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../diag.h"
#include "elf_input.h"
#include "symbols.h"
#include "util.h"

/* Among symbols at one address, name the place after a function first,
 * a global one before a local one: "__sched_text_start" (a linker-script
 * marker) and the static function "__schedule" share an address, the
 * latter says more. */
static unsigned rank_of(const asymbol *s)
{
	unsigned global = (s->flags & (BSF_GLOBAL | BSF_WEAK)) != 0;
	unsigned func = (s->flags & BSF_FUNCTION) != 0;
	return (func ? 0 : 2) + (global ? 0 : 1);
}

static int useful(const struct ab_elf *e, const asymbol *s)
{
	const asection *sec = s->section;
	if (s->flags & (BSF_FILE | BSF_DEBUGGING | BSF_SECTION_SYM | BSF_WARNING |
			BSF_INDIRECT))
		return 0;
	if (!sec || sec->owner != e->abfd || (size_t)sec->index >= e->nsecs ||
	    e->secs[sec->index].bsec != sec)
		return 0;
	return s->name && s->name[0];
}

static int cmp_sym(const void *a, const void *b)
{
	const struct ab_symbol *x = a, *y = b;
	if (x->sec != y->sec)
		return x->sec < y->sec ? -1 : 1;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return strcmp(x->name, y->name);
}

static long read_table(struct ab_elf *e)
{
	long bytes = 0;
	if (bfd_get_file_flags(e->abfd) & HAS_SYMS)
		bytes = bfd_get_symtab_upper_bound(e->abfd);
	if (bytes < 0) {
		ab_error(e->path, 0, "cannot read the symbol table: %s",
			 bfd_errmsg(bfd_get_error()));
		return -1;
	}
	/* Never NULL: relocation reading wants a table even when empty. */
	e->bsyms = ab_au_calloc(1, (size_t)bytes + sizeof(asymbol *));
	if (!bytes)
		return 0;
	long n = bfd_canonicalize_symtab(e->abfd, e->bsyms);
	if (n < 0) {
		ab_error(e->path, 0, "cannot read the symbol table: %s",
			 bfd_errmsg(bfd_get_error()));
		return -1;
	}
	return n;
}

static void index_sections(struct ab_elf *e)
{
	e->sym_first = ab_au_calloc(e->nsecs + 1, sizeof(*e->sym_first));
	size_t k = 0;
	for (size_t s = 0; s <= e->nsecs; s++) {
		while (k < e->nsyms && e->syms[k].sec < s)
			k++;
		e->sym_first[s] = k;
	}
}

int ab_symbols_load(struct ab_elf *e)
{
	long n = read_table(e);
	if (n < 0)
		return -1;
	e->syms = ab_au_calloc((size_t)n + 1, sizeof(*e->syms));
	for (long i = 0; i < n; i++) {
		const asymbol *s = e->bsyms[i];
		if (!s || !useful(e, s))
			continue;
		struct ab_symbol *o = &e->syms[e->nsyms++];
		o->name = s->name;
		o->off = s->value;
		o->sec = (unsigned)s->section->index;
		o->rank = rank_of(s);
	}
	qsort(e->syms, e->nsyms, sizeof(*e->syms), cmp_sym);
	index_sections(e);
	return 0;
}

/* First symbol of sec with an offset greater than off. */
static size_t upper_bound(const struct ab_elf *e, unsigned sec, uint64_t off)
{
	size_t lo = e->sym_first[sec], hi = e->sym_first[sec + 1];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e->syms[mid].off <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct ab_symbol *ab_elf_symbol_at(const struct ab_elf *e, unsigned sec, uint64_t off)
{
	if (sec >= e->nsecs)
		return NULL;
	size_t k = upper_bound(e, sec, off);
	if (k == e->sym_first[sec])
		return NULL;
	/* Walk back to the best-ranked alias: they sort first. */
	uint64_t at = e->syms[k - 1].off;
	while (k - 1 > e->sym_first[sec] && e->syms[k - 2].off == at)
		k--;
	return &e->syms[k - 1];
}

void ab_elf_symbols_from(const struct ab_elf *e, unsigned sec, uint64_t off,
			 size_t *first, size_t *end)
{
	*end = upper_bound(e, sec, off);
	*first = *end;
	while (*first > e->sym_first[sec] && e->syms[*first - 1].off == off)
		(*first)--;
}

void ab_elf_where(const struct ab_elf *e, unsigned sec, uint64_t off, char *buf, size_t n)
{
	const struct ab_symbol *s = ab_elf_symbol_at(e, sec, off);
	if (s)
		ab_au_snprintf(buf, n, "%s+0x%llx", s->name, (unsigned long long)(off - s->off));
	else
		ab_au_snprintf(buf, n, "%s+0x%llx", e->secs[sec].name, (unsigned long long)off);
}
