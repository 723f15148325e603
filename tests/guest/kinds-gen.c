/*
 * Kind numbers for the guest's assembly (asm-offsets style): compiled with
 * -S only; build.mk turns each "->NAME VALUE" marker of the output into
 * "#define NAME VALUE" in $(BUILD)/guest/gen/asm-kinds.h.
 */
#include "afterburn/abi.h"

#define DEFINE(sym, val) __asm__ volatile("\n.ascii \"->" #sym " %c0\"" : : "i"(val))

void kinds_gen(void);

void kinds_gen(void)
{
#define KIND_DEFINE(id, name, cls, pad) DEFINE(K_##id, AB_K_##id);
	AB_KIND_TABLE(KIND_DEFINE)
#undef KIND_DEFINE
	DEFINE(K_COUNT, AB_K_COUNT);
}
