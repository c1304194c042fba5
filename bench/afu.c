// SPDX-License-Identifier: GPL-2.0
/*
 * The AFU streaming workload: a memcpy AFU copies N cache lines
 * (read_cl_na in, write_na out) in one dedicated job whose WE chain walks
 * a 1 MiB source over and over, simulated cycle by cycle.  Four runs:
 *
 *   C AFU   (sim/afu/memcpy.c)         on the test responder, and attached
 *   RTL AFU (rtl_models/memcpy, the         to a PSL8 slice (sim/psl/)
 *            Verilator plug-in)
 *
 * The test responder (sim/afu/responder.c) is the trivial C stand-in for
 * the PSL: EA = RA, one-cycle latency.  The PSL8 slice is the
 * co-simulation: the job interface, the command engine, translation
 * through a segment table and an HPT of 64 KB pages (a first pass warms
 * the TLB), the event queue, with the AFU's clock as the PSL runs it.  It
 * runs with two timings:
 *
 *   default   the model's (docs/psl8-model.md): 0.5 us reads, 32 ns of the
 *             link per line, so a line takes 16 cycles: what a user gets;
 *   matched   one-cycle DMA and no link occupancy, so the AFU does the
 *             responder's work per cycle (a line every two): the same
 *             simulated cycles for the same job in both harnesses, and
 *             wall time compares the harnesses alone.
 *
 *	afu [N=C lines per run] [RTL_N=RTL lines per run] [REPS=runs]
 *
 * Each figure is the median of REPS runs.  The summary lines:
 *   bench memcpy-c-lines-per-s     the C AFU, PSL8 slice, default timing
 *   bench memcpy-rtl-lines-per-s   the RTL AFU, PSL8 slice, default timing
 *   bench rtl-cosim-vs-standalone  the RTL AFU's speed on the PSL8 slice
 *                                  (matched timing) over its speed on the
 *                                  responder, the same job: wall time ratio
 * The RTL plug-in is $RTL_MEMCPY_SO, else the one make built (AFU_RTL_SO).
 */
#define pr_fmt(fmt) "bench-afu: " fmt

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afu/memcpy.h"
#include "afu/port.h"
#include "afu_fixture.h"
#include "bench_util.h"
#include "core/log.h"
#include "psl_rig.h"

#define MAX_REPS	100

#ifndef AFU_RTL_SO
#define AFU_RTL_SO "build/afu/memcpy-rtl.so"
#endif

struct result {
	double lines_per_s;
	double cycles_per_s;		/* AFU cycles */
	double lines_per_cycle;
};

enum harness {
	H_RESPONDER,
	H_PSL,			/* default timing */
	H_PSL_MATCHED,		/* the responder's latencies */
};

static int cmp_result(const void *a, const void *b)
{
	double x = ((const struct result *)a)->cycles_per_s;
	double y = ((const struct result *)b)->cycles_per_s;

	return (x > y) - (x < y);
}

/* ---- The test responder ---- */

static int run_responder(const struct afu_ops *ops, u64 lines, struct result *res)
{
	u64 nwe, cycles, jerror = 1;
	struct afu_fx fx;
	double t0, t1;
	int ret;

	ret = fx_open(&fx, ops, NULL, 1, chain_area_bytes(lines), NULL);
	if (ret)
		return ret;
	fx_pattern(chain_src(fx.area, lines), PSL_RIG_CHUNK, 1);
	nwe = chain_put(fx.area, fx_ea(fx.area), lines, lines);
	ret = responder_start(&fx.r, RESP_MODE_DEDICATED, fx_ea(fx.area));
	if (ret)
		goto out;
	cycles = fx.r.st.ticks;
	t0 = bench_now_s();
	ret = responder_wait_done(&fx.r, lines * 64 + 1000000, &jerror);
	t1 = bench_now_s();
	cycles = fx.r.st.ticks - cycles;
	if (ret || jerror || !chain_ok(fx.area, nwe, lines)) {
		pr_err("the copy failed: %d, jerror 0x%llx\n", ret, (unsigned long long)jerror);
		ret = -EIO;
		goto out;
	}
	res->lines_per_s = lines / (t1 - t0);
	res->cycles_per_s = cycles / (t1 - t0);
	res->lines_per_cycle = (double)lines / cycles;
out:
	fx_close(&fx);
	return ret;
}

/* ---- A PSL8 slice ---- */

/* One-cycle DMA, no link occupancy, one-cycle decode: the responder's pace. */
static void matched_timing(struct psl_timing *t)
{
	t->cmd_decode = PSL_PERIOD_PS;
	t->dma_read = PSL_PERIOD_PS;
	t->dma_write = PSL_PERIOD_PS;
	t->dma_line = 0;
}

static int run_psl(const struct afu_ops *ops, bool matched, u64 lines, struct result *res)
{
	struct psl_params p;
	struct psl_port *pt;
	struct psl_rig r;
	u64 nwe, cycles;
	double t0, t1;
	int ret;

	psl_params_defaults(&p);
	if (matched)
		matched_timing(&p.timing);
	ret = psl_rig_open(&r, ops, &p.timing, lines);
	if (ret)
		goto out;
	pt = &r.card->slice[0].port;
	/* A first pass over both chunks fills the TLB. */
	ret = psl_rig_copy(&r, PSL_RIG_CHUNK_LINES);
	if (ret)
		goto fail;
	nwe = chain_put(r.area, PSL_RIG_EA, lines, lines);
	cycles = pt->ticks;
	t0 = bench_now_s();
	ret = psl_rig_job(&r);
	t1 = bench_now_s();
	cycles = pt->ticks - cycles;
	if (ret || !chain_ok(r.area, nwe, lines) || pt->job.stats.afu_errors)
		goto fail;
	res->lines_per_s = lines / (t1 - t0);
	res->cycles_per_s = cycles / (t1 - t0);
	res->lines_per_cycle = (double)lines / cycles;
	goto out;
fail:
	pr_err("the copy through the PSL failed: %d\n", ret);
	ret = -EIO;
out:
	psl_rig_close(&r);
	return ret;
}

/* ---- Runs ---- */

struct config {
	const char *name;
	bool rtl;
	enum harness h;
	struct result r;	/* the median */
};

static int measure(struct config *c, const struct afu_ops *ops, u64 lines, int reps)
{
	struct result r[MAX_REPS];
	int i, ret;

	for (i = 0; i < reps; i++) {
		ret = c->h == H_RESPONDER ? run_responder(ops, lines, &r[i]) :
					    run_psl(ops, c->h == H_PSL_MATCHED, lines, &r[i]);
		if (ret) {
			pr_err("%s: run %d failed\n", c->name, i);
			return ret;
		}
	}
	qsort(r, reps, sizeof(r[0]), cmp_result);
	c->r = r[reps / 2];
	printf("afu: %-38s %9.0f AFU cycles/s, %5.3f lines/cycle, %9.0f lines/s\n", c->name,
	       c->r.cycles_per_s, c->r.lines_per_cycle, c->r.lines_per_s);
	return 0;
}

static const struct afu_ops *rtl_ops(void)
{
	const char *path = getenv("RTL_MEMCPY_SO");
	const struct afu_ops *ops;

	if (!path || !path[0])
		path = AFU_RTL_SO;
	return afu_load_plugin(path, &ops) ? NULL : ops;
}

int main(int argc, char **argv)
{
	enum { C_RESP, C_PSL, C_MATCHED, RTL_RESP, RTL_PSL, RTL_MATCHED };
	struct config cfg[] = {
		[C_RESP] = { "C memcpy, responder", false, H_RESPONDER },
		[C_PSL] = { "C memcpy, PSL8 slice", false, H_PSL },
		[C_MATCHED] = { "C memcpy, PSL8 slice, matched timing", false, H_PSL_MATCHED },
		[RTL_RESP] = { "RTL memcpy, responder", true, H_RESPONDER },
		[RTL_PSL] = { "RTL memcpy, PSL8 slice", true, H_PSL },
		[RTL_MATCHED] = { "RTL memcpy, PSL8 slice, matched timing", true, H_PSL_MATCHED },
	};
	const struct afu_ops *rtl;
	u64 n = 1000000, n_rtl = 100000, reps = 3;
	const struct bench_arg args[] = {
		{ "N=", 0, &n },
		{ "RTL_N=", 0, &n_rtl },
		{ "REPS=", MAX_REPS, &reps },
	};
	unsigned int i;

	log_set_level(LOG_WARN);
	if (!bench_parse_args(argc, argv, args, ARRAY_SIZE(args))) {
		fprintf(stderr, "usage: afu [N=lines] [RTL_N=lines] [REPS=1..%d]\n", MAX_REPS);
		return 2;
	}
	rtl = rtl_ops();
	if (!rtl)
		return 1;
	printf("afu: memcpy of N lines (read_cl_na + write_na each) in 1 MiB WEs, median of %d;"
	       " N = %llu for C, %llu for RTL\n", (int)reps, (unsigned long long)n,
	       (unsigned long long)n_rtl);
	for (i = 0; i < ARRAY_SIZE(cfg); i++)
		if (measure(&cfg[i], cfg[i].rtl ? rtl : &afu_memcpy_ops, cfg[i].rtl ? n_rtl : n,
			    reps))
			return 1;
	printf("afu: the PSL8 slice at matched timing over the responder: C %.2f x, RTL %.2f x;"
	       " at default timing, in cycles/s: C %.2f x, RTL %.2f x\n",
	       cfg[C_MATCHED].r.lines_per_s / cfg[C_RESP].r.lines_per_s,
	       cfg[RTL_MATCHED].r.lines_per_s / cfg[RTL_RESP].r.lines_per_s,
	       cfg[C_PSL].r.cycles_per_s / cfg[C_RESP].r.cycles_per_s,
	       cfg[RTL_PSL].r.cycles_per_s / cfg[RTL_RESP].r.cycles_per_s);
	printf("bench memcpy-c-lines-per-s: %.0f /s\n", cfg[C_PSL].r.lines_per_s);
	printf("bench memcpy-rtl-lines-per-s: %.0f /s\n", cfg[RTL_PSL].r.lines_per_s);
	printf("bench rtl-cosim-vs-standalone: %.2f x\n",
	       cfg[RTL_MATCHED].r.lines_per_s / cfg[RTL_RESP].r.lines_per_s);
	return 0;
}
