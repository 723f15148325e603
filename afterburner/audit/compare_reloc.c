/* Relocations of matched instruction pairs (compare_reloc.h). */
#include <stdlib.h>
#include <string.h>

#include "compare_reloc.h"
#include "util.h"

static int by_off(const void *a, const void *b)
{
	const struct ab_reloc *x = a, *y = b;
	return x->off < y->off ? -1 : x->off > y->off;
}

int ab_reloc_cursor_init(struct ab_reloc_cursor *c, struct ab_elf *e, unsigned sec)
{
	memset(c, 0, sizeof(*c));
	c->e = e;
	if (ab_elf_relocs(e, sec, &c->v, &c->n))
		return -1;
	qsort(c->v, c->n, sizeof(*c->v), by_off);
	return 0;
}

void ab_reloc_cursor_fini(struct ab_reloc_cursor *c)
{
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/* The relocations in [at, at + len): *first and the count; the cursor
 * moves past them (and past any in bytes compare skipped). */
static size_t take(struct ab_reloc_cursor *c, uint64_t at, size_t len, size_t *first)
{
	while (c->k < c->n && c->v[c->k].off < at)
		c->k++;
	*first = c->k;
	while (c->k < c->n && c->v[c->k].off < at + len)
		c->k++;
	return c->k - *first;
}

static int target_is_code(const struct ab_reloc_cursor *c, const struct ab_reloc *r)
{
	return r->tsec >= 0 && c->e->secs[r->tsec].code;
}

static void describe(const struct ab_reloc_cursor *c, const struct ab_reloc *r, uint64_t at,
		     char *buf, size_t n)
{
	int64_t v = (int64_t)r->toff;
	ab_au_snprintf(buf, n, "type %u against %s%s %c 0x%llx at +%llu", r->type, r->sym,
		       target_is_code(c, r) ? " (code)" : "", v < 0 ? '-' : '+',
		       (unsigned long long)(v < 0 ? -(uint64_t)v : (uint64_t)v),
		       (unsigned long long)(r->off - at));
}

static int same(const struct ab_reloc_cursor *p, const struct ab_reloc *x, uint64_t p_at,
		const struct ab_reloc_cursor *a, const struct ab_reloc *y, uint64_t a_at)
{
	if (x->off - p_at != y->off - a_at || x->type != y->type || strcmp(x->sym, y->sym))
		return 0;
	if (target_is_code(p, x) != target_is_code(a, y))
		return 0;
	/* Code moves by the padding before it; data does not. */
	if (target_is_code(p, x) || x->toff == y->toff)
		return 1;
	/*
	 * "sym - label" with label in this section, before every site (Linux's
	 * rva(x) = x - startup_32): gas makes it PC-relative to sym with an
	 * addend of (place - label), which moves with the place.
	 */
	return x->pcrel && y->pcrel && x->toff - x->off == y->toff - y->off;
}

int ab_relocs_match(struct ab_reloc_cursor *p, uint64_t p_at, size_t p_len,
		    struct ab_reloc_cursor *a, uint64_t a_at, size_t a_len, char *why, size_t n)
{
	size_t pf, af;
	size_t pn = take(p, p_at, p_len, &pf), an = take(a, a_at, a_len, &af);
	char dp[256], da[256];
	for (size_t i = 0; i < pn || i < an; i++) {
		const struct ab_reloc *x = i < pn ? &p->v[pf + i] : NULL;
		const struct ab_reloc *y = i < an ? &a->v[af + i] : NULL;
		if (x && y && same(p, x, p_at, a, y, a_at))
			continue;
		if (x)
			describe(p, x, p_at, dp, sizeof(dp));
		if (y)
			describe(a, y, a_at, da, sizeof(da));
		ab_au_snprintf(why, n, "relocation %s != %s", x ? dp : "(none)", y ? da : "(none)");
		return 0;
	}
	return 1;
}
