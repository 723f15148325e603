/*
 * Identification, control and debug registers, the TLB and caches, MSRs,
 * and the feature-dependent instructions (skipped, with the CPUID bit that
 * says why, where the CPU lacks them).
 */
#include "guest.h"

static uint32_t max_leaf, max_ext_leaf;

/* cpuid of leaf, or false when the CPU does not have that leaf. */
static bool cpuid_leaf(uint32_t leaf, uint32_t sub, struct cpuid *r)
{
	if (!max_leaf) {
		max_leaf = cpuid(0, 0).a;
		max_ext_leaf = cpuid(0x80000000, 0).a;
	}
	if (leaf < 0x80000000 ? leaf > max_leaf : leaf > max_ext_leaf)
		return false;
	*r = cpuid(leaf, sub);
	return true;
}

bool cpu_has(uint32_t leaf, uint32_t sub, int reg, int bit)
{
	struct cpuid r;
	uint32_t v;

	if (!cpuid_leaf(leaf, sub, &r))
		return false;
	v = reg == REG_EAX ? r.a : reg == REG_EBX ? r.b : reg == REG_ECX ? r.c : r.d;
	return v >> bit & 1;
}

void check_cpuid(void)
{
	struct cpuid a = cpuid(0, 0), b = cpuid(0, 0), one, ext;
	char vendor[13];
	bool printable = true;

	memcpy(vendor, &a.b, 4);
	memcpy(vendor + 4, &a.d, 4);
	memcpy(vendor + 8, &a.c, 4);
	vendor[12] = '\0';
	for (int i = 0; i < 12; i++)
		printable &= vendor[i] >= 0x20 && vendor[i] < 0x7f;
	report_info("vendor \"%s\", max leaf %#x", vendor, a.a);
	report(printable, "leaf 0: vendor string is printable");
	report(a.a >= 1, "leaf 0: max leaf >= 1 (%#x)", a.a);
	report(!memcmp(&a, &b, sizeof(a)), "leaf 0: a second cpuid gives the same answer");
	one = cpuid(1, 0);
	unsigned family = (one.a >> 8 & 0xf) + ((one.a >> 8 & 0xf) == 0xf ? (one.a >> 20 & 0xff) : 0);
	report_info("leaf 1: eax %#x ebx %#x ecx %#x edx %#x (family %#x)", one.a, one.b, one.c, one.d,
		    family);
	report(family != 0, "leaf 1: family is not 0");
	report((one.d & 0x61) == 0x61, "leaf 1: FPU, MSR and PAE present (edx %#x)", one.d);
	ext = cpuid(0x80000001, 0);
	report(ext.d >> 29 & 1, "leaf 0x80000001: long mode present (edx %#x)", ext.d);
}

void check_cr(void)
{
	uint64_t cr0 = read_cr0(), cr3 = read_cr3(), cr4 = read_cr4();

	report_info("cr0 %#lx cr3 %#lx cr4 %#lx", cr0, cr3, cr4);
	report((cr0 & (CR0_PG | CR0_PE)) == (CR0_PG | CR0_PE), "cr0: PG and PE set");
	write_cr0(cr0 ^ CR0_AM);
	report(read_cr0() == (cr0 ^ CR0_AM), "cr0: toggled AM reads back");
	write_cr0(cr0);
	report(read_cr0() == cr0, "cr0: restored value reads back");

	report(cr3 == mm_root(), "cr3: the guest's page tables (%#lx)", mm_root());
	write_cr3(cr3);
	report(read_cr3() == cr3, "cr3: reload reads back");

	report(cr4 & CR4_PAE, "cr4: PAE set");
	write_cr4(cr4 ^ CR4_TSD);
	report(read_cr4() == (cr4 ^ CR4_TSD), "cr4: toggled TSD reads back");
	write_cr4(cr4);
	report(read_cr4() == cr4, "cr4: restored value reads back");

	uint64_t cr2 = read_cr2();
	write_cr2(0xffff800012345000);
	report(read_cr2() == 0xffff800012345000, "cr2: written value reads back");
	write_cr2(cr2);

	uint64_t cr8 = read_cr8();
	write_cr8(1);
	uint64_t got = read_cr8();
	write_cr8(cr8);
	report(got == 1 && read_cr8() == cr8, "cr8 (TPR): 1 reads back, then %lu", cr8);
}

void check_dr(void)
{
	uint64_t dr0 = read_dr0(), dr7 = read_dr7();

	write_dr0(0xffffffff81234560);
	report(read_dr0() == 0xffffffff81234560, "dr0: written address reads back");
	write_dr0(dr0);
	report((dr7 & 0xff) == 0, "dr7: no breakpoint enabled (%#lx)", dr7);
	write_dr7(dr7);
	report(read_dr7() == dr7, "dr7: rewritten value reads back");
}

void check_cr0_tasks(void)
{
	uint64_t cr0 = read_cr0();

	write_cr0(cr0 | CR0_TS);
	report(read_cr0() & CR0_TS, "mov to cr0 sets TS");
	clts();
	report(!(read_cr0() & CR0_TS), "clts clears TS");
	report((smsw() & 0xffff) == (read_cr0() & 0xffff), "smsw is the low 16 bits of cr0 (%#x)",
	       smsw() & 0xffff);
	lmsw((uint16_t)(read_cr0() | CR0_TS));
	report(read_cr0() & CR0_TS, "lmsw sets TS");
	report((read_cr0() & CR0_PE) && (read_cr0() & CR0_PG), "lmsw keeps PE (and PG)");
	clts();
	report(read_cr0() == (cr0 & ~(uint64_t)CR0_TS), "cr0 back to its value");
	write_cr0(cr0);
}

void check_tlb(void)
{
	static uint64_t frame_a[512] __attribute__((aligned(4096)));
	static uint64_t frame_b[512] __attribute__((aligned(4096)));
	volatile uint64_t *pte = mm_window_pte(TEST_VA), *p = (volatile uint64_t *)TEST_VA;

	frame_a[0] = 0xaaaa0000aaaa0000;
	frame_b[0] = 0xbbbb0000bbbb0000;
	*pte = PA(frame_a) | PTE_P | PTE_W;
	invlpg((const void *)TEST_VA);
	report(p[0] == frame_a[0], "page mapped to frame A reads A");
	*pte = PA(frame_b) | PTE_P | PTE_W;
	invlpg((const void *)TEST_VA);
	report(p[0] == frame_b[0], "remapped to frame B, after invlpg reads B");
	*pte = PA(frame_a) | PTE_P | PTE_W;
	write_cr3(read_cr3());
	report(p[0] == frame_a[0], "remapped to frame A, after a cr3 reload reads A");
	*pte = 0;
	write_cr3(read_cr3());
}

void check_caches(void)
{
	wbinvd();
	report(true, "wbinvd completes");
	if (cpu_has(0x80000008, 0, REG_EBX, 9)) {
		wbnoinvd();
		report(true, "wbnoinvd completes");
	} else {
		report_skip("wbnoinvd: CPUID.80000008H:EBX.WBNOINVD[9] = 0");
	}
	report_skip("invd: not executed, it drops dirty cache lines (memory corruption on hardware)");
}

void check_msr(void)
{
	uint64_t efer = rdmsr(MSR_EFER), kgs = rdmsr(MSR_KERNEL_GS_BASE);

	report_info("EFER %#lx", efer);
	report((efer & (EFER_LME | EFER_LMA)) == (EFER_LME | EFER_LMA), "EFER: LME and LMA set");
	report(efer & EFER_SCE, "EFER: SCE set (syscall enabled by desc_init)");
	wrmsr(MSR_EFER, efer);
	report(rdmsr(MSR_EFER) == efer, "EFER: written back, same value");
	wrmsr(MSR_KERNEL_GS_BASE, 0xffff800012345678);
	report(rdmsr(MSR_KERNEL_GS_BASE) == 0xffff800012345678,
	       "KERNEL_GS_BASE (scratch): written value reads back");
	wrmsr(MSR_KERNEL_GS_BASE, kgs);
	report(rdmsr(MSR_KERNEL_GS_BASE) == kgs, "KERNEL_GS_BASE: restored");
	report(rdmsr(MSR_LSTAR) == (uint64_t)(uintptr_t)syscall_entry, "LSTAR: the syscall entry");
}

void check_rdtscp(void)
{
	uint32_t aux = 0;

	if (!cpu_has(0x80000001, 0, REG_EDX, 27)) {
		report_skip("CPUID.80000001H:EDX.RDTSCP[27] = 0");
		return;
	}
	uint64_t old = rdmsr(MSR_TSC_AUX);
	wrmsr(MSR_TSC_AUX, 0x1234);
	uint64_t t0 = rdtscp(&aux), t1 = rdtscp(&aux);
	report(aux == 0x1234, "rdtscp returns IA32_TSC_AUX in ecx (%#x)", aux);
	report(t1 >= t0, "rdtscp is monotonic");
	wrmsr(MSR_TSC_AUX, old);
}

void check_rdpmc(void)
{
	struct cpuid r = { 0, 0, 0, 0 };

	cpuid_leaf(0xa, 0, &r);
	if ((r.a & 0xff) == 0 || (r.a >> 8 & 0xff) == 0) {
		report_skip("no architectural PMU counter (CPUID.0AH:EAX = %#x)", r.a);
		return;
	}
	uint64_t v = rdpmc(0);
	report(true, "rdpmc of counter 0 completes (%lu)", v);
}

void check_xsetbv(void)
{
	if (!cpu_has(1, 0, REG_ECX, 26)) {
		report_skip("CPUID.01H:ECX.XSAVE[26] = 0");
		return;
	}
	uint64_t cr4 = read_cr4();
	write_cr4(cr4 | CR4_OSXSAVE);
	uint64_t xcr0 = xgetbv(0);
	xsetbv(0, 1); /* x87 only: this guest uses no SSE */
	report(xgetbv(0) == 1, "xsetbv XCR0 = x87 reads back (was %#lx)", xcr0);
	xsetbv(0, xcr0);
	report(xgetbv(0) == xcr0, "XCR0 restored");
	write_cr4(cr4);
}

void check_monitor(void)
{
	static volatile uint64_t line[8] __attribute__((aligned(64)));

	if (!cpu_has(1, 0, REG_ECX, 3)) {
		report_skip("CPUID.01H:ECX.MONITOR[3] = 0");
		return;
	}
	uint64_t t0 = timer_ticks;
	pic_mask(0xfffe);
	cli();
	monitor((const void *)line, 0, 0);
	sti_mwait(0, 0);
	cli();
	pic_mask(0xffff);
	report(timer_ticks >= t0, "monitor + mwait returns (ticks %lu -> %lu)", t0, timer_ticks);
}

void check_smap(void)
{
	if (!cpu_has(7, 0, REG_EBX, 20)) {
		report_skip("CPUID.07H:EBX.SMAP[20] = 0");
		return;
	}
	stac();
	report(read_flags() & 0x40000, "stac sets AC");
	clac();
	report(!(read_flags() & 0x40000), "clac clears AC");
}

void check_invpcid(void)
{
	if (!cpu_has(7, 0, REG_EBX, 10)) {
		report_skip("CPUID.07H:EBX.INVPCID[10] = 0");
		return;
	}
	invpcid(2, 0, 0); /* all contexts, including globals */
	report(true, "invpcid (all contexts) completes");
}

void check_fsgsbase(void)
{
	if (!cpu_has(7, 0, REG_EBX, 0)) {
		report_skip("CPUID.07H:EBX.FSGSBASE[0] = 0");
		return;
	}
	uint64_t cr4 = read_cr4(), fs = rdmsr(MSR_FS_BASE), gs = rdmsr(MSR_GS_BASE);
	write_cr4(cr4 | CR4_FSGSBASE);
	wrfsbase(0xffff800000001000);
	wrgsbase(0xffff800000002000);
	report(rdfsbase() == 0xffff800000001000 && rdmsr(MSR_FS_BASE) == 0xffff800000001000,
	       "wrfsbase/rdfsbase agree with FS_BASE");
	report(rdgsbase() == 0xffff800000002000 && rdmsr(MSR_GS_BASE) == 0xffff800000002000,
	       "wrgsbase/rdgsbase agree with GS_BASE");
	wrmsr(MSR_FS_BASE, fs);
	wrmsr(MSR_GS_BASE, gs);
	write_cr4(cr4);
}
