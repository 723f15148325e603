# Linux alternatives: a replacement section's sites carry the altrepl flag
# (0x40); ALTERNATIVE "", "stac" passes the instruction as a macro argument.
# expect: stac clac stac mov-to-seg mov-to-seg
	.text
	.macro ALTERNATIVE oldinstr, newinstr, feature
140:
	\oldinstr
141:
	.skip -(((144f-143f)-(141b-140b)) > 0) * ((144f-143f)-(141b-140b)),0x90
142:
	.pushsection .altinstructions,"a"
	.long 140b - ., 143f - .
	.short \feature
	.byte 142b-140b, 144f-143f
	.popsection
	.pushsection .altinstr_replacement,"ax"
143:
	\newinstr
144:
	.popsection
	.endm
f:	ALTERNATIVE "", "stac", 20
	ALTERNATIVE "", ".byte 0x0f,0x01,0xca", 20
661:	nop; nop; nop
662:	.pushsection .altinstr_replacement, "ax"
663:	stac
664:	.popsection
# A macro expanded as an ALTERNATIVE argument (Linux's ZAP_GS) lands in the
# replacement section: its site inherits the altrepl flag from the context.
	.macro ZAP_GS
	movl $0x2b, %eax
	movl %eax, %gs
	.endm
	ALTERNATIVE "", "ZAP_GS", 21
	ZAP_GS
