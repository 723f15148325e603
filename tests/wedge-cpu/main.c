/*
 * wedge-cpu-unit [SUITE...]: run the named suites (all by default) and
 * print "N passed, M failed"; exit 1 if any check failed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"

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

static const struct {
	const char *name;
	void (*run)(void);
} suites[] = {
	{ "irq", suite_irq }, { "cr", suite_cr }, { "dt", suite_dt },
	{ "cpuid", suite_cpuid }, { "msr", suite_msr },
};
#define NSUITES (sizeof(suites) / sizeof(suites[0]))

static int run_named(const char *name)
{
	for (size_t i = 0; i < NSUITES; i++) {
		if (!strcmp(name, suites[i].name)) {
			suites[i].run();
			return 0;
		}
	}
	fprintf(stderr, "wedge-cpu-unit: no suite '%s'\n", name);
	return -1;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		for (size_t i = 0; i < NSUITES; i++)
			suites[i].run();
	for (int i = 1; i < argc; i++)
		if (run_named(argv[i]))
			return 2;
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
