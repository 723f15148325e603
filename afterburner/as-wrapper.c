/*
 * build/libexec/afterburn/as: an `as` for `gcc -B<dir>/`.
 *
 * Every 64-bit object's assembler source goes through the rewriter before
 * the real assembler sees it; --32 objects (Linux's real-mode and boot code)
 * pass through untouched.  The rewritten text reaches the real as on its
 * standard input from an in-memory file, so nothing is left on disk, and
 * because the rewriter keeps line numbers, gas messages still point at the
 * right line.  If the rewriter fails, the compile fails with its message.
 *
 * The real assembler: $AFTERBURN_REAL_AS, else the first `as` on PATH that
 * is not this program.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "rewrite/rewrite.h"

static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int find_real_as(char *out, size_t outsz)
{
	const char *env = getenv("AFTERBURN_REAL_AS");
	if (env && *env) {
		snprintf(out, outsz, "%s", env);
		return 0;
	}
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");
		snprintf(out, outsz, "%.*s/as", (int)n, n ? path : ".");
		if (!access(out, X_OK) && !same_file(out, "/proc/self/exe"))
			return 0;
		path += n + (path[n] == ':');
	}
	return -1;
}

/* gas options whose value is the next argument. */
static int takes_value(const char *opt)
{
	static const char *const with_value[] = { "-o", "-I", "--defsym", "--MD", "-MD" };
	for (size_t i = 0; i < sizeof(with_value) / sizeof(with_value[0]); i++)
		if (!strcmp(opt, with_value[i]))
			return 1;
	return 0;
}

static int is_32bit(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--32") || !strcmp(argv[i], "--x32"))
			return 1;
	return 0;
}

static int only_queries(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "--help") ||
		    !strcmp(argv[i], "-v") || !strcmp(argv[i], "-V"))
			return 1;
	return 0;
}

/* The object being made, for naming a kept copy of a failed input. */
static const char *output_path(int argc, char **argv)
{
	for (int i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], "-o"))
			return argv[i + 1];
	return "a.out";
}

/*
 * gcc's temporary .s (or its pipe) is gone once we fail: keep the input
 * next to the object so the file:line in the message can be looked at.
 */
static void keep_failed_input(const struct ab_buf *src, const char *object)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s.afterburn-input.s", object);
	FILE *f = fopen(path, "w");
	if (!f)
		return;
	int ok = fwrite(src->p, 1, src->len, f) == src->len;
	if (!fclose(f) && ok)
		fprintf(stderr, "%s: the input is kept in %s\n", ab_prog, path);
}

static int rewrite_one(const char *path, const char *object, struct ab_buf *out,
		       struct ab_rw_stats *st)
{
	struct ab_buf src = { 0 };
	const char *name = strcmp(path, "-") ? path : "{standard input}";
	if (ab_buf_read_file(&src, path)) {
		ab_error(name, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	int rc = ab_rewrite(name, src.p ? src.p : "", src.len, out, st);
	if (rc)
		keep_failed_input(&src, object);
	ab_buf_free(&src);
	return rc;
}

/* Rewrite all inputs, in order, into one memfd on stdin; mark them "-". */
static int rewrite_inputs(int argc, char **argv)
{
	struct ab_buf out = { 0 };
	struct ab_rw_stats st = { 0 };
	int seen = 0, first = -1;
	const char *object = output_path(argc, argv);

	for (int i = 1; i < argc; i++) {
		if (takes_value(argv[i])) {
			i++;
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1])
			continue;
		if (rewrite_one(argv[i], object, &out, &st))
			return -1;
		if (first < 0)
			first = i;
		argv[i] = NULL; /* removed below */
		seen++;
	}
	if (!seen && rewrite_one("-", object, &out, &st))
		return -1;
	int fd = memfd_create("afterburn-as", MFD_CLOEXEC);
	if (fd < 0 || (size_t)write(fd, out.p, out.len) != out.len || lseek(fd, 0, SEEK_SET)) {
		ab_error(NULL, 0, "cannot hold the rewritten source: %s", strerror(errno));
		return -1;
	}
	if (dup2(fd, 0) < 0)
		return -1;
	close(fd);
	ab_buf_free(&out);
	/* Compact argv: the inputs become one "-" where the first one was. */
	int w = 1;
	for (int i = 1; i < argc; i++) {
		if (argv[i])
			argv[w++] = argv[i];
		else if (i == first)
			argv[w++] = "-";
	}
	if (first < 0)
		argv[w++] = "-";
	argv[w] = NULL;
	return 0;
}

int main(int argc, char **argv)
{
	char real_as[PATH_MAX];
	ab_prog = "afterburn-as";
	if (find_real_as(real_as, sizeof(real_as))) {
		ab_error(NULL, 0, "no real assembler found on PATH (set AFTERBURN_REAL_AS)");
		return 1;
	}
	char **args = calloc((size_t)argc + 2, sizeof(*args));
	if (!args)
		return 1;
	memcpy(args, argv, (size_t)argc * sizeof(*args));
	if (!is_32bit(argc, argv) && !only_queries(argc, argv) && rewrite_inputs(argc, args))
		return 1;
	args[0] = real_as;
	execv(real_as, args);
	ab_error(real_as, 0, "cannot run: %s", strerror(errno));
	return 1;
}
