/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Traces for the trace tools' tests, written with the trace API: the
 * events the PSL model and the host interrupt controller emit, with the
 * same kinds and fields, in a small run of two contexts whose latencies
 * are known (trace_fixtures.c lists them).  Variants of the same run
 * plant one difference for the diff tests.
 */
#ifndef CAPISIM_TESTS_TRACE_FIXTURES_H
#define CAPISIM_TESTS_TRACE_FIXTURES_H

#include "core/types.h"

enum fixture_variant {
	FIX_BASE,		/* the run */
	FIX_RESP,		/* one response code changed */
	FIX_SHIFT,		/* from one event on, every event 4 ns later */
	FIX_SEED,		/* the header's seed changed, events the same */
	FIX_EXTRA,		/* one more event, in the middle */
};

/* Where the variant departs from FIX_BASE: the index of its first different event. */
struct fixture_info {
	u64 nr_events;
	u64 planted;
};

/* Write the run as @variant to @path; 0 or a negative errno. */
int fixture_write(const char *path, enum fixture_variant variant, struct fixture_info *info);

/*
 * Write @n events of the same kinds with random fields (small values, so
 * that pairs form, and now and then extreme ones) and random gaps, from
 * @seed, to @path.
 */
int fixture_write_random(const char *path, u64 seed, unsigned int n);

#endif
