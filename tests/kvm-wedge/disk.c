/*
 * The disk under previrt (backends/kvm/disk.c): the ATA model in place,
 * its transfers as AB_HC_DISK calls, driven through the backend's port
 * sites the way libata's PIO path does (register writes, status reads,
 * rep insw / rep outsw of the data).
 */
#include <string.h>

#include "unit.h"

#define ATA 0x1f0
#define ST_BSY 0x80
#define ST_DRQ 0x08
#define ST_ERR 0x01

static unsigned patch(const struct wedge_site *s, uint8_t *out)
{
	return wedge_backend_find("kvm")->patch(s, out);
}

static void run(const uint8_t *insn, unsigned len, unsigned kind, struct wedge_regs *r)
{
	static uint8_t buf[32];
	struct wedge_site s = fake_site(kind, insn, len, buf);
	fake_run_site(patch, &s, r);
}

static void outb(uint16_t port, uint8_t v)
{
	struct wedge_regs r = { .rdx = port, .rax = v };
	run((const uint8_t[]){ 0xee }, 1, AB_K_OUT, &r);
}

static uint8_t inb(uint16_t port)
{
	struct wedge_regs r = { .rdx = port };
	run((const uint8_t[]){ 0xec }, 1, AB_K_IN, &r);
	return (uint8_t)r.rax;
}

static void insw(void *to, unsigned words)
{
	struct wedge_regs r = { .rdx = ATA, .rdi = (uint64_t)(uintptr_t)to, .rcx = words };
	run((const uint8_t[]){ 0xf3, 0x66, 0x6d }, 3, AB_K_INS, &r);
}

static void outsw(const void *from, unsigned words)
{
	struct wedge_regs r = { .rdx = ATA, .rsi = (uint64_t)(uintptr_t)from, .rcx = words };
	run((const uint8_t[]){ 0xf3, 0x66, 0x6f }, 3, AB_K_OUTS, &r);
}

/* LBA28 task file, then the command. */
static void command(uint8_t cmd, uint32_t lba, uint8_t count)
{
	outb(ATA + 2, count);
	outb(ATA + 3, (uint8_t)lba);
	outb(ATA + 4, (uint8_t)(lba >> 8));
	outb(ATA + 5, (uint8_t)(lba >> 16));
	outb(ATA + 6, 0xe0 | (uint8_t)(lba >> 24 & 0x0f));
	outb(ATA + 7, cmd);
}

void suite_disk(void)
{
	fake.disk_sectors = 64;
	fake_reset();
	for (unsigned i = 0; i < sizeof(fake.disk); i++)
		fake.disk[i] = (uint8_t)(i * 7 + i / 512);

	uint16_t id[256];
	command(0xec, 0, 0);                      /* IDENTIFY DEVICE */
	uint8_t st = inb(ATA + 7);
	report((st & (ST_BSY | ST_DRQ | ST_ERR)) == ST_DRQ, "identify: DRQ, no BSY (status %#x)", st);
	insw(id, 256);
	report((id[60] | (uint32_t)id[61] << 16) == 64, "identify: 64 LBA28 sectors");
	report(fake.disk_calls == 0, "identify: answered in place, no hypercall");

	uint8_t got[4 * 512];
	command(0x20, 8, 4);                      /* READ SECTORS, lba 8, 4 sectors */
	for (unsigned s = 0; s < 4; s++) {
		while (inb(ATA + 7) & ST_BSY)
			;
		insw(got + 512 * s, 256);
	}
	report(!memcmp(got, fake.disk + 8 * 512, sizeof(got)), "read: 4 sectors as on the disk");
	report(fake.disk_calls == 1, "read: one hypercall for the 4 sectors (%u)",
	       fake.disk_calls);

	uint8_t pattern[2 * 512];
	for (unsigned i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(0xa5 ^ i);
	command(0x30, 60, 2);                     /* WRITE SECTORS, lba 60 */
	for (unsigned s = 0; s < 2; s++) {
		while (!(inb(ATA + 7) & ST_DRQ))
			;
		outsw(pattern + 512 * s, 256);
	}
	report(!memcmp(fake.disk + 60 * 512, pattern, sizeof(pattern)), "write: the disk holds it");
	command(0x20, 63, 2);                     /* past the end */
	st = inb(ATA + 7);
	report(st & ST_ERR, "read past the end: ERR (status %#x)", st);
	fake.disk_sectors = 0;
}
