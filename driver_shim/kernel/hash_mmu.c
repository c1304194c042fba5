// SPDX-License-Identifier: GPL-2.0
/*
 * The POWER8 hash MMU as the driver and the PSL see it: VSIDs, segment
 * (SLB) values for the coprocessor, and an architected hashed page table
 * (Power ISA 2.07 Book III-S; docs/psl8-reference.md 4.4) at the base of
 * the linear map, whose SDR1 the driver hands to the PSL.
 *
 * VSIDs have the shape of Linux's: a proto-VSID (context id, then the
 * segment number within the context's 2^49 bytes) scrambled by
 * multiplication modulo 2^bits - 1, for a 65-bit virtual address: 37-bit
 * VSIDs for 256 MB segments, 25-bit for 1 TB.  The linear map has kernel
 * context 1 and 1 TB segments of 16 MB pages, bolted at boot so that the
 * PSL can translate segment-table and kernel-context addresses; user
 * memory has 4 KB pages, 256 MB segments below 1 TB and 1 TB above.
 *
 * HPTEs follow the hash MMU's rules: primary PTEG, then secondary, then
 * cast out a non-bolted entry (without a tlbie: the Linux PTE still says
 * "hashed", and the next flush of that page sends one); R always set,
 * C only for a dirty page, and writable-but-clean pages mapped read-only.
 */
#define pr_fmt(fmt) "kshim-hash: " fmt

#include "kmm.h"

#define CONTEXT_EA_BITS		49
#define ESID_BITS		(CONTEXT_EA_BITS - SID_SHIFT)
#define ESID_BITS_1T		(CONTEXT_EA_BITS - SID_SHIFT_1T)
#define VA_BITS			65
#define VSID_BITS_256M		(VA_BITS - SID_SHIFT)
#define VSID_BITS_1T		(VA_BITS - SID_SHIFT_1T)
#define VSID_MULTIPLIER		12538073UL	/* a prime below 2^24 */
#define KERNEL_LINEAR_CONTEXT	1

/* HPTE dword 0 (V) and dword 1 (R). */
#define HPTE_V_SSIZE_SHIFT	62
#define HPTE_V_AVPN		0x3fffffffffffff80UL
#define HPTE_V_COMPARE		0xffffffffffffff80UL	/* B and AVA */
#define HPTE_V_BOLTED		0x10UL			/* software: never cast out */
#define HPTE_V_LARGE		0x4UL
#define HPTE_V_SECONDARY	0x2UL
#define HPTE_V_VALID		0x1UL
#define HPTE_R_PP0		0x8000000000000000UL
#define HPTE_R_RPN		0x0ffffffffffff000UL
#define HPTE_R_LP_SHIFT		12
#define HPTE_R_R		0x100UL
#define HPTE_R_C		0x080UL
#define HPTE_R_W		0x040UL
#define HPTE_R_I		0x020UL
#define HPTE_R_M		0x010UL
#define HPTE_R_G		0x008UL
#define HPTE_R_N		0x004UL
#define HPTE_R_PP		0x003UL
#define HPTE_R_PPP		(HPTE_R_PP0 | HPTE_R_PP)

#define HPTES_PER_PTEG		8
#define HPT_HASH_MASK		((KSHIM_HPT_SIZE >> 7) - 1)

struct mmu_psize_def mmu_psize_defs[MMU_PAGE_COUNT];
int mmu_linear_psize = MMU_PAGE_16M;
int mmu_kernel_ssize = MMU_SEGSIZE_1T;
bool tlbie_capable = true;

/* The page sizes a POWER8's firmware advertises (reference 4.4.4). */
static const struct {
	int psize;
	unsigned int shift;
	unsigned long sllp;
	bool tlbiel;
} power8_bases[] = {
	{ MMU_PAGE_4K, 12, 0x000, true },
	{ MMU_PAGE_64K, 16, 0x110, true },
	{ MMU_PAGE_16M, 24, 0x100, false },
	{ MMU_PAGE_16G, 34, 0x120, false },
};

static const struct {
	int base, actual, penc;
} power8_encodings[] = {
	{ MMU_PAGE_4K, MMU_PAGE_4K, 0x00 },
	{ MMU_PAGE_4K, MMU_PAGE_64K, 0x07 },
	{ MMU_PAGE_4K, MMU_PAGE_16M, 0x38 },
	{ MMU_PAGE_64K, MMU_PAGE_64K, 0x01 },
	{ MMU_PAGE_64K, MMU_PAGE_16M, 0x08 },
	{ MMU_PAGE_16M, MMU_PAGE_16M, 0x00 },
	{ MMU_PAGE_16G, MMU_PAGE_16G, 0x03 },
};

/* The table, at the base of the linear map; only this file writes it. */
static __be64 *const hpt = (__be64 *)(unsigned long)KSHIM_LINEAR_BASE;

/* Cast-out choice (Linux uses timebase bits) and counters; reset at boot. */
static struct {
	unsigned int evict_slot;
	bool evict_secondary;
	struct kshim_mmu_stats stats;
} hpt_state;

/* A virtual address: the segment's VSID and size, and the EA. */
struct kva {
	unsigned long vsid;
	unsigned long ea;
	int ssize;
};

static unsigned int seg_shift(int ssize)
{
	return ssize == MMU_SEGSIZE_1T ? SID_SHIFT_1T : SID_SHIFT;
}

static unsigned long vsid_scramble(unsigned long proto, unsigned int bits)
{
	return proto * VSID_MULTIPLIER % ((1UL << bits) - 1);
}

static unsigned long get_vsid(unsigned long context, unsigned long ea, int ssize)
{
	if (ssize == MMU_SEGSIZE_1T)
		return vsid_scramble((context << ESID_BITS_1T) | (ea >> SID_SHIFT_1T), VSID_BITS_1T);
	return vsid_scramble((context << ESID_BITS) | (ea >> SID_SHIFT), VSID_BITS_256M);
}

int get_region_id(unsigned long ea)
{
	return (ea & ESID_MASK_1T) == KMM_LINEAR_SEGMENT ? LINEAR_MAP_REGION_ID : USER_REGION_ID;
}

/* 0 ("bad address") outside the linear map. */
unsigned long get_kernel_vsid(unsigned long ea, int ssize)
{
	if (get_region_id(ea) != LINEAR_MAP_REGION_ID)
		return 0;
	return get_vsid(KERNEL_LINEAR_CONTEXT, ea, ssize);
}

static int user_segment_size(unsigned long ea)
{
	return ea >= 1UL << SID_SHIFT_1T ? MMU_SEGSIZE_1T : MMU_SEGSIZE_256M;
}

/* The VA of a user ea in mm; -EFAULT past the end of user space. */
static int user_va(struct mm_struct *mm, unsigned long ea, struct kva *va)
{
	if (ea >= KMM_TASK_SIZE)
		return -EFAULT;
	va->ea = ea;
	va->ssize = user_segment_size(ea);
	va->vsid = get_vsid(mm->context.id, ea, va->ssize);
	return 0;
}

int copro_calculate_slb(struct mm_struct *mm, u64 ea, struct copro_slb *slb)
{
	unsigned long key, sllp;
	struct kva va;

	if (get_region_id(ea) == LINEAR_MAP_REGION_ID) {
		va.ssize = mmu_kernel_ssize;
		va.vsid = get_kernel_vsid(ea, va.ssize);
		key = SLB_VSID_KERNEL;
		sllp = mmu_psize_defs[mmu_linear_psize].sllp;
	} else {
		if (!mm || user_va(mm, ea, &va))
			return -EFAULT;
		key = SLB_VSID_USER;
		sllp = mmu_psize_defs[MMU_PAGE_4K].sllp;
	}
	if (!va.vsid)
		return -EFAULT;
	slb->vsid = va.vsid << (va.ssize == MMU_SEGSIZE_1T ? SLB_VSID_SHIFT_1T : SLB_VSID_SHIFT) |
		    key | sllp | (va.ssize == MMU_SEGSIZE_1T ? SLB_VSID_B_1T : 0);
	slb->esid = (ea & (va.ssize == MMU_SEGSIZE_1T ? ESID_MASK_1T : ESID_MASK)) | SLB_ESID_V;
	return 0;
}

static unsigned long va_offset(const struct kva *va)
{
	return va->ea & ((1UL << seg_shift(va->ssize)) - 1);
}

static unsigned long va_vpn(const struct kva *va)
{
	return va->vsid << (seg_shift(va->ssize) - PAGE_SHIFT) | va_offset(va) >> PAGE_SHIFT;
}

/* The primary hash of va for pages of 2^shift bytes. */
static unsigned long hpt_hash(const struct kva *va, unsigned int shift)
{
	unsigned long hash = va->vsid ^ (va_offset(va) >> shift);

	if (va->ssize == MMU_SEGSIZE_1T)
		hash ^= va->vsid << 25;
	return hash & 0x7fffffffffUL;
}

/* Dword 0's B and AVA (VA >> 23, less the bits the base size ignores). */
static unsigned long hpte_avpn(const struct kva *va, int bpsize)
{
	unsigned long ava = va->vsid << (seg_shift(va->ssize) - 23) | va_offset(va) >> 23;

	ava &= ~mmu_psize_defs[bpsize].avpnm;
	return (ava << 7 & HPTE_V_AVPN) | (unsigned long)va->ssize << HPTE_V_SSIZE_SHIFT;
}

static unsigned long hpte_encode_v(const struct kva *va, int bpsize, int apsize)
{
	return hpte_avpn(va, bpsize) | (apsize != MMU_PAGE_4K ? HPTE_V_LARGE : 0) | HPTE_V_VALID;
}

/* Dword 1's page number, with the LP encoding of a large page. */
static unsigned long hpte_encode_r(unsigned long ra, int bpsize, int apsize)
{
	unsigned long size = 1UL << mmu_psize_defs[apsize].shift;

	if (apsize == MMU_PAGE_4K)
		return ra & HPTE_R_RPN;
	return (ra & ~(size - 1) & HPTE_R_RPN) |
	       (unsigned long)mmu_psize_defs[bpsize].penc[apsize] << HPTE_R_LP_SHIFT;
}

/* Protection, R/C and WIMG bits of dword 1 for a Linux PTE. */
static unsigned long pte_rflags(unsigned long pte)
{
	unsigned long rflags = HPTE_R_R | HPTE_R_M;

	if (!(pte & _PAGE_EXEC))
		rflags |= HPTE_R_N;
	if (pte & _PAGE_PRIVILEGED) {
		/* Kernel: PP 000 read/write; 011 read-only (no KERNEL_RO feature). */
		if (!(pte & _PAGE_WRITE))
			rflags |= 0x3;
	} else {
		if (pte & (_PAGE_READ | _PAGE_WRITE | _PAGE_EXEC))
			rflags |= 0x2;
		if (!((pte & _PAGE_WRITE) && (pte & KPTE_DIRTY)))
			rflags |= 0x1;
	}
	if (pte & KPTE_DIRTY)
		rflags |= HPTE_R_C;
	if ((pte & _PAGE_CACHE_CTL) == _PAGE_TOLERANT)
		rflags = (rflags & ~HPTE_R_M) | HPTE_R_I;
	else if ((pte & _PAGE_CACHE_CTL) == _PAGE_NON_IDEMPOTENT)
		rflags = (rflags & ~HPTE_R_M) | HPTE_R_I | HPTE_R_G;
	else if ((pte & _PAGE_CACHE_CTL) == _PAGE_SAO)
		rflags |= HPTE_R_W | HPTE_R_I;
	return rflags;
}

static __be64 *hpte_at(unsigned long hash, bool secondary, unsigned int slot)
{
	unsigned long group = (secondary ? ~hash : hash) & HPT_HASH_MASK;

	return &hpt[(group * HPTES_PER_PTEG + slot) * 2];
}

static __be64 *hpte_of_hidx(const struct kva *va, unsigned long hidx)
{
	return hpte_at(hpt_hash(va, PAGE_SHIFT), hidx & KPTE_HIDX_SECONDARY, hidx & 7);
}

static bool hpte_matches(const __be64 *hpte, const struct kva *va)
{
	unsigned long v = be64_to_cpu(hpte[0]);

	return (v & HPTE_V_VALID) && !((v ^ hpte_avpn(va, MMU_PAGE_4K)) & HPTE_V_COMPARE);
}

/* Into the first free slot of one PTEG; the slot, or -1 if it is full. */
static int pteg_insert(unsigned long hash, bool secondary, unsigned long v, unsigned long r)
{
	unsigned int i;

	for (i = 0; i < HPTES_PER_PTEG; i++) {
		__be64 *hpte = hpte_at(hash, secondary, i);

		if (be64_to_cpu(hpte[0]) & HPTE_V_VALID)
			continue;
		hpte[1] = cpu_to_be64(r);
		/* Never a valid dword 0 in front of a stale dword 1. */
		smp_wmb();
		hpte[0] = cpu_to_be64(v | (secondary ? HPTE_V_SECONDARY : 0));
		return i;
	}
	return -1;
}

/* Cast out a valid non-bolted HPTE of one PTEG (no tlbie, see above); 0 or -1. */
static int pteg_evict(unsigned long hash, bool secondary)
{
	unsigned int i, slot;

	for (i = 0; i < HPTES_PER_PTEG; i++) {
		__be64 *hpte;
		unsigned long v;

		slot = (hpt_state.evict_slot + i) % HPTES_PER_PTEG;
		hpte = hpte_at(hash, secondary, slot);
		v = be64_to_cpu(hpte[0]);
		if ((v & HPTE_V_VALID) && !(v & HPTE_V_BOLTED)) {
			hpte[0] = 0;
			hpt_state.evict_slot = slot + 1;
			hpt_state.stats.evictions++;
			return 0;
		}
	}
	return -1;
}

/* Insert v/r for hash; the hidx (secondary flag | slot), or -1 if nothing can be cast out. */
static int hpte_insert(unsigned long hash, unsigned long v, unsigned long r)
{
	int slot, tries;

	for (tries = 0; tries < 2; tries++) {
		slot = pteg_insert(hash, false, v, r);
		if (slot >= 0)
			return slot;
		slot = pteg_insert(hash, true, v, r);
		if (slot >= 0) {
			hpt_state.stats.secondary++;
			return slot | KPTE_HIDX_SECONDARY;
		}
		/* Both full: make room in one of them, taking turns. */
		hpt_state.evict_secondary = !hpt_state.evict_secondary;
		if (pteg_evict(hash, hpt_state.evict_secondary) &&
		    pteg_evict(hash, !hpt_state.evict_secondary))
			return -1;
	}
	return -1;
}

/*
 * The co-simulation (cosim.c) defines it; links without cards (the shim's
 * unit tests) have no one to send tlbies to.  Weak, so that such links
 * need no stand-in.
 */
__weak void kshim_card_tlbie(unsigned int lpid, unsigned long long vpn, int ssize,
			     unsigned int bshift, unsigned int ashift);

/* A global tlbie of a 4 KB user page: the CAPP forwards it to the PSLs. */
static void tlbie(const struct kva *va)
{
	unsigned long vpn = va_vpn(va);

	hpt_state.stats.tlbies++;
	hpt_state.stats.last_tlbie_vpn = vpn;
	if (kshim_card_tlbie)
		kshim_card_tlbie(mfspr(SPRN_LPID), vpn, va->ssize, PAGE_SHIFT, PAGE_SHIFT);
}

/*
 * Change the protection of the HPTE the PTE's hidx names, if it is still
 * va's; 0, or -1 when it was cast out meanwhile.  The old translation
 * may sit in a TLB, hence the tlbie, unless the fault said there was no
 * HPTE at all.
 */
static int hpte_updatepp(const struct kva *va, unsigned long hidx, unsigned long rflags,
			 unsigned long flags)
{
	__be64 *hpte = hpte_of_hidx(va, hidx);
	unsigned long r, keep = ~(HPTE_R_PPP | HPTE_R_N);
	int ret = -1;

	if (hpte_matches(hpte, va)) {
		r = be64_to_cpu(hpte[1]);
		hpte[1] = cpu_to_be64((r & keep) | (rflags & (HPTE_R_PPP | HPTE_R_N | HPTE_R_C)));
		hpt_state.stats.updates++;
		ret = 0;
	}
	if (!(flags & HPTE_NOHPTE_UPDATE))
		tlbie(va);
	return ret;
}

static bool pte_access_ok(unsigned long access, unsigned long pte)
{
	return (pte & _PAGE_PRESENT) && !(access & ~pte) &&
	       (access & _PAGE_PRIVILEGED) == (pte & _PAGE_PRIVILEGED);
}

/*
 * 0 when the page has its HPTE, 1 when the Linux PTE does not allow the
 * access (a page fault is needed first), -1 when the HPT has no room.
 * Only user pages are hashed on demand; the linear map is bolted.
 */
int hash_page_mm(struct mm_struct *mm, unsigned long ea, unsigned long access,
		 unsigned long trap, unsigned long flags)
{
	unsigned long *ptep, pte, rflags;
	struct kva va;
	int hidx;

	if (!mm || get_region_id(ea) != USER_REGION_ID || user_va(mm, ea, &va))
		return 1;
	ptep = kmm_pte(mm, ea);
	if (!ptep || !pte_access_ok(access, *ptep))
		return 1;
	pte = *ptep | KPTE_ACCESSED | (access & _PAGE_WRITE ? KPTE_DIRTY : 0);
	rflags = pte_rflags(pte);
	if ((pte & KPTE_HASHPTE) &&
	    !hpte_updatepp(&va, (pte & KPTE_HIDX) >> KPTE_HIDX_SHIFT, rflags, flags)) {
		*ptep = pte;
		return 0;
	}
	hidx = hpte_insert(hpt_hash(&va, PAGE_SHIFT), hpte_encode_v(&va, MMU_PAGE_4K, MMU_PAGE_4K),
			   hpte_encode_r(ea, MMU_PAGE_4K, MMU_PAGE_4K) | rflags);
	if (hidx < 0) {
		pr_err("no HPTE slot for %#lx: both PTEGs bolted\n", ea);
		return -1;
	}
	hpt_state.stats.inserts++;
	*ptep = (pte & ~KPTE_HIDX) | KPTE_HASHPTE | (unsigned long)hidx << KPTE_HIDX_SHIFT;
	return 0;
}

void kmm_hash_flush(struct mm_struct *mm, unsigned long ea, unsigned long pte)
{
	struct kva va;
	__be64 *hpte;

	if (user_va(mm, ea, &va))
		return;
	hpte = hpte_of_hidx(&va, (pte & KPTE_HIDX) >> KPTE_HIDX_SHIFT);
	if (hpte_matches(hpte, &va)) {
		hpte[0] = 0;
		hpt_state.stats.invalidations++;
	}
	tlbie(&va);
}

static void mmu_psize_init(void)
{
	unsigned int i, j;

	memset(mmu_psize_defs, 0, sizeof(mmu_psize_defs));
	for (i = 0; i < MMU_PAGE_COUNT; i++)
		for (j = 0; j < MMU_PAGE_COUNT; j++)
			mmu_psize_defs[i].penc[j] = -1;
	for (i = 0; i < ARRAY_SIZE(power8_bases); i++) {
		struct mmu_psize_def *def = &mmu_psize_defs[power8_bases[i].psize];

		def->shift = power8_bases[i].shift;
		def->sllp = power8_bases[i].sllp;
		def->tlbiel = power8_bases[i].tlbiel;
		def->avpnm = def->shift > 23 ? (1UL << (def->shift - 23)) - 1 : 0;
	}
	for (i = 0; i < ARRAY_SIZE(power8_encodings); i++)
		mmu_psize_defs[power8_encodings[i].base].penc[power8_encodings[i].actual] =
			power8_encodings[i].penc;
}

/* The kernel linear map: 16 MB read/write, no-execute, bolted pages. */
static void hpt_bolt_linear(void)
{
	unsigned long rflags = pte_rflags(_PAGE_PRESENT | _PAGE_READ | _PAGE_WRITE |
					  _PAGE_PRIVILEGED | KPTE_DIRTY);
	unsigned long ea, v, r;
	struct kva va;

	for (ea = KSHIM_LINEAR_BASE; ea < KSHIM_LINEAR_BASE + KSHIM_LINEAR_SIZE; ea += 1UL << 24) {
		va.ea = ea;
		va.ssize = mmu_kernel_ssize;
		va.vsid = get_kernel_vsid(ea, va.ssize);
		v = hpte_encode_v(&va, mmu_linear_psize, mmu_linear_psize) | HPTE_V_BOLTED;
		r = hpte_encode_r(ea, mmu_linear_psize, mmu_linear_psize) | rflags;
		BUG_ON(hpte_insert(hpt_hash(&va, 24), v, r) < 0);
	}
}

void kmm_hpt_boot(void)
{
	BUILD_BUG_ON(KSHIM_LINEAR_BASE & ~ESID_MASK_1T);
	BUILD_BUG_ON(KSHIM_LINEAR_SIZE > 1UL << SID_SHIFT_1T);
	BUILD_BUG_ON(KSHIM_LINEAR_SIZE & ((1UL << 24) - 1));
	BUILD_BUG_ON(KSHIM_HPT_SIZE < 1UL << 18 || KSHIM_HPT_SIZE & (KSHIM_HPT_SIZE - 1));
	memset(hpt, 0, KSHIM_HPT_SIZE);
	memset(&hpt_state, 0, sizeof(hpt_state));
	mmu_psize_init();
	hpt_bolt_linear();
	memset(&hpt_state.stats, 0, sizeof(hpt_state.stats));
}

/* HTABORG (the table's real address) and HTABSIZE (log2 of its size - 18). */
unsigned long kmm_sdr1(void)
{
	return KSHIM_LINEAR_BASE | (__builtin_ctzl(KSHIM_HPT_SIZE) - 18);
}

void kshim_mmu_get_stats(struct kshim_mmu_stats *st)
{
	*st = hpt_state.stats;
}
