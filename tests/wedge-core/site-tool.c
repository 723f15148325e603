/*
 * Host driver of the wedge's record path: load a linked ELF into a flat
 * buffer at its link addresses (plus a bias), run wedge_sites_read, the
 * overlap check and a backend's patch over it, then check that the patched
 * text still decodes to the same sensitive instructions.
 *
 * usage: wedge-site-tool FILE BACKEND
 * prints "sites N", "bad N", "patched N"; bad sites as the wedge reports
 * them ("wedge: bad site at 0x... kind K len L: why"); exit 1 if any bad.
 *
 * usage: wedge-site-tool FILE --place
 * puts a call next to every site's instruction, after it and before it
 * (core/place.c), as trace does, and checks the result byte by byte: the
 * call reaches its target, the instruction decodes to the same kind and
 * length, and a %rip-relative operand still names the same address.
 * prints "sites N", "placed N", "riprel N"; exit 1 on any mismatch.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afterburn/decode.h"
#include "afterburn/kind.h"
#include "wedge/insn.h"
#include "wedge/sites.h"

static size_t bad_reported;
static unsigned char *image_buf; /* the flat image, freed at exit */

void wedge_bad_site(const struct wedge_site *s, enum wedge_site_error why)
{
	const char *kind = ab_kind_name(s->kind);
	printf("wedge: bad site at %#llx kind %s len %u: %s\n", (unsigned long long)s->addr,
	       kind ? kind : "?", s->len, wedge_site_error_name(why));
	bad_reported++;
}

struct collect {
	struct wedge_site *sites;
	size_t n, cap;
};

static void collect(struct wedge_site *s, void *ctx)
{
	struct collect *c = ctx;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->sites = realloc(c->sites, c->cap * sizeof(*c->sites));
		if (!c->sites)
			exit(2);
	}
	c->sites[c->n++] = *s;
}

static unsigned char *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *p = n > 0 ? malloc((size_t)n) : NULL;
	if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	fclose(f);
	*size = (size_t)n;
	return p;
}

/*
 * Sections the image holds: allocated ones, except those linked at 0
 * (Linux's .data..percpu is a template copied per CPU, not mapped there).
 */
static int loaded(const Elf64_Shdr *sh)
{
	return (sh->sh_flags & SHF_ALLOC) && sh->sh_size && sh->sh_addr;
}

/* Lay the ELF's alloc sections out at their addresses in one buffer. */
static int load(const unsigned char *file, size_t size, struct wedge_image *img,
		struct wedge_range *text, struct wedge_range *notes)
{
	const Elf64_Ehdr *eh = (const void *)file;
	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > size)
		return -1;
	const Elf64_Shdr *sh = (const void *)(file + eh->e_shoff);
	uint64_t lo = UINT64_MAX, hi = 0;
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		if (!loaded(&sh[i]))
			continue;
		if (sh[i].sh_addr < lo)
			lo = sh[i].sh_addr;
		if (sh[i].sh_addr + sh[i].sh_size > hi)
			hi = sh[i].sh_addr + sh[i].sh_size;
	}
	if (lo >= hi || hi - lo > (256u << 20))
		return -1;
	unsigned char *buf = calloc(1, hi - lo);
	if (!buf)
		return -1;
	image_buf = buf;
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		if (!loaded(&sh[i]))
			continue;
		if (sh[i].sh_type != SHT_NOBITS) {
			if (sh[i].sh_offset + sh[i].sh_size > size)
				return -1;
			memcpy(buf + (sh[i].sh_addr - lo), file + sh[i].sh_offset, sh[i].sh_size);
		}
		struct wedge_range r = { sh[i].sh_addr, sh[i].sh_addr + sh[i].sh_size };
		if (sh[i].sh_flags & SHF_EXECINSTR)
			text[img->ntext++] = r;
		if (sh[i].sh_type == SHT_NOTE)
			notes[img->nnotes++] = r;
		if (img->ntext == 64 || img->nnotes == 64)
			return -1;
	}
	img->text = text;
	img->notes = notes;
	img->bias = (intptr_t)buf - (intptr_t)lo;
	return 0;
}

/* After patching, each site must still be a site of the same kind. */
static size_t recheck(const struct wedge_image *img, struct wedge_site *sites, size_t n)
{
	size_t bad = 0;
	for (size_t i = 0; i < n; i++) {
		struct wedge_site s = sites[i];
		if (wedge_site_check(img, &s) != WEDGE_SITE_OK || s.insn_len != sites[i].insn_len) {
			printf("patched site at %#llx no longer holds its instruction\n",
			       (unsigned long long)s.addr);
			bad++;
		}
	}
	return bad;
}

static int32_t get32(const uint8_t *p)
{
	return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
			 (uint32_t)p[3] << 24);
}

/* Where a %rip-relative operand of the instruction at addr points, or 0. */
static uint64_t riprel_target(const uint8_t *insn, unsigned len, uint64_t addr)
{
	int d = wedge_insn_riprel(insn, len);
	return d < 0 ? 0 : addr + len + (uint64_t)(int64_t)get32(insn + d);
}

static int check_placed(const struct wedge_site *s, enum wedge_call_at at, int *riprel)
{
	uint8_t out[256];
	uint64_t target = s->addr + 0x10000000; /* any target in reach */
	unsigned n = wedge_site_call(s, out, target, at);
	unsigned call, insn;
	struct ab_insn d;

	if (!n || n > s->len)
		return printf("site %#llx: no room for a call %s it\n", (unsigned long long)s->addr,
			      at == WEDGE_CALL_AFTER ? "after" : "before"), -1;
	if (at == WEDGE_CALL_AFTER)
		call = s->insn_off + s->insn_len, insn = s->insn_off;
	else if (s->insn_off >= 5)
		call = s->insn_off - 5, insn = s->insn_off;
	else
		call = s->insn_off, insn = s->insn_off + 5;
	const uint8_t *orig = s->bytes + s->insn_off;
	uint64_t want = riprel_target(orig, s->insn_len, s->addr + s->insn_off);
	if (out[call] != 0xe8 || s->addr + call + 5 + (uint64_t)(int64_t)get32(out + call + 1) != target ||
	    ab_decode_sensitive(out + insn, s->insn_len, &d) || d.kind != s->kind ||
	    d.len != s->insn_len || riprel_target(out + insn, s->insn_len, s->addr + insn) != want)
		return printf("site %#llx: placing a call %s it broke it\n", (unsigned long long)s->addr,
			      at == WEDGE_CALL_AFTER ? "after" : "before"), -1;
	*riprel += want != 0;
	return 0;
}

static int place_all(struct wedge_site *sites, size_t n)
{
	size_t bad = 0;
	int riprel = 0;
	for (size_t i = 0; i < n; i++) {
		if (sites[i].insn_off == 0 && check_placed(&sites[i], WEDGE_CALL_AFTER, &riprel))
			bad++;
		if (check_placed(&sites[i], WEDGE_CALL_BEFORE, &riprel))
			bad++;
	}
	printf("sites %zu\nplaced %zu\nriprel %d\n", n, n - bad, riprel);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct wedge_range text[64], notes[64];
	struct wedge_image img = { 0 };
	struct collect c = { 0 };
	size_t size;

	if (argc != 3) {
		fprintf(stderr, "usage: wedge-site-tool FILE BACKEND\n");
		return 2;
	}
	unsigned char *file = read_file(argv[1], &size);
	if (!file || load(file, size, &img, text, notes)) {
		fprintf(stderr, "wedge-site-tool: %s: cannot load as a linked ELF64 file\n", argv[1]);
		return 2;
	}
	if (!strcmp(argv[2], "--place")) {
		size_t bad = wedge_sites_read(&img, collect, &c);
		int rc = bad ? 1 : place_all(c.sites, c.n);
		free(c.sites);
		free(image_buf);
		free(file);
		return rc;
	}
	const struct wedge_backend *be = wedge_backend_find(argv[2]);
	if (!be) {
		fprintf(stderr, "wedge-site-tool: no backend '%s' (%zu registered)\n", argv[2],
			wedge_backend_count());
		free(image_buf);
		free(file);
		return 2;
	}
	size_t bad = wedge_sites_read(&img, collect, &c);
	bad += wedge_sites_check_overlap(c.sites, c.n);
	size_t patched = 0;
	if (!bad) {
		for (size_t i = 0; i < c.n; i++)
			patched += wedge_patch_site(be, &c.sites[i]) > 0;
		bad += recheck(&img, c.sites, c.n);
	}
	printf("sites %zu\nbad %zu\npatched %zu\n", c.n, bad, patched);
	free(c.sites);
	free(image_buf);
	free(file);
	return bad ? 1 : 0;
}
