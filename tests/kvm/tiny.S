/*
 * Tiny hand-made guests for the monitor's tests (tests/kvm/tiny.sh), one
 * per -DPROG_*, linked at 1 MiB by tiny.ld.  They talk on COM1 (a byte
 * to 0x3f8 is a byte on stdout: the UART model needs no set-up) and end
 * through the monitor's devices.
 *
 *   PROG_TRIPLE    --mode full: an empty IDT, then #UD: a triple fault
 *   PROG_MMIO      --mode full: a jump to memory that is not RAM
 *   PROG_HCALL     --mode full: malformed hypercalls, "ok N" / "not ok N"
 *                  per check, then AB_HC_EXIT with 7
 *   PROG_PROMPT    --mode full: "prompt> " with no newline, then halts
 *                  with interrupts off forever (the console timer, --timeout)
 *   PROG_RESET     --mode full: the i8042 reset command
 *   PROG_DEBUGEXIT --mode full: isa-debug-exit with DEBUGEXIT_VALUE
 *   PROG_INJECT    --mode previrt as the wedge (PVH, 32-bit): HELLO, the
 *                  shared page with a bad vector, then a good one and a
 *                  timer deadline; the handlers check what the monitor
 *                  recorded and exit
 */
#define HC(nr) (0x500 + (nr))
#define HC_HELLO 0
#define HC_CONSOLE 1
#define HC_EXIT 2
#define HC_KICK 3
#define HC_DISK 4
#define COM1 0x3f8

/* ab_shared offsets (include/afterburn/abi.h) */
#define SH_IRQ_VECTOR 0
#define SH_TIMER_VECTOR 4
#define SH_TIMER_DEADLINE 8
#define SH_TIMER_PERIOD 16
#define SH_ACKED 24
#define SH_INJECTED 32
#define SH_LAST_VECTOR 36

	.section .text, "ax"

#ifndef PROG_INJECT
	.code64
	.globl _start
_start:
	movl $0x9ff0, %esp

#if defined(PROG_TRIPLE)
	lidt zero_idt
	ud2

#elif defined(PROG_MMIO)
	movl $0xd0000000, %eax
	jmp *%rax

#elif defined(PROG_RESET)
	movb $0xfe, %al
	outb %al, $0x64
	hlt

#elif defined(PROG_DEBUGEXIT)
	movl $DEBUGEXIT_VALUE, %eax
	outl %eax, $0xf4
	hlt

#elif defined(PROG_PROMPT)
	movl $prompt, %esi
	call puts
1:	cli
	hlt
	jmp 1b

#elif defined(PROG_HCALL)
/* HCALL nr, block: one hypercall; CHECK n, mem, value: "ok n" if mem == value */
.macro HCALL nr, block
	movl \block, %eax
	movw $HC(\nr), %dx
	outl %eax, %dx
.endm
.macro CHECK n, mem, value
	movl $\n, %edi
	cmpl $\value, \mem
	call verdict
.endm
	/* 1, 2: exit statuses outside 0..123 are refused with -AB_E_INVAL */
	movl $200, exit_blk
	HCALL HC_EXIT, $exit_blk
	CHECK 1, exit_blk+4, -22
	movl $-1, exit_blk
	movl $0, exit_blk+4
	HCALL HC_EXIT, $exit_blk
	CHECK 2, exit_blk+4, -22
	/* 3: an unaligned block is not answered (and the run goes on) */
	movl $7, exit_blk+16+4
	movl $0x55, exit_blk+16+8
	HCALL HC_EXIT, $exit_blk+16+4
	CHECK 3, exit_blk+16+8, 0x55
	/* 4: a block outside RAM: not answered */
	HCALL HC_EXIT, $0xfffffff8
	CHECK 4, exit_blk+16+8, 0x55
	/* 5: a console write longer than AB_HC_CONSOLE_MAX */
	movl $5000, con_blk+8
	HCALL HC_CONSOLE, $con_blk
	CHECK 5, con_blk+12, -22
	/* 6: console data outside RAM */
	movl $0xf0000000, con_blk
	movl $16, con_blk+8
	HCALL HC_CONSOLE, $con_blk
	CHECK 6, con_blk+12, -22
	/* 7: console data running past the end of RAM (-m 64M) */
	movl $0x3fffff8, con_blk
	HCALL HC_CONSOLE, $con_blk
	CHECK 7, con_blk+12, -22
	/* 8: a good one: "hello\n" on stdout, ret 0 */
	movl $hello, con_blk
	movl $6, con_blk+8
	movl $0x55, con_blk+12
	HCALL HC_CONSOLE, $con_blk
	CHECK 8, con_blk+12, 0
	/* 9: HELLO of another hypercall ABI version */
	movl $99, hello_blk
	HCALL HC_HELLO, $hello_blk
	CHECK 9, hello_blk+4, -71
	/* 10, 11: the shared page unaligned, and outside RAM */
	movl $1, hello_blk
	movl $shared + 8, hello_blk+8
	HCALL HC_HELLO, $hello_blk
	CHECK 10, hello_blk+4, -22
	movl $0xf0000000, hello_blk+8
	HCALL HC_HELLO, $hello_blk
	CHECK 11, hello_blk+4, -22
	/* 12-14: a good HELLO under --mode full: mode 0, a TSC frequency */
	movl $shared, hello_blk+8
	movl $0x55, hello_blk+16
	HCALL HC_HELLO, $hello_blk
	CHECK 12, hello_blk+4, 0
	CHECK 13, hello_blk+16, 0
	movl $14, %edi
	cmpl $0, hello_blk+24
	setne %al
	cmpb $1, %al      /* ZF: tsc_khz != 0 */
	call verdict
	/* 15: no disk yet */
	movl $0, disk_blk
	movl $1, disk_blk+4
	HCALL HC_DISK, $disk_blk
	CHECK 15, disk_blk+24, -38
	/* 16: KICK, a hypercall number nobody knows, byte and word writes,
	 * and reads of the hypercall ports: all ignored, the run goes on */
	HCALL HC_KICK, $0x12345
	HCALL 9, $exit_blk
	movw $HC(HC_EXIT), %dx
	movb $1, %al
	outb %al, %dx
	outw %ax, %dx
	inl %dx, %eax
	movl %eax, scratch
	CHECK 16, scratch, -1
	/* the end: AB_HC_EXIT with 7 */
	movl $7, exit_blk
	HCALL HC_EXIT, $exit_blk
	movl $99, %edi
	call verdict      /* still running: a failure, visibly */
1:	hlt
	jmp 1b

/* "ok N\n" if ZF, else "not ok N\n" (N = %edi, 1..99) */
verdict:
	jz 1f
	movl $not_ok, %esi
	call puts
1:	movl $ok, %esi
	call puts
	movl %edi, %eax
	movb $10, %cl
	divb %cl          /* al = tens, ah = ones */
	testb %al, %al
	jz 2f
	addb $'0', %al
	call putc
2:	movb %ah, %al
	addb $'0', %al
	call putc
	movb $'\n', %al
	jmp putc
#endif

/* puts %esi (NUL-terminated), putc %al: straight to the UART's THR */
puts:
	lodsb
	testb %al, %al
	jz 1f
	call putc
	jmp puts
1:	ret
putc:
	pushq %rdx
	movw $COM1, %dx
	outb %al, %dx
	popq %rdx
	ret

#else /* PROG_INJECT: a PVH kernel, entered in 32-bit protected mode */
	.code32
/* GATE vec, handler: a 32-bit interrupt gate, selector 0x08 (the monitor's code32) */
.macro GATE vec, handler
	movl $\handler, %eax
	movw %ax, idt + \vec * 8
	movw $0x08, idt + \vec * 8 + 2
	movw $0x8e00, idt + \vec * 8 + 4
	shrl $16, %eax
	movw %ax, idt + \vec * 8 + 6
.endm
	.globl _start
_start:
	movl $0x9ff0, %esp
	GATE 0x30, irq30
	GATE 0x31, irq31
	lidt idt_desc
	/* HELLO: the shared page; under --mode previrt the answer is mode 1 */
	movl $1, hello_blk
	movl $shared, hello_blk+8
	movl $hello_blk, %eax
	movw $HC(HC_HELLO), %dx
	outl %eax, %dx
	cmpl $0, hello_blk+4
	jne fail
	cmpl $1, hello_blk+16
	jne fail
	/* a vector the monitor must never inject */
	movl $0x130, shared + SH_IRQ_VECTOR
	movl $-1, shared + SH_TIMER_VECTOR
	call kick
	sti
	movl $50, %ecx
1:	inb $0x61, %al    /* exits: the monitor looks at the page each time */
	loop 1b
	cmpl $0, shared + SH_INJECTED
	jne fail
	movl $bad_ok, %esi
	call puts
	/* vector 0x30 now: taken at once, IF is set */
	movl $0x30, shared + SH_IRQ_VECTOR
	call kick
2:	jmp 2b

/* 0x30: the monitor recorded it; ack it, then a timer deadline 10 ms out */
irq30:
	cmpl $1, shared + SH_INJECTED
	jne fail
	cmpl $0x30, shared + SH_LAST_VECTOR
	jne fail
	movl $1, shared + SH_ACKED
	movl $-1, shared + SH_IRQ_VECTOR
	movl $irq_ok, %esi
	call puts
	rdtsc
	movl hello_blk+24, %ecx  /* tsc_khz */
	imull $10, %ecx          /* ticks in 10 ms */
	addl %ecx, %eax
	adcl $0, %edx
	movl %eax, shared + SH_TIMER_DEADLINE
	movl %edx, shared + SH_TIMER_DEADLINE + 4
	movl hello_blk+24, %ecx  /* irq31 accepts 100 us early: the monitor */
	shrl $3, %ecx            /* estimates the guest TSC from its own */
	subl %ecx, %eax
	sbbl $0, %edx
	movl %eax, deadline
	movl %edx, deadline + 4
	movl $0x31, shared + SH_TIMER_VECTOR
	call kick
	sti
3:	hlt               /* the monitor sleeps, then injects 0x31 */
	jmp 3b

/* 0x31: not before the deadline, and recorded as the second injection */
irq31:
	rdtsc
	cmpl deadline + 4, %edx
	jb fail
	ja 4f
	cmpl deadline, %eax
	jb fail
4:	cmpl $2, shared + SH_INJECTED
	jne fail
	cmpl $0x31, shared + SH_LAST_VECTOR
	jne fail
	movl $timer_ok, %esi
	call puts
	movl $9, exit_blk
	movl $exit_blk, %eax
	movw $HC(HC_EXIT), %dx
	outl %eax, %dx
fail:
	movl $failed, %esi
	call puts
	movl $3, exit_blk
	movl $exit_blk, %eax
	movw $HC(HC_EXIT), %dx
	outl %eax, %dx
	hlt

kick:
	movw $HC(HC_KICK), %dx
	outl %eax, %dx
	ret

puts:
	lodsb
	testb %al, %al
	jz 1f
	movw $COM1, %dx
	outb %al, %dx
	jmp puts
1:	ret

#include "pvh-note.inc"
#endif

	.section .data, "aw"
	.balign 16
zero_idt:
	.word 0
	.quad 0
	.balign 8
exit_blk:	.fill 32, 1, 0
con_blk:	.fill 16, 1, 0
hello_blk:	.fill 56, 1, 0
disk_blk:	.fill 32, 1, 0
scratch:	.long 0
deadline:	.quad 0
prompt:		.asciz "prompt> "
hello:		.ascii "hello\n"
ok:		.asciz "ok "
not_ok:		.asciz "not "
bad_ok:		.asciz "bad vector: not injected\n"
irq_ok:		.asciz "vector 0x30: injected, recorded\n"
timer_ok:	.asciz "vector 0x31: at the deadline, recorded\n"
failed:		.asciz "FAILED\n"
#ifdef PROG_INJECT
	.balign 8
idt:
	.fill 0x32 * 8, 1, 0
idt_end:
idt_desc:
	.word idt_end - idt - 1
	.long idt
#endif
	.balign 4096
shared:	.fill 4096, 1, 0
