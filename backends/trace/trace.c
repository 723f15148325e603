/*
 * The trace backend: native behaviour, plus a count of every execution of
 * every site, dumped when the guest writes to the platform's exit port
 * (the profiling mode of the original Afterburner).  The worked example of
 * docs/adding-a-backend.md.
 *
 * Each site keeps its instruction in place and gets a `call` to its own
 * thunk (core/place.c decides before or after the instruction):
 *
 *   thunk:  <++count, flags kept>          wedge_emit_count
 *           [push $n; call wedge_entry]     only for an out that may hit the exit
 *                                           port (the dump) and a mov to %cr3 (keep
 *                                           the wedge mapped in the new tables)
 *           ret
 *
 * so the guest sees its own instructions, at their own addresses, with
 * their own interrupt shadows; only the stack below %rsp is touched.
 */
#include "afterburn/abi.h"
#include "afterburn/kind.h"
#include "wedge/backend.h"
#include "wedge/sites.h"
#include "wedge/insn.h"
#include "wedge/rt.h"

#define TRACE_SITES_MAX 8192
#define TRACE_THUNK_MAX 48

struct trace_site {
	uint64_t count;
	uint64_t addr;   /* the instruction's address (its record's) */
	uint8_t kind;
	uint8_t insn_len;
	uint8_t insn[15];
};

static struct trace_site table[TRACE_SITES_MAX];
static size_t ntable;
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
	for (unsigned k = 1; k < AB_K_COUNT; k++)
		wedge_printf("TRACE: %s %lu\n", ab_kind_name(k), per_kind[k]);
	for (size_t i = 0; i < ntable; i++)
		if (table[i].count)
			wedge_printf("TRACE-SITE: %#lx %s %lu\n", table[i].addr,
				     ab_kind_name(table[i].kind), table[i].count);
	wedge_printf("TRACE-END\n");
}

/* Before an out: dump when it is the exit (the guest stops right after). */
static void trace_hook_out(struct wedge_regs *regs, void *arg)
{
	const struct trace_site *t = arg;
	uint16_t port;
	int imm = wedge_insn_port_imm(t->insn, t->insn_len, &port);
	if (imm == 0)
		port = (uint16_t)regs->rdx;
	if (imm >= 0 && port == wedge_exit_port() && !dumped) {
		dumped = 1;
		trace_dump();
	}
}

/* An out whose port is %dx, or the exit port as an immediate. */
static int may_reach_exit_port(const struct trace_site *t)
{
	uint16_t port;
	if (t->kind != AB_K_OUT && t->kind != AB_K_OUTS)
		return 0;
	return wedge_insn_port_imm(t->insn, t->insn_len, &port) == 0 || port == wedge_exit_port();
}

static uint8_t *trace_thunk(struct trace_site *t, int *before)
{
	uint8_t *thunk = wedge_thunk_alloc(TRACE_THUNK_MAX), *p = thunk;
	unsigned gpr;

	p += wedge_emit_count(p, &t->count);
	*before = 0;
	if (may_reach_exit_port(t)) {
		p += wedge_emit_hook(p, trace_hook_out, t);
		*before = 1;
	} else if (wedge_site_loads_cr3(t->insn, t->insn_len, &gpr)) {
		p += wedge_emit_hook(p, wedge_hook_cr3, (void *)(uintptr_t)gpr);
		*before = 1;
	}
	wedge_emit_ret(p);
	return thunk;
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
