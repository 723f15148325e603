# Section switches: only executable sections get sites.
# expect: cli sti hlt cpuid
	.text
	cli
	.pushsection .data
	sti		# data: left alone
	.popsection
	sti
	.section .rodata, "a"
	hlt		# read-only data: left alone
	.previous
	hlt
	.section .init.text, "ax", @progbits
	cpuid
	.section .init.text	# keeps "ax" from its first declaration
	.text
