/*
 * 8250/16550A UART.  Transmission is instant (LSR always shows THRE and
 * TEMT), and the console is line-buffered: bytes collect until '\n' or a
 * full buffer and reach the host in one flush call -- one exit per line,
 * not per byte.  Received bytes come from the host through a 16-byte FIFO
 * (one byte deep while FIFOs are off).  The IRQ output is gated by MCR
 * OUT2 (and cut in loopback) as on a PC, so Linux's interrupt probing
 * behaves as on hardware.
 */
#include "dev.h"

enum { RBR, IER, IIR, LCR, MCR, LSR, MSR, SCR };

#define IER_RDI 0x01
#define IER_THRI 0x02
#define IER_RLSI 0x04
#define IER_MSI 0x08
#define LCR_DLAB 0x80
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_ERRORS 0x1e
#define LSR_THRE_TEMT 0x60
#define FCR_ENABLE 0x01
#define IIR_NONE 0x01
#define IIR_FIFO 0xc0

static unsigned rx_capacity(const struct wedge_uart *u)
{
	return (u->fcr & FCR_ENABLE) ? WEDGE_UART_FIFO : 1;
}

static unsigned rx_trigger(const struct wedge_uart *u)
{
	static const uint8_t level[4] = { 1, 4, 8, 14 };
	return (u->fcr & FCR_ENABLE) ? level[u->fcr >> 6] : 1;
}

/* Interrupt identification, highest source first (datasheet order). */
static uint8_t iir_id(const struct wedge_uart *u)
{
	if ((u->ier & IER_RLSI) && (u->lsr & LSR_ERRORS))
		return 0x06;
	if ((u->ier & IER_RDI) && u->rx_count)
		/* below the trigger level: report the character timeout at once */
		return u->rx_count >= rx_trigger(u) ? 0x04 : 0x0c;
	if ((u->ier & IER_THRI) && u->thr_ipending)
		return 0x02;
	if ((u->ier & IER_MSI) && (u->msr & 0x0f))
		return 0x00;
	return IIR_NONE;
}

static void update_irq(struct wedge_uart *u)
{
	/* loopback forces the OUT2 pin inactive, which cuts the IRQ too */
	bool level = iir_id(u) != IIR_NONE && (u->mcr & (MCR_OUT2 | MCR_LOOP)) == MCR_OUT2;
	if (level == u->irq_level)
		return;
	u->irq_level = level;
	if (u->irq)
		u->irq(u->irq_ctx, u->irq_num, level);
}

static bool rx_put(struct wedge_uart *u, uint8_t b)
{
	if (u->rx_count >= rx_capacity(u))
		return false;
	u->rx[(u->rx_head + u->rx_count) % WEDGE_UART_FIFO] = b;
	u->rx_count++;
	u->lsr |= LSR_DR;
	return true;
}

static uint8_t rx_get(struct wedge_uart *u)
{
	if (!u->rx_count)
		return 0;
	uint8_t b = u->rx[u->rx_head];
	u->rx_head = (uint8_t)((u->rx_head + 1) % WEDGE_UART_FIFO);
	if (--u->rx_count == 0)
		u->lsr &= ~LSR_DR;
	return b;
}

static void rx_clear(struct wedge_uart *u)
{
	u->rx_head = u->rx_count = 0;
	u->lsr &= ~LSR_DR;
}

void wedge_uart_flush(struct wedge_uart *u)
{
	if (!u->line_len)
		return;
	if (u->flush)
		u->flush(u->flush_ctx, u->line, u->line_len);
	u->flushes++;
	u->line_len = 0;
}

static void transmit(struct wedge_uart *u, uint8_t b)
{
	if (u->mcr & MCR_LOOP) {
		if (!rx_put(u, b))
			u->lsr |= LSR_OE; /* loopback overran the receiver */
	} else {
		u->line[u->line_len++] = (char)b;
		if (b == '\n' || u->line_len == WEDGE_UART_LINE_MAX)
			wedge_uart_flush(u);
	}
	u->thr_ipending = true;   /* THR is empty again at once */
}

/* Modem status: loopback wires MCR outputs back; else a live terminal. */
static uint8_t modem_lines(const struct wedge_uart *u)
{
	if (!(u->mcr & MCR_LOOP))
		return 0xb0;          /* DCD, DSR, CTS */
	uint8_t m = u->mcr;
	return (uint8_t)((m & 2) << 3 | (m & 1) << 5 | (m & 4) << 4 | (m & 8) << 4);
}

static void set_mcr(struct wedge_uart *u, uint8_t val)
{
	uint8_t old = u->msr & 0xf0;
	u->mcr = val & 0x1f;
	uint8_t now = modem_lines(u), delta = old ^ now;
	/* DCTS, DDSR, DDCD on any change; TERI only when RI falls */
	u->msr = (uint8_t)(now | (u->msr & 0x0f) | (delta & 0xb0) >> 4 |
			   (old & ~now & 0x40) >> 4);
}

static void set_fcr(struct wedge_uart *u, uint8_t val)
{
	if ((val ^ u->fcr) & FCR_ENABLE)
		rx_clear(u);          /* toggling FIFO mode empties them */
	if (val & 0x02)
		rx_clear(u);
	u->fcr = val & 0xc9;      /* FIFO clear bits are self-clearing */
}

static uint8_t read_iir(struct wedge_uart *u)
{
	uint8_t id = iir_id(u);
	if (id == 0x02)
		u->thr_ipending = false; /* reading the THRE source clears it */
	return (uint8_t)(id | ((u->fcr & FCR_ENABLE) ? IIR_FIFO : 0));
}

static uint8_t read_reg(struct wedge_uart *u, unsigned reg)
{
	bool dlab = u->lcr & LCR_DLAB;
	uint8_t v;
	switch (reg) {
	case RBR: return dlab ? u->dll : rx_get(u);
	case IER: return dlab ? u->dlm : u->ier;
	case IIR: return read_iir(u);
	case LCR: return u->lcr;
	case MCR: return u->mcr;
	case LSR:
		v = u->lsr | LSR_THRE_TEMT;
		u->lsr &= ~LSR_ERRORS;  /* error bits clear on read */
		return v;
	case MSR:
		v = u->msr;
		u->msr &= 0xf0;         /* delta bits clear on read */
		return v;
	default: return u->scr;
	}
}

static void write_reg(struct wedge_uart *u, unsigned reg, uint8_t val)
{
	bool dlab = u->lcr & LCR_DLAB;
	switch (reg) {
	case RBR:
		if (dlab)
			u->dll = val;
		else
			transmit(u, val);
		break;
	case IER:
		if (dlab) {
			u->dlm = val;
			break;
		}
		/* enabling THRE interrupts with THR empty raises one at once */
		if ((val & IER_THRI) && !(u->ier & IER_THRI))
			u->thr_ipending = true;
		u->ier = val & 0x0f;
		break;
	case IIR: set_fcr(u, val); break;
	case LCR: u->lcr = val; break;
	case MCR: set_mcr(u, val); break;
	case LSR: break;              /* factory test register: ignored */
	case MSR: break;
	default: u->scr = val;
	}
}

static uint32_t uart_in(struct wedge_pio_dev *dev, uint16_t port, unsigned size)
{
	struct wedge_uart *u = dev->state;
	(void)size;
	uint8_t v = read_reg(u, (port - dev->base) & 7);
	update_irq(u);
	return v;
}

static void uart_out(struct wedge_pio_dev *dev, uint16_t port, unsigned size, uint32_t val)
{
	struct wedge_uart *u = dev->state;
	(void)size;
	write_reg(u, (port - dev->base) & 7, (uint8_t)val);
	update_irq(u);
}

size_t wedge_uart_rx_push(struct wedge_uart *u, const char *buf, size_t n)
{
	size_t i = 0;
	while (i < n && rx_put(u, (uint8_t)buf[i]))
		i++;
	update_irq(u);
	return i;
}

void wedge_uart_connect_irq(struct wedge_uart *u, wedge_irq_fn *irq, void *ctx, unsigned irq_num)
{
	u->irq = irq;
	u->irq_ctx = ctx;
	u->irq_num = irq_num;
	u->irq_level = false;
	update_irq(u);
}

void wedge_uart_init(struct wedge_uart *u, uint16_t base, wedge_flush_fn *flush, void *flush_ctx)
{
	wedge_dev_zero(u, sizeof(*u));
	u->lcr = 0x03;                /* 8N1 at 9600 baud, as a BIOS leaves it */
	u->dll = 12;
	u->msr = modem_lines(u);
	u->flush = flush;
	u->flush_ctx = flush_ctx;
	u->dev.name = "uart";
	u->dev.base = base;
	u->dev.len = 8;
	u->dev.sizes = 1;
	u->dev.in = uart_in;
	u->dev.out = uart_out;
	u->dev.state = u;
}
