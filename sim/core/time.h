/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Simulated time is a u64 count of picoseconds: 2^64 ps is about 213 days,
 * far beyond any run, and every clock we model has an integral period.
 */
#ifndef CAPISIM_CORE_TIME_H
#define CAPISIM_CORE_TIME_H

#include "types.h"

#define PS_PER_NS 1000ULL
#define PS_PER_US 1000000ULL
#define PS_PER_MS 1000000000ULL
#define PS_PER_S 1000000000000ULL

#define SIM_TIME_NEVER UINT64_MAX

/* A clock domain: its period in picoseconds. */
struct clock_domain {
	const char *name;
	u64 period_ps;
};

/* The PSL runs at 250 MHz (4 ns); the PSL-AFU interface shares its clock. */
#define PSL_CLOCK_HZ 250000000ULL
#define PSL_PERIOD_PS (PS_PER_S / PSL_CLOCK_HZ)

extern const struct clock_domain psl_clock;

static inline u64 ns_to_ps(u64 ns) { return ns * PS_PER_NS; }
static inline u64 us_to_ps(u64 us) { return us * PS_PER_US; }
static inline u64 ms_to_ps(u64 ms) { return ms * PS_PER_MS; }

static inline u64 cycles_to_ps(const struct clock_domain *clk, u64 cycles)
{
	return cycles * clk->period_ps;
}

/* The number of whole cycles of @clk elapsed at time @t. */
static inline u64 ps_to_cycles(const struct clock_domain *clk, u64 t)
{
	return t / clk->period_ps;
}

/* The first rising edge of @clk at or after @t. */
static inline u64 next_edge(const struct clock_domain *clk, u64 t)
{
	u64 rem = t % clk->period_ps;

	return rem ? t + clk->period_ps - rem : t;
}

/*
 * Format @t as seconds with picosecond resolution, "%5llu.%012llu":
 * 4 us prints as "    0.000004000000".  @buf should hold at least
 * SIM_TIME_STR_LEN bytes (enough for any u64); shorter is truncated.
 * Returns @buf.
 */
#define SIM_TIME_STR_LEN 24
char *sim_time_str(u64 t, char *buf, size_t len);

#endif
