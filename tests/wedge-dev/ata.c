/*
 * The ATA disk against the sequences Linux 6.1 runs (pata_legacy's
 * probe_chip_type, libata-sff's ata_devchk, ata_bus_softreset,
 * ata_sff_dev_classify, ata_sff_tf_load/tf_read, ata_sff_hsm_move), with
 * an in-memory disk whose top lies above 2^28 sectors.
 */
#include <string.h>

#include "unit.h"

#define CMD 0x1f0
#define CTL 0x3f6
#define ST_BSY 0x80
#define ST_DRQ 0x08
#define ST_ERR 0x01
#define ST_OK 0x50            /* DRDY | DSC */

/* Sectors kept at the start and at the top of a disk just past 2^28. */
#define LOW 64
#define HIGH 64
#define BIG ((1ull << 28) + HIGH)

static struct {
	uint64_t sectors;
	uint8_t low[LOW * 512], high[HIGH * 512];
	bool async, fail;          /* answer PENDING (finish() completes), EIO */
	unsigned reads, writes, flushes, lost;
	char pending;              /* 'r', 'w', 'f' while a request is out */
	uint64_t lba;
	unsigned count;
	void *buf;
} disk;

static struct wedge_pio_bus bus;
static struct wedge_ata ata;
static unsigned rises;         /* rising edges of IRQ14 */
static bool line;
static uint8_t last_ctl;

static uint8_t pattern(uint64_t lba, unsigned off)
{
	return (uint8_t)(lba * 31 + (lba >> 24) * 7 + off * 3 + (off >> 8));
}

static uint8_t *sector(uint64_t lba)
{
	if (lba < LOW)
		return disk.low + lba * 512;
	if (lba >= disk.sectors - HIGH && lba < disk.sectors && disk.sectors >= LOW + HIGH)
		return disk.high + (lba - (disk.sectors - HIGH)) * 512;
	return NULL;
}

static void move(char op, uint64_t lba, unsigned count, void *buf)
{
	for (unsigned i = 0; i < count; i++) {
		uint8_t *s = sector(lba + i), *b = (uint8_t *)buf + i * 512;
		if (!s)
			disk.lost++;
		else if (op == 'r')
			memcpy(b, s, 512);
		else
			memcpy(s, b, 512);
	}
}

static int request(char op, uint64_t lba, unsigned count, void *buf)
{
	disk.lba = lba;
	disk.count = count;
	disk.buf = buf;
	if (disk.fail)
		return WEDGE_ATA_EIO;
	if (disk.async) {
		disk.pending = op;
		return WEDGE_ATA_PENDING;
	}
	if (op != 'f')
		move(op, lba, count, buf);
	return WEDGE_ATA_DONE;
}

static int d_read(void *ctx, uint64_t lba, unsigned count, void *buf)
{
	(void)ctx;
	disk.reads++;
	return request('r', lba, count, buf);
}

static int d_write(void *ctx, uint64_t lba, unsigned count, const void *buf)
{
	(void)ctx;
	disk.writes++;
	return request('w', lba, count, (void *)buf);
}

static int d_flush(void *ctx)
{
	(void)ctx;
	disk.flushes++;
	return request('f', 0, 0, NULL);
}

/* The asynchronous backend answers the outstanding request. */
static void finish(int result)
{
	char op = disk.pending;
	disk.pending = 0;
	if (op && op != 'f' && result == WEDGE_ATA_DONE)
		move(op, disk.lba, disk.count, disk.buf);
	wedge_ata_complete(&ata, result);
}

static void irq_line(void *ctx, unsigned irq, bool level)
{
	(void)ctx;
	rises += level && !line && irq == 14;
	line = level;
}

static void setup(uint64_t sectors, bool read_only)
{
	memset(&disk, 0, sizeof(disk));
	disk.sectors = sectors;
	for (uint64_t l = 0; l < LOW; l++)
		for (unsigned o = 0; o < 512; o++)
			disk.low[l * 512 + o] = pattern(l, o);
	for (uint64_t l = 0; l < HIGH; l++)
		for (unsigned o = 0; o < 512; o++)
			disk.high[l * 512 + o] = pattern(sectors - HIGH + l, o);
	struct wedge_ata_host host = {
		.sectors = sectors, .read_only = read_only, .model = "QEMU HARDDISK",
		.serial = "QM00001", .read = d_read, .write = d_write, .flush = d_flush,
	};
	wedge_pio_bus_init(&bus);
	wedge_ata_init(&ata, CMD, CTL, &host);
	rises = 0;
	line = false;
	wedge_ata_connect_irq(&ata, irq_line, NULL, 14);
	if (wedge_ata_attach(&ata, &bus))
		report(false, "ata: attach");
	last_ctl = 0x08;           /* ATA_DEVCTL_OBS, as ata_sff_port_init leaves it */
	wedge_pio_out(&bus, CTL, 1, last_ctl);
}

static uint8_t ib(uint16_t port) { return (uint8_t)wedge_pio_in(&bus, port, 1); }
static void ob(uint16_t port, uint8_t v) { wedge_pio_out(&bus, port, 1, v); }

/* ---- libata, replayed --------------------------------------------------- */

/* ata_sff_dev_select: device register, then ata_sff_pause's altstatus read. */
static void dev_select(unsigned dev)
{
	ob(CMD + 6, dev ? 0xb0 : 0xa0);
	ib(CTL);
}

static bool devchk(unsigned dev)
{
	dev_select(dev);
	ob(CMD + 2, 0x55);
	ob(CMD + 3, 0xaa);
	ob(CMD + 2, 0xaa);
	ob(CMD + 3, 0x55);
	ob(CMD + 2, 0x55);
	ob(CMD + 3, 0xaa);
	uint8_t nsect = ib(CMD + 2), lbal = ib(CMD + 3);
	return nsect == 0x55 && lbal == 0xaa;
}

/* ata_sff_busy_wait on the status register: BSY (and DRQ for wait_idle). */
static uint8_t busy_wait(uint8_t bits)
{
	uint8_t s = 0xff;
	for (int i = 0; i < 1000 && ((s = ib(CMD + 7)) & bits); i++)
		;
	return s;
}
static uint8_t wait_idle(void) { return busy_wait(ST_BSY | ST_DRQ); }
static uint8_t wait_ready(void) { return busy_wait(ST_BSY); }

struct tf {
	uint8_t ctl, feature, nsect, lbal, lbam, lbah, device, command;
	uint8_t hob_feature, hob_nsect, hob_lbal, hob_lbam, hob_lbah;
	uint8_t status, error;
	bool lba48;
};

/* ata_tf_to_host: ata_sff_tf_load, then ata_sff_exec_command. */
static void tf_issue(const struct tf *tf)
{
	if (tf->ctl != last_ctl) {
		ob(CTL, tf->ctl);
		last_ctl = tf->ctl;
		wait_idle();
	}
	if (tf->lba48) {
		ob(CMD + 1, tf->hob_feature);
		ob(CMD + 2, tf->hob_nsect);
		ob(CMD + 3, tf->hob_lbal);
		ob(CMD + 4, tf->hob_lbam);
		ob(CMD + 5, tf->hob_lbah);
	}
	ob(CMD + 1, tf->feature);
	ob(CMD + 2, tf->nsect);
	ob(CMD + 3, tf->lbal);
	ob(CMD + 4, tf->lbam);
	ob(CMD + 5, tf->lbah);
	ob(CMD + 6, tf->device);
	wait_idle();
	ob(CMD + 7, tf->command);
	ib(CTL);
}

static void tf_read(struct tf *tf)
{
	tf->status = ib(CMD + 7);
	tf->error = ib(CMD + 1);
	tf->nsect = ib(CMD + 2);
	tf->lbal = ib(CMD + 3);
	tf->lbam = ib(CMD + 4);
	tf->lbah = ib(CMD + 5);
	tf->device = ib(CMD + 6);
	if (tf->lba48) {
		ob(CTL, last_ctl | 0x80);
		tf->hob_feature = ib(CMD + 1);
		tf->hob_nsect = ib(CMD + 2);
		tf->hob_lbal = ib(CMD + 3);
		tf->hob_lbam = ib(CMD + 4);
		tf->hob_lbah = ib(CMD + 5);
		ob(CTL, last_ctl);
	}
}

/* ata_tf_init + ata_build_rw_tf for device 0, nIEN off. */
static struct tf rw_tf(uint8_t cmd, uint64_t lba, unsigned n, bool lba48)
{
	struct tf tf = { .ctl = 0x08, .command = cmd, .lba48 = lba48, .device = 0xe0,
			 .nsect = (uint8_t)n, .lbal = (uint8_t)lba, .lbam = (uint8_t)(lba >> 8),
			 .lbah = (uint8_t)(lba >> 16) };
	if (lba48) {
		tf.hob_nsect = (uint8_t)(n >> 8);
		tf.hob_lbal = (uint8_t)(lba >> 24);
		tf.hob_lbam = (uint8_t)(lba >> 32);
		tf.hob_lbah = (uint8_t)(lba >> 40);
	} else {
		tf.device |= (uint8_t)((lba >> 24) & 0x0f);
	}
	return tf;
}

static struct tf nodata_tf(uint8_t cmd, uint8_t feature, uint8_t nsect)
{
	return (struct tf){ .ctl = 0x08, .command = cmd, .feature = feature, .nsect = nsect,
			    .device = 0xa0 };
}

/* ata_sff_data_xfer (16-bit) or ata_sff_data_xfer32 with ATA_PFLAG_PIO32. */
/* width 2 or 4: port accesses; 0: one rep insw/outsw (wedge_ata_*_words). */
static void pio_data(uint8_t *buf, unsigned bytes, unsigned width, bool write)
{
	if (!width) {
		unsigned moved = write ? wedge_ata_write_words(&ata, buf, bytes / 2)
				       : wedge_ata_read_words(&ata, buf, bytes / 2);
		if (moved != bytes / 2)
			report(false, "string transfer: %u of %u words", moved, bytes / 2);
		return;
	}
	for (unsigned i = 0; i < bytes; i += width) {
		uint32_t v = 0;
		if (write) {
			memcpy(&v, buf + i, width);
			wedge_pio_out(&bus, CMD, width, v);
		} else {
			v = wedge_pio_in(&bus, CMD, width);
			memcpy(buf + i, &v, width);
		}
	}
}

/* An interrupt arrived: ata_sff_irq_status (altstatus, then status). */
static int take_irq(unsigned expected_rises)
{
	if (disk.pending && (ib(CTL) & ST_BSY))
		finish(WEDGE_ATA_DONE);
	if (rises != expected_rises || (ib(CTL) & ST_BSY))
		return -1;
	uint8_t st = ib(CMD + 7);
	return line ? -1 : st;    /* reading status drops INTRQ */
}

/*
 * PIO data-in, interrupt driven: one interrupt per DRQ block, each handled
 * as ata_sff_hsm_move does; after the last block ata_wait_idle must find
 * the drive idle, with no interrupt.  The interrupt count, or -1.
 */
static int pio_in(const struct tf *tf, uint8_t *buf, unsigned bytes, unsigned block, unsigned width)
{
	unsigned before = rises, got = 0;
	int irqs = 0;
	tf_issue(tf);
	while (got < bytes) {
		int st = take_irq(before + irqs + 1);
		if (st < 0 || (st & (ST_DRQ | ST_ERR)) != ST_DRQ)
			return -1;
		irqs++;
		unsigned n = bytes - got < block ? bytes - got : block;
		pio_data(buf + got, n, width, false);
		got += n;
		ib(CTL);              /* ata_sff_sync */
	}
	if (wait_idle() != ST_OK || rises != before + (unsigned)irqs)
		return -1;
	return irqs;
}

/*
 * PIO data-out: ata_sff_pio_task polls for DRQ and sends the first block
 * with no interrupt; every later block and the completion come with one.
 */
static int pio_out(const struct tf *tf, uint8_t *buf, unsigned bytes, unsigned block, unsigned width)
{
	unsigned before = rises, sent = 0;
	int irqs = 0;
	tf_issue(tf);
	if ((wait_ready() & (ST_DRQ | ST_ERR)) != ST_DRQ || rises != before)
		return -1;
	for (;;) {
		unsigned n = bytes - sent < block ? bytes - sent : block;
		pio_data(buf + sent, n, width, true);
		sent += n;
		ib(CTL);
		int st = take_irq(before + irqs + 1);
		if (st < 0)
			return -1;
		irqs++;
		if (sent == bytes)
			return st == ST_OK ? irqs : -1;
		if ((st & (ST_DRQ | ST_ERR)) != ST_DRQ)
			return -1;
	}
}

/* A non-data command, interrupt driven: the status its interrupt shows. */
static int nodata(const struct tf *tf)
{
	unsigned before = rises;
	tf_issue(tf);
	return take_irq(before + 1);
}

static uint16_t word(const uint8_t *id, unsigned n)
{
	return (uint16_t)(id[2 * n] | id[2 * n + 1] << 8);
}

/* ata_id_string: high byte first. */
static bool id_string(const uint8_t *id, unsigned w, const char *want, unsigned len)
{
	char s[41];
	for (unsigned i = 0; i < len; i += 2) {
		s[i] = (char)(word(id, w + i / 2) >> 8);
		s[i + 1] = (char)word(id, w + i / 2);
	}
	size_t n = strlen(want);
	for (unsigned i = 0; i < len; i++)
		if (s[i] != (i < n ? want[i] : ' '))
			return false;
	return true;
}

static bool matches(const uint8_t *buf, uint64_t lba, unsigned count)
{
	for (unsigned i = 0; i < count; i++)
		for (unsigned o = 0; o < 512; o++)
			if (buf[i * 512 + o] != pattern(lba + i, o))
				return false;
	return true;
}

/* ---- the tests ----------------------------------------------------------- */

/* What libata's EH does at the first probe (ata_eh_reset with softreset). */
static void probe(void)
{
	ob(CTL, 0x0a);             /* ata_sff_freeze */
	last_ctl = 0x0a;
	ib(CMD + 7);
	bool m = devchk(0), s = devchk(1);
	dev_select(0);
	ob(CTL, 0x0a);             /* ata_bus_softreset */
	ob(CTL, 0x0e);
	ob(CTL, 0x0a);
	wait_ready();
	report(m && !s, "probe: ata_devchk finds the master and no slave");
}

static void test_probe(void)
{
	setup(BIG, false);
	/* pata_legacy probe_chip_type: a PDC20230 would drop bit 7 */
	ob(0x1f2, ib(0x1f2) | 0x80);
	static const uint16_t probes[] = { 0x1f5, 0x1f2, CTL, CTL, 0x1f2, 0x1f2 };
	for (unsigned i = 0; i < 6; i++)
		ib(probes[i]);
	bool kept = ib(0x1f2) & 0x80;
	ob(0x1f2, 0x55);
	ib(0x1f2);
	ib(0x1f2);
	report(kept && ib(0x1f2) == 0x55, "probe: pata_legacy sees a plain BIOS controller");

	ob(CTL, 0x0a);
	last_ctl = 0x0a;
	bool m = devchk(0), s = devchk(1);
	dev_select(0);
	ob(CTL, 0x0a);
	ob(CTL, 0x0e);
	uint8_t during = ib(CTL), during_st = ib(CMD + 7);
	ob(CTL, 0x0a);
	report(m && !s, "probe: ata_devchk finds the master and no slave");
	report(during == ST_BSY && during_st == ST_BSY, "probe: BSY while SRST is set");
	report(wait_ready() == ST_OK && rises == 0 && ib(CMD + 6) == 0,
	       "probe: ready after SRST, device 0 selected, no interrupt");

	struct tf tf = { 0 };
	dev_select(0);
	tf_read(&tf);
	report(tf.error == 0x01 && tf.nsect == 1 && tf.lbal == 1 && tf.lbam == 0 && tf.lbah == 0 &&
	       tf.status == ST_OK,
	       "probe: ATA signature on device 0, diagnostic code 01 (no device 1)");
	dev_select(1);             /* ata_sff_dev_classify(1): err != 0x81 */
	tf_read(&tf);
	report(tf.error == 0 && tf.lbam == 0 && tf.lbah == 0 && tf.status == 0 && ib(CTL) == 0,
	       "probe: device 1 classifies as none (status 0)");
	dev_select(1);             /* ata_sff_postreset */
	dev_select(0);
	ob(CTL, last_ctl);

	/* ata_dev_read_id: IDENTIFY polled, so nIEN set (ata_qc_set_polling) */
	struct tf id = nodata_tf(0xec, 0, 0);
	id.ctl = 0x0a;
	uint8_t buf[512];
	tf_issue(&id);
	uint8_t st = wait_ready();
	pio_data(buf, 512, 2, false);
	uint8_t after = wait_idle();
	ob(CTL, 0x08);             /* ata_sff_irq_on */
	last_ctl = 0x08;
	wait_idle();
	report(st == (ST_OK | ST_DRQ) && after == ST_OK && rises == 0 && !line,
	       "probe: polled IDENTIFY under nIEN: DRQ, data, idle, line quiet");
	uint8_t sum = 0;
	for (unsigned i = 0; i < 512; i++)
		sum = (uint8_t)(sum + buf[i]);
	report(buf[510] == 0xa5 && sum == 0, "identify: checksum word 255");

	uint8_t buf2[512];
	id.ctl = 0x08;
	report(pio_in(&id, buf2, 512, 512, 2) == 1 && !memcmp(buf, buf2, 512),
	       "identify: with nIEN clear, one interrupt and the same data");
}

static void test_identify(void)
{
	setup(BIG, false);
	probe();
	uint8_t id[512];
	struct tf tf = nodata_tf(0xec, 0, 0);
	pio_in(&tf, id, 512, 512, 2);
	report((word(id, 0) & 0x8000) == 0 && word(id, 49) & 0x200, "identify: ATA device with LBA");
	report(id_string(id, 27, "QEMU HARDDISK", 40) && id_string(id, 10, "QM00001", 20) &&
	       id_string(id, 23, "0.1", 8), "identify: model, serial, firmware strings");
	report(word(id, 60) == 0xffff && word(id, 61) == 0x0fff, "identify: LBA28 capacity capped");
	uint64_t cap48 = (uint64_t)word(id, 103) << 48 | (uint64_t)word(id, 102) << 32 |
			 (uint64_t)word(id, 101) << 16 | word(id, 100);
	report(cap48 == BIG && (word(id, 83) & 0xc400) == 0x4400 && (word(id, 86) & 0x400),
	       "identify: LBA48 supported and enabled, capacity in words 100-103");
	report((word(id, 83) & 0x3000) == 0x3000 && (word(id, 86) & 0x3000) == 0x3000,
	       "identify: FLUSH CACHE and FLUSH CACHE EXT");
	report(word(id, 47) == 0x8010 && word(id, 59) == 0x0110,
	       "identify: multiple 16, current setting 16 valid");
	report((word(id, 53) & 2) && (word(id, 64) & 3) == 3 && word(id, 88) == 0 &&
	       word(id, 63) == 0 && !(word(id, 49) & 0x100), "identify: PIO 0-4 and no DMA");
	report(word(id, 80) == 0x00f0 && word(id, 93) != 0 && (word(id, 93) & 0xc000) == 0x4000,
	       "identify: ATA-7, PATA (word 93 set, so not taken for SATA)");
	report((word(id, 82) & 0x20) && (word(id, 85) & 0x20), "identify: write cache on");
	report(word(id, 1) == 16383 && word(id, 3) == 16 && word(id, 6) == 63,
	       "identify: default CHS 16383/16/63");

	setup(10000, false);
	probe();
	pio_in(&tf, id, 512, 512, 2);
	report(word(id, 60) == 10000 && word(id, 61) == 0 && word(id, 100) == 10000 &&
	       word(id, 101) == 0 && word(id, 1) == 9, "identify: a small disk's capacities");
}

static void test_features(void)
{
	setup(BIG, false);
	probe();
	struct tf tf = nodata_tf(0xef, 0x03, 0x0c); /* ata_dev_set_xfermode: PIO4 */
	report(nodata(&tf) == ST_OK, "set features: XFER PIO4 accepted, interrupt");
	tf.nsect = 0x01;
	report(nodata(&tf) == ST_OK, "set features: PIO default without IORDY");
	tf.nsect = 0x45;           /* UDMA5 */
	int st = nodata(&tf);
	report(st == (ST_OK | ST_ERR) && ib(CMD + 1) == 0x04, "set features: a DMA mode is aborted");
	tf = nodata_tf(0xef, 0x82, 0);
	report(nodata(&tf) == ST_OK, "set features: write cache off");
	uint8_t id[512];
	struct tf idtf = nodata_tf(0xec, 0, 0);
	pio_in(&idtf, id, 512, 512, 2);
	report(!(word(id, 85) & 0x20), "set features: IDENTIFY shows the write cache off");
	tf = nodata_tf(0xef, 0x55, 0);
	nodata(&tf);
	pio_in(&idtf, id, 512, 512, 2);
	bool ra_off = !(word(id, 85) & 0x40);
	tf.feature = 0xaa;
	nodata(&tf);
	tf.feature = 0x02;
	nodata(&tf);
	pio_in(&idtf, id, 512, 512, 2);
	report(ra_off && (word(id, 85) & 0x60) == 0x60, "set features: look-ahead off, on; write cache on");
	tf = nodata_tf(0xef, 0x66, 0);
	report(nodata(&tf) == (ST_OK | ST_ERR) && ib(CMD + 1) == 0x04, "set features: unknown subcommand aborted");
	report(nodata(&tf) == (ST_OK | ST_ERR) && ib(CMD + 7) == (ST_OK | ST_ERR),
	       "set features: ERR stays until the next command");
	tf = nodata_tf(0xe5, 0, 0);
	report(nodata(&tf) == ST_OK && ib(CMD + 2) == 0xff && ib(CMD + 1) == 0,
	       "check power mode: active, ERR cleared by the new command");
	tf = nodata_tf(0xe0, 0, 0);
	report(nodata(&tf) == ST_OK, "standby immediate (sd's shutdown) succeeds");
	static const uint8_t abort[] = { 0x00, 0xa1, 0xa0, 0xb0, 0xf8, 0x27, 0x2f, 0xc8, 0x25, 0x08 };
	bool ok = true;
	for (unsigned i = 0; i < sizeof(abort); i++) {
		tf = nodata_tf(abort[i], 0, 0);
		ok &= nodata(&tf) == (ST_OK | ST_ERR) && ib(CMD + 1) == 0x04;
	}
	report(ok, "NOP, IDENTIFY PACKET, PACKET, SMART, READ NATIVE MAX, READ LOG, DMA: ABRT");
}

static void test_read(void)
{
	setup(BIG, false);
	probe();
	struct tf tf = nodata_tf(0xc6, 0, 0);
	report(nodata(&tf) == ST_OK, "set multiple 0: multiple mode off");
	uint8_t buf[40 * 512];
	tf = rw_tf(0x20, 5, 8, false);
	report(pio_in(&tf, buf, 8 * 512, 512, 2) == 8 && matches(buf, 5, 8),
	       "read sectors: 8 sectors, an interrupt for each, data matches");
	report(disk.reads == 1 && disk.count == 8, "read sectors: one host transfer for all 8");
	tf = rw_tf(0x20, 0, 40, false);
	report(pio_in(&tf, buf, 40 * 512, 512, 2) == 40 && matches(buf, 0, 40) && disk.reads == 4,
	       "read sectors: 40 sectors in host chunks of 16");
	tf = rw_tf(0xc4, 0, 20, false);
	report(nodata(&tf) == (ST_OK | ST_ERR) && ib(CMD + 1) == 0x04,
	       "read multiple: aborted while multiple mode is off");
	tf = nodata_tf(0xc6, 0, 3);
	report(nodata(&tf) == (ST_OK | ST_ERR), "set multiple 3: not a power of two, aborted");
	tf = nodata_tf(0xc6, 0, 4);
	report(nodata(&tf) == ST_OK, "set multiple 4");
	tf = rw_tf(0xc4, 2, 10, false);
	report(pio_in(&tf, buf, 10 * 512, 4 * 512, 2) == 3 && matches(buf, 2, 10),
	       "read multiple: 10 sectors in blocks of 4, 4, 2");
	tf = nodata_tf(0xc6, 0, 16);
	nodata(&tf);
	tf = rw_tf(0xc4, 20, 40, false);
	report(pio_in(&tf, buf, 40 * 512, 16 * 512, 4) == 3 && matches(buf, 20, 40),
	       "read multiple, 32-bit data port: 40 sectors in blocks of 16, 16, 8");
	tf = rw_tf(0x40, 3, 100, false);
	report(nodata(&tf) == ST_OK, "read verify sectors: no data, interrupt");
	tf = rw_tf(0xc4, 20, 40, false);
	report(pio_in(&tf, buf, 40 * 512, 16 * 512, 0) == 3 && matches(buf, 20, 40),
	       "read multiple, a rep insw per block: the same blocks, interrupts and data");
}

static void test_write(void)
{
	setup(BIG, false);
	probe();
	uint8_t buf[40 * 512], back[40 * 512];
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 13 + 5);
	struct tf tf = rw_tf(0x30, 7, 5, false);
	disk.reads = 0;
	report(pio_out(&tf, buf, 5 * 512, 512, 2) == 5 && !memcmp(disk.low + 7 * 512, buf, 5 * 512),
	       "write sectors: first block without interrupt, then one per block; bytes on disk");
	report(disk.writes == 1 && disk.count == 5 && disk.flushes == 0,
	       "write sectors: one host transfer, write cache on: no flush");
	tf = rw_tf(0xc5, 30, 20, false);
	report(pio_out(&tf, buf, 20 * 512, 16 * 512, 4) == 2 && !memcmp(disk.low + 30 * 512, buf, 20 * 512),
	       "write multiple, 32-bit data port: blocks of 16 and 4");
	tf = rw_tf(0x20, 30, 20, false);
	report(pio_in(&tf, back, 20 * 512, 512, 2) == 20 && !memcmp(back, buf, 20 * 512),
	       "write then read back");
	tf = rw_tf(0xc5, 40, 20, false);
	report(pio_out(&tf, buf, 20 * 512, 16 * 512, 0) == 2 && !memcmp(disk.low + 40 * 512, buf, 20 * 512),
	       "write multiple, a rep outsw per block: blocks of 16 and 4");
	struct tf fl = nodata_tf(0xe7, 0, 0);
	report(nodata(&fl) == ST_OK && disk.flushes == 1, "flush cache: reaches the host");
	fl.command = 0xea;
	report(nodata(&fl) == ST_OK && disk.flushes == 2, "flush cache ext: reaches the host");
	fl = nodata_tf(0xef, 0x82, 0);
	nodata(&fl);
	tf = rw_tf(0x30, 1, 1, false);
	report(pio_out(&tf, buf, 512, 512, 2) == 1 && disk.flushes == 3,
	       "write cache off: each write is flushed before its interrupt");
}

static void test_lba48(void)
{
	setup(BIG, false);
	probe();
	uint8_t buf[8 * 512];
	uint64_t top = BIG - HIGH + 10;   /* above 2^28 */
	struct tf tf = rw_tf(0x24, top, 6, true);
	report(pio_in(&tf, buf, 6 * 512, 512, 2) == 6 && matches(buf, top, 6) && disk.lba == top,
	       "read sectors ext above 2^28");
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)~i;
	tf = rw_tf(0x39, top + 20, 8, true);
	report(pio_out(&tf, buf, 8 * 512, 16 * 512, 2) == 1 &&
	       !memcmp(disk.high + 30 * 512, buf, 8 * 512), "write multiple ext above 2^28");
	tf = rw_tf(0x34, BIG - 1, 1, true);
	report(pio_out(&tf, buf, 512, 512, 2) == 1 && !memcmp(disk.high + 63 * 512, buf, 512),
	       "write sectors ext: the last sector");
	tf = rw_tf(0x29, BIG - 2, 2, true);
	report(pio_in(&tf, buf, 1024, 16 * 512, 2) == 1, "read multiple ext: the last two sectors");

	tf = rw_tf(0x24, BIG - 1, 2, true);   /* runs past the end */
	int st = nodata(&tf);
	struct tf r = { .lba48 = true };
	tf_read(&r);
	uint64_t at = (uint64_t)r.hob_lbah << 40 | (uint64_t)r.hob_lbam << 32 |
		      (uint64_t)r.hob_lbal << 24 | (uint64_t)r.lbah << 16 | r.lbam << 8 | r.lbal;
	report(st == (ST_OK | ST_ERR) && r.error == 0x10 && at == BIG,
	       "read sectors ext past the end: IDNF, no data, the first bad LBA in the registers");
	tf = rw_tf(0x24, 1ull << 40, 1, true);
	report(nodata(&tf) == (ST_OK | ST_ERR) && ib(CMD + 1) == 0x10, "read ext far out: IDNF");

	setup(1000, false);
	probe();
	tf = rw_tf(0x20, 999, 2, false);
	st = nodata(&tf);
	report(st == (ST_OK | ST_ERR) && ib(CMD + 1) == 0x10 && ib(CMD + 3) == (1000 & 0xff) &&
	       ib(CMD + 4) == (1000 >> 8), "read sectors past a small disk's end: IDNF");
	tf = rw_tf(0x30, 5000, 1, false);
	report(nodata(&tf) == (ST_OK | ST_ERR) && ib(CMD + 1) == 0x10 && disk.writes == 0,
	       "write sectors out of range: IDNF before any data");
	tf = rw_tf(0x42, 990, 11, true);
	report(nodata(&tf) == (ST_OK | ST_ERR) && ib(CMD + 1) == 0x10, "read verify ext out of range: IDNF");
}

static void test_errors(void)
{
	setup(BIG, true);
	probe();
	uint8_t buf[4 * 512] = { 0 };
	struct tf tf = rw_tf(0x30, 3, 2, false);
	report(nodata(&tf) == (ST_OK | ST_ERR) && ib(CMD + 1) == 0x40 && disk.writes == 0,
	       "read-only: write sectors fails at once with WP, no DRQ");
	tf = rw_tf(0x39, BIG - 4, 2, true);
	report(nodata(&tf) == (ST_OK | ST_ERR) && ib(CMD + 1) == 0x40, "read-only: write multiple ext fails");
	tf = rw_tf(0x20, 3, 2, false);
	report(pio_in(&tf, buf, 1024, 512, 2) == 2 && matches(buf, 3, 2), "read-only: reads work");

	setup(BIG, false);
	probe();
	disk.fail = true;
	tf = rw_tf(0x20, 9, 3, false);
	int st = nodata(&tf);
	report(st == (ST_OK | ST_ERR) && ib(CMD + 1) == 0x40 && ib(CMD + 3) == 9,
	       "host read error: UNC, the failing LBA in the registers");
	tf = rw_tf(0x30, 9, 1, false);
	tf_issue(&tf);
	unsigned before = rises;
	report((wait_ready() & (ST_DRQ | ST_ERR)) == ST_DRQ, "host write error: data still taken");
	pio_data(buf, 512, 2, true);
	st = take_irq(before + 1);
	report(st == (ST_OK | ST_ERR) && ib(CMD + 1) == 0x04, "host write error: ABRT after the block");
	struct tf fl = nodata_tf(0xea, 0, 0);
	report(nodata(&fl) == (ST_OK | ST_ERR) && ib(CMD + 1) == 0x04, "host flush error: ABRT");
	disk.fail = false;
	tf = rw_tf(0x20, 9, 3, false);
	report(pio_in(&tf, buf, 3 * 512, 512, 2) == 3, "after host errors, reads work again");
}

static void test_async(void)
{
	setup(BIG, false);
	probe();
	disk.async = true;
	uint8_t buf[20 * 512];
	struct tf tf = rw_tf(0x20, 4, 20, false);
	unsigned before = rises;
	tf_issue(&tf);
	report(ib(CTL) == ST_BSY && ib(CMD + 7) == ST_BSY && rises == before && disk.pending == 'r',
	       "async read: BSY and no interrupt while the host works");
	tf_issue(&tf);             /* a command while BSY is ignored */
	report(ata.ignored == 1 && disk.reads == 1, "async read: a command while BSY is ignored");
	finish(WEDGE_ATA_DONE);
	report(rises == before + 1 && ib(CTL) == (ST_OK | ST_DRQ), "async read: completion raises DRQ and INTRQ");
	ob(CTL, 0x0e);             /* recover with SRST, as EH would */
	ob(CTL, 0x08);
	wait_ready();

	tf = rw_tf(0x20, 4, 20, false);
	report(pio_in(&tf, buf, 20 * 512, 512, 2) == 20 && matches(buf, 4, 20) && disk.reads == 3,
	       "async read: 20 sectors over two host chunks");
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i ^ 0x5a);
	tf = rw_tf(0x30, 40, 18, false);
	report(pio_out(&tf, buf, 18 * 512, 512, 4) == 18 && !memcmp(disk.low + 40 * 512, buf, 18 * 512),
	       "async write: BSY at each chunk's end, INTRQ on completion");
	struct tf fl = nodata_tf(0xe7, 0, 0);
	before = rises;
	tf_issue(&fl);
	bool busy = ib(CTL) == ST_BSY && rises == before;
	finish(WEDGE_ATA_DONE);
	report(busy && rises == before + 1 && ib(CMD + 7) == ST_OK, "async flush: BSY until the host answers");

	tf = rw_tf(0x24, 8, 2, true);
	tf_issue(&tf);
	finish(WEDGE_ATA_EIO);
	report(ib(CMD + 7) == (ST_OK | ST_ERR) && ib(CMD + 1) == 0x40, "async read error: UNC");

	tf_issue(&tf);
	ob(CTL, 0x0c);             /* SRST while the host holds the buffer */
	ob(CTL, 0x08);
	bool held = ib(CTL) == ST_BSY;
	finish(WEDGE_ATA_DONE);
	report(held && ib(CMD + 7) == ST_OK && ib(CMD + 2) == 1 && ib(CMD + 1) == 0x01,
	       "reset during a transfer: BSY until the host answers, then the signature");
	uint64_t stray = ata.stray_completions;
	wedge_ata_complete(&ata, WEDGE_ATA_DONE);
	report(ata.stray_completions == stray + 1 && ib(CMD + 7) == ST_OK, "a stray completion is counted, ignored");
}

static void test_nien(void)
{
	setup(BIG, false);
	probe();
	uint8_t buf[4 * 512];
	struct tf tf = rw_tf(0x20, 0, 4, false);
	tf.ctl = 0x0a;             /* polled, as with ATA_TFLAG_POLLING */
	tf_issue(&tf);
	bool quiet = true;
	for (unsigned i = 0; i < 4; i++) {
		quiet &= (wait_ready() & ST_DRQ) != 0;
		pio_data(buf + i * 512, 512, 2, false);
	}
	report(quiet && wait_idle() == ST_OK && rises == 0 && matches(buf, 0, 4),
	       "nIEN: a polled read moves its data, the line never rises");
	tf_issue(&tf);             /* leave INTRQ pending under nIEN */
	bool low = !line;
	ob(CTL, 0x08);
	report(low && line && rises == 1, "nIEN cleared with INTRQ pending: the line rises");
	dev_select(1);
	bool floated = !line;
	dev_select(0);
	report(floated && line, "INTRQ floats while device 1 is selected");
	ib(CMD + 7);
	report(!line, "reading status clears INTRQ");
	ob(CTL, 0x0c);             /* end the read still waiting in DRQ */
	ob(CTL, 0x08);
	struct tf nop = nodata_tf(0xe5, 0, 0);
	tf_issue(&nop);
	unsigned before = rises;
	bool pending = line;       /* a second command, status not read */
	ob(CMD + 7, 0xe5);
	report(pending && line && rises == before + 1, "writing a command clears INTRQ: a fresh edge");
}

static void test_slave(void)
{
	setup(BIG, false);
	probe();
	dev_select(1);
	report(ib(CMD + 7) == 0 && ib(CTL) == 0 && ib(CMD + 2) == 0 && ib(CMD + 1) == 0 &&
	       ib(CMD + 6) == 0xb0, "slave: status, altstatus, registers 0; device register reads back");
	ob(CMD + 2, 0x33);
	unsigned before = rises;
	ob(CMD + 7, 0xec);
	report(rises == before && ib(CMD + 7) == 0 && wedge_pio_in(&bus, CMD, 2) == 0,
	       "slave: IDENTIFY to device 1 does nothing");
	dev_select(0);
	report(ib(CMD + 7) == ST_OK && ib(CMD + 2) == 0x33 && ata.commands == 0,
	       "slave: the master latched the shared register write, ran no command");
	report(!devchk(1) && devchk(0), "slave: ata_devchk again: only the master");
}

static void test_registers(void)
{
	setup(BIG, false);
	probe();
	ob(CMD + 2, 0x12);
	ob(CMD + 2, 0x34);
	ob(CMD + 3, 0x56);
	ob(CMD + 3, 0x78);
	ob(CTL, 0x88);
	bool hob = ib(CMD + 2) == 0x12 && ib(CMD + 3) == 0x56;
	ob(CMD + 4, 0);            /* a command block write clears HOB */
	ob(CMD + 6, 0xa0);
	report(hob && ib(CMD + 2) == 0x34, "registers: HOB reads the previous bytes, any write clears it");
	report(wedge_pio_in(&bus, CMD + 2, 2) == 0x7834 && wedge_pio_in(&bus, CMD + 4, 4) == 0x50a00000u,
	       "registers: wide accesses split into bytes");
	uint8_t buf[512];
	struct tf tf = nodata_tf(0xec, 0, 0);
	tf_issue(&tf);
	ib(CMD + 7);
	uint16_t w0 = (uint16_t)wedge_pio_in(&bus, CMD, 2);
	uint64_t before = ata.ignored;
	ob(CMD + 7, 0x20);         /* a command while DRQ is ignored */
	report(w0 == 0x0040 && ata.ignored == before + 1 && (ib(CTL) & ST_DRQ), "registers: no command while DRQ");
	pio_data(buf, 510, 2, false);
	report(ib(CTL) == ST_OK && wedge_pio_in(&bus, CMD, 2) == 0, "data port: reads 0 once DRQ is gone");
	wedge_pio_out(&bus, CMD, 4, 0x12345678);
	dev_select(1);
	wedge_pio_out(&bus, CMD, 2, 0x1234);
	dev_select(0);
	report(ib(CMD + 7) == ST_OK && ata.pos == 512, "data port: writes without DRQ, or to device 1, dropped");

	tf = nodata_tf(0x91, 0, 32);              /* INITIALIZE DEVICE PARAMETERS: 8 heads, 32 */
	tf.device = 0xa7;
	report(nodata(&tf) == ST_OK, "init device parameters: 8 heads, 32 sectors");
	tf = nodata_tf(0xec, 0, 0);
	uint8_t id[512];
	pio_in(&tf, id, 512, 512, 2);
	report(word(id, 55) == 8 && word(id, 56) == 32 && word(id, 54) == 65535,
	       "init device parameters: IDENTIFY shows the translation");
	tf = (struct tf){ .ctl = 0x08, .command = 0x20, .nsect = 1, .lbal = 3, .lbam = 0, .lbah = 0,
			  .device = 0xa1 };     /* CHS 0/1/3 = LBA 34 */
	report(pio_in(&tf, buf, 512, 512, 2) == 1 && matches(buf, 34, 1), "CHS read through the translation");
	tf.lbal = 0;
	report(nodata(&tf) == (ST_OK | ST_ERR) && ib(CMD + 1) == 0x10, "CHS sector 0: IDNF");
	tf = nodata_tf(0x91, 0, 0);
	report(nodata(&tf) == (ST_OK | ST_ERR), "init device parameters: 0 sectors aborted");
	tf = nodata_tf(0x90, 0, 0);
	report(nodata(&tf) == ST_OK && ib(CMD + 1) == 0x01 && ib(CMD + 2) == 1 && ib(CMD + 3) == 1,
	       "execute device diagnostic: signature, code 01, interrupt");
	report(ata.dev[0].sizes == 7 && ata.dev[1].len == 1, "ranges: 8 ports at 0x1f0 (1/2/4), 1 at 0x3f6");
}

static void test_pc(void)
{
	static struct wedge_devices d;
	struct fake_host h;
	fake_pc(&d, &h);
	setup(BIG, false);         /* for the in-memory disk */
	struct wedge_ata_host host = { .sectors = 100, .read = d_read, .write = d_write };
	report(wedge_devices_add_disk(&d, &host) == 0 && d.bus.ndevs == 11, "pc: the disk adds two ranges");
	report(wedge_devices_add_disk(&d, &host) == -1 && d.bus.ndevs == 11, "pc: a second disk is refused whole");
	outb(&d, 0x1f2, 1);
	outb(&d, 0x1f3, 0);
	outb(&d, 0x1f6, 0xe0);
	outb(&d, 0x1f7, 0x20);
	report((d.pic.chip[1].irr & 0x40) && inb(&d, 0x3f6) == (ST_OK | ST_DRQ),
	       "pc: READ SECTORS raises IRQ14 on the slave PIC");
	uint16_t w = inw(&d, 0x1f0);
	uint32_t l = inl(&d, 0x1f0);
	report(w == (pattern(0, 0) | pattern(0, 1) << 8) &&
	       l == (uint32_t)(pattern(0, 2) | pattern(0, 3) << 8 | pattern(0, 4) << 16 | pattern(0, 5) << 24),
	       "pc: 16- and 32-bit data reads through the bus");
	inb(&d, 0x1f7);
	report(!d.ata.irq_level && !d.ata.intrq, "pc: reading status lowers IRQ14");

	struct wedge_devices full;
	fake_pc(&full, &h);
	struct wedge_pio_dev extra[6];
	for (unsigned i = 0; i < 6; i++) {
		extra[i] = (struct wedge_pio_dev){ .name = "x", .base = (uint16_t)(0x2000 + i), .len = 1, .sizes = 1 };
		wedge_pio_register(&full.bus, &extra[i]);
	}
	report(full.bus.ndevs == 15 && wedge_devices_add_disk(&full, &host) == -1 && full.bus.ndevs == 15 &&
	       inb(&full, 0x1f7) == 0xff, "pc: one free slot is not enough, nothing is left behind");
}

void suite_ata(void)
{
	test_probe();
	test_identify();
	test_features();
	test_read();
	test_write();
	test_lba48();
	test_errors();
	test_async();
	test_nien();
	test_slave();
	test_registers();
	test_pc();
}
