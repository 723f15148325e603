/*
 * The split-core ring (abi.h, struct ab_ring): requests go into slots in
 * order (slot seq % AB_RING_SLOTS), the monitor's polling thread takes
 * them in the same order.  A slot changes hands only through its `state`,
 * stored last with release order by its writer and loaded first with
 * acquire order by its reader.
 */
#include "kvm.h"

static struct ab_ring ring __attribute__((aligned(4096)));
static uint64_t next_seq = 1;

uint64_t kvm_ring_phys(void)
{
	return kvm_phys(&ring);
}

static uint32_t state_of(const struct ab_ring_slot *s)
{
	return __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
}

/*
 * One turn of a wait, without `pause`: KVM's pause-loop exiting turns a
 * run of pauses into an exit (and a yield of the vCPU), which is what the
 * ring exists to avoid, and under QEMU's TCG (the kvm-host platform) each
 * pause also leaves translated code for QEMU's main loop.  The waits are
 * short: the poller answers in well under a microsecond.
 */
static void spin(void)
{
	__asm__ volatile("" ::: "memory");
}

/* The next slot, once the request that had it (seq - 64) is done. */
static struct ab_ring_slot *claim(unsigned *index)
{
	*index = (unsigned)(next_seq % AB_RING_SLOTS);
	struct ab_ring_slot *s = &ring.slot[*index];
	while (state_of(s) == AB_SLOT_POSTED) {
		kvm.ring_full_spins++;
		spin();
	}
	if (state_of(s) == AB_SLOT_DONE && s->status)
		kvm.ring_errors++;
	return s;
}

static void post(struct ab_ring_slot *s, uint32_t op, uint64_t addr, uint64_t lba,
		 uint32_t count)
{
	s->op = op;
	s->seq = next_seq++;
	s->addr = addr;
	s->lba = lba;
	s->count = count;
	s->status = 0;
	s->done_tsc = 0;
	__atomic_store_n(&s->state, AB_SLOT_POSTED, __ATOMIC_RELEASE);
	kvm.ring_posts++;
}

static int32_t wait_done(struct ab_ring_slot *s)
{
	while (state_of(s) != AB_SLOT_DONE) {
		kvm.ring_wait_spins++;
		spin();
	}
	return s->status;
}

void kvm_ring_console(const char *buf, size_t len)
{
	while (len) {
		unsigned i, n = len > AB_RING_DATA ? AB_RING_DATA : (unsigned)len;
		struct ab_ring_slot *s = claim(&i);
		for (unsigned b = 0; b < n; b++)
			ring.data[i][b] = (uint8_t)buf[b];
		post(s, AB_RING_CONSOLE, 0, 0, n);
		buf += n;
		len -= n;
	}
}

int kvm_ring_disk(uint32_t op, uint64_t lba, unsigned count, const void *buf)
{
	unsigned i;
	struct ab_ring_slot *s = claim(&i);
	post(s, op, buf ? kvm_phys(buf) : 0, lba, count);
	return wait_done(s);
}

void kvm_ring_exit(int32_t status)
{
	unsigned i;
	struct ab_ring_slot *s = claim(&i);
	post(s, AB_RING_EXIT, 0, 0, (uint32_t)status);
	int32_t refused = wait_done(s);
	/* The monitor ends the run when it takes the request: nothing follows. */
	if (refused)
		wedge_panic("kvm: the monitor refused the exit with status %d (%d)", status, refused);
	kvm_halt_forever();
}
