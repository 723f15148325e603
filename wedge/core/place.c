/*
 * Putting a call into a site while keeping its instruction in place.
 *
 * A backend that only needs to observe (trace) or to run some wedge code
 * next to an instruction keeps the instruction where it is and uses the
 * padding for a 5-byte `call rel32`:
 *
 *   after:   [insn][call][nops]        the call runs once the insn has
 *                                      (the default: the insn stays put, so
 *                                      %rip-relative operands and interrupt
 *                                      return addresses are unchanged)
 *   before:  [nops][call][insn]        sites with lead NOPs (sti, mov to %ss:
 *                                      the insn keeps its shadow over the next)
 *   before:  [call][insn][nops]        otherwise the insn moves 5 bytes on and
 *                                      its %rip-relative displacement follows
 *
 * "before" is needed where the instruction does not fall through (iret,
 * sysret, ljmp ...) or where the backend must act first (an exit port, a
 * new %cr3).  A call pushes on the current stack: the backend assumes a
 * usable stack at every site, as an interrupt would.  Where there is none
 * (site->user_stack), wedge_site_jmp puts a `jmp rel32` in the same place
 * and the thunk jumps back to the byte after it.
 */
#include "afterburn/abi.h"
#include "wedge/insn.h"
#include "wedge/sites.h"

enum wedge_call_at wedge_call_placement(const struct wedge_site *s)
{
	if (s->insn_off)
		return WEDGE_CALL_BEFORE;
	switch (s->kind) {
	case AB_K_IRET: case AB_K_SYSRET: case AB_K_SYSEXIT: case AB_K_LRET: case AB_K_LJMP:
		return WEDGE_CALL_BEFORE;
	default:
		return WEDGE_CALL_AFTER;
	}
}

#define CALL_REL32 0xe8
#define JMP_REL32 0xe9

/* call or jmp rel32 to target at out[at]. */
static int put_rel(const struct wedge_site *s, uint8_t *out, unsigned at, uint8_t op,
		   uint64_t target)
{
	int64_t rel = (int64_t)(target - (s->addr + at + 5));
	if (rel != (int32_t)rel)
		return -1;
	uint32_t r = (uint32_t)rel;
	out[at] = op;
	for (unsigned i = 0; i < 4; i++)
		out[at + 1 + i] = (uint8_t)(r >> (8 * i));
	return 0;
}

static void copy(uint8_t *dst, const uint8_t *src, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		dst[i] = src[i];
}

/* Copy the instruction `shift` bytes further on, its %rip-relative operand kept aimed. */
static int move_insn(const struct wedge_site *s, uint8_t *out, unsigned shift)
{
	const uint8_t *insn = s->bytes + s->insn_off;
	uint8_t *to = out + s->insn_off + shift;
	copy(to, insn, s->insn_len);
	int d = wedge_insn_riprel(insn, s->insn_len);
	if (d < 0)
		return 0;
	uint32_t disp = (uint32_t)to[d] | (uint32_t)to[d + 1] << 8 | (uint32_t)to[d + 2] << 16 |
			(uint32_t)to[d + 3] << 24;
	int64_t moved = (int64_t)(int32_t)disp - shift;
	if (moved != (int32_t)moved)
		return -1;
	for (unsigned i = 0; i < 4; i++)
		to[d + i] = (uint8_t)((uint32_t)moved >> (8 * i));
	return 0;
}

/* The three layouts above; *rel_at: where the call or jmp went. */
static unsigned place(const struct wedge_site *s, uint8_t *out, uint8_t op, uint64_t target,
		      enum wedge_call_at at, unsigned *rel_at)
{
	unsigned end = s->insn_off + s->insn_len;

	if (at == WEDGE_CALL_AFTER) {
		if (s->len - end < 5)
			return 0;
		copy(out, s->bytes, end);
		*rel_at = end;
		return put_rel(s, out, end, op, target) ? 0 : end + 5;
	}
	if (s->insn_off >= 5) {
		wedge_fill_nops(out, s->insn_off - 5);
		copy(out + s->insn_off, s->bytes + s->insn_off, s->insn_len);
		*rel_at = s->insn_off - 5;
		return put_rel(s, out, *rel_at, op, target) ? 0 : end;
	}
	if (s->len - end < 5)
		return 0;
	wedge_fill_nops(out, s->insn_off);
	*rel_at = s->insn_off;
	if (put_rel(s, out, s->insn_off, op, target) || move_insn(s, out, 5))
		return 0;
	return end + 5;
}

unsigned wedge_site_call(const struct wedge_site *s, uint8_t *out, uint64_t target,
			 enum wedge_call_at at)
{
	unsigned rel_at;
	return place(s, out, CALL_REL32, target, at, &rel_at);
}

unsigned wedge_site_jmp(const struct wedge_site *s, uint8_t *out, uint64_t target,
			enum wedge_call_at at, uint64_t *resume)
{
	unsigned rel_at, n = place(s, out, JMP_REL32, target, at, &rel_at);
	if (n)
		*resume = s->addr + rel_at + 5;
	return n;
}
