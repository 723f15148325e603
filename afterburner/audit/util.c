/* Allocation, growable arrays and byte helpers (util.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../diag.h"
#include "util.h"

static void out_of_memory(void)
{
	ab_error(NULL, 0, "out of memory");
	exit(1);
}

void *ab_au_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *ab_au_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *ab_au_realloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *ab_au_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(ab_au_malloc(n), s, n);
}

char *ab_au_asprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		out_of_memory();
	return s;
}

void ab_au_snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, n, fmt, ap);
	va_end(ap);
}

void ab_au_grow(void **arr, size_t *cap, size_t len, size_t elsize)
{
	if (len < *cap)
		return;
	size_t ncap = *cap ? *cap * 2 : 16;
	if (ncap > SIZE_MAX / elsize)
		out_of_memory();
	*arr = ab_au_realloc(*arr, ncap * elsize);
	*cap = ncap;
}

uint16_t ab_au_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

uint32_t ab_au_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

char *ab_au_hex(char *buf, const uint8_t *p, size_t n)
{
	char *o = buf;
	*o = 0;
	for (size_t i = 0; i < n; i++)
		o += sprintf(o, i ? " %02x" : "%02x", p[i]);
	return buf;
}
