/*
 * Two disassemblers over the same bytes: Capstone decodes (with operand
 * detail, for compare), libopcodes (binutils 2.40, what objdump and the
 * kernel developers see) cross-checks every instruction length.
 */
#ifndef AB_AUDIT_DISASM_H
#define AB_AUDIT_DISASM_H

#include <stddef.h>
#include <stdint.h>

#include <capstone/capstone.h>
#include <dis-asm.h>

/* The longest x86 instruction: neither disassembler sees more bytes. */
#define AB_INSN_MAX 15

struct ab_opcodes_out {
	char text[160];  /* libopcodes' rendering of the last instruction */
	size_t used;
};

struct ab_dis {
	csh cs;
	cs_insn *insn;   /* the last instruction Capstone decoded */
	int mode64;
	struct disassemble_info info;
	disassembler_ftype print;
	struct ab_opcodes_out out;
};

/* 0 on success, -1 after reporting an error. */
int ab_dis_init(struct ab_dis *d, int mode64);
void ab_dis_fini(struct ab_dis *d);

/* Capstone: length of the instruction at p (n bytes there, at address
 * addr), 0 if it does not decode.  The instruction is left in d->insn. */
size_t ab_dis_capstone(struct ab_dis *d, const uint8_t *p, size_t n, uint64_t addr);

/* libopcodes: length of the instruction at p, 0 if it does not decode
 * (libopcodes says "(bad)" or runs out of bytes).  Text in d->out.text. */
size_t ab_dis_opcodes(struct ab_dis *d, const uint8_t *p, size_t n, uint64_t addr);

/* Length by libopcodes (newer than Capstone 4), else by Capstone, else 0. */
size_t ab_dis_length(struct ab_dis *d, const uint8_t *p, size_t n, uint64_t addr);

/* "mnemonic operands" of the instruction at p into buf (AT&T syntax). */
void ab_dis_text(struct ab_dis *d, const uint8_t *p, size_t n, uint64_t addr,
		 char *buf, size_t size);

#endif
