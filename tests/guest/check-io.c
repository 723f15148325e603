/* Port I/O: the UART, ports 0x80 and the string instructions, the RTC. */
#include "guest.h"

void check_uart(void)
{
	uint8_t lsr = inb(UART_LSR);

	report(lsr & UART_LSR_THRE, "in from the line status register: THRE set (%#x)", lsr);
	report((lsr & 0x1e) == 0, "no overrun, parity, framing error or break (%#x)", lsr);
	outb(UART_SCR, 0xa5);
	uint8_t a = inb(UART_SCR);
	outb(UART_SCR, 0x5a);
	uint8_t b = inb(UART_SCR);
	report(a == 0xa5 && b == 0x5a, "scratch register round trip (%#x %#x)", a, b);
	report(inb(UART_BASE + 3) == 0x03, "line control register reads back 8N1");
}

void check_ports(void)
{
	static const char out[] = "ab";
	char in[2] = { 0, 0 };

	outb(0x80, 0x42);
	report(true, "out to port 0x80 (POST code) completes");
	outsb(UART_SCR, out);
	insb(UART_SCR, in);
	outsb(UART_SCR, out + 1);
	insb(UART_SCR, in + 1);
	report(in[0] == 'a' && in[1] == 'b', "outsb/insb through the UART scratch register (%#x %#x)",
	       (uint8_t)in[0], (uint8_t)in[1]);
}

static uint8_t cmos_read(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static bool bcd_ok(uint8_t v, uint8_t max)
{
	return (v & 0xf) <= 9 && (v >> 4) <= 9 && (v >> 4) * 10 + (v & 0xf) <= max;
}

void check_rtc(void)
{
	unsigned polls = 0;

	while (polls++ < 100000 && (cmos_read(0x0a) & 0x80)) /* update in progress */
		;
	uint8_t b = cmos_read(0x0b), sec = cmos_read(0x00), min = cmos_read(0x02);
	bool bcd = !(b & 0x04);

	report_info("status B %#x, time ..:%02x:%02x (%s)", b, min, sec, bcd ? "BCD" : "binary");
	report(bcd ? bcd_ok(sec, 59) : sec <= 59, "seconds register valid (%#x)", sec);
	report(bcd ? bcd_ok(min, 59) : min <= 59, "minutes register valid (%#x)", min);
}
