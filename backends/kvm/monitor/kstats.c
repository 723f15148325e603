/*
 * KVM's binary statistics (KVM_GET_STATS_FD, Documentation/virt/kvm/api.rst
 * 4.134): a header, descriptors with names, and the data, all read with
 * pread.  Counters and gauges keep their value; a histogram is summed.
 * These count what the kernel handles too (exits, io_exits, halt_exits,
 * irq_window_exits, signal_exits, insn_emulation, ...), which the monitor
 * alone cannot see.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "mon.h"

#define MAX_DESC 1024
#define MAX_NAME 256
#define MAX_VALUES 4096

static int why(struct mon_kstats *k, const char *what)
{
	snprintf(k->why, sizeof(k->why), "%s%s%s", what, errno ? ": " : "",
		 errno ? strerror(errno) : "");
	return -1;
}

static int read_at(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t r = pread(fd, buf, len, (off_t)off);
	if (r != (ssize_t)len) {
		if (r >= 0)
			errno = 0;
		return -1;
	}
	return 0;
}

static uint64_t value(int fd, const struct kvm_stats_header *h, const struct kvm_stats_desc *d,
		      bool *ok)
{
	uint64_t v[MAX_VALUES], sum = 0;
	unsigned n = d->size < MAX_VALUES ? d->size : MAX_VALUES;
	*ok = n && !read_at(fd, v, n * sizeof(v[0]), (uint64_t)h->data_offset + d->offset);
	for (unsigned i = 0; *ok && i < n; i++)
		sum += v[i];
	return sum;
}

static int read_all(int fd, struct mon_kstats *k)
{
	struct kvm_stats_header h;
	errno = 0;
	if (read_at(fd, &h, sizeof(h), 0))
		return why(k, "reading the stats header");
	if (h.num_desc > MAX_DESC || h.name_size > MAX_NAME || h.name_size == 0) {
		errno = 0;
		return why(k, "a stats header this monitor does not understand");
	}
	size_t dsz = sizeof(struct kvm_stats_desc) + h.name_size;
	uint8_t *descs = malloc(dsz * (h.num_desc ? h.num_desc : 1));
	k->v = calloc(h.num_desc ? h.num_desc : 1, sizeof(*k->v));
	if (!descs || !k->v || read_at(fd, descs, dsz * h.num_desc, h.desc_offset)) {
		free(descs);
		return why(k, "reading the stats descriptors");
	}
	for (uint32_t i = 0; i < h.num_desc; i++) {
		const struct kvm_stats_desc *d = (const void *)(descs + i * dsz);
		bool ok;
		uint64_t v = value(fd, &h, d, &ok);
		if (!ok)
			continue;
		struct mon_kstat *s = &k->v[k->n++];
		snprintf(s->name, sizeof(s->name), "%.*s", (int)h.name_size, d->name);
		s->value = v;
		uint32_t type = d->flags & KVM_STATS_TYPE_MASK;
		s->is_hist = type == KVM_STATS_TYPE_LINEAR_HIST || type == KVM_STATS_TYPE_LOG_HIST;
	}
	free(descs);
	return 0;
}

void mon_kstats_read(int obj_fd, struct mon_kstats *k)
{
	*k = (struct mon_kstats){ 0 };
	errno = 0;
	int fd = ioctl(obj_fd, KVM_GET_STATS_FD, NULL);
	if (fd < 0) {
		why(k, "KVM_GET_STATS_FD");
		return;
	}
	k->ok = read_all(fd, k) == 0;
	close(fd);
}

void mon_kstats_free(struct mon_kstats *k)
{
	free(k->v);
	k->v = NULL;
	k->n = 0;
}
