# expect: mov-to-cr mov-from-cr mov-to-cr mov-from-cr mov-to-cr mov-from-cr mov-to-cr mov-to-dr mov-from-dr mov-to-dr clts lmsw smsw smsw
	.text
	mov %rax, %cr0
	mov %cr2, %rax
	movq %rdi, %cr3
	mov %cr3, %rdi
	mov %rax, %cr4
	mov %cr8, %rax
	mov %rax, %CR8
	mov %rax, %db7
	mov %db6, %rax
	mov %rax, %dr0
	clts
	lmsw %ax
	smsw %eax
	smsw (%rax)
