# expect: in in in in in out out out out out ins ins ins ins outs outs outs outs
	.text
	inb $0x60, %al
	in $0x60, %al
	inw %dx, %ax
	inl %dx, %eax
	in (%dx), %al
	outb %al, $0x80
	out %al, $0x80
	outw %ax, %dx
	outl %eax, %dx
	out %al, (%dx)
	insb
	insw
	insl
	rep insb
	outsb
	rep outsw
	outsl
	rep; outsb
