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
 */
#define _GNU_SOURCE
#include <errno.h>
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
