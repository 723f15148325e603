/* Diagnostics (diag.h); lives with the rewriter so the as wrapper has it too. */
#include <stdio.h>

#include "../diag.h"

const char *ab_prog = "afterburn";

static void vreport(const char *file, unsigned long line, const char *what,
		    const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", ab_prog);
	if (file && line)
		fprintf(stderr, "%s:%lu: ", file, line);
	else if (file)
		fprintf(stderr, "%s: ", file);
	if (what)
		fprintf(stderr, "%s: ", what);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void ab_verror(const char *file, unsigned long line, const char *fmt, va_list ap)
{
	vreport(file, line, NULL, fmt, ap);
}

void ab_error(const char *file, unsigned long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(file, line, NULL, fmt, ap);
	va_end(ap);
}

void ab_warn(const char *file, unsigned long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(file, line, "warning", fmt, ap);
	va_end(ap);
}
