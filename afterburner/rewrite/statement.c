/* One statement: labels, then a directive, an assignment, a macro
 * invocation or an instruction; sensitive instructions become sites. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afterburn/kind.h"
#include "classify.h"
#include "rw.h"

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

size_t rw_skip_blanks(const char *p, size_t i, size_t end)
{
	while (i < end && is_blank(p[i]))
		i++;
	return i;
}

int rw_is_symbol_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '$';
}

/* Inside macro bodies \name, \@ and \() build symbol names too. */
static int is_label_char(char c)
{
	return rw_is_symbol_char(c) || c == '\\' || c == '@' || c == '(' || c == ')';
}

static void check_reserved_label(struct rw *rw, const char *p, size_t n)
{
	/* All our labels are 7 digits starting with 89430: reject cheaply. */
	if (n != 7 || memcmp(p, "89430", 5))
		return;
	unsigned long v = strtoul(p, NULL, 10);
	if (v >= RW_LABEL_PREFIX && v <= RW_LABEL_DESC_END)
		rw_error(rw, "label %.*s is reserved by the afterburner", (int)n, p);
}

/* Length of a label "name:" or "\"quoted name\":" at p[i..end), 0 if none. */
static size_t label_length(const char *p, size_t i, size_t end)
{
	size_t j = i;
	if (p[j] == '"') {
		for (j++; j < end && p[j] != '"'; j++)
			if (p[j] == '\\')
				j++;
		if (j >= end)
			return 0;
		j++;
	} else {
		while (j < end && is_label_char(p[j]))
			j++;
	}
	if (j == i)
		return 0;
	j = rw_skip_blanks(p, j, end); /* gas takes "0 :" and "foo :" as labels */
	if (j >= end || p[j] != ':')
		return 0;
	return j + 1 - i;
}

void rw_count_site(struct rw *rw, unsigned kind, unsigned flags)
{
	rw->st->sites[kind]++;
	rw->st->sites_total++;
	for (unsigned bit = 0; bit < 16; bit++)
		if (flags & (1u << bit))
			rw->st->by_flag[bit]++;
}

unsigned rw_site_flags(const struct rw *rw)
{
	unsigned flags = 0;
	for (int i = 0; i < rw->nblocks; i++)
		flags |= rw->blocks[i].type == BLOCK_MACRO ? AB_F_MACRO : AB_F_REPEAT;
	if (rw->inline_asm)
		flags |= AB_F_INLINE_ASM;
	if (rw_section_altrepl(rw))
		flags |= AB_F_ALTREPL;
	return flags;
}

/*
 * Padding to the kind's length with the assembler's own multi-byte NOPs,
 * computed by gas from label arithmetic (we never need to know encodings),
 * then the record.  All on the statement's line, ';'-separated.
 */
void rw_site_tail(struct ab_buf *b, int start_label, unsigned kind, unsigned flags)
{
	unsigned pad = ab_kind_pad(kind);
	/* In a macro body the expansion context may add AB_F_ALTREPL. */
	const char *ctx = (flags & AB_F_MACRO) ? " | " RW_CTX_SYMBOL : "";
	if (!(flags & AB_F_LEAD_MASK))
		ab_buf_printf(b, " ; .nops %u", pad);
	ab_buf_printf(b,
		" ; %d: " RW_PUSH_SITES
		" ; .long %db - . ; .byte %db - %db, %u ; .short 0x%x%s ; .popsection",
		RW_LABEL_END, start_label, RW_LABEL_END, start_label, kind, flags, ctx);
}

/* A statement made only of prefix words ("rep", "lock", "data16"). */
static void prefix_statement(struct rw *rw, size_t at)
{
	char label[16];
	int n = snprintf(label, sizeof(label), "%d: ", RW_LABEL_PREFIX);
	rw_edit_insert(rw, at, label, (size_t)n);
	rw->prefix_open = 1;
}

void rw_site(struct rw *rw, size_t at, size_t end, unsigned kind, unsigned flags,
	     int shadow)
{
	char label[48];
	int start = RW_LABEL_START;
	struct ab_buf tail = { 0 };

	if (rw->mode != 64) {
		rw->st->left_16_32++;
		return;
	}
	if (!rw_section_exec(rw)) {
		rw->st->left_noexec++;
		return;
	}
	if (shadow && !rw->prefix_open) {
		/* Padding first: the interrupt shadow stays on the next insn. */
		unsigned lead = RW_SHADOW_LEAD(kind);
		flags |= AB_F_LEAD(lead);
		int n = snprintf(label, sizeof(label), ".nops %u ; %d: ", lead, RW_LABEL_START);
		rw_edit_insert(rw, at, label, (size_t)n);
	} else if (rw->prefix_open) {
		start = RW_LABEL_PREFIX;
		flags |= AB_F_PREFIX;
	} else {
		int n = snprintf(label, sizeof(label), "%d: ", RW_LABEL_START);
		rw_edit_insert(rw, at, label, (size_t)n);
	}
	rw_site_tail(&tail, start, kind, flags);
	rw->sites_emitted = 1;
	rw_edit_insert(rw, end, tail.p, tail.len);
	ab_buf_free(&tail);
	rw_count_site(rw, kind, flags);
}

static size_t word_end(const char *p, size_t i, size_t end)
{
	if (i < end && p[i] == '{') {
		while (i < end && p[i] != '}')
			i++;
		return i < end ? i + 1 : i;
	}
	while (i < end && rw_is_symbol_char(p[i]))
		i++;
	return i;
}

static void instruction(struct rw *rw, const char *p, size_t i, size_t end)
{
	size_t at = i, w = word_end(p, i, end);
	unsigned flags = 0;

	while (ab_is_prefix_word(p + i, w - i)) {
		flags |= AB_F_PREFIX;
		i = rw_skip_blanks(p, w, end);
		if (i < end && p[i] == ',')
			break; /* "fs" as an operand-less oddity: let gas judge */
		if (i == end) {
			prefix_statement(rw, at);
			return;
		}
		w = word_end(p, i, end);
	}
	if (w == i) {
		rw_error(rw, "cannot parse statement '%.*s'", (int)(end - at), p + at);
		return;
	}
	size_t ops = rw_skip_blanks(p, w, end);
	unsigned kind = ab_classify(p + i, w - i, p + ops, end - ops);
	if (kind != AB_K_NONE)
		rw_site(rw, at, end, kind, flags | rw_site_flags(rw),
			ab_has_interrupt_shadow(kind, p + ops, end - ops));
	rw->prefix_open = 0;
}

static int starts_assignment(const char *p, size_t i, size_t end)
{
	i = rw_skip_blanks(p, i, end);
	return i < end && p[i] == '=';
}

void rw_statement(struct rw *rw, const char *p, struct ab_span s)
{
	size_t i = s.start, end = s.end, n;

	while ((n = label_length(p, i, end)) > 0) {
		size_t name_len = n - 1;
		while (name_len && (p[i + name_len - 1] == ' ' || p[i + name_len - 1] == '\t'))
			name_len--;
		check_reserved_label(rw, p + i, name_len);
		i = rw_skip_blanks(p, i + n, end);
		if (i == end)
			return;
	}
	if (rw->error)
		return;
	char c = p[i];
	if (rw_in_macro_body(rw))
		rw_macro_body_text(rw, p + i, end - i);
	if (c == '\\') { /* "\insn": a macro parameter used as a statement */
		rw_macro_param_statement(rw, i, p + i, end - i);
		rw->prefix_open = 0;
		return;
	}
	size_t w = word_end(p, i, end);
	if (w > i && starts_assignment(p, w, end)) {
		rw->prefix_open = 0;
		return; /* "sym = expr", ". = . + 4" */
	}
	struct rw_macro *m = w > i ? rw_macro_find(rw, p + i, w - i) : NULL;
	if (m) {
		rw_macro_invocation(rw, m, p, i, w, end);
		rw->prefix_open = 0;
		return;
	}
	if (c == '.') {
		rw_directive(rw, p, i, end);
		rw->prefix_open = 0;
		return;
	}
	if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '{')) {
		rw_error(rw, "cannot parse statement '%.*s'", (int)(end - i), p + i);
		return;
	}
	instruction(rw, p, i, end);
}
