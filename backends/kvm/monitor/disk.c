/*
 * --disk FILE: the guest's disk, a host file of 512-byte sectors, and the
 * one check every guest request for it goes through.  Three ways in, one
 * backing:
 *
 *   mode       the guest sees                  reaches this file through
 *   +----------+-------------------------------+------------------------------+
 *   | full     | an ATA disk, primary channel  | disk-ata.c: the wedge's ATA  |
 *   |          | (every port access an exit)   | model's callbacks            |
 *   | previrt  | the wedge's ATA model, in     | AB_HC_DISK (hcall.c)         |
 *   |          | place                         |                              |
 *   | splitcore| the same                      | AB_RING_DISK_* (ring.c), on  |
 *   |          |                               | the polling thread           |
 *   +----------+-------------------------------+------------------------------+
 *
 * Transfers are synchronous pread/pwrite on the host's page cache; FLUSH
 * is fsync, so a guest's flush is as durable as the host file.  Any host
 * error becomes -AB_E_IO for the guest (said once on stderr, counted), and
 * never stops the run.  The file is locked (flock) so that two monitors
 * cannot write one disk; a read-only disk takes a shared lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mon.h"

static int open_error(const char *path, bool read_only, int e)
{
	if (!read_only && (e == EROFS || e == EACCES || e == EPERM || e == ETXTBSY))
		mon_err("--disk %s: cannot be opened for writing (%s); --disk-readonly gives the "
			"guest a read-only disk", path, strerror(e));
	else
		mon_err("--disk %s: %s", path, strerror(e));
	return -1;
}

/* Regular files and block devices; the size a whole number of sectors. */
static int check_size(struct mon_disk *d, const char *path)
{
	struct stat st;
	if (fstat(d->fd, &st) || !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))) {
		mon_err("--disk %s: not a regular file or a block device", path);
		return -1;
	}
	off_t size = lseek(d->fd, 0, SEEK_END);
	if (size < 0) {
		mon_err("--disk %s: cannot find its size: %s", path, strerror(errno));
		return -1;
	}
	if (size == 0 || size % AB_DISK_SECTOR) {
		mon_err("--disk %s: %lld bytes, %s", path, (long long)size,
			size ? "not a multiple of 512 (whole sectors only)" : "empty: no sector");
		return -1;
	}
	d->sectors = (uint64_t)size / AB_DISK_SECTOR;
	return 0;
}

static int lock(struct mon_disk *d, const char *path)
{
	if (!flock(d->fd, (d->read_only ? LOCK_SH : LOCK_EX) | LOCK_NB))
		return 0;
	if (errno != EWOULDBLOCK)
		return 0; /* a file system without locks: nothing to guard with */
	mon_err("--disk %s: in use by another process (it holds a lock on it)", path);
	return -1;
}

int mon_disk_open(struct mon_disk *d, const char *path, bool read_only)
{
	d->path = path;
	d->read_only = read_only;
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		mon_err("--disk %s: a directory, not a disk image", path);
		return -1;
	}
	d->fd = open(path, (read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (d->fd < 0)
		return open_error(path, read_only, errno);
	if (check_size(d, path) || lock(d, path)) {
		mon_disk_close(d);
		return -1;
	}
	return 0;
}

void mon_disk_close(struct mon_disk *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

static int32_t io_error(struct mon_disk *d, const char *what, uint64_t lba, unsigned count,
			int e)
{
	atomic_fetch_add(&d->errors, 1);
	if (!atomic_exchange(&d->said, true))
		mon_err("disk %s: %s of %u sectors at %llu: %s; the guest gets -AB_E_IO (said once)",
			d->path, what, count, (unsigned long long)lba, e ? strerror(e) : "end of file");
	return -(int32_t)AB_E_IO;
}

static void took(struct mon_disk *d, uint64_t t0)
{
	atomic_fetch_add(&d->io_ns, mon_now_ns() - t0);
}

int32_t mon_disk_read(struct mon_disk *d, uint64_t lba, unsigned count, void *buf)
{
	uint64_t t0 = mon_now_ns();
	size_t len = (size_t)count * AB_DISK_SECTOR, got = 0;
	while (got < len) {
		ssize_t r = pread(d->fd, (uint8_t *)buf + got, len - got,
				  (off_t)(lba * AB_DISK_SECTOR + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) /* 0: the file shrank under us */
			return io_error(d, "read", lba, count, r ? errno : 0);
		got += (size_t)r;
	}
	took(d, t0);
	atomic_fetch_add(&d->reads, 1);
	atomic_fetch_add(&d->sectors_read, count);
	return 0;
}

int32_t mon_disk_write(struct mon_disk *d, uint64_t lba, unsigned count, const void *buf)
{
	uint64_t t0 = mon_now_ns();
	size_t len = (size_t)count * AB_DISK_SECTOR, put = 0;
	while (put < len) {
		ssize_t r = pwrite(d->fd, (const uint8_t *)buf + put, len - put,
				   (off_t)(lba * AB_DISK_SECTOR + put));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return io_error(d, "write", lba, count, r ? errno : ENOSPC);
		put += (size_t)r;
	}
	took(d, t0);
	atomic_fetch_add(&d->writes, 1);
	atomic_fetch_add(&d->sectors_written, count);
	return 0;
}

int32_t mon_disk_flush(struct mon_disk *d)
{
	uint64_t t0 = mon_now_ns();
	atomic_fetch_add(&d->flushes, 1);
	if (!d->read_only && fsync(d->fd))
		return io_error(d, "flush", 0, 0, errno);
	took(d, t0);
	return 0;
}

static int32_t check(const struct mon_vm *vm, uint32_t op, uint64_t lba, uint32_t count)
{
	const struct mon_disk *d = &vm->disk;
	if (d->fd < 0)
		return -(int32_t)AB_E_NOSYS;
	if (op != AB_DISK_READ && op != AB_DISK_WRITE && op != AB_DISK_FLUSH)
		return -(int32_t)AB_E_INVAL;
	if (op == AB_DISK_FLUSH)
		return 0; /* lba, count and buf mean nothing to a flush */
	if (count < 1 || count > AB_DISK_MAX_SECTORS || lba >= d->sectors ||
	    count > d->sectors - lba)
		return -(int32_t)AB_E_INVAL;
	return 0;
}

int32_t mon_disk_request(struct mon_vm *vm, uint32_t op, uint64_t lba, uint32_t count,
			 uint64_t gpa)
{
	struct mon_disk *d = &vm->disk;
	int32_t r = check(vm, op, lba, count);
	void *buf = NULL;
	if (!r && op != AB_DISK_FLUSH) {
		buf = mon_gpa(&vm->mem, gpa, (uint64_t)count * AB_DISK_SECTOR);
		if (!buf)
			r = -(int32_t)AB_E_INVAL;
		else if (op == AB_DISK_WRITE && d->read_only)
			r = -(int32_t)AB_E_ROFS;
	}
	if (r) {
		atomic_fetch_add(&d->refused, 1);
		return r;
	}
	if (op == AB_DISK_FLUSH)
		return mon_disk_flush(d);
	return op == AB_DISK_READ ? mon_disk_read(d, lba, count, buf)
				  : mon_disk_write(d, lba, count, buf);
}
