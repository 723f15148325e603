/*
 * compare --dirs: every *.o of two build trees, paired by relative path,
 * compared by forked workers (libbfd keeps global state, processes keep it
 * apart); results meet in shared memory and are printed in path order.
 */
#define _XOPEN_SOURCE 700
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../diag.h"
#include "compare.h"
#include "util.h"

struct obj_list {
	char **v;
	size_t n, cap;
};

enum pair_state { P_BOTH, P_ONLY_PLAIN, P_ONLY_AB };

struct obj_result {
	int rc;                 /* enum ab_cmp_result, or -1: skipped */
	struct ab_cmp_stats st;
	char msg[1024];
};

static struct obj_list *walk_list; /* nftw has no context argument */
static size_t walk_prefix;

static int collect(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	size_t n = strlen(path);
	if (type == FTW_F && n > 2 && !strcmp(path + n - 2, ".o"))
		*AB_PUSH(walk_list->v, walk_list->n, walk_list->cap) =
			ab_au_strdup(path + walk_prefix);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_objects(const char *dir, struct obj_list *l)
{
	memset(l, 0, sizeof(*l));
	walk_list = l;
	walk_prefix = strlen(dir) + 1;
	if (nftw(dir, collect, 32, FTW_PHYS) != 0) {
		ab_error(dir, 0, "cannot walk the directory");
		return -1;
	}
	if (l->n > 1) /* l->v is NULL in an empty tree */
		qsort(l->v, l->n, sizeof(*l->v), cmp_str);
	return 0;
}

static void free_list(struct obj_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* An ELF relocatable (ET_REL)?  Thin archives and linker scripts named .o
 * are not, nor are empty files. */
static int is_elf_rel(const char *path)
{
	unsigned char h[18];
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, h, sizeof(h));
	close(fd);
	return n == (ssize_t)sizeof(h) && !memcmp(h, "\177ELF", 4) && h[5] == 1 &&
	       h[16] == 1 && h[17] == 0;
}

static void compare_one(const char *pd, const char *ad, const char *rel, struct obj_result *r)
{
	char *p = ab_au_asprintf("%s/%s", pd, rel), *a = ab_au_asprintf("%s/%s", ad, rel);
	int pe = is_elf_rel(p), ae = is_elf_rel(a);
	if (!pe && !ae) {
		r->rc = -1;
	} else if (pe != ae) {
		r->rc = AB_CMP_MISMATCH;
		ab_au_snprintf(r->msg, sizeof(r->msg), "an ELF relocatable only in the %s tree",
			 pe ? "plain" : "afterburned");
	} else {
		r->rc = ab_compare_files(p, a, &r->st, r->msg, sizeof(r->msg));
	}
	free(p);
	free(a);
}

static void worker(const char *pd, const char *ad, char **rel, const int *state, size_t n,
		   struct obj_result *res, unsigned k, unsigned jobs)
{
	for (size_t i = k; i < n; i += jobs)
		if (state[i] == P_BOTH)
			compare_one(pd, ad, rel[i], &res[i]);
}

static int run_workers(const char *pd, const char *ad, char **rel, const int *state,
		       size_t n, struct obj_result *res, unsigned jobs)
{
	int failed = 0;
	if (jobs > n)
		jobs = n ? (unsigned)n : 1;
	/* Until a worker says otherwise, nothing has been compared. */
	for (size_t i = 0; i < n; i++) {
		res[i].rc = AB_CMP_ERROR;
		ab_au_snprintf(res[i].msg, sizeof(res[i].msg), "not compared");
	}
	fflush(NULL);
	for (unsigned k = 0; k < jobs; k++) {
		pid_t pid = fork();
		if (pid < 0) {
			/* Fewer workers than asked: do this share here. */
			worker(pd, ad, rel, state, n, res, k, jobs);
		} else if (pid == 0) {
			worker(pd, ad, rel, state, n, res, k, jobs);
			fflush(NULL);
			_exit(0);
		}
	}
	int status;
	while (wait(&status) > 0)
		failed |= !WIFEXITED(status) || WEXITSTATUS(status);
	if (failed)
		ab_error(NULL, 0, "compare: a worker process failed");
	return failed ? -1 : 0;
}

/* Merge the two sorted lists into one list of paths with their side. */
static size_t merge(const struct obj_list *p, const struct obj_list *a, char ***rel, int **state)
{
	size_t i = 0, j = 0, n = 0;
	*rel = ab_au_calloc(p->n + a->n + 1, sizeof(**rel));
	*state = ab_au_calloc(p->n + a->n + 1, sizeof(**state));
	while (i < p->n || j < a->n) {
		int c = i >= p->n ? 1 : j >= a->n ? -1 : strcmp(p->v[i], a->v[j]);
		(*state)[n] = c == 0 ? P_BOTH : c < 0 ? P_ONLY_PLAIN : P_ONLY_AB;
		(*rel)[n++] = c <= 0 ? p->v[i] : a->v[j];
		i += c <= 0;
		j += c >= 0;
	}
	return n;
}

struct totals {
	size_t compared, mismatches, errors, only_plain, only_ab, skipped;
	struct ab_cmp_stats st;
};

static void report(char **rel, const int *state, const struct obj_result *res, size_t n,
		   struct totals *t)
{
	for (size_t i = 0; i < n; i++) {
		if (state[i] != P_BOTH) {
			printf("%s %s\n", state[i] == P_ONLY_PLAIN ? "ONLY-PLAIN" : "ONLY-AB", rel[i]);
			*(state[i] == P_ONLY_PLAIN ? &t->only_plain : &t->only_ab) += 1;
			continue;
		}
		if (res[i].rc < 0) {
			t->skipped++;
			continue;
		}
		t->compared++;
		t->st.sections += res[i].st.sections;
		t->st.insns += res[i].st.insns;
		t->st.sites += res[i].st.sites;
		if (res[i].rc == AB_CMP_MISMATCH)
			t->mismatches++;
		if (res[i].rc == AB_CMP_ERROR)
			t->errors++;
		if (res[i].rc != AB_CMP_EQUAL)
			printf("%s %s: %s\n", res[i].rc == AB_CMP_ERROR ? "ERROR" : "MISMATCH", rel[i],
			       res[i].msg);
	}
}

int ab_compare_dirs(const char *plain_dir, const char *ab_dir, unsigned jobs)
{
	struct obj_list p, a;
	if (list_objects(plain_dir, &p))
		return 1;
	if (list_objects(ab_dir, &a)) {
		free_list(&p);
		return 1;
	}
	char **rel;
	int *state;
	size_t n = merge(&p, &a, &rel, &state);
	size_t bytes = (n + 1) * sizeof(struct obj_result);
	struct obj_result *res = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
				      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int rc = 1;
	if (res == MAP_FAILED) {
		ab_error(NULL, 0, "compare: cannot map shared memory");
	} else if (run_workers(plain_dir, ab_dir, rel, state, n, res, jobs) == 0) {
		struct totals t = { 0 };
		report(rel, state, res, n, &t);
		printf("compare: %zu objects compared, %zu sections, %zu instructions, %zu sites, "
		       "%zu mismatches, %zu errors, %zu missing (%zu only in plain, %zu only in "
		       "afterburned), %zu skipped (not ELF relocatables)\n", t.compared,
		       t.st.sections, t.st.insns, t.st.sites, t.mismatches, t.errors,
		       t.only_plain + t.only_ab, t.only_plain, t.only_ab, t.skipped);
		rc = t.mismatches || t.errors;
	}
	if (res != MAP_FAILED)
		munmap(res, bytes);
	free(rel);
	free(state);
	free_list(&p);
	free_list(&a);
	return rc;
}
