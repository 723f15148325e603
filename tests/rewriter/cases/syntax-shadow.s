# sti and mov to %ss hold off interrupts for one more instruction: their
# padding goes first (flag bits 12-15), so "sti; hlt" stays adjacent and
# an interrupt pending at sti still wakes the hlt (Linux's safe_halt).
# expect: sti hlt mov-to-seg mov-to-seg sti
# adjacent: fb f4
# adjacent: 8e d0 48 89 e0
	.text
	sti; hlt
	mov %ax, %ss
	mov %rsp, %rax
	mov %ax, %ds
	.byte 0xfb
