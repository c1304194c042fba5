// SPDX-License-Identifier: GPL-2.0
/*
 * What tracing at the default level costs on the streaming workload: the
 * C memcpy AFU attached to a PSL8 slice at the model's default timing,
 * copying N cache lines in 1 MiB WEs, as bench/afu.c's "C memcpy, PSL8
 * slice" run sets it up.  Each pair runs the same job untraced and traced
 * into a real .cxt file (a temporary file, read back for its event count
 * and removed), in alternating order so that drift hits both sides alike.
 *
 *	trace-overhead [N=lines per run] [REPS=pairs]
 *
 * N defaults to bench/afu.c's 1000000 lines, REPS to 5 pairs.  With
 * KEEP_TRACE=FILE in the environment, the last traced run is kept there.
 * Traced time includes creating the file and closing the writer (last
 * block, index).  The writer deflates in a thread of its own, so wall time
 * counts deflate only where it holds the simulation up (a busy machine).
 * Two CPU times are printed besides: the simulation thread's alone (what
 * wall time is on an idle machine, whatever the load), and the process's
 * (deflate included).
 * The summary lines:
 *   bench trace-overhead-pct        median over the pairs of on/off - 1
 *   bench trace-bytes-per-event     file size over events, the last run
 */
#define pr_fmt(fmt) "bench-trace-overhead: " fmt

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "afu/port.h"
#include "bench_util.h"
#include "core/log.h"
#include "psl_rig.h"
#include "trace/cxt.h"

#define MAX_REPS	100

/* The workload: bench/afu.c's "C memcpy, PSL8 slice", one job of r->lines lines. */
struct run {
	struct psl_rig rig;
	u64 lines;
};

/* ---- Untraced and traced runs ---- */

/* Wall, this thread's CPU and every thread's CPU seconds (since @t). */
struct span {
	double wall, sim, cpu;
};

static struct span span_now(void)
{
	return (struct span){ bench_now_s(), bench_thread_cpu_s(), bench_cpu_s() };
}

static struct span span_since(struct span t)
{
	return (struct span){ bench_now_s() - t.wall, bench_thread_cpu_s() - t.sim,
			      bench_cpu_s() - t.cpu };
}

static int run_off(struct run *r, struct span *secs)
{
	struct span t0 = span_now();
	int ret = psl_rig_copy(&r->rig, r->lines);

	*secs = span_since(t0);
	return ret;
}

/* The events in the file at @path, read back from its index; -errno on error. */
static long long file_events(const char *path)
{
	struct cxt_reader *rd;
	struct cxt_error err;
	long long n;
	int ret;

	ret = cxt_open(path, 0, &rd, &err);
	if (ret) {
		pr_err("%s\n", err.msg);
		return ret;
	}
	n = cxt_nr_events(rd);
	cxt_close(rd);
	return n;
}

/* The same job traced into @path; its size and events into @bytes, @events. */
static int run_on(struct run *r, const char *path, struct span *secs, long long *bytes,
		  long long *events)
{
	struct cxt_header h = { .level = TRACE_LVL_DEFAULT, .capisim_version = "bench" };
	struct cxt_writer *w;
	struct cxt_error err;
	struct stat st;
	struct span t0;
	int ret, tret;

	t0 = span_now();
	ret = cxt_create(path, &h, NULL, &w, &err);
	if (ret) {
		pr_err("%s\n", err.msg);
		return ret;
	}
	trace_set_clock_var(&r->rig.q.now);
	trace_start(w, TRACE_LVL_DEFAULT);
	ret = psl_rig_copy(&r->rig, r->lines);
	tret = trace_stop();
	trace_set_clock_var(NULL);
	if (tret)
		pr_err("recording: %s\n", trace_error());
	if (cxt_close_writer(w, &err)) {
		pr_err("%s\n", err.msg);
		tret = -EIO;
	}
	*secs = span_since(t0);
	if (ret || tret)
		return ret ?: tret;
	if (stat(path, &st))
		return -errno;
	*bytes = st.st_size;
	*events = file_events(path);
	return *events < 0 ? (int)*events : 0;
}

/* @reps pairs, off first in even pairs and on first in odd ones. */
static int measure(struct run *r, const char *path, u64 reps)
{
	double off[MAX_REPS], on[MAX_REPS], pct[MAX_REPS], sim_pct[MAX_REPS], cpu_pct[MAX_REPS];
	struct span s_off = { 0 }, s_on = { 0 };
	long long bytes = 0, events = 0;
	u64 i;
	int ret = 0;

	for (i = 0; i < reps && !ret; i++) {
		if (i & 1) {
			ret = run_on(r, path, &s_on, &bytes, &events);
			if (!ret)
				ret = run_off(r, &s_off);
		} else {
			ret = run_off(r, &s_off);
			if (!ret)
				ret = run_on(r, path, &s_on, &bytes, &events);
		}
		off[i] = s_off.wall;
		on[i] = s_on.wall;
		pct[i] = (on[i] / off[i] - 1) * 100;
		sim_pct[i] = (s_on.sim / s_off.sim - 1) * 100;
		cpu_pct[i] = (s_on.cpu / s_off.cpu - 1) * 100;
	}
	if (ret) {
		pr_err("pair %llu failed: %d\n", (unsigned long long)i - 1, ret);
		return ret;
	}
	printf("trace-overhead: %llu lines, %lld events per traced run (%.1f per line),"
	       " %lld bytes of .cxt\n", (unsigned long long)r->lines, events,
	       (double)events / r->lines, bytes);
	printf("trace-overhead: wall time off %.3f s, on %.3f s (medians of %llu pairs)\n",
	       bench_median(off, reps), bench_median(on, reps), (unsigned long long)reps);
	printf("trace-overhead: CPU time on/off - 1: simulation thread %.1f %%, whole process"
	       " (with deflate) %.1f %%\n", bench_median(sim_pct, reps),
	       bench_median(cpu_pct, reps));
	printf("bench trace-overhead-pct: %.1f %%\n", bench_median(pct, reps));
	printf("bench trace-bytes-per-event: %.2f bytes\n", (double)bytes / events);
	return 0;
}

int main(int argc, char **argv)
{
	char path[] = "/tmp/capisim-trace-overhead-XXXXXX";
	struct run r;
	u64 n = 1000000, reps = 5;
	const struct bench_arg args[] = {
		{ "N=", 0, &n },
		{ "REPS=", MAX_REPS, &reps },
	};
	int fd, ret;

	log_set_level(LOG_WARN);
	if (!bench_parse_args(argc, argv, args, ARRAY_SIZE(args))) {
		fprintf(stderr, "usage: trace-overhead [N=lines] [REPS=1..%d]\n", MAX_REPS);
		return 2;
	}
	fd = mkstemp(path);
	if (fd < 0) {
		perror("trace-overhead: mkstemp");
		return 1;
	}
	close(fd);
	r.lines = n;
	ret = psl_rig_open(&r.rig, &afu_memcpy_ops, NULL, n);
	/* A first pass over both chunks fills the TLB. */
	if (!ret)
		ret = psl_rig_copy(&r.rig, PSL_RIG_CHUNK_LINES);
	if (!ret)
		ret = measure(&r, path, reps);
	else
		pr_err("the workload failed: %d\n", ret);
	psl_rig_close(&r.rig);
	/* make demo keeps the last traced run to show the trace tools on it. */
	if (!ret && getenv("KEEP_TRACE") && rename(path, getenv("KEEP_TRACE"))) {
		perror("trace-overhead: KEEP_TRACE");
		ret = 1;
	}
	unlink(path);
	return ret ? 1 : 0;
}
