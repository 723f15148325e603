/*
 * Mnemonic table of section 3 of the architecture brief, with every AT&T
 * size suffix gas accepts.  mov/push/pop are sensitive only for some
 * operands, so those are looked at separately.
 */
#include <string.h>

#include "afterburn/abi.h"
#include "classify.h"

enum operand_rule { BY_NAME, MOV_RULE, PUSH_RULE, POP_RULE, INT_RULE };

struct mnemonic {
	const char *name;
	unsigned char kind;
	unsigned char rule;
};

/* Sorted by name (strcmp) for binary search; checked by a unit test. */
static const struct mnemonic table[] = {
	{ "clac", AB_K_CLAC, BY_NAME },
	{ "cli", AB_K_CLI, BY_NAME },
	{ "clts", AB_K_CLTS, BY_NAME },
	{ "cpuid", AB_K_CPUID, BY_NAME },
	{ "hlt", AB_K_HLT, BY_NAME },
	{ "in", AB_K_IN, BY_NAME },
	{ "inb", AB_K_IN, BY_NAME },
	{ "inl", AB_K_IN, BY_NAME },
	{ "ins", AB_K_INS, BY_NAME },
	{ "insb", AB_K_INS, BY_NAME },
	{ "insd", AB_K_INS, BY_NAME },
	{ "insl", AB_K_INS, BY_NAME },
	{ "insw", AB_K_INS, BY_NAME },
	{ "int", AB_K_INTN, INT_RULE },
	{ "invd", AB_K_INVD, BY_NAME },
	{ "invlpg", AB_K_INVLPG, BY_NAME },
	{ "invpcid", AB_K_INVPCID, BY_NAME },
	{ "inw", AB_K_IN, BY_NAME },
	{ "iret", AB_K_IRET, BY_NAME },
	{ "iretd", AB_K_IRET, BY_NAME },
	{ "iretl", AB_K_IRET, BY_NAME },
	{ "iretq", AB_K_IRET, BY_NAME },
	{ "iretw", AB_K_IRET, BY_NAME },
	{ "lar", AB_K_LAR, BY_NAME },
	{ "larl", AB_K_LAR, BY_NAME },
	{ "larq", AB_K_LAR, BY_NAME },
	{ "larw", AB_K_LAR, BY_NAME },
	{ "lcall", AB_K_LCALL, BY_NAME },
	{ "lcalll", AB_K_LCALL, BY_NAME },
	{ "lcallq", AB_K_LCALL, BY_NAME },
	{ "lcallw", AB_K_LCALL, BY_NAME },
	{ "lfs", AB_K_LOAD_FARPTR, BY_NAME },
	{ "lfsl", AB_K_LOAD_FARPTR, BY_NAME },
	{ "lfsq", AB_K_LOAD_FARPTR, BY_NAME },
	{ "lfsw", AB_K_LOAD_FARPTR, BY_NAME },
	{ "lgdt", AB_K_LGDT, BY_NAME },
	{ "lgdtl", AB_K_LGDT, BY_NAME },
	{ "lgdtq", AB_K_LGDT, BY_NAME },
	{ "lgdtw", AB_K_LGDT, BY_NAME },
	{ "lgs", AB_K_LOAD_FARPTR, BY_NAME },
	{ "lgsl", AB_K_LOAD_FARPTR, BY_NAME },
	{ "lgsq", AB_K_LOAD_FARPTR, BY_NAME },
	{ "lgsw", AB_K_LOAD_FARPTR, BY_NAME },
	{ "lidt", AB_K_LIDT, BY_NAME },
	{ "lidtl", AB_K_LIDT, BY_NAME },
	{ "lidtq", AB_K_LIDT, BY_NAME },
	{ "lidtw", AB_K_LIDT, BY_NAME },
	{ "ljmp", AB_K_LJMP, BY_NAME },
	{ "ljmpl", AB_K_LJMP, BY_NAME },
	{ "ljmpq", AB_K_LJMP, BY_NAME },
	{ "ljmpw", AB_K_LJMP, BY_NAME },
	{ "lldt", AB_K_LLDT, BY_NAME },
	{ "lldtw", AB_K_LLDT, BY_NAME },
	{ "lmsw", AB_K_LMSW, BY_NAME },
	{ "lmsww", AB_K_LMSW, BY_NAME },
	{ "lret", AB_K_LRET, BY_NAME },
	{ "lretl", AB_K_LRET, BY_NAME },
	{ "lretq", AB_K_LRET, BY_NAME },
	{ "lretw", AB_K_LRET, BY_NAME },
	{ "lsl", AB_K_LSL, BY_NAME },
	{ "lsll", AB_K_LSL, BY_NAME },
	{ "lslq", AB_K_LSL, BY_NAME },
	{ "lslw", AB_K_LSL, BY_NAME },
	{ "lss", AB_K_LOAD_FARPTR, BY_NAME },
	{ "lssl", AB_K_LOAD_FARPTR, BY_NAME },
	{ "lssq", AB_K_LOAD_FARPTR, BY_NAME },
	{ "lssw", AB_K_LOAD_FARPTR, BY_NAME },
	{ "ltr", AB_K_LTR, BY_NAME },
	{ "ltrw", AB_K_LTR, BY_NAME },
	{ "monitor", AB_K_MONITOR, BY_NAME },
	{ "monitorx", AB_K_MONITOR, BY_NAME },
	{ "mov", 0, MOV_RULE },
	{ "movl", 0, MOV_RULE },
	{ "movq", 0, MOV_RULE },
	{ "movw", 0, MOV_RULE },
	{ "mwait", AB_K_MWAIT, BY_NAME },
	{ "mwaitx", AB_K_MWAIT, BY_NAME },
	{ "out", AB_K_OUT, BY_NAME },
	{ "outb", AB_K_OUT, BY_NAME },
	{ "outl", AB_K_OUT, BY_NAME },
	{ "outs", AB_K_OUTS, BY_NAME },
	{ "outsb", AB_K_OUTS, BY_NAME },
	{ "outsd", AB_K_OUTS, BY_NAME },
	{ "outsl", AB_K_OUTS, BY_NAME },
	{ "outsw", AB_K_OUTS, BY_NAME },
	{ "outw", AB_K_OUT, BY_NAME },
	{ "pop", 0, POP_RULE },
	{ "popf", AB_K_POPF, BY_NAME },
	{ "popfl", AB_K_POPF, BY_NAME },
	{ "popfq", AB_K_POPF, BY_NAME },
	{ "popfw", AB_K_POPF, BY_NAME },
	{ "popq", 0, POP_RULE },
	{ "popw", 0, POP_RULE },
	{ "push", 0, PUSH_RULE },
	{ "pushf", AB_K_PUSHF, BY_NAME },
	{ "pushfl", AB_K_PUSHF, BY_NAME },
	{ "pushfq", AB_K_PUSHF, BY_NAME },
	{ "pushfw", AB_K_PUSHF, BY_NAME },
	{ "pushq", 0, PUSH_RULE },
	{ "pushw", 0, PUSH_RULE },
	{ "rdfsbase", AB_K_RDFSBASE, BY_NAME },
	{ "rdgsbase", AB_K_RDGSBASE, BY_NAME },
	{ "rdmsr", AB_K_RDMSR, BY_NAME },
	{ "rdpmc", AB_K_RDPMC, BY_NAME },
	{ "rdtscp", AB_K_RDTSCP, BY_NAME },
	{ "retf", AB_K_LRET, BY_NAME },
	{ "retfq", AB_K_LRET, BY_NAME },
	{ "retfw", AB_K_LRET, BY_NAME },
	{ "rsm", AB_K_RSM, BY_NAME },
	{ "sgdt", AB_K_SGDT, BY_NAME },
	{ "sgdtl", AB_K_SGDT, BY_NAME },
	{ "sgdtq", AB_K_SGDT, BY_NAME },
	{ "sgdtw", AB_K_SGDT, BY_NAME },
	{ "sidt", AB_K_SIDT, BY_NAME },
	{ "sidtl", AB_K_SIDT, BY_NAME },
	{ "sidtq", AB_K_SIDT, BY_NAME },
	{ "sidtw", AB_K_SIDT, BY_NAME },
	{ "sldt", AB_K_SLDT, BY_NAME },
	{ "sldtl", AB_K_SLDT, BY_NAME },
	{ "sldtq", AB_K_SLDT, BY_NAME },
	{ "sldtw", AB_K_SLDT, BY_NAME },
	{ "smsw", AB_K_SMSW, BY_NAME },
	{ "smswl", AB_K_SMSW, BY_NAME },
	{ "smswq", AB_K_SMSW, BY_NAME },
	{ "smsww", AB_K_SMSW, BY_NAME },
	{ "stac", AB_K_STAC, BY_NAME },
	{ "sti", AB_K_STI, BY_NAME },
	{ "str", AB_K_STR, BY_NAME },
	{ "strl", AB_K_STR, BY_NAME },
	{ "strq", AB_K_STR, BY_NAME },
	{ "strw", AB_K_STR, BY_NAME },
	{ "swapgs", AB_K_SWAPGS, BY_NAME },
	{ "sysexit", AB_K_SYSEXIT, BY_NAME },
	{ "sysexitl", AB_K_SYSEXIT, BY_NAME },
	{ "sysexitq", AB_K_SYSEXIT, BY_NAME },
	{ "sysret", AB_K_SYSRET, BY_NAME },
	{ "sysretl", AB_K_SYSRET, BY_NAME },
	{ "sysretq", AB_K_SYSRET, BY_NAME },
	{ "verr", AB_K_VERR, BY_NAME },
	{ "verrw", AB_K_VERR, BY_NAME },
	{ "verw", AB_K_VERW, BY_NAME },
	{ "verww", AB_K_VERW, BY_NAME },
	{ "wbinvd", AB_K_WBINVD, BY_NAME },
	{ "wbnoinvd", AB_K_WBNOINVD, BY_NAME },
	{ "wrfsbase", AB_K_WRFSBASE, BY_NAME },
	{ "wrgsbase", AB_K_WRGSBASE, BY_NAME },
	{ "wrmsr", AB_K_WRMSR, BY_NAME },
	{ "xrstors", AB_K_XRSTORS, BY_NAME },
	{ "xrstors64", AB_K_XRSTORS, BY_NAME },
	{ "xsaves", AB_K_XSAVES, BY_NAME },
	{ "xsaves64", AB_K_XSAVES, BY_NAME },
	{ "xsetbv", AB_K_XSETBV, BY_NAME },
};

#define MNEMONIC_MAX 16

static int lower_copy(char *dst, const char *src, size_t n)
{
	if (n == 0 || n >= MNEMONIC_MAX)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char c = src[i];
		dst[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	dst[n] = 0;
	return 0;
}

/*
 * The table split by first letter, built on first use: almost every
 * instruction of a kernel is rejected by one or two comparisons.
 */
static unsigned char first_index[27], first_end[27];

static void build_index(void)
{
	size_t n = sizeof(table) / sizeof(table[0]);
	for (size_t i = n; i-- > 0;) {
		unsigned c = (unsigned)(table[i].name[0] - 'a');
		first_index[c] = (unsigned char)i;
		if (!first_end[c])
			first_end[c] = (unsigned char)(i + 1);
	}
	first_index[26] = 1; /* built */
}

static const struct mnemonic *lookup(const char *name)
{
	if (!first_index[26])
		build_index();
	if (name[0] < 'a' || name[0] > 'z')
		return NULL;
	unsigned c = (unsigned)(name[0] - 'a');
	for (size_t i = first_index[c]; i < first_end[c]; i++) {
		int d = strcmp(name, table[i].name);
		if (d == 0)
			return &table[i];
		if (d < 0)
			break;
	}
	return NULL;
}

enum reg_class { REG_OTHER, REG_CR, REG_DR, REG_SEG, REG_FSGS };

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* An operand that is exactly one special register, such as "%cr3". */
static enum reg_class operand_class(const char *p, size_t n)
{
	char r[6];
	while (n && is_space(*p))
		p++, n--;
	while (n && is_space(p[n - 1]))
		n--;
	if (n < 3 || n > 5 || p[0] != '%')
		return REG_OTHER;
	for (size_t i = 0; i < n - 1; i++)
		r[i] = lower(p[i + 1]);
	r[n - 1] = 0;
	if (n == 3 && r[1] == 's' && strchr("cdefgs", r[0]))
		return (r[0] == 'f' || r[0] == 'g') ? REG_FSGS : REG_SEG;
	if (r[0] == 'c' && r[1] == 'r' && r[2] >= '0' && r[2] <= '9')
		return REG_CR;
	if ((r[0] == 'd') && (r[1] == 'b' || r[1] == 'r') && r[2] >= '0' && r[2] <= '9')
		return REG_DR;
	return REG_OTHER;
}

/* Split "src, dst" at the top-level comma; -1 unless exactly two operands. */
static int split_two(const char *ops, size_t n, size_t *comma)
{
	int depth = 0, found = 0;
	for (size_t i = 0; i < n; i++) {
		if (ops[i] == '(')
			depth++;
		else if (ops[i] == ')')
			depth--;
		else if (ops[i] == ',' && depth == 0) {
			if (found)
				return -1;
			found = 1;
			*comma = i;
		}
	}
	return found ? 0 : -1;
}

static unsigned classify_mov(const char *ops, size_t n)
{
	size_t comma;
	if (split_two(ops, n, &comma))
		return AB_K_NONE;
	enum reg_class src = operand_class(ops, comma);
	enum reg_class dst = operand_class(ops + comma + 1, n - comma - 1);
	if (dst == REG_CR)
		return AB_K_MOV_TO_CR;
	if (src == REG_CR)
		return AB_K_MOV_FROM_CR;
	if (dst == REG_DR)
		return AB_K_MOV_TO_DR;
	if (src == REG_DR)
		return AB_K_MOV_FROM_DR;
	if (dst == REG_SEG || dst == REG_FSGS)
		return AB_K_MOV_TO_SEG;
	if (src == REG_SEG || src == REG_FSGS)
		return AB_K_MOV_FROM_SEG;
	return AB_K_NONE;
}

/* gas assembles "int $3" as int3 (0xcc), which is not a site. */
static unsigned classify_int(const char *ops, size_t n)
{
	char imm[8];
	size_t k = 0;
	while (n && is_space(*ops))
		ops++, n--;
	while (n && is_space(ops[n - 1]))
		n--;
	if (n < 2 || n >= sizeof(imm) || ops[0] != '$')
		return AB_K_INTN;
	for (k = 0; k + 1 < n; k++)
		imm[k] = ops[k + 1];
	imm[k] = 0;
	return (!strcmp(imm, "3") || !strcmp(imm, "0x3") || !strcmp(imm, "0x03") ||
		!strcmp(imm, "03")) ? AB_K_NONE : AB_K_INTN;
}

unsigned ab_classify(const char *mnem, size_t mlen, const char *ops, size_t olen)
{
	char name[MNEMONIC_MAX];
	if (lower_copy(name, mnem, mlen))
		return AB_K_NONE;
	const struct mnemonic *m = lookup(name);
	if (!m)
		return AB_K_NONE;
	switch (m->rule) {
	case MOV_RULE:
		return classify_mov(ops, olen);
	case PUSH_RULE:
		return operand_class(ops, olen) == REG_FSGS ? AB_K_PUSH_SEG : AB_K_NONE;
	case POP_RULE:
		return operand_class(ops, olen) == REG_FSGS ? AB_K_POP_SEG : AB_K_NONE;
	case INT_RULE:
		return classify_int(ops, olen);
	default:
		return m->kind;
	}
}

int ab_has_interrupt_shadow(unsigned kind, const char *ops, size_t olen)
{
	size_t comma;
	if (kind == AB_K_STI)
		return 1;
	if (kind != AB_K_MOV_TO_SEG || split_two(ops, olen, &comma))
		return 0;
	const char *d = ops + comma + 1;
	size_t n = olen - comma - 1;
	while (n && is_space(*d))
		d++, n--;
	while (n && is_space(d[n - 1]))
		n--;
	return n == 3 && d[0] == '%' && lower(d[1]) == 's' && lower(d[2]) == 's';
}

static const char *const prefix_words[] = {
	"addr16", "addr32", "bnd", "cs", "data16", "data32", "ds", "es", "fs", "gs",
	"lock", "notrack", "rep", "repe", "repne", "repnz", "repz", "rex", "rex64",
	"ss", "xacquire", "xrelease",
};

int ab_is_prefix_word(const char *w, size_t n)
{
	char name[MNEMONIC_MAX];
	if (n >= 2 && w[0] == '{' && w[n - 1] == '}')
		return 1; /* pseudo prefixes: {disp32}, {vex}, {load}, ... */
	if (n < 2 || n > 8 || lower_copy(name, w, n))
		return 0;
	if (!strncmp(name, "rex.", 4))
		return 1;
	for (size_t i = 0; i < sizeof(prefix_words) / sizeof(prefix_words[0]); i++)
		if (prefix_words[i][0] == name[0] && !strcmp(name, prefix_words[i]))
			return 1;
	return 0;
}

/* For the table-order unit test. */
int ab_classify_table_sorted(void);
int ab_classify_table_sorted(void)
{
	for (size_t i = 1; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(table[i - 1].name, table[i].name) >= 0)
			return 0;
	return 1;
}
