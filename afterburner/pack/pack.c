/*
 * `afterburn pack`: one boot image holding a guest kernel ELF, an optional
 * initrd and an optional command line, for loaders that pass the wedge a
 * single module (QEMU's PVH loader: -initrd).  The layout is struct
 * ab_pack_header in include/afterburn/abi.h; the wedge reads it in
 * wedge/rt/pack.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afterburn/abi.h"
#include "../diag.h"
#include "pack.h"

struct pack_opts {
	const char *kernel, *initrd, *cmdline, *out;
};

struct blob {
	uint8_t *data;
	size_t size;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: afterburn pack --kernel ELF [--initrd FILE] [--cmdline TEXT] -o OUT\n"
		"\n"
		"Write one boot image for the wedge: the kernel ELF, the initrd and the\n"
		"command line behind a small header (include/afterburn/abi.h, struct\n"
		"ab_pack_header, version %u), each part %u-aligned.  Give it to the wedge\n"
		"as its only module:\n"
		"  qemu-system-x86_64 -kernel build/wedge/wedge.elf -initrd OUT ...\n"
		"The packed command line goes before the loader's (-append).\n"
		"\n"
		"  -k, --kernel ELF      the guest kernel (an ELF64 x86-64 executable)\n"
		"  -i, --initrd FILE     the initrd (any bytes, e.g. a cpio archive)\n"
		"  -c, --cmdline TEXT    the guest's command line (less than %u bytes)\n"
		"  -o, --output OUT      the image to write\n"
		"  -h, --help            this text\n",
		AB_PACK_VERSION, AB_PACK_ALIGN, AB_PACK_CMDLINE_MAX);
}

static int read_file(const char *path, struct blob *b)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		ab_error(path, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	b->data = NULL;
	b->size = 0;
	size_t cap = 0;
	for (;;) {
		if (b->size == cap) {
			cap = cap ? 2 * cap : 1 << 20;
			uint8_t *p = realloc(b->data, cap);
			if (!p) {
				ab_error(path, 0, "out of memory");
				fclose(f);
				return -1;
			}
			b->data = p;
		}
		size_t n = fread(b->data + b->size, 1, cap - b->size, f);
		b->size += n;
		if (n == 0)
			break;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		ab_error(path, 0, "read error");
		return -1;
	}
	return 0;
}

/* The wedge loads ELF64 x86-64 executables only: refuse anything else here. */
static int check_kernel(const char *path, const struct blob *k)
{
	const uint8_t *e = k->data;
	if (k->size < 64 || memcmp(e, "\177ELF", 4))
		ab_error(path, 0, "not an ELF file");
	else if (e[4] != 2 || e[5] != 1 || (e[18] | e[19] << 8) != 62)
		ab_error(path, 0, "not a little-endian ELF64 x86-64 file");
	else if ((e[16] | e[17] << 8) != 2)
		ab_error(path, 0, "not an executable (ELF type %u)", e[16] | e[17] << 8);
	else
		return 0;
	return -1;
}

static uint64_t align_up(uint64_t v)
{
	return (v + AB_PACK_ALIGN - 1) & ~(uint64_t)(AB_PACK_ALIGN - 1);
}

static struct ab_pack_header layout(size_t kernel, size_t initrd, size_t cmdline, int has_cmdline)
{
	struct ab_pack_header h = { .version = AB_PACK_VERSION, .header_size = sizeof(h) };
	memcpy(h.magic, AB_PACK_MAGIC, AB_PACK_MAGIC_LEN);
	h.kernel_offset = align_up(sizeof(h));
	h.kernel_size = kernel;
	uint64_t end = h.kernel_offset + kernel;
	if (initrd) {
		h.initrd_offset = align_up(end);
		h.initrd_size = initrd;
		end = h.initrd_offset + initrd;
	}
	if (has_cmdline) {
		h.cmdline_offset = align_up(end);
		h.cmdline_size = cmdline;
	}
	return h;
}

static int put_at(FILE *f, uint64_t *pos, uint64_t at, const void *p, size_t n)
{
	for (; *pos < at; (*pos)++)
		if (fputc(0, f) == EOF)
			return -1;
	if (n && fwrite(p, 1, n, f) != n)
		return -1;
	*pos += n;
	return 0;
}

/* Write to OUT.tmp and rename, so a failed run never leaves half an image. */
static int write_image(const char *out, const struct ab_pack_header *h, const struct blob *k,
		       const struct blob *i, const char *cmdline)
{
	char tmp[4096];
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", out) >= sizeof(tmp)) {
		ab_error(out, 0, "path too long");
		return -1;
	}
	FILE *f = fopen(tmp, "wb");
	if (!f) {
		ab_error(tmp, 0, "cannot create: %s", strerror(errno));
		return -1;
	}
	uint64_t pos = 0;
	int bad = put_at(f, &pos, 0, h, sizeof(*h)) ||
		  put_at(f, &pos, h->kernel_offset, k->data, k->size) ||
		  (i->size && put_at(f, &pos, h->initrd_offset, i->data, i->size)) ||
		  (cmdline && put_at(f, &pos, h->cmdline_offset, cmdline, h->cmdline_size + 1));
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, out)) {
		ab_error(out, 0, "cannot write: %s", strerror(errno));
		remove(tmp);
		return -1;
	}
	return 0;
}

static int pack_run(const struct pack_opts *o)
{
	struct blob k = { 0 }, i = { 0 };
	size_t clen = o->cmdline ? strlen(o->cmdline) : 0;
	int rc = 1;
	if (clen >= AB_PACK_CMDLINE_MAX) {
		ab_error(NULL, 0, "pack: the command line is %zu bytes, the limit is %u", clen,
			 AB_PACK_CMDLINE_MAX - 1);
		return 1;
	}
	if (read_file(o->kernel, &k) || check_kernel(o->kernel, &k))
		goto out;
	if (o->initrd && read_file(o->initrd, &i))
		goto out;
	if (o->initrd && !i.size) {
		ab_error(o->initrd, 0, "empty initrd");
		goto out;
	}
	struct ab_pack_header h = layout(k.size, i.size, clen, o->cmdline != NULL);
	if (write_image(o->out, &h, &k, &i, o->cmdline))
		goto out;
	rc = 0;
out:
	free(k.data);
	free(i.data);
	return rc;
}

int ab_pack_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "initrd", required_argument, NULL, 'i' },
		{ "cmdline", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 },
	};
	struct pack_opts o = { 0 };
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "k:i:c:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'k': o.kernel = optarg; break;
		case 'i': o.initrd = optarg; break;
		case 'c': o.cmdline = optarg; break;
		case 'o': o.out = optarg; break;
		case 'h': usage(stdout); return 0;
		default:
			ab_error(NULL, 0, "pack: bad option '%s'", argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	const char *missing = !o.kernel ? "--kernel" : !o.out ? "-o" : NULL;
	if (missing || optind != argc) {
		if (missing)
			ab_error(NULL, 0, "pack: %s is required", missing);
		else
			ab_error(NULL, 0, "pack: unexpected argument '%s'", argv[optind]);
		usage(stderr);
		return 2;
	}
	return pack_run(&o);
}
