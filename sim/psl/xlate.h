/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PSL8 address translation (reference section 4): EA -> VA through the
 * context's segment table, VA -> RA through the hashed page table, with
 * the PSL's SLB and TLB caches in front of both walks.
 *
 * One struct psl_xlate per AFU slice holds the caches; one struct
 * psl_xlate_ctx per process element (or the dedicated context) holds the
 * registers a translation reads.  Cache entries carry the tags the
 * invalidation registers select on (PE, LPID, PID for the SLB; LPID for
 * the TLB, whose VA already names the process), so several contexts share
 * one slice's caches.  docs/psl8-xlate.md describes the model.
 *
 * Everything here runs on the simulation thread.
 */
#ifndef CAPISIM_PSL_XLATE_H
#define CAPISIM_PSL_XLATE_H

#include "core/types.h"
#include "host/mem.h"
#include "psl/regs.h"

/* Segment size, as the B field of STEs and HPTEs encodes it. */
enum psl_ssize {
	PSL_SEG_256M = 0,
	PSL_SEG_1T = 1,
};

/* Access kinds, OR-ed. */
#define PSL_XLATE_READ		0x0
#define PSL_XLATE_WRITE		0x1	/* a store: needs read/write, sets C and DSISR[S] */
#define PSL_XLATE_LOCK		0x2	/* lock or reservation: W or I storage is DSISR[A] */

/*
 * One (base, actual) page-size pair the firmware advertises and the
 * kernel copies into mmu_psize_defs[]; the PSL must use the same table.
 */
struct psl_psize {
	u8 bshift;	/* log2 of the base page size the segment selects */
	u8 ashift;	/* log2 of the actual page size the HPTE maps */
	u16 sllp;	/* STE L||LP (vsid_data & 0x130) selecting this base size */
	u8 penc;	/* HPTE LP encoding of (base, actual); unused for 4 KB actual */
};

/* Reference 4.4.4: the POWER8 set (4 KB, 64 KB, 16 MB, 16 GB). */
extern const struct psl_psize psl_power8_psizes[];
extern const unsigned int psl_power8_nr_psizes;

/* Cache geometry and behaviour; psl_xlate_params_defaults() gives each default. */
struct psl_xlate_params {
	unsigned int slb_entries;	/* fully associative, LRU */
	unsigned int tlb_sets;		/* a power of two */
	unsigned int tlb_ways;		/* LRU within a set */
	bool rc_update;			/* set HPTE R on access and C on store, in memory */
	const struct psl_psize *psizes;	/* the page-size table; kept by reference */
	unsigned int nr_psizes;
};

/*
 * The translation registers of one context, as the register side (P1n/P2n
 * in dedicated mode) or the SPA side (the process element) last loaded
 * them.  Plain data: its owner writes the fields at any time; a
 * translation reads them.  Cached segments and pages stay valid across a
 * change until invalidated, as on hardware.
 */
struct psl_xlate_ctx {
	u16 pe;		/* process element handle (0 in dedicated mode): SLB tag */
	u32 lpid;	/* SLB and TLB tag; SLBIA/TLBIA qualifier */
	u32 pid;	/* SLB tag; SLBIA qualifier */
	u64 sr;		/* PSL_SR_An: PR, SF, R, TC are used */
	u64 sstp0;	/* segment table pointer (reference 4.2) */
	u64 sstp1;
	u64 sdr1;	/* HPT origin and size (4.4.1) */
	u64 amr;	/* authority mask, already filtered by AMOR */
};

/* Translation outcome; every value but OK comes with a struct psl_xlate_fault. */
enum psl_xlate_status {
	PSL_XLATE_OK = 0,
	PSL_XLATE_SEGMENT,	/* no STE for the ESID: DSISR DS */
	PSL_XLATE_PAGE,		/* no HPTE in either PTEG: DM | M (| S) */
	PSL_XLATE_PROT,		/* PP, key or WIMG refused: DM | P / K / A (| S) */
	PSL_XLATE_STAB,		/* no HPTE for the segment table itself: ST | M */
	PSL_XLATE_BAD_RA,	/* a fetch, an R/C update or the result hit no memory: PE [U] */
};

/* What PSL_DSISR_An and PSL_DAR_An would report. */
struct psl_xlate_fault {
	u64 dsisr;
	u64 dar;	/* the EA (after SR[SF] = 0 truncation) */
	u64 bad_ra;	/* PSL_XLATE_BAD_RA: the real address refused */
};

/*
 * Work one translation did, for the timing model: each count is one
 * latency to charge.  psl_xlate() adds to it, so a caller may sum several.
 */
struct psl_xlate_cost {
	u64 slb_hits;
	u64 slb_misses;
	u64 tlb_hits;
	u64 tlb_misses;
	u64 ste_fetches;	/* 128-byte STE group reads */
	u64 pteg_fetches;	/* 128-byte PTEG reads */
	u64 rc_writes;		/* HPTE R or C byte updates */
};

/* Totals since init, for reports and tests. */
struct psl_xlate_stats {
	u64 translations;
	struct psl_xlate_cost cost;	/* running sums of every translation's cost */
	u64 faults[PSL_XLATE_BAD_RA + 1];
	u64 slb_dropped;		/* entries removed by SLBIA/SLBIE */
	u64 tlb_dropped;		/* entries removed by TLBIA/TLBIE */
};

struct psl_slbe;
struct psl_tlbe;

/* One slice's translation caches.  Owned by the slice; simulation thread only. */
struct psl_xlate {
	struct host_mem *mem;		/* where tables and pages live; not owned */
	struct psl_xlate_params p;
	struct psl_slbe *slb;		/* p.slb_entries */
	struct psl_tlbe *tlb;		/* p.tlb_sets * p.tlb_ways, set-major */
	u64 clock;			/* LRU stamp source */
	struct psl_xlate_stats stats;
};

void psl_xlate_params_defaults(struct psl_xlate_params *p);

/* Returns 0, -EINVAL for a bad geometry or page-size table, -ENOMEM. */
int psl_xlate_init(struct psl_xlate *x, struct host_mem *mem,
		   const struct psl_xlate_params *p);
void psl_xlate_exit(struct psl_xlate *x);

/* A context with every register 0 and the given tags. */
void psl_xlate_ctx_init(struct psl_xlate_ctx *ctx, u16 pe, u32 lpid, u32 pid);

/*
 * Translate @ea for @ctx.  PSL_XLATE_OK stores the real address in @ra;
 * any other status fills @fault.  @access is PSL_XLATE_READ or an OR of
 * PSL_XLATE_WRITE / PSL_XLATE_LOCK.  @cost (may be NULL) is added to.
 * A fault leaves nothing cached that a retry would trust: a refused
 * access drops its TLB entry, so the retry after TFC[R] walks again.
 */
enum psl_xlate_status psl_xlate(struct psl_xlate *x, const struct psl_xlate_ctx *ctx,
				u64 ea, unsigned int access, u64 *ra,
				struct psl_xlate_fault *fault, struct psl_xlate_cost *cost);

/*
 * Invalidations.  @iq and @lbisel are as written to the registers
 * (reference 2.5.4): IQ 0 everything, 1 entries of LBISEL's LPID, 3 of
 * its LPID and PID (the reserved 2 counts as 0).  Each returns the number
 * of entries removed.
 *
 * SLBIA: PSL_SLBIA for each slice AFUSEL selects; CXL_SLBIA_An is IQ 0 on
 * its slice.  SLBIE: the entries SLBIA would select that map the segment
 * of @ea with size @ss.  TLBIA: IQ 3 removes every entry of the LPID (the
 * TLB is not tagged by PID).  TLBIE: the entry translating VA page @vpn
 * (VA >> 12, as the kernel's hpt_vpn() forms it) of segment size @ss, base
 * page size 2^@bshift and actual size 2^@ashift, in partition @lpid; the
 * shim calls it for every tlbie the host issues (reference 4.7).
 */
unsigned int psl_xlate_slbia(struct psl_xlate *x, u64 iq, u64 lbisel);
unsigned int psl_xlate_slbie(struct psl_xlate *x, u64 iq, u64 lbisel, u64 ea,
			     enum psl_ssize ss);
unsigned int psl_xlate_tlbia(struct psl_xlate *x, u64 iq, u64 lbisel);
unsigned int psl_xlate_tlbie(struct psl_xlate *x, u32 lpid, u64 vpn, enum psl_ssize ss,
			     unsigned int bshift, unsigned int ashift);

/* ---- Encodings shared with the test and shim helpers ---- */

/* STE (struct cxl_sste), reference 4.3 */
#define PSL_STE_ESID_256M	0xFFFFFFFFF0000000ULL
#define PSL_STE_ESID_1T		0xFFFFFF0000000000ULL
#define PSL_STE_V		IBM_BIT(36)
#define PSL_STE_B_SHIFT		62
#define PSL_STE_VSID_SHIFT_256M	12
#define PSL_STE_VSID_SHIFT_1T	24
#define PSL_STE_KS		0x800ULL
#define PSL_STE_KP		0x400ULL
#define PSL_STE_N		0x200ULL
#define PSL_STE_L		0x100ULL
#define PSL_STE_C		0x080ULL
#define PSL_STE_LP		0x030ULL
#define PSL_STE_SLLP		(PSL_STE_L | PSL_STE_LP)
#define PSL_STE_FLAGS		0xFF0ULL	/* bits 52:59, also SSTP0 bits 2:9 >> 50 */

/* HPTE, reference 4.4.3 */
#define PSL_HPTE_V_B_SHIFT	62
#define PSL_HPTE_V_AVA_SHIFT	7
#define PSL_HPTE_V_AVA_MASK	0x3FFFFFFFFFFFFF80ULL
#define PSL_HPTE_V_L		0x4ULL
#define PSL_HPTE_V_H		0x2ULL
#define PSL_HPTE_V_VALID	0x1ULL
#define PSL_HPTE_R_PP0		IBM_BIT(0)
#define PSL_HPTE_R_KEY_HI	0x3000000000000000ULL	/* key bits 0:1 */
#define PSL_HPTE_R_RPN		0x0FFFFFFFFFFFF000ULL
#define PSL_HPTE_R_LP_SHIFT	12
#define PSL_HPTE_R_KEY_LO	0x0000000000000E00ULL	/* key bits 2:4 */
#define PSL_HPTE_R_R		0x100ULL
#define PSL_HPTE_R_C		0x080ULL
#define PSL_HPTE_R_WIMG		0x078ULL
#define PSL_HPTE_R_W		0x040ULL
#define PSL_HPTE_R_I		0x020ULL
#define PSL_HPTE_R_N		0x004ULL
#define PSL_HPTE_R_PP		0x003ULL
#define PSL_PTEG_BYTES		128
#define PSL_HPTES_PER_PTEG	8

/* SDR1, reference 4.4.1 */
#define PSL_SDR1_HTABORG	0x0FFFFFFFFFFC0000ULL
#define PSL_SDR1_HTABSIZE	0x1FULL

/* The primary hash of VA (@vsid, @off within the segment) for 2^@ashift pages (4.4.2). */
static inline u64 psl_hpt_hash(u64 vsid, u64 off, enum psl_ssize ss, unsigned int ashift)
{
	u64 h = ss == PSL_SEG_1T ? vsid ^ (vsid << 25) ^ (off >> ashift)
				 : vsid ^ (off >> ashift);

	return h & 0x7FFFFFFFFFULL;
}

static inline unsigned int psl_seg_shift(enum psl_ssize ss)
{
	return ss == PSL_SEG_1T ? 40 : 28;
}

#endif
