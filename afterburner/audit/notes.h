/*
 * Walking ELF notes.  The site records and the version travel in notes
 * named "Afterburn" (abi.h): in an object in .note.afterburn.sites and
 * .note.afterburn, in a linked kernel among the other notes of .notes.
 * Every section whose name starts with ".note" is walked, since a linker
 * script may gather the notes under any such name.
 */
#ifndef AB_AUDIT_NOTES_H
#define AB_AUDIT_NOTES_H

#include <stdint.h>

#include "elf_input.h"

struct ab_note_ref {
	unsigned sec;           /* section holding the note */
	uint64_t off;           /* offset of its header there */
	uint32_t type;
	uint64_t desc_off;      /* offset of its descriptor */
	uint32_t descsz;
	const uint8_t *desc;
	const char *problem;    /* set (and nothing else) when the section's
				   note structure is broken at off */
};

/* Called for each Afterburn note and for each broken note structure. */
typedef void ab_note_fn(void *ctx, const struct ab_note_ref *n);

/* Walk every note section; 0, or -1 after reporting an unreadable one. */
int ab_notes_walk(struct ab_elf *e, ab_note_fn *fn, void *ctx);

#endif
