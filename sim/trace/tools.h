/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trace tools behind "capisim trace stats|perfetto|fst|diff"
 * (docs/trace-tools.md): statistics and latency histograms, a Perfetto
 * timeline, a waveform for GTKWave, and the comparison of two traces.
 * Each reads .cxt files; errors are negative errno values with @err
 * naming the file and what went wrong.
 */
#ifndef CAPISIM_TRACE_TOOLS_H
#define CAPISIM_TRACE_TOOLS_H

#include <stdio.h>

#include "trace/cxt.h"

/* ---- stats ---- */

/* Log2 buckets: [0] holds 0 ps, [k] holds [2^(k-1), 2^k) ps. */
#define TRACE_LAT_BUCKETS 65
/* Distinct results kept per row; the rest add up in @other_results. */
#define TRACE_LAT_RESULTS 8

struct trace_lat_result {
	const char *name;
	u64 count;
};

/*
 * One row of the latency table: an operation ("command", "fault", "mmio",
 * ...) and a key within it ("read_cl_s", "TFC R", a register).  Times in
 * ps; percentiles by nearest rank over the finished spans.
 */
struct trace_lat {
	const char *op;
	const char *key;
	u64 count;			/* finished: the samples */
	u64 unfinished;			/* started, not ended when the trace did */
	u64 min, avg, p50, p99, max;	/* 0 when @count is 0 */
	u64 hist[TRACE_LAT_BUCKETS];
	unsigned int nr_results;
	struct trace_lat_result results[TRACE_LAT_RESULTS];
	u64 other_results;
};

struct trace_stats;

/* Read the trace at @path and compute everything. */
int trace_stats_read(const char *path, struct trace_stats **out, struct cxt_error *err);
void trace_stats_free(struct trace_stats *st);

/* Events of @kind from @source (NULL: any) */
u64 trace_stats_count(const struct trace_stats *st, const char *source, const char *kind);
/* The row (@op, @key), NULL if none; rows in table order by index. */
const struct trace_lat *trace_stats_lat(const struct trace_stats *st, const char *op,
					const char *key);
unsigned int trace_stats_nr_lat(const struct trace_stats *st);
const struct trace_lat *trace_stats_lat_at(const struct trace_stats *st, unsigned int i);

/* The tables for people; with @hist, a histogram for every row. */
void trace_stats_print(const struct trace_stats *st, FILE *out, bool hist);
/* The same as one JSON object. */
void trace_stats_json(const struct trace_stats *st, FILE *out);

/* ---- perfetto ---- */

/* The trace at @path as Chrome/Perfetto trace-event JSON on @out. */
int trace_perfetto(const char *path, FILE *out, struct cxt_error *err);

/* ---- fst / vcd ---- */

enum trace_wave_format {
	TRACE_WAVE_FST,
	TRACE_WAVE_VCD,
};

/* The PSL-AFU signals and PSL state machines of @path, as a waveform file. */
int trace_wave(const char *path, const char *out_path, enum trace_wave_format fmt,
	       struct cxt_error *err);

/* ---- diff ---- */

struct trace_diff_opts {
	bool events_only;		/* do not compare the headers */
	bool ignore_time;		/* events differing only in time are equal */
};

struct trace_diff_result {
	unsigned int header_diffs;	/* header entries that differ */
	bool events_differ;
	u64 first;			/* index of the first differing event */
	u64 nr_a, nr_b;			/* events in each */
};

/*
 * Compare @a with @b, print the differences to @out (nothing to print
 * when they are the same).  Returns 0 the same, 1 different, or a
 * negative errno when a file cannot be read.
 */
int trace_diff(const char *a, const char *b, const struct trace_diff_opts *opts, FILE *out,
	       struct trace_diff_result *res, struct cxt_error *err);

#endif
