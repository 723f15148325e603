/* Every emulated MSR: defaults, round trips, #GP cases; swapgs, rdtscp. */
#include "unit.h"

static struct wedge_vcpu v;
static struct fake_cpu f;

static uint64_t rd(uint32_t msr)
{
	uint64_t val = 0xdeadbeef;
	if (wedge_vcpu_rdmsr(&v, msr, &val))
		report(false, "rdmsr 0x%x failed", msr);
	return val;
}

static void ok(uint32_t msr, uint64_t val, uint64_t expect, const char *what)
{
	int rc = wedge_vcpu_wrmsr(&v, msr, val);
	report(rc == 0 && rd(msr) == expect, "msr 0x%x: %s (rc %d, reads 0x%llx)", msr, what, rc,
	       (unsigned long long)rd(msr));
}

static void gp(uint32_t msr, uint64_t val, const char *what)
{
	uint64_t before = rd(msr);
	int rc = wedge_vcpu_wrmsr(&v, msr, val);
	report(rc == WEDGE_VCPU_GP && rd(msr) == before, "msr 0x%x: %s: #GP, unchanged (rc %d)", msr, what, rc);
}

static void test_defaults_unknown(void)
{
	fake_vcpu(&v, &f);
	report(rd(WEDGE_X86_MSR_EFER) == (WEDGE_X86_EFER_LME | WEDGE_X86_EFER_LMA), "EFER: LME|LMA at 64-bit entry");
	report(rd(WEDGE_X86_MSR_APIC_BASE) == 0xfee00900u, "APIC_BASE: 0xfee00000, enabled, BSP");
	report(rd(WEDGE_X86_MSR_PAT) == 0x0007040600070406ull, "PAT: power-on value");
	report(rd(WEDGE_X86_MSR_MISC_ENABLE) == 0x1801u, "MISC_ENABLE: fast strings, no BTS, no PEBS");
	static const uint32_t zero[] = { WEDGE_X86_MSR_STAR, WEDGE_X86_MSR_LSTAR, WEDGE_X86_MSR_CSTAR,
		WEDGE_X86_MSR_SFMASK, WEDGE_X86_MSR_FS_BASE, WEDGE_X86_MSR_GS_BASE,
		WEDGE_X86_MSR_KERNEL_GS_BASE, WEDGE_X86_MSR_TSC_AUX, WEDGE_X86_MSR_SYSENTER_CS,
		WEDGE_X86_MSR_SYSENTER_ESP, WEDGE_X86_MSR_SYSENTER_EIP, WEDGE_X86_MSR_TSC };
	bool z = true;
	for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		z &= rd(zero[i]) == 0;
	report(z, "the other MSRs read 0 (TSC: the fake clock stands at 0)");

	static const uint32_t unknown[] = { 0, 0x11, 0x3a, 0x1b + 1, 0x277 + 1, 0x8b, 0x48,
		0xc0000080u - 1, 0xc0000085u, 0xc0000104u, 0xc0010015u, 0x40000000u, 0xffffffffu };
	bool all = true;
	uint64_t val = 7;
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		all &= wedge_vcpu_rdmsr(&v, unknown[i], &val) == WEDGE_VCPU_GP &&
		       wedge_vcpu_wrmsr(&v, unknown[i], 0) == WEDGE_VCPU_GP;
	report(all && val == 7, "unknown MSRs: #GP on read and write, nothing stored");
}

static void test_efer(void)
{
	const uint32_t m = WEDGE_X86_MSR_EFER;
	uint64_t lm = WEDGE_X86_EFER_LME | WEDGE_X86_EFER_LMA;
	fake_vcpu(&v, &f);
	ok(m, WEDGE_X86_EFER_SCE | WEDGE_X86_EFER_LME | WEDGE_X86_EFER_NXE,
	   lm | WEDGE_X86_EFER_SCE | WEDGE_X86_EFER_NXE, "SCE, NXE on; LMA kept though not written");
	ok(m, lm | WEDGE_X86_EFER_SCE | WEDGE_X86_EFER_NXE | WEDGE_X86_EFER_FFXSR | WEDGE_X86_EFER_TCE |
	   WEDGE_X86_EFER_AUTOIBRS | WEDGE_X86_EFER_SVME,
	   lm | WEDGE_X86_EFER_SCE | WEDGE_X86_EFER_NXE | WEDGE_X86_EFER_FFXSR | WEDGE_X86_EFER_TCE |
	   WEDGE_X86_EFER_AUTOIBRS | WEDGE_X86_EFER_SVME, "every bit the fake CPU announces");
	ok(m, WEDGE_X86_EFER_LME, lm, "writing LMA 0 does not leave long mode");
	gp(m, lm | 1u << 1, "reserved bit 1");
	gp(m, lm | 1u << 9, "reserved bit 9");
	gp(m, lm | 1u << 13, "LMSLE (not emulated)");
	gp(m, lm | 1ull << 32, "bit 32");
	gp(m, 0, "LME off while paging");
	wedge_vcpu_cpuid_policy_default(&v);
	gp(m, lm | WEDGE_X86_EFER_SVME, "SVME once the policy hides SVM");
	wedge_vcpu_cpuid_override(&v, 0x80000001u, 0, WEDGE_VCPU_EDX, 1u << 20, 0);
	gp(m, lm | WEDGE_X86_EFER_NXE, "NXE once NX is hidden");

	fake_vcpu(&v, &f);
	v.cr0 = WEDGE_X86_CR0_PE | WEDGE_X86_CR0_ET;
	v.msr.efer = 0;
	ok(m, WEDGE_X86_EFER_LME, WEDGE_X86_EFER_LME, "LME with paging off; no LMA yet");
	ok(m, WEDGE_X86_EFER_LMA, 0, "LMA cannot be written");
}

static void test_canonical(void)
{
	static const uint32_t msrs[] = { WEDGE_X86_MSR_LSTAR, WEDGE_X86_MSR_CSTAR, WEDGE_X86_MSR_FS_BASE,
		WEDGE_X86_MSR_GS_BASE, WEDGE_X86_MSR_KERNEL_GS_BASE, WEDGE_X86_MSR_SYSENTER_ESP,
		WEDGE_X86_MSR_SYSENTER_EIP };
	fake_vcpu(&v, &f);
	for (size_t i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++) {
		ok(msrs[i], 0xffffffff81000000ull, 0xffffffff81000000ull, "kernel address");
		ok(msrs[i], 0x00007fffffffffffull, 0x00007fffffffffffull, "top of the lower half");
		gp(msrs[i], 0x0000800000000000ull, "non-canonical (48-bit)");
		gp(msrs[i], 0x00ff000000000000ull, "57-bit address on a 48-bit CPU");
	}
	fake_cpu_default(&f);
	f.virt_bits = 57;
	struct wedge_vcpu_host h = fake_host(&f);
	wedge_vcpu_init(&v, &h);
	bool all = true;
	for (size_t i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++)
		all &= wedge_vcpu_wrmsr(&v, msrs[i], 0xff00000000000000ull) == 0 &&
		       wedge_vcpu_wrmsr(&v, msrs[i], 0x0100000000000000ull) == WEDGE_VCPU_GP;
	report(all, "57-bit CPU: 57-bit canonical addresses accepted, bit 56 alone #GP");
}

static void test_plain(void)
{
	fake_vcpu(&v, &f);
	ok(WEDGE_X86_MSR_STAR, 0x0023001000000000ull, 0x0023001000000000ull, "STAR as Linux writes it");
	ok(WEDGE_X86_MSR_STAR, ~0ull, ~0ull, "STAR: any value");
	ok(WEDGE_X86_MSR_SFMASK, 0x47700, 0x47700, "SFMASK as Linux writes it");
	gp(WEDGE_X86_MSR_SFMASK, 1ull << 32, "SFMASK bit 32");
	ok(WEDGE_X86_MSR_SYSENTER_CS, 0x10, 0x10, "SYSENTER_CS");
	ok(WEDGE_X86_MSR_SYSENTER_CS, ~0ull, ~0ull, "SYSENTER_CS: any value");
}

static void test_tsc(void)
{
	uint64_t tsc;
	uint32_t aux;
	fake_vcpu(&v, &f);
	f.tsc = 1000;
	report(rd(WEDGE_X86_MSR_TSC) == 1000, "TSC reads the clock");
	ok(WEDGE_X86_MSR_TSC, 5000, 5000, "TSC write");
	f.tsc += 250;
	report(rd(WEDGE_X86_MSR_TSC) == 5250, "TSC keeps counting from the written value");
	ok(WEDGE_X86_MSR_TSC, 10, 10, "TSC set below the clock (offset wraps)");
	f.tsc += 5;
	report(rd(WEDGE_X86_MSR_TSC) == 15, "TSC below the clock counts too");

	ok(WEDGE_X86_MSR_TSC_AUX, 7, 7, "TSC_AUX");
	ok(WEDGE_X86_MSR_TSC_AUX, 0xffffffffu, 0xffffffffu, "TSC_AUX: 32 bits");
	gp(WEDGE_X86_MSR_TSC_AUX, 1ull << 32, "TSC_AUX bit 32");
	wedge_vcpu_wrmsr(&v, WEDGE_X86_MSR_TSC_AUX, 3);
	report(wedge_vcpu_rdtscp(&v, &tsc, &aux) == 0 && tsc == 15 && aux == 3, "rdtscp: TSC and TSC_AUX");

	wedge_vcpu_cpuid_override(&v, 0x80000001u, 0, WEDGE_VCPU_EDX, 1u << 27, 0);
	report(wedge_vcpu_rdtscp(&v, &tsc, &aux) == WEDGE_VCPU_UD, "rdtscp hidden: #UD");
	ok(WEDGE_X86_MSR_TSC_AUX, 4, 4, "TSC_AUX with RDPID only");
	wedge_vcpu_cpuid_override(&v, 7, 0, WEDGE_VCPU_ECX, 1u << 22, 0);
	uint64_t val;
	report(wedge_vcpu_rdmsr(&v, WEDGE_X86_MSR_TSC_AUX, &val) == WEDGE_VCPU_GP &&
	       wedge_vcpu_wrmsr(&v, WEDGE_X86_MSR_TSC_AUX, 1) == WEDGE_VCPU_GP,
	       "TSC_AUX without RDTSCP and RDPID: #GP");
}

static void test_apic_base(void)
{
	const uint32_t m = WEDGE_X86_MSR_APIC_BASE;
	const uint64_t bsp = WEDGE_X86_APIC_BASE_BSP, en = WEDGE_X86_APIC_BASE_EN, x2 = WEDGE_X86_APIC_BASE_EXTD;
	fake_vcpu(&v, &f);
	ok(m, 0xfed00000u | bsp | en, 0xfed00000u | bsp | en, "relocated base");
	ok(m, 0x3ffffffff000ull | en, 0x3ffffffff000ull | en, "base at the top of 46 physical bits");
	gp(m, 1ull << 46 | en, "base beyond MAXPHYADDR");
	gp(m, 0xfee00000u | en | 1, "reserved bit 0");
	gp(m, 0xfee00000u | en | 1u << 9, "reserved bit 9");
	gp(m, 0xfee00000u | x2, "EXTD without EN (invalid state)");
	ok(m, 0xfee00000u | en | x2, 0xfee00000u | en | x2, "xAPIC -> x2APIC");
	gp(m, 0xfee00000u | en, "x2APIC -> xAPIC");
	ok(m, 0xfee00000u, 0xfee00000u, "x2APIC -> disabled");
	gp(m, 0xfee00000u | en | x2, "disabled -> x2APIC");
	ok(m, 0xfee00000u | en, 0xfee00000u | en, "disabled -> xAPIC");
	wedge_vcpu_cpuid_override(&v, 1, 0, WEDGE_VCPU_ECX, 1u << 21, 0);
	gp(m, 0xfee00000u | en | x2, "x2APIC hidden: EXTD reserved");
}

static void test_misc_pat(void)
{
	const uint32_t m = WEDGE_X86_MSR_MISC_ENABLE, p = WEDGE_X86_MSR_PAT;
	fake_vcpu(&v, &f);
	ok(m, 0x1801u | 1u << 22, 0x1801u | 1u << 22, "MISC_ENABLE: limit-CPUID bit set");
	ok(m, 0x1801u | 1ull << 34, 0x1801u | 1ull << 34, "MISC_ENABLE: XD-disable bit set");
	ok(m, 0x1801u, 0x1801u, "MISC_ENABLE: both cleared (as Linux does)");
	ok(m, 0x1801u | 1u << 7, 0x1801u, "MISC_ENABLE: EMON is read-only, write ignored");
	gp(m, 0x0801u, "MISC_ENABLE: PEBS-unavailable changed");
	gp(m, 0x1001u, "MISC_ENABLE: BTS-unavailable changed");

	ok(p, 0x0007010600070106ull, 0x0007010600070106ull, "PAT as Linux programs it (WC in slot 1)");
	ok(p, 0x0706050401000706ull, 0x0706050401000706ull, "PAT: every valid type");
	gp(p, 0x0007040600070402ull, "PAT: type 2");
	gp(p, 0x0307040600070406ull, "PAT: type 3");
	gp(p, 0x0807040600070406ull, "PAT: type 8");
	gp(p, 0x0007040600070416ull, "PAT: high nibble set");
}

static void test_swapgs(void)
{
	fake_vcpu(&v, &f);
	wedge_vcpu_wrmsr(&v, WEDGE_X86_MSR_GS_BASE, 0x7f0000001000ull);
	wedge_vcpu_wrmsr(&v, WEDGE_X86_MSR_KERNEL_GS_BASE, 0xffff888000001000ull);
	wedge_vcpu_swapgs(&v);
	report(rd(WEDGE_X86_MSR_GS_BASE) == 0xffff888000001000ull && rd(WEDGE_X86_MSR_KERNEL_GS_BASE) == 0x7f0000001000ull,
	       "swapgs exchanges GS_BASE and KERNEL_GS_BASE");
	wedge_vcpu_swapgs(&v);
	report(rd(WEDGE_X86_MSR_GS_BASE) == 0x7f0000001000ull && rd(WEDGE_X86_MSR_KERNEL_GS_BASE) == 0xffff888000001000ull,
	       "swapgs twice restores them");
}

void suite_msr(void)
{
	test_defaults_unknown();
	test_efer();
	test_canonical();
	test_plain();
	test_tsc();
	test_apic_base();
	test_misc_pat();
	test_swapgs();
}
