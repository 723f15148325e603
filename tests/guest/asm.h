/*
 * For the guest's .S files: the shared constants and the counting macros.
 * K_* are the kind numbers of include/afterburn/abi.h, generated into
 * $(BUILD)/guest/gen/asm-kinds.h from kinds-gen.c at build time.
 *
 * Every sensitive instruction is preceded by the increment of its kind's
 * counter (ab_count[], report.c): tests/guest/counted.sh checks this of
 * every site of the linked guest.
 */
#ifndef GUEST_ASM_H
#define GUEST_ASM_H

#include "defs.h"
#include "asm-kinds.h"

/* Count one execution of kind k (high mapping, after boot64). */
#define COUNT(k)      incq ab_count + 8 * (k)(%rip)
/* The same through the identity map, while only low memory is mapped. */
#define COUNT_PHYS(k) incq ab_count - KERNEL_VIRT_BASE + 8 * (k)

#define FUNC(name) .globl name ; .type name, @function ; name:
#define END(name)  .size name, . - name

#endif
