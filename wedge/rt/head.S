/*
 * The wedge's own entry on bare hardware: QEMU (or any PVH loader) starts
 * it with `-kernel wedge.elf -initrd guest.elf`.  32-bit protected mode,
 * paging off, %ebx = hvm_start_info.  Turn on long mode with the static
 * tables below, move to the link address and call wedge_main.
 *
 * Boot page tables (all static, 4 KiB each):
 *
 *   boot_pml4[0]   -> boot_pdpt_low    [0] -> boot_pd_1g   identity 0..1 GiB, 2 MiB pages
 *                                      [1] -> wedge_pd_low [511] -> wedge_pt   (WEDGE_LOW)
 *   boot_pml4[511] -> boot_pdpt_high [510] -> boot_pd_1g   0xffffffff80000000 -> 0
 *                                    [511] -> wedge_pd_high [511] -> wedge_pt  (WEDGE_HOME)
 *
 *   wedge_pt[i] -> WEDGE_PHYS + i * 4 KiB for i < 509; [509..511] are the
 *   windows through which paging.c reads the guest's tables (WEDGE_WINDOWS).
 *   spare_pdpt_low [1] / spare_pdpt_high [511]: linked into a guest's
 *   tables that lack that level (paging.c).
 */
#define WEDGE_HOME 0xffffffffffe00000
#define PA(x) ((x) - WEDGE_HOME + WEDGE_PHYS)
#define PTE_PW 0x3
#define PDE_LARGE 0x83
#define CR4_PAE 0x20
#define CR0_PG_PE 0x80000001
#define MSR_EFER 0xc0000080
#define EFER_LME 0x100
#define BOOT_CS 0x08

	.pushsection .note.Xen, "a", @note
	.balign 4
	.long 4, 8, 18          /* namesz, descsz, XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.balign 4
	.quad PA(wedge_pvh_start32)
	.balign 4
	.popsection

	.section .boot32, "ax"
	.code32
	.globl wedge_pvh_start32
wedge_pvh_start32:
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $PA(boot_pml4), %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	orl $CR0_PG_PE, %eax
	movl %eax, %cr0
	lgdt PA(boot_gdt_desc)
	pushl $BOOT_CS
	pushl $PA(wedge_pvh_start64)
	lret

	.code64
wedge_pvh_start64:
	movabsq $wedge_high64, %rax
	jmp *%rax

	.text
wedge_high64:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %eax, %fs
	movl %eax, %gs
	leaq wedge_stack_top(%rip), %rsp
	lgdt boot_gdt_desc_high(%rip)
	movl %ebx, %edi               /* hvm_start_info, physical */
	call wedge_main
1:	cli
	hlt
	jmp 1b

/*
 * void wedge_enter_guest(u64 entry, u64 boot_params, u64 stack): the
 * 64-bit boot protocol's state: interrupts off, %rsi = boot_params, and a
 * stack (the guest assumes none, but a call patched into its first sites
 * pushes before it sets its own).
 */
	.globl wedge_enter_guest
wedge_enter_guest:
	cli
	movq %rdx, %rsp
	xorl %eax, %eax
	xorl %ebx, %ebx
	xorl %ecx, %ecx
	xorl %edx, %edx
	xorl %ebp, %ebp
	jmp *%rdi

	.section .rodata
	.balign 16
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff      /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff      /* 0x10: data */
boot_gdt_end:
boot_gdt_desc:
	.word boot_gdt_end - boot_gdt - 1
	.long PA(boot_gdt)
	.balign 16
boot_gdt_desc_high:
	.word boot_gdt_end - boot_gdt - 1
	.quad boot_gdt

	.section .data.pagetables, "aw"
	.balign 4096
	.globl boot_pml4
boot_pml4:
	.quad PA(boot_pdpt_low) + PTE_PW
	.fill 510, 8, 0
	.quad PA(boot_pdpt_high) + PTE_PW
boot_pdpt_low:
	.quad PA(boot_pd_1g) + PTE_PW
	.quad PA(wedge_pd_low) + PTE_PW
	.fill 510, 8, 0
boot_pdpt_high:
	.fill 510, 8, 0
	.quad PA(boot_pd_1g) + PTE_PW
	.quad PA(wedge_pd_high) + PTE_PW
boot_pd_1g:
	.set i, 0
	.rept 512
	.quad (i << 21) + PDE_LARGE
	.set i, i + 1
	.endr
	.globl wedge_pd_low, wedge_pd_high, spare_pdpt_low, spare_pdpt_high, wedge_pt
wedge_pd_low:
	.fill 511, 8, 0
	.quad PA(wedge_pt) + PTE_PW
wedge_pd_high:
	.fill 511, 8, 0
	.quad PA(wedge_pt) + PTE_PW
spare_pdpt_low:
	.quad 0
	.quad PA(wedge_pd_low) + PTE_PW
	.fill 510, 8, 0
spare_pdpt_high:
	.fill 511, 8, 0
	.quad PA(wedge_pd_high) + PTE_PW
wedge_pt:
	.set i, 0
	.rept 512 - 3
	.quad WEDGE_PHYS + (i << 12) + PTE_PW
	.set i, i + 1
	.endr
	.fill 3, 8, 0                 /* the windows, one per guest table level */

	.section .bss.stack, "aw", @nobits
	.balign 16
	.skip 16384
wedge_stack_top:
