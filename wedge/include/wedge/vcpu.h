/*
 * The wedge's virtual CPU (wedge/cpu/): the processor state a backend
 * emulates on the guest kernel's behalf when the real instruction would
 * not do (the guest is deprivileged, or the instruction exits to the host
 * at a price).  Interrupt flag and pending interrupt, control registers,
 * descriptor-table registers, a CPUID cache, the MSRs the wedge emulates.
 *
 * Freestanding C11 like the device models (no libc, no allocation: the
 * caller owns struct wedge_vcpu).  No locking: one virtual CPU, accessed
 * by the one real CPU it runs on.  Every operation that the hardware
 * would fault returns the fault as a negative vector instead
 * (WEDGE_VCPU_GP, WEDGE_VCPU_UD) for the caller to inject; the state is
 * then unchanged.  Only 64-bit code is emulated: the afterburner leaves
 * 16- and 32-bit code alone.  See docs/wedge-vcpu.md.
 */
#ifndef WEDGE_VCPU_H
#define WEDGE_VCPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Faults ------------------------------------------------------------ */

#define WEDGE_VCPU_OK 0
#define WEDGE_VCPU_UD (-6)  /* #UD */
#define WEDGE_VCPU_GP (-13) /* #GP; error code 0 unless a function says otherwise */

/* ---- Architectural bits (Intel SDM vol. 3, AMD APM vol. 2) -------------- */

/*
 * RFLAGS, and who owns each bit while the wedge runs the guest:
 *
 *   bit    flag   owner    why
 *   +-----+------+--------+----------------------------------------------+
 *   | 0   | CF   | real   | arithmetic: the guest's own instructions     |
 *   | 1   | -    | fixed  | always 1                                     |
 *   | 2   | PF   | real   |                                              |
 *   | 4   | AF   | real   |                                              |
 *   | 6   | ZF   | real   |                                              |
 *   | 7   | SF   | real   |                                              |
 *   | 8   | TF   | real   | single-step traps the real CPU raises        |
 *   | 9   | IF   | virt   | the host must keep taking its interrupts     |
 *   | 10  | DF   | real   |                                              |
 *   | 11  | OF   | real   |                                              |
 *   | 12-13 IOPL | virt   | a deprivileged guest cannot grant port I/O   |
 *   | 14  | NT   | real   | any CPL may set it; only iret reads it       |
 *   | 16  | RF   | real   | pushf stores 0, popf clears it               |
 *   | 17  | VM   | real   | 0 in 64-bit mode; pushf stores 0             |
 *   | 18  | AC   | virt   | at CPL 3 it would alignment-check the guest  |
 *   |     |      |        | kernel itself; at CPL 0 it is SMAP's switch  |
 *   | 19  | VIF  | virt   | VME/PVI state, only iret changes it          |
 *   | 20  | VIP  | virt   |                                              |
 *   | 21  | ID   | real   | CPUID detection toggles it at any CPL        |
 *   | 3,5,15,22-63 | zero | reserved                                      |
 *   +-----+------+--------+----------------------------------------------+
 *
 * "virt" bits live in struct wedge_vcpu; the real register keeps what
 * the backend runs the guest with (IF on, IOPL 0).
 */
#define WEDGE_X86_RFLAGS_CF   (1ull << 0)
#define WEDGE_X86_RFLAGS_FIXED (1ull << 1)
#define WEDGE_X86_RFLAGS_PF   (1ull << 2)
#define WEDGE_X86_RFLAGS_AF   (1ull << 4)
#define WEDGE_X86_RFLAGS_ZF   (1ull << 6)
#define WEDGE_X86_RFLAGS_SF   (1ull << 7)
#define WEDGE_X86_RFLAGS_TF   (1ull << 8)
#define WEDGE_X86_RFLAGS_IF   (1ull << 9)
#define WEDGE_X86_RFLAGS_DF   (1ull << 10)
#define WEDGE_X86_RFLAGS_OF   (1ull << 11)
#define WEDGE_X86_RFLAGS_IOPL (3ull << 12)
#define WEDGE_X86_RFLAGS_NT   (1ull << 14)
#define WEDGE_X86_RFLAGS_RF   (1ull << 16)
#define WEDGE_X86_RFLAGS_VM   (1ull << 17)
#define WEDGE_X86_RFLAGS_AC   (1ull << 18)
#define WEDGE_X86_RFLAGS_VIF  (1ull << 19)
#define WEDGE_X86_RFLAGS_VIP  (1ull << 20)
#define WEDGE_X86_RFLAGS_ID   (1ull << 21)

#define WEDGE_VCPU_RFLAGS_VIRT                                               \
	(WEDGE_X86_RFLAGS_IF | WEDGE_X86_RFLAGS_IOPL | WEDGE_X86_RFLAGS_AC |  \
	 WEDGE_X86_RFLAGS_VIF | WEDGE_X86_RFLAGS_VIP)
#define WEDGE_VCPU_RFLAGS_REAL                                               \
	(WEDGE_X86_RFLAGS_CF | WEDGE_X86_RFLAGS_PF | WEDGE_X86_RFLAGS_AF |    \
	 WEDGE_X86_RFLAGS_ZF | WEDGE_X86_RFLAGS_SF | WEDGE_X86_RFLAGS_TF |    \
	 WEDGE_X86_RFLAGS_DF | WEDGE_X86_RFLAGS_OF | WEDGE_X86_RFLAGS_NT |    \
	 WEDGE_X86_RFLAGS_ID)

#define WEDGE_X86_CR0_PE (1ull << 0)
#define WEDGE_X86_CR0_MP (1ull << 1)
#define WEDGE_X86_CR0_EM (1ull << 2)
#define WEDGE_X86_CR0_TS (1ull << 3)
#define WEDGE_X86_CR0_ET (1ull << 4)
#define WEDGE_X86_CR0_NE (1ull << 5)
#define WEDGE_X86_CR0_WP (1ull << 16)
#define WEDGE_X86_CR0_AM (1ull << 18)
#define WEDGE_X86_CR0_NW (1ull << 29)
#define WEDGE_X86_CR0_CD (1ull << 30)
#define WEDGE_X86_CR0_PG (1ull << 31)

#define WEDGE_X86_CR4_VME        (1ull << 0)
#define WEDGE_X86_CR4_PVI        (1ull << 1)
#define WEDGE_X86_CR4_TSD        (1ull << 2)
#define WEDGE_X86_CR4_DE         (1ull << 3)
#define WEDGE_X86_CR4_PSE        (1ull << 4)
#define WEDGE_X86_CR4_PAE        (1ull << 5)
#define WEDGE_X86_CR4_MCE        (1ull << 6)
#define WEDGE_X86_CR4_PGE        (1ull << 7)
#define WEDGE_X86_CR4_PCE        (1ull << 8)
#define WEDGE_X86_CR4_OSFXSR     (1ull << 9)
#define WEDGE_X86_CR4_OSXMMEXCPT (1ull << 10)
#define WEDGE_X86_CR4_UMIP       (1ull << 11)
#define WEDGE_X86_CR4_LA57       (1ull << 12)
#define WEDGE_X86_CR4_VMXE       (1ull << 13)
#define WEDGE_X86_CR4_SMXE       (1ull << 14)
#define WEDGE_X86_CR4_FSGSBASE   (1ull << 16)
#define WEDGE_X86_CR4_PCIDE      (1ull << 17)
#define WEDGE_X86_CR4_OSXSAVE    (1ull << 18)
#define WEDGE_X86_CR4_KL         (1ull << 19)
#define WEDGE_X86_CR4_SMEP       (1ull << 20)
#define WEDGE_X86_CR4_SMAP       (1ull << 21)
#define WEDGE_X86_CR4_PKE        (1ull << 22)
#define WEDGE_X86_CR4_CET        (1ull << 23)
#define WEDGE_X86_CR4_PKS        (1ull << 24)
#define WEDGE_X86_CR4_UINTR      (1ull << 25)
#define WEDGE_X86_CR4_LAM_SUP    (1ull << 28)

/* With CR4.PCIDE, bit 63 of a value moved to CR3: keep the TLB. */
#define WEDGE_X86_CR3_NOFLUSH (1ull << 63)

#define WEDGE_X86_EFER_SCE      (1ull << 0)
#define WEDGE_X86_EFER_LME      (1ull << 8)
#define WEDGE_X86_EFER_LMA      (1ull << 10)
#define WEDGE_X86_EFER_NXE      (1ull << 11)
#define WEDGE_X86_EFER_SVME     (1ull << 12)
#define WEDGE_X86_EFER_FFXSR    (1ull << 14)
#define WEDGE_X86_EFER_TCE      (1ull << 15)
#define WEDGE_X86_EFER_AUTOIBRS (1ull << 21)

#define WEDGE_X86_APIC_BASE_BSP  (1ull << 8)
#define WEDGE_X86_APIC_BASE_EXTD (1ull << 10)
#define WEDGE_X86_APIC_BASE_EN   (1ull << 11)

#define WEDGE_X86_MSR_TSC              0x00000010u
#define WEDGE_X86_MSR_APIC_BASE        0x0000001bu
#define WEDGE_X86_MSR_SYSENTER_CS      0x00000174u
#define WEDGE_X86_MSR_SYSENTER_ESP     0x00000175u
#define WEDGE_X86_MSR_SYSENTER_EIP     0x00000176u
#define WEDGE_X86_MSR_MISC_ENABLE      0x000001a0u
#define WEDGE_X86_MSR_PAT              0x00000277u
#define WEDGE_X86_MSR_EFER             0xc0000080u
#define WEDGE_X86_MSR_STAR             0xc0000081u
#define WEDGE_X86_MSR_LSTAR            0xc0000082u
#define WEDGE_X86_MSR_CSTAR            0xc0000083u
#define WEDGE_X86_MSR_SFMASK           0xc0000084u
#define WEDGE_X86_MSR_FS_BASE          0xc0000100u
#define WEDGE_X86_MSR_GS_BASE          0xc0000101u
#define WEDGE_X86_MSR_KERNEL_GS_BASE   0xc0000102u
#define WEDGE_X86_MSR_TSC_AUX          0xc0000103u

/* ---- The host side ------------------------------------------------------ */

/* What the backend supplies; any member may be NULL. */
struct wedge_vcpu_host {
	void *ctx;
	/* The real cpuid: out = eax, ebx, ecx, edx.  NULL: every leaf reads 0. */
	void (*cpuid)(void *ctx, uint32_t leaf, uint32_t subleaf, uint32_t out[4]);
	/* The clock behind IA32_TSC (the real TSC).  NULL: it stands at 0. */
	uint64_t (*tsc)(void *ctx);
	/* The INTA cycle when the INTR line is high: the vector, or < 0. */
	int (*inta)(void *ctx);
};

/* ---- CPUID cache -------------------------------------------------------- */

/*
 * One row per leaf, one per subleaf for the leaves whose ECX selects a
 * subleaf.  256 rows: a current EPYC or Xeon needs about 120.
 */
#define WEDGE_VCPU_CPUID_MAX 256

enum { WEDGE_VCPU_EAX, WEDGE_VCPU_EBX, WEDGE_VCPU_ECX, WEDGE_VCPU_EDX };

struct wedge_vcpu_cpuid_entry {
	uint32_t leaf, subleaf;
	uint32_t regs[4];     /* eax, ebx, ecx, edx */
	bool indexed;         /* ECX selects a subleaf of this leaf */
};

struct wedge_vcpu_cpuid {
	struct wedge_vcpu_cpuid_entry e[WEDGE_VCPU_CPUID_MAX];
	unsigned n;
	uint32_t max_basic;   /* leaf 0 EAX, as the guest sees it */
	uint32_t max_ext;     /* leaf 0x80000000 EAX; 0: no extended leaves */
	bool intel;           /* vendor: out-of-range leaves as Intel answers them */
	bool truncated;       /* the table ran full; max_* lowered to match */
};

/* ---- Descriptor-table registers ---------------------------------------- */

struct wedge_vcpu_dtr {
	uint64_t base;
	uint16_t limit;
};

/* ---- MSRs --------------------------------------------------------------- */

struct wedge_vcpu_msrs {
	uint64_t efer, star, lstar, cstar, sfmask;
	uint64_t fs_base, gs_base, kernel_gs_base;
	uint64_t tsc_aux, apic_base, misc_enable, pat;
	uint64_t tsc_offset;  /* IA32_TSC minus the host clock */
	uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
};

/* ---- The virtual CPU ---------------------------------------------------- */

struct wedge_vcpu {
	uint64_t vflags;      /* the WEDGE_VCPU_RFLAGS_VIRT bits of RFLAGS */
	bool irq_line;        /* INTR: the PIC's INT output */
	bool shadow;          /* sti's one-instruction interrupt shadow */
	bool halted;          /* in hlt until an interrupt is delivered */
	int16_t posted;       /* an acknowledged vector awaiting delivery; -1: none */
	uint64_t cr0, cr2, cr3, cr4, cr8;
	struct wedge_vcpu_dtr gdtr, idtr;
	uint16_t ldtr, tr;
	struct wedge_vcpu_msrs msr;
	struct wedge_vcpu_cpuid cpuid;
	struct wedge_vcpu_host host;
};

/*
 * The state a 64-bit kernel is entered in (Linux boot protocol, PVH):
 * long mode with paging (CR0 PE|MP|ET|NE|WP|AM|PG, CR4 PAE, EFER
 * LME|LMA), interrupts off, descriptor registers and MSRs at their
 * power-on values; then the CPUID cache is filled from host->cpuid (no policy).
 * A backend that knows better values (the real CR3) stores them into
 * the struct directly before the guest runs.
 */
void wedge_vcpu_init(struct wedge_vcpu *v, const struct wedge_vcpu_host *host);

/* ---- Interrupt flag (irqflags.c) ---------------------------------------- */

void wedge_vcpu_cli(struct wedge_vcpu *v);
/*
 * sti.  When IF was clear, interrupts stay blocked for one more
 * instruction (v->shadow); the caller runs it, then calls
 * wedge_vcpu_shadow_end.  True: an interrupt is pending, deliverable
 * once the shadow (if any) has ended.
 */
bool wedge_vcpu_sti(struct wedge_vcpu *v);
/* The instruction after sti has run.  True: deliver an interrupt now. */
bool wedge_vcpu_shadow_end(struct wedge_vcpu *v);
/* pushf: the RFLAGS image the guest sees, from the real flags. */
uint64_t wedge_vcpu_pushf(const struct wedge_vcpu *v, uint64_t real_rflags);
/*
 * popf at CPL 0: takes IF, IOPL, AC into the virtual flags and returns
 * the real RFLAGS to load (the guest's arithmetic flags, the real
 * register's own IF/IOPL/AC/VM/VIF/VIP, RF clear).  *deliver (may be
 * NULL): this popf set IF with an interrupt pending.  popfw: pass
 * (wedge_vcpu_pushf(v, real) & ~0xffff) | word.
 */
uint64_t wedge_vcpu_popf(struct wedge_vcpu *v, uint64_t value, uint64_t real_rflags,
			 bool *deliver);
/* iret's RFLAGS at CPL 0: as popf, and VIF, VIP, RF come from the image. */
uint64_t wedge_vcpu_iret(struct wedge_vcpu *v, uint64_t image, uint64_t real_rflags,
			 bool *deliver);
/* stac/clac on the virtual AC; #UD when CPUID hides SMAP. */
int wedge_vcpu_stac(struct wedge_vcpu *v);
int wedge_vcpu_clac(struct wedge_vcpu *v);

/* ---- Pending interrupts and hlt (irq.c) -------------------------------- */

/* The INTR line.  True: an interrupt is deliverable now. */
bool wedge_vcpu_set_irq_line(struct wedge_vcpu *v, bool level);
/* The same, shaped for wedge_dev_host.irq_notify (ctx is the vcpu). */
void wedge_vcpu_irq_notify(void *ctx, bool level);
/* Queue a vector that needs no INTA (a backend's event); -1: slot busy. */
int wedge_vcpu_post(struct wedge_vcpu *v, uint8_t vector);
/* The line is high or a vector is posted. */
bool wedge_vcpu_irq_pending(const struct wedge_vcpu *v);
/* Pending, IF set, outside an interrupt shadow. */
bool wedge_vcpu_irq_deliverable(const struct wedge_vcpu *v);
/* The vector to deliver: the posted one, else host->inta(); -1: none. */
int wedge_vcpu_irq_ack(struct wedge_vcpu *v);
/*
 * Delivery through the guest's IDT begins: returns the RFLAGS image for
 * the frame, then clears IF for an interrupt gate (not for a trap gate)
 * and ends hlt.  TF, NT, RF of the real flags are the caller's to clear.
 */
uint64_t wedge_vcpu_irq_enter(struct wedge_vcpu *v, uint64_t real_rflags, bool interrupt_gate);
/*
 * hlt.  It ends an sti shadow.  False: an interrupt is deliverable, do
 * not wait (deliver it; the frame's RIP is after hlt).  True: wait
 * until wedge_vcpu_irq_deliverable, which with IF clear never comes.
 */
bool wedge_vcpu_hlt(struct wedge_vcpu *v);

/* ---- Control registers (ctrlregs.c) ------------------------------------ */

/* cr is 0, 2, 3, 4 or 8; any other is #UD. */
int wedge_vcpu_read_cr(const struct wedge_vcpu *v, unsigned cr, uint64_t *val);
/*
 * mov to crN with the reserved-bit and consistency checks of a 64-bit
 * CPU; the CPUID cache decides which CR4 bits exist.  CR0 bits 6-15,
 * 17, 19-28 are ignored as KVM does, ET reads 1.  To CR3 with PCIDE,
 * bit 63 (keep the TLB) is not stored: the caller acts on it.
 */
int wedge_vcpu_write_cr(struct wedge_vcpu *v, unsigned cr, uint64_t val);
void wedge_vcpu_clts(struct wedge_vcpu *v);
/* Loads CR0 bits 0-3; sets PE but never clears it. */
void wedge_vcpu_lmsw(struct wedge_vcpu *v, uint16_t msw);
/* All of CR0: a memory destination stores its low 16 bits. */
uint64_t wedge_vcpu_smsw(const struct wedge_vcpu *v);

/* ---- Descriptor tables (desctab.c) ------------------------------------- */

/* lgdt/lidt; #GP for a non-canonical base. */
int wedge_vcpu_lgdt(struct wedge_vcpu *v, uint64_t base, uint16_t limit);
int wedge_vcpu_lidt(struct wedge_vcpu *v, uint64_t base, uint16_t limit);
struct wedge_vcpu_dtr wedge_vcpu_sgdt(const struct wedge_vcpu *v);
struct wedge_vcpu_dtr wedge_vcpu_sidt(const struct wedge_vcpu *v);
/*
 * lldt/ltr check the selector against the GDT (in the GDT, its 16-byte
 * system descriptor inside the limit; ltr also refuses null).  Their
 * #GP error code is sel & 0xfffc.  The descriptor's type and present
 * bits (and ltr's busy bit) are in guest memory: the caller's job.
 */
int wedge_vcpu_lldt(struct wedge_vcpu *v, uint16_t sel);
int wedge_vcpu_ltr(struct wedge_vcpu *v, uint16_t sel);
uint16_t wedge_vcpu_sldt(const struct wedge_vcpu *v);
uint16_t wedge_vcpu_str(const struct wedge_vcpu *v);

/* ---- CPUID (cpuid.c) ----------------------------------------------------- */

/* (Re)fill the cache from host->cpuid; overrides are lost. */
void wedge_vcpu_cpuid_fill(struct wedge_vcpu *v);
/*
 * cpuid as the guest sees it: the cached row, with OSXSAVE, OSPKE and
 * the APIC bit following CR4 and IA32_APIC_BASE as on hardware.  A
 * subleaf the cache lacks reads 0 (leaves 0xb/0x1f: the "invalid level"
 * row).  A leaf out of range reads 0 on AMD and other vendors, and the
 * highest basic leaf on Intel, as each vendor's CPUs answer.
 */
void wedge_vcpu_cpuid(const struct wedge_vcpu *v, uint32_t leaf, uint32_t subleaf, uint32_t out[4]);
/* The cached row (subleaf ignored for leaves without subleaves), or NULL. */
const struct wedge_vcpu_cpuid_entry *wedge_vcpu_cpuid_find(const struct wedge_vcpu *v,
							    uint32_t leaf, uint32_t subleaf);
/* A feature bit of the cached row (no runtime bits); false when absent. */
bool wedge_vcpu_cpuid_bit(const struct wedge_vcpu *v, uint32_t leaf, uint32_t subleaf,
			  unsigned reg, unsigned bit);
/* Policy: reg = (reg & ~clear) | set in one cached row; -1: no such row. */
int wedge_vcpu_cpuid_override(struct wedge_vcpu *v, uint32_t leaf, uint32_t subleaf,
			      unsigned reg, uint32_t clear, uint32_t set);
/*
 * The wedge's policy: the guest is shown bare hardware it can run on.
 * Hidden: the hypervisor bit (the guest must not look for a hypervisor
 * of its own: the wedge is its platform), MONITOR/MWAIT and leaf 5,
 * AMD's MONITORX (no wedge backend can let a guest sleep on a cache
 * line), VMX, SMX, SVM (no nested virtualization).
 */
void wedge_vcpu_cpuid_policy_default(struct wedge_vcpu *v);

/* ---- MSRs (msr.c) --------------------------------------------------------- */

/* rdmsr/wrmsr of the emulated MSRs; #GP for any other or a reserved bit. */
int wedge_vcpu_rdmsr(const struct wedge_vcpu *v, uint32_t msr, uint64_t *val);
int wedge_vcpu_wrmsr(struct wedge_vcpu *v, uint32_t msr, uint64_t val);
void wedge_vcpu_swapgs(struct wedge_vcpu *v);
/* rdtscp: IA32_TSC and TSC_AUX; #UD when CPUID hides RDTSCP. */
int wedge_vcpu_rdtscp(const struct wedge_vcpu *v, uint64_t *tsc, uint32_t *aux);

/* Physical and linear address widths from the CPUID cache (36 and 48 if absent). */
unsigned wedge_vcpu_phys_bits(const struct wedge_vcpu *v);
unsigned wedge_vcpu_virt_bits(const struct wedge_vcpu *v);
bool wedge_vcpu_canonical(const struct wedge_vcpu *v, uint64_t addr);

#endif
