/*
 * Legacy ATA (IDE) disk: one master drive on a channel, PIO only, as
 * Linux's libata-sff drives it (pata_legacy).  The sectors are the host's,
 * reached through callbacks that may finish later: until the host calls
 * wedge_ata_complete the drive shows BSY, as a real one does while it
 * seeks, and raises INTRQ when the data is there.  Device 1 is absent and
 * reads as ata_devchk and ata_sff_dev_classify expect an absent device to:
 * shadow registers and status 0.
 *
 *   port     read                       write
 *   base+0   data (16 or 32 bit)        data (16 or 32 bit)
 *   base+1   error                      features
 *   base+2   sector count               sector count
 *   base+3   LBA 7:0   (CHS sector)     LBA 7:0
 *   base+4   LBA 15:8  (cylinder low)   LBA 15:8
 *   base+5   LBA 23:16 (cylinder high)  LBA 23:16
 *   base+6   device: 6 LBA, 4 DEV, 3:0 LBA 27:24 or head
 *   base+7   status (clears INTRQ)      command
 *   ctl      alternate status           device control: 7 HOB, 2 SRST, 1 nIEN
 *
 *   status  7 BSY  6 DRDY  5 DF  4 DSC  3 DRQ  2 CORR  1 IDX  0 ERR
 *   error   7 ICRC 6 UNC/WP 5 MC 4 IDNF 3 MCR  2 ABRT  1 NM   0 AMNF
 *
 * Registers 1-5 are two deep for LBA48: a write pushes the old byte into
 * the "previous" half, which reads back while HOB is set.
 */
#include "dev.h"

enum { R_DATA, R_FEATURE, R_NSECT, R_LBAL, R_LBAM, R_LBAH, R_DEVICE, R_CMD };
#define R_ERROR R_FEATURE
#define R_STATUS R_CMD

#define ST_BSY 0x80
#define ST_DRDY 0x40
#define ST_DSC 0x10
#define ST_DRQ 0x08
#define ST_ERR 0x01
#define ER_UNC 0x40
#define ER_WP 0x40            /* UNC's bit, on writes (removable media status) */
#define ER_IDNF 0x10
#define ER_ABRT 0x04
#define ER_DIAG_OK 0x01       /* diagnostic code: device 0 passed, no device 1 */
#define CTL_HOB 0x80
#define CTL_SRST 0x04
#define CTL_NIEN 0x02
#define DEV_LBA 0x40
#define DEV_DEV1 0x10

enum { OP_READ, OP_WRITE, OP_FLUSH };

#define SECTOR WEDGE_ATA_SECTOR
#define CHUNK WEDGE_ATA_MAX_MULTI

static const char firmware[8] = { '0', '.', '1', ' ', ' ', ' ', ' ', ' ' };

static uint32_t min32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* ---- interrupt, status ------------------------------------------------ */

static void update_irq(struct wedge_ata *a)
{
	/* nIEN, or the other device selected, floats our INTRQ driver */
	bool level = a->intrq && !(a->devctl & CTL_NIEN) && !(a->device & DEV_DEV1);
	if (level == a->irq_level)
		return;
	a->irq_level = level;
	if (a->irq)
		a->irq(a->irq_ctx, a->irq_num, level);
}

static uint8_t status(const struct wedge_ata *a)
{
	if (a->phase == WEDGE_ATA_HOST || a->phase == WEDGE_ATA_RESET)
		return ST_BSY;
	uint8_t s = ST_DRDY | ST_DSC;
	if (a->phase == WEDGE_ATA_DATA_IN || a->phase == WEDGE_ATA_DATA_OUT)
		s |= ST_DRQ;
	return a->failed ? s | ST_ERR : s;
}

/* The command ends; the drive asserts INTRQ. */
static void done(struct wedge_ata *a)
{
	a->phase = WEDGE_ATA_IDLE;
	a->intrq = true;
}

static void fail(struct wedge_ata *a, uint8_t err)
{
	a->error = err;
	a->failed = true;
	done(a);
}

/* A failed sector's address goes into the LBA registers: libata's sense data. */
static void fail_at(struct wedge_ata *a, uint8_t err, uint64_t lba)
{
	a->tf[R_LBAL] = (uint8_t)lba;
	a->tf[R_LBAM] = (uint8_t)(lba >> 8);
	a->tf[R_LBAH] = (uint8_t)(lba >> 16);
	if (a->ext) {
		a->hob[R_LBAL] = (uint8_t)(lba >> 24);
		a->hob[R_LBAM] = (uint8_t)(lba >> 32);
		a->hob[R_LBAH] = (uint8_t)(lba >> 40);
	} else if (a->device & DEV_LBA) {
		a->device = (uint8_t)((a->device & 0xf0) | ((lba >> 24) & 0x0f));
	}
	fail(a, err);
}

/* ---- blocks and host transfers ---------------------------------------- */

/*
 * A host transfer fills or drains a chunk of buf (up to CHUNK sectors); the
 * guest moves it through the data port in DRQ blocks (1 sector, or the
 * multiple count), each announced by INTRQ except a write's first.
 */
static void next_block(struct wedge_ata *a, uint8_t phase, bool irq)
{
	a->block_end = min32(a->pos + a->block * SECTOR, a->chunk_end);
	a->phase = phase;
	if (irq)
		a->intrq = true;
}

static void start_chunk(struct wedge_ata *a)
{
	a->chunk = min32(a->remaining, CHUNK);
	a->pos = 0;
	a->chunk_end = a->chunk * SECTOR;
}

static void host_finished(struct wedge_ata *a, uint8_t op, int rc);

static void host_issued(struct wedge_ata *a, uint8_t op, int rc)
{
	a->host_requests++;
	if (rc != WEDGE_ATA_PENDING) {
		host_finished(a, op, rc);
		return;
	}
	a->op = op;
	a->outstanding = true;
	a->phase = WEDGE_ATA_HOST;
}

static void host_read(struct wedge_ata *a)
{
	start_chunk(a);
	int rc = WEDGE_ATA_EIO;
	if (a->host.read)
		rc = a->host.read(a->host.ctx, a->lba, a->chunk, a->buf);
	host_issued(a, OP_READ, rc);
}

static void host_write(struct wedge_ata *a)
{
	int rc = WEDGE_ATA_EIO;
	if (a->host.write)
		rc = a->host.write(a->host.ctx, a->lba, a->chunk, a->buf);
	host_issued(a, OP_WRITE, rc);
}

static void host_flush(struct wedge_ata *a)
{
	int rc = WEDGE_ATA_DONE;
	if (a->host.flush)
		rc = a->host.flush(a->host.ctx);
	host_issued(a, OP_FLUSH, rc);
}

static void read_done(struct wedge_ata *a)
{
	a->lba += a->chunk;
	a->remaining -= a->chunk;
	next_block(a, WEDGE_ATA_DATA_IN, true);
}

static void write_done(struct wedge_ata *a)
{
	a->lba += a->chunk;
	a->remaining -= a->chunk;
	if (a->remaining) {
		start_chunk(a);
		next_block(a, WEDGE_ATA_DATA_OUT, true);
	} else if (!a->write_cache) {
		host_flush(a);        /* write-through: durable before the interrupt */
	} else {
		done(a);
	}
}

static void host_finished(struct wedge_ata *a, uint8_t op, int rc)
{
	if (rc != WEDGE_ATA_DONE && op == OP_FLUSH)
		fail(a, ER_ABRT);
	else if (rc != WEDGE_ATA_DONE)
		fail_at(a, op == OP_READ ? ER_UNC : ER_ABRT, a->lba);
	else if (op == OP_READ)
		read_done(a);
	else if (op == OP_WRITE)
		write_done(a);
	else
		done(a);
}

/* ---- the data port ----------------------------------------------------- */

static uint16_t data_in(struct wedge_ata *a)
{
	if (a->phase != WEDGE_ATA_DATA_IN)
		return 0;
	uint16_t v = (uint16_t)(a->buf[a->pos] | a->buf[a->pos + 1] << 8);
	a->pos += 2;
	if (a->pos < a->block_end)
		return v;
	if (a->pos < a->chunk_end)
		next_block(a, WEDGE_ATA_DATA_IN, true);
	else if (a->remaining)
		host_read(a);
	else
		a->phase = WEDGE_ATA_IDLE; /* data-in ends without an interrupt */
	return v;
}

static void data_out(struct wedge_ata *a, uint16_t v)
{
	if (a->phase != WEDGE_ATA_DATA_OUT)
		return;
	a->buf[a->pos] = (uint8_t)v;
	a->buf[a->pos + 1] = (uint8_t)(v >> 8);
	a->pos += 2;
	if (a->pos < a->block_end)
		return;
	if (a->pos < a->chunk_end)
		next_block(a, WEDGE_ATA_DATA_OUT, true); /* taken into the buffer */
	else
		host_write(a);
}

/*
 * A string transfer (rep insw / rep outsw) moved at once: the words of
 * the current DRQ block are copied directly, and only the block's last
 * word goes through data_in/data_out (and the interrupt line is updated
 * after it, as after a port access), which turns to the next block, the
 * host or the end of the command exactly as word-at-a-time accesses do.
 */
unsigned wedge_ata_read_words(struct wedge_ata *a, uint8_t *dst, unsigned words)
{
	unsigned moved = 0;
	while (moved < words && a->phase == WEDGE_ATA_DATA_IN && !(a->device & DEV_DEV1)) {
		uint32_t n = min32(words - moved, (a->block_end - a->pos) / 2 - 1);
		for (uint32_t i = 0; i < 2 * n; i++)
			dst[i] = a->buf[a->pos + i];
		a->pos += 2 * n;
		dst += 2 * n;
		moved += n;
		if (moved == words)
			break;
		uint16_t v = data_in(a);
		update_irq(a);
		dst[0] = (uint8_t)v;
		dst[1] = (uint8_t)(v >> 8);
		dst += 2;
		moved++;
	}
	return moved;
}

unsigned wedge_ata_write_words(struct wedge_ata *a, const uint8_t *src, unsigned words)
{
	unsigned moved = 0;
	while (moved < words && a->phase == WEDGE_ATA_DATA_OUT && !(a->device & DEV_DEV1)) {
		uint32_t n = min32(words - moved, (a->block_end - a->pos) / 2 - 1);
		for (uint32_t i = 0; i < 2 * n; i++)
			a->buf[a->pos + i] = src[i];
		a->pos += 2 * n;
		src += 2 * n;
		moved += n;
		if (moved == words)
			break;
		data_out(a, (uint16_t)(src[0] | src[1] << 8));
		update_irq(a);
		src += 2;
		moved++;
	}
	return moved;
}

/* ---- IDENTIFY DEVICE --------------------------------------------------- */

static void put16(uint8_t *b, unsigned word, uint32_t v)
{
	b[2 * word] = (uint8_t)v;
	b[2 * word + 1] = (uint8_t)(v >> 8);
}

/* ATA strings hold the first character of each pair in the high byte. */
static void put_string(uint8_t *b, unsigned word, const char *s, unsigned len)
{
	for (unsigned i = 0; i < len; i++)
		b[2 * word + (i ^ 1)] = (uint8_t)s[i];
}

static uint16_t cylinders(uint64_t sectors, unsigned heads, unsigned spt, unsigned max)
{
	uint64_t c = sectors / (heads * spt);
	return (uint16_t)(c < max ? c : max);
}

static void identify_geometry(const struct wedge_ata *a, uint8_t *b)
{
	uint64_t cap = a->host.sectors;
	put16(b, 1, cylinders(cap, 16, 63, 16383));  /* default translation */
	put16(b, 3, 16);
	put16(b, 6, 63);
	uint16_t cyl = cylinders(cap, a->heads, a->spt, 65535);
	put16(b, 54, cyl);                            /* current translation */
	put16(b, 55, a->heads);
	put16(b, 56, a->spt);
	uint32_t chs = (uint32_t)cyl * a->heads * a->spt;
	put16(b, 57, chs);
	put16(b, 58, chs >> 16);
	uint32_t lba28 = cap < 0x0fffffff ? (uint32_t)cap : 0x0fffffff;
	put16(b, 60, lba28);
	put16(b, 61, lba28 >> 16);
	for (unsigned i = 0; i < 4; i++)
		put16(b, 100 + i, (uint32_t)(cap >> (16 * i)));
}

/*
 * An ATA-7 PATA disk without DMA: LBA48, PIO 0-4, READ/WRITE MULTIPLE up
 * to 16, write cache, look-ahead, power management, FLUSH CACHE (EXT).
 * Nothing that would send libata after logs, NCQ, HPA or TRIM.
 */
static void identify(struct wedge_ata *a)
{
	uint8_t *b = a->buf;
	wedge_dev_zero(b, SECTOR);
	put16(b, 0, 0x0040);              /* ATA, fixed, not removable */
	put16(b, 2, 0xc837);              /* no spin-up needed, IDENTIFY complete */
	put_string(b, 10, a->serial, 20);
	put_string(b, 23, firmware, 8);
	put_string(b, 27, a->model, 40);
	put16(b, 47, 0x8000 | CHUNK);     /* READ/WRITE MULTIPLE: 16 sectors at most */
	put16(b, 48, 0x0001);             /* doubleword PIO */
	put16(b, 49, 0x0e00);             /* IORDY, IORDY may be disabled, LBA */
	put16(b, 50, 0x4000);
	put16(b, 51, 0x0200);             /* obsolete PIO timing: mode 2 */
	put16(b, 53, 0x0003);             /* words 54-58 and 64-70 valid */
	put16(b, 59, 0x0100 | a->multi);  /* the multiple setting is valid */
	put16(b, 64, 0x0003);             /* PIO 3 and 4 */
	put16(b, 67, 120);                /* PIO cycle times, ns */
	put16(b, 68, 120);
	put16(b, 80, 0x00f0);             /* ATA-4 to ATA-7 */
	put16(b, 82, 0x4068);             /* NOP, look-ahead, write cache, PM */
	put16(b, 83, 0x7400);             /* FLUSH EXT, FLUSH, LBA48 */
	put16(b, 84, 0x4000);
	put16(b, 85, 0x4008 | (a->look_ahead ? 0x40 : 0) | (a->write_cache ? 0x20 : 0));
	put16(b, 86, 0x3400);
	put16(b, 87, 0x4000);
	put16(b, 93, 0x404b);             /* device 0 by jumper, passed, answers for 1 */
	put16(b, 106, 0x4000);            /* 512-byte logical = physical sectors */
	identify_geometry(a, b);
	b[510] = 0xa5;                    /* checksum: all 512 bytes sum to 0 */
	uint8_t sum = 0;
	for (unsigned i = 0; i < 511; i++)
		sum = (uint8_t)(sum + b[i]);
	b[511] = (uint8_t)-sum;
}

/* ---- commands ---------------------------------------------------------- */

static uint32_t sector_count(const struct wedge_ata *a)
{
	uint32_t n = a->tf[R_NSECT];
	if (a->ext)
		n |= (uint32_t)a->hob[R_NSECT] << 8;
	return n ? n : (a->ext ? 65536u : 256u);
}

static bool chs_address(const struct wedge_ata *a, uint64_t *lba)
{
	unsigned sector = a->tf[R_LBAL], head = a->device & 0x0f;
	unsigned cyl = (unsigned)a->tf[R_LBAH] << 8 | a->tf[R_LBAM];
	if (!sector || sector > a->spt || head >= a->heads)
		return false;
	*lba = ((uint64_t)cyl * a->heads + head) * a->spt + sector - 1;
	return true;
}

static bool address(const struct wedge_ata *a, uint64_t *lba)
{
	uint32_t low = (uint32_t)a->tf[R_LBAH] << 16 | (uint32_t)a->tf[R_LBAM] << 8 | a->tf[R_LBAL];
	if (a->ext) {
		*lba = (uint64_t)a->hob[R_LBAH] << 40 | (uint64_t)a->hob[R_LBAM] << 32 |
		       (uint64_t)a->hob[R_LBAL] << 24 | low;
		return true;
	}
	if (a->device & DEV_LBA) {
		*lba = (uint64_t)(a->device & 0x0f) << 24 | low;
		return true;
	}
	return chs_address(a, lba);
}

/* The command's sectors into lba/remaining, or the command fails (IDNF). */
static bool locate(struct wedge_ata *a)
{
	uint64_t lba, cap = a->host.sectors;
	uint32_t n = sector_count(a);
	if (!address(a, &lba)) {
		fail(a, ER_IDNF);
		return false;
	}
	if (lba >= cap || n > cap - lba) {
		fail_at(a, ER_IDNF, lba < cap ? cap : lba);
		return false;
	}
	a->lba = lba;
	a->remaining = n;
	return true;
}

static void read_write(struct wedge_ata *a, bool write, bool multiple)
{
	if (multiple && !a->multi) {
		fail(a, ER_ABRT);
	} else if (write && (a->host.read_only || !a->host.write)) {
		fail(a, ER_WP);
	} else if (locate(a)) {
		a->block = multiple ? a->multi : 1;
		if (!write) {
			host_read(a);
			return;
		}
		start_chunk(a);
		next_block(a, WEDGE_ATA_DATA_OUT, false); /* PIO out: no INTRQ for block 1 */
	}
}

/* READ/WRITE SECTORS (+ the obsolete no-retry forms), MULTIPLE, and EXT. */
static const struct {
	uint8_t op;
	bool ext, write, multiple;
} rw_cmds[] = {
	{ 0x20, false, false, false }, { 0x21, false, false, false },
	{ 0x24, true, false, false },  { 0xc4, false, false, true },
	{ 0x29, true, false, true },   { 0x30, false, true, false },
	{ 0x31, false, true, false },  { 0x34, true, true, false },
	{ 0xc5, false, true, true },   { 0x39, true, true, true },
};

static bool rw_command(struct wedge_ata *a, uint8_t cmd)
{
	for (unsigned i = 0; i < sizeof(rw_cmds) / sizeof(rw_cmds[0]); i++) {
		if (rw_cmds[i].op != cmd)
			continue;
		a->ext = rw_cmds[i].ext;
		read_write(a, rw_cmds[i].write, rw_cmds[i].multiple);
		return true;
	}
	return false;
}

/* Transfer mode: PIO default (0, 1: IORDY off) or PIO 0-4 (8-12); no DMA. */
static bool pio_mode(uint8_t mode)
{
	return mode <= 0x01 || (mode >= 0x08 && mode <= 0x0c);
}

static bool set_features(struct wedge_ata *a)
{
	switch (a->tf[R_FEATURE]) {
	case 0x03: return pio_mode(a->tf[R_NSECT]);
	case 0x02: a->write_cache = true; return true;
	case 0x82: a->write_cache = false; return true;
	case 0xaa: a->look_ahead = true; return true;
	case 0x55: a->look_ahead = false; return true;
	default: return false;
	}
}

static bool set_multiple(struct wedge_ata *a)
{
	uint8_t n = a->tf[R_NSECT];   /* 0 turns multiple mode off */
	if (n > CHUNK || (n & (n - 1)))
		return false;
	a->multi = n;
	return true;
}

static bool init_params(struct wedge_ata *a)
{
	if (!a->tf[R_NSECT])
		return false;
	a->heads = (uint8_t)((a->device & 0x0f) + 1);
	a->spt = a->tf[R_NSECT];
	return true;
}

static void signature(struct wedge_ata *a)
{
	a->tf[R_NSECT] = a->tf[R_LBAL] = 1;
	a->tf[R_LBAM] = a->tf[R_LBAH] = 0;   /* 0000: an ATA device, not ATAPI */
	a->device = 0;
	a->error = ER_DIAG_OK;
}

static void data_in_command(struct wedge_ata *a)
{
	identify(a);
	a->remaining = 0;
	a->chunk = a->block = 1;
	a->pos = 0;
	a->chunk_end = SECTOR;
	next_block(a, WEDGE_ATA_DATA_IN, true);
}

/* Commands without data that end at once: true if the drive accepts it. */
static bool non_data(struct wedge_ata *a, uint8_t cmd)
{
	switch (cmd) {
	case 0xef: return set_features(a);
	case 0xc6: return set_multiple(a);
	case 0x91: return init_params(a);             /* INITIALIZE DEVICE PARAMETERS */
	case 0x90: signature(a); return true;         /* EXECUTE DEVICE DIAGNOSTIC */
	case 0xe5: a->tf[R_NSECT] = 0xff; return true; /* CHECK POWER MODE: active */
	case 0xe0: case 0xe1: case 0xe2: case 0xe3: return true; /* standby, idle */
	default: return false;                         /* NOP, PACKET, SMART, ... */
	}
}

static void other_command(struct wedge_ata *a, uint8_t cmd)
{
	a->ext = cmd == 0x42;
	if (cmd == 0xec)
		data_in_command(a);                   /* IDENTIFY DEVICE */
	else if (cmd == 0xe7 || cmd == 0xea)
		host_flush(a);                        /* FLUSH CACHE (EXT) */
	else if (cmd >= 0x40 && cmd <= 0x42) {        /* READ VERIFY SECTORS (EXT) */
		if (locate(a))
			done(a);
	} else if (non_data(a, cmd))
		done(a);
	else
		fail(a, ER_ABRT);
}

static void command(struct wedge_ata *a, uint8_t cmd)
{
	/* the absent device 1 executes nothing; both run the diagnostic */
	if ((a->device & DEV_DEV1) && cmd != 0x90)
		return;
	if (a->phase != WEDGE_ATA_IDLE) {
		a->ignored++;          /* BSY or DRQ: the drive takes no command */
		return;
	}
	a->commands++;
	a->intrq = false;          /* writing the command register clears INTRQ, */
	update_irq(a);             /* visibly: a quick command's INTRQ is a new edge */
	a->failed = false;
	a->error = 0;
	if (!rw_command(a, cmd))
		other_command(a, cmd);
}

/* ---- registers --------------------------------------------------------- */

static uint8_t reg_in(struct wedge_ata *a, unsigned reg)
{
	if (reg == R_DEVICE)
		return a->device;
	if (a->device & DEV_DEV1)
		return 0;              /* device 1: nobody answers but the pull-downs */
	bool hob = a->devctl & CTL_HOB;
	if (reg == R_STATUS) {
		a->intrq = false;
		return status(a);
	}
	if (reg == R_ERROR && !hob)
		return a->error;
	return hob ? a->hob[reg] : a->tf[reg];
}

/* Both devices latch command block writes; any of them clears HOB. */
static void reg_out(struct wedge_ata *a, unsigned reg, uint8_t v)
{
	a->devctl &= (uint8_t)~CTL_HOB;
	if (reg == R_CMD) {
		command(a, v);
	} else if (reg == R_DEVICE) {
		a->device = v;
	} else {
		a->hob[reg] = a->tf[reg];
		a->tf[reg] = v;
	}
}

static void reset_done(struct wedge_ata *a)
{
	signature(a);
	a->failed = false;
	a->phase = WEDGE_ATA_IDLE;
}

static void devctl_out(struct wedge_ata *a, uint8_t v)
{
	bool was = a->devctl & CTL_SRST;
	a->devctl = v;
	if ((v & CTL_SRST) && !was) {
		a->phase = WEDGE_ATA_RESET;  /* abort everything; device 0 is selected */
		a->intrq = false;
		a->device = 0;
	} else if (!(v & CTL_SRST) && was && !a->outstanding) {
		reset_done(a);         /* at once, unless the host still holds buf */
	}
}

/* ISA IOCS16: a byte access to the data port still moves a whole word. */
static uint32_t data_read(struct wedge_ata *a, unsigned size)
{
	if (a->device & DEV_DEV1)
		return 0;
	uint32_t v = data_in(a);
	if (size == 4)
		v |= (uint32_t)data_in(a) << 16;
	return v;
}

static void data_write(struct wedge_ata *a, unsigned size, uint32_t v)
{
	if (a->device & DEV_DEV1)
		return;
	data_out(a, (uint16_t)v);
	if (size == 4)
		data_out(a, (uint16_t)(v >> 16));
}

static uint32_t cmd_in(struct wedge_pio_dev *dev, uint16_t port, unsigned size)
{
	struct wedge_ata *a = dev->state;
	unsigned reg = (unsigned)(port - dev->base);
	uint32_t v = 0;
	if (reg == R_DATA)
		v = data_read(a, size);
	else
		for (unsigned i = 0; i < size; i++) /* registers are bytes: split */
			v |= (uint32_t)reg_in(a, reg + i) << (8 * i);
	update_irq(a);
	return v;
}

static void cmd_out(struct wedge_pio_dev *dev, uint16_t port, unsigned size, uint32_t val)
{
	struct wedge_ata *a = dev->state;
	unsigned reg = (unsigned)(port - dev->base);
	if (reg == R_DATA)
		data_write(a, size, val);
	else
		for (unsigned i = 0; i < size; i++)
			reg_out(a, reg + i, (uint8_t)(val >> (8 * i)));
	update_irq(a);
}

static uint32_t ctl_in(struct wedge_pio_dev *dev, uint16_t port, unsigned size)
{
	struct wedge_ata *a = dev->state;
	(void)port;
	(void)size;
	return (a->device & DEV_DEV1) ? 0 : status(a); /* INTRQ stays */
}

static void ctl_out(struct wedge_pio_dev *dev, uint16_t port, unsigned size, uint32_t val)
{
	struct wedge_ata *a = dev->state;
	(void)port;
	(void)size;
	devctl_out(a, (uint8_t)val);
	update_irq(a);
}

/* ---- host side --------------------------------------------------------- */

void wedge_ata_complete(struct wedge_ata *a, int result)
{
	if (!a->outstanding) {
		a->stray_completions++;
		return;
	}
	a->outstanding = false;
	if (a->phase != WEDGE_ATA_RESET)
		host_finished(a, a->op, result);
	else if (!(a->devctl & CTL_SRST))
		reset_done(a);         /* the reset waited for the host's answer */
	update_irq(a);
}

void wedge_ata_connect_irq(struct wedge_ata *a, wedge_irq_fn *irq, void *ctx, unsigned irq_num)
{
	a->irq = irq;
	a->irq_ctx = ctx;
	a->irq_num = irq_num;
	a->irq_level = false;
	update_irq(a);
}

int wedge_ata_attach(struct wedge_ata *a, struct wedge_pio_bus *bus)
{
	if (wedge_pio_register(bus, &a->dev[0]))
		return -1;
	if (wedge_pio_register(bus, &a->dev[1])) {
		bus->ndevs--;          /* dev[0] went in last: take it out again */
		return -1;
	}
	return 0;
}

static void copy_padded(char *dst, const char *src, const char *dflt, unsigned len)
{
	if (!src)
		src = dflt;
	for (unsigned i = 0; i < len; i++) {
		dst[i] = *src ? *src : ' ';
		if (*src)
			src++;
	}
}

static void init_dev(struct wedge_pio_dev *dev, const char *name, uint16_t base, uint16_t len,
		     uint8_t sizes, struct wedge_ata *a)
{
	dev->name = name;
	dev->base = base;
	dev->len = len;
	dev->sizes = sizes;
	dev->state = a;
}

void wedge_ata_init(struct wedge_ata *a, uint16_t cmd_base, uint16_t ctl_port,
		    const struct wedge_ata_host *host)
{
	wedge_dev_zero(a, sizeof(*a));
	if (host) {                /* field by field: a struct copy may call memcpy */
		a->host.ctx = host->ctx;
		a->host.sectors = host->sectors < WEDGE_ATA_MAX_SECTORS ? host->sectors
									: WEDGE_ATA_MAX_SECTORS;
		a->host.read_only = host->read_only;
		a->host.read = host->read;
		a->host.write = host->write;
		a->host.flush = host->flush;
	}
	copy_padded(a->model, host ? host->model : NULL, "afterburn wedge disk", 40);
	copy_padded(a->serial, host ? host->serial : NULL, "WEDGE-0001", 20);
	a->multi = CHUNK;          /* what a BIOS leaves set: fewer interrupts */
	a->heads = 16;
	a->spt = 63;
	a->write_cache = a->look_ahead = true;
	signature(a);
	init_dev(&a->dev[0], "ata-cmd", cmd_base, 8, 1 | 2 | 4, a);
	a->dev[0].in = cmd_in;
	a->dev[0].out = cmd_out;
	init_dev(&a->dev[1], "ata-ctl", ctl_port, 1, 1, a);
	a->dev[1].in = ctl_in;
	a->dev[1].out = ctl_out;
}
