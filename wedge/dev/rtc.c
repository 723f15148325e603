/*
 * MC146818 real-time clock and its 128 bytes of CMOS RAM.  The time is
 * the host's wall clock plus an offset the guest sets by writing the time
 * registers; it is read afresh at every access, in BCD or binary and 12-
 * or 24-hour form as register B says.  No update cycle is ever in progress
 * (UIP reads 0) and no RTC interrupts are generated (register C reads 0).
 * Bit 7 of the index port masks NMIs, kept for whoever delivers them.
 */
#include "dev.h"

enum {
	SEC = 0x00, MIN = 0x02, HOUR = 0x04, WDAY = 0x06, MDAY = 0x07,
	MON = 0x08, YEAR = 0x09, REG_A = 0x0a, REG_B = 0x0b, REG_C = 0x0c,
	REG_D = 0x0d, CENTURY = 0x32,
};

#define B_SET 0x80
#define B_UIE 0x10
#define B_BINARY 0x04
#define B_24H 0x02
#define MAX_SECS INT64_C(253402300799) /* 9999-12-31 23:59:59: two BCD digits of century */

static bool is_time_reg(unsigned i)
{
	return i <= YEAR || i == CENTURY;
}

static int64_t clamp(int64_t t)
{
	return t < 0 ? 0 : t > MAX_SECS ? MAX_SECS : t;
}

static int64_t host_secs(const struct wedge_rtc *rtc)
{
	uint64_t t = rtc->wall_clock ? rtc->wall_clock(rtc->clock_ctx) : 0;
	return t > (uint64_t)MAX_SECS ? MAX_SECS : (int64_t)t;
}

static uint8_t enc(const struct wedge_rtc *rtc, unsigned v)
{
	return (rtc->cmos[REG_B] & B_BINARY) ? (uint8_t)v : wedge_bin2bcd(v);
}

static unsigned dec(const struct wedge_rtc *rtc, uint8_t v)
{
	return (rtc->cmos[REG_B] & B_BINARY) ? v : wedge_bcd2bin(v);
}

static uint8_t enc_hour(const struct wedge_rtc *rtc, unsigned h)
{
	if (rtc->cmos[REG_B] & B_24H)
		return enc(rtc, h);
	unsigned h12 = h % 12 ? h % 12 : 12;
	return (uint8_t)(enc(rtc, h12) | (h >= 12 ? 0x80 : 0));
}

static unsigned dec_hour(const struct wedge_rtc *rtc, uint8_t v)
{
	if (rtc->cmos[REG_B] & B_24H)
		return dec(rtc, v);
	return dec(rtc, v & 0x7f) % 12 + (v & 0x80 ? 12 : 0);
}

/* Fill the time registers with the current guest time. */
static void refresh(struct wedge_rtc *rtc)
{
	struct wedge_tm tm;
	wedge_tm_from_epoch(clamp(host_secs(rtc) + rtc->offset), &tm);
	uint8_t *r = rtc->cmos;
	r[SEC] = enc(rtc, tm.sec);
	r[MIN] = enc(rtc, tm.min);
	r[HOUR] = enc_hour(rtc, tm.hour);
	r[WDAY] = enc(rtc, tm.wday + 1);   /* Sunday = 1 */
	r[MDAY] = enc(rtc, tm.mday);
	r[MON] = enc(rtc, tm.mon);
	r[YEAR] = enc(rtc, (unsigned)(tm.year % 100));
	r[CENTURY] = enc(rtc, (unsigned)(tm.year / 100));
}

/* The guest wrote the time registers: keep what they say as its time. */
static void adopt(struct wedge_rtc *rtc)
{
	const uint8_t *r = rtc->cmos;
	struct wedge_tm tm = {
		.sec = dec(rtc, r[SEC]), .min = dec(rtc, r[MIN]),
		.hour = dec_hour(rtc, r[HOUR]), .mday = dec(rtc, r[MDAY]),
		.mon = dec(rtc, r[MON]),
		.year = (int64_t)dec(rtc, r[CENTURY]) * 100 + dec(rtc, r[YEAR]),
	};
	rtc->offset = clamp(wedge_tm_to_epoch(&tm)) - host_secs(rtc);
}

static uint8_t read_reg(struct wedge_rtc *rtc, unsigned i)
{
	if (is_time_reg(i) && !(rtc->cmos[REG_B] & B_SET))
		refresh(rtc);
	switch (i) {
	case REG_A: return rtc->cmos[REG_A] & 0x7f; /* UIP = 0 */
	case REG_C: return 0;                       /* no flags, nothing to clear */
	case REG_D: return 0x80;                    /* VRT: RAM and time valid */
	default: return rtc->cmos[i];
	}
}

static void write_reg_b(struct wedge_rtc *rtc, uint8_t val)
{
	bool was_set = rtc->cmos[REG_B] & B_SET;
	if (!(val & B_SET) && was_set)
		adopt(rtc);               /* in the format the guest wrote it */
	if (val & B_SET)
		val &= ~B_UIE;            /* SET clears UIE (datasheet) */
	rtc->cmos[REG_B] = val;
	if ((val & B_SET) && !was_set)
		refresh(rtc);             /* freeze, in the format just chosen */
}

static void write_reg(struct wedge_rtc *rtc, unsigned i, uint8_t val)
{
	if (i == REG_B) {
		write_reg_b(rtc, val);
	} else if (i == REG_A) {
		rtc->cmos[REG_A] = val & 0x7f;
	} else if (i == REG_C || i == REG_D) {
		/* read-only */
	} else if (is_time_reg(i) && !(rtc->cmos[REG_B] & B_SET)) {
		refresh(rtc);             /* a running clock takes the new field */
		rtc->cmos[i] = val;
		adopt(rtc);
	} else {
		rtc->cmos[i] = val;
	}
}

static uint32_t rtc_in(struct wedge_pio_dev *dev, uint16_t port, unsigned size)
{
	struct wedge_rtc *rtc = dev->state;
	(void)size;
	if (port == dev->base)
		return 0xff;              /* the index register is write-only */
	return read_reg(rtc, rtc->index);
}

static void rtc_out(struct wedge_pio_dev *dev, uint16_t port, unsigned size, uint32_t val)
{
	struct wedge_rtc *rtc = dev->state;
	(void)size;
	if (port == dev->base) {
		rtc->index = val & 0x7f;
		rtc->nmi_masked = val & 0x80;
	} else {
		write_reg(rtc, rtc->index, (uint8_t)val);
	}
}

void wedge_rtc_init(struct wedge_rtc *rtc, uint64_t (*wall_clock)(void *ctx), void *ctx)
{
	wedge_dev_zero(rtc, sizeof(*rtc));
	rtc->wall_clock = wall_clock;
	rtc->clock_ctx = ctx;
	rtc->cmos[REG_A] = 0x26;          /* 32.768 kHz base, 1024 Hz rate */
	rtc->cmos[REG_B] = B_24H;         /* BCD, 24-hour, as a BIOS leaves it */
	rtc->index = REG_D;
	rtc->dev.name = "rtc";
	rtc->dev.base = 0x70;
	rtc->dev.len = 2;
	rtc->dev.sizes = 1;
	rtc->dev.in = rtc_in;
	rtc->dev.out = rtc_out;
	rtc->dev.state = rtc;
}
