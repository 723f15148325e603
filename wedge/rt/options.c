/*
 * The command line is shared: words "wedge.NAME=value" (or "wedge.NAME")
 * are the wedge's, everything else is passed to the guest unchanged and in
 * order.  Both are kept here, split once at boot.
 */
#include "wedge/guest.h"
#include "wedge/rt.h"

#define CMDLINE_MAX 2048
#define OPTIONS_MAX 16

static void parse_exit_port(void);

static char wedge_words[CMDLINE_MAX];  /* NUL-separated "NAME=value" after "wedge." */
static const char *options[OPTIONS_MAX];
static unsigned noptions;
static char guest_cmdline[CMDLINE_MAX];
static uint16_t exit_port = 0xf4; /* isa-debug-exit on bare; panics use it too */

static int starts_with(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return 0;
	return 1;
}

/* Split cmdline; returns the guest's part. */
const char *wedge_options_parse(const char *cmdline)
{
	size_t wi = 0, gi = 0;
	const char *p = cmdline ? cmdline : "";

	while (*p) {
		while (*p == ' ')
			p++;
		const char *w = p;
		while (*p && *p != ' ')
			p++;
		size_t n = (size_t)(p - w);
		if (!n)
			break;
		if (starts_with(w, "wedge.") && n > 6) {
			if (wi + n - 6 + 1 > sizeof(wedge_words) || noptions == OPTIONS_MAX)
				wedge_panic("too many wedge.* options on the command line");
			options[noptions++] = &wedge_words[wi];
			wedge_memcpy(&wedge_words[wi], w + 6, n - 6);
			wi += n - 6;
			wedge_words[wi++] = '\0';
		} else {
			if (gi + n + 2 > sizeof(guest_cmdline))
				wedge_panic("the command line is longer than %u bytes", CMDLINE_MAX - 2);
			if (gi)
				guest_cmdline[gi++] = ' ';
			wedge_memcpy(&guest_cmdline[gi], w, n);
			gi += n;
		}
	}
	guest_cmdline[gi] = '\0';
	return guest_cmdline;
}

const char *wedge_option(const char *name)
{
	size_t n = wedge_strlen(name);
	for (unsigned i = 0; i < noptions; i++) {
		const char *o = options[i];
		if (starts_with(o, name) && (o[n] == '=' || o[n] == '\0'))
			return o[n] == '=' ? o + n + 1 : o + n;
	}
	return 0;
}

/* Every option must be one the wedge knows: a typo is not silently ignored. */
void wedge_options_check(const char *const *known)
{
	for (unsigned i = 0; i < noptions; i++) {
		int ok = 0;
		for (const char *const *k = known; *k && !ok; k++) {
			size_t n = wedge_strlen(*k);
			ok = starts_with(options[i], *k) && (options[i][n] == '=' || !options[i][n]);
		}
		if (!ok) {
			wedge_printf("wedge: options:");
			for (const char *const *k = known; *k; k++)
				wedge_printf(" wedge.%s", *k);
			wedge_printf("\n");
			wedge_panic("unknown option wedge.%s", options[i]);
		}
	}
	parse_exit_port();
}

static unsigned long parse_number(const char *s, const char *what);

static void parse_exit_port(void)
{
	const char *v = wedge_option("exit_port");
	if (!v)
		return;
	unsigned long port = parse_number(v, "exit_port");
	if (port > 0xffff)
		wedge_panic("wedge.exit_port=%s: not a port", v);
	exit_port = (uint16_t)port;
}

static unsigned long parse_number(const char *s, const char *what)
{
	unsigned long v = 0;
	unsigned base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2;
	if (!*s)
		wedge_panic("wedge.%s: not a number", what);
	for (; *s; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'f'))
			d = (unsigned)((*s | 0x20) - 'a' + 10);
		else
			wedge_panic("wedge.%s: not a number", what);
		v = v * base + d;
	}
	return v;
}

uint16_t wedge_exit_port(void)
{
	return exit_port;
}
