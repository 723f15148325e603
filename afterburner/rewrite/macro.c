/*
 * Macros defined in the file being rewritten.
 *
 * Instructions written inside a .macro body are annotated in place like any
 * other (numeric local labels make each expansion's labels unique).  The
 * hard case is an instruction that reaches the body as an argument, as in
 * Linux's  ALTERNATIVE "", "stac", X86_FEATURE_SMAP  whose body runs
 * "\newinstr" as a statement.  Two gas macros of ours, defined once per
 * file (guarded) before the first top-level .macro, cover it:
 *
 *   __afterburn_site KIND, FLAGS, PAD, insn...   a site around insn
 *   __afterburn_stmt FLAGS, insn...              insn; a site when insn is
 *                                                an operand-less sensitive
 *                                                mnemonic (an .ifc chain)
 *
 *  - in a body, the statement "\p" becomes "__afterburn_stmt FLAGS, \p":
 *    this works however else \p is used (e.g. in "\p\()_safe_regs"); gas
 *    splits a ';' in the argument before the chain sees it;
 *  - at an invocation, when \p is used only as a statement, each sensitive
 *    statement of its argument becomes "__afterburn_site ..." (operands,
 *    prefixes and .byte spellings included).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "afterburn/kind.h"
#include "../diag.h"
#include "classify.h"
#include "rw.h"

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (!d) {
		ab_error(NULL, 0, "out of memory");
		exit(1);
	}
	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

static int param_char(char c)
{
	return rw_is_symbol_char(c) && c != '.';
}

struct rw_macro *rw_macro_find(struct rw *rw, const char *name, size_t n)
{
	/* gas macro names are case-insensitive */
	for (size_t i = rw->nmacros; i-- > 0;)
		if (strlen(rw->macros[i]->name) == n && !strncasecmp(rw->macros[i]->name, name, n))
			return rw->macros[i];
	return NULL;
}

static void macro_free(struct rw_macro *m)
{
	for (size_t i = 0; i < m->nparams; i++)
		free(m->params[i].name);
	free(m->params);
	free(m->name);
	free(m);
}

static void add_param(struct rw_macro *m, const char *p, size_t n, int vararg)
{
	struct rw_param *ps = realloc(m->params, (m->nparams + 1) * sizeof(*ps));
	if (!ps) {
		ab_error(NULL, 0, "out of memory");
		exit(1);
	}
	m->params = ps;
	memset(&ps[m->nparams], 0, sizeof(ps[0]));
	ps[m->nparams].name = dup_n(p, n);
	ps[m->nparams].vararg = (unsigned char)vararg;
	m->nparams++;
}

/* Skip a default value "=expr" or a quoted one; stops at ',' or blank. */
static size_t skip_value(const char *a, size_t i, size_t n)
{
	int depth = 0;
	while (i < n) {
		char c = a[i];
		if (c == '"') {
			for (i++; i < n && a[i] != '"'; i++)
				if (a[i] == '\\')
					i++;
			i++;
			continue;
		}
		if (c == '(')
			depth++;
		else if (c == ')')
			depth--;
		else if (depth <= 0 && (c == ',' || c == ' ' || c == '\t'))
			break;
		i++;
	}
	return i;
}

/* ".macro NAME[,] P1[=DEF|:req|:vararg][,] P2 ..." */
void rw_macro_define(struct rw *rw, const char *a, size_t n)
{
	size_t i = 0;
	while (i < n && a[i] != ',' && a[i] != ' ' && a[i] != '\t')
		i++;
	if (i == 0) {
		rw_error(rw, ".macro without a name");
		return;
	}
	struct rw_macro *m = calloc(1, sizeof(*m));
	struct rw_macro **ms = realloc(rw->macros, (rw->nmacros + 1) * sizeof(*ms));
	if (!m || !ms) {
		ab_error(NULL, 0, "out of memory");
		exit(1);
	}
	m->name = dup_n(a, i);
	rw->macros = ms;
	rw->macros[rw->nmacros++] = m;
	rw->blocks[rw->nblocks - 1].macro = m;
	while (i < n) {
		i = rw_skip_blanks(a, i, n);
		if (i < n && a[i] == ',')
			i = rw_skip_blanks(a, i + 1, n);
		if (i >= n)
			break;
		size_t s = i;
		while (i < n && param_char(a[i]))
			i++;
		if (i == s) {
			rw_error(rw, "cannot parse .macro parameter list '%.*s'", (int)(n - s), a + s);
			return;
		}
		int vararg = 0;
		size_t e = i;
		if (i < n && a[i] == ':') {
			size_t q = i + 1;
			while (q < n && param_char(a[q]))
				q++;
			vararg = (q - i - 1 == 6 && !strncmp(a + i + 1, "vararg", 6));
			i = q;
		}
		if (i < n && a[i] == '=')
			i = skip_value(a, i + 1, n);
		add_param(m, a + s, e - s, vararg);
	}
}

void rw_macro_purge(struct rw *rw, const char *name, size_t n)
{
	while (n && (name[n - 1] == ' ' || name[n - 1] == '\t'))
		n--;
	for (size_t i = rw->nmacros; i-- > 0;) {
		struct rw_macro *m = rw->macros[i];
		if (strlen(m->name) == n && !strncasecmp(m->name, name, n)) {
			for (int b = 0; b < rw->nblocks; b++)
				if (rw->blocks[b].macro == m)
					return; /* purged inside its own body: keep */
			macro_free(m);
			memmove(&rw->macros[i], &rw->macros[i + 1],
				(rw->nmacros - i - 1) * sizeof(rw->macros[0]));
			rw->nmacros--;
			return;
		}
	}
}

static struct rw_macro *defining(const struct rw *rw)
{
	for (int b = rw->nblocks; b-- > 0;)
		if (rw->blocks[b].type == BLOCK_MACRO)
			return rw->blocks[b].macro;
	return NULL;
}

int rw_in_macro_body(const struct rw *rw)
{
	return defining(rw) != NULL;
}

static struct rw_param *find_param(struct rw_macro *m, const char *name, size_t n)
{
	for (size_t i = 0; m && i < m->nparams; i++)
		if (strlen(m->params[i].name) == n && !memcmp(m->params[i].name, name, n))
			return &m->params[i];
	return NULL;
}

/* Length of "\name" at p (0 when p does not hold one). */
static size_t param_ref_length(const char *p, size_t n)
{
	size_t k = 1;
	if (n < 2 || p[0] != '\\')
		return 0;
	while (k < n && param_char(p[k]))
		k++;
	return k > 1 ? k : 0;
}

/* Every "\name" inside a body statement other than a lone "\name". */
void rw_macro_body_text(struct rw *rw, const char *p, size_t n)
{
	struct rw_macro *m = defining(rw);
	if (param_ref_length(p, n) == n)
		return;
	for (size_t i = 0; i < n; i++) {
		size_t k = param_ref_length(p + i, n - i);
		struct rw_param *par = k ? find_param(m, p + i + 1, k - 1) : NULL;
		if (par)
			par->other_use = 1;
		if (k)
			i += k - 1;
	}
}

/* Operand-less sensitive mnemonics the body chain recognises. */
static const char *const chain_mnemonics[] = {
	"cli", "sti", "pushf", "pushfq", "popf", "popfq", "hlt", "monitor", "mwait",
	"clts", "rdmsr", "wrmsr", "cpuid", "rdtscp", "rdpmc", "xsetbv", "invd",
	"wbinvd", "wbnoinvd", "iretq", "sysretq", "sysretl", "sysexit", "swapgs",
	"lretq", "stac", "clac", "rsm",
};

#define HELPER_GUARD ".L__afterburn_helpers"

/*
 * Parameter names that no macro of the guest will use: the helpers may be
 * defined inside another macro's body, where gas copies an unknown "\\name"
 * through, but would substitute a name the outer macro also has.
 */
static void build_helpers(struct ab_buf *b)
{
	size_t depth = sizeof(chain_mnemonics) / sizeof(chain_mnemonics[0]);
	ab_buf_puts(b, ".ifndef " HELPER_GUARD " ; .set " HELPER_GUARD ", 1"
		    " ; .set " RW_CTX_SYMBOL ", 0"
		    " ; .macro __afterburn_site __ab_kind, __ab_flags, __ab_pad, __ab_insn:vararg"
		    " ; 8943001: \\__ab_insn");
	ab_buf_printf(b, " ; .nops \\__ab_pad"
		      " ; %d: " RW_PUSH_SITES
		      " ; .long %db - . ; .byte %db - %db, \\__ab_kind"
		      " ; .short \\__ab_flags | " RW_CTX_SYMBOL
		      " ; .popsection ; .endm",
		      RW_LABEL_END, RW_LABEL_START, RW_LABEL_END, RW_LABEL_START);
	/* The statement runs with the replacement-section context of its
	 * caller, so that sites of a macro it expands inherit AB_F_ALTREPL. */
	/* The same with the padding first (interrupt shadows, AB_F_LEAD). */
	ab_buf_printf(b, " ; .macro __afterburn_site_lead __ab_kind, __ab_flags, __ab_lead, __ab_insn:vararg"
		      " ; .nops \\__ab_lead ; %d: \\__ab_insn"
		      " ; %d: " RW_PUSH_SITES
		      " ; .long %db - . ; .byte %db - %db, \\__ab_kind"
		      " ; .short \\__ab_flags | " RW_CTX_SYMBOL
		      " ; .popsection ; .endm",
		      RW_LABEL_START, RW_LABEL_END, RW_LABEL_START, RW_LABEL_END, RW_LABEL_START);
	ab_buf_puts(b, " ; .macro __afterburn_stmt __ab_flags, __ab_insn:vararg"
		    " ; .set .L__ab_save\\@, " RW_CTX_SYMBOL
		    " ; .set " RW_CTX_SYMBOL ", " RW_CTX_SYMBOL " | (\\__ab_flags & 0x40)");
	for (size_t i = 0; i < depth; i++) {
		const char *mn = chain_mnemonics[i];
		unsigned kind = ab_classify(mn, strlen(mn), "", 0);
		if (ab_has_interrupt_shadow(kind, "", 0))
			ab_buf_printf(b, " ; .ifc \"\\__ab_insn\",\"%s\""
				      " ; __afterburn_site_lead %u, \\__ab_flags | 0x%x, %u, %s ; .else",
				      mn, kind, AB_F_LEAD(RW_SHADOW_LEAD(kind)), RW_SHADOW_LEAD(kind), mn);
		else
			ab_buf_printf(b, " ; .ifc \"\\__ab_insn\",\"%s\""
				      " ; __afterburn_site %u, \\__ab_flags, %u, %s ; .else",
				      mn, kind, ab_kind_pad(kind), mn);
	}
	ab_buf_puts(b, " ; \\__ab_insn");
	for (size_t i = 0; i < depth; i++)
		ab_buf_puts(b, " ; .endif");
	ab_buf_puts(b, " ; .set " RW_CTX_SYMBOL ", .L__ab_save\\@ ; .endm ; .endif ; ");
}

/* Define the helpers (guarded) in front of statement `at` of this line. */
void rw_macro_helpers(struct rw *rw, size_t at)
{
	static struct ab_buf helpers;
	if (!helpers.len)
		build_helpers(&helpers);
	rw_edit_insert(rw, at, helpers.p, helpers.len);
	rw->sites_emitted = 1;
}

/* "\name" alone as a statement inside a body. */
void rw_macro_param_statement(struct rw *rw, size_t at, const char *p, size_t n)
{
	struct rw_param *par = param_ref_length(p, n) == n ?
			       find_param(defining(rw), p + 1, n - 1) : NULL;
	if (!par) {
		rw->st->unresolved++; /* e.g. "\op %eax": the audit is the safety net */
		return;
	}
	par->stmt_use = 1;
	if (rw_section_altrepl(rw))
		par->altrepl_use = 1;
	if (rw->mode != 64 || !rw_section_exec(rw))
		return;
	char text[64];
	int k = snprintf(text, sizeof(text), "__afterburn_stmt 0x%x, ",
			 rw_site_flags(rw) | AB_F_MACRO_ARG);
	rw_edit_insert(rw, at, text, (size_t)k);
}

struct arg {
	size_t start, end; /* as written, quotes included */
	size_t kw_end;     /* end of "name=" for keyword arguments, else start */
};

/* Split an invocation's arguments (commas or blanks separate them). */
static size_t split_args(const char *p, size_t i, size_t end, struct arg *args, size_t max)
{
	size_t n = 0;
	while (n < max) {
		i = rw_skip_blanks(p, i, end);
		if (i < end && p[i] == ',')
			i = rw_skip_blanks(p, i + 1, end);
		if (i >= end)
			break;
		args[n].start = i;
		args[n].kw_end = i;
		size_t k = i;
		while (k < end && param_char(p[k]))
			k++;
		if (k > i && k < end && p[k] == '=') {
			args[n].kw_end = k + 1;
			i = k + 1;
		}
		i = skip_value(p, i, end);
		args[n].end = i;
		n++;
	}
	return n;
}

static const struct arg *bound_arg(const struct rw_macro *m, size_t param, const char *p,
				   const struct arg *args, size_t nargs)
{
	const char *name = m->params[param].name;
	size_t len = strlen(name);
	for (size_t i = 0; i < nargs; i++)
		if (args[i].kw_end > args[i].start && args[i].kw_end - args[i].start - 1 == len &&
		    !memcmp(p + args[i].start, name, len))
			return &args[i];
	return param < nargs && args[param].kw_end == args[param].start ? &args[param] : NULL;
}

/*
 * Kind of one statement of an argument, .byte spellings included; *shadow
 * says whether its padding must go first.
 */
static unsigned arg_statement_kind(const char *t, size_t a, size_t e, unsigned *flags,
				   int *shadow)
{
	size_t w = a;
	while (w < e && rw_is_symbol_char(t[w]))
		w++;
	size_t ops = rw_skip_blanks(t, w, e);
	if (w - a == 5 && !strncasecmp(t + a, ".byte", 5)) {
		unsigned kind = rw_decode_byte_list(t + ops, e - ops);
		if (kind)
			*flags |= AB_F_BYTES;
		*shadow = kind == AB_K_STI;
		return kind;
	}
	unsigned kind = ab_classify(t + a, w - a, t + ops, e - ops);
	*shadow = ab_has_interrupt_shadow(kind, t + ops, e - ops);
	return kind;
}

/*
 * Rewrite one argument's statements, each sensitive one as
 * "__afterburn_site KIND, FLAGS, PAD, stmt"; a prefix-only statement joins
 * the next one ("rep; outsb" -> "rep outsb", the same encoding).  Returns
 * how many sites it made; the new quoted argument is left in out.
 */
static int annotate_arg(struct rw *rw, const char *t, size_t n, unsigned flags, struct ab_buf *out)
{
	struct ab_lexer lx = { 0 };
	struct ab_span st[AB_LEX_MAX_STMTS];
	size_t ns, prefix_start = 0;
	int sites = 0, have_prefix = 0;

	if (memchr(t, '"', n) || memchr(t, '\\', n) || memchr(t, '#', n))
		return 0;
	if (ab_lex_line(&lx, t, n, st, &ns) != AB_LEX_OK)
		return 0;
	ab_buf_put(out, "\"", 1);
	for (size_t i = 0; i < ns; i++) {
		size_t a = st[i].start, e = st[i].end, w = a;
		while (w < e && rw_is_symbol_char(t[w]))
			w++;
		if (rw_skip_blanks(t, w, e) == e && ab_is_prefix_word(t + a, w - a)) {
			if (!have_prefix)
				prefix_start = a;
			have_prefix = 1;
			continue;
		}
		unsigned f = flags | (have_prefix ? AB_F_PREFIX : 0);
		int shadow;
		unsigned kind = arg_statement_kind(t, a, e, &f, &shadow);
		if (out->len > 1)
			ab_buf_puts(out, " ; ");
		if (kind != AB_K_NONE && shadow) {
			f |= AB_F_LEAD(RW_SHADOW_LEAD(kind));
			ab_buf_printf(out, "__afterburn_site_lead %u, 0x%x, %u, ", kind, f,
				      RW_SHADOW_LEAD(kind));
		} else if (kind != AB_K_NONE) {
			ab_buf_printf(out, "__afterburn_site %u, 0x%x, %u, ", kind, f, ab_kind_pad(kind));
		}
		if (kind != AB_K_NONE) {
			rw_count_site(rw, kind, f);
			sites++;
		}
		for (size_t k = have_prefix ? prefix_start : a; k < e; k++)
			ab_buf_put(out, t[k] == ';' ? " " : t + k, 1);
		have_prefix = 0;
	}
	ab_buf_put(out, "\"", 1);
	return sites;
}

void rw_macro_invocation(struct rw *rw, struct rw_macro *m, const char *p, size_t at,
			 size_t args_start, size_t end)
{
	struct arg args[64];
	size_t nargs = split_args(p, args_start, end, args, 64);
	int helpers = 0;

	if (rw->mode != 64 || !rw_section_exec(rw))
		return;
	for (size_t i = 0; i < m->nparams; i++) {
		if (!m->params[i].stmt_use || m->params[i].other_use || m->params[i].vararg)
			continue;
		const struct arg *a = bound_arg(m, i, p, args, nargs);
		if (!a)
			continue;
		size_t s = a->kw_end, e = a->end;
		if (e - s >= 2 && p[s] == '"' && p[e - 1] == '"')
			s++, e--;
		unsigned flags = AB_F_MACRO_ARG | rw_site_flags(rw) |
				 (m->params[i].altrepl_use ? AB_F_ALTREPL : 0);
		struct ab_buf text = { 0 };
		if (annotate_arg(rw, p + s, e - s, flags, &text) > 0) {
			if (!helpers)
				rw_macro_helpers(rw, at);
			helpers = 1;
			rw_edit_replace(rw, a->kw_end, a->end - a->kw_end, &text);
		}
		ab_buf_free(&text);
	}
}

void rw_macros_free(struct rw *rw)
{
	for (size_t i = 0; i < rw->nmacros; i++)
		macro_free(rw->macros[i]);
	free(rw->macros);
	rw->macros = NULL;
	rw->nmacros = 0;
}
