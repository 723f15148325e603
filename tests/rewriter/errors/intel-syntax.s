# Intel syntax cannot be classified by this parser.
	.intel_syntax noprefix
	mov cr3, rax
