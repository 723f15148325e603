# Every sensitive instruction carries a valid record: the audit passes.
	.include "site.inc"
	.include "kinds.inc"

	.text
	.globl covered
	.type covered, @function
covered:
	push %rbp
	mov %rsp, %rbp
1:	cli
2:	.nops 7
3:	ab_record K_cli
	mov $0x3f8, %edx
1:	out %al, (%dx)
2:	.nops 4
3:	ab_record K_out
1:	sti
2:	.nops 4
3:	ab_record K_sti
	xor %eax, %eax
1:	cpuid
2:	.nops 3
3:	ab_record K_cpuid
1:	mov %cr3, %rax
2:	.nops 2
3:	ab_record K_mov_from_cr
1:	mov %rax, %cr3
2:	.nops 2
3:	ab_record K_mov_to_cr
1:	rep outsb
2:	.nops 3
3:	ab_record K_outs, F_PREFIX
1:	.byte 0x0f, 0x01, 0xf8     # swapgs
2:	.nops 2
3:	ab_record K_swapgs, F_BYTES
1:	pushfq
2:	.nops 4
3:	ab_record K_pushf
1:	popfq
2:	.nops 4
3:	ab_record K_popf
1:	cli
2:	.nops 7
3:	ab_record K_cli
	pop %rbp
	ret
	.size covered, . - covered

	.globl start
	.type start, @function
start:
	call covered
1:	hlt
2:	.nops 4
3:	ab_record K_hlt
	jmp start
	.size start, . - start

	ab_sites_note
	ab_note
