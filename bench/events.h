/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench/events: one workload, run on capisim's event queue (C) and on
 * SystemC's kernel (C++).  Everything both sides must agree on lives
 * here: the parameters, the random streams, the delays and the checksum.
 *
 * Part "producers": @m producers share @n events.  Each fires, adds its
 * time to its sum and re-arms itself after a random delay: 3 in 4 are
 * 1-4 PSL cycles, the rest any picosecond from 1 ps to 16 ns.
 *
 * Part "ping-pong": @k pairs share @p events.  Each side of a pair fires,
 * adds its time to its sum and wakes the other side one PSL cycle later.
 * All pairs start together, so every cycle edge holds @k ties.
 *
 * Times are summed relative to the part's start.  The checksum folds the
 * per-process sums in process order, so a process that ran at another
 * time, or too few or too many times, changes it.
 */
#ifndef CAPISIM_BENCH_EVENTS_H
#define CAPISIM_BENCH_EVENTS_H

#include "core/time.h"

#ifdef __cplusplus
extern "C" {
#endif

struct evb_params {
	u64 n;		/* producer events, all producers together */
	u32 m;		/* producers */
	u32 k;		/* ping-pong pairs */
	u64 p;		/* ping-pong events, all pairs together */
	u64 seed;	/* of every producer's random stream */
};

struct evb_result {
	u64 events;	/* callbacks run */
	u64 checksum;
	double seconds;	/* wall time of the run itself, setup excluded */
};

/* splitmix64: one u64 of state per producer, the same stream on both sides. */
static inline u64 evb_next(u64 *x)
{
	u64 z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline u64 evb_stream(u64 seed, u32 i)
{
	return seed * 0x100000001b3ULL + i;
}

static inline u64 evb_delay(u64 *rng)
{
	u64 r = evb_next(rng);

	if (r & 3)
		return PSL_PERIOD_PS * (1 + (r >> 8) % 4);
	return 1 + (r >> 8) % (16 * PS_PER_NS);
}

#define EVB_PINGPONG_DELAY PSL_PERIOD_PS

/* Fold process @i's sum into the checksum. */
static inline u64 evb_fold(u64 ck, u32 i, u64 sum)
{
	u32 r = i % 63 + 1;

	return ck ^ ((sum << r) | (sum >> (64 - r)));
}

/* Each producer's share of the events: the first n % m get one more. */
static inline u64 evb_share(u64 n, u32 m, u32 i)
{
	return n / m + (i < n % m);
}

double evb_seconds(void);

/* The capisim side: fill @r, or return a negative errno. */
int evb_capisim_producers(const struct evb_params *prm, struct evb_result *r);
int evb_capisim_pingpong(const struct evb_params *prm, struct evb_result *r);

#ifdef __cplusplus
}
#endif

#endif
