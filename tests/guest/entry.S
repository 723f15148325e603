/*
 * Trap and system-call entry, and the control transfers the checks make
 * (iretq, lretq, far jmp/call, entering ring 3).  Every sensitive
 * instruction is counted (asm.h).
 */
#include "asm.h"

/*
 * 256 stubs of ISR_STUB_SIZE (16) bytes: push a zero error code where the
 * CPU pushes none, push the vector, join isr_common.
 */
	.text
	.balign 16
	.globl isr_stubs
isr_stubs:
	.set vec, 0
	.rept 256
	.balign 16
	.if !(vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30)
	pushq $0
	.endif
	pushq $vec
	jmp isr_common
	.set vec, vec + 1
	.endr
	.balign 16
	.globl isr_stubs_end
isr_stubs_end:                  /* guest.ld checks: 256 * 16 bytes */

/* The frame is struct trap_frame (guest.h); 176 bytes keep %rsp 16-aligned. */
FUNC(isr_common)
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	cld
	movq %rsp, %rdi
	call trap_dispatch
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp
	COUNT(K_IRET)
	iretq
END(isr_common)

/*
 * syscall from the user program: %rax = number, %rdi = argument, %rcx =
 * user rip, %r11 = user rflags, still on the user stack (IF is off through
 * SFMASK).  SYS_EXIT does not come back here (leave_user).
 */
FUNC(syscall_entry)
	movq %rsp, syscall_user_rsp(%rip)
	leaq syscall_stack_top(%rip), %rsp
	pushq %rcx
	pushq %r11
	movq %rdi, %rsi
	movl %eax, %edi
	call syscall_dispatch
	popq %r11
	popq %rcx
	movq syscall_user_rsp(%rip), %rsp
	COUNT(K_SYSRET)
	sysretq
END(syscall_entry)

/* uint64_t enter_user(rip, rsp, arg): iretq to ring 3 with %rdi = arg, interrupts off. */
FUNC(enter_user)
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, user_ctx_rsp(%rip)
	pushq $(USER_DS | 3)
	pushq %rsi
	pushq $0x2
	pushq $(USER_CS | 3)
	pushq %rdi
	movq %rdx, %rdi
	COUNT(K_IRET)
	iretq
END(enter_user)

/* leave_user(value): back into enter_user's caller, which returns value. */
FUNC(leave_user)
	movq user_ctx_rsp(%rip), %rsp
	movq %rdi, %rax
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret
END(leave_user)

/* int iret_to_self(void): an iretq frame returning to the next label, ring 0. */
FUNC(iret_to_self)
	movq %rsp, %rax
	pushq $KERNEL_DS
	pushq %rax
	COUNT(K_PUSHF)
	pushfq
	pushq $KERNEL_CS
	leaq 1f(%rip), %rax
	pushq %rax
	xorl %eax, %eax
	COUNT(K_IRET)
	iretq
	ud2
1:	movl $1, %eax
	ret
END(iret_to_self)

/* int lret_to_self(void): lretq to the next label with KERNEL_CS (reloads CS). */
FUNC(lret_to_self)
	pushq $KERNEL_CS
	leaq 1f(%rip), %rax
	pushq %rax
	xorl %eax, %eax
	COUNT(K_LRET)
	lretq
	ud2
1:	movl $1, %eax
	ret
END(lret_to_self)

/*
 * Far jmp and far call through m16:32 pointers: a 32-bit offset reaches
 * only the image's physical alias (identity-mapped), so they land there;
 * far_call_test also calls from there (the pushed return EIP must fit 32
 * bits) and on the stack's physical alias (QEMU TCG truncates %rsp to 32
 * bits for a far call with 32-bit operands in 64-bit mode).  Both return
 * to their high caller with a near ret.
 */
FUNC(far_jmp_test)
	xorl %eax, %eax
	COUNT(K_LJMP)
	ljmpl *far_jmp_ptr(%rip)
	ud2
far_jmp_landing:
	movl $1, %eax
	ret
END(far_jmp_test)

FUNC(far_call_test)
	movabsq $KERNEL_VIRT_BASE, %rax
	leaq 1f(%rip), %rcx
	subq %rax, %rcx
	jmp *%rcx
1:	movq %rsp, %r11
	leaq far_call_stack_top(%rip), %rsp
	xorl %eax, %eax
	COUNT(K_LCALL)
	lcalll *far_call_ptr(%rip)
	movq %r11, %rsp
	ret
far_call_target:
	movl $1, %eax
	COUNT(K_LRET)
	lretl
END(far_call_test)

	.section .rodata
far_jmp_ptr:
	.long far_jmp_landing - KERNEL_VIRT_BASE
	.word KERNEL_CS
far_call_ptr:
	.long far_call_target - KERNEL_VIRT_BASE
	.word KERNEL_CS

	.bss
	.balign 16
syscall_user_rsp:
	.skip 8
user_ctx_rsp:
	.skip 8
	.balign 16
	.skip 4096
syscall_stack_top:
	.skip 256
far_call_stack_top:
