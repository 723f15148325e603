/*
 * --mode splitcore: the monitor's side of the ring (include/afterburn/abi.h,
 * "The split-core ring", struct ab_ring), run by the polling thread
 * (poller.c).  The ring is guest memory, so every byte of it may change
 * under us at any time:
 *
 *   - the poller keeps its own sequence number `next` and looks only at
 *     slot next % AB_RING_SLOTS; no index the guest writes is ever used;
 *   - `state` is loaded with acquire order, then the whole slot is copied
 *     and only the copy is checked and used (the guest may rewrite the
 *     slot meanwhile; what it changes then is its own problem, never ours);
 *   - console bytes are copied out of data[] before they are written;
 *   - status and done_tsc are written, then `state` = DONE with release
 *     order, which hands the slot back.
 *
 *   slot's state (acquire)   what the poller does
 *   +-----------------------+---------------------------------------------+
 *   | FREE, DONE            | nothing yet: the request is not posted      |
 *   | POSTED                | copy, check, do it, complete, next++        |
 *   | anything else         | complete with -AB_E_INVAL (counted), next++ |
 *   +-----------------------+---------------------------------------------+
 *
 *   op (of the copy)    valid when                           does
 *   +------------------+-----------------------------------+--------------------+
 *   | CONSOLE          | count <= AB_RING_DATA             | data[i] to stdout  |
 *   | DISK_READ/WRITE  | disk.c's check: count 1..256,     | pread/pwrite into  |
 *   |                  | lba + count on the disk, addr's   | guest RAM          |
 *   |                  | range in RAM (else -AB_E_INVAL);  |                    |
 *   |                  | -AB_E_NOSYS without a disk,       |                    |
 *   |                  | -AB_E_ROFS, -AB_E_IO              |                    |
 *   | DISK_FLUSH       | a disk (addr, lba, count ignored) | fsync              |
 *   | EXIT             | count (the status) 0..123         | ends the run       |
 *   | anything else    | never                             | -AB_E_INVAL        |
 *   +------------------+-----------------------------------+--------------------+
 *
 * A slot whose seq is not `next` is completed with -AB_E_INVAL and taken
 * as request `next` all the same, so the ring keeps moving; an invalid
 * slot is counted as rejected, a valid one whose transfer failed as
 * failed.  Requests are done one at a time, in seq order, so console lines
 * come out in order and an EXIT ends the run only after everything posted
 * before it is written.  The reserved bytes are not looked at.
 */
#include <string.h>

#include "mon.h"

#define INVAL (-(int32_t)AB_E_INVAL)

static uint32_t load_state(struct ab_ring_slot *s)
{
	return atomic_load_explicit((_Atomic uint32_t *)&s->state, memory_order_acquire);
}

static void complete(struct mon_vm *vm, struct ab_ring_slot *s, int32_t status)
{
	s->status = status;
	s->done_tsc = mon_guest_tsc(&vm->clock);
	atomic_store_explicit((_Atomic uint32_t *)&s->state, AB_SLOT_DONE, memory_order_release);
}

static int32_t console(struct mon_vm *vm, const struct ab_ring *ring, unsigned i, uint32_t count)
{
	uint8_t line[AB_RING_DATA];
	if (count > AB_RING_DATA)
		return INVAL;
	if (!count)
		return 0; /* nothing to write: not even the console's lock */
	memcpy(line, ring->data[i], count);
	mon_console_write(&vm->console, line, count);
	vm->ring.console_bytes += count;
	return 0;
}

static int32_t exit_request(struct mon_vm *vm, uint32_t status)
{
	if (status > MON_EXIT_GUEST_MAX)
		return INVAL;
	vm->ring.exited = true; /* the caller ends the run once the slot is DONE */
	return 0;
}

static int32_t execute(struct mon_vm *vm, const struct ab_ring *ring, unsigned i,
		       const struct ab_ring_slot *req)
{
	switch (req->op) {
	case AB_RING_CONSOLE: return console(vm, ring, i, req->count);
	case AB_RING_DISK_READ:
		return mon_disk_request(vm, AB_DISK_READ, req->lba, req->count, req->addr);
	case AB_RING_DISK_WRITE:
		return mon_disk_request(vm, AB_DISK_WRITE, req->lba, req->count, req->addr);
	case AB_RING_DISK_FLUSH: return mon_disk_request(vm, AB_DISK_FLUSH, 0, 0, 0);
	case AB_RING_EXIT: return exit_request(vm, req->count);
	default: return INVAL;
	}
}

static void account(struct mon_ring *r, uint32_t op, int32_t status, uint64_t ticks)
{
	struct mon_ring_op *o = &r->op[op <= AB_RING_EXIT ? op : 0];
	o->n++;
	o->ticks += ticks;
	if (ticks > o->max_ticks)
		o->max_ticks = ticks;
	r->rejected += status == INVAL;
	r->failed += status && status != INVAL;
}

/* Post to pickup: at most the time since the slot was last seen not posted. */
static void pickup(struct mon_ring *r, uint64_t now)
{
	if (!r->looked_empty) {
		r->queued++; /* posted before we could look: no bound */
		return;
	}
	uint64_t gap = now - r->empty_tsc;
	r->pickups++;
	r->pickup_ticks += gap;
	if (gap > r->pickup_max)
		r->pickup_max = gap;
}

static void take(struct mon_vm *vm, struct ab_ring *ring, unsigned i, bool posted,
		 uint64_t now)
{
	struct mon_ring *r = &vm->ring;
	struct ab_ring_slot *s = &ring->slot[i], req;
	memcpy(&req, s, sizeof(req));
	int32_t status = INVAL;
	if (!posted || req.seq != r->next)
		req.op = 0; /* counted as "not an op" */
	else
		status = execute(vm, ring, i, &req);
	pickup(r, now);
	complete(vm, s, status);
	account(r, req.op, status, mon_rdtsc() - now);
	r->next++;
	r->looked_empty = false;
	if (r->exited) {
		mon_end(vm, (int)req.count, "the guest posted AB_RING_EXIT");
		mon_kick_vcpu(vm);
	}
}

bool mon_ring_poll(struct mon_vm *vm, struct ab_ring *ring, uint64_t now)
{
	struct mon_ring *r = &vm->ring;
	unsigned i = (unsigned)(r->next % AB_RING_SLOTS);
	uint32_t state = load_state(&ring->slot[i]);
	if (state == AB_SLOT_FREE || state == AB_SLOT_DONE) {
		r->looked_empty = true;
		r->empty_tsc = now;
		return false;
	}
	take(vm, ring, i, state == AB_SLOT_POSTED, now);
	return true;
}
