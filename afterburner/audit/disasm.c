/* Capstone and libopcodes behind one small interface (disasm.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../diag.h"
#include "disasm.h"
#include "util.h"

/* libopcodes prints through callbacks: collect the text, it tells "(bad)". */
static int collect(struct ab_opcodes_out *o, const char *fmt, va_list ap)
{
	size_t room = sizeof(o->text) - o->used;
	int n = vsnprintf(o->text + o->used, room, fmt, ap);
	if (n > 0)
		o->used += (size_t)n < room ? (size_t)n : room - 1;
	return n;
}

static int opcodes_fprintf(void *stream, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = collect(stream, fmt, ap);
	va_end(ap);
	return n;
}

static int opcodes_styled(void *stream, enum disassembler_style style, const char *fmt, ...)
{
	(void)style;
	va_list ap;
	va_start(ap, fmt);
	int n = collect(stream, fmt, ap);
	va_end(ap);
	return n;
}

/* Out of bytes is an answer ("does not decode"), not something to print. */
static void opcodes_memory_error(int status, bfd_vma addr, struct disassemble_info *info)
{
	(void)status;
	(void)addr;
	(void)info;
}

static int init_capstone(struct ab_dis *d)
{
	if (cs_open(CS_ARCH_X86, d->mode64 ? CS_MODE_64 : CS_MODE_32, &d->cs) != CS_ERR_OK) {
		ab_error(NULL, 0, "cannot start the Capstone disassembler");
		return -1;
	}
	cs_option(d->cs, CS_OPT_DETAIL, CS_OPT_ON);
	cs_option(d->cs, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
	d->insn = cs_malloc(d->cs);
	if (!d->insn) {
		ab_error(NULL, 0, "out of memory");
		cs_close(&d->cs);
		return -1;
	}
	return 0;
}

int ab_dis_init(struct ab_dis *d, int mode64)
{
	memset(d, 0, sizeof(*d));
	d->mode64 = mode64;
	if (init_capstone(d))
		return -1;
	init_disassemble_info(&d->info, &d->out, opcodes_fprintf, opcodes_styled);
	d->info.arch = bfd_arch_i386;
	d->info.mach = mode64 ? bfd_mach_x86_64 : bfd_mach_i386_i386;
	d->info.read_memory_func = buffer_read_memory;
	d->info.memory_error_func = opcodes_memory_error;
	disassemble_init_for_target(&d->info);
	d->print = disassembler(bfd_arch_i386, false, d->info.mach, NULL);
	if (!d->print) {
		ab_error(NULL, 0, "libopcodes has no x86 disassembler");
		ab_dis_fini(d);
		return -1;
	}
	return 0;
}

void ab_dis_fini(struct ab_dis *d)
{
	if (d->insn)
		cs_free(d->insn, 1);
	if (d->cs)
		cs_close(&d->cs);
	if (d->print)
		disassemble_free_target(&d->info);
	memset(d, 0, sizeof(*d));
}

size_t ab_dis_capstone(struct ab_dis *d, const uint8_t *p, size_t n, uint64_t addr)
{
	const uint8_t *code = p;
	size_t size = n < AB_INSN_MAX ? n : AB_INSN_MAX;
	uint64_t a = addr;
	if (!n || !cs_disasm_iter(d->cs, &code, &size, &a, d->insn))
		return 0;
	return d->insn->size;
}

size_t ab_dis_opcodes(struct ab_dis *d, const uint8_t *p, size_t n, uint64_t addr)
{
	d->out.used = 0;
	d->out.text[0] = 0;
	if (!n)
		return 0;
	d->info.buffer = (bfd_byte *)p;
	d->info.buffer_vma = addr;
	d->info.buffer_length = n < AB_INSN_MAX ? n : AB_INSN_MAX;
	int len = d->print(addr, &d->info);
	if (len <= 0 || strstr(d->out.text, "(bad)"))
		return 0;
	return (size_t)len;
}

size_t ab_dis_length(struct ab_dis *d, const uint8_t *p, size_t n, uint64_t addr)
{
	size_t len = ab_dis_opcodes(d, p, n, addr);
	return len ? len : ab_dis_capstone(d, p, n, addr);
}

/* libopcodes pads the mnemonic with spaces: one is enough in a report. */
static void squeeze_spaces(char *s)
{
	char *o = s;
	for (char *p = s; *p; p++)
		if (*p != ' ' || (o > s && o[-1] != ' '))
			*o++ = *p;
	while (o > s && o[-1] == ' ')
		o--;
	*o = 0;
}

void ab_dis_text(struct ab_dis *d, const uint8_t *p, size_t n, uint64_t addr,
		 char *buf, size_t size)
{
	/* libopcodes first: it names what Capstone 4 lacks (wbnoinvd). */
	if (ab_dis_opcodes(d, p, n, addr)) {
		ab_au_snprintf(buf, size, "%s", d->out.text);
		squeeze_spaces(buf);
		return;
	}
	if (ab_dis_capstone(d, p, n, addr)) {
		ab_au_snprintf(buf, size, "%s%s%s", d->insn->mnemonic,
			       d->insn->op_str[0] ? " " : "", d->insn->op_str);
		return;
	}
	ab_au_snprintf(buf, size, "(bad)");
}
