# expect: xsaves xrstors xsaves xrstors stac clac rsm
	.text
	xsaves (%rdi)
	xrstors (%rdi)
	xsaves64 (%rdi)
	xrstors64 (%rdi)
	stac
	clac
	rsm
