/*
 * afterburn ABI, version 1.
 *
 * The one interface between the afterburner (build time: rewriter, audit),
 * the wedge (load time, inside the guest) and the monitor (host).  Every
 * structure that crosses those boundaries is defined here and nowhere else.
 * Freestanding: needs only <stdint.h>.
 *
 * Site records travel in ELF notes, one note per object file, in section
 * AB_SITES_SECTION (SHT_NOTE, alloc):
 *
 *   +-----------------------+
 *   | namesz = 10           |  note header
 *   | descsz = 8 * N        |
 *   | type = 2 (SITES)      |
 *   | "Afterburn\0" + pad   |
 *   +-----------------------+
 *   | struct ab_site [N]    |  desc
 *   +-----------------------+
 *
 * struct ab_site:
 *
 *   offset  size  field
 *   +------+-----+--------------------------------------------------------+
 *   |  0   |  4  | rel    site address minus this record's own address    |
 *   |  4   |  1  | len    bytes from site start: instruction + NOP padding |
 *   |  5   |  1  | kind   enum ab_kind (one per instruction, see table)    |
 *   |  6   |  2  | flags  AB_F_* (where the site came from)                |
 *   +------+-----+--------------------------------------------------------+
 *
 * Why notes rather than a plain ".afterburn" section (the brief's first
 * idea): a linker script places a section it does not name as an orphan,
 * with a warning per object, and Linux 6.2+ turns orphans into errors under
 * CONFIG_WERROR.  Every kernel linker script keeps *(.note.*), loaders find
 * notes through PT_NOTE without section headers, and each table says how
 * long it is.  So one linked kernel holds many SITES notes (one per object)
 * inside its .notes section; a consumer walks all notes named "Afterburn".
 *
 * rel is position independent (an R_X86_64_PC32 in objects), so the table
 * stays valid wherever the kernel is loaded or relocated.
 *
 * The version note, type AB_NOTE_TYPE_VERSION with struct ab_note_desc,
 * is in section AB_NOTE_SECTION inside a COMDAT group, so a linked kernel
 * carries exactly one.
 */
#ifndef AFTERBURN_ABI_H
#define AFTERBURN_ABI_H

#include <stdint.h>

#define AB_ABI_VERSION 1u
#define AB_TOOLCHAIN_VERSION "0.1.0"

#define AB_SITES_SECTION ".note.afterburn.sites"
#define AB_NOTE_SECTION ".note.afterburn"
#define AB_NOTE_NAME "Afterburn"   /* namesz 10, padded to 12 */
#define AB_NOTE_TYPE_VERSION 1u
#define AB_NOTE_TYPE_SITES 2u

struct ab_site {
	int32_t rel;
	uint8_t len;
	uint8_t kind;
	uint16_t flags;
};
_Static_assert(sizeof(struct ab_site) == 8, "ab_site is 8 bytes");

struct ab_note_desc {
	uint32_t abi_version;     /* AB_ABI_VERSION */
	char toolchain[12];       /* AB_TOOLCHAIN_VERSION, NUL padded */
};
_Static_assert(sizeof(struct ab_note_desc) == 16, "ab_note_desc is 16 bytes");

/* Where a site came from.  Informational except AB_F_ALTREPL, see below. */
#define AB_F_MACRO      0x0001u /* inside a .macro body */
#define AB_F_REPEAT     0x0002u /* inside .rept/.irp/.irpc */
#define AB_F_PREFIX     0x0004u /* carries a prefix (rep, lock, data16, rex, seg) */
#define AB_F_INLINE_ASM 0x0008u /* from C inline assembly (#APP .. #NO_APP) */
#define AB_F_BYTES      0x0010u /* spelled as .byte, recognised by decoding */
#define AB_F_MACRO_ARG  0x0020u /* an instruction passed as a macro argument */
/*
 * The site lies in a section whose bytes the kernel copies over other code
 * at boot (Linux: .altinstr_replacement).  The record gives the address of
 * the replacement copy, not of where it will run.  A consumer must patch
 * such a site before the kernel copies it, and only with position-
 * independent bytes (no rel32 call), because the copy moves them.
 */
#define AB_F_ALTREPL    0x0040u
/*
 * Bits 12-15: how many NOP bytes *before* the instruction belong to the
 * site (rel still points at the instruction, len counts from there).
 * sti and mov to %ss delay interrupts for exactly one instruction; NOPs
 * after them would take that shadow from the next instruction and break
 * "sti; hlt" (an interrupt pending at sti would run before hlt, which then
 * sleeps through its wake-up).  So their padding goes first.  A consumer
 * patches [site - lead, site + len).
 */
#define AB_F_LEAD_SHIFT 12
#define AB_F_LEAD_MASK  0xf000u
#define AB_F_LEAD(n)    ((unsigned)(n) << AB_F_LEAD_SHIFT)
#define AB_F_KNOWN      (0x007fu | AB_F_LEAD_MASK) /* every bit this ABI version defines */

/* Instruction classes: section 3 of the architecture brief. */
enum ab_class {
	AB_C_IRQFLAG = 1, /* interrupt flag */
	AB_C_HALT,        /* halt / wait */
	AB_C_PIO,         /* port I/O */
	AB_C_CTRLREG,     /* control & debug registers */
	AB_C_DESCTAB,     /* descriptor tables */
	AB_C_SEGMENT,     /* segments */
	AB_C_MSR,         /* MSRs & identification */
	AB_C_TLB,         /* TLB & caches */
	AB_C_XFER,        /* privileged control transfer */
	AB_C_PRIV,        /* other privileged */
	AB_C_COUNT
};

/*
 * One row per kind: name, class, NOP bytes added at each site.
 *
 * Every site gets at least a call's worth of NOPs next to its instruction,
 * however long the instruction: a backend may then either replace the
 * instruction by a call, or keep it in place and add a call next to it
 * (the trace backend: the instruction keeps its address, its %rip-relative
 * operands and its interrupt shadow, core/place.c in the wedge).
 *   5  a call rel32 into the wedge: the general case
 *   7  cli: 8 bytes in all, an inline "movb $1, mask(abs32)" on the virtual
 *      interrupt flag (Xen PV vcpu_info), cheaper than a call for the most
 *      frequent site
 * sti/popf need the pending-interrupt check after re-enabling, so they are
 * a call, not inline code.
 */
#define AB_KIND_TABLE(X)                                      \
	X(CLI,          "cli",           AB_C_IRQFLAG, 7)       \
	X(STI,          "sti",           AB_C_IRQFLAG, 5)       \
	X(PUSHF,        "pushf",         AB_C_IRQFLAG, 5)       \
	X(POPF,         "popf",          AB_C_IRQFLAG, 5)       \
	X(HLT,          "hlt",           AB_C_HALT,    5)       \
	X(MONITOR,      "monitor",       AB_C_HALT,    5)       \
	X(MWAIT,        "mwait",         AB_C_HALT,    5)       \
	X(IN,           "in",            AB_C_PIO,     5)       \
	X(OUT,          "out",           AB_C_PIO,     5)       \
	X(INS,          "ins",           AB_C_PIO,     5)       \
	X(OUTS,         "outs",          AB_C_PIO,     5)       \
	X(MOV_FROM_CR,  "mov-from-cr",   AB_C_CTRLREG, 5)       \
	X(MOV_TO_CR,    "mov-to-cr",     AB_C_CTRLREG, 5)       \
	X(MOV_FROM_DR,  "mov-from-dr",   AB_C_CTRLREG, 5)       \
	X(MOV_TO_DR,    "mov-to-dr",     AB_C_CTRLREG, 5)       \
	X(CLTS,         "clts",          AB_C_CTRLREG, 5)       \
	X(LMSW,         "lmsw",          AB_C_CTRLREG, 5)       \
	X(SMSW,         "smsw",          AB_C_CTRLREG, 5)       \
	X(LGDT,         "lgdt",          AB_C_DESCTAB, 5)       \
	X(LIDT,         "lidt",          AB_C_DESCTAB, 5)       \
	X(LLDT,         "lldt",          AB_C_DESCTAB, 5)       \
	X(LTR,          "ltr",           AB_C_DESCTAB, 5)       \
	X(SGDT,         "sgdt",          AB_C_DESCTAB, 5)       \
	X(SIDT,         "sidt",          AB_C_DESCTAB, 5)       \
	X(SLDT,         "sldt",          AB_C_DESCTAB, 5)       \
	X(STR,          "str",           AB_C_DESCTAB, 5)       \
	X(MOV_TO_SEG,   "mov-to-seg",    AB_C_SEGMENT, 5)       \
	X(MOV_FROM_SEG, "mov-from-seg",  AB_C_SEGMENT, 5)       \
	X(PUSH_SEG,     "push-seg",      AB_C_SEGMENT, 5)       \
	X(POP_SEG,      "pop-seg",       AB_C_SEGMENT, 5)       \
	X(LOAD_FARPTR,  "lfs-lgs-lss",   AB_C_SEGMENT, 5)       \
	X(LAR,          "lar",           AB_C_SEGMENT, 5)       \
	X(LSL,          "lsl",           AB_C_SEGMENT, 5)       \
	X(VERR,         "verr",          AB_C_SEGMENT, 5)       \
	X(VERW,         "verw",          AB_C_SEGMENT, 5)       \
	X(SWAPGS,       "swapgs",        AB_C_SEGMENT, 5)       \
	X(RDFSBASE,     "rdfsbase",      AB_C_SEGMENT, 5)       \
	X(RDGSBASE,     "rdgsbase",      AB_C_SEGMENT, 5)       \
	X(WRFSBASE,     "wrfsbase",      AB_C_SEGMENT, 5)       \
	X(WRGSBASE,     "wrgsbase",      AB_C_SEGMENT, 5)       \
	X(RDMSR,        "rdmsr",         AB_C_MSR,     5)       \
	X(WRMSR,        "wrmsr",         AB_C_MSR,     5)       \
	X(CPUID,        "cpuid",         AB_C_MSR,     5)       \
	X(RDTSCP,       "rdtscp",        AB_C_MSR,     5)       \
	X(RDPMC,        "rdpmc",         AB_C_MSR,     5)       \
	X(XSETBV,       "xsetbv",        AB_C_MSR,     5)       \
	X(INVLPG,       "invlpg",        AB_C_TLB,     5)       \
	X(INVPCID,      "invpcid",       AB_C_TLB,     5)       \
	X(INVD,         "invd",          AB_C_TLB,     5)       \
	X(WBINVD,       "wbinvd",        AB_C_TLB,     5)       \
	X(WBNOINVD,     "wbnoinvd",      AB_C_TLB,     5)       \
	X(IRET,         "iret",          AB_C_XFER,    5)       \
	X(SYSRET,       "sysret",        AB_C_XFER,    5)       \
	X(SYSEXIT,      "sysexit",       AB_C_XFER,    5)       \
	X(LRET,         "lret",          AB_C_XFER,    5)       \
	X(LJMP,         "ljmp",          AB_C_XFER,    5)       \
	X(LCALL,        "lcall",         AB_C_XFER,    5)       \
	X(INTN,         "int-n",         AB_C_XFER,    5)       \
	X(XSAVES,       "xsaves",        AB_C_PRIV,    5)       \
	X(XRSTORS,      "xrstors",       AB_C_PRIV,    5)       \
	X(STAC,         "stac",          AB_C_PRIV,    5)       \
	X(CLAC,         "clac",          AB_C_PRIV,    5)       \
	X(RSM,          "rsm",           AB_C_PRIV,    5)

enum ab_kind {
	AB_K_NONE = 0,
#define AB_KIND_ENUM(id, name, cls, pad) AB_K_##id,
	AB_KIND_TABLE(AB_KIND_ENUM)
#undef AB_KIND_ENUM
	AB_K_COUNT
};

/* The most NOPs any kind gets (cli); every site has at least 5. */
#define AB_PAD_MAX 7u

#endif /* AFTERBURN_ABI_H */
