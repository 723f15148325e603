/*
 * previrt, the host monitor: runs a guest kernel on /dev/kvm (docs/monitor.md).
 * The one internal header of the monitor; every name has the mon_ prefix.
 *
 *   main.c options.c util.c      command line, messages, files, numbers
 *   kvm.c mem.c cpuid.c          the VM: fds, guest RAM, CPUID
 *   elf.c boot.c boot-linux.c    loading: the kernel, the wedge, boot data,
 *   boot-pvh.c mptable.c         the MP table
 *   cpu.c                        GDT, segments, the entry registers
 *   devices.c console.c          userspace port devices, the console
 *   disk.c disk-ata.c            the disk: backing file, checked requests;
 *                                full mode's ATA channel (wedge/dev/ata.c)
 *   hcall.c irq.c clock.c        hypercalls, the shared-page interrupt
 *                                protocol, guest time and host timers
 *   ring.c poller.c              splitcore: the ring's requests, the
 *                                polling thread (pinning, idling, kicks)
 *   run.c dump.c                 the vCPU loop, the register dump
 *   stats.c stats-json.c kstats.c trace.c names.c   --stats
 *   info.c                       `previrt info`
 *   wedge-blob.S                 the wedge, embedded at build time
 *
 * Guest-physical memory below 1 MiB, written by the monitor before entry
 * (the kernel must load at or above 1 MiB):
 *
 *   GPA              what                                      mode
 *   +----------------+-----------------------------------------+---------+
 *   | 0x0500-0x052f  | GDT: null, code32 0x08, code64 0x10,    | both    |
 *   |                | data 0x18, TSS 0x20                     |         |
 *   | 0x1000         | PML4                                    | full    |
 *   | 0x2000         | PDPT: identity 0..4 GiB                 | full    |
 *   | 0x3000         | PDPT: 0xffffffff80000000 -> 0..2 GiB    | full    |
 *   | 0x4000-0x7fff  | 4 PDs of 2 MiB pages, 0..4 GiB          | full    |
 *   | 0x8000         | boot_params (the zero page)             | full    |
 *   |                | hvm_start_info, module list, memmap     | previrt |
 *   | 0x9000         | the command line (<= MON_CMDLINE_MAX)   | both    |
 *   | 0xa000-0xafff  | a boot stack (%rsp = 0xb000)            | both    |
 *   | 0x9fc00-0x9ffff| MP table (mptable.c), e820-reserved     | full    |
 *   +----------------+-----------------------------------------+---------+
 *
 * Guest RAM is one host mapping, 2 MiB-aligned for huge nested pages
 * (mem.c), split over two ranges, so that the 32-bit hole (LAPIC, IOAPIC,
 * KVM's TSS and identity-map pages) stays free:
 *
 *   [0, min(ram, 3 GiB))           host base + gpa
 *   [4 GiB, 4 GiB + ram - 3 GiB)   host base + 3 GiB + (gpa - 4 GiB)
 */
#ifndef MON_H
#define MON_H

#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <linux/kvm.h>

#include "afterburn/abi.h"
#include "afterburn/boot.h"
#include "wedge/devices.h"

#define MON_NAME "previrt"

/* Exit statuses of `previrt run` (docs/monitor.md, --help). */
enum {
	MON_EXIT_GUEST_MAX = AB_EXIT_STATUS_MAX, /* 0..123: the guest's own status (abi.h) */
	MON_EXIT_TIMEOUT = 124,   /* --timeout expired */
	MON_EXIT_ERROR = 125,     /* the monitor could not run the guest */
	MON_EXIT_SHUTDOWN = 126,  /* triple fault (KVM_EXIT_SHUTDOWN) */
	MON_EXIT_INTERNAL = 127,  /* KVM internal error, failed entry, unexpected exit */
	MON_EXIT_SIGNAL = 128,    /* + n: ended by signal n (SIGINT, SIGTERM, SIGHUP) */
};

#define MON_KIB 1024ull
#define MON_MIB (1024ull * MON_KIB)
#define MON_GIB (1024ull * MON_MIB)

/* The low-memory layout above. */
#define MON_GDT_GPA 0x0500ull
#define MON_PML4_GPA 0x1000ull
#define MON_PDPT_ID_GPA 0x2000ull
#define MON_PDPT_HIGH_GPA 0x3000ull
#define MON_PD_GPA 0x4000ull
#define MON_INFO_GPA 0x8000ull
#define MON_CMDLINE_GPA 0x9000ull
#define MON_STACK_TOP 0xb000ull
#define MON_MPTABLE_GPA 0x9fc00ull
#define MON_MPTABLE_SIZE 0x400ull
#define MON_LOAD_MIN MON_MIB          /* lowest address a PT_LOAD may use */
#define MON_CMDLINE_MAX 2047u          /* Linux's COMMAND_LINE_SIZE - 1 */
#define MON_LOW_RAM_MAX (3 * MON_GIB)  /* RAM above this goes to 4 GiB */
#define MON_HIGH_RAM_BASE (4 * MON_GIB)
#define MON_RAM_MIN (4 * MON_MIB)
#define MON_RAM_MAX (256 * MON_GIB)
#define MON_KERNEL_MAP 0xffffffff80000000ull /* Linux's __START_KERNEL_map */

#define MON_GDT_CODE32 0x08
#define MON_GDT_CODE64 0x10 /* Linux's __BOOT_CS */
#define MON_GDT_DATA 0x18   /* __BOOT_DS */
#define MON_GDT_TSS 0x20

/* The wedge's fixed home in guest-physical memory (wedge/build.mk). */
#define MON_WEDGE_PHYS 0x800000ull
#define MON_WEDGE_SIZE 0x200000ull
#define MON_MODULE_LIMIT MON_GIB /* the wedge maps only the first GiB */

/* ---- options.c: `previrt run` ----------------------------------------- */

enum mon_stats_fmt { MON_STATS_NONE, MON_STATS_TABLE, MON_STATS_JSON };

struct mon_config {
	const char *kernel, *initrd, *append, *wedge; /* wedge NULL: the built-in one */
	const char *disk;        /* NULL: no disk */
	bool disk_readonly;
	uint64_t ram;
	enum ab_mode mode;
	enum mon_stats_fmt stats;
	const char *stats_file;
	const char *console_times; /* NULL: none */
	uint64_t timeout_ns;     /* 0: none */
};

/* 0: run with cfg; 1: help was printed (exit 0); -1: bad usage (printed). */
int mon_parse_run(int argc, char **argv, struct mon_config *cfg);
const char *mon_mode_name(enum ab_mode mode);
void mon_usage_run(FILE *f);
void mon_usage(FILE *f);

/* ---- util.c --------------------------------------------------------- */

void mon_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A file read whole; 0 or -1 (reported). */
int mon_read_file(const char *path, uint8_t **data, size_t *size);
/* "256M", "1G", "65536K", "128" (MiB); 0 or -1. */
int mon_parse_size(const char *s, uint64_t *out);
/* "10", "0.5": nanoseconds; 0 or -1. */
int mon_parse_seconds(const char *s, uint64_t *ns);
uint64_t mon_now_ns(void);            /* CLOCK_MONOTONIC */
int mon_write_all(int fd, const void *buf, size_t len); /* 0 or -1 (errno) */

/* ---- mem.c: guest RAM ------------------------------------------------ */

struct mon_mem {
	uint8_t *host;
	uint64_t size;     /* all of it */
	uint64_t low;      /* bytes at GPA 0; the rest starts at 4 GiB */
};

/* 2 MiB-aligned, MADV_HUGEPAGE: KVM can map it with 2 MiB nested pages. */
int mon_mem_alloc(struct mon_mem *m, uint64_t size);
void mon_mem_free(struct mon_mem *m);
/* Bytes of guest RAM the host backs with huge pages now (/proc/self/smaps); -1: unknown. */
int64_t mon_mem_huge_bytes(const struct mon_mem *m);
/*
 * The one check of every guest-supplied range: a host pointer to GPA
 * [gpa, gpa + len) if all of it is RAM (within one range), else NULL.
 * len 0 is refused.
 */
void *mon_gpa(const struct mon_mem *m, uint64_t gpa, uint64_t len);

/* ---- elf.c --------------------------------------------------------- */

#define MON_ELF_MAX_LOADS 16

struct mon_elf_load {
	uint64_t offset, paddr, vaddr, filesz, memsz;
	uint32_t flags;
};

struct mon_elf {
	const char *path;
	const uint8_t *data;
	size_t size;
	uint64_t entry;
	struct mon_elf_load load[MON_ELF_MAX_LOADS];
	unsigned nload;
	uint64_t lo, hi;         /* physical extent of the loads */
	struct { uint64_t offset, len, align; } note[MON_ELF_MAX_LOADS];
	unsigned nnotes;
};

/* Check an ELF64 x86-64 executable's headers against its size; 0 or -1. */
int mon_elf_parse(const char *path, const uint8_t *data, size_t size, struct mon_elf *e);
/* Copy every PT_LOAD to its p_paddr (zero the rest of p_memsz); 0 or -1. */
int mon_elf_load(const struct mon_elf *e, const struct mon_mem *m);
/* The 32- or 64-bit value of a note (name, type): 0, 1 absent, -1 malformed (said). */
int mon_elf_note_value(const struct mon_elf *e, const char *name, uint32_t type, uint64_t *val);
/*
 * Check that e_entry is in an executable PT_LOAD, by its physical address
 * or by its virtual one where that is the physical + MON_KERNEL_MAP (both
 * mapped by the full-mode page tables); 0 or -1.
 */
int mon_elf_check_entry(const struct mon_elf *e);

/* ---- kvm.c --------------------------------------------------------- */

struct mon_vm;

struct mon_kvm_caps {
	bool coalesced_pio, tsc_deadline, stats_fd, emul_failure_bytes, tsc_khz;
	int nr_memslots;
};

int mon_kvm_open(int *fd, bool quiet);
int mon_kvm_create(struct mon_vm *vm);  /* VM, memory slots, vCPU, chips: 0 or -1 */
void mon_kvm_close(struct mon_vm *vm);
void mon_kvm_caps(int kvm_fd, struct mon_kvm_caps *c);
/* Drain the coalesced PIO ring (port 0x80 writes) into the devices. */
void mon_kvm_drain_pio(struct mon_vm *vm);

/* ---- cpuid.c ------------------------------------------------------- */

/* KVM's supported CPUID, our signature leaf, mode-dependent hiding; 0 or -1. */
int mon_cpuid_setup(struct mon_vm *vm);

/* ---- cpu.c: descriptors and entry state ----------------------------- */

/* Where the vCPU starts: what the boot code decided, set once KVM exists. */
struct mon_entry {
	bool long_mode;  /* true: 64-bit, full-mode page tables, %rsi = arg;
			    false: 32-bit protected mode, paging off, %ebx = arg (PVH) */
	uint64_t rip, arg;
};

void mon_gdt_write(const struct mon_mem *m);
int mon_cpu_enter(struct mon_vm *vm);
/* Linux's firmware defaults (fast strings, MTRRs write-back); the LAPIC off
 * under --mode previrt.  0 or -1. */
int mon_cpu_msrs(struct mon_vm *vm);

/* ---- boot-linux.c, boot-pvh.c -------------------------------------- */

/* The e820/PVH memory map of guest RAM (both modes; afterburn/boot.h). */
#define MON_E820_MAX 8
unsigned mon_e820_map(const struct mon_mem *m, struct ab_e820 *out);
struct mon_range {
	uint64_t addr, len;
};
/* The highest free 4 KiB-aligned spot for len bytes below top; 0: none. */
uint64_t mon_place_high(const struct mon_mem *m, uint64_t len, uint64_t top,
			const struct mon_range *avoid, unsigned navoid);
/* The MP table for KVM's LAPIC and IOAPIC (--mode full). */
void mon_mptable_write(const struct mon_mem *m);
/* --append at MON_CMDLINE_GPA; 0 or -1. */
int mon_cmdline_write(const struct mon_vm *vm);

/* Guest RAM filled in and vm->entry set, before /dev/kvm is opened. */
int mon_boot_linux(struct mon_vm *vm);  /* --mode full */
int mon_boot_pvh(struct mon_vm *vm);    /* --mode previrt */
/* Built into the binary (wedge-blob.S). */
extern const uint8_t mon_wedge_blob[], mon_wedge_blob_end[];

/* ---- console.c ----------------------------------------------------- */

struct mon_console {
	int fd;
	pthread_mutex_t lock; /* the vCPU thread and splitcore's poller both write */
	bool broken;        /* a write failed: output is dropped (said once) */
	uint64_t bytes, writes;
	FILE *times;        /* --console-times: each line stamped, NULL: none */
	uint64_t t0;        /* the run's start (CLOCK_MONOTONIC ns) */
	bool mid_line;
};

void mon_console_init(struct mon_console *c, int fd);
/* --console-times FILE: 0 or -1 (said). */
int mon_console_times(struct mon_console *c, const char *path);
void mon_console_write(struct mon_console *c, const void *buf, size_t len);
void mon_console_fini(struct mon_console *c);

/* ---- devices.c: the userspace port devices -------------------------- */

struct mon_devs {
	struct wedge_pio_bus bus;
	struct wedge_uart com1;
	struct wedge_rtc rtc;
	struct wedge_pci pci;
	struct wedge_port80 port80;
	struct wedge_pio_dev i8042, debug_exit;
	struct wedge_ata ata;      /* on the bus with --disk under --mode full */
	bool has_ata;
};

int mon_devs_init(struct mon_vm *vm);
/* An ISA interrupt line of the in-kernel PIC/IOAPIC (--mode full). */
void mon_irq_line(void *vm, unsigned irq, bool level);
/* One port access of the guest (size 1, 2, 4); *val in for `in`. */
void mon_pio(struct mon_vm *vm, uint16_t port, unsigned size, bool out, uint32_t *val);
/* Hand out the partial console line (timer, guest exit). */
void mon_devs_flush(struct mon_vm *vm);

/* ---- disk.c, disk-ata.c: --disk ----------------------------------------- */

struct mon_disk {
	const char *path;
	int fd;                    /* -1: no disk */
	uint64_t sectors;
	bool read_only;
	atomic_bool said;          /* a host I/O error was reported (once) */
	/* statistics; both threads transfer under splitcore (atomic adds) */
	atomic_uint_fast64_t reads, writes, flushes, sectors_read, sectors_written;
	atomic_uint_fast64_t errors, refused, io_ns;
};

/* Open and check --disk (before /dev/kvm): 0 or -1 (said, one line). */
int mon_disk_open(struct mon_disk *d, const char *path, bool read_only);
void mon_disk_close(struct mon_disk *d);
/* count whole sectors at lba (in range, checked by the caller): 0 or -AB_E_IO. */
int32_t mon_disk_read(struct mon_disk *d, uint64_t lba, unsigned count, void *buf);
int32_t mon_disk_write(struct mon_disk *d, uint64_t lba, unsigned count, const void *buf);
int32_t mon_disk_flush(struct mon_disk *d);
/*
 * A guest's request (AB_HC_DISK, a ring slot), every field checked: op,
 * count 1..AB_DISK_MAX_SECTORS, lba + count within the disk, the buffer's
 * GPA range in RAM; 0 or -AB_E_* (NOSYS without a disk, ROFS, IO, INVAL).
 */
int32_t mon_disk_request(struct mon_vm *vm, uint32_t op, uint64_t lba, uint32_t count,
			 uint64_t gpa);
/* --mode full: the ATA model on the primary channel, IRQ 14; 0 or -1. */
int mon_ata_attach(struct mon_vm *vm);

/* ---- clock.c: guest TSC, host timers, signals ------------------------ */

/* What the host timer can be waiting for; one POSIX timer serves all. */
enum mon_deadline { MON_DL_GUEST, MON_DL_CONSOLE, MON_DL_TIMEOUT, MON_DL_COUNT };

#define MON_KICK_SIGNAL SIGUSR1

struct mon_clock {
	uint64_t tsc_offset;       /* guest TSC = host rdtsc + tsc_offset */
	uint64_t tsc_khz;          /* the guest's (KVM_GET_TSC_KHZ) */
	uint64_t due[MON_DL_COUNT]; /* CLOCK_MONOTONIC ns, 0: none */
	uint64_t armed;            /* what the POSIX timer is set to, 0: none */
	timer_t timer;
	bool have_timer;
	sigset_t run_mask;         /* the mask inside KVM_RUN */
	sigset_t wait_set;         /* the signals we consume */
	int stop_signal;           /* SIGINT/SIGTERM/SIGHUP seen, 0: none */
};

int mon_clock_init(struct mon_vm *vm);
void mon_clock_fini(struct mon_clock *c);
uint64_t mon_rdtsc(void);
uint64_t mon_guest_tsc(const struct mon_clock *c);
/* Host CLOCK_MONOTONIC time at which the guest TSC reaches tsc. */
uint64_t mon_ns_of_guest_tsc(const struct mon_clock *c, uint64_t tsc);
void mon_clock_set(struct mon_clock *c, enum mon_deadline d, uint64_t due_ns);
/* Consume pending signals (after EINTR); wait at most timeout_ns (0: poll). */
void mon_clock_wait(struct mon_clock *c, uint64_t timeout_ns);

/* ---- irq.c: the shared-page protocol (previrt) ------------------------ */

/* Where the vCPU thread looks at the page: for the injection counts. */
enum mon_inject_at { MON_AT_EXIT, MON_AT_HLT, MON_AT_KICK };

struct mon_irq {
	struct ab_shared *shared;  /* NULL until HELLO */
	uint64_t shared_gpa;
	uint64_t armed;            /* guest TSC the host timer is set for, 0: none */
	bool halted;               /* in a hlt exit (splitcore arms the timer only then) */
	enum mon_inject_at at;
};

/* HELLO gave the page (checked): reset the monitor's fields. */
void mon_irq_attach(struct mon_vm *vm, struct ab_shared *sh, uint64_t gpa);
/* After every exit: the timer, then inject what the protocol allows. true: injected. */
bool mon_irq_service(struct mon_vm *vm);
/* The shared page's state on stderr, times relative to now (a hung guest's diagnosis). */
void mon_irq_report(const struct mon_vm *vm);

/* ---- ring.c, poller.c: --mode splitcore ------------------------------- */

/* Per ring op (index = enum ab_ring_op, 0 = not an op): counts and times. */
struct mon_ring_op {
	uint64_t n, ticks, max_ticks;  /* handling: pickup to DONE, host TSC ticks */
};

struct mon_ring {
	bool on;                       /* --mode splitcore */
	bool started;                  /* the thread exists */
	pthread_t thread, vcpu;
	int cpu_vcpu, cpu_poller;
	/* between the threads */
	struct ab_ring *_Atomic ring;  /* attached at HELLO (release) */
	struct ab_shared *shared;      /* written before ring */
	atomic_uint wake;              /* futex word: attach, resume, stop */
	atomic_bool halted;            /* the vCPU thread is in a hlt exit */
	atomic_bool sleeping;          /* the poller waits on wake */
	atomic_bool stop;              /* the run ended: drain and return */
	atomic_bool window;            /* the vCPU thread asked KVM for an interrupt window */
	atomic_bool kicked;            /* a grace kick not yet seen by the vCPU thread */
	_Atomic uint64_t resume_tsc;   /* host TSC: the vCPU thread left its last hlt */
	/* the poller's own */
	uint64_t next;                 /* the next request's seq (never the guest's index) */
	bool looked_empty;             /* the next slot was seen not POSTED ... */
	uint64_t empty_tsc;            /* ... last at this host TSC */
	bool due;
	uint64_t due_since;            /* host TSC: due became 1, or the last kick */
	bool exited;                   /* an EXIT was taken: nothing more */
	/* statistics, the poller's (read once it has ended) */
	struct mon_ring_op op[AB_RING_EXIT + 1];
	uint64_t rejected, failed, console_bytes;
	uint64_t pickups, pickup_ticks, pickup_max, queued;
	uint64_t sleeps, grace_kicks, due_rises;
	uint64_t drained;              /* requests done after the run had ended */
	uint64_t wakes, wake_ticks, wake_max; /* a sleep's end: resume to running again */
};

/* Check that two CPUs can be had and pick them (before /dev/kvm); 0 or -1. */
int mon_ring_plan(struct mon_vm *vm);
/* Pin the vCPU thread, start the poller (after mon_clock_init); 0 or -1. */
int mon_ring_start(struct mon_vm *vm);
/* HELLO gave the ring (checked): the poller starts taking requests. */
void mon_ring_attach(struct mon_vm *vm, struct ab_ring *ring, struct ab_shared *sh);
/* The vCPU thread enters (true) or leaves (false) a hlt exit. */
void mon_ring_halted(struct mon_vm *vm, bool halted);
/* The vCPU thread, before it injects: a grace kick since it last looked? (clears it) */
bool mon_ring_kicked(struct mon_vm *vm);
/* The run is over: the poller finishes what is posted, then ends (idempotent). */
void mon_ring_stop(struct mon_vm *vm);
/* The poller: take slot next % AB_RING_SLOTS if it is ready; true if one was taken. */
bool mon_ring_poll(struct mon_vm *vm, struct ab_ring *ring, uint64_t now);
/* Wake the vCPU thread out of KVM_RUN or its hlt sleep (any thread). */
void mon_kick_vcpu(struct mon_vm *vm);

/* ---- hcall.c ------------------------------------------------------- */

void mon_hcall(struct mon_vm *vm, unsigned nr, uint32_t gpa);

/* ---- stats.c, stats-json.c, kstats.c, trace.c, names.c --------------- */

struct mon_kstat {
	char name[48];
	uint64_t value;
	bool is_hist;
};

struct mon_kstats {
	bool ok;
	char why[160];       /* when !ok */
	struct mon_kstat *v;
	unsigned n;
};

#define MON_TRACE_MAX 96
struct mon_trace_row {
	uint64_t reason, count;
};
struct mon_trace {
	bool ok;
	char why[200];       /* when !ok */
	char dir[256];       /* our tracefs instance */
	bool svm;            /* exit codes are SVM's, else VMX's */
	unsigned n;
	struct mon_trace_row v[MON_TRACE_MAX];
	uint64_t total;
};

#define MON_EXIT_REASONS 64
#define MON_MMIO_PAGES 16

/* MMIO exits by 4 KiB page: which device a guest looked for. */
struct mon_mmio_page {
	uint64_t page, reads, writes;
};

struct mon_stats {
	uint64_t t_start, t_end, t_in_run;
	uint64_t exits[MON_EXIT_REASONS];  /* KVM_EXIT_* seen in userspace */
	uint64_t exits_other;
	uint64_t eintr;                    /* KVM_RUN returned EINTR */
	uint64_t pio_in[65536], pio_out[65536];
	uint64_t pio_coalesced;
	uint64_t pio_strings, pio_string_items; /* exits with io.count > 1, and their items */
	uint64_t mmio_reads, mmio_writes;
	struct mon_mmio_page mmio[MON_MMIO_PAGES]; /* the first pages touched */
	unsigned nmmio;
	uint64_t hcalls[AB_HC_PORT_COUNT];
	uint64_t hcall_bad;                /* no block to answer in: ignored */
	uint64_t hcall_refused;            /* answered with a negative ret */
	uint64_t injected, window_requests, bad_vectors, halts, halt_ns;
	uint64_t injected_hlt, injected_kick; /* of injected: at a hlt, after a grace kick */
	struct mon_kstats kvm_vm, kvm_vcpu;
	struct mon_trace trace;
};

struct mon_port_count {
	uint32_t port;
	bool out;
	uint64_t n;
};
/* Nonzero port counts, most frequent first (NULL: no memory); the caller frees. */
struct mon_port_count *mon_stats_ports(const struct mon_stats *st, unsigned *n);
void mon_stats_print(const struct mon_vm *vm, FILE *f);
int mon_stats_json(const struct mon_vm *vm, FILE *f);
/* The stats fd of a VM or vCPU read whole (errors kept in k->why). */
void mon_kstats_read(int fd, struct mon_kstats *k);
void mon_kstats_free(struct mon_kstats *k);
void mon_trace_start(struct mon_trace *t);
void mon_trace_stop(struct mon_trace *t);
const char *mon_kvm_exit_name(unsigned reason);
const char *mon_hw_exit_name(bool svm, uint64_t reason);
const char *mon_hcall_name(unsigned nr);
const char *mon_ring_op_name(unsigned op); /* 0: "invalid" (not an op, or a bad slot) */
/* Host TSC ticks in ns (the guest's tsc_khz is the host's: the monitor never scales it). */
double mon_ticks_ns(const struct mon_vm *vm, uint64_t ticks);

/* ---- run.c, dump.c ------------------------------------------------- */

struct mon_vm {
	const struct mon_config *cfg;
	int kvm_fd, vm_fd, vcpu_fd;
	struct kvm_run *run;
	size_t run_size;
	struct kvm_coalesced_mmio_ring *pio_ring;  /* NULL: no coalesced PIO */
	struct mon_kvm_caps caps;
	struct mon_mem mem;
	struct mon_entry entry;
	struct mon_devs devs;
	struct mon_console console;
	struct mon_clock clock;
	struct mon_irq irq;
	struct mon_disk disk;
	struct mon_ring ring;
	struct mon_stats *stats;
	uint32_t last_exit;       /* for the register dump */
	atomic_bool done;         /* set by mon_end, from either thread */
	atomic_int ending;        /* mon_end's first caller wins */
	int status;               /* the exit status, once done */
	const char *why;          /* how it ended, for the stats */
};

/* Run the guest until it ends; the exit status. */
int mon_run(struct mon_vm *vm);
/* End the run with status (first caller wins; any thread). */
void mon_end(struct mon_vm *vm, int status, const char *why);
void mon_dump(struct mon_vm *vm, const char *what);

/* main.c, info.c */
int mon_cmd_run(int argc, char **argv);
int mon_cmd_info(int argc, char **argv);

#endif
