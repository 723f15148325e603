/*
 * Bench mode: "bench" (or "bench=N") on the command line runs per-class
 * microbenchmarks of sensitive instructions after the normal set-up,
 * instead of the checks (docs/test-guest.md, "Bench mode";
 * bench/wedge-callpath.sh compares them across wedge backends).
 *
 * Each benchmark is a loop of N iterations (default BENCH_ITERS) around one
 * representative instruction through its insn.h wrapper, so the counter
 * increment comes with it, as everywhere in the guest.  The loop is timed
 * with rdtsc (fenced; not sensitive) BENCH_SAMPLES times after one
 * untimed warm-up run (TCG translates the code then).  The baseline is the
 * same loop with only a counter-like increment in it, measured the same
 * way, alone, before and after the benchmarks (the lower kept: on TCG a
 * loop's speed can depend on what ran next to it), so the difference is
 * the instruction itself, its NOP padding or whatever a backend put in its
 * place.  Everything is measured first, then printed, per benchmark:
 *
 *   BENCH: <class> <name> min <cycles> median <cycles>
 *
 * cycles per instruction (TSC ticks), one decimal: (min of the samples -
 * min of the baseline's) / (N * instructions per iteration), the same for
 * the medians.  Then BENCH-END, a PASS line and the usual end of a run
 * (COUNT table, summary, exit), with the interrupt flag as it was.
 */
#include "guest.h"
#include "afterburn/kind.h"

#define BENCH_SAMPLES 64
#define BENCH_ITERS 1024
#define BENCH_MAX_ITERS 65536

#define PORT_SYS_CTRL_B 0x61 /* PC system control port B (speaker, PIT gate 2) */
#define PORT_POST 0x80       /* POST code: the classic I/O delay port */
#define PORT_UART_LSR 0x3fd  /* COM1 line status: what a polled console reads per byte */
#define PORT_PIC1_CMD 0x20
#define PORT_PIT_CH0 0x40
#define PORT_PIT_CMD 0x43
#define PIC_EOI 0x20         /* non-specific EOI: harmless with nothing in service */
#define PIT_LATCH_CH0 0x00   /* counter latch command, channel 0 */
#define PIT_ONESHOT_CH0 0x30 /* channel 0, lobyte/hibyte, mode 0 (interrupt on terminal count) */
#define CPUID_RDTSCP_EDX 27  /* CPUID 0x80000001:EDX */

/* In .data (initialised), on the page of ab_count: the same memory behaviour. */
static uint64_t bench_scratch = 1;

/* rdtsc between fences: nothing moves across it. */
static inline uint64_t tsc_fenced(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) : : "memory");
	return lo | (uint64_t)hi << 32;
}

/* A timed loop: SETUP once (untimed), BODY n times; returns the TSC ticks. */
#define BENCH_LOOP(fn, setup, body)                                            \
	static uint64_t fn(unsigned n)                                         \
	{                                                                      \
		setup;                                                         \
		uint64_t t0 = tsc_fenced();                                    \
		for (unsigned i = 0; i < n; i++) {                             \
			body;                                                  \
		}                                                              \
		return tsc_fenced() - t0;                                      \
	}

/* The baseline: what every wrapper adds besides its instruction. */
BENCH_LOOP(bench_baseline, , __asm__ volatile("incq %0" : "+m"(bench_scratch)))

BENCH_LOOP(bench_pushf, , (void)read_flags())
BENCH_LOOP(bench_popf, uint64_t f = read_flags(), write_flags(f))
BENCH_LOOP(bench_cli, , cli())
BENCH_LOOP(bench_sti, , sti())
BENCH_LOOP(bench_in, , (void)inb(PORT_SYS_CTRL_B))
BENCH_LOOP(bench_out, , outb(PORT_POST, 0))
BENCH_LOOP(bench_read_cr0, , (void)read_cr0())
BENCH_LOOP(bench_write_cr4, uint64_t v = read_cr4(), write_cr4(v))
BENCH_LOOP(bench_sgdt, struct desc_ptr d, sgdt(&d))
BENCH_LOOP(bench_sidt, struct desc_ptr d, sidt(&d))
BENCH_LOOP(bench_read_ds, , (void)read_ds())
BENCH_LOOP(bench_write_ds, uint16_t s = read_ds(), write_ds(s))
BENCH_LOOP(bench_swapgs, , swapgs(); swapgs())
BENCH_LOOP(bench_rdmsr, , (void)rdmsr(MSR_EFER))
BENCH_LOOP(bench_cpuid, , (void)cpuid(0, 0))
BENCH_LOOP(bench_rdtscp, uint32_t aux, (void)rdtscp(&aux))
BENCH_LOOP(bench_invlpg, , invlpg((const volatile void *)TEST_VA))
BENCH_LOOP(bench_iretq, uint64_t f = read_flags(), iretq_here(f))
BENCH_LOOP(bench_lretq, , lretq_here())
BENCH_LOOP(bench_uart_lsr, , (void)inb(PORT_UART_LSR))
BENCH_LOOP(bench_pic_eoi, , outb(PORT_PIC1_CMD, PIC_EOI))
/* One read of the PIT's channel 0 count: latch, then the two bytes. */
BENCH_LOOP(bench_pit_read, ,
	   outb(PORT_PIT_CMD, PIT_LATCH_CH0); (void)inb(PORT_PIT_CH0); (void)inb(PORT_PIT_CH0))

/*
 * hlt woken by an interrupt that is already pending: the PIT runs
 * periodically (~1 kHz); with IF=0 the loop waits until its next IRQ0 is
 * pending in the PIC's IRR, then times only sti; hlt -- the pending
 * interrupt wakes the hlt at once (it is taken after the hlt starts: sti's
 * shadow), its handler counts it and sends the EOI.  Periodic, not
 * one-shot: on the kvm-host platform (nested SVM under QEMU TCG) a
 * wake-up is now and then lost, and the next tick then ends that hlt
 * instead of leaving the guest halted for good; it shows as a slow sample.
 * At most HLT_ITERS iterations a sample, whatever N (each waits for a
 * tick).  The one benchmark that takes interrupts: IRQ0 is unmasked around
 * its loop, the PIT stopped after it.
 */
#define HLT_ITERS 8u
#define PIT_1KHZ 1193

static uint64_t bench_hlt_wake(unsigned n)
{
	uint64_t total = 0;
	n = n < HLT_ITERS ? n : HLT_ITERS;
	pit_start(PIT_1KHZ);
	pic_mask(0xfffe);
	for (unsigned i = 0; i < n; i++) {
		uint64_t ticks = timer_ticks;
		for (unsigned spin = 0; spin < 10000000 && !(pic_read_irr() & 1); spin++)
			;
		uint64_t t0 = tsc_fenced();
		while (timer_ticks == ticks)
			sti_hlt();
		total += tsc_fenced() - t0;
		cli();
	}
	pic_mask(0xffff);
	outb(PORT_PIT_CMD, PIT_ONESHOT_CH0); /* mode 0 with no count: stopped */
	return total;
}

/* Samples of bench_hlt_wake hold at most HLT_ITERS iterations. */
static unsigned iters_of(uint64_t (*run)(unsigned n), unsigned n)
{
	return run == bench_hlt_wake && n > HLT_ITERS ? HLT_ITERS : n;
}

static bool has_rdtscp(void)
{
	return cpu_has(0x80000001, 0, REG_EDX, CPUID_RDTSCP_EDX);
}

/*
 * The benchmarks, in class order.  kind gives the class (abi.h); ops is
 * the number of instructions per iteration; present, if set, says whether
 * this CPU has the instruction.  With interrupts off throughout (sti's
 * loop leaves IF=1, put back after it) and every IRQ masked at the PIC
 * (pic_init), nothing interrupts a sample, but for hlt-timer-wake, whose
 * loop is the timer interrupt.
 */
static const struct bench {
	unsigned kind;
	const char *name;
	uint64_t (*run)(unsigned n);
	unsigned ops;
	bool (*present)(void);
} benches[] = {
	{ AB_K_PUSHF, "pushf", bench_pushf, 1, NULL },
	{ AB_K_POPF, "popf", bench_popf, 1, NULL },
	{ AB_K_CLI, "cli", bench_cli, 1, NULL },
	{ AB_K_STI, "sti", bench_sti, 1, NULL },
	{ AB_K_HLT, "hlt-timer-wake", bench_hlt_wake, 1, NULL },
	{ AB_K_IN, "in-0x61", bench_in, 1, NULL },
	{ AB_K_OUT, "out-0x80", bench_out, 1, NULL },
	{ AB_K_IN, "uart-lsr", bench_uart_lsr, 1, NULL },
	{ AB_K_OUT, "pic-eoi", bench_pic_eoi, 1, NULL },
	{ AB_K_IN, "pit-read", bench_pit_read, 1, NULL },
	{ AB_K_MOV_FROM_CR, "mov-from-cr0", bench_read_cr0, 1, NULL },
	{ AB_K_MOV_TO_CR, "mov-to-cr4", bench_write_cr4, 1, NULL },
	{ AB_K_SGDT, "sgdt", bench_sgdt, 1, NULL },
	{ AB_K_SIDT, "sidt", bench_sidt, 1, NULL },
	{ AB_K_MOV_FROM_SEG, "mov-from-ds", bench_read_ds, 1, NULL },
	{ AB_K_MOV_TO_SEG, "mov-to-ds", bench_write_ds, 1, NULL },
	{ AB_K_SWAPGS, "swapgs", bench_swapgs, 2, NULL },
	{ AB_K_RDMSR, "rdmsr-efer", bench_rdmsr, 1, NULL },
	{ AB_K_CPUID, "cpuid-0", bench_cpuid, 1, NULL },
	{ AB_K_RDTSCP, "rdtscp", bench_rdtscp, 1, has_rdtscp },
	{ AB_K_INVLPG, "invlpg", bench_invlpg, 1, NULL },
	{ AB_K_IRET, "iretq", bench_iretq, 1, NULL },
	{ AB_K_LRET, "lretq", bench_lretq, 1, NULL },
};

struct stats {
	uint64_t min, median;
};

static struct stats stats_of(uint64_t *s)
{
	for (unsigned i = 1; i < BENCH_SAMPLES; i++) /* insertion sort */
		for (unsigned j = i; j > 0 && s[j - 1] > s[j]; j--) {
			uint64_t t = s[j];
			s[j] = s[j - 1];
			s[j - 1] = t;
		}
	return (struct stats){ s[0], (s[BENCH_SAMPLES / 2 - 1] + s[BENCH_SAMPLES / 2]) / 2 };
}

/* BENCH_SAMPLES samples of run, after an untimed warm-up run. */
static struct stats measure(uint64_t (*run)(unsigned n), unsigned n)
{
	uint64_t s[BENCH_SAMPLES];

	(void)run(n);
	for (unsigned i = 0; i < BENCH_SAMPLES; i++)
		s[i] = run(n);
	return stats_of(s);
}

/* (ticks - base) / ops in tenths, rounded, as "c.d" (may be negative). */
static const char *per_op(char *buf, size_t size, uint64_t ticks, uint64_t base, uint64_t ops)
{
	int64_t d = (int64_t)(ticks - base) * 10;
	int64_t t = (d + (d < 0 ? -(int64_t)ops : (int64_t)ops) / 2) / (int64_t)ops;
	uint64_t a = t < 0 ? -(uint64_t)t : (uint64_t)t;

	snprintf(buf, size, "%s%lu.%lu", t < 0 ? "-" : "", a / 10, a % 10);
	return buf;
}

/* Measured alone, at the start and at the end: the lower of each. */
static struct stats baseline(unsigned n, const struct stats *before)
{
	struct stats b = measure(bench_baseline, n);

	if (before && before->min < b.min)
		b.min = before->min;
	if (before && before->median < b.median)
		b.median = before->median;
	return b;
}

void run_bench(const char *arg)
{
	uint64_t saved = read_flags();
	unsigned n = BENCH_ITERS, done = 0;
	struct stats st[ARRAY_SIZE(benches)], base;
	bool ran[ARRAY_SIZE(benches)];
	char a[32], b[32];

	if (*arg) {
		unsigned v = 0;
		const char *p = arg;

		while (*p >= '0' && *p <= '9' && v <= BENCH_MAX_ITERS)
			v = v * 10 + (unsigned)(*p++ - '0');
		if (*p || !v || v > BENCH_MAX_ITERS)
			printf("bench: \"%s\" is not an iteration count in 1..%u, using %u\n", arg,
			       BENCH_MAX_ITERS, n);
		else
			n = v;
	}
	printf("BENCH-START: %u samples of %u iterations\n", BENCH_SAMPLES, n);
	cli();
	base = baseline(n, NULL);
	for (unsigned i = 0; i < ARRAY_SIZE(benches); i++) {
		ran[i] = !benches[i].present || benches[i].present();
		if (ran[i])
			st[i] = measure(benches[i].run, n);
		cli(); /* after sti's loop */
	}
	base = baseline(n, &base);

	printf("BENCH-BASELINE: loop min %s median %s\n", per_op(a, sizeof(a), base.min, 0, n),
	       per_op(b, sizeof(b), base.median, 0, n));
	for (unsigned i = 0; i < ARRAY_SIZE(benches); i++) {
		const struct bench *bm = &benches[i];
		const char *cls = ab_class_name(ab_kind_class(bm->kind));
		uint64_t ops = (uint64_t)iters_of(bm->run, n) * bm->ops;

		if (!ran[i]) {
			report_skip("bench %s %s: not on this CPU", cls, bm->name);
			continue;
		}
		printf("BENCH: %s %s min %s median %s\n", cls, bm->name,
		       per_op(a, sizeof(a), st[i].min, base.min, ops),
		       per_op(b, sizeof(b), st[i].median, base.median, ops));
		done++;
	}
	printf("BENCH-END\n");
	write_flags(saved);
	report(true, "bench: %u benchmarks measured", done);
	finish();
}
