/* Descriptor-table registers: lgdt/lidt/sgdt/sidt, lldt/sldt, ltr/str. */
#include "unit.h"

static struct wedge_vcpu v;
static struct fake_cpu f;

static bool dtr_is(struct wedge_vcpu_dtr d, uint64_t base, uint16_t limit)
{
	return d.base == base && d.limit == limit;
}

static void test_tables(void)
{
	fake_vcpu(&v, &f);
	report(dtr_is(wedge_vcpu_sgdt(&v), 0, 0xffff) && dtr_is(wedge_vcpu_sidt(&v), 0, 0xffff),
	       "init: GDTR and IDTR at their reset values");
	report(wedge_vcpu_lgdt(&v, 0xffffffff82000000ull, 0x7f) == 0 &&
	       dtr_is(wedge_vcpu_sgdt(&v), 0xffffffff82000000ull, 0x7f), "lgdt/sgdt round trip");
	report(wedge_vcpu_lidt(&v, 0xfffffe0000000000ull, 0xfff) == 0 &&
	       dtr_is(wedge_vcpu_sidt(&v), 0xfffffe0000000000ull, 0xfff), "lidt/sidt round trip");
	report(wedge_vcpu_lgdt(&v, 0x00007ffffffff000ull, 0) == 0 &&
	       dtr_is(wedge_vcpu_sgdt(&v), 0x00007ffffffff000ull, 0), "lgdt: top of the lower half, limit 0");
	report(wedge_vcpu_lgdt(&v, 0x0000800000000000ull, 0x7f) == WEDGE_VCPU_GP &&
	       dtr_is(wedge_vcpu_sgdt(&v), 0x00007ffffffff000ull, 0), "lgdt: non-canonical base #GP, unchanged");
	report(wedge_vcpu_lidt(&v, 0xff00000000000000ull, 0xfff) == WEDGE_VCPU_GP &&
	       dtr_is(wedge_vcpu_sidt(&v), 0xfffffe0000000000ull, 0xfff), "lidt: non-canonical base #GP, unchanged");

	fake_cpu_default(&f);
	f.virt_bits = 57;
	struct wedge_vcpu_host h = fake_host(&f);
	wedge_vcpu_init(&v, &h);
	report(wedge_vcpu_lidt(&v, 0xff00000000000000ull, 0xfff) == 0 &&
	       wedge_vcpu_lgdt(&v, 0x00ff000000000000ull, 0x7f) == 0, "57-bit CPU: 57-bit canonical bases accepted");
	report(wedge_vcpu_lgdt(&v, 0x0100000000000000ull, 0x7f) == WEDGE_VCPU_GP, "57-bit CPU: bit 56 alone #GP");
}

static void test_selectors(void)
{
	fake_vcpu(&v, &f);
	wedge_vcpu_lgdt(&v, 0xffffffff82000000ull, 0x7f); /* 16 slots of 8 bytes */
	report(wedge_vcpu_sldt(&v) == 0 && wedge_vcpu_str(&v) == 0, "init: LDTR and TR null");
	report(wedge_vcpu_ltr(&v, 0x40) == 0 && wedge_vcpu_str(&v) == 0x40, "ltr/str round trip");
	report(wedge_vcpu_lldt(&v, 0x50) == 0 && wedge_vcpu_sldt(&v) == 0x50, "lldt/sldt round trip");
	report(wedge_vcpu_lldt(&v, 0x70) == 0 && wedge_vcpu_sldt(&v) == 0x70,
	       "lldt: last 16-byte descriptor inside the limit");
	report(wedge_vcpu_lldt(&v, 0x78) == WEDGE_VCPU_GP && wedge_vcpu_sldt(&v) == 0x70,
	       "lldt: 16-byte descriptor crossing the limit #GP, unchanged");
	report(wedge_vcpu_lldt(&v, 0x54) == WEDGE_VCPU_GP, "lldt: TI (LDT) selector #GP");
	report(wedge_vcpu_lldt(&v, 0) == 0 && wedge_vcpu_sldt(&v) == 0, "lldt: null selector allowed");
	report(wedge_vcpu_lldt(&v, 3) == 0 && wedge_vcpu_sldt(&v) == 3, "lldt: null selector with RPL 3 allowed");
	report(wedge_vcpu_ltr(&v, 0) == WEDGE_VCPU_GP && wedge_vcpu_ltr(&v, 2) == WEDGE_VCPU_GP &&
	       wedge_vcpu_str(&v) == 0x40, "ltr: null selector #GP, unchanged");
	report(wedge_vcpu_ltr(&v, 0x44) == WEDGE_VCPU_GP, "ltr: TI selector #GP");
	report(wedge_vcpu_ltr(&v, 0x80) == WEDGE_VCPU_GP && wedge_vcpu_str(&v) == 0x40,
	       "ltr: beyond the GDT #GP");
	report(wedge_vcpu_ltr(&v, 0x43) == 0 && wedge_vcpu_str(&v) == 0x43, "ltr: RPL kept as loaded");
	wedge_vcpu_lgdt(&v, 0xffffffff82000000ull, 0xffff);
	report(wedge_vcpu_ltr(&v, 0xfff8) == WEDGE_VCPU_GP && wedge_vcpu_ltr(&v, 0xfff0) == 0,
	       "ltr: at the top of a 64 KiB GDT");
}

void suite_dt(void)
{
	test_tables();
	test_selectors();
}
