/*
 * The version note (type AB_NOTE_TYPE_VERSION).  A linked kernel carries
 * exactly one through its COMDAT group; several identical ones (objects
 * linked without groups) are harmless, differing ones are not.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afterburn/abi.h"
#include "note.h"
#include "notes.h"
#include "util.h"

__attribute__((format(printf, 2, 3)))
static void note_problem(struct ab_note_info *n, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	if (n->why)
		return; /* the first problem says enough */
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	n->why = msg;
}

static void take_version(struct ab_note_info *n, const uint8_t *desc, uint32_t descsz)
{
	if (descsz < sizeof(struct ab_note_desc)) {
		note_problem(n, "version note descriptor of %u bytes, expected %zu",
			     descsz, sizeof(struct ab_note_desc));
		return;
	}
	uint32_t abi = ab_au_le32(desc);
	char tc[13] = { 0 };
	memcpy(tc, desc + 4, 12);
	for (char *c = tc; *c; c++)
		if (*c < 0x20 || *c > 0x7e)
			*c = '?';
	if (n->count++ == 0) {
		n->abi = abi;
		memcpy(n->toolchain, tc, sizeof(tc));
	} else if (abi != n->abi || strcmp(tc, n->toolchain)) {
		note_problem(n, "conflicting version notes: ABI %u (%s) and ABI %u (%s)",
			     n->abi, n->toolchain, abi, tc);
	}
	if (abi != AB_ABI_VERSION)
		note_problem(n, "site record ABI version %u, this tool reads version %u",
			     abi, AB_ABI_VERSION);
}

static void on_note(void *ctx, const struct ab_note_ref *ref)
{
	struct ab_note_info *n = ctx;
	if (!ref->problem && ref->type == AB_NOTE_TYPE_VERSION)
		take_version(n, ref->desc, ref->descsz);
}

int ab_note_read(struct ab_elf *e, struct ab_note_info *n)
{
	memset(n, 0, sizeof(*n));
	return ab_notes_walk(e, on_note, n);
}

void ab_note_free(struct ab_note_info *n)
{
	free(n->why);
	n->why = NULL;
}
