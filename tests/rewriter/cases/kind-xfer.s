# expect: iret iret iret sysret sysret sysexit lret lret ljmp lcall int-n int-n
	.text
	iretq
	iretw
	iretl
	sysretq
	sysretl
	sysexitq
	lretq
	lretw
	ljmp *(%rax)
	lcall *(%rax)
	int $0x80
	int $0x3	# gas emits int3 (cc) for this: not a site
	int3		# cc: not a site (the kernel's fill byte)
	.byte 0xcd, 0x03	# int $3 as cd 03 is one
