/* State shared by the rewriter's files (internal). */
#ifndef AB_REWRITE_RW_H
#define AB_REWRITE_RW_H

#include "buf.h"
#include "lex.h"
#include "rewrite.h"

/* Numeric local labels the afterburner owns; a source using them is refused. */
#define RW_LABEL_PREFIX 8943000 /* before a prefix-only statement ("rep;") */
#define RW_LABEL_START 8943001  /* site start */
#define RW_LABEL_END 8943002    /* site end, after the padding */
#define RW_LABEL_DESC 8943003   /* start of the SITES note's records */
#define RW_LABEL_DESC_END 8943004

/*
 * Extra flags of the dynamic context, evaluated by gas: a macro expanded as
 * the argument of another (ALTERNATIVE "", "ZAP_GS") inside a replacement
 * section gets AB_F_ALTREPL on its sites through this symbol.
 */
#define RW_CTX_SYMBOL ".L__afterburn_ctx"

/* Records go to subsection 1 of the sites note; its header is subsection 0. */
#define RW_PUSH_SITES ".pushsection " AB_SITES_SECTION ",\"a\",@note ; .subsection 1"

struct rw_section {
	char *name;
	unsigned char exec, altrepl;
};

struct rw_section_state {
	int cur, prev;       /* indices into sections[], -1 unknown */
	int stack[32][2];    /* .pushsection stack of (cur, prev) */
	int sp;
};

struct rw_param {
	char *name;
	unsigned char vararg;
	unsigned char stmt_use;    /* used alone as a statement: "\insn" */
	unsigned char altrepl_use; /* ... inside a copied-replacement section */
	unsigned char other_use;   /* also used inside other text: "\op\()_regs" */
};

struct rw_macro {
	char *name;
	struct rw_param *params;
	size_t nparams;
};

enum rw_block_type { BLOCK_MACRO, BLOCK_REPEAT };

struct rw_block {
	enum rw_block_type type;
	unsigned long line;               /* where it opened, as reported */
	const char *file;
	struct rw_macro *macro;           /* BLOCK_MACRO: the one being defined */
	struct rw_section_state sections; /* restored at .endm */
	int mode;
};

/* An edit of the current line: delete del bytes at `at`, insert text. */
struct rw_edit {
	size_t at, del;
	size_t text_off, text_len; /* into rw.scratch */
};

struct rw {
	const char *file;       /* as reported: the input, or a linemarker's */
	unsigned long line;     /* physical line in the input */
	/* cpp linemarkers ("# 12 \"x.S\"") map physical lines to the user's. */
	const char *marker_file;
	char **marker_names;
	size_t nmarker_names;
	unsigned long marker_line, marker_at;
	const char *comment_file; /* where an open block comment started */
	struct ab_rw_stats *st;
	struct ab_lexer lx;
	int error;
	int ended;      /* after .end gas reads nothing more */
	int mode;       /* 16, 32 or 64 (.code16/.code32/.code64) */
	int inline_asm; /* between gcc's #APP and #NO_APP */
	int prefix_open; /* last statement was prefix-only, RW_LABEL_PREFIX set */
	int altmacro;
	int sites_emitted; /* any site text (or the helper macros) went out */

	struct rw_section *sections;
	size_t nsections;
	struct rw_section_state sec;

	struct rw_macro **macros;
	size_t nmacros;
	struct rw_block blocks[32];
	int nblocks;

	struct rw_edit edits[2 * AB_LEX_MAX_STMTS + 8];
	size_t nedits;
	struct ab_buf scratch;
};

__attribute__((format(printf, 2, 3)))
void rw_error(struct rw *rw, const char *fmt, ...);
/* Where the current line is, as the user knows it (linemarkers applied). */
void rw_where(const struct rw *rw, const char **file, unsigned long *line);

/* Line edits. */
void rw_edit_insert(struct rw *rw, size_t at, const char *text, size_t n);
void rw_edit_replace(struct rw *rw, size_t at, size_t del, const struct ab_buf *text);

/* Statements (statement.c). */
void rw_statement(struct rw *rw, const char *line, struct ab_span s);
size_t rw_skip_blanks(const char *p, size_t i, size_t end);
int rw_is_symbol_char(char c);
/* Emit a recorded site's tail (padding and record) into b. */
void rw_site_tail(struct ab_buf *b, int start_label, unsigned kind, unsigned flags);
unsigned rw_site_flags(const struct rw *rw);
/*
 * Make statement [at, end) of the current line a site; `shadow` puts the
 * padding before it (sti, mov to %ss: see AB_F_LEAD in abi.h).
 */
void rw_site(struct rw *rw, size_t at, size_t end, unsigned kind, unsigned flags, int shadow);

/* Lead NOPs of a shadowed site: the kind's padding, all of it before. */
#define RW_SHADOW_LEAD(kind) ab_kind_pad(kind)
/* .byte statements that spell one sensitive instruction (bytes.c). */
void rw_byte_directive(struct rw *rw, size_t start, size_t end, const char *args, size_t alen);
/* Kind of the one sensitive instruction a .byte list spells, else AB_K_NONE. */
unsigned rw_decode_byte_list(const char *args, size_t alen);
void rw_count_site(struct rw *rw, unsigned kind, unsigned flags);

/* Directives (directive.c): s is the statement from its '.'. */
void rw_directive(struct rw *rw, const char *line, size_t start, size_t end);

/* Sections (section.c). */
void rw_section_directive(struct rw *rw, const char *args, size_t alen);
void rw_section_switch(struct rw *rw, const char *name, size_t nlen, const char *flags,
		       size_t flen);
void rw_section_push(struct rw *rw);
void rw_section_pop(struct rw *rw);
void rw_section_previous(struct rw *rw);
int rw_section_exec(const struct rw *rw);    /* 1 yes, 0 no */
int rw_section_altrepl(const struct rw *rw);
void rw_sections_free(struct rw *rw);

/* Macros (macro.c). */
struct rw_macro *rw_macro_find(struct rw *rw, const char *name, size_t n);
void rw_macro_define(struct rw *rw, const char *args, size_t alen);
void rw_macro_purge(struct rw *rw, const char *name, size_t n);
void rw_macro_param_statement(struct rw *rw, size_t at, const char *p, size_t n);
void rw_macro_body_text(struct rw *rw, const char *p, size_t n);
void rw_macro_helpers(struct rw *rw, size_t at);
int rw_in_macro_body(const struct rw *rw);
void rw_macro_invocation(struct rw *rw, struct rw_macro *m, const char *line, size_t at,
			 size_t args_start, size_t end);
void rw_macros_free(struct rw *rw);

#endif
