/*
 * Which sites run on the user's stack.  `syscall` leaves %rsp alone, so
 * the kernel's entry runs on the user's stack until it loads its own, and
 * `sysret` needs the user's %rsp back before it runs.  A backend must not
 * push there: below the user's %rsp lies its red zone (x86-64 ABI: 128
 * bytes a leaf function may use without moving %rsp), and the page need
 * not even be mapped.  The records do not say it; the code around the
 * sites does, and the wedge reads it:
 *
 *   sysret, sysexit          on the user's stack by definition: neither
 *                            loads %rsp from the kernel
 *   swapgs; mov %rsp, m64    the syscall entry: the user's %rsp is saved
 *                            before the kernel loads its own (Linux
 *                            entry_SYSCALL_64, FreeBSD fast_syscall)
 *   S; [sites, jmp]... sysret  a site from which nothing but other sites
 *                            and unconditional jumps lead to a sysret
 *                            (Linux: swapgs and the MDS verw before sysretq)
 *
 * The walk only crosses sites and `jmp` (eb/e9): any other instruction
 * may move %rsp, so it ends the walk with "not proven".  Linux 6.1 has six
 * such sites; the wedge prints each (rt/main.c).
 */
#include "afterburn/abi.h"
#include "wedge/sites.h"

#define WALK_MAX 8 /* sites and jumps crossed before giving up */

static const struct wedge_site *site_at(const struct wedge_site *s, size_t n, uint64_t addr)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s[mid].addr == addr)
			return &s[mid];
		if (s[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The bytes at addr..addr+len, when they all lie in one executable range. */
static const uint8_t *text_at(const struct wedge_image *img, uint64_t addr, uint64_t len)
{
	for (size_t i = 0; i < img->ntext; i++)
		if (addr >= img->text[i].start && len <= img->text[i].end - addr)
			return (const uint8_t *)(uintptr_t)(addr + (uint64_t)img->bias);
	return NULL;
}

static int returns_to_user(unsigned kind)
{
	return kind == AB_K_SYSRET || kind == AB_K_SYSEXIT;
}

/* Control transfers and stack loads: the walk cannot see past them. */
static int ends_walk(unsigned kind)
{
	switch (kind) {
	case AB_K_IRET: case AB_K_LRET: case AB_K_LJMP: case AB_K_LCALL: case AB_K_INTN:
	case AB_K_LOAD_FARPTR:
		return 1;
	default:
		return 0;
	}
}

/* mov %rsp, m64: [fs/gs prefix] REX.W (no R) 89, ModRM reg = 4, mod != 3. */
static int stores_rsp(const uint8_t *p)
{
	if (p[0] == 0x64 || p[0] == 0x65)
		p++;
	return (p[0] & 0xfc) == 0x48 && p[1] == 0x89 && ((p[2] >> 3) & 7) == 4 &&
	       (p[2] >> 6) != 3;
}

static int32_t le32s(const uint8_t *p)
{
	return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
			 (uint32_t)p[3] << 24);
}

static int on_user_stack(const struct wedge_image *img, const struct wedge_site *sites,
			 size_t n, const struct wedge_site *s)
{
	if (returns_to_user(s->kind))
		return 1;
	uint64_t addr = s->addr + s->len;
	for (unsigned step = 0; step < WALK_MAX; step++) {
		const struct wedge_site *t = site_at(sites, n, addr);
		if (t) {
			if (returns_to_user(t->kind))
				return 1;
			if (ends_walk(t->kind))
				return 0;
			addr = t->addr + t->len;
			continue;
		}
		const uint8_t *p = text_at(img, addr, 5);
		if (!p)
			return 0;
		if (p[0] == 0xeb)
			addr += 2 + (uint64_t)(int64_t)(int8_t)p[1];
		else if (p[0] == 0xe9)
			addr += 5 + (uint64_t)(int64_t)le32s(p + 1);
		else
			return s->kind == AB_K_SWAPGS && stores_rsp(p);
	}
	return 0;
}

size_t wedge_sites_mark_user_stack(const struct wedge_image *img, struct wedge_site *sites,
				   size_t n)
{
	size_t marked = 0;
	for (size_t i = 0; i < n; i++) {
		sites[i].user_stack = on_user_stack(img, sites, n, &sites[i]);
		marked += sites[i].user_stack;
	}
	return marked;
}
