# .code16/.code32 code is left alone (counted, not recorded).
# expect: cli sti
# audit-uncovered: 3 (the 16/32-bit instructions, decoded as 64-bit code)
	.text
	cli
	.code32
	cli
	inb $0x60, %al
	.code16
	hlt
	.code64
	sti
