/*
 * libFuzzer target over the audit's reading of untrusted files: libbfd
 * opening, sections, symbols, relocations, the site records and version
 * note, record validation, the sweep, and both report formats; some inputs
 * also go through `sites` and through `compare` (against themselves).  The
 * input goes to a memfd that libbfd opens by its /proc path, as it would a
 * file.
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
#include "../../afterburner/audit/compare.h"
#include "../../afterburner/cli.h"

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

	/* The last byte of the input picks what else runs, so all of it does. */
	unsigned pick = size ? data[size - 1] : 0;
	struct ab_audit_opts o = {
		.path = path,
		.json = pick & 1,
		.verbose = (pick & 2) != 0,
		.out = sink,
	};
	ab_audit_run(&o);
	if (pick & 4) {
		struct ab_cmp_stats st = { 0 };
		char msg[512];
		ab_compare_files(path, path, &st, msg, sizeof(msg));
	}
	if (pick & 8) {
		char *argv[] = { "sites", "--stats", "--json", path, NULL };
		ab_sites_main(4, argv); /* stdout: closed by -close_fd_mask */
	}
	return 0;
}
