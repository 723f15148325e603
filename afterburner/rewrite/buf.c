#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../diag.h"
#include "buf.h"

void ab_buf_reserve(struct ab_buf *b, size_t extra)
{
	if (b->len + extra <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + extra)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p) {
		ab_error(NULL, 0, "out of memory (%zu bytes)", cap);
		exit(1);
	}
	b->p = p;
	b->cap = cap;
}

void ab_buf_put(struct ab_buf *b, const char *s, size_t n)
{
	if (n == 0)
		return; /* also keeps a NULL p out of pointer arithmetic */
	ab_buf_reserve(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

void ab_buf_puts(struct ab_buf *b, const char *s)
{
	ab_buf_put(b, s, strlen(s));
}

void ab_buf_printf(struct ab_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	ab_buf_reserve(b, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void ab_buf_free(struct ab_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

int ab_buf_read_fd(struct ab_buf *b, int fd)
{
	for (;;) {
		ab_buf_reserve(b, 65536);
		ssize_t n = read(fd, b->p + b->len, b->cap - b->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		b->len += (size_t)n;
	}
}

int ab_buf_read_file(struct ab_buf *b, const char *path)
{
	if (!strcmp(path, "-"))
		return ab_buf_read_fd(b, 0);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = ab_buf_read_fd(b, fd);
	int saved = errno;
	close(fd);
	errno = saved;
	return rc;
}
