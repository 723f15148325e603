/*
 * tsc-khz: print the host's TSC frequency in kHz, measured against
 * CLOCK_MONOTONIC_RAW (median of five 20 ms windows).
 *
 * Under QEMU TCG the guest's rdtsc reads the host TSC, so this is also the
 * guest's TSC frequency.  scripts/qemu-bare.sh passes it to the guest as
 * tsc_early_khz=: without it, a Linux guest calibrates its TSC against the
 * emulated PIT, which under TCG fails now and then ("tsc: Unable to
 * calibrate against PIT"), leaving it on the 4 ms jiffies clocksource.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <x86intrin.h>

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(void)
{
	double khz[5];

	for (int i = 0; i < 5; i++) {
		uint64_t t0 = mono_ns(), c0 = __rdtsc(), t1, c1;

		do {
			t1 = mono_ns();
		} while (t1 - t0 < 20000000u);
		c1 = __rdtsc();
		khz[i] = (double)(c1 - c0) * 1e6 / (double)(t1 - t0);
	}
	qsort(khz, 5, sizeof(khz[0]), cmp);
	if (khz[2] < 1000.0) {
		fprintf(stderr, "tsc-khz: implausible TSC frequency %.0f kHz\n", khz[2]);
		return 1;
	}
	printf("%.0f\n", khz[2]);
	return 0;
}
