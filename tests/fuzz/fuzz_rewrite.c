/*
 * libFuzzer target over the rewriter's parser: any input must give either
 * a rewrite or a clean error, never a crash, a leak or undefined behaviour.
 * On success, every input line is still there, one output line each, in
 * front of the appended notes (the line-number promise gas messages rely on).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../afterburner/rewrite/rewrite.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t count_lines(const char *p, size_t n)
{
	size_t lines = 0;
	for (size_t i = 0; i < n; i++)
		lines += p[i] == '\n';
	return lines;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ab_buf out = { 0 };
	struct ab_rw_stats st = { 0 };
	const char *in = (const char *)data;

	if (ab_rewrite("fuzz.s", size ? in : "", size, &out, &st) == 0) {
		size_t in_lines = count_lines(in, size) + (size && in[size - 1] != '\n');
		if (count_lines(out.p, out.len) < in_lines)
			abort();
		if (out.len < size)
			abort();
	}
	ab_buf_free(&out);
	return 0;
}
