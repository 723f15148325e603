/*
 * The user program: runs in ring 3 at USER_CODE_VA (its page is mapped
 * there user-accessible, read-only), position independent, no sensitive
 * instruction.  Each entry point ends with the SYS_EXIT system call.
 */
#include "asm.h"

	.section .user.text, "ax"

/* syscall SYS_PING(0x1233), sysretq back here; exit with what came back. */
FUNC(user_ping)
	movl $SYS_PING, %eax
	movl $0x1233, %edi
	syscall
	movq %rax, %rdi
	movl $SYS_EXIT, %eax
	syscall
	ud2
END(user_ping)

/* Push on the user stack, exit with the value read back. */
FUNC(user_exit)
	pushq $0x600d
	popq %rdi
	movl $SYS_EXIT, %eax
	syscall
	ud2
END(user_exit)

/* Touch %rdi: a #PF the kernel resumes at user_fault_resume. */
FUNC(user_fault)
	movq (%rdi), %rax
	ud2
END(user_fault)

FUNC(user_fault_resume)
	movl $SYS_EXIT, %eax
	movl $0xfa17, %edi
	syscall
	ud2
END(user_fault_resume)
