# One cli without a record, among ordinary code.
	.text
	.globl irq_off
	.type irq_off, @function
irq_off:
	push %rbp
	mov %rsp, %rbp
	cli
	pop %rbp
	ret
	.size irq_off, . - irq_off
