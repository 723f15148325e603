/*
 * The wedge on bare hardware, from power-on to the guest:
 *
 *   1. read the PVH start info: the guest module, the command line
 *   2. split the command line: wedge.* options here, the rest for the guest
 *   3. load the guest's ELF at its physical addresses
 *   4. read and check every site record (a bad one stops everything)
 *   5. patch every site with the chosen backend
 *   6. enter the guest at its 64-bit entry's virtual address, as Linux's
 *      64-bit boot protocol has it (%rsi = boot_params)
 */
#include "afterburn/abi.h"
#include "wedge/backend.h"
#include "wedge/guest.h"
#include "wedge/rt.h"

#define WEDGE_SITES_MAX 8192

static struct wedge_site sites[WEDGE_SITES_MAX];
static size_t nsites;
static uint8_t guest_stack[4096] __attribute__((aligned(16)));

static void collect_site(struct wedge_site *s, void *ctx)
{
	(void)ctx;
	if (nsites == WEDGE_SITES_MAX)
		wedge_panic("more than %u site records", WEDGE_SITES_MAX);
	sites[nsites++] = *s;
}

static const struct wedge_backend *choose_backend(void)
{
	const char *name = wedge_option("backend");
	if (name) {
		const struct wedge_backend *be = wedge_backend_find(name);
		if (be)
			return be;
		wedge_printf("wedge: backends:");
		for (size_t i = 0; i < wedge_backend_count(); i++)
			wedge_printf(" %s", wedge_backend_at(i)->name);
		wedge_printf("\n");
		wedge_panic("no backend named \"%s\" (wedge.backend=)", name);
	}
	for (size_t i = 0; i < wedge_backend_count(); i++)
		if (wedge_backend_at(i)->probe())
			return wedge_backend_at(i);
	wedge_panic("no backend applies to this platform");
}

static void read_sites(const struct wedge_guest *g)
{
	struct wedge_image img = {
		.text = g->text, .ntext = g->ntext, .notes = g->notes, .nnotes = g->nnotes,
		.bias = 0, /* the wedge's tables map the guest at its link address */
	};
	wedge_sites_read(&img, collect_site, 0);
	wedge_sites_check_overlap(sites, nsites);
	if (wedge_bad_site_count())
		wedge_panic("%lu bad site records of %lu: the guest is not run",
			    (uint64_t)wedge_bad_site_count(), (uint64_t)nsites);
	if (!nsites)
		wedge_panic("the guest has no site records (was it built through the afterburner?)");
}

static void patch_sites(const struct wedge_backend *be)
{
	uint64_t written = 0;
	if (be->prepare)
		be->prepare(nsites);
	for (size_t i = 0; i < nsites; i++)
		written += wedge_patch_site(be, &sites[i]);
	if (wedge_bad_site_count())
		wedge_panic("backend %s refused %lu sites", be->name,
			    (uint64_t)wedge_bad_site_count());
	wedge_printf("wedge: backend %s: %lu sites patched (%lu bytes written)\n", be->name,
		     (uint64_t)nsites, written);
}

void wedge_main(uint32_t start_info_pa)
{
	static const char *const known[] = { "backend", "exit_port", 0 };
	struct wedge_boot boot;
	struct wedge_guest guest;

	wedge_printf("wedge: afterburn wedge %s (ABI %u)\n", AB_TOOLCHAIN_VERSION, AB_ABI_VERSION);
	wedge_pvh_read(start_info_pa, &boot);
	const char *guest_cmdline = wedge_options_parse(boot.cmdline);
	wedge_options_check(known);
	const struct wedge_backend *be = choose_backend();
	wedge_load_guest(boot.module, boot.module_size, &guest);
	read_sites(&guest);
	patch_sites(be);
	uint64_t bp = wedge_boot_params(&boot, guest_cmdline);
	wedge_printf("wedge: entering the guest at %#lx, cmdline \"%s\"\n", guest.entry,
		     guest_cmdline);
	wedge_enter_guest(guest.entry, bp, (uint64_t)(uintptr_t)(guest_stack + sizeof(guest_stack)));
}
