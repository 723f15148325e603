/*
 * tcg-trace: a QEMU TCG plugin (host code) that counts executions of the
 * guest's sites, the way the trace backend will: an independent check
 * that the guest's own COUNT table is exact (tests/guest/trace-tcg.sh).
 *
 *   qemu-system-x86_64 ... -plugin tcg-trace.so,sites=FILE,out=FILE
 *
 *   -plugin tcg-trace.so,sites=FILE,out=FILE,alias=OFFSET
 *
 * sites: one site a line, "VADDR KIND" (hex address, kind name).  alias:
 * each site also counts at VADDR - OFFSET (the guest's boot code runs at
 * its physical alias).  out: written at exit, "TRACE: KIND N" per kind of
 * the sites file, in first-seen order.
 *
 * QEMU 7.2 installs no plugin header: the few declarations of the plugin
 * API (version 1, include/qemu/qemu-plugin.h) this needs are below.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t qemu_info_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn, enum qemu_plugin_op op,
						void *ptr, uint64_t imm);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);

#define EXPORT __attribute__((visibility("default")))
EXPORT int qemu_plugin_version = 1;
EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv);

#define MAX_SITES 8192
#define MAX_KINDS 128

static struct site {
	uint64_t vaddr;
	unsigned kind;
	uint64_t count;
} sites[MAX_SITES];
static size_t n_sites;
static char kinds[MAX_KINDS][32];
static unsigned n_kinds;
static char out_path[4096];
static uint64_t alias;

static int by_vaddr(const void *a, const void *b)
{
	const struct site *x = a, *y = b;

	return (x->vaddr > y->vaddr) - (x->vaddr < y->vaddr);
}

static struct site *find(uint64_t vaddr)
{
	struct site key = { .vaddr = vaddr };

	return bsearch(&key, sites, n_sites, sizeof(sites[0]), by_vaddr);
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	(void)id;
	for (size_t i = 0; i < qemu_plugin_tb_n_insns(tb); i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		struct site *s = find(qemu_plugin_insn_vaddr(insn));

		if (s)
			qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64,
								   &s->count, 1);
	}
}

static void at_exit(qemu_plugin_id_t id, void *userdata)
{
	uint64_t totals[MAX_KINDS] = { 0 };
	FILE *f = fopen(out_path, "w");

	(void)id;
	(void)userdata;
	if (!f)
		return;
	for (size_t i = 0; i < n_sites; i++)
		totals[sites[i].kind] += sites[i].count;
	for (unsigned k = 0; k < n_kinds; k++)
		fprintf(f, "TRACE: %s %" PRIu64 "\n", kinds[k], totals[k]);
	fclose(f);
}

static int load_sites(const char *path)
{
	FILE *f = fopen(path, "r");
	char name[32];
	uint64_t va;

	if (!f)
		return -1;
	while (n_sites < MAX_SITES && fscanf(f, "%" SCNx64 " %31s", &va, name) == 2) {
		unsigned k;

		for (k = 0; k < n_kinds && strcmp(kinds[k], name); k++)
			;
		if (k == n_kinds) {
			if (n_kinds == MAX_KINDS)
				break;
			strcpy(kinds[n_kinds++], name);
		}
		sites[n_sites++] = (struct site){ va, k, 0 };
		if (alias && n_sites < MAX_SITES)
			sites[n_sites++] = (struct site){ va - alias, k, 0 };
	}
	fclose(f);
	qsort(sites, n_sites, sizeof(sites[0]), by_vaddr);
	return 0;
}

int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
	const char *sites_path = NULL;

	(void)info;
	for (int i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "sites=", 6))
			sites_path = argv[i] + 6;
		else if (!strncmp(argv[i], "out=", 4))
			snprintf(out_path, sizeof(out_path), "%s", argv[i] + 4);
		else if (!strncmp(argv[i], "alias=", 6))
			alias = strtoull(argv[i] + 6, NULL, 0);
	}
	if (!sites_path || !out_path[0] || load_sites(sites_path) || n_sites == MAX_SITES) {
		fprintf(stderr, "tcg-trace: need sites=FILE (readable, < %d sites) and out=FILE\n",
			MAX_SITES / 2);
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
