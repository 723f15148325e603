/*
 * Diagnostics of the host tools: one style everywhere,
 *   program: file:line: what is wrong
 * (":line" left out when 0, "file: " left out when NULL).
 */
#ifndef AB_DIAG_H
#define AB_DIAG_H

#include <stdarg.h>

extern const char *ab_prog; /* "afterburn" or "afterburn-as" */

__attribute__((format(printf, 3, 4)))
void ab_error(const char *file, unsigned long line, const char *fmt, ...);
void ab_verror(const char *file, unsigned long line, const char *fmt, va_list ap);
__attribute__((format(printf, 3, 4)))
void ab_warn(const char *file, unsigned long line, const char *fmt, ...);

#endif
