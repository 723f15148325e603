/*
 * Safe points: places where the guest's IF is, or is about to be, 1 and
 * the wedge runs anyway, so that it can deliver a pending interrupt
 * itself instead of an exit and an injection (abi.h, "Interrupts under
 * AB_MODE_SPLITCORE"; under previrt the same for the interrupts its own
 * devices raise, e.g. the UART's THRE once Linux's serial driver has set
 * IER under its lock, with IF=0: delivered at the spin_unlock_irqrestore's
 * popf instead of a kick and an interrupt window, two exits).
 *
 *   site            patch                           IF after it
 *   +---------------+-------------------------------+--------------------+
 *   | sti           | call before it, fast check    | 1                  |
 *   |               | (not an sti right before hlt: | (the guest is about|
 *   |               | hlt must stay in its shadow)  |  to set it)        |
 *   | popf          | call after it, fast check     | the popped image's |
 *   | every hooked  | the hook's epilogue           | the guest's own    |
 *   | site (pio...) |                               |                    |
 *   +---------------+-------------------------------+--------------------+
 *
 * Delivery is `int $vector` through the guest's IDT, from a stub the
 * entry stub returns into instead of the thunk (the hook sets
 * regs->thunk_ret): the guest's registers and flags are already back, the
 * handler's iretq returns to the stub, which finishes the thunk's tail.
 * A breakpoint-free, exception-free way in: IRQ gates have DPL 0 and the
 * guest is in ring 0 at every site (sites on the user's stack stay
 * native).  hlt stays native: halting is where the guest waits, and the
 * monitor wakes it with an injection (counted).
 *
 * The fast check: the thunk looks at a `due` word without touching flags
 * (jrcxz), and enters the wedge only when it is set: the shared page's
 * under splitcore (the polling thread sets it while something waits,
 * timer ticks included), the wedge's own under previrt (set while its
 * devices have an interrupt pending that it could not deliver yet; the
 * timer stays the monitor's).
 */
#include "kvm.h"

/* int $v; lea 8(%rsp), %rsp; ret: the thunk's tail after wedge_entry. */
#define STUB_BYTES 8
static uint8_t *stubs;

void kvm_safepoint_init(void)
{
	kvm.due = kvm.mode == AB_MODE_SPLITCORE ? &kvm.shared->due : &kvm.local_due;
	stubs = wedge_thunk_alloc(256 * STUB_BYTES);
	for (unsigned v = 0; v < 256; v++) {
		uint8_t *p = stubs + v * STUB_BYTES;
		static const uint8_t tail[6] = { 0x48, 0x8d, 0x64, 0x24, 0x08, 0xc3 };
		p[0] = 0xcd;
		p[1] = (uint8_t)v;
		wedge_memcpy(p + 2, tail, sizeof(tail));
	}
}

bool kvm_deliver(struct wedge_regs *r, bool guest_if)
{
	if (!guest_if || wedge_pic_pending(&kvm.devs.pic) < 0)
		return false;
	int vector = wedge_pic_ack(&kvm.devs.pic);
	r->thunk_ret = (uint64_t)(uintptr_t)(stubs + (unsigned)vector * STUB_BYTES);
	kvm.delivered++;
	return true;
}

static void sti_hook(struct wedge_regs *r, void *arg)
{
	(void)arg;
	kvm.safepoint_calls++;
	kvm_irq_sync();
	if (kvm_deliver(r, true))
		r->rflags |= WEDGE_X86_RFLAGS_IF; /* as after the sti it precedes */
	kvm_irq_publish(false);
}

static void popf_hook(struct wedge_regs *r, void *arg)
{
	(void)arg;
	kvm.safepoint_calls++;
	kvm_irq_sync();
	kvm_deliver(r, r->rflags & WEDGE_X86_RFLAGS_IF);
	kvm_irq_publish(false);
}

/*
 *   51                   push %rcx
 *   0f b6 0d <rel32>     movzbl due(%rip), %ecx
 *   e3 03                jrcxz fast
 *   59                   pop %rcx
 *   eb 02                jmp slow
 *   fast: 59             pop %rcx
 *         c3             ret
 *   slow: <wedge_emit_hook> ret
 */
static uint8_t *fast_check_thunk(wedge_hook_fn *fn)
{
	uint8_t *t = wedge_thunk_alloc(32), *p = t;
	const volatile uint32_t *due = kvm.due;
	int32_t rel = (int32_t)((uint64_t)(uintptr_t)due - (uint64_t)(uintptr_t)(t + 8));
	static const uint8_t head[15] = { 0x51, 0x0f, 0xb6, 0x0d, 0, 0, 0, 0, 0xe3, 0x03,
					  0x59, 0xeb, 0x02, 0x59, 0xc3 };
	wedge_memcpy(p, head, sizeof(head));
	for (unsigned i = 0; i < 4; i++)
		p[4 + i] = (uint8_t)((uint32_t)rel >> (8 * i));
	p += sizeof(head);
	p += wedge_emit_hook(p, fn, 0);
	wedge_emit_ret(p);
	return t;
}

/* An sti whose next instruction is hlt (Linux's safe_halt). */
static bool sti_before_hlt(const struct wedge_site *s)
{
	return s->bytes[s->insn_off + s->insn_len] == 0xf4;
}

unsigned kvm_patch_safepoint(const struct wedge_site *s, uint8_t *out)
{
	if (s->kind == AB_K_STI && !sti_before_hlt(s))
		return kvm_call_thunk(s, out, fast_check_thunk(sti_hook), true, WEDGE_CALL_BEFORE);
	if (s->kind == AB_K_POPF)
		return kvm_call_thunk(s, out, fast_check_thunk(popf_hook), true, WEDGE_CALL_AFTER);
	return 0;
}
