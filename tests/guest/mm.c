/*
 * The guest's own 4-level page tables, built after entry (the early ones of
 * head.S only get it here):
 *
 *   0 .. 1 GiB                      identity, 2 MiB pages, supervisor
 *   USER_VA .. +2 MiB (4 KiB pages) the user program's page (read-only),
 *                                   its stack, a hole (never mapped) and
 *                                   TEST_VA (supervisor, remapped by checks)
 *   0xffffffff80000000 .. +1 GiB    the kernel image: physical 0 .. 1 GiB
 */
#include "guest.h"

#define PAGE __attribute__((aligned(4096)))

static uint64_t pml4[512] PAGE, pdpt_low[512] PAGE, pdpt_high[512] PAGE;
static uint64_t pd_ident[512] PAGE, pd_window[512] PAGE, pt_window[512] PAGE;
static uint8_t user_stack[4096] PAGE;

void mm_init(void)
{
	for (uint64_t i = 0; i < 512; i++)
		pd_ident[i] = i << 21 | PTE_P | PTE_W | PTE_PS;
	pdpt_low[0] = PA(pd_ident) | PTE_P | PTE_W;
	pdpt_low[1] = PA(pd_window) | PTE_P | PTE_W | PTE_U;
	pml4[0] = PA(pdpt_low) | PTE_P | PTE_W | PTE_U;
	pdpt_high[510] = PA(pd_ident) | PTE_P | PTE_W;
	pml4[511] = PA(pdpt_high) | PTE_P | PTE_W;

	pd_window[0] = PA(pt_window) | PTE_P | PTE_W | PTE_U;
	pt_window[0] = PA(user_text_start) | PTE_P | PTE_U; /* one page: guest.ld */
	pt_window[(USER_STACK_VA - USER_VA) >> 12] = PA(user_stack) | PTE_P | PTE_W | PTE_U;
	write_cr3(PA(pml4));
}

uint64_t mm_root(void)
{
	return PA(pml4);
}

volatile uint64_t *mm_window_pte(uint64_t va)
{
	return &pt_window[(va - USER_VA) >> 12 & 511];
}
