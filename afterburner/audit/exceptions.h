/*
 * The exceptions file of `afterburn audit --exceptions FILE`: sensitive
 * instructions knowingly left without a record.  One per line:
 *
 *   SYMBOL[+OFFSET]  KIND  reason text
 *
 * KIND is a kind name of abi.h (cli, mov-to-cr, int-n, ...) or * for any;
 * without +OFFSET every such instruction in SYMBOL matches.  SYMBOL may also
 * be a section name, the offset then counts from the section start.  # starts
 * a comment line.  The reason is mandatory: it is printed with each match.
 */
#ifndef AB_AUDIT_EXCEPTIONS_H
#define AB_AUDIT_EXCEPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "elf_input.h"

struct ab_exception {
	char *sym;
	int has_off;
	uint64_t off;
	unsigned kind;          /* AB_K_NONE: any kind */
	char *reason;
	unsigned long line;
	size_t matched;
};

struct ab_exceptions {
	const char *path;
	struct ab_exception *v;
	size_t n, cap;
};

/* 0, or -1 after reporting "afterburn: FILE:LINE: ..." errors. */
int ab_exceptions_load(struct ab_exceptions *x, const char *path);
/* The exception covering the instruction, NULL if none; counts the match. */
struct ab_exception *ab_exceptions_match(struct ab_exceptions *x, const struct ab_elf *e,
					 unsigned sec, uint64_t off, unsigned kind);
void ab_exceptions_free(struct ab_exceptions *x);
/* "sym+0x10 cli" into buf. */
void ab_exception_str(const struct ab_exception *ex, char *buf, size_t n);

#endif
