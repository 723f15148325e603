/*
 * `afterburn audit`: every sensitive instruction of an ELF file has a valid
 * site record, every record is valid.  The state of one run, shared by the
 * analysis (audit.c) and the output (report.c).
 */
#ifndef AB_AUDIT_AUDIT_H
#define AB_AUDIT_AUDIT_H

#include <stdio.h>

#include "afterburn/abi.h"
#include "disasm.h"
#include "elf_input.h"
#include "exceptions.h"
#include "note.h"
#include "records.h"
#include "sweep.h"

enum ab_hit_state { AB_HIT_COVERED, AB_HIT_UNCOVERED, AB_HIT_EXCEPTED, AB_HIT_STATES };

struct ab_audit_opts {
	const char *path;
	const char *exceptions;  /* NULL: none */
	int json;
	int verbose;
	FILE *out;
};

struct ab_audit {
	const struct ab_audit_opts *opts;
	struct ab_elf elf;
	struct ab_dis dis;
	struct ab_records recs;
	struct ab_note_info note;
	struct ab_exceptions exc;
	struct ab_sweep sweep;
	unsigned char *state;              /* enum ab_hit_state per sweep hit */
	struct ab_exception **hit_exc;     /* the exception of an excepted hit */
	long *hit_record;                  /* an invalid record at the hit, or -1 */
	size_t per_kind[AB_K_COUNT][AB_HIT_STATES];
	size_t count[AB_HIT_STATES];
	size_t invalid_records;            /* records with a problem */
	size_t stale;                      /* exceptions that matched nothing */
};

/* The whole audit of one file; returns the exit status (0, 1). */
int ab_audit_run(const struct ab_audit_opts *opts);

/* Output (report.c). */
void ab_audit_report_text(struct ab_audit *a, FILE *out);
void ab_audit_report_json(struct ab_audit *a, FILE *out);

#endif
