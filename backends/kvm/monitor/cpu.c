/*
 * The vCPU's state at entry: the boot GDT and the two ways in.
 *
 *   selector  descriptor                       used by
 *   +--------+--------------------------------+------------------------------+
 *   | 0x00   | null                           |                              |
 *   | 0x08   | code, 32-bit, flat 4 GiB       | PVH entry (--mode previrt)   |
 *   | 0x10   | code, 64-bit (L=1)             | Linux's __BOOT_CS (full)     |
 *   | 0x18   | data, flat 4 GiB               | __BOOT_DS, every data segment|
 *   | 0x20   | TSS, busy, base 0, limit 0x67  | TR (16 bytes: 0x20 and 0x28) |
 *   +--------+--------------------------------+------------------------------+
 *
 * The guest loads its own GDT and IDT at once; these only have to be
 * what the boot protocols promise until then.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "mon.h"

#define GDT_ENTRIES 6
#define CR0_PE 0x1ull
#define CR0_MP 0x2ull
#define CR0_ET 0x10ull
#define CR0_NE 0x20ull
#define CR0_WP 0x10000ull
#define CR0_PG 0x80000000ull
#define CR4_PAE 0x20ull
#define EFER_LME 0x100ull
#define EFER_LMA 0x400ull
#define RFLAGS_FIXED 0x2ull

void mon_gdt_write(const struct mon_mem *m)
{
	static const uint64_t gdt[GDT_ENTRIES] = {
		0,
		0x00cf9b000000ffffull, /* 0x08 code32 */
		0x00af9b000000ffffull, /* 0x10 code64 */
		0x00cf93000000ffffull, /* 0x18 data */
		0x00008b0000000067ull, /* 0x20 TSS, low half */
		0,                     /*      high half (base 63:32) */
	};
	memcpy(mon_gpa(m, MON_GDT_GPA, sizeof(gdt)), gdt, sizeof(gdt));
}

static struct kvm_segment seg(uint16_t sel, uint8_t type, bool code64, bool big)
{
	return (struct kvm_segment){
		.base = 0, .limit = 0xffffffff, .selector = sel, .type = type, .present = 1,
		.dpl = 0, .db = big, .s = 1, .l = code64, .g = 1,
	};
}

static void flat_segments(struct kvm_sregs *s, uint16_t cs_sel, bool code64)
{
	s->cs = seg(cs_sel, 0xb, code64, !code64);
	s->ds = s->es = s->fs = s->gs = s->ss = seg(MON_GDT_DATA, 0x3, false, true);
	s->tr = (struct kvm_segment){ .base = 0, .limit = 0x67, .selector = MON_GDT_TSS,
				      .type = 0xb, .present = 1 };
	s->gdt.base = MON_GDT_GPA;
	s->gdt.limit = GDT_ENTRIES * 8 - 1;
	s->idt.base = 0;
	s->idt.limit = 0;
}

static int set_state(struct mon_vm *vm, struct kvm_sregs *s, struct kvm_regs *r)
{
	if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, s) < 0) {
		mon_err("KVM_SET_SREGS: %s", strerror(errno));
		return -1;
	}
	if (ioctl(vm->vcpu_fd, KVM_SET_REGS, r) < 0) {
		mon_err("KVM_SET_REGS: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int get_sregs(struct mon_vm *vm, struct kvm_sregs *s)
{
	if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, s) < 0) {
		mon_err("KVM_GET_SREGS: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int enter64(struct mon_vm *vm, uint64_t rip, uint64_t rsi)
{
	struct kvm_sregs s;
	if (get_sregs(vm, &s))
		return -1;
	flat_segments(&s, MON_GDT_CODE64, true);
	s.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	s.cr3 = MON_PML4_GPA;
	s.cr4 = CR4_PAE;
	s.efer = EFER_LME | EFER_LMA;
	struct kvm_regs r = { .rip = rip, .rsi = rsi, .rsp = MON_STACK_TOP, .rflags = RFLAGS_FIXED };
	return set_state(vm, &s, &r);
}

static int enter32(struct mon_vm *vm, uint64_t eip, uint32_t ebx)
{
	struct kvm_sregs s;
	if (get_sregs(vm, &s))
		return -1;
	flat_segments(&s, MON_GDT_CODE32, false);
	s.cr0 = CR0_PE | CR0_ET;
	s.cr3 = 0;
	s.cr4 = 0;
	s.efer = 0;
	struct kvm_regs r = { .rip = eip, .rbx = ebx, .rsp = MON_STACK_TOP, .rflags = RFLAGS_FIXED };
	return set_state(vm, &s, &r);
}

int mon_cpu_enter(struct mon_vm *vm)
{
	const struct mon_entry *e = &vm->entry;
	return e->long_mode ? enter64(vm, e->rip, e->arg) : enter32(vm, e->rip, (uint32_t)e->arg);
}

/*
 * KVM derives CPUID.1:EDX.APIC from IA32_APIC_BASE's enable bit, whatever
 * KVM_SET_CPUID2 said: without an in-kernel LAPIC (--mode previrt) the
 * bit must go off there too, or Linux finds an APIC that reads all ones
 * and spends seconds writing EOIs to it ("APIC: Stale IRR").
 */
int mon_cpu_msrs(struct mon_vm *vm)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e[3];
	} m = {
		.hdr.nmsrs = 2,
		.e = {
			{ .index = 0x1a0, .data = 1 },     /* IA32_MISC_ENABLE: fast strings */
			{ .index = 0x2ff, .data = 0x806 }, /* MTRRdefType: enabled, write-back */
		},
	};
	ioctl(vm->vcpu_fd, KVM_SET_MSRS, &m); /* a KVM without them boots all the same */
	if (vm->cfg->mode == AB_MODE_FULL)
		return 0;
	m.hdr.nmsrs = 1;
	m.e[0] = (struct kvm_msr_entry){ .index = 0x1b, .data = 0xfee00100 }; /* BSP, disabled */
	if (ioctl(vm->vcpu_fd, KVM_SET_MSRS, &m) != 1) {
		mon_err("KVM_SET_MSRS(IA32_APIC_BASE): the LAPIC cannot be turned off");
		return -1;
	}
	return 0;
}
