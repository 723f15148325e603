/*
 * Messages, files and numbers.  Every error goes out as one line
 * "previrt: what is wrong" on stderr; callers return -1 and the command
 * exits with MON_EXIT_ERROR.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mon.h"

static void verr(const char *fmt, va_list ap)
{
	char buf[1024];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	fprintf(stderr, "%s: %s\n", MON_NAME, buf);
}

void mon_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verr(fmt, ap);
	va_end(ap);
}

/* A regular file, read whole: a guest image or initrd (at most 4 GiB). */
int mon_read_file(const char *path, uint8_t **data, size_t *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		mon_err("%s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		mon_err("%s: not a regular file", path);
		close(fd);
		return -1;
	}
	if ((uint64_t)st.st_size > 4 * MON_GIB) {
		mon_err("%s: %lld bytes, more than 4 GiB", path, (long long)st.st_size);
		close(fd);
		return -1;
	}
	size_t n = (size_t)st.st_size, got = 0;
	uint8_t *buf = malloc(n ? n : 1);
	if (!buf) {
		mon_err("%s: out of memory for %zu bytes", path, n);
		close(fd);
		return -1;
	}
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			mon_err("%s: %s", path, r ? strerror(errno) : "file shrank while reading");
			free(buf);
			close(fd);
			return -1;
		}
		got += (size_t)r;
	}
	close(fd);
	*data = buf;
	*size = n;
	return 0;
}

int mon_parse_size(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return -1;
	uint64_t unit = MON_MIB; /* a bare number is MiB, as QEMU's -m */
	switch (*end) {
	case 'k': case 'K': unit = MON_KIB; break;
	case 'm': case 'M': unit = MON_MIB; break;
	case 'g': case 'G': unit = MON_GIB; break;
	case '\0': break;
	default: return -1;
	}
	if (*end) {
		end++;
		if (!strcmp(end, "iB") || !strcmp(end, "B"))
			end += strlen(end);
	}
	if (*end || v > UINT64_MAX / unit)
		return -1;
	*out = v * unit;
	return 0;
}

int mon_parse_seconds(const char *s, uint64_t *ns)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0) || v > 1e7)
		return -1;
	*ns = (uint64_t)(v * 1e9);
	return *ns ? 0 : -1;
}

uint64_t mon_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int mon_write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	while (len) {
		ssize_t r = write(fd, p, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		len -= (size_t)r;
	}
	return 0;
}
