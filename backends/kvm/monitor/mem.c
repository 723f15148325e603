/*
 * Guest RAM: one anonymous host mapping, seen by the guest in up to two
 * ranges (mon.h), and mon_gpa, the single check every guest-supplied
 * address goes through.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "mon.h"

int mon_mem_alloc(struct mon_mem *m, uint64_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		mon_err("cannot map %llu MiB of guest RAM: %s", (unsigned long long)(size / MON_MIB),
			strerror(errno));
		return -1;
	}
	/* Large pages in the host make the nested page tables shallower. */
	madvise(p, size, MADV_HUGEPAGE);
	m->host = p;
	m->size = size;
	m->low = size < MON_LOW_RAM_MAX ? size : MON_LOW_RAM_MAX;
	return 0;
}

void mon_mem_free(struct mon_mem *m)
{
	if (m->host)
		munmap(m->host, m->size);
	m->host = NULL;
}

void *mon_gpa(const struct mon_mem *m, uint64_t gpa, uint64_t len)
{
	if (!m->host || !len)
		return NULL;
	if (gpa < m->low)
		return len <= m->low - gpa ? m->host + gpa : NULL;
	uint64_t high = m->size - m->low;
	if (gpa < MON_HIGH_RAM_BASE || gpa - MON_HIGH_RAM_BASE >= high)
		return NULL;
	uint64_t off = gpa - MON_HIGH_RAM_BASE;
	return len <= high - off ? m->host + m->low + off : NULL;
}
