/*
 * Reading the site records (SITES notes, abi.h): the records' fields, then
 * where each site is.
 * A linked file has final addresses: site = record address + rel.  In a
 * relocatable object rel is 0 and an R_X86_64_PC32 relocation carries the
 * site as (symbol's section, symbol value + addend).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afterburn/abi.h"
#include "../diag.h"
#include "notes.h"
#include "records.h"
#include "util.h"

void ab_record_invalid(struct ab_record *rec, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (!msg)
		return;
	if (rec->why) {
		char *both = ab_au_asprintf("%s; %s", rec->why, msg);
		free(rec->why);
		free(msg);
		msg = both;
	}
	rec->why = msg;
}

__attribute__((format(printf, 3, 4)))
static void table_issue(struct ab_records *r, unsigned sec, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = ab_au_strdup("(no memory for the message)");
	va_end(ap);
	struct ab_table_issue *t = AB_PUSH(r->issues, r->nissues, r->capissues);
	t->sec = sec;
	t->msg = msg;
}

static void place_site(struct ab_elf *e, struct ab_record *rec, uint64_t vma)
{
	int s = ab_elf_section_at(e, vma);
	if (s < 0) {
		ab_record_invalid(rec, "site 0x%llx is outside every section",
				  (unsigned long long)vma);
		return;
	}
	rec->tsec = s;
	rec->toff = vma - e->secs[s].vma;
}

/* The record whose rel field a relocation at off patches; NULL if off is
 * not in a record of [first, last); *inside: within a record, not at it. */
static struct ab_record *record_at(struct ab_records *r, size_t first, size_t last,
				   uint64_t off, int *inside)
{
	*inside = 0;
	while (first < last) {
		size_t mid = first + (last - first) / 2;
		struct ab_record *m = &r->v[mid];
		if (off < m->roff) {
			last = mid;
		} else if (off >= m->roff + sizeof(struct ab_site)) {
			first = mid + 1;
		} else {
			*inside = off != m->roff;
			return *inside ? NULL : m;
		}
	}
	return NULL;
}

static void apply_reloc(struct ab_record *rec, const struct ab_reloc *rel)
{
	if (rel->type != AB_R_X86_64_PC32) {
		ab_record_invalid(rec, "relocation of type %u against %s, not "
				  "R_X86_64_PC32", rel->type, rel->sym);
	} else if (rel->tsec < 0) {
		ab_record_invalid(rec, "relocation against %s, which is in no section "
				  "of this file", rel->sym);
	} else {
		rec->tsec = rel->tsec;
		/* REL (i386) keeps the addend in the field itself. */
		rec->toff = rel->toff + (rel->inplace ? (uint64_t)(int64_t)rec->rel : 0);
	}
}

/* Objects: the sites of the records [first, last) of note section sec
 * come from the relocations of their rel fields. */
static int apply_relocs(struct ab_elf *e, struct ab_records *r, unsigned sec,
			size_t first, size_t last)
{
	struct ab_reloc *rel;
	size_t n;
	if (ab_elf_relocs(e, sec, &rel, &n))
		return -1;
	unsigned char *seen = ab_au_calloc(last - first + 1, 1);
	for (size_t i = 0; i < n; i++) {
		int inside;
		struct ab_record *rec = record_at(r, first, last, rel[i].off, &inside);
		if (inside)
			table_issue(r, sec, "relocation at offset 0x%llx does not apply to "
				    "the rel field of a record", (unsigned long long)rel[i].off);
		if (!rec)
			continue;
		if (seen[rec - &r->v[first]]++)
			ab_record_invalid(rec, "more than one relocation for its rel field");
		else
			apply_reloc(rec, &rel[i]);
	}
	for (size_t k = first; k < last; k++)
		if (!seen[k - first])
			ab_record_invalid(&r->v[k], "no relocation for its rel field "
					  "(a record in an object must carry one)");
	free(seen);
	free(rel);
	return 0;
}

static void read_fields(struct ab_record *rec, const uint8_t *p)
{
	rec->rel = (int32_t)ab_au_le32(p);
	rec->len = p[4];
	rec->kind = p[5];
	rec->flags = ab_au_le16(p + 6);
	rec->tsec = -1;
}

struct walk_ctx {
	struct ab_elf *e;
	struct ab_records *r;
	int *has_sites;         /* per section: holds a SITES note */
};

static void read_sites_note(struct walk_ctx *w, const struct ab_note_ref *n)
{
	struct ab_records *r = w->r;
	const struct ab_section *s = &w->e->secs[n->sec];
	if (n->descsz % sizeof(struct ab_site))
		table_issue(r, n->sec, "sites note at offset 0x%llx: descriptor of %u bytes is "
			    "not a multiple of %zu (a truncated record)",
			    (unsigned long long)n->off, n->descsz, sizeof(struct ab_site));
	size_t count = n->descsz / sizeof(struct ab_site);
	for (size_t k = 0; k < count; k++) {
		struct ab_record *rec = AB_PUSH(r->v, r->n, r->cap);
		memset(rec, 0, sizeof(*rec));
		rec->index = r->n - 1;
		rec->rsec = n->sec;
		rec->roff = n->desc_off + k * sizeof(struct ab_site);
		read_fields(rec, n->desc + k * sizeof(struct ab_site));
		if (w->e->linked)
			place_site(w->e, rec, s->vma + rec->roff + (uint64_t)(int64_t)rec->rel);
	}
	w->has_sites[n->sec] = 1;
	r->nnotes++;
}

static void on_note(void *ctx, const struct ab_note_ref *n)
{
	struct walk_ctx *w = ctx;
	if (n->problem)
		table_issue(w->r, n->sec, "%s at offset 0x%llx", n->problem,
			    (unsigned long long)n->off);
	else if (n->type == AB_NOTE_TYPE_SITES)
		read_sites_note(w, n);
	else if (n->type != AB_NOTE_TYPE_VERSION)
		table_issue(w->r, n->sec, "%s note of unknown type %u at offset 0x%llx",
			    AB_NOTE_NAME, n->type, (unsigned long long)n->off);
}

/* Records of each section are contiguous in r->v, in offset order. */
static int resolve_objects(struct ab_elf *e, struct ab_records *r, const int *has_sites)
{
	size_t k = 0;
	for (unsigned s = 0; s < e->nsecs; s++) {
		if (!has_sites[s])
			continue;
		while (k < r->n && r->v[k].rsec != s)
			k++;
		size_t first = k;
		while (k < r->n && r->v[k].rsec == s)
			k++;
		if (apply_relocs(e, r, s, first, k))
			return -1;
	}
	return 0;
}

int ab_records_read(struct ab_elf *e, struct ab_records *r)
{
	memset(r, 0, sizeof(*r));
	struct walk_ctx w = { e, r, ab_au_calloc(e->nsecs + 1, sizeof(int)) };
	int rc = ab_notes_walk(e, on_note, &w);
	if (!rc && !e->linked)
		rc = resolve_objects(e, r, w.has_sites);
	free(w.has_sites);
	return rc;
}

void ab_records_free(struct ab_records *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].why);
	for (size_t i = 0; i < r->nissues; i++)
		free(r->issues[i].msg);
	free(r->v);
	free(r->issues);
	memset(r, 0, sizeof(*r));
}

static const struct ab_records *sort_recs;

static int cmp_site(const void *a, const void *b)
{
	const struct ab_record *x = &sort_recs->v[*(const size_t *)a];
	const struct ab_record *y = &sort_recs->v[*(const size_t *)b];
	unsigned xs = (unsigned)x->tsec, ys = (unsigned)y->tsec; /* -1 sorts last */
	if (xs != ys)
		return xs < ys ? -1 : 1;
	if (x->toff != y->toff)
		return x->toff < y->toff ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

size_t *ab_records_by_site(const struct ab_records *r)
{
	size_t *idx = ab_au_calloc(r->n, sizeof(*idx));
	for (size_t i = 0; i < r->n; i++)
		idx[i] = i;
	sort_recs = r;
	qsort(idx, r->n, sizeof(*idx), cmp_site);
	sort_recs = NULL;
	return idx;
}

static const char *const flag_names[16] = {
	"macro", "repeat", "prefix", "inline-asm", "bytes", "macro-arg", "altrepl",
};

const char *ab_site_flag_name(unsigned bit)
{
	return bit < 16 && (AB_F_KNOWN >> bit & 1) ? flag_names[bit] : NULL;
}

void ab_site_flags_str(unsigned flags, char *buf, size_t n)
{
	size_t used = 0;
	ab_au_snprintf(buf, n, "-");
	for (unsigned b = 0; b < 16; b++) {
		if (!(flags >> b & 1) || used + 1 >= n || (AB_F_LEAD_MASK >> b & 1))
			continue;
		const char *name = ab_site_flag_name(b);
		if (name)
			ab_au_snprintf(buf + used, n - used, "%s%s", used ? "," : "", name);
		else
			ab_au_snprintf(buf + used, n - used, "%s0x%x", used ? "," : "", 1u << b);
		used += strlen(buf + used);
	}
	/* The lead NOP count is a number, not four flags (abi.h, AB_F_LEAD). */
	if ((flags & AB_F_LEAD_MASK) && used + 1 < n)
		ab_au_snprintf(buf + used, n - used, "%slead=%u", used ? "," : "",
			       (flags & AB_F_LEAD_MASK) >> AB_F_LEAD_SHIFT);
}

int ab_altrepl_section(const char *name)
{
	return strstr(name, "altinstr_replacement") != NULL;
}
