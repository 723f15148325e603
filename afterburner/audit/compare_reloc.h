/*
 * compare: the relocations inside each matched instruction pair must match
 * too (same position in the instruction, type, symbol, and addend unless
 * the target is code, which the padding moves).  Without this, a call to
 * another external function would look the same: in an object its
 * displacement is 0 either way.
 */
#ifndef AB_AUDIT_COMPARE_RELOC_H
#define AB_AUDIT_COMPARE_RELOC_H

#include <stddef.h>
#include <stdint.h>

#include "elf_input.h"

struct ab_reloc_cursor {
	const struct ab_elf *e;
	struct ab_reloc *v;     /* of one section, by offset */
	size_t n, k;
};

/* 0, or -1 after reporting that the relocations cannot be read. */
int ab_reloc_cursor_init(struct ab_reloc_cursor *c, struct ab_elf *e, unsigned sec);
void ab_reloc_cursor_fini(struct ab_reloc_cursor *c);

/* Do the relocations in the instructions at p_at (p_len bytes, in p) and
 * a_at (a_len bytes, in a) match?  1 if so; else 0 and why says how. */
int ab_relocs_match(struct ab_reloc_cursor *p, uint64_t p_at, size_t p_len,
		    struct ab_reloc_cursor *a, uint64_t a_at, size_t a_len, char *why, size_t n);

#endif
