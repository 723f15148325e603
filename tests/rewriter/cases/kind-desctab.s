# expect: lgdt lidt lldt ltr sgdt sidt sldt str lgdt
	.text
	lgdt (%rax)
	lidt 8(%rsp)
	lldt %ax
	ltr %di
	sgdt (%rdi)
	sidt gdt_ptr(%rip)
	sldt %eax
	str %eax
	lgdtq 0x10(%rbx,%rcx,2)
	.data
gdt_ptr: .quad 0, 0
