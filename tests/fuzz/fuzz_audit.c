/*
 * libFuzzer target over the audit's reading of untrusted files: libbfd
 * opening, sections, symbols, relocations, the .afterburn records and the
 * note, record validation, the sweep, and both report formats.  The input
 * goes to a memfd that libbfd opens by its /proc path, as it would a file.
 *
 * Built by tests/fuzz/build.mk with clang-14 -fsanitize=fuzzer,address,
 * undefined from the same sources as build/bin/afterburn, minus main.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../afterburner/audit/audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int input_fd(void)
{
	static int fd = -1;
	if (fd < 0)
		fd = memfd_create("fuzz_audit", 0);
	if (fd < 0) {
		perror("memfd_create");
		abort();
	}
	return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	char path[64];
	int fd = input_fd();

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (ftruncate(fd, 0) || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);

	/* One byte of the input picks the report format, so both run. */
	struct ab_audit_opts o = {
		.path = path,
		.json = size && (data[size - 1] & 1),
		.verbose = size && (data[size - 1] & 2),
		.out = sink,
	};
	ab_audit_run(&o);
	return 0;
}
