/*
 * The console: the PC's first serial port, an 8250/16550 UART at 0x3f8,
 * polled (interrupts off in the UART).  The FIFO stays off: a byte is
 * written once the line status register shows the holding register empty
 * (THRE).
 */
#include "guest.h"

uint64_t console_in, console_out;

/* Polls before giving up on THRE and writing anyway (no UART there). */
#define THRE_POLLS 1000000

void console_init(void)
{
	outb(UART_BASE + 1, 0x00); /* IER: no interrupts */
	outb(UART_BASE + 3, 0x80); /* LCR: DLAB */
	outb(UART_BASE + 0, 0x01); /* divisor 1: 115200 baud */
	outb(UART_BASE + 1, 0x00);
	outb(UART_BASE + 3, 0x03); /* 8N1 */
	outb(UART_BASE + 2, 0x00); /* FCR: FIFO off */
	outb(UART_BASE + 4, 0x03); /* MCR: DTR, RTS */
}

static void putc_raw(char c)
{
	for (unsigned i = 0; i < THRE_POLLS; i++) {
		console_in++;
		if (inb(UART_LSR) & UART_LSR_THRE)
			break;
	}
	console_out++;
	outb(UART_BASE, (uint8_t)c);
}

void console_write(const char *s, size_t n)
{
	while (n--)
		putc_raw(*s++);
}
