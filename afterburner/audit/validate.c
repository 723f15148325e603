/*
 * Validation of resolved records against the bytes at their sites: what
 * the wedge checks again before it patches (architecture brief, section 5),
 * done at build time so that a bad record never reaches a kernel image.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afterburn/abi.h"
#include "afterburn/decode.h"
#include "afterburn/kind.h"
#include "classify.h"
#include "disasm.h"
#include "records.h"
#include "util.h"

static void check_fields(struct ab_record *rec)
{
	if (!ab_kind_name(rec->kind))
		ab_record_invalid(rec, "undefined kind %u", rec->kind);
	if (rec->flags & ~AB_F_KNOWN)
		ab_record_invalid(rec, "unknown flag bits 0x%x",
				  (unsigned)(rec->flags & ~AB_F_KNOWN));
	if (!rec->len)
		ab_record_invalid(rec, "len 0");
}

static int check_section(struct ab_elf *e, struct ab_record *rec)
{
	const struct ab_section *s = &e->secs[rec->tsec];
	if (!s->code) {
		ab_record_invalid(rec, "site is in section %s, which is not executable", s->name);
		return -1;
	}
	if (!s->has_contents) {
		ab_record_invalid(rec, "site is in section %s, which has no contents", s->name);
		return -1;
	}
	if (rec->toff >= s->size) {
		ab_record_invalid(rec, "site offset 0x%llx is past the end of section %s "
				  "(size 0x%llx)", (unsigned long long)rec->toff, s->name,
				  (unsigned long long)s->size);
		return -1;
	}
	int in_repl = ab_altrepl_section(s->name);
	int flagged = (rec->flags & AB_F_ALTREPL) != 0;
	if (in_repl && !flagged)
		ab_record_invalid(rec, "site in %s lacks flag altrepl", s->name);
	if (!in_repl && flagged)
		ab_record_invalid(rec, "flag altrepl on a site in %s, not in "
				  ".altinstr_replacement", s->name);
	return 0;
}

static void describe(struct ab_dis *d, const uint8_t *p, size_t n, uint64_t addr,
		     char *buf, size_t size)
{
	char text[96], hex[48];
	ab_dis_text(d, p, n, addr, text, sizeof(text));
	ab_au_snprintf(buf, size, "'%s' (%s)", text, ab_au_hex(hex, p, n < 15 ? n : 15));
}

/* The wedge checks each record with its own decoder before it patches:
 * a record it would refuse is of no use. */
static void check_wedge(struct ab_record *rec, const uint8_t *p, size_t avail, size_t len)
{
	struct ab_insn w;
	if (ab_decode_sensitive(p, avail, &w))
		ab_record_invalid(rec, "the wedge's decoder does not see a sensitive "
				  "instruction here: the wedge would refuse this record");
	else if (w.kind != rec->kind || w.len != len)
		ab_record_invalid(rec, "the wedge's decoder reads %s of %u bytes here: the "
				  "wedge would refuse this record", ab_kind_name(w.kind), w.len);
}

static void check_bytes(struct ab_elf *e, struct ab_record *rec, struct ab_dis *d)
{
	const struct ab_section *s = &e->secs[rec->tsec];
	const uint8_t *data = ab_elf_contents(e, (unsigned)rec->tsec);
	if (!data) {
		ab_record_invalid(rec, "cannot read section %s", s->name);
		return;
	}
	const uint8_t *p = data + rec->toff;
	size_t avail = (size_t)(s->size - rec->toff);
	uint64_t addr = s->vma + rec->toff;
	size_t len = ab_dis_length(d, p, avail, addr);
	char what[160];
	if (rec->toff + rec->len > s->size)
		ab_record_invalid(rec, "len %u runs past the end of section %s (site at 0x%llx, "
				  "size 0x%llx)", rec->len, s->name,
				  (unsigned long long)rec->toff, (unsigned long long)s->size);
	if (!len) {
		describe(d, p, avail, addr, what, sizeof(what));
		ab_record_invalid(rec, "the bytes at the site do not decode: %s", what);
		return;
	}
	rec->insn_len = (unsigned)len;
	unsigned actual = ab_insn_kind(p, len, e->mode64);
	if (actual != rec->kind && ab_kind_name(rec->kind)) {
		describe(d, p, len, addr, what, sizeof(what));
		ab_record_invalid(rec, "recorded as %s but the instruction is %s, %s%s",
				  ab_kind_name(rec->kind), what,
				  actual ? "kind " : "not sensitive",
				  actual ? ab_kind_name(actual) : "");
	}
	if (actual == rec->kind && e->mode64)
		check_wedge(rec, p, avail, len);
	if (rec->len < len)
		ab_record_invalid(rec, "len %u is shorter than the instruction (%zu bytes)",
				  rec->len, len);
	else if (rec->toff + rec->len <= s->size && !ab_insn_all_nops(p + len, rec->len - len, e->mode64)) {
		char hex[3 * 256];
		ab_record_invalid(rec, "padding after the instruction is not NOPs: %s",
				  ab_au_hex(hex, p + len, rec->len - len));
	}
}

/* Sorted by site, a record must start at or after the end of every site
 * before it in the same section. */
static void check_neighbours(struct ab_elf *e, struct ab_records *r)
{
	size_t *idx = ab_records_by_site(r);
	const struct ab_record *prev = NULL, *reach = NULL; /* reach: furthest end */
	char loc[128];
	for (size_t i = 0; i < r->n; i++) {
		struct ab_record *b = &r->v[idx[i]];
		if (b->tsec < 0)
			break;
		if (prev && prev->tsec != b->tsec)
			prev = reach = NULL;
		if (prev && prev->toff == b->toff) {
			ab_elf_loc(e, (unsigned)b->tsec, b->toff, loc, sizeof(loc));
			ab_record_invalid(b, "duplicate: record #%zu has the same site %s",
					  prev->index, loc);
		} else if (reach && b->toff < reach->toff + reach->len) {
			ab_elf_loc(e, (unsigned)reach->tsec, reach->toff, loc, sizeof(loc));
			ab_record_invalid(b, "site overlaps the site of record #%zu (%s, len %u)",
					  reach->index, loc, reach->len);
		}
		if (!reach || b->toff + b->len > reach->toff + reach->len)
			reach = b;
		prev = b;
	}
	free(idx);
}

void ab_records_validate(struct ab_elf *e, struct ab_records *r, struct ab_dis *d)
{
	for (size_t i = 0; i < r->n; i++) {
		struct ab_record *rec = &r->v[i];
		check_fields(rec);
		if (rec->tsec < 0 || check_section(e, rec))
			continue;
		check_bytes(e, rec, d);
	}
	check_neighbours(e, r);
}
