/* The few memory functions the wedge (and the code gcc emits for it) needs. */
#include "wedge/rt.h"

/* Words that may alias anything: these functions see memory of every type. */
typedef uint64_t __attribute__((may_alias)) word_t;

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/*
 * Eight bytes a turn where both sides are aligned: loading a guest
 * (megabytes of PT_LOADs) is most of the wedge's boot, and byte loops are
 * slow under emulation.
 */
void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	if (!(((uintptr_t)d | (uintptr_t)s) & 7)) {
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(word_t *)(void *)d = *(const word_t *)(const void *)s;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	if (!((uintptr_t)d & 7)) {
		uint64_t v = (uint8_t)c * 0x0101010101010101ull;
		for (; n >= 8; n -= 8, d += 8)
			*(word_t *)(void *)d = v;
	}
	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *wedge_memcpy(void *dst, const void *src, size_t n)
{
	return memcpy(dst, src, n);
}

void *wedge_memset(void *dst, int c, size_t n)
{
	return memset(dst, c, n);
}

size_t wedge_strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int wedge_strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}
