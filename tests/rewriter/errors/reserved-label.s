# Our own site labels are reserved.
8943001:	nop
