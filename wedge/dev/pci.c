/*
 * PCI configuration mechanism #1 with nothing behind it: the address
 * register at 0xcf8 (dword accesses only, as on real chipsets) holds what
 * was written, less the two low bits the spec hardwires to zero; the data
 * window 0xcfc-0xcff reads all ones, i.e. "no device" on every bus, device
 * and function, so Linux's probe finds no host bridge and moves on.
 */
#include "dev.h"

static uint32_t pci_in(struct wedge_pio_dev *dev, uint16_t port, unsigned size)
{
	struct wedge_pci *pci = dev->state;
	if (port == 0xcf8 && size == 4)
		return pci->address;
	return wedge_dev_ones(size);
}

static void pci_out(struct wedge_pio_dev *dev, uint16_t port, unsigned size, uint32_t val)
{
	struct wedge_pci *pci = dev->state;
	if (port == 0xcf8 && size == 4)
		pci->address = val & ~3u;
	/* byte/word writes to 0xcf8-0xcfb and all data writes are dropped */
}

void wedge_pci_init(struct wedge_pci *pci)
{
	wedge_dev_zero(pci, sizeof(*pci));
	pci->dev.name = "pci-conf1";
	pci->dev.base = 0xcf8;
	pci->dev.len = 8;
	pci->dev.sizes = 1 | 2 | 4;
	pci->dev.in = pci_in;
	pci->dev.out = pci_out;
	pci->dev.state = pci;
}
