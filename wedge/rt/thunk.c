/*
 * Thunks: the code a site's `call` reaches, written by the wedge at patch
 * time into an arena inside its own 2 MiB (so reachable by rel32 from the
 * kernel's text at either address, wedge/rt.h).  Emitters write machine
 * code directly; each says which flags and registers it leaves alone.
 */
#include "wedge/rt.h"

#define THUNK_ARENA (640 * 1024)
#define HOOKS_MAX 8192

static uint8_t arena[THUNK_ARENA] __attribute__((aligned(64)));
static size_t arena_used;

static struct {
	wedge_hook_fn *fn;
	void *arg;
} hooks[HOOKS_MAX];
static unsigned nhooks;

extern void wedge_entry(void);

uint8_t *wedge_thunk_alloc(unsigned n)
{
	n = (n + 15) & ~15u; /* thunks start 16-aligned, like functions */
	if (n > THUNK_ARENA - arena_used)
		wedge_panic("thunk arena full (%u KiB): too many sites for this wedge",
			    THUNK_ARENA / 1024);
	uint8_t *p = arena + arena_used;
	arena_used += n;
	return p;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* rel32 from the end of an instruction ending at `end` to target. */
static uint32_t rel32(const uint8_t *end, const void *target)
{
	return (uint32_t)((uint64_t)(uintptr_t)target - (uint64_t)(uintptr_t)end);
}

/*
 * ++*counter with every flag kept: inc/add would change the arithmetic
 * flags a following pushf or jcc sees.  Uses 8 bytes below %rsp, as an
 * interrupt would.
 *
 *   50                   push %rax
 *   48 8b 05 <rel32>     mov  counter(%rip), %rax
 *   48 8d 40 01          lea  1(%rax), %rax
 *   48 89 05 <rel32>     mov  %rax, counter(%rip)
 *   58                   pop  %rax
 */
unsigned wedge_emit_count(uint8_t *p, uint64_t *counter)
{
	static const uint8_t code[20] = { 0x50, 0x48, 0x8b, 0x05, 0, 0, 0, 0, 0x48, 0x8d,
					  0x40, 0x01, 0x48, 0x89, 0x05, 0, 0, 0, 0, 0x58 };
	wedge_memcpy(p, code, sizeof(code));
	put32(p + 4, rel32(p + 8, counter));
	put32(p + 15, rel32(p + 19, counter));
	return sizeof(code);
}

/*
 *   68 <imm32>           push $hook
 *   e8 <rel32>           call wedge_entry     (rt/entry.S: saves all, fn(regs, arg))
 *   48 8d 64 24 08       lea  8(%rsp), %rsp   (drop the hook number, flags kept)
 */
unsigned wedge_emit_hook(uint8_t *p, wedge_hook_fn *fn, void *arg)
{
	if (nhooks == HOOKS_MAX)
		wedge_panic("more than %u hooked sites", HOOKS_MAX);
	hooks[nhooks].fn = fn;
	hooks[nhooks].arg = arg;
	p[0] = 0x68;
	put32(p + 1, nhooks++);
	p[5] = 0xe8;
	put32(p + 6, rel32(p + 10, (const void *)wedge_entry));
	static const uint8_t drop[5] = { 0x48, 0x8d, 0x64, 0x24, 0x08 };
	wedge_memcpy(p + 10, drop, sizeof(drop));
	return 15;
}

unsigned wedge_emit_ret(uint8_t *p)
{
	p[0] = 0xc3;
	return 1;
}

/*
 * ++*counter for a thunk that must not touch the stack (rt.h): %rax parks
 * in the site's own scratch word, mov and lea leave every flag alone.
 *
 *   48 89 05 <rel32>     mov  %rax, scratch(%rip)
 *   48 8b 05 <rel32>     mov  counter(%rip), %rax
 *   48 8d 40 01          lea  1(%rax), %rax
 *   48 89 05 <rel32>     mov  %rax, counter(%rip)
 *   48 8b 05 <rel32>     mov  scratch(%rip), %rax
 */
unsigned wedge_emit_count_nostack(uint8_t *p, uint64_t *counter, uint64_t *scratch)
{
	static const uint8_t code[32] = { 0x48, 0x89, 0x05, 0, 0, 0, 0, 0x48, 0x8b, 0x05, 0, 0,
					  0, 0, 0x48, 0x8d, 0x40, 0x01, 0x48, 0x89, 0x05, 0, 0, 0,
					  0, 0x48, 0x8b, 0x05, 0, 0, 0, 0 };
	wedge_memcpy(p, code, sizeof(code));
	put32(p + 3, rel32(p + 7, scratch));
	put32(p + 10, rel32(p + 14, counter));
	put32(p + 21, rel32(p + 25, counter));
	put32(p + 28, rel32(p + 32, scratch));
	return sizeof(code);
}

/*   e9 <rel32>           jmp target   (into the guest: the way back from the thunk) */
unsigned wedge_emit_jmp(uint8_t *p, uint64_t target)
{
	int64_t rel = (int64_t)(target - ((uint64_t)(uintptr_t)p + 5));
	if (rel != (int32_t)rel)
		return 0;
	p[0] = 0xe9;
	put32(p + 1, (uint32_t)rel);
	return 5;
}

/* The hooked site being served: nested entries (an NMI's) restore the outer one. */
static const struct wedge_regs *serving;

const struct wedge_regs *wedge_hook_regs(void)
{
	return serving;
}

void wedge_dispatch(struct wedge_regs *regs);

void wedge_dispatch(struct wedge_regs *regs)
{
	if (regs->hook >= nhooks)
		wedge_panic("entry with hook %lu of %u (thunk return %#lx)", regs->hook, nhooks,
			    regs->thunk_ret);
	const struct wedge_regs *outer = serving;
	serving = regs;
	hooks[regs->hook].fn(regs, hooks[regs->hook].arg);
	serving = outer;
}
