/*
 * Which section the assembler is in, so that only instructions in
 * executable sections become sites, and those in copied replacement
 * sections (Linux's .altinstr_replacement) carry AB_F_ALTREPL.
 *
 * gas keeps a section's flags from its first declaration; without flags
 * the defaults follow the name (.text, .text.*, .init, .fini, ...).
 */
#include <stdlib.h>
#include <string.h>

#include "../diag.h"
#include "rw.h"

static int has_prefix(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);
	return n >= k && !memcmp(s, prefix, k);
}

static int default_exec(const char *name, size_t n)
{
	if ((n == 5 && !memcmp(name, ".text", 5)) || has_prefix(name, n, ".text."))
		return 1;
	if ((n == 5 && !memcmp(name, ".init", 5)) || (n == 5 && !memcmp(name, ".fini", 5)))
		return 1;
	return has_prefix(name, n, ".gnu.linkonce.t.");
}

static int find(const struct rw *rw, const char *name, size_t n)
{
	for (size_t i = 0; i < rw->nsections; i++)
		if (strlen(rw->sections[i].name) == n && !memcmp(rw->sections[i].name, name, n))
			return (int)i;
	return -1;
}

static int intern(struct rw *rw, const char *name, size_t n, const char *flags, size_t flen)
{
	int i = find(rw, name, n);
	if (i >= 0)
		return i;
	struct rw_section *s = realloc(rw->sections, (rw->nsections + 1) * sizeof(*s));
	char *copy = malloc(n + 1);
	if (!s || !copy) {
		ab_error(NULL, 0, "out of memory");
		exit(1);
	}
	rw->sections = s;
	memcpy(copy, name, n);
	copy[n] = 0;
	s = &rw->sections[rw->nsections];
	s->name = copy;
	s->exec = flags ? memchr(flags, 'x', flen) != NULL : default_exec(name, n);
	s->altrepl = memmem(name, n, "altinstr_replacement", 20) != NULL;
	return (int)rw->nsections++;
}

void rw_section_switch(struct rw *rw, const char *name, size_t nlen, const char *flags,
		       size_t flen)
{
	int i = intern(rw, name, nlen, flags, flen);
	rw->sec.prev = rw->sec.cur;
	rw->sec.cur = i;
}

/* ".section NAME[, "FLAGS"[, @type ...]]" and the same after .pushsection. */
void rw_section_directive(struct rw *rw, const char *a, size_t alen)
{
	size_t i = 0, name_start, name_end;
	if (alen && a[0] == '"') {
		name_start = 1;
		for (i = 1; i < alen && a[i] != '"'; i++)
			;
		name_end = i;
		if (i < alen)
			i++;
	} else {
		name_start = 0;
		while (i < alen && a[i] != ',' && a[i] != ' ' && a[i] != '\t')
			i++;
		name_end = i;
	}
	if (name_end == name_start) {
		rw_error(rw, "section directive without a section name");
		return;
	}
	const char *flags = NULL;
	size_t flen = 0;
	i = rw_skip_blanks(a, i, alen);
	if (i < alen && a[i] == ',') {
		i = rw_skip_blanks(a, i + 1, alen);
		if (i < alen && a[i] == '"') {
			size_t f = ++i;
			while (i < alen && a[i] != '"')
				i++;
			flags = a + f;
			flen = i - f;
		}
	}
	rw_section_switch(rw, a + name_start, name_end - name_start, flags, flen);
}

void rw_section_push(struct rw *rw)
{
	if (rw->sec.sp == (int)(sizeof(rw->sec.stack) / sizeof(rw->sec.stack[0]))) {
		rw_error(rw, ".pushsection nested too deeply");
		return;
	}
	rw->sec.stack[rw->sec.sp][0] = rw->sec.cur;
	rw->sec.stack[rw->sec.sp][1] = rw->sec.prev;
	rw->sec.sp++;
}

void rw_section_pop(struct rw *rw)
{
	/* gas ignores an unmatched .popsection with a warning; so do we. */
	if (rw->sec.sp == 0)
		return;
	rw->sec.sp--;
	rw->sec.cur = rw->sec.stack[rw->sec.sp][0];
	rw->sec.prev = rw->sec.stack[rw->sec.sp][1];
}

void rw_section_previous(struct rw *rw)
{
	int t = rw->sec.cur;
	rw->sec.cur = rw->sec.prev;
	rw->sec.prev = t;
}

int rw_section_exec(const struct rw *rw)
{
	return rw->sec.cur < 0 || rw->sections[rw->sec.cur].exec;
}

int rw_section_altrepl(const struct rw *rw)
{
	return rw->sec.cur >= 0 && rw->sections[rw->sec.cur].altrepl;
}

void rw_sections_free(struct rw *rw)
{
	for (size_t i = 0; i < rw->nsections; i++)
		free(rw->sections[i].name);
	free(rw->sections);
	rw->sections = NULL;
	rw->nsections = 0;
}
