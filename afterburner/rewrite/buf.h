/* A growable byte buffer; allocation failure is fatal (exit 1 with a message). */
#ifndef AB_REWRITE_BUF_H
#define AB_REWRITE_BUF_H

#include <stddef.h>

struct ab_buf {
	char *p;
	size_t len, cap;
};

void ab_buf_reserve(struct ab_buf *b, size_t extra);
void ab_buf_put(struct ab_buf *b, const char *s, size_t n);
void ab_buf_puts(struct ab_buf *b, const char *s);
__attribute__((format(printf, 2, 3)))
void ab_buf_printf(struct ab_buf *b, const char *fmt, ...);
void ab_buf_free(struct ab_buf *b);

/* Whole file (or stdin for "-") into b; -1 with errno set on failure. */
int ab_buf_read_file(struct ab_buf *b, const char *path);
int ab_buf_read_fd(struct ab_buf *b, int fd);

#endif
