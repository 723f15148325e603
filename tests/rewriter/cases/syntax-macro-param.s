# A parameter used both as a statement and inside a symbol name
# (Linux's op_safe_regs): the body's lone "\op" is resolved by gas.
# expect: rdmsr wrmsr
	.text
	.macro op_safe_regs op
	.globl \op\()_safe_regs
\op\()_safe_regs:
1:	\op
	ret
	.endm
	op_safe_regs rdmsr
	op_safe_regs wrmsr
