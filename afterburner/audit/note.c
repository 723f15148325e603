/*
 * .note.afterburn: standard ELF notes (namesz, descsz, type, name, desc,
 * each 4-byte aligned).  A linked kernel carries exactly one through its
 * COMDAT group; several identical ones are harmless, differing ones are not.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afterburn/abi.h"
#include "note.h"
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

static uint64_t align4(uint64_t x)
{
	return (x + 3) & ~(uint64_t)3;
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

static void parse_notes(struct ab_note_info *n, const uint8_t *p, uint64_t size)
{
	const size_t namelen = sizeof(AB_NOTE_NAME); /* with its NUL */
	uint64_t off = 0;
	while (off < size) {
		if (size - off < 12) {
			note_problem(n, "truncated note header at offset 0x%llx",
				     (unsigned long long)off);
			return;
		}
		uint32_t namesz = ab_au_le32(p + off), descsz = ab_au_le32(p + off + 4);
		uint32_t type = ab_au_le32(p + off + 8);
		uint64_t name_at = off + 12, desc_at = name_at + align4(namesz);
		uint64_t next = desc_at + align4(descsz);
		if (desc_at > size || next > size) {
			note_problem(n, "note at offset 0x%llx runs past the end of its section",
				     (unsigned long long)off);
			return;
		}
		if (namesz == namelen && !memcmp(p + name_at, AB_NOTE_NAME, namelen) &&
		    type == AB_NOTE_TYPE_VERSION)
			take_version(n, p + desc_at, descsz);
		off = next;
	}
}

int ab_note_read(struct ab_elf *e, struct ab_note_info *n)
{
	unsigned sections = 0;
	memset(n, 0, sizeof(*n));
	for (size_t i = 0; i < e->nsecs; i++) {
		if (strcmp(e->secs[i].name, AB_NOTE_SECTION))
			continue;
		const uint8_t *p = ab_elf_contents(e, (unsigned)i);
		if (!p)
			return -1;
		sections++;
		parse_notes(n, p, e->secs[i].size);
	}
	if (sections && !n->count)
		note_problem(n, "section %s holds no %s version note", AB_NOTE_SECTION,
			     AB_NOTE_NAME);
	return 0;
}

void ab_note_free(struct ab_note_info *n)
{
	free(n->why);
	n->why = NULL;
}
