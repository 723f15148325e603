/*
 * The guest as the wedge loads and starts it on bare hardware (wedge/rt/):
 * from a PVH module, with Linux's 64-bit boot protocol.
 */
#ifndef WEDGE_GUEST_H
#define WEDGE_GUEST_H

#include <stdint.h>

#include "wedge/sites.h"

#define WEDGE_GUEST_RANGES 8
#define WEDGE_IDENTITY_END 0x40000000ull /* the wedge's tables map 1 GiB 1:1 */

struct wedge_guest {
	uint64_t entry;                                /* virtual */
	struct wedge_range text[WEDGE_GUEST_RANGES];   /* executable, virtual */
	size_t ntext;
	struct wedge_range notes[WEDGE_GUEST_RANGES];  /* PT_NOTE, virtual */
	size_t nnotes;
	uint64_t phys_end;
};

/* Copy every PT_LOAD to its physical address; panics on anything malformed. */
void wedge_load_guest(const uint8_t *file, uint64_t size, struct wedge_guest *g);

/* The PVH start info: the guest module, the command line, the memory map. */
struct wedge_boot {
	const uint8_t *module;
	uint64_t module_size;
	const char *cmdline;
	uint64_t memmap_pa;
	uint32_t memmap_entries;
};
void wedge_pvh_read(uint32_t start_info_pa, struct wedge_boot *b);

/* A Linux boot_params ("zero page") for the guest; returns its physical address. */
uint64_t wedge_boot_params(const struct wedge_boot *b, const char *guest_cmdline);

/* The options (rt/options.c). */
const char *wedge_options_parse(const char *cmdline);
void wedge_options_check(const char *const *known);

size_t wedge_bad_site_count(void);

void wedge_main(uint32_t start_info_pa);
__attribute__((noreturn)) void wedge_enter_guest(uint64_t entry, uint64_t boot_params,
						 uint64_t stack);

#endif
