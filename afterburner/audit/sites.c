/* `afterburn sites`: list the site records of an ELF file, or count them. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "afterburn/kind.h"
#include "../cli.h"
#include "../diag.h"
#include "disasm.h"
#include "elf_input.h"
#include "json.h"
#include "records.h"
#include "util.h"

struct sites_opts {
	const char *path;
	int stats, json;
};

struct site_stats {
	size_t sites, padding, bytes, invalid;
	size_t kind_sites[256], kind_padding[256];
	size_t class_sites[AB_C_COUNT + 1];
};

static const char *kind_str(unsigned kind, char *buf, size_t n)
{
	const char *name = ab_kind_name(kind);
	if (name)
		return name;
	ab_au_snprintf(buf, n, "?%u", kind);
	return buf;
}

static void gather(const struct ab_records *r, struct site_stats *st)
{
	memset(st, 0, sizeof(*st));
	for (size_t i = 0; i < r->n; i++) {
		const struct ab_record *rec = &r->v[i];
		size_t pad = rec->insn_len && rec->len >= rec->insn_len ?
			     rec->len - rec->insn_len : 0;
		st->sites++;
		st->bytes += rec->len;
		st->padding += pad;
		st->invalid += rec->why != NULL;
		st->kind_sites[rec->kind]++;
		st->kind_padding[rec->kind] += pad;
		st->class_sites[ab_kind_class(rec->kind)]++; /* 0: undefined kind */
	}
}

static void site_place(const struct ab_elf *e, const struct ab_record *rec, char *loc,
		       char *where, size_t n)
{
	if (rec->tsec < 0) {
		ab_au_snprintf(loc, n, "?");
		ab_au_snprintf(where, n, "?");
		return;
	}
	ab_elf_loc(e, (unsigned)rec->tsec, rec->toff, loc, n);
	ab_elf_where(e, (unsigned)rec->tsec, rec->toff, where, n);
}

static void text_list(const struct ab_elf *e, const struct ab_records *r, FILE *out)
{
	char loc[256], where[256], flags[128], kb[16];
	fprintf(out, "%-28s %-36s %-14s %4s %5s  %s\n", "SITE", "WHERE", "KIND", "LEN",
		"INSN", "FLAGS");
	for (size_t i = 0; i < r->n; i++) {
		const struct ab_record *rec = &r->v[i];
		site_place(e, rec, loc, where, sizeof(loc));
		ab_site_flags_str(rec->flags, flags, sizeof(flags));
		fprintf(out, "%-28s %-36s %-14s %4u %5u  %s", loc, where,
			kind_str(rec->kind, kb, sizeof(kb)), rec->len, rec->insn_len, flags);
		if (rec->why)
			fprintf(out, "  INVALID: %s", rec->why);
		fputc('\n', out);
	}
}

static void text_stats(const struct site_stats *st, FILE *out)
{
	char kb[16];
	fprintf(out, "%-16s %-18s %8s %8s\n", "KIND", "CLASS", "SITES", "PADDING");
	for (unsigned k = 0; k < 256; k++) {
		if (!st->kind_sites[k])
			continue;
		const char *cls = ab_class_name(ab_kind_class(k));
		fprintf(out, "%-16s %-18s %8zu %8zu\n", kind_str(k, kb, sizeof(kb)),
			cls ? cls : "?", st->kind_sites[k], st->kind_padding[k]);
	}
	fprintf(out, "\n%-35s %8s\n", "CLASS", "SITES");
	for (unsigned c = 0; c < AB_C_COUNT; c++)
		if (st->class_sites[c])
			fprintf(out, "%-35s %8zu\n", c ? ab_class_name(c) : "(undefined kind)",
				st->class_sites[c]);
	fprintf(out, "\ntotal: %zu sites, %zu padding bytes, %zu bytes at sites, %zu invalid\n",
		st->sites, st->padding, st->bytes, st->invalid);
}

static void json_site(const struct ab_elf *e, const struct ab_record *rec, FILE *out)
{
	char loc[256], where[256], kb[16];
	site_place(e, rec, loc, where, sizeof(loc));
	fputs("{", out);
	ab_json_kv_u64(out, 1, "record", rec->index);
	ab_json_kv_str(out, 0, "section", rec->tsec >= 0 ? e->secs[rec->tsec].name : NULL);
	ab_json_kv_u64(out, 0, "offset", rec->toff);
	if (rec->tsec >= 0)
		ab_json_kv_u64(out, 0, "address", e->secs[rec->tsec].vma + rec->toff);
	ab_json_kv_str(out, 0, "symbol", where);
	ab_json_kv_str(out, 0, "kind", kind_str(rec->kind, kb, sizeof(kb)));
	ab_json_kv_u64(out, 0, "len", rec->len);
	ab_json_kv_u64(out, 0, "insn_len", rec->insn_len);
	fputs(", \"flags\": [", out);
	for (unsigned b = 0, first = 1; b < 16; b++) {
		if (!(rec->flags >> b & 1) || (AB_F_LEAD_MASK >> b & 1))
			continue;
		const char *name = ab_site_flag_name(b);
		if (!first)
			fputs(", ", out);
		if (name)
			ab_json_str(out, name);
		else
			fprintf(out, "\"0x%x\"", 1u << b);
		first = 0;
	}
	fputs("]", out);
	ab_json_kv_u64(out, 0, "lead", (rec->flags & AB_F_LEAD_MASK) >> AB_F_LEAD_SHIFT);
	ab_json_kv_str(out, 0, "invalid", rec->why);
	fputs("}", out);
}

static void json_stats(const struct site_stats *st, FILE *out)
{
	char kb[16];
	fputs(",\n\"stats\": {", out);
	ab_json_kv_u64(out, 1, "sites", st->sites);
	ab_json_kv_u64(out, 0, "padding_bytes", st->padding);
	ab_json_kv_u64(out, 0, "site_bytes", st->bytes);
	ab_json_kv_u64(out, 0, "invalid", st->invalid);
	fputs(", \"per_kind\": {", out);
	for (unsigned k = 0, first = 1; k < 256; k++) {
		if (!st->kind_sites[k])
			continue;
		fprintf(out, "%s\"%s\": {", first ? "" : ", ", kind_str(k, kb, sizeof(kb)));
		ab_json_kv_u64(out, 1, "sites", st->kind_sites[k]);
		ab_json_kv_u64(out, 0, "padding", st->kind_padding[k]);
		fputs("}", out);
		first = 0;
	}
	fputs("}, \"per_class\": {", out);
	for (unsigned c = 0, first = 1; c < AB_C_COUNT; c++) {
		if (!st->class_sites[c])
			continue;
		ab_json_kv_u64(out, first, c ? ab_class_name(c) : "undefined", st->class_sites[c]);
		first = 0;
	}
	fputs("}}", out);
}

static void json_all(const struct ab_elf *e, const struct ab_records *r,
		     const struct site_stats *st, int stats, FILE *out)
{
	fputs("{", out);
	ab_json_kv_str(out, 1, "file", e->path);
	ab_json_kv_str(out, 0, "type", e->linked ? "linked" : "relocatable");
	fputs(",\n\"sites\": [", out);
	for (size_t i = 0; i < r->n; i++) {
		fputs(i ? ",\n  " : "\n  ", out);
		json_site(e, &r->v[i], out);
	}
	fputs("]", out);
	if (stats)
		json_stats(st, out);
	fputs("\n}\n", out);
}

static int sites_run(const struct sites_opts *o)
{
	struct ab_elf e;
	struct ab_dis d;
	struct ab_records r;
	struct site_stats st;
	if (ab_elf_open(&e, o->path))
		return 1;
	int rc = 1;
	if (ab_dis_init(&d, e.mode64))
		goto close_elf;
	if (ab_records_read(&e, &r) == 0 && ab_elf_check_sound(&e) == 0) {
		/* Validation decodes each site: that gives the instruction
		 * length, hence the padding. */
		ab_records_validate(&e, &r, &d);
		for (size_t i = 0; i < r.nissues; i++)
			ab_warn(o->path, 0, "%s: %s", e.secs[r.issues[i].sec].name, r.issues[i].msg);
		gather(&r, &st);
		if (o->json)
			json_all(&e, &r, &st, o->stats, stdout);
		else if (o->stats)
			text_stats(&st, stdout);
		else
			text_list(&e, &r, stdout);
		rc = 0;
	}
	ab_records_free(&r);
	ab_dis_fini(&d);
close_elf:
	ab_elf_close(&e);
	return rc;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: afterburn sites FILE [--stats] [--json]\n"
		"\n"
		"List the site records (\"Afterburn\" notes) of FILE: site address\n"
		"(section+offset in an object), symbol+offset, kind, len, length of the\n"
		"instruction at the site, flags.  Records the audit would reject are\n"
		"marked INVALID.  Exit 0 once FILE could be read.\n"
		"\n"
		"  --stats     per-kind and per-class counts and totals instead of the list\n"
		"              (padding bytes = sum of len minus instruction length)\n"
		"  --json      machine-readable output (list, and stats with --stats)\n"
		"  -h, --help  this text\n");
}

int ab_sites_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "stats", no_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 },
	};
	struct sites_opts o = { 0 };
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 's': o.stats = 1; break;
		case 'j': o.json = 1; break;
		case 'h': usage(stdout); return 0;
		default:
			ab_error(NULL, 0, "sites: bad option '%s'", argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		ab_error(NULL, 0, "sites: expected exactly one FILE");
		usage(stderr);
		return 2;
	}
	o.path = argv[optind];
	return sites_run(&o);
}
