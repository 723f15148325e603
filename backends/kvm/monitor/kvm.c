/*
 * The VM on /dev/kvm: one vCPU, guest RAM in one or two memory slots.
 *
 *   --mode full      KVM's in-kernel PIC + IOAPIC + LAPIC and PIT: the
 *                    legacy timer and interrupt path never leaves the kernel
 *   --mode previrt   no in-kernel chips: the wedge runs the PIC and PIT in
 *                    the guest and the monitor injects (irq.c)
 *
 * Port 0x80 (Linux's I/O delay) is coalesced where KVM can: its writes are
 * queued in a ring and never reach userspace one by one.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mon.h"

/* KVM's private pages in the 32-bit hole (Intel: real-mode TSS, EPT identity map). */
#define MON_KVM_IDMAP_GPA 0xfeffc000ull
#define MON_KVM_TSS_GPA (MON_KVM_IDMAP_GPA + 0x1000)
#define MON_POST_PORT 0x80

int mon_kvm_open(int *fd, bool quiet)
{
	*fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (*fd < 0) {
		if (quiet)
			return -1;
		if (errno == ENOENT)
			mon_err("no /dev/kvm: this machine has no KVM (load kvm_intel or kvm_amd)");
		else if (errno == EACCES || errno == EPERM)
			mon_err("/dev/kvm: permission denied (join the kvm group, or run as root)");
		else
			mon_err("/dev/kvm: %s", strerror(errno));
		return -1;
	}
	int v = ioctl(*fd, KVM_GET_API_VERSION, 0);
	if (v != KVM_API_VERSION) {
		if (!quiet)
			mon_err("/dev/kvm: API version %d, this monitor needs %d", v, KVM_API_VERSION);
		close(*fd);
		*fd = -1;
		return -1;
	}
	return 0;
}

void mon_kvm_caps(int kvm_fd, struct mon_kvm_caps *c)
{
	c->coalesced_pio = ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_COALESCED_PIO) > 0;
	c->tsc_deadline = ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_TSC_DEADLINE_TIMER) > 0;
	c->stats_fd = ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_BINARY_STATS_FD) > 0;
	c->emul_failure_bytes =
		ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_EXIT_ON_EMULATION_FAILURE) > 0;
	c->tsc_khz = ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_GET_TSC_KHZ) > 0;
	c->nr_memslots = ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS);
}

static int vm_ioctl(struct mon_vm *vm, unsigned long req, void *arg, const char *what)
{
	if (ioctl(vm->vm_fd, req, arg) < 0) {
		mon_err("%s: %s", what, strerror(errno));
		return -1;
	}
	return 0;
}

static int add_slot(struct mon_vm *vm, uint32_t slot, uint64_t gpa, uint64_t size, void *host)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot, .guest_phys_addr = gpa, .memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)host,
	};
	return vm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r, "KVM_SET_USER_MEMORY_REGION");
}

static int setup_memory(struct mon_vm *vm)
{
	struct mon_mem *m = &vm->mem;
	if (add_slot(vm, 0, 0, m->low, m->host))
		return -1;
	if (m->size > m->low &&
	    add_slot(vm, 1, MON_HIGH_RAM_BASE, m->size - m->low, m->host + m->low))
		return -1;
	return 0;
}

static int setup_chips(struct mon_vm *vm)
{
	uint64_t idmap = MON_KVM_IDMAP_GPA;
	if (vm_ioctl(vm, KVM_SET_IDENTITY_MAP_ADDR, &idmap, "KVM_SET_IDENTITY_MAP_ADDR"))
		return -1;
	if (ioctl(vm->vm_fd, KVM_SET_TSS_ADDR, (unsigned long)MON_KVM_TSS_GPA) < 0) {
		mon_err("KVM_SET_TSS_ADDR: %s", strerror(errno));
		return -1;
	}
	if (vm->cfg->mode != AB_MODE_FULL)
		return 0;
	/* The speaker port 0x61 in the kernel too: it gates PIT channel 2. */
	struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };
	if (vm_ioctl(vm, KVM_CREATE_IRQCHIP, NULL, "KVM_CREATE_IRQCHIP") ||
	    vm_ioctl(vm, KVM_CREATE_PIT2, &pit, "KVM_CREATE_PIT2"))
		return -1;
	return 0;
}

static void setup_coalesced_pio(struct mon_vm *vm)
{
	int page_off = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_COALESCED_MMIO);
	long page = sysconf(_SC_PAGESIZE);
	if (!vm->caps.coalesced_pio || page_off <= 0 ||
	    (size_t)(page_off + 1) * (size_t)page > vm->run_size)
		return;
	struct kvm_coalesced_mmio_zone z = { .addr = MON_POST_PORT, .size = 1, .pio = 1 };
	if (ioctl(vm->vm_fd, KVM_REGISTER_COALESCED_MMIO, &z) < 0)
		return;
	vm->pio_ring = (void *)((uint8_t *)vm->run + (size_t)page_off * (size_t)page);
}

static int create_vcpu(struct mon_vm *vm)
{
	vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu_fd < 0) {
		mon_err("KVM_CREATE_VCPU: %s", strerror(errno));
		return -1;
	}
	int sz = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (sz < (int)sizeof(struct kvm_run)) {
		mon_err("KVM_GET_VCPU_MMAP_SIZE: %s", sz < 0 ? strerror(errno) : "too small");
		return -1;
	}
	void *run = mmap(NULL, (size_t)sz, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu_fd, 0);
	if (run == MAP_FAILED) {
		mon_err("mmap of the vCPU's kvm_run: %s", strerror(errno));
		return -1;
	}
	vm->run = run;
	vm->run_size = (size_t)sz;
	return 0;
}

/* The PIC's output reaches the CPU through LINT0 as ExtINT, as firmware sets it. */
static int setup_lapic(struct mon_vm *vm)
{
	struct kvm_lapic_state l;
	if (ioctl(vm->vcpu_fd, KVM_GET_LAPIC, &l) < 0) {
		mon_err("KVM_GET_LAPIC: %s", strerror(errno));
		return -1;
	}
	uint32_t lvt0 = 0x700, lvt1 = 0x400; /* ExtINT, NMI; unmasked, edge */
	memcpy(l.regs + 0x350, &lvt0, 4);
	memcpy(l.regs + 0x360, &lvt1, 4);
	if (ioctl(vm->vcpu_fd, KVM_SET_LAPIC, &l) < 0) {
		mon_err("KVM_SET_LAPIC: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void enable_caps(struct mon_vm *vm)
{
	if (vm->caps.emul_failure_bytes) {
		struct kvm_enable_cap c = { .cap = KVM_CAP_EXIT_ON_EMULATION_FAILURE, .args = { 1 } };
		ioctl(vm->vm_fd, KVM_ENABLE_CAP, &c); /* only for the dump: best effort */
	}
}

int mon_kvm_create(struct mon_vm *vm)
{
	if (mon_kvm_open(&vm->kvm_fd, false))
		return -1;
	mon_kvm_caps(vm->kvm_fd, &vm->caps);
	if (vm->cfg->mode == AB_MODE_FULL &&
	    ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_IRQCHIP) <= 0) {
		mon_err("this KVM has no in-kernel irqchip, which --mode full needs");
		return -1;
	}
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0) {
		mon_err("KVM_CREATE_VM: %s", strerror(errno));
		return -1;
	}
	enable_caps(vm);
	if (setup_memory(vm) || setup_chips(vm) || create_vcpu(vm))
		return -1;
	if (vm->cfg->mode == AB_MODE_FULL && setup_lapic(vm))
		return -1;
	setup_coalesced_pio(vm);
	return 0;
}

void mon_kvm_close(struct mon_vm *vm)
{
	if (vm->run)
		munmap(vm->run, vm->run_size);
	vm->run = NULL;
	if (vm->vcpu_fd >= 0)
		close(vm->vcpu_fd);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	vm->vcpu_fd = vm->vm_fd = vm->kvm_fd = -1;
	mon_mem_free(&vm->mem);
}

void mon_kvm_drain_pio(struct mon_vm *vm)
{
	struct kvm_coalesced_mmio_ring *r = vm->pio_ring;
	if (!r)
		return;
	uint32_t max = (uint32_t)((sysconf(_SC_PAGESIZE) - sizeof(*r)) / sizeof(r->coalesced_mmio[0]));
	uint32_t first = r->first, last = __atomic_load_n(&r->last, __ATOMIC_ACQUIRE);
	while (first != last && first < max) {
		const struct kvm_coalesced_mmio *e = &r->coalesced_mmio[first];
		uint32_t v = 0;
		memcpy(&v, e->data, e->len <= 4 ? e->len : 4);
		unsigned size = e->len == 1 || e->len == 2 || e->len == 4 ? e->len : 1;
		mon_pio(vm, (uint16_t)e->phys_addr, size, true, &v);
		vm->stats->pio_coalesced++;
		first = (first + 1) % max;
	}
	__atomic_store_n(&r->first, first, __ATOMIC_RELEASE);
}
