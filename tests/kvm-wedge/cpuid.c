/*
 * cpuid from the cache and the control-register sites (backends/kvm/cpuid.c,
 * kvm.c): what the guest reads, and how each kind of site is patched.
 */
#include <string.h>

#include "unit.h"

static unsigned kvm_patch(const struct wedge_site *s, uint8_t *out)
{
	return wedge_backend_find("kvm")->patch(s, out);
}

static struct wedge_regs cpuid(uint32_t leaf)
{
	static uint8_t buf[16];
	struct wedge_regs r = { .rax = 0xffffffff00000000ull | leaf, .rcx = 0 };
	struct wedge_site s = fake_site(AB_K_CPUID, (const uint8_t[]){ 0x0f, 0xa2 }, 2, buf);
	if (!fake_run_site(kvm_patch, &s, &r))
		report(false, "cpuid: the site got no hook");
	return r;
}

static void leaves(void)
{
	fake_reset();
	struct wedge_regs r = cpuid(0);
	char vendor[13] = { 0 };
	memcpy(vendor, &r.rbx, 4);
	memcpy(vendor + 4, &r.rdx, 4);
	memcpy(vendor + 8, &r.rcx, 4);
	report(!strcmp(vendor, "AuthenticAMD") && r.rax == 7, "leaf 0: %s, max %llu", vendor,
	       (unsigned long long)r.rax);
	r = cpuid(1);
	report(!(r.rcx >> 31 & 1), "leaf 1: the hypervisor bit is hidden");
	report(r.rcx >> 26 & 1 && !(r.rcx >> 27 & 1), "leaf 1: XSAVE, no OSXSAVE yet");
	report(r.rax == 0x00a00f11 && r.rdx >> 32 == 0, "leaf 1: eax kept, registers zero-extended");
	r = cpuid(AB_CPUID_LEAF);
	report(!r.rbx && !r.rcx && !r.rdx, "leaf 0x40000000: the monitor's signature is hidden");
}

static void cr4_follows(void)
{
	uint8_t buf[16], out[64];
	fake_reset();
	static const uint8_t to_cr4[] = { 0x0f, 0x22, 0xe0 };   /* mov %rax, %cr4 */
	struct wedge_site s = fake_site(AB_K_MOV_TO_CR, to_cr4, 3, buf);
	fake.hook = 0;
	unsigned n = kvm_patch(&s, out);
	report(n == 8 && !memcmp(out, to_cr4, 3) && out[3] == 0xe8,
	       "mov to %%cr4: kept, a call after it");
	struct wedge_regs r = { .rax = WEDGE_X86_CR4_PAE | WEDGE_X86_CR4_OSXSAVE };
	fake_call_hook(&r);
	r = cpuid(1);
	report(r.rcx >> 27 & 1, "leaf 1: OSXSAVE once the guest set CR4.OSXSAVE");

	static const uint8_t to_cr3[] = { 0x0f, 0x22, 0xd8 };   /* mov %rax, %cr3 */
	s = fake_site(AB_K_MOV_TO_CR, to_cr3, 3, buf);
	n = kvm_patch(&s, out);
	report(n == 8 && out[0] == 0xe8 && !memcmp(out + 5, to_cr3, 3),
	       "mov to %%cr3: a call before it (the wedge stays mapped)");
	static const uint8_t to_cr0[] = { 0x0f, 0x22, 0xc0 };   /* mov %rax, %cr0 */
	s = fake_site(AB_K_MOV_TO_CR, to_cr0, 3, buf);
	n = kvm_patch(&s, out);
	report(n == s.len && !memcmp(out, to_cr0, 3), "mov to %%cr0 stays native");
	static const uint8_t rdmsr[] = { 0x0f, 0x32 };
	s = fake_site(AB_K_RDMSR, rdmsr, 2, buf);
	n = kvm_patch(&s, out);
	report(n == s.len && !memcmp(out, rdmsr, 2), "rdmsr stays native (its fault address)");
}

void suite_cpuid(void)
{
	leaves();
	cr4_follows();
}
