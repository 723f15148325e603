/*
 * Time in the wedge: the guest's TSC, which runs under KVM without exits,
 * scaled by the frequency the monitor gave at HELLO.  The PIT model and
 * the monitor's timer then agree on every deadline, because both count
 * the same TSC (abi.h, struct ab_shared).
 */
#include "kvm.h"

#define NS_PER_MS 1000000ull

/* Nanoseconds since HELLO; split so that nothing overflows for centuries. */
uint64_t kvm_ns_of_tsc(uint64_t tsc)
{
	if (tsc < kvm.tsc_hello)
		return 0;
	uint64_t d = tsc - kvm.tsc_hello;
	return d / kvm.tsc_khz * NS_PER_MS + d % kvm.tsc_khz * NS_PER_MS / kvm.tsc_khz;
}

/* The first TSC value at which kvm_ns_of_tsc reaches ns (rounded up). */
uint64_t kvm_tsc_of_ns(uint64_t ns)
{
	uint64_t ms = ns / NS_PER_MS, rest = ns % NS_PER_MS;
	return kvm.tsc_hello + ms * kvm.tsc_khz + (rest * kvm.tsc_khz + NS_PER_MS - 1) / NS_PER_MS;
}

uint64_t kvm_monotonic_ns(void *ctx)
{
	(void)ctx;
	return kvm_ns_of_tsc(kvm_rdtsc());
}

uint64_t kvm_wall_clock(void *ctx)
{
	(void)ctx;
	return kvm.wallclock_sec + kvm_monotonic_ns(0) / 1000000000ull;
}
