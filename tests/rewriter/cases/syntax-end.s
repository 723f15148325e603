# Nothing after .end is read; the notes go before it.
# expect: cli
	.text
	cli
	.end
	sti
