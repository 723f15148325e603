/* Output of `afterburn audit`: a table for people, JSON for scripts. */
#include <inttypes.h>
#include <stdio.h>

#include "afterburn/kind.h"
#include "audit.h"
#include "json.h"
#include "util.h"

static const char *const state_names[AB_HIT_STATES] = {
	"covered", "uncovered", "excepted",
};

static const char *file_kind(const struct ab_elf *e)
{
	if (e->linked)
		return e->mode64 ? "linked x86-64 image" : "linked i386 image";
	return e->mode64 ? "x86-64 relocatable object" : "i386 relocatable object";
}

static uint64_t addr_of(const struct ab_elf *e, unsigned sec, uint64_t off)
{
	return e->secs[sec].vma + off;
}

/* ---- text ---- */

static void text_hit(struct ab_audit *a, size_t i, FILE *out)
{
	const struct ab_hit *h = &a->sweep.hits[i];
	char where[256], hex[48], text[96];
	ab_elf_where(&a->elf, h->sec, h->off, where, sizeof(where));
	ab_dis_text(&a->dis, h->bytes, h->len, addr_of(&a->elf, h->sec, h->off),
		    text, sizeof(text));
	fprintf(out, "%-10s %-16s 0x%-16" PRIx64 " %-32s %-13s %-20s %s", state_names[a->state[i]],
		a->elf.secs[h->sec].name, addr_of(&a->elf, h->sec, h->off), where,
		ab_kind_name(h->kind), ab_au_hex(hex, h->bytes, h->len), text);
	if (a->state[i] == AB_HIT_EXCEPTED)
		fprintf(out, "  excepted (%s)", a->hit_exc[i]->reason);
	else if (a->state[i] == AB_HIT_UNCOVERED && a->hit_record[i] >= 0)
		fprintf(out, "  (record #%ld is invalid)", a->hit_record[i]);
	fputc('\n', out);
}

static void record_site(const struct ab_elf *e, const struct ab_record *r, char *buf, size_t n)
{
	char where[256];
	if (r->tsec < 0) {
		ab_au_snprintf(buf, n, "-");
		return;
	}
	ab_elf_where(e, (unsigned)r->tsec, r->toff, where, sizeof(where));
	ab_au_snprintf(buf, n, "%s 0x%" PRIx64 " %s", e->secs[r->tsec].name,
		 addr_of(e, (unsigned)r->tsec, r->toff), where);
}

static void text_invalid(struct ab_audit *a, FILE *out)
{
	const struct ab_elf *e = &a->elf;
	char site[400];
	for (size_t i = 0; i < a->recs.nissues; i++)
		fprintf(out, "%-10s %s: %s\n", "invalid", e->secs[a->recs.issues[i].sec].name,
			a->recs.issues[i].msg);
	for (size_t i = 0; i < a->recs.n; i++) {
		const struct ab_record *r = &a->recs.v[i];
		if (!r->why)
			continue;
		char kind[16];
		const char *kn = ab_kind_name(r->kind);
		record_site(e, r, site, sizeof(site));
		ab_au_snprintf(kind, sizeof(kind), "%u", r->kind);
		fprintf(out, "%-10s record #%zu (%s+0x%" PRIx64 ", site %s, kind %s, len %u, "
			"flags 0x%x): %s\n", "invalid", r->index, e->secs[r->rsec].name, r->roff,
			site, kn ? kn : kind, r->len, r->flags, r->why);
	}
	if (a->note.why)
		fprintf(out, "%-10s version note: %s\n", "invalid", a->note.why);
}

static void text_disagreements(struct ab_audit *a, FILE *out)
{
	for (size_t i = 0; i < a->sweep.ndis; i++) {
		const struct ab_disagreement *g = &a->sweep.dis[i];
		char where[256], hex[48];
		ab_elf_where(&a->elf, g->sec, g->off, where, sizeof(where));
		fprintf(out, "%-10s %-16s 0x%-16" PRIx64 " %-32s capstone %u, libopcodes %u "
			"bytes (0: no decode): %s\n", "disagree", a->elf.secs[g->sec].name,
			addr_of(&a->elf, g->sec, g->off), where, g->cs_len, g->op_len,
			ab_au_hex(hex, g->bytes, g->nbytes));
	}
}

static const char *kind_or_none(unsigned k)
{
	return k ? ab_kind_name(k) : "not-sensitive";
}

static void text_wedge(struct ab_audit *a, FILE *out)
{
	for (size_t i = 0; i < a->sweep.nwd; i++) {
		const struct ab_kind_diff *d = &a->sweep.wd[i];
		char where[256], hex[48];
		ab_elf_where(&a->elf, d->sec, d->off, where, sizeof(where));
		fprintf(out, "%-10s %-16s 0x%-16" PRIx64 " %-32s audit %s (%u bytes), wedge "
			"decoder %s (%u bytes): %s\n", "decoders", a->elf.secs[d->sec].name,
			addr_of(&a->elf, d->sec, d->off), where, kind_or_none(d->kind), d->len,
			kind_or_none(d->wedge_kind), d->wedge_len,
			ab_au_hex(hex, d->bytes, d->len));
	}
}

static void text_per_kind(struct ab_audit *a, FILE *out)
{
	fprintf(out, "  %-22s %8s %8s %9s %8s\n", "per kind:", "found", "covered",
		"uncovered", "excepted");
	for (unsigned k = 1; k < AB_K_COUNT; k++) {
		const size_t *c = a->per_kind[k];
		size_t found = c[0] + c[1] + c[2];
		if (found)
			fprintf(out, "    %-20s %8zu %8zu %9zu %8zu\n", ab_kind_name(k), found,
				c[AB_HIT_COVERED], c[AB_HIT_UNCOVERED], c[AB_HIT_EXCEPTED]);
	}
}

static void text_summary(struct ab_audit *a, FILE *out)
{
	const struct ab_sweep *s = &a->sweep;
	fprintf(out, "\naudit of %s (%s)\n", a->elf.path, file_kind(&a->elf));
	if (a->note.count)
		fprintf(out, "  %-22s ABI %u, toolchain %s%s\n", "note", a->note.abi,
			a->note.toolchain, a->note.why ? " (INVALID)" : "");
	else
		fprintf(out, "  %-22s %s\n", "note", a->note.why ? "INVALID" : "none");
	fprintf(out, "  %-22s %zu\n", "code sections", s->sections);
	fprintf(out, "  %-22s %zu\n", "instructions decoded", s->decoded);
	fprintf(out, "  %-22s %zu\n", "undecodable bytes", s->undecodable);
	fprintf(out, "  %-22s %zu\n", "sensitive found", s->nhits);
	fprintf(out, "  %-22s %zu\n", "covered", a->count[AB_HIT_COVERED]);
	fprintf(out, "  %-22s %zu\n", "uncovered", a->count[AB_HIT_UNCOVERED]);
	fprintf(out, "  %-22s %zu\n", "excepted", a->count[AB_HIT_EXCEPTED]);
	fprintf(out, "  %-22s %zu\n", "records", a->recs.n);
	fprintf(out, "  %-22s %zu\n", "invalid records", a->invalid_records);
	fprintf(out, "  %-22s %zu\n", "stale exceptions", a->stale);
	fprintf(out, "  %-22s %zu%s\n", "opcodes disagreements", s->ndis,
		s->ndis && !a->opts->verbose ? " (list with -v)" : "");
	fprintf(out, "  %-22s %zu%s\n", "decoders disagreements", s->nwd,
		s->nwd && !a->opts->verbose ? " (audit vs the wedge's; list with -v)" : "");
	fprintf(out, "  %-22s %zu\n", "sweep resyncs", s->resyncs);
	text_per_kind(a, out);
	int ok = !a->count[AB_HIT_UNCOVERED] && !a->invalid_records && !a->note.why;
	fprintf(out, "result: %s\n", ok ? "OK" : "FAIL");
}

void ab_audit_report_text(struct ab_audit *a, FILE *out)
{
	for (size_t i = 0; i < a->sweep.nhits; i++)
		if (a->state[i] != AB_HIT_COVERED || a->opts->verbose)
			text_hit(a, i, out);
	text_invalid(a, out);
	if (a->opts->verbose) {
		text_disagreements(a, out);
		text_wedge(a, out);
	}
	text_summary(a, out);
}

/* ---- JSON ---- */

static void json_hit(struct ab_audit *a, size_t i, FILE *out)
{
	const struct ab_hit *h = &a->sweep.hits[i];
	char where[256], hex[48], text[96];
	ab_elf_where(&a->elf, h->sec, h->off, where, sizeof(where));
	ab_dis_text(&a->dis, h->bytes, h->len, addr_of(&a->elf, h->sec, h->off),
		    text, sizeof(text));
	fputs("{", out);
	ab_json_kv_str(out, 1, "section", a->elf.secs[h->sec].name);
	ab_json_kv_u64(out, 0, "offset", h->off);
	ab_json_kv_u64(out, 0, "address", addr_of(&a->elf, h->sec, h->off));
	ab_json_kv_str(out, 0, "symbol", where);
	ab_json_kv_str(out, 0, "kind", ab_kind_name(h->kind));
	ab_json_kv_str(out, 0, "bytes", ab_au_hex(hex, h->bytes, h->len));
	ab_json_kv_str(out, 0, "insn", text);
	if (a->state[i] == AB_HIT_EXCEPTED)
		ab_json_kv_str(out, 0, "reason", a->hit_exc[i]->reason);
	if (a->hit_record[i] >= 0)
		ab_json_kv_u64(out, 0, "record", (uint64_t)a->hit_record[i]);
	fputs("}", out);
}

static void json_hits(struct ab_audit *a, enum ab_hit_state st, FILE *out)
{
	int first = 1;
	fprintf(out, ",\n\"%s\": [", state_names[st]);
	for (size_t i = 0; i < a->sweep.nhits; i++) {
		if (a->state[i] != st)
			continue;
		fputs(first ? "\n  " : ",\n  ", out);
		json_hit(a, i, out);
		first = 0;
	}
	fputs("]", out);
}

static void json_record(struct ab_audit *a, const struct ab_record *r, FILE *out)
{
	const struct ab_elf *e = &a->elf;
	char where[256];
	fputs("{", out);
	ab_json_kv_u64(out, 1, "record", r->index);
	ab_json_kv_str(out, 0, "record_section", e->secs[r->rsec].name);
	ab_json_kv_u64(out, 0, "record_offset", r->roff);
	if (r->tsec >= 0) {
		ab_elf_where(e, (unsigned)r->tsec, r->toff, where, sizeof(where));
		ab_json_kv_str(out, 0, "section", e->secs[r->tsec].name);
		ab_json_kv_u64(out, 0, "offset", r->toff);
		ab_json_kv_u64(out, 0, "address", addr_of(e, (unsigned)r->tsec, r->toff));
		ab_json_kv_str(out, 0, "symbol", where);
	}
	ab_json_kv_u64(out, 0, "kind", r->kind);
	ab_json_kv_u64(out, 0, "len", r->len);
	ab_json_kv_u64(out, 0, "flags", r->flags);
	ab_json_kv_str(out, 0, "message", r->why);
	fputs("}", out);
}

static void json_invalid(struct ab_audit *a, FILE *out)
{
	const char *sep = "\n  ";
	fputs(",\n\"invalid_records\": [", out);
	for (size_t i = 0; i < a->recs.nissues; i++, sep = ",\n  ") {
		fprintf(out, "%s{", sep);
		ab_json_kv_str(out, 1, "record_section", a->elf.secs[a->recs.issues[i].sec].name);
		ab_json_kv_str(out, 0, "message", a->recs.issues[i].msg);
		fputs("}", out);
	}
	for (size_t i = 0; i < a->recs.n; i++) {
		if (!a->recs.v[i].why)
			continue;
		fputs(sep, out);
		json_record(a, &a->recs.v[i], out);
		sep = ",\n  ";
	}
	fputs("]", out);
}

/* Opens one list object with where it is: section, offset, address, symbol. */
static void json_location(struct ab_audit *a, unsigned sec, uint64_t off, int first, FILE *out)
{
	char where[256];
	ab_elf_where(&a->elf, sec, off, where, sizeof(where));
	fputs(first ? "\n  {" : ",\n  {", out);
	ab_json_kv_str(out, 1, "section", a->elf.secs[sec].name);
	ab_json_kv_u64(out, 0, "offset", off);
	ab_json_kv_u64(out, 0, "address", addr_of(&a->elf, sec, off));
	ab_json_kv_str(out, 0, "symbol", where);
}

static void json_disagreements(struct ab_audit *a, FILE *out)
{
	fputs(",\n\"disagreements\": [", out);
	for (size_t i = 0; i < a->sweep.ndis; i++) {
		const struct ab_disagreement *g = &a->sweep.dis[i];
		char hex[48];
		json_location(a, g->sec, g->off, i == 0, out);
		ab_json_kv_u64(out, 0, "capstone_len", g->cs_len);
		ab_json_kv_u64(out, 0, "opcodes_len", g->op_len);
		ab_json_kv_str(out, 0, "bytes", ab_au_hex(hex, g->bytes, g->nbytes));
		fputs("}", out);
	}
	fputs("]", out);
}

static void json_wedge(struct ab_audit *a, FILE *out)
{
	fputs(",\n\"decoder_disagreements\": [", out);
	for (size_t i = 0; i < a->sweep.nwd; i++) {
		const struct ab_kind_diff *d = &a->sweep.wd[i];
		char hex[48];
		json_location(a, d->sec, d->off, i == 0, out);
		ab_json_kv_str(out, 0, "kind", kind_or_none(d->kind));
		ab_json_kv_u64(out, 0, "len", d->len);
		ab_json_kv_str(out, 0, "wedge_kind", kind_or_none(d->wedge_kind));
		ab_json_kv_u64(out, 0, "wedge_len", d->wedge_len);
		ab_json_kv_str(out, 0, "bytes", ab_au_hex(hex, d->bytes, d->len));
		fputs("}", out);
	}
	fputs("]", out);
}

static void json_stale(struct ab_audit *a, FILE *out)
{
	int first = 1;
	fputs(",\n\"stale_exceptions\": [", out);
	for (size_t i = 0; i < a->exc.n; i++) {
		const struct ab_exception *x = &a->exc.v[i];
		char what[256];
		if (x->matched)
			continue;
		ab_exception_str(x, what, sizeof(what));
		fputs(first ? "\n  {" : ",\n  {", out);
		ab_json_kv_u64(out, 1, "line", x->line);
		ab_json_kv_str(out, 0, "exception", what);
		ab_json_kv_str(out, 0, "reason", x->reason);
		fputs("}", out);
		first = 0;
	}
	fputs("]", out);
}

static void json_summary(struct ab_audit *a, FILE *out)
{
	const struct ab_sweep *s = &a->sweep;
	fputs(",\n\"summary\": {", out);
	ab_json_kv_u64(out, 1, "code_sections", s->sections);
	ab_json_kv_u64(out, 0, "instructions", s->decoded);
	ab_json_kv_u64(out, 0, "undecodable_bytes", s->undecodable);
	ab_json_kv_u64(out, 0, "sensitive", s->nhits);
	ab_json_kv_u64(out, 0, "covered", a->count[AB_HIT_COVERED]);
	ab_json_kv_u64(out, 0, "uncovered", a->count[AB_HIT_UNCOVERED]);
	ab_json_kv_u64(out, 0, "excepted", a->count[AB_HIT_EXCEPTED]);
	ab_json_kv_u64(out, 0, "records", a->recs.n);
	ab_json_kv_u64(out, 0, "invalid_records", a->invalid_records);
	ab_json_kv_u64(out, 0, "stale_exceptions", a->stale);
	ab_json_kv_u64(out, 0, "disagreements", s->ndis);
	ab_json_kv_u64(out, 0, "decoder_disagreements", s->nwd);
	ab_json_kv_u64(out, 0, "resyncs", s->resyncs);
	fputs("},\n\"per_kind\": {", out);
	const char *sep = "";
	for (unsigned k = 1; k < AB_K_COUNT; k++) {
		const size_t *c = a->per_kind[k];
		if (!(c[0] + c[1] + c[2]))
			continue;
		fprintf(out, "%s\n  \"%s\": {", sep, ab_kind_name(k));
		ab_json_kv_u64(out, 1, "found", c[0] + c[1] + c[2]);
		for (int st = 0; st < AB_HIT_STATES; st++)
			ab_json_kv_u64(out, 0, state_names[st], c[st]);
		fputs("}", out);
		sep = ",";
	}
	fputs("}", out);
}

static void json_note(struct ab_audit *a, FILE *out)
{
	fputs(",\n\"note\": ", out);
	if (!a->note.count && !a->note.why) {
		fputs("null", out);
		return;
	}
	fputs("{", out);
	ab_json_kv_u64(out, 1, "count", a->note.count);
	ab_json_kv_u64(out, 0, "abi_version", a->note.abi);
	ab_json_kv_str(out, 0, "toolchain", a->note.toolchain);
	ab_json_kv_str(out, 0, "error", a->note.why);
	fputs("}", out);
}

void ab_audit_report_json(struct ab_audit *a, FILE *out)
{
	int ok = !a->count[AB_HIT_UNCOVERED] && !a->invalid_records && !a->note.why;
	fputs("{", out);
	ab_json_kv_str(out, 1, "file", a->elf.path);
	ab_json_kv_str(out, 0, "type", a->elf.linked ? "linked" : "relocatable");
	ab_json_kv_u64(out, 0, "abi_version", AB_ABI_VERSION);
	fprintf(out, ", \"ok\": %s", ok ? "true" : "false");
	json_note(a, out);
	json_summary(a, out);
	json_hits(a, AB_HIT_UNCOVERED, out);
	json_hits(a, AB_HIT_EXCEPTED, out);
	json_invalid(a, out);
	json_stale(a, out);
	json_disagreements(a, out);
	json_wedge(a, out);
	fputs("\n}\n", out);
}
