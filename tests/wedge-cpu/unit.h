/*
 * Host unit tests of the wedge's virtual CPU, kvm-unit-tests style:
 * report(cond, "name") per check, one suite per area, a summary line and
 * the exit status from main.c.
 */
#ifndef WEDGE_CPU_UNIT_H
#define WEDGE_CPU_UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wedge/vcpu.h"

#include "../unit/harness.h"

/*
 * A synthetic CPU with every feature the vCPU's checks consult, so the
 * outcome of a check does not depend on the machine running the test.
 * Fields select the variations the tests need.
 */
struct fake_cpu {
	bool intel;             /* vendor string */
	uint32_t max_basic;     /* leaf 0 EAX (0x14 by default) */
	uint32_t max_ext;       /* leaf 0x80000000 EAX (0x80000021) */
	unsigned phys_bits;     /* 0x80000008 EAX[7:0] (46) */
	unsigned virt_bits;     /* 0x80000008 EAX[15:8] (48) */
	uint64_t tsc;           /* what the TSC clock reads */
	unsigned inta_calls;    /* INTA cycles the vCPU ran */
	int inta_vector;        /* what INTA answers */
	unsigned cpuid_calls;
};

void fake_cpu_default(struct fake_cpu *f);
/* A host for wedge_vcpu_init backed by f. */
struct wedge_vcpu_host fake_host(struct fake_cpu *f);
/* wedge_vcpu_init on a default fake CPU, no policy. */
void fake_vcpu(struct wedge_vcpu *v, struct fake_cpu *f);

void suite_irq(void);
void suite_cr(void);
void suite_dt(void);
void suite_cpuid(void);
void suite_msr(void);

#endif
