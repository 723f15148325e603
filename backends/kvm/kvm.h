/*
 * The kvm backend (wedge side): the guest runs in ring 0 under a
 * hardware-assisted KVM with our monitor (`previrt run --mode previrt`,
 * backends/kvm/monitor/) as its VMM.  Cheap instructions stay native;
 * what would exit is served in place:
 *
 *   site                     becomes                  served by
 *   +------------------------+------------------------+---------------------------+
 *   | in out ins outs        | call -> hook           | the wedge's devices (pio.c)|
 *   | cpuid                  | call -> hook           | the CPUID cache (cpuid.c)  |
 *   | mov to %cr3            | call, then the insn    | wedge_hook_cr3 (stay mapped)|
 *   | mov to %cr4            | the insn, then call    | the cache's OSXSAVE/OSPKE  |
 *   | everything else        | itself (native)        | the CPU, or KVM            |
 *   +------------------------+------------------------+---------------------------+
 *
 * rdmsr/wrmsr stay native although most exit: Linux's rdmsr_safe finds
 * its fault fixup by the instruction's own address, so a wedge that ran
 * the real instruction from its own code would turn a #GP into an oops.
 *
 * Host services go through hypercalls (include/afterburn/abi.h); the
 * interrupt protocol with the monitor lives in irq.c.
 */
#ifndef BACKENDS_KVM_H
#define BACKENDS_KVM_H

#include <stdbool.h>
#include <stdint.h>

#include "afterburn/abi.h"
#include "wedge/backend.h"
#include "wedge/devices.h"
#include "wedge/rt.h"
#include "wedge/sites.h"
#include "wedge/vcpu.h"

/* What the monitor said at HELLO, and the wedge's state for this guest. */
struct kvm_state {
	struct ab_shared *shared;
	uint32_t mode;              /* enum ab_mode; AB_MODE_FULL (0) until HELLO */
	bool ring_expected;         /* splitcore's probe said so: console lines wait for the ring */
	uint64_t tsc_khz, tsc_hello, wallclock_sec;
	uint64_t disk_sectors;      /* 0: no disk */
	bool disk_read_only;
	struct wedge_devices devs;
	struct wedge_vcpu vcpu;     /* the CPUID cache and CR4 */
	volatile uint32_t *due;     /* what safe points check (safepoint.c) */
	uint32_t local_due;         /* previrt: an interrupt of ours waits for IF=1 */
	uint64_t native_altrepl;    /* sites left native: in a replacement section */
	uint64_t native_user_stack; /* sites left native: on the user's stack */
	uint64_t patched[AB_K_COUNT];
	uint64_t disk_calls;
	/* splitcore */
	uint64_t ring_posts, ring_errors, ring_full_spins, ring_wait_spins;
	uint64_t safepoint_calls, delivered;
};

extern struct kvm_state kvm;

/* platform.c: the real machine (host tests replace this file). */
uint64_t kvm_phys(const void *wedge_ptr);
int32_t kvm_hypercall(enum ab_hc_nr nr, void *block);
uint64_t kvm_rdtsc(void);
__attribute__((noreturn)) void kvm_halt_forever(void);
void kvm_real_out(uint16_t port, unsigned size, uint32_t v);
void kvm_real_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf, uint32_t out[4]);
uint64_t kvm_real_cr4(void);

/* host.c: what the guest needs from the host, by mode. */
void kvm_console_line(const char *buf, size_t len);
/* After a splitcore HELLO: the lines kept since the probe go to the ring. */
void kvm_console_ring_started(void);
int kvm_host_disk(enum ab_disk_op op, uint64_t lba, unsigned count, const void *buf);
void kvm_host_stop(uint16_t port, unsigned size, uint32_t v);
void kvm_kick(void);

/* ring.c: splitcore's requests. */
uint64_t kvm_ring_phys(void);
void kvm_ring_console(const char *buf, size_t len);
int kvm_ring_disk(uint32_t op, uint64_t lba, unsigned count, const void *buf);
__attribute__((noreturn)) void kvm_ring_exit(int32_t status);

/* safepoint.c: splitcore's own interrupt delivery. */
void kvm_safepoint_init(void);
bool kvm_deliver(struct wedge_regs *r, bool guest_if);
unsigned kvm_patch_safepoint(const struct wedge_site *s, uint8_t *out);

/* clock.c: the guest TSC against the monitor's tsc_khz. */
uint64_t kvm_ns_of_tsc(uint64_t tsc);
uint64_t kvm_tsc_of_ns(uint64_t ns);
uint64_t kvm_monotonic_ns(void *ctx);
uint64_t kvm_wall_clock(void *ctx);

/* irq.c: the shared-page protocol. */
void kvm_irq_init(void);
void kvm_irq_sync(void);
/* force: the guest wrote to the PIC or the PIT. */
void kvm_irq_publish(bool force);

/* disk.c: the ATA model's backing store, sectors = 0: no disk. */
void kvm_disk_init(uint64_t sectors, bool read_only);

/* pio.c */
unsigned kvm_patch_pio(const struct wedge_site *s, uint8_t *out);

/* cpuid.c */
void kvm_cpuid_init(void);
unsigned kvm_patch_cpuid(const struct wedge_site *s, uint8_t *out);
unsigned kvm_patch_cr4(const struct wedge_site *s, uint8_t *out);

/* kvm.c: a site given a call to a thunk, or to a new hook thunk (0: no room, or out of reach). */
unsigned kvm_call_thunk(const struct wedge_site *s, uint8_t *out, const uint8_t *thunk,
			bool keep_insn, enum wedge_call_at at);
unsigned kvm_call_hook(const struct wedge_site *s, uint8_t *out, wedge_hook_fn *fn, void *arg,
		       bool keep_insn, enum wedge_call_at at);

#endif
