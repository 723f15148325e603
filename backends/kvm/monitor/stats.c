/*
 * --stats: the table on stderr.  Three views of the same exits:
 *
 *   KVM's counters     every exit, also those the kernel handles
 *                      (binary stats of the vCPU and the VM)
 *   tracefs            every exit by hardware reason (SVM/VMX codes)
 *   the monitor        exits that came back from KVM_RUN, port I/O by
 *                      port, hypercalls, injected interrupts, the disk,
 *                      splitcore's ring and polling thread
 */
#include <stdlib.h>
#include <string.h>

#include "mon.h"

#define TOP_PORTS 24

static int by_n(const void *a, const void *b)
{
	uint64_t x = ((const struct mon_port_count *)a)->n, y = ((const struct mon_port_count *)b)->n;
	return x < y ? 1 : x > y ? -1 : 0;
}

struct mon_port_count *mon_stats_ports(const struct mon_stats *st, unsigned *n)
{
	unsigned k = 0;
	for (unsigned p = 0; p < 65536; p++)
		k += (st->pio_in[p] != 0) + (st->pio_out[p] != 0);
	struct mon_port_count *v = calloc(k ? k : 1, sizeof(*v));
	*n = 0;
	if (!v)
		return NULL;
	for (unsigned p = 0; p < 65536; p++) {
		if (st->pio_in[p])
			v[(*n)++] = (struct mon_port_count){ p, false, st->pio_in[p] };
		if (st->pio_out[p])
			v[(*n)++] = (struct mon_port_count){ p, true, st->pio_out[p] };
	}
	qsort(v, *n, sizeof(*v), by_n);
	return v;
}

static void kstats(FILE *f, const char *title, const struct mon_kstats *k)
{
	if (!k->ok) {
		fprintf(f, "  %s: unavailable: %s\n", title, k->why);
		return;
	}
	fprintf(f, "  %s (nonzero)\n", title);
	for (unsigned i = 0; i < k->n; i++)
		if (k->v[i].value && !k->v[i].is_hist)
			fprintf(f, "    %-28s %12llu\n", k->v[i].name,
				(unsigned long long)k->v[i].value);
}

static void trace(FILE *f, const struct mon_trace *t)
{
	if (!t->ok) {
		fprintf(f, "  exits by hardware reason: unavailable: %s\n", t->why);
		return;
	}
	fprintf(f, "  exits by hardware reason (tracefs kvm:kvm_exit, %s codes): %llu\n",
		t->svm ? "SVM" : "VMX", (unsigned long long)t->total);
	for (unsigned i = 0; i < t->n; i++)
		fprintf(f, "    %-20s %#7llx %12llu %5.1f%%\n", mon_hw_exit_name(t->svm, t->v[i].reason),
			(unsigned long long)t->v[i].reason, (unsigned long long)t->v[i].count,
			100.0 * (double)t->v[i].count / (double)(t->total ? t->total : 1));
}

static void user_exits(FILE *f, const struct mon_stats *st)
{
	uint64_t total = st->exits_other;
	for (unsigned r = 0; r < MON_EXIT_REASONS; r++)
		total += st->exits[r];
	fprintf(f, "  exits to the monitor (KVM_RUN returned): %llu\n", (unsigned long long)total);
	for (unsigned r = 0; r < MON_EXIT_REASONS; r++)
		if (st->exits[r])
			fprintf(f, "    %-28s %12llu\n", mon_kvm_exit_name(r),
				(unsigned long long)st->exits[r]);
	if (st->exits_other)
		fprintf(f, "    %-28s %12llu\n", "other", (unsigned long long)st->exits_other);
}

static void ports(FILE *f, const struct mon_stats *st)
{
	unsigned n;
	struct mon_port_count *v = mon_stats_ports(st, &n);
	if (!v)
		return;
	fprintf(f, "  port I/O at the monitor, by port%s\n", n > TOP_PORTS ? " (the busiest)" : "");
	uint64_t rest = 0;
	for (unsigned i = 0; i < n; i++) {
		if (i < TOP_PORTS)
			fprintf(f, "    %#06x %-3s %30llu\n", v[i].port, v[i].out ? "out" : "in",
				(unsigned long long)v[i].n);
		else
			rest += v[i].n;
	}
	if (rest)
		fprintf(f, "    %-10s %30llu\n", "others", (unsigned long long)rest);
	if (st->pio_coalesced)
		fprintf(f, "    0x0080 out, coalesced %19llu\n", (unsigned long long)st->pio_coalesced);
	if (st->pio_strings)
		fprintf(f, "    string I/O (rep ins/outs): %llu exits moved %llu items\n",
			(unsigned long long)st->pio_strings, (unsigned long long)st->pio_string_items);
	free(v);
}

static void monitor(FILE *f, const struct mon_vm *vm)
{
	const struct mon_stats *st = vm->stats;
	uint64_t total = 0;
	fprintf(f, "  hypercalls:");
	for (unsigned i = 0; i < AB_HC_PORT_COUNT; i++) {
		total += st->hcalls[i];
		if (st->hcalls[i])
			fprintf(f, " %s %llu", mon_hcall_name(i), (unsigned long long)st->hcalls[i]);
	}
	fprintf(f, "%s; refused %llu, unanswerable %llu\n", total ? "" : " none",
		(unsigned long long)st->hcall_refused, (unsigned long long)st->hcall_bad);
	fprintf(f, "  interrupts injected %llu (at hlt %llu, after grace kicks %llu), window "
		"requests %llu, bad vectors %llu\n", (unsigned long long)st->injected,
		(unsigned long long)st->injected_hlt, (unsigned long long)st->injected_kick,
		(unsigned long long)st->window_requests, (unsigned long long)st->bad_vectors);
	fprintf(f, "  halts %llu (%.3f s halted), MMIO reads %llu writes %llu\n",
		(unsigned long long)st->halts, (double)st->halt_ns / 1e9,
		(unsigned long long)st->mmio_reads, (unsigned long long)st->mmio_writes);
	for (unsigned i = 0; i < st->nmmio; i++)
		fprintf(f, "    MMIO page %#llx: %llu reads, %llu writes\n",
			(unsigned long long)st->mmio[i].page, (unsigned long long)st->mmio[i].reads,
			(unsigned long long)st->mmio[i].writes);
	fprintf(f, "  console: %llu bytes in %llu writes\n", (unsigned long long)vm->console.bytes,
		(unsigned long long)vm->console.writes);
	int64_t huge = mon_mem_huge_bytes(&vm->mem);
	fprintf(f, "  guest RAM: %llu MiB, in huge pages now: ", (unsigned long long)(vm->mem.size / MON_MIB));
	if (huge < 0)
		fprintf(f, "unknown (no AnonHugePages in /proc/self/smaps)\n");
	else
		fprintf(f, "%lld MiB\n", (long long)(huge / (int64_t)MON_MIB));
}

double mon_ticks_ns(const struct mon_vm *vm, uint64_t ticks)
{
	return vm->clock.tsc_khz ? (double)ticks * 1e6 / (double)vm->clock.tsc_khz : 0;
}

static void disk(FILE *f, const struct mon_disk *d)
{
	if (d->fd < 0)
		return;
	fprintf(f, "  disk %s: %llu sectors%s: reads %llu (%llu sectors), writes %llu (%llu "
		"sectors), flushes %llu; refused %llu, host errors %llu; %.3f s in I/O\n", d->path,
		(unsigned long long)d->sectors, d->read_only ? " (read-only)" : "",
		(unsigned long long)d->reads, (unsigned long long)d->sectors_read,
		(unsigned long long)d->writes, (unsigned long long)d->sectors_written,
		(unsigned long long)d->flushes, (unsigned long long)d->refused,
		(unsigned long long)d->errors, (double)d->io_ns / 1e9);
}

static void ring_ops(FILE *f, const struct mon_vm *vm)
{
	const struct mon_ring *r = &vm->ring;
	fprintf(f, "    requests:");
	for (unsigned op = 1; op <= AB_RING_EXIT; op++)
		fprintf(f, " %s %llu", mon_ring_op_name(op), (unsigned long long)r->op[op].n);
	fprintf(f, "; invalid slots %llu; rejected (-AB_E_INVAL) %llu, failed %llu\n",
		(unsigned long long)r->op[0].n, (unsigned long long)r->rejected,
		(unsigned long long)r->failed);
	fprintf(f, "    handling, pickup to DONE (avg/max us):");
	for (unsigned op = 0; op <= AB_RING_EXIT; op++)
		if (r->op[op].n)
			fprintf(f, " %s %.2f/%.2f", mon_ring_op_name(op),
				mon_ticks_ns(vm, r->op[op].ticks / r->op[op].n) / 1e3,
				mon_ticks_ns(vm, r->op[op].max_ticks) / 1e3);
	fprintf(f, "\n");
}

static void ring(FILE *f, const struct mon_vm *vm)
{
	const struct mon_ring *r = &vm->ring;
	if (!r->on)
		return;
	fprintf(f, "  splitcore: vCPU thread pinned to CPU %d, polling thread to CPU %d\n",
		r->cpu_vcpu, r->cpu_poller);
	ring_ops(f, vm);
	fprintf(f, "    post to pickup, at most (since the slot was last seen empty): %llu timed, "
		"avg %.2f us, max %.2f us; %llu found already posted\n",
		(unsigned long long)r->pickups,
		r->pickups ? mon_ticks_ns(vm, r->pickup_ticks / r->pickups) / 1e3 : 0.0,
		mon_ticks_ns(vm, r->pickup_max) / 1e3, (unsigned long long)r->queued);
	fprintf(f, "    poller: %llu sleeps while the vCPU was halted, back %.2f us avg, %.2f us max "
		"after the vCPU resumed; due set %llu times; grace kicks %llu\n",
		(unsigned long long)r->sleeps,
		r->wakes ? mon_ticks_ns(vm, r->wake_ticks / r->wakes) / 1e3 : 0.0,
		mon_ticks_ns(vm, r->wake_max) / 1e3, (unsigned long long)r->due_rises,
		(unsigned long long)r->grace_kicks);
	if (r->drained)
		fprintf(f, "    drained at the end of the run: %llu requests\n",
			(unsigned long long)r->drained);
}

void mon_stats_print(const struct mon_vm *vm, FILE *f)
{
	const struct mon_stats *st = vm->stats;
	double wall = (double)(st->t_end - st->t_start) / 1e9;
	fprintf(f, "%s: stats: --mode %s, %.3f s wall, %.3f s in KVM_RUN, status %d (%s)\n",
		MON_NAME, mon_mode_name(vm->cfg->mode), wall,
		(double)st->t_in_run / 1e9, vm->status, vm->why ? vm->why : "?");
	kstats(f, "KVM vCPU stats", &st->kvm_vcpu);
	kstats(f, "KVM VM stats", &st->kvm_vm);
	trace(f, &st->trace);
	user_exits(f, st);
	ports(f, st);
	monitor(f, vm);
	disk(f, &vm->disk);
	ring(f, vm);
}
