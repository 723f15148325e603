/*
 * kvm-wedge-unit [SUITE...]: the kvm backend's wedge side on the host;
 * prints "N passed, M failed", exit 1 if any check failed.
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
	{ "protocol", suite_protocol },
	{ "pio", suite_pio },
	{ "cpuid", suite_cpuid },
	{ "disk", suite_disk },
	{ "splitcore", suite_splitcore },
};

int main(int argc, char **argv)
{
	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		bool want = argc < 2;
		for (int a = 1; a < argc; a++)
			want |= !strcmp(argv[a], suites[i].name);
		if (want)
			suites[i].run();
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
