/* JSON output helpers (json.h). */
#include <inttypes.h>

#include "json.h"

void ab_json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(out, "\\u%04x", *p); /* symbol names are bytes, not UTF-8 */
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

void ab_json_kv_str(FILE *out, int first, const char *key, const char *val)
{
	fprintf(out, "%s\"%s\": ", first ? "" : ", ", key);
	if (val)
		ab_json_str(out, val);
	else
		fputs("null", out);
}

void ab_json_kv_u64(FILE *out, int first, const char *key, uint64_t val)
{
	fprintf(out, "%s\"%s\": %" PRIu64, first ? "" : ", ", key, val);
}
