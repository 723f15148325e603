/* Which kind of sensitive instruction (abi.h) an AT&T statement is. */
#ifndef AB_REWRITE_CLASSIFY_H
#define AB_REWRITE_CLASSIFY_H

#include <stddef.h>

/* Prefix words such as rep, lock, data16, rex.W, cs, {disp32}. */
int ab_is_prefix_word(const char *w, size_t n);

/*
 * Kind of the instruction whose (lower- or upper-case) mnemonic is
 * mnem[0..mlen) and whose operand text is ops[0..olen); AB_K_NONE when it
 * is not sensitive.
 */
unsigned ab_classify(const char *mnem, size_t mlen, const char *ops, size_t olen);

/* sti and mov to %ss hold off interrupts for one more instruction. */
int ab_has_interrupt_shadow(unsigned kind, const char *ops, size_t olen);

#endif
