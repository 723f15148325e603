/*
 * guest_main: where both entry paths arrive (head.S, high_entry), with how
 * the guest was entered and the physical address of the boot information:
 * PVH's hvm_start_info or, through guest_entry64, a Linux boot_params.
 * Reads the command line, sets up the machine and runs the checks (or,
 * with "bench" on the command line, the benchmarks of bench.c).
 */
#include "guest.h"

struct boot_info boot;
static char cmdline[512];

/* Copy a NUL-terminated string from physical memory (identity map, < 1 GiB). */
static void copy_phys_string(char *dst, size_t size, uint64_t pa)
{
	const char *s = VA_PHYS(pa);
	size_t i = 0;

	if (pa && pa < 0x40000000)
		for (; i + 1 < size && s[i]; i++)
			dst[i] = s[i];
	dst[i] = '\0';
}

static const char *read_boot_info(void)
{
	if (!boot.info_pa || boot.info_pa >= 0x40000000)
		return "no boot information";
	if (boot.from == BOOT_FROM_PVH) {
		const uint32_t *si = VA_PHYS(boot.info_pa);

		if (si[0] != PVH_START_MAGIC)
			return "bad hvm_start_info magic";
		copy_phys_string(cmdline, sizeof(cmdline), *(const uint64_t *)(si + 6));
		return "hvm_start_info";
	} else {
		const uint8_t *bp = VA_PHYS(boot.info_pa);
		uint64_t ptr;

		if (*(const uint32_t *)(bp + 0x202) != LINUX_HDRS_MAGIC)
			return "boot_params without the HdrS header";
		ptr = *(const uint32_t *)(bp + 0x228) | (uint64_t) * (const uint32_t *)(bp + 0x0c8) << 32;
		copy_phys_string(cmdline, sizeof(cmdline), ptr);
		return "boot_params";
	}
}

/* The word at *p (wlen bytes), advancing *p past it and its blanks. */
static const char *next_word(const char **p, size_t *wlen)
{
	const char *w = *p;
	size_t n = 0;
	while (w[n] && w[n] != ' ')
		n++;
	*p = w + n;
	while (**p == ' ')
		(*p)++;
	*wlen = n;
	return w;
}

/* Find "key" or "key=value" among the space-separated words. */
const char *cmdline_get(const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key);

	for (const char *p = boot.cmdline; *p;) {
		size_t wlen;
		const char *w = next_word(&p, &wlen);
		if (wlen < klen || strncmp(w, key, klen) || (wlen > klen && w[klen] != '='))
			continue;
		size_t vlen = wlen > klen ? wlen - klen - 1 : 0;
		if (vlen >= size)
			vlen = size - 1;
		memcpy(buf, w + klen + (wlen > klen), vlen);
		buf[vlen] = '\0';
		return buf;
	}
	return NULL;
}

/* Is word in the comma-separated value of list_key? */
bool cmdline_has_word(const char *list_key, const char *word)
{
	char buf[256];
	size_t n = strlen(word);

	if (!cmdline_get(list_key, buf, sizeof(buf)))
		return false;
	for (const char *p = buf; *p;) {
		const char *e = p;

		while (*e && *e != ',')
			e++;
		if ((size_t)(e - p) == n && !strncmp(p, word, n))
			return true;
		p = *e ? e + 1 : e;
	}
	return false;
}

/*
 * "loader64" (or "loader64=high"): act as a 64-bit loader for this same
 * image, the way the wedge or the monitor will: page tables with an
 * identity map of the first GiB (and, for "high", the image at its link
 * address too) and a boot_params in low memory the image does not use,
 * then guest_entry64 at its physical (or virtual) address with %rsi =
 * boot_params.  The re-entered guest gets this command line minus the
 * loader64 word.
 */
#define LOADER64_AREA 0x200000
#define PA_OF_LOADER(p) ((uint64_t)(uintptr_t)(p)) /* identity: VA_PHYS's inverse */

static NORETURN void act_as_loader64(bool high)
{
	uint64_t *pml4 = VA_PHYS(LOADER64_AREA), *pdpt = pml4 + 512, *pd = pdpt + 512;
	uint64_t *pdpt_high = pd + 512;
	uint8_t *bp = VA_PHYS(LOADER64_AREA + 0x4000);
	char *cl = VA_PHYS(LOADER64_AREA + 0x5000);
	uint64_t entry = high ? (uint64_t)(uintptr_t)guest_entry64 : PA(guest_entry64);
	size_t n = 0;

	memset(pml4, 0, 0x6000);
	for (uint64_t i = 0; i < 512; i++)
		pd[i] = i << 21 | PTE_P | PTE_W | PTE_PS;
	pdpt[0] = PA_OF_LOADER(pd) | PTE_P | PTE_W;
	pml4[0] = PA_OF_LOADER(pdpt) | PTE_P | PTE_W;
	if (high) {
		pdpt_high[510] = PA_OF_LOADER(pd) | PTE_P | PTE_W;
		pml4[511] = PA_OF_LOADER(pdpt_high) | PTE_P | PTE_W;
	}

	for (const char *p = boot.cmdline; *p;) {
		size_t wlen;
		const char *w = next_word(&p, &wlen);
		if (!strncmp(w, "loader64", 8) && (wlen == 8 || w[8] == '='))
			continue;
		if (n)
			cl[n++] = ' ';
		memcpy(cl + n, w, wlen);
		n += wlen;
	}
	cl[n] = '\0';
	*(uint32_t *)(bp + 0x202) = LINUX_HDRS_MAGIC;
	*(uint16_t *)(bp + 0x206) = 0x020f; /* boot protocol 2.15 */
	*(uint32_t *)(bp + 0x228) = LOADER64_AREA + 0x5000;
	printf("loader64: entering guest_entry64 at %#lx (%s), boot_params at %#x, cmdline \"%s\"\n",
	       entry, high ? "virtual" : "physical", LOADER64_AREA + 0x4000, cl);
	cli();
	loader64_enter(LOADER64_AREA, LOADER64_AREA + 0x4000, entry);
}

/*
 * "fault=ud|pf|df": an unexpected exception on purpose (tests/guest/fault.sh):
 * #UD, #PF on an unmapped kernel address, or a #DF (an exception with an
 * unmapped stack, delivered on IST1).  The trap handler must report it and
 * end the run with a failure.
 */
static void inject_fault(const char *what)
{
	printf("fault: injecting \"%s\"\n", what);
	if (!strcmp(what, "ud"))
		__asm__ volatile("ud2");
	else if (!strcmp(what, "pf"))
		(void)*(volatile uint64_t *)0xffffc00000001000;
	else if (!strcmp(what, "df"))
		__asm__ volatile("movabsq $0xffffc00000000000, %%rsp\n\tud2" : : : "memory");
	report(false, "fault=%s: no trap (want ud, pf or df)", what);
}

void guest_main(uint64_t from, uint64_t info_pa);

void guest_main(uint64_t from, uint64_t info_pa)
{
	const char *what;
	char buf[64];

	boot.from = (int)(from & ~(uint64_t)BOOT_AT_VIRTUAL);
	boot.info_pa = info_pa;
	boot.cmdline = cmdline;
	console_init();
	what = read_boot_info();
	printf("\nafterburn test guest: entered via %s%s, %s at %#lx\n",
	       boot.from == BOOT_FROM_PVH ? "PVH (pvh_start32)" : "guest_entry64 (64-bit boot protocol)",
	       from & BOOT_AT_VIRTUAL ? " at its virtual address" : "", what, info_pa);
	printf("cmdline: \"%s\"\n", cmdline);
	if (cmdline_get("exit", buf, sizeof(buf)) && !exit_select(buf))
		printf("exit: unknown method \"%s\", using %s\n", buf, exit_method()->name);
	if (cmdline_get("loader64", buf, sizeof(buf)))
		act_as_loader64(!strcmp(buf, "high"));

	desc_init();
	mm_init();
	pic_init();
	if (cmdline_get("fault", buf, sizeof(buf)))
		inject_fault(buf);
	if (cmdline_get("bench", buf, sizeof(buf)))
		run_bench(buf);
	run_checks();
}
