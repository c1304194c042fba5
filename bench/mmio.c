// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO throughput of the PSL8 model: register loads and stores through
 * psl_mmio_read/psl_mmio_write, as the driver shim will issue them.
 *
 *   registers:  the mix the cxl driver's hot paths make - AFU_Cntl polls,
 *               the fault handler's DSISR, DAR and PEHandle loads, WED and
 *               AMR stores, P1 SR and LBISEL, the PSL version - on a
 *               powered-on card (answered before the call returns);
 *   forwarded:  AFU descriptor loads, which the PSL forwards to the AFU
 *               (the C memcpy) over ha_mm* and completes on ah_mmack: the
 *               event queue runs the AFU's clock for each.
 *
 *	mmio [N=register accesses per run] [REPS=runs]
 *
 * Forwarded loads are N / 50 per run.  Each figure is the median of REPS
 * runs; the last line is "bench mmio-per-s: N /s", the register figure.
 */
#define pr_fmt(fmt) "bench-mmio: " fmt

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afu/port.h"
#include "bench_util.h"
#include "core/log.h"
#include "psl_cxldrv.h"

#define MAX_REPS	100
#define FWD_DIVISOR	50

/* One access of the register mix. */
struct access {
	unsigned int bar;
	u64 off;		/* BAR0: P2 of slice 0; BAR2: P1 */
	bool write;
};

static const struct access mix[] = {
	{ 0, CXL_AFU_Cntl_An, false },
	{ 0, CXL_PSL_DSISR_An, false },
	{ 0, CXL_PSL_DAR_An, false },
	{ 0, CXL_PSL_PEHandle_An, false },
	{ 0, CXL_PSL_WED_An, true },
	{ 0, CXL_PSL_AMR_An, true },
	{ 2, CXL_P1_SLICE_BASE + CXL_PSL_SR_An, false },
	{ 2, CXL_PSL_LBISEL, true },
	{ 2, CXL_PSL_VERSION, false },
	{ 0, CXL_AFU_Cntl_An, false },
};

/* A card with the memcpy AFU in slice 0, out of reset so its descriptor answers. */
struct rig {
	struct sim_queue q;
	struct host_mem mem;
	struct psl_card *card;
	struct cxldrv drv;
	struct afu *afu;
};

static void rig_close(struct rig *r)
{
	psl_card_destroy(r->card);
	if (r->afu)
		r->afu->ops->destroy(r->afu);
	cd_exit(&r->drv);
	mem_exit(&r->mem);
	simq_exit(&r->q);
}

static int rig_open(struct rig *r)
{
	struct psl_params p;

	memset(r, 0, sizeof(*r));
	simq_init(&r->q);
	mem_init(&r->mem);
	psl_params_defaults(&p);
	r->card = psl_card_create(&r->q, &p);
	if (!r->card)
		return -EINVAL;
	psl_cfg_write(r->card, 0x04, 2, 0x0006);
	psl_card_connect(r->card, &r->mem, NULL);
	cd_init(&r->drv, &r->q, r->card, &r->mem, 0);
	r->afu = afu_memcpy_ops.create("m0", 1, NULL);
	if (!r->afu || psl_afu_attach(&r->card->slice[0], r->afu))
		return -EINVAL;
	return cd_afu_reset(&r->drv);
}

/* @n accesses of the mix; -EIO if the card refused one, or every load read 0. */
static int run_registers(struct rig *r, u64 n, double *per_s)
{
	u64 i, seen = 0, bad = r->card->stats.mmio_bad_offset;
	double t0, t1;

	t0 = bench_now_s();
	for (i = 0; i < n; i++) {
		const struct access *a = &mix[i % ARRAY_SIZE(mix)];
		u64 v = 0;

		if (a->write)
			psl_mmio_write(r->card, a->bar, a->off, 8, i & 0xFFFF);
		else
			psl_mmio_read(r->card, a->bar, a->off, 8, &v);
		seen |= v;
	}
	t1 = bench_now_s();
	if (r->card->stats.mmio_bad_offset != bad || !seen)
		return -EIO;
	*per_s = n / (t1 - t0);
	return 0;
}

/* @n forwarded descriptor loads; -EIO unless each read word 0 as the AFU has it. */
static int run_forwarded(struct rig *r, u64 n, double *per_s)
{
	u64 desc = (u64)r->card->p.afu_desc_off * CXL_VSEC_UNIT, w0 = 0, v, i;
	u64 reads = r->card->slice[0].port.mmio.stats.reads;
	double t0, t1;

	t0 = bench_now_s();
	for (i = 0; i < n; i++) {
		psl_mmio_read(r->card, 0, desc, 8, &v);
		if (!i)
			w0 = v;
		if (v != w0)
			return -EIO;
	}
	t1 = bench_now_s();
	if (AFU_DESC_PROG_MODEL(w0) != (AFU_PROG_DEDICATED | AFU_PROG_DIRECTED) ||
	    r->card->slice[0].port.mmio.stats.reads - reads != n)
		return -EIO;
	*per_s = n / (t1 - t0);
	return 0;
}

int main(int argc, char **argv)
{
	double regs[MAX_REPS], fwd[MAX_REPS];
	u64 n = 10000000, n_fwd, reps = 3;
	const struct bench_arg args[] = {
		{ "N=", 0, &n },
		{ "REPS=", MAX_REPS, &reps },
	};
	unsigned int i;

	log_set_level(LOG_WARN);
	if (!bench_parse_args(argc, argv, args, ARRAY_SIZE(args))) {
		fprintf(stderr, "usage: mmio [N=accesses] [REPS=1..%d]\n", MAX_REPS);
		return 2;
	}
	n_fwd = n / FWD_DIVISOR ? n / FWD_DIVISOR : 1;
	for (i = 0; i < reps; i++) {
		struct rig r;
		int ret = rig_open(&r);

		if (!ret)
			ret = run_registers(&r, n, &regs[i]);
		if (!ret)
			ret = run_forwarded(&r, n_fwd, &fwd[i]);
		rig_close(&r);
		if (ret) {
			pr_err("run %u failed: %d\n", i, ret);
			return 1;
		}
	}
	printf("mmio: %llu P1/P2 register loads and stores (the driver's mix of %zu), "
	       "%llu forwarded descriptor loads, median of %d\n", (unsigned long long)n,
	       ARRAY_SIZE(mix), (unsigned long long)n_fwd, (int)reps);
	printf("mmio: AFU descriptor loads forwarded to the memcpy AFU: %.0f /s\n",
	       bench_median(fwd, reps));
	printf("bench mmio-per-s: %.0f /s\n", bench_median(regs, reps));
	return 0;
}
