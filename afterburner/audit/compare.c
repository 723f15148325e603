/* `afterburn compare`: pairing the sections of two objects; the command. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "afterburn/abi.h"
#include "../cli.h"
#include "../diag.h"
#include "compare.h"
#include "elf_input.h"
#include "records.h"
#include "util.h"

/* Sections the afterburner adds: not a difference. */
static int ignored(const char *name)
{
	return !strcmp(name, AB_SITES_SECTION) || !strcmp(name, AB_NOTE_SECTION) ||
	       !strcmp(name, ".group");
}

/* Sections sorted by name, then by position: the n-th ".text" of one object
 * pairs with the n-th ".text" of the other. */
struct named {
	const char *name;
	unsigned idx;
};

static int by_name(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

static struct named *sorted_sections(const struct ab_elf *e)
{
	struct named *v = ab_au_calloc(e->nsecs + 1, sizeof(*v));
	for (size_t i = 0; i < e->nsecs; i++) {
		v[i].name = e->secs[i].name;
		v[i].idx = (unsigned)i;
	}
	qsort(v, e->nsecs, sizeof(*v), by_name);
	return v;
}

/* pair[i]: the section of a paired with section i of p, -1 if none.
 * 1 (and msg) if a section is in one object only. */
static int pair_sections(const struct ab_elf *p, const struct ab_elf *a, int *pair,
			 char *msg, size_t n)
{
	struct named *x = sorted_sections(p), *y = sorted_sections(a);
	size_t i = 0, j = 0;
	int rc = 0;
	for (size_t k = 0; k < p->nsecs; k++)
		pair[k] = -1;
	while (!rc && (i < p->nsecs || j < a->nsecs)) {
		int c = i >= p->nsecs ? 1 : j >= a->nsecs ? -1 : strcmp(x[i].name, y[j].name);
		if (c == 0) {
			pair[x[i++].idx] = (int)y[j++].idx;
			continue;
		}
		const char *name = c < 0 ? x[i++].name : y[j++].name;
		if (ignored(name))
			continue;
		ab_au_snprintf(msg, n, "section %s is only in the %s object", name,
			 c < 0 ? "plain" : "afterburned");
		rc = 1;
	}
	free(x);
	free(y);
	return rc;
}

static int unresolved(const struct ab_records *r, const char *side, char *msg, size_t n)
{
	for (size_t i = 0; i < r->n; i++) {
		if (r->v[i].tsec >= 0)
			continue;
		ab_au_snprintf(msg, n, "%s: record #%zu has no site: %s", side, r->v[i].index,
			 r->v[i].why ? r->v[i].why : "unresolved");
		return 1;
	}
	return 0;
}

static enum ab_cmp_result compare_code(struct ab_elf *p, struct ab_records *pr,
				       struct ab_elf *a, struct ab_records *ar, const int *pair,
				       struct ab_cmp_stats *st, char *msg, size_t n)
{
	for (size_t i = 0; i < p->nsecs; i++) {
		const char *name = p->secs[i].name;
		int j = pair[i];
		if (j < 0)
			continue; /* ignored: the afterburner's notes and groups */
		int pcode = p->secs[i].code && p->secs[i].has_contents;
		int acode = a->secs[j].code && a->secs[j].has_contents;
		if (pcode != acode) {
			ab_au_snprintf(msg, n, "section %s is executable code in only one object", name);
			return AB_CMP_MISMATCH;
		}
		if (!pcode)
			continue;
		enum ab_cmp_result rc = ab_compare_section(p, (unsigned)i, pr, a, (unsigned)j,
							   ar, st, msg, n);
		if (rc != AB_CMP_EQUAL)
			return rc;
	}
	return AB_CMP_EQUAL;
}

static enum ab_cmp_result compare_open(struct ab_elf *p, struct ab_elf *a,
				       struct ab_cmp_stats *st, char *msg, size_t n)
{
	struct ab_records pr, ar;
	enum ab_cmp_result rc = AB_CMP_ERROR;
	int *pair = ab_au_calloc(p->nsecs + 1, sizeof(*pair));
	memset(&pr, 0, sizeof(pr));
	memset(&ar, 0, sizeof(ar));
	ab_au_snprintf(msg, n, "cannot read the site records");
	if (ab_records_read(p, &pr) == 0 && ab_records_read(a, &ar) == 0) {
		if (p->mode64 != a->mode64) {
			ab_au_snprintf(msg, n, "one object is 64-bit, the other 32-bit");
			rc = AB_CMP_MISMATCH;
		} else if (pair_sections(p, a, pair, msg, n) || unresolved(&pr, "plain", msg, n) ||
			   unresolved(&ar, "afterburned", msg, n)) {
			rc = AB_CMP_MISMATCH;
		} else {
			rc = compare_code(p, &pr, a, &ar, pair, st, msg, n);
		}
	}
	ab_records_free(&pr);
	ab_records_free(&ar);
	free(pair);
	return rc;
}

enum ab_cmp_result ab_compare_files(const char *plain, const char *ab,
				    struct ab_cmp_stats *st, char *msg, size_t n)
{
	struct ab_elf p, a;
	enum ab_cmp_result rc = AB_CMP_ERROR;
	memset(&a, 0, sizeof(a));
	ab_au_snprintf(msg, n, "cannot read the objects");
	if (ab_elf_open(&p, plain))
		return rc;
	if (ab_elf_open(&a, ab) == 0) {
		rc = compare_open(&p, &a, st, msg, n);
		if (ab_elf_check_sound(&p) || ab_elf_check_sound(&a)) {
			ab_au_snprintf(msg, n, "corrupt ELF file");
			rc = AB_CMP_ERROR;
		}
	}
	ab_elf_close(&p);
	ab_elf_close(&a);
	return rc;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: afterburn compare PLAIN AFTERBURNED\n"
		"       afterburn compare --dirs PLAIN_DIR AB_DIR [--jobs N]\n"
		"\n"
		"Prove that an afterburned object holds the same instructions as the plain\n"
		"one once the recorded padding is removed: sites keep their instruction\n"
		"and drop their padding (which must be NOPs), fill elsewhere is dropped\n"
		"(NOPs; int3 where control does not fall through), and the rest must\n"
		"match one by one, relocations included, relative branch targets and\n"
		"%%rip-relative displacements aside.  Sections present in only one object\n"
		"(besides " AB_SITES_SECTION ", " AB_NOTE_SECTION ", .group) are a mismatch.\n"
		"\n"
		"  --dirs        compare every *.o under PLAIN_DIR with the same path\n"
		"                under AB_DIR; files that are not ELF relocatables are\n"
		"                skipped, objects on one side only are listed (not a\n"
		"                failure)\n"
		"  -j, --jobs N  objects compared in parallel (default: online CPUs)\n"
		"  -h, --help    this text\n"
		"\n"
		"Exit 0 when everything matches, 1 on any mismatch or unreadable object.\n");
}

static int compare_two(const char *plain, const char *ab)
{
	struct ab_cmp_stats st = { 0 };
	char msg[2048];
	enum ab_cmp_result rc = ab_compare_files(plain, ab, &st, msg, sizeof(msg));
	if (rc == AB_CMP_MISMATCH)
		printf("MISMATCH %s vs %s: %s\n", plain, ab, msg);
	else if (rc == AB_CMP_EQUAL)
		printf("equal: %zu sections, %zu instructions, %zu sites\n", st.sections,
		       st.insns, st.sites);
	return rc == AB_CMP_EQUAL ? 0 : 1;
}

int ab_compare_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dirs", no_argument, NULL, 'd' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 },
	};
	int dirs = 0, c;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	char *end;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "hj:", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': dirs = 1; break;
		case 'j':
			jobs = strtol(optarg, &end, 10);
			if (*end || jobs < 1 || jobs > 1024) {
				ab_error(NULL, 0, "compare: bad --jobs '%s'", optarg);
				return 2;
			}
			break;
		case 'h': usage(stdout); return 0;
		default:
			ab_error(NULL, 0, "compare: bad option '%s'", argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind != 2) {
		ab_error(NULL, 0, "compare: expected two %s", dirs ? "directories" : "files");
		usage(stderr);
		return 2;
	}
	if (dirs)
		return ab_compare_dirs(argv[optind], argv[optind + 1], jobs < 1 ? 1 : (unsigned)jobs);
	return compare_two(argv[optind], argv[optind + 1]);
}
