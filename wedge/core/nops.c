/* NOP forms: the ones gas's .nops and Intel's manual recommend. */
#include "wedge/sites.h"

static const uint8_t nop_forms[9][9] = {
	{ 0 },
	{ 0x90 },
	{ 0x66, 0x90 },
	{ 0x0f, 0x1f, 0x00 },
	{ 0x0f, 0x1f, 0x40, 0x00 },
	{ 0x0f, 0x1f, 0x44, 0x00, 0x00 },
	{ 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },
	{ 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 },
	{ 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
};

void wedge_fill_nops(uint8_t *out, unsigned n)
{
	while (n) {
		unsigned k = n > 8 ? 8 : n;
		for (unsigned i = 0; i < k; i++)
			out[i] = nop_forms[k][i];
		out += k;
		n -= k;
	}
}

/* 0f 1f /0 with any ModRM memory form: the length its ModRM implies. */
static unsigned nopl_length(const uint8_t *p, unsigned n, unsigned prefix)
{
	if (n < prefix + 3 || p[prefix] != 0x0f || p[prefix + 1] != 0x1f)
		return 0;
	uint8_t m = p[prefix + 2];
	unsigned mod = m >> 6, rm = m & 7, len = prefix + 3;
	if (((m >> 3) & 7) != 0)
		return 0;
	if (mod != 3 && rm == 4)
		len++; /* SIB */
	if (mod == 1)
		len += 1;
	else if (mod == 2 || (mod == 0 && rm == 5))
		len += 4;
	return len <= n ? len : 0;
}

unsigned wedge_nop_length(const uint8_t *p, unsigned n)
{
	unsigned prefix = 0;
	if (n == 0)
		return 0;
	if (p[0] == 0x90)
		return 1;
	while (prefix < n && prefix < 8 && (p[prefix] == 0x66 || p[prefix] == 0x2e))
		prefix++;
	if (prefix && prefix < n && p[prefix] == 0x90)
		return prefix + 1; /* xchg %ax,%ax and friends */
	return nopl_length(p, n, prefix);
}
