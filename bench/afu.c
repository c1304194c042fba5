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
#include "psl_cxldrv.h"
#include "psl_testdrv.h"

#define CHUNK		(1u << 20)		/* bytes per WE */
#define CHUNK_LINES	(CHUNK / AFU_LINE_SIZE)
#define MAX_REPS	100
#define PAGE		(64 * 1024)		/* the PSL runs map 64 KB pages */
#define AREA_EA		0x0000300000000000ULL	/* ... in this 256 MB segment */
#define AREA_VSID	0x00000ABCDEF1ULL

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

/*
 * An area: the WE chain in its first we_bytes, then the source chunk,
 * then the destination chunk.
 */
static u64 we_bytes(u64 lines)
{
	u64 nwe = (lines + CHUNK_LINES - 1) / CHUNK_LINES;

	return (nwe * sizeof(struct memcpy_we) + PAGE - 1) / PAGE * PAGE;
}

static u64 area_bytes(u64 lines)
{
	return we_bytes(lines) + 2 * CHUNK;
}

static u8 *src_of(u8 *area, u64 lines)
{
	return area + we_bytes(lines);
}

static u8 *dst_of(u8 *area, u64 lines)
{
	return src_of(area, lines) + CHUNK;
}

/*
 * The WE chain at @area (addresses as the AFU sees them: @ea is @area's),
 * copying @lines lines from the source chunk to the destination chunk, in
 * an area laid out for @max lines.  Returns the number of WEs.
 */
static u64 put_chain(u8 *area, u64 ea, u64 lines, u64 max)
{
	struct memcpy_we *we = (void *)area;
	u64 nwe = (lines + CHUNK_LINES - 1) / CHUNK_LINES, i;

	memset(area, 0, we_bytes(max));
	for (i = 0; i < nwe; i++) {
		u64 left = lines - i * CHUNK_LINES;

		we[i].src = htole64(ea + we_bytes(max));
		we[i].dst = htole64(ea + we_bytes(max) + CHUNK);
		we[i].len = htole64((left < CHUNK_LINES ? left : CHUNK_LINES) * AFU_LINE_SIZE);
		we[i].next = htole64(i + 1 < nwe ? ea + (i + 1) * sizeof(*we) : 0);
		we[i].ctl = htole32(MEMCPY_CTL_VALID);
	}
	return nwe;
}

/* Every WE done and the destination equal to the source (area for @max lines). */
static bool copy_ok(u8 *area, u64 nwe, u64 max)
{
	const struct memcpy_we *we = (const void *)area;

	return le64toh(we[nwe - 1].status) == MEMCPY_ST_DONE &&
	       !memcmp(src_of(area, max), dst_of(area, max), le64toh(we[nwe - 1].len));
}

/* ---- The test responder ---- */

static int run_responder(const struct afu_ops *ops, u64 lines, struct result *res)
{
	u64 nwe, cycles, jerror = 1;
	struct afu_fx fx;
	double t0, t1;
	int ret;

	ret = fx_open(&fx, ops, NULL, 1, area_bytes(lines), NULL);
	if (ret)
		return ret;
	fx_pattern(src_of(fx.area, lines), CHUNK, 1);
	nwe = put_chain(fx.area, fx_ea(fx.area), lines, lines);
	ret = responder_start(&fx.r, RESP_MODE_DEDICATED, fx_ea(fx.area));
	if (ret)
		goto out;
	cycles = fx.r.st.ticks;
	t0 = bench_now_s();
	ret = responder_wait_done(&fx.r, lines * 64 + 1000000, &jerror);
	t1 = bench_now_s();
	cycles = fx.r.st.ticks - cycles;
	if (ret || jerror || !copy_ok(fx.area, nwe, lines)) {
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

/* One card, its host (memory, HPT, segment table) and the AFU in slice 0. */
struct psl_rig {
	struct sim_queue q;
	struct testdrv td;
	struct psl_card *card;
	struct cxldrv drv;
	struct afu *afu;
	u8 *area;
	u64 bytes;
};

static void rig_close(struct psl_rig *r)
{
	psl_card_destroy(r->card);
	if (r->afu)
		r->afu->ops->destroy(r->afu);
	cd_exit(&r->drv);
	td_exit(&r->td);
	free(r->area);
	simq_exit(&r->q);
}

/* The area mapped at AREA_EA with 64 KB pages, as the OS would after faults. */
static int rig_map(struct psl_rig *r)
{
	u64 off;

	td_load_segment(&r->td, AREA_EA, AREA_VSID, 0, TD_STE_USER | td_sllp(TD_SZ_64K));
	for (off = 0; off < r->bytes; off += PAGE)
		if (!td_hpte_insert(&r->td, AREA_VSID, AREA_EA + off, 0, TD_SZ_64K, TD_SZ_64K,
				    mem_ra(r->area) + off, &td_rw))
			return -ENOSPC;
	return 0;
}

/* One-cycle DMA, no link occupancy, one-cycle decode: the responder's pace. */
static void matched_timing(struct psl_timing *t)
{
	t->cmd_decode = PSL_PERIOD_PS;
	t->dma_read = PSL_PERIOD_PS;
	t->dma_write = PSL_PERIOD_PS;
	t->dma_line = 0;
}

/* A card, a host with the area for @lines mapped, and AFU @ops in slice 0. */
static int rig_open(struct psl_rig *r, const struct afu_ops *ops, bool matched, u64 lines)
{
	struct psl_params p;
	int ret;

	memset(r, 0, sizeof(*r));
	simq_init(&r->q);
	ret = td_init(&r->td, 1 << 20, 4096);
	if (ret)
		return ret;
	r->bytes = area_bytes(lines);
	r->area = aligned_alloc(PAGE, r->bytes);
	if (!r->area)
		return -ENOMEM;
	ret = mem_add(&r->td.mem, mem_ra(r->area), r->bytes, "area", true);
	if (!ret)
		ret = rig_map(r);
	if (ret)
		return ret;
	fx_pattern(src_of(r->area, lines), CHUNK, 1);
	psl_params_defaults(&p);
	if (matched)
		matched_timing(&p.timing);
	r->card = psl_card_create(&r->q, &p);
	if (!r->card)
		return -EINVAL;
	psl_cfg_write(r->card, 0x04, 2, 0x0006);
	psl_card_connect(r->card, &r->td.mem, NULL);
	cd_init(&r->drv, &r->q, r->card, &r->td.mem, 0);
	cd_p1_write(&r->drv, CXL_PSL_AFUSEL, CXL_PSL_AFUSEL_A);
	r->afu = ops->create("m0", 1, NULL);
	if (!r->afu)
		return -EINVAL;
	ret = psl_afu_attach(&r->card->slice[0], r->afu);
	if (ret)
		return ret;
	cd_activate_dedicated(&r->drv, 0, r->td.sdr1);
	return 0;
}

static bool job_ended(void *arg)
{
	struct psl_rig *r = arg;

	return r->card->slice[0].port.job.state == PSL_JOB_ENDED;
}

/* Attach the process with WED @wed, as the driver does, and run its job to the end. */
static int rig_job(struct psl_rig *r, u64 wed)
{
	struct cd_ctx c = {
		.sr = TD_SR_USER, .sstp0 = r->td.sstp0, .sstp1 = r->td.sstp1,
		.sdr = r->td.sdr1, .pid = 1, .wed = wed,
	};
	int ret;

	ret = cd_attach_dedicated(&r->drv, &c);
	if (ret)
		return ret;
	simq_run_while_not(&r->q, job_ended, r);
	if (!job_ended(r))
		return -EDEADLK;
	return cd_detach_dedicated(&r->drv);
}

static int run_psl(const struct afu_ops *ops, bool matched, u64 lines, struct result *res)
{
	struct psl_port *pt;
	struct psl_rig r;
	u64 nwe, cycles;
	double t0, t1;
	int ret;

	ret = rig_open(&r, ops, matched, lines);
	if (ret)
		goto out;
	pt = &r.card->slice[0].port;
	/* A first pass over both chunks fills the TLB. */
	put_chain(r.area, AREA_EA, CHUNK_LINES, lines);
	ret = rig_job(&r, AREA_EA);
	if (ret || !copy_ok(r.area, 1, lines))
		goto fail;
	memset(dst_of(r.area, lines), 0, CHUNK);
	nwe = put_chain(r.area, AREA_EA, lines, lines);
	cycles = pt->ticks;
	t0 = bench_now_s();
	ret = rig_job(&r, AREA_EA);
	t1 = bench_now_s();
	cycles = pt->ticks - cycles;
	if (ret || !copy_ok(r.area, nwe, lines) || pt->job.stats.afu_errors)
		goto fail;
	res->lines_per_s = lines / (t1 - t0);
	res->cycles_per_s = cycles / (t1 - t0);
	res->lines_per_cycle = (double)lines / cycles;
	goto out;
fail:
	pr_err("the copy through the PSL failed: %d\n", ret);
	ret = -EIO;
out:
	rig_close(&r);
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
