/*
 * callpath-host: the wedge's call path timed on this machine's CPU, in
 * user mode (bench/wedge-callpath.sh prints it as a second table after the
 * TCG one; under TCG a "cycle" is host time spent emulating).
 *
 * The same mechanism, byte for byte: this program links the wedge's own
 * record path (wedge/core: site check, patcher, call placement, NOPs), its
 * backends (backends/native/native.c and callpath.c, backends/trace/trace.c,
 * found through the wedge_backends section as in the wedge), its thunk
 * emitters (wedge/rt/thunk.c, thunks in its own arena) and its entry stub
 * (wedge/rt/entry.S), compiled with the wedge's flags but -mcmodel=small
 * and, for entry.S, -DWEDGE_USER_MODE: user mode cannot run the stub's
 * `cli`, its only difference.  Linked -no-pie, so the arena and
 * wedge_entry sit below 2 GiB, and the sites go into a MAP_32BIT buffer:
 * every call is the wedge's `call rel32`.
 *
 * Each benchmark is a template loop (below) around one site written as
 * the afterburner writes it: the instruction, then `.nops 5` (gas's
 * multi-byte NOPs, abi.h's padding).  The template is copied once per
 * configuration and its site checked (wedge_site_check: decodes to its
 * kind, padding is NOPs) and patched (wedge_patch_site):
 *
 *   raw          as the afterburner leaves it (instruction + NOPs)
 *   native       wedge.backend=native: the identity (the same bytes)
 *   native-call  wedge.backend=native-call: call thunk -> push $n; call
 *                wedge_entry (all 15 GPRs + flags saved, stack aligned, a
 *                C hook that does nothing, all restored, popfq) -> ret
 *   trace        wedge.backend=trace: call thunk -> ++count, flags kept -> ret
 *
 * The instructions are the guest bench's (tests/guest/bench.c) that user
 * mode may run.  Each benchmark runs once in a child first: one that dies
 * there is reported as skipped, and so are sgdt/sidt when the CPU has
 * UMIP (the kernel then emulates them: a fault per operation).  cpuid is
 * left out: a hypervisor intercepts it.  Time: lfence; rdtsc; lfence
 * around N iterations (default 4096), S samples (default 256) per
 * function, every function sampled in turn (round robin, so drift hits all
 * alike), pinned to one CPU (default the last one allowed).  Per
 * benchmark and configuration: (min of the samples - min of the empty
 * loop's) / N, the same with the medians: TSC ticks per operation.  The
 * TSC runs at a constant rate, the core's clock need not; a chain of
 * dependent adds (one core cycle each) gives TSC ticks per core cycle, and
 * the target (the call path adds <= 30 cycles over its instruction) is
 * judged in core cycles.
 *
 *   callpath-host [-n ITERS] [-s SAMPLES] [-c CPU] [-j FILE] [-v]
 *
 * prints a table; -j writes the results as one JSON object to FILE; -v
 * also prints every site's bytes per configuration.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "afterburn/abi.h"
#include "afterburn/kind.h"
#include "wedge/backend.h"
#include "wedge/rt.h"
#include "wedge/sites.h"

#define DEFAULT_ITERS 4096
#define DEFAULT_SAMPLES 256
#define TARGET 30       /* the issue's: <= 30 cycles per operation for the call path */
#define SLOT 512        /* code buffer bytes per copy of a template */
#define CHAIN 16        /* dependent adds per iteration of the clock loop */

/* ---- Host stand-ins for the wedge's runtime (nm -u of the wedge objects) ---- */

void wedge_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void wedge_panic(const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fputs("callpath-host: wedge: PANIC: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void wedge_bad_site(const struct wedge_site *site, enum wedge_site_error why)
{
	wedge_panic("bad site at %#lx kind %u len %u: %s", (unsigned long)site->addr, site->kind,
		    site->len, wedge_site_error_name(why));
}

uint16_t wedge_exit_port(void)
{
	return 0xf4;
}

/* Only a hooked `mov %reg, %cr3` reaches it; no benchmark has one. */
void wedge_map_into(uint64_t cr3)
{
	wedge_panic("wedge_map_into(%#lx) in user mode", (unsigned long)cr3);
}

void *wedge_memcpy(void *dst, const void *src, size_t n)
{
	return memcpy(dst, src, n);
}

/* ---- The templates ----------------------------------------------------------
 *
 * uint64_t fn(uint64_t n): SETUP, then t0, n times BODY (its site between
 * cp_NAME_site and cp_NAME_site_end), t1, TEARDOWN; returns t1 - t0.  Only
 * %rax %rcx %rdx %rsi %r8-%r11 are used (%r8 the count, %r9 t0); %rsp comes
 * back as it was.  Position independent: each is copied, at the same
 * alignment, into the code buffer.
 */
#define STR(x) #x
#define XSTR(x) STR(x)
#define TSC_FENCED "lfence\n\trdtsc\n\tlfence\n\tshlq $32, %rdx\n\torq %rdx, %rax\n\t"

#define TEMPLATE(name, setup, before, insn, after, teardown)                            \
	"\t.p2align 6\n\t.globl cp_" #name "_start, cp_" #name "_site, cp_" #name       \
	"_site_end, cp_" #name "_end\ncp_" #name "_start:\n\t" setup TSC_FENCED         \
	"movq %rax, %r9\n\tmovq %rdi, %r8\n\t.p2align 4\n1:\n\t" before                 \
	"cp_" #name "_site: " insn " ; .nops 5\ncp_" #name "_site_end:\n\t" after       \
	"decq %r8\n\tjnz 1b\n\t" TSC_FENCED "subq %r9, %rax\n\t" teardown               \
	"ret\ncp_" #name "_end:\n"

__asm__("\t.pushsection .text.callpath_templates, \"ax\", @progbits\n"
	/* The baseline: the loop alone. */
	"\t.p2align 6\n\t.globl cp_loop_start, cp_loop_end\ncp_loop_start:\n\t" TSC_FENCED
	"movq %rax, %r9\n\tmovq %rdi, %r8\n\t.p2align 4\n1:\n\t"
	"decq %r8\n\tjnz 1b\n\t" TSC_FENCED "subq %r9, %rax\n\tret\ncp_loop_end:\n"
	/* The clock: CHAIN dependent adds per iteration, one core cycle each. */
	"\t.p2align 6\n\t.globl cp_chain_start, cp_chain_end\ncp_chain_start:\n\t" TSC_FENCED
	"movq %rax, %r9\n\tmovq %rdi, %r8\n\t.p2align 4\n1:\n\t"
	".rept " XSTR(CHAIN) "\n\taddq %r8, %r10\n\t.endr\n\t"
	"decq %r8\n\tjnz 1b\n\t" TSC_FENCED "subq %r9, %rax\n\tret\ncp_chain_end:\n"

	TEMPLATE(pushf, "", "", "pushfq", "popq %rax\n\t", "")
	TEMPLATE(popf, "pushfq\n\tpopq %rsi\n\t", "pushq %rsi\n\t", "popfq", "", "")
	TEMPLATE(sgdt, "subq $16, %rsp\n\t", "", "sgdt (%rsp)", "", "addq $16, %rsp\n\t")
	TEMPLATE(sidt, "subq $16, %rsp\n\t", "", "sidt (%rsp)", "", "addq $16, %rsp\n\t")
	TEMPLATE(mov_from_ds, "", "", "movl %ds, %eax", "", "")
	/* mov to %ds of its own value (0 in a 64-bit Linux process). */
	TEMPLATE(mov_to_ds, "movl %ds, %esi\n\t", "", "movl %esi, %ds", "", "")
	TEMPLATE(rdtscp, "", "", "rdtscp", "", "")
	/* To the next instruction at the same privilege: a frame of the current
	 * ss, rsp, rflags (read once, before), cs. */
	TEMPLATE(iretq, "movl %ss, %r10d\n\tmovl %cs, %ecx\n\tpushfq\n\tpopq %rsi\n\t",
		 "movq %rsp, %r11\n\tpushq %r10\n\tpushq %r11\n\tpushq %rsi\n\tpushq %rcx\n\t"
		 "leaq 2f(%rip), %rax\n\tpushq %rax\n\t",
		 "iretq", "ud2\n2:\n\t", "")
	TEMPLATE(lretq, "movl %cs, %ecx\n\t", "pushq %rcx\n\tleaq 2f(%rip), %rax\n\tpushq %rax\n\t",
		 "lretq", "ud2\n2:\n\t", "")
	"\t.popsection\n");

#define DECLARE(name)                                                                      \
	extern const uint8_t cp_##name##_start[], cp_##name##_site[], cp_##name##_site_end[], \
		cp_##name##_end[]
DECLARE(pushf);
DECLARE(popf);
DECLARE(sgdt);
DECLARE(sidt);
DECLARE(mov_from_ds);
DECLARE(mov_to_ds);
DECLARE(rdtscp);
DECLARE(iretq);
DECLARE(lretq);
extern const uint8_t cp_loop_start[], cp_loop_end[], cp_chain_start[], cp_chain_end[];

#define ROW(name, str, kind) \
	{ str, AB_K_##kind, cp_##name##_start, cp_##name##_site, cp_##name##_site_end, cp_##name##_end }

/* In the guest bench's order and with its names. */
static const struct bench {
	const char *name;
	unsigned kind;
	const uint8_t *start, *site, *site_end, *end;
} benches[] = {
	ROW(pushf, "pushf", PUSHF),
	ROW(popf, "popf", POPF),
	ROW(sgdt, "sgdt", SGDT),
	ROW(sidt, "sidt", SIDT),
	ROW(mov_from_ds, "mov-from-ds", MOV_FROM_SEG),
	ROW(mov_to_ds, "mov-to-ds", MOV_TO_SEG),
	ROW(rdtscp, "rdtscp", RDTSCP),
	ROW(iretq, "iretq", IRET),
	ROW(lretq, "lretq", LRET),
};
#define NBENCH (sizeof(benches) / sizeof(benches[0]))

/* The guest bench's benchmarks that user mode cannot run (or not natively). */
static const char *const not_here =
	"cli sti in-0x61 out-0x80 mov-from-cr0 mov-to-cr4 swapgs rdmsr-efer invlpg (privileged); "
	"cpuid-0 (intercepted by any hypervisor)";

enum { RAW, NATIVE, NATIVE_CALL, TRACE, NCONFIG };
static const char *const config_names[NCONFIG] = { "raw", "native", "native-call", "trace" };

typedef uint64_t timed_fn(uint64_t n);

struct stats {
	uint64_t min, median;
};

static struct {
	timed_fn *fn[NCONFIG];
	uint8_t site[NCONFIG][16]; /* the site's bytes as each configuration left them */
	unsigned site_len;
	const char *skipped;
	struct stats st[NCONFIG];
} res[NBENCH];

static uint8_t *code, *code_end;
static size_t code_size, code_used;

static void die(const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fputs("callpath-host: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* A copy of [start, end) in the code buffer, at start's alignment mod 64. */
static uint8_t *place(const uint8_t *start, const uint8_t *end)
{
	size_t n = (size_t)(end - start);
	if (n > SLOT - 64 || code_used + SLOT > code_size)
		die("code buffer full");
	uint8_t *p = code + code_used + ((uintptr_t)start & 63);
	memcpy(p, start, n);
	code_used += SLOT;
	return p;
}

static const char *signal_reason(int sig)
{
	switch (sig) {
	case SIGSEGV: return "SIGSEGV in user mode here (UMIP?)";
	case SIGILL: return "SIGILL: not on this CPU";
	default: return strsignal(sig);
	}
}

/* NULL when fn(1) runs in a child, else why not. */
static const char *probe(timed_fn *fn)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		(void)fn(1);
		_exit(0);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid: %s", strerror(errno));
	if (WIFSIGNALED(status))
		return signal_reason(WTERMSIG(status));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return "the probe failed";
	return NULL;
}

static void build(void)
{
	const struct wedge_backend *be[NCONFIG] = { 0 };

	for (unsigned c = NATIVE; c < NCONFIG; c++)
		if (!(be[c] = wedge_backend_find(config_names[c])))
			die("the wedge has no backend %s", config_names[c]);

	for (size_t b = 0; b < NBENCH; b++) {
		const struct bench *bm = &benches[b];
		for (unsigned c = 0; c < NCONFIG; c++) {
			uint8_t *p = place(bm->start, bm->end);
			struct wedge_range text = { (uintptr_t)code, (uintptr_t)code_end };
			struct wedge_image img = { .text = &text, .ntext = 1 };
			struct wedge_site s = {
				.addr = (uintptr_t)(p + (bm->site - bm->start)),
				.len = (unsigned)(bm->site_end - bm->site),
				.kind = bm->kind,
			};
			enum wedge_site_error e = wedge_site_check(&img, &s);
			if (e != WEDGE_SITE_OK)
				wedge_bad_site(&s, e);
			if (s.len - s.insn_len != ab_kind_pad(bm->kind) || s.len > sizeof(res[b].site[c]))
				die("%s: site of %u bytes, instruction %u: not abi.h's padding %u", bm->name,
				    s.len, s.insn_len, ab_kind_pad(bm->kind));
			if (c != RAW && !wedge_patch_site(be[c], &s))
				die("%s: backend %s wrote nothing", bm->name, config_names[c]);
			res[b].fn[c] = (timed_fn *)(uintptr_t)p;
			memcpy(res[b].site[c], s.bytes, s.len);
			res[b].site_len = s.len;
		}
		if (memcmp(res[b].site[RAW], res[b].site[NATIVE], res[b].site_len))
			die("%s: the native backend changed the site", bm->name);
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static struct stats stats_of(uint64_t *s, unsigned n)
{
	qsort(s, n, sizeof(*s), cmp_u64);
	return (struct stats){ s[0], n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2 };
}

static double per_op(uint64_t ticks, uint64_t base, uint64_t ops)
{
	return ((double)ticks - (double)base) / (double)ops;
}

/* Round to one decimal, as printed (so JSON and table agree). */
static double r1(double v)
{
	char buf[64];
	snprintf(buf, sizeof(buf), "%.1f", v);
	return strtod(buf, NULL) + 0.0; /* no -0.0 */
}

static void spin(double seconds)
{
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		clock_gettime(CLOCK_MONOTONIC, &t);
	while ((double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) * 1e-9 < seconds);
}

static void cpu_model(char *buf, size_t size)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];
	snprintf(buf, size, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "model name", 10) && strchr(line, ':')) {
			char *v = strchr(line, ':') + 1;
			v += strspn(v, " \t");
			v[strcspn(v, "\n")] = 0;
			snprintf(buf, size, "%s", v);
			break;
		}
	fclose(f);
}

static bool cpu_flag(const char *flag)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[4096];
	bool found = false;
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5))
			continue;
		for (char *w = strtok(strchr(line, ':') + 1, " \t\n"); w; w = strtok(NULL, " \t\n"))
			if (!strcmp(w, flag))
				found = true;
		break;
	}
	fclose(f);
	return found;
}

static int pick_cpu(int want)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set))
		die("sched_getaffinity: %s", strerror(errno));
	if (want < 0)
		for (int i = CPU_SETSIZE - 1; i >= 0; i--)
			if (CPU_ISSET(i, &set)) {
				want = i;
				break;
			}
	if (want < 0 || want >= CPU_SETSIZE || !CPU_ISSET(want, &set))
		die("CPU %d is not available", want);
	CPU_ZERO(&set);
	CPU_SET(want, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity(%d): %s", want, strerror(errno));
	return want;
}

static void hex(FILE *f, const uint8_t *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		fprintf(f, "%s%02x", i ? " " : "", p[i]);
}

static const char *class_of(unsigned kind)
{
	return ab_class_name(ab_kind_class(kind));
}

int main(int argc, char **argv)
{
	unsigned iters = DEFAULT_ITERS, samples = DEFAULT_SAMPLES;
	int want_cpu = -1, opt;
	bool verbose = false;
	const char *json = NULL;

	while ((opt = getopt(argc, argv, "n:s:c:j:v")) != -1) {
		switch (opt) {
		case 'n': iters = (unsigned)strtoul(optarg, NULL, 0); break;
		case 's': samples = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'c': want_cpu = atoi(optarg); break;
		case 'j': json = optarg; break;
		case 'v': verbose = true; break;
		default:
			fprintf(stderr, "usage: %s [-n ITERS] [-s SAMPLES] [-c CPU] [-j FILE] [-v]\n", argv[0]);
			return 2;
		}
	}
	if (!iters || iters > 1u << 24 || samples < 2 || samples > 1u << 16)
		die("-n must be 1..%u and -s 2..%u", 1u << 24, 1u << 16);
	int cpu = pick_cpu(want_cpu);

	/* Code buffer below 2 GiB: rel32 reach of the arena and wedge_entry (-no-pie). */
	code_size = (NBENCH * NCONFIG + 2) * SLOT;
	code = mmap(NULL, code_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
		    -1, 0);
	if (code == MAP_FAILED)
		die("mmap MAP_32BIT: %s", strerror(errno));
	code_end = code + code_size;
	uint8_t *arena_first = wedge_thunk_alloc(1); /* where the backends' thunks will start */

	timed_fn *loop = (timed_fn *)(uintptr_t)place(cp_loop_start, cp_loop_end);
	timed_fn *chain = (timed_fn *)(uintptr_t)place(cp_chain_start, cp_chain_end);
	build();

	/* The thunks live in thunk.c's static arena (.bss): make their pages executable. */
	uint8_t *arena_last = wedge_thunk_alloc(1);
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t a0 = (uintptr_t)arena_first & ~(uintptr_t)(page - 1);
	uintptr_t a1 = ((uintptr_t)arena_last + (uintptr_t)page) & ~(uintptr_t)(page - 1);
	if (mprotect((void *)a0, a1 - a0, PROT_READ | PROT_WRITE | PROT_EXEC))
		die("mprotect of the thunk arena: %s", strerror(errno));
	if (mprotect(code, code_size, PROT_READ | PROT_EXEC))
		die("mprotect of the code buffer: %s", strerror(errno));

	/*
	 * Under UMIP, sgdt and sidt fault and the kernel emulates them: ~2000
	 * ticks of kernel entry and exit per operation, which also disturbs
	 * the samples next to them.  Not the instruction's cost: left out.
	 */
	bool umip = cpu_flag("umip");
	for (size_t b = 0; b < NBENCH; b++) {
		res[b].skipped = probe(res[b].fn[RAW]);
		if (!res[b].skipped && umip && (benches[b].kind == AB_K_SGDT || benches[b].kind == AB_K_SIDT))
			res[b].skipped = "UMIP: faults to the kernel, which emulates it (not the instruction's cost)";
	}

	/* The functions sampled, round robin: the loop, the clock, then every bench x config. */
	size_t nfn = 2 + NBENCH * NCONFIG;
	timed_fn **fns = calloc(nfn, sizeof(*fns));
	uint64_t *s = calloc(nfn * samples, sizeof(*s));
	if (!fns || !s)
		die("out of memory");
	fns[0] = loop;
	fns[1] = chain;
	for (size_t b = 0; b < NBENCH; b++)
		for (unsigned c = 0; c < NCONFIG; c++)
			fns[2 + b * NCONFIG + c] = res[b].skipped ? NULL : res[b].fn[c];

	spin(0.2); /* the clock up to speed */
	for (unsigned w = 0; w < 3; w++)
		for (size_t f = 0; f < nfn; f++)
			if (fns[f])
				(void)fns[f](iters);
	for (unsigned i = 0; i < samples; i++)
		for (size_t f = 0; f < nfn; f++)
			if (fns[f])
				s[f * samples + i] = fns[f](iters);

	struct stats base = stats_of(s, samples), clk = stats_of(s + samples, samples);
	for (size_t b = 0; b < NBENCH; b++)
		for (unsigned c = 0; c < NCONFIG; c++)
			if (!res[b].skipped)
				res[b].st[c] = stats_of(s + (2 + b * NCONFIG + c) * samples, samples);
	double tsc_per_cycle = (double)clk.min / ((double)iters * CHAIN);

	char model[256];
	cpu_model(model, sizeof(model));
	bool hyp = cpu_flag("hypervisor");

	/* Per benchmark: ticks per operation; native-call's and trace's median over raw's. */
	struct row {
		double md[NCONFIG], mn[NCONFIG];
		double over[NCONFIG], cycles[NCONFIG]; /* NATIVE_CALL, TRACE: ticks, core cycles */
		bool met[NCONFIG];
	} rows[NBENCH];
	unsigned met = 0, measured = 0;
	for (size_t b = 0; b < NBENCH; b++) {
		struct row *r = &rows[b];
		if (res[b].skipped)
			continue;
		for (unsigned c = 0; c < NCONFIG; c++) {
			r->md[c] = r1(per_op(res[b].st[c].median, base.median, iters));
			r->mn[c] = r1(per_op(res[b].st[c].min, base.min, iters));
		}
		for (unsigned c = NATIVE_CALL; c <= TRACE; c++) {
			r->over[c] = r1(r->md[c] - r->md[RAW]);
			r->cycles[c] = r1(r->over[c] / tsc_per_cycle);
			r->met[c] = r->cycles[c] <= TARGET;
		}
		measured++;
		met += r->met[NATIVE_CALL];
	}

	/* ---- The table ---- */
	printf("%s, CPU %d%s; %u samples of %u iterations, round robin\n", model, cpu,
	       hyp ? " (a virtual machine's vCPU)" : "", samples, iters);
	printf("TSC ticks per core cycle: %.2f (a chain of dependent adds); empty loop: min %.2f "
	       "median %.2f ticks per iteration\n",
	       tsc_per_cycle, (double)base.min / iters, (double)base.median / iters);
	const char *fmt = "%-17s %-12s %-12s %-12s %-31s %-29s %-8s %s\n";
	char call_met[16], trace_met[16];
	snprintf(call_met, sizeof(call_met), "call<=%d", TARGET);
	snprintf(trace_met, sizeof(trace_met), "trace<=%d", TARGET);
	printf(fmt, "class", "benchmark", "raw", "native", "native-call (+d)", "trace (+d)", call_met,
	       trace_met);
	for (size_t b = 0; b < NBENCH; b++) {
		const struct bench *bm = &benches[b];
		const struct row *r = &rows[b];
		if (res[b].skipped) {
			printf("%-17s %-12s skipped: %s\n", class_of(bm->kind), bm->name, res[b].skipped);
			continue;
		}
		char cell[NCONFIG][64];
		for (unsigned c = 0; c < NCONFIG; c++) {
			int k = snprintf(cell[c], sizeof(cell[c]), "%.1f/%.1f", r->md[c], r->mn[c]);
			if (c >= NATIVE_CALL && k > 0)
				snprintf(cell[c] + k, sizeof(cell[c]) - (size_t)k, " (%+.1f = %.1f cyc)",
					 r->over[c], r->cycles[c]);
		}
		printf(fmt, class_of(bm->kind), bm->name, cell[RAW], cell[NATIVE], cell[NATIVE_CALL],
		       cell[TRACE], r->met[NATIVE_CALL] ? "yes" : "NO", r->met[TRACE] ? "yes" : "NO");
	}
	printf("cells: median/min TSC ticks per operation, empty loop subtracted; raw: the instruction "
	       "and its NOPs as the afterburner leaves them\n");
	printf("(+d = c cyc): median minus raw's median, in TSC ticks and in core cycles; "
	       "call<=%d, trace<=%d: judged in core cycles\n", TARGET, TARGET);
	printf("native-call: met for %u of %u benchmarks\n", met, measured);
	printf("not measurable in user mode: %s\n", not_here);
	if (verbose)
		for (size_t b = 0; b < NBENCH; b++)
			for (unsigned c = 0; c < NCONFIG; c++) {
				printf("site %-12s %-12s ", benches[b].name, config_names[c]);
				hex(stdout, res[b].site[c], res[b].site_len);
				printf("\n");
			}

	/* ---- JSON ---- */
	if (json) {
		FILE *f = fopen(json, "w");
		if (!f)
			die("%s: %s", json, strerror(errno));
		fprintf(f, "{\n  \"title\": \"the same call path on this machine's CPU, user mode (no cli)\",\n");
		fprintf(f, "  \"program\": \"bench/callpath-host.c\",\n  \"status\": \"ok\",\n");
		fprintf(f, "  \"cpu\": \"%s\",\n  \"cpu_pinned\": %d,\n  \"virtual_machine\": %s,\n  \"umip\": %s,\n",
			model, cpu, hyp ? "true" : "false", umip ? "true" : "false");
		fprintf(f, "  \"samples\": %u,\n  \"iterations\": %u,\n", samples, iters);
		fprintf(f, "  \"units\": \"TSC ticks per operation minus the empty loop's ticks per "
			   "iteration; min: min of the samples minus the loop's min, median: the same "
			   "with the medians; every function sampled round robin on one CPU\",\n");
		fprintf(f, "  \"tsc_ticks_per_core_cycle\": %.3f,\n", tsc_per_cycle);
		fprintf(f, "  \"baseline_loop\": { \"min\": %.2f, \"median\": %.2f },\n",
			(double)base.min / iters, (double)base.median / iters);
		fprintf(f, "  \"target\": { \"max_callpath_cycles\": %d, \"compared\": \"median of "
			   "native-call and of trace minus median of raw, in core cycles (TSC ticks / "
			   "tsc_ticks_per_core_cycle)\" },\n", TARGET);
		fprintf(f, "  \"not_measurable\": \"%s\",\n", not_here);
		fprintf(f, "  \"benchmarks\": {\n");
		for (size_t b = 0; b < NBENCH; b++) {
			const struct bench *bm = &benches[b];
			const struct row *r = &rows[b];
			fprintf(f, "    \"%s/%s\": { \"class\": \"%s\", \"name\": \"%s\", ", class_of(bm->kind),
				bm->name, class_of(bm->kind), bm->name);
			if (res[b].skipped) {
				fprintf(f, "\"skipped\": \"%s\" }%s\n", res[b].skipped, b + 1 < NBENCH ? "," : "");
				continue;
			}
			for (unsigned c = 0; c < NCONFIG; c++) {
				fprintf(f, "\"%s\": { \"min\": %.1f, \"median\": %.1f, \"site\": \"",
					config_names[c], r->mn[c], r->md[c]);
				hex(f, res[b].site[c], res[b].site_len);
				fprintf(f, "\" }, ");
			}
			fprintf(f, "\"native-call_over_raw\": { \"ticks\": %.1f, \"cycles\": %.1f, \"met\": %s }, "
				   "\"trace_over_raw\": { \"ticks\": %.1f, \"cycles\": %.1f, \"met\": %s } }%s\n",
				r->over[NATIVE_CALL], r->cycles[NATIVE_CALL], r->met[NATIVE_CALL] ? "true" : "false",
				r->over[TRACE], r->cycles[TRACE], r->met[TRACE] ? "true" : "false",
				b + 1 < NBENCH ? "," : "");
		}
		fprintf(f, "  }\n}\n");
		if (fclose(f))
			die("%s: %s", json, strerror(errno));
	}
	free(fns);
	free(s);
	return 0;
}
