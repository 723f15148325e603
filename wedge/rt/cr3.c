/*
 * The hook on every guest `mov %reg, %cr3` when the backend calls into the
 * wedge: the new tables get the wedge before they load (paging.c).
 */
#include "wedge/insn.h"
#include "wedge/rt.h"

uint64_t *wedge_regs_gpr(struct wedge_regs *r, unsigned n)
{
	/* Encoding order rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8..r15. */
	uint64_t *const by_number[16] = {
		&r->rax, &r->rcx, &r->rdx, &r->rbx, 0, &r->rbp, &r->rsi, &r->rdi,
		&r->r8, &r->r9, &r->r10, &r->r11, &r->r12, &r->r13, &r->r14, &r->r15,
	};
	return n < 16 ? by_number[n] : 0;
}

bool wedge_site_loads_cr3(const uint8_t *insn, unsigned len, unsigned *gpr)
{
	unsigned cr;
	/* 0f 22 /r: to the control register (0f 20 reads it). */
	if (len < 3 || wedge_insn_mov_cr(insn, len, &cr, gpr) || cr != 3 || insn[len - 2] != 0x22)
		return false;
	if (*gpr == 4)
		wedge_panic("mov %%rsp, %%cr3 at a site: not supported");
	return true;
}

/* arg: the source register's number (wedge_site_loads_cr3). */
void wedge_hook_cr3(struct wedge_regs *regs, void *arg)
{
	wedge_map_into(*wedge_regs_gpr(regs, (unsigned)(uintptr_t)arg));
}
