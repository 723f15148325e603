/* Descriptor tables, the task register, segment registers, lar/lsl/verr/verw, swapgs. */
#include "guest.h"

void check_desc_tables(void)
{
	struct desc_ptr d;

	sgdt(&d);
	report(d.base == gdt_desc.base && d.limit == gdt_desc.limit, "sgdt: the loaded GDT (%#lx/%#x)",
	       d.base, d.limit);
	lgdt(&d);
	struct desc_ptr e;
	sgdt(&e);
	report(!memcmp(&d, &e, sizeof(d)), "lgdt of what sgdt stored: round trip");

	sidt(&d);
	report(d.base == idt_desc.base && d.limit == idt_desc.limit, "sidt: the loaded IDT (%#lx/%#x)",
	       d.base, d.limit);
	lidt(&d);
	sidt(&e);
	report(!memcmp(&d, &e, sizeof(d)), "lidt of what sidt stored: round trip");

	report(sldt() == 0, "sldt: no LDT");
	lldt(0);
	report(sldt() == 0, "lldt of the null selector: sldt reads 0");
}

void check_task_register(void)
{
	report(str() == TSS_SEL, "str: the TSS selector (%#x)", str());
	report((gdt[TSS_SEL / 8] >> 40 & 0xf) == 0xb, "the TSS descriptor is busy after ltr");
	tss_load();
	report(str() == TSS_SEL && (gdt[TSS_SEL / 8] >> 40 & 0xf) == 0xb,
	       "ltr again (busy bit cleared first): busy, str unchanged");
}

void check_segments(void)
{
	report(read_cs() == KERNEL_CS, "mov from cs: kernel code (%#x)", read_cs());
	report(read_ss() == KERNEL_DS, "mov from ss: kernel data (%#x)", read_ss());
	write_ds(USER_DS | 3);
	report(read_ds() == (USER_DS | 3), "mov to ds: user data, RPL 3 (%#x)", read_ds());
	write_ds(KERNEL_DS);
	report(read_ds() == KERNEL_DS, "mov to ds: kernel data (%#x)", read_ds());
	write_es(KERNEL_DS);
	report(read_es() == KERNEL_DS, "mov to es: kernel data (%#x)", read_es());
	write_fs(KERNEL_DS);
	report(read_fs() == KERNEL_DS, "mov to fs (%#x)", read_fs());
	copy_fs_to_gs();
	report(read_gs() == KERNEL_DS, "push fs; pop gs (%#x)", read_gs());
	write_fs(0);
	write_gs(0);
	report(read_fs() == 0 && read_gs() == 0, "mov of the null selector to fs and gs");

	static const struct far_ptr32 fp = { 0x12345678, KERNEL_DS };
	uint32_t off = lfs(&fp);
	report(off == 0x12345678 && read_fs() == KERNEL_DS, "lfs: offset and selector (%#x, %#x)", off,
	       read_fs());
	write_fs(0);
}

void check_lar_lsl(void)
{
	uint32_t v;

	bool ok = lar(KERNEL_CS, &v);
	report(ok && (v & 0x00f0ff00) == 0x00a09a00, "lar kernel code: present, DPL 0, code, L (%#x)", v);
	ok = lar(USER_CS | 3, &v);
	report(ok && (v >> 13 & 3) == 3, "lar user code: DPL 3 (%#x)", v);
	ok = lar(0xfff8, &v);
	report(!ok, "lar of a selector past the GDT limit: ZF clear");
	ok = lsl(KERNEL_CS, &v);
	report(ok && v == 0xffffffff, "lsl kernel code: 4 GiB limit (%#x)", v);
	ok = lsl(TSS_SEL, &v);
	report(ok && v == 103, "lsl TSS: 103 (%u)", v);
	report(verr(KERNEL_CS), "verr kernel code: readable");
	report(verw(KERNEL_DS), "verw kernel data: writable");
	report(!verw(KERNEL_CS), "verw kernel code: not writable");
}

void check_swapgs(void)
{
	static uint64_t area_a[1] = { 0xa }, area_b[1] = { 0xb };
	uint64_t gs = rdmsr(MSR_GS_BASE), kgs = rdmsr(MSR_KERNEL_GS_BASE), v;
	uint64_t a = (uint64_t)(uintptr_t)area_a, b = (uint64_t)(uintptr_t)area_b;

	wrmsr(MSR_GS_BASE, a);
	wrmsr(MSR_KERNEL_GS_BASE, b);
	__asm__ volatile("movq %%gs:0, %0" : "=r"(v));
	report(v == 0xa, "gs:0 reads GS_BASE's area");
	swapgs();
	__asm__ volatile("movq %%gs:0, %0" : "=r"(v));
	report(rdmsr(MSR_GS_BASE) == b && rdmsr(MSR_KERNEL_GS_BASE) == a,
	       "swapgs exchanges GS_BASE and KERNEL_GS_BASE");
	report(v == 0xb, "after swapgs gs:0 reads the other area");
	swapgs();
	report(rdmsr(MSR_GS_BASE) == a && rdmsr(MSR_KERNEL_GS_BASE) == b, "a second swapgs swaps back");
	wrmsr(MSR_GS_BASE, gs);
	wrmsr(MSR_KERNEL_GS_BASE, kgs);
}
