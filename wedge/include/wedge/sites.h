/*
 * Reading, checking and patching the afterburner's site records in a
 * loaded guest image.  Freestanding; the same code runs in the wedge and
 * in host unit tests (where the image sits in a buffer: bias maps guest
 * virtual addresses to where the bytes are).
 */
#ifndef WEDGE_SITES_H
#define WEDGE_SITES_H

#include <stddef.h>
#include <stdint.h>

#include "wedge/backend.h"

struct wedge_range {
	uint64_t start, end; /* guest virtual, [start, end) */
};

struct wedge_image {
	const struct wedge_range *text;  /* executable ranges */
	size_t ntext;
	const struct wedge_range *notes; /* ranges holding ELF notes */
	size_t nnotes;
	intptr_t bias;                   /* host address = guest address + bias */
};

/* Why a record was refused; NULL-terminated names in wedge_site_error_name. */
enum wedge_site_error {
	WEDGE_SITE_OK = 0,
	WEDGE_SITE_OUTSIDE_TEXT,   /* site not inside an executable range */
	WEDGE_SITE_PAST_TEXT,      /* site + len runs past its range */
	WEDGE_SITE_BAD_KIND,       /* kind undefined in this ABI */
	WEDGE_SITE_BAD_FLAGS,      /* unknown flag bits */
	WEDGE_SITE_WRONG_BYTES,    /* bytes do not decode to the recorded kind */
	WEDGE_SITE_TOO_SHORT,      /* len smaller than the instruction */
	WEDGE_SITE_BAD_PADDING,    /* padding is not NOPs */
	WEDGE_SITE_OVERLAP,        /* overlaps (or repeats) another site */
	WEDGE_SITE_BAD_NOTE,       /* malformed note or table */
	WEDGE_SITE_USER_STACK,     /* the backend needs a stack, the site runs on the user's */
	WEDGE_SITE_ERROR_COUNT
};

const char *wedge_site_error_name(enum wedge_site_error e);

/*
 * Called for every bad record; the wedge's implementation panics with the
 * site address, kind and length.  Host tests provide their own.
 */
void wedge_bad_site(const struct wedge_site *site, enum wedge_site_error why);

typedef void wedge_site_fn(struct wedge_site *site, void *ctx);

/*
 * Read every record of every "Afterburn" SITES note in the image's note
 * ranges, check it alone (everything but overlap), and call fn for each
 * good one.  Returns the number of bad records (each reported).
 */
size_t wedge_sites_read(const struct wedge_image *img, wedge_site_fn *fn, void *ctx);

/* Check one site alone; fills site->insn_len on success. */
enum wedge_site_error wedge_site_check(const struct wedge_image *img, struct wedge_site *site);

/*
 * Sort sites by address (in place) and report overlapping or repeated
 * ones; returns how many.
 */
size_t wedge_sites_check_overlap(struct wedge_site *sites, size_t n);

/* Patch one checked site with a backend; returns the bytes it wrote. */
unsigned wedge_patch_site(const struct wedge_backend *be, const struct wedge_site *site);

/*
 * A call into the wedge next to a site's instruction, the instruction kept
 * in place (core/place.c has the layouts).  wedge_call_placement says where
 * a call must go for the instruction to behave (before it when it has lead
 * NOPs or never falls through).  wedge_site_call writes the site with a
 * `call rel32` to target and returns the bytes written, or 0 when the site
 * has no room or the target is out of reach.
 */
enum wedge_call_at { WEDGE_CALL_AFTER, WEDGE_CALL_BEFORE };
enum wedge_call_at wedge_call_placement(const struct wedge_site *site);
unsigned wedge_site_call(const struct wedge_site *site, uint8_t *out, uint64_t target,
			 enum wedge_call_at at);
/*
 * The same layouts with a `jmp rel32` instead of the call, for a thunk
 * that must not push (a site on the user's stack): *resume is the guest
 * address right after the jmp, where the thunk must jump back.
 */
unsigned wedge_site_jmp(const struct wedge_site *site, uint8_t *out, uint64_t target,
			enum wedge_call_at at, uint64_t *resume);

/*
 * Mark the sites that run on the user's stack (site->user_stack), in sites
 * sorted by address (wedge_sites_check_overlap sorts them), reading the
 * code around them in img.  Returns how many (core/stack.c).
 */
size_t wedge_sites_mark_user_stack(const struct wedge_image *img, struct wedge_site *sites,
				   size_t n);

/* Fill out[0..n) with the fewest NOPs (the recommended multi-byte forms). */
void wedge_fill_nops(uint8_t *out, unsigned n);
/* Length of the NOP at p (0 when p[0..n) does not start with one). */
unsigned wedge_nop_length(const uint8_t *p, unsigned n);

#endif
