// SPDX-License-Identifier: GPL-2.0
/*
 * Seeded random streams: xoshiro256** (Blackman and Vigna), its state
 * filled by splitmix64 from a key that mixes the master seed with a
 * 64-bit FNV-1a hash of the component's name.
 */
#include "core/rng.h"

#define FNV64_OFFSET 0xcbf29ce484222325ULL
#define FNV64_PRIME 0x100000001b3ULL
#define SPLITMIX_GAMMA 0x9e3779b97f4a7c15ULL

static u64 fnv1a64(const char *s)
{
	u64 h = FNV64_OFFSET;

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= FNV64_PRIME;
	}
	return h;
}

/* splitmix64's output function: a bijection of u64 that mixes every bit. */
static u64 mix64(u64 z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u64 splitmix64_next(u64 *x)
{
	*x += SPLITMIX_GAMMA;
	return mix64(*x);
}

static u64 rotl(u64 x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/*
 * The key is mix64(seed ^ mix64(hash(name))).  Both mixes are bijections,
 * so one seed never gives two names the same stream (short of an FNV
 * collision) and one name never gets the same stream under two seeds.
 * splitmix64 never yields four zero words in a row, so the state is
 * never the all-zero one xoshiro cannot leave.
 */
void rng_init(struct rng *r, u64 master_seed, const char *component)
{
	u64 key = mix64(master_seed ^ mix64(fnv1a64(component)));
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(r->s); i++)
		r->s[i] = splitmix64_next(&key);
}

u64 rng_next(struct rng *r)
{
	u64 *s = r->s;
	u64 out = rotl(s[1] * 5, 7) * 9;
	u64 t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

/*
 * Lemire's multiply-and-reject: the high word of x * n is uniform in
 * [0, n) once the low words below 2^64 mod n are rejected.  n == 0
 * yields 0 without looping.
 */
u64 rng_below(struct rng *r, u64 n)
{
	unsigned __int128 m = (unsigned __int128)rng_next(r) * n;
	u64 lo = (u64)m;

	if (lo < n) {
		u64 threshold = -n % n;

		while (lo < threshold) {
			m = (unsigned __int128)rng_next(r) * n;
			lo = (u64)m;
		}
	}
	return m >> 64;
}

/* @lo > @hi is a caller bug; it yields @lo. */
u64 rng_range(struct rng *r, u64 lo, u64 hi)
{
	if (hi <= lo)
		return lo;
	if (hi - lo == UINT64_MAX)
		return rng_next(r);
	return lo + rng_below(r, hi - lo + 1);
}

/* Always draws one number, so a stream's position does not depend on @p. */
bool rng_chance(struct rng *r, double p)
{
	return rng_unit(r) < p;
}

double rng_unit(struct rng *r)
{
	return (rng_next(r) >> 11) * 0x1.0p-53;
}

/* Little-endian byte order, so the bytes do not depend on the host's. */
void rng_fill(struct rng *r, void *buf, size_t len)
{
	unsigned char *p = buf;
	u64 x = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (!(i & 7))
			x = rng_next(r);
		p[i] = x;
		x >>= 8;
	}
}
