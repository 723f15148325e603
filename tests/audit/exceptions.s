# Uncovered instructions for the exceptions file: two in one function,
# one in another, one in a section without symbols.
	.text
	.globl early_boot
	.type early_boot, @function
early_boot:
	cli
	mov $0x80, %dx
	out %al, (%dx)
	ret
	.size early_boot, . - early_boot

	.globl halt_loop
	.type halt_loop, @function
halt_loop:
	hlt
	jmp halt_loop
	.size halt_loop, . - halt_loop

	.section .text.unnamed, "ax"
	nop
	cpuid
