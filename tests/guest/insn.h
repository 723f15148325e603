/*
 * Every sensitive instruction the guest's C code executes, one inline
 * function each.  Each increments its kind's counter in the same asm
 * statement, right before the instruction, so the count is exact: a
 * trace backend counting executions per site must find the same numbers
 * (tests/guest/counted.sh checks that every site of the linked guest is
 * preceded by its increment).  Never write a sensitive instruction in C
 * outside this header.
 */
#ifndef GUEST_INSN_H
#define GUEST_INSN_H

#include <stdint.h>
#include "afterburn/abi.h"
#include "defs.h"

extern uint64_t ab_count[AB_K_COUNT];

/* The counter operand of kind k. */
#define CNT(k) "+m"(ab_count[AB_K_##k])

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* Interrupt flag. */
static inline void cli(void) { __asm__ volatile("incq %0\n\tcli" : CNT(CLI) : : "memory"); }
static inline void sti(void) { __asm__ volatile("incq %0\n\tsti" : CNT(STI) : : "memory"); }

static inline uint64_t read_flags(void)
{
	uint64_t f;
	__asm__ volatile("incq %1\n\tpushfq\n\tpopq %0" : "=r"(f), CNT(PUSHF) : : "memory");
	return f;
}

static inline void write_flags(uint64_t f)
{
	__asm__ volatile("pushq %1\n\tincq %0\n\tpopfq" : CNT(POPF) : "r"(f) : "memory", "cc");
}

/* Halt. */
static inline void hlt(void) { __asm__ volatile("incq %0\n\thlt" : CNT(HLT) : : "memory"); }

/*
 * sti; hlt: the afterburner puts sti's padding before it (AB_F_LEAD), so
 * its interrupt shadow still covers the hlt: a tick pending at sti wakes
 * the hlt instead of running before it.
 */
static inline void sti_hlt(void)
{
	__asm__ volatile("incq %0\n\tincq %1\n\tsti\n\thlt" : CNT(STI), CNT(HLT) : : "memory");
}

/* sti; hlt that also returns the address right after the hlt (1 byte). */
static inline uint64_t sti_hlt_resume(void)
{
	uint64_t resume;
	__asm__ volatile("incq %1\n\tincq %2\n\tsti\n1:\thlt\n\tleaq 1b+1(%%rip), %0"
			 : "=r"(resume), CNT(STI), CNT(HLT) : : "memory");
	return resume;
}

static inline void monitor(const void *p, uint32_t ext, uint32_t hints)
{
	__asm__ volatile("incq %0\n\tmonitor" : CNT(MONITOR) : "a"(p), "c"(ext), "d"(hints) : "memory");
}

/* sti; mwait: woken by the next interrupt at the latest. */
static inline void sti_mwait(uint32_t hints, uint32_t ext)
{
	__asm__ volatile("incq %0\n\tincq %1\n\tsti\n\tmwait"
		     : CNT(STI), CNT(MWAIT) : "a"(hints), "c"(ext) : "memory");
}

/* Port I/O. */
static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("incq %1\n\tinb %w2, %0" : "=a"(v), CNT(IN) : "Nd"(port) : "memory");
	return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("incq %0\n\toutb %b1, %w2" : CNT(OUT) : "a"(v), "Nd"(port) : "memory");
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("incq %1\n\tinl %w2, %0" : "=a"(v), CNT(IN) : "Nd"(port) : "memory");
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("incq %0\n\toutl %1, %w2" : CNT(OUT) : "a"(v), "Nd"(port) : "memory");
}

static inline void insb(uint16_t port, void *dst)
{
	__asm__ volatile("incq %0\n\tinsb" : CNT(INS), "+D"(dst) : "d"(port) : "memory");
}

static inline void outsb(uint16_t port, const void *src)
{
	__asm__ volatile("incq %0\n\toutsb" : CNT(OUTS), "+S"(src) : "d"(port) : "memory");
}

/* Control and debug registers. */
#define CR_ACCESSORS(n)                                                         \
	static inline uint64_t read_cr##n(void)                                 \
	{                                                                       \
		uint64_t v;                                                     \
		__asm__ volatile("incq %1\n\tmov %%cr" #n ", %0"                   \
			     : "=r"(v), CNT(MOV_FROM_CR) : : "memory");        \
		return v;                                                       \
	}                                                                       \
	static inline void write_cr##n(uint64_t v)                              \
	{                                                                       \
		__asm__ volatile("incq %0\n\tmov %1, %%cr" #n                      \
			     : CNT(MOV_TO_CR) : "r"(v) : "memory");            \
	}
CR_ACCESSORS(0)
CR_ACCESSORS(2)
CR_ACCESSORS(3)
CR_ACCESSORS(4)
CR_ACCESSORS(8)
#undef CR_ACCESSORS

#define DR_ACCESSORS(n)                                                         \
	static inline uint64_t read_dr##n(void)                                 \
	{                                                                       \
		uint64_t v;                                                     \
		__asm__ volatile("incq %1\n\tmov %%db" #n ", %0"                   \
			     : "=r"(v), CNT(MOV_FROM_DR) : : "memory");        \
		return v;                                                       \
	}                                                                       \
	static inline void write_dr##n(uint64_t v)                              \
	{                                                                       \
		__asm__ volatile("incq %0\n\tmov %1, %%db" #n                      \
			     : CNT(MOV_TO_DR) : "r"(v) : "memory");            \
	}
DR_ACCESSORS(0)
DR_ACCESSORS(7)
#undef DR_ACCESSORS

static inline void clts(void) { __asm__ volatile("incq %0\n\tclts" : CNT(CLTS) : : "memory"); }

static inline uint32_t smsw(void)
{
	uint32_t v;
	__asm__ volatile("incq %1\n\tsmsw %0" : "=r"(v), CNT(SMSW) : : "memory");
	return v;
}

static inline void lmsw(uint16_t v)
{
	__asm__ volatile("incq %0\n\tlmsw %w1" : CNT(LMSW) : "r"(v) : "memory");
}

/* Descriptor tables. */
static inline void lgdt(const struct desc_ptr *p)
{
	__asm__ volatile("incq %0\n\tlgdt %1" : CNT(LGDT) : "m"(*p) : "memory");
}

static inline void sgdt(struct desc_ptr *p)
{
	__asm__ volatile("incq %0\n\tsgdt %1" : CNT(SGDT), "=m"(*p) : : "memory");
}

static inline void lidt(const struct desc_ptr *p)
{
	__asm__ volatile("incq %0\n\tlidt %1" : CNT(LIDT) : "m"(*p) : "memory");
}

static inline void sidt(struct desc_ptr *p)
{
	__asm__ volatile("incq %0\n\tsidt %1" : CNT(SIDT), "=m"(*p) : : "memory");
}

static inline void ltr(uint16_t sel)
{
	__asm__ volatile("incq %0\n\tltr %w1" : CNT(LTR) : "r"(sel) : "memory");
}

static inline uint16_t str(void)
{
	uint32_t v;
	__asm__ volatile("incq %1\n\tstr %k0" : "=r"(v), CNT(STR) : : "memory");
	return (uint16_t)v;
}

static inline void lldt(uint16_t sel)
{
	__asm__ volatile("incq %0\n\tlldt %w1" : CNT(LLDT) : "r"(sel) : "memory");
}

static inline uint16_t sldt(void)
{
	uint32_t v;
	__asm__ volatile("incq %1\n\tsldt %k0" : "=r"(v), CNT(SLDT) : : "memory");
	return (uint16_t)v;
}

/* Segments. */
#define SEG_ACCESSORS(s)                                                        \
	static inline uint16_t read_##s(void)                                   \
	{                                                                       \
		uint32_t v;                                                     \
		__asm__ volatile("incq %1\n\tmov %%" #s ", %k0"                    \
			     : "=r"(v), CNT(MOV_FROM_SEG) : : "memory");       \
		return (uint16_t)v;                                             \
	}                                                                       \
	static inline void write_##s(uint16_t v)                                \
	{                                                                       \
		__asm__ volatile("incq %0\n\tmov %k1, %%" #s                       \
			     : CNT(MOV_TO_SEG) : "r"((uint32_t)v) : "memory");  \
	}
SEG_ACCESSORS(ds)
SEG_ACCESSORS(es)
SEG_ACCESSORS(fs)
SEG_ACCESSORS(gs)
SEG_ACCESSORS(ss)
#undef SEG_ACCESSORS

static inline uint16_t read_cs(void)
{
	uint32_t v;
	__asm__ volatile("incq %1\n\tmov %%cs, %k0" : "=r"(v), CNT(MOV_FROM_SEG) : : "memory");
	return (uint16_t)v;
}

/* push %fs; pop %gs: one push-seg and one pop-seg. */
static inline void copy_fs_to_gs(void)
{
	__asm__ volatile("incq %0\n\tpushq %%fs\n\tincq %1\n\tpopq %%gs"
		     : CNT(PUSH_SEG), CNT(POP_SEG) : : "memory");
}

struct far_ptr32 {
	uint32_t offset;
	uint16_t sel;
} __attribute__((packed));

/* lfs: %fs from the pointer's selector, the result is its offset. */
static inline uint32_t lfs(const struct far_ptr32 *p)
{
	uint32_t v;
	__asm__ volatile("incq %1\n\tlfs %2, %0" : "=r"(v), CNT(LOAD_FARPTR) : "m"(*p) : "memory");
	return v;
}

/* Each returns the flag (ZF) and the result through *out. */
static inline int lar(uint16_t sel, uint32_t *out)
{
	uint32_t v = 0;
	uint8_t ok;
	__asm__ volatile("incq %2\n\tlar %w3, %0\n\tsetz %1"
		     : "+r"(v), "=q"(ok), CNT(LAR) : "r"((uint32_t)sel) : "memory", "cc");
	*out = v;
	return ok;
}

static inline int lsl(uint16_t sel, uint32_t *out)
{
	uint32_t v = 0;
	uint8_t ok;
	__asm__ volatile("incq %2\n\tlsl %w3, %0\n\tsetz %1"
		     : "+r"(v), "=q"(ok), CNT(LSL) : "r"((uint32_t)sel) : "memory", "cc");
	*out = v;
	return ok;
}

static inline int verr(uint16_t sel)
{
	uint8_t ok;
	__asm__ volatile("incq %1\n\tverr %w2\n\tsetz %0"
		     : "=q"(ok), CNT(VERR) : "r"((uint32_t)sel) : "memory", "cc");
	return ok;
}

static inline int verw(uint16_t sel)
{
	uint8_t ok;
	__asm__ volatile("incq %1\n\tverw %w2\n\tsetz %0"
		     : "=q"(ok), CNT(VERW) : "r"((uint32_t)sel) : "memory", "cc");
	return ok;
}

static inline void swapgs(void) { __asm__ volatile("incq %0\n\tswapgs" : CNT(SWAPGS) : : "memory"); }

static inline uint64_t rdfsbase(void)
{
	uint64_t v;
	__asm__ volatile("incq %1\n\trdfsbase %0" : "=r"(v), CNT(RDFSBASE) : : "memory");
	return v;
}

static inline void wrfsbase(uint64_t v)
{
	__asm__ volatile("incq %0\n\twrfsbase %1" : CNT(WRFSBASE) : "r"(v) : "memory");
}

static inline uint64_t rdgsbase(void)
{
	uint64_t v;
	__asm__ volatile("incq %1\n\trdgsbase %0" : "=r"(v), CNT(RDGSBASE) : : "memory");
	return v;
}

static inline void wrgsbase(uint64_t v)
{
	__asm__ volatile("incq %0\n\twrgsbase %1" : CNT(WRGSBASE) : "r"(v) : "memory");
}

/* MSRs and identification. */
static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("incq %2\n\trdmsr" : "=a"(lo), "=d"(hi), CNT(RDMSR) : "c"(msr) : "memory");
	return lo | (uint64_t)hi << 32;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("incq %0\n\twrmsr"
		     : CNT(WRMSR) : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

struct cpuid {
	uint32_t a, b, c, d;
};

static inline struct cpuid cpuid(uint32_t leaf, uint32_t sub)
{
	struct cpuid r;
	__asm__ volatile("incq %4\n\tcpuid"
		     : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d), CNT(CPUID)
		     : "0"(leaf), "2"(sub) : "memory");
	return r;
}

static inline uint64_t rdtscp(uint32_t *aux)
{
	uint32_t lo, hi;
	__asm__ volatile("incq %3\n\trdtscp" : "=a"(lo), "=d"(hi), "=c"(*aux), CNT(RDTSCP) : : "memory");
	return lo | (uint64_t)hi << 32;
}

static inline uint64_t rdpmc(uint32_t counter)
{
	uint32_t lo, hi;
	__asm__ volatile("incq %2\n\trdpmc" : "=a"(lo), "=d"(hi), CNT(RDPMC) : "c"(counter) : "memory");
	return lo | (uint64_t)hi << 32;
}

static inline void xsetbv(uint32_t xcr, uint64_t v)
{
	__asm__ volatile("incq %0\n\txsetbv"
		     : CNT(XSETBV) : "c"(xcr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

/* Not sensitive (readable at any privilege): no counter. */
static inline uint64_t xgetbv(uint32_t xcr)
{
	uint32_t lo, hi;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(xcr));
	return lo | (uint64_t)hi << 32;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return lo | (uint64_t)hi << 32;
}

/* TLB and caches. */
static inline void invlpg(const volatile void *p)
{
	__asm__ volatile("incq %0\n\tinvlpg %1" : CNT(INVLPG) : "m"(*(const volatile char *)p) : "memory");
}

static inline void invpcid(uint64_t type, uint64_t pcid, uint64_t addr)
{
	struct {
		uint64_t pcid, addr;
	} d = { pcid, addr };
	__asm__ volatile("incq %0\n\tinvpcid %1, %2" : CNT(INVPCID) : "m"(d), "r"(type) : "memory");
}

static inline void wbinvd(void) { __asm__ volatile("incq %0\n\twbinvd" : CNT(WBINVD) : : "memory"); }
static inline void wbnoinvd(void) { __asm__ volatile("incq %0\n\twbnoinvd" : CNT(WBNOINVD) : : "memory"); }

/* Other privileged. */
static inline void stac(void) { __asm__ volatile("incq %0\n\tstac" : CNT(STAC) : : "memory", "cc"); }
static inline void clac(void) { __asm__ volatile("incq %0\n\tclac" : CNT(CLAC) : : "memory", "cc"); }

/*
 * Privileged transfers to the next instruction, ring 0, for the
 * benchmarks (bench.c): one iretq (rflags given, not read with pushf) or
 * one lretq, nothing else sensitive.  entry.S has the checks' versions.
 */
static inline void iretq_here(uint64_t rflags)
{
	uint64_t tmp;
	__asm__ volatile("movq %%rsp, %0\n\tpushq %3\n\tpushq %0\n\tpushq %2\n\tpushq %4\n\t"
			 "leaq 1f(%%rip), %0\n\tpushq %0\n\tincq %1\n\tiretq\n\tud2\n1:"
			 : "=&r"(tmp), CNT(IRET) : "r"(rflags), "i"(KERNEL_DS), "i"(KERNEL_CS)
			 : "memory", "cc");
}

static inline void lretq_here(void)
{
	uint64_t tmp;
	__asm__ volatile("pushq %2\n\tleaq 1f(%%rip), %0\n\tpushq %0\n\tincq %1\n\tlretq\n\tud2\n1:"
			 : "=&r"(tmp), CNT(LRET) : "i"(KERNEL_CS) : "memory");
}

/* int $n needs a constant vector. */
#define INT_N(vec) __asm__ volatile("incq %0\n\tint %1" : CNT(INTN) : "i"(vec) : "memory")

#endif
