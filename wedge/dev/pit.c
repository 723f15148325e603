/*
 * 8254 programmable interval timer, 1.193182 MHz, three channels.
 *
 * Nothing ticks: a channel keeps when it was loaded and derives its count
 * and output from the clock at each access (as QEMU's i8254 does), so an
 * idle PIT costs nothing.  Modes 0, 2 and 3 are exact to the tick; modes
 * 1, 4 and 5 count as mode 0 (one output edge at terminal count) and 6, 7
 * are 2, 3.  Writing a count restarts the channel at once; counts are
 * binary internally, BCD only at the ports.
 */
#include "dev.h"

#define NS_PER_S 1000000000ull

enum { RW_LSB = 1, RW_MSB = 2, RW_WORD0 = 3, RW_WORD1 = 4 };

static uint64_t ticks_of_ns(uint64_t ns)
{
	/* Split so that nothing overflows for any 64-bit ns. */
	return ns / NS_PER_S * WEDGE_PIT_HZ + ns % NS_PER_S * WEDGE_PIT_HZ / NS_PER_S;
}

/* The first ns at which ticks_of_ns reaches t. */
static uint64_t ns_of_ticks(uint64_t t)
{
	uint64_t rem = t % WEDGE_PIT_HZ * NS_PER_S;
	return t / WEDGE_PIT_HZ * NS_PER_S + (rem + WEDGE_PIT_HZ - 1) / WEDGE_PIT_HZ;
}

/* Mode as it behaves: 6 and 7 are 2 and 3. */
static unsigned mode_of(const struct wedge_pit_channel *c)
{
	return c->mode >= 6 ? c->mode - 4u : c->mode;
}

static bool periodic(const struct wedge_pit_channel *c)
{
	unsigned m = mode_of(c);
	return m == 2 || m == 3;
}

/* Input clocks counted since the count was loaded. */
static uint64_t elapsed(const struct wedge_pit_channel *c, uint64_t now)
{
	if (!c->running || now < c->load_ns)
		return c->base_ticks;
	return c->base_ticks + ticks_of_ns(now - c->load_ns);
}

static uint16_t count_at(const struct wedge_pit_channel *c, uint64_t d)
{
	uint64_t n = c->count;
	if (!c->loaded)
		return (uint16_t)n;
	switch (mode_of(c)) {
	case 2:
		return (uint16_t)(n - d % n);
	case 3:
		return (uint16_t)(n - (2 * d) % n); /* decrements by two */
	default:
		return (uint16_t)(n - d);           /* wraps past zero */
	}
}

static bool out_at(const struct wedge_pit_channel *c, uint64_t d)
{
	if (!c->loaded)
		return mode_of(c) != 0;
	if (periodic(c) && !c->running)
		return true;          /* gate low holds OUT high */
	switch (mode_of(c)) {
	case 2:
		return d % c->count != c->count - 1; /* one clock low per period */
	case 3:
		return d % c->count < (c->count + 1) / 2;
	default:
		return d >= c->count;
	}
}

/* Rising edges of OUT in the first d clocks: the IRQ0 requests. */
static uint64_t edges_upto(const struct wedge_pit_channel *c, uint64_t d)
{
	if (periodic(c))
		return d / c->count;
	return d >= c->count;
}

static uint16_t to_port(const struct wedge_pit_channel *c, uint16_t v)
{
	if (!c->bcd)
		return v;
	v %= 10000;
	return (uint16_t)(wedge_bin2bcd(v / 100) << 8 | wedge_bin2bcd(v % 100));
}

static void load(struct wedge_pit_channel *c, uint16_t v, uint64_t now)
{
	uint32_t n = v;
	if (c->bcd)
		n = wedge_bcd2bin((uint8_t)(v >> 8)) * 100 + wedge_bcd2bin((uint8_t)v);
	if (n == 0)
		n = c->bcd ? 10000 : 0x10000;
	c->count = n;
	c->loaded = true;
	c->null_count = false;
	c->base_ticks = c->edges = 0;
	c->load_ns = now;
	c->running = c->gate;
}

static uint64_t now_of(const struct wedge_pit *pit)
{
	return pit->clock ? pit->clock(pit->clock_ctx) : 0;
}

static void latch_count(struct wedge_pit_channel *c, uint64_t now)
{
	if (c->latched)
		return;               /* the first latch holds until read */
	c->latch = to_port(c, count_at(c, elapsed(c, now)));
	c->latched = c->rw;
}

static void latch_status(struct wedge_pit_channel *c, uint64_t now)
{
	if (c->status_latched)
		return;
	c->status = (uint8_t)(out_at(c, elapsed(c, now)) << 7 | c->null_count << 6 |
			      c->rw << 4 | c->mode << 1 | c->bcd);
	c->status_latched = true;
}

static void read_back(struct wedge_pit *pit, uint8_t val, uint64_t now)
{
	for (unsigned i = 0; i < 3; i++) {
		if (!(val & (2u << i)))
			continue;
		if (!(val & 0x20))
			latch_count(&pit->ch[i], now);
		if (!(val & 0x10))
			latch_status(&pit->ch[i], now);
	}
}

static void control(struct wedge_pit *pit, uint8_t val, uint64_t now)
{
	if ((val >> 6) == 3) {
		read_back(pit, val, now);
		return;
	}
	struct wedge_pit_channel *c = &pit->ch[val >> 6];
	unsigned access = (val >> 4) & 3;
	if (access == 0) {
		latch_count(c, now);
		return;
	}
	/* A control word stops the channel until its new count arrives. */
	c->rw = (uint8_t)access;
	c->read_state = c->write_state = (uint8_t)access;
	c->mode = (val >> 1) & 7;
	c->bcd = val & 1;
	c->loaded = c->running = false;
	c->null_count = true;
}

static void write_count(struct wedge_pit_channel *c, uint8_t val, uint64_t now)
{
	switch (c->write_state) {
	case RW_LSB:
		load(c, val, now);
		break;
	case RW_MSB:
		load(c, (uint16_t)(val << 8), now);
		break;
	case RW_WORD0:
		c->write_lsb = val;
		c->write_state = RW_WORD1;
		if (mode_of(c) == 0)
			c->loaded = c->running = false; /* first byte stops mode 0 */
		break;
	default:
		load(c, (uint16_t)(c->write_lsb | val << 8), now);
		c->write_state = RW_WORD0;
	}
}

static uint8_t read_latched(struct wedge_pit_channel *c)
{
	uint8_t v = (uint8_t)(c->latched == RW_MSB ? c->latch >> 8 : c->latch);
	c->latched = c->latched == RW_WORD0 ? RW_MSB : 0; /* LSB now, MSB next */
	return v;
}

static uint8_t read_count(struct wedge_pit_channel *c, uint64_t now)
{
	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	if (c->latched)
		return read_latched(c);
	uint16_t v = to_port(c, count_at(c, elapsed(c, now)));
	switch (c->read_state) {
	case RW_MSB:
		return (uint8_t)(v >> 8);
	case RW_WORD0:
		c->read_state = RW_WORD1;
		return (uint8_t)v;
	case RW_WORD1:
		c->read_state = RW_WORD0;
		return (uint8_t)(v >> 8);
	default:
		return (uint8_t)v;
	}
}

static uint32_t pit_in(struct wedge_pio_dev *dev, uint16_t port, unsigned size)
{
	struct wedge_pit *pit = dev->state;
	unsigned i = port - dev->base;
	(void)size;
	if (i == 3)
		return 0xff;          /* the control register is write-only */
	return read_count(&pit->ch[i], now_of(pit));
}

static void pit_out(struct wedge_pio_dev *dev, uint16_t port, unsigned size, uint32_t val)
{
	struct wedge_pit *pit = dev->state;
	unsigned i = port - dev->base;
	(void)size;
	if (i == 3)
		control(pit, (uint8_t)val, now_of(pit));
	else
		write_count(&pit->ch[i], (uint8_t)val, now_of(pit));
}

void wedge_pit_set_gate(struct wedge_pit *pit, unsigned channel, bool gate, uint64_t now_ns)
{
	struct wedge_pit_channel *c = &pit->ch[channel % 3];
	if (gate == c->gate)
		return;
	c->gate = gate;
	if (!gate) {
		c->base_ticks = elapsed(c, now_ns); /* hold the count */
		c->running = false;
		return;
	}
	if (!c->loaded)
		return;
	if (mode_of(c) != 0 && mode_of(c) != 4)
		c->base_ticks = c->edges = 0; /* a rising gate restarts these */
	c->load_ns = now_ns;
	c->running = true;
}

bool wedge_pit_out(const struct wedge_pit *pit, unsigned channel, uint64_t now_ns)
{
	const struct wedge_pit_channel *c = &pit->ch[channel % 3];
	return out_at(c, elapsed(c, now_ns));
}

uint64_t wedge_pit_poll(struct wedge_pit *pit, uint64_t now_ns)
{
	struct wedge_pit_channel *c = &pit->ch[0];
	if (!c->loaded)
		return 0;
	uint64_t total = edges_upto(c, elapsed(c, now_ns));
	uint64_t fresh = total > c->edges ? total - c->edges : 0;
	c->edges = total;
	return fresh;
}

uint64_t wedge_pit_next_irq(const struct wedge_pit *pit, uint64_t now_ns)
{
	const struct wedge_pit_channel *c = &pit->ch[0];
	if (!c->loaded || !c->running || (!periodic(c) && c->edges))
		return UINT64_MAX;
	uint64_t due = periodic(c) ? (c->edges + 1) * c->count : c->count;
	if (elapsed(c, now_ns) >= due)
		return now_ns;
	uint64_t at = c->load_ns + ns_of_ticks(due - c->base_ticks);
	return at < c->load_ns ? UINT64_MAX : at;
}

uint64_t wedge_pit_period_ticks(const struct wedge_pit *pit)
{
	const struct wedge_pit_channel *c = &pit->ch[0];
	return c->loaded && c->running && periodic(c) ? c->count : 0;
}

void wedge_pit_init(struct wedge_pit *pit, uint64_t (*clock)(void *ctx), void *ctx)
{
	wedge_dev_zero(pit, sizeof(*pit));
	for (unsigned i = 0; i < 3; i++) {
		struct wedge_pit_channel *c = &pit->ch[i];
		c->rw = c->read_state = c->write_state = RW_WORD0;
		c->mode = 3;
		c->count = 0x10000;
		c->gate = i != 2;     /* channel 2's gate is port 0x61 bit 0 */
	}
	pit->clock = clock;
	pit->clock_ctx = ctx;
	pit->dev.name = "pit";
	pit->dev.base = 0x40;
	pit->dev.len = 4;
	pit->dev.sizes = 1;
	pit->dev.in = pit_in;
	pit->dev.out = pit_out;
	pit->dev.state = pit;
}

int wedge_pit_attach(struct wedge_pit *pit, struct wedge_pio_bus *bus)
{
	return wedge_pio_register(bus, &pit->dev);
}
