/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helpers standing in for the Linux side of PSL8 translation: a
 * segment table filled the way cxl_load_segment fills it, a hashed page
 * table filled the way hash_page_mm fills it, and the SSTP/SDR1 values
 * cxl_alloc_sst and the hash MMU set up (reference 4.2 - 4.4).  All of it
 * lives in memory registered with a struct host_mem, big-endian, so the
 * model walks real structures.  Written from the reference's layouts; the
 * hash is computed here independently of the model's psl_hpt_hash().
 *
 * Kernel linear map, as on POWER8: EA = 0xC000000000000000 | RA, 1 TB
 * segments, 16 MB bolted pages, kernel VSIDs below 2^38.
 */
#ifndef CAPISIM_TESTS_PSL_TESTDRV_H
#define CAPISIM_TESTS_PSL_TESTDRV_H

#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "host/mem.h"
#include "psl/xlate.h"

#define TD_LINEAR_BASE	0xC000000000000000ULL
#define TD_SZ_4K	12
#define TD_SZ_64K	16
#define TD_SZ_16M	24
#define TD_SZ_16G	34

/* User segments carry Ks|Kp|C, kernel ones Kp (reference 4.3). */
#define TD_STE_USER	(PSL_STE_KS | PSL_STE_KP | PSL_STE_C)
#define TD_STE_KERNEL	PSL_STE_KP

/* PSL_SR_An of a user slave context on a little-endian kernel (2.5.5). */
#define TD_SR_USER	0x8000000000004011ULL

/* One simulated host: its memory, HPT and one context's segment table. */
struct testdrv {
	struct host_mem mem;
	u8 *hpt;
	u64 hpt_bytes;
	u64 sdr1;
	u8 *stab;		/* one kernel page, in the linear map */
	u64 stab_bytes;
	u64 sstp0;
	u64 sstp1;
	unsigned int sst_lru;	/* cxl_load_segment's round-robin cast-out */
	u64 *stab_hpte;		/* the bolted HPTE mapping the table */
};

/* What an HPTE grants and records. */
struct td_pte {
	u8 pp;		/* 3 bits: PP0 || PP1:2 */
	u8 key;		/* 5 bits */
	u8 wimg;	/* 4 bits */
	bool n;
	bool r;
	bool c;
};

/* User read/write page as Linux maps a dirty one: PP 010, R, C, M. */
static const struct td_pte td_rw = { .pp = 2, .wimg = 2, .r = true, .c = true };

static inline u64 td_kernel_vsid(u64 ea)
{
	/* Any fixed function below 2^38 will do; this one scatters. */
	return (((ea >> 40) + 0x5A5A5) * 0x10DCD) & ((1ULL << 38) - 1);
}

static inline unsigned int td_seg_shift(int ss)
{
	return ss ? 40 : 28;
}

/* The primary hash, reference 4.4.2. */
static inline u64 td_hash(u64 vsid, u64 ea, int ss, unsigned int ashift)
{
	u64 pg = (ea & ((1ULL << td_seg_shift(ss)) - 1)) >> ashift;

	if (ss)
		return (vsid ^ (vsid << 25) ^ pg) & 0x7FFFFFFFFFULL;
	return (vsid ^ pg) & 0x7FFFFFFFFFULL;
}

/* The kernel's vpn: VA >> 12. */
static inline u64 td_vpn(u64 vsid, u64 ea, int ss)
{
	unsigned int s = td_seg_shift(ss);

	return (vsid << (s - 12)) | ((ea & ((1ULL << s) - 1)) >> 12);
}

static inline const struct psl_psize *td_psize(unsigned int bshift, unsigned int ashift)
{
	unsigned int i;

	for (i = 0; i < psl_power8_nr_psizes; i++)
		if (psl_power8_psizes[i].bshift == bshift && psl_power8_psizes[i].ashift == ashift)
			return &psl_power8_psizes[i];
	return NULL;
}

static inline u64 td_sllp(unsigned int bshift)
{
	return td_psize(bshift, bshift)->sllp;
}

static inline u64 *td_pteg(struct testdrv *d, u64 hash)
{
	u64 mask = (d->hpt_bytes >> 7) - 1;

	return (u64 *)(d->hpt + (hash & mask) * 128);
}

/* The two doublewords of an HPTE for VA (@vsid, @ea) (reference 4.4.3). */
static inline void td_hpte_encode(u64 vsid, u64 ea, int ss, unsigned int bshift,
				  unsigned int ashift, u64 ra, const struct td_pte *a,
				  bool secondary, u64 *v, u64 *r)
{
	u64 asize = 1ULL << ashift;
	u64 off = ea & ((1ULL << td_seg_shift(ss)) - 1) & ~(asize - 1);
	u64 ava = ss ? (vsid << 17) | (off >> 23) : (vsid << 5) | (off >> 23);

	*v = ((u64)ss << 62) | ((ava << 7) & 0x3FFFFFFFFFFFFF80ULL) |
	     (ashift > 12 ? 0x4 : 0) | (secondary ? 0x2 : 0) | 0x1;
	*r = (ra & ~(asize - 1) & 0x0FFFFFFFFFFFF000ULL) | ((u64)(a->pp >> 2) << 63) |
	     ((u64)(a->key >> 3) << 60) | ((u64)(a->key & 7) << 9) |
	     (a->r ? 0x100 : 0) | (a->c ? 0x80 : 0) | ((u64)a->wimg << 3) |
	     (a->n ? 0x4 : 0) | (a->pp & 3);
	if (ashift > 12)
		*r |= ((u64)td_psize(bshift, ashift)->penc << 12) & (asize - 1);
}

/*
 * Insert an HPTE as hash_page_mm does: the first free slot of the primary
 * PTEG, else of the secondary (with H).  Returns the HPTE, or NULL when
 * both are full (the kernel would evict; tests want to know).
 */
static inline u64 *td_hpte_insert(struct testdrv *d, u64 vsid, u64 ea, int ss,
				  unsigned int bshift, unsigned int ashift, u64 ra,
				  const struct td_pte *a)
{
	u64 hash = td_hash(vsid, ea, ss, ashift);
	unsigned int sec, i;

	for (sec = 0; sec < 2; sec++) {
		u64 *g = td_pteg(d, sec ? ~hash : hash);

		for (i = 0; i < 8; i++) {
			u64 v, r;

			if (be64toh(g[2 * i]) & 1)
				continue;
			td_hpte_encode(vsid, ea, ss, bshift, ashift, ra, a, sec, &v, &r);
			g[2 * i + 1] = htobe64(r);
			g[2 * i] = htobe64(v);
			return &g[2 * i];
		}
	}
	return NULL;
}

/* Invalidate an HPTE as the kernel does before its tlbie: dword 0 to 0. */
static inline void td_hpte_remove(u64 *hpte)
{
	hpte[0] = 0;
}

static inline u64 td_hpte_r(const u64 *hpte)
{
	return be64toh(hpte[1]);
}

static inline void td_hpte_set_r(u64 *hpte, u64 r)
{
	hpte[1] = htobe64(r);
}

/*
 * Load an STE as cxl_load_segment does: into the primary group of its
 * segment size; nothing if an identical entry is there; else the first
 * invalid slot; else slot sst_lru, which then advances.  Returns the slot.
 */
static inline u64 *td_load_segment(struct testdrv *d, u64 ea, u64 vsid, int ss, u64 flags)
{
	unsigned int s = td_seg_shift(ss), i;
	u64 groups = d->stab_bytes / 128;
	u64 *g = (u64 *)(d->stab + ((ea >> s) & (groups - 1)) * 128);
	u64 esid_data = (ea & (ss ? PSL_STE_ESID_1T : PSL_STE_ESID_256M)) | PSL_STE_V;
	u64 vsid_data = ((u64)ss << 62) |
			(vsid << (ss ? PSL_STE_VSID_SHIFT_1T : PSL_STE_VSID_SHIFT_256M)) | flags;
	u64 *slot = NULL;

	for (i = 0; i < 8; i++) {
		if (be64toh(g[2 * i]) == esid_data && be64toh(g[2 * i + 1]) == vsid_data)
			return &g[2 * i];
		if (!slot && !(be64toh(g[2 * i]) & PSL_STE_V))
			slot = &g[2 * i];
	}
	if (!slot) {
		slot = &g[2 * d->sst_lru];
		d->sst_lru = (d->sst_lru + 1) % 8;
	}
	slot[1] = htobe64(vsid_data);
	slot[0] = htobe64(esid_data);
	return slot;
}

/* The table's VA, attributes and size in SSTP0/SSTP1 (reference 4.2). */
static inline void td_make_sstp(struct testdrv *d)
{
	u64 ea = TD_LINEAR_BASE | mem_ra(d->stab);
	u64 vsid = td_kernel_vsid(ea);
	u64 stva_lo = (vsid << 40) | (ea & ((1ULL << 40) - 1));

	d->sstp0 = (1ULL << 62) | ((TD_STE_KERNEL | td_sllp(TD_SZ_16M)) << 50) |
		   ((d->stab_bytes / 256 - 1) << 32) | (vsid >> 24);
	d->sstp1 = stva_lo | 1;
}

/*
 * Set up a host: a @hpt_bytes HPT (a power of two, >= 256 KiB) and one
 * @stab_bytes segment table with its bolted linear-map HPTE.  0 or -errno.
 */
static inline int td_init(struct testdrv *d, u64 hpt_bytes, u64 stab_bytes)
{
	static const struct td_pte kernel_rw = { .pp = 0, .wimg = 2, .r = true, .c = true };
	u64 ea;
	int ret;

	memset(d, 0, sizeof(*d));
	mem_init(&d->mem);
	d->hpt_bytes = hpt_bytes;
	d->stab_bytes = stab_bytes;
	d->hpt = aligned_alloc(hpt_bytes, hpt_bytes);
	d->stab = aligned_alloc(stab_bytes, stab_bytes);
	if (!d->hpt || !d->stab)
		return -ENOMEM;
	memset(d->hpt, 0, hpt_bytes);
	memset(d->stab, 0, stab_bytes);
	ret = mem_add(&d->mem, mem_ra(d->hpt), hpt_bytes, "hpt", true);
	if (!ret)
		ret = mem_add(&d->mem, mem_ra(d->stab), stab_bytes, "stab", true);
	if (ret)
		return ret;
	d->sdr1 = mem_ra(d->hpt) | (__builtin_ctzll(hpt_bytes) - 18);
	ea = TD_LINEAR_BASE | mem_ra(d->stab);
	d->stab_hpte = td_hpte_insert(d, td_kernel_vsid(ea), ea, 1, TD_SZ_16M, TD_SZ_16M,
				      mem_ra(d->stab), &kernel_rw);
	if (!d->stab_hpte)
		return -ENOSPC;
	td_make_sstp(d);
	return 0;
}

static inline void td_exit(struct testdrv *d)
{
	mem_exit(&d->mem);
	free(d->hpt);
	free(d->stab);
	memset(d, 0, sizeof(*d));
}

/* A context of this host's table and HPT. */
static inline void td_ctx(struct testdrv *d, struct psl_xlate_ctx *ctx, u16 pe, u32 lpid,
			  u32 pid, u64 sr)
{
	psl_xlate_ctx_init(ctx, pe, lpid, pid);
	ctx->sr = sr;
	ctx->sstp0 = d->sstp0;
	ctx->sstp1 = d->sstp1;
	ctx->sdr1 = d->sdr1;
}

#endif
