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
 * interrupts off, on a 16-byte aligned stack, and restores everything the
 * hook may have changed: the registers, and of the flags CF PF AF ZF SF
 * OF, DF and IF (the C code and the stub's cli/cld change no other; a
 * hook may change these in regs->rflags).
 *
 * Not with popfq: it made the path ~8 cycles slower on an EPYC
 * (bench/callpath-host, side by side).  DF and IF come back by a
 * conditional std/sti, then OF by an add that overflows or not, then the
 * other five by sahf, last, since the tests before clobber them.  The
 * sti's one-instruction shadow covers nothing that matters (the stub's
 * own restores).
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
	/* (%rsp): the guest's rax, 8(%rsp): its rflags as the hook left them */
	movl 8(%rsp), %eax
	btl $10, %eax              /* DF */
	jnc 1f
	std
1:
#ifndef WEDGE_USER_MODE
	btl $9, %eax               /* IF */
	jnc 2f
	sti
2:
#endif
	shrl $11, %eax             /* OF: 0x7f + 1 overflows, 0 + 1 does not */
	andl $1, %eax
	imull $0x7f, %eax, %eax
	addb $1, %al
	movb 8(%rsp), %ah          /* SF ZF AF PF CF */
	sahf
	popq %rax
	leaq 8(%rsp), %rsp         /* the saved rflags, flags untouched */
	ret
