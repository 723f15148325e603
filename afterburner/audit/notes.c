/* ELF note walking (notes.h): namesz, descsz, type, name, desc, each
 * padded to 4 bytes, one after the other. */
#include <string.h>

#include "afterburn/abi.h"
#include "notes.h"
#include "util.h"

static uint64_t align4(uint64_t x)
{
	return (x + 3) & ~(uint64_t)3;
}

static int is_ours(const uint8_t *name, uint32_t namesz)
{
	return namesz == sizeof(AB_NOTE_NAME) && !memcmp(name, AB_NOTE_NAME, namesz);
}

static void walk_section(struct ab_elf *e, unsigned sec, const uint8_t *p,
			 ab_note_fn *fn, void *ctx)
{
	uint64_t size = e->secs[sec].size, off = 0;
	struct ab_note_ref n = { .sec = sec };
	while (off < size) {
		n.off = off;
		if (size - off < 12) {
			/* Zero fill to an 8-byte boundary is padding, not a note. */
			if (!p[off] && (size - off < 4 || !ab_au_le32(p + off)))
				return;
			n.problem = "truncated note header";
			fn(ctx, &n);
			return;
		}
		uint32_t namesz = ab_au_le32(p + off), descsz = ab_au_le32(p + off + 4);
		n.type = ab_au_le32(p + off + 8);
		n.desc_off = off + 12 + align4(namesz);
		n.descsz = descsz;
		uint64_t next = n.desc_off + align4(descsz);
		if (n.desc_off > size || next > size) {
			n.problem = "note runs past the end of its section";
			fn(ctx, &n);
			return;
		}
		n.desc = p + n.desc_off;
		if (is_ours(p + off + 12, namesz))
			fn(ctx, &n);
		off = next;
	}
}

int ab_notes_walk(struct ab_elf *e, ab_note_fn *fn, void *ctx)
{
	for (size_t i = 0; i < e->nsecs; i++) {
		const struct ab_section *s = &e->secs[i];
		if (strncmp(s->name, ".note", 5) || !s->has_contents || !s->size)
			continue;
		const uint8_t *p = ab_elf_contents(e, (unsigned)i);
		if (!p)
			return -1;
		walk_section(e, (unsigned)i, p, fn, ctx);
	}
	return 0;
}
