/* Control registers: round trips, the reserved-bit and consistency #GPs. */
#include "unit.h"

#define CR0_BOOT 0x80050033ull /* Linux's CR0_STATE */

static struct wedge_vcpu v;
static struct fake_cpu f;

static uint64_t cr(unsigned n)
{
	uint64_t val = 0xdeadbeef;
	if (wedge_vcpu_read_cr(&v, n, &val))
		report(false, "read cr%u failed", n);
	return val;
}

/* A write that must #GP and leave the register as it was. */
static void gp(unsigned n, uint64_t val, const char *what)
{
	uint64_t before = cr(n), efer = v.msr.efer;
	int rc = wedge_vcpu_write_cr(&v, n, val);
	report(rc == WEDGE_VCPU_GP && cr(n) == before && v.msr.efer == efer,
	       "cr%u: %s: #GP, unchanged (rc %d)", n, what, rc);
}

static void ok(unsigned n, uint64_t val, uint64_t expect, const char *what)
{
	int rc = wedge_vcpu_write_cr(&v, n, val);
	report(rc == 0 && cr(n) == expect, "cr%u: %s (rc %d, 0x%llx)", n, what, rc,
	       (unsigned long long)cr(n));
}

static void test_access(void)
{
	fake_vcpu(&v, &f);
	report(cr(0) == CR0_BOOT && cr(4) == WEDGE_X86_CR4_PAE && cr(2) == 0 && cr(3) == 0 && cr(8) == 0,
	       "init: 64-bit boot state");
	uint64_t val;
	bool ud = true;
	for (unsigned n = 0; n < 16; n++) {
		bool valid = n == 0 || n == 2 || n == 3 || n == 4 || n == 8;
		if (!valid)
			ud &= wedge_vcpu_read_cr(&v, n, &val) == WEDGE_VCPU_UD &&
			      wedge_vcpu_write_cr(&v, n, 0) == WEDGE_VCPU_UD;
	}
	report(ud, "cr1, cr5-7, cr9-15: #UD read and write");
}

static void test_cr0(void)
{
	fake_vcpu(&v, &f);
	ok(0, CR0_BOOT | WEDGE_X86_CR0_TS | WEDGE_X86_CR0_EM, CR0_BOOT | WEDGE_X86_CR0_TS | WEDGE_X86_CR0_EM,
	   "round trip with TS, EM");
	ok(0, CR0_BOOT | WEDGE_X86_CR0_CD | WEDGE_X86_CR0_NW, CR0_BOOT | WEDGE_X86_CR0_CD | WEDGE_X86_CR0_NW,
	   "CD and NW together");
	ok(0, CR0_BOOT & ~WEDGE_X86_CR0_ET, CR0_BOOT, "ET reads 1 whatever is written");
	ok(0, CR0_BOOT | 1u << 6 | 1u << 17 | 1u << 28, CR0_BOOT, "bits 6, 17, 28 ignored (read 0)");
	gp(0, CR0_BOOT | 1ull << 32, "bit 32");
	gp(0, CR0_BOOT | 1ull << 63, "bit 63");
	gp(0, CR0_BOOT & ~WEDGE_X86_CR0_PE, "PG without PE");
	gp(0, CR0_BOOT | WEDGE_X86_CR0_NW, "NW without CD");
	gp(0, CR0_BOOT & ~WEDGE_X86_CR0_PG, "paging off in long mode");

	wedge_vcpu_write_cr(&v, 0, CR0_BOOT | WEDGE_X86_CR0_TS);
	wedge_vcpu_clts(&v);
	report(cr(0) == CR0_BOOT, "clts clears TS only");
	wedge_vcpu_lmsw(&v, 0xe);
	report(cr(0) == (CR0_BOOT | 0xe), "lmsw sets MP, EM, TS; PE stays");
	wedge_vcpu_lmsw(&v, 0xfff0);
	report(cr(0) == ((CR0_BOOT & ~0xfull) | WEDGE_X86_CR0_PE), "lmsw cannot clear PE, ignores bits 4-15");
	report(wedge_vcpu_smsw(&v) == cr(0) && (uint16_t)wedge_vcpu_smsw(&v) == 0x0031,
	       "smsw: all of CR0 (a memory operand takes 16 bits)");

	/* Entering long mode, as a 64-bit kernel's own trampoline would. */
	fake_vcpu(&v, &f);
	v.cr0 = WEDGE_X86_CR0_PE | WEDGE_X86_CR0_ET;
	v.msr.efer = WEDGE_X86_EFER_LME;
	v.cr4 = 0;
	gp(0, v.cr0 | WEDGE_X86_CR0_PG, "PG with LME but no PAE");
	wedge_vcpu_write_cr(&v, 4, WEDGE_X86_CR4_PAE);
	ok(0, v.cr0 | WEDGE_X86_CR0_PG, WEDGE_X86_CR0_PE | WEDGE_X86_CR0_ET | WEDGE_X86_CR0_PG, "PG with LME and PAE");
	report(v.msr.efer & WEDGE_X86_EFER_LMA, "CR0.PG with EFER.LME activates long mode (LMA)");
}

static void test_cr4(void)
{
	uint64_t all = WEDGE_X86_CR4_PAE | WEDGE_X86_CR4_PGE | WEDGE_X86_CR4_PSE | WEDGE_X86_CR4_DE |
		       WEDGE_X86_CR4_TSD | WEDGE_X86_CR4_MCE | WEDGE_X86_CR4_PCE | WEDGE_X86_CR4_OSFXSR |
		       WEDGE_X86_CR4_OSXMMEXCPT | WEDGE_X86_CR4_UMIP | WEDGE_X86_CR4_VMXE |
		       WEDGE_X86_CR4_SMXE | WEDGE_X86_CR4_FSGSBASE | WEDGE_X86_CR4_PCIDE |
		       WEDGE_X86_CR4_OSXSAVE | WEDGE_X86_CR4_SMEP | WEDGE_X86_CR4_SMAP |
		       WEDGE_X86_CR4_PKE | WEDGE_X86_CR4_CET | WEDGE_X86_CR4_VME | WEDGE_X86_CR4_PVI |
		       WEDGE_X86_CR4_LAM_SUP;
	fake_vcpu(&v, &f);
	ok(4, all, all, "round trip of every bit the fake CPU announces");
	ok(4, WEDGE_X86_CR4_PAE, WEDGE_X86_CR4_PAE, "back to PAE only");
	gp(4, WEDGE_X86_CR4_PAE | 1u << 15, "reserved bit 15");
	gp(4, WEDGE_X86_CR4_PAE | 1u << 26, "reserved bit 26");
	gp(4, WEDGE_X86_CR4_PAE | 1ull << 32, "bit 32 (FRED, not announced)");
	gp(4, WEDGE_X86_CR4_PAE | WEDGE_X86_CR4_LA57, "LA57 without the feature");
	gp(4, WEDGE_X86_CR4_PAE | WEDGE_X86_CR4_KL, "KL without the feature");
	gp(4, WEDGE_X86_CR4_PAE | WEDGE_X86_CR4_PKS, "PKS without the feature");
	gp(4, 0, "PAE off in long mode");

	wedge_vcpu_cpuid_policy_default(&v);
	gp(4, WEDGE_X86_CR4_PAE | WEDGE_X86_CR4_VMXE, "VMXE once the policy hides VMX");
	gp(4, WEDGE_X86_CR4_PAE | WEDGE_X86_CR4_SMXE, "SMXE once the policy hides SMX");
	wedge_vcpu_cpuid_override(&v, 7, 0, WEDGE_VCPU_EBX, 1u << 0, 0);
	gp(4, WEDGE_X86_CR4_PAE | WEDGE_X86_CR4_FSGSBASE, "FSGSBASE once an override hides it");

	/* LA57 exists but cannot change while in long mode. */
	fake_cpu_default(&f);
	f.virt_bits = 57;
	struct wedge_vcpu_host h = fake_host(&f);
	wedge_vcpu_init(&v, &h);
	gp(4, WEDGE_X86_CR4_PAE | WEDGE_X86_CR4_LA57, "LA57 toggled in long mode");
	v.msr.efer = 0;
	v.cr0 = WEDGE_X86_CR0_PE | WEDGE_X86_CR0_ET;
	ok(4, WEDGE_X86_CR4_PAE | WEDGE_X86_CR4_LA57, WEDGE_X86_CR4_PAE | WEDGE_X86_CR4_LA57,
	   "LA57 set before long mode");
	gp(4, WEDGE_X86_CR4_PAE | WEDGE_X86_CR4_LA57 | WEDGE_X86_CR4_PCIDE, "PCIDE outside long mode");

	fake_vcpu(&v, &f);
	wedge_vcpu_write_cr(&v, 3, 0x1000 | 0x18);
	gp(4, WEDGE_X86_CR4_PAE | WEDGE_X86_CR4_PCIDE, "PCIDE with CR3[11:0] != 0");
	wedge_vcpu_write_cr(&v, 3, 0x1000);
	ok(4, WEDGE_X86_CR4_PAE | WEDGE_X86_CR4_PCIDE, WEDGE_X86_CR4_PAE | WEDGE_X86_CR4_PCIDE,
	   "PCIDE with PCID 0");

	fake_vcpu(&v, &f);
	wedge_vcpu_write_cr(&v, 0, CR0_BOOT & ~WEDGE_X86_CR0_WP);
	gp(4, WEDGE_X86_CR4_PAE | WEDGE_X86_CR4_CET, "CET with CR0.WP clear");
	wedge_vcpu_write_cr(&v, 0, CR0_BOOT);
	ok(4, WEDGE_X86_CR4_PAE | WEDGE_X86_CR4_CET, WEDGE_X86_CR4_PAE | WEDGE_X86_CR4_CET, "CET with WP");
	gp(0, CR0_BOOT & ~WEDGE_X86_CR0_WP, "WP clear with CR4.CET");

	/* CPUID bits that follow CR4. */
	fake_vcpu(&v, &f);
	uint32_t r[4];
	wedge_vcpu_cpuid(&v, 1, 0, r);
	bool off = !(r[2] & 1u << 27);
	wedge_vcpu_cpuid(&v, 7, 0, r);
	off &= !(r[2] & 1u << 4);
	wedge_vcpu_write_cr(&v, 4, WEDGE_X86_CR4_PAE | WEDGE_X86_CR4_OSXSAVE | WEDGE_X86_CR4_PKE);
	wedge_vcpu_cpuid(&v, 1, 0, r);
	bool on = r[2] & 1u << 27;
	wedge_vcpu_cpuid(&v, 7, 0, r);
	on &= (r[2] >> 4) & 1;
	report(off && on, "cpuid OSXSAVE and OSPKE follow CR4.OSXSAVE and CR4.PKE");
}

static void test_cr3_cr2_cr8(void)
{
	fake_vcpu(&v, &f); /* 46 physical address bits */
	ok(3, 0x3ffffffff000ull | 0x18, 0x3ffffffff000ull | 0x18, "round trip, top physical bit, PWT|PCD");
	ok(3, 0x1000 | 0xfe7, 0x1000 | 0xfe7, "bits 11:0 ignored but kept without PCIDE");
	gp(3, 1ull << 46, "bit 46 (beyond MAXPHYADDR 46)");
	gp(3, 1ull << 52, "bit 52");
	gp(3, WEDGE_X86_CR3_NOFLUSH | 0x2000, "bit 63 without PCIDE");
	wedge_vcpu_write_cr(&v, 3, 0x2000);
	wedge_vcpu_write_cr(&v, 4, WEDGE_X86_CR4_PAE | WEDGE_X86_CR4_PCIDE);
	ok(3, WEDGE_X86_CR3_NOFLUSH | 0x5000 | 0x123, 0x5000 | 0x123, "PCIDE: bit 63 accepted, not stored, PCID kept");
	gp(3, WEDGE_X86_CR3_NOFLUSH | 1ull << 50, "PCIDE: bit 50 still reserved");

	ok(2, 0xffffffff81234567ull, 0xffffffff81234567ull, "cr2: any value");
	ok(2, 0x8000000000000000ull, 0x8000000000000000ull, "cr2: even non-canonical");
	ok(8, 15, 15, "cr8: TPR 15");
	ok(8, 0, 0, "cr8: TPR 0");
	gp(8, 16, "cr8: bit 4");
	gp(8, 1ull << 63, "cr8: bit 63");
}

void suite_cr(void)
{
	test_access();
	test_cr0();
	test_cr4();
	test_cr3_cr2_cr8();
}
