# Truncated: the file ends inside a macro body.
	.text
	.macro M
	cli
