/*
 * The guest as the wedge loads and starts it on bare hardware (wedge/rt/):
 * from PVH modules (a kernel ELF, an initrd, or both packed in one image),
 * with Linux's 64-bit boot protocol.
 */
#ifndef WEDGE_GUEST_H
#define WEDGE_GUEST_H

#include <stdint.h>

#include "afterburn/boot.h"

#include "wedge/sites.h"

#define WEDGE_GUEST_RANGES 8
#define WEDGE_IDENTITY_END 0x40000000ull /* the wedge's tables map 1 GiB 1:1 */
#define WEDGE_MEMMAP_MAX 128             /* boot_params holds 128 e820 entries */

struct wedge_guest {
	uint64_t entry;                                /* the 64-bit entry, virtual */
	uint64_t entry_phys;                           /* the same, physical (e_entry) */
	struct wedge_range text[WEDGE_GUEST_RANGES];   /* executable, virtual */
	size_t ntext;
	struct wedge_range notes[WEDGE_GUEST_RANGES];  /* PT_NOTE, virtual */
	size_t nnotes;
	uint64_t phys_end;
};


/* What the loader gave (rt/pvh.c), and what the wedge made of it (rt/pack.c). */
struct wedge_boot {
	const uint8_t *module;       /* module 0 as the loader placed it */
	uint64_t module_size;
	const uint8_t *kernel;       /* the guest's ELF: module 0, or inside it when packed */
	uint64_t kernel_size;
	uint64_t initrd_pa;          /* module 1, or inside module 0 when packed; 0: none */
	uint64_t initrd_size;
	const char *packed_cmdline;  /* the packed image's command line, or "" */
	const char *cmdline;         /* the loader's (-append), or "" */
	uint64_t rsdp_pa;            /* ACPI RSDP from the start info, 0: none */
	struct ab_e820 memmap[WEDGE_MEMMAP_MAX]; /* copied: loading may overwrite it */
	uint32_t memmap_entries;
};
void wedge_pvh_read(uint32_t start_info_pa, struct wedge_boot *b);

/* Module 0 a packed image (abi.h, struct ab_pack_header)?  Then take it apart. */
void wedge_unpack(struct wedge_boot *b);

/* The packed command line, then the loader's: one string (static storage). */
const char *wedge_boot_cmdline(const struct wedge_boot *b);

/*
 * Copy every PT_LOAD of b->kernel to its physical address; panics on
 * anything malformed, and on a segment over the wedge, the modules or the
 * initrd.
 */
void wedge_load_guest(const struct wedge_boot *b, struct wedge_guest *g);

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
