# A string that never closes.
	.ascii "abc
