/*
 * Helpers shared by the virtual CPU's files (internal to wedge/cpu/):
 * the CPUID feature bits its checks depend on, and the bulk zeroing that
 * a freestanding wedge must do without memset.
 */
#ifndef WEDGE_CPU_H
#define WEDGE_CPU_H

#include <stddef.h>
#include <stdint.h>

#include "wedge/vcpu.h"

/* A feature as (leaf, subleaf, register, bit). */
struct wedge_vcpu_feat {
	uint32_t leaf;
	uint8_t subleaf, reg, bit;
};

#define FEAT(l, s, r, b) ((struct wedge_vcpu_feat){ (l), (s), WEDGE_VCPU_##r, (b) })

#define F_VME        FEAT(1, 0, EDX, 1)
#define F_DE         FEAT(1, 0, EDX, 2)
#define F_PSE        FEAT(1, 0, EDX, 3)
#define F_TSC        FEAT(1, 0, EDX, 4)
#define F_PAE        FEAT(1, 0, EDX, 6)
#define F_MCE        FEAT(1, 0, EDX, 7)
#define F_APIC       FEAT(1, 0, EDX, 9)
#define F_PGE        FEAT(1, 0, EDX, 13)
#define F_FXSR       FEAT(1, 0, EDX, 24)
#define F_SSE        FEAT(1, 0, EDX, 25)
#define F_MONITOR    FEAT(1, 0, ECX, 3)
#define F_VMX        FEAT(1, 0, ECX, 5)
#define F_SMX        FEAT(1, 0, ECX, 6)
#define F_PCID       FEAT(1, 0, ECX, 17)
#define F_X2APIC     FEAT(1, 0, ECX, 21)
#define F_XSAVE      FEAT(1, 0, ECX, 26)
#define F_OSXSAVE    FEAT(1, 0, ECX, 27)
#define F_HYPERVISOR FEAT(1, 0, ECX, 31)
#define F_FSGSBASE   FEAT(7, 0, EBX, 0)
#define F_SMEP       FEAT(7, 0, EBX, 7)
#define F_SMAP       FEAT(7, 0, EBX, 20)
#define F_UMIP       FEAT(7, 0, ECX, 2)
#define F_PKU        FEAT(7, 0, ECX, 3)
#define F_OSPKE      FEAT(7, 0, ECX, 4)
#define F_CET_SS     FEAT(7, 0, ECX, 7)
#define F_LA57       FEAT(7, 0, ECX, 16)
#define F_RDPID      FEAT(7, 0, ECX, 22)
#define F_KL         FEAT(7, 0, ECX, 23)
#define F_PKS        FEAT(7, 0, ECX, 31)
#define F_UINTR      FEAT(7, 0, EDX, 5)
#define F_CET_IBT    FEAT(7, 0, EDX, 20)
#define F_LAM        FEAT(7, 1, EAX, 26)
#define F_SVM        FEAT(0x80000001u, 0, ECX, 2)
#define F_TCE        FEAT(0x80000001u, 0, ECX, 17)
#define F_MONITORX   FEAT(0x80000001u, 0, ECX, 29)
#define F_SYSCALL    FEAT(0x80000001u, 0, EDX, 11)
#define F_NX         FEAT(0x80000001u, 0, EDX, 20)
#define F_FFXSR      FEAT(0x80000001u, 0, EDX, 25)
#define F_RDTSCP     FEAT(0x80000001u, 0, EDX, 27)
#define F_LM         FEAT(0x80000001u, 0, EDX, 29)
#define F_AUTOIBRS   FEAT(0x80000021u, 0, EAX, 8)

static inline bool wedge_vcpu_has(const struct wedge_vcpu *v, struct wedge_vcpu_feat f)
{
	return wedge_vcpu_cpuid_bit(v, f.leaf, f.subleaf, f.reg, f.bit);
}

/* Byte fill without libc (the wedge has no memset). */
void wedge_vcpu_zero(void *p, size_t n);

#endif
