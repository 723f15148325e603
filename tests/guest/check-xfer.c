/* Privileged control transfers: iretq, far transfers, int $n, ring 3, syscall/sysret, #PF. */
#include "guest.h"

void check_iret(void)
{
	report(iret_to_self() == 1, "iretq to the next instruction in ring 0");
	report(read_cs() == KERNEL_CS && read_ss() == KERNEL_DS, "cs and ss after iretq");
	report(lret_to_self() == 1, "lretq to the next instruction (reloads cs)");
}

void check_far(void)
{
	report(far_jmp_test() == 1, "ljmp through an m16:32 pointer");
	report(far_call_test() == 1, "lcall through an m16:32 pointer, lretl back");
	report(read_cs() == KERNEL_CS, "cs after far transfers (%#x)", read_cs());
}

void check_int_n(void)
{
	expect_trap(0x40, 0);
	INT_N(0x40);
	struct trap_record r = expected_trap_result();
	report(r.hit && r.vector == 0x40, "int $0x40 reaches vector 0x40");
	report(r.hit && r.cs == KERNEL_CS, "from ring 0 (cs %#lx)", r.cs);
}

static uint64_t user_stack_top(void)
{
	return USER_STACK_VA + 4096;
}

void check_user(void)
{
	uint64_t v = enter_user(USER_ADDR(user_exit), user_stack_top(), 0);

	report(v == 0x600d, "iretq to ring 3; the user program's syscall came back (%#lx)", v);
	report(read_cs() == KERNEL_CS, "back in the kernel's cs (%#x)", read_cs());
	write_ds(KERNEL_DS); /* iretq to ring 3 nulled ds/es (DPL 0) */
	write_es(KERNEL_DS);
}

void check_syscall(void)
{
	uint64_t pings = syscall_pings;
	uint64_t v = enter_user(USER_ADDR(user_ping), user_stack_top(), 0);

	report(syscall_pings == pings + 1, "syscall from ring 3 reaches LSTAR");
	report(v == 0x1234, "sysretq returns to ring 3 with the result (%#lx)", v);
	report((rdmsr(MSR_STAR) >> 48) + 16 == USER_CS, "STAR: sysretq to the user code selector");
	write_ds(KERNEL_DS);
	write_es(KERNEL_DS);
}

static void user_fault_at(uint64_t va, uint64_t want_error, const char *what)
{
	expect_trap(14, USER_ADDR(user_fault_resume));
	uint64_t v = enter_user(USER_ADDR(user_fault), user_stack_top(), va);
	struct trap_record r = expected_trap_result();

	report(r.hit && r.cr2 == va, "%s: #PF with cr2 = %#lx (%#lx)", what, va, r.cr2);
	report(r.hit && r.error == want_error && (r.cs & 3) == 3, "%s: error code %#lx from ring 3 (%#lx, cs %#lx)",
	       what, want_error, r.error, r.cs);
	report(v == 0xfa17, "%s: resumed in ring 3 after the handler (%#lx)", what, v);
}

void check_user_pf(void)
{
	user_fault_at(USER_HOLE_VA, 0x4, "unmapped page");
	*mm_window_pte(TEST_VA) = PA(gdt) & ~0xfffull; /* any frame, supervisor only */
	*mm_window_pte(TEST_VA) |= PTE_P;
	invlpg((const void *)TEST_VA);
	user_fault_at(TEST_VA, 0x5, "supervisor page");
	*mm_window_pte(TEST_VA) = 0;
	invlpg((const void *)TEST_VA);
	write_ds(KERNEL_DS);
	write_es(KERNEL_DS);
}
