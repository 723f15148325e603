# Truncated: the file ends inside a .rept block.
	.rept 2
	hlt
