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

/* ======================================================================
 * The monitor interface: the wedge (in the guest) and a host monitor of
 * ours (backends/kvm/monitor, `previrt run`).  Versioned on its own,
 * AB_HC_VERSION, since site records and hypercalls change independently.
 *
 * A hypercall is one port write, which exits on every KVM (the brief,
 * section 2; vmcall/vmmcall hang the software KVM of the CI machines):
 *
 *     outl %eax, %dx      dx = AB_HC_PORT_BASE + nr,
 *                         eax = guest-physical address of its argument block
 *
 * The block is the struct of that hypercall below, 8-aligned, below 4 GiB,
 * wholly inside guest RAM; the monitor checks all of that and every
 * address inside it, and answers through the block's `ret` (0 or a
 * negative AB_E_*) before the guest resumes.  A malformed call fails the
 * call, never the monitor.  Ports AB_HC_PORT_BASE .. +AB_HC_PORT_COUNT-1
 * are the monitor's; nothing else may use them.
 *
 *   nr  name              block                  direction
 *   +---+-----------------+----------------------+--------------------------+
 *   | 0 | AB_HC_HELLO     | struct ab_hc_hello   | wedge: version, shared   |
 *   |   |                 |                      | page; monitor: platform  |
 *   | 1 | AB_HC_CONSOLE   | struct ab_hc_console | bytes for the console    |
 *   | 2 | AB_HC_EXIT      | struct ab_hc_exit    | the guest is done        |
 *   | 3 | AB_HC_KICK      | none (eax ignored)   | the shared page changed: |
 *   |   |                 |                      | re-read it now           |
 *   | 4 | AB_HC_DISK      | struct ab_hc_disk    | read/write sectors       |
 *   +---+-----------------+----------------------+--------------------------+
 * ====================================================================== */

#define AB_HC_VERSION 1u
#define AB_HC_PORT_BASE 0x0500u
#define AB_HC_PORT_COUNT 16u

enum ab_hc_nr {
	AB_HC_HELLO = 0,
	AB_HC_CONSOLE = 1,
	AB_HC_EXIT = 2,
	AB_HC_KICK = 3,
	AB_HC_DISK = 4,
	AB_HC_COUNT
};

/* Values of `ret` (negated). */
#define AB_E_INVAL 22   /* a malformed block or an address outside guest RAM */
#define AB_E_NOSYS 38   /* no such hypercall, or not in this mode */
#define AB_E_IO 5       /* the host's backing store failed */
#define AB_E_ROFS 30    /* a write to a read-only disk */
#define AB_E_VERSION 71 /* the wedge speaks another AB_HC_VERSION */

/*
 * CPUID leaf AB_CPUID_LEAF (the hypervisor range) under our monitor:
 * ebx, ecx, edx = "AfterburnMon" (12 bytes), eax = the highest leaf of
 * the range (at least AB_CPUID_MODE_LEAF).  The wedge's kvm backend probes for it; the wedge hides the
 * leaf from its guest.
 */
#define AB_CPUID_LEAF 0x40000000u
#define AB_CPUID_SIGNATURE "AfterburnMon"
/* Leaf AB_CPUID_LEAF + 1: eax = enum ab_mode, so that a backend can probe for its mode. */
#define AB_CPUID_MODE_LEAF (AB_CPUID_LEAF + 1)

/* How the monitor runs this guest (ab_hc_hello.mode). */
enum ab_mode {
	AB_MODE_FULL = 0,      /* no wedge: the monitor and KVM emulate everything */
	AB_MODE_PREVIRT = 1,   /* the wedge's kvm backend, hypercalls by port I/O */
	AB_MODE_SPLITCORE = 2, /* the wedge posts requests to a ring a host core polls */
};

/*
 * AB_HC_HELLO, once, before the wedge enters the guest.  The wedge gives
 * the shared page; the monitor fills in the rest.
 */
struct ab_hc_hello {
	uint32_t version;       /* in: AB_HC_VERSION */
	int32_t ret;            /* out */
	uint64_t shared;        /* in: GPA of struct ab_shared, 4 KiB-aligned */
	uint32_t mode;          /* out: enum ab_mode */
	uint32_t flags;         /* out: AB_HELLO_F_* */
	uint64_t tsc_khz;       /* out: the guest's TSC frequency */
	uint64_t wallclock_sec; /* out: UTC seconds since 1970 at tsc_hello */
	uint64_t tsc_hello;     /* out: the guest's TSC when the monitor answered */
	uint64_t disk_sectors;  /* out: 512-byte sectors of the disk, 0: none */
	uint64_t ring;          /* in, AB_MODE_SPLITCORE: GPA of struct ab_ring, 4 KiB-aligned */
};
#define AB_HELLO_F_DISK_RO 0x1u /* the disk is read-only */

/* AB_HC_CONSOLE: len bytes at GPA data (no NUL), typically one line. */
struct ab_hc_console {
	uint64_t data;
	uint32_t len;           /* at most AB_HC_CONSOLE_MAX */
	int32_t ret;
};
#define AB_HC_CONSOLE_MAX 4096u

/* AB_HC_EXIT (and AB_RING_EXIT): the monitor ends the run with exit status
 * `status`, 0..AB_EXIT_STATUS_MAX (its own statuses are above). */
#define AB_EXIT_STATUS_MAX 123
struct ab_hc_exit {
	int32_t status;
	int32_t ret;            /* written only when the call is refused */
};

/* AB_HC_DISK: count sectors from lba, to or from GPA buf, synchronously. */
struct ab_hc_disk {
	uint32_t op;            /* AB_DISK_READ, AB_DISK_WRITE, AB_DISK_FLUSH */
	uint32_t count;         /* sectors, 1..AB_DISK_MAX_SECTORS */
	uint64_t lba;
	uint64_t buf;
	int32_t ret;
	uint32_t reserved;
};
enum ab_disk_op { AB_DISK_READ = 0, AB_DISK_WRITE = 1, AB_DISK_FLUSH = 2 };
#define AB_DISK_SECTOR 512u
#define AB_DISK_MAX_SECTORS 256u

/*
 * The shared page: one 4 KiB page of the wedge's memory, given in
 * AB_HC_HELLO.  The wedge runs the in-place PIC and PIT; the monitor owns
 * time and the CPU's interrupt pin.  Each field has one writer.  Times
 * are guest TSC values (the guest reads them with rdtsc; the monitor
 * converts with the TSC offset it measured and tsc_khz).
 *
 * The wedge publishes, after every change of its PIC or PIT (with
 * interrupts off, so never half-way while the guest can be interrupted):
 *   irq_vector      the vector an INTA would return now, or -1
 *   timer_vector    the vector an INTA would return if IRQ0 had an edge
 *                   now, or -1 (IRQ0 masked, or blocked by the ISR)
 *   timer_deadline  guest TSC at which IRQ0 next has an edge, 0: never
 *   timer_period    TSC ticks between IRQ0 edges while the PIT is
 *                   periodic, 0: one-shot
 *   acked           INTAs the wedge has applied to its PIC (see below)
 * and bumps wedge_seq last.
 *
 * The monitor keeps a host timer armed for the earliest future deadline
 * it knows (armed_deadline, which it publishes; 0: none), but only while
 * a tick could be injected and nothing else is due (timer_vector >= 0,
 * irq_vector < 0): otherwise the guest's next device access republishes
 * first.  When a deadline it was armed for passes and timer_period != 0,
 * it arms the next one itself (deadline + k * period, the first in the
 * future), so a periodic PIT costs no hypercall per tick; that includes
 * right after it injected the timer's vector, while the wedge has not yet
 * acknowledged it.  Its timer only
 * wakes it: it acts on the wedge's timer_deadline, never on its estimate.
 *
 * Whenever the guest is stopped in an exit with RFLAGS.IF=1 and no
 * interrupt shadow (KVM's ready_for_interrupt_injection), and only when
 * injected == acked (the wedge has caught up), the monitor:
 *   - if the guest TSC >= timer_deadline != 0 and timer_vector >= 0:
 *     injects timer_vector;
 *   - else if irq_vector >= 0: injects irq_vector;
 *   and records it: inject_tsc = its estimate of the guest TSC now (for
 *   the timer's vector at least timer_deadline), last_vector = the
 *   vector, then injected++.
 * With IF=0 and something due, the monitor asks KVM for an interrupt
 * window instead.
 *
 * The wedge, at every entry through a patched site, before it touches a
 * device, catches up: if injected != acked, it delivers the PIT ticks due
 * by inject_tsc (edges before the INTA coalesce into the request it
 * acknowledged, as on an 8259A; later ones are new requests), runs the
 * PIC's INTA (its vector must be last_vector, else the wedge panics: the
 * two sides disagree) and sets acked = injected; then it delivers the
 * ticks due by now.  After the access it publishes.
 * An interrupt its own devices raise (the UART, the disk) the wedge
 * delivers itself at the guest's next safe point (backends/kvm/
 * safepoint.c): at once when the guest's IF is 1, else at its next sti
 * or popf; the monitor injects it instead if an exit with IF=1 comes
 * first.  It makes AB_HC_KICK only when the monitor should be armed and
 * is not: timer_deadline != 0, timer_vector >= 0, irq_vector < 0, and
 * armed_deadline 0, already past, or later than timer_deadline; and
 * (AB_MODE_PREVIRT) when irq_vector >= 0 was not deliverable at this entry
 * and armed_deadline is 0 or past: no exit is then due, and a guest that
 * returns to IF=1 by an iretq (native) and spins would wait for ever.  The
 * monitor then re-reads the page at once instead of at the next exit.
 *
 * The guest cannot be interrupted while the wedge runs (the entry stub
 * runs handlers with IF=0), so the monitor's reads at an IF=1 exit always
 * see a complete publish.  An interrupt handler that never enters the
 * wedge (no EOI, no device access) gets no further interrupt, as an
 * 8259A without EOI would not give one; auto-EOI mode is therefore not
 * supported.
 */
struct ab_shared {
	/* written by the wedge */
	int32_t irq_vector;
	int32_t timer_vector;
	uint64_t timer_deadline;
	uint64_t timer_period;
	uint32_t acked;
	uint32_t wedge_seq;
	/* written by the monitor */
	uint32_t injected;
	int32_t last_vector;
	uint64_t inject_tsc;
	uint64_t armed_deadline;
	uint64_t injections;     /* statistics: interrupts injected */
	uint64_t kicks;          /* statistics: AB_HC_KICK calls seen */
	/*
	 * AB_MODE_SPLITCORE only, written by the polling thread: 1 while a
	 * published irq_vector >= 0, or a passed timer_deadline with
	 * timer_vector >= 0, waits for the wedge (see the ring below).  The
	 * wedge's safe points read it with one load and go into the wedge
	 * only when it is set.
	 */
	uint32_t due;
	uint32_t reserved0;
	uint8_t reserved[4096 - 80];
};
_Static_assert(sizeof(struct ab_shared) == 4096, "ab_shared is one page");

/* ======================================================================
 * The split-core ring (AB_MODE_SPLITCORE, after SplitX): the wedge posts
 * what needs the host (console lines, disk transfers, the exit) into a
 * ring in its own memory, and a monitor thread pinned to another core
 * polls it and completes each request, so the I/O path has no VM exit.
 * The wedge gives the ring's address in AB_HC_HELLO (its one hypercall
 * on this path, at boot).
 *
 *   struct ab_ring (AB_RING_SLOTS = 64 slots, 20 KiB, 4 KiB-aligned)
 *   +--------------------------+---------------------------------------+
 *   | slot[0..63]   64 B each  | one request each, one cache line      |
 *   | data[0..63]  256 B each  | slot i's console bytes                |
 *   +--------------------------+---------------------------------------+
 *
 *   struct ab_ring_slot
 *   offset size field     writer   meaning
 *   +-----+----+---------+--------+---------------------------------------+
 *   |  0  | 4  | state   | both   | AB_SLOT_FREE/POSTED/DONE: who owns it |
 *   |  4  | 4  | op      | wedge  | enum ab_ring_op                       |
 *   |  8  | 8  | seq     | wedge  | request number, 1, 2, ...: slot seq%64|
 *   | 16  | 8  | addr    | wedge  | GPA: a disk transfer's buffer         |
 *   | 24  | 8  | lba     | wedge  | disk: first sector                    |
 *   | 32  | 4  | count   | wedge  | console: bytes in data[]; disk:       |
 *   |     |    |         |        | sectors; exit: the status             |
 *   | 36  | 4  | status  | monitor| 0 or -AB_E_*                          |
 *   | 40  | 8  | done_tsc| monitor| guest TSC at completion (statistics)  |
 *   | 48  | 16 | -       |        | reserved, 0                           |
 *   +-----+----+---------+--------+---------------------------------------+
 *
 * Ownership moves with `state`: the wedge fills a FREE (or reclaimed
 * DONE) slot, then stores POSTED; the monitor, which keeps its own next
 * index (it never trusts an index the guest could write), waits for
 * POSTED in slot next % 64, copies the slot before looking at it, does
 * the work, writes status and done_tsc, then stores DONE.  Requests are
 * taken in seq order, so console lines stay in order and an EXIT comes
 * after everything posted before it.  A slot whose state, op, seq or
 * fields are not valid is completed with status -AB_E_INVAL and counted;
 * the monitor stays up.
 *
 * Memory ordering: x86 keeps stores in program order for other cores and
 * does not reorder loads with older loads (TSO), so "fields, then state"
 * on one side and "state, then fields" on the other need only compiler
 * barriers: C11 release stores and acquire loads of `state`, which on
 * x86 are plain moves.
 *
 * Disk transfers are synchronous for the wedge: it spins on the slot
 * until DONE (the round trip through shared memory is ~0.2 us on the
 * kvm-host platform, against ~50 us for an exit).  Console lines are
 * not waited for; the wedge only waits when it needs a slot back.
 *
 * Interrupts under AB_MODE_SPLITCORE: the wedge delivers them itself,
 * through the guest's IDT, at safe points: after an sti or a popf that
 * sets IF, at hlt, and after each completion wait (its PIT is driven by
 * the TSC, so timer ticks need no host).  It makes no AB_HC_KICK.  The
 * shared-page protocol above stays for where the guest would otherwise
 * wait: at hlt with nothing pending the wedge halts for real and the
 * monitor injects as under previrt; and when a published irq_vector, or
 * a passed timer_deadline with timer_vector >= 0, stays untaken for
 * AB_SPLIT_GRACE_US (the guest runs in user mode, or long with IF=0),
 * the polling thread kicks the vCPU out of KVM_RUN (a signal: one exit)
 * and the monitor injects.  The monitor counts both kinds of injection.
 * ====================================================================== */

#define AB_SPLIT_GRACE_US 500u

#define AB_RING_SLOTS 64u
#define AB_RING_DATA 256u

enum ab_slot_state { AB_SLOT_FREE = 0, AB_SLOT_POSTED = 1, AB_SLOT_DONE = 2 };

enum ab_ring_op {
	AB_RING_CONSOLE = 1,
	AB_RING_DISK_READ = 2,
	AB_RING_DISK_WRITE = 3,
	AB_RING_DISK_FLUSH = 4,
	AB_RING_EXIT = 5,
};

struct ab_ring_slot {
	uint32_t state;
	uint32_t op;
	uint64_t seq;
	uint64_t addr;
	uint64_t lba;
	uint32_t count;
	int32_t status;
	uint64_t done_tsc;
	uint8_t reserved[16];
};
_Static_assert(sizeof(struct ab_ring_slot) == 64, "ab_ring_slot is one cache line");

struct ab_ring {
	struct ab_ring_slot slot[AB_RING_SLOTS];
	uint8_t data[AB_RING_SLOTS][AB_RING_DATA];
};
_Static_assert(sizeof(struct ab_ring) == 20480, "ab_ring is 5 pages");

/* ======================================================================
 * The packed boot image: a guest kernel ELF, an optional initrd and an
 * optional command line in one file, for loaders that hand the wedge a
 * single module (QEMU's PVH loader: -initrd).  `afterburn pack` writes
 * it; the wedge recognises it by its magic when it is module 0 (a loader
 * that passes several modules may instead give the kernel ELF as module 0
 * and the initrd as module 1).  Versioned on its own, AB_PACK_VERSION.
 * Little-endian, every offset from the start of the file.
 *
 *   offset  size  field
 *   +------+-----+--------------------------------------------------------+
 *   |   0  |  8  | magic           AB_PACK_MAGIC, "AFTRPACK"              |
 *   |   8  |  4  | version         AB_PACK_VERSION                        |
 *   |  12  |  4  | header_size     sizeof(struct ab_pack_header) = 64     |
 *   |  16  |  8  | kernel_offset   the kernel ELF, AB_PACK_ALIGN-aligned  |
 *   |  24  |  8  | kernel_size     bytes, never 0                         |
 *   |  32  |  8  | initrd_offset   the initrd, AB_PACK_ALIGN-aligned;     |
 *   |      |     |                 0 with initrd_size 0: none             |
 *   |  40  |  8  | initrd_size     bytes                                  |
 *   |  48  |  8  | cmdline_offset  the command line; 0 with size 0: none  |
 *   |  56  |  8  | cmdline_size    bytes before its NUL, which follows,   |
 *   |      |     |                 < AB_PACK_CMDLINE_MAX                  |
 *   +------+-----+--------------------------------------------------------+
 *   | kernel, initrd, command line: in that order, each at its offset,    |
 *   | zero padding between                                                |
 *   +---------------------------------------------------------------------+
 *
 * Why aligned: loaders place a module page-aligned (QEMU does), and the
 * wedge hands the initrd to the guest where it lies (Linux: boot_params
 * ramdisk_image), which Linux wants page-aligned.  The command line comes
 * before the loader's own (-append): the wedge's options (wedge.NAME=)
 * may be in either, and the guest sees the packed words first.
 * ====================================================================== */

#define AB_PACK_MAGIC "AFTRPACK"   /* 8 bytes, no NUL */
#define AB_PACK_MAGIC_LEN 8u
#define AB_PACK_VERSION 1u
#define AB_PACK_ALIGN 4096u
#define AB_PACK_CMDLINE_MAX 2048u  /* with its NUL (Linux x86: COMMAND_LINE_SIZE) */

struct ab_pack_header {
	char magic[8];
	uint32_t version;
	uint32_t header_size;
	uint64_t kernel_offset;
	uint64_t kernel_size;
	uint64_t initrd_offset;
	uint64_t initrd_size;
	uint64_t cmdline_offset;
	uint64_t cmdline_size;
};
_Static_assert(sizeof(struct ab_pack_header) == 64, "ab_pack_header is 64 bytes");

#endif /* AFTERBURN_ABI_H */
