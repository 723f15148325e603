/*
 * Exits by hardware reason from tracefs: a histogram trigger on the
 * kvm:kvm_exit tracepoint, keyed by exit_reason and filtered to this
 * process (the one vCPU thread), in a tracefs instance of our own so that
 * nobody else's tracing is touched:
 *
 *   mkdir   TRACEFS/instances/previrt-PID
 *   echo 'hist:keys=exit_reason:size=2048 if common_pid == PID'
 *       >   .../events/kvm/kvm_exit/trigger          (before the run)
 *   read    .../events/kvm/kvm_exit/hist             (after it)
 *   echo '!hist:keys=exit_reason:size=2048' > .../trigger; rmdir
 *
 * Needs root, tracefs mounted and CONFIG_HIST_TRIGGERS; when any is
 * missing the stats say which, and everything else is still counted.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mon.h"

#define HIST_KEYS "hist:keys=exit_reason:size=2048"

static const char *const roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool host_is_amd(void)
{
	uint32_t a, b, c, d;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
	return (b == 0x68747541 && d == 0x69746e65) ||  /* "AuthenticAMD" */
	       (b == 0x6f677948 && d == 0x656e6975);    /* "HygonGenuine" */
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	int r = fputs(text, f) < 0 ? -1 : 0;
	if (fclose(f))
		r = -1;
	return r;
}

static void unavailable(struct mon_trace *t, const char *fmt, const char *arg)
{
	int e = errno;
	char what[160];
	snprintf(what, sizeof(what), fmt, arg);
	snprintf(t->why, sizeof(t->why), "%s%s%s", what, e ? ": " : "", e ? strerror(e) : "");
}

static const char *find_root(void)
{
	char p[128];
	for (unsigned i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		snprintf(p, sizeof(p), "%s/events", roots[i]);
		if (is_dir(p))
			return roots[i];
	}
	return NULL;
}

void mon_trace_start(struct mon_trace *t)
{
	*t = (struct mon_trace){ .svm = host_is_amd() };
	errno = 0;
	const char *root = find_root();
	char p[512];
	if (!root) {
		errno = 0;
		unavailable(t, "%s", "tracefs is not mounted (mount -t tracefs tracefs "
			    "/sys/kernel/tracing)");
		return;
	}
	snprintf(p, sizeof(p), "%s/events/kvm/kvm_exit", root);
	if (!is_dir(p)) {
		errno = 0;
		unavailable(t, "no kvm:kvm_exit tracepoint in %s", root);
		return;
	}
	snprintf(t->dir, sizeof(t->dir), "%s/instances/previrt-%d", root, (int)getpid());
	if (mkdir(t->dir, 0700) && errno != EEXIST) {
		unavailable(t, "cannot create the tracefs instance %s", t->dir);
		t->dir[0] = '\0';
		return;
	}
	char cmd[128];
	snprintf(cmd, sizeof(cmd), HIST_KEYS " if common_pid == %d", (int)getpid());
	snprintf(p, sizeof(p), "%s/events/kvm/kvm_exit/trigger", t->dir);
	errno = 0;
	if (write_file(p, cmd)) {
		unavailable(t, "%s", "the kernel refused a hist trigger on kvm:kvm_exit "
			    "(CONFIG_HIST_TRIGGERS?)");
		rmdir(t->dir);
		t->dir[0] = '\0';
		return;
	}
	t->ok = true;
}

static void parse_line(struct mon_trace *t, const char *line)
{
	unsigned long long reason, count;
	if (sscanf(line, "{ exit_reason: %llu } hitcount: %llu", &reason, &count) != 2)
		return;
	t->total += count;
	if (t->n < MON_TRACE_MAX) {
		t->v[t->n].reason = reason;
		t->v[t->n].count = count;
		t->n++;
	}
}

static int by_count(const void *a, const void *b)
{
	uint64_t ca = ((const struct mon_trace_row *)a)->count;
	uint64_t cb = ((const struct mon_trace_row *)b)->count;
	return ca < cb ? 1 : ca > cb ? -1 : 0;
}

void mon_trace_stop(struct mon_trace *t)
{
	char p[512], line[256];
	if (!t->dir[0])
		return;
	snprintf(p, sizeof(p), "%s/events/kvm/kvm_exit/hist", t->dir);
	FILE *f = t->ok ? fopen(p, "r") : NULL;
	if (t->ok && !f) {
		unavailable(t, "cannot read %s", p);
		t->ok = false;
	}
	while (f && fgets(line, sizeof(line), f))
		parse_line(t, line);
	if (f)
		fclose(f);
	qsort(t->v, t->n, sizeof(t->v[0]), by_count);
	snprintf(p, sizeof(p), "%s/events/kvm/kvm_exit/trigger", t->dir);
	write_file(p, "!" HIST_KEYS);
	rmdir(t->dir);
	t->dir[0] = '\0';
}
