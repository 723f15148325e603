/*
 * Small helpers of the audit tools: allocation that never returns NULL
 * (a host tool has nothing better to do than stop on out-of-memory) and
 * growable arrays.
 */
#ifndef AB_AUDIT_UTIL_H
#define AB_AUDIT_UTIL_H

#include <stddef.h>
#include <stdint.h>

void *ab_au_malloc(size_t n);
void *ab_au_calloc(size_t n, size_t size);
void *ab_au_realloc(void *p, size_t n);
char *ab_au_strdup(const char *s);
__attribute__((format(printf, 1, 2)))
char *ab_au_asprintf(const char *fmt, ...);

/* snprintf for messages into fixed buffers, where cutting a very long
 * symbol name short is fine (and -Wformat-truncation need not warn). */
__attribute__((format(printf, 3, 4)))
void ab_au_snprintf(char *buf, size_t n, const char *fmt, ...);

/* Make room for one more element in *arr (of *len used, *cap allocated). */
void ab_au_grow(void **arr, size_t *cap, size_t len, size_t elsize);
#define AB_PUSH(arr, len, cap) \
	(ab_au_grow((void **)&(arr), &(cap), (len), sizeof(*(arr))), &(arr)[(len)++])

/* Little-endian loads from a byte buffer (the file's, not the host's order). */
uint16_t ab_au_le16(const uint8_t *p);
uint32_t ab_au_le32(const uint8_t *p);

/* "fa 0f 01 f8": n bytes as hex into buf (at least 3 * n + 1 bytes). */
char *ab_au_hex(char *buf, const uint8_t *p, size_t n);

#endif
