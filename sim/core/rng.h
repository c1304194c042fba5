/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Seeded random numbers: one independent stream per component, derived
 * from the master seed and the component's name, so a stream does not
 * depend on the order in which components were created.
 */
#ifndef CAPISIM_CORE_RNG_H
#define CAPISIM_CORE_RNG_H

#include "types.h"

/* One generator's state; owned by one component, never shared. */
struct rng {
	u64 s[4];
};

/* Derive the stream of @component (any unique name) from @master_seed. */
void rng_init(struct rng *r, u64 master_seed, const char *component);

u64 rng_next(struct rng *r);

/* Uniform in [0, n); n > 0 (n == 0 yields 0).  Unbiased. */
u64 rng_below(struct rng *r, u64 n);

/* Uniform in [lo, hi], inclusive; lo <= hi (lo > hi yields lo). */
u64 rng_range(struct rng *r, u64 lo, u64 hi);

/* True with probability @p (0..1); always consumes one number. */
bool rng_chance(struct rng *r, double p);

/* Uniform double in [0, 1). */
double rng_unit(struct rng *r);

/* Fill @buf with random bytes, the same on any host byte order. */
void rng_fill(struct rng *r, void *buf, size_t len);

#endif
