/*
 * Port I/O sites emulated in place (backends/kvm/pio.c): every encoding
 * of in/out/ins/outs, register widths, rep/DF/67, and what stays native.
 */
#include <string.h>

#include "unit.h"

static unsigned kvm_patch(const struct wedge_site *s, uint8_t *out)
{
	return wedge_backend_find("kvm")->patch(s, out);
}

/* Patch insn as a site and run it once on r. */
static bool run(unsigned kind, const uint8_t *insn, unsigned len, struct wedge_regs *r)
{
	static uint8_t buf[32];
	struct wedge_site s = fake_site(kind, insn, len, buf);
	return fake_run_site(kvm_patch, &s, r);
}

static void widths(void)
{
	fake_reset();
	struct wedge_regs r = { .rax = 0x5a };
	run(AB_K_OUT, (const uint8_t[]){ 0xe6, 0x80 }, 2, &r);        /* out %al, $0x80 */
	r.rax = 0x1122334455667788ull;
	run(AB_K_IN, (const uint8_t[]){ 0xe4, 0x80 }, 2, &r);         /* in $0x80, %al */
	report(r.rax == 0x112233445566775aull, "in %%al: low byte only (%#llx)",
	       (unsigned long long)r.rax);
	r = (struct wedge_regs){ .rax = 0x1122334455667788ull, .rdx = 0x80 };
	run(AB_K_IN, (const uint8_t[]){ 0x66, 0xed }, 2, &r);         /* in %dx, %ax */
	report(r.rax == 0x112233445566ff5aull,
	       "in %%ax: two bytes, 0x81 unclaimed (%#llx)", (unsigned long long)r.rax);
	r = (struct wedge_regs){ .rax = 0x1122334455667788ull, .rdx = 0x80 };
	run(AB_K_IN, (const uint8_t[]){ 0xed }, 1, &r);               /* in %dx, %eax */
	report(r.rax == 0xffffff5aull, "in %%eax: zero-extends (%#llx)", (unsigned long long)r.rax);
	r = (struct wedge_regs){ .rax = 0x1122334455667788ull, .rdx = 0x80 };
	run(AB_K_IN, (const uint8_t[]){ 0x48, 0xed }, 2, &r);         /* REX.W in: still 32 bits */
	report(r.rax == 0xffffff5aull, "REX.W in: 32 bits (%#llx)", (unsigned long long)r.rax);
}

static void strings(void)
{
	fake_reset();
	char text[] = "abc\n";
	struct wedge_regs r = { .rsi = (uint64_t)(uintptr_t)text, .rcx = 4, .rdx = 0x3f8 };
	run(AB_K_OUTS, (const uint8_t[]){ 0xf3, 0x6e }, 2, &r);       /* rep outsb */
	report(fake.console_len == 4 && !memcmp(fake.console, "abc\n", 4), "rep outsb: a line out");
	report(r.rcx == 0 && r.rsi == (uint64_t)(uintptr_t)text + 4, "rep outsb: rcx 0, rsi + 4");

	struct wedge_regs w = { .rax = 0x77 };
	run(AB_K_OUT, (const uint8_t[]){ 0xe6, 0x80 }, 2, &w);
	uint16_t words[4] = { 0 };
	r = (struct wedge_regs){ .rdi = (uint64_t)(uintptr_t)&words[3], .rcx = 3, .rdx = 0x80,
				 .rflags = WEDGE_X86_RFLAGS_DF };
	run(AB_K_INS, (const uint8_t[]){ 0xf3, 0x66, 0x6d }, 3, &r); /* std; rep insw */
	report(words[3] == 0xff77 && words[2] == 0xff77 && words[1] == 0xff77 && words[0] == 0,
	       "rep insw, DF=1: three words downwards");
	report(r.rdi == (uint64_t)(uintptr_t)&words[0] && r.rcx == 0, "rep insw, DF=1: rdi - 6");

	uint8_t bytes[4] = { 0 };
	uint64_t at = (uint64_t)(uintptr_t)bytes;
	if (at >> 32 == 0) {
		r = (struct wedge_regs){ .rdi = at, .rcx = 0xabcd000000000002ull, .rdx = 0x80 };
		run(AB_K_INS, (const uint8_t[]){ 0x67, 0xf3, 0x6c }, 3, &r);
		report(r.rcx == 0 && bytes[0] == 0x77 && bytes[1] == 0x77 && bytes[2] == 0,
		       "addr32 rep insb: %%ecx counts, rcx zeroed");
	} else {
		r = (struct wedge_regs){ .rdi = 0, .rcx = 0xabcd000000000000ull, .rdx = 0x80 };
		run(AB_K_INS, (const uint8_t[]){ 0x67, 0xf3, 0x6c }, 3, &r);
		report(r.rcx == 0 && r.rdi == 0, "addr32 rep insb: %%ecx = 0 moves nothing");
	}
	r = (struct wedge_regs){ .rsi = (uint64_t)(uintptr_t)text, .rcx = 7, .rdx = 0x3f8 };
	run(AB_K_OUTS, (const uint8_t[]){ 0x6e }, 1, &r);             /* outsb, no rep */
	report(r.rcx == 7 && r.rsi == (uint64_t)(uintptr_t)text + 1, "outsb: one byte, rcx kept");
}

static void stays_native(void)
{
	static const uint8_t fs_outs[] = { 0x64, 0x6e };
	uint8_t buf[16], out[64];
	fake_reset();
	struct wedge_site s = fake_site(AB_K_OUTS, fs_outs, 2, buf);
	fake.hook = 0;
	unsigned n = kvm_patch(&s, out);
	report(n == s.len && !memcmp(out, buf, s.len) && !fake.hook, "fs: outsb stays native");
	s = fake_site(AB_K_IN, (const uint8_t[]){ 0xe4, 0x61 }, 2, buf);
	s.flags = AB_F_ALTREPL;
	n = kvm_patch(&s, out);
	report(n == s.len && !memcmp(out, buf, s.len), "an in in a replacement section stays native");
	s.flags = 0;
	n = kvm_patch(&s, out);
	report(n == 5 && out[0] == 0xe8, "the same in elsewhere becomes a call (%u bytes)", n);
}

void suite_pio(void)
{
	widths();
	strings();
	stays_native();
}
