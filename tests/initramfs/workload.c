/*
 * The guest workload run by /init: three loops that exercise the paths a
 * hypervisor makes expensive, each timed with CLOCK_MONOTONIC.
 *
 *   syscall    getppid() in a loop                        -> syscall_ns
 *   forkexec   fork + execve(self, "--child") + waitpid    -> forkexec_us
 *   write      1-byte write() to /dev/console (8250 UART)  -> write_ns
 *
 * Output, one line each on stdout (the console), machine-parsable:
 *
 *   AFTERBURN-WORKLOAD-CONFIG: syscall_iters=N forkexec_iters=N write_iters=N
 *   AFTERBURN-WORKLOAD: syscall_ns=X forkexec_us=X write_ns=X
 *
 * Iteration counts are fixed at build time (override with -D) so that the
 * output of two kernels can be compared line by line once the numbers after
 * "_ns="/"_us=" are masked.  Exit status 0 on success, 1 on any failure
 * (with a line starting "AFTERBURN-WORKLOAD-ERROR:").
 *
 * The disk (tests/initramfs/init runs it when the kernel command line has
 * afterburn.disk=MIB):
 *
 *   workload --disk DEV MIB      write MIB MiB of a known pattern to DEV
 *                                (O_DIRECT, so it reaches the device), read
 *                                it back and compare:
 *                                AFTERBURN-DISK: mib=N write_mbs=X read_mbs=Y
 *                                AFTERBURN-DISK-OK, or AFTERBURN-DISK-FAIL: why
 *   workload --check-disk FILE MIB   on the host, after the run: does FILE
 *                                hold the pattern?  exit 0 or 1
 *
 * The pattern is a function of the sector number, so a sector written to
 * the wrong place, or not at all, is found.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYSCALL_ITERS
#define SYSCALL_ITERS 100000
#endif
#ifndef FORKEXEC_ITERS
#define FORKEXEC_ITERS 50
#endif
#ifndef WRITE_ITERS
#define WRITE_ITERS 400
#endif

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int fail(const char *what)
{
	printf("AFTERBURN-WORKLOAD-ERROR: %s: %s\n", what, strerror(errno));
	fflush(stdout);
	return 1;
}

/* ---- The disk -------------------------------------------------------- */

#define DISK_SECTOR 512
#define DISK_CHUNK (64 * 1024)

static void disk_pattern(uint8_t *buf, uint64_t first_sector, size_t bytes)
{
	for (size_t i = 0; i < bytes; i++) {
		uint64_t sector = first_sector + i / DISK_SECTOR;
		uint64_t x = (sector + 1) * 0x9e3779b97f4a7c15ull + (i % DISK_SECTOR) * 0x2545f491ull;
		buf[i] = (uint8_t)(x >> 29 ^ x >> 7);
	}
}

static int disk_fail(const char *what)
{
	printf("AFTERBURN-DISK-FAIL: %s: %s\n", what, strerror(errno));
	fflush(stdout);
	return 1;
}

/* One pass over MIB MiB: write (pattern) or read and compare. */
static int disk_pass(int fd, unsigned mib, bool writing, uint8_t *io, uint8_t *want,
		     uint64_t *ns)
{
	uint64_t t0 = now_ns();
	if (lseek(fd, 0, SEEK_SET) != 0)
		return disk_fail("lseek");
	for (uint64_t off = 0; off < (uint64_t)mib << 20; off += DISK_CHUNK) {
		disk_pattern(want, off / DISK_SECTOR, DISK_CHUNK);
		if (writing) {
			memcpy(io, want, DISK_CHUNK);
			if (write(fd, io, DISK_CHUNK) != DISK_CHUNK)
				return disk_fail("write");
		} else {
			if (read(fd, io, DISK_CHUNK) != DISK_CHUNK)
				return disk_fail("read");
			if (memcmp(io, want, DISK_CHUNK)) {
				errno = EIO;
				return disk_fail("the data read back differs from what was written");
			}
		}
	}
	if (writing && fsync(fd))
		return disk_fail("fsync");
	*ns = now_ns() - t0;
	return 0;
}

static double mb_per_s(unsigned mib, uint64_t ns)
{
	return ns ? (double)mib * 1048576.0 / 1e6 / ((double)ns / 1e9) : 0;
}

static int disk_test(const char *dev, unsigned mib)
{
	static uint8_t io[DISK_CHUNK] __attribute__((aligned(4096))), want[DISK_CHUNK];
	uint64_t w_ns = 0, r_ns = 0;
	int fd = open(dev, O_RDWR | O_DIRECT | O_SYNC);

	if (fd < 0)
		return disk_fail(dev);
	if (disk_pass(fd, mib, true, io, want, &w_ns) || disk_pass(fd, mib, false, io, want, &r_ns))
		return 1;
	close(fd);
	printf("AFTERBURN-DISK: mib=%u write_mbs=%.2f read_mbs=%.2f\n", mib, mb_per_s(mib, w_ns),
	       mb_per_s(mib, r_ns));
	printf("AFTERBURN-DISK-OK\n");
	fflush(stdout);
	return 0;
}

/* On the host: 0 when FILE starts with the pattern of MIB MiB. */
static int disk_check(const char *file, unsigned mib)
{
	static uint8_t got[DISK_CHUNK], want[DISK_CHUNK];
	FILE *f = fopen(file, "rb");

	if (!f) {
		fprintf(stderr, "workload: %s: %s\n", file, strerror(errno));
		return 1;
	}
	for (uint64_t off = 0; off < (uint64_t)mib << 20; off += DISK_CHUNK) {
		disk_pattern(want, off / DISK_SECTOR, DISK_CHUNK);
		if (fread(got, 1, DISK_CHUNK, f) != DISK_CHUNK || memcmp(got, want, DISK_CHUNK)) {
			fprintf(stderr, "workload: %s: the pattern differs in the 64 KiB at %llu\n",
				file, (unsigned long long)off);
			fclose(f);
			return 1;
		}
	}
	fclose(f);
	printf("workload: %s holds the pattern of %u MiB\n", file, mib);
	return 0;
}

static unsigned parse_mib(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	return *s && !*end && v > 0 && v <= 4096 ? (unsigned)v : 0;
}

/* ---- The loops -------------------------------------------------------- */

static int loop_syscall(uint64_t *ns)
{
	uint64_t t0 = now_ns();
	pid_t parent = getppid();

	for (int i = 0; i < SYSCALL_ITERS; i++)
		if (getppid() != parent)
			return errno = EINVAL, fail("getppid changed");
	*ns = now_ns() - t0;
	return 0;
}

static int loop_forkexec(const char *self, uint64_t *ns)
{
	uint64_t t0 = now_ns();

	for (int i = 0; i < FORKEXEC_ITERS; i++) {
		int status;
		pid_t pid = fork();

		if (pid < 0)
			return fail("fork");
		if (pid == 0) {
			char *argv[] = { (char *)self, "--child", NULL };
			char *envp[] = { NULL };

			execve(self, argv, envp);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) != pid)
			return fail("waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			errno = ECHILD;
			return fail("child did not exit 0 (execve failed?)");
		}
	}
	*ns = now_ns() - t0;
	return 0;
}

static int loop_write(uint64_t *ns)
{
	int fd = open("/dev/console", O_WRONLY | O_NOCTTY);
	uint64_t t0;

	if (fd < 0)
		return fail("open /dev/console");
	t0 = now_ns();
	for (int i = 0; i < WRITE_ITERS; i++)
		if (write(fd, ".", 1) != 1)
			return fail("write /dev/console");
	*ns = now_ns() - t0;
	if (write(fd, "\n", 1) != 1)
		return fail("write /dev/console");
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t sys_ns = 0, fe_ns = 0, wr_ns = 0;

	if (argc > 1 && !strcmp(argv[1], "--child"))
		return 0;
	if (argc == 4 && (!strcmp(argv[1], "--disk") || !strcmp(argv[1], "--check-disk"))) {
		unsigned mib = parse_mib(argv[3]);
		if (!mib) {
			fprintf(stderr, "workload: %s: not a size in MiB (1..4096)\n", argv[3]);
			return 2;
		}
		return argv[1][2] == 'd' ? disk_test(argv[2], mib) : disk_check(argv[2], mib);
	}
	if (argc > 1) {
		fprintf(stderr, "usage: workload | workload --disk DEV MIB | workload --check-disk FILE MIB\n");
		return 2;
	}

	printf("AFTERBURN-WORKLOAD-CONFIG: syscall_iters=%d forkexec_iters=%d write_iters=%d\n",
	       SYSCALL_ITERS, FORKEXEC_ITERS, WRITE_ITERS);
	fflush(stdout);
	if (loop_syscall(&sys_ns) || loop_forkexec(argv[0], &fe_ns) || loop_write(&wr_ns))
		return 1;
	printf("AFTERBURN-WORKLOAD: syscall_ns=%.1f forkexec_us=%.1f write_ns=%.1f\n",
	       (double)sys_ns / SYSCALL_ITERS, (double)fe_ns / FORKEXEC_ITERS / 1000.0,
	       (double)wr_ns / WRITE_ITERS);
	fflush(stdout);
	return 0;
}
