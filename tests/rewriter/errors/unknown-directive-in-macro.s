# An unknown directive inside a macro body is caught at the definition.
	.macro M
	cli
	.frobnicate 1
	.endm
