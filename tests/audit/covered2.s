# A second object, to link with covered.s: two .afterburn tables merge.
	.include "site.inc"
	.include "kinds.inc"
	.text
	.globl port_in
	.type port_in, @function
port_in:
	mov %edi, %edx
1:	in (%dx), %al
2:	.nops 4
3:	ab_record K_in
1:	int $0x80
2:	.nops 3
3:	ab_record K_int_n
	ret
	.size port_in, . - port_in
	ab_sites_note
	ab_note
