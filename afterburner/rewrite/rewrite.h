/* The rewriter: GNU as AT&T source in, the same source with every sensitive
 * instruction padded and recorded out.  Line numbers are kept: each input
 * line becomes exactly one output line, so gas diagnostics still point at
 * the original.  The note is appended after the last line. */
#ifndef AB_REWRITE_H
#define AB_REWRITE_H

#include <stddef.h>
#include <stdio.h>

#include "afterburn/abi.h"
#include "buf.h"

struct ab_rw_stats {
	unsigned long sites[AB_K_COUNT];   /* recorded sites per kind */
	unsigned long sites_total;
	unsigned long by_flag[16];         /* sites per AB_F_* bit */
	unsigned long left_16_32;          /* sensitive, in .code16/.code32: left alone */
	unsigned long left_noexec;         /* sensitive, in a non-executable section */
	unsigned long unresolved;          /* statements whose mnemonic is a macro parameter */
	unsigned long lines, bytes;
};

/* 0 on success; -1 after reporting "afterburn: file:line: ..." on stderr. */
int ab_rewrite(const char *file, const char *in, size_t len, struct ab_buf *out,
	       struct ab_rw_stats *st);

/* Human-readable counts (afterburn rewrite --stats, the as wrapper). */
void ab_rw_stats_print(FILE *f, const struct ab_rw_stats *st);

#endif
