/*
 * Port 0x61, system control port B.  Bits 0-3 are stored (bit 0 gates PIT
 * channel 2, bit 1 enables the speaker); bit 4 is the DRAM refresh toggle,
 * which flips on every read because old delay loops spin on it; bit 5 is
 * PIT channel 2's output, which Linux polls to calibrate the TSC.
 */
#include "dev.h"

static uint64_t now_of(const struct wedge_pit *pit)
{
	return pit->clock ? pit->clock(pit->clock_ctx) : 0;
}

static uint32_t port61_in(struct wedge_pio_dev *dev, uint16_t port, unsigned size)
{
	struct wedge_port61 *p = dev->state;
	(void)port;
	(void)size;
	p->refresh = !p->refresh;
	uint8_t v = (uint8_t)(p->bits | p->refresh << 4);
	if (p->pit && wedge_pit_out(p->pit, 2, now_of(p->pit)))
		v |= 0x20;
	return v;
}

static void port61_out(struct wedge_pio_dev *dev, uint16_t port, unsigned size, uint32_t val)
{
	struct wedge_port61 *p = dev->state;
	(void)port;
	(void)size;
	p->bits = val & 0x0f;
	if (p->pit)
		wedge_pit_set_gate(p->pit, 2, val & 1, now_of(p->pit));
}

void wedge_port61_init(struct wedge_port61 *p, struct wedge_pit *pit)
{
	wedge_dev_zero(p, sizeof(*p));
	p->pit = pit;
	p->dev.name = "port61";
	p->dev.base = 0x61;
	p->dev.len = 1;
	p->dev.sizes = 1;
	p->dev.in = port61_in;
	p->dev.out = port61_out;
	p->dev.state = p;
}
