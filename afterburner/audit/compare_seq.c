/*
 * compare: walking one section of each object in step.  A cursor yields
 * the next instruction that counts: sites give their instruction and skip
 * their padding, NOPs elsewhere are skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "compare.h"
#include "compare_reloc.h"
#include "disasm.h"
#include "records.h"
#include "util.h"

struct cursor {
	struct ab_elf *e;
	unsigned sec;
	const uint8_t *data;
	uint64_t size, off;
	struct ab_dis dis;
	const struct ab_record **sites;  /* of this section, by offset */
	size_t nsites, k;
	uint64_t at;                     /* the current instruction */
	size_t len;
	int decoded;                     /* Capstone decoded it (else raw bytes) */
	size_t nsites_seen;
	struct ab_reloc_cursor rel;
	int fill_ok;                     /* the last instruction does not fall
					    through: int3 after it is fill */
};

static int by_offset(const void *a, const void *b)
{
	const struct ab_record *x = *(const struct ab_record *const *)a;
	const struct ab_record *y = *(const struct ab_record *const *)b;
	return x->toff < y->toff ? -1 : x->toff > y->toff;
}

static int cursor_init(struct cursor *c, struct ab_elf *e, unsigned sec,
		       const struct ab_records *r)
{
	memset(c, 0, sizeof(*c));
	c->e = e;
	c->sec = sec;
	c->size = e->secs[sec].size;
	c->data = ab_elf_contents(e, sec);
	if (!c->data || ab_dis_init(&c->dis, e->mode64) || ab_reloc_cursor_init(&c->rel, e, sec))
		return -1;
	c->sites = ab_au_calloc(r->n + 1, sizeof(*c->sites));
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].tsec == (int)sec)
			c->sites[c->nsites++] = &r->v[i];
	qsort(c->sites, c->nsites, sizeof(*c->sites), by_offset);
	return 0;
}

static void cursor_fini(struct cursor *c)
{
	free(c->sites);
	ab_dis_fini(&c->dis);
	ab_reloc_cursor_fini(&c->rel);
}

static void where(const struct cursor *c, uint64_t off, char *buf, size_t n)
{
	char w[256];
	ab_elf_where(c->e, c->sec, off, w, sizeof(w));
	ab_au_snprintf(buf, n, "%s+0x%llx (%s)", c->e->secs[c->sec].name, (unsigned long long)off, w);
}

/* The instruction at a site; its padding must be NOPs. */
static int take_site(struct cursor *c, const struct ab_record *r, char *msg, size_t n)
{
	char w[320], hex[3 * 256];
	const uint8_t *p = c->data + c->off;
	size_t len = ab_dis_length(&c->dis, p, (size_t)(c->size - c->off), c->off);
	where(c, c->off, w, sizeof(w));
	if (!len || len > r->len || c->off + r->len > c->size) {
		ab_au_snprintf(msg, n, "site %s (record #%zu, len %u): %s", w, r->index, r->len,
			 !len ? "does not decode" : len > r->len ? "len shorter than the instruction"
							   : "runs past the section end");
		return -1;
	}
	if (!ab_insn_all_nops(p + len, r->len - len, c->e->mode64)) {
		ab_au_snprintf(msg, n, "site %s (record #%zu): padding is not NOPs: %s", w, r->index,
			 ab_au_hex(hex, p + len, r->len - len));
		return -1;
	}
	c->decoded = ab_dis_capstone(&c->dis, p, len, c->off) == len;
	c->at = c->off;
	c->len = len;
	c->off += r->len;
	c->k++;
	c->nsites_seen++;
	return 1;
}

/* Control does not reach the next instruction from this one. */
static int ends_flow(const struct cursor *c)
{
	if (!c->decoded)
		return 0;
	switch (c->dis.insn->id) {
	case X86_INS_JMP: case X86_INS_LJMP: case X86_INS_RET: case X86_INS_RETF:
	case X86_INS_RETFQ: case X86_INS_IRET: case X86_INS_IRETD: case X86_INS_IRETQ:
	case X86_INS_SYSRET: case X86_INS_SYSEXIT: case X86_INS_UD2:
		return 1;
	default:
		return 0;
	}
}

/* Fill that moves with the padding: NOPs anywhere, and int3 (0xcc) where
 * control never falls (Linux: ".align 64, 0xcc", the fixed-size slots of
 * early_idt_handler_array, "ret; int3"). */
static size_t fill_len(const struct cursor *c, const uint8_t *p, size_t avail)
{
	if (c->fill_ok && p[0] == 0xcc)
		return 1;
	return ab_insn_nop_len(p, avail, c->e->mode64);
}

/* 1: an instruction; 0: end of section; -1: error, msg says why. */
static int cursor_next(struct cursor *c, char *msg, size_t n)
{
	while (c->off < c->size) {
		const uint8_t *p = c->data + c->off;
		size_t avail = (size_t)(c->size - c->off);
		if (c->k < c->nsites && c->sites[c->k]->toff < c->off) {
			char w[320];
			where(c, c->sites[c->k]->toff, w, sizeof(w));
			ab_au_snprintf(msg, n, "site %s (record #%zu) is not at an instruction boundary",
				 w, c->sites[c->k]->index);
			return -1;
		}
		if (c->k < c->nsites && c->sites[c->k]->toff == c->off) {
			int rc = take_site(c, c->sites[c->k], msg, n);
			c->fill_ok = ends_flow(c);
			return rc;
		}
		uint64_t limit = c->k < c->nsites ? c->sites[c->k]->toff : c->size;
		size_t fill = fill_len(c, p, avail);
		if (fill && c->off + fill <= limit) {
			c->off += fill;
			continue;
		}
		size_t len = ab_dis_capstone(&c->dis, p, avail, c->off);
		c->decoded = len != 0;
		if (!len)
			len = ab_dis_opcodes(&c->dis, p, avail, c->off);
		c->at = c->off;
		c->len = len ? len : 1;
		c->off += c->len;
		c->fill_ok = ends_flow(c);
		return 1;
	}
	return 0;
}

static int is_relative_branch(const cs_insn *i)
{
	for (unsigned g = 0; g < i->detail->groups_count; g++)
		if (i->detail->groups[g] == X86_GRP_BRANCH_RELATIVE)
			return 1;
	return 0;
}

static int same_operand(const cs_x86_op *a, const cs_x86_op *b, int branch)
{
	if (a->type != b->type)
		return 0;
	switch (a->type) {
	case X86_OP_REG:
		return a->reg == b->reg && a->size == b->size;
	case X86_OP_IMM:
		return branch || (a->imm == b->imm && a->size == b->size);
	case X86_OP_MEM:
		return a->mem.segment == b->mem.segment && a->mem.base == b->mem.base &&
		       a->mem.index == b->mem.index && a->mem.scale == b->mem.scale &&
		       a->size == b->size &&
		       (a->mem.base == X86_REG_RIP || a->mem.disp == b->mem.disp);
	default:
		return 1;
	}
}

static int same_insn(const struct cursor *a, const struct cursor *b)
{
	if (!a->decoded || !b->decoded)
		return a->decoded == b->decoded && a->len == b->len &&
		       !memcmp(a->data + a->at, b->data + b->at, a->len);
	const cs_insn *x = a->dis.insn, *y = b->dis.insn;
	const cs_x86 *dx = &x->detail->x86, *dy = &y->detail->x86;
	if (x->id != y->id || dx->op_count != dy->op_count ||
	    memcmp(dx->prefix, dy->prefix, sizeof(dx->prefix)))
		return 0;
	int branch = is_relative_branch(x);
	for (unsigned i = 0; i < dx->op_count; i++)
		if (!same_operand(&dx->operands[i], &dy->operands[i], branch))
			return 0;
	return 1;
}

static void insn_text(struct cursor *c, char *buf, size_t n)
{
	if (!c->decoded) {
		char hex[48];
		ab_au_snprintf(buf, n, "(bad) %s", ab_au_hex(hex, c->data + c->at, c->len < 15 ? c->len : 15));
		return;
	}
	ab_au_snprintf(buf, n, "%s%s%s", c->dis.insn->mnemonic, c->dis.insn->op_str[0] ? " " : "",
		 c->dis.insn->op_str);
}

static void describe(struct cursor *c, int more, char *buf, size_t n)
{
	char w[320], t[256];
	if (!more) {
		ab_au_snprintf(buf, n, "end of section");
		return;
	}
	where(c, c->at, w, sizeof(w));
	insn_text(c, t, sizeof(t));
	ab_au_snprintf(buf, n, "%s '%s'", w, t);
}

static enum ab_cmp_result walk(struct cursor *p, struct cursor *a, struct ab_cmp_stats *st,
			       char *msg, size_t n)
{
	for (;;) {
		char why[768];
		int mp = cursor_next(p, why, sizeof(why));
		int ma = mp < 0 ? 0 : cursor_next(a, why, sizeof(why));
		if (mp < 0 || ma < 0) {
			ab_au_snprintf(msg, n, "%s: %s", mp < 0 ? "plain" : "afterburned", why);
			return AB_CMP_MISMATCH;
		}
		if (!mp && !ma)
			return AB_CMP_EQUAL;
		int same = mp && ma && same_insn(p, a);
		if (same && ab_relocs_match(&p->rel, p->at, p->len, &a->rel, a->at, a->len, why,
						 sizeof(why))) {
			st->insns++;
			continue;
		}
		char dp[512], da[512];
		/* When p ran out, mp == 0 describes "end of section". */
		describe(p, mp, dp, sizeof(dp));
		describe(a, ma, da, sizeof(da));
		ab_au_snprintf(msg, n, "plain %s != afterburned %s%s%s", dp, da, same ? ": " : "",
			       same ? why : "");
		return AB_CMP_MISMATCH;
	}
}

enum ab_cmp_result ab_compare_section(struct ab_elf *pe, unsigned psec,
				      const struct ab_records *precs,
				      struct ab_elf *ae, unsigned asec,
				      const struct ab_records *arecs,
				      struct ab_cmp_stats *st, char *msg, size_t n)
{
	struct cursor p, a;
	enum ab_cmp_result rc = AB_CMP_ERROR;
	memset(&p, 0, sizeof(p));
	memset(&a, 0, sizeof(a));
	ab_au_snprintf(msg, n, "cannot read section %s", pe->secs[psec].name);
	if (cursor_init(&p, pe, psec, precs) == 0 && cursor_init(&a, ae, asec, arecs) == 0) {
		rc = walk(&p, &a, st, msg, n);
		st->sites += a.nsites_seen;
		st->sections++;
	}
	cursor_fini(&p);
	cursor_fini(&a);
	return rc;
}
