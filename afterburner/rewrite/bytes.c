/*
 * ".byte 0x0f,0x01,0xcb": an instruction spelled as data.  When a .byte
 * statement in 64-bit executable code holds exactly one sensitive
 * instruction, it becomes a site like the mnemonic would (flag AB_F_BYTES).
 * Anything else spelled in bytes is left to the binary audit.
 */
#include <stdint.h>
#include <stdlib.h>

#include "afterburn/decode.h"
#include "afterburn/kind.h"
#include "rw.h"

/* Parse "n, n, n" of integer literals; -1 if anything else is there. */
static int parse_bytes(const char *a, size_t n, uint8_t *out, size_t max, size_t *count)
{
	size_t i = 0;
	*count = 0;
	while (i < n) {
		i = rw_skip_blanks(a, i, n);
		char *endp;
		char tmp[32];
		size_t k = 0;
		while (i + k < n && a[i + k] != ',' && k < sizeof(tmp) - 1) {
			tmp[k] = a[i + k];
			k++;
		}
		while (k && (tmp[k - 1] == ' ' || tmp[k - 1] == '\t'))
			k--;
		tmp[k] = 0;
		if (k == 0 || *count == max)
			return -1;
		unsigned long v = strtoul(tmp, &endp, 0);
		if (*endp || v > 0xff)
			return -1;
		out[(*count)++] = (uint8_t)v;
		while (i < n && a[i] != ',')
			i++;
		if (i < n)
			i++;
	}
	return *count ? 0 : -1;
}

unsigned rw_decode_byte_list(const char *args, size_t alen)
{
	uint8_t bytes[16];
	size_t count;
	struct ab_insn insn;

	if (parse_bytes(args, alen, bytes, sizeof(bytes), &count))
		return AB_K_NONE;
	if (ab_decode_sensitive(bytes, count, &insn) || insn.len != count)
		return AB_K_NONE;
	return insn.kind;
}

void rw_byte_directive(struct rw *rw, size_t start, size_t end, const char *args, size_t alen)
{
	unsigned kind;
	if (rw->mode != 64 || !rw_section_exec(rw))
		return;
	kind = rw_decode_byte_list(args, alen);
	if (kind != AB_K_NONE)
		rw_site(rw, start, end, kind, AB_F_BYTES | rw_site_flags(rw), kind == AB_K_STI);
}
