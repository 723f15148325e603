/*
 * A tiny guest for the split-core ring (tests/kvm/ring.sh): under
 * `previrt run --mode splitcore --wedge ring.elf --disk D` (128 sectors,
 * -m 64M) it is the wedge (PVH, 32-bit protected mode, paging off).  It
 * does what a broken or hostile wedge could, and checks the monitor's
 * answers, "ok N" / "not ok N" on the UART:
 *
 *    1-7   HELLO: the ring unaligned, outside RAM, running past its end
 *          (-AB_E_INVAL each); a good one (mode 2, 128 sectors); a second
 *          one (the ring is taken once: -AB_E_INVAL)
 *    8-15  garbage slots, each completed with -AB_E_INVAL: an unknown op,
 *          a state that is none, a seq out of order, a disk buffer outside
 *          RAM, a console count > AB_RING_DATA, an exit status > 123, a
 *          write past the disk's end, a read of 0 sectors
 *   16-21  good requests: a console line, a 2-sector write at LBA 10, a
 *          flush, the read back, the data, done_tsc set
 *   22     a grace kick: irq_vector 0x30 published, IF=1, then a loop
 *          without a single exit; the monitor must kick the vCPU and
 *          inject 0x30 (the handler checks what it recorded)
 *   23     ROUNDS zero-length console requests, each waited for, all 0:
 *          "ring round trip: T ticks, N ns" (post to DONE, the guest's TSC)
 *
 * and ends with an EXIT request through the ring with status 42, then
 * halts with IF=0 as the wedge does.  The requests of checks 8-21 are
 * seq 1-12 in slots 1-12: the monitor's own index moves on through bad
 * slots too (abi.h).
 *
 * With -DPROG_DRAIN, after checks 1-7: DRAIN_LINES console lines "line N"
 * posted without waiting, the first one last (so the poller takes them in
 * one burst at the end), then at once isa-debug-exit 0x10 (status 33),
 * or with -DDRAIN_TRIPLE a triple fault (126): every line must still come
 * out, in order, because the monitor drains the ring before it ends.
 */
#define ROUNDS 1000
#define DRAIN_LINES 60

/* ab_shared and ab_ring_slot offsets (include/afterburn/abi.h) */
#define SH_IRQ_VECTOR 0
#define SH_TIMER_VECTOR 4
#define SH_ACKED 24
#define SH_INJECTED 32
#define SH_LAST_VECTOR 36
#define SL_STATE 0
#define SL_OP 4
#define SL_SEQ 8
#define SL_ADDR 16
#define SL_LBA 24
#define SL_COUNT 32
#define SL_STATUS 36
#define SL_DONE_TSC 40
#define RING_DATA 4096
#define POSTED 1
#define DONE 2
#define OP_CONSOLE 1
#define OP_READ 2
#define OP_WRITE 3
#define OP_FLUSH 4
#define OP_EXIT 5

	.code32
	.section .text, "ax"
#include "tiny-lib.inc"

/* POST slot, state, op, seq, addr, lba, count: fill a slot, set its state,
 * wait for DONE; the status in %eax.  Clobbers %ebx, %edx. */
.macro POST slot, state, op, seq, addr, lba, count
	movl $ring + \slot * 64, %ebx
	movl $\op, SL_OP(%ebx)
	movl $\seq, SL_SEQ(%ebx)
	movl $0, SL_SEQ+4(%ebx)
	movl $\addr, SL_ADDR(%ebx)
	movl $0, SL_ADDR+4(%ebx)
	movl $\lba, SL_LBA(%ebx)
	movl $0, SL_LBA+4(%ebx)
	movl $\count, SL_COUNT(%ebx)
	movl $0x55, SL_STATUS(%ebx)
	movl $\state, SL_STATE(%ebx)
	call wait_done
.endm

.macro HELLO_RING ring
	movl \ring, hello_blk+56
	HCALL HC_HELLO, $hello_blk
	movl hello_blk+4, %eax
.endm

	.globl _start
_start:
	movl $0x9ff0, %esp
	cld
	movl $irq30, %eax        /* a 32-bit interrupt gate, code32 0x08 */
	movw %ax, idt + 0x30 * 8
	movw $0x08, idt + 0x30 * 8 + 2
	movw $0x8e00, idt + 0x30 * 8 + 4
	shrl $16, %eax
	movw %ax, idt + 0x30 * 8 + 6
	lidt idt_desc
	movl $-1, shared + SH_IRQ_VECTOR
	movl $-1, shared + SH_TIMER_VECTOR
	movl $1, hello_blk
	movl $shared, hello_blk+8

	HELLO_RING $ring + 8
	EXPECT 1, -22
	HELLO_RING $0xf0000000
	EXPECT 2, -22
	HELLO_RING $0x3ffc000           /* 16 KiB left of -m 64M: the ring is 20 */
	EXPECT 3, -22
	HELLO_RING $ring
	EXPECT 4, 0
	movl hello_blk+16, %eax
	EXPECT 5, 2
	movl hello_blk+48, %eax
	EXPECT 6, 128
	HELLO_RING $ring
	EXPECT 7, -22
#ifdef PROG_DRAIN
	jmp drain
#endif

	POST 1, POSTED, 99, 1, 0, 0, 0
	EXPECT 8, -22
	POST 2, 7, OP_CONSOLE, 2, 0, 0, 0
	EXPECT 9, -22
	POST 3, POSTED, OP_CONSOLE, 10, 0, 0, 0
	EXPECT 10, -22
	POST 4, POSTED, OP_READ, 4, 0xf0000000, 0, 1
	EXPECT 11, -22
	POST 5, POSTED, OP_CONSOLE, 5, 0, 0, 300
	EXPECT 12, -22
	POST 6, POSTED, OP_EXIT, 6, 0, 0, 200
	EXPECT 13, -22
	POST 7, POSTED, OP_WRITE, 7, wbuf, 127, 2
	EXPECT 14, -22
	POST 8, POSTED, OP_READ, 8, rbuf, 0, 0
	EXPECT 15, -22

	movl $line, %esi               /* the line into slot 9's data */
	movl $ring + RING_DATA + 9 * 256, %edi
	movl $line_end - line, %ecx
	rep movsb
	POST 9, POSTED, OP_CONSOLE, 9, 0, 0, (line_end-line)
	EXPECT 16, 0
	movl $wbuf, %edi
	movl $1024, %ecx
	call pattern
	POST 10, POSTED, OP_WRITE, 10, wbuf, 10, 2
	EXPECT 17, 0
	POST 11, POSTED, OP_FLUSH, 11, 0, 0, 0
	EXPECT 18, 0
	POST 12, POSTED, OP_READ, 12, rbuf, 10, 2
	EXPECT 19, 0
	movl $wbuf, %esi
	movl $rbuf, %edi
	movl $1024, %ecx
	call same
	movl $0, %eax
	jz 1f
	movl $1, %eax
1:	EXPECT 20, 0
	movl ring + 12 * 64 + SL_DONE_TSC, %eax
	orl ring + 12 * 64 + SL_DONE_TSC + 4, %eax
	cmpl $0, %eax
	setne %al
	movzbl %al, %eax
	EXPECT 21, 1

	/* 22: something due, IF=1, and no exit: only a grace kick gets it in */
	movl $0x30, shared + SH_IRQ_VECTOR
	sti
2:	cmpl $0, irq_seen
	je 2b
after_irq:
	cli
	movl irq_seen, %eax
	EXPECT 22, 1

	call round_trips
	movl $13, %esi                 /* seq 13.. after the 12 above */
	addl $ROUNDS, %esi
	movl $OP_EXIT, %ecx
	movl $42, %edx
	call post
3:	cli
	hlt
	jmp 3b

/* 0x30, injected after the kick: recorded as the first injection (check 22).
 * No iretl (the software KVM's emulator has no protected-mode iret): the
 * frame is dropped and the check goes on with IF=0. */
irq30:
	movl shared + SH_INJECTED, %eax
	cmpl $1, %eax
	jne 4f
	cmpl $0x30, shared + SH_LAST_VECTOR
	jne 4f
	movl $1, irq_seen
4:	movl %eax, shared + SH_ACKED
	movl $-1, shared + SH_IRQ_VECTOR
	cmpl $1, irq_seen
	je 5f
	movl $2, irq_seen              /* something else: check 22 fails */
5:	addl $12, %esp
	jmp after_irq

#ifdef PROG_DRAIN
/* drain: lines 2..DRAIN_LINES posted, then line 1, then the end at once */
drain:
	movl $2, %esi
1:	call post_line
	incl %esi
	cmpl $DRAIN_LINES + 1, %esi
	jne 1b
	movl $1, %esi
	call post_line
#ifdef DRAIN_TRIPLE
	lidt zero_idt
	ud2
#else
	movl $0x10, %eax
	outl %eax, $0xf4
#endif
2:	hlt
	jmp 2b

/* post_line: "line N\n" (N = %esi, 1..99) posted as request %esi, not waited for.
 * Clobbers %eax, %ebx, %ecx, %edx, %edi. */
post_line:
	movl %esi, %ebx
	shll $8, %ebx
	leal ring + RING_DATA(%ebx), %edi
	movl $0x656e696c, (%edi)         /* "line" */
	movb $' ', 4(%edi)
	movl %esi, %eax
	movb $10, %cl
	divb %cl                         /* al = tens, ah = ones */
	addb $'0', %al
	addb $'0', %ah
	movb %al, 5(%edi)
	movb %ah, 6(%edi)
	movb $'\n', 7(%edi)
	movl %esi, %ebx
	shll $6, %ebx
	addl $ring, %ebx
	movl $OP_CONSOLE, SL_OP(%ebx)
	movl %esi, SL_SEQ(%ebx)
	movl $0, SL_SEQ+4(%ebx)
	movl $8, SL_COUNT(%ebx)
	movl $POSTED, SL_STATE(%ebx)
	ret
#endif

/* wait_done: until the slot at %ebx is DONE; its status in %eax. */
wait_done:
	cmpl $DONE, SL_STATE(%ebx)
	je 1f
	pause
	jmp wait_done
1:	movl SL_STATUS(%ebx), %eax
	ret

/* post: seq %esi (its slot is seq % 64), op %ecx, count %edx, no address;
 * waits for DONE, the status in %eax.  Clobbers %ebx. */
post:
	movl %esi, %ebx
	andl $63, %ebx
	shll $6, %ebx
	addl $ring, %ebx
	movl %ecx, SL_OP(%ebx)
	movl %esi, SL_SEQ(%ebx)
	movl $0, SL_SEQ+4(%ebx)
	movl $0, SL_ADDR(%ebx)
	movl $0, SL_ADDR+4(%ebx)
	movl %edx, SL_COUNT(%ebx)
	movl $POSTED, SL_STATE(%ebx)
	jmp wait_done

/* ROUNDS empty console requests, seq 13..; the mean round trip printed. */
round_trips:
	rdtsc
	movl %eax, t0
	movl %edx, t0 + 4
	movl $13, %esi
1:	movl $OP_CONSOLE, %ecx
	xorl %edx, %edx
	call post
	orl %eax, bad_rounds
	incl %esi
	cmpl $13 + ROUNDS, %esi
	jne 1b
	rdtsc
	subl t0, %eax
	sbbl t0 + 4, %edx
	movl $ROUNDS, %ecx
	divl %ecx                      /* the mean in ticks (the total < 2^32 * ROUNDS) */
	movl %eax, mean
	movl $rt_msg, %esi
	call puts
	movl mean, %eax
	call print_dec
	movl $rt_ticks, %esi
	call puts
	movl mean, %eax
	movl $1000000, %ecx
	mull %ecx
	divl hello_blk + 24            /* tsc_khz */
	call print_dec
	movl $rt_ns, %esi
	call puts
	movl bad_rounds, %eax
	EXPECT 23, 0
	ret

#include "pvh-note.inc"

	.section .data, "aw"
	.balign 8
zero_idt:	.word 0
		.long 0
	.balign 8
hello_blk:	.fill 64, 1, 0
t0:		.quad 0
mean:		.long 0
bad_rounds:	.long 0
irq_seen:	.long 0
line:		.ascii "ring: a console line through slot 9\n"
line_end:
rt_msg:		.asciz "ring round trip: "
rt_ticks:	.asciz " ticks, "
rt_ns:		.asciz " ns\n"
	.balign 8
idt:		.fill 0x31 * 8, 1, 0
idt_end:
idt_desc:	.word idt_end - idt - 1
		.long idt
	.balign 4096
shared:		.fill 4096, 1, 0
ring:		.fill 20480, 1, 0
wbuf:		.fill 1024, 1, 0
rbuf:		.fill 1024, 1, 0
