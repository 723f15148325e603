/*
 * The wedge inside the monitor: build/wedge/wedge.elf, byte for byte, so
 * that the static previrt binary alone can run --mode previrt (copied into
 * a minimal VM image, for one).  --wedge FILE overrides it.
 * MON_WEDGE_ELF is the file's path (backends/kvm/build.mk).
 */
	.section .rodata.mon_wedge, "a"
	.balign 16
	.globl mon_wedge_blob, mon_wedge_blob_end
mon_wedge_blob:
	.incbin MON_WEDGE_ELF
mon_wedge_blob_end:

	.section .note.GNU-stack, "", @progbits
