/*
 * kvm-smoke: the smallest useful check of a KVM, and its three basic costs.
 *
 * Creates a VM with one vCPU and 64 KiB of memory, and runs a 64-bit guest
 * (long mode set up through KVM_SET_SREGS, 4 KiB identity-mapped pages)
 * that executes
 *   insn   LOOPS iterations of `dec %ecx; jnz` (plain instructions, no exit)
 *   out    N `out %al,$0xf1`: each one a port-I/O exit to this program,
 *          which counts them
 *   cpuid  N `cpuid` (leaf 0): each one an exit served inside the kernel
 * and then `hlt`.  Between the phases the guest writes to port 0xf0, a
 * marker: the phases are timed from the host side (CLOCK_MONOTONIC, from
 * the KVM_RUN that leaves one marker to the exit of the next, so each
 * phase includes one marker exit).
 *
 * One line per phase on stdout, key=value words after "kvm-smoke: ":
 *
 *   kvm-smoke: op=out n=10000 ns_per_op=30318.3 exits=10024 user_exits=10000
 *
 *   n           operations (for insn: 2 instructions per iteration)
 *   ns_per_op   host nanoseconds per operation
 *   exits       the vCPU's exits counted by KVM during the phase (its
 *               binary statistics, "exits"; -1 if the kernel has none),
 *               the closing marker's not included
 *   user_exits  KVM_RUN returns during the phase, the marker's not included
 *
 * then "kvm-smoke: ok halted=1 port_exits=N" once it has checked that
 * exactly N port exits reached it, the phases came in order and the guest
 * halted where it should.  Exit status 0; 1 on any failure (one line,
 * "kvm-smoke: ..."), 2 on bad usage, 77 when /dev/kvm is missing or not
 * permitted (a test skips).
 *
 * usage: kvm-smoke [-n N] [-l LOOPS] [-t SECONDS]
 *   defaults: N 10000, LOOPS 1000000, SECONDS 60 (a watchdog: a KVM_RUN
 *   that does not come back fails the run instead of hanging it)
 *
 * Static (built -static by tests/platform/build.mk): it runs inside the
 * kvm-host machine, which has no C library.  See docs/platforms.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define EXIT_SKIP 77

/* Guest-physical layout: page tables, then the code; the stack is unused. */
#define MEM_SIZE  0x10000u
#define PML4_GPA  0x1000u
#define PDPT_GPA  0x2000u
#define PD_GPA    0x3000u
#define PT_GPA    0x4000u
#define CODE_GPA  0x8000u

#define PORT_MARK  0xf0
#define PORT_COUNT 0xf1

enum { PHASE_INSN, PHASE_OUT, PHASE_CPUID, PHASES };
static const char *const phase_name[PHASES] = { "insn", "out", "cpuid" };

/*
 * The guest, hand-assembled (objdump -D -b binary -m i386:x86-64 shows it).
 * On entry %esi = LOOPS and %ebp = N (set through KVM_SET_REGS); cpuid
 * clobbers %eax-%edx, so the exit loops count in %edi.
 */
static const uint8_t guest_code[] = {
	0xe6, PORT_MARK,        /* out %al,$0xf0      marker 0 */
	0x89, 0xf1,             /* mov %esi,%ecx */
	0xff, 0xc9,             /* 1: dec %ecx */
	0x75, 0xfc,             /* jnz 1b */
	0xe6, PORT_MARK,        /* out %al,$0xf0      marker 1 */
	0x89, 0xef,             /* mov %ebp,%edi */
	0xe6, PORT_COUNT,       /* 2: out %al,$0xf1 */
	0xff, 0xcf,             /* dec %edi */
	0x75, 0xfa,             /* jnz 2b */
	0xe6, PORT_MARK,        /* out %al,$0xf0      marker 2 */
	0x89, 0xef,             /* mov %ebp,%edi */
	0x31, 0xc0,             /* 3: xor %eax,%eax */
	0x0f, 0xa2,             /* cpuid */
	0xff, 0xcf,             /* dec %edi */
	0x75, 0xf8,             /* jnz 3b */
	0xe6, PORT_MARK,        /* out %al,$0xf0      marker 3 */
	0xf4,                   /* hlt */
};

static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("kvm-smoke: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static unsigned long parse_num(const char *s, const char *what, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *s == '\0' || *end != '\0' || v == 0 || v > max) {
		fprintf(stderr, "kvm-smoke: bad %s '%s' (1..%lu)\n", what, s, max);
		exit(2);
	}
	return v;
}

static int open_kvm(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	if (errno == ENOENT || errno == ENXIO || errno == ENODEV) {
		printf("kvm-smoke: no /dev/kvm here (%s)\n", strerror(errno));
		exit(EXIT_SKIP);
	}
	if (errno == EACCES || errno == EPERM) {
		printf("kvm-smoke: /dev/kvm: not permitted (%s; needs root or the kvm group)\n",
		       strerror(errno));
		exit(EXIT_SKIP);
	}
	die("open /dev/kvm: %s", strerror(errno));
}

/* The guest's CPUID is the host's supported set (KVM leaves it empty). */
static void set_cpuid(int kvm, int vcpu)
{
	struct kvm_cpuid2 *c = NULL;
	unsigned int nent;

	for (nent = 64; nent <= 4096; nent *= 2) {
		free(c);
		c = calloc(1, sizeof(*c) + nent * sizeof(c->entries[0]));
		if (!c)
			die("out of memory");
		c->nent = nent;
		if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, c) == 0)
			break;
		if (errno != E2BIG)
			die("KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
	}
	if (nent > 4096)
		die("KVM_GET_SUPPORTED_CPUID: more than 4096 entries");
	if (ioctl(vcpu, KVM_SET_CPUID2, c) < 0)
		die("KVM_SET_CPUID2: %s", strerror(errno));
	free(c);
}

/*
 * The vCPU's exit counter from KVM's binary statistics (Linux 5.14+):
 * returns the file offset of "exits" in the stats fd, or -1.
 */
static off_t exits_stat(int vcpu, int *stats_fd)
{
	struct kvm_stats_header h;
	size_t desc_size;
	char *descs;
	off_t at = -1;

	*stats_fd = ioctl(vcpu, KVM_GET_STATS_FD, NULL);
	if (*stats_fd < 0)
		return -1;
	if (pread(*stats_fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
		return -1;
	desc_size = sizeof(struct kvm_stats_desc) + h.name_size;
	descs = malloc(desc_size * h.num_desc);
	if (!descs)
		die("out of memory");
	if (pread(*stats_fd, descs, desc_size * h.num_desc, h.desc_offset) ==
	    (ssize_t)(desc_size * h.num_desc)) {
		for (uint32_t i = 0; i < h.num_desc; i++) {
			struct kvm_stats_desc *d = (void *)(descs + i * desc_size);

			if (strncmp(d->name, "exits", h.name_size) == 0 && d->size == 1) {
				at = (off_t)h.data_offset + d->offset;
				break;
			}
		}
	}
	free(descs);
	return at;
}

static int64_t read_exits(int stats_fd, off_t at)
{
	uint64_t v;

	if (at < 0)
		return -1;
	if (pread(stats_fd, &v, sizeof(v), at) != (ssize_t)sizeof(v))
		die("reading the exits statistic: %s", strerror(errno));
	return (int64_t)v;
}

static void setup_memory(uint8_t *mem)
{
	uint64_t *pml4 = (uint64_t *)(mem + PML4_GPA), *pdpt = (uint64_t *)(mem + PDPT_GPA);
	uint64_t *pd = (uint64_t *)(mem + PD_GPA), *pt = (uint64_t *)(mem + PT_GPA);

	/* Present | writable; the first 64 KiB identity-mapped in 4 KiB pages. */
	pml4[0] = PDPT_GPA | 3;
	pdpt[0] = PD_GPA | 3;
	pd[0] = PT_GPA | 3;
	for (unsigned int i = 0; i < MEM_SIZE / 0x1000; i++)
		pt[i] = (uint64_t)i * 0x1000 | 3;
	memcpy(mem + CODE_GPA, guest_code, sizeof(guest_code));
}

static void setup_long_mode(int vcpu)
{
	struct kvm_sregs s;
	struct kvm_segment code = {
		.base = 0, .limit = 0xffffffff, .selector = 0x8, .type = 11,
		.present = 1, .dpl = 0, .db = 0, .s = 1, .l = 1, .g = 1,
	};
	struct kvm_segment data = {
		.base = 0, .limit = 0xffffffff, .selector = 0x10, .type = 3,
		.present = 1, .dpl = 0, .db = 1, .s = 1, .l = 0, .g = 1,
	};

	if (ioctl(vcpu, KVM_GET_SREGS, &s) < 0)
		die("KVM_GET_SREGS: %s", strerror(errno));
	s.cs = code;
	s.ds = s.es = s.fs = s.gs = s.ss = data;
	s.cr3 = PML4_GPA;
	s.cr4 = 1u << 5;                                    /* PAE */
	s.cr0 = 1u << 0 | 1u << 1 | 1u << 4 | 1u << 5 |     /* PE MP ET NE */
		1u << 16 | 1u << 31;                        /* WP PG */
	s.efer = 1u << 8 | 1u << 10;                        /* LME LMA */
	if (ioctl(vcpu, KVM_SET_SREGS, &s) < 0)
		die("KVM_SET_SREGS (long mode): %s", strerror(errno));
}

static volatile sig_atomic_t timed_out;
static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

static const char *exit_name(uint32_t r)
{
	switch (r) {
	case KVM_EXIT_UNKNOWN:        return "KVM_EXIT_UNKNOWN";
	case KVM_EXIT_EXCEPTION:      return "KVM_EXIT_EXCEPTION";
	case KVM_EXIT_MMIO:           return "KVM_EXIT_MMIO (outside the guest's memory)";
	case KVM_EXIT_SHUTDOWN:       return "KVM_EXIT_SHUTDOWN (triple fault)";
	case KVM_EXIT_FAIL_ENTRY:     return "KVM_EXIT_FAIL_ENTRY";
	case KVM_EXIT_INTERNAL_ERROR: return "KVM_EXIT_INTERNAL_ERROR";
	default:                      return "exit";
	}
}

int main(int argc, char **argv)
{
	unsigned long n = 10000, loops = 1000000, watchdog = 60;
	int kvm, vm, vcpu, stats_fd = -1, opt;
	off_t exits_at;
	uint8_t *mem;
	struct kvm_run *run;
	long run_size;
	struct kvm_regs regs;
	/* Marker k: the time its exit came back, and when we re-entered. */
	uint64_t t_exit[PHASES + 1], t_enter[PHASES + 1];
	int64_t exits[PHASES + 1];
	unsigned long user_exits[PHASES + 1] = { 0 };
	unsigned long port_exits = 0, markers = 0, user_total = 0;

	while ((opt = getopt(argc, argv, "n:l:t:h")) != -1) {
		switch (opt) {
		case 'n': n = parse_num(optarg, "N", 0x7fffffff); break;
		case 'l': loops = parse_num(optarg, "LOOPS", 0x7fffffff); break;
		case 't': watchdog = parse_num(optarg, "SECONDS", 86400); break;
		default:
			fprintf(stderr, "usage: kvm-smoke [-n N] [-l LOOPS] [-t SECONDS]\n");
			return opt == 'h' ? 0 : 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: kvm-smoke [-n N] [-l LOOPS] [-t SECONDS]\n");
		return 2;
	}

	kvm = open_kvm();
	if (ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
		die("KVM_GET_API_VERSION: not %d", KVM_API_VERSION);
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		die("KVM_CREATE_VM: %s", strerror(errno));

	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap guest memory: %s", strerror(errno));
	setup_memory(mem);
	struct kvm_userspace_memory_region region = {
		.slot = 0, .guest_phys_addr = 0, .memory_size = MEM_SIZE,
		.userspace_addr = (uintptr_t)mem,
	};
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		die("KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));

	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		die("KVM_CREATE_VCPU: %s", strerror(errno));
	run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size < (long)sizeof(*run))
		die("KVM_GET_VCPU_MMAP_SIZE: %s", run_size < 0 ? strerror(errno) : "too small");
	run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		die("mmap kvm_run: %s", strerror(errno));
	set_cpuid(kvm, vcpu);
	setup_long_mode(vcpu);
	memset(&regs, 0, sizeof(regs));
	regs.rip = CODE_GPA;
	regs.rsp = MEM_SIZE;
	regs.rflags = 2;
	regs.rsi = loops;
	regs.rbp = n;
	if (ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
		die("KVM_SET_REGS: %s", strerror(errno));
	exits_at = exits_stat(vcpu, &stats_fd);

	struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART: KVM_RUN returns EINTR */
	sigaction(SIGALRM, &sa, NULL);
	alarm((unsigned int)watchdog);

	for (;;) {
		if (ioctl(vcpu, KVM_RUN, 0) < 0) {
			if (errno == EINTR && !timed_out)
				continue;
			if (errno == EINTR)
				die("timeout: the guest did not halt within %lus (%lu markers, %lu port exits)",
				    watchdog, markers, port_exits);
			die("KVM_RUN: %s", strerror(errno));
		}
		uint64_t t = now_ns();

		if (run->exit_reason == KVM_EXIT_HLT)
			break;
		if (run->exit_reason != KVM_EXIT_IO) {
			if (run->exit_reason == KVM_EXIT_FAIL_ENTRY)
				die("KVM_EXIT_FAIL_ENTRY: hardware entry failure reason 0x%llx",
				    (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
			if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR)
				die("KVM_EXIT_INTERNAL_ERROR: suberror %u", run->internal.suberror);
			die("unexpected %s (exit reason %u)", exit_name(run->exit_reason), run->exit_reason);
		}
		if (run->io.direction != KVM_EXIT_IO_OUT || run->io.size != 1 || run->io.count != 1)
			die("unexpected port I/O: port 0x%x direction %u size %u count %u",
			    run->io.port, run->io.direction, run->io.size, run->io.count);
		user_total++;
		if (run->io.port == PORT_COUNT) {
			port_exits++;
			continue;
		}
		if (run->io.port != PORT_MARK)
			die("out to unexpected port 0x%x", run->io.port);
		if (markers > PHASES)
			die("more than %d markers", PHASES + 1);
		t_exit[markers] = t;
		exits[markers] = read_exits(stats_fd, exits_at);
		user_exits[markers] = user_total;
		if (markers == PHASE_CPUID && port_exits != n)
			die("%lu port exits reached userspace, the guest made %lu", port_exits, n);
		t_enter[markers++] = now_ns();
	}
	alarm(0);

	if (markers != PHASES + 1)
		die("the guest halted after %lu markers, not %d", markers, PHASES + 1);
	if (port_exits != n)
		die("%lu port exits reached userspace, the guest made %lu", port_exits, n);
	if (ioctl(vcpu, KVM_GET_REGS, &regs) < 0)
		die("KVM_GET_REGS: %s", strerror(errno));
	if (regs.rip != CODE_GPA + sizeof(guest_code))
		die("the guest halted at rip 0x%llx, not after its hlt at 0x%llx",
		    (unsigned long long)regs.rip,
		    (unsigned long long)(CODE_GPA + sizeof(guest_code) - 1));
	if ((uint32_t)regs.rdi != 0 || regs.rsi != loops || regs.rbp != n)
		die("guest registers wrong at hlt: rdi %llu rsi %llu rbp %llu",
		    (unsigned long long)regs.rdi, (unsigned long long)regs.rsi,
		    (unsigned long long)regs.rbp);

	for (int p = 0; p < PHASES; p++) {
		unsigned long ops = p == PHASE_INSN ? 2 * loops : n;
		double ns = (double)(t_exit[p + 1] - t_enter[p]);
		long long ex = exits[p] < 0 ? -1 : exits[p + 1] - exits[p] - 1;

		printf("kvm-smoke: op=%s n=%lu ns_per_op=%.1f exits=%lld user_exits=%lu\n",
		       phase_name[p], ops, ns / (double)ops, ex,
		       user_exits[p + 1] - user_exits[p] - 1);
	}
	printf("kvm-smoke: ok halted=1 port_exits=%lu\n", port_exits);
	return 0;
}
