/*
 * The test guest's internal interface (one header for the whole guest:
 * it is small).  Freestanding C11: <stdint.h>, <stddef.h>, <stdarg.h> and
 * <stdbool.h> only.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "afterburn/abi.h"
#include "defs.h"
#include "insn.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define NORETURN __attribute__((noreturn))
#define PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Physical address of something in the kernel image, and back. */
#define PA(p) ((uint64_t)(uintptr_t)(p) - KERNEL_VIRT_BASE)
#define VA_PHYS(pa) ((void *)(uintptr_t)(pa)) /* through the identity map (< 1 GiB) */

/* lib.c */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) PRINTF(3, 4);
int printf(const char *fmt, ...) PRINTF(1, 2);

/* console.c: the 8250/16550 UART at 0x3f8, polled. */
#define UART_BASE 0x3f8
#define UART_LSR (UART_BASE + 5)
#define UART_SCR (UART_BASE + 7)
#define UART_LSR_THRE 0x20
void console_init(void);
void console_write(const char *s, size_t n);
/* in/out executed by the console so far (report.c subtracts them per check). */
extern uint64_t console_in, console_out;

/* report.c: results, counters, the final table. */
extern uint64_t ab_count[AB_K_COUNT];
void report(bool cond, const char *fmt, ...) PRINTF(2, 3);
void report_skip(const char *fmt, ...) PRINTF(1, 2);
void report_info(const char *fmt, ...) PRINTF(1, 2);
void run_checks(void);
NORETURN void finish(void);
extern unsigned n_pass, n_fail, n_skip;

/* exit.c: how the guest stops the machine (docs/test-guest.md, "Exit"). */
struct exit_method {
	const char *name;
	/* Sensitive instructions exit() executes before the machine stops. */
	uint8_t cost_kind[2];
	uint8_t cost_n[2];
	void (*exit)(int failed);
};
const struct exit_method *exit_method(void);
bool exit_select(const char *name);
NORETURN void platform_exit(int failed);

/* boot.c */
struct boot_info {
	int from;                 /* BOOT_FROM_* */
	uint64_t info_pa;         /* hvm_start_info or boot_params, physical */
	const char *cmdline;      /* never NULL */
};
extern struct boot_info boot;
/* The value of "key=value" on the command line, or NULL; "key" alone gives "". */
const char *cmdline_get(const char *key, char *buf, size_t size);
bool cmdline_has_word(const char *list_key, const char *word);

/* desc.c: GDT, TSS, IDT, traps. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};
extern uint64_t gdt[GDT_ENTRIES];
extern struct desc_ptr gdt_desc, idt_desc;
void desc_init(void);
void tss_load(void);
/*
 * Expect one trap of vector vec: the handler records it and resumes at
 * resume (0: the interrupted instruction's next one is the CPU's business,
 * for traps such as int $n).  Any other exception is a failure.
 */
struct trap_record {
	bool hit;
	uint64_t vector, error, rip, cs, cr2;
};
void expect_trap(uint64_t vec, uint64_t resume);
struct trap_record expected_trap_result(void);
extern volatile uint64_t timer_ticks, spurious_irqs, other_irqs;
/* Where the first timer tick after a reset to 0 interrupted the guest. */
extern volatile uint64_t timer_first_rip;
const char *vector_name(uint64_t vec);

/* entry.S */
extern char isr_stubs[];
#define ISR_STUB_SIZE 16
void syscall_entry(void);
/* Enter ring 3 at rip with stack rsp and %rdi = arg; returns the SYS_EXIT argument. */
uint64_t enter_user(uint64_t rip, uint64_t rsp, uint64_t arg);
NORETURN void leave_user(uint64_t value);
extern volatile uint64_t syscall_pings;
/* iretq to the next instruction; returns 1 when it got there. */
int iret_to_self(void);
int lret_to_self(void);
/* ljmp / lcall + lretl through m16:32 pointers (entry.S); 1 when they got there. */
int far_jmp_test(void);
int far_call_test(void);

/* user.S: the user program (its page is mapped at USER_CODE_VA). */
extern char user_text_start[], user_text_end[];
extern char user_ping[], user_exit[], user_fault[], user_fault_resume[];
#define USER_ADDR(sym) (USER_CODE_VA + (uint64_t)((sym) - user_text_start))

/* head.S */
void guest_entry64(void);
NORETURN void loader64_enter(uint64_t pml4, uint64_t boot_params, uint64_t entry);

/* mm.c: the guest's own 4-level page tables. */
void mm_init(void);
uint64_t mm_root(void);
/* The PTE of a page of the user/test window (USER_VA .. +2 MiB). */
volatile uint64_t *mm_window_pte(uint64_t va);
#define PTE_P 0x1
#define PTE_W 0x2
#define PTE_U 0x4
#define PTE_PS 0x80

/* pic.c: 8259A pair and 8254 PIT. */
void pic_init(void);
void pic_mask(uint16_t mask);
void pic_eoi(unsigned irq);
uint8_t pic_read_irr(void);
uint8_t pic_read_isr(void);
void pit_start(uint16_t divisor);

/* The checks (checks-*.c), run in this order by report.c. */
void check_irqflags(void);
void check_timer(void);
void check_hlt(void);
void check_uart(void);
void check_ports(void);
void check_rtc(void);
void check_cpuid(void);
void check_cr(void);
void check_dr(void);
void check_cr0_tasks(void);
void check_tlb(void);
void check_caches(void);
void check_msr(void);
void check_desc_tables(void);
void check_task_register(void);
void check_segments(void);
void check_lar_lsl(void);
void check_swapgs(void);
void check_fsgsbase(void);
void check_iret(void);
void check_far(void);
void check_int_n(void);
void check_user(void);
void check_syscall(void);
void check_user_pf(void);
void check_rdtscp(void);
void check_rdpmc(void);
void check_xsetbv(void);
void check_monitor(void);
void check_smap(void);
void check_invpcid(void);

/* bench.c: "bench[=N]" on the command line, instead of the checks. */
NORETURN void run_bench(const char *arg);

/* CPUID helpers (check-cpu.c). */
bool cpu_has(uint32_t leaf, uint32_t sub, int reg, int bit);
enum { REG_EAX, REG_EBX, REG_ECX, REG_EDX };

#endif
