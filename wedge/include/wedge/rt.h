/*
 * The wedge at run time, inside its guest (wedge/rt/): what backends use
 * besides the record path.  Freestanding; never built for the host.
 *
 * Address space (the same on the wedge's own page tables and, once the
 * guest loads a %cr3 through a hooked site, in the guest's):
 *
 *   virtual                         maps                       who
 *   0 .. 1 GiB                      identity (2 MiB pages)     wedge tables only
 *   WEDGE_LOW  = 0x7fe00000         the wedge (4 KiB pages)    "low alias"
 *   0xffffffff80000000 .. +1 GiB    physical 0 .. 1 GiB        wedge tables only
 *   WEDGE_HOME = 0xffffffffffe00000 the wedge (4 KiB pages)    link address
 *   WEDGE_WINDOW (last 3 pages)     guest page tables, one window per level
 *
 * Why two addresses: a `call rel32` in a site reaches the wedge at HOME
 * from the kernel's link address; the same bytes run at the kernel's
 * physical alias (early boot code, a loader's trampolines) land at
 * HOME - 0xffffffff80000000 = WEDGE_LOW, so the wedge is there too.  HOME
 * is linked into every table loaded through a hooked %cr3 load; LOW only
 * into tables loaded by code that runs at the physical alias (rt/paging.c:
 * LOW is in the user half, where Linux's mm must never meet the wedge).
 */
#ifndef WEDGE_RT_H
#define WEDGE_RT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WEDGE_KERNEL_MAP 0xffffffff80000000ull
#define WEDGE_HOME 0xffffffffffe00000ull
#define WEDGE_LOW (WEDGE_HOME - WEDGE_KERNEL_MAP)
#define WEDGE_SIZE 0x200000ull
#define WEDGE_WINDOWS 3
#define WEDGE_WINDOW (WEDGE_HOME + WEDGE_SIZE - WEDGE_WINDOWS * 0x1000ull)

/* Is addr inside the wedge's low alias (so its caller runs at the physical alias)? */
static inline bool wedge_at_low(uint64_t addr)
{
	return addr - WEDGE_LOW < WEDGE_SIZE;
}

/*
 * The guest's registers at a hooked site, as the entry stub (rt/entry.S)
 * saved them; a hook may change them, the stub restores them.
 *
 *   offset  field        offset  field
 *   0x00    r15          0x48    rsi
 *   0x08    r14          0x50    rbp
 *   0x10    r13          0x58    rbx
 *   0x18    r12          0x60    rdx
 *   0x20    r11          0x68    rcx
 *   0x28    r10          0x70    rax
 *   0x30    r9           0x78    rflags (the guest's)
 *   0x38    r8           0x80    return address into the thunk
 *   0x40    rdi          0x88    hook number
 */
struct wedge_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rdi, rsi, rbp, rbx, rdx, rcx, rax;
	uint64_t rflags, thunk_ret, hook;
};

/* General register n (0 = rax .. 15 = r15, the encoding order). */
uint64_t *wedge_regs_gpr(struct wedge_regs *r, unsigned n);

typedef void wedge_hook_fn(struct wedge_regs *regs, void *arg);

/* ---- Thunks: per-site code the wedge generates at patch time ---------- */

/* n bytes of executable wedge memory; panics when the arena is full. */
uint8_t *wedge_thunk_alloc(unsigned n);

/* Emitters: write at p, return the bytes written. */
unsigned wedge_emit_count(uint8_t *p, uint64_t *counter);   /* ++*counter, flags kept */
unsigned wedge_emit_hook(uint8_t *p, wedge_hook_fn *fn, void *arg); /* all saved, fn(regs, arg) */
unsigned wedge_emit_ret(uint8_t *p);

/*
 * For a thunk entered by `jmp` from a site where the stack must not be
 * touched (wedge_site_jmp, core/stack.c): ++*counter with neither the stack
 * nor a flag, the guest's %rax parked in *scratch meanwhile (one scratch
 * per site: the site must not run again, from an interrupt or NMI, before
 * the thunk is done); and the `jmp` back.  wedge_emit_jmp returns 0 when
 * target is out of rel32 reach.
 */
unsigned wedge_emit_count_nostack(uint8_t *p, uint64_t *counter, uint64_t *scratch);
unsigned wedge_emit_jmp(uint8_t *p, uint64_t target);

/* The registers of the hooked site being served now, or NULL outside a hook. */
const struct wedge_regs *wedge_hook_regs(void);

/*
 * A mov to %cr3 must be hooked (before it runs) by every backend that
 * calls into the wedge: wedge_hook_cr3 keeps the wedge mapped in the new
 * tables.  wedge_site_loads_cr3 says whether insn is one and gives the
 * source register, the hook's argument.
 */
bool wedge_site_loads_cr3(const uint8_t *insn, unsigned len, unsigned *gpr);
void wedge_hook_cr3(struct wedge_regs *regs, void *gpr);

/* ---- Paging --------------------------------------------------------- */

/*
 * Map the wedge into the tables at cr3, before they load: at WEDGE_HOME,
 * and at WEDGE_LOW too when the hooked site being served runs at the
 * physical alias (its return address is in the low alias) or with
 * wedge.low_alias=always.  Cheap when the tables already have the wedge.
 */
void wedge_map_into(uint64_t cr3);
/* wedge.low_alias= (NULL or "auto": as above; "always": every table). */
void wedge_paging_configure(const char *low_alias);

/* ---- Console, options, exit ------------------------------------------ */

void wedge_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void wedge_vprintf(const char *fmt, va_list ap);
__attribute__((noreturn, format(printf, 1, 2))) void wedge_panic(const char *fmt, ...);

/* The value of "wedge.NAME=value" on the command line, or NULL. */
const char *wedge_option(const char *name);
/* The platform's exit port (isa-debug-exit on bare: 0xf4). */
uint16_t wedge_exit_port(void);

void *wedge_memcpy(void *dst, const void *src, size_t n);
void *wedge_memset(void *dst, int c, size_t n);
size_t wedge_strlen(const char *s);
int wedge_strcmp(const char *a, const char *b);

#endif
