# .endr without .rept.
	nop
	.endr
