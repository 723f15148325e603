/*
 * cpuid from a cache: the real instruction exits to the host (~39 us on
 * the kvm-host platform), the cached answer costs a call.  The cache is
 * filled once, at boot, by asking the real CPU (the only cpuid exits the
 * guest ever causes), then filtered by the wedge's policy (hypervisor bit,
 * MONITOR, VMX/SVM hidden; wedge/cpu/cpuid.c).
 *
 * Two bits of leaf 1 and 7 follow CR4 (OSXSAVE, OSPKE).  mov to %cr4 stays
 * native (it exits anyway, and KVM must see it), with a call after it that
 * tells the cache the value the guest just loaded.
 */
#include "kvm.h"

#include "wedge/insn.h"

void kvm_cpuid_init(void)
{
	const struct wedge_vcpu_host host = { .cpuid = kvm_real_cpuid };
	wedge_vcpu_init(&kvm.vcpu, &host);
	wedge_vcpu_cpuid_policy_default(&kvm.vcpu);
	kvm.vcpu.cr4 = kvm_real_cr4();
}

static void cpuid_hook(struct wedge_regs *r, void *arg)
{
	uint32_t out[4];
	(void)arg;
	wedge_vcpu_cpuid(&kvm.vcpu, (uint32_t)r->rax, (uint32_t)r->rcx, out);
	r->rax = out[0];
	r->rbx = out[1];
	r->rcx = out[2];
	r->rdx = out[3];
	if (*kvm.due) {
		kvm_irq_sync();
		kvm_deliver(r, r->rflags & WEDGE_X86_RFLAGS_IF);
		kvm_irq_publish(false);
	}
}

unsigned kvm_patch_cpuid(const struct wedge_site *s, uint8_t *out)
{
	return kvm_call_hook(s, out, cpuid_hook, 0, false, WEDGE_CALL_BEFORE);
}

/* After `mov %reg, %cr4`: the register still holds what CR4 now is. */
static void cr4_hook(struct wedge_regs *r, void *gpr)
{
	kvm.vcpu.cr4 = *wedge_regs_gpr(r, (unsigned)(uintptr_t)gpr);
}

unsigned kvm_patch_cr4(const struct wedge_site *s, uint8_t *out)
{
	unsigned cr, gpr;
	const uint8_t *insn = s->bytes + s->insn_off;
	if (wedge_insn_mov_cr(insn, s->insn_len, &cr, &gpr) || cr != 4 || gpr == 4)
		return 0;
	return kvm_call_hook(s, out, cr4_hook, (void *)(uintptr_t)gpr, true, WEDGE_CALL_AFTER);
}
