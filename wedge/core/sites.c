/*
 * Site records (include/afterburn/abi.h) in a loaded image: walk the
 * notes, check each record against the bytes it names, sort and look for
 * overlaps.  Every refusal names the site's address, kind and length
 * through wedge_bad_site().
 */
#include "afterburn/abi.h"
#include "afterburn/decode.h"
#include "wedge/sites.h"

static const char *const error_names[WEDGE_SITE_ERROR_COUNT] = {
	[WEDGE_SITE_OK] = "ok",
	[WEDGE_SITE_OUTSIDE_TEXT] = "site is not inside executable text",
	[WEDGE_SITE_PAST_TEXT] = "site runs past the end of its text",
	[WEDGE_SITE_BAD_KIND] = "kind is not defined by this ABI",
	[WEDGE_SITE_BAD_FLAGS] = "unknown flag bits",
	[WEDGE_SITE_WRONG_BYTES] = "bytes do not decode to the recorded kind",
	[WEDGE_SITE_TOO_SHORT] = "length is shorter than the instruction",
	[WEDGE_SITE_BAD_PADDING] = "padding is not NOPs",
	[WEDGE_SITE_OVERLAP] = "overlaps another site",
	[WEDGE_SITE_BAD_NOTE] = "malformed site note",
	[WEDGE_SITE_USER_STACK] = "runs on the user's stack, where the backend would push",
};

const char *wedge_site_error_name(enum wedge_site_error e)
{
	return (unsigned)e < WEDGE_SITE_ERROR_COUNT ? error_names[e] : "unknown error";
}

static const uint8_t *host(const struct wedge_image *img, uint64_t vaddr)
{
	return (const uint8_t *)(uintptr_t)(vaddr + (uint64_t)img->bias);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static const struct wedge_range *text_range(const struct wedge_image *img, uint64_t addr)
{
	for (size_t i = 0; i < img->ntext; i++)
		if (addr >= img->text[i].start && addr < img->text[i].end)
			return &img->text[i];
	return NULL;
}

static int all_nops(const uint8_t *p, unsigned n)
{
	unsigned i = 0;
	while (i < n) {
		unsigned k = wedge_nop_length(p + i, n - i);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

static enum wedge_site_error check_padding(const struct wedge_site *s)
{
	unsigned end = s->insn_off + s->insn_len;
	if (!all_nops(s->bytes, s->insn_off) || !all_nops(s->bytes + end, s->len - end))
		return WEDGE_SITE_BAD_PADDING;
	return WEDGE_SITE_OK;
}

enum wedge_site_error wedge_site_check(const struct wedge_image *img, struct wedge_site *s)
{
	const struct wedge_range *r = text_range(img, s->addr);
	struct ab_insn insn;

	if (!r)
		return WEDGE_SITE_OUTSIDE_TEXT;
	if (s->len == 0 || s->len > r->end - s->addr)
		return WEDGE_SITE_PAST_TEXT;
	if (s->kind == AB_K_NONE || s->kind >= AB_K_COUNT)
		return WEDGE_SITE_BAD_KIND;
	if (s->flags & ~AB_F_KNOWN)
		return WEDGE_SITE_BAD_FLAGS;
	s->bytes = (uint8_t *)(uintptr_t)host(img, s->addr);
	/* Decode against the text, not len: a short len is its own error. */
	uint64_t room = r->end - s->addr - s->insn_off;
	if (ab_decode_sensitive(s->bytes + s->insn_off, room < 15 ? (size_t)room : 15, &insn) ||
	    insn.kind != s->kind)
		return WEDGE_SITE_WRONG_BYTES;
	if (insn.len > s->len - s->insn_off)
		return WEDGE_SITE_TOO_SHORT;
	s->insn_len = insn.len;
	return check_padding(s);
}

static size_t read_table(const struct wedge_image *img, uint64_t desc, uint32_t size,
			 wedge_site_fn *fn, void *ctx)
{
	size_t bad = 0;
	for (uint64_t r = desc; r + sizeof(struct ab_site) <= desc + size; r += sizeof(struct ab_site)) {
		const uint8_t *p = host(img, r);
		unsigned flags = (unsigned)p[6] | (unsigned)p[7] << 8;
		unsigned lead = (flags & AB_F_LEAD_MASK) >> AB_F_LEAD_SHIFT;
		struct wedge_site s = {
			.addr = r + (uint64_t)(int64_t)(int32_t)le32(p) - lead,
			.len = p[4] + lead,
			.insn_off = lead,
			.kind = p[5],
			.flags = flags,
			.record = r,
		};
		enum wedge_site_error e = wedge_site_check(img, &s);
		if (e != WEDGE_SITE_OK) {
			wedge_bad_site(&s, e);
			bad++;
		} else {
			fn(&s, ctx);
		}
	}
	return bad;
}

static int is_afterburn(const uint8_t *name, uint32_t namesz)
{
	static const char want[] = AB_NOTE_NAME;
	if (namesz != sizeof(want))
		return 0;
	for (uint32_t i = 0; i < namesz; i++)
		if (name[i] != (uint8_t)want[i])
			return 0;
	return 1;
}

static size_t read_notes(const struct wedge_image *img, const struct wedge_range *n,
			 wedge_site_fn *fn, void *ctx)
{
	uint64_t at = n->start;
	size_t bad = 0;
	while (at + 12 <= n->end) {
		const uint8_t *h = host(img, at);
		uint32_t namesz = le32(h), descsz = le32(h + 4), type = le32(h + 8);
		uint64_t name = at + 12, desc = name + ((namesz + 3u) & ~3u);
		uint64_t next = desc + ((descsz + 3u) & ~3u);
		if (namesz == 0 && descsz == 0 && type == 0)
			break; /* zero fill after the last note */
		if (next > n->end || next <= at) {
			struct wedge_site s = { .addr = at, .record = at };
			wedge_bad_site(&s, WEDGE_SITE_BAD_NOTE);
			return bad + 1;
		}
		if (type == AB_NOTE_TYPE_SITES && is_afterburn(host(img, name), namesz)) {
			if (descsz % sizeof(struct ab_site)) {
				struct wedge_site s = { .addr = at, .record = at };
				wedge_bad_site(&s, WEDGE_SITE_BAD_NOTE);
				bad++;
			} else {
				bad += read_table(img, desc, descsz, fn, ctx);
			}
		}
		at = next;
	}
	return bad;
}

size_t wedge_sites_read(const struct wedge_image *img, wedge_site_fn *fn, void *ctx)
{
	size_t bad = 0;
	for (size_t i = 0; i < img->nnotes; i++)
		bad += read_notes(img, &img->notes[i], fn, ctx);
	return bad;
}

/* Heapsort by address: no allocation, O(n log n) for Linux's thousands. */
static void sift_down(struct wedge_site *a, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;
		if (child >= n)
			return;
		if (child + 1 < n && a[child + 1].addr > a[child].addr)
			child++;
		if (a[root].addr >= a[child].addr)
			return;
		struct wedge_site t = a[root];
		a[root] = a[child];
		a[child] = t;
		root = child;
	}
}

size_t wedge_sites_check_overlap(struct wedge_site *a, size_t n)
{
	size_t bad = 0;
	for (size_t i = n / 2; i-- > 0;)
		sift_down(a, i, n);
	for (size_t end = n; end-- > 1;) {
		struct wedge_site t = a[0];
		a[0] = a[end];
		a[end] = t;
		sift_down(a, 0, end);
	}
	for (size_t i = 1; i < n; i++) {
		if (a[i].addr < a[i - 1].addr + a[i - 1].len) {
			wedge_bad_site(&a[i], WEDGE_SITE_OVERLAP);
			bad++;
		}
	}
	return bad;
}
