// SPDX-License-Identifier: GPL-2.0
/*
 * The shim's memory and MMU (docs/shim-mm.md): the fixed-address arenas,
 * kmalloc and the page pool, the idr, the CPU identity, address spaces and
 * copy_*_user, and the hash MMU, checked against capisim's own PSL
 * translation model walking the segment table and HPT the shim builds.
 * The kernel-side halves of the scenarios are in tests/kshim/mm.c.
 */
#define pr_fmt(fmt) "test-shim-mm: " fmt

#include <errno.h>

#include "core/log.h"
#include "harness.h"
#include "host/hmem.h"
#include "host/hsched.h"
#include "host/world.h"
#include "kshim/ks_mm.h"
#include "psl/regs.h"
#include "psl/xlate.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define TEST_ASAN 1
#endif

#define SPRN_SDR1	0x019
#define SPRN_PVR	0x11f
#define DSISR_ISSTORE	0x02000000ULL
#define DSISR_NOHPTE	0x40000000ULL

#define USER_REGION	0
#define LINEAR_REGION	1

/* Contexts as cxl_calculate_sr() makes them on a little-endian kernel. */
#define SR_USER		(CXL_PSL_SR_An_SF | CXL_PSL_SR_An_PR | CXL_PSL_SR_An_R | CXL_PSL_SR_An_LE)
#define SR_KERNEL	(CXL_PSL_SR_An_SF | CXL_PSL_SR_An_HV | CXL_PSL_SR_An_R | CXL_PSL_SR_An_LE)

HARNESS_MAIN_DEFS();

static int world_err;

static void setup(void *arg)
{
	world_init(1);
	world_err = kshim_hmem_init();
	kshim_sched_init();
}

static void teardown(void *arg)
{
	world_exit();
	hsched_reset();
}

/* No WARN or other runtime check fired, besides those a test expected. */
#define ASSERT_CLEAN() ASSERT_EQm("runtime checks", 0, kshim_check_verdict())

/*
 * The PSL the tlbies go to.  This definition stands in for the
 * co-simulation's (cosim.c), which takes precedence when a link has it:
 * @tlbie_seen then stays behind the shim's own count.
 */
static struct psl_xlate *tlbie_target;
static unsigned int tlbie_seen;

__attribute__((weak)) void kshim_card_tlbie(unsigned int lpid, unsigned long long vpn,
					    int ssize, unsigned int bshift, unsigned int ashift)
{
	tlbie_seen++;
	if (tlbie_target)
		psl_xlate_tlbie(tlbie_target, lpid, vpn, ssize, bshift, ashift);
}

static unsigned long long stat_of(size_t off)
{
	struct kshim_mmu_stats st;

	kshim_mmu_get_stats(&st);
	return *(unsigned long long *)((char *)&st + off);
}

#define MMU_STAT(field) stat_of(offsetof(struct kshim_mmu_stats, field))

TEST arena_fixed(void)
{
	void *p;

	ASSERT_EQ(0, world_err);
	ASSERT(mem_find(&kshim_world.mem, KSHIM_LINEAR_BASE, KSHIM_LINEAR_SIZE));
	p = ks_kmalloc(40);
	ASSERT(p);
	ASSERT((u64)(uintptr_t)p - KSHIM_LINEAR_BASE < KSHIM_LINEAR_SIZE);
	ASSERT_EQ((u64)(uintptr_t)p, ks_virt_to_phys(p));
	/* The HPT heads the linear map: 1 MiB, HTABSIZE 2. */
	ASSERT_EQ(KSHIM_LINEAR_BASE | 2, ks_mfspr(SPRN_SDR1));
	ks_kfree(p);
	ASSERT_CLEAN();
	PASS();
}

/* The same allocations give the same addresses, world after world. */
TEST arena_deterministic(void)
{
	unsigned long long first[6], again[6];
	int round, i;

	for (round = 0; round < 2; round++) {
		unsigned long long *a = round ? again : first;

		if (round) {
			teardown(NULL);
			setup(NULL);
		}
		ASSERT_EQ(0, world_err);
		for (i = 0; i < 3; i++)
			a[i] = (uintptr_t)ks_kmalloc(24 << i);
		a[3] = ks_get_free_pages(1);
		a[4] = (uintptr_t)ks_kmalloc(5000);
		a[5] = ks_get_free_pages(0);
	}
	ASSERT_MEM_EQ(first, again, sizeof(first));
	ASSERT_CLEAN();
	PASS();
}

/* Free kernel memory is poisoned for AddressSanitizer. */
TEST arena_poison(void)
{
#ifdef TEST_ASAN
	char *p = ks_kmalloc(24);
	unsigned long long pg = ks_get_free_pages(0);

	ASSERT(p && pg);
	ASSERT_FALSE(__asan_address_is_poisoned(p + 23));
	ASSERT(__asan_address_is_poisoned(p + 24));
	ks_kfree(p);
	ASSERT(__asan_address_is_poisoned(p));
	ASSERT_FALSE(__asan_address_is_poisoned((void *)(uintptr_t)(pg + 4095)));
	ks_free_pages(pg, 0);
	ASSERT(__asan_address_is_poisoned((void *)(uintptr_t)pg));
	ASSERT_CLEAN();
	PASS();
#else
	SKIPm("not built with AddressSanitizer");
#endif
}

/* @arg is a kernel-side scenario of tests/kshim/mm.c. */
TEST scenario(void *arg)
{
	int (*fn)(void) = (int (*)(void))arg;

	ASSERT_EQ(0, world_err);
	ASSERT_EQm("failing line of tests/kshim/mm.c", 0, fn());
	ASSERT_CLEAN();
	PASS();
}

/* The pool runs dry cleanly; an order above the limit is refused with a WARN. */
TEST pages_exhaust(void)
{
	ASSERT_EQ(0, world_err);
	kshim_expect(KSHIM_CHECK_WARN, 1);
	ASSERT_EQm("failing line of tests/kshim/mm.c", 0, ks_mm_pages_exhaust());
	ASSERT_CLEAN();
	PASS();
}

/* Bad frees are reported (WARN), not acted on. */
TEST bad_free(void)
{
	static char not_ours[32];
	char *p = ks_kmalloc(64);

	ASSERT(p);
	kshim_expect(KSHIM_CHECK_WARN, 3);
	ks_kfree(not_ours);
	ks_kfree(p + 16);
	ks_free_pages((uintptr_t)p, 0);
	ks_kfree(p);
	ASSERT_CLEAN();
	PASS();
}

TEST vsids(void)
{
	unsigned long long kv, esid, vsid, esid2, vsid2, user1t = KSHIM_USER_BASE + 0x5000;
	void *mm = kshim_mm_new(), *mm2 = kshim_mm_new();
	unsigned long long table = (uintptr_t)ks_kmalloc(64);

	ASSERT(mm && mm2 && table);
	ASSERT_EQ(LINEAR_REGION, ks_region(KSHIM_LINEAR_BASE));
	ASSERT_EQ(LINEAR_REGION, ks_region(KSHIM_LINEAR_BASE + (1ULL << 40) - 1));
	ASSERT_EQ(USER_REGION, ks_region(KSHIM_LINEAR_BASE + (1ULL << 40)));
	ASSERT_EQ(USER_REGION, ks_region(0x7fff12345000ULL));
	ASSERT_EQ(USER_REGION, ks_region(0xc000000000000000ULL));

	/* Kernel VSIDs fit SSTP0's STVA field (38 bits), and only exist in the linear map. */
	kv = ks_kernel_vsid(table, 1);
	ASSERT(kv && kv < 1ULL << 38);
	ASSERT_EQ(kv, ks_kernel_vsid(KSHIM_LINEAR_BASE, 1));
	ASSERT_EQ(0, ks_kernel_vsid(KSHIM_USER_BASE, 1));

	/* The linear map: 1 TB kernel segment, Kp, 16 MB pages (L||LP 0x100). */
	ASSERT_EQ(0, ks_slb(NULL, table, &esid, &vsid));
	ASSERT_EQ(KSHIM_LINEAR_BASE | PSL_STE_V, esid);
	ASSERT_EQ(1ULL << 62 | kv << 24 | PSL_STE_KP | 0x100, vsid);

	/* User memory above 1 TB: 1 TB segments, Ks|Kp|C, 4 KB pages. */
	ASSERT_EQ(0, ks_slb(mm, user1t, &esid, &vsid));
	ASSERT_EQ((user1t & PSL_STE_ESID_1T) | PSL_STE_V, esid);
	ASSERT_EQ(1ULL << 62 | PSL_STE_KS | PSL_STE_KP | PSL_STE_C, vsid & 0xC000000000000FFFULL);
	ASSERT(vsid >> 24 & ((1ULL << 38) - 1));
	/* Another process, another VSID for the same address. */
	ASSERT_EQ(0, ks_slb(mm2, user1t, &esid2, &vsid2));
	ASSERT_EQ(esid, esid2);
	ASSERT_NEQ(vsid, vsid2);
	/* Below 1 TB: 256 MB segments. */
	ASSERT_EQ(0, ks_slb(mm, 0x12345678ULL, &esid, &vsid));
	ASSERT_EQ(0x10000000ULL | PSL_STE_V, esid);
	ASSERT_EQ(0, vsid >> 62);
	ASSERT_EQ(PSL_STE_KS | PSL_STE_KP | PSL_STE_C, vsid & 0xFFF);

	/* No mm for a user address, or past user space: a bad address (AE). */
	ASSERT_EQ(-EFAULT, ks_slb(NULL, user1t, &esid, &vsid));
	ASSERT_EQ(-EFAULT, ks_slb(mm, 1ULL << 47, &esid, &vsid));
	kshim_mm_put(mm);
	kshim_mm_put(mm2);
	ASSERT_CLEAN();
	PASS();
}

/* mmu_psize_defs[] says what the PSL model's page-size table says. */
TEST page_sizes(void)
{
	unsigned int i;

	for (i = 0; i < psl_power8_nr_psizes; i++) {
		const struct psl_psize *ps = &psl_power8_psizes[i];
		unsigned long long sllp;
		int penc;

		ASSERT_EQ(0, ks_psize(ps->bshift, ps->ashift, &sllp, &penc));
		ASSERT_EQ(ps->sllp, sllp);
		if (ps->ashift != 12)
			ASSERT_EQ(ps->penc, penc);
	}
	PASS();
}

/* One process, one context of the PSL model, on the shim's tables. */
struct walk {
	struct psl_xlate x;
	struct psl_xlate_ctx ctx;
	void *mm;
	void *sst;
};

static int walk_init(struct walk *w, unsigned long long sr)
{
	struct psl_xlate_params p;
	unsigned long long sstp0, sstp1;

	psl_xlate_params_defaults(&p);
	if (psl_xlate_init(&w->x, &kshim_world.mem, &p))
		return -1;
	psl_xlate_ctx_init(&w->ctx, 1, 0, 42);
	w->ctx.sr = sr;
	w->ctx.sdr1 = ks_mfspr(SPRN_SDR1);
	w->sst = ks_alloc_sst(&sstp0, &sstp1);
	w->ctx.sstp0 = sstp0;
	w->ctx.sstp1 = sstp1;
	w->mm = sr & CXL_PSL_SR_An_PR ? kshim_mm_new() : NULL;
	tlbie_target = &w->x;
	tlbie_seen = 0;
	return w->sst && (w->mm || !(sr & CXL_PSL_SR_An_PR)) ? 0 : -1;
}

static void walk_exit(struct walk *w)
{
	tlbie_target = NULL;
	psl_xlate_exit(&w->x);
}

/*
 * What cxl's fault worker does for one PSL fault: a segment miss loads the
 * STE, a page fault runs copro_handle_mm_fault() and hash_page_mm().
 */
static int walk_resolve(struct walk *w, const struct psl_xlate_fault *f)
{
	unsigned long long esid, vsid;
	int ret;

	if (f->dsisr & CXL_PSL_DSISR_An_DS) {
		ret = ks_slb(w->mm, f->dar, &esid, &vsid);
		return ret ? ret : ks_load_segment(w->sst, esid, vsid);
	}
	if (w->mm) {
		ret = ks_handle_fault(w->mm, f->dar, f->dsisr);
		if (ret)
			return ret;
	}
	return ks_hash(w->mm, f->dar, f->dsisr);
}

static enum psl_xlate_status walk_xlate(struct walk *w, u64 ea, unsigned int access, u64 *ra,
					struct psl_xlate_fault *f)
{
	return psl_xlate(&w->x, &w->ctx, ea, access, ra, f, NULL);
}

/* The PSL reaches user memory through the shim's STE and HPTEs, faulting as cxl expects. */
TEST psl_user_walk(void)
{
	struct walk w;
	struct psl_xlate_fault f;
	unsigned long long buf, ea;
	u64 ra = 0;
	u64 word;

	ASSERT_EQ(0, world_err);
	ASSERT_EQ(0, walk_init(&w, SR_USER));
	buf = kshim_user_mmap(w.mm, 0x10000, KSHIM_PROT_READ | KSHIM_PROT_WRITE);
	ASSERT(buf);
	ea = buf + 0x3238;
	*(u64 *)(uintptr_t)ea = 0x0123456789abcdefULL;

	ASSERT_EQ(PSL_XLATE_SEGMENT, walk_xlate(&w, ea, PSL_XLATE_READ, &ra, &f));
	ASSERT_EQ(ea, f.dar);
	ASSERT_EQ(0, walk_resolve(&w, &f));
	ASSERT_EQ(PSL_XLATE_PAGE, walk_xlate(&w, ea, PSL_XLATE_READ, &ra, &f));
	ASSERT(f.dsisr & DSISR_NOHPTE);
	ASSERT_EQ(0, walk_resolve(&w, &f));
	ASSERT_EQ(PSL_XLATE_OK, walk_xlate(&w, ea, PSL_XLATE_READ, &ra, &f));
	ASSERT_EQ(ea, ra);
	ASSERT_EQ(1, MMU_STAT(inserts));
	ASSERT_EQ(0, MMU_STAT(tlbies));
	/* DMA reads the process's memory in place. */
	ASSERT_EQ(0, mem_read(&kshim_world.mem, ra, &word, sizeof(word)));
	ASSERT_EQ(0x0123456789abcdefULL, word);

	/* Clean page mapped read-only: the first store faults, and the HPTE is upgraded. */
	ASSERT_EQ(PSL_XLATE_PROT, walk_xlate(&w, ea, PSL_XLATE_WRITE, &ra, &f));
	ASSERT(f.dsisr & DSISR_ISSTORE);
	ASSERT_EQ(0, walk_resolve(&w, &f));
	ASSERT_EQ(1, MMU_STAT(updates));
	ASSERT_EQ(1, MMU_STAT(tlbies));
	ASSERT_EQ(PSL_XLATE_OK, walk_xlate(&w, ea, PSL_XLATE_WRITE, &ra, &f));
	ASSERT_EQ(ea, ra);
	ASSERT_EQ(1, MMU_STAT(inserts));

	/* A page outside every VMA: segment fine, page fault unresolvable (AE). */
	ASSERT_EQ(PSL_XLATE_PAGE, walk_xlate(&w, buf + 0x10000, PSL_XLATE_READ, &ra, &f));
	ASSERT_EQ(-EFAULT, walk_resolve(&w, &f));
	walk_exit(&w);
	kshim_mm_put(w.mm);
	ASSERT_CLEAN();
	PASS();
}

/* After an unmap the card's TLB must forget the page: the tlbie reaches the PSL. */
TEST psl_unmap_tlbie(void)
{
	struct walk w;
	struct psl_xlate_fault f;
	struct psl_xlate_cost cost = { 0 };
	unsigned long long buf;
	u64 ra;
	int i;

	ASSERT_EQ(0, world_err);
	ASSERT_EQ(0, walk_init(&w, SR_USER));
	buf = kshim_user_mmap(w.mm, 0x2000, KSHIM_PROT_READ | KSHIM_PROT_WRITE);
	ASSERT(buf);
	for (i = 0; i < 3 && walk_xlate(&w, buf, PSL_XLATE_READ, &ra, &f); i++)
		ASSERT_EQ(0, walk_resolve(&w, &f));
	ASSERT_EQ(PSL_XLATE_OK, psl_xlate(&w.x, &w.ctx, buf, PSL_XLATE_READ, &ra, &f, &cost));
	ASSERT_EQ(1, cost.tlb_hits);
	ASSERT_EQ(0, kshim_user_munmap(w.mm, buf, 0x2000));
	if (tlbie_seen != MMU_STAT(tlbies)) {
		walk_exit(&w);
		SKIPm("kshim_card_tlbie() is the co-simulation's in this link");
	}
	ASSERT_EQ(1, MMU_STAT(invalidations));
	ASSERT_EQ(1, MMU_STAT(tlbies));
	ASSERT_EQ(PSL_XLATE_PAGE, walk_xlate(&w, buf, PSL_XLATE_READ, &ra, &f));
	ASSERT_EQ(-EFAULT, walk_resolve(&w, &f));
	ASSERT(!mem_find(&kshim_world.mem, buf, 1));
	walk_exit(&w);
	kshim_mm_put(w.mm);
	ASSERT_CLEAN();
	PASS();
}

/* Kernel contexts: the segment table and kmalloc memory through the bolted linear map. */
TEST psl_kernel_walk(void)
{
	struct walk w;
	struct psl_xlate_fault f;
	unsigned long long table, obj;
	u64 ra;

	ASSERT_EQ(0, world_err);
	ASSERT_EQ(0, walk_init(&w, SR_KERNEL));
	obj = (uintptr_t)ks_kmalloc(256);
	table = (uintptr_t)w.sst;
	ASSERT_EQ(PSL_XLATE_SEGMENT, walk_xlate(&w, obj, PSL_XLATE_WRITE, &ra, &f));
	ASSERT_EQ(0, walk_resolve(&w, &f));
	ASSERT_EQ(PSL_XLATE_OK, walk_xlate(&w, obj, PSL_XLATE_WRITE, &ra, &f));
	ASSERT_EQ(obj, ra);
	ASSERT_EQ(PSL_XLATE_OK, walk_xlate(&w, table + 0x18, PSL_XLATE_READ, &ra, &f));
	ASSERT_EQ(table + 0x18, ra);
	ASSERT_EQ(PSL_XLATE_OK, walk_xlate(&w, KSHIM_LINEAR_BASE + KSHIM_LINEAR_SIZE - 8,
					   PSL_XLATE_READ, &ra, &f));
	/* Past the arena: no HPTE, and the kernel has no page to fault in. */
	ASSERT_EQ(PSL_XLATE_PAGE, walk_xlate(&w, KSHIM_LINEAR_BASE + KSHIM_LINEAR_SIZE,
					     PSL_XLATE_READ, &ra, &f));
	ASSERT_EQ(1, walk_resolve(&w, &f));
	/* A user context may not touch kernel memory (PP 000 under key 1). */
	w.ctx.sr = SR_USER;
	ASSERT_EQ(PSL_XLATE_PROT, walk_xlate(&w, obj, PSL_XLATE_READ, &ra, &f));
	walk_exit(&w);
	ASSERT_CLEAN();
	PASS();
}

/*
 * 17 pages with the same primary hash: 8 fill the primary PTEG, 8 the
 * secondary, the 17th casts one out.  Pages 32 MiB apart in one 1 TB
 * segment collide in a 8192-PTEG table.
 */
TEST psl_hpt_overflow(void)
{
	const unsigned long long stride = 32ULL << 20;
	struct walk w;
	struct psl_xlate_fault f;
	unsigned long long buf;
	u64 ra;
	int i, tries, ok;

	ASSERT_EQ(0, world_err);
	ASSERT_EQ(0, walk_init(&w, SR_USER));
	buf = kshim_user_mmap(w.mm, 16 * stride + 0x1000, KSHIM_PROT_READ | KSHIM_PROT_WRITE);
	ASSERT(buf);
	for (i = 0; i < 17; i++) {
		for (tries = 0; tries < 3 && walk_xlate(&w, buf + i * stride, 0, &ra, &f); tries++)
			ASSERT_EQ(0, walk_resolve(&w, &f));
		ASSERT_EQ(PSL_XLATE_OK, walk_xlate(&w, buf + i * stride, 0, &ra, &f));
		ASSERT_EQ(buf + i * stride, ra);
	}
	ASSERT_EQ(17, MMU_STAT(inserts));
	ASSERT_EQ(9, MMU_STAT(secondary));
	ASSERT_EQ(1, MMU_STAT(evictions));
	ASSERT_EQ(0, MMU_STAT(tlbies));
	/* The cast-out page faults again; the PSL's TLB still held it, so flush it first. */
	ASSERT_EQ(1, psl_xlate_tlbia(&w.x, 0, 0) > 0);
	for (i = 0, ok = 0; i < 17; i++) {
		if (walk_xlate(&w, buf + i * stride, 0, &ra, &f) == PSL_XLATE_OK)
			ok++;
		else
			ASSERT_EQ(8, i);
	}
	ASSERT_EQ(16, ok);
	/* Rehashing it needs no tlbie: the fault said there was no HPTE. */
	ASSERT_EQ(PSL_XLATE_PAGE, walk_xlate(&w, buf + 8 * stride, 0, &ra, &f));
	ASSERT_EQ(0, walk_resolve(&w, &f));
	ASSERT_EQ(PSL_XLATE_OK, walk_xlate(&w, buf + 8 * stride, 0, &ra, &f));
	ASSERT_EQ(2, MMU_STAT(evictions));
	ASSERT_EQ(0, MMU_STAT(tlbies));
	/* Unmap: 16 HPTEs left to clear, but every hashed page gets its tlbie. */
	ASSERT_EQ(0, kshim_user_munmap(w.mm, buf, 16 * stride + 0x1000));
	ASSERT_EQ(16, MMU_STAT(invalidations));
	ASSERT_EQ(17, MMU_STAT(tlbies));
	walk_exit(&w);
	kshim_mm_put(w.mm);
	ASSERT_CLEAN();
	PASS();
}

/* Map (as the PSL's fault path would) each page of @ea[] so that it has an HPTE. */
static int hash_pages(struct walk *w, const unsigned long long *ea, int n)
{
	struct psl_xlate_fault f;
	u64 ra;
	int i, tries;

	for (i = 0; i < n; i++) {
		for (tries = 0; tries < 3 && walk_xlate(w, ea[i], 0, &ra, &f); tries++)
			if (walk_resolve(w, &f))
				return -1;
		if (walk_xlate(w, ea[i], 0, &ra, &f) != PSL_XLATE_OK)
			return -1;
	}
	return 0;
}

/*
 * A VMA larger than one top-level table's reach (512 GiB), as libcxl's
 * mirror of ASan's shadow is, with few pages hashed: its unmap clears
 * exactly those, at both ends and across the top-level boundary, and
 * leaves the hashed pages of the VMAs on either side alone.
 */
TEST psl_unmap_sparse(void)
{
	const unsigned long long big_len = (512ULL << 30) + (256ULL << 20);
	unsigned long long before, big, after, ea[5];
	struct psl_xlate_fault f;
	struct walk w;
	u64 ra;
	int i;

	ASSERT_EQ(0, world_err);
	ASSERT_EQ(0, walk_init(&w, SR_USER));
	before = kshim_user_mmap(w.mm, 0x1000, KSHIM_PROT_READ);
	big = kshim_user_mmap(w.mm, big_len, KSHIM_PROT_READ);
	after = kshim_user_mmap(w.mm, 0x1000, KSHIM_PROT_READ);
	ASSERT(before && big && after);
	/* The boundary of the two top-level tables falls inside the VMA. */
	ASSERT((big >> 39) != ((big + big_len - 1) >> 39));
	ea[0] = before;
	ea[1] = big;
	ea[2] = ((big >> 39) + 1) << 39;
	ea[3] = big + big_len - 0x1000;
	ea[4] = after;
	ASSERT_EQ(0, hash_pages(&w, ea, 5));
	ASSERT_EQ(5, MMU_STAT(inserts));
	ASSERT_EQ(0, MMU_STAT(tlbies));

	ASSERT_EQ(0, kshim_user_munmap(w.mm, big, big_len));
	ASSERT_EQ(3, MMU_STAT(invalidations));
	ASSERT_EQ(3, MMU_STAT(tlbies));
	/* Through the HPT again: the neighbours still translate, the VMA's pages do not. */
	psl_xlate_tlbia(&w.x, 0, 0);
	for (i = 0; i < 5; i++) {
		enum psl_xlate_status st = walk_xlate(&w, ea[i], 0, &ra, &f);

		if (i == 0 || i == 4)
			ASSERT_EQ(PSL_XLATE_OK, st);
		else
			ASSERT_EQ(PSL_XLATE_PAGE, st);
	}
	walk_exit(&w);
	kshim_mm_put(w.mm);
	ASSERT_EQ(5, MMU_STAT(invalidations));
	ASSERT_CLEAN();
	PASS();
}

/* copy_to_user/copy_from_user from a process, as the driver's ioctls and read() do. */
TEST uaccess(void)
{
	struct ks_uaccess u = { 0 };

	ASSERT_EQ(0, world_err);
	u.mm = kshim_mm_new();
	ASSERT(u.mm);
	u.rw = kshim_user_mmap(u.mm, 0x2000, KSHIM_PROT_READ | KSHIM_PROT_WRITE);
	u.ro = kshim_user_mmap(u.mm, 0x1000, KSHIM_PROT_READ);
	ASSERT(u.rw && u.ro);
	ASSERT(kshim_task_create("uaccess", ks_mm_uaccess_task, &u));
	ASSERT_EQ(0, kshim_run(0));
	ASSERT_EQm("failing line of tests/kshim/mm.c", 0, u.result);
	kshim_mm_put(u.mm);
	ASSERT_CLEAN();
	PASS();
}

SUITE(arena)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(arena_fixed);
	RUN_TEST(arena_deterministic);
	RUN_TEST(arena_poison);
	RUN_TESTp(scenario, ks_mm_kmalloc, "kmalloc");
	RUN_TESTp(scenario, ks_mm_pages, "pages");
	RUN_TEST(pages_exhaust);
	RUN_TEST(bad_free);
}

SUITE(idr)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_TESTp(scenario, ks_mm_idr_lowest, "lowest");
	RUN_TESTp(scenario, ks_mm_idr_limits, "limits");
	RUN_TESTp(scenario, ks_mm_idr_iterate, "iterate");
}

SUITE(mm)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_TESTp(scenario, ks_mm_cpu, "cpu");
	RUN_TESTp(scenario, ks_mm_refs, "refs");
	RUN_TESTp(scenario, ks_mm_vma_iter, "vma_iter");
	RUN_TESTp(scenario, ks_mm_copro_fault, "copro_fault");
	RUN_TEST(uaccess);
}

SUITE(hash)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(vsids);
	RUN_TEST(page_sizes);
	RUN_TEST(psl_user_walk);
	RUN_TEST(psl_unmap_tlbie);
	RUN_TEST(psl_kernel_walk);
	RUN_TEST(psl_hpt_overflow);
	RUN_TEST(psl_unmap_sparse);
}

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	RUN_SUITE(arena);
	RUN_SUITE(idr);
	RUN_SUITE(mm);
	RUN_SUITE(hash);
	HARNESS_MAIN_END();
}
