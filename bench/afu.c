// SPDX-License-Identifier: GPL-2.0
/*
 * The C AFU streaming workload: the memcpy AFU (sim/afu/memcpy.c) copies
 * N cache lines (read_cl_na in, write_na out) through the test responder
 * (sim/afu/responder.c), cycle by cycle, in one dedicated job whose WE
 * chain walks an 8 MiB source over and over.  It measures how fast a C
 * AFU and the PSL side of the port simulate together: the yardstick for
 * co-simulated RTL AFUs, which the same responder can drive.
 *
 *	afu [N=lines per run] [REPS=runs]
 *
 * Each figure is the median of REPS runs; the last line is
 * "bench memcpy-c-lines-per-s: N /s".
 */
#define pr_fmt(fmt) "bench-afu: " fmt

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "afu/memcpy.h"
#include "afu/port.h"
#include "afu_fixture.h"
#include "core/log.h"

#define CHUNK		(8u << 20)		/* bytes per WE */
#define CHUNK_LINES	(CHUNK / AFU_LINE_SIZE)
#define MAX_REPS	100

struct result {
	double lines_per_s;
	double cycles_per_s;
	double lines_per_cycle;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp_result(const void *a, const void *b)
{
	double x = ((const struct result *)a)->lines_per_s;
	double y = ((const struct result *)b)->lines_per_s;

	return (x > y) - (x < y);
}

/* Host memory: the WE chain, then source and destination chunks. */
static int run(u64 lines, struct result *res)
{
	u64 nwe = (lines + CHUNK_LINES - 1) / CHUNK_LINES, i, cycles, jerror = 1;
	u64 we_bytes = (nwe * sizeof(struct memcpy_we) + 4095) & ~4095ULL;
	struct afu_fx fx;
	struct memcpy_we *we;
	u8 *src, *dst;
	double t0, t1;
	int ret;

	ret = fx_open(&fx, &afu_memcpy_ops, "tags=16", 1, we_bytes + 2 * CHUNK, NULL);
	if (ret)
		return ret;
	we = (void *)fx.area;
	src = fx.area + we_bytes;
	dst = src + CHUNK;
	fx_pattern(src, CHUNK, 1);
	for (i = 0; i < nwe; i++) {
		u64 left = lines - i * CHUNK_LINES;

		we[i].ctl = MEMCPY_CTL_VALID;
		we[i].src = fx_ea(src);
		we[i].dst = fx_ea(dst);
		we[i].len = (left < CHUNK_LINES ? left : CHUNK_LINES) * AFU_LINE_SIZE;
		we[i].next = i + 1 < nwe ? fx_ea(&we[i + 1]) : 0;
	}
	ret = responder_start(&fx.r, RESP_MODE_DEDICATED, fx_ea(we));
	if (ret)
		goto out;
	cycles = fx.r.st.cycles;
	t0 = now_s();
	ret = responder_wait_done(&fx.r, lines * 64 + 1000000, &jerror);
	t1 = now_s();
	cycles = fx.r.st.cycles - cycles;
	if (ret || jerror || we[nwe - 1].status != MEMCPY_ST_DONE ||
	    memcmp(src, dst, we[nwe - 1].len)) {
		pr_err("the copy failed: %d, jerror 0x%llx\n", ret, (unsigned long long)jerror);
		ret = -1;
		goto out;
	}
	res->lines_per_s = lines / (t1 - t0);
	res->cycles_per_s = cycles / (t1 - t0);
	res->lines_per_cycle = (double)lines / cycles;
out:
	fx_close(&fx);
	return ret;
}

static bool parse_args(int argc, char **argv, u64 *n, int *reps)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		char *end;
		unsigned long long v;

		if (!eq)
			return false;
		v = strtoull(eq + 1, &end, 0);
		if (*end || !v)
			return false;
		if (!strncmp(argv[i], "N=", 2))
			*n = v;
		else if (!strncmp(argv[i], "REPS=", 5) && v <= MAX_REPS)
			*reps = v;
		/* Other benchmarks' keys are theirs. */
	}
	return true;
}

int main(int argc, char **argv)
{
	struct result r[MAX_REPS];
	u64 n = 1000000;
	int reps = 3, i;

	if (!parse_args(argc, argv, &n, &reps)) {
		fprintf(stderr, "usage: afu [N=lines] [REPS=1..%d]\n", MAX_REPS);
		return 2;
	}
	for (i = 0; i < reps; i++) {
		if (run(n, &r[i])) {
			pr_err("run %d failed\n", i);
			return 1;
		}
	}
	qsort(r, reps, sizeof(r[0]), cmp_result);
	printf("afu: memcpy AFU + test responder, %llu lines per run (read_cl_na + write_na "
	       "each), 16 tags, latency 1, median of %d\n", (unsigned long long)n, reps);
	printf("afu: %.0f simulated cycles per wall second, %.3f lines per cycle "
	       "(%.0f MB/s simulated at 250 MHz)\n", r[reps / 2].cycles_per_s,
	       r[reps / 2].lines_per_cycle, r[reps / 2].lines_per_cycle * 250e6 * 128 / 1e6);
	printf("bench memcpy-c-lines-per-s: %.0f /s\n", r[reps / 2].lines_per_s);
	return 0;
}
