# expect: mov-to-seg mov-from-seg mov-to-seg mov-from-seg push-seg pop-seg push-seg pop-seg lar lsl verr verw swapgs rdfsbase rdgsbase wrfsbase wrgsbase lfs-lgs-lss lfs-lgs-lss lfs-lgs-lss
	.text
	mov %ax, %ds
	mov %es, %ax
	movw %ax, %ss
	movl %gs, %eax
	mov %fs:0x28, %rax	# segment override on memory: not a site
	mov %rax, %gs:(%rdi)	# nor this
	push %fs
	pop %fs
	pushq %gs
	popq %gs
	lar %ax, %ax
	lsl %eax, %ecx
	verr %ax
	verw (%rax)
	swapgs
	rdfsbase %rax
	rdgsbase %rax
	wrfsbase %rdi
	wrgsbase %rdi
	lfs (%rax), %eax
	lgs (%rax), %eax
	lss (%rax), %esp
