/* The host unit tests' harness (tests/unit/harness.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

static unsigned passed, failed;

void report(bool ok, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("%s: ", ok ? "PASS" : "FAIL");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	ok ? passed++ : failed++;
}

static const struct unit_suite *find(const struct unit_suite *s, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(name, s[i].name))
			return &s[i];
	return NULL;
}

int unit_main(const char *prog, const struct unit_suite *suites, size_t n, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!find(suites, n, argv[i])) {
			fprintf(stderr, "%s: no suite '%s'\n", prog, argv[i]);
			return 2;
		}
	}
	if (argc < 2)
		for (size_t i = 0; i < n; i++)
			suites[i].run();
	for (int i = 1; i < argc; i++)
		find(suites, n, argv[i])->run();
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
