/* The Afterburn version note: ABI and toolchain version (abi.h). */
#ifndef AB_AUDIT_NOTE_H
#define AB_AUDIT_NOTE_H

#include <stdint.h>

#include "elf_input.h"

struct ab_note_info {
	unsigned count;         /* Afterburn version notes found */
	uint32_t abi;           /* ABI version of the first */
	char toolchain[13];
	char *why;              /* what is wrong (wrong version, malformed), or NULL */
};

/* Read every version note; 0, or -1 after reporting an error reading the
 * file.  Problems of the notes themselves go to n->why. */
int ab_note_read(struct ab_elf *e, struct ab_note_info *n);
void ab_note_free(struct ab_note_info *n);

#endif
