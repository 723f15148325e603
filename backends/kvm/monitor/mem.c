/*
 * Guest RAM: one anonymous host mapping, seen by the guest in up to two
 * ranges (mon.h), and mon_gpa, the single check every guest-supplied
 * address goes through.
 *
 * Why 2 MiB alignment: KVM maps a guest page with a 2 MiB nested (NPT/EPT)
 * page only where the host backs it with a transparent huge page *and*
 * the guest-physical and host-virtual addresses agree modulo 2 MiB.  An
 * mmap of a few hundred MiB is only page-aligned (Linux before 6.7 does
 * not align large anonymous mappings), so every guest page used to cost a
 * nested page fault of its own (~6,800 `npf` exits per Linux boot on
 * kvm-host).  Aligned and madvise(MADV_HUGEPAGE)d, each 2 MiB the guest
 * touches costs one.  The mapping is not populated up front: zeroing all
 * of RAM costs more than the faults it saves (docs/monitor.md measures
 * both), since KVM creates nested entries lazily either way.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>

#include "mon.h"

#define HUGE_PAGE (2 * MON_MIB)

int mon_mem_alloc(struct mon_mem *m, uint64_t size)
{
	uint64_t span = size + HUGE_PAGE;
	uint8_t *p = mmap(NULL, span, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		mon_err("cannot map %llu MiB of guest RAM: %s", (unsigned long long)(size / MON_MIB),
			strerror(errno));
		return -1;
	}
	uint8_t *a = (uint8_t *)(((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
	if (a > p)
		munmap(p, (size_t)(a - p));
	if (a + size < p + span)
		munmap(a + size, (size_t)(p + span - (a + size)));
	/* Without THP (never, or no kernel support) this fails: 4 KiB pages, still correct. */
	madvise(a, size, MADV_HUGEPAGE);
	m->host = a;
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

/* The AnonHugePages of the smaps entries inside guest RAM. */
int64_t mon_mem_huge_bytes(const struct mon_mem *m)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	if (!f || !m->host) {
		if (f)
			fclose(f);
		return -1;
	}
	char line[512];
	bool inside = false, seen = false;
	int64_t kib = 0;
	uintptr_t lo = (uintptr_t)m->host, hi = lo + m->size;
	while (fgets(line, sizeof(line), f)) {
		uintptr_t a, b;
		unsigned long long v;
		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " ", &a, &b) == 2)
			inside = a >= lo && b <= hi;
		else if (inside && sscanf(line, "AnonHugePages: %llu kB", &v) == 1) {
			kib += (int64_t)v;
			seen = true;
		}
	}
	fclose(f);
	return seen ? kib * 1024 : -1;
}
