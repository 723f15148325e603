# An instruction spelled with .byte is recognised when one .byte holds it.
# expect: stac swapgs cpuid
	.text
	.byte 0x0f,0x01,0xcb
	.byte 0x0f, 0x01, 0xf8
	.byte 0x0f, 0xa2
	.byte 0x90, 0x90	# not sensitive
