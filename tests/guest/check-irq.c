/* Interrupt flag, the timer through the PIC, hlt. */
#include "guest.h"

#define IF_BIT 0x200
#define PIT_DIVISOR 1193 /* ~1 kHz */
#define MAX_POLLS 10000000u

void check_irqflags(void)
{
	uint64_t saved = read_flags();

	cli();
	report(!(read_flags() & IF_BIT), "pushf after cli shows IF=0");
	sti();
	report(read_flags() & IF_BIT, "pushf after sti shows IF=1");
	uint64_t on = read_flags();
	cli();
	write_flags(on);
	report(read_flags() & IF_BIT, "popf restores IF=1");
	uint64_t off = read_flags() & ~(uint64_t)IF_BIT;
	write_flags(off);
	report(!(read_flags() & IF_BIT), "popf restores IF=0");
	write_flags(saved);
}

/* Wait with IF=1 until the tick count passes `ticks` (bounded). */
static bool wait_ticks(uint64_t ticks)
{
	for (unsigned i = 0; i < 1000 && timer_ticks < ticks; i++)
		sti_hlt();
	cli();
	return timer_ticks >= ticks;
}

void check_timer(void)
{
	unsigned polls = 0;
	uint8_t irr = 0;

	cli();
	timer_ticks = 0;
	pit_start(PIT_DIVISOR);
	pic_mask(0xfffe); /* IRQ0 only */
	/* IF=0: IRQ0 becomes pending in the PIC, and is not delivered. */
	while (polls++ < MAX_POLLS && !((irr = pic_read_irr()) & 1))
		;
	report(irr & 1, "IRQ0 pending in the PIC's IRR while IF=0 (%u polls)", polls);
	report(timer_ticks == 0, "no tick delivered while IF=0 (%lu)", timer_ticks);

	timer_first_rip = 0;
	uint64_t resume = sti_hlt_resume();
	cli();
	uint64_t first = timer_ticks;
	report(first >= 1, "sti + hlt: the pending tick arrives (%lu)", first);
	/* The shadow of sti covers hlt: the tick wakes the hlt (and is taken
	 * after it), it does not run before the hlt, which would then sleep. */
	report(timer_first_rip == resume, "sti + hlt: the tick woke the hlt: sti's interrupt "
	       "shadow kept (rip %#lx, after hlt %#lx)", timer_first_rip, resume);
	report(!(pic_read_isr() & 1), "the handler's EOI cleared IRQ0 in the ISR");
	/* Without that EOI the PIC would hold IRQ0 back forever. */
	bool more = wait_ticks(first + 1);
	report(more, "after the EOI a further tick arrives (%lu -> %lu)", first, timer_ticks);
	report(other_irqs == 0, "no other IRQ (%lu, spurious %lu)", other_irqs, spurious_irqs);
	pic_mask(0xffff);
}

void check_hlt(void)
{
	uint64_t t0, tsc0, tsc1;

	cli();
	pic_mask(0xfffe);
	t0 = timer_ticks;
	tsc0 = rdtsc();
	sti_hlt();
	cli();
	tsc1 = rdtsc();
	report(timer_ticks > t0, "hlt woken by the timer (tick %lu -> %lu)", t0, timer_ticks);
	t0 = timer_ticks;
	bool five = wait_ticks(t0 + 5);
	report(five, "5 more ticks through sti + hlt (%lu)", timer_ticks - t0);
	report(tsc1 > tsc0, "time passed in hlt (%lu TSC cycles)", tsc1 - tsc0);
	pic_mask(0xffff);
}
