/*
 * Names for the numbers in the stats and the register dump: KVM's exits
 * to userspace (KVM_EXIT_*), the hardware exit codes of the kvm:kvm_exit
 * tracepoint (SVM's VMEXIT codes or VMX's basic exit reasons, the names
 * KVM's own tracepoint prints), our hypercalls and the ring's ops.
 */
#include "mon.h"

const char *mon_kvm_exit_name(unsigned reason)
{
	static const char *const names[] = {
		[KVM_EXIT_UNKNOWN] = "unknown", [KVM_EXIT_EXCEPTION] = "exception",
		[KVM_EXIT_IO] = "io", [KVM_EXIT_HYPERCALL] = "hypercall",
		[KVM_EXIT_DEBUG] = "debug", [KVM_EXIT_HLT] = "hlt", [KVM_EXIT_MMIO] = "mmio",
		[KVM_EXIT_IRQ_WINDOW_OPEN] = "irq_window_open", [KVM_EXIT_SHUTDOWN] = "shutdown",
		[KVM_EXIT_FAIL_ENTRY] = "fail_entry", [KVM_EXIT_INTR] = "intr",
		[KVM_EXIT_SET_TPR] = "set_tpr", [KVM_EXIT_TPR_ACCESS] = "tpr_access",
		[KVM_EXIT_NMI] = "nmi", [KVM_EXIT_INTERNAL_ERROR] = "internal_error",
		[KVM_EXIT_SYSTEM_EVENT] = "system_event", [KVM_EXIT_IOAPIC_EOI] = "ioapic_eoi",
		[KVM_EXIT_X86_RDMSR] = "x86_rdmsr", [KVM_EXIT_X86_WRMSR] = "x86_wrmsr",
		[KVM_EXIT_X86_BUS_LOCK] = "x86_bus_lock", [KVM_EXIT_NOTIFY] = "notify",
	};
	if (reason < sizeof(names) / sizeof(names[0]) && names[reason])
		return names[reason];
	return "other";
}

struct code_name {
	uint16_t code;
	const char *name;
};

static const struct code_name svm[] = {
	{ 0x000, "read_cr0" }, { 0x003, "read_cr3" }, { 0x004, "read_cr4" },
	{ 0x008, "read_cr8" }, { 0x010, "write_cr0" }, { 0x013, "write_cr3" },
	{ 0x014, "write_cr4" }, { 0x018, "write_cr8" }, { 0x020, "read_dr0" },
	{ 0x027, "read_dr7" }, { 0x030, "write_dr0" }, { 0x037, "write_dr7" },
	{ 0x041, "excp_db" }, { 0x043, "excp_bp" }, { 0x046, "excp_ud" },
	{ 0x04e, "excp_pf" }, { 0x051, "excp_ac" }, { 0x052, "excp_mc" },
	{ 0x060, "intr" }, { 0x061, "nmi" }, { 0x062, "smi" }, { 0x063, "init" },
	{ 0x064, "vintr" }, { 0x065, "cr0_sel_write" }, { 0x06e, "rdtsc" },
	{ 0x06f, "rdpmc" }, { 0x070, "pushf" }, { 0x071, "popf" }, { 0x072, "cpuid" },
	{ 0x073, "rsm" }, { 0x074, "iret" }, { 0x075, "swint" }, { 0x076, "invd" },
	{ 0x077, "pause" }, { 0x078, "hlt" }, { 0x079, "invlpg" }, { 0x07a, "invlpga" },
	{ 0x07b, "io" }, { 0x07c, "msr" }, { 0x07d, "task_switch" },
	{ 0x07e, "ferr_freeze" }, { 0x07f, "shutdown" }, { 0x080, "vmrun" },
	{ 0x081, "hypercall" }, { 0x082, "vmload" }, { 0x083, "vmsave" },
	{ 0x084, "stgi" }, { 0x085, "clgi" }, { 0x086, "skinit" }, { 0x087, "rdtscp" },
	{ 0x088, "icebp" }, { 0x089, "wbinvd" }, { 0x08a, "monitor" }, { 0x08b, "mwait" },
	{ 0x08c, "mwait_cond" }, { 0x08d, "xsetbv" }, { 0x08e, "rdpru" },
	{ 0x08f, "efer_trap" }, { 0x090, "cr0_trap" }, { 0x094, "cr4_trap" },
	{ 0x098, "cr8_trap" }, { 0x0a2, "invpcid" }, { 0x400, "npf" },
	{ 0x401, "avic_incomplete_ipi" }, { 0x402, "avic_unaccelerated_access" },
	{ 0x403, "vmgexit" },
};

static const struct code_name vmx[] = {
	{ 0, "EXCEPTION_NMI" }, { 1, "EXTERNAL_INTERRUPT" }, { 2, "TRIPLE_FAULT" },
	{ 3, "INIT_SIGNAL" }, { 4, "SIPI_SIGNAL" }, { 7, "INTERRUPT_WINDOW" },
	{ 8, "NMI_WINDOW" }, { 9, "TASK_SWITCH" }, { 10, "CPUID" }, { 12, "HLT" },
	{ 13, "INVD" }, { 14, "INVLPG" }, { 15, "RDPMC" }, { 16, "RDTSC" },
	{ 18, "VMCALL" }, { 28, "CR_ACCESS" }, { 29, "DR_ACCESS" },
	{ 30, "IO_INSTRUCTION" }, { 31, "MSR_READ" }, { 32, "MSR_WRITE" },
	{ 33, "INVALID_STATE" }, { 34, "MSR_LOAD_FAIL" }, { 36, "MWAIT_INSTRUCTION" },
	{ 37, "MONITOR_TRAP_FLAG" }, { 39, "MONITOR_INSTRUCTION" },
	{ 40, "PAUSE_INSTRUCTION" }, { 41, "MCE_DURING_VMENTRY" },
	{ 43, "TPR_BELOW_THRESHOLD" }, { 44, "APIC_ACCESS" }, { 45, "EOI_INDUCED" },
	{ 46, "GDTR_IDTR" }, { 47, "LDTR_TR" }, { 48, "EPT_VIOLATION" },
	{ 49, "EPT_MISCONFIG" }, { 50, "INVEPT" }, { 51, "RDTSCP" },
	{ 52, "PREEMPTION_TIMER" }, { 53, "INVVPID" }, { 54, "WBINVD" }, { 55, "XSETBV" },
	{ 56, "APIC_WRITE" }, { 57, "RDRAND" }, { 58, "INVPCID" }, { 59, "VMFUNC" },
	{ 61, "RDSEED" }, { 62, "PML_FULL" }, { 63, "XSAVES" }, { 64, "XRSTORS" },
	{ 67, "UMWAIT" }, { 68, "TPAUSE" }, { 74, "BUS_LOCK" }, { 75, "NOTIFY" },
};

const char *mon_hw_exit_name(bool is_svm, uint64_t code)
{
	const struct code_name *t = is_svm ? svm : vmx;
	size_t n = is_svm ? sizeof(svm) / sizeof(svm[0]) : sizeof(vmx) / sizeof(vmx[0]);
	if (!is_svm)
		code &= 0xffff; /* the basic exit reason */
	for (size_t i = 0; i < n; i++)
		if (t[i].code == code)
			return t[i].name;
	return "?";
}

const char *mon_hcall_name(unsigned nr)
{
	static const char *const names[AB_HC_PORT_COUNT] = {
		"hello", "console", "exit", "kick", "disk", "nr5", "nr6", "nr7", "nr8", "nr9",
		"nr10", "nr11", "nr12", "nr13", "nr14", "nr15",
	};
	_Static_assert(AB_HC_COUNT == 5 && AB_HC_PORT_COUNT == 16, "hypercall names");
	return nr < AB_HC_PORT_COUNT ? names[nr] : "?";
}

const char *mon_ring_op_name(unsigned op)
{
	static const char *const names[] = {
		[0] = "invalid", [AB_RING_CONSOLE] = "console", [AB_RING_DISK_READ] = "disk_read",
		[AB_RING_DISK_WRITE] = "disk_write", [AB_RING_DISK_FLUSH] = "disk_flush",
		[AB_RING_EXIT] = "exit",
	};
	_Static_assert(AB_RING_EXIT == 5, "ring op names");
	return op < sizeof(names) / sizeof(names[0]) ? names[op] : "?";
}
