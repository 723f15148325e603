/*
 * The register dump when a run ends badly (triple fault, internal error,
 * failed entry): enough to find the instruction, in one screen on stderr.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "mon.h"

#define P MON_NAME ":   "

static void seg(const char *name, const struct kvm_segment *s)
{
	fprintf(stderr, P "%-3s %#06x base 0x%016llx limit %#010x type %#x s %u dpl %u p %u "
		"l %u db %u g %u\n", name, s->selector, (unsigned long long)s->base, s->limit,
		s->type, s->s, s->dpl, s->present, s->l, s->db, s->g);
}

static void gprs(const struct kvm_regs *r)
{
	fprintf(stderr, P "rip 0x%016llx rsp 0x%016llx rflags %#llx\n",
		(unsigned long long)r->rip, (unsigned long long)r->rsp,
		(unsigned long long)r->rflags);
	const unsigned long long v[16] = { r->rax, r->rbx, r->rcx, r->rdx, r->rsi, r->rdi,
					   r->rbp, r->r8, r->r9, r->r10, r->r11, r->r12,
					   r->r13, r->r14, r->r15, 0 };
	static const char *const n[15] = { "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp",
					   "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
	for (unsigned i = 0; i < 15; i += 4) {
		fprintf(stderr, P);
		for (unsigned j = i; j < i + 4 && j < 15; j++)
			fprintf(stderr, "%-3s 0x%016llx ", n[j], v[j]);
		fprintf(stderr, "\n");
	}
}

static void sregs(const struct kvm_sregs *s)
{
	fprintf(stderr, P "cr0 %#llx cr2 %#llx cr3 %#llx cr4 %#llx cr8 %#llx efer %#llx\n",
		(unsigned long long)s->cr0, (unsigned long long)s->cr2,
		(unsigned long long)s->cr3, (unsigned long long)s->cr4,
		(unsigned long long)s->cr8, (unsigned long long)s->efer);
	seg("cs", &s->cs);
	seg("ss", &s->ss);
	seg("ds", &s->ds);
	seg("tr", &s->tr);
	fprintf(stderr, P "gdt %#llx+%#x idt %#llx+%#x\n", (unsigned long long)s->gdt.base,
		s->gdt.limit, (unsigned long long)s->idt.base, s->idt.limit);
}

/* The bytes at rip, through the guest's own page tables. */
static void code(struct mon_vm *vm, uint64_t rip)
{
	struct kvm_translation t = { .linear_address = rip };
	if (ioctl(vm->vcpu_fd, KVM_TRANSLATE, &t) < 0 || !t.valid) {
		fprintf(stderr, P "code: rip is not mapped\n");
		return;
	}
	const uint8_t *p = mon_gpa(&vm->mem, t.physical_address, 16);
	if (!p) {
		fprintf(stderr, P "code: rip is at physical %#llx, outside RAM\n",
			(unsigned long long)t.physical_address);
		return;
	}
	fprintf(stderr, P "code at physical %#llx:", (unsigned long long)t.physical_address);
	for (int i = 0; i < 16; i++)
		fprintf(stderr, " %02x", p[i]);
	fprintf(stderr, "\n");
}

static void exit_detail(const struct mon_vm *vm)
{
	const struct kvm_run *run = vm->run;
	fprintf(stderr, P "last exit: %s (%u)", mon_kvm_exit_name(vm->last_exit), vm->last_exit);
	switch (vm->last_exit) {
	case KVM_EXIT_INTERNAL_ERROR:
		fprintf(stderr, ", suberror %u%s", run->internal.suberror,
			run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION ?
			" (the instruction emulator failed)" : "");
		for (uint32_t i = 0; i < run->internal.ndata && i < 16; i++)
			fprintf(stderr, " %#llx", (unsigned long long)run->internal.data[i]);
		break;
	case KVM_EXIT_FAIL_ENTRY:
		fprintf(stderr, ", hardware reason %#llx",
			(unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		break;
	case KVM_EXIT_IO:
		fprintf(stderr, ", port %#x %s size %u", run->io.port,
			run->io.direction == KVM_EXIT_IO_OUT ? "out" : "in", run->io.size);
		break;
	default:
		break;
	}
	fprintf(stderr, "\n");
}

void mon_dump(struct mon_vm *vm, const char *what)
{
	struct kvm_regs r;
	struct kvm_sregs s;
	fflush(stdout);
	mon_err("%s", what);
	exit_detail(vm);
	if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &r) < 0 || ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s) < 0) {
		fprintf(stderr, P "registers unavailable: %s\n", strerror(errno));
		return;
	}
	gprs(&r);
	sregs(&s);
	code(vm, r.rip);
}
