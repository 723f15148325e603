/*
 * Sensitive-instruction decoder (decode.h).  Only what section 3 of the
 * brief lists is recognised; everything else is "not sensitive".  Lengths
 * follow the 64-bit ModRM/SIB rules (the 0x67 prefix keeps the same
 * ModRM shapes in long mode, so it does not change lengths here).
 */
#include "afterburn/abi.h"
#include "afterburn/decode.h"

struct cursor {
	const uint8_t *p;
	size_t n, i;
	int has66, hasf3, rexw;
};

static int next(struct cursor *c, uint8_t *b)
{
	if (c->i >= c->n)
		return -1;
	*b = c->p[c->i++];
	return 0;
}

static int skip(struct cursor *c, size_t k)
{
	if (c->n - c->i < k)
		return -1;
	c->i += k;
	return 0;
}

/* Consume a ModRM (with SIB and displacement); reg and mod out. */
static int modrm(struct cursor *c, unsigned *reg, unsigned *mod, unsigned *rm)
{
	uint8_t m, sib;
	if (next(c, &m))
		return -1;
	*mod = m >> 6;
	*reg = (m >> 3) & 7;
	*rm = m & 7;
	if (*mod == 3)
		return 0;
	if (*rm == 4) {
		if (next(c, &sib))
			return -1;
		if (*mod == 0 && (sib & 7) == 5)
			return skip(c, 4);
	}
	if (*mod == 0 && *rm == 5)
		return skip(c, 4); /* RIP-relative */
	if (*mod == 1)
		return skip(c, 1);
	if (*mod == 2)
		return skip(c, 4);
	return 0;
}

static unsigned group_0f00(unsigned reg)
{
	static const unsigned char kinds[8] = { AB_K_SLDT, AB_K_STR, AB_K_LLDT, AB_K_LTR,
						AB_K_VERR, AB_K_VERW, 0, 0 };
	return kinds[reg];
}

static unsigned group_0f01_reg(uint8_t m, int hasf3)
{
	if (hasf3 && m == 0xfa)
		return AB_K_NONE; /* mcommit, not monitorx */
	switch (m) {
	case 0xc8: return AB_K_MONITOR;
	case 0xc9: return AB_K_MWAIT;
	case 0xca: return AB_K_CLAC;
	case 0xcb: return AB_K_STAC;
	case 0xd1: return AB_K_XSETBV;
	case 0xf8: return AB_K_SWAPGS;
	case 0xf9: return AB_K_RDTSCP;
	case 0xfa: return AB_K_MONITOR; /* monitorx */
	case 0xfb: return AB_K_MWAIT;   /* mwaitx */
	}
	if ((m & 0xf8) == 0xe0)
		return AB_K_SMSW;
	if ((m & 0xf8) == 0xf0)
		return AB_K_LMSW;
	return AB_K_NONE;
}

static unsigned group_0f01(struct cursor *c)
{
	unsigned reg, mod, rm;
	if (c->i >= c->n)
		return AB_K_NONE;
	uint8_t m = c->p[c->i];
	if ((m >> 6) == 3) {
		c->i++;
		return group_0f01_reg(m, c->hasf3);
	}
	if (modrm(c, &reg, &mod, &rm))
		return AB_K_NONE;
	static const unsigned char kinds[8] = { AB_K_SGDT, AB_K_SIDT, AB_K_LGDT, AB_K_LIDT,
						AB_K_SMSW, 0, AB_K_LMSW, AB_K_INVLPG };
	return kinds[reg];
}

static unsigned two_byte_modrm(struct cursor *c, uint8_t op)
{
	unsigned reg, mod, rm;
	if (modrm(c, &reg, &mod, &rm))
		return AB_K_NONE;
	switch (op) {
	case 0x00: return group_0f00(reg);
	case 0x02: return AB_K_LAR;
	case 0x03: return AB_K_LSL;
	case 0x20: return AB_K_MOV_FROM_CR;
	case 0x21: return AB_K_MOV_FROM_DR;
	case 0x22: return AB_K_MOV_TO_CR;
	case 0x23: return AB_K_MOV_TO_DR;
	case 0xb2: case 0xb4: case 0xb5: return mod != 3 ? AB_K_LOAD_FARPTR : AB_K_NONE;
	case 0xc7:
		if (mod == 3)
			return AB_K_NONE;
		return reg == 3 ? AB_K_XRSTORS : reg == 5 ? AB_K_XSAVES : AB_K_NONE;
	case 0xae:
		if (mod != 3 || !c->hasf3 || reg > 3)
			return AB_K_NONE;
		static const unsigned char fsgs[4] = { AB_K_RDFSBASE, AB_K_RDGSBASE,
						       AB_K_WRFSBASE, AB_K_WRGSBASE };
		return fsgs[reg];
	}
	return AB_K_NONE;
}

static unsigned two_byte(struct cursor *c)
{
	uint8_t op;
	if (next(c, &op))
		return AB_K_NONE;
	switch (op) {
	case 0x01: return group_0f01(c);
	case 0x06: return AB_K_CLTS;
	case 0x07: return AB_K_SYSRET;
	case 0x08: return AB_K_INVD;
	case 0x09: return c->hasf3 ? AB_K_WBNOINVD : AB_K_WBINVD;
	case 0x30: return AB_K_WRMSR;
	case 0x32: return AB_K_RDMSR;
	case 0x33: return AB_K_RDPMC;
	case 0x35: return AB_K_SYSEXIT;
	case 0xa0: case 0xa8: return AB_K_PUSH_SEG;
	case 0xa1: case 0xa9: return AB_K_POP_SEG;
	case 0xa2: return AB_K_CPUID;
	case 0xaa: return AB_K_RSM;
	case 0x38: {
		uint8_t op3;
		unsigned reg, mod, rm;
		if (next(c, &op3) || op3 != 0x82 || !c->has66 || modrm(c, &reg, &mod, &rm))
			return AB_K_NONE;
		return mod != 3 ? AB_K_INVPCID : AB_K_NONE;
	}
	case 0x00: case 0x02: case 0x03: case 0x20: case 0x21: case 0x22: case 0x23:
	case 0xb2: case 0xb4: case 0xb5: case 0xc7: case 0xae:
		return two_byte_modrm(c, op);
	}
	return AB_K_NONE;
}

static unsigned one_byte(struct cursor *c, uint8_t op)
{
	unsigned reg, mod, rm;
	switch (op) {
	case 0xfa: return AB_K_CLI;
	case 0xfb: return AB_K_STI;
	case 0x9c: return AB_K_PUSHF;
	case 0x9d: return AB_K_POPF;
	case 0xf4: return AB_K_HLT;
	case 0xe4: case 0xe5: return skip(c, 1) ? AB_K_NONE : AB_K_IN;
	case 0xe6: case 0xe7: return skip(c, 1) ? AB_K_NONE : AB_K_OUT;
	case 0xec: case 0xed: return AB_K_IN;
	case 0xee: case 0xef: return AB_K_OUT;
	case 0x6c: case 0x6d: return AB_K_INS;
	case 0x6e: case 0x6f: return AB_K_OUTS;
	case 0xcd: return skip(c, 1) ? AB_K_NONE : AB_K_INTN;
	case 0xcf: return AB_K_IRET;
	case 0xca: return skip(c, 2) ? AB_K_NONE : AB_K_LRET;
	case 0xcb: return AB_K_LRET;
	case 0x8c: return modrm(c, &reg, &mod, &rm) ? AB_K_NONE : AB_K_MOV_FROM_SEG;
	case 0x8e: return modrm(c, &reg, &mod, &rm) ? AB_K_NONE : AB_K_MOV_TO_SEG;
	case 0xff:
		if (modrm(c, &reg, &mod, &rm) || mod == 3)
			return AB_K_NONE;
		return reg == 3 ? AB_K_LCALL : reg == 5 ? AB_K_LJMP : AB_K_NONE;
	case 0x0f: return two_byte(c);
	}
	return AB_K_NONE;
}

static int is_legacy_prefix(uint8_t b)
{
	switch (b) {
	case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
		return 1;
	}
	return 0;
}

int ab_decode_sensitive(const uint8_t *p, size_t n, struct ab_insn *insn)
{
	struct cursor c = { .p = p, .n = n > 15 ? 15 : n };
	uint8_t b;
	unsigned prefixes = 0;

	for (;;) {
		if (next(&c, &b))
			return -1;
		if (is_legacy_prefix(b)) {
			c.has66 |= b == 0x66;
			c.hasf3 |= b == 0xf3;
			prefixes++;
			continue;
		}
		if ((b & 0xf0) == 0x40) { /* REX must come last */
			c.rexw = (b & 8) != 0;
			prefixes++;
			if (next(&c, &b))
				return -1;
		}
		break;
	}
	unsigned kind = one_byte(&c, b);
	if (kind == AB_K_NONE)
		return -1;
	insn->len = (unsigned)c.i;
	insn->kind = kind;
	insn->prefixes = prefixes;
	return 0;
}
