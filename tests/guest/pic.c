/* The 8259A PIC pair (remapped to vectors 0x20..0x2f) and the 8254 PIT. */
#include "guest.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define PIC_EOI 0x20

void pic_init(void)
{
	outb(PIC1_CMD, 0x11); /* ICW1: edge, cascade, ICW4 follows */
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, 0x20); /* ICW2: vector base */
	outb(PIC2_DATA, 0x28);
	outb(PIC1_DATA, 0x04); /* ICW3: slave on IRQ2 */
	outb(PIC2_DATA, 0x02);
	outb(PIC1_DATA, 0x01); /* ICW4: 8086 mode, normal EOI */
	outb(PIC2_DATA, 0x01);
	pic_mask(0xffff);
}

void pic_mask(uint16_t mask)
{
	outb(PIC1_DATA, (uint8_t)mask);
	outb(PIC2_DATA, (uint8_t)(mask >> 8));
}

void pic_eoi(unsigned irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
}

/* OCW3: the next read of the command port returns IRR (0x0a) or ISR (0x0b). */
uint8_t pic_read_irr(void)
{
	outb(PIC1_CMD, 0x0a);
	return inb(PIC1_CMD);
}

uint8_t pic_read_isr(void)
{
	outb(PIC1_CMD, 0x0b);
	return inb(PIC1_CMD);
}

/* Channel 0, lobyte/hibyte, mode 2 (rate generator): IRQ0 every divisor/1193182 s. */
void pit_start(uint16_t divisor)
{
	outb(0x43, 0x34);
	outb(0x40, (uint8_t)divisor);
	outb(0x40, (uint8_t)(divisor >> 8));
}
