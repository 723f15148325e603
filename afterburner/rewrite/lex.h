/*
 * Statement splitting for GNU as (x86, AT&T): one physical line becomes
 * statements separated by ';', with '#' comments, C block comments (which
 * may span lines), "strings" with backslash escapes and 'c character
 * constants honoured, so that an instruction name inside any of them is
 * never mistaken for an instruction.
 */
#ifndef AB_REWRITE_LEX_H
#define AB_REWRITE_LEX_H

#include <stddef.h>

/* Byte range [start, end) of a statement inside its line, blanks trimmed. */
struct ab_span {
	size_t start, end;
};

struct ab_lexer {
	int in_block_comment;      /* a C comment is still open */
	unsigned long comment_line; /* where that comment opened */
};

#define AB_LEX_MAX_STMTS 64

enum ab_lex_result { AB_LEX_OK, AB_LEX_UNTERMINATED_STRING, AB_LEX_TOO_MANY };

/*
 * Split line[0..len) into statements.  Block-comment text and '#' comments
 * are not part of any statement, so text appended at a statement's end
 * never lands inside a comment.
 */
enum ab_lex_result ab_lex_line(struct ab_lexer *lx, const char *line, size_t len,
			       struct ab_span *stmts, size_t *nstmts);

#endif
