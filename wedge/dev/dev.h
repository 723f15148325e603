/*
 * Helpers shared by the device models (internal to wedge/dev/).  No libc:
 * the wedge links none, so the few byte and calendar routines are here.
 */
#ifndef WEDGE_DEV_H
#define WEDGE_DEV_H

#include <stddef.h>
#include <stdint.h>

#include "wedge/devices.h"

/* All ones of an access width: what an unclaimed or absent port reads. */
static inline uint32_t wedge_dev_ones(unsigned size)
{
	return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

static inline uint8_t wedge_bin2bcd(unsigned v)
{
	return (uint8_t)(((v / 10) % 10) << 4 | (v % 10));
}

static inline unsigned wedge_bcd2bin(uint8_t v)
{
	return (v >> 4) * 10u + (v & 15);
}

/* Byte fill without libc (the wedge has no memset). */
void wedge_dev_zero(void *p, size_t n);

/* A broken-down UTC time, as the RTC registers hold it. */
struct wedge_tm {
	unsigned sec, min, hour;  /* 0-59, 0-59, 0-23 */
	unsigned mday, mon;       /* 1-31, 1-12 */
	unsigned wday;            /* 0-6, Sunday = 0 */
	int64_t year;             /* e.g. 2026 */
};

void wedge_tm_from_epoch(int64_t secs, struct wedge_tm *tm);
int64_t wedge_tm_to_epoch(const struct wedge_tm *tm);

#endif
