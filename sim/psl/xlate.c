// SPDX-License-Identifier: GPL-2.0
/*
 * PSL8 address translation: segment-table search, hashed page table
 * search, protection, R/C recording, and the SLB and TLB caches in front
 * of them (reference section 4, docs/psl8-xlate.md).
 *
 * Translation structures are read with single 128-byte reads (one STE
 * group, one PTEG): the model runs on the simulation thread, so the host
 * cannot change them half-way through a read, and the reference's
 * "re-read dword 0" retry (4.4.5) has nothing to catch here.
 */
#define pr_fmt(fmt) "psl-xlate: " fmt

#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "psl/xlate.h"

/* One cached STE. */
struct psl_slbe {
	bool valid;
	u8 ss;			/* enum psl_ssize */
	u8 bshift;		/* base page size, from the STE's L||LP */
	u16 pe;			/* tags: the context that loaded it */
	u32 lpid;
	u32 pid;
	u16 flags;		/* vsid_data bits 52:59: Ks Kp N L C LP */
	u64 esid;		/* EA >> segment shift */
	u64 vsid;
	u64 stamp;		/* LRU */
};

/* One cached HPTE: the page of one VA, and what protection needs. */
struct psl_tlbe {
	bool valid;
	bool r;			/* HPTE R and C as in memory, as far as we know */
	bool c;
	u8 ss;
	u8 bshift;
	u8 ashift;
	u8 pp;			/* PP0 || PP1:2 */
	u8 key;			/* 5-bit virtual page class key */
	u8 wimg;		/* dword-1 bits 57:60, in place */
	u32 lpid;		/* tag */
	u64 vsid;		/* tag */
	u64 pgidx;		/* tag: offset in the segment >> ashift */
	u64 page_ra;
	u64 hpte_ra;		/* for R/C updates */
	u64 stamp;		/* LRU */
};

/* Reference 4.4.4; search order within a base size is table order [U]. */
const struct psl_psize psl_power8_psizes[] = {
	{ .bshift = 12, .ashift = 12, .sllp = 0x000 },
	{ .bshift = 12, .ashift = 16, .sllp = 0x000, .penc = 0x07 },
	{ .bshift = 12, .ashift = 24, .sllp = 0x000, .penc = 0x38 },
	{ .bshift = 16, .ashift = 16, .sllp = 0x110, .penc = 0x01 },
	{ .bshift = 16, .ashift = 24, .sllp = 0x110, .penc = 0x08 },
	{ .bshift = 24, .ashift = 24, .sllp = 0x100, .penc = 0x00 },
	{ .bshift = 34, .ashift = 34, .sllp = 0x120, .penc = 0x03 },
};
const unsigned int psl_power8_nr_psizes = ARRAY_SIZE(psl_power8_psizes);

/*
 * What a key may do under each PP value (ISA 2.07 Book III-S): 0 nothing,
 * 1 read, 2 read/write.  The PP values the ISA leaves undefined grant
 * nothing [U].
 */
#define PP_NONE 0
#define PP_READ 1
#define PP_RW 2
static const u8 pp_access[2][8] = {
	/* PP:  000      001      010    011      100      101      110      111 */
	{ PP_RW, PP_RW, PP_RW, PP_READ, PP_NONE, PP_NONE, PP_READ, PP_NONE },
	{ PP_NONE, PP_READ, PP_RW, PP_READ, PP_NONE, PP_NONE, PP_NONE, PP_NONE },
};

/* A virtual address: VSID and offset within its segment. */
struct va {
	u64 vsid;
	u64 off;
	u8 ss;
	u8 bshift;
};

/* One translation in progress. */
struct xl {
	struct psl_xlate *x;
	const struct psl_xlate_ctx *ctx;
	struct psl_xlate_fault *fault;
	struct psl_xlate_cost cost;
	u64 ea;
	unsigned int access;
};

void psl_xlate_params_defaults(struct psl_xlate_params *p)
{
	memset(p, 0, sizeof(*p));
	/* [U] PSL8 cache sizes are not published; small, like a core's ERAT/SLB. */
	p->slb_entries = 32;
	p->tlb_sets = 64;
	p->tlb_ways = 4;
	/* Hardware records R and C; Linux pre-sets them, so this rarely writes. */
	p->rc_update = true;
	p->psizes = psl_power8_psizes;
	p->nr_psizes = psl_power8_nr_psizes;
}

static int check_psizes(const struct psl_psize *ps, unsigned int nr)
{
	unsigned int i;

	if (!ps || !nr)
		return -EINVAL;
	for (i = 0; i < nr; i++) {
		if (ps[i].bshift < 12 || ps[i].ashift < ps[i].bshift ||
		    ps[i].ashift > 40 || (ps[i].sllp & ~PSL_STE_SLLP))
			return -EINVAL;
	}
	return 0;
}

int psl_xlate_init(struct psl_xlate *x, struct host_mem *mem,
		   const struct psl_xlate_params *p)
{
	memset(x, 0, sizeof(*x));
	if (!p->slb_entries || p->slb_entries > 4096 || !p->tlb_ways ||
	    p->tlb_ways > 64 || !p->tlb_sets || p->tlb_sets > (1u << 16) ||
	    (p->tlb_sets & (p->tlb_sets - 1))) {
		pr_err("bad cache geometry: SLB %u, TLB %u x %u\n", p->slb_entries,
		       p->tlb_sets, p->tlb_ways);
		return -EINVAL;
	}
	if (check_psizes(p->psizes, p->nr_psizes)) {
		pr_err("bad page-size table\n");
		return -EINVAL;
	}
	x->slb = calloc(p->slb_entries, sizeof(*x->slb));
	x->tlb = calloc((size_t)p->tlb_sets * p->tlb_ways, sizeof(*x->tlb));
	if (!x->slb || !x->tlb) {
		psl_xlate_exit(x);
		return -ENOMEM;
	}
	x->mem = mem;
	x->p = *p;
	return 0;
}

void psl_xlate_exit(struct psl_xlate *x)
{
	free(x->slb);
	free(x->tlb);
	memset(x, 0, sizeof(*x));
}

void psl_xlate_ctx_init(struct psl_xlate_ctx *ctx, u16 pe, u32 lpid, u32 pid)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->pe = pe;
	ctx->lpid = lpid;
	ctx->pid = pid;
}

static void cost_add(struct psl_xlate_cost *d, const struct psl_xlate_cost *s)
{
	d->slb_hits += s->slb_hits;
	d->slb_misses += s->slb_misses;
	d->tlb_hits += s->tlb_hits;
	d->tlb_misses += s->tlb_misses;
	d->ste_fetches += s->ste_fetches;
	d->pteg_fetches += s->pteg_fetches;
	d->rc_writes += s->rc_writes;
}

static enum psl_xlate_status xl_fault(struct xl *t, enum psl_xlate_status st, u64 dsisr)
{
	t->fault->dsisr = dsisr;
	t->fault->dar = t->ea;
	t->x->stats.faults[st]++;
	pr_debug("PE %u EA 0x%016llx: fault %d, DSISR 0x%016llx\n", t->ctx->pe,
		 (unsigned long long)t->ea, st, (unsigned long long)dsisr);
	return st;
}

/* Reference 4.5 gives no code for this; a PSL error is our choice [U]. */
static enum psl_xlate_status xl_bad_ra(struct xl *t, u64 ra)
{
	t->fault->bad_ra = ra;
	pr_debug("PE %u EA 0x%016llx: no host memory at RA 0x%016llx\n", t->ctx->pe,
		 (unsigned long long)t->ea, (unsigned long long)ra);
	return xl_fault(t, PSL_XLATE_BAD_RA, CXL_PSL_DSISR_An_PE);
}

static u64 store_bit(const struct xl *t)
{
	return (t->access & PSL_XLATE_WRITE) ? CXL_PSL_DSISR_An_S : 0;
}

/* The base page shift an STE's L||LP selects, or 0 if the table has none. */
static unsigned int base_shift(const struct psl_xlate *x, u64 flags)
{
	unsigned int i;

	for (i = 0; i < x->p.nr_psizes; i++)
		if (x->p.psizes[i].sllp == (flags & PSL_STE_SLLP))
			return x->p.psizes[i].bshift;
	return 0;
}

static bool qual_match(u64 iq, u64 lbisel, u32 lpid, u32 pid)
{
	switch (iq & CXL_TLB_SLB_IQ_MASK) {
	case CXL_TLB_SLB_IQ_LPID:
		return lpid == (u32)lbisel;
	case CXL_TLB_SLB_IQ_LPIDPID:
		return lpid == (u32)lbisel && pid == (u32)(lbisel >> 32);
	default:
		return true;
	}
}

/* ---- SLB cache ---- */

static bool slbe_tagged(const struct psl_slbe *e, const struct psl_xlate_ctx *ctx)
{
	return e->valid && e->pe == ctx->pe && e->lpid == ctx->lpid && e->pid == ctx->pid;
}

/* A 256 MB entry wins over a 1 TB one, as in the segment-table search. */
static struct psl_slbe *slb_lookup(struct psl_xlate *x, const struct psl_xlate_ctx *ctx,
				   u64 ea)
{
	struct psl_slbe *e, *best = NULL;
	unsigned int i;

	for (i = 0; i < x->p.slb_entries; i++) {
		e = &x->slb[i];
		if (!slbe_tagged(e, ctx) || e->esid != ea >> psl_seg_shift(e->ss))
			continue;
		best = e;
		if (e->ss == PSL_SEG_256M)
			break;
	}
	if (best)
		best->stamp = ++x->clock;
	return best;
}

static struct psl_slbe *slb_insert(struct psl_xlate *x, const struct psl_slbe *n)
{
	struct psl_slbe *v = &x->slb[0];
	unsigned int i;

	for (i = 0; i < x->p.slb_entries && v->valid; i++) {
		if (!x->slb[i].valid || x->slb[i].stamp < v->stamp)
			v = &x->slb[i];
	}
	*v = *n;
	v->valid = true;
	v->stamp = ++x->clock;
	return v;
}

/* ---- TLB ---- */

static struct psl_tlbe *tlb_set(const struct psl_xlate *x, u64 vsid, u64 pgidx)
{
	u64 idx = (pgidx ^ ((vsid * 0x9E3779B97F4A7C15ULL) >> 29)) & (x->p.tlb_sets - 1);

	return &x->tlb[idx * x->p.tlb_ways];
}

static bool tlbe_matches(const struct psl_tlbe *e, u32 lpid, const struct va *va,
			 unsigned int ashift, u64 pgidx)
{
	return e->valid && e->pgidx == pgidx && e->vsid == va->vsid && e->lpid == lpid &&
	       e->ss == va->ss && e->ashift == ashift && e->bshift == va->bshift;
}

static struct psl_tlbe *tlb_lookup(struct psl_xlate *x, u32 lpid, const struct va *va,
				   unsigned int ashift)
{
	u64 pgidx = va->off >> ashift;
	struct psl_tlbe *set = tlb_set(x, va->vsid, pgidx);
	unsigned int w;

	for (w = 0; w < x->p.tlb_ways; w++) {
		if (tlbe_matches(&set[w], lpid, va, ashift, pgidx)) {
			set[w].stamp = ++x->clock;
			return &set[w];
		}
	}
	return NULL;
}

static struct psl_tlbe *tlb_victim(struct psl_xlate *x, const struct va *va, u64 pgidx)
{
	struct psl_tlbe *set = tlb_set(x, va->vsid, pgidx), *v = &set[0];
	unsigned int w;

	for (w = 0; w < x->p.tlb_ways && v->valid; w++) {
		if (!set[w].valid || set[w].stamp < v->stamp)
			v = &set[w];
	}
	return v;
}

/* ---- Hashed page table ---- */

/* An HPTE the search accepted. */
struct hpte_hit {
	u64 dw0;
	u64 dw1;
	u64 ra;			/* of the HPTE */
	const struct psl_psize *ps;
};

/* Dword 0 of a match, and which of its bits to compare (4.4.5). */
static void hpte_want(const struct va *va, const struct psl_psize *ps, bool secondary,
		      u64 *want, u64 *mask)
{
	u64 ava = va->ss == PSL_SEG_1T ? (va->vsid << 17) | (va->off >> 23)
				       : (va->vsid << 5) | (va->off >> 23);
	/* AVA bits that fall inside the actual page are not compared [U]. */
	u64 ign = ps->ashift > 23 ? (1ULL << (ps->ashift - 23)) - 1 : 0;

	*mask = (3ULL << PSL_HPTE_V_B_SHIFT) |
		(PSL_HPTE_V_AVA_MASK & ~(ign << PSL_HPTE_V_AVA_SHIFT)) |
		PSL_HPTE_V_L | PSL_HPTE_V_H | PSL_HPTE_V_VALID;
	*want = ((u64)va->ss << PSL_HPTE_V_B_SHIFT) | (ava << PSL_HPTE_V_AVA_SHIFT) |
		(ps->ashift > 12 ? PSL_HPTE_V_L : 0) | (secondary ? PSL_HPTE_V_H : 0) |
		PSL_HPTE_V_VALID;
	*want &= *mask;
}

/* For a large page, the LP bits inside the page must encode (base, actual). */
static bool lp_matches(u64 dw1, const struct psl_psize *ps)
{
	unsigned int bits = ps->ashift - 12 < 8 ? ps->ashift - 12 : 8;
	u64 m = (1ULL << bits) - 1;

	return ps->ashift == 12 || ((dw1 >> PSL_HPTE_R_LP_SHIFT) & m) == (ps->penc & m);
}

/* Read one PTEG and look for @va's HPTE in it: 1 found, 0 not, or -EFAULT. */
static int pteg_search(struct xl *t, u64 pteg_ra, const struct va *va,
		       const struct psl_psize *ps, bool secondary, struct hpte_hit *hit)
{
	u64 buf[PSL_PTEG_BYTES / 8], want, mask;
	unsigned int i;

	t->cost.pteg_fetches++;
	if (mem_read(t->x->mem, pteg_ra, buf, sizeof(buf)))
		return -EFAULT;
	hpte_want(va, ps, secondary, &want, &mask);
	for (i = 0; i < PSL_HPTES_PER_PTEG; i++) {
		u64 dw0 = be64toh(buf[2 * i]), dw1 = be64toh(buf[2 * i + 1]);

		if ((dw0 & mask) != want || !lp_matches(dw1, ps))
			continue;
		hit->dw0 = dw0;
		hit->dw1 = dw1;
		hit->ra = pteg_ra + i * 16;
		hit->ps = ps;
		return 1;
	}
	return 0;
}

/*
 * Search the HPT for @va: every actual size its base size allows, primary
 * then secondary PTEG (unless SR[TC] disables the secondary [U]).
 * Returns 1 found, 0 not found, -EFAULT with *bad_ra for a PTEG outside
 * host memory.
 */
static int hpt_search(struct xl *t, const struct va *va, struct hpte_hit *hit, u64 *bad_ra)
{
	const struct psl_xlate *x = t->x;
	u64 org = t->ctx->sdr1 & PSL_SDR1_HTABORG;
	u64 mask = (1ULL << (11 + (t->ctx->sdr1 & PSL_SDR1_HTABSIZE))) - 1;
	unsigned int nr_hash = (t->ctx->sr & CXL_PSL_SR_An_TC) ? 1 : 2;
	unsigned int i, sec;
	int ret;

	for (i = 0; i < x->p.nr_psizes; i++) {
		const struct psl_psize *ps = &x->p.psizes[i];
		u64 hash;

		if (ps->bshift != va->bshift || ps->ashift > psl_seg_shift(va->ss))
			continue;
		hash = psl_hpt_hash(va->vsid, va->off, va->ss, ps->ashift);
		for (sec = 0; sec < nr_hash; sec++) {
			u64 pteg = org + ((sec ? ~hash : hash) & mask) * PSL_PTEG_BYTES;

			ret = pteg_search(t, pteg, va, ps, sec, hit);
			if (ret < 0)
				*bad_ra = pteg;
			if (ret)
				return ret;
		}
	}
	return 0;
}

static struct psl_tlbe *tlb_fill(struct xl *t, const struct va *va, const struct hpte_hit *h)
{
	unsigned int ashift = h->ps->ashift;
	u64 pgidx = va->off >> ashift;
	struct psl_tlbe *e = tlb_victim(t->x, va, pgidx);

	e->valid = true;
	e->r = h->dw1 & PSL_HPTE_R_R;
	e->c = h->dw1 & PSL_HPTE_R_C;
	e->ss = va->ss;
	e->bshift = va->bshift;
	e->ashift = ashift;
	e->pp = ((h->dw1 & PSL_HPTE_R_PP0) ? 4 : 0) | (h->dw1 & PSL_HPTE_R_PP);
	e->key = ((h->dw1 & PSL_HPTE_R_KEY_HI) >> 57) | ((h->dw1 & PSL_HPTE_R_KEY_LO) >> 9);
	e->wimg = h->dw1 & PSL_HPTE_R_WIMG;
	e->lpid = t->ctx->lpid;
	e->vsid = va->vsid;
	e->pgidx = pgidx;
	e->page_ra = h->dw1 & PSL_HPTE_R_RPN & ~((1ULL << ashift) - 1);
	e->hpte_ra = h->ra;
	e->stamp = ++t->x->clock;
	return e;
}

/*
 * VA -> TLB entry, from the TLB or by an HPT walk.  PSL_XLATE_PAGE when no
 * HPTE maps it (the caller picks the DSISR), PSL_XLATE_BAD_RA (fault set)
 * when a PTEG read failed.
 */
static enum psl_xlate_status va_lookup(struct xl *t, const struct va *va,
				       struct psl_tlbe **out)
{
	struct psl_xlate *x = t->x;
	struct hpte_hit hit;
	unsigned int i;
	u64 bad_ra = 0;
	int ret;

	for (i = 0; i < x->p.nr_psizes; i++) {
		const struct psl_psize *ps = &x->p.psizes[i];

		if (ps->bshift != va->bshift)
			continue;
		*out = tlb_lookup(x, t->ctx->lpid, va, ps->ashift);
		if (*out) {
			t->cost.tlb_hits++;
			return PSL_XLATE_OK;
		}
	}
	t->cost.tlb_misses++;
	ret = hpt_search(t, va, &hit, &bad_ra);
	if (ret < 0)
		return xl_bad_ra(t, bad_ra);
	if (!ret)
		return PSL_XLATE_PAGE;
	*out = tlb_fill(t, va, &hit);
	return PSL_XLATE_OK;
}

/* Set bits @set in byte @byte of the HPTE's dword 1, as a byte store would. */
static int hpte_or_byte(struct xl *t, u64 hpte_ra, unsigned int byte, u8 set)
{
	u64 ra = hpte_ra + 8 + byte;
	u8 v;
	int ret;

	ret = mem_read(t->x->mem, ra, &v, 1);
	if (!ret)
		ret = mem_write(t->x->mem, ra, &(u8){ v | set }, 1);
	if (ret)
		return ret;
	t->cost.rc_writes++;
	return 0;
}

/*
 * Record the reference, and the change for a store, in the HPTE in
 * memory, only when the bit is not already set: R is bit 55 (byte 6), C
 * bit 56 (byte 7) of dword 1 [ISA; byte-store granularity U].
 */
static enum psl_xlate_status hpte_touch(struct xl *t, struct psl_tlbe *e, bool store)
{
	if (!t->x->p.rc_update)
		return PSL_XLATE_OK;
	if (!e->r) {
		if (hpte_or_byte(t, e->hpte_ra, 6, PSL_HPTE_R_R >> 8))
			return xl_bad_ra(t, e->hpte_ra + 14);
		e->r = true;
	}
	if (store && !e->c) {
		if (hpte_or_byte(t, e->hpte_ra, 7, PSL_HPTE_R_C))
			return xl_bad_ra(t, e->hpte_ra + 15);
		e->c = true;
	}
	return PSL_XLATE_OK;
}

/* ---- Segment table ---- */

/* The segment table's own VA, from SSTP0/SSTP1 (reference 4.2). */
static bool stab_va(const struct psl_xlate *x, const struct psl_xlate_ctx *ctx, struct va *va)
{
	u64 b = (ctx->sstp0 & CXL_SSTP0_An_B_MASK) >> PSL_STE_B_SHIFT;
	u64 hi = ctx->sstp0 & CXL_SSTP0_An_STVA_U_MASK;
	u64 lo = ctx->sstp1 & CXL_SSTP1_An_STVA_L_MASK;
	unsigned int s;

	if (b > PSL_SEG_1T)
		return false;
	va->ss = b;
	s = psl_seg_shift(va->ss);
	va->vsid = (hi << (64 - s)) | (lo >> s);
	va->off = lo & ((1ULL << s) - 1);
	va->bshift = base_shift(x, (ctx->sstp0 >> 50) & PSL_STE_FLAGS);
	return va->bshift && va->bshift <= s;
}

/* The STE in a group matching @ea for segment size @ss, into @out. */
static bool group_match(const struct psl_xlate *x, const u64 *grp, u64 ea,
			enum psl_ssize ss, struct psl_slbe *out)
{
	u64 esid_mask = ss == PSL_SEG_1T ? PSL_STE_ESID_1T : PSL_STE_ESID_256M;
	unsigned int i, vshift = ss == PSL_SEG_1T ? PSL_STE_VSID_SHIFT_1T
						  : PSL_STE_VSID_SHIFT_256M;

	for (i = 0; i < 8; i++) {
		u64 esid_data = be64toh(grp[2 * i]), vsid_data = be64toh(grp[2 * i + 1]);

		if (!(esid_data & PSL_STE_V) || vsid_data >> PSL_STE_B_SHIFT != ss ||
		    (esid_data & esid_mask) != (ea & esid_mask))
			continue;
		/* An L||LP the page-size table does not know selects nothing [U]. */
		out->bshift = base_shift(x, vsid_data);
		if (!out->bshift || out->bshift > psl_seg_shift(ss))
			continue;
		out->ss = ss;
		out->flags = vsid_data & PSL_STE_FLAGS;
		out->esid = ea >> psl_seg_shift(ss);
		out->vsid = (vsid_data & ~(3ULL << PSL_STE_B_SHIFT)) >> vshift;
		return true;
	}
	return false;
}

/*
 * Fetch STE group @grp of the table (translating its VA as if PR = 0:
 * reading the table is always allowed) into @buf.
 */
static enum psl_xlate_status stab_fetch(struct xl *t, const struct va *tva, u64 grp, u64 *buf)
{
	unsigned int s = psl_seg_shift(tva->ss);
	u64 off = tva->off + grp * PSL_PTEG_BYTES;
	struct va va = {
		.vsid = tva->vsid + (off >> s),
		.off = off & ((1ULL << s) - 1),
		.ss = tva->ss,
		.bshift = tva->bshift,
	};
	enum psl_xlate_status st;
	struct psl_tlbe *e;
	u64 ra;

	st = va_lookup(t, &va, &e);
	if (st == PSL_XLATE_PAGE)
		return xl_fault(t, PSL_XLATE_STAB, CXL_PSL_DSISR_An_ST | CXL_PSL_DSISR_An_M);
	if (st)
		return st;
	st = hpte_touch(t, e, false);
	if (st)
		return st;
	ra = e->page_ra + (va.off & ((1ULL << e->ashift) - 1));
	t->cost.ste_fetches++;
	if (mem_read(t->x->mem, ra, buf, PSL_PTEG_BYTES))
		return xl_bad_ra(t, ra);
	return PSL_XLATE_OK;
}

/* Search the primary 256 MB group, then the primary 1 TB group (4.3). */
static enum psl_xlate_status stab_search(struct xl *t, struct psl_slbe *out)
{
	const struct psl_xlate_ctx *ctx = t->ctx;
	unsigned int p = 8 + __builtin_popcountll(ctx->sstp0 & CXL_SSTP0_An_SegTableSize_MASK);
	u64 groups = 1ULL << (p - 7), buf[PSL_PTEG_BYTES / 8];
	enum psl_xlate_status st;
	struct va tva;
	unsigned int ss;

	if (!(ctx->sstp1 & CXL_SSTP1_An_V))
		return xl_fault(t, PSL_XLATE_SEGMENT, CXL_PSL_DSISR_An_DS);
	if (!stab_va(t->x, ctx, &tva))
		return xl_fault(t, PSL_XLATE_STAB, CXL_PSL_DSISR_An_ST | CXL_PSL_DSISR_An_M);
	for (ss = PSL_SEG_256M; ss <= PSL_SEG_1T; ss++) {
		st = stab_fetch(t, &tva, (t->ea >> psl_seg_shift(ss)) & (groups - 1), buf);
		if (st)
			return st;
		if (group_match(t->x, buf, t->ea, ss, out))
			return PSL_XLATE_OK;
	}
	return xl_fault(t, PSL_XLATE_SEGMENT, CXL_PSL_DSISR_An_DS);
}

/* ---- Translation ---- */

/* DSISR bits for a refused access, or 0 (reference 4.4.6). */
static u64 prot_check(const struct xl *t, const struct psl_slbe *seg, const struct psl_tlbe *e)
{
	bool store = t->access & PSL_XLATE_WRITE;
	u64 keybit = (t->ctx->sr & CXL_PSL_SR_An_PR) ? PSL_STE_KP : PSL_STE_KS;
	unsigned int amr_shift = 63 - 2 * e->key - (store ? 0 : 1);
	u64 bits = 0;

	if (pp_access[!!(seg->flags & keybit)][e->pp] < (store ? PP_RW : PP_READ))
		bits |= CXL_PSL_DSISR_An_P;
	if ((t->ctx->amr >> amr_shift) & 1)
		bits |= CXL_PSL_DSISR_An_K;
	if ((t->access & PSL_XLATE_LOCK) && (e->wimg & (PSL_HPTE_R_W | PSL_HPTE_R_I)))
		bits |= CXL_PSL_DSISR_An_A;
	return bits ? bits | CXL_PSL_DSISR_An_DM | store_bit(t) : 0;
}

/* Segment of t->ea, from the SLB cache or the segment table. */
static enum psl_xlate_status seg_lookup(struct xl *t, struct psl_slbe *seg)
{
	struct psl_slbe *e = slb_lookup(t->x, t->ctx, t->ea);
	enum psl_xlate_status st;

	if (e) {
		t->cost.slb_hits++;
		*seg = *e;
		return PSL_XLATE_OK;
	}
	t->cost.slb_misses++;
	st = stab_search(t, seg);
	if (st)
		return st;
	seg->pe = t->ctx->pe;
	seg->lpid = t->ctx->lpid;
	seg->pid = t->ctx->pid;
	slb_insert(t->x, seg);
	return PSL_XLATE_OK;
}

static enum psl_xlate_status xl_page(struct xl *t, u64 *ra)
{
	struct psl_slbe seg;
	enum psl_xlate_status st;
	struct psl_tlbe *e;
	struct va va;
	u64 bits;

	st = seg_lookup(t, &seg);
	if (st)
		return st;
	va.vsid = seg.vsid;
	va.off = t->ea & ((1ULL << psl_seg_shift(seg.ss)) - 1);
	va.ss = seg.ss;
	va.bshift = seg.bshift;
	st = va_lookup(t, &va, &e);
	if (st == PSL_XLATE_PAGE)
		return xl_fault(t, st, CXL_PSL_DSISR_An_DM | CXL_PSL_DSISR_An_M | store_bit(t));
	if (st)
		return st;
	/* A refused access keeps no entry: the retry after TFC[R] walks again. */
	bits = prot_check(t, &seg, e);
	if (bits) {
		e->valid = false;
		return xl_fault(t, PSL_XLATE_PROT, bits);
	}
	st = hpte_touch(t, e, t->access & PSL_XLATE_WRITE);
	if (st) {
		e->valid = false;
		return st;
	}
	*ra = e->page_ra + (va.off & ((1ULL << e->ashift) - 1));
	/* The result must name host memory, or the command would hit nothing [U]. */
	if (!mem_find(t->x->mem, *ra, 1)) {
		e->valid = false;
		return xl_bad_ra(t, *ra);
	}
	return PSL_XLATE_OK;
}

enum psl_xlate_status psl_xlate(struct psl_xlate *x, const struct psl_xlate_ctx *ctx,
				u64 ea, unsigned int access, u64 *ra,
				struct psl_xlate_fault *fault, struct psl_xlate_cost *cost)
{
	struct xl t = {
		.x = x,
		.ctx = ctx,
		.fault = fault,
		/* SR[SF] = 0: a 32-bit context's EAs are truncated [U]. */
		.ea = (ctx->sr & CXL_PSL_SR_An_SF) ? ea : (u32)ea,
		.access = access,
	};
	enum psl_xlate_status st;

	x->stats.translations++;
	/* SR[R] = 0 (never on POWER8): real addressing, the EA is the RA [U]. */
	if (ctx->sr & CXL_PSL_SR_An_R) {
		st = xl_page(&t, ra);
	} else {
		*ra = t.ea;
		st = mem_find(x->mem, t.ea, 1) ? PSL_XLATE_OK : xl_bad_ra(&t, t.ea);
	}
	cost_add(&x->stats.cost, &t.cost);
	if (cost)
		cost_add(cost, &t.cost);
	return st;
}

/* ---- Invalidation ---- */

unsigned int psl_xlate_slbie(struct psl_xlate *x, u64 iq, u64 lbisel, u64 ea,
			     enum psl_ssize ss)
{
	unsigned int i, n = 0;

	for (i = 0; i < x->p.slb_entries; i++) {
		struct psl_slbe *e = &x->slb[i];

		if (e->valid && e->ss == ss && e->esid == ea >> psl_seg_shift(ss) &&
		    qual_match(iq, lbisel, e->lpid, e->pid)) {
			e->valid = false;
			n++;
		}
	}
	x->stats.slb_dropped += n;
	return n;
}

unsigned int psl_xlate_slbia(struct psl_xlate *x, u64 iq, u64 lbisel)
{
	unsigned int i, n = 0;

	for (i = 0; i < x->p.slb_entries; i++) {
		struct psl_slbe *e = &x->slb[i];

		if (e->valid && qual_match(iq, lbisel, e->lpid, e->pid)) {
			e->valid = false;
			n++;
		}
	}
	x->stats.slb_dropped += n;
	return n;
}

unsigned int psl_xlate_tlbia(struct psl_xlate *x, u64 iq, u64 lbisel)
{
	/* The TLB holds no PID: IQ 3 widens to the whole LPID [U]. */
	u64 q = (iq & CXL_TLB_SLB_IQ_MASK) == CXL_TLB_SLB_IQ_LPIDPID ? CXL_TLB_SLB_IQ_LPID : iq;
	unsigned int i, n = 0;

	for (i = 0; i < x->p.tlb_sets * x->p.tlb_ways; i++) {
		struct psl_tlbe *e = &x->tlb[i];

		if (e->valid && qual_match(q, lbisel, e->lpid, 0)) {
			e->valid = false;
			n++;
		}
	}
	x->stats.tlb_dropped += n;
	return n;
}

unsigned int psl_xlate_tlbie(struct psl_xlate *x, u32 lpid, u64 vpn, enum psl_ssize ss,
			     unsigned int bshift, unsigned int ashift)
{
	unsigned int s = psl_seg_shift(ss), w, n = 0;
	struct va va;
	struct psl_tlbe *set;
	u64 pgidx;

	if (ashift < 12 || ashift > s || bshift > ashift)
		return 0;
	va.vsid = vpn >> (s - 12);
	va.off = (vpn << 12) & ((1ULL << s) - 1);
	va.ss = ss;
	va.bshift = bshift;
	pgidx = va.off >> ashift;
	set = tlb_set(x, va.vsid, pgidx);
	for (w = 0; w < x->p.tlb_ways; w++) {
		if (tlbe_matches(&set[w], lpid, &va, ashift, pgidx)) {
			set[w].valid = false;
			n++;
		}
	}
	x->stats.tlb_dropped += n;
	return n;
}
