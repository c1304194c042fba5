/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the benchmarks share: wall time, the median of their runs, and
 * their KEY=VALUE arguments.  run-bench.sh passes the same arguments to
 * every benchmark, so each takes its own keys and ignores the others.
 */
#ifndef CAPISIM_BENCH_BENCH_UTIL_H
#define CAPISIM_BENCH_BENCH_UTIL_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/types.h"

/* Monotonic wall time in seconds. */
static inline double bench_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* CPU time of the whole process (every thread) in seconds. */
static inline double bench_cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* CPU time of the calling thread in seconds. */
static inline double bench_thread_cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The median of @v[0..@n - 1], which this sorts. */
static inline double bench_median(double *v, u64 n)
{
	qsort(v, n, sizeof(v[0]), bench_cmp_double);
	return v[n / 2];
}

/* A key a benchmark takes. */
struct bench_arg {
	const char *key;	/* with its '=': "N=" */
	u64 max;		/* a larger value is ignored; 0: no limit */
	u64 *val;
};

/*
 * Store each argument of @args' keys into its @val; false for an
 * argument that is not KEY=VALUE with a non-zero number as VALUE.
 */
static inline bool bench_parse_args(int argc, char **argv, const struct bench_arg *args,
				    unsigned int nr_args)
{
	unsigned int k;
	int i;

	for (i = 1; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		unsigned long long v;
		char *end;

		if (!eq)
			return false;
		v = strtoull(eq + 1, &end, 0);
		if (*end || !v)
			return false;
		for (k = 0; k < nr_args; k++) {
			if (strncmp(argv[i], args[k].key, strlen(args[k].key)))
				continue;
			if (!args[k].max || v <= args[k].max)
				*args[k].val = v;
			break;
		}
	}
	return true;
}

#endif
