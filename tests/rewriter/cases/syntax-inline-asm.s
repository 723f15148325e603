# gcc brackets inline assembly with #APP / #NO_APP: flag 0x8.
# expect: pushf cli popf
	.text
	.globl g
g:
#APP
# 12 "x.c" 1
	pushf ; pop %rax
# 0 "" 2
#NO_APP
	movq %rax, %rdx
#APP
	cli
	push %rdx ; popf
#NO_APP
	ret
