/*
 * The synthetic CPU.  Its leaves are shaped like a current EPYC or Xeon
 * (subleaf lists that end the way the SDM and APM say), with every
 * feature bit the vCPU consults set, and the hypervisor bits a virtual
 * machine shows, for the policy to hide.
 */
#include <string.h>

#include "unit.h"

void fake_cpu_default(struct fake_cpu *f)
{
	memset(f, 0, sizeof(*f));
	f->max_basic = 0x14;
	f->max_ext = 0x80000021u;
	f->phys_bits = 46;
	f->virt_bits = 48;
	f->inta_vector = 0x30;
}

#define B(n) (1u << (n))

static void fake_cpuid(void *ctx, uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	struct fake_cpu *f = ctx;
	f->cpuid_calls++;
	r[0] = r[1] = r[2] = r[3] = 0;
	bool basic = leaf <= f->max_basic;
	bool ext = leaf >= 0x80000000u && leaf <= f->max_ext;
	if (!basic && !ext)
		return; /* AMD's answer; the vCPU applies Intel's itself */
	switch (leaf) {
	case 0:
		r[0] = f->max_basic;
		if (f->intel) {
			r[1] = 0x756e6547; r[3] = 0x49656e69; r[2] = 0x6c65746e; /* GenuineIntel */
		} else {
			r[1] = 0x68747541; r[3] = 0x69746e65; r[2] = 0x444d4163; /* AuthenticAMD */
		}
		break;
	case 1:
		r[0] = 0x00a00f11;
		r[1] = 0x05020800;             /* APIC ID 5 */
		r[2] = B(0) | B(3) | B(5) | B(6) | B(17) | B(21) | B(26) | B(27) | B(31);
		r[3] = 0x178bfbff;             /* VME DE PSE TSC ... APIC PGE ... FXSR SSE SSE2 */
		break;
	case 4:                                /* L1d L1i L2 L3, then type 0 */
		if (sub < 4)
			r[0] = (uint32_t[]){ 0x121, 0x122, 0x143, 0x163 }[sub];
		break;
	case 5:
		r[0] = 0x40; r[1] = 0x40; r[2] = 3; r[3] = 0x11142120;
		break;
	case 7:
		if (sub == 0) {
			r[0] = 1;              /* highest subleaf */
			r[1] = B(0) | B(7) | B(20);              /* FSGSBASE SMEP SMAP */
			r[2] = B(2) | B(3) | B(4) | B(7) | B(22); /* UMIP PKU OSPKE CET_SS RDPID */
			if (f->virt_bits == 57)
				r[2] |= B(16);                    /* LA57 */
		} else if (sub == 1) {
			r[0] = B(26);                             /* LAM */
		}
		break;
	case 0xb:                              /* SMT, core, then invalid */
		r[2] = sub == 0 ? 0x100 : sub == 1 ? 0x201 : sub & 0xff;
		r[0] = sub < 2 ? (sub ? 4 : 1) : 0;
		r[1] = sub < 2 ? (sub ? 16 : 2) : 0;
		r[3] = 5;                      /* x2APIC ID */
		break;
	case 0xd:                              /* x87 SSE AVX in XCR0, CET_U in XSS */
		if (sub == 0) { r[0] = 7; r[1] = 0x340; r[2] = 0x340; }
		else if (sub == 1) { r[0] = 0xf; r[2] = B(11); }
		else if (sub == 2) { r[0] = 0x100; r[1] = 0x240; }
		else if (sub == 11) { r[0] = 0x10; r[2] = 1; }
		break;
	case 0xf:
		if (sub == 0) { r[1] = 0xff; r[3] = B(1); }
		else if (sub == 1) { r[1] = 64; r[2] = 0xff; r[3] = 7; }
		break;
	case 0x10:
		if (sub == 0) r[1] = B(1) | B(2);
		else if (sub <= 2) { r[0] = 0xf; r[3] = 15; }
		break;
	case 0x80000000:
		r[0] = f->max_ext;
		r[1] = 0x68747541; r[3] = 0x69746e65; r[2] = 0x444d4163;
		break;
	case 0x80000001:
		r[2] = B(0) | B(2) | B(17) | B(29);              /* LAHF SVM TCE MONITORX */
		r[3] = B(11) | B(20) | B(25) | B(27) | B(29);    /* SYSCALL NX FFXSR RDTSCP LM */
		break;
	case 0x80000002:
		memcpy(r, "Fake CPU, 16 by", 16);
		break;
	case 0x80000008:
		r[0] = f->virt_bits << 8 | f->phys_bits;
		break;
	case 0x8000000a:
		r[0] = 1; r[1] = 0x8000; r[3] = 0x1ebfbfff;
		break;
	case 0x8000001d:                       /* L1d L2, then type 0 */
		if (sub < 2)
			r[0] = (uint32_t[]){ 0x121, 0x143 }[sub];
		break;
	case 0x80000021:
		r[0] = B(8);                   /* AutoIBRS */
		break;
	default:
		break;
	}
}

static uint64_t fake_tsc(void *ctx)
{
	return ((struct fake_cpu *)ctx)->tsc;
}

static int fake_inta(void *ctx)
{
	struct fake_cpu *f = ctx;
	f->inta_calls++;
	return f->inta_vector;
}

struct wedge_vcpu_host fake_host(struct fake_cpu *f)
{
	return (struct wedge_vcpu_host){ .ctx = f, .cpuid = fake_cpuid, .tsc = fake_tsc,
					 .inta = fake_inta };
}

void fake_vcpu(struct wedge_vcpu *v, struct fake_cpu *f)
{
	fake_cpu_default(f);
	struct wedge_vcpu_host h = fake_host(f);
	wedge_vcpu_init(v, &h);
}
