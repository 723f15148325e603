# A line that is no statement.
	.text
	nop
	@@@ cli
