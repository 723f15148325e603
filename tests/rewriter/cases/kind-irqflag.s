# expect: cli sti pushf pushf pushf popf popf popf
	.text
	cli
	sti
	pushf
	pushfq
	pushfw
	popf
	popfq
	popfw
