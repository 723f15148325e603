/*
 * Reading an x86 ELF file (relocatable object or linked image) with libbfd:
 * sections, symbols sorted for address lookup, relocations.
 *
 * Positions are (section index, offset in section) everywhere: in a
 * relocatable object every section starts at address 0, so an address alone
 * does not say where a byte is.  A linked file adds the section's vma.
 */
#ifndef AB_AUDIT_ELF_INPUT_H
#define AB_AUDIT_ELF_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include <bfd.h>

struct ab_section {
	asection *bsec;
	const char *name;
	uint64_t vma;
	uint64_t size;
	int code;               /* SEC_CODE: decoded as instructions */
	int alloc;              /* SEC_ALLOC: occupies memory at run time */
	int has_contents;
	uint8_t *data;          /* contents once ab_elf_contents() loaded them */
};

struct ab_symbol {
	const char *name;
	uint64_t off;           /* offset in its section */
	unsigned sec;
	unsigned rank;          /* among aliases the lowest rank names the place */
};

struct ab_elf {
	const char *path;       /* as given: the name in every message */
	bfd *abfd;
	int linked;             /* executable or shared: addresses are final */
	int mode64;             /* x86-64 (else 32-bit i386) */
	struct ab_section *secs;
	size_t nsecs;
	asymbol **bsyms;        /* libbfd's table, for relocations */
	struct ab_symbol *syms; /* sorted by section, offset, rank */
	size_t nsyms;
	size_t *sym_first;      /* syms of section i: [sym_first[i], sym_first[i+1]) */
	unsigned long bfd_base; /* libbfd's messages before this file */
};

/* A relocation resolved to the place it refers to. */
struct ab_reloc {
	uint64_t off;           /* where it applies, in its section */
	unsigned type;          /* ELF relocation type (R_X86_64_*) */
	int tsec;               /* section of the symbol, -1 if none of ours */
	uint64_t toff;          /* symbol value + addend, in tsec */
	const char *sym;        /* symbol name, for messages */
	int inplace;            /* REL: the addend is the field's contents */
	int pcrel;              /* PC-relative (R_X86_64_PC32, PLT32, ...) */
};

#define AB_R_X86_64_PC32 2u  /* same number as R_386_PC32 */

/* 0 on success; otherwise the error is reported and e is left closed. */
int ab_elf_open(struct ab_elf *e, const char *path);
void ab_elf_close(struct ab_elf *e);

/*
 * A file libbfd had to complain about while reading it (a section past the
 * end, a broken string table) is not one to vouch for, even when what we
 * read of it looks fine.  ab_elf_check_sound reports it: 0 if libbfd said
 * nothing, else -1 after an error message.
 */
unsigned long ab_elf_complaints(const struct ab_elf *e);
int ab_elf_check_sound(const struct ab_elf *e);

/* Section contents (loaded once); NULL after reporting an error, also
 * for a section without contents in the file (check has_contents). */
const uint8_t *ab_elf_contents(struct ab_elf *e, unsigned sec);
/* Index of the section named name (the n-th of that name), or -1. */
int ab_elf_find_section(const struct ab_elf *e, const char *name, unsigned n);
/* Linked files: the section holding vma, code sections first; -1 if none. */
int ab_elf_section_at(const struct ab_elf *e, uint64_t vma);
/* The nearest symbol at or before off in sec, NULL if none. */
const struct ab_symbol *ab_elf_symbol_at(const struct ab_elf *e, unsigned sec, uint64_t off);
/* Symbols of sec that start at exactly off: [*first, *end). */
void ab_elf_symbols_from(const struct ab_elf *e, unsigned sec, uint64_t off,
			 size_t *first, size_t *end);

/* "foo+0x4" (or "section+0x4" without a symbol) into buf. */
void ab_elf_where(const struct ab_elf *e, unsigned sec, uint64_t off, char *buf, size_t n);
/* "0xffffffff81000004" for linked files, ".text+0x4" for objects. */
void ab_elf_loc(const struct ab_elf *e, unsigned sec, uint64_t off, char *buf, size_t n);

/* Relocations applying to sec (*out never NULL on success, free it);
 * 0 on success, -1 after reporting an error. */
int ab_elf_relocs(struct ab_elf *e, unsigned sec, struct ab_reloc **out, size_t *n);

#endif
