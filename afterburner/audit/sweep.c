/* The linear sweep (sweep.h). */
#include <stdlib.h>
#include <string.h>

#include "afterburn/abi.h"
#include "afterburn/decode.h"
#include "classify.h"
#include "disasm.h"
#include "sweep.h"
#include "util.h"

static void note_disagreement(struct ab_sweep *out, unsigned sec, uint64_t off,
			      const uint8_t *p, size_t avail, size_t cs, size_t op)
{
	struct ab_disagreement *g = AB_PUSH(out->dis, out->ndis, out->capdis);
	g->sec = sec;
	g->off = off;
	g->cs_len = (uint8_t)cs;
	g->op_len = (uint8_t)op;
	g->nbytes = (uint8_t)(avail < 15 ? avail : 15);
	memcpy(g->bytes, p, g->nbytes);
}

static void note_hit(struct ab_sweep *out, unsigned sec, uint64_t off, unsigned kind,
		     const uint8_t *p, size_t len)
{
	struct ab_hit *h = AB_PUSH(out->hits, out->nhits, out->caphits);
	h->sec = sec;
	h->off = off;
	h->kind = kind;
	h->len = (uint8_t)len;
	memcpy(h->bytes, p, len);
}

/* The wedge validates records with its own decoder: where it reads an
 * instruction otherwise than the audit, one of the two is wrong. */
static void check_wedge(struct ab_sweep *out, unsigned sec, uint64_t off, const uint8_t *p,
			size_t avail, unsigned kind, size_t len)
{
	struct ab_insn w;
	if (ab_decode_sensitive(p, avail, &w))
		w.kind = AB_K_NONE, w.len = 0;
	if (w.kind == kind && (kind == AB_K_NONE || w.len == len))
		return;
	struct ab_kind_diff *d = AB_PUSH(out->wd, out->nwd, out->capwd);
	d->sec = sec;
	d->off = off;
	d->kind = (uint8_t)kind;
	d->wedge_kind = (uint8_t)w.kind;
	d->len = (uint8_t)len;
	d->wedge_len = (uint8_t)w.len;
	memcpy(d->bytes, p, len);
}

/*
 * Decode one instruction; its length, or 0 for a byte neither disassembler
 * decodes.  When both decode but disagree, libopcodes wins: it is binutils
 * 2.40, the assembler's own tables, while Capstone 4.0.2 lacks newer
 * instructions (rdpkru, serialize, mwaitx) and gets ud1's length wrong.
 */
static size_t step(struct ab_dis *d, struct ab_sweep *out, unsigned sec, uint64_t off,
		   const uint8_t *p, size_t avail, uint64_t addr)
{
	size_t cs = ab_dis_capstone(d, p, avail, addr);
	size_t op = ab_dis_opcodes(d, p, avail, addr);
	if (cs != op)
		note_disagreement(out, sec, off, p, avail, cs, op);
	return op ? op : cs;
}

int ab_sweep_section(struct ab_elf *e, unsigned sec, struct ab_dis *d,
		     const uint64_t *starts, size_t nstarts, struct ab_sweep *out)
{
	const struct ab_section *s = &e->secs[sec];
	const uint8_t *data = ab_elf_contents(e, sec);
	if (!data)
		return -1;
	out->sections++;
	uint64_t off = 0;
	size_t k = 0;
	while (off < s->size) {
		while (k < nstarts && starts[k] <= off)
			k++;
		uint64_t limit = k < nstarts && starts[k] < s->size ? starts[k] : s->size;
		size_t avail = (size_t)(s->size - off);
		size_t len = step(d, out, sec, off, data + off, avail, s->vma + off);
		if (!len) {
			out->undecodable++;
			off++;
			continue;
		}
		out->decoded++;
		unsigned kind = ab_insn_kind(data + off, len, e->mode64);
		if (kind != AB_K_NONE)
			note_hit(out, sec, off, kind, data + off, len);
		if (e->mode64)
			check_wedge(out, sec, off, data + off, avail, kind, len);
		if (off + len > limit && limit < s->size) {
			/* Ran over a known boundary: both readings may execute
			 * (Linux jumps into the middle of srso_untrain_ret's
			 * movabs), so the instruction counts, then restart. */
			out->resyncs++;
			off = limit;
			continue;
		}
		off += len;
	}
	return 0;
}

void ab_sweep_free(struct ab_sweep *s)
{
	free(s->hits);
	free(s->dis);
	free(s->wd);
	memset(s, 0, sizeof(*s));
}
