# Sensitive instructions spelled as data: only decoding finds them.
	.text
	.globl by_bytes
	.type by_bytes, @function
by_bytes:
	mov $1, %eax
	.byte 0xfa                 # cli
	xor %ecx, %ecx
	.byte 0x0f, 0x01, 0xf8     # swapgs
	ret
	.size by_bytes, . - by_bytes
