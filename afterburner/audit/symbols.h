/* The symbol table of an ab_elf, sorted for lookups by position. */
#ifndef AB_AUDIT_SYMBOLS_H
#define AB_AUDIT_SYMBOLS_H

#include "elf_input.h"

/* Read and sort the symbols of e; 0 on success, -1 after reporting. */
int ab_symbols_load(struct ab_elf *e);

#endif
