/*
 * The native backend: bare hardware, where every sensitive instruction
 * simply runs.  The patch is the identity; the padding stays NOPs.
 */
#include "wedge/backend.h"

static int native_probe(void)
{
	return 1; /* always applies: the fallback */
}

/* The whole site, lead NOPs included: the identity, byte for byte. */
static unsigned native_patch(const struct wedge_site *site, uint8_t *out)
{
	for (unsigned i = 0; i < site->len; i++)
		out[i] = site->bytes[i];
	return site->len;
}

WEDGE_BACKEND(native_backend) = {
	.name = "native",
	.probe = native_probe,
	.patch = native_patch,
};
