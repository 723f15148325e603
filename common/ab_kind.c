/* The kind table of abi.h as arrays; freestanding (no libc). */
#include "afterburn/kind.h"

#define ROW_NAME(id, name, cls, pad) [AB_K_##id] = name,
#define ROW_CLASS(id, name, cls, pad) [AB_K_##id] = cls,
#define ROW_PAD(id, name, cls, pad) [AB_K_##id] = pad,

static const char *const kind_names[AB_K_COUNT] = { AB_KIND_TABLE(ROW_NAME) };
static const unsigned char kind_classes[AB_K_COUNT] = { AB_KIND_TABLE(ROW_CLASS) };
static const unsigned char kind_pads[AB_K_COUNT] = { AB_KIND_TABLE(ROW_PAD) };

static const char *const class_names[AB_C_COUNT] = {
	[AB_C_IRQFLAG] = "interrupt-flag",
	[AB_C_HALT] = "halt-wait",
	[AB_C_PIO] = "port-io",
	[AB_C_CTRLREG] = "control-debug-reg",
	[AB_C_DESCTAB] = "descriptor-table",
	[AB_C_SEGMENT] = "segment",
	[AB_C_MSR] = "msr-ident",
	[AB_C_TLB] = "tlb-cache",
	[AB_C_XFER] = "priv-transfer",
	[AB_C_PRIV] = "other-priv",
};

const char *ab_kind_name(unsigned kind)
{
	return (kind > AB_K_NONE && kind < AB_K_COUNT) ? kind_names[kind] : 0;
}

const char *ab_class_name(unsigned cls)
{
	return (cls > 0 && cls < AB_C_COUNT) ? class_names[cls] : 0;
}

unsigned ab_kind_class(unsigned kind)
{
	return (kind > AB_K_NONE && kind < AB_K_COUNT) ? kind_classes[kind] : 0;
}

unsigned ab_kind_pad(unsigned kind)
{
	return (kind > AB_K_NONE && kind < AB_K_COUNT) ? kind_pads[kind] : 0;
}

static int names_equal(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

unsigned ab_kind_by_name(const char *name)
{
	for (unsigned k = AB_K_NONE + 1; k < AB_K_COUNT; k++)
		if (names_equal(kind_names[k], name))
			return k;
	return AB_K_NONE;
}
