/*
 * `afterburn compare`: the afterburned object's instructions equal the plain
 * object's once the recorded padding is removed.  Per executable section
 * both are decoded; at each site of the afterburned one the instruction is
 * kept and its padding (checked to be NOPs) dropped; NOPs elsewhere
 * (alignment fill, which moves with the padding) are dropped on both sides;
 * what is left must match instruction by instruction, ignoring relative
 * branch targets (and short versus near encodings) and %rip-relative
 * displacements, which the padding shifts.
 */
#ifndef AB_AUDIT_COMPARE_H
#define AB_AUDIT_COMPARE_H

#include <stddef.h>

struct ab_cmp_stats {
	size_t sections;        /* executable sections compared */
	size_t insns;           /* instructions compared */
	size_t sites;           /* sites whose padding was removed */
};

enum ab_cmp_result { AB_CMP_EQUAL = 0, AB_CMP_MISMATCH = 1, AB_CMP_ERROR = 2 };

/* Compare two objects; on a mismatch msg says where and what (one line).
 * Errors reading a file are reported on stderr and also put in msg. */
enum ab_cmp_result ab_compare_files(const char *plain, const char *ab,
				    struct ab_cmp_stats *st, char *msg, size_t n);

/* compare --dirs: the exit status. */
int ab_compare_dirs(const char *plain_dir, const char *ab_dir, unsigned jobs);

/* Compare one section pair (compare_seq.c). */
struct ab_elf;
struct ab_records;
enum ab_cmp_result ab_compare_section(struct ab_elf *pe, unsigned psec,
				      const struct ab_records *precs,
				      struct ab_elf *ae, unsigned asec,
				      const struct ab_records *arecs,
				      struct ab_cmp_stats *st, char *msg, size_t n);

#endif
