/*
 * `afterburn audit`: the analysis.  Records are read and validated first,
 * so that the sweep can restart at every valid site; then each sensitive
 * instruction the sweep finds is covered (a valid record at its address),
 * excepted (the exceptions file names it) or uncovered.
 */
#include <stdlib.h>
#include <string.h>

#include "../diag.h"
#include "audit.h"
#include "util.h"

/* Records sorted by site, for the sweep's restart points and coverage. */
struct site_index {
	const struct ab_records *r;
	size_t *idx;
};

static size_t first_at(const struct site_index *si, unsigned sec, uint64_t off)
{
	size_t lo = 0, hi = si->r->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ab_record *m = &si->r->v[si->idx[mid]];
		unsigned ms = (unsigned)m->tsec;
		if (ms < sec || (ms == sec && m->toff < off))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Where instructions are known to start in sec: its symbols and its valid
 * sites; sorted, without duplicates. */
static uint64_t *restart_points(const struct ab_audit *a, const struct site_index *si,
				unsigned sec, size_t *n)
{
	const struct ab_elf *e = &a->elf;
	size_t s0 = e->sym_first[sec], s1 = e->sym_first[sec + 1];
	size_t r0 = first_at(si, sec, 0), r1 = r0;
	while (r1 < si->r->n && si->r->v[si->idx[r1]].tsec == (int)sec)
		r1++;
	uint64_t *pts = ab_au_calloc(s1 - s0 + r1 - r0 + 1, sizeof(*pts));
	size_t k = 0;
	for (size_t i = s0; i < s1; i++)
		pts[k++] = e->syms[i].off;
	for (size_t j = r0; j < r1; j++)
		if (!si->r->v[si->idx[j]].why)
			pts[k++] = si->r->v[si->idx[j]].toff;
	qsort(pts, k, sizeof(*pts), cmp_u64);
	size_t u = 0;
	for (size_t i = 0; i < k; i++)
		if (!u || pts[u - 1] != pts[i])
			pts[u++] = pts[i];
	*n = u;
	return pts;
}

static int sweep_all(struct ab_audit *a, const struct site_index *si)
{
	for (size_t s = 0; s < a->elf.nsecs; s++) {
		const struct ab_section *sec = &a->elf.secs[s];
		if (!sec->code || !sec->size || !sec->has_contents)
			continue; /* no bytes in the file: nothing to decode */
		size_t n;
		uint64_t *pts = restart_points(a, si, (unsigned)s, &n);
		int rc = ab_sweep_section(&a->elf, (unsigned)s, &a->dis, pts, n, &a->sweep);
		free(pts);
		if (rc)
			return -1;
	}
	return 0;
}

/* -1 if no record has this site; else a valid one, or an invalid one. */
static long record_at(const struct site_index *si, unsigned sec, uint64_t off, int *valid)
{
	long found = -1;
	*valid = 0;
	for (size_t k = first_at(si, sec, off); k < si->r->n; k++) {
		const struct ab_record *rec = &si->r->v[si->idx[k]];
		if (rec->tsec != (int)sec || rec->toff != off)
			break;
		found = (long)si->idx[k];
		if (!rec->why) {
			*valid = 1;
			break;
		}
	}
	return found;
}

static void judge_hits(struct ab_audit *a, const struct site_index *si)
{
	size_t n = a->sweep.nhits;
	a->state = ab_au_calloc(n, 1);
	a->hit_exc = ab_au_calloc(n, sizeof(*a->hit_exc));
	a->hit_record = ab_au_calloc(n, sizeof(*a->hit_record));
	for (size_t i = 0; i < n; i++) {
		const struct ab_hit *h = &a->sweep.hits[i];
		int valid;
		a->hit_record[i] = record_at(si, h->sec, h->off, &valid);
		if (valid)
			a->state[i] = AB_HIT_COVERED;
		else if ((a->hit_exc[i] = ab_exceptions_match(&a->exc, &a->elf, h->sec,
							      h->off, h->kind)))
			a->state[i] = AB_HIT_EXCEPTED;
		else
			a->state[i] = AB_HIT_UNCOVERED;
		a->per_kind[h->kind][a->state[i]]++;
		a->count[a->state[i]]++;
	}
}

static void count_problems(struct ab_audit *a)
{
	for (size_t i = 0; i < a->recs.n; i++)
		a->invalid_records += a->recs.v[i].why != NULL;
	a->invalid_records += a->recs.nissues;
	for (size_t i = 0; i < a->exc.n; i++) {
		char what[256];
		if (a->exc.v[i].matched)
			continue;
		a->stale++;
		ab_exception_str(&a->exc.v[i], what, sizeof(what));
		ab_warn(a->exc.path, a->exc.v[i].line,
			"stale exception '%s': matches no uncovered instruction", what);
	}
}

static int analyse(struct ab_audit *a)
{
	if (ab_dis_init(&a->dis, a->elf.mode64) || ab_note_read(&a->elf, &a->note) ||
	    ab_records_read(&a->elf, &a->recs))
		return -1;
	ab_records_validate(&a->elf, &a->recs, &a->dis);
	/* Records whose ABI nobody states cannot be trusted to be read right. */
	if (a->recs.nnotes && !a->note.count && !a->note.why)
		a->note.why = ab_au_strdup("site records without a version note");
	struct site_index si = { &a->recs, ab_records_by_site(&a->recs) };
	int rc = sweep_all(a, &si);
	if (!rc)
		judge_hits(a, &si);
	free(si.idx);
	if (!rc)
		count_problems(a);
	return rc;
}

static void audit_free(struct ab_audit *a)
{
	free(a->state);
	free(a->hit_exc);
	free(a->hit_record);
	ab_sweep_free(&a->sweep);
	ab_records_free(&a->recs);
	ab_note_free(&a->note);
	ab_exceptions_free(&a->exc);
	ab_dis_fini(&a->dis);
	ab_elf_close(&a->elf);
}

int ab_audit_run(const struct ab_audit_opts *opts)
{
	struct ab_audit *a = ab_au_calloc(1, sizeof(*a));
	int rc = 1;
	a->opts = opts;
	if (opts->exceptions && ab_exceptions_load(&a->exc, opts->exceptions))
		goto out;
	if (ab_elf_open(&a->elf, opts->path) || analyse(a) || ab_elf_check_sound(&a->elf))
		goto out;
	if (opts->json)
		ab_audit_report_json(a, opts->out);
	else
		ab_audit_report_text(a, opts->out);
	rc = a->count[AB_HIT_UNCOVERED] || a->invalid_records || a->note.why;
out:
	audit_free(a);
	free(a);
	return rc;
}
