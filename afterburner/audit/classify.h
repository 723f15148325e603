/*
 * Instruction bytes -> enum ab_kind (section 3 of the architecture brief),
 * and recognition of NOP padding.  Works on the raw encoding rather than on
 * a disassembler's mnemonics: the opcode map is the ground truth, it does
 * not change with the disassembler's version (Capstone 4 does not know
 * wbnoinvd), and the wedge checks sites the same way.
 */
#ifndef AB_AUDIT_CLASSIFY_H
#define AB_AUDIT_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

/* Kind of the instruction of n bytes at p; AB_K_NONE if not sensitive. */
unsigned ab_insn_kind(const uint8_t *p, size_t n, int mode64);

/*
 * Length of the NOP instruction at p (at most n bytes available), 0 if the
 * bytes there are not a NOP.  NOPs are 0x90 and 0f 1f /0 (nopl, nopw),
 * with any number of 0x66 and cs/ds prefixes: every form GNU as emits for
 * .nops and code alignment.
 */
size_t ab_insn_nop_len(const uint8_t *p, size_t n, int mode64);

/* 1 if the n bytes at p are nothing but NOP instructions. */
int ab_insn_all_nops(const uint8_t *p, size_t n, int mode64);

#endif
