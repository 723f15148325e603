/*
 * --mode full: an Intel MultiProcessor table (MP spec 1.4), as firecracker
 * writes one, so that a kernel without ACPI finds KVM's in-kernel IOAPIC
 * and LAPIC and takes the ordinary symmetric-I/O path instead of the
 * "virtual wire, no configuration" fallback.  It sits in the last KiB of
 * base memory, where Linux's smp_scan_config looks, inside the range the
 * e820 map reserves.  (Not under --mode previrt: there is no APIC then.)
 *
 *   MON_MPTABLE_GPA (0x9fc00)
 *   +------+------------------------------------------------------------+
 *   | +0   | floating pointer "_MP_", 16 bytes -> the config table      |
 *   | +16  | config header "PCMP", 44 bytes, LAPIC at 0xfee00000        |
 *   | +60  | processor: LAPIC id 0, enabled, boot processor (20 bytes)  |
 *   |      | bus 0 "ISA   " (8)                                         |
 *   |      | IOAPIC id 1 at 0xfec00000 (8)                              |
 *   |      | 16 I/O interrupts: ISA IRQ n -> IOAPIC pin n (8 each),     |
 *   |      | KVM's default GSI routing                                  |
 *   |      | LINT0 ExtINT, LINT1 NMI (8 each)                           |
 *   +------+------------------------------------------------------------+
 */
#include <string.h>

#include "mon.h"

#define MP_APIC_ID 0
#define MP_IOAPIC_ID 1
#define MP_LAPIC_ADDR 0xfee00000u
#define MP_IOAPIC_ADDR 0xfec00000u
#define MP_ISA_IRQS 16

struct mp_writer {
	uint8_t *base, *p;
	uint16_t entries;
};

static void bytes(struct mp_writer *w, const void *src, size_t n)
{
	memcpy(w->p, src, n);
	w->p += n;
}

static void u8(struct mp_writer *w, uint8_t v) { bytes(w, &v, 1); }
static void u16(struct mp_writer *w, uint16_t v) { bytes(w, &v, 2); }
static void u32(struct mp_writer *w, uint32_t v) { bytes(w, &v, 4); }

static uint8_t checksum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;
	while (n--)
		s = (uint8_t)(s + *p++);
	return (uint8_t)-s;
}

static void processor(struct mp_writer *w)
{
	u8(w, 0);                 /* entry type: processor */
	u8(w, MP_APIC_ID);
	u8(w, 0x14);              /* LAPIC version */
	u8(w, 0x3);               /* enabled, boot processor */
	u32(w, 0x600);            /* CPU signature: family 6 (informational) */
	u32(w, 0x201);            /* feature flags: FPU, APIC */
	u32(w, 0);
	u32(w, 0);
	w->entries++;
}

static void bus_and_ioapic(struct mp_writer *w)
{
	u8(w, 1);                 /* bus */
	u8(w, 0);
	bytes(w, "ISA   ", 6);
	u8(w, 2);                 /* IOAPIC */
	u8(w, MP_IOAPIC_ID);
	u8(w, 0x11);              /* version */
	u8(w, 0x1);               /* enabled */
	u32(w, MP_IOAPIC_ADDR);
	w->entries += 2;
}

/* type 3 (I/O) or 4 (local) interrupt assignment */
static void intr(struct mp_writer *w, uint8_t type, uint8_t kind, uint8_t src_irq, uint8_t dst,
		 uint8_t pin)
{
	u8(w, type);
	u8(w, kind);              /* 0 INT, 1 NMI, 3 ExtINT */
	u16(w, 0);                /* polarity and trigger as the bus defines them */
	u8(w, 0);                 /* source bus: ISA */
	u8(w, src_irq);
	u8(w, dst);
	u8(w, pin);
	w->entries++;
}

void mon_mptable_write(const struct mon_mem *m)
{
	uint8_t *base = mon_gpa(m, MON_MPTABLE_GPA, MON_MPTABLE_SIZE);
	memset(base, 0, MON_MPTABLE_SIZE);
	struct mp_writer w = { .base = base, .p = base + 16 + 44 };
	processor(&w);
	bus_and_ioapic(&w);
	for (uint8_t irq = 0; irq < MP_ISA_IRQS; irq++)
		intr(&w, 3, 0, irq, MP_IOAPIC_ID, irq);
	intr(&w, 4, 3, 0, 0xff, 0);  /* ExtINT on LINT0 of every LAPIC */
	intr(&w, 4, 1, 0, 0xff, 1);  /* NMI on LINT1 */
	uint16_t len = (uint16_t)(w.p - (base + 16));

	uint8_t *cfg = base + 16;
	w.p = cfg;
	bytes(&w, "PCMP", 4);
	u16(&w, len);
	u8(&w, 4);                   /* spec revision 1.4 */
	u8(&w, 0);                   /* checksum, below */
	bytes(&w, "PREVIRT ", 8);
	bytes(&w, "AFTERBURN   ", 12);
	u32(&w, 0);                  /* no OEM table */
	u16(&w, 0);
	u16(&w, w.entries);
	u32(&w, MP_LAPIC_ADDR);
	cfg[7] = checksum(cfg, len);

	w.p = base;
	bytes(&w, "_MP_", 4);
	u32(&w, (uint32_t)(MON_MPTABLE_GPA + 16));
	u8(&w, 1);                   /* length in 16-byte units */
	u8(&w, 4);
	base[10] = checksum(base, 16);
}
