#include "lex.h"

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r';
}

/* Index just past a string that starts at line[i] == '"', or len+1 if open. */
static size_t skip_string(const char *line, size_t len, size_t i)
{
	for (i++; i < len; i++) {
		if (line[i] == '\\')
			i++;
		else if (line[i] == '"')
			return i + 1;
	}
	return len + 1;
}

/* 'c and '\c character constants. */
static size_t skip_char_const(const char *line, size_t len, size_t i)
{
	i++;
	if (i < len && line[i] == '\\')
		i++;
	if (i < len)
		i++;
	/* gas also accepts a closing quote: 'c' */
	if (i < len && line[i] == '\'')
		i++;
	return i;
}

static int push_stmt(const char *line, size_t start, size_t end,
		     struct ab_span *stmts, size_t *n)
{
	while (start < end && is_blank(line[start]))
		start++;
	while (end > start && is_blank(line[end - 1]))
		end--;
	if (start == end)
		return 0;
	if (*n == AB_LEX_MAX_STMTS)
		return -1;
	stmts[*n].start = start;
	stmts[*n].end = end;
	(*n)++;
	return 0;
}

enum ab_lex_result ab_lex_line(struct ab_lexer *lx, const char *line, size_t len,
			       struct ab_span *stmts, size_t *nstmts)
{
	size_t i = 0, start = 0;
	*nstmts = 0;

	if (lx->in_block_comment) {
		for (; i + 1 < len; i++)
			if (line[i] == '*' && line[i + 1] == '/')
				break;
		if (i + 1 >= len)
			return AB_LEX_OK; /* whole line inside the comment */
		lx->in_block_comment = 0;
		i += 2;
		start = i;
	}
	while (i < len) {
		char c = line[i];
		if (c == '"') {
			i = skip_string(line, len, i);
			if (i > len)
				return AB_LEX_UNTERMINATED_STRING;
		} else if (c == '\'') {
			i = skip_char_const(line, len, i);
		} else if (c == '#') {
			break;
		} else if (c == ';') {
			if (push_stmt(line, start, i, stmts, nstmts))
				return AB_LEX_TOO_MANY;
			start = ++i;
		} else if (c == '/' && i + 1 < len && line[i + 1] == '*') {
			/* A statement never continues across a comment. */
			if (push_stmt(line, start, i, stmts, nstmts))
				return AB_LEX_TOO_MANY;
			for (i += 2; i + 1 < len; i++)
				if (line[i] == '*' && line[i + 1] == '/')
					break;
			if (i + 1 >= len) {
				lx->in_block_comment = 1;
				return AB_LEX_OK;
			}
			i += 2;
			start = i;
		} else {
			i++;
		}
	}
	if (push_stmt(line, start, i < len ? i : len, stmts, nstmts))
		return AB_LEX_TOO_MANY;
	return AB_LEX_OK;
}
