/*
 * The host unit tests' harness (kvm-unit-tests style): report(cond, "name")
 * per check, suites run by name (all by default), "N passed, M failed"
 * last, exit 1 if any check failed, 2 for an unknown suite.
 */
#ifndef TESTS_UNIT_HARNESS_H
#define TESTS_UNIT_HARNESS_H

#include <stdbool.h>
#include <stddef.h>

void report(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct unit_suite {
	const char *name;
	void (*run)(void);
};

int unit_main(const char *prog, const struct unit_suite *suites, size_t n, int argc, char **argv);

#endif
