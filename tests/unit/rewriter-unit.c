/* Unit checks of the rewriter's tables and lexer, kvm-unit-tests style. */
#include <stdio.h>
#include <string.h>

#include "afterburn/kind.h"
#include "../../afterburner/rewrite/classify.h"
#include "../../afterburner/rewrite/lex.h"

int ab_classify_table_sorted(void);
int ab_directive_table_sorted(void);

static int passed, failed;

static void report(int ok, const char *name)
{
	printf("%s: %s\n", ok ? "PASS" : "FAIL", name);
	ok ? passed++ : failed++;
}

static int classifies(const char *mnem, const char *ops, unsigned kind)
{
	return ab_classify(mnem, strlen(mnem), ops, strlen(ops)) == kind;
}

static int splits(const char *line, size_t want)
{
	struct ab_lexer lx = { 0 };
	struct ab_span st[AB_LEX_MAX_STMTS];
	size_t n;
	return ab_lex_line(&lx, line, strlen(line), st, &n) == AB_LEX_OK && n == want;
}

int main(void)
{
	report(ab_classify_table_sorted(), "mnemonic table sorted for binary search");
	report(ab_directive_table_sorted(), "directive table sorted for binary search");
	report(classifies("CLI", "", AB_K_CLI), "mnemonics are case-insensitive");
	report(classifies("mov", "%fs:0x28, %rax", AB_K_NONE), "segment override is not a segment register");
	report(classifies("mov", "%rax,%cr3", AB_K_MOV_TO_CR), "mov to %cr3");
	report(classifies("movl", "%gs , %eax", AB_K_MOV_FROM_SEG), "mov from %gs with blanks");
	report(classifies("push", "%rax", AB_K_NONE), "push of a GPR is not a site");
	report(classifies("int3", "", AB_K_NONE), "int3 is not a site");
	report(classifies("movsd", "%xmm0, %xmm1", AB_K_NONE), "movsd is not mov");
	report(splits("cli ; sti # hlt ; cpuid", 2), "comment ends the statements");
	report(splits(".ascii \"a;b\" ; nop", 2), "';' in a string does not split");
	report(splits("movb $';', %al", 1), "';' as a character constant does not split");
	report(splits("nop /* ; */ ; nop", 2), "block comment inside a line");
	int rows_ok = 1;
	for (unsigned k = 1; k < AB_K_COUNT; k++) {
		if (!ab_kind_name(k) || !ab_kind_class(k) || ab_kind_pad(k) < 5 ||
		    ab_kind_pad(k) > AB_PAD_MAX || ab_kind_by_name(ab_kind_name(k)) != k) {
			printf("  bad row for kind %u\n", k);
			rows_ok = 0;
		}
	}
	report(rows_ok, "kind table: names, classes, padding within [5, AB_PAD_MAX]");
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
