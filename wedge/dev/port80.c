/*
 * Port 0x80, the POST code port.  Linux writes it as an I/O delay
 * (outb_p), so writes must be cheap: store and count, nothing else.
 */
#include "dev.h"

static uint32_t port80_in(struct wedge_pio_dev *dev, uint16_t port, unsigned size)
{
	struct wedge_port80 *p = dev->state;
	(void)port;
	(void)size;
	return p->last;
}

static void port80_out(struct wedge_pio_dev *dev, uint16_t port, unsigned size, uint32_t val)
{
	struct wedge_port80 *p = dev->state;
	(void)port;
	(void)size;
	p->last = (uint8_t)val;
	p->writes++;
}

void wedge_port80_init(struct wedge_port80 *p)
{
	wedge_dev_zero(p, sizeof(*p));
	p->last = 0xff;
	p->dev.name = "port80";
	p->dev.base = 0x80;
	p->dev.len = 1;
	p->dev.sizes = 1;
	p->dev.in = port80_in;
	p->dev.out = port80_out;
	p->dev.state = p;
}
