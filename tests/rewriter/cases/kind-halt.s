# expect: hlt monitor mwait monitor mwait
	.text
	hlt
	monitor
	mwait
	monitorx
	mwaitx
