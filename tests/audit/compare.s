# One source, two objects: plain (no --defsym AB) and afterburned (AB=1,
# each site padded and recorded).  Branches, %rip-relative references and
# alignment all move with the padding; compare must see through that.
# Variants of the afterburned object: CHANGE (an instruction differs),
# BADPAD (padding that is not NOPs), EXTRA (one more instruction),
# EXTRASEC (one more section), CALLX (a call to another external function:
# same bytes, another relocation), DATAREF (another %rip-relative datum),
# INT3 (an int3 where control falls through: not fill).
	.include "site.inc"
	.include "kinds.inc"

	.macro S kind, insn:vararg
	.ifdef AB
1:	\insn
2:	.nops 7
3:	ab_record \kind
	.else
	\insn
	.endif
	.endm

	.text
	.globl loop
	.type loop, @function
loop:
	push %rbx
	mov $100, %ecx
	lea table(%rip), %rbx
.Lagain:
	S K_cli, cli
	.ifdef CHANGE
	mov $2, %eax
	.else
	mov $1, %eax
	.endif
	S K_out, out %al, $0x80
	S K_in, in $0x71, %al
	S K_sti, sti
	.rept 8
	S K_pushf, pushfq
	S K_popf, popfq
	.endr
	.ifdef EXTRA
	xor %edx, %edx
	.endif
	call helper
	dec %ecx
	movl $(ext_end - loop), %edx   # PC32 to ext_end, addend moves with it
	.ifdef INT3
	int3
	.endif
	jnz .Lagain          # short when plain, near once padded
	.ifdef BADPAD
1:	hlt
2:	inc %eax
3:	ab_record K_hlt
	.else
	S K_hlt, hlt
	.endif
	pop %rbx
	ret
	.size loop, . - loop

	.p2align 4
	.type helper, @function
helper:
	S K_cpuid, cpuid
	.ifdef DATAREF
	mov table+16(%rip), %rax
	.else
	mov table+8(%rip), %rax
	.endif
	.ifdef CALLX
	call ext_b
	.else
	call ext_a
	.endif
	jmp 1f
	.balign 32, 0xcc     # int3 fill after a jmp: moves with the padding
1:	ret
	.size helper, . - helper

	.section .altinstr_replacement, "ax"
	.ifdef AB
1:	stac
2:	.nops 2
3:	ab_record K_stac, F_ALTREPL
	.else
	stac
	.endif
	jmp loop

	.ifdef EXTRASEC
	.section .text.extra, "ax"
	ret
	.endif

	.section .text.norel, "ax"   # code without any relocation
	xor %eax, %eax
	ret

	.data
table:	.quad 1, 2, 3
	.ifdef AB
	ab_sites_note
	ab_note
	.endif
