/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trace-driven AFU ("trace"): replays the AFU side of a recorded .cxt
 * trace (docs/afu-guide.md, "The trace-driven AFU").  Options:
 *
 *	trace=PATH	the recording (required)
 *	slice=N		whose AFU to replay, default 0
 *	brlat=1|3	ah_brlat, default 1 (the trace does not hold it)
 *	paren=0|1	parity, default 1
 */
#ifndef CAPISIM_AFU_TRACEDRV_H
#define CAPISIM_AFU_TRACEDRV_H

#include "afu/afu.h"

extern const struct afu_ops afu_tracedrv_ops;

/* ah_jerror of the job the AFU ends when it cannot follow the trace. */
#define TRACEDRV_JERROR		0x7ACE0000DEAD0001ULL

/* How far a replay got. */
struct tracedrv_status {
	u64 steps;		/* AFU-side events of the trace: commands, responses, ... */
	u64 done;		/* of which matched (inputs) or performed (outputs) */
	u64 no_data;		/* buffer reads the trace has no data for: zeros were written */
	bool finished;		/* every step done */
	bool lost;		/* the AFU met something the original never saw */
	char why[400];		/* if lost: the event, its time, expected and got */
};

/* @afu must be a trace-driven AFU. */
void tracedrv_status(const struct afu *afu, struct tracedrv_status *st);

#endif
