/* Minimal JSON output helpers: escaping, and key/value writers. */
#ifndef AB_AUDIT_JSON_H
#define AB_AUDIT_JSON_H

#include <stdint.h>
#include <stdio.h>

/* s as a quoted, escaped JSON string. */
void ab_json_str(FILE *out, const char *s);
/* "key": "value" / "key": 123, preceded by a comma unless first. */
void ab_json_kv_str(FILE *out, int first, const char *key, const char *val);
void ab_json_kv_u64(FILE *out, int first, const char *key, uint64_t val);

#endif
