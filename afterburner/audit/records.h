/*
 * The site records of an ELF file (SITES notes, abi.h): read,
 * resolve each to the (section, offset) of its site, validate.
 */
#ifndef AB_AUDIT_RECORDS_H
#define AB_AUDIT_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "elf_input.h"

struct ab_dis;

struct ab_record {
	size_t index;           /* number of the record in the file, from 0 */
	unsigned rsec;          /* the note section holding it */
	uint64_t roff;          /* its offset there */
	int32_t rel;
	uint8_t len;
	uint8_t kind;
	uint16_t flags;
	int tsec;               /* section of the site; -1 if it has none */
	uint64_t toff;          /* offset of the site in tsec */
	unsigned insn_len;      /* instruction decoded at the site, 0 if none */
	char *why;              /* what is wrong with it; NULL when valid */
};

/* A problem of a table as a whole rather than of one record. */
struct ab_table_issue {
	unsigned sec;
	char *msg;
};

struct ab_records {
	struct ab_record *v;
	size_t n, cap;
	struct ab_table_issue *issues;
	size_t nissues, capissues;
	size_t nnotes;          /* SITES notes seen */
};

/* Read and resolve every record; 0, or -1 after reporting a fatal error. */
int ab_records_read(struct ab_elf *e, struct ab_records *r);
/* Check each resolved record against the bytes at its site, then
 * duplicates and overlaps; marks invalid records (why != NULL). */
void ab_records_validate(struct ab_elf *e, struct ab_records *r, struct ab_dis *d);
void ab_records_free(struct ab_records *r);

/* Append a reason to a record's list of problems. */
__attribute__((format(printf, 2, 3)))
void ab_record_invalid(struct ab_record *rec, const char *fmt, ...);

/* Indices of the records sorted by (tsec, toff); unresolved ones last. */
size_t *ab_records_by_site(const struct ab_records *r);

/* "inline-asm,prefix" (or "-") into buf. */
void ab_site_flags_str(unsigned flags, char *buf, size_t n);
/* Name of flag bit (1 << i), NULL if this ABI has none. */
const char *ab_site_flag_name(unsigned bit);

/* Does a section of this name hold code that Linux copies elsewhere? */
int ab_altrepl_section(const char *name);

#endif
