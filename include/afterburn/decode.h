/*
 * A decoder for exactly the sensitive instructions of AB_KIND_TABLE, in
 * 64-bit mode.  Freestanding: the wedge validates records with it, the
 * rewriter recognises .byte-spelled instructions with it, host unit tests
 * check it against the assembler.
 */
#ifndef AFTERBURN_DECODE_H
#define AFTERBURN_DECODE_H

#include <stddef.h>
#include <stdint.h>

struct ab_insn {
	unsigned len;      /* bytes, prefixes included */
	unsigned kind;     /* enum ab_kind */
	unsigned prefixes; /* how many legacy/REX prefix bytes */
};

/*
 * Decode the instruction at p[0..n).  Returns 0 and fills *insn when it is
 * sensitive; -1 when it is not sensitive, or is cut off before n.
 */
int ab_decode_sensitive(const uint8_t *p, size_t n, struct ab_insn *insn);

#endif
