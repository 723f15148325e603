# .include would hide text from the rewriter.
	.include "other.s"
