/*
 * Lookups over AB_KIND_TABLE (abi.h).  Freestanding: the wedge links the
 * same object as the host tools.
 */
#ifndef AFTERBURN_KIND_H
#define AFTERBURN_KIND_H

#include "afterburn/abi.h"

/* NULL for a kind this ABI version does not define. */
const char *ab_kind_name(unsigned kind);
const char *ab_class_name(unsigned cls);
/* 0 for an undefined kind. */
unsigned ab_kind_class(unsigned kind);
/* Padded site length of a kind, 0 for an undefined kind. */
unsigned ab_kind_pad(unsigned kind);
/* AB_K_NONE when no kind has that name. */
unsigned ab_kind_by_name(const char *name);

#endif
