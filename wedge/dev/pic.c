/*
 * 8259A programmable interrupt controller pair, cascaded on the master's
 * IR2 as on a PC/AT.  The priority logic follows the datasheet (and QEMU's
 * model): requests latch into IRR on a rising edge (or follow the line in
 * level mode, per ELCR), the highest-priority unmasked request interrupts
 * only if it beats everything in service, INTA moves it IRR -> ISR.
 */
#include "dev.h"

enum { MASTER, SLAVE };
#define CASCADE_IR 2

/* Priority (0 = highest) of the best bit of mask under the rotation; 8: none. */
static unsigned priority(const struct wedge_pic_chip *c, uint8_t mask)
{
	if (!mask)
		return 8;
	unsigned p = 0;
	while (!(mask & (1u << ((p + c->prio_add) & 7))))
		p++;
	return p;
}

/* The IR this chip would interrupt with, or -1. */
static int chip_irq(const struct wedge_pic_chip *c, bool is_master)
{
	unsigned req = priority(c, c->irr & ~c->imr);
	if (req == 8)
		return -1;
	uint8_t busy = c->isr;
	if (c->special_mask)
		busy &= ~c->imr;      /* masked in-service IRs do not block */
	if (c->sfnm && is_master)
		busy &= ~(1u << CASCADE_IR); /* nested slave requests pass */
	if (req < priority(c, busy))
		return (int)((req + c->prio_add) & 7);
	return -1;
}

static void chip_line(struct wedge_pic_chip *c, unsigned ir, bool level)
{
	uint8_t bit = (uint8_t)(1u << ir);
	if (c->elcr & bit) {
		c->irr = level ? (c->irr | bit) : (c->irr & ~bit);
	} else if (level && !(c->lines & bit)) {
		c->irr |= bit;        /* edge: latch, keep until acknowledged */
	}
	c->lines = level ? (c->lines | bit) : (c->lines & ~bit);
}

/*
 * Propagate the slave's output to IR2 and the master's to the CPU.  IR2
 * follows the slave's INT as a level: a slave request withdrawn before
 * INTA then withdraws IR2 too (as the real input would, since its edge
 * latch also needs the level), and a slave that still requests after an
 * EOI on the master is seen again without needing a fresh edge.
 */
static void update(struct wedge_pic *pic)
{
	struct wedge_pic_chip *m = &pic->chip[MASTER];
	uint8_t bit = 1u << CASCADE_IR;
	if (chip_irq(&pic->chip[SLAVE], false) >= 0) {
		m->irr |= bit;
		m->lines |= bit;
	} else {
		m->irr &= ~bit;
		m->lines &= ~bit;
	}
	bool out = chip_irq(m, true) >= 0;
	if (out != pic->output) {
		pic->output = out;
		if (pic->notify)
			pic->notify(pic->notify_ctx, out);
	}
}

void wedge_pic_set_irq(struct wedge_pic *pic, unsigned irq, bool level)
{
	if (irq == 2)
		irq = 9;              /* the ISA IRQ2 pin lands on the slave */
	if (irq > 15)
		return;
	chip_line(&pic->chip[irq >> 3], irq & 7, level);
	update(pic);
}

void wedge_pic_raise(struct wedge_pic *pic, unsigned irq)
{
	wedge_pic_set_irq(pic, irq, true);
}

void wedge_pic_lower(struct wedge_pic *pic, unsigned irq)
{
	wedge_pic_set_irq(pic, irq, false);
}

void wedge_pic_pulse(struct wedge_pic *pic, unsigned irq)
{
	wedge_pic_set_irq(pic, irq, true);
	wedge_pic_set_irq(pic, irq, false);
}

void wedge_pic_line(void *ctx, unsigned irq, bool level)
{
	wedge_pic_set_irq(ctx, irq, level);
}

/* One chip's half of INTA for a given IR. */
static void chip_ack(struct wedge_pic_chip *c, unsigned ir)
{
	uint8_t bit = (uint8_t)(1u << ir);
	if (!c->auto_eoi)
		c->isr |= bit;
	else if (c->rotate_aeoi)
		c->prio_add = (uint8_t)((ir + 1) & 7);
	if (!(c->elcr & bit))
		c->irr &= ~bit;       /* level requests stay while the line is up */
}

/*
 * The pair's answer to INTA: the vector, and which IR each chip serves
 * (-1: none; the spurious IR7 of a chip puts nothing in service).
 */
static int resolve(const struct wedge_pic *pic, int *mir, int *sir)
{
	const struct wedge_pic_chip *m = &pic->chip[MASTER], *s = &pic->chip[SLAVE];
	*mir = chip_irq(m, true);
	*sir = -1;
	if (*mir < 0)
		return m->base + 7;
	if (*mir != CASCADE_IR || m->single)
		return m->base + *mir;
	*sir = chip_irq(s, false);
	return s->base + (*sir < 0 ? 7 : *sir);
}

int wedge_pic_pending(const struct wedge_pic *pic)
{
	int mir, sir;
	return pic->output ? resolve(pic, &mir, &sir) : -1;
}

int wedge_pic_pending_after_edge(const struct wedge_pic *pic, unsigned irq)
{
	/* On a copy: the real PIC must not see an edge that has not happened. */
	struct wedge_pic what_if = *pic;
	what_if.notify = 0;
	wedge_pic_pulse(&what_if, irq);
	return wedge_pic_pending(&what_if);
}

int wedge_pic_ack(struct wedge_pic *pic)
{
	int mir, sir;
	int vec = resolve(pic, &mir, &sir);
	if (mir >= 0)
		chip_ack(&pic->chip[MASTER], (unsigned)mir);
	if (sir >= 0)
		chip_ack(&pic->chip[SLAVE], (unsigned)sir);
	update(pic);
	return vec;
}

/* ICW1: restart the init sequence and forget requests and service. */
static void icw1(struct wedge_pic_chip *c, uint8_t val)
{
	c->irr &= c->elcr;
	c->lines &= c->elcr;      /* edge detection starts afresh */
	c->isr = c->imr = 0;
	c->prio_add = 0;
	c->read_isr = c->poll = c->special_mask = false;
	c->auto_eoi = c->rotate_aeoi = c->sfnm = false;
	c->icw4_needed = val & 1;
	c->single = val & 2;
	c->init_state = 1;
}

/* OCW2: end of interrupt and rotation commands. */
static void ocw2(struct wedge_pic_chip *c, uint8_t val)
{
	unsigned cmd = val >> 5, ir = val & 7;
	if (cmd == 1 || cmd == 5) {   /* non-specific EOI: highest in service */
		unsigned p = priority(c, c->isr);
		if (p == 8)
			return;
		ir = (p + c->prio_add) & 7;
	}
	if (cmd == 1 || cmd == 3 || cmd == 5 || cmd == 7)
		c->isr &= ~(1u << ir);
	if (cmd == 5 || cmd == 6 || cmd == 7)
		c->prio_add = (uint8_t)((ir + 1) & 7);
	if (cmd == 0 || cmd == 4)
		c->rotate_aeoi = cmd == 4;
}

static void ocw3(struct wedge_pic_chip *c, uint8_t val)
{
	if (val & 4)
		c->poll = true;
	if (val & 2)
		c->read_isr = val & 1;
	if (val & 0x40)
		c->special_mask = val & 0x20;
}

static void write_data(struct wedge_pic_chip *c, uint8_t val)
{
	switch (c->init_state) {
	case 1:
		c->base = val & 0xf8;
		c->init_state = c->single ? (c->icw4_needed ? 3 : 0) : 2;
		return;
	case 2:
		c->icw3 = val;
		c->init_state = c->icw4_needed ? 3 : 0;
		return;
	case 3:
		c->auto_eoi = val & 2;
		c->sfnm = val & 0x10;
		c->init_state = 0;
		return;
	default:
		c->imr = val;
	}
}

/* Poll mode read: the best request, acknowledged, as 0x80 | IR. */
static uint8_t poll_read(struct wedge_pic_chip *c, bool is_master)
{
	c->poll = false;
	int irq = chip_irq(c, is_master);
	if (irq < 0)
		return 0;
	chip_ack(c, (unsigned)irq);
	return (uint8_t)(0x80 | irq);
}

static uint32_t pic_in(struct wedge_pio_dev *dev, uint16_t port, unsigned size)
{
	struct wedge_pic *pic = dev->state;
	struct wedge_pic_chip *c = &pic->chip[port >= 0xa0];
	uint8_t val;
	(void)size;
	if (c->poll)
		val = poll_read(c, port < 0xa0);
	else if (port & 1)
		val = c->imr;
	else
		val = c->read_isr ? c->isr : c->irr;
	update(pic);
	return val;
}

static void pic_out(struct wedge_pio_dev *dev, uint16_t port, unsigned size, uint32_t v)
{
	struct wedge_pic *pic = dev->state;
	struct wedge_pic_chip *c = &pic->chip[port >= 0xa0];
	uint8_t val = (uint8_t)v;
	(void)size;
	if (port & 1)
		write_data(c, val);
	else if (val & 0x10)
		icw1(c, val);
	else if (val & 0x08)
		ocw3(c, val);
	else
		ocw2(c, val);
	update(pic);
}

static uint32_t elcr_in(struct wedge_pio_dev *dev, uint16_t port, unsigned size)
{
	struct wedge_pic *pic = dev->state;
	(void)size;
	return pic->chip[port & 1].elcr;
}

static void elcr_out(struct wedge_pio_dev *dev, uint16_t port, unsigned size, uint32_t val)
{
	struct wedge_pic *pic = dev->state;
	struct wedge_pic_chip *c = &pic->chip[port & 1];
	(void)size;
	c->elcr = (uint8_t)val & c->elcr_mask;
	update(pic);
}

static void chip_reset(struct wedge_pic_chip *c, uint8_t base, uint8_t icw3, uint8_t imr)
{
	wedge_dev_zero(c, sizeof(*c));
	c->base = base;
	c->icw3 = icw3;
	c->imr = imr;
	c->icw4_needed = true;
}

static void set_dev(struct wedge_pio_dev *d, const char *name, uint16_t base,
		    uint32_t (*in)(struct wedge_pio_dev *, uint16_t, unsigned),
		    void (*out)(struct wedge_pio_dev *, uint16_t, unsigned, uint32_t), void *state)
{
	d->name = name;
	d->base = base;
	d->len = 2;
	d->sizes = 1;
	d->in = in;
	d->out = out;
	d->state = state;
}

void wedge_pic_init(struct wedge_pic *pic, void (*notify)(void *ctx, bool level), void *ctx)
{
	wedge_dev_zero(pic, sizeof(*pic));
	chip_reset(&pic->chip[MASTER], 0x08, 1u << CASCADE_IR, (uint8_t)~(1u << CASCADE_IR));
	chip_reset(&pic->chip[SLAVE], 0x70, CASCADE_IR, 0xff);
	/* IRQ0-2 (timer, keyboard, cascade) and 8, 13 are edge-only on a PC. */
	pic->chip[MASTER].elcr_mask = 0xf8;
	pic->chip[SLAVE].elcr_mask = 0xde;
	pic->notify = notify;
	pic->notify_ctx = ctx;
	set_dev(&pic->dev[0], "pic-master", 0x20, pic_in, pic_out, pic);
	set_dev(&pic->dev[1], "pic-slave", 0xa0, pic_in, pic_out, pic);
	set_dev(&pic->dev[2], "elcr", 0x4d0, elcr_in, elcr_out, pic);
}

int wedge_pic_attach(struct wedge_pic *pic, struct wedge_pio_bus *bus)
{
	for (unsigned i = 0; i < 3; i++)
		if (wedge_pio_register(bus, &pic->dev[i]))
			return -1;
	return 0;
}
