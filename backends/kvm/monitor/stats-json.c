/*
 * --stats=json and --stats-file: the same numbers as the table, as one
 * JSON object (docs/monitor.md lists the keys).  Histograms of KVM's
 * binary stats appear as the sum of their buckets under "histograms".
 */
#include <stdlib.h>

#include "mon.h"

static void str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void key(FILE *f, const char *k, bool *first)
{
	fprintf(f, "%s", *first ? "" : ",");
	*first = false;
	str(f, k);
	fputc(':', f);
}

static void u64(FILE *f, const char *k, uint64_t v, bool *first)
{
	key(f, k, first);
	fprintf(f, "%llu", (unsigned long long)v);
}

static void kstats(FILE *f, const char *k, const struct mon_kstats *s, bool *first)
{
	key(f, k, first);
	if (!s->ok) {
		fprintf(f, "{\"available\":false,\"why\":");
		str(f, s->why);
		fputc('}', f);
		return;
	}
	bool a = true, h = true;
	fprintf(f, "{\"available\":true,\"stats\":{");
	for (unsigned i = 0; i < s->n; i++)
		if (!s->v[i].is_hist)
			u64(f, s->v[i].name, s->v[i].value, &a);
	fprintf(f, "},\"histograms\":{");
	for (unsigned i = 0; i < s->n; i++)
		if (s->v[i].is_hist)
			u64(f, s->v[i].name, s->v[i].value, &h);
	fprintf(f, "}}");
}

static void trace(FILE *f, const struct mon_trace *t, bool *first)
{
	key(f, "exit_reasons", first);
	if (!t->ok) {
		fprintf(f, "{\"available\":false,\"why\":");
		str(f, t->why);
		fputc('}', f);
		return;
	}
	fprintf(f, "{\"available\":true,\"source\":\"tracefs kvm:kvm_exit hist\",\"isa\":\"%s\","
		"\"total\":%llu,\"reasons\":[", t->svm ? "svm" : "vmx",
		(unsigned long long)t->total);
	for (unsigned i = 0; i < t->n; i++) {
		fprintf(f, "%s{\"code\":%llu,\"name\":", i ? "," : "",
			(unsigned long long)t->v[i].reason);
		str(f, mon_hw_exit_name(t->svm, t->v[i].reason));
		fprintf(f, ",\"count\":%llu}", (unsigned long long)t->v[i].count);
	}
	fprintf(f, "]}");
}

static void user_exits(FILE *f, const struct mon_stats *st, bool *first)
{
	bool a = true;
	key(f, "monitor_exits", first);
	fputc('{', f);
	for (unsigned r = 0; r < MON_EXIT_REASONS; r++)
		if (st->exits[r])
			u64(f, mon_kvm_exit_name(r), st->exits[r], &a);
	if (st->exits_other)
		u64(f, "other", st->exits_other, &a);
	fputc('}', f);
}

static void ports(FILE *f, const struct mon_stats *st, bool *first)
{
	unsigned n;
	struct mon_port_count *v = mon_stats_ports(st, &n);
	key(f, "pio", first);
	fputc('[', f);
	for (unsigned i = 0; v && i < n; i++)
		fprintf(f, "%s{\"port\":%u,\"port_hex\":\"%#x\",\"dir\":\"%s\",\"count\":%llu}",
			i ? "," : "", v[i].port, v[i].port, v[i].out ? "out" : "in",
			(unsigned long long)v[i].n);
	fputc(']', f);
	free(v);
}

static void hypercalls(FILE *f, const struct mon_stats *st, bool *first)
{
	bool a = true;
	key(f, "hypercalls", first);
	fputc('{', f);
	for (unsigned i = 0; i < AB_HC_PORT_COUNT; i++)
		if (st->hcalls[i])
			u64(f, mon_hcall_name(i), st->hcalls[i], &a);
	fputc('}', f);
}

static void num(FILE *f, const char *k, double v, bool *first)
{
	key(f, k, first);
	fprintf(f, "%.6f", v);
}

static void disk(FILE *f, const struct mon_disk *d, bool *first)
{
	bool a = true;
	key(f, "disk", first);
	if (d->fd < 0) {
		fprintf(f, "null");
		return;
	}
	fputc('{', f);
	key(f, "path", &a);
	str(f, d->path);
	u64(f, "sectors", d->sectors, &a);
	key(f, "read_only", &a);
	fprintf(f, "%s", d->read_only ? "true" : "false");
	u64(f, "reads", d->reads, &a);
	u64(f, "sectors_read", d->sectors_read, &a);
	u64(f, "writes", d->writes, &a);
	u64(f, "sectors_written", d->sectors_written, &a);
	u64(f, "flushes", d->flushes, &a);
	u64(f, "refused", d->refused, &a);
	u64(f, "errors", d->errors, &a);
	num(f, "io_s", (double)d->io_ns / 1e9, &a);
	fputc('}', f);
}

static void ring_ops(FILE *f, const struct mon_vm *vm, bool *first)
{
	const struct mon_ring *r = &vm->ring;
	bool a = true, b = true;
	key(f, "requests", first);
	fputc('{', f);
	for (unsigned op = 0; op <= AB_RING_EXIT; op++)
		u64(f, mon_ring_op_name(op), r->op[op].n, &a);
	fputc('}', f);
	key(f, "handle_ns", first);
	fputc('{', f);
	for (unsigned op = 0; op <= AB_RING_EXIT; op++) {
		if (!r->op[op].n)
			continue;
		bool c = true;
		key(f, mon_ring_op_name(op), &b);
		fputc('{', f);
		num(f, "avg", mon_ticks_ns(vm, r->op[op].ticks) / (double)r->op[op].n, &c);
		num(f, "max", mon_ticks_ns(vm, r->op[op].max_ticks), &c);
		fputc('}', f);
	}
	fputc('}', f);
}

static void ring(FILE *f, const struct mon_vm *vm, bool *first)
{
	const struct mon_ring *r = &vm->ring;
	bool a = true;
	key(f, "splitcore", first);
	if (!r->on) {
		fprintf(f, "null");
		return;
	}
	fputc('{', f);
	u64(f, "cpu_vcpu", (uint64_t)r->cpu_vcpu, &a);
	u64(f, "cpu_poller", (uint64_t)r->cpu_poller, &a);
	ring_ops(f, vm, &a);
	u64(f, "rejected", r->rejected, &a);
	u64(f, "failed", r->failed, &a);
	u64(f, "console_bytes", r->console_bytes, &a);
	u64(f, "pickups_timed", r->pickups, &a);
	num(f, "pickup_avg_ns", r->pickups ? mon_ticks_ns(vm, r->pickup_ticks) / (double)r->pickups
					   : 0, &a);
	num(f, "pickup_max_ns", mon_ticks_ns(vm, r->pickup_max), &a);
	u64(f, "found_posted", r->queued, &a);
	u64(f, "sleeps", r->sleeps, &a);
	num(f, "wake_avg_ns", r->wakes ? mon_ticks_ns(vm, r->wake_ticks) / (double)r->wakes : 0, &a);
	num(f, "wake_max_ns", mon_ticks_ns(vm, r->wake_max), &a);
	u64(f, "due_rises", r->due_rises, &a);
	u64(f, "grace_kicks", r->grace_kicks, &a);
	u64(f, "drained", r->drained, &a);
	fputc('}', f);
}

int mon_stats_json(const struct mon_vm *vm, FILE *f)
{
	const struct mon_stats *st = vm->stats;
	bool first = true;
	fputc('{', f);
	key(f, "mode", &first);
	str(f, mon_mode_name(vm->cfg->mode));
	u64(f, "status", (uint64_t)vm->status, &first);
	key(f, "end", &first);
	str(f, vm->why);
	key(f, "wall_s", &first);
	fprintf(f, "%.6f", (double)(st->t_end - st->t_start) / 1e9);
	key(f, "in_kvm_run_s", &first);
	fprintf(f, "%.6f", (double)st->t_in_run / 1e9);
	kstats(f, "kvm_vcpu", &st->kvm_vcpu, &first);
	kstats(f, "kvm_vm", &st->kvm_vm, &first);
	trace(f, &st->trace, &first);
	user_exits(f, st, &first);
	ports(f, st, &first);
	u64(f, "pio_coalesced", st->pio_coalesced, &first);
	u64(f, "pio_strings", st->pio_strings, &first);
	u64(f, "pio_string_items", st->pio_string_items, &first);
	hypercalls(f, st, &first);
	u64(f, "hypercalls_refused", st->hcall_refused, &first);
	u64(f, "hypercalls_unanswerable", st->hcall_bad, &first);
	u64(f, "injected", st->injected, &first);
	u64(f, "injected_at_hlt", st->injected_hlt, &first);
	u64(f, "injected_after_kick", st->injected_kick, &first);
	u64(f, "window_requests", st->window_requests, &first);
	u64(f, "bad_vectors", st->bad_vectors, &first);
	u64(f, "halts", st->halts, &first);
	key(f, "halted_s", &first);
	fprintf(f, "%.6f", (double)st->halt_ns / 1e9);
	u64(f, "mmio_reads", st->mmio_reads, &first);
	u64(f, "mmio_writes", st->mmio_writes, &first);
	key(f, "mmio_pages", &first);
	fputc('[', f);
	for (unsigned i = 0; i < st->nmmio; i++)
		fprintf(f, "%s{\"page\":\"%#llx\",\"reads\":%llu,\"writes\":%llu}", i ? "," : "",
			(unsigned long long)st->mmio[i].page, (unsigned long long)st->mmio[i].reads,
			(unsigned long long)st->mmio[i].writes);
	fputc(']', f);
	u64(f, "console_bytes", vm->console.bytes, &first);
	int64_t huge = mon_mem_huge_bytes(&vm->mem);
	key(f, "ram_huge_bytes", &first);
	if (huge < 0)
		fprintf(f, "null");
	else
		fprintf(f, "%lld", (long long)huge);
	disk(f, &vm->disk, &first);
	ring(f, vm, &first);
	fprintf(f, "}\n");
	return ferror(f) ? -1 : 0;
}
