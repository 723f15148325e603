# Truncated: a comment that never closes.
	nop
	/* cli
	sti
