/*
 * In-place device models of the wedge (wedge/dev/): the legacy PC ports a
 * guest kernel touches, served inside the guest so that only batched work
 * (a console line) ever leaves it.  Modeled on kvmtool: one small file per
 * device behind one ops table, all devices on one port bus.
 *
 * Freestanding C11 (no libc, no allocation): every state lives in a
 * struct the caller owns.  No locking: the caller serializes accesses (one
 * virtual CPU).  Time comes in from outside: the PIT reads a monotonic
 * clock callback, the RTC a wall-clock callback.  See docs/wedge-devices.md.
 */
#ifndef WEDGE_DEVICES_H
#define WEDGE_DEVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- The port bus ---------------------------------------------------- */

/*
 * One range of ports.  `sizes` is the set of access widths (1|2|4) the
 * device handles itself; any other access is split by the bus into byte
 * accesses, as an ISA bus does for an 8-bit device.
 */
struct wedge_pio_dev {
	const char *name;
	uint16_t base, len;
	uint8_t sizes;
	uint32_t (*in)(struct wedge_pio_dev *dev, uint16_t port, unsigned size);
	void (*out)(struct wedge_pio_dev *dev, uint16_t port, unsigned size, uint32_t val);
	void *state;
};

#define WEDGE_PIO_MAX_DEVS 16

struct wedge_pio_bus {
	struct wedge_pio_dev *devs[WEDGE_PIO_MAX_DEVS];
	unsigned ndevs;
	uint64_t unknown_in, unknown_out; /* accesses no device claimed */
	uint16_t last_unknown;            /* port of the latest one */
};

void wedge_pio_bus_init(struct wedge_pio_bus *bus);
/* 0, or -1 when the bus is full or the range is empty or overlaps another. */
int wedge_pio_register(struct wedge_pio_bus *bus, struct wedge_pio_dev *dev);
/* size is 1, 2 or 4; unclaimed ports read as all ones, writes are dropped. */
uint32_t wedge_pio_in(struct wedge_pio_bus *bus, uint16_t port, unsigned size);
void wedge_pio_out(struct wedge_pio_bus *bus, uint16_t port, unsigned size, uint32_t val);

/* An interrupt line into the PIC: level true raises it. */
typedef void wedge_irq_fn(void *ctx, unsigned irq, bool level);

/* ---- 8259A PIC pair: 0x20-0x21, 0xa0-0xa1, ELCR 0x4d0-0x4d1 ----------- */

struct wedge_pic_chip {
	uint8_t irr, isr, imr;
	uint8_t lines;        /* input levels, for edge detection */
	uint8_t elcr, elcr_mask;
	uint8_t base;         /* ICW2 vector base */
	uint8_t icw3;
	uint8_t prio_add;     /* IR with the highest priority (rotation) */
	uint8_t init_state;   /* 0: operational, 1..3: expecting ICW2..ICW4 */
	bool icw4_needed, single, auto_eoi, rotate_aeoi, sfnm;
	bool read_isr, poll, special_mask;
};

struct wedge_pic {
	struct wedge_pic_chip chip[2]; /* master, slave */
	struct wedge_pio_dev dev[3];   /* master, slave, ELCR */
	bool output;                   /* INT line to the CPU */
	void (*notify)(void *ctx, bool level);
	void *notify_ctx;
};

/* The state a PC BIOS leaves: vectors 0x08/0x70, all but the cascade masked. */
void wedge_pic_init(struct wedge_pic *pic, void (*notify)(void *ctx, bool level), void *ctx);
int wedge_pic_attach(struct wedge_pic *pic, struct wedge_pio_bus *bus);
/* irq 0..15; ISA IRQ2 is wired to IRQ9 as on a PC/AT. */
void wedge_pic_set_irq(struct wedge_pic *pic, unsigned irq, bool level);
void wedge_pic_raise(struct wedge_pic *pic, unsigned irq);
void wedge_pic_lower(struct wedge_pic *pic, unsigned irq);
void wedge_pic_pulse(struct wedge_pic *pic, unsigned irq); /* an edge */
wedge_irq_fn wedge_pic_line; /* ctx is the struct wedge_pic */
/* The vector the next INTA would return, or -1 when INT is low. */
int wedge_pic_pending(const struct wedge_pic *pic);
/* What wedge_pic_pending would say after an edge on irq (the PIC is unchanged). */
int wedge_pic_pending_after_edge(const struct wedge_pic *pic, unsigned irq);
/* The INTA cycle: IRR -> ISR; vector (spurious IRQ7/15 when nothing). */
int wedge_pic_ack(struct wedge_pic *pic);

/* ---- 8254 PIT: 0x40-0x43 (port 0x61 drives channel 2's gate) --------- */

#define WEDGE_PIT_HZ 1193182u

struct wedge_pit_channel {
	uint32_t count;       /* reload value, 1..0x10000 */
	uint64_t load_ns;     /* when counting last (re)started */
	uint64_t base_ticks;  /* ticks counted before load_ns (gate pauses) */
	uint64_t edges;       /* output rising edges already reported */
	uint16_t latch;       /* latched count */
	uint8_t status;       /* latched status */
	uint8_t mode, rw, bcd;
	uint8_t read_state, write_state, write_lsb, latched;
	bool status_latched, gate, loaded, running, null_count;
};

struct wedge_pit {
	struct wedge_pit_channel ch[3];
	struct wedge_pio_dev dev;
	uint64_t (*clock)(void *ctx); /* monotonic nanoseconds */
	void *clock_ctx;
};

void wedge_pit_init(struct wedge_pit *pit, uint64_t (*clock)(void *ctx), void *ctx);
int wedge_pit_attach(struct wedge_pit *pit, struct wedge_pio_bus *bus);
void wedge_pit_set_gate(struct wedge_pit *pit, unsigned channel, bool gate, uint64_t now_ns);
bool wedge_pit_out(const struct wedge_pit *pit, unsigned channel, uint64_t now_ns);
/* Rising edges of channel 0's output (IRQ0) since the last call. */
uint64_t wedge_pit_poll(struct wedge_pit *pit, uint64_t now_ns);
/* When channel 0 next raises IRQ0 (<= now if one is due); UINT64_MAX: never. */
uint64_t wedge_pit_next_irq(const struct wedge_pit *pit, uint64_t now_ns);
/* Input clocks between IRQ0 edges while channel 0 is periodic (modes 2, 3); 0: not. */
uint64_t wedge_pit_period_ticks(const struct wedge_pit *pit);

/* ---- Port 0x61, system control port B --------------------------------- */

struct wedge_port61 {
	struct wedge_pio_dev dev;
	struct wedge_pit *pit;
	uint8_t bits;     /* 0-3: PIT2 gate, speaker, parity/IOCHK enables */
	bool refresh;     /* bit 4, flips on every read */
};

void wedge_port61_init(struct wedge_port61 *p, struct wedge_pit *pit);

/* ---- Port 0x80, POST codes -------------------------------------------- */

struct wedge_port80 {
	struct wedge_pio_dev dev;
	uint8_t last;     /* reads return it; 0xff before any write */
	uint64_t writes;
};

void wedge_port80_init(struct wedge_port80 *p);

/* ---- 8250/16550A UART (COM1 at 0x3f8, IRQ4) --------------------------- */

#define WEDGE_UART_LINE_MAX 256
#define WEDGE_UART_FIFO 16

typedef void wedge_flush_fn(void *ctx, const char *line, size_t len);

struct wedge_uart {
	struct wedge_pio_dev dev;
	uint8_t ier, lcr, mcr, lsr, msr, scr, fcr, dll, dlm;
	bool thr_ipending, irq_level;
	uint8_t rx[WEDGE_UART_FIFO];
	uint8_t rx_head, rx_count;
	char line[WEDGE_UART_LINE_MAX]; /* transmitted bytes not yet flushed */
	size_t line_len;
	uint64_t flushes;
	wedge_flush_fn *flush;
	void *flush_ctx;
	wedge_irq_fn *irq;
	void *irq_ctx;
	unsigned irq_num;
};

void wedge_uart_init(struct wedge_uart *u, uint16_t base, wedge_flush_fn *flush, void *flush_ctx);
void wedge_uart_connect_irq(struct wedge_uart *u, wedge_irq_fn *irq, void *ctx, unsigned irq_num);
/* Feed received bytes; returns how many fit in the FIFO (retry the rest). */
size_t wedge_uart_rx_push(struct wedge_uart *u, const char *buf, size_t n);
/* Hand a partial line to the host now (guest exit, panic). */
void wedge_uart_flush(struct wedge_uart *u);

/* ---- MC146818 RTC and CMOS RAM: 0x70-0x71 ----------------------------- */

struct wedge_rtc {
	struct wedge_pio_dev dev;
	uint8_t cmos[128];  /* RAM; time registers hold a frozen copy while SET */
	uint8_t index;
	bool nmi_masked;    /* bit 7 of the last index written */
	int64_t offset;     /* guest time minus host time, seconds */
	uint64_t (*wall_clock)(void *ctx); /* seconds since 1970-01-01 UTC */
	void *clock_ctx;
};

void wedge_rtc_init(struct wedge_rtc *rtc, uint64_t (*wall_clock)(void *ctx), void *ctx);

/* ---- PCI configuration mechanism #1: 0xcf8-0xcff, no devices ---------- */

struct wedge_pci {
	struct wedge_pio_dev dev;
	uint32_t address;
};

void wedge_pci_init(struct wedge_pci *pci);

/* ---- ATA/IDE disk: 0x1f0-0x1f7, 0x3f6, IRQ14 (one master, PIO) ------- */

#define WEDGE_ATA_SECTOR 512u
/* Sectors per READ/WRITE MULTIPLE block, and the most one host transfer moves. */
#define WEDGE_ATA_MAX_MULTI 16u
#define WEDGE_ATA_MAX_SECTORS ((1ull << 48) - 1)

/* What a host transfer returns; wedge_ata_complete takes DONE or an error. */
#define WEDGE_ATA_DONE 0
#define WEDGE_ATA_PENDING 1
#define WEDGE_ATA_EIO (-1)

/*
 * The backing store, the host's business.  read and write move `count`
 * (1..WEDGE_ATA_MAX_MULTI) whole sectors between the disk and `buf`, the
 * model's sector buffer, and return DONE, PENDING or an error (any other
 * value).  PENDING lends `buf` to the host until it calls
 * wedge_ata_complete -- later, never from inside the callback -- and the
 * drive shows BSY meanwhile; at most one transfer is outstanding.  A NULL
 * read fails every read, a NULL write makes the disk read-only, a NULL
 * flush has nothing to flush.
 */
struct wedge_ata_host {
	void *ctx;
	uint64_t sectors;              /* capacity; cut to WEDGE_ATA_MAX_SECTORS */
	bool read_only;                /* writes fail as on write-protected media */
	const char *model, *serial;    /* IDENTIFY strings (40, 20 chars); NULL: defaults */
	int (*read)(void *ctx, uint64_t lba, unsigned count, void *buf);
	int (*write)(void *ctx, uint64_t lba, unsigned count, const void *buf);
	int (*flush)(void *ctx);
};

enum wedge_ata_phase {
	WEDGE_ATA_IDLE,                /* DRDY: waiting for a command */
	WEDGE_ATA_DATA_IN,             /* DRQ: the guest reads a block */
	WEDGE_ATA_DATA_OUT,            /* DRQ: the guest writes a block */
	WEDGE_ATA_HOST,                /* BSY: a host transfer is outstanding */
	WEDGE_ATA_RESET,               /* BSY: SRST, or a reset waiting for the host */
};

struct wedge_ata {
	struct wedge_pio_dev dev[2];   /* command block (8 ports), control block (1) */
	struct wedge_ata_host host;
	char model[40], serial[20];    /* space padded */
	uint8_t tf[6], hob[6];         /* [1..5] features, count, LBA 7:0, 15:8, 23:16; hob: previous */
	uint8_t error, device, devctl;
	uint8_t multi;                 /* SET MULTIPLE MODE block, 0: off */
	uint8_t heads, spt;            /* CHS translation (INITIALIZE DEVICE PARAMETERS) */
	bool write_cache, look_ahead;
	uint8_t phase, op;             /* enum wedge_ata_phase; the outstanding transfer */
	bool failed, intrq, irq_level, outstanding, ext;
	uint64_t lba;                  /* next sector to move to or from the host */
	uint32_t remaining;            /* sectors of the command not moved yet */
	uint32_t chunk, block;         /* sectors in buf; sectors per DRQ block */
	uint32_t pos, block_end, chunk_end; /* byte offsets in buf */
	uint64_t commands, host_requests, ignored, stray_completions;
	wedge_irq_fn *irq;
	void *irq_ctx;
	unsigned irq_num;
	uint8_t buf[WEDGE_ATA_SECTOR * WEDGE_ATA_MAX_MULTI];
};

/* Power-on state: signature, multiple mode 16, write cache on; host is copied. */
void wedge_ata_init(struct wedge_ata *ata, uint16_t cmd_base, uint16_t ctl_port,
		    const struct wedge_ata_host *host);
void wedge_ata_connect_irq(struct wedge_ata *ata, wedge_irq_fn *irq, void *ctx, unsigned irq_num);
/* Both port ranges on the bus, or neither: 0 or -1. */
int wedge_ata_attach(struct wedge_ata *ata, struct wedge_pio_bus *bus);
/* The outstanding transfer finished: WEDGE_ATA_DONE or an error. */
void wedge_ata_complete(struct wedge_ata *ata, int result);
/*
 * rep insw / rep outsw on the data port, as up to `words` 16-bit accesses
 * would do them, but copied a DRQ block at a time; returns the words
 * moved (fewer when the data phase ends: the rest are ordinary accesses).
 */
unsigned wedge_ata_read_words(struct wedge_ata *ata, uint8_t *dst, unsigned words);
unsigned wedge_ata_write_words(struct wedge_ata *ata, const uint8_t *src, unsigned words);

/* ---- The standard PC set ---------------------------------------------- */

/* What the host side (a backend) gives the devices; any may be NULL. */
struct wedge_dev_host {
	void *ctx;
	wedge_flush_fn *console_flush;          /* one console line */
	uint64_t (*monotonic_ns)(void *ctx);    /* drives the PIT */
	uint64_t (*wall_clock)(void *ctx);      /* seconds since the epoch, UTC */
	void (*irq_notify)(void *ctx, bool level); /* the PIC's INT changed */
};
/* Callbacks run inside a device access: they record, never call back in. */

struct wedge_devices {
	struct wedge_pio_bus bus;
	struct wedge_pic pic;
	struct wedge_pit pit;
	struct wedge_port61 port61;
	struct wedge_port80 port80;
	struct wedge_uart com1;
	struct wedge_rtc rtc;
	struct wedge_pci pci;
	struct wedge_ata ata;          /* on the bus only after wedge_devices_add_disk */
};

/* 0, or -1 if a device could not be placed on the bus. */
int wedge_devices_init(struct wedge_devices *d, const struct wedge_dev_host *host);
/* Deliver due PIT ticks as IRQ0 edges; returns the next deadline (ns). */
uint64_t wedge_devices_tick(struct wedge_devices *d, uint64_t now_ns);
/* Once: a disk on the primary ATA channel (0x1f0, 0x3f6, IRQ14); 0, or -1 (no room). */
int wedge_devices_add_disk(struct wedge_devices *d, const struct wedge_ata_host *host);

#endif
