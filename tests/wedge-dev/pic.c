/* 8259A pair: the sequences Linux's arch/x86/kernel/i8259.c issues. */
#include "unit.h"

static struct wedge_devices d;
static struct fake_host h;

/* init_8259A(auto_eoi), vectors 0x30/0x38 as on x86-64 Linux. */
static void linux_init(bool auto_eoi)
{
	outb(&d, 0x21, 0xff);
	outb(&d, 0x20, 0x11);                     /* ICW1: edge, cascade, ICW4 */
	outb(&d, 0x21, 0x30);                     /* ICW2 */
	outb(&d, 0x21, 1u << 2);                  /* ICW3: slave on IR2 */
	outb(&d, 0x21, auto_eoi ? 0x03 : 0x01);   /* ICW4: 8086, (AEOI) */
	outb(&d, 0xa0, 0x11);
	outb(&d, 0xa1, 0x38);
	outb(&d, 0xa1, 2);                        /* slave id 2 */
	outb(&d, 0xa1, 0x01);
}

static void fresh(bool auto_eoi)
{
	fake_pc(&d, &h);
	linux_init(auto_eoi);
	outb(&d, 0x21, 0xfb);                     /* all masked but the cascade */
	outb(&d, 0xa1, 0xff);
}

static uint8_t isr(uint16_t cmd)
{
	outb(&d, cmd, 0x0b);                      /* OCW3: read ISR */
	uint8_t v = inb(&d, cmd);
	outb(&d, cmd, 0x0a);                      /* back to IRR */
	return v;
}

static void unmask(unsigned irq)
{
	uint16_t port = irq < 8 ? 0x21 : 0xa1;
	outb(&d, port, inb(&d, port) & ~(1u << (irq & 7)));
}

static void test_reset_and_probe(void)
{
	fake_pc(&d, &h);
	report(inb(&d, 0x21) == 0xfb && inb(&d, 0xa1) == 0xff, "pic: BIOS masks at reset");
	wedge_pic_pulse(&d.pic, 0);
	wedge_pic_pulse(&d.pic, 4);
	report(wedge_pic_pending(&d.pic) == -1 && (inb(&d, 0x20) & 0x11) == 0x11,
	       "pic: masked requests latch in IRR only");
	outb(&d, 0xa1, 0xff);                     /* probe_8259A */
	outb(&d, 0x21, 0xfb);
	report(inb(&d, 0x21) == 0xfb, "pic: probe value reads back from IMR");

	outb(&d, 0x20, 0x11);
	report(inb(&d, 0x21) == 0 && inb(&d, 0x20) == 0, "pic: ICW1 clears IMR and edge IRR");
	outb(&d, 0x21, 0x30);
	outb(&d, 0x21, 0x04);
	outb(&d, 0x21, 0x01);
	outb(&d, 0x21, 0x5a);
	report(inb(&d, 0x21) == 0x5a, "pic: after ICW4 the data port is the IMR again");
	report(d.pic.chip[0].base == 0x30 && d.pic.chip[0].icw3 == 4, "pic: ICW2/ICW3 stored");
}

static void test_mask_ack_eoi(void)
{
	fresh(false);
	wedge_pic_raise(&d.pic, 1);
	report(wedge_pic_pending(&d.pic) == -1 && !h.int_level, "pic: masked IRQ1 not delivered");
	unmask(1);
	report(wedge_pic_pending(&d.pic) == 0x31 && h.int_level, "pic: unmasking delivers IRQ1 (vector 0x31)");
	report(wedge_pic_ack(&d.pic) == 0x31, "pic: INTA returns 0x31");
	report(isr(0x20) == 0x02 && (inb(&d, 0x20) & 0x02) == 0, "pic: INTA moves IRR1 to ISR1");
	report(!h.int_level, "pic: INT drops after INTA");
	outb(&d, 0x20, 0x61);                     /* specific EOI, as mask_and_ack */
	report(isr(0x20) == 0, "pic: specific EOI clears ISR1");
	report(wedge_pic_pending(&d.pic) == -1, "pic: a held edge line does not re-request");
	wedge_pic_lower(&d.pic, 1);
	wedge_pic_raise(&d.pic, 1);
	report(wedge_pic_pending(&d.pic) == 0x31, "pic: a new rising edge requests again");
	wedge_pic_ack(&d.pic);
	outb(&d, 0x20, 0x20);
	report(isr(0x20) == 0, "pic: non-specific EOI clears ISR1");
}

static void test_nesting(void)
{
	fresh(false);
	outb(&d, 0x21, 0x00);
	wedge_pic_pulse(&d.pic, 1);
	wedge_pic_ack(&d.pic);
	wedge_pic_pulse(&d.pic, 3);
	report(wedge_pic_pending(&d.pic) == -1, "pic: IRQ3 waits while IRQ1 in service");
	wedge_pic_pulse(&d.pic, 0);
	report(wedge_pic_pending(&d.pic) == 0x30, "pic: IRQ0 nests over IRQ1");
	report(wedge_pic_ack(&d.pic) == 0x30 && isr(0x20) == 0x03, "pic: nested ISR 0x03");
	outb(&d, 0x20, 0x20);
	report(isr(0x20) == 0x02, "pic: non-specific EOI ends the highest (IRQ0)");
	report(wedge_pic_pending(&d.pic) == -1, "pic: IRQ3 still blocked by IRQ1");
	outb(&d, 0x20, 0x20);
	report(wedge_pic_pending(&d.pic) == 0x33, "pic: IRQ3 delivered after IRQ1's EOI");
	report(wedge_pic_ack(&d.pic) == 0x33, "pic: INTA 0x33");
}

static void test_cascade(void)
{
	fresh(false);
	unmask(12);
	wedge_pic_pulse(&d.pic, 12);
	report(wedge_pic_pending(&d.pic) == 0x3c, "pic: IRQ12 through the cascade (0x3c)");
	report(wedge_pic_ack(&d.pic) == 0x3c, "pic: INTA 0x3c");
	report(isr(0x20) == 0x04 && isr(0xa0) == 0x10, "pic: ISR master IR2, slave IR4");
	outb(&d, 0xa0, 0x60 + 4);                 /* Linux: slave, then master IR2 */
	outb(&d, 0x20, 0x60 + 2);
	report(isr(0x20) == 0 && isr(0xa0) == 0, "pic: EOI to both chips");

	unmask(3);
	unmask(10);
	wedge_pic_pulse(&d.pic, 3);
	wedge_pic_pulse(&d.pic, 10);
	report(wedge_pic_ack(&d.pic) == 0x3a, "pic: IRQ10 (via IR2) beats IRQ3");
	unmask(9);
	wedge_pic_pulse(&d.pic, 9);
	report(wedge_pic_pending(&d.pic) == -1, "pic: IRQ9 blocked by in-service IR2 (not SFNM)");
	outb(&d, 0xa0, 0x62);
	outb(&d, 0x20, 0x62);
	report(wedge_pic_ack(&d.pic) == 0x39, "pic: IRQ9 (higher than IRQ3 via IR2) next");
	outb(&d, 0xa0, 0x61);
	outb(&d, 0x20, 0x62);
	report(wedge_pic_ack(&d.pic) == 0x33, "pic: IRQ3 last");
	outb(&d, 0x20, 0x63);

	outb(&d, 0xa1, 0xff);
	wedge_pic_raise(&d.pic, 2);
	report(wedge_pic_pending(&d.pic) == -1 && (inb(&d, 0xa0) & 0x02) && !(inb(&d, 0x20) & 0x04),
	       "pic: ISA IRQ2 lands on IRQ9");
}

static void test_spurious(void)
{
	fresh(false);
	report(wedge_pic_ack(&d.pic) == 0x37 && isr(0x20) == 0, "pic: INTA with nothing is spurious IRQ7, ISR clear");
	unmask(5);
	wedge_pic_pulse(&d.pic, 5);
	report(wedge_pic_pending(&d.pic) == 0x35, "pic: IRQ5 pending");
	outb(&d, 0x21, 0xfb | 0x20);              /* masked before the INTA */
	report(wedge_pic_pending(&d.pic) == -1, "pic: masking withdraws INT");
	report(wedge_pic_ack(&d.pic) == 0x37 && isr(0x20) == 0, "pic: late INTA gets spurious 0x37");

	unmask(9);
	wedge_pic_pulse(&d.pic, 9);
	report(wedge_pic_pending(&d.pic) == 0x39, "pic: IRQ9 pending");
	outb(&d, 0xa1, 0xff);                     /* the slave's request goes away */
	report(wedge_pic_pending(&d.pic) == -1 && !(inb(&d, 0x20) & 0x04),
	       "pic: a withdrawn slave request withdraws IR2");
	report(wedge_pic_ack(&d.pic) == 0x37 && isr(0xa0) == 0 && isr(0x20) == 0,
	       "pic: late INTA after it is spurious 0x37");
}

static void test_elcr_level(void)
{
	fresh(false);
	outb(&d, 0x4d0, 0xff);
	outb(&d, 0x4d1, 0xff);
	report(inb(&d, 0x4d0) == 0xf8 && inb(&d, 0x4d1) == 0xde, "pic: ELCR keeps IRQ0-2, 8, 13 edge");
	outb(&d, 0x4d0, 0x00);
	outb(&d, 0x4d1, 0x02);                    /* IRQ9 level */
	report(inb(&d, 0x4d0) == 0 && inb(&d, 0x4d1) == 0x02, "pic: ELCR reads back");
	unmask(9);
	wedge_pic_raise(&d.pic, 9);
	report(wedge_pic_ack(&d.pic) == 0x39, "pic: level IRQ9 delivered");
	outb(&d, 0xa0, 0x61);
	outb(&d, 0x20, 0x62);
	report(wedge_pic_pending(&d.pic) == 0x39, "pic: level IRQ9 requests again while high");
	wedge_pic_lower(&d.pic, 9);
	report(wedge_pic_pending(&d.pic) == -1 && (inb(&d, 0xa0) & 0x02) == 0, "pic: lowering a level line clears IRR");
}

static void test_modes(void)
{
	fresh(true);
	unmask(0);
	wedge_pic_pulse(&d.pic, 0);
	report(wedge_pic_ack(&d.pic) == 0x30 && isr(0x20) == 0, "pic: AEOI leaves ISR clear");

	fresh(false);
	outb(&d, 0x21, 0x00);
	wedge_pic_pulse(&d.pic, 6);
	outb(&d, 0x20, 0x0c);                     /* OCW3 poll */
	report(inb(&d, 0x20) == 0x86 && isr(0x20) == 0x40, "pic: poll command returns and acks IRQ6");
	outb(&d, 0x20, 0x20);

	outb(&d, 0x20, 0xc0 | 3);                 /* OCW2: IRQ4 highest */
	wedge_pic_pulse(&d.pic, 1);
	wedge_pic_pulse(&d.pic, 5);
	report(wedge_pic_ack(&d.pic) == 0x35, "pic: set-priority makes IRQ5 beat IRQ1");
	outb(&d, 0x20, 0xa0);                     /* rotate on non-specific EOI */
	report(isr(0x20) == 0 && d.pic.chip[0].prio_add == 6, "pic: rotate on EOI makes IRQ6 highest");
	report(wedge_pic_ack(&d.pic) == 0x31, "pic: IRQ1 still served");
	outb(&d, 0x20, 0x61);
	outb(&d, 0x20, 0xc7);                     /* back to IRQ0 highest */

	wedge_pic_pulse(&d.pic, 3);
	wedge_pic_ack(&d.pic);
	wedge_pic_pulse(&d.pic, 5);
	report(wedge_pic_pending(&d.pic) == -1, "pic: IRQ5 blocked by IRQ3 in service");
	outb(&d, 0x21, 0x08);
	outb(&d, 0x20, 0x68);                     /* OCW3: special mask mode on */
	report(wedge_pic_pending(&d.pic) == 0x35, "pic: special mask mode lets IRQ5 through");
	outb(&d, 0x20, 0x48);
	report(wedge_pic_pending(&d.pic) == -1, "pic: special mask mode off");
}

/* Special fully nested mode: a slave request nests over one in service. */
static void test_sfnm(void)
{
	fake_pc(&d, &h);
	outb(&d, 0x20, 0x11);
	outb(&d, 0x21, 0x30);
	outb(&d, 0x21, 0x04);
	outb(&d, 0x21, 0x11);                     /* ICW4: SFNM */
	outb(&d, 0x21, 0x00);
	outb(&d, 0xa1, 0x00);
	wedge_pic_pulse(&d.pic, 10);
	report(wedge_pic_ack(&d.pic) == 0x72, "pic: slave at its BIOS vector base 0x70");
	wedge_pic_pulse(&d.pic, 9);
	report(wedge_pic_pending(&d.pic) == 0x71, "pic: SFNM lets IRQ9 nest over IRQ10");
	wedge_pic_pulse(&d.pic, 11);
	wedge_pic_ack(&d.pic);
	report(wedge_pic_pending(&d.pic) == -1, "pic: IRQ11 still waits behind IRQ9/10 on the slave");
}

static void test_notify(void)
{
	fresh(false);
	unsigned before = h.notifies;
	unmask(1);
	wedge_pic_pulse(&d.pic, 1);
	wedge_pic_pulse(&d.pic, 1);
	report(h.notifies == before + 1 && h.int_level, "pic: one notify per INT rise");
	wedge_pic_ack(&d.pic);
	report(h.notifies == before + 2 && !h.int_level, "pic: notify on INT fall");
}

void suite_pic(void)
{
	test_reset_and_probe();
	test_mask_ack_eoi();
	test_nesting();
	test_cascade();
	test_spurious();
	test_elcr_level();
	test_modes();
	test_sfnm();
	test_notify();
}
