/*
 * The guest's own descriptor tables: GDT (kernel and user code/data, TSS),
 * TSS (rsp0 for traps from ring 3, IST1 for double faults), IDT (all 256
 * vectors to the stubs of entry.S), the syscall MSRs, and the C side of
 * every trap.
 */
#include "guest.h"

uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
struct desc_ptr gdt_desc, idt_desc;

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss64) == 104, "64-bit TSS is 104 bytes");
static struct tss64 tss __attribute__((aligned(16)));

static struct {
	uint64_t lo, hi;
} idt[256] __attribute__((aligned(16)));

static uint8_t trap_stack[STACK_SIZE] __attribute__((aligned(16)));
static uint8_t df_stack[4096] __attribute__((aligned(16)));

volatile uint64_t timer_ticks, spurious_irqs, other_irqs;
volatile uint64_t timer_first_rip;

static struct {
	bool armed;
	uint64_t vector, resume;
	struct trap_record rec;
} expect;

static uint64_t tss_descriptor_lo(uint64_t base, uint32_t limit)
{
	return (limit & 0xffff) | (base & 0xffffff) << 16 | (uint64_t)0x89 << 40 |
	       (uint64_t)(limit >> 16 & 0xf) << 48 | (base >> 24 & 0xff) << 56;
}

/* Mark the TSS available again (ltr sets it busy) and load TR. */
void tss_load(void)
{
	gdt[TSS_SEL / 8] &= ~((uint64_t)0x2 << 40);
	ltr(TSS_SEL);
}

static void set_gate(unsigned vec, uint64_t handler, unsigned ist, unsigned dpl)
{
	idt[vec].lo = (handler & 0xffff) | (uint64_t)KERNEL_CS << 16 | (uint64_t)ist << 32 |
		      (uint64_t)(0x8e | dpl << 5) << 40 | (handler >> 16 & 0xffff) << 48;
	idt[vec].hi = handler >> 32;
}

void desc_init(void)
{
	uint64_t tss_base = (uint64_t)(uintptr_t)&tss;

	gdt[0] = 0;
	gdt[KERNEL_CS / 8] = 0x00af9a000000ffff;
	gdt[KERNEL_DS / 8] = 0x00cf92000000ffff;
	gdt[USER32_CS / 8] = 0x00cffa000000ffff;
	gdt[USER_DS / 8] = 0x00cff2000000ffff;
	gdt[USER_CS / 8] = 0x00affa000000ffff;
	gdt[TSS_SEL / 8] = tss_descriptor_lo(tss_base, sizeof(tss) - 1);
	gdt[TSS_SEL / 8 + 1] = tss_base >> 32;
	gdt_desc.limit = sizeof(gdt) - 1;
	gdt_desc.base = (uint64_t)(uintptr_t)gdt;
	lgdt(&gdt_desc);
	write_ds(KERNEL_DS);
	write_es(KERNEL_DS);
	write_ss(KERNEL_DS);
	write_fs(0);
	write_gs(0);
	lret_to_self(); /* reload CS from the new GDT */

	tss.rsp[0] = (uint64_t)(uintptr_t)(trap_stack + sizeof(trap_stack));
	tss.ist[0] = (uint64_t)(uintptr_t)(df_stack + sizeof(df_stack));
	tss.iomap_base = sizeof(tss); /* no I/O bitmap: ring 3 has no ports */
	tss_load();

	for (unsigned v = 0; v < 256; v++)
		set_gate(v, (uint64_t)(uintptr_t)(isr_stubs + v * ISR_STUB_SIZE), v == 8 ? 1 : 0, 0);
	idt_desc.limit = sizeof(idt) - 1;
	idt_desc.base = (uint64_t)(uintptr_t)idt;
	lidt(&idt_desc);

	/* syscall: kernel CS/SS from STAR[47:32], sysretq to STAR[63:48] + 16/+8. */
	wrmsr(MSR_STAR, (uint64_t)USER32_CS << 48 | (uint64_t)KERNEL_CS << 32);
	wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)syscall_entry);
	wrmsr(MSR_SFMASK, 0x47700); /* TF, IF, DF, AC, NT cleared on entry */
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

void expect_trap(uint64_t vec, uint64_t resume)
{
	memset(&expect, 0, sizeof(expect));
	expect.vector = vec;
	expect.resume = resume;
	expect.armed = true;
}

struct trap_record expected_trap_result(void)
{
	expect.armed = false;
	return expect.rec;
}

static const char *const exc_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "CSO", "#TS", "#NP",
	"#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#22", "#23",
	"#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31",
};

const char *vector_name(uint64_t vec)
{
	if (vec < 32)
		return exc_names[vec];
	if (vec >= 0x20 && vec < 0x30)
		return "IRQ";
	return "int";
}

static void irq(unsigned n, const struct trap_frame *f)
{
	if (n == 0) {
		if (!timer_first_rip)
			timer_first_rip = f->rip;
		timer_ticks++;
		pic_eoi(0);
		return;
	}
	/* IRQ7/IRQ15 without its in-service bit: spurious, no EOI (or the master's only). */
	if (n == 7 && !(pic_read_isr() & 0x80)) {
		spurious_irqs++;
		return;
	}
	other_irqs++;
	pic_eoi(n);
}

void trap_dispatch(struct trap_frame *f);

void trap_dispatch(struct trap_frame *f)
{
	uint64_t cr2 = 0;

	if (f->vector >= 0x20 && f->vector < 0x30) {
		irq((unsigned)(f->vector - 0x20), f);
		return;
	}
	bool expected = expect.armed && f->vector == expect.vector;

	if (f->vector == 14 || !expected)
		cr2 = read_cr2();
	if (expected) {
		expect.rec = (struct trap_record){ true, f->vector, f->error, f->rip, f->cs, cr2 };
		expect.armed = false;
		if (expect.resume)
			f->rip = expect.resume;
		return;
	}
	printf("UNEXPECTED TRAP: vector %lu (%s) error %#lx rip %#lx cs %#lx rflags %#lx "
	       "rsp %#lx cr2 %#lx\n",
	       f->vector, vector_name(f->vector), f->error, f->rip, f->cs, f->rflags, f->rsp, cr2);
	report(false, "no unexpected trap (vector %lu at rip %#lx)", f->vector, f->rip);
	finish();
}

/* System calls of the user program (entry.S: syscall_entry). */
volatile uint64_t syscall_pings;

uint64_t syscall_dispatch(uint64_t nr, uint64_t arg);

uint64_t syscall_dispatch(uint64_t nr, uint64_t arg)
{
	switch (nr) {
	case SYS_PING:
		syscall_pings++;
		return arg + 1;
	case SYS_EXIT:
		leave_user(arg);
	default:
		report(false, "user program made an unknown system call %lu", nr);
		leave_user((uint64_t)-1);
	}
}
