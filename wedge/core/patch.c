/*
 * Patching: the backend writes its replacement into a scratch copy, the
 * rest becomes NOPs, and only then does the site change, so a site is
 * never left half-written by a backend that bails out.
 */
#include "afterburn/abi.h"
#include "wedge/sites.h"

unsigned wedge_patch_site(const struct wedge_backend *be, const struct wedge_site *site)
{
	uint8_t buf[256];
	unsigned n = be->patch(site, buf);
	if (n > site->len) {
		wedge_bad_site(site, WEDGE_SITE_TOO_SHORT);
		return 0;
	}
	wedge_fill_nops(buf + n, site->len - n);
	for (unsigned i = 0; i < site->len; i++)
		site->bytes[i] = buf[i];
	return n;
}
