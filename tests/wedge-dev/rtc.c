/* MC146818 RTC and CMOS: formats, status registers, setting the time. */
#include "unit.h"
#include "../../wedge/dev/dev.h"

static struct wedge_devices d;
static struct fake_host h;

static uint8_t cmos(uint8_t reg)
{
	outb(&d, 0x70, reg);
	return inb(&d, 0x71);
}

static void cmos_write(uint8_t reg, uint8_t val)
{
	outb(&d, 0x70, reg);
	outb(&d, 0x71, val);
}

/* 1700000000 is 2023-11-14 22:13:20 UTC, a Tuesday. */
static void test_formats(void)
{
	fake_pc(&d, &h);
	report(cmos(0x0b) == 0x02, "rtc: reset B is BCD, 24-hour");
	report(cmos(0x00) == 0x20 && cmos(0x02) == 0x13 && cmos(0x04) == 0x22, "rtc: BCD time 22:13:20");
	report(cmos(0x07) == 0x14 && cmos(0x08) == 0x11 && cmos(0x09) == 0x23 && cmos(0x32) == 0x20,
	       "rtc: BCD date 2023-11-14, century 20");
	report(cmos(0x06) == 3, "rtc: day of week Tuesday = 3");
	cmos_write(0x0b, 0x06);
	report(cmos(0x00) == 20 && cmos(0x04) == 22 && cmos(0x09) == 23 && cmos(0x32) == 20,
	       "rtc: binary mode per register B");
	cmos_write(0x0b, 0x00);
	report(cmos(0x04) == (0x80 | 0x10), "rtc: 12-hour BCD, 10 PM");
	cmos_write(0x0b, 0x04);
	report(cmos(0x04) == (0x80 | 10), "rtc: 12-hour binary, 10 PM");
	h.wall_s = 1700000000 - 22 * 3600;        /* 00:13:20 */
	report(cmos(0x04) == (0x00 | 12), "rtc: 12-hour midnight is 12 AM");
	cmos_write(0x0b, 0x02);
	h.wall_s = 1700000000 + 41;
	report(cmos(0x00) == 0x01 && cmos(0x02) == 0x14, "rtc: time follows the wall clock");
}

static void test_status_regs(void)
{
	fake_pc(&d, &h);
	report(cmos(0x0a) == 0x26, "rtc: A reads 0x26, UIP clear");
	cmos_write(0x0a, 0xa6);
	report(cmos(0x0a) == 0x26, "rtc: UIP is read-only");
	cmos_write(0x0c, 0xff);
	report(cmos(0x0c) == 0, "rtc: C reads no flags");
	cmos_write(0x0d, 0x00);
	report(cmos(0x0d) == 0x80, "rtc: D reads VRT");
	outb(&d, 0x70, 0x80 | 0x0d);
	report(d.rtc.nmi_masked && inb(&d, 0x71) == 0x80, "rtc: index bit 7 masks NMI, still selects D");
	outb(&d, 0x70, 0x0d);
	report(!d.rtc.nmi_masked, "rtc: index bit 7 clear unmasks NMI");
	report(inb(&d, 0x70) == 0xff, "rtc: index port is write-only");

	bool ok = true;
	for (unsigned r = 0x0e; r < 0x80; r++)
		if (r != 0x32)
			cmos_write((uint8_t)r, (uint8_t)(r * 7));
	for (unsigned r = 0x0e; r < 0x80; r++)
		if (r != 0x32)
			ok &= cmos((uint8_t)r) == (uint8_t)(r * 7);
	cmos_write(0x01, 0x59);                   /* alarm seconds */
	report(ok && cmos(0x01) == 0x59, "rtc: CMOS RAM and alarm registers store");
}

/* mc146818_set_time: SET, write the fields, clear SET. */
static void test_set_time(void)
{
	fake_pc(&d, &h);
	uint8_t b = cmos(0x0b);
	cmos_write(0x0b, b | 0x80);
	h.wall_s += 30;
	report(cmos(0x00) == 0x20, "rtc: SET freezes the registers");
	static const uint8_t t[][2] = {
		{ 0x00, 0x58 }, { 0x02, 0x59 }, { 0x04, 0x23 }, { 0x07, 0x31 },
		{ 0x08, 0x12 }, { 0x09, 0x99 }, { 0x32, 0x19 },
	};
	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		cmos_write(t[i][0], t[i][1]);
	cmos_write(0x0b, b);
	h.wall_s += 3;
	report(cmos(0x00) == 0x01 && cmos(0x02) == 0x00 && cmos(0x04) == 0x00, "rtc: set time runs on: 00:00:01");
	report(cmos(0x07) == 0x01 && cmos(0x08) == 0x01 && cmos(0x09) == 0x00 && cmos(0x32) == 0x20,
	       "rtc: across the year end to 2000-01-01");
	report(cmos(0x06) == 7, "rtc: 2000-01-01 is a Saturday");
	cmos_write(0x02, 0x30);                   /* one field while running */
	report(cmos(0x02) == 0x30 && cmos(0x00) == 0x01 && cmos(0x04) == 0x00, "rtc: a single field write keeps the rest");

	cmos_write(0x0b, 0x80 | 0x04);            /* binary, 12-hour, SET */
	cmos_write(0x04, 0x80 | 12);              /* 12 PM */
	cmos_write(0x0b, 0x06);
	report(cmos(0x04) == 12, "rtc: 12 PM written is noon");
}

static void test_calendar(void)
{
	struct wedge_tm tm;
	wedge_tm_from_epoch(0, &tm);
	report(tm.year == 1970 && tm.mon == 1 && tm.mday == 1 && tm.wday == 4, "rtc: epoch is Thursday 1970-01-01");
	wedge_tm_from_epoch(951782400, &tm);
	report(tm.year == 2000 && tm.mon == 2 && tm.mday == 29, "rtc: 2000-02-29 (leap century)");
	wedge_tm_from_epoch(4107542400, &tm);
	report(tm.year == 2100 && tm.mon == 3 && tm.mday == 1, "rtc: 2100 has no Feb 29");
	wedge_tm_from_epoch(-1, &tm);
	report(tm.year == 1969 && tm.mon == 12 && tm.mday == 31 && tm.sec == 59 && tm.wday == 3,
	       "rtc: before the epoch");
	bool ok = true;
	uint64_t x = 88172645463325252ull;
	for (unsigned i = 0; i < 100000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		int64_t s = (int64_t)(x % (1ull << 40));
		wedge_tm_from_epoch(s, &tm);
		ok &= wedge_tm_to_epoch(&tm) == s && tm.mon >= 1 && tm.mon <= 12 && tm.mday >= 1 && tm.mday <= 31;
	}
	report(ok, "rtc: 100000 random times round-trip");
}

void suite_rtc(void)
{
	test_formats();
	test_status_regs();
	test_set_time();
	test_calendar();
}
