/*
 * The backend model: how the wedge turns each recorded site into what its
 * hypervisor allows (Linux's paravirt patching is the model: the backend
 * writes bytes and says how many, generic code pads and validates).
 *
 * A backend registers with WEDGE_BACKEND(); the wedge walks the linker
 * section at boot and probes each, or is told which by its loader.
 */
#ifndef WEDGE_BACKEND_H
#define WEDGE_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One site, as the wedge sees it after reading its record. */
struct wedge_site {
	uint64_t addr;       /* guest virtual address of the site's first byte */
	uint8_t *bytes;      /* where the wedge reads and writes them */
	unsigned len;        /* lead NOPs + instruction + padding */
	unsigned insn_off;   /* the instruction's offset: its lead NOPs (AB_F_LEAD) */
	unsigned insn_len;   /* the instruction, decoded */
	unsigned kind;       /* enum ab_kind */
	unsigned flags;      /* AB_F_* */
	uint64_t record;     /* guest virtual address of the record */
	/*
	 * Runs on the user's stack (core/stack.c: the syscall entry before the
	 * kernel switches stacks, the way out to sysret): a backend must not
	 * push there, so a `call` into the wedge is out.
	 */
	bool user_stack;
};

struct wedge_backend {
	const char *name;
	/* Non-zero when this backend applies to the platform it runs on. */
	int (*probe)(void);
	/*
	 * Write the replacement for one site into out[0..site->len) and
	 * return how many bytes it wrote (0..site->len); generic code fills
	 * the rest with NOPs.  The original bytes are in site->bytes.
	 */
	unsigned (*patch)(const struct wedge_site *site, uint8_t *out);
	/* Optional: called once before the first patch, with the site count. */
	void (*prepare)(size_t nsites);
};

#define WEDGE_BACKEND_SECTION wedge_backends
#define WEDGE_BACKEND(var)                                                  \
	static const struct wedge_backend var                                \
		__attribute__((used, section("wedge_backends"), aligned(8)))

/* The registered backends, in link order. */
size_t wedge_backend_count(void);
const struct wedge_backend *wedge_backend_at(size_t i);
const struct wedge_backend *wedge_backend_find(const char *name);

#endif
