/* Loading and matching the audit's exceptions file (exceptions.h). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afterburn/kind.h"
#include "../diag.h"
#include "exceptions.h"
#include "util.h"

static char *skip_space(char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	return s;
}

/* Cut the next whitespace-separated word out of *s. */
static char *next_word(char **s)
{
	char *w = skip_space(*s), *end = w;
	while (*end && !isspace((unsigned char)*end))
		end++;
	if (*end)
		*end++ = 0;
	*s = end;
	return w;
}

static void trim_end(char *s)
{
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
}

/* "name+0x10": split at the last '+' followed by a number. */
static int split_offset(const struct ab_exceptions *x, unsigned long line, char *where,
			struct ab_exception *ex)
{
	char *plus = strrchr(where, '+');
	if (!plus || plus == where)
		return 0;
	char *end;
	errno = 0;
	unsigned long long off = strtoull(plus + 1, &end, 0);
	if (plus[1] == 0 || *end || errno || plus[1] == '-') {
		ab_error(x->path, line, "bad offset '%s' (expected SYMBOL+0xHEX)", plus + 1);
		return -1;
	}
	*plus = 0;
	ex->has_off = 1;
	ex->off = off;
	return 0;
}

static int parse_line(struct ab_exceptions *x, unsigned long line, char *s)
{
	struct ab_exception ex = { .line = line };
	char *where = next_word(&s);
	char *kind = next_word(&s);
	char *reason = skip_space(s);
	trim_end(reason);
	if (!*kind) {
		ab_error(x->path, line, "missing kind (expected SYMBOL[+OFFSET] KIND REASON)");
		return -1;
	}
	if (strcmp(kind, "*") && !(ex.kind = ab_kind_by_name(kind))) {
		ab_error(x->path, line, "unknown kind '%s'", kind);
		return -1;
	}
	if (!*reason) {
		ab_error(x->path, line, "missing reason (every exception says why)");
		return -1;
	}
	if (split_offset(x, line, where, &ex))
		return -1;
	ex.sym = ab_au_strdup(where);
	ex.reason = ab_au_strdup(reason);
	*AB_PUSH(x->v, x->n, x->cap) = ex;
	return 0;
}

int ab_exceptions_load(struct ab_exceptions *x, const char *path)
{
	memset(x, 0, sizeof(*x));
	x->path = path;
	FILE *f = fopen(path, "r");
	if (!f) {
		ab_error(path, 0, "%s", strerror(errno));
		return -1;
	}
	char *buf = NULL;
	size_t cap = 0;
	unsigned long line = 0;
	int rc = 0;
	while (getline(&buf, &cap, f) >= 0) {
		line++;
		char *s = skip_space(buf);
		trim_end(s);
		if (!*s || *s == '#')
			continue;
		if (parse_line(x, line, s))
			rc = -1; /* report every bad line, not just the first */
	}
	free(buf);
	fclose(f);
	return rc;
}

static int matches(const struct ab_exception *ex, const char *name, uint64_t rel,
		   unsigned kind)
{
	return (!ex->kind || ex->kind == kind) && !strcmp(ex->sym, name) &&
	       (!ex->has_off || ex->off == rel);
}

/* Does ex name this place: by any alias of the enclosing symbol, or by the
 * section name? */
static int names_place(const struct ab_exception *ex, const struct ab_elf *e,
		       unsigned sec, uint64_t off, unsigned kind)
{
	if (matches(ex, e->secs[sec].name, off, kind))
		return 1;
	const struct ab_symbol *s = ab_elf_symbol_at(e, sec, off);
	if (!s)
		return 0;
	size_t first, end;
	ab_elf_symbols_from(e, sec, s->off, &first, &end);
	for (size_t i = first; i < end; i++)
		if (matches(ex, e->syms[i].name, off - s->off, kind))
			return 1;
	return 0;
}

struct ab_exception *ab_exceptions_match(struct ab_exceptions *x, const struct ab_elf *e,
					 unsigned sec, uint64_t off, unsigned kind)
{
	for (size_t i = 0; i < x->n; i++) {
		if (names_place(&x->v[i], e, sec, off, kind)) {
			x->v[i].matched++;
			return &x->v[i];
		}
	}
	return NULL;
}

void ab_exceptions_free(struct ab_exceptions *x)
{
	for (size_t i = 0; i < x->n; i++) {
		free(x->v[i].sym);
		free(x->v[i].reason);
	}
	free(x->v);
	memset(x, 0, sizeof(*x));
}

void ab_exception_str(const struct ab_exception *ex, char *buf, size_t n)
{
	const char *kind = ex->kind ? ab_kind_name(ex->kind) : "*";
	if (ex->has_off)
		ab_au_snprintf(buf, n, "%s+0x%llx %s", ex->sym, (unsigned long long)ex->off, kind);
	else
		ab_au_snprintf(buf, n, "%s %s", ex->sym, kind);
}
