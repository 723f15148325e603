/*
 * The CPUID cache.  The guest's cpuid exits to the host at ~39 us a time
 * under KVM, and the answers must stay the same over the guest's life
 * (the kernel reads feature bits early and trusts them), so the wedge
 * asks the real CPU once, at init, keeps the rows, and answers from
 * them after its policy has filtered them.
 *
 * Which subleaves exist is leaf specific (SDM vol. 2, CPUID; AMD APM
 * vol. 3 appendix E); the enumeration below follows each leaf's own
 * rule, as KVM's __do_cpuid_func does.  Where enumeration ends on an
 * "invalid" subleaf, that subleaf is kept too: for 0xb/0x1f it is not
 * all zeros, and the guest reads it to stop.
 */
#include "cpu.h"

#define SUBLEAF_MAX 64u
#define EXT_BASE 0x80000000u
/* Room kept for subleaves of the extended range (0x8000001d). */
#define EXT_SUBLEAF_SLACK 8u

static void query(const struct wedge_vcpu *v, uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	r[0] = r[1] = r[2] = r[3] = 0;
	if (v->host.cpuid)
		v->host.cpuid(v->host.ctx, leaf, subleaf, r);
}

/* Ask for one subleaf and keep it; false when the table is at `limit`. */
static bool keep(struct wedge_vcpu *v, unsigned limit, uint32_t leaf, uint32_t subleaf,
		 bool indexed, uint32_t r[4])
{
	struct wedge_vcpu_cpuid *c = &v->cpuid;
	query(v, leaf, subleaf, r);
	if (c->n >= limit)
		return false;
	struct wedge_vcpu_cpuid_entry *e = &c->e[c->n++];
	e->leaf = leaf;
	e->subleaf = indexed ? subleaf : 0;
	for (unsigned i = 0; i < 4; i++)
		e->regs[i] = r[i];
	e->indexed = indexed;
	return true;
}

/* Subleaves 0..until the one `last(r)` says ends the list, that one included. */
static bool keep_until(struct wedge_vcpu *v, unsigned limit, uint32_t leaf, uint32_t first,
		       bool (*last)(const uint32_t r[4]))
{
	uint32_t r[4];
	for (uint32_t s = first; s < SUBLEAF_MAX; s++) {
		if (!keep(v, limit, leaf, s, true, r))
			return false;
		if (last(r))
			break;
	}
	return true;
}

static bool cache_type_null(const uint32_t r[4]) { return (r[0] & 0x1f) == 0; }   /* 4, 0x8000001d */
static bool level_type_null(const uint32_t r[4]) { return (r[2] >> 8 & 0xff) == 0; } /* 0xb, 0x1f */
static bool sgx_type_null(const uint32_t r[4]) { return (r[0] & 0xf) == 0; }         /* 0x12 */

/* Subleaf 0, then subleaf i for each bit i >= first set in mask. */
static bool keep_bits(struct wedge_vcpu *v, unsigned limit, uint32_t leaf, uint64_t mask,
		      unsigned first)
{
	uint32_t r[4];
	for (unsigned s = first; s < SUBLEAF_MAX; s++)
		if ((mask >> s & 1) && !keep(v, limit, leaf, s, true, r))
			return false;
	return true;
}

static bool fill_leaf(struct wedge_vcpu *v, unsigned limit, uint32_t leaf)
{
	uint32_t r0[4], r1[4];
	switch (leaf) {
	case 4:
	case 0x8000001d:
		return keep_until(v, limit, leaf, 0, cache_type_null);
	case 0xb:
	case 0x1f:
		return keep_until(v, limit, leaf, 0, level_type_null);
	case 7:    /* subleaf 0 EAX: the highest subleaf */
	case 0x14:
	case 0x17:
	case 0x18:
	case 0x1d: /* the highest palette */
		if (!keep(v, limit, leaf, 0, true, r0))
			return false;
		for (uint32_t s = 1; s <= r0[0] && s < SUBLEAF_MAX; s++)
			if (!keep(v, limit, leaf, s, true, r1))
				return false;
		return true;
	case 0xd: /* 0 and 1, then each state component XCR0 or IA32_XSS can hold */
		if (!keep(v, limit, leaf, 0, true, r0) || !keep(v, limit, leaf, 1, true, r1))
			return false;
		return keep_bits(v, limit, leaf,
				 ((uint64_t)r0[3] << 32 | r0[0]) | ((uint64_t)r1[3] << 32 | r1[2]), 2);
	case 0xf: /* monitoring resources: the types in subleaf 0 EDX */
		return keep(v, limit, leaf, 0, true, r0) && keep_bits(v, limit, leaf, r0[3], 1);
	case 0x10: /* allocation resources: the types in subleaf 0 EBX */
		return keep(v, limit, leaf, 0, true, r0) && keep_bits(v, limit, leaf, r0[1], 1);
	case 0x12: /* SGX: 0, 1, then EPC sections until an invalid one */
		return keep(v, limit, leaf, 0, true, r0) && keep(v, limit, leaf, 1, true, r1) &&
		       keep_until(v, limit, leaf, 2, sgx_type_null);
	default:
		return keep(v, limit, leaf, 0, false, r0);
	}
}

/*
 * Leaves first..last, each whole or not at all; returns the last one
 * kept, which becomes the guest's maximum.
 */
static uint32_t fill_range(struct wedge_vcpu *v, uint32_t first, uint32_t last, unsigned limit)
{
	for (uint64_t leaf = first; leaf <= last; leaf++) {
		unsigned start = v->cpuid.n;
		if (!fill_leaf(v, limit, (uint32_t)leaf)) {
			v->cpuid.n = start;
			v->cpuid.truncated = true;
			return (uint32_t)leaf - 1;
		}
	}
	return last;
}

void wedge_vcpu_cpuid_fill(struct wedge_vcpu *v)
{
	struct wedge_vcpu_cpuid *c = &v->cpuid;
	uint32_t r[4];
	wedge_vcpu_zero(c, sizeof(*c));

	query(v, 0, 0, r);
	uint32_t max_basic = r[0];
	c->intel = r[1] == 0x756e6547u && r[3] == 0x49656e69u && r[2] == 0x6c65746eu;
	query(v, EXT_BASE, 0, r);
	uint32_t max_ext = (r[0] & 0xffff0000u) == EXT_BASE ? r[0] : 0;

	/*
	 * Room for the extended range is set aside before the basic range
	 * fills the table: a 64-bit kernel cannot boot without LM, NX and
	 * SYSCALL from 0x80000001, while the top basic leaves are rarely read.
	 */
	unsigned ext_room = max_ext ? max_ext - EXT_BASE + 1 + EXT_SUBLEAF_SLACK : 0;
	if (ext_room > WEDGE_VCPU_CPUID_MAX / 2)
		ext_room = WEDGE_VCPU_CPUID_MAX / 2;
	c->max_basic = fill_range(v, 0, max_basic, WEDGE_VCPU_CPUID_MAX - ext_room);
	if (max_ext)
		c->max_ext = fill_range(v, EXT_BASE, max_ext, WEDGE_VCPU_CPUID_MAX);

	/* The maxima the guest reads must match what the cache holds. */
	c->e[0].regs[0] = c->max_basic;
	struct wedge_vcpu_cpuid_entry *ext = (struct wedge_vcpu_cpuid_entry *)
		wedge_vcpu_cpuid_find(v, EXT_BASE, 0);
	if (ext)
		ext->regs[0] = c->max_ext;
}

static const struct wedge_vcpu_cpuid_entry *find(const struct wedge_vcpu_cpuid *c, uint32_t leaf,
						 uint32_t subleaf, bool *indexed)
{
	*indexed = false;
	for (unsigned i = 0; i < c->n; i++) {
		const struct wedge_vcpu_cpuid_entry *e = &c->e[i];
		if (e->leaf != leaf)
			continue;
		if (!e->indexed)
			return e;
		*indexed = true;
		if (e->subleaf == subleaf)
			return e;
	}
	return NULL;
}

const struct wedge_vcpu_cpuid_entry *wedge_vcpu_cpuid_find(const struct wedge_vcpu *v,
							    uint32_t leaf, uint32_t subleaf)
{
	bool indexed;
	return find(&v->cpuid, leaf, subleaf, &indexed);
}

bool wedge_vcpu_cpuid_bit(const struct wedge_vcpu *v, uint32_t leaf, uint32_t subleaf,
			  unsigned reg, unsigned bit)
{
	const struct wedge_vcpu_cpuid_entry *e = wedge_vcpu_cpuid_find(v, leaf, subleaf);
	return e && reg < 4 && bit < 32 && (e->regs[reg] >> bit & 1);
}

static bool in_range(const struct wedge_vcpu_cpuid *c, uint32_t leaf)
{
	if (leaf < EXT_BASE)
		return leaf <= c->max_basic;
	return c->max_ext && leaf <= c->max_ext;
}

static void set_bit(uint32_t *reg, unsigned bit, bool on)
{
	*reg = on ? (*reg | 1u << bit) : (*reg & ~(1u << bit));
}

void wedge_vcpu_cpuid(const struct wedge_vcpu *v, uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
	const struct wedge_vcpu_cpuid *c = &v->cpuid;
	out[0] = out[1] = out[2] = out[3] = 0;
	if (!in_range(c, leaf)) {
		if (!c->intel)
			return;
		leaf = c->max_basic; /* with the same subleaf, as KVM does */
	}
	bool indexed;
	const struct wedge_vcpu_cpuid_entry *e = find(c, leaf, subleaf, &indexed);
	if (!e) {
		/* Past the last level: ECX echoes the level number, EDX the x2APIC ID. */
		if (indexed && (leaf == 0xb || leaf == 0x1f)) {
			const struct wedge_vcpu_cpuid_entry *e0 = find(c, leaf, 0, &indexed);
			out[2] = subleaf & 0xff;
			out[3] = e0 ? e0->regs[3] : 0;
		}
		return;
	}
	for (unsigned i = 0; i < 4; i++)
		out[i] = e->regs[i];
	/* Bits the hardware computes from the current state at each cpuid. */
	if (leaf == 1) {
		set_bit(&out[2], 27, v->cr4 & WEDGE_X86_CR4_OSXSAVE);
		if (!(v->msr.apic_base & WEDGE_X86_APIC_BASE_EN))
			set_bit(&out[3], 9, false);
	} else if (leaf == 7 && subleaf == 0) {
		set_bit(&out[2], 4, v->cr4 & WEDGE_X86_CR4_PKE);
	}
}

int wedge_vcpu_cpuid_override(struct wedge_vcpu *v, uint32_t leaf, uint32_t subleaf,
			      unsigned reg, uint32_t clear, uint32_t set)
{
	struct wedge_vcpu_cpuid_entry *e = (struct wedge_vcpu_cpuid_entry *)
		wedge_vcpu_cpuid_find(v, leaf, subleaf);
	if (!e || reg > WEDGE_VCPU_EDX)
		return -1;
	e->regs[reg] = (e->regs[reg] & ~clear) | set;
	return 0;
}

void wedge_vcpu_cpuid_policy_default(struct wedge_vcpu *v)
{
	struct wedge_vcpu_feat hide[] = { F_HYPERVISOR, F_MONITOR, F_VMX, F_SMX, F_SVM, F_MONITORX };
	for (size_t i = 0; i < sizeof(hide) / sizeof(hide[0]); i++)
		wedge_vcpu_cpuid_override(v, hide[i].leaf, hide[i].subleaf, hide[i].reg,
					  1u << hide[i].bit, 0);
	/* The leaves that only describe what was hidden. */
	static const uint32_t zero_leaves[] = { 5, 0x8000000au };
	for (size_t i = 0; i < sizeof(zero_leaves) / sizeof(zero_leaves[0]); i++)
		for (unsigned reg = 0; reg < 4; reg++)
			wedge_vcpu_cpuid_override(v, zero_leaves[i], 0, reg, 0xffffffffu, 0);
}
