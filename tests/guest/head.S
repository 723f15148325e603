/*
 * Entry paths of the test guest (docs/test-guest.md, "Boot").
 *
 *   pvh_start32     the PVH entry (XEN_ELFNOTE_PHYS32_ENTRY): 32-bit protected
 *                   mode, paging off, %ebx = hvm_start_info.  Turns on long
 *                   mode with the early page tables and far-returns into
 *                   pvh_start64.  .code32: left alone by the afterburner,
 *                   excepted from the audit (audit-exceptions.txt).
 *   guest_entry64   the 64-bit entry, in the shape of Linux's 64-bit boot
 *                   protocol: long mode, paging on with low memory
 *                   identity-mapped, %rsi = boot_params.  Its physical
 *                   address is the ELF entry point.
 *
 * Everything is linked at 0xffffffff81000000 + x for physical 0x1000000 + x
 * (site records are 32-bit relative: every site must be within 2 GiB of
 * the notes).  Until boot64 jumps to high_entry the code runs at its
 * physical address: only %rip-relative addressing (which then yields
 * physical addresses) and PA() constants.
 */
#include "asm.h"

#define PA(x) ((x) - KERNEL_VIRT_BASE)

/* The PVH entry point for QEMU -kernel (and Xen, firecracker, cloud-hypervisor). */
	.pushsection .note.Xen, "a", @note
	.balign 4
	.long 4, 8, 18          /* namesz, descsz, XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.balign 4
	.quad PA(pvh_start32)
	.balign 4
	.popsection

	.section .boot32, "ax"
	.code32
/*
 * No stack, no memory written: PVH gives flat 32-bit segments, CR0.PE=1,
 * paging off, interrupts off.  The sequence is the architectural one:
 * PAE, CR3, EFER.LME, CR0.PG (now in compatibility mode), a GDT with a
 * 64-bit code segment, a far return into it.
 */
FUNC(pvh_start32)
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $PA(early_pml4), %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	orl $(CR0_PG | CR0_PE), %eax
	movl %eax, %cr0
	lgdt PA(early_gdt_desc)
	pushl $KERNEL_CS
	pushl $PA(pvh_start64)
	lret
END(pvh_start32)

	.text
	.code64
FUNC(pvh_start64)
	movl %ebx, %esi                 /* hvm_start_info, physical */
	movl $BOOT_FROM_PVH, %edi
	jmp boot64
END(pvh_start64)

/*
 * The 64-bit entry: long mode, paging on, interrupts off, %rsi =
 * boot_params (physical, may be 0), entered either
 *   - at its physical address (the ELF entry point), low memory
 *     identity-mapped (at least this image and the boot_params block), or
 *   - at its virtual address, the image mapped at its link address
 *     (virtual = physical + KERNEL_VIRT_BASE) and boot_params identity-mapped:
 *     then every site runs at the address its record names.
 * No stack, GDT, IDT or segment register is assumed.  The early page
 * tables map both, so they go in first.
 */
FUNC(guest_entry64)
	COUNT(K_CLI)
	cli
	movl $BOOT_FROM_ENTRY64, %edi
	/* fall through */
/* %edi = BOOT_FROM_*, %rsi = the boot information block (physical). */
boot64:
	cld
	leaq early_pml4(%rip), %rax
	btq $63, %rax                   /* running at the virtual address? */
	jnc 1f
	movabsq $KERNEL_VIRT_BASE, %rcx
	subq %rcx, %rax
	orl $BOOT_AT_VIRTUAL, %edi
1:	COUNT(K_MOV_TO_CR)
	movq %rax, %cr3
	leaq stack_top(%rip), %rsp
	COUNT(K_LGDT)
	lgdt early_gdt_desc(%rip)
	movl $KERNEL_DS, %eax
	COUNT(K_MOV_TO_SEG)
	movl %eax, %ds
	COUNT(K_MOV_TO_SEG)
	movl %eax, %es
	COUNT(K_MOV_TO_SEG)
	movl %eax, %ss
	COUNT(K_MOV_TO_SEG)
	movl %eax, %fs
	COUNT(K_MOV_TO_SEG)
	movl %eax, %gs
	pushq $KERNEL_CS
	leaq 2f(%rip), %rax
	pushq %rax
	COUNT(K_LRET)
	lretq
2:	movabsq $high_entry, %rax
	jmp *%rax
END(guest_entry64)

/* Now on the early page tables, at the kernel's virtual address. */
FUNC(high_entry)
	movq %rdi, %r12
	movq %rsi, %r13
	leaq stack_top(%rip), %rsp
	leaq __bss_start(%rip), %rdi
	leaq __bss_end(%rip), %rcx
	subq %rdi, %rcx
	shrq $3, %rcx
	xorl %eax, %eax
	rep stosq
	movq %r12, %rdi
	movq %r13, %rsi
	call guest_main
	ud2
END(high_entry)

/*
 * void loader64_enter(u64 pml4, u64 boot_params, u64 entry): the guest as
 * its own 64-bit loader (cmdline "loader64", boot.c), interrupts off.
 * Moves to its physical alias (the loader's page tables map it), loads
 * them, takes a stack in low memory, zeroes the counters (a loader's instructions are not the guest's)
 * and jumps to entry (guest_entry64's physical or virtual address) with
 * %rsi = boot_params, as an external loader would.
 */
FUNC(loader64_enter)
	movabsq $KERNEL_VIRT_BASE, %rax
	leaq 1f(%rip), %rcx
	subq %rax, %rcx
	jmp *%rcx
1:	COUNT(K_MOV_TO_CR)
	movq %rdi, %cr3
	/* A stack in the loader's identity map (boot_params + 0x3000, a page
	 * boot.c leaves free), as the wedge gives one: the guest assumes
	 * none, but a backend that patches calls into its first sites needs it. */
	leaq 0x3000(%rsi), %rsp
	movq %rsi, %r12
	leaq ab_count(%rip), %rdi
	movl $K_COUNT, %ecx
	xorl %eax, %eax
	rep stosq
	movq %r12, %rsi
	jmp *%rdx
END(loader64_enter)

	.section .rodata
	.balign 4096
/* Identity map of 0..1 GiB and 0xffffffff80000000 -> 0, one 2 MiB-page PD. */
early_pml4:
	.quad PA(early_pdpt_low) + 0x3
	.fill 510, 8, 0
	.quad PA(early_pdpt_high) + 0x3
early_pdpt_low:
	.quad PA(early_pd) + 0x3
	.fill 511, 8, 0
early_pdpt_high:
	.fill 510, 8, 0
	.quad PA(early_pd) + 0x3
	.quad 0
early_pd:
	.set pde, 0
	.rept 512
	.quad (pde << 21) | 0x83        /* present, writable, 2 MiB page */
	.set pde, pde + 1
	.endr

	.balign 16
early_gdt:
	.quad 0
	.quad 0x00af9b000000ffff        /* KERNEL_CS: 64-bit code (accessed) */
	.quad 0x00cf93000000ffff        /* KERNEL_DS (accessed) */
early_gdt_end:
/* Read as 6 bytes by the 32-bit lgdt, as 10 by the 64-bit one. */
early_gdt_desc:
	.word early_gdt_end - early_gdt - 1
	.quad PA(early_gdt)

	.section .stack, "aw", @nobits
	.balign 16
	.skip STACK_SIZE
	.globl stack_top
stack_top:
