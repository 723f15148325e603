/*
 * The port bus: dispatch a guest in/out by port range.  Accesses wider
 * than a device takes are split into bytes, little-endian, each dispatched
 * on its own (a 16-bit read of 0x20 reads 0x20 and 0x21), as an ISA bus
 * does; an unclaimed byte reads 0xff.
 */
#include "dev.h"

void wedge_pio_bus_init(struct wedge_pio_bus *bus)
{
	wedge_dev_zero(bus, sizeof(*bus));
}

static bool overlaps(const struct wedge_pio_dev *a, const struct wedge_pio_dev *b)
{
	uint32_t a_end = (uint32_t)a->base + a->len, b_end = (uint32_t)b->base + b->len;
	return a->base < b_end && b->base < a_end;
}

int wedge_pio_register(struct wedge_pio_bus *bus, struct wedge_pio_dev *dev)
{
	if (bus->ndevs == WEDGE_PIO_MAX_DEVS || dev->len == 0 ||
	    (uint32_t)dev->base + dev->len > 0x10000u)
		return -1;
	for (unsigned i = 0; i < bus->ndevs; i++)
		if (overlaps(bus->devs[i], dev))
			return -1;
	bus->devs[bus->ndevs++] = dev;
	return 0;
}

static struct wedge_pio_dev *find(struct wedge_pio_bus *bus, uint16_t port)
{
	for (unsigned i = 0; i < bus->ndevs; i++) {
		struct wedge_pio_dev *d = bus->devs[i];
		if (port >= d->base && port - d->base < d->len)
			return d;
	}
	return NULL;
}

/* The device takes the whole access itself. */
static bool whole(const struct wedge_pio_dev *d, uint16_t port, unsigned size)
{
	return d && (d->sizes & size) && (uint32_t)(port - d->base) + size <= d->len;
}

static bool valid_size(unsigned size)
{
	return size == 1 || size == 2 || size == 4;
}

uint32_t wedge_pio_in(struct wedge_pio_bus *bus, uint16_t port, unsigned size)
{
	if (!valid_size(size)) {
		bus->unknown_in++;
		bus->last_unknown = port;
		return 0xffffffffu;
	}
	struct wedge_pio_dev *d = find(bus, port);
	if (whole(d, port, size) && d->in)
		return d->in(d, port, size) & wedge_dev_ones(size);
	if (size == 1) {
		bus->unknown_in++;
		bus->last_unknown = port;
		return 0xff;
	}
	uint32_t val = 0;
	for (unsigned i = 0; i < size; i++)
		val |= wedge_pio_in(bus, (uint16_t)(port + i), 1) << (8 * i);
	return val;
}

void wedge_pio_out(struct wedge_pio_bus *bus, uint16_t port, unsigned size, uint32_t val)
{
	if (!valid_size(size)) {
		bus->unknown_out++;
		bus->last_unknown = port;
		return;
	}
	struct wedge_pio_dev *d = find(bus, port);
	if (whole(d, port, size) && d->out) {
		d->out(d, port, size, val & wedge_dev_ones(size));
		return;
	}
	if (size == 1) {
		bus->unknown_out++;
		bus->last_unknown = port;
		return;
	}
	for (unsigned i = 0; i < size; i++)
		wedge_pio_out(bus, (uint16_t)(port + i), 1, (val >> (8 * i)) & 0xff);
}
