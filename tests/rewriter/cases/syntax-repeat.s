# .rept, .irp and .irpc bodies.
# expect: hlt hlt hlt in in out
	.text
	.rept 3
	hlt
	.endr
	.irp port, 0x60, 0x64
	inb $\port, %al
	.endr
	.irpc c, 1
	outb %al, $0x8\c
	.endr
