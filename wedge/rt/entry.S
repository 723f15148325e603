/*
 * The entry stub of every hooked site (wedge/rt.h, struct wedge_regs):
 *
 *   site:   call thunk            (the backend's patch)
 *   thunk:  push $hook            (wedge_emit_hook)
 *           call wedge_entry
 *           lea 8(%rsp), %rsp     (drops the hook number, flags untouched)
 *           ...
 *           ret
 *
 * Saves every general register and the flags, runs the hook with
 * interrupts off (the saved flags carry the guest's IF back), on a 16-byte
 * aligned stack, and restores everything the hook may have changed.
 */
	.text
	.globl wedge_entry
wedge_entry:
	pushfq
/* WEDGE_USER_MODE: bench/callpath-host.c times this stub in user mode, where cli faults. */
#ifndef WEDGE_USER_MODE
	cli
#endif
	pushq %rax
	pushq %rcx
	pushq %rdx
	pushq %rbx
	pushq %rbp
	pushq %rsi
	pushq %rdi
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	movq %rsp, %rbx
	andq $-16, %rsp
	cld
	call wedge_dispatch
	movq %rbx, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rdi
	popq %rsi
	popq %rbp
	popq %rbx
	popq %rdx
	popq %rcx
	popq %rax
	popfq
	ret
