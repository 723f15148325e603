/*
 * The wedge on bare hardware, from power-on to the guest:
 *
 *   1. read the PVH start info: the guest module(s), the command line
 *   2. a packed image as module 0: take out the kernel, initrd, command line
 *   3. split the command line: wedge.* options here, the rest for the guest
 *   4. load the guest's ELF at its physical addresses
 *   5. read and check every site record (a bad one stops everything), and
 *      find the sites that run on the user's stack
 *   6. patch every site with the chosen backend
 *   7. enter the guest as Linux's 64-bit boot protocol has it: at e_entry,
 *      its physical address, identity-mapped, %rsi = boot_params
 *      (wedge.entry=virtual: at its link address instead)
 */
#include "afterburn/abi.h"
#include "afterburn/kind.h"
#include "wedge/backend.h"
#include "wedge/guest.h"
#include "wedge/rt.h"

#define WEDGE_SITES_MAX 8192

static struct wedge_site sites[WEDGE_SITES_MAX];
static size_t nsites;
static struct wedge_boot boot;
static struct wedge_guest guest;
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

/* Every backend must know these: say which they are. */
static void report_user_stack(const struct wedge_image *img)
{
	size_t n = wedge_sites_mark_user_stack(img, sites, nsites);
	for (size_t i = 0; i < nsites; i++)
		if (sites[i].user_stack)
			wedge_printf("wedge: site at %#lx kind %s runs on the user's stack\n",
				     sites[i].addr + sites[i].insn_off, ab_kind_name(sites[i].kind));
	wedge_printf("wedge: %lu sites run on the user's stack\n", (uint64_t)n);
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
	report_user_stack(&img);
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

/*
 * wedge.entry: physical (the default, Linux's protocol: startup_64 must
 * start at its physical address) or virtual.  The stack is where the
 * protocol's mappings promise it: identity for the physical entry.
 */
static void enter(uint64_t bp, const char *guest_cmdline)
{
	const char *how = wedge_option("entry");
	uint64_t top = (uint64_t)(uintptr_t)(guest_stack + sizeof(guest_stack));
	uint64_t entry = guest.entry_phys;
	if (how && !wedge_strcmp(how, "virtual"))
		entry = guest.entry;
	else if (how && wedge_strcmp(how, "physical"))
		wedge_panic("wedge.entry=%s: want physical or virtual", how);
	else
		top = top - WEDGE_HOME + WEDGE_PHYS;
	wedge_printf("wedge: entering the guest at %#lx (%s entry), boot_params at %#lx, "
		     "cmdline \"%s\"\n", entry, entry == guest.entry ? "virtual" : "physical", bp,
		     guest_cmdline);
	wedge_enter_guest(entry, bp, top);
}

void wedge_main(uint32_t start_info_pa)
{
	static const char *const known[] = { "backend", "exit_port", "entry", "low_alias", 0 };

	wedge_pvh_read(start_info_pa, &boot);
	wedge_unpack(&boot);
	const char *guest_cmdline = wedge_options_parse(wedge_boot_cmdline(&boot));
	wedge_options_check(known);
	wedge_paging_configure(wedge_option("low_alias"));
	/* The backend first: its console may not be the real UART (wedge/console.h). */
	const struct wedge_backend *be = choose_backend();
	wedge_printf("wedge: afterburn wedge %s (ABI %u), backend %s\n", AB_TOOLCHAIN_VERSION,
		     AB_ABI_VERSION, be->name);
	wedge_load_guest(&boot, &guest);
	read_sites(&guest);
	patch_sites(be);
	enter(wedge_boot_params(&boot, guest_cmdline), guest_cmdline);
}
