/*
 * How the guest stops the machine.  One method per platform, chosen with
 * "exit=NAME" on the command line (default: the first).  A method lists
 * the sensitive instructions it executes, so that the final COUNT table can
 * include them (report.c).  A platform whose exit is a hypercall adds its
 * entry here.
 */
#include "guest.h"

/* QEMU -device isa-debug-exit,iobase=0xf4,iosize=0x04: exit status (v << 1) | 1. */
static void isa_debug_exit(int failed)
{
	outl(0xf4, failed ? 1 : 0);
}

/*
 * Our monitor's exit hypercall (previrt run, include/afterburn/abi.h):
 * one outl of the block's physical address to AB_HC_PORT_BASE + AB_HC_EXIT.
 * Status 1 for pass, 3 for failures: what isa-debug-exit gives, so a test
 * reads both alike.  A refused call returns (call.ret says why) and
 * platform_exit resets the machine.
 */
static void hypercall_exit(int failed)
{
	static struct ab_hc_exit call __attribute__((aligned(8)));

	call.status = failed ? 3 : 1;
	call.ret = 0;
	outl(AB_HC_PORT_BASE + AB_HC_EXIT, (uint32_t)PA(&call));
}

static const struct exit_method methods[] = {
	{ "isa-debug-exit", { AB_K_OUT }, { 1 }, isa_debug_exit },
	{ "hypercall", { AB_K_OUT }, { 1 }, hypercall_exit },
};

static const struct exit_method *selected = &methods[0];

const struct exit_method *exit_method(void)
{
	return selected;
}

bool exit_select(const char *name)
{
	for (unsigned i = 0; i < ARRAY_SIZE(methods); i++) {
		if (!strcmp(methods[i].name, name)) {
			selected = &methods[i];
			return true;
		}
	}
	return false;
}

/*
 * Still running after the exit method: no such device.  Reset the machine
 * by a triple fault (an empty IDT, then #UD): QEMU -no-reboot stops, with
 * a status the tests do not take for success.
 */
void platform_exit(int failed)
{
	static const struct desc_ptr no_idt = { 0, 0 };

	selected->exit(failed);
	printf("exit: %s did not stop the machine; resetting\n", selected->name);
	lidt(&no_idt);
	for (;;)
		__asm__ volatile("ud2");
}
