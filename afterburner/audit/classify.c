/* Classification of x86 instructions by their encoding (classify.h). */
#include "afterburn/abi.h"
#include "classify.h"

struct insn_bytes {
	const uint8_t *p;
	size_t n;
	size_t op;      /* index of the first opcode byte */
	int p66;        /* operand-size prefix */
	int rep;        /* last of f2/f3, 0 if none: a mandatory prefix */
	int mode64;
};

static int is_legacy_prefix(uint8_t b)
{
	switch (b) {
	case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
	case 0x2e: case 0x36: case 0x3e: case 0x26: case 0x64: case 0x65:
		return 1;
	default:
		return 0;
	}
}

static void parse_prefixes(struct insn_bytes *ib)
{
	size_t i = 0;
	while (i < ib->n && is_legacy_prefix(ib->p[i])) {
		if (ib->p[i] == 0x66)
			ib->p66 = 1;
		if (ib->p[i] == 0xf2 || ib->p[i] == 0xf3)
			ib->rep = ib->p[i];
		i++;
	}
	if (ib->mode64 && i < ib->n && (ib->p[i] & 0xf0) == 0x40)
		i++; /* REX: does not change which instruction this is */
	ib->op = i;
}

/* ModRM byte after the opcode byte at index at, -1 if missing. */
static int modrm_at(const struct insn_bytes *ib, size_t at)
{
	return at + 1 < ib->n ? ib->p[at + 1] : -1;
}

static unsigned reg_of(int m) { return ((unsigned)m >> 3) & 7; }
static int is_mem(int m) { return m >= 0 && (m >> 6) != 3; }

static unsigned group0f00(int m)
{
	static const unsigned k[8] = {
		AB_K_SLDT, AB_K_STR, AB_K_LLDT, AB_K_LTR, AB_K_VERR, AB_K_VERW,
		AB_K_NONE, AB_K_NONE,
	};
	return m < 0 ? AB_K_NONE : k[reg_of(m)];
}

static unsigned group0f01_reg(int m)
{
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
	if (reg_of(m) == 4)
		return AB_K_SMSW;
	if (reg_of(m) == 6)
		return AB_K_LMSW;
	return AB_K_NONE;
}

static unsigned group0f01(const struct insn_bytes *ib, int m)
{
	static const unsigned k[8] = {
		AB_K_SGDT, AB_K_SIDT, AB_K_LGDT, AB_K_LIDT, AB_K_SMSW, AB_K_NONE,
		AB_K_LMSW, AB_K_INVLPG,
	};
	if (m < 0)
		return AB_K_NONE;
	if (is_mem(m))
		return k[reg_of(m)];
	/* With f2/f3 the register forms are other instructions (mcommit,
	 * eretu, erets, ...) except smsw/lmsw, which ignore them. */
	if (ib->rep && reg_of(m) != 4 && reg_of(m) != 6)
		return AB_K_NONE;
	return group0f01_reg(m);
}

static unsigned fsgsbase(const struct insn_bytes *ib, int m)
{
	static const unsigned k[4] = {
		AB_K_RDFSBASE, AB_K_RDGSBASE, AB_K_WRFSBASE, AB_K_WRGSBASE,
	};
	if (ib->rep != 0xf3 || m < 0 || is_mem(m) || reg_of(m) > 3)
		return AB_K_NONE;
	return k[reg_of(m)];
}

static unsigned group0fc7(int m)
{
	if (!is_mem(m))
		return AB_K_NONE;
	if (reg_of(m) == 3)
		return AB_K_XRSTORS;
	if (reg_of(m) == 5)
		return AB_K_XSAVES;
	return AB_K_NONE;
}

static unsigned map0f38(const struct insn_bytes *ib, size_t at)
{
	if (at + 1 < ib->n && ib->p[at + 1] == 0x82 && ib->p66)
		return AB_K_INVPCID;
	return AB_K_NONE;
}

static unsigned map0f_simple(uint8_t op, int rep)
{
	switch (op) {
	case 0x02: return AB_K_LAR;
	case 0x03: return AB_K_LSL;
	case 0x06: return AB_K_CLTS;
	case 0x07: return AB_K_SYSRET;
	case 0x08: return AB_K_INVD;
	case 0x09: return rep == 0xf3 ? AB_K_WBNOINVD : AB_K_WBINVD;
	case 0x20: return AB_K_MOV_FROM_CR;
	case 0x21: return AB_K_MOV_FROM_DR;
	case 0x22: return AB_K_MOV_TO_CR;
	case 0x23: return AB_K_MOV_TO_DR;
	case 0x30: return AB_K_WRMSR;
	case 0x32: return AB_K_RDMSR;
	case 0x33: return AB_K_RDPMC;
	case 0x35: return AB_K_SYSEXIT;
	case 0xa0: case 0xa8: return AB_K_PUSH_SEG;
	case 0xa1: case 0xa9: return AB_K_POP_SEG;
	case 0xa2: return AB_K_CPUID;
	case 0xaa: return AB_K_RSM;
	case 0xb2: case 0xb4: case 0xb5: return AB_K_LOAD_FARPTR;
	default: return AB_K_NONE;
	}
}

static unsigned map0f(const struct insn_bytes *ib, size_t at)
{
	uint8_t op = ib->p[at];
	int m = modrm_at(ib, at);
	switch (op) {
	case 0x00: return group0f00(m);
	case 0x01: return group0f01(ib, m);
	case 0x38: return map0f38(ib, at);
	case 0xae: return fsgsbase(ib, m);
	case 0xc7: return group0fc7(m);
	default: return map0f_simple(op, ib->rep);
	}
}

/* Opcodes that exist only outside 64-bit mode. */
static unsigned legacy32(uint8_t op, int m)
{
	switch (op) {
	case 0x06: case 0x0e: case 0x16: case 0x1e: return AB_K_PUSH_SEG;
	case 0x07: case 0x17: case 0x1f: return AB_K_POP_SEG;
	case 0x9a: return AB_K_LCALL;
	case 0xea: return AB_K_LJMP;
	case 0xc4: case 0xc5: return is_mem(m) ? AB_K_LOAD_FARPTR : AB_K_NONE;
	default: return AB_K_NONE;
	}
}

static unsigned map1(const struct insn_bytes *ib, size_t at)
{
	uint8_t op = ib->p[at];
	int m = modrm_at(ib, at);
	switch (op) {
	case 0xfa: return AB_K_CLI;
	case 0xfb: return AB_K_STI;
	case 0x9c: return AB_K_PUSHF;
	case 0x9d: return AB_K_POPF;
	case 0xf4: return AB_K_HLT;
	case 0xe4: case 0xe5: case 0xec: case 0xed: return AB_K_IN;
	case 0xe6: case 0xe7: case 0xee: case 0xef: return AB_K_OUT;
	case 0x6c: case 0x6d: return AB_K_INS;
	case 0x6e: case 0x6f: return AB_K_OUTS;
	case 0x8c: return m < 0 ? AB_K_NONE : AB_K_MOV_FROM_SEG;
	case 0x8e: return m < 0 ? AB_K_NONE : AB_K_MOV_TO_SEG;
	case 0xcf: return AB_K_IRET;
	case 0xca: case 0xcb: return AB_K_LRET;
	case 0xcd: return AB_K_INTN;
	case 0xff:
		if (is_mem(m) && reg_of(m) == 3)
			return AB_K_LCALL;
		if (is_mem(m) && reg_of(m) == 5)
			return AB_K_LJMP;
		return AB_K_NONE;
	}
	return ib->mode64 ? AB_K_NONE : legacy32(op, m);
}

unsigned ab_insn_kind(const uint8_t *p, size_t n, int mode64)
{
	struct insn_bytes ib = { .p = p, .n = n, .mode64 = mode64 };
	parse_prefixes(&ib);
	if (ib.op >= n)
		return AB_K_NONE;
	if (p[ib.op] != 0x0f)
		return map1(&ib, ib.op);
	if (ib.op + 1 >= n)
		return AB_K_NONE;
	return map0f(&ib, ib.op + 1);
}

/* Bytes of displacement and SIB after a ModRM byte (32/64-bit addressing). */
static size_t modrm_tail(const uint8_t *p, size_t n, uint8_t m)
{
	unsigned mod = m >> 6, rm = m & 7;
	size_t len = 0;
	if (mod == 3)
		return 0;
	if (rm == 4) {
		if (n < 1)
			return (size_t)-1;
		len = 1;
		if (mod == 0 && (p[0] & 7) == 5)
			return len + 4;
	}
	if (mod == 0 && rm == 5)
		return len + 4;
	return len + (mod == 1 ? 1 : mod == 2 ? 4 : 0);
}

size_t ab_insn_nop_len(const uint8_t *p, size_t n, int mode64)
{
	size_t i = 0;
	unsigned rex = 0;
	while (i < n && i < 14 && (p[i] == 0x66 || p[i] == 0x2e || p[i] == 0x3e))
		i++;
	if (mode64 && i < n && (p[i] & 0xf0) == 0x40)
		rex = p[i++];
	if (i >= n)
		return 0;
	if (p[i] == 0x90)
		return (rex & 1) ? 0 : i + 1; /* 41 90 is xchg %eax,%r8d */
	if (p[i] != 0x0f || i + 2 >= n || p[i + 1] != 0x1f || reg_of(p[i + 2]) != 0)
		return 0;
	size_t tail = modrm_tail(p + i + 3, n - (i + 3), p[i + 2]);
	if (tail == (size_t)-1)
		return 0;
	size_t len = i + 3 + tail;
	return len <= n && len <= 15 ? len : 0;
}

int ab_insn_all_nops(const uint8_t *p, size_t n, int mode64)
{
	while (n) {
		size_t k = ab_insn_nop_len(p, n, mode64);
		if (!k)
			return 0;
		p += k;
		n -= k;
	}
	return 1;
}
