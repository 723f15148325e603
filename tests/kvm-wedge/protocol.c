/*
 * The interrupt protocol between the wedge's PIC/PIT and the monitor
 * (abi.h, struct ab_shared), driven the way Linux drives an 8259A and an
 * 8254 in periodic mode, against the model of the monitor in monitor.c.
 */
#include <string.h>

#include "unit.h"

#define TSC_PER_MS (FAKE_TSC_KHZ)
#define MASTER_VECTOR 0x30

struct site_hook {
	wedge_hook_fn *fn;
	void *arg;
};

static struct site_hook out_dx, in_dx;
static uint8_t site_bytes[2][16];

static struct site_hook hook_of(unsigned kind, uint8_t opcode, uint8_t *buf)
{
	uint8_t out[64];
	struct wedge_site s = fake_site(kind, &opcode, 1, buf);
	wedge_backend_find("kvm")->patch(&s, out);
	return (struct site_hook){ fake.hook, fake.hook_arg };
}

/* Fresh backend, and the two port sites (`out %al,%dx`, `in %dx,%al`). */
static void boot(void)
{
	fake_reset();
	out_dx = hook_of(AB_K_OUT, 0xee, site_bytes[0]);
	in_dx = hook_of(AB_K_IN, 0xec, site_bytes[1]);
}

/* The guest's port accesses run with IF=0 here (as in its interrupt
 * handlers): the wedge cannot deliver on their way out, the monitor must. */
static void outb(uint16_t port, uint8_t v)
{
	struct wedge_regs r = { .rdx = port, .rax = v, .rflags = 0x2 };
	out_dx.fn(&r, out_dx.arg);
}

static uint8_t inb(uint16_t port)
{
	struct wedge_regs r = { .rdx = port, .rflags = 0x2 };
	in_dx.fn(&r, in_dx.arg);
	return (uint8_t)r.rax;
}

/* Linux's init_8259A(0): remapped to 0x30/0x38, everything masked. */
static void init_8259a(void)
{
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	outb(0x20, 0x11);
	outb(0x21, MASTER_VECTOR);
	outb(0x21, 0x04);
	outb(0x21, 0x01);
	outb(0xa0, 0x11);
	outb(0xa1, 0x38);
	outb(0xa1, 0x02);
	outb(0xa1, 0x01);
	outb(0x21, 0xff);             /* ICW1 cleared the masks: restore them */
	outb(0xa1, 0xff);
}

static void pit_periodic(unsigned hz)
{
	unsigned latch = (WEDGE_PIT_HZ + hz / 2) / hz;
	outb(0x43, 0x34);
	outb(0x40, (uint8_t)latch);
	outb(0x40, (uint8_t)(latch >> 8));
}

/* Linux's handle_level_irq for IRQ0 on the 8259A: mask + specific EOI, unmask. */
static void timer_handler(uint8_t mask)
{
	outb(0x21, mask | 1);
	outb(0x20, 0x60);
	outb(0x21, mask);
}

/* Run the guest for ms milliseconds with IF = if_flag; returns interrupts taken. */
static unsigned run(struct fake_monitor *m, unsigned ms, bool if_flag, uint8_t mask)
{
	unsigned taken = 0;
	uint64_t end = fake.tsc + ms * TSC_PER_MS;
	for (; fake.tsc < end; fake.tsc += TSC_PER_MS / 50) {
		if (monitor_exit(m, if_flag)) {
			taken++;
			timer_handler(mask);
		}
	}
	return taken;
}

static bool all_vectors(const struct fake_monitor *m, int vector)
{
	for (unsigned i = 0; i < m->injections && i < 64; i++)
		if (m->vectors[i] != vector)
			return false;
	return true;
}

static void periodic_timer(void)
{
	struct fake_monitor m = { 0 };
	boot();
	init_8259a();
	outb(0x21, 0xfe);
	pit_periodic(250);
	report(kvm.shared->timer_vector == MASTER_VECTOR, "timer: IRQ0 would interrupt with 0x30 (%d)",
	       kvm.shared->timer_vector);
	report(kvm.shared->irq_vector == -1, "timer: nothing pending before the first tick");
	unsigned kicks_setup = fake.kicks;
	unsigned ticks = run(&m, 1000, true, 0xfe);
	report(ticks >= 249 && ticks <= 251, "timer: 250 Hz for 1 s gives %u ticks", ticks);
	report(all_vectors(&m, MASTER_VECTOR), "timer: every injection is vector 0x30");
	report(kvm.shared->acked == kvm.shared->injected, "timer: the wedge acknowledged all %u",
	       kvm.shared->injected);
	report(kicks_setup >= 1 && fake.kicks - kicks_setup == 0,
	       "timer: a kick when the PIT is programmed (%u), none per tick (%u in 1 s)",
	       kicks_setup, fake.kicks - kicks_setup);
}

static void interrupts_off(void)
{
	struct fake_monitor m = { 0 };
	boot();
	init_8259a();
	outb(0x21, 0xfe);
	pit_periodic(1000);
	unsigned off = run(&m, 20, false, 0xfe);
	report(off == 0, "if=0: no injection in 20 ms with IF=0 (%u)", off);
	report(m.window_requested, "if=0: the monitor asks for an interrupt window");
	unsigned first = 0;
	if (monitor_exit(&m, true)) {
		first = 1;
		timer_handler(0xfe);
	}
	report(first == 1, "if=0: one tick once IF=1");
	report(!monitor_exit(&m, true), "if=0: the 20 missed ticks coalesced into that one");
	unsigned after = run(&m, 10, true, 0xfe);
	report(after >= 9 && after <= 11, "if=0: then 1 kHz again (%u in 10 ms)", after);
}

static void masked_timer(void)
{
	struct fake_monitor m = { 0 };
	boot();
	init_8259a();
	pit_periodic(1000);
	report(kvm.shared->timer_vector == -1, "masked: IRQ0 masked, no timer vector");
	unsigned n = run(&m, 10, true, 0xff);
	report(n == 0, "masked: no injection while IRQ0 is masked (%u)", n);
	outb(0x21, 0xfe);
	report(kvm.shared->irq_vector == MASTER_VECTOR, "masked: unmasking shows the latched tick");
	report(monitor_exit(&m, true) && m.last_vector == MASTER_VECTOR, "masked: and it is injected");
}

/*
 * A tick that came while IRQ0 was in service, after the monitor's timer
 * fired and it disarmed (timer_vector -1 then: monitor/irq.c next_wake):
 * after the EOI it is pending with IF=0, and the handler's iretq (native)
 * may return to a loop that never exits.  The wedge kicks.
 */
static void tick_during_handler(void)
{
	struct fake_monitor m = { 0 };
	boot();
	init_8259a();
	outb(0x21, 0xfe);
	pit_periodic(1000);
	fake.tsc += 2 * TSC_PER_MS;
	report(monitor_exit(&m, true), "long handler: the first tick is injected");
	outb(0x21, 0xff);             /* the handler masks IRQ0: the wedge acks */
	fake.tsc += 3 * TSC_PER_MS;   /* and runs for three periods */
	kvm.shared->armed_deadline = 0;
	unsigned kicks = fake.kicks;
	outb(0x20, 0x60);
	outb(0x21, 0xfe);
	report(kvm.shared->irq_vector == MASTER_VECTOR && fake.kicks == kicks + 1,
	       "long handler: the tick pending at the unmask, no deadline armed: one kick (%u)",
	       fake.kicks - kicks);
	report(monitor_exit(&m, true) && m.last_vector == MASTER_VECTOR,
	       "long handler: and the monitor injects it");
}

/* The 8250's transmit interrupt, as Linux's serial driver uses it. */
static void uart_thre(void)
{
	struct fake_monitor m = { 0 };
	boot();
	init_8259a();
	outb(0x3fc, 0x08);            /* MCR: OUT2 gates the IRQ, as on a PC */
	outb(0x21, 0xef);             /* IRQ4 */
	unsigned kicks = fake.kicks;
	outb(0x3f9, 0x02);            /* IER: THRI */
	report(kvm.shared->irq_vector == MASTER_VECTOR + 4, "uart: THRI pending as 0x34 (%d)",
	       kvm.shared->irq_vector);
	report(fake.kicks == kicks + 1,
	       "uart: with no deadline armed, a kick: no exit would come by itself");
	outb(0x3f9, 0x00);
	outb(0x21, 0xee);             /* IRQ0 too, and the timer: the monitor is armed */
	pit_periodic(1000);
	monitor_exit(&m, false);
	kicks = fake.kicks;
	outb(0x3f9, 0x02);
	report(fake.kicks == kicks && kvm.local_due,
	       "uart: armed: no kick: due for the next safe point, or the monitor's next exit");
	report(monitor_exit(&m, true) && m.last_vector == MASTER_VECTOR + 4, "uart: injected");
	uint8_t iir = inb(0x3fa);
	report((iir & 0x0f) == 0x02, "uart: IIR says THRE (%#x)", iir);
	outb(0x3f8, 'x');
	outb(0x20, 0x20);             /* EOI */
	report(kvm.shared->irq_vector == MASTER_VECTOR + 4, "uart: THR written, THRE again");
	report(fake.kicks == kicks, "uart: still no kick");
	report(monitor_exit(&m, true) && m.injections == 2, "uart: second injection");
	(void)inb(0x3fa);
	outb(0x20, 0x20);
	struct wedge_regs r = { .rdx = 0x3f8, .rax = 'y', .rflags = 0x202 };
	out_dx.fn(&r, out_dx.arg);
	report(r.thunk_ret && kvm.delivered == 1 && kvm.shared->irq_vector == -1,
	       "uart: with IF=1 the wedge delivers THRE itself on the way out, no exit");
}

static void disagreement(void)
{
	boot();
	init_8259a();
	outb(0x21, 0xfe);
	pit_periodic(1000);
	kvm.shared->last_vector = 0x99;
	kvm.shared->injected++;
	fake.panic_armed = true;
	if (!setjmp(fake.panic_jmp)) {
		outb(0x80, 0);
		report(false, "wrong vector: the wedge did not notice");
	} else {
		report(strstr(fake.panic_msg, "injected vector 153") != 0,
		       "wrong vector: the wedge panics: %s", fake.panic_msg);
	}
	boot();
	kvm.shared->injected += 2;
	fake.panic_armed = true;
	if (!setjmp(fake.panic_jmp)) {
		outb(0x80, 0);
		report(false, "two injections: the wedge did not notice");
	} else {
		report(strstr(fake.panic_msg, "injected 2 interrupts, the wedge acknowledged 0") != 0,
		       "two injections: the wedge panics: %s", fake.panic_msg);
	}
}

static void console_lines(void)
{
	boot();
	for (const char *p = "hello\nbye"; *p; p++)
		outb(0x3f8, (uint8_t)*p);
	report(fake.console_calls == 1 && fake.console_len == 6 && !memcmp(fake.console, "hello\n", 6),
	       "console: one hypercall per line (%u calls, %zu bytes)", fake.console_calls,
	       fake.console_len);
	struct wedge_regs r = { .rdx = 0xf4, .rax = 0 };
	out_dx.fn(&r, out_dx.arg);
	report(fake.nout == 1 && fake.out_port[0] == 0xf4, "console: the exit port write reaches the host");
	report(fake.console_len_at_out == 9 && !memcmp(fake.console + 6, "bye", 3),
	       "console: the partial line is flushed before it (%zu bytes)", fake.console_len_at_out);
	outb(0x64, 0xfe);
	report(fake.nout == 2 && fake.out_port[1] == 0x64 && fake.out_val[1] == 0xfe,
	       "reset: 0xfe to port 0x64 reaches the host");
	report(inb(0x64) == 0 && fake.nout == 2, "i8042: status reads 0 in place");
	report(inb(0x2f8 + 7) == 0xff && fake.nout == 2, "an absent COM2 reads all ones in place");
}

void suite_protocol(void)
{
	fake_reset();
	report(fake.hellos == 1 && kvm.tsc_khz == FAKE_TSC_KHZ,
	       "hello: once, TSC %llu kHz", (unsigned long long)kvm.tsc_khz);
	periodic_timer();
	interrupts_off();
	masked_timer();
	tick_during_handler();
	uart_thre();
	disagreement();
	console_lines();
}
