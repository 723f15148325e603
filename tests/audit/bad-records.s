# Broken site records, one case per --defsym CASE=n (see bad-records.sh).
	.include "site.inc"
	.include "kinds.inc"

	# A record with every field spelled out: site label 1, len, kind, flags.
	.macro raw_record len, kind, flags=0, rel=1b-.
	.pushsection .note.afterburn.sites, "a", @note
	.subsection 1
	.long \rel
	.byte \len, \kind
	.short \flags
	.popsection
	.endm

	.text
	.globl f
	.type f, @function
f:
	push %rbp
	# A valid site in every case: the bad one must not spoil it.
1:	cli
2:	.nops 7
3:	ab_record K_cli

.if CASE == 1   # kind differs from what the bytes decode to
1:	sti
2:	.nops 4
3:	ab_record K_cli
.endif
.if CASE == 2   # len past the end of the section: see the end of .text
.endif
.if CASE == 3   # overlapping sites
1:	cli
	sti
2:	.nops 6
3:	ab_record K_cli                 # cli, len 8: covers the sti
	raw_record 7, K_sti, 0, 1b-.+1  # sti, len 7: inside the cli's site
.endif
.if CASE == 4   # two records for one site
1:	cli
2:	.nops 7
3:	ab_record K_cli
	ab_record K_cli
.endif
.if CASE == 5   # padding that is not NOPs
1:	cli
2:	inc %eax
	.nops 5
3:	ab_record K_cli
.endif
.if CASE == 6   # unknown flag bits
1:	cli
2:	.nops 7
3:	ab_record K_cli, 0x100
.endif
.if CASE == 7   # a site in a data section
	.data
1:	.byte 0xfa
2:	.fill 7, 1, 0x90
3:	ab_record K_cli
	.text
.endif
.if CASE == 8   # undefined kind
1:	cli
2:	.nops 7
3:	ab_record 200
.endif
.if CASE == 9   # len shorter than the instruction
1:	mov %cr3, %rax
	raw_record 1, K_mov_from_cr
.endif
.if CASE == 10  # no relocation: an absolute rel in an object
1:	cli
	raw_record 1, K_cli, 0, 0
.endif
.if CASE == 11  # a relocation of another type (R_X86_64_32)
1:	cli
	raw_record 1, K_cli, 0, 1b
.endif
.if CASE == 12  # a site in .altinstr_replacement without the flag
	.section .altinstr_replacement, "ax"
1:	stac
2:	.nops 2
3:	ab_record K_stac
	.text
.endif
.if CASE == 13  # the flag on a site elsewhere
1:	stac
2:	.nops 2
3:	ab_record K_stac, F_ALTREPL
.endif
.if CASE == 14  # a sites note whose size is not a multiple of 8
	.pushsection .note.afterburn.sites, "a", @note
	.subsection 1
	.long 0
	.popsection
.endif
.if CASE == 15  # a version note of another ABI
	ab_note 2
.endif
.if CASE == 20  # an Afterburn note of a type this ABI does not define
	.pushsection .note.afterburn, "a", @note
	.balign 4
	.long 10, 4, 7
	.asciz "Afterburn"
	.balign 4
	.long 0
	.popsection
.endif
.if CASE == 16  # a site far outside its section
1:	cli
	raw_record 1, K_cli, 0, 1b-.+0x10000000
.endif
.if CASE == 17  # a relocation against an undefined symbol
	raw_record 1, K_cli, 0, elsewhere-.
.endif

	pop %rbp
	ret
	.size f, . - f
.if CASE == 2
1:	cli
	raw_record 8, K_cli
.endif
.if CASE == 18  # a note that runs past the end of its section
	.pushsection .note.afterburn.sites, "a", @note
	.subsection 2
	.long 10, 64, 2
	.asciz "Afterburn"
	.balign 4
	.long 0
	.popsection
.endif
.if CASE == 19  # site records without a version note
.else
.if CASE != 15
	ab_note
.endif
.endif
	ab_sites_note
