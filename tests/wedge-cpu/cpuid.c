/*
 * The CPUID cache: filled from this machine's real cpuid and compared
 * with it; subleaf enumeration, out-of-range leaves per vendor, runtime
 * bits, policy and a table that runs full, on the synthetic CPU.
 */
#include <cpuid.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"

static struct wedge_vcpu v;
static struct fake_cpu f;

static void real_cpuid(void *ctx, uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	(void)ctx;
	__cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
}

static bool regs_eq(const uint32_t a[4], const uint32_t b[4])
{
	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3];
}

static unsigned rows_of(uint32_t leaf)
{
	unsigned n = 0;
	for (unsigned i = 0; i < v.cpuid.n; i++)
		n += v.cpuid.e[i].leaf == leaf;
	return n;
}

static void test_real(void)
{
	/* One CPU throughout, so per-CPU fields (APIC IDs) compare equal. */
	cpu_set_t old, one;
	sched_getaffinity(0, sizeof(old), &old);
	CPU_ZERO(&one);
	int cpu = sched_getcpu();
	bool pinned = false;
	if (cpu >= 0) {
		CPU_SET(cpu, &one);
		pinned = sched_setaffinity(0, sizeof(one), &one) == 0;
	}
	/* Unpinned, the per-CPU fields (APIC IDs) are left out of the comparisons. */
	printf("host: %s to one CPU\n", pinned ? "pinned" : "not pinned");

	struct wedge_vcpu_host h = { .cpuid = real_cpuid };
	wedge_vcpu_init(&v, &h);
	uint32_t r[4], c[4];
	__cpuid_count(0, 0, r[0], r[1], r[2], r[3]);
	uint32_t max_basic = r[0];
	char vendor[13] = { 0 };
	memcpy(vendor, &r[1], 4); memcpy(vendor + 4, &r[3], 4); memcpy(vendor + 8, &r[2], 4);
	__cpuid_count(0x80000000u, 0, r[0], r[1], r[2], r[3]);
	uint32_t max_ext = r[0];
	printf("host: %s, basic leaves to 0x%x, extended to 0x%x, %u rows cached\n", vendor, max_basic,
	       max_ext, v.cpuid.n);
	report(!v.cpuid.truncated && v.cpuid.max_basic == max_basic && v.cpuid.max_ext == max_ext,
	       "cpuid real: whole range cached, maxima as the CPU reports");
	report(v.cpuid.intel == !strcmp(vendor, "GenuineIntel"), "cpuid real: vendor recognized");

	bool all = true;
	for (uint32_t l = 0; l <= max_basic; l++)
		all &= wedge_vcpu_cpuid_find(&v, l, 0) != NULL;
	for (uint32_t l = 0x80000000u; l <= max_ext; l++)
		all &= wedge_vcpu_cpuid_find(&v, l, 0) != NULL;
	report(all, "cpuid real: a row for every leaf in range");

	unsigned same = 0;
	for (unsigned i = 0; i < v.cpuid.n; i++) {
		const struct wedge_vcpu_cpuid_entry *e = &v.cpuid.e[i];
		__cpuid_count(e->leaf, e->subleaf, r[0], r[1], r[2], r[3]);
		if (!pinned && e->leaf == 1)
			r[1] = (r[1] & 0xffffff) | (e->regs[1] & 0xff000000u);
		if (!pinned && (e->leaf == 0xb || e->leaf == 0x1f || e->leaf == 0x8000001eu))
			r[0] = e->regs[0], r[1] = e->regs[1], r[2] = e->regs[2], r[3] = e->regs[3];
		if (regs_eq(e->regs, r))
			same++;
		else
			printf("  leaf 0x%x.%u differs\n", e->leaf, e->subleaf);
	}
	report(same == v.cpuid.n, "cpuid real: every cached row equals the CPU's answer (%u rows)", same);

	__cpuid_count(7, 0, r[0], r[1], r[2], r[3]);
	report(rows_of(7) == r[0] + 1u, "cpuid real: leaf 7 subleaves 0..%u", r[0]);
	uint32_t d0[4], d1[4];
	__cpuid_count(0xd, 0, d0[0], d0[1], d0[2], d0[3]);
	__cpuid_count(0xd, 1, d1[0], d1[1], d1[2], d1[3]);
	uint64_t comps = ((uint64_t)d0[3] << 32 | d0[0] | (uint64_t)d1[3] << 32 | d1[2]) & ~3ull;
	report(rows_of(0xd) == 2u + (unsigned)__builtin_popcountll(comps),
	       "cpuid real: leaf 0xd: 0, 1 and one row per state component (%u)", rows_of(0xd));
	if (max_basic >= 0xb) {
		unsigned n = rows_of(0xb);
		const struct wedge_vcpu_cpuid_entry *last = wedge_vcpu_cpuid_find(&v, 0xb, n - 1);
		report(n >= 1 && last && (last->regs[2] >> 8 & 0xff) == 0,
		       "cpuid real: leaf 0xb enumerated to its invalid level (%u rows)", n);
	}

	/* Through the lookup, with the CR4 state the host kernel runs with. */
	__cpuid_count(1, 0, r[0], r[1], r[2], r[3]);
	if (r[2] & 1u << 27)
		v.cr4 |= WEDGE_X86_CR4_OSXSAVE;
	wedge_vcpu_cpuid(&v, 1, 0, c);
	if (!pinned)
		c[1] = (c[1] & 0xffffff) | (r[1] & 0xff000000u);
	report(regs_eq(c, r), "cpuid real: leaf 1 through the lookup equals the CPU's");
	__cpuid_count(7, 0, r[0], r[1], r[2], r[3]);
	if (r[2] & 1u << 4)
		v.cr4 |= WEDGE_X86_CR4_PKE;
	wedge_vcpu_cpuid(&v, 7, 0, c);
	report(regs_eq(c, r), "cpuid real: leaf 7.0 through the lookup equals the CPU's");
	char brand[49] = { 0 }, cached[49] = { 0 };
	for (unsigned i = 0; i < 3; i++) {
		__cpuid_count(0x80000002u + i, 0, r[0], r[1], r[2], r[3]);
		memcpy(brand + 16 * i, r, 16);
		wedge_vcpu_cpuid(&v, 0x80000002u + i, 0, c);
		memcpy(cached + 16 * i, c, 16);
	}
	report(!strcmp(brand, cached), "cpuid real: brand string \"%s\"", cached);

	/* The policy on the real rows: hidden bits go, the rest stays. */
	__cpuid_count(1, 0, r[0], r[1], r[2], r[3]);
	wedge_vcpu_cpuid_policy_default(&v);
	wedge_vcpu_cpuid(&v, 1, 0, c);
	uint32_t hidden = 1u << 31 | 1u << 3 | 1u << 5 | 1u << 6;
	report(c[2] == (r[2] & ~hidden) && c[3] == r[3] && c[0] == r[0],
	       "cpuid real: policy clears hypervisor/monitor/vmx/smx in leaf 1 only");
	if (max_basic >= 5) {
		wedge_vcpu_cpuid(&v, 5, 0, c);
		report(!c[0] && !c[1] && !c[2] && !c[3], "cpuid real: policy zeroes leaf 5 (MONITOR/MWAIT)");
	}
	sched_setaffinity(0, sizeof(old), &old);
}

static void test_enumeration(void)
{
	fake_vcpu(&v, &f);
	report(rows_of(4) == 5 && wedge_vcpu_cpuid_find(&v, 4, 4)->regs[0] == 0,
	       "fake: leaf 4: four caches and the null one");
	report(rows_of(7) == 2, "fake: leaf 7: subleaves 0..EAX");
	report(rows_of(0xb) == 3, "fake: leaf 0xb: SMT, core, the invalid level");
	report(rows_of(0xd) == 4 && wedge_vcpu_cpuid_find(&v, 0xd, 11) &&
	       !wedge_vcpu_cpuid_find(&v, 0xd, 3), "fake: leaf 0xd: 0, 1, AVX (2), CET_U (11)");
	report(rows_of(0xf) == 2 && rows_of(0x10) == 3, "fake: leaves 0xf, 0x10: subleaves per resource bit");
	report(rows_of(0x12) == 3, "fake: leaf 0x12: 0, 1 and the invalid EPC section");
	report(rows_of(0x14) == 1 && rows_of(0x8000001d) == 3, "fake: leaf 0x14: one; 0x8000001d: two caches and null");
	report(rows_of(1) == 1 && !wedge_vcpu_cpuid_find(&v, 1, 5)->indexed, "fake: leaf 1: one row, no subleaves");

	uint32_t a[4], b[4];
	wedge_vcpu_cpuid(&v, 1, 0, a);
	wedge_vcpu_cpuid(&v, 1, 9, b);
	report(regs_eq(a, b), "fake: a leaf without subleaves ignores ECX");
	wedge_vcpu_cpuid(&v, 4, 9, a);
	report(!a[0] && !a[1] && !a[2] && !a[3], "fake: a missing subleaf reads 0");
	wedge_vcpu_cpuid(&v, 0xb, 7, a);
	report(!a[0] && !a[1] && a[2] == 7 && a[3] == 5, "fake: leaf 0xb past the last level: ECX = level, EDX = x2APIC ID");
	wedge_vcpu_cpuid(&v, 0xd, 2, a);
	report(a[0] == 0x100 && a[1] == 0x240, "fake: leaf 0xd.2 (AVX offset and size)");
}

static void test_out_of_range(void)
{
	uint32_t a[4], top[4];
	fake_vcpu(&v, &f); /* AuthenticAMD */
	report(!v.cpuid.intel, "fake AMD: vendor");
	bool zero = true;
	static const uint32_t leaves[] = { 0x15, 0x1f, 0x40000000u, 0x7fffffffu, 0x80000022u, 0xc0000000u, 0xffffffffu };
	for (size_t i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		wedge_vcpu_cpuid(&v, leaves[i], 0, a);
		zero &= !a[0] && !a[1] && !a[2] && !a[3];
	}
	report(zero, "fake AMD: leaves out of range read 0");

	fake_cpu_default(&f);
	f.intel = true;
	struct wedge_vcpu_host h = fake_host(&f);
	wedge_vcpu_init(&v, &h);
	report(v.cpuid.intel, "fake Intel: vendor");
	/* Make the highest basic leaf recognisable. */
	wedge_vcpu_cpuid_override(&v, 0x14, 0, WEDGE_VCPU_EBX, 0, 0x1234);
	wedge_vcpu_cpuid(&v, 0x14, 0, top);
	bool same = top[1] == 0x1234;
	static const uint32_t past[] = { 0x15, 0x99, 0x40000000u, 0x80000022u, 0xffffffffu };
	for (size_t i = 0; i < sizeof(past) / sizeof(past[0]); i++) {
		wedge_vcpu_cpuid(&v, past[i], 0, a);
		same &= regs_eq(a, top);
	}
	report(same, "fake Intel: leaves out of range read the highest basic leaf");
	wedge_vcpu_cpuid(&v, 0x80000008u, 0, a);
	report(a[0] == (48u << 8 | 46), "fake Intel: in-range extended leaves unaffected");
}

static void test_policy(void)
{
	uint32_t a[4];
	fake_vcpu(&v, &f);
	wedge_vcpu_cpuid_policy_default(&v);
	wedge_vcpu_cpuid(&v, 1, 0, a);
	report(!(a[2] & (1u << 31 | 1u << 3 | 1u << 5 | 1u << 6)) && (a[2] & (1u << 17 | 1u << 21 | 1u << 26)),
	       "policy: hypervisor, MONITOR, VMX, SMX hidden; PCID, x2APIC, XSAVE kept");
	wedge_vcpu_cpuid(&v, 0x80000001u, 0, a);
	report(a[2] == (1u | 1u << 17) && a[3] == (1u << 11 | 1u << 20 | 1u << 25 | 1u << 27 | 1u << 29),
	       "policy: SVM, MONITORX hidden; LAHF, TCE and the EDX bits kept");
	wedge_vcpu_cpuid(&v, 5, 0, a);
	bool z = !a[0] && !a[1] && !a[2] && !a[3];
	wedge_vcpu_cpuid(&v, 0x8000000au, 0, a);
	z &= !a[0] && !a[1] && !a[2] && !a[3];
	report(z, "policy: leaves 5 and 0x8000000a zeroed");

	report(wedge_vcpu_cpuid_override(&v, 7, 0, WEDGE_VCPU_ECX, 1u << 22, 1u << 8) == 0, "override: 7.0 ECX");
	wedge_vcpu_cpuid(&v, 7, 0, a);
	report(!(a[2] & 1u << 22) && (a[2] & 1u << 8) && (a[2] & 1u << 2), "override: cleared, set, rest kept");
	report(wedge_vcpu_cpuid_bit(&v, 7, 0, WEDGE_VCPU_ECX, 8) && !wedge_vcpu_cpuid_bit(&v, 7, 0, WEDGE_VCPU_ECX, 22),
	       "cpuid_bit sees the override");
	report(wedge_vcpu_cpuid_override(&v, 7, 1, WEDGE_VCPU_EAX, 0, 1) == 0 &&
	       wedge_vcpu_cpuid_find(&v, 7, 1)->regs[0] == (1u << 26 | 1) &&
	       wedge_vcpu_cpuid_find(&v, 7, 0)->regs[0] == 1, "override: one subleaf, not its siblings");
	report(wedge_vcpu_cpuid_override(&v, 0x16, 0, WEDGE_VCPU_EAX, 0, 1) == -1 &&
	       wedge_vcpu_cpuid_override(&v, 7, 5, WEDGE_VCPU_EAX, 0, 1) == -1 &&
	       wedge_vcpu_cpuid_override(&v, 1, 0, 4, 0, 1) == -1, "override: absent row or bad register refused");
	report(!wedge_vcpu_cpuid_bit(&v, 1, 0, 4, 0) && !wedge_vcpu_cpuid_bit(&v, 1, 0, 0, 32) &&
	       !wedge_vcpu_cpuid_bit(&v, 0x30, 0, 0, 0), "cpuid_bit: bad register, bit or leaf is false");
	wedge_vcpu_cpuid_fill(&v);
	wedge_vcpu_cpuid(&v, 1, 0, a);
	report(a[2] & 1u << 31, "refill: overrides are gone");
}

static void test_runtime_bits(void)
{
	uint32_t a[4];
	fake_vcpu(&v, &f);
	wedge_vcpu_cpuid(&v, 1, 0, a);
	bool on = a[3] & 1u << 9;
	report(wedge_vcpu_wrmsr(&v, WEDGE_X86_MSR_APIC_BASE, 0xfee00000u | WEDGE_X86_APIC_BASE_BSP) == 0,
	       "APIC disabled through IA32_APIC_BASE");
	wedge_vcpu_cpuid(&v, 1, 0, a);
	report(on && !(a[3] & 1u << 9), "cpuid 1 EDX APIC follows IA32_APIC_BASE.EN");
	wedge_vcpu_cpuid(&v, 1, 0, a);
	report(!(a[2] & 1u << 27), "cpuid 1 ECX OSXSAVE off while CR4.OSXSAVE is (the fake CPU says on)");
}

static void test_truncation(void)
{
	fake_cpu_default(&f);
	f.max_basic = 0x1000;
	f.max_ext = 0x80000400u;
	struct wedge_vcpu_host h = fake_host(&f);
	wedge_vcpu_init(&v, &h);
	uint32_t a[4];
	report(v.cpuid.truncated && v.cpuid.n <= WEDGE_VCPU_CPUID_MAX, "full table: truncated (%u rows)", v.cpuid.n);
	wedge_vcpu_cpuid(&v, 0, 0, a);
	bool basic_ok = a[0] == v.cpuid.max_basic && v.cpuid.max_basic >= 0x14 && v.cpuid.max_basic < 0x1000;
	for (uint32_t l = 0; l <= v.cpuid.max_basic; l++)
		basic_ok &= wedge_vcpu_cpuid_find(&v, l, 0) != NULL;
	report(basic_ok, "full table: leaf 0 reports the last basic leaf kept (0x%x), all below kept", a[0]);
	wedge_vcpu_cpuid(&v, 0x80000000u, 0, a);
	report(a[0] == v.cpuid.max_ext && v.cpuid.max_ext >= 0x80000021u && wedge_vcpu_cpuid_find(&v, 0x80000001u, 0),
	       "full table: room kept for extended leaves (to 0x%x)", a[0]);
	wedge_vcpu_cpuid(&v, v.cpuid.max_basic + 1, 0, a);
	report(!a[0] && !a[1] && !a[2] && !a[3], "full table: the first leaf dropped reads as out of range");
	report(wedge_vcpu_cpuid_bit(&v, 0x80000001u, 0, WEDGE_VCPU_EDX, 29), "full table: LM still announced");

	struct wedge_vcpu_host none = { 0 };
	wedge_vcpu_init(&v, &none);
	wedge_vcpu_cpuid(&v, 0, 0, a);
	report(v.cpuid.n == 1 && !a[0] && !a[1] && !v.cpuid.max_ext, "no cpuid supplier: one zero leaf");
}

void suite_cpuid(void)
{
	test_real();
	test_enumeration();
	test_out_of_range();
	test_policy();
	test_runtime_bits();
	test_truncation();
}
