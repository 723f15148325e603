/*
 * Linear sweep of one executable section: decode every instruction with
 * Capstone, cross-check its length with libopcodes, classify it.  The sweep
 * restarts at every symbol and every valid site record, so that data or
 * padding inside code cannot shift it off the instruction boundaries for
 * longer than up to the next known boundary.
 */
#ifndef AB_AUDIT_SWEEP_H
#define AB_AUDIT_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "disasm.h"
#include "elf_input.h"

struct ab_hit {                 /* one sensitive instruction */
	unsigned sec;
	uint64_t off;
	unsigned kind;
	uint8_t len;
	uint8_t bytes[AB_INSN_MAX];
};

struct ab_disagreement {        /* Capstone and libopcodes differ */
	unsigned sec;
	uint64_t off;
	uint8_t cs_len, op_len;     /* 0: does not decode */
	uint8_t bytes[AB_INSN_MAX];
	uint8_t nbytes;
};

/* The audit's classifier and the wedge's decoder (common/ab_decode.c)
 * read an instruction differently. */
struct ab_kind_diff {
	unsigned sec;
	uint64_t off;
	uint8_t kind, wedge_kind;   /* AB_K_NONE: not sensitive */
	uint8_t len, wedge_len;
	uint8_t bytes[AB_INSN_MAX];
};

struct ab_sweep {
	struct ab_hit *hits;
	size_t nhits, caphits;
	struct ab_disagreement *dis;
	size_t ndis, capdis;
	struct ab_kind_diff *wd;
	size_t nwd, capwd;
	size_t decoded;             /* instructions */
	size_t undecodable;         /* bytes neither disassembler decodes */
	size_t resyncs;             /* instructions that ran over a restart point */
	size_t sections;
};

/*
 * Sweep section sec.  starts: sorted offsets where an instruction is known
 * to begin (symbols, sites), in addition to the section start.
 * Returns 0, or -1 after reporting that the section cannot be read.
 */
int ab_sweep_section(struct ab_elf *e, unsigned sec, struct ab_dis *d,
		     const uint64_t *starts, size_t nstarts, struct ab_sweep *out);
void ab_sweep_free(struct ab_sweep *s);

#endif
