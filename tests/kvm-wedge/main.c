/*
 * kvm-wedge-unit [SUITE...]: the kvm backend's wedge side on the host;
 * prints "N passed, M failed", exit 1 if any check failed.
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"

static const struct unit_suite suites[] = {
	{ "protocol", suite_protocol }, { "pio", suite_pio }, { "cpuid", suite_cpuid },
	{ "disk", suite_disk }, { "splitcore", suite_splitcore },
};

int main(int argc, char **argv)
{
	return unit_main("kvm-wedge-unit", suites, sizeof(suites) / sizeof(suites[0]), argc, argv);
}
