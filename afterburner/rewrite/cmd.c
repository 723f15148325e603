/* afterburn rewrite [IN.s] [-o OUT.s] [--stats] */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "afterburn/kind.h"
#include "../cli.h"
#include "../diag.h"
#include "rewrite.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: afterburn rewrite [IN.s] [-o OUT.s] [--stats]\n"
		"\n"
		"Reads GNU as (AT&T, x86-64) source, pads every sensitive instruction with\n"
		"NOPs to its site length, records it in an ELF note (section\n"
		AB_SITES_SECTION ") and appends the ABI version note.  IN.s and OUT.s default to stdin and stdout.  Lines keep\n"
		"their numbers.  .code16/.code32 code is left alone and counted.\n"
		"\n"
		"  -o FILE    write here (replaced only when the rewrite succeeds)\n"
		"  --stats    print per-kind site counts on stderr\n");
}

void ab_rw_stats_print(FILE *f, const struct ab_rw_stats *st)
{
	static const char *const flag_names[] = { "macro", "repeat", "prefix", "inline-asm",
						  "bytes", "macro-arg", "altrepl" };
	fprintf(f, "%-16s %8s\n", "kind", "sites");
	for (unsigned k = 1; k < AB_K_COUNT; k++)
		if (st->sites[k])
			fprintf(f, "%-16s %8lu\n", ab_kind_name(k), st->sites[k]);
	fprintf(f, "%-16s %8lu\n", "total", st->sites_total);
	for (unsigned b = 0; b < sizeof(flag_names) / sizeof(flag_names[0]); b++)
		if (st->by_flag[b])
			fprintf(f, "  with %-10s %8lu\n", flag_names[b], st->by_flag[b]);
	fprintf(f, "left alone: %lu in .code16/.code32, %lu in non-executable sections\n",
		st->left_16_32, st->left_noexec);
	fprintf(f, "macro-parameter statements not resolvable here: %lu\n", st->unresolved);
	fprintf(f, "lines %lu, bytes %lu\n", st->lines, st->bytes);
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int write_fd_or_report(int fd, const char *name, const struct ab_buf *b)
{
	if (write_all(fd, b->p, b->len)) {
		ab_error(name, 0, "cannot write: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * A regular file is written to OUT.tmp.PID and renamed, so a failed run
 * never clobbers OUT; a device or pipe (/dev/null, /dev/stdout) directly.
 */
static int write_output(const char *path, const struct ab_buf *b)
{
	struct stat sb;
	if (!path)
		return write_fd_or_report(1, "<stdout>", b);
	if (!stat(path, &sb) && !S_ISREG(sb.st_mode)) {
		int fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0) {
			ab_error(path, 0, "cannot write: %s", strerror(errno));
			return -1;
		}
		int rc = write_fd_or_report(fd, path, b);
		close(fd);
		return rc;
	}
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	FILE *f = fopen(tmp, "w");
	if (!f || fwrite(b->p, 1, b->len, f) != b->len || fclose(f)) {
		ab_error(tmp, 0, "cannot write: %s", strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path)) {
		ab_error(path, 0, "cannot write: %s", strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int ab_rewrite_main(int argc, char **argv)
{
	const char *in = NULL, *out = NULL;
	int stats = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			out = argv[++i];
		} else if (!strcmp(argv[i], "--stats")) {
			stats = 1;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			ab_error(NULL, 0, "rewrite: unknown option '%s'", argv[i]);
			usage(stderr);
			return 2;
		} else if (!in) {
			in = argv[i];
		} else {
			ab_error(NULL, 0, "rewrite: more than one input file");
			return 2;
		}
	}
	const char *name = (!in || !strcmp(in, "-")) ? "<stdin>" : in;
	struct ab_buf src = { 0 }, dst = { 0 };
	struct ab_rw_stats st = { 0 };
	if (ab_buf_read_file(&src, in ? in : "-")) {
		ab_error(name, 0, "cannot read: %s", strerror(errno));
		return 1;
	}
	int rc = ab_rewrite(name, src.p ? src.p : "", src.len, &dst, &st) ? 1 : 0;
	if (!rc && write_output(out, &dst))
		rc = 1;
	if (stats && !rc)
		ab_rw_stats_print(stderr, &st);
	ab_buf_free(&src);
	ab_buf_free(&dst);
	return rc;
}
