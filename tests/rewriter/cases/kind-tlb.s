# expect: invlpg invpcid invd wbinvd wbnoinvd
	.text
	invlpg (%rax)
	invpcid (%rax), %rcx
	invd
	wbinvd
	wbnoinvd
