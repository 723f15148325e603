/*
 * Constants shared by the test guest's C and assembly (numbers only: this
 * header is included by .S files too).
 */
#ifndef GUEST_DEFS_H
#define GUEST_DEFS_H

/* Linked like Linux: virtual KERNEL_VIRT_BASE + x is physical x. */
#define KERNEL_VIRT_BASE 0xffffffff80000000
#define LOAD_PHYS        0x1000000

/* GDT layout (the order syscall/sysret need: STAR[63:48] = USER32_CS). */
#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define USER32_CS 0x18
#define USER_DS   0x20
#define USER_CS   0x28
#define TSS_SEL   0x30
#define GDT_ENTRIES 8

/* How the 64-bit boot code was reached (%edi into boot64). */
#define BOOT_FROM_PVH     1
#define BOOT_FROM_ENTRY64 2
#define BOOT_AT_VIRTUAL   0x100 /* or'ed in: boot64 ran at its virtual address */

/* User-mode window (PML4[0], PDPT[1]: above the 1 GiB identity map). */
#define USER_VA       0x40000000
#define USER_CODE_VA  USER_VA
#define USER_STACK_VA (USER_VA + 0x1000)
#define USER_HOLE_VA  (USER_VA + 0x2000)  /* never mapped: user #PF */
#define TEST_VA       (USER_VA + 0x10000) /* supervisor page remapped by the TLB check */

/* The user program's system calls (%eax), argument in %edi. */
#define SYS_EXIT 0  /* back to the kernel code that entered user mode */
#define SYS_PING 1  /* returns arg + 1 through sysretq */

#define CR0_PE 0x1
#define CR0_MP 0x2
#define CR0_TS 0x8
#define CR0_ET 0x10
#define CR0_WP 0x10000
#define CR0_AM 0x40000
#define CR0_PG 0x80000000

#define CR4_TSD        0x4
#define CR4_PAE        0x20
#define CR4_PGE        0x80
#define CR4_FSGSBASE   0x10000
#define CR4_OSXSAVE    0x40000

#define MSR_EFER           0xc0000080
#define MSR_STAR           0xc0000081
#define MSR_LSTAR          0xc0000082
#define MSR_SFMASK         0xc0000084
#define MSR_FS_BASE        0xc0000100
#define MSR_GS_BASE        0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define MSR_TSC_AUX        0xc0000103

#define EFER_SCE 0x1
#define EFER_LME 0x100
#define EFER_LMA 0x400

#define PVH_START_MAGIC 0x336ec578   /* hvm_start_info.magic, "xEn3" */
#define LINUX_HDRS_MAGIC 0x53726448  /* boot_params.hdr.header, "HdrS" */

#define STACK_SIZE 16384

#endif
