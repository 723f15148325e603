/*
 * wedge-cpu-unit [SUITE...]: run the named suites (all by default) and
 * print "N passed, M failed"; exit 1 if any check failed.
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"

static const struct unit_suite suites[] = {
	{ "irq", suite_irq }, { "cr", suite_cr }, { "dt", suite_dt },
	{ "cpuid", suite_cpuid }, { "msr", suite_msr },
};

int main(int argc, char **argv)
{
	return unit_main("wedge-cpu-unit", suites, sizeof(suites) / sizeof(suites[0]), argc, argv);
}
