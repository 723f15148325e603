/* The virtual interrupt flag, pending interrupts, hlt; and the PIC wired in. */
#include "unit.h"
#include "wedge/devices.h"

#define IF   WEDGE_X86_RFLAGS_IF
#define IOPL WEDGE_X86_RFLAGS_IOPL
#define AC   WEDGE_X86_RFLAGS_AC
#define CF   WEDGE_X86_RFLAGS_CF
#define ZF   WEDGE_X86_RFLAGS_ZF
#define SF   WEDGE_X86_RFLAGS_SF
#define RF   WEDGE_X86_RFLAGS_RF
#define VM   WEDGE_X86_RFLAGS_VM
#define VIF  WEDGE_X86_RFLAGS_VIF
#define VIP  WEDGE_X86_RFLAGS_VIP
#define FIXED WEDGE_X86_RFLAGS_FIXED

/* What a backend runs the guest with: real IF on, IOPL 0. */
#define REAL (IF | FIXED)

static struct wedge_vcpu v;
static struct fake_cpu f;

static bool vif(void)
{
	return wedge_vcpu_pushf(&v, REAL) & IF;
}

static void test_cli_sti_pushf(void)
{
	fake_vcpu(&v, &f);
	report(!vif() && !v.shadow && !wedge_vcpu_irq_pending(&v), "irqflags: init with IF clear, nothing pending");
	report(wedge_vcpu_pushf(&v, CF | ZF | REAL) == (CF | ZF | FIXED),
	       "pushf: real arithmetic flags, virtual IF (clear) instead of the real one");
	report(wedge_vcpu_pushf(&v, RF | VM | IF | IOPL | AC | VIF | VIP | FIXED | 1ull << 3 | 1ull << 40) == FIXED,
	       "pushf: RF, VM, reserved bits and the real IF/IOPL/AC/VIF/VIP not shown");
	report(!wedge_vcpu_sti(&v) && vif() && v.shadow, "sti: IF set, shadow open, nothing pending");
	report(!wedge_vcpu_shadow_end(&v) && !v.shadow, "shadow end: nothing to deliver");
	report(!wedge_vcpu_sti(&v) && vif() && !v.shadow, "sti with IF already set: no shadow");
	wedge_vcpu_cli(&v);
	report(!vif() && wedge_vcpu_pushf(&v, REAL) == FIXED, "cli: IF clear");
	wedge_vcpu_cli(&v);
	report(!vif(), "cli twice: still clear");
}

static void test_pending(void)
{
	fake_vcpu(&v, &f);
	report(!wedge_vcpu_set_irq_line(&v, true), "line high with IF clear: not deliverable");
	report(wedge_vcpu_irq_pending(&v) && !wedge_vcpu_irq_deliverable(&v), "pending, not deliverable");
	report(wedge_vcpu_irq_ack(&v) == -1 && f.inta_calls == 0, "ack while blocked: none, no INTA cycle");
	report(wedge_vcpu_sti(&v), "sti with a pending interrupt: reported");
	report(!wedge_vcpu_irq_deliverable(&v), "sti shadow: not deliverable on the next instruction");
	report(wedge_vcpu_shadow_end(&v) && wedge_vcpu_irq_deliverable(&v), "shadow end: deliverable");
	report(wedge_vcpu_irq_ack(&v) == 0x30 && f.inta_calls == 1, "ack: INTA gives the PIC's vector");
	uint64_t image = wedge_vcpu_irq_enter(&v, CF | REAL, true);
	report(image == (CF | IF | FIXED) && !vif(), "interrupt gate: frame has IF set, IF now clear");
	report(!wedge_vcpu_irq_deliverable(&v), "inside the handler: not deliverable");
	wedge_vcpu_sti(&v);
	wedge_vcpu_shadow_end(&v);
	image = wedge_vcpu_irq_enter(&v, REAL, false);
	report(image == (IF | FIXED) && vif(), "trap gate: IF stays set");
	report(!wedge_vcpu_set_irq_line(&v, false) && !wedge_vcpu_irq_pending(&v), "line low: nothing pending");
	report(wedge_vcpu_set_irq_line(&v, true), "line high with IF set: deliverable at once");
	wedge_vcpu_irq_notify(&v, false);
	report(!v.irq_line, "irq_notify lowers the line");
}

static void test_popf(void)
{
	bool deliver = true;
	fake_vcpu(&v, &f);
	uint64_t real = wedge_vcpu_popf(&v, CF | ZF | IF | IOPL | AC | FIXED, SF | RF | REAL, &deliver);
	report(real == (CF | ZF | IF | FIXED), "popf: arithmetic flags loaded, SF cleared, RF cleared, real IF kept");
	report(!deliver, "popf setting IF with nothing pending: nothing to deliver");
	report(wedge_vcpu_pushf(&v, 0) == (IF | IOPL | AC | FIXED), "popf: IF, IOPL and AC are virtual and stick");
	real = wedge_vcpu_popf(&v, FIXED, REAL, &deliver);
	report(real == REAL && !vif() && !(wedge_vcpu_pushf(&v, 0) & (IOPL | AC)), "popf: clears IF, IOPL, AC");

	real = wedge_vcpu_popf(&v, VIF | VIP | VM | RF | 1ull << 3 | 1ull << 5 | 1ull << 15 | 1ull << 22 | 1ull << 63,
			       REAL, NULL);
	report(real == REAL && wedge_vcpu_pushf(&v, 0) == FIXED,
	       "popf: VIF, VIP, VM, RF and reserved bits are not loaded (NULL deliver allowed)");

	wedge_vcpu_set_irq_line(&v, true);
	real = wedge_vcpu_popf(&v, IF | CF, REAL, &deliver);
	report(deliver && real == (CF | REAL) && wedge_vcpu_irq_deliverable(&v),
	       "popf re-enabling with an interrupt pending: deliver now (no shadow)");
	wedge_vcpu_popf(&v, IF, REAL, &deliver);
	report(!deliver, "popf with IF already set: not reported again");
	wedge_vcpu_popf(&v, 0, REAL, &deliver);
	report(!deliver && !wedge_vcpu_irq_deliverable(&v), "popf clearing IF: blocked");

	/* popfw: only the low 16 bits change; AC (bit 18) must survive. */
	wedge_vcpu_popf(&v, AC, REAL, NULL);
	uint16_t w = (uint16_t)(IF | ZF);
	real = wedge_vcpu_popf(&v, (wedge_vcpu_pushf(&v, REAL) & ~0xffffull) | w, REAL, &deliver);
	report(deliver && (wedge_vcpu_pushf(&v, real) & ~FIXED) == (AC | IF | ZF), "popfw idiom keeps AC");
}

static void test_iret(void)
{
	bool deliver;
	fake_vcpu(&v, &f);
	wedge_vcpu_set_irq_line(&v, true);
	uint64_t real = wedge_vcpu_iret(&v, IF | VIF | VIP | RF | CF | VM | FIXED, REAL, &deliver);
	report(deliver && real == (RF | CF | REAL), "iret: RF loaded, VM not, IF re-enabled with a pending irq");
	report(wedge_vcpu_pushf(&v, 0) == (IF | VIF | VIP | FIXED), "iret: VIF and VIP loaded");
	wedge_vcpu_iret(&v, FIXED, REAL, &deliver);
	report(!deliver && wedge_vcpu_pushf(&v, 0) == FIXED, "iret to IF clear: blocked, VIF/VIP cleared");
}

static void test_hlt(void)
{
	fake_vcpu(&v, &f);
	wedge_vcpu_sti(&v);
	wedge_vcpu_shadow_end(&v);
	report(wedge_vcpu_hlt(&v) && v.halted, "hlt with nothing pending: wait");
	report(wedge_vcpu_set_irq_line(&v, true), "line rises while halted: deliverable (wake)");
	report(wedge_vcpu_irq_ack(&v) == 0x30, "wake: INTA");
	wedge_vcpu_irq_enter(&v, REAL, true);
	report(!v.halted, "delivery ends the halt");

	/* sti; hlt with an interrupt already pending: must not sleep. */
	fake_vcpu(&v, &f);
	wedge_vcpu_set_irq_line(&v, true);
	report(wedge_vcpu_sti(&v) && !wedge_vcpu_irq_deliverable(&v), "sti; hlt: shadow holds the irq");
	report(!wedge_vcpu_hlt(&v) && !v.halted && !v.shadow, "sti; hlt: hlt ends the shadow, no wait");
	report(wedge_vcpu_irq_deliverable(&v), "sti; hlt: deliver with hlt completed");

	fake_vcpu(&v, &f);
	wedge_vcpu_set_irq_line(&v, true);
	report(wedge_vcpu_hlt(&v) && v.halted, "cli; hlt with an irq pending: waits (only NMI would wake)");
	report(!wedge_vcpu_set_irq_line(&v, true), "cli; hlt: the line does not wake it");
}

static void test_posted(void)
{
	fake_vcpu(&v, &f);
	report(wedge_vcpu_post(&v, 0xf3) == 0 && wedge_vcpu_irq_pending(&v), "post: pending");
	report(wedge_vcpu_post(&v, 0xf4) == -1, "post: one slot, second refused");
	report(wedge_vcpu_irq_ack(&v) == -1, "post: blocked while IF clear");
	wedge_vcpu_set_irq_line(&v, true);
	wedge_vcpu_popf(&v, IF, REAL, NULL);
	report(wedge_vcpu_irq_ack(&v) == 0xf3 && f.inta_calls == 0, "ack: posted vector first, no INTA");
	report(wedge_vcpu_irq_ack(&v) == 0x30 && f.inta_calls == 1, "ack: then the line's vector");
	report(wedge_vcpu_post(&v, 0) == 0 && wedge_vcpu_irq_ack(&v) == 0, "post: vector 0 is a vector");
	wedge_vcpu_set_irq_line(&v, false);
	report(!wedge_vcpu_irq_pending(&v) && wedge_vcpu_irq_ack(&v) == -1, "nothing left");

	struct wedge_vcpu_host none = { 0 };
	wedge_vcpu_init(&v, &none);
	wedge_vcpu_set_irq_line(&v, true);
	wedge_vcpu_popf(&v, IF, REAL, NULL);
	report(wedge_vcpu_irq_ack(&v) == -1, "no INTA callback: the line yields nothing");
}

static void test_ac(void)
{
	fake_vcpu(&v, &f);
	report(wedge_vcpu_stac(&v) == 0 && (wedge_vcpu_pushf(&v, REAL) & AC), "stac: virtual AC set");
	report(wedge_vcpu_pushf(&v, REAL) == (AC | FIXED), "stac: real AC not needed, IF untouched");
	report(wedge_vcpu_clac(&v) == 0 && !(wedge_vcpu_pushf(&v, REAL | AC) & AC), "clac: virtual AC clear");
	wedge_vcpu_cpuid_override(&v, 7, 0, WEDGE_VCPU_EBX, 1u << 20, 0);
	report(wedge_vcpu_stac(&v) == WEDGE_VCPU_UD && wedge_vcpu_clac(&v) == WEDGE_VCPU_UD,
	       "stac/clac without SMAP: #UD");
}

/* Backend glue: the PIC's INT drives the line, INTA is the PIC's. */
static int pic_inta(void *ctx)
{
	return wedge_pic_ack(ctx);
}

static void test_with_pic(void)
{
	static struct wedge_devices d;
	fake_cpu_default(&f);
	struct wedge_vcpu_host vh = fake_host(&f);
	vh.ctx = &d.pic;
	vh.cpuid = NULL;
	vh.inta = pic_inta;
	wedge_vcpu_init(&v, &vh);
	struct wedge_dev_host dh = { .ctx = &v, .irq_notify = wedge_vcpu_irq_notify };
	report(wedge_devices_init(&d, &dh) == 0, "pic: devices up, INT wired to the vCPU");
	/* Linux's init_8259A: vectors 0x30/0x38, then unmask IRQ0 and 4. */
	static const uint8_t seq[][2] = { { 0x20, 0x11 }, { 0x21, 0x30 }, { 0x21, 4 }, { 0x21, 1 },
					  { 0xa0, 0x11 }, { 0xa1, 0x38 }, { 0xa1, 2 }, { 0xa1, 1 },
					  { 0x21, 0xea }, { 0xa1, 0xff } };
	for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++)
		wedge_pio_out(&d.bus, seq[i][0], 1, seq[i][1]);
	wedge_pic_pulse(&d.pic, 4);
	report(v.irq_line && !wedge_vcpu_irq_deliverable(&v), "pic: IRQ4 raises INTR, IF clear blocks it");
	bool deliver;
	wedge_vcpu_popf(&v, IF, REAL, &deliver);
	report(deliver && wedge_vcpu_irq_ack(&v) == 0x34, "pic: popf opens, INTA yields vector 0x34");
	wedge_vcpu_irq_enter(&v, REAL, true);
	report(!v.irq_line, "pic: INTA moved IRQ4 in service, INT low");
	wedge_pic_pulse(&d.pic, 0);
	report(v.irq_line && !wedge_vcpu_irq_deliverable(&v), "pic: IRQ0 (higher priority) raises INT; handler runs IF clear");
	wedge_pio_out(&d.bus, 0x20, 1, 0x20);                     /* EOI */
	wedge_vcpu_iret(&v, IF | FIXED, REAL, &deliver);
	report(deliver && wedge_vcpu_irq_ack(&v) == 0x30, "pic: iret re-enables, IRQ0 delivered as 0x30");
}

void suite_irq(void)
{
	test_cli_sti_pushf();
	test_pending();
	test_popf();
	test_iret();
	test_hlt();
	test_posted();
	test_ac();
	test_with_pic();
}
