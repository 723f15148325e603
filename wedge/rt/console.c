/*
 * The wedge's own messages: straight to the 16550 at 0x3f8, polled, on
 * platforms where the wedge owns the real UART (bare).  A backend whose
 * host owns the console installs a sink (wedge/console.h) and the
 * messages go there a line at a time instead of a byte per port write.
 */
#include "wedge/console.h"
#include "wedge/rt.h"

#define UART 0x3f8
#define UART_LSR 5
#define LSR_THRE 0x20

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static wedge_console_sink_fn *sink;
static char sink_line[256];
static size_t sink_len;

void wedge_console_set_sink(wedge_console_sink_fn *fn)
{
	wedge_console_flush();
	sink = fn;
}

void wedge_console_flush(void)
{
	if (sink && sink_len)
		sink(sink_line, sink_len);
	sink_len = 0;
}

static void real_uart_putc(char c);

static void uart_putc(char c)
{
	static bool started;
	if (!sink) {
		/* The firmware (SeaBIOS: "Booting from ROM..") may have left the line open. */
		if (!started && c != '\n')
			real_uart_putc('\n');
		started = true;
		real_uart_putc(c);
		return;
	}
	sink_line[sink_len++] = c;
	if (c == '\n' || sink_len == sizeof(sink_line))
		wedge_console_flush();
}

static void real_uart_putc(char c)
{
	for (unsigned spin = 0; spin < 100000 && !(inb(UART + UART_LSR) & LSR_THRE); spin++)
		;
	outb(UART, (uint8_t)c);
}

struct spec {
	int alt, left, zero;
	unsigned width;
	int lng;
};

static void pad(unsigned n, char c)
{
	while (n--)
		uart_putc(c);
}

static void put_str(const char *s, const struct spec *sp)
{
	unsigned n = (unsigned)wedge_strlen(s);
	if (!sp->left && sp->width > n)
		pad(sp->width - n, ' ');
	for (const char *p = s; *p; p++)
		uart_putc(*p);
	if (sp->left && sp->width > n)
		pad(sp->width - n, ' ');
}

static void put_num(uint64_t v, unsigned base, int neg, const struct spec *sp)
{
	char buf[24];
	unsigned n = 0;
	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	unsigned len = n + (unsigned)neg + (sp->alt && base == 16 ? 2 : 0);
	if (!sp->left && !sp->zero && sp->width > len)
		pad(sp->width - len, ' ');
	if (neg)
		uart_putc('-');
	if (sp->alt && base == 16)
		uart_putc('0'), uart_putc('x');
	if (!sp->left && sp->zero && sp->width > len)
		pad(sp->width - len, '0');
	while (n)
		uart_putc(buf[--n]);
	if (sp->left && sp->width > len)
		pad(sp->width - len, ' ');
}

static const char *parse_spec(const char *f, struct spec *sp)
{
	*sp = (struct spec){ 0 };
	for (;; f++) {
		if (*f == '#')
			sp->alt = 1;
		else if (*f == '-')
			sp->left = 1;
		else if (*f == '0')
			sp->zero = 1;
		else
			break;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (unsigned)(*f++ - '0');
	while (*f == 'l' || *f == 'z')
		sp->lng = 1, f++;
	return f;
}

void wedge_vprintf(const char *fmt, va_list ap)
{
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			uart_putc(*f);
			continue;
		}
		struct spec sp;
		f = parse_spec(f + 1, &sp);
		switch (*f) {
		case 'd': {
			int64_t v = sp.lng ? va_arg(ap, int64_t) : va_arg(ap, int);
			put_num(v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0, &sp);
			break;
		}
		case 'u':
		case 'x':
			put_num(sp.lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), *f == 'x' ? 16 : 10,
				0, &sp);
			break;
		case 'p':
			sp.alt = 1;
			put_num((uint64_t)(uintptr_t)va_arg(ap, void *), 16, 0, &sp);
			break;
		case 's':
			put_str(va_arg(ap, const char *), &sp);
			break;
		case 'c':
			uart_putc((char)va_arg(ap, int));
			break;
		case '\0':
			return;
		default:
			uart_putc(*f);
		}
	}
}

void wedge_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	wedge_vprintf(fmt, ap);
	va_end(ap);
}
