/*
 * native-call: a measuring instrument, not a platform.  Native behaviour,
 * but every site also calls through the wedge's full mechanism (the entry
 * stub saving every register and the flags, a C hook that does nothing)
 * next to its instruction: `make bench` compares it with the instruction
 * alone to price the call path a hypervisor backend's handlers sit behind.
 */
#include "afterburn/abi.h"
#include "wedge/backend.h"
#include "wedge/sites.h"
#include "wedge/rt.h"

#define CALLPATH_THUNK_MAX 32

static int callpath_probe(void)
{
	return 0; /* only on request: wedge.backend=native-call */
}

static void callpath_nothing(struct wedge_regs *regs, void *arg)
{
	(void)regs;
	(void)arg;
}

/*
 * Sites where a call cannot go stay native: on the user's stack (the entry
 * stub pushes) and in replacement code the guest copies (no rel32 there).
 * The instrument then does not price them, which the benchmarks never ask.
 */
static unsigned callpath_native(const struct wedge_site *s, uint8_t *out)
{
	wedge_memcpy(out, s->bytes, s->len);
	return s->len;
}

static unsigned callpath_patch(const struct wedge_site *s, uint8_t *out)
{
	if (s->user_stack || (s->flags & AB_F_ALTREPL))
		return callpath_native(s, out);
	uint8_t *thunk = wedge_thunk_alloc(CALLPATH_THUNK_MAX), *p = thunk;
	const uint8_t *insn = s->bytes + s->insn_off;
	enum wedge_call_at at = wedge_call_placement(s);
	unsigned gpr;

	if (wedge_site_loads_cr3(insn, s->insn_len, &gpr)) {
		p += wedge_emit_hook(p, wedge_hook_cr3, (void *)(uintptr_t)gpr);
		at = WEDGE_CALL_BEFORE;
	} else {
		p += wedge_emit_hook(p, callpath_nothing, 0);
	}
	wedge_emit_ret(p);
	unsigned n = wedge_site_call(s, out, (uint64_t)(uintptr_t)thunk, at);
	if (!n)
		wedge_bad_site(s, WEDGE_SITE_TOO_SHORT);
	return n;
}

WEDGE_BACKEND(callpath_backend) = {
	.name = "native-call",
	.probe = callpath_probe,
	.patch = callpath_patch,
};
