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
 * KEEP_TRACE=FILE in the environment, the last traced run is kept there.  Traced time
 * includes creating the file and closing the writer (last block, index).
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

#include "afu/memcpy.h"
#include "afu/port.h"
#include "afu_fixture.h"
#include "bench_util.h"
#include "core/log.h"
#include "psl_cxldrv.h"
#include "psl_testdrv.h"
#include "trace/cxt.h"

#define CHUNK		(1u << 20)		/* bytes per WE */
#define CHUNK_LINES	(CHUNK / AFU_LINE_SIZE)
#define MAX_REPS	100
#define PAGE		(64 * 1024)		/* the area is mapped in 64 KB pages */
#define AREA_EA		0x0000300000000000ULL	/* ... in this 256 MB segment */
#define AREA_VSID	0x00000ABCDEF1ULL


/* ---- The workload (bench/afu.c's PSL8 slice at default timing) ---- */

/* One card, its host (memory, HPT, segment table) and the AFU in slice 0. */
struct rig {
	struct sim_queue q;
	struct testdrv td;
	struct psl_card *card;
	struct cxldrv drv;
	struct afu *afu;
	u8 *area;		/* WE chain, source chunk, destination chunk */
	u64 bytes;
	u64 lines;		/* per measured job */
};

static u64 we_bytes(u64 lines)
{
	u64 nwe = (lines + CHUNK_LINES - 1) / CHUNK_LINES;

	return (nwe * sizeof(struct memcpy_we) + PAGE - 1) / PAGE * PAGE;
}

static u8 *src_of(struct rig *r)
{
	return r->area + we_bytes(r->lines);
}

static u8 *dst_of(struct rig *r)
{
	return src_of(r) + CHUNK;
}

/* The WE chain copying @lines lines from the source to the destination chunk. */
static u64 put_chain(struct rig *r, u64 lines)
{
	struct memcpy_we *we = (void *)r->area;
	u64 nwe = (lines + CHUNK_LINES - 1) / CHUNK_LINES, src = AREA_EA + we_bytes(r->lines), i;

	memset(r->area, 0, we_bytes(r->lines));
	memset(dst_of(r), 0, CHUNK);
	for (i = 0; i < nwe; i++) {
		u64 left = lines - i * CHUNK_LINES;

		we[i].src = htole64(src);
		we[i].dst = htole64(src + CHUNK);
		we[i].len = htole64((left < CHUNK_LINES ? left : CHUNK_LINES) * AFU_LINE_SIZE);
		we[i].next = htole64(i + 1 < nwe ? AREA_EA + (i + 1) * sizeof(*we) : 0);
		we[i].ctl = htole32(MEMCPY_CTL_VALID);
	}
	return nwe;
}

static bool copy_ok(struct rig *r, u64 nwe)
{
	const struct memcpy_we *we = (const void *)r->area;

	return le64toh(we[nwe - 1].status) == MEMCPY_ST_DONE &&
	       !memcmp(src_of(r), dst_of(r), le64toh(we[nwe - 1].len));
}

static void rig_close(struct rig *r)
{
	psl_card_destroy(r->card);
	if (r->afu)
		r->afu->ops->destroy(r->afu);
	cd_exit(&r->drv);
	td_exit(&r->td);
	free(r->area);
	simq_exit(&r->q);
}

static int rig_map(struct rig *r)
{
	u64 off;

	td_load_segment(&r->td, AREA_EA, AREA_VSID, 0, TD_STE_USER | td_sllp(TD_SZ_64K));
	for (off = 0; off < r->bytes; off += PAGE)
		if (!td_hpte_insert(&r->td, AREA_VSID, AREA_EA + off, 0, TD_SZ_64K, TD_SZ_64K,
				    mem_ra(r->area) + off, &td_rw))
			return -ENOSPC;
	return 0;
}

static int rig_open(struct rig *r, u64 lines)
{
	struct psl_params p;
	int ret;

	memset(r, 0, sizeof(*r));
	simq_init(&r->q);
	ret = td_init(&r->td, 1 << 20, 4096);
	if (ret)
		return ret;
	r->lines = lines;
	r->bytes = we_bytes(lines) + 2 * CHUNK;
	r->area = aligned_alloc(PAGE, r->bytes);
	if (!r->area)
		return -ENOMEM;
	ret = mem_add(&r->td.mem, mem_ra(r->area), r->bytes, "area", true);
	if (!ret)
		ret = rig_map(r);
	if (ret)
		return ret;
	fx_pattern(src_of(r), CHUNK, 1);
	psl_params_defaults(&p);
	r->card = psl_card_create(&r->q, &p);
	if (!r->card)
		return -EINVAL;
	psl_cfg_write(r->card, 0x04, 2, 0x0006);
	psl_card_connect(r->card, &r->td.mem, NULL);
	cd_init(&r->drv, &r->q, r->card, &r->td.mem, 0);
	cd_p1_write(&r->drv, CXL_PSL_AFUSEL, CXL_PSL_AFUSEL_A);
	r->afu = afu_memcpy_ops.create("m0", 1, NULL);
	if (!r->afu)
		return -EINVAL;
	ret = psl_afu_attach(&r->card->slice[0], r->afu);
	if (ret)
		return ret;
	cd_activate_dedicated(&r->drv, 0, r->td.sdr1);
	return 0;
}

static bool job_ended(void *arg)
{
	struct rig *r = arg;

	return r->card->slice[0].port.job.state == PSL_JOB_ENDED;
}

/* Copy @lines lines in one job: attach as the driver does, run to the end, detach. */
static int rig_job(struct rig *r, u64 lines)
{
	struct cd_ctx c = {
		.sr = TD_SR_USER, .sstp0 = r->td.sstp0, .sstp1 = r->td.sstp1,
		.sdr = r->td.sdr1, .pid = 1, .wed = AREA_EA,
	};
	u64 nwe = put_chain(r, lines);
	int ret;

	ret = cd_attach_dedicated(&r->drv, &c);
	if (ret)
		return ret;
	simq_run_while_not(&r->q, job_ended, r);
	if (!job_ended(r))
		return -EDEADLK;
	ret = cd_detach_dedicated(&r->drv);
	if (!ret && (!copy_ok(r, nwe) || r->card->slice[0].port.job.stats.afu_errors))
		ret = -EIO;
	return ret;
}

/* ---- Untraced and traced runs ---- */

static u64 q_clock(void *arg)
{
	return simq_now(arg);
}

static int run_off(struct rig *r, double *secs)
{
	double t0 = bench_now_s();
	int ret = rig_job(r, r->lines);

	*secs = bench_now_s() - t0;
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
static int run_on(struct rig *r, const char *path, double *secs, long long *bytes,
		  long long *events)
{
	struct cxt_header h = { .level = TRACE_LVL_DEFAULT, .capisim_version = "bench" };
	struct cxt_writer *w;
	struct cxt_error err;
	struct stat st;
	double t0;
	int ret, tret;

	t0 = bench_now_s();
	ret = cxt_create(path, &h, NULL, &w, &err);
	if (ret) {
		pr_err("%s\n", err.msg);
		return ret;
	}
	trace_set_clock(q_clock, &r->q);
	trace_start(w, TRACE_LVL_DEFAULT);
	ret = rig_job(r, r->lines);
	tret = trace_stop();
	trace_set_clock(NULL, NULL);
	if (tret)
		pr_err("recording: %s\n", trace_error());
	if (cxt_close_writer(w, &err)) {
		pr_err("%s\n", err.msg);
		tret = -EIO;
	}
	*secs = bench_now_s() - t0;
	if (ret || tret)
		return ret ?: tret;
	if (stat(path, &st))
		return -errno;
	*bytes = st.st_size;
	*events = file_events(path);
	return *events < 0 ? (int)*events : 0;
}




/* @reps pairs, off first in even pairs and on first in odd ones. */
static int measure(struct rig *r, const char *path, u64 reps)
{
	double off[MAX_REPS], on[MAX_REPS], pct[MAX_REPS];
	long long bytes = 0, events = 0;
	u64 i;
	int ret = 0;

	for (i = 0; i < reps && !ret; i++) {
		if (i & 1) {
			ret = run_on(r, path, &on[i], &bytes, &events);
			if (!ret)
				ret = run_off(r, &off[i]);
		} else {
			ret = run_off(r, &off[i]);
			if (!ret)
				ret = run_on(r, path, &on[i], &bytes, &events);
		}
		pct[i] = (on[i] / off[i] - 1) * 100;
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
	printf("bench trace-overhead-pct: %.1f %%\n", bench_median(pct, reps));
	printf("bench trace-bytes-per-event: %.2f bytes\n", (double)bytes / events);
	return 0;
}

int main(int argc, char **argv)
{
	char path[] = "/tmp/capisim-trace-overhead-XXXXXX";
	struct rig r;
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
	ret = rig_open(&r, n);
	/* A first pass over both chunks fills the TLB. */
	if (!ret)
		ret = rig_job(&r, CHUNK_LINES);
	if (!ret)
		ret = measure(&r, path, reps);
	else
		pr_err("the workload failed: %d\n", ret);
	rig_close(&r);
	/* make demo keeps the last traced run to show the trace tools on it. */
	if (!ret && getenv("KEEP_TRACE") && rename(path, getenv("KEEP_TRACE"))) {
		perror("trace-overhead: KEEP_TRACE");
		ret = 1;
	}
	unlink(path);
	return ret ? 1 : 0;
}
