/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PSL8 rig of the AFU benchmarks (bench/afu.c, bench/trace-overhead.c):
 * one card at the model's timing, its host (memory, an HPT of 64 KB pages,
 * a segment table), the register-level driver and an AFU in slice 0,
 * running dedicated jobs as the cxl driver attaches them.
 *
 * Its memory is one area mapped at PSL_RIG_EA: the memcpy WE chain first,
 * then a 1 MiB source chunk, then a 1 MiB destination chunk.  A job of N
 * lines is a chain of 1 MiB WEs walking the source chunk over and over.
 */
#ifndef CAPISIM_BENCH_PSL_RIG_H
#define CAPISIM_BENCH_PSL_RIG_H

#include "afu/afu.h"
#include "psl_cxldrv.h"
#include "psl_testdrv.h"

#define PSL_RIG_CHUNK		(1u << 20)	/* bytes per WE */
#define PSL_RIG_CHUNK_LINES	(PSL_RIG_CHUNK / AFU_LINE_SIZE)
#define PSL_RIG_PAGE		(64 * 1024)
#define PSL_RIG_EA		0x0000300000000000ULL	/* in this 256 MB segment */

/* One card and its host; a rig belongs to the benchmark that opened it. */
struct psl_rig {
	struct sim_queue q;
	struct testdrv td;
	struct psl_card *card;
	struct cxldrv drv;
	struct afu *afu;
	u8 *area;
	u64 bytes;
	u64 max_lines;		/* the longest job the area's chain has room for */
};

/*
 * A card with @timing (NULL: the model's defaults), a host with the area
 * for jobs of up to @max_lines mapped, and AFU @ops in slice 0 (made with
 * no options), activated in dedicated mode.  The source chunk holds a
 * pattern.  Returns 0 or a negative errno; psl_rig_close() either way.
 */
int psl_rig_open(struct psl_rig *r, const struct afu_ops *ops,
		 const struct psl_timing *timing, u64 max_lines);
void psl_rig_close(struct psl_rig *r);

/*
 * The area for jobs of up to @max lines, wherever it lives (the rig's, or
 * a test responder's): its size, its source and destination chunks.
 */
u64 chain_area_bytes(u64 max);
u8 *chain_src(u8 *area, u64 max);
u8 *chain_dst(u8 *area, u64 max);

/*
 * Clear the destination of @area (seen by the AFU at @ea) and write the WE
 * chain copying @lines lines from the source chunk to the destination
 * chunk.  Returns the number of WEs.
 */
u64 chain_put(u8 *area, u64 ea, u64 lines, u64 max);

/* Every WE of the @nwe-WE chain done and the destination equal to the source. */
bool chain_ok(u8 *area, u64 nwe, u64 max);

/* Attach the process with the chain as its WED, run its job to the end, detach. */
int psl_rig_job(struct psl_rig *r);

/*
 * chain_put(), psl_rig_job() and the checks: -EIO if the copy is wrong or
 * the AFU reported an error.
 */
int psl_rig_copy(struct psl_rig *r, u64 lines);

#endif
