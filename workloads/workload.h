/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Built-in workloads (docs/replay.md, "capisim run --help"): host
 * programs written against libcxl only, built into one binary,
 * $(BUILD)/libexec/capisim-workload, whose first argument names the
 * workload.  `capisim run --workload NAME` runs it like any program, so a
 * workload's run is exactly what a user's program would get.
 */
#ifndef CAPISIM_WORKLOAD_H
#define CAPISIM_WORKLOAD_H

#include <stdio.h>

#include <libcxl.h>

#include "core/types.h"

#define WL_LINE		128

/* What the command line asked for; every workload reads the same options. */
struct wl_args {
	const char *name;
	unsigned int contexts;		/* simulated processes, one thread each */
	u64 size;			/* bytes per context */
	unsigned int jobs;		/* jobs per context */
};

/* Each returns the program's exit status: 0 verified, 1 a check failed. */
int wl_memcpy(const struct wl_args *a);
int wl_traffic(const struct wl_args *a);

/*
 * @len bytes of zeroed memory at an address that depends only on the
 * allocations before it: mapped at fixed places from WL_BASE up, never
 * from the heap, so neither the machine's own allocations nor the
 * binary's size or a sanitizer's allocator move the AFU's addresses, and
 * a trace replays exactly.  Page-aligned (so line-aligned), with an
 * unmapped page after each.  Main thread only, before other threads start.
 * NULL with errno set on failure.
 */
void *wl_alloc(u64 len);
void wl_free(void *p, u64 len);

/*
 * The AFU switched to dedicated mode (as an administrator would), opened
 * through its dedicated device; NULL with a message on stderr.
 */
struct cxl_afu_h *wl_open_dedicated(const char *who);

/* The first AFU's mode (CXL_MODE_*), or -1 with a message on stderr. */
long wl_afu_mode(const char *who);

/* Poll the status word @st, which the AFU writes, sleeping 1 us between looks. */
int wl_poll(const char *who, volatile u64 *st, u64 max_looks);

#endif
