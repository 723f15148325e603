/*
 * UTC calendar arithmetic for the RTC: seconds since 1970 <-> date, with
 * the proleptic Gregorian day-count algorithm of H. Hinnant (eras of 400
 * years), exact for any 64-bit day number and free of tables.
 */
#include "dev.h"

#define SECS_PER_DAY 86400

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

void wedge_tm_from_epoch(int64_t secs, struct wedge_tm *tm)
{
	int64_t days = floor_div(secs, SECS_PER_DAY);
	int64_t rem = secs - days * SECS_PER_DAY;
	tm->hour = (unsigned)(rem / 3600);
	tm->min = (unsigned)(rem / 60 % 60);
	tm->sec = (unsigned)(rem % 60);
	tm->wday = (unsigned)(days + 4 - floor_div(days + 4, 7) * 7); /* 1970-01-01: Thu */

	int64_t z = days + 719468;               /* days since 0000-03-01 */
	int64_t era = floor_div(z, 146097);
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;       /* March = 0 */
	tm->mday = doy - (153 * mp + 2) / 5 + 1;
	tm->mon = mp < 10 ? mp + 3 : mp - 9;
	tm->year = (int64_t)yoe + era * 400 + (tm->mon <= 2);
}

/* Out-of-range fields (a guest may write anything) just carry over. */
int64_t wedge_tm_to_epoch(const struct wedge_tm *tm)
{
	unsigned mon = tm->mon >= 1 && tm->mon <= 12 ? tm->mon : 1;
	int64_t y = tm->year - (mon <= 2);
	int64_t era = floor_div(y, 400);
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (mon > 2 ? mon - 3 : mon + 9) + 2) / 5 + tm->mday - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = era * 146097 + doe - 719468;
	return days * SECS_PER_DAY + tm->hour * 3600 + tm->min * 60 + tm->sec;
}
