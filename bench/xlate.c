// SPDX-License-Identifier: GPL-2.0
/*
 * Translation throughput of the PSL8 model (sim/psl/xlate.c), with the
 * default cache geometry and 4 KB pages in 256 MB user segments:
 *
 *   hit:  a working set of 64 pages, which fits the TLB, translated over
 *         and over: SLB and TLB hits only;
 *   miss: one segment's 65536 pages in turn, far more than the TLB holds,
 *         so each translation walks the HPT (one PTEG read, primary hit).
 *
 *	xlate [N=translations per run] [REPS=runs]
 *
 * Each figure is the median of REPS runs; the last two lines are
 * "bench xlate-hit-per-s: N /s" and "bench xlate-miss-per-s: N /s".
 */
#define pr_fmt(fmt) "bench-xlate: " fmt

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "core/log.h"
#include "psl/xlate.h"
#include "psl_testdrv.h"

#define HIT_PAGES	64
#define MISS_PAGES	65536		/* every 4 KB page of a 256 MB segment */
#define POOL_PAGES	256		/* pages alias onto a small pool */
#define SEG_EA		0x0000200000000000ULL
#define SEG_VSID	0x00000C0FFEE1ULL

struct bench {
	struct testdrv d;
	struct psl_xlate x;
	struct psl_xlate_ctx ctx;
	u8 *pool;
};

static int bench_init(struct bench *b)
{
	struct psl_xlate_params p;
	unsigned int i;

	/* 4 MiB HPT: 262144 slots for the segment's 65536 HPTEs. */
	if (td_init(&b->d, 4 << 20, 4096))
		return -1;
	b->pool = aligned_alloc(4096, POOL_PAGES * 4096);
	if (!b->pool || mem_add(&b->d.mem, mem_ra(b->pool), POOL_PAGES * 4096, "pool", true))
		return -1;
	td_load_segment(&b->d, SEG_EA, SEG_VSID, 0, TD_STE_USER);
	for (i = 0; i < MISS_PAGES; i++) {
		if (!td_hpte_insert(&b->d, SEG_VSID, SEG_EA + i * 4096ULL, 0, TD_SZ_4K, TD_SZ_4K,
				    mem_ra(b->pool) + (i % POOL_PAGES) * 4096ULL, &td_rw)) {
			pr_err("HPT full at page %u\n", i);
			return -1;
		}
	}
	psl_xlate_params_defaults(&p);
	if (psl_xlate_init(&b->x, &b->d.mem, &p))
		return -1;
	td_ctx(&b->d, &b->ctx, 1, 0, 1000, TD_SR_USER);
	return 0;
}

/* Translations per second over @n translations cycling through @pages pages. */
static double run(struct bench *b, u64 n, unsigned int pages, u64 *tlb_misses)
{
	struct psl_xlate_fault f;
	u64 i, ra, misses = b->x.stats.cost.tlb_misses;
	double t0, t1;

	t0 = bench_now_s();
	for (i = 0; i < n; i++) {
		u64 ea = SEG_EA + (i % pages) * 4096 + (i & 0xF8);

		if (psl_xlate(&b->x, &b->ctx, ea, PSL_XLATE_READ, &ra, &f, NULL)) {
			pr_err("translation of 0x%llx failed\n", (unsigned long long)ea);
			exit(1);
		}
	}
	t1 = bench_now_s();
	*tlb_misses = b->x.stats.cost.tlb_misses - misses;
	return n / (t1 - t0);
}

static double median_run(struct bench *b, u64 n, unsigned int pages, int reps,
			 u64 *tlb_misses)
{
	double r[100];
	int i;

	for (i = 0; i < reps; i++)
		r[i] = run(b, n, pages, tlb_misses);
	return bench_median(r, reps);
}

int main(int argc, char **argv)
{
	static struct bench b;
	u64 n = 2000000, reps = 5, hit_misses, miss_misses;
	const struct bench_arg args[] = {
		{ "N=", 0, &n },
		{ "REPS=", 100, &reps },
	};
	double hit, miss;

	if (!bench_parse_args(argc, argv, args, ARRAY_SIZE(args))) {
		fprintf(stderr, "usage: xlate [N=translations] [REPS=1..100]\n");
		return 2;
	}
	if (bench_init(&b)) {
		pr_err("setup failed\n");
		return 1;
	}
	hit = median_run(&b, n, HIT_PAGES, reps, &hit_misses);
	miss = median_run(&b, n, MISS_PAGES, reps, &miss_misses);
	printf("xlate: %llu translations per run, median of %d; TLB %u x %u, SLB %u\n",
	       (unsigned long long)n, (int)reps, b.x.p.tlb_sets, b.x.p.tlb_ways, b.x.p.slb_entries);
	printf("xlate: hit run: %llu TLB misses; miss run: %llu TLB misses\n",
	       (unsigned long long)hit_misses, (unsigned long long)miss_misses);
	printf("bench xlate-hit-per-s: %.0f /s\n", hit);
	printf("bench xlate-miss-per-s: %.0f /s\n", miss);
	psl_xlate_exit(&b.x);
	td_exit(&b.d);
	free(b.pool);
	return 0;
}
