/*
 * Tiny guests for --disk (tests/kvm/disk.sh), one per -DPROG_*, linked at
 * 1 MiB by tiny.ld, each against a disk of 128 sectors, "ok N" / "not ok
 * N" per check on the UART:
 *
 *   PROG_ATA     --mode full (64-bit, Linux's boot protocol): the monitor's
 *                ATA channel, driven by PIO with nIEN set (polled): IDENTIFY
 *                (256 words by one `rep insw`), WRITE MULTIPLE of 2 sectors
 *                at LBA 20 (512 words by one `rep outsw`: KVM hands such a
 *                string a page at a time, io.count > 1), FLUSH CACHE, READ
 *                MULTIPLE back (`rep insw` of 512 words), a read past the
 *                end (IDNF); then isa-debug-exit 0x10 (status 33)
 *   PROG_PVDISK  --mode previrt as the wedge (PVH, 32-bit): AB_HC_DISK,
 *                every malformed block -AB_E_INVAL, then a write of 2
 *                sectors at LBA 10 (WRITE_RET: 0, -30 read-only, -5 when
 *                the host fails), a flush, the read back (SAME: 1 if it
 *                must match what was written), DISK_FLAGS in HELLO's
 *                flags; then AB_HC_EXIT 5
 *
 * The data written is tiny-lib.inc's pattern; the tests check the file.
 */
#define ATA_DATA 0x1f0
#define ATA_ERROR 0x1f1
#define ATA_COUNT 0x1f2
#define ATA_LBA0 0x1f3
#define ATA_LBA1 0x1f4
#define ATA_LBA2 0x1f5
#define ATA_DEVICE 0x1f6
#define ATA_CMD 0x1f7
#define ATA_CTL 0x3f6
#define DEBUG_EXIT 0xf4

	.section .text, "ax"
#ifdef PROG_ATA
	.code64
#else
	.code32
#endif
#include "tiny-lib.inc"

#ifdef PROG_ATA
/* WRB port, value: a byte out (not "outb": gas macro names ignore case) */
.macro WRB port, value
	movw $\port, %dx
	movb $\value, %al
	outb %al, %dx
.endm

/* SECTORS count, lba, command: an LBA28 command for device 0 */
.macro SECTORS count, lba, cmd
	call ata_wait
	WRB ATA_COUNT, \count
	WRB ATA_LBA0, \lba
	WRB ATA_LBA1, 0
	WRB ATA_LBA2, 0
	WRB ATA_DEVICE, 0xe0
	WRB ATA_CMD, \cmd
.endm

/* STATUS n, value: the status once not BSY (ok n if == value) */
.macro STATUS n, value
	call ata_wait
	movzbl %al, %eax
	EXPECT \n, \value
.endm

	.globl _start
_start:
	movl $0x9ff0, %esp
	cld
	WRB ATA_CTL, 0x02               /* nIEN: polled, no IRQ 14 */
	WRB ATA_DEVICE, 0xe0
	SECTORS 0, 0, 0xec               /* IDENTIFY DEVICE */
	STATUS 1, 0x58                   /* DRDY DSC DRQ */
	movl $idbuf, %edi
	movl $256, %ecx
	movw $ATA_DATA, %dx
	rep insw
	movl idbuf + 60 * 2, %eax        /* words 60-61: LBA28 capacity */
	EXPECT 2, 128
	STATUS 3, 0x50

	movl $wbuf, %edi
	movl $1024, %ecx
	call pattern
	SECTORS 2, 20, 0xc5              /* WRITE MULTIPLE (multiple mode 16) */
	STATUS 4, 0x58
	movl $wbuf, %esi
	movl $512, %ecx
	movw $ATA_DATA, %dx
	rep outsw
	STATUS 5, 0x50
	SECTORS 0, 0, 0xe7               /* FLUSH CACHE */
	STATUS 6, 0x50

	SECTORS 2, 20, 0xc4              /* READ MULTIPLE */
	STATUS 7, 0x58
	movl $rbuf, %edi
	movl $512, %ecx
	movw $ATA_DATA, %dx
	rep insw
	STATUS 8, 0x50
	movl $wbuf, %esi
	movl $rbuf, %edi
	movl $1024, %ecx
	call same
	setnz %al
	movzbl %al, %eax
	EXPECT 9, 0

	SECTORS 1, 200, 0x20             /* READ SECTORS past the end: IDNF */
	STATUS 10, 0x51
	movw $ATA_ERROR, %dx
	inb %dx, %al
	movzbl %al, %eax
	EXPECT 11, 0x10

	movl $0x10, %eax
	outl %eax, $DEBUG_EXIT
1:	hlt
	jmp 1b

/* ata_wait: until BSY clears; the status in %al.  Clobbers %edx. */
ata_wait:
	movw $ATA_CMD, %dx
1:	inb %dx, %al
	testb $0x80, %al
	jnz 1b
	ret

#else /* PROG_PVDISK */
/* DISK op, count, lba_lo, lba_hi, buf: one AB_HC_DISK; its ret in %eax */
.macro DISK op, count, lba_lo, lba_hi, buf
	movl $\op, disk_blk
	movl $\count, disk_blk+4
	movl $\lba_lo, disk_blk+8
	movl $\lba_hi, disk_blk+12
	movl $\buf, disk_blk+16
	movl $0, disk_blk+20
	movl $0x55, disk_blk+24
	HCALL HC_DISK, $disk_blk
	movl disk_blk+24, %eax
.endm

	.globl _start
_start:
	movl $0x9ff0, %esp
	cld
	movl $1, hello_blk
	movl $shared, hello_blk+8
	HCALL HC_HELLO, $hello_blk
	movl hello_blk+4, %eax
	EXPECT 1, 0
	movl hello_blk+48, %eax          /* disk_sectors */
	EXPECT 2, 128
	movl hello_blk+20, %eax          /* flags */
	EXPECT 3, DISK_FLAGS

	DISK 7, 1, 0, 0, wbuf            /* no such op */
	EXPECT 4, -22
	DISK 0, 0, 0, 0, wbuf            /* 0 sectors */
	EXPECT 5, -22
	DISK 0, 257, 0, 0, big           /* more than AB_DISK_MAX_SECTORS */
	EXPECT 6, -22
	DISK 0, 2, 127, 0, wbuf          /* past the end */
	EXPECT 7, -22
	DISK 0, 1, 0, 0x80000000, wbuf   /* an LBA that would wrap */
	EXPECT 8, -22
	DISK 0, 1, 0, 0, 0xf0000000      /* the buffer outside RAM */
	EXPECT 9, -22
	DISK 0, 2, 0, 0, 0x3fffe00       /* the buffer past the end of RAM (-m 64M) */
	EXPECT 10, -22

	movl $wbuf, %edi
	movl $1024, %ecx
	call pattern
	DISK 1, 2, 10, 0, wbuf
	EXPECT 11, WRITE_RET
	DISK 2, 0, 0, 0, 0               /* a flush: count, lba, buf ignored */
	EXPECT 12, 0
	DISK 0, 2, 10, 0, rbuf
	EXPECT 13, 0
	movl $wbuf, %esi
	movl $rbuf, %edi
	movl $1024, %ecx
	call same
	setz %al
	movzbl %al, %eax
	EXPECT 14, SAME

	movl $5, exit_blk
	HCALL HC_EXIT, $exit_blk
1:	hlt
	jmp 1b

#include "pvh-note.inc"
#endif

	.section .data, "aw"
	.balign 8
hello_blk:	.fill 64, 1, 0
disk_blk:	.fill 32, 1, 0
exit_blk:	.fill 8, 1, 0
	.balign 4096
shared:		.fill 4096, 1, 0
wbuf:		.fill 1024, 1, 0
rbuf:		.fill 1024, 1, 0
idbuf:		.fill 512, 1, 0
big:		.fill 257 * 512, 1, 0
