/* 16550A UART: Linux's 8250 probing, divisor programming, console, RX. */
#include <string.h>

#include "unit.h"

#define COM1 0x3f8
enum { THR, IER, IIR, LCR, MCR, LSR, MSR, SCR };

static struct wedge_devices d;
static struct fake_host h;

static void puts_uart(const char *s)
{
	while (*s)
		outb(&d, COM1 + THR, (uint8_t)*s++);
}

static void test_probe(void)
{
	fake_pc(&d, &h);
	outb(&d, COM1 + SCR, 0xa5);
	report(inb(&d, COM1 + SCR) == 0xa5, "uart: scratch register");
	outb(&d, COM1 + IER, 0);                  /* autoconfig's IER test */
	uint8_t a = inb(&d, COM1 + IER) & 0x0f;
	outb(&d, COM1 + IER, 0x0f);
	uint8_t b = inb(&d, COM1 + IER) & 0x0f;
	outb(&d, COM1 + IER, 0xff);
	report(a == 0 && b == 0x0f && inb(&d, COM1 + IER) == 0x0f, "uart: IER holds its low nibble");
	outb(&d, COM1 + IER, 0);
	outb(&d, COM1 + MCR, 0x10 | 0x08 | 0x02); /* LOOP | OUT2 | RTS */
	report((inb(&d, COM1 + MSR) & 0xf0) == 0x90, "uart: loopback maps RTS->CTS, OUT2->DCD");
	outb(&d, COM1 + MCR, 0);
	report((inb(&d, COM1 + MSR) & 0xf0) == 0xb0, "uart: outside loopback DCD, DSR, CTS are up");
	outb(&d, COM1 + IIR, 0x01);
	report((inb(&d, COM1 + IIR) & 0xc0) == 0xc0, "uart: FIFO enable shows in IIR (16550A)");
	outb(&d, COM1 + IIR, 0x00);
	report((inb(&d, COM1 + IIR) & 0xc0) == 0, "uart: FIFO off");
}

static void test_divisor(void)
{
	fake_pc(&d, &h);
	report(inb(&d, COM1 + LCR) == 0x03, "uart: reset LCR 8N1");
	outb(&d, COM1 + LCR, 0x80 | 0x03);        /* DLAB */
	outb(&d, COM1 + 0, 0x01);                 /* 115200 */
	outb(&d, COM1 + 1, 0x00);
	report(inb(&d, COM1 + 0) == 0x01 && inb(&d, COM1 + 1) == 0x00, "uart: divisor latch reads back");
	report(h.flushes == 0 && d.com1.line_len == 0, "uart: DLL write is not data");
	outb(&d, COM1 + LCR, 0x03);
	outb(&d, COM1 + IER, 0x05);
	report(inb(&d, COM1 + IER) == 0x05 && d.com1.dll == 0x01 && d.com1.dlm == 0,
	       "uart: without DLAB offset 1 is IER again");
	outb(&d, COM1 + LCR, 0x1b);               /* 8E1 */
	report(inb(&d, COM1 + LCR) == 0x1b, "uart: LCR reads back");
}

static void test_console(void)
{
	fake_pc(&d, &h);
	report((inb(&d, COM1 + LSR) & 0x61) == 0x60, "uart: LSR THRE|TEMT, no data");
	puts_uart("hello");
	report(h.flushes == 0 && (inb(&d, COM1 + LSR) & 0x60) == 0x60, "uart: bytes wait for the line end, THR stays empty");
	puts_uart(", world\n");
	report(h.flushes == 1 && h.console_len == 13 && !memcmp(h.console, "hello, world\n", 13),
	       "uart: one flush per line, newline included");
	for (unsigned i = 0; i < 300; i++)
		outb(&d, COM1 + THR, 'x');
	report(h.flushes == 2 && h.last_flush_len == WEDGE_UART_LINE_MAX && d.com1.line_len == 300 - WEDGE_UART_LINE_MAX,
	       "uart: a full buffer flushes without a newline");
	wedge_uart_flush(&d.com1);
	report(h.flushes == 3 && h.last_flush_len == 44 && d.com1.line_len == 0, "uart: explicit flush of a partial line");
	wedge_uart_flush(&d.com1);
	report(h.flushes == 3, "uart: nothing to flush, no call");
	puts_uart("\n");
	report(h.flushes == 4 && h.last_flush_len == 1, "uart: an empty line is a line");
}

static void test_rx(void)
{
	fake_pc(&d, &h);
	outb(&d, 0x20, 0x11);                     /* PIC: vectors 0x30, IRQ4 open */
	outb(&d, 0x21, 0x30);
	outb(&d, 0x21, 0x04);
	outb(&d, 0x21, 0x01);
	outb(&d, 0x21, 0xeb);
	report(wedge_uart_rx_push(&d.com1, "ab", 2) == 1, "uart: without FIFO one byte is held");
	report((inb(&d, COM1 + LSR) & 0x01) && inb(&d, COM1 + THR) == 'a', "uart: LSR.DR and RBR");
	report(!(inb(&d, COM1 + LSR) & 0x01), "uart: DR clears when empty");

	outb(&d, COM1 + IIR, 0x81 | 0x06);        /* FIFO on, cleared, trigger 8 */
	const char msg[] = "0123456789abcdefXYZ";
	report(wedge_uart_rx_push(&d.com1, msg, 19) == 16, "uart: FIFO takes 16 bytes");
	outb(&d, COM1 + IER, 0x01);
	report(wedge_pic_pending(&d.pic) == -1 && inb(&d, COM1 + IIR) == 0xc4, "uart: RDA pending but IRQ gated by OUT2");
	outb(&d, COM1 + MCR, 0x0b);               /* DTR RTS OUT2, as Linux sets */
	report(wedge_pic_pending(&d.pic) == 0x34, "uart: IRQ4 reaches the PIC with OUT2");
	char got[16];
	for (unsigned i = 0; i < 10; i++)
		got[i] = (char)inb(&d, COM1 + THR);
	report(!memcmp(got, msg, 10) && inb(&d, COM1 + IIR) == 0xcc, "uart: below trigger: character timeout id");
	for (unsigned i = 10; i < 16; i++)
		got[i] = (char)inb(&d, COM1 + THR);
	report(!memcmp(got, msg, 16) && inb(&d, COM1 + IIR) == 0xc1 && !(inb(&d, COM1 + LSR) & 1),
	       "uart: FIFO drained in order, no interrupt");
	report(!d.com1.irq_level && (inb(&d, 0x20) & 0x10), "uart: line lowered, edge stays latched in IRR");
	wedge_uart_rx_push(&d.com1, "q", 1);
	outb(&d, COM1 + IIR, 0x83);               /* clear RX FIFO */
	report(!(inb(&d, COM1 + LSR) & 1), "uart: FCR clears the RX FIFO");
}

static void test_thre_and_status(void)
{
	fake_pc(&d, &h);
	outb(&d, COM1 + MCR, 0x08);
	outb(&d, COM1 + IER, 0x02);
	report(d.com1.irq_level && (inb(&d, COM1 + IIR) & 0x0f) == 0x02, "uart: enabling ETBEI raises THRE at once");
	report(inb(&d, COM1 + IIR) == 0x01 && !d.com1.irq_level, "uart: reading IIR clears THRE");
	outb(&d, COM1 + THR, '.');
	report((inb(&d, COM1 + IIR) & 0x0f) == 0x02, "uart: a write makes THR empty again: THRE");

	fake_pc(&d, &h);
	outb(&d, COM1 + MCR, 0x10);               /* loopback */
	outb(&d, COM1 + THR, 'L');
	report(h.flushes == 0 && d.com1.line_len == 0 && inb(&d, COM1 + THR) == 'L', "uart: loopback returns THR to RBR");
	outb(&d, COM1 + IER, 0x04);
	outb(&d, COM1 + THR, '1');
	outb(&d, COM1 + THR, '2');                /* 1-byte receiver: overrun */
	report((inb(&d, COM1 + IIR) & 0x0f) == 0x06, "uart: overrun is a line-status interrupt");
	report((inb(&d, COM1 + LSR) & 0x03) == 0x03 && (inb(&d, COM1 + LSR) & 0x02) == 0,
	       "uart: LSR.OE reported once");
	outb(&d, COM1 + MCR, 0x12);               /* RTS up */
	uint8_t msr = inb(&d, COM1 + MSR);
	report((msr & 0x11) == 0x11 && (inb(&d, COM1 + MSR) & 0x0f) == 0, "uart: DCTS on change, cleared by reading");
	outb(&d, COM1 + MCR, 0x14);               /* OUT1 (RI) up, RTS down */
	outb(&d, COM1 + MCR, 0x10);               /* RI falls */
	report((inb(&d, COM1 + MSR) & 0x04) == 0x04, "uart: TERI on RI falling edge");
}

void suite_uart(void)
{
	test_probe();
	test_divisor();
	test_console();
	test_rx();
	test_thre_and_status();
}
