# Prefixes on the statement, as their own statement, and as a line of their own.
# expect: outs ins outs in mov-from-seg cli
	.text
	rep outsb
	repz; insb
	rep
	outsw
	data16 inb %dx, %al
	rex.W mov %ds, %eax
	lock addl $1, (%rax)
	cs cli
