/*
 * Operand facts about a recorded sensitive instruction that a backend
 * needs when it moves the instruction or emulates it: where a %rip-relative
 * displacement sits, which registers a mov to a control register uses,
 * which port an in/out names.  Only the encodings of AB_KIND_TABLE are
 * understood; the instruction has already been checked by ab_decode.
 */
#ifndef WEDGE_INSN_H
#define WEDGE_INSN_H

#include <stdint.h>

/* Offset of the disp32 of a %rip-relative memory operand, or -1. */
int wedge_insn_riprel(const uint8_t *insn, unsigned len);

/*
 * For a mov to or from a control register (0f 20 / 0f 22): the control
 * register number and the general register (0 = %rax .. 15 = %r15).
 * Returns 0, or -1 for any other instruction.
 */
int wedge_insn_mov_cr(const uint8_t *insn, unsigned len, unsigned *cr, unsigned *gpr);

/*
 * For in/out/ins/outs: 1 and *port when the port is an immediate, 0 when
 * it is %dx, -1 for any other instruction.
 */
int wedge_insn_port_imm(const uint8_t *insn, unsigned len, uint16_t *port);

#endif
