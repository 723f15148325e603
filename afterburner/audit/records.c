/*
 * Reading .afterburn: the records' fields, then where each site is.
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

/* The relocations of one .afterburn section, each attached to its record. */
static int apply_relocs(struct ab_elf *e, struct ab_records *r, unsigned sec,
			size_t first, size_t count, unsigned char *seen)
{
	struct ab_reloc *rel;
	size_t n;
	if (ab_elf_relocs(e, sec, &rel, &n))
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t k = (size_t)(rel[i].off / sizeof(struct ab_site));
		if (rel[i].off % sizeof(struct ab_site) || k >= count) {
			table_issue(r, sec, "relocation at offset 0x%llx does not apply to "
				    "the rel field of a record", (unsigned long long)rel[i].off);
			continue;
		}
		struct ab_record *rec = &r->v[first + k];
		if (seen[k]++) {
			ab_record_invalid(rec, "more than one relocation for its rel field");
		} else if (rel[i].type != AB_R_X86_64_PC32) {
			ab_record_invalid(rec, "relocation of type %u against %s, not "
					  "R_X86_64_PC32", rel[i].type, rel[i].sym);
		} else if (rel[i].tsec < 0) {
			ab_record_invalid(rec, "relocation against %s, which is in no section "
					  "of this file", rel[i].sym);
		} else {
			rec->tsec = rel[i].tsec;
			rec->toff = rel[i].toff;
		}
	}
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

static int read_section(struct ab_elf *e, struct ab_records *r, unsigned sec)
{
	const struct ab_section *s = &e->secs[sec];
	const uint8_t *data = ab_elf_contents(e, sec);
	if (!data)
		return -1;
	if (s->size % sizeof(struct ab_site))
		table_issue(r, sec, "section size %llu is not a multiple of %zu "
			    "(a truncated record)", (unsigned long long)s->size,
			    sizeof(struct ab_site));
	size_t count = (size_t)(s->size / sizeof(struct ab_site));
	size_t first = r->n;
	for (size_t k = 0; k < count; k++) {
		struct ab_record *rec = AB_PUSH(r->v, r->n, r->cap);
		memset(rec, 0, sizeof(*rec));
		rec->index = first + k;
		rec->rsec = sec;
		rec->roff = k * sizeof(struct ab_site);
		read_fields(rec, data + rec->roff);
		if (e->linked)
			place_site(e, rec, s->vma + rec->roff + (uint64_t)(int64_t)rec->rel);
	}
	if (e->linked)
		return 0;
	unsigned char *seen = ab_au_calloc(count, 1);
	int rc = apply_relocs(e, r, sec, first, count, seen);
	for (size_t k = 0; rc == 0 && k < count; k++)
		if (!seen[k])
			ab_record_invalid(&r->v[first + k], "no relocation for its rel field "
					  "(a record in an object must carry one)");
	free(seen);
	return rc;
}

int ab_records_read(struct ab_elf *e, struct ab_records *r)
{
	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < e->nsecs; i++) {
		if (strcmp(e->secs[i].name, AB_SECTION))
			continue;
		r->nsections++;
		if (read_section(e, r, (unsigned)i))
			return -1;
	}
	return 0;
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
		if (!(flags >> b & 1) || used + 1 >= n)
			continue;
		const char *name = ab_site_flag_name(b);
		if (name)
			ab_au_snprintf(buf + used, n - used, "%s%s", used ? "," : "", name);
		else
			ab_au_snprintf(buf + used, n - used, "%s0x%x", used ? "," : "", 1u << b);
		used += strlen(buf + used);
	}
}

int ab_altrepl_section(const char *name)
{
	return strstr(name, "altinstr_replacement") != NULL;
}
