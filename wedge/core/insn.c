/*
 * Operand decoding for the sensitive instructions (wedge/insn.h).  The
 * decoder of common/ab_decode.c says what an instruction is and how long;
 * this says where its operands are, for the few backends that need them.
 */
#include "wedge/insn.h"

struct layout {
	unsigned op;   /* offset of the first opcode byte */
	uint8_t rex;   /* the REX prefix, or 0 */
};

static int is_legacy_prefix(uint8_t b)
{
	return b == 0x66 || b == 0x67 || b == 0xf0 || b == 0xf2 || b == 0xf3 || b == 0x2e ||
	       b == 0x36 || b == 0x3e || b == 0x26 || b == 0x64 || b == 0x65;
}

static struct layout skip_prefixes(const uint8_t *p, unsigned len)
{
	struct layout l = { 0, 0 };
	while (l.op < len && is_legacy_prefix(p[l.op]))
		l.op++;
	if (l.op < len && (p[l.op] & 0xf0) == 0x40)
		l.rex = p[l.op++];
	return l;
}

/* Offset of the ModRM byte, or -1 when the opcode has none. */
static int modrm_offset(const uint8_t *p, unsigned len, unsigned op)
{
	if (op >= len)
		return -1;
	switch (p[op]) {
	case 0x8c: case 0x8e: case 0xff:
		return (int)op + 1;
	case 0x0f:
		break;
	default:
		return -1;
	}
	if (op + 1 >= len)
		return -1;
	switch (p[op + 1]) {
	case 0x00: case 0x01: case 0x02: case 0x03: case 0x20: case 0x21: case 0x22:
	case 0x23: case 0xae: case 0xb2: case 0xb4: case 0xb5: case 0xc7:
		return (int)op + 2;
	case 0x38:
		return (int)op + 3; /* invpcid: 0f 38 82 /r */
	default:
		return -1;
	}
}

int wedge_insn_riprel(const uint8_t *insn, unsigned len)
{
	struct layout l = skip_prefixes(insn, len);
	int m = modrm_offset(insn, len, l.op);
	if (m < 0 || (unsigned)m + 5 > len)
		return -1;
	uint8_t modrm = insn[m];
	if ((modrm & 0xc7) != 0x05) /* mod 00, r/m 101: disp32(%rip) */
		return -1;
	/* 0f 01 with mod 00 r/m 101 is lgdt & co.; the mod-11 forms (swapgs...) never match. */
	return m + 1;
}

int wedge_insn_mov_cr(const uint8_t *insn, unsigned len, unsigned *cr, unsigned *gpr)
{
	struct layout l = skip_prefixes(insn, len);
	if (l.op + 2 >= len || insn[l.op] != 0x0f || (insn[l.op + 1] != 0x20 && insn[l.op + 1] != 0x22))
		return -1;
	uint8_t modrm = insn[l.op + 2];
	*cr = ((modrm >> 3) & 7) | (l.rex & 4 ? 8 : 0);
	*gpr = (modrm & 7) | (l.rex & 1 ? 8 : 0);
	return 0;
}

int wedge_insn_port_imm(const uint8_t *insn, unsigned len, uint16_t *port)
{
	struct layout l = skip_prefixes(insn, len);
	if (l.op >= len)
		return -1;
	uint8_t op = insn[l.op];
	if (op >= 0xe4 && op <= 0xe7) {
		if (l.op + 1 >= len)
			return -1;
		*port = insn[l.op + 1];
		return 1;
	}
	if ((op >= 0xec && op <= 0xef) || (op >= 0x6c && op <= 0x6f))
		return 0;
	return -1;
}
