/* The rewriter's driver: lines in, lines (with edits applied) out. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../diag.h"
#include "rw.h"

void rw_where(const struct rw *rw, const char **file, unsigned long *line)
{
	if (rw->marker_file && rw->line > rw->marker_at) {
		*file = rw->marker_file;
		*line = rw->marker_line + (rw->line - rw->marker_at - 1);
	} else {
		*file = rw->file;
		*line = rw->line;
	}
}

void rw_error(struct rw *rw, const char *fmt, ...)
{
	va_list ap;
	const char *file;
	unsigned long line;
	if (rw->error)
		return; /* the first error is the one worth reading */
	rw->error = 1;
	rw_where(rw, &file, &line);
	va_start(ap, fmt);
	ab_verror(file, line, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 4, 5)))
static void error_at(struct rw *rw, const char *file, unsigned long line, const char *fmt, ...)
{
	va_list ap;
	rw->error = 1;
	va_start(ap, fmt);
	ab_verror(file, line, fmt, ap);
	va_end(ap);
}

/* "# 12 \"file.S\" 2": the next line is line 12 of file.S. */
static void track_linemarker(struct rw *rw, const char *line, size_t len)
{
	size_t i = 1;
	unsigned long n = 0;
	while (i < len && line[i] == ' ')
		i++;
	if (i >= len || line[i] < '0' || line[i] > '9')
		return;
	while (i < len && line[i] >= '0' && line[i] <= '9')
		n = n * 10 + (unsigned long)(line[i++] - '0');
	while (i < len && line[i] == ' ')
		i++;
	if (i >= len || line[i] != '"')
		return;
	size_t start = ++i;
	while (i < len && line[i] != '"')
		i++;
	if (i >= len)
		return;
	size_t n_len = i - start;
	if (!rw->marker_file || strlen(rw->marker_file) != n_len ||
	    memcmp(rw->marker_file, line + start, n_len)) {
		/* Blocks keep pointers to old names: free them all at the end. */
		char **names = realloc(rw->marker_names, (rw->nmarker_names + 1) * sizeof(*names));
		char *name = malloc(n_len + 1);
		if (!names || !name) {
			free(name);
			rw_error(rw, "out of memory");
			return;
		}
		memcpy(name, line + start, n_len);
		name[n_len] = 0;
		rw->marker_names = names;
		rw->marker_names[rw->nmarker_names++] = name;
		rw->marker_file = name;
	}
	rw->marker_line = n;
	rw->marker_at = rw->line;
}

void rw_edit_insert(struct rw *rw, size_t at, const char *text, size_t n)
{
	if (rw->nedits == sizeof(rw->edits) / sizeof(rw->edits[0])) {
		rw_error(rw, "too many sites on one line");
		return;
	}
	struct rw_edit *e = &rw->edits[rw->nedits++];
	e->at = at;
	e->del = 0;
	e->text_off = rw->scratch.len;
	e->text_len = n;
	ab_buf_put(&rw->scratch, text, n);
}

void rw_edit_replace(struct rw *rw, size_t at, size_t del, const struct ab_buf *text)
{
	size_t before = rw->nedits;
	rw_edit_insert(rw, at, text->p, text->len);
	if (rw->nedits > before)
		rw->edits[rw->nedits - 1].del = del;
}

/* Keyword macro arguments can be edited out of order: sort, stably. */
static void sort_edits(struct rw *rw)
{
	for (size_t i = 1; i < rw->nedits; i++) {
		struct rw_edit e = rw->edits[i];
		size_t j = i;
		for (; j > 0 && rw->edits[j - 1].at > e.at; j--)
			rw->edits[j] = rw->edits[j - 1];
		rw->edits[j] = e;
	}
}

static void emit_line(struct rw *rw, const char *line, size_t len, struct ab_buf *out)
{
	size_t pos = 0;
	sort_edits(rw);
	for (size_t i = 0; i < rw->nedits; i++) {
		const struct rw_edit *e = &rw->edits[i];
		ab_buf_put(out, line + pos, e->at - pos);
		ab_buf_put(out, rw->scratch.p + e->text_off, e->text_len);
		pos = e->at + e->del;
	}
	ab_buf_put(out, line + pos, len - pos);
}

/* gcc brackets each inline asm statement with "#APP" and "#NO_APP". */
static void track_inline_asm(struct rw *rw, const char *line, size_t len)
{
	if (len >= 4 && !memcmp(line, "#APP", 4))
		rw->inline_asm = 1;
	else if (len >= 7 && !memcmp(line, "#NO_APP", 7))
		rw->inline_asm = 0;
}

static void process_line(struct rw *rw, const char *line, size_t len)
{
	struct ab_span stmts[AB_LEX_MAX_STMTS];
	size_t n;
	int was_in_comment = rw->lx.in_block_comment;

	if (line[0] == '#') {
		track_inline_asm(rw, line, len);
		track_linemarker(rw, line, len);
	}
	switch (ab_lex_line(&rw->lx, line, len, stmts, &n)) {
	case AB_LEX_UNTERMINATED_STRING:
		rw_error(rw, "unterminated string");
		return;
	case AB_LEX_TOO_MANY:
		rw_error(rw, "more than %d statements on one line", AB_LEX_MAX_STMTS);
		return;
	case AB_LEX_OK:
		break;
	}
	if (rw->lx.in_block_comment && !was_in_comment) {
		rw_where(rw, &rw->comment_file, &rw->lx.comment_line);
	}
	for (size_t i = 0; i < n && !rw->error && !rw->ended; i++)
		rw_statement(rw, line, stmts[i]);
}

/*
 * After the last line: the SITES note header (subsection 0, so it lands
 * before the records of subsection 1) when this object can have sites, and
 * the version note, in a COMDAT group so a linked kernel keeps one copy.
 */
static void emit_notes(const struct rw *rw, struct ab_buf *out)
{
	if (rw->sites_emitted)
		ab_buf_printf(out,
			"\t.pushsection " AB_SITES_SECTION ",\"a\",@note\n"
			"\t.subsection 0\n"
			"\t.balign 4\n"
			"\t.long %zu, %df - %df, %u\n"
			"\t.asciz \"" AB_NOTE_NAME "\"\n"
			"\t.balign 4\n"
			"%d:\n"
			"\t.subsection 1\n"
			"%d:\n"
			"\t.popsection\n",
			sizeof(AB_NOTE_NAME), RW_LABEL_DESC_END, RW_LABEL_DESC,
			AB_NOTE_TYPE_SITES, RW_LABEL_DESC, RW_LABEL_DESC_END);
	ab_buf_printf(out,
		"\t.pushsection " AB_NOTE_SECTION ",\"aG\",@note,afterburn_abi_v%u,comdat\n"
		"\t.balign 4\n"
		"\t.long %zu, %zu, %u\n"
		"\t.asciz \"" AB_NOTE_NAME "\"\n"
		"\t.balign 4\n"
		"\t.long %u\n"
		"\t.ascii \"%s\"\n"
		"\t.zero %zu\n"
		"\t.popsection\n",
		AB_ABI_VERSION, sizeof(AB_NOTE_NAME), sizeof(struct ab_note_desc),
		AB_NOTE_TYPE_VERSION, AB_ABI_VERSION, AB_TOOLCHAIN_VERSION,
		sizeof(((struct ab_note_desc *)0)->toolchain) - (sizeof(AB_TOOLCHAIN_VERSION) - 1));
}

static void check_eof(struct rw *rw)
{
	if (rw->lx.in_block_comment) {
		error_at(rw, rw->comment_file, rw->lx.comment_line,
			 "end of file inside a comment opened here");
	} else if (rw->nblocks > 0) {
		struct rw_block *b = &rw->blocks[rw->nblocks - 1];
		if (b->type == BLOCK_MACRO)
			error_at(rw, b->file, b->line, "end of file inside .macro %s (no .endm)",
				 b->macro ? b->macro->name : "?");
		else
			error_at(rw, b->file, b->line,
				 "end of file inside a repeat block opened here (no .endr)");
	}
}

static void free_state(struct rw *rw)
{
	for (size_t i = 0; i < rw->nmarker_names; i++)
		free(rw->marker_names[i]);
	free(rw->marker_names);
	rw_sections_free(rw);
	rw_macros_free(rw);
	ab_buf_free(&rw->scratch);
}

int ab_rewrite(const char *file, const char *in, size_t len, struct ab_buf *out,
	       struct ab_rw_stats *st)
{
	struct rw rw = { .file = file, .st = st, .mode = 64 };
	size_t pos = 0, note_at = (size_t)-1;

	ab_buf_reserve(out, len + len / 8 + 4096); /* sites add a few percent */
	rw.sec.cur = rw.sec.prev = -1;
	rw_section_switch(&rw, ".text", 5, NULL, 0);
	if (memchr(in, 0, len)) {
		rw.line = 1;
		for (const char *p = in; p < (const char *)memchr(in, 0, len); p++)
			rw.line += *p == '\n';
		rw_error(&rw, "NUL byte in input: not an assembler source");
	}
	while (pos < len && !rw.error) {
		const char *nl = memchr(in + pos, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - (in + pos)) : len - pos;
		rw.line++;
		rw.nedits = 0;
		rw.scratch.len = 0;
		if (!rw.ended) {
			process_line(&rw, in + pos, llen);
			if (rw.ended && note_at == (size_t)-1)
				note_at = out->len; /* the note must precede .end */
		}
		emit_line(&rw, in + pos, llen, out);
		if (nl)
			ab_buf_put(out, "\n", 1);
		pos += llen + (nl ? 1 : 0);
	}
	st->lines += rw.line;
	st->bytes += len;
	if (!rw.error && !rw.ended)
		check_eof(&rw);
	if (!rw.error) {
		if (out->len && out->p[out->len - 1] != '\n')
			ab_buf_put(out, "\n", 1);
		if (note_at == (size_t)-1) {
			emit_notes(&rw, out);
		} else {
			struct ab_buf note = { 0 };
			emit_notes(&rw, &note);
			ab_buf_reserve(out, note.len);
			memmove(out->p + note_at + note.len, out->p + note_at, out->len - note_at);
			memcpy(out->p + note_at, note.p, note.len);
			out->len += note.len;
			ab_buf_free(&note);
		}
	}
	free_state(&rw);
	return rw.error ? -1 : 0;
}
