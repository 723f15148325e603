# Sites inside a macro body: labels stay unique per expansion.
# expect: cli sti cli sti
	.text
	.macro irq_off_on reg
	cli
	mov \reg, %rax
	sti
	.endm
	.macro twice
	nop
	.endm
f:	irq_off_on %rbx
	irq_off_on %rcx
	twice
