/*
 * Results (report, report_skip), the check table, the per-kind counters of
 * executed sensitive instructions, and the end of the run: the COUNT table,
 * the summary line and the exit.
 */
#include "guest.h"
#include "afterburn/kind.h"

/*
 * Executions per kind (index: enum ab_kind).  In .data, not .bss: the boot
 * code counts before high_entry clears .bss.
 */
uint64_t ab_count[AB_K_COUNT] __attribute__((section(".data.ab_count")));

unsigned n_pass, n_fail, n_skip;
static const char *current = "boot";

static void vreport(const char *tag, const char *fmt, va_list ap)
{
	char msg[160];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	printf("%s: %s: %s\n", tag, current, msg);
}

void report(bool cond, const char *fmt, ...)
{
	va_list ap;

	if (cond)
		n_pass++;
	else
		n_fail++;
	va_start(ap, fmt);
	vreport(cond ? "PASS" : "FAIL", fmt, ap);
	va_end(ap);
}

void report_skip(const char *fmt, ...)
{
	va_list ap;

	n_skip++;
	va_start(ap, fmt);
	vreport("SKIP", fmt, ap);
	va_end(ap);
}

void report_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("INFO", fmt, ap);
	va_end(ap);
}

static const struct {
	const char *name;
	void (*run)(void);
} checks[] = {
	{ "irqflags", check_irqflags },
	{ "timer", check_timer },
	{ "hlt", check_hlt },
	{ "uart", check_uart },
	{ "ports", check_ports },
	{ "rtc", check_rtc },
	{ "cpuid", check_cpuid },
	{ "cr", check_cr },
	{ "dr", check_dr },
	{ "cr0-tasks", check_cr0_tasks },
	{ "tlb", check_tlb },
	{ "caches", check_caches },
	{ "msr", check_msr },
	{ "desc-tables", check_desc_tables },
	{ "task-register", check_task_register },
	{ "segments", check_segments },
	{ "lar-lsl", check_lar_lsl },
	{ "swapgs", check_swapgs },
	{ "fsgsbase", check_fsgsbase },
	{ "iret", check_iret },
	{ "far", check_far },
	{ "int-n", check_int_n },
	{ "user", check_user },
	{ "syscall", check_syscall },
	{ "user-pf", check_user_pf },
	{ "rdtscp", check_rdtscp },
	{ "rdpmc", check_rdpmc },
	{ "xsetbv", check_xsetbv },
	{ "monitor", check_monitor },
	{ "smap", check_smap },
	{ "invpcid", check_invpcid },
};

/*
 * One line per check: the sensitive instructions it executed, per kind,
 * without the console's own in/out (its report lines).
 */
static void print_check_counts(const char *name, const uint64_t *before, uint64_t con_in,
			       uint64_t con_out)
{
	char line[512];
	int n = snprintf(line, sizeof(line), "CHECK-COUNT: %s", name);

	for (unsigned k = 1; k < AB_K_COUNT; k++) {
		uint64_t d = ab_count[k] - before[k];

		if (k == AB_K_IN)
			d -= console_in - con_in;
		if (k == AB_K_OUT)
			d -= console_out - con_out;
		if (d && n < (int)sizeof(line))
			n += snprintf(line + n, sizeof(line) - (size_t)n, " %s=%lu", ab_kind_name(k), d);
	}
	printf("%s\n", line);
}

void run_checks(void)
{
	for (unsigned i = 0; i < ARRAY_SIZE(checks); i++) {
		uint64_t before[AB_K_COUNT], con_in, con_out;

		current = checks[i].name;
		if (cmdline_has_word("skip", current)) {
			report_skip("skipped on the command line");
			continue;
		}
		memcpy(before, ab_count, sizeof(before));
		con_in = console_in;
		con_out = console_out;
		checks[i].run();
		print_check_counts(current, before, con_in, con_out);
	}
	current = "end";
	finish();
}

static char tail[4096];
/* A line per kind ("COUNT: " + name <= 15 + 20 digits + "\n") and the summary. */
_Static_assert(sizeof(tail) >= AB_K_COUNT * 48 + 128, "COUNT table buffer too small");

/*
 * The COUNT table, COUNT-END and the summary, with counts that include
 * printing them and the exit: each byte costs one in (LSR poll) and one
 * out, the exit method its own instructions.  Recomputed until the length
 * is stable (the counts' digits are part of it).
 */
static size_t format_tail(uint64_t *predicted)
{
	const struct exit_method *m = exit_method();
	size_t len = 0, prev;
	int n;

	do {
		prev = len;
		memcpy(predicted, ab_count, sizeof(ab_count));
		predicted[AB_K_IN] += prev;
		predicted[AB_K_OUT] += prev;
		for (unsigned i = 0; i < ARRAY_SIZE(m->cost_kind); i++)
			predicted[m->cost_kind[i]] += m->cost_n[i];
		len = 0;
		for (unsigned k = 1; k < AB_K_COUNT; k++) {
			n = snprintf(tail + len, sizeof(tail) - len, "COUNT: %s %lu\n",
				     ab_kind_name(k), predicted[k]);
			len += (size_t)n;
		}
		n = snprintf(tail + len, sizeof(tail) - len, "COUNT-END\n%u passed, %u failed", n_pass,
			     n_fail);
		len += (size_t)n;
		if (n_skip)
			len += (size_t)snprintf(tail + len, sizeof(tail) - len, ", %u skipped", n_skip);
		len += (size_t)snprintf(tail + len, sizeof(tail) - len, "\n");
	} while (len != prev);
	return len;
}

void finish(void)
{
	static bool finishing;
	static uint64_t predicted[AB_K_COUNT];
	size_t len;

	if (finishing) {
		printf("FAIL: trap while finishing\n");
		platform_exit(1);
	}
	finishing = true;
	cli();
	len = format_tail(predicted);
	console_write(tail, len);
	/* Only extra LSR polls (a UART not ready at once) can make the table wrong. */
	for (unsigned i = 0; i < ARRAY_SIZE(exit_method()->cost_kind); i++)
		if (exit_method()->cost_kind[i] == AB_K_IN)
			predicted[AB_K_IN] -= exit_method()->cost_n[i];
	if (ab_count[AB_K_IN] != predicted[AB_K_IN])
		printf("COUNT-INEXACT: in: %lu more UART polls than the table counted\n",
		       ab_count[AB_K_IN] - predicted[AB_K_IN]);
	platform_exit(n_fail != 0);
}
