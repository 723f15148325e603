/*
 * Directives.  Every gas directive is known by name (generic, ELF and x86
 * ones); those that change what an instruction means to us (section, code
 * size, macro and repeat blocks) are acted on, the rest pass through.  A
 * directive gas does not have is an error here too, so that a typo inside
 * a macro body is caught when the macro is defined, not only when used.
 */
#include <stdlib.h>
#include <string.h>

#include "rw.h"

enum action {
	PASS, SECTION, PUSHSECTION, POPSECTION, PREVIOUS, TEXT, DATA, BSS,
	CODE16, CODE32, CODE64, MACRO, ENDM, REPEAT, ENDR, PURGEM, ALTMACRO,
	NOALTMACRO, INCLUDE, INTEL, END, BYTE,
};

struct directive {
	const char *name;
	enum action action;
};

/* Sorted by name (strcmp).  .cfi_* are matched by prefix. */
static const struct directive directives[] = {
	{ "2byte", PASS }, { "4byte", PASS }, { "8byte", PASS },
	{ "abort", PASS }, { "align", PASS }, { "altmacro", ALTMACRO },
	{ "arch", PASS }, { "ascii", PASS }, { "asciz", PASS },
	{ "att_mnemonic", PASS }, { "att_syntax", PASS }, { "attach_to_group", PASS },
	{ "balign", PASS }, { "balignl", PASS }, { "balignw", PASS },
	{ "base64", PASS }, { "bfloat16", PASS }, { "bss", BSS },
	{ "bundle_align_mode", PASS }, { "bundle_lock", PASS }, { "bundle_unlock", PASS },
	{ "byte", BYTE }, { "code16", CODE16 }, { "code16gcc", CODE16 },
	{ "code32", CODE32 }, { "code64", CODE64 }, { "comm", PASS },
	{ "common", PASS }, { "data", DATA }, { "dc", PASS }, { "dc.a", PASS },
	{ "dc.b", PASS }, { "dc.d", PASS }, { "dc.l", PASS }, { "dc.s", PASS },
	{ "dc.w", PASS }, { "dc.x", PASS }, { "dcb", PASS }, { "dcb.b", PASS },
	{ "dcb.d", PASS }, { "dcb.l", PASS }, { "dcb.s", PASS }, { "dcb.w", PASS },
	{ "dcb.x", PASS }, { "def", PASS }, { "desc", PASS }, { "dfloat", PASS },
	{ "dim", PASS }, { "double", PASS }, { "ds", PASS }, { "ds.b", PASS },
	{ "ds.d", PASS }, { "ds.l", PASS }, { "ds.p", PASS }, { "ds.s", PASS },
	{ "ds.w", PASS }, { "ds.x", PASS }, { "eject", PASS }, { "else", PASS },
	{ "elseif", PASS }, { "end", END }, { "endef", PASS }, { "endfunc", PASS },
	{ "endif", PASS }, { "endm", ENDM }, { "endr", ENDR }, { "equ", PASS },
	{ "equiv", PASS }, { "eqv", PASS }, { "err", PASS }, { "error", PASS },
	{ "exitm", PASS }, { "extern", PASS }, { "fail", PASS }, { "file", PASS },
	{ "fill", PASS }, { "float", PASS }, { "func", PASS }, { "global", PASS },
	{ "globl", PASS }, { "gnu_attribute", PASS }, { "hfloat", PASS },
	{ "hidden", PASS }, { "hword", PASS }, { "ident", PASS }, { "if", PASS },
	{ "ifb", PASS }, { "ifc", PASS }, { "ifdef", PASS }, { "ifeq", PASS },
	{ "ifeqs", PASS }, { "ifge", PASS }, { "ifgt", PASS }, { "ifle", PASS },
	{ "iflt", PASS }, { "ifnb", PASS }, { "ifnc", PASS }, { "ifndef", PASS },
	{ "ifne", PASS }, { "ifnes", PASS }, { "ifnotdef", PASS }, { "incbin", PASS },
	{ "include", INCLUDE }, { "int", PASS }, { "intel_mnemonic", INTEL },
	{ "intel_syntax", INTEL }, { "internal", PASS }, { "irp", REPEAT },
	{ "irpc", REPEAT }, { "largecomm", PASS }, { "lcomm", PASS },
	{ "lflags", PASS }, { "line", PASS }, { "linefile", PASS }, { "linkonce", PASS },
	{ "list", PASS }, { "ln", PASS }, { "loc", PASS }, { "loc_mark_labels", PASS },
	{ "local", PASS }, { "long", PASS }, { "macro", MACRO }, { "mri", PASS },
	{ "noaltmacro", NOALTMACRO }, { "nolist", PASS }, { "nop", PASS },
	{ "nops", PASS }, { "octa", PASS }, { "offset", PASS }, { "operand_check", PASS },
	{ "org", PASS }, { "p2align", PASS }, { "p2alignl", PASS }, { "p2alignw", PASS },
	{ "popsection", POPSECTION }, { "previous", PREVIOUS }, { "print", PASS },
	{ "protected", PASS }, { "psize", PASS }, { "purgem", PURGEM },
	{ "pushsection", PUSHSECTION }, { "quad", PASS }, { "reloc", PASS },
	{ "rept", REPEAT }, { "sbttl", PASS }, { "scl", PASS }, { "section", SECTION },
	{ "set", PASS }, { "short", PASS }, { "single", PASS }, { "size", PASS },
	{ "skip", PASS }, { "sleb128", PASS }, { "slong", PASS }, { "space", PASS },
	{ "sse_check", PASS }, { "stabd", PASS }, { "stabn", PASS }, { "stabs", PASS },
	{ "string", PASS }, { "string16", PASS }, { "string32", PASS },
	{ "string64", PASS }, { "string8", PASS }, { "struct", PASS },
	{ "subsection", PASS }, { "symver", PASS }, { "tag", PASS }, { "text", TEXT },
	{ "tfloat", PASS }, { "title", PASS }, { "tls_common", PASS }, { "type", PASS },
	{ "uleb128", PASS }, { "val", PASS }, { "value", PASS }, { "version", PASS },
	{ "vtable_entry", PASS }, { "vtable_inherit", PASS }, { "warning", PASS },
	{ "weak", PASS }, { "weakref", PASS }, { "word", PASS }, { "zero", PASS },
};

static int directive_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.';
}

static const struct directive *lookup(const char *name)
{
	size_t lo = 0, hi = sizeof(directives) / sizeof(directives[0]);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, directives[mid].name);
		if (c == 0)
			return &directives[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

int ab_directive_table_sorted(void);
int ab_directive_table_sorted(void)
{
	for (size_t i = 1; i < sizeof(directives) / sizeof(directives[0]); i++)
		if (strcmp(directives[i - 1].name, directives[i].name) >= 0)
			return 0;
	return 1;
}

static void open_block(struct rw *rw, enum rw_block_type type)
{
	if (rw->nblocks == (int)(sizeof(rw->blocks) / sizeof(rw->blocks[0]))) {
		rw_error(rw, "macro and repeat blocks nested too deeply");
		return;
	}
	struct rw_block *b = &rw->blocks[rw->nblocks++];
	b->type = type;
	rw_where(rw, &b->file, &b->line);
	b->macro = NULL;
	b->sections = rw->sec;
	b->mode = rw->mode;
}

static void close_block(struct rw *rw, enum rw_block_type type, const char *what)
{
	if (rw->nblocks == 0 || rw->blocks[rw->nblocks - 1].type != type) {
		rw_error(rw, "%s without a matching %s", what,
			 type == BLOCK_MACRO ? ".macro" : ".rept/.irp/.irpc");
		return;
	}
	struct rw_block *b = &rw->blocks[--rw->nblocks];
	if (type == BLOCK_MACRO) {
		/* A body's section and code-size changes happen where it is
		 * expanded, not where it is defined. */
		rw->sec = b->sections;
		rw->mode = b->mode;
	}
}

static void act(struct rw *rw, enum action a, const char *args, size_t alen)
{
	switch (a) {
	case PASS: break;
	case BYTE: break; /* needs the statement's position: see rw_directive */
	case SECTION: rw_section_directive(rw, args, alen); break;
	case PUSHSECTION:
		rw_section_push(rw);
		rw_section_directive(rw, args, alen);
		break;
	case POPSECTION: rw_section_pop(rw); break;
	case PREVIOUS: rw_section_previous(rw); break;
	case TEXT: rw_section_switch(rw, ".text", 5, NULL, 0); break;
	case DATA: rw_section_switch(rw, ".data", 5, NULL, 0); break;
	case BSS: rw_section_switch(rw, ".bss", 4, NULL, 0); break;
	case CODE16: rw->mode = 16; break;
	case CODE32: rw->mode = 32; break;
	case CODE64: rw->mode = 64; break;
	case MACRO:
		open_block(rw, BLOCK_MACRO);
		if (!rw->error)
			rw_macro_define(rw, args, alen);
		break;
	case ENDM: close_block(rw, BLOCK_MACRO, ".endm"); break;
	case REPEAT: open_block(rw, BLOCK_REPEAT); break;
	case ENDR: close_block(rw, BLOCK_REPEAT, ".endr"); break;
	case PURGEM: rw_macro_purge(rw, args, alen); break;
	case ALTMACRO: rw->altmacro = 1; break;
	case NOALTMACRO: rw->altmacro = 0; break;
	case INCLUDE:
		rw_error(rw, ".include is not supported: the included text would not pass "
			     "through the rewriter (include it with the C preprocessor)");
		break;
	case INTEL:
		rw_error(rw, "Intel syntax is not supported: the rewriter reads AT&T syntax");
		break;
	case END: rw->ended = 1; break;
	}
}

void rw_directive(struct rw *rw, const char *p, size_t start, size_t end)
{
	char name[32];
	size_t i = start + 1, n;

	while (i < end && directive_char(p[i]))
		i++;
	n = i - start - 1;
	if (n == 0 || n >= sizeof(name)) {
		rw_error(rw, "cannot parse directive '%.*s'", (int)(end - start), p + start);
		return;
	}
	for (size_t k = 0; k < n; k++) {
		char c = p[start + 1 + k];
		name[k] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	name[n] = 0;
	size_t args = rw_skip_blanks(p, i, end);
	if (!strncmp(name, "cfi_", 4))
		return;
	const struct directive *d = lookup(name);
	if (!d) {
		rw_error(rw, "unknown directive '.%s'%s", name,
			 rw->nblocks && rw->blocks[rw->nblocks - 1].type == BLOCK_MACRO ?
			 " in a .macro body" : "");
		return;
	}
	if (d->action == MACRO && rw->nblocks == 0)
		rw_macro_helpers(rw, start);
	if (d->action == BYTE)
		rw_byte_directive(rw, start, end, p + args, end - args);
	else
		act(rw, d->action, p + args, end - args);
}
