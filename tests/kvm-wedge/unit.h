/*
 * Host tests of the kvm backend's wedge side (backends/kvm/): the real
 * machine (backends/kvm/platform.c) is replaced by fakes, the monitor by a
 * model of its side of the shared-page protocol (abi.h, struct ab_shared).
 */
#ifndef KVM_WEDGE_UNIT_H
#define KVM_WEDGE_UNIT_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../backends/kvm/kvm.h"

#include "../unit/harness.h"

/* ---- fake.c: the machine ---------------------------------------------- */

#define FAKE_TSC_KHZ 2000000ull /* 2 GHz: 2 ticks per ns */

struct fake_machine {
	uint64_t tsc;
	unsigned kicks, hellos;
	char console[8192];
	size_t console_len;
	unsigned console_calls;
	uint16_t out_port[64];     /* kvm_real_out calls */
	uint32_t out_val[64];
	unsigned nout;
	size_t console_len_at_out; /* console bytes written before the first real out */
	/* the last hook kvm_call_hook was asked to place */
	wedge_hook_fn *hook;
	void *hook_arg;
	bool hook_keeps_insn;
	/* the disk behind AB_HC_DISK: set disk_sectors before fake_reset */
	uint64_t disk_sectors;
	uint8_t disk[64 * 512];
	unsigned disk_calls;
	bool halted;               /* kvm_halt_forever was reached */
	uint32_t mode;             /* what HELLO answers (0: AB_MODE_PREVIRT) */
	/* wedge_panic */
	bool panic_armed;
	jmp_buf panic_jmp;
	char panic_msg[256];
};

extern struct fake_machine fake;

/* Fresh machine, fresh backend state (kvm, its devices and shared page). */
void fake_reset(void);
/* A checked site of `kind` holding insn (len bytes) + 5 NOPs. */
struct wedge_site fake_site(unsigned kind, const uint8_t *insn, unsigned len, uint8_t *buf);
/* Patch s with fn and run its hook once on regs, as the guest reaching it would. */
bool fake_run_site(unsigned (*patch)(const struct wedge_site *, uint8_t *),
		   const struct wedge_site *s, struct wedge_regs *regs);
/* Run what the hook of the last patched site does. */
void fake_call_hook(struct wedge_regs *regs);

/* ---- monitor.c: the monitor's side of the protocol --------------------- */

struct fake_monitor {
	uint64_t armed;
	unsigned injections;
	int last_vector;
	int vectors[64];           /* the first 64 injected */
	bool window_requested;
};

/* One exit at guest TSC fake.tsc with RFLAGS.IF = if_flag: true if it injected. */
bool monitor_exit(struct fake_monitor *m, bool if_flag);

void suite_protocol(void);
void suite_pio(void);
void suite_cpuid(void);
void suite_disk(void);
void suite_splitcore(void);

#endif
