# Several statements per line, labels on the same line, "0 :" labels,
# mixed case.
# expect: cli sti hlt cli sti cli
	.text
	cli; sti; nop
a: b: hlt ; ret
0 :	CLI
foo :	sti ; jmp 0b
	nop ; nop ; Cli
