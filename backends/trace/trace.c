/*
 * The trace backend: native behaviour, plus a count of every execution of
 * every site, dumped when the guest stops the machine (the profiling mode
 * of the original Afterburner).  The worked example of
 * docs/adding-a-backend.md.
 *
 * Each site keeps its instruction in place and gets a `call` to its own
 * thunk (core/place.c decides before or after the instruction):
 *
 *   thunk:  <++count, flags kept>          wedge_emit_count
 *           [push $n; call wedge_entry]     only for an out that may stop the
 *                                           machine (the dump) and a mov to %cr3
 *                                           (keep the wedge mapped in the new tables)
 *           ret
 *
 * so the guest sees its own instructions, at their own addresses, with
 * their own interrupt shadows; only the stack below %rsp is touched.
 *
 * Two kinds of site get something else:
 *   - on the user's stack (site->user_stack: Linux's syscall entry and its
 *     way out to sysret), where nothing may be pushed: a `jmp` to a thunk
 *     that counts without the stack and jumps back;
 *   - in replacement code the guest copies elsewhere (AB_F_ALTREPL), where
 *     no rel32 may go: left native and reported as uncounted.
 */
#include "afterburn/abi.h"
#include "afterburn/kind.h"
#include "wedge/backend.h"
#include "wedge/sites.h"
#include "wedge/insn.h"
#include "wedge/rt.h"

#define TRACE_SITES_MAX 8192
#define TRACE_THUNK_MAX 48

/* How the PC stops: the 8042's pulse-reset command, the reset control register. */
#define KBC_PORT 0x64
#define KBC_RESET 0xfe
#define RESET_CTRL_PORT 0xcf9
#define RESET_CTRL_RST 0x04

struct trace_site {
	uint64_t count;
	uint64_t scratch; /* the guest's %rax while a stack-free thunk counts */
	uint64_t addr;    /* the instruction's address (its record's) */
	uint8_t kind;
	uint8_t insn_len;
	uint8_t insn[15];
};

static struct trace_site table[TRACE_SITES_MAX];
static size_t ntable, nuser_stack, naltrepl;
static int dumped;

static int trace_probe(void)
{
	return 0; /* only on request: wedge.backend=trace */
}

static void trace_dump(void)
{
	uint64_t per_kind[AB_K_COUNT] = { 0 };
	uint64_t executed = 0;
	for (size_t i = 0; i < ntable; i++) {
		per_kind[table[i].kind] += table[i].count;
		executed += table[i].count != 0;
	}
	wedge_printf("TRACE-BEGIN %lu sites, %lu executed\n", (uint64_t)ntable, executed);
	wedge_printf("TRACE-NOTE: %lu sites on the user's stack counted without it; %lu sites "
		     "of replacement code not counted\n", (uint64_t)nuser_stack, (uint64_t)naltrepl);
	for (unsigned k = 1; k < AB_K_COUNT; k++)
		wedge_printf("TRACE: %s %lu\n", ab_kind_name(k), per_kind[k]);
	for (size_t i = 0; i < ntable; i++)
		if (table[i].count)
			wedge_printf("TRACE-SITE: %#lx %s %lu\n", table[i].addr,
				     ab_kind_name(table[i].kind), table[i].count);
	wedge_printf("TRACE-END\n");
}

/* Does this write stop the machine?  The exit port, or a PC reset. */
static int stops_machine(const struct trace_site *t, uint16_t port, uint32_t value)
{
	if (port == wedge_exit_port())
		return 1;
	if (t->kind != AB_K_OUT)
		return 0;
	return (port == KBC_PORT && (uint8_t)value == KBC_RESET) ||
	       (port == RESET_CTRL_PORT && (value & RESET_CTRL_RST));
}

/* Before an out: dump when it stops the machine (the guest is gone right after). */
static void trace_hook_out(struct wedge_regs *regs, void *arg)
{
	const struct trace_site *t = arg;
	uint16_t port;
	int imm = wedge_insn_port_imm(t->insn, t->insn_len, &port);
	if (imm == 0)
		port = (uint16_t)regs->rdx;
	if (imm >= 0 && !dumped && stops_machine(t, port, (uint32_t)regs->rax)) {
		dumped = 1;
		trace_dump();
	}
}

/* An out whose port is %dx, or one of the ports that stop the machine. */
static int may_stop_machine(const struct trace_site *t)
{
	uint16_t port;
	if (t->kind != AB_K_OUT && t->kind != AB_K_OUTS)
		return 0;
	if (wedge_insn_port_imm(t->insn, t->insn_len, &port) == 0)
		return 1;
	return port == wedge_exit_port() || port == KBC_PORT || port == RESET_CTRL_PORT;
}

static uint8_t *trace_thunk(struct trace_site *t, int *before)
{
	uint8_t *thunk = wedge_thunk_alloc(TRACE_THUNK_MAX), *p = thunk;
	unsigned gpr;

	p += wedge_emit_count(p, &t->count);
	*before = 0;
	if (may_stop_machine(t)) {
		p += wedge_emit_hook(p, trace_hook_out, t);
		*before = 1;
	} else if (wedge_site_loads_cr3(t->insn, t->insn_len, &gpr)) {
		p += wedge_emit_hook(p, wedge_hook_cr3, (void *)(uintptr_t)gpr);
		*before = 1;
	}
	wedge_emit_ret(p);
	return thunk;
}

/* On the user's stack: jmp to a thunk that counts without the stack, jmp back. */
static unsigned patch_stackless(const struct wedge_site *s, struct trace_site *t, uint8_t *out)
{
	unsigned gpr;
	if (may_stop_machine(t) || wedge_site_loads_cr3(t->insn, t->insn_len, &gpr)) {
		wedge_bad_site(s, WEDGE_SITE_USER_STACK); /* would need the entry stub's stack */
		return 0;
	}
	uint8_t *thunk = wedge_thunk_alloc(TRACE_THUNK_MAX);
	unsigned k = wedge_emit_count_nostack(thunk, &t->count, &t->scratch);
	uint64_t resume;
	unsigned n = wedge_site_jmp(s, out, (uint64_t)(uintptr_t)thunk, wedge_call_placement(s),
				    &resume);
	if (!n || !wedge_emit_jmp(thunk + k, resume)) {
		wedge_bad_site(s, WEDGE_SITE_TOO_SHORT);
		return 0;
	}
	nuser_stack++;
	return n;
}

static unsigned native(const struct wedge_site *s, uint8_t *out)
{
	wedge_memcpy(out, s->bytes, s->len);
	return s->len;
}

static unsigned trace_patch(const struct wedge_site *s, uint8_t *out)
{
	if (ntable == TRACE_SITES_MAX)
		wedge_panic("trace: more than %u sites", TRACE_SITES_MAX);
	struct trace_site *t = &table[ntable++];
	t->addr = s->addr + s->insn_off;
	t->kind = (uint8_t)s->kind;
	t->insn_len = (uint8_t)s->insn_len;
	wedge_memcpy(t->insn, s->bytes + s->insn_off, s->insn_len);

	if (s->flags & AB_F_ALTREPL) {
		naltrepl++; /* the guest copies these bytes elsewhere: no rel32 (abi.h) */
		return native(s, out);
	}
	if (s->user_stack)
		return patch_stackless(s, t, out);
	int before;
	uint8_t *thunk = trace_thunk(t, &before);
	enum wedge_call_at at = before ? WEDGE_CALL_BEFORE : wedge_call_placement(s);
	unsigned n = wedge_site_call(s, out, (uint64_t)(uintptr_t)thunk, at);
	if (!n)
		wedge_bad_site(s, WEDGE_SITE_TOO_SHORT);
	return n;
}

WEDGE_BACKEND(trace_backend) = {
	.name = "trace",
	.probe = trace_probe,
	.patch = trace_patch,
};
