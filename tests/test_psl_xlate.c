// SPDX-License-Identifier: GPL-2.0
/*
 * PSL8 translation: the driver's fault flow, page and segment sizes,
 * protection, R/C recording, bad real addresses, the caches and each
 * invalidation, and a random-garbage robustness run.
 */
#include <errno.h>

#include "harness.h"
#include "psl_testdrv.h"
#include "core/rng.h"
#include "psl/xlate.h"

#define POOL_BYTES (1ULL << 20)

/* User EAs and VSIDs, 256 MB segments unless named otherwise. */
#define EA_A	0x0000100020003000ULL
#define EA_B	0x0000100030005000ULL
#define EA_1T	0x00003A0001234000ULL
#define VSID_A	0x0000000A1B2C3DULL
#define VSID_B	0x000000123456EFULL
#define VSID_1T	0x000000ABCDEFULL

static struct testdrv d;
static struct psl_xlate x;
static struct psl_xlate_ctx ctx;
static u8 *pool;		/* registered data pages, 64 KiB aligned */
static struct psl_xlate_fault f;
static struct psl_xlate_cost c;
static u64 ra;

static void setup(void *arg)
{
	struct psl_xlate_params p;

	if (td_init(&d, 256 << 10, 4096))
		abort();
	pool = aligned_alloc(64 << 10, POOL_BYTES);
	if (!pool || mem_add(&d.mem, mem_ra(pool), POOL_BYTES, "pool", true))
		abort();
	psl_xlate_params_defaults(&p);
	if (psl_xlate_init(&x, &d.mem, &p))
		abort();
	td_ctx(&d, &ctx, 1, 0, 1000, TD_SR_USER);
	memset(&f, 0, sizeof(f));
	memset(&c, 0, sizeof(c));
	ra = 0;
}

static void teardown(void *arg)
{
	psl_xlate_exit(&x);
	td_exit(&d);
	free(pool);
}

static enum psl_xlate_status xl(u64 ea, unsigned int access)
{
	memset(&c, 0, sizeof(c));
	memset(&f, 0, sizeof(f));
	return psl_xlate(&x, &ctx, ea, access, &ra, &f, &c);
}

/* Map the 4 KB page of @ea in the 256 MB segment @vsid to pool page @pg. */
static u64 *map4k(u64 ea, u64 vsid, unsigned int pg, const struct td_pte *a)
{
	return td_hpte_insert(&d, vsid, ea, 0, TD_SZ_4K, TD_SZ_4K,
			      mem_ra(pool) + pg * 4096ULL, a);
}

static u64 pool_ra(unsigned int pg, u64 ea, unsigned int shift)
{
	return mem_ra(pool) + pg * 4096ULL + (ea & ((1ULL << shift) - 1));
}

/* ---- The driver's flow and the formats ---- */

TEST hash_follows_reference(void)
{
	/* 256 MB: VSID XOR page number; 1 TB: also VSID << 25; 39 bits. */
	ASSERT_EQ(0x0A1B2C3DULL ^ 0x3, psl_hpt_hash(VSID_A, 0x3000, PSL_SEG_256M, 12));
	ASSERT_EQ((0xABCDEFULL ^ (0xABCDEFULL << 25) ^ 0x1234ULL) & 0x7FFFFFFFFFULL,
		  psl_hpt_hash(VSID_1T, 0x0001234000ULL, PSL_SEG_1T, 12));
	ASSERT_EQ(0x0A1B2C3DULL ^ 0x12, psl_hpt_hash(VSID_A, 0x123456, PSL_SEG_256M, 16));
	ASSERT_EQ(0, psl_hpt_hash(1ULL << 45, 0, PSL_SEG_256M, 12));
	PASS();
}

TEST segment_miss_page_miss_then_success(void)
{
	/* No STE: DS only, DAR the EA. */
	ASSERT_EQ(PSL_XLATE_SEGMENT, xl(EA_A + 0x123, PSL_XLATE_WRITE));
	ASSERT_EQ(CXL_PSL_DSISR_An_DS, f.dsisr);
	ASSERT_EQ(EA_A + 0x123, f.dar);
	ASSERT_EQ(1, c.slb_misses);
	ASSERT_EQ(2, c.ste_fetches);	/* the 256 MB group, then the 1 TB group */

	/* The driver loads the STE and restarts: now no HPTE, a store. */
	td_load_segment(&d, EA_A, VSID_A, 0, TD_STE_USER);
	ASSERT_EQ(PSL_XLATE_PAGE, xl(EA_A + 0x123, PSL_XLATE_WRITE));
	ASSERT_EQ(CXL_PSL_DSISR_An_DM | CXL_PSL_DSISR_An_M | CXL_PSL_DSISR_An_S, f.dsisr);
	ASSERT_EQ(0x4000000042000000ULL, f.dsisr);
	ASSERT_EQ(EA_A + 0x123, f.dar);
	ASSERT_EQ(1, c.ste_fetches);	/* found in the 256 MB group */
	ASSERT_EQ(6, c.pteg_fetches);	/* 4 KB, 64 KB, 16 MB actual; primary and secondary */

	/* hash_page_mm inserts the HPTE; the restart succeeds. */
	ASSERT(map4k(EA_A, VSID_A, 3, &td_rw));
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A + 0x123, PSL_XLATE_WRITE));
	ASSERT_EQ(pool_ra(3, EA_A + 0x123, 12), ra);
	ASSERT_EQ(1, c.slb_hits);
	ASSERT_EQ(0, c.ste_fetches);
	ASSERT_EQ(1, c.pteg_fetches);
	PASS();
}

TEST read_miss_has_no_store_bit(void)
{
	td_load_segment(&d, EA_A, VSID_A, 0, TD_STE_USER);
	ASSERT_EQ(PSL_XLATE_PAGE, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(0x4000000040000000ULL, f.dsisr);
	PASS();
}

TEST secondary_pteg_hit(void)
{
	u64 *g = td_pteg(&d, td_hash(VSID_A, EA_A, 0, 12)), *h;
	unsigned int i;

	/* Fill the primary group with other pages' entries. */
	for (i = 0; i < 8; i++)
		if (!(be64toh(g[2 * i]) & 1))
			g[2 * i] = htobe64(0x5ULL << 7 | 1);	/* valid, some other AVA */
	h = map4k(EA_A, VSID_A, 5, &td_rw);
	ASSERT(h);
	ASSERT(be64toh(h[0]) & PSL_HPTE_V_H);
	td_load_segment(&d, EA_A, VSID_A, 0, TD_STE_USER);
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A + 8, PSL_XLATE_READ));
	ASSERT_EQ(pool_ra(5, EA_A + 8, 12), ra);
	ASSERT_EQ(1 + 2, c.pteg_fetches);	/* the table's page, then both groups */
	PASS();
}

TEST secondary_search_off_with_tc(void)
{
	u64 *g = td_pteg(&d, td_hash(VSID_A, EA_A, 0, 12));
	unsigned int i;

	for (i = 0; i < 8; i++)
		g[2 * i] = htobe64(0x5ULL << 7 | 1);
	ASSERT(map4k(EA_A, VSID_A, 5, &td_rw));
	td_load_segment(&d, EA_A, VSID_A, 0, TD_STE_USER);
	ctx.sr |= CXL_PSL_SR_An_TC;
	ASSERT_EQ(PSL_XLATE_PAGE, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(1 + 3, c.pteg_fetches);	/* table page; primary only, for 3 sizes */
	ctx.sr &= ~CXL_PSL_SR_An_TC;
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_READ));
	PASS();
}

TEST page_64k(void)
{
	u64 ea = EA_A + 0xABCD;	/* inside the 64 KB page at EA_A & ~0xFFFF */

	/* A 64 KB base segment with 64 KB pages, LP 0001. */
	td_load_segment(&d, ea, VSID_A, 0, TD_STE_USER | td_sllp(TD_SZ_64K));
	ASSERT(td_hpte_insert(&d, VSID_A, ea, 0, TD_SZ_64K, TD_SZ_64K,
			      mem_ra(pool) + 0x30000, &td_rw));
	ASSERT_EQ(PSL_XLATE_OK, xl(ea, PSL_XLATE_READ));
	ASSERT_EQ(mem_ra(pool) + 0x30000 + (ea & 0xFFFF), ra);
	/* Another EA in the same 64 KB page hits the TLB. */
	ASSERT_EQ(PSL_XLATE_OK, xl(ea ^ 0x8000, PSL_XLATE_READ));
	ASSERT_EQ(mem_ra(pool) + 0x30000 + ((ea ^ 0x8000) & 0xFFFF), ra);
	ASSERT_EQ(1, c.tlb_hits);
	PASS();
}

TEST page_64k_in_4k_segment(void)
{
	u64 ea = EA_B + 0x7654;

	/* Mixed page size: 4 KB base, 64 KB actual, LP 0111; found on the second size. */
	td_load_segment(&d, ea, VSID_B, 0, TD_STE_USER);
	ASSERT(td_hpte_insert(&d, VSID_B, ea, 0, TD_SZ_4K, TD_SZ_64K,
			      mem_ra(pool) + 0x50000, &td_rw));
	ASSERT_EQ(PSL_XLATE_OK, xl(ea, PSL_XLATE_READ));
	ASSERT_EQ(mem_ra(pool) + 0x50000 + (ea & 0xFFFF), ra);
	/* The table's page; 4 KB primary and secondary, then 64 KB primary. */
	ASSERT_EQ(1 + 3, c.pteg_fetches);
	PASS();
}

TEST lp_must_match_the_segment_base(void)
{
	u64 ea = EA_A + 0x1000;

	/* A 64 KB/64 KB HPTE (LP 0001) does not serve a 4 KB base segment. */
	td_load_segment(&d, ea, VSID_A, 0, TD_STE_USER);
	ASSERT(td_hpte_insert(&d, VSID_A, ea, 0, TD_SZ_64K, TD_SZ_64K,
			      mem_ra(pool) + 0x30000, &td_rw));
	ASSERT_EQ(PSL_XLATE_PAGE, xl(ea, PSL_XLATE_READ));
	PASS();
}

TEST page_16m_and_thp(void)
{
	u8 *big = aligned_alloc(1 << 24, 1 << 24);
	u64 ea16 = EA_A + 0x00ABCDE0, ea_thp = EA_B + 0x01234567;

	ASSERT(big);
	ASSERT_EQ(0, mem_add(&d.mem, mem_ra(big), 1 << 24, "16M", true));
	/* 16 MB base segment and page. */
	td_load_segment(&d, ea16, VSID_A, 0, TD_STE_USER | td_sllp(TD_SZ_16M));
	ASSERT(td_hpte_insert(&d, VSID_A, ea16, 0, TD_SZ_16M, TD_SZ_16M, mem_ra(big), &td_rw));
	ASSERT_EQ(PSL_XLATE_OK, xl(ea16, PSL_XLATE_WRITE));
	ASSERT_EQ(mem_ra(big) + (ea16 & 0xFFFFFF), ra);
	ASSERT_EQ(1 + 1, c.pteg_fetches);	/* the table's page, the data page */
	/* Transparent huge page: 64 KB base, 16 MB actual, LP 00001000. */
	td_load_segment(&d, ea_thp, VSID_B, 0, TD_STE_USER | td_sllp(TD_SZ_64K));
	ASSERT(td_hpte_insert(&d, VSID_B, ea_thp, 0, TD_SZ_64K, TD_SZ_16M, mem_ra(big), &td_rw));
	ASSERT_EQ(PSL_XLATE_OK, xl(ea_thp, PSL_XLATE_READ));
	ASSERT_EQ(mem_ra(big) + (ea_thp & 0xFFFFFF), ra);
	ASSERT_EQ(PSL_XLATE_OK, xl(ea_thp | 0xFFFFFF, PSL_XLATE_READ));
	ASSERT_EQ(1, c.tlb_hits);
	mem_remove(&d.mem, mem_ra(big));
	free(big);
	PASS();
}

TEST segment_1t(void)
{
	td_load_segment(&d, EA_1T, VSID_1T, 1, TD_STE_USER);
	ASSERT(td_hpte_insert(&d, VSID_1T, EA_1T, 1, TD_SZ_4K, TD_SZ_4K,
			      mem_ra(pool) + 0x7000, &td_rw));
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_1T + 0x44, PSL_XLATE_READ));
	ASSERT_EQ(mem_ra(pool) + 0x7044, ra);
	ASSERT_EQ(2, c.ste_fetches);	/* no 256 MB entry, then the 1 TB group */
	/* The whole terabyte is one segment: another EA needs no STE fetch. */
	ASSERT_EQ(PSL_XLATE_PAGE, xl(EA_1T + 0x80000000ULL, PSL_XLATE_READ));
	ASSERT_EQ(1, c.slb_hits);
	ASSERT_EQ(0, c.ste_fetches);
	PASS();
}

TEST page_16g_in_1t_segment(void)
{
	/* A 16 GB page at an unbacked, registered RA: nothing reads it. */
	u64 big = 0x0000400000000000ULL;

	ASSERT_EQ(0, mem_add(&d.mem, big, 1ULL << 34, "16G", true));
	td_load_segment(&d, EA_1T, VSID_1T, 1, TD_STE_USER | td_sllp(TD_SZ_16G));
	ASSERT(td_hpte_insert(&d, VSID_1T, EA_1T, 1, TD_SZ_16G, TD_SZ_16G, big, &td_rw));
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_1T, PSL_XLATE_READ));
	ASSERT_EQ(big + (EA_1T & ((1ULL << 34) - 1)), ra);
	PASS();
}

TEST segment_256m_entry_wins_over_1t(void)
{
	td_load_segment(&d, EA_A, VSID_1T, 1, TD_STE_USER);
	td_load_segment(&d, EA_A, VSID_A, 0, TD_STE_USER);
	ASSERT(map4k(EA_A, VSID_A, 9, &td_rw));
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(pool_ra(9, EA_A, 12), ra);
	PASS();
}

TEST slb_prefers_256m_entry(void)
{
	u64 other = EA_A + (1ULL << 28);	/* same terabyte, another 256 MB */

	/* Cache X in slot 0 and EA_A's 256 MB segment in slot 1; free slot 0. */
	td_load_segment(&d, EA_B + (4ULL << 40), VSID_B, 0, TD_STE_USER);
	td_load_segment(&d, EA_A, VSID_A, 0, TD_STE_USER);
	ASSERT(map4k(EA_A, VSID_A, 9, &td_rw));
	ASSERT_EQ(PSL_XLATE_PAGE, xl(EA_B + (4ULL << 40), PSL_XLATE_READ));
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(1, psl_xlate_slbie(&x, 0, 0, EA_B + (4ULL << 40), PSL_SEG_256M));
	/* A 1 TB entry covering both now lands in slot 0. */
	td_load_segment(&d, EA_A, VSID_1T, 1, TD_STE_USER);
	ASSERT_EQ(PSL_XLATE_PAGE, xl(other, PSL_XLATE_READ));
	/* Both cached entries cover EA_A: the 256 MB one translates. */
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(1, c.slb_hits);
	ASSERT_EQ(pool_ra(9, EA_A, 12), ra);
	PASS();
}

/* ---- Protection ---- */

TEST store_to_read_only_page(void)
{
	struct td_pte ro = td_rw;

	ro.pp = 3;	/* user read-only, or writable but clean */
	td_load_segment(&d, EA_A, VSID_A, 0, TD_STE_USER);
	ASSERT(map4k(EA_A, VSID_A, 1, &ro));
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(PSL_XLATE_PROT, xl(EA_A, PSL_XLATE_WRITE));
	ASSERT_EQ(0x400000000A000000ULL, f.dsisr);	/* DM | P | S */
	ASSERT_EQ(EA_A, f.dar);
	PASS();
}

TEST kernel_page_refused_to_user(void)
{
	struct td_pte kern = td_rw;

	kern.pp = 0;
	td_load_segment(&d, EA_A, VSID_A, 0, TD_STE_USER);
	ASSERT(map4k(EA_A, VSID_A, 1, &kern));
	/* PR = 1 selects Kp = 1: PP 000 grants nothing. */
	ASSERT_EQ(PSL_XLATE_PROT, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(CXL_PSL_DSISR_An_DM | CXL_PSL_DSISR_An_P, f.dsisr);
	/* A kernel context (PR = 0, Ks = 0 in a kernel segment) may write it. */
	ctx.sr = 0x9000000000000011ULL;
	psl_xlate_slbia(&x, 0, 0);
	memset(d.stab, 0, d.stab_bytes);
	td_load_segment(&d, EA_A, VSID_A, 0, TD_STE_KERNEL);
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_WRITE));
	PASS();
}

TEST key_fault_with_amr(void)
{
	struct td_pte k = td_rw;

	k.key = 5;
	td_load_segment(&d, EA_A, VSID_A, 0, TD_STE_USER);
	ASSERT(map4k(EA_A, VSID_A, 1, &k));
	/* AMR bit 2k forbids stores, 2k + 1 loads. */
	ctx.amr = IBM_BIT(10);
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(PSL_XLATE_PROT, xl(EA_A, PSL_XLATE_WRITE));
	ASSERT_EQ(0x4000000002200000ULL, f.dsisr);	/* DM | K | S */
	ctx.amr = IBM_BIT(11);
	ASSERT_EQ(PSL_XLATE_PROT, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(CXL_PSL_DSISR_An_DM | CXL_PSL_DSISR_An_K, f.dsisr);
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_WRITE));
	/* Another key's bits do not matter. */
	ctx.amr = IBM_BIT(8) | IBM_BIT(9);
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_READ));
	PASS();
}

TEST no_execute_does_not_apply_to_data(void)
{
	struct td_pte nx = td_rw;

	nx.n = true;
	td_load_segment(&d, EA_A, VSID_A, 0, TD_STE_USER | PSL_STE_N);
	ASSERT(map4k(EA_A, VSID_A, 1, &nx));
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_WRITE));
	PASS();
}

TEST lock_to_cache_inhibited_page(void)
{
	struct td_pte ci = td_rw;

	ci.wimg = 0x6;	/* I and M */
	td_load_segment(&d, EA_A, VSID_A, 0, TD_STE_USER);
	ASSERT(map4k(EA_A, VSID_A, 1, &ci));
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_WRITE));
	ASSERT_EQ(PSL_XLATE_PROT, xl(EA_A, PSL_XLATE_WRITE | PSL_XLATE_LOCK));
	ASSERT_EQ(CXL_PSL_DSISR_An_DM | CXL_PSL_DSISR_An_A | CXL_PSL_DSISR_An_S, f.dsisr);
	PASS();
}

TEST refused_access_keeps_no_entry(void)
{
	struct td_pte ro = td_rw;
	u64 *h;

	ro.pp = 3;
	td_load_segment(&d, EA_A, VSID_A, 0, TD_STE_USER);
	h = map4k(EA_A, VSID_A, 1, &ro);
	ASSERT_EQ(PSL_XLATE_PROT, xl(EA_A, PSL_XLATE_WRITE));
	/* The kernel makes the page writable; the restart walks again. */
	td_hpte_set_r(h, (td_hpte_r(h) & ~PSL_HPTE_R_PP) | 2);
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_WRITE));
	ASSERT_EQ(1, c.tlb_misses);
	PASS();
}

/* ---- R and C ---- */

TEST rc_bits_written_once(void)
{
	struct td_pte clean = td_rw;
	u64 *h;

	clean.r = false;
	clean.c = false;
	td_load_segment(&d, EA_A, VSID_A, 0, TD_STE_USER);
	h = map4k(EA_A, VSID_A, 1, &clean);
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(PSL_HPTE_R_R, td_hpte_r(h) & (PSL_HPTE_R_R | PSL_HPTE_R_C));
	ASSERT_EQ(1, c.rc_writes);
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(0, c.rc_writes);
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_WRITE));
	ASSERT_EQ(PSL_HPTE_R_R | PSL_HPTE_R_C, td_hpte_r(h) & (PSL_HPTE_R_R | PSL_HPTE_R_C));
	ASSERT_EQ(1, c.rc_writes);
	ASSERT_EQ(1, c.tlb_hits);
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_WRITE));
	ASSERT_EQ(0, c.rc_writes);
	/* The rest of dword 1 is untouched. */
	ASSERT_EQ(mem_ra(pool) + 4096, td_hpte_r(h) & PSL_HPTE_R_RPN);
	ASSERT_EQ(2, td_hpte_r(h) & PSL_HPTE_R_PP);
	PASS();
}

TEST rc_update_off_writes_nothing(void)
{
	struct psl_xlate_params p;
	struct td_pte clean = td_rw;
	u64 *h;

	psl_xlate_exit(&x);
	psl_xlate_params_defaults(&p);
	p.rc_update = false;
	ASSERT_EQ(0, psl_xlate_init(&x, &d.mem, &p));
	clean.r = false;
	clean.c = false;
	td_load_segment(&d, EA_A, VSID_A, 0, TD_STE_USER);
	h = map4k(EA_A, VSID_A, 1, &clean);
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_WRITE));
	ASSERT_EQ(0, td_hpte_r(h) & (PSL_HPTE_R_R | PSL_HPTE_R_C));
	ASSERT_EQ(0, c.rc_writes);
	PASS();
}

/* ---- Bad real addresses and the segment table's own translation ---- */

TEST bad_ra_for_hpt(void)
{
	td_load_segment(&d, EA_A, VSID_A, 0, TD_STE_USER);
	ASSERT_EQ(PSL_XLATE_PAGE, xl(EA_A, PSL_XLATE_READ));
	/* An HPT origin nothing backs. */
	ctx.sdr1 = 0x0000000100000000ULL;
	ASSERT_EQ(PSL_XLATE_BAD_RA, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(CXL_PSL_DSISR_An_PE, f.dsisr);
	ASSERT_EQ(EA_A, f.dar);
	ASSERT_EQ(0x0000000100000000ULL + td_hash(VSID_A, EA_A, 0, 12) % 2048 * 128, f.bad_ra);
	PASS();
}

TEST bad_ra_for_segment_table(void)
{
	u64 r = td_hpte_r(d.stab_hpte);

	/* The table's bolted HPTE names a page nothing backs. */
	td_hpte_set_r(d.stab_hpte, (r & ~PSL_HPTE_R_RPN) | 0x0000000200000000ULL);
	ASSERT_EQ(PSL_XLATE_BAD_RA, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(CXL_PSL_DSISR_An_PE, f.dsisr);
	ASSERT_EQ(0x0000000200000000ULL, f.bad_ra & ~0xFFFFFFULL);
	PASS();
}

TEST bad_ra_for_data_page(void)
{
	struct td_pte a = td_rw;

	td_load_segment(&d, EA_A, VSID_A, 0, TD_STE_USER);
	ASSERT(td_hpte_insert(&d, VSID_A, EA_A, 0, TD_SZ_4K, TD_SZ_4K, 0x0000000300000000ULL, &a));
	ASSERT_EQ(PSL_XLATE_BAD_RA, xl(EA_A + 4, PSL_XLATE_READ));
	ASSERT_EQ(0x0000000300000004ULL, f.bad_ra);
	PASS();
}

TEST no_hpte_for_segment_table(void)
{
	td_hpte_remove(d.stab_hpte);
	ASSERT_EQ(PSL_XLATE_STAB, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(CXL_PSL_DSISR_An_ST | CXL_PSL_DSISR_An_M, f.dsisr);
	PASS();
}

TEST table_pointer_invalid_is_segment_miss(void)
{
	td_load_segment(&d, EA_A, VSID_A, 0, TD_STE_USER);
	ctx.sstp1 &= ~CXL_SSTP1_An_V;
	ASSERT_EQ(PSL_XLATE_SEGMENT, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(0, c.ste_fetches);
	PASS();
}

TEST real_mode_and_32bit(void)
{
	/* SR[R] = 0: the EA is the RA. */
	ctx.sr &= ~CXL_PSL_SR_An_R;
	ASSERT_EQ(PSL_XLATE_OK, xl(mem_ra(pool) + 40, PSL_XLATE_READ));
	ASSERT_EQ(mem_ra(pool) + 40, ra);
	ASSERT_EQ(PSL_XLATE_BAD_RA, xl(8, PSL_XLATE_READ));
	/* SR[SF] = 0: the high word is ignored. */
	ctx.sr = TD_SR_USER & ~CXL_PSL_SR_An_SF;
	td_load_segment(&d, 0x20003000, VSID_A, 0, TD_STE_USER);
	ASSERT(map4k(0x20003000, VSID_A, 2, &td_rw));
	ASSERT_EQ(PSL_XLATE_OK, xl(0xFFFF000020003010ULL, PSL_XLATE_READ));
	ASSERT_EQ(pool_ra(2, 0x10, 12), ra);
	PASS();
}

/* ---- Caches ---- */

TEST hits_after_first_walk(void)
{
	u64 ste, pteg;
	unsigned int i;

	td_load_segment(&d, EA_A, VSID_A, 0, TD_STE_USER);
	ASSERT(map4k(EA_A, VSID_A, 1, &td_rw));
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(1, c.slb_misses);
	ASSERT_EQ(2, c.tlb_misses);	/* the table's page and the data page */
	ASSERT(c.ste_fetches && c.pteg_fetches);
	ste = x.stats.cost.ste_fetches;
	pteg = x.stats.cost.pteg_fetches;
	for (i = 0; i < 10; i++) {
		ASSERT_EQ(PSL_XLATE_OK, xl(EA_A + i * 8, PSL_XLATE_WRITE));
		ASSERT_EQ(pool_ra(1, EA_A + i * 8, 12), ra);
		ASSERT_EQ(1, c.slb_hits);
		ASSERT_EQ(1, c.tlb_hits);
		ASSERT_EQ(0, c.ste_fetches + c.pteg_fetches + c.slb_misses + c.tlb_misses);
	}
	ASSERT_EQ(ste, x.stats.cost.ste_fetches);
	ASSERT_EQ(pteg, x.stats.cost.pteg_fetches);
	ASSERT_EQ(11, x.stats.translations);
	PASS();
}

TEST table_page_translation_cached(void)
{
	/* The second segment miss reaches the table through the TLB. */
	ASSERT_EQ(PSL_XLATE_SEGMENT, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(1, c.tlb_misses);
	ASSERT_EQ(1, c.tlb_hits);	/* the 1 TB group is in the same table page */
	ASSERT_EQ(PSL_XLATE_SEGMENT, xl(EA_B, PSL_XLATE_READ));
	ASSERT_EQ(2, c.tlb_hits);
	ASSERT_EQ(0, c.pteg_fetches);
	PASS();
}

TEST slb_lru_replacement(void)
{
	struct psl_xlate_params p;
	unsigned int i;

	psl_xlate_exit(&x);
	psl_xlate_params_defaults(&p);
	p.slb_entries = 2;
	ASSERT_EQ(0, psl_xlate_init(&x, &d.mem, &p));
	for (i = 0; i < 3; i++)
		td_load_segment(&d, (u64)i << 28, VSID_A + i, 0, TD_STE_USER);
	ASSERT_EQ(PSL_XLATE_PAGE, xl(0, PSL_XLATE_READ));
	ASSERT_EQ(PSL_XLATE_PAGE, xl(1ULL << 28, PSL_XLATE_READ));
	ASSERT_EQ(PSL_XLATE_PAGE, xl(0, PSL_XLATE_READ));	/* segment 0 most recent */
	ASSERT_EQ(1, c.slb_hits);
	ASSERT_EQ(PSL_XLATE_PAGE, xl(2ULL << 28, PSL_XLATE_READ));	/* evicts segment 1 */
	ASSERT_EQ(PSL_XLATE_PAGE, xl(0, PSL_XLATE_READ));
	ASSERT_EQ(1, c.slb_hits);
	ASSERT_EQ(PSL_XLATE_PAGE, xl(1ULL << 28, PSL_XLATE_READ));
	ASSERT_EQ(1, c.slb_misses);
	PASS();
}

TEST bad_geometry_refused(void)
{
	struct psl_xlate_params p;
	struct psl_xlate y;

	psl_xlate_params_defaults(&p);
	p.tlb_sets = 48;
	ASSERT_EQ(-EINVAL, psl_xlate_init(&y, &d.mem, &p));
	psl_xlate_params_defaults(&p);
	p.slb_entries = 0;
	ASSERT_EQ(-EINVAL, psl_xlate_init(&y, &d.mem, &p));
	PASS();
}

/* ---- Invalidations: stale without, fresh with, and nothing more ---- */

TEST tlbie_drops_exactly_one_page(void)
{
	u64 *h;

	td_load_segment(&d, EA_A, VSID_A, 0, TD_STE_USER);
	h = map4k(EA_A, VSID_A, 1, &td_rw);
	ASSERT(map4k(EA_A + 0x1000, VSID_A, 2, &td_rw));
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A + 0x1000, PSL_XLATE_READ));

	/* The kernel moves the page: new RPN in memory, no tlbie yet. */
	td_hpte_set_r(h, (td_hpte_r(h) & ~PSL_HPTE_R_RPN) | (mem_ra(pool) + 7 * 4096));
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A + 0x10, PSL_XLATE_READ));
	ASSERT_EQ(pool_ra(1, 0x10, 12), ra);	/* the cached translation is used */

	/* A tlbie of the wrong page size or LPID removes nothing. */
	ASSERT_EQ(0, psl_xlate_tlbie(&x, 0, td_vpn(VSID_A, EA_A, 0), PSL_SEG_256M, 12, 16));
	ASSERT_EQ(0, psl_xlate_tlbie(&x, 7, td_vpn(VSID_A, EA_A, 0), PSL_SEG_256M, 12, 12));
	ASSERT_EQ(0, psl_xlate_tlbie(&x, 0, td_vpn(VSID_A, EA_A, 0), PSL_SEG_1T, 12, 12));
	ASSERT_EQ(1, psl_xlate_tlbie(&x, 0, td_vpn(VSID_A, EA_A + 0x800, 0), PSL_SEG_256M, 12, 12));
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A + 0x10, PSL_XLATE_READ));
	ASSERT_EQ(pool_ra(7, 0x10, 12), ra);
	ASSERT_EQ(1, c.tlb_misses);
	/* The neighbour page is still cached, and so is the segment. */
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A + 0x1000, PSL_XLATE_READ));
	ASSERT_EQ(1, c.tlb_hits);
	ASSERT_EQ(1, c.slb_hits);
	PASS();
}

TEST tlbie_notification_after_unmap(void)
{
	u64 *h;

	/* The shim removes an HPTE (munmap) and forwards the tlbie. */
	td_load_segment(&d, EA_1T, VSID_1T, 1, TD_STE_USER);
	h = td_hpte_insert(&d, VSID_1T, EA_1T, 1, TD_SZ_4K, TD_SZ_4K, mem_ra(pool), &td_rw);
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_1T, PSL_XLATE_READ));
	td_hpte_remove(h);
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_1T, PSL_XLATE_READ));	/* stale until told */
	ASSERT_EQ(1, psl_xlate_tlbie(&x, 0, td_vpn(VSID_1T, EA_1T, 1), PSL_SEG_1T, 12, 12));
	ASSERT_EQ(PSL_XLATE_PAGE, xl(EA_1T, PSL_XLATE_READ));
	PASS();
}

TEST tlbie_16m_page_any_vpn_inside(void)
{
	u8 *big = aligned_alloc(1 << 24, 1 << 24);
	u64 ea = EA_A & ~0xFFFFFFULL;

	ASSERT(big);
	ASSERT_EQ(0, mem_add(&d.mem, mem_ra(big), 1 << 24, "16M", true));
	td_load_segment(&d, ea, VSID_A, 0, TD_STE_USER | td_sllp(TD_SZ_16M));
	ASSERT(td_hpte_insert(&d, VSID_A, ea, 0, TD_SZ_16M, TD_SZ_16M, mem_ra(big), &td_rw));
	ASSERT_EQ(PSL_XLATE_OK, xl(ea + 0x123456, PSL_XLATE_READ));
	ASSERT_EQ(1, psl_xlate_tlbie(&x, 0, td_vpn(VSID_A, ea + 0xFFF000, 0), PSL_SEG_256M,
				     24, 24));
	ASSERT_EQ(PSL_XLATE_OK, xl(ea + 0x123456, PSL_XLATE_READ));
	ASSERT_EQ(1, c.tlb_misses);
	mem_remove(&d.mem, mem_ra(big));
	free(big);
	PASS();
}

TEST tlbia_by_lpid(void)
{
	struct psl_xlate_ctx other;
	u64 *h;

	td_ctx(&d, &other, 2, 5, 2000, TD_SR_USER);
	td_load_segment(&d, EA_A, VSID_A, 0, TD_STE_USER);
	h = map4k(EA_A, VSID_A, 1, &td_rw);
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(PSL_XLATE_OK, psl_xlate(&x, &other, EA_A, PSL_XLATE_READ, &ra, &f, NULL));
	td_hpte_set_r(h, (td_hpte_r(h) & ~PSL_HPTE_R_RPN) | (mem_ra(pool) + 6 * 4096));

	/* LPID 5 goes: context 1 (LPID 0) still sees the old page. */
	ASSERT(psl_xlate_tlbia(&x, CXL_TLB_SLB_IQ_LPID, 5) >= 1);
	ASSERT_EQ(PSL_XLATE_OK, psl_xlate(&x, &other, EA_A, PSL_XLATE_READ, &ra, &f, NULL));
	ASSERT_EQ(pool_ra(6, 0, 12), ra);
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(pool_ra(1, 0, 12), ra);
	ASSERT_EQ(1, c.tlb_hits);
	/* TLBIA all. */
	ASSERT(psl_xlate_tlbia(&x, CXL_TLB_SLB_IQ_ALL, 0) >= 2);
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(pool_ra(6, 0, 12), ra);
	/* TLBIA leaves the SLB alone. */
	ASSERT_EQ(1, c.slb_hits);
	PASS();
}

TEST slbia_after_table_flush(void)
{
	/* The driver zeroes the table and reloads the segment elsewhere. */
	td_load_segment(&d, EA_A, VSID_A, 0, TD_STE_USER);
	ASSERT(map4k(EA_A, VSID_A, 1, &td_rw));
	ASSERT(map4k(EA_A, VSID_B, 4, &td_rw));
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_READ));
	memset(d.stab, 0, d.stab_bytes);
	td_load_segment(&d, EA_A, VSID_B, 0, TD_STE_USER);
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(pool_ra(1, 0, 12), ra);	/* cached segment */
	/* CXL_SLBIA_An: everything on the slice. */
	ASSERT_EQ(1, psl_xlate_slbia(&x, CXL_TLB_SLB_IQ_ALL, 0));
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(pool_ra(4, 0, 12), ra);
	ASSERT_EQ(1, c.slb_misses);
	PASS();
}

TEST slbia_by_pid_after_remove(void)
{
	struct psl_xlate_ctx other;

	/* Two process elements of one LPID; PE 2 is removed. */
	td_ctx(&d, &other, 2, 0, 2000, TD_SR_USER);
	td_load_segment(&d, EA_A, VSID_A, 0, TD_STE_USER);
	td_load_segment(&d, EA_B, VSID_B, 0, TD_STE_USER);
	ASSERT_EQ(PSL_XLATE_PAGE, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(PSL_XLATE_PAGE, xl(EA_B, PSL_XLATE_READ));
	ASSERT_EQ(PSL_XLATE_PAGE, psl_xlate(&x, &other, EA_A, PSL_XLATE_READ, &ra, &f, NULL));

	/* LBISEL = PID << 32 | LPID, IQ 3: only PID 2000's entry. */
	ASSERT_EQ(0, psl_xlate_slbia(&x, CXL_TLB_SLB_IQ_LPIDPID, (2001ULL << 32) | 0));
	ASSERT_EQ(0, psl_xlate_slbia(&x, CXL_TLB_SLB_IQ_LPIDPID, (2000ULL << 32) | 1));
	ASSERT_EQ(1, psl_xlate_slbia(&x, CXL_TLB_SLB_IQ_LPIDPID, (2000ULL << 32) | 0));
	ASSERT_EQ(PSL_XLATE_PAGE, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(1, c.slb_hits);
	ASSERT_EQ(PSL_XLATE_PAGE, xl(EA_B, PSL_XLATE_READ));
	ASSERT_EQ(1, c.slb_hits);
	c = (struct psl_xlate_cost){ 0 };
	ASSERT_EQ(PSL_XLATE_PAGE, psl_xlate(&x, &other, EA_A, PSL_XLATE_READ, &ra, &f, &c));
	ASSERT_EQ(1, c.slb_misses);
	/* IQ 1: the LPID only; a different LPID keeps its entries. */
	ASSERT_EQ(0, psl_xlate_slbia(&x, CXL_TLB_SLB_IQ_LPID, 3));
	ASSERT_EQ(3, psl_xlate_slbia(&x, CXL_TLB_SLB_IQ_LPID, 0));
	PASS();
}

TEST slbie_drops_one_segment(void)
{
	td_load_segment(&d, EA_A, VSID_A, 0, TD_STE_USER);
	td_load_segment(&d, EA_B, VSID_B, 0, TD_STE_USER);
	td_load_segment(&d, EA_1T, VSID_1T, 1, TD_STE_USER);
	ASSERT(map4k(EA_A, VSID_A, 1, &td_rw));
	ASSERT(map4k(EA_A, VSID_B, 2, &td_rw));
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(PSL_XLATE_PAGE, xl(EA_B, PSL_XLATE_READ));
	ASSERT_EQ(PSL_XLATE_PAGE, xl(EA_1T, PSL_XLATE_READ));
	/* Retarget segment A in the table; only SLBIE of A makes it visible. */
	td_load_segment(&d, EA_A, VSID_A, 0, TD_STE_USER)[1] =
		htobe64((VSID_B << PSL_STE_VSID_SHIFT_256M) | TD_STE_USER);
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(pool_ra(1, 0, 12), ra);
	ASSERT_EQ(0, psl_xlate_slbie(&x, 0, 0, EA_A, PSL_SEG_1T));	/* wrong size */
	ASSERT_EQ(1, psl_xlate_slbie(&x, 0, 0, EA_A | 0x0FFFFFFF, PSL_SEG_256M));
	ASSERT_EQ(PSL_XLATE_OK, xl(EA_A, PSL_XLATE_READ));
	ASSERT_EQ(pool_ra(2, 0, 12), ra);
	ASSERT_EQ(1, c.slb_misses);
	ASSERT_EQ(PSL_XLATE_PAGE, xl(EA_B, PSL_XLATE_READ));
	ASSERT_EQ(1, c.slb_hits);
	ASSERT_EQ(PSL_XLATE_PAGE, xl(EA_1T, PSL_XLATE_READ));
	ASSERT_EQ(1, c.slb_hits);
	ASSERT_EQ(1, psl_xlate_slbie(&x, 0, 0, EA_1T + 0x12345678, PSL_SEG_1T));
	PASS();
}

TEST ste_cast_out_without_invalidation(void)
{
	unsigned int i;

	/*
	 * Nine segments in one group: the driver overwrites slot 0 without an
	 * SLBIA.  The cached copy stays usable (it is still a right
	 * translation); the table no longer has it.
	 */
	for (i = 0; i < 8; i++)
		td_load_segment(&d, (u64)i << 33, VSID_A + i, 0, TD_STE_USER);
	ASSERT_EQ(PSL_XLATE_PAGE, xl(0, PSL_XLATE_READ));
	td_load_segment(&d, 8ULL << 33, VSID_A + 8, 0, TD_STE_USER);
	ASSERT_EQ(PSL_XLATE_PAGE, xl(0, PSL_XLATE_READ));
	ASSERT_EQ(1, c.slb_hits);
	ASSERT_EQ(PSL_XLATE_PAGE, xl(8ULL << 33, PSL_XLATE_READ));
	psl_xlate_slbia(&x, CXL_TLB_SLB_IQ_ALL, 0);
	ASSERT_EQ(PSL_XLATE_SEGMENT, xl(0, PSL_XLATE_READ));
	PASS();
}

/* ---- Robustness ---- */

static bool in_memory(u64 a)
{
	return mem_find(&d.mem, a, 1) != NULL;
}

/*
 * Garbage in the table and the HPT, garbage EAs and registers: each
 * result is an RA in registered memory or a fault with its DSISR and DAR.
 * Structured mappings are laid first and corrupted bit by bit, so both
 * outcomes occur; then the whole of both tables is random.
 */
TEST random_garbage(void)
{
	static const unsigned int dsisr_of[] = {
		[PSL_XLATE_SEGMENT] = 0, [PSL_XLATE_PAGE] = 1, [PSL_XLATE_PROT] = 1,
		[PSL_XLATE_STAB] = 2, [PSL_XLATE_BAD_RA] = 4,
	};
	unsigned long n_ok = 0, n_fault = 0, i;
	u8 *clean_stab = malloc(d.stab_bytes), *clean_hpt = malloc(d.hpt_bytes);
	u64 mapped[64];
	struct rng r;
	unsigned int s;

	rng_init(&r, 8, "xlate-garbage");
	for (s = 0; s < ARRAY_SIZE(mapped); s++) {
		u64 ea = (rng_below(&r, 16) << 28) | (rng_below(&r, 4096) << 12);
		struct td_pte a = td_rw;

		mapped[s] = ea;

		a.pp = rng_below(&r, 8);
		a.key = rng_below(&r, 32);
		a.r = rng_chance(&r, 0.5);
		td_load_segment(&d, ea, VSID_A + (ea >> 28), 0, TD_STE_USER);
		td_hpte_insert(&d, VSID_A + (ea >> 28), ea, 0, 12, 12,
			       mem_ra(pool) + rng_below(&r, POOL_BYTES / 4096) * 4096, &a);
	}
	ASSERT(clean_stab && clean_hpt);
	memcpy(clean_stab, d.stab, d.stab_bytes);
	memcpy(clean_hpt, d.hpt, d.hpt_bytes);
	for (i = 0; i < 200000; i++) {
		unsigned int access = rng_below(&r, 4);
		u64 ea, pick = rng_below(&r, 1000);
		struct psl_xlate_ctx saved = ctx;
		enum psl_xlate_status st;

		if (i < 150000 && i % 10000 == 0) {	/* corruption starts afresh */
			memcpy(d.stab, clean_stab, d.stab_bytes);
			memcpy(d.hpt, clean_hpt, d.hpt_bytes);
		} else if (i == 150000) {	/* the rest: both tables entirely random */
			rng_fill(&r, d.stab, d.stab_bytes);
			rng_fill(&r, d.hpt, d.hpt_bytes);
		}
		if (pick < 2)
			d.stab[rng_below(&r, d.stab_bytes)] ^= 1 << rng_below(&r, 8);
		else if (pick < 40)
			d.hpt[rng_below(&r, d.hpt_bytes)] = rng_next(&r);
		if (pick < 10)
			psl_xlate_slbia(&x, 0, 0);
		else if (pick < 20)
			psl_xlate_tlbia(&x, 0, 0);
		if (pick >= 990) {	/* garbage registers for this one */
			ctx.sstp0 = rng_next(&r);
			ctx.sstp1 = rng_next(&r) | (pick & 1);
			ctx.sdr1 = rng_next(&r);
			ctx.amr = rng_next(&r);
		}
		if (rng_chance(&r, 0.6))
			ea = mapped[rng_below(&r, ARRAY_SIZE(mapped))] | rng_below(&r, 4096);
		else if (rng_chance(&r, 0.5))
			ea = (rng_below(&r, 16) << 28) | rng_below(&r, 1 << 24);
		else
			ea = rng_next(&r);
		ra = 0;
		memset(&f, 0, sizeof(f));
		st = psl_xlate(&x, &ctx, ea, access, &ra, &f, NULL);
		ctx = saved;
		if (st == PSL_XLATE_OK) {
			ASSERT(in_memory(ra));
			n_ok++;
			continue;
		}
		ASSERT(st <= PSL_XLATE_BAD_RA);
		ASSERT(f.dsisr & (IBM_BIT(0) >> dsisr_of[st]));
		ASSERT_EQ(ea, f.dar);
		if (st == PSL_XLATE_BAD_RA)
			ASSERT_FALSE(in_memory(f.bad_ra));
		n_fault++;
	}
	free(clean_stab);
	free(clean_hpt);
	printf("random_garbage: %lu translated, %lu faults\n", n_ok, n_fault);
	ASSERT(n_ok > 5000);
	ASSERT(n_fault > 1000);
	ASSERT_EQ(200000, x.stats.translations);
	PASS();
}

SUITE(xlate_flow)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(hash_follows_reference);
	RUN_TEST(segment_miss_page_miss_then_success);
	RUN_TEST(read_miss_has_no_store_bit);
	RUN_TEST(secondary_pteg_hit);
	RUN_TEST(secondary_search_off_with_tc);
	RUN_TEST(page_64k);
	RUN_TEST(page_64k_in_4k_segment);
	RUN_TEST(lp_must_match_the_segment_base);
	RUN_TEST(page_16m_and_thp);
	RUN_TEST(segment_1t);
	RUN_TEST(page_16g_in_1t_segment);
	RUN_TEST(segment_256m_entry_wins_over_1t);
	RUN_TEST(slb_prefers_256m_entry);
}

SUITE(xlate_protection)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(store_to_read_only_page);
	RUN_TEST(kernel_page_refused_to_user);
	RUN_TEST(key_fault_with_amr);
	RUN_TEST(no_execute_does_not_apply_to_data);
	RUN_TEST(lock_to_cache_inhibited_page);
	RUN_TEST(refused_access_keeps_no_entry);
	RUN_TEST(rc_bits_written_once);
	RUN_TEST(rc_update_off_writes_nothing);
}

SUITE(xlate_errors)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(bad_ra_for_hpt);
	RUN_TEST(bad_ra_for_segment_table);
	RUN_TEST(bad_ra_for_data_page);
	RUN_TEST(no_hpte_for_segment_table);
	RUN_TEST(table_pointer_invalid_is_segment_miss);
	RUN_TEST(real_mode_and_32bit);
	RUN_TEST(bad_geometry_refused);
	RUN_TEST(random_garbage);
}

SUITE(xlate_caches)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(hits_after_first_walk);
	RUN_TEST(table_page_translation_cached);
	RUN_TEST(slb_lru_replacement);
	RUN_TEST(tlbie_drops_exactly_one_page);
	RUN_TEST(tlbie_notification_after_unmap);
	RUN_TEST(tlbie_16m_page_any_vpn_inside);
	RUN_TEST(tlbia_by_lpid);
	RUN_TEST(slbia_after_table_flush);
	RUN_TEST(slbia_by_pid_after_remove);
	RUN_TEST(slbie_drops_one_segment);
	RUN_TEST(ste_cast_out_without_invalidation);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	RUN_SUITE(xlate_flow);
	RUN_SUITE(xlate_protection);
	RUN_SUITE(xlate_errors);
	RUN_SUITE(xlate_caches);
	HARNESS_MAIN_END();
}
