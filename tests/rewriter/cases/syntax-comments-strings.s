# Instruction names in comments, strings and character constants are no sites.
# expect: sti
	.text
	nop	# cli
	/* hlt; cpuid */ nop
	/* a comment
	   spanning lines: rdmsr; wrmsr */
	movl $'#', %eax ; sti
	movb $';', %al
	.section .rodata
	.ascii "cli; sti # hlt"
	.asciz "\"cpuid\""
