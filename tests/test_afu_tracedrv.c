// SPDX-License-Identifier: GPL-2.0
/*
 * The trace-driven AFU (sim/afu/tracedrv.c) against the PSL8 model: a
 * memcpy job recorded at the default trace level, with the page faults
 * the OS serves on the way (PAGED responses, restart, resent commands),
 * is replayed by the trace AFU on a fresh machine.
 *
 *  - the same model: the command/response stream (psl.cmd, psl.resp,
 *    every field, every time) is the recording's, event for event;
 *  - slower memory: the replay still completes, with the same commands
 *    and responses in the same order, later;
 *  - a verbose recording: the replay writes the recorded data, so the
 *    copy is right in host memory too;
 *  - a hand-made trace that claims a response the PSL does not give: the
 *    AFU says which event, when, expected and got, and ends the job.
 */
#define pr_fmt(fmt) "test_afu_tracedrv: " fmt

#include <unistd.h>

#include "harness.h"
#include "afu/memcpy.h"
#include "afu/port.h"
#include "afu/tracedrv.h"
#include "core/log.h"
#include "host/irq.h"
#include "psl_cxldrv.h"
#include "psl_testdrv.h"
#include "trace/cxt.h"

#define NS		PS_PER_NS
#define US		PS_PER_US
#define MS		PS_PER_MS
#define AREA_BYTES	(64 * 1024)
#define AREA_EA		0x0000100000000000ULL
#define SRC_OFF		0x1000
#define DST_OFF		0x8000
#define COPY_LEN	0x2400		/* 72 lines over three source pages */
#define VSID		0x5150001ULL
#define HW_BASE		0x200
#define HW_PSL		0x210
#define HW_AFU		0x220
#define MAX_EVENTS	4096

/* The machine: one card, its host and an OS serving faults; rebuilt by power_on(). */
static struct sim_queue q;
static struct testdrv td;
static struct irq_ctl ic;
static struct psl_card *card;
static struct cxldrv drv;
static struct afu *afu;
static u8 *area;
static bool seg_loaded, page_mapped[AREA_BYTES / 4096];
static u32 nr_faults;
static FILE *sink;

/* One psl.cmd or psl.resp, as the comparison sees it. */
struct port_ev {
	u64 time;
	bool resp;
	u64 f[7];		/* the kind's fields in order */
};

struct stream {
	struct port_ev ev[MAX_EVENTS];
	u32 n;
};

static struct stream orig, replay;
static char orig_path[] = "/tmp/test_afu_tracedrv.XXXXXX";

/*
 * ---- The OS: map on first touch ----
 *
 * It answers TFC C, not R: the faulting command comes back PAGED, the
 * context's others FLUSHED, and the AFU sends restart and resends them
 * (reference 8.6): the recovery the trace AFU has to replay.
 */

static void on_psl_irq(void)
{
	u64 dsisr = cd_p2n_read(&drv, CXL_PSL_DSISR_An);
	u64 dar = cd_p2n_read(&drv, CXL_PSL_DAR_An);
	u64 off = dar - AREA_EA;

	nr_faults++;
	if (!(dsisr & CXL_PSL_DSISR_TRANS) || off >= AREA_BYTES) {
		cd_p2n_write(&drv, CXL_PSL_TFC_An, CXL_PSL_TFC_An_AE);
		return;
	}
	if ((dsisr & CXL_PSL_DSISR_An_DS) && !seg_loaded) {
		seg_loaded = true;
		td_load_segment(&td, dar, VSID, 0, TD_STE_USER | td_sllp(TD_SZ_4K));
	} else if (!(dsisr & CXL_PSL_DSISR_An_DS) && !page_mapped[off / 4096]) {
		page_mapped[off / 4096] = true;
		td_hpte_insert(&td, VSID, dar & ~0xFFFULL, 0, TD_SZ_4K, TD_SZ_4K,
			       mem_ra(area) + (off & ~0xFFFULL), &td_rw);
	}
	cd_p2n_write(&drv, CXL_PSL_TFC_An, CXL_PSL_TFC_An_C);
}

static void on_msi(void *arg, u32 hwirq)
{
	if (hwirq == HW_PSL)
		on_psl_irq();
}

/* ---- The machine ---- */

static void power_off(void)
{
	psl_card_destroy(card);
	card = NULL;
	if (afu)
		afu->ops->destroy(afu);
	afu = NULL;
	cd_exit(&drv);
	irq_ctl_exit(&ic);
	td_exit(&td);
	free(area);
	area = NULL;
	simq_exit(&q);
}

/* A fresh machine with @timing (NULL: the defaults); the AFU comes later. */
static int power_on(const struct psl_timing *timing)
{
	struct psl_params p;
	u32 h;

	simq_init(&q);
	td_init(&td, 256 * 1024, 4096);
	area = aligned_alloc(4096, AREA_BYTES);
	mem_add(&td.mem, mem_ra(area), AREA_BYTES, "area", true);
	irq_ctl_init(&ic, &q, HW_BASE, 0x40, 100 * NS);
	for (h = HW_BASE; h < HW_BASE + 0x40; h++)
		irq_attach(&ic, h, on_msi, NULL);
	seg_loaded = false;
	memset(page_mapped, 0, sizeof(page_mapped));
	nr_faults = 0;
	psl_params_defaults(&p);
	if (timing)
		p.timing = *timing;
	card = psl_card_create(&q, &p);
	if (!card)
		return -EINVAL;
	cd_card_up(&drv, &q, card, &td.mem, &ic);
	cd_p1_write(&drv, CXL_PSL_AFUSEL, CXL_PSL_AFUSEL_A);
	return 0;
}

/* One WE copying COPY_LEN bytes; the area otherwise a pattern. */
static void fill_area(void)
{
	struct memcpy_we *we = (void *)area;
	u32 k;

	for (k = 0; k < AREA_BYTES; k++)
		area[k] = k * 7 + 3;
	memset(we, 0, sizeof(*we));
	we->src = htole64(AREA_EA + SRC_OFF);
	we->dst = htole64(AREA_EA + DST_OFF);
	we->len = htole64(COPY_LEN);
	we->ctl = htole32(MEMCPY_CTL_VALID);
}

static bool job_ended(void *arg)
{
	return card->slice[0].port.job.state == PSL_JOB_ENDED || simq_now(&q) > *(u64 *)arg;
}

/*
 * Attach AFU @ops (made with @options) in dedicated mode, run its job to
 * the end, let the last events settle and detach.
 */
static int run_job(const struct afu_ops *ops, const char *options)
{
	struct cd_ctx c = {
		.sr = TD_SR_USER, .sstp0 = td.sstp0, .sstp1 = td.sstp1, .sdr = td.sdr1,
		.pid = 77, .ivte_off = { HW_PSL, HW_AFU }, .ivte_range = { 1, 1 },
		.wed = AREA_EA,
	};
	u64 deadline;
	int ret;

	fill_area();
	afu = ops->create("m0", 1, options);
	if (!afu)
		return -EINVAL;
	ret = psl_afu_attach(&card->slice[0], afu);
	if (ret)
		return ret;
	cd_activate_dedicated(&drv, 0, td.sdr1);
	ret = cd_attach_dedicated(&drv, &c);
	if (ret)
		return ret;
	deadline = simq_now(&q) + 20 * MS;
	simq_run_while_not(&q, job_ended, &deadline);
	if (card->slice[0].port.job.state != PSL_JOB_ENDED)
		return -ETIMEDOUT;
	simq_run_until(&q, simq_now(&q) + 5 * US);
	return cd_detach_dedicated(&drv);
}

/* ---- Traces ---- */

static int trace_begin(const char *path, enum trace_level level, struct cxt_writer **w)
{
	struct cxt_header h = { .level = level, .capisim_version = "test" };
	struct cxt_error err;
	int ret = cxt_create(path, &h, NULL, w, &err);

	if (ret) {
		fprintf(stderr, "%s\n", err.msg);
		return ret;
	}
	trace_set_clock_var(&q.now);
	return trace_start(*w, level);
}

static int trace_end(struct cxt_writer *w)
{
	struct cxt_error err;
	int ret = trace_stop();

	trace_set_clock_var(NULL);
	if (ret)
		fprintf(stderr, "recording: %s\n", trace_error());
	if (cxt_close_writer(w, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		ret = -EIO;
	}
	return ret;
}

/* The psl.cmd and psl.resp events of the trace at @path into @s. */
static int read_stream(const char *path, struct stream *s)
{
	struct cxt_reader *r;
	struct cxt_error err;
	struct trace_event ev;
	int ret;

	s->n = 0;
	ret = cxt_open(path, 0, &r, &err);
	if (ret)
		return ret;
	while ((ret = cxt_next(r, &ev, &err)) > 0) {
		const char *name = cxt_kind(r, ev.kind)->name;
		struct port_ev *p;
		unsigned int i;

		if (strcmp(name, "psl.cmd") && strcmp(name, "psl.resp"))
			continue;
		if (s->n == MAX_EVENTS) {
			ret = -ENOSPC;
			break;
		}
		p = &s->ev[s->n++];
		memset(p, 0, sizeof(*p));
		p->time = ev.time;
		p->resp = !strcmp(name, "psl.resp");
		for (i = 0; i < ev.nr_fields && i < ARRAY_SIZE(p->f); i++)
			p->f[i] = ev.f[i].u;
	}
	cxt_close(r);
	return ret;
}

/* The first event where @a and @b differ, or their common length if one ends first. */
static u32 first_difference(const struct stream *a, const struct stream *b)
{
	u32 i;

	for (i = 0; i < a->n && i < b->n; i++)
		if (memcmp(&a->ev[i], &b->ev[i], sizeof(a->ev[i])))
			return i;
	return i;
}

/* The same without times and latencies: what happened, in order. */
static bool same_order(const struct stream *a, const struct stream *b)
{
	u32 i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++) {
		const struct port_ev *x = &a->ev[i], *y = &b->ev[i];
		unsigned int nf = x->resp ? 3 : 7;	/* psl.resp: slice, tag, resp */

		if (x->resp != y->resp || memcmp(x->f, y->f, nf * sizeof(x->f[0])))
			return false;
	}
	return true;
}

static u32 count_resp(const struct stream *s, u64 code)
{
	u32 i, n = 0;

	for (i = 0; i < s->n; i++)
		n += s->ev[i].resp && s->ev[i].f[2] == code;
	return n;
}

static void quiet_logs(void)
{
	if (!sink)
		sink = fopen("/dev/null", "w");
	log_set_file(sink);
}

/* Make the file of the template @path (mkstemp()), for a trace to go into. */
static int make_temp(char *path)
{
	int fd = mkstemp(path);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/*
 * Power on with @timing and run AFU @ops with @options, traced at @level
 * into @path.  The machine stays up, for the caller to read, whatever the
 * result: power_off() is the caller's.
 */
static int traced_job(const char *path, enum trace_level level, const struct psl_timing *timing,
		      const struct afu_ops *ops, const char *options)
{
	struct cxt_writer *w;
	int ret;

	ret = power_on(timing);
	if (!ret)
		ret = trace_begin(path, level, &w);
	if (ret)
		return ret;
	ret = run_job(ops, options);
	return trace_end(w) ?: ret;
}

/* Record the memcpy job at @level into @path (made by mkstemp()). */
static int record(char *path, enum trace_level level)
{
	int ret = make_temp(path);

	if (ret)
		return ret;
	ret = traced_job(path, level, NULL, &afu_memcpy_ops, NULL);
	power_off();
	return ret;
}

/* Record the memcpy job once at the default level, into orig_path and orig. */
static int record_original(void)
{
	if (orig.n)
		return 0;
	return record(orig_path, TRACE_LVL_DEFAULT) ?: read_stream(orig_path, &orig);
}

/*
 * Replay @trace on a machine with @timing; the stream into @s, the AFU's
 * account into @st, host memory into @mem if not NULL.
 */
static int replay_run(const char *trace, const struct psl_timing *timing, struct stream *s,
		      struct tracedrv_status *st, u8 *mem)
{
	char path[] = "/tmp/test_afu_tracedrv.replay.XXXXXX", opt[128];
	int ret = make_temp(path);

	if (ret)
		return ret;
	snprintf(opt, sizeof(opt), "trace=%s", trace);
	ret = traced_job(path, TRACE_LVL_DEFAULT, timing, afu_find("trace"), opt);
	if (afu)
		tracedrv_status(afu, st);
	if (mem)
		memcpy(mem, area, AREA_BYTES);
	power_off();
	if (!ret)
		ret = read_stream(path, s);
	unlink(path);
	return ret;
}

/* ---- Tests ---- */

TEST recording_has_faults(void)
{
	quiet_logs();
	ASSERT_EQ(0, record_original());
	/* Worth replaying: the OS served faults and the AFU resent commands. */
	ASSERT(nr_faults >= 4);
	ASSERT(count_resp(&orig, AFU_RESP_PAGED) > 0);
	ASSERT(count_resp(&orig, AFU_RESP_DONE) > 2 * COPY_LEN / AFU_LINE_SIZE);
	PASS();
}

TEST replay_is_identical(void)
{
	struct tracedrv_status st;
	u32 i;

	quiet_logs();
	ASSERT_EQ(0, record_original());
	ASSERT_EQ(0, replay_run(orig_path, NULL, &replay, &st, NULL));
	ASSERTm(st.why, st.finished && !st.lost);
	ASSERT_EQ(st.steps, st.done);
	ASSERT(st.no_data > 0);	/* the default level records no write data */
	i = first_difference(&orig, &replay);
	if (i < orig.n || i < replay.n)
		fprintf(stderr, "first difference at %u: time %llu vs %llu\n", i,
			(unsigned long long)orig.ev[i].time, (unsigned long long)replay.ev[i].time);
	ASSERT_EQ(orig.n, replay.n);
	ASSERT_EQ(orig.n, i);
	PASS();
}

TEST replay_follows_slower_memory(void)
{
	struct tracedrv_status st;
	struct psl_timing t;
	struct psl_params p;
	u32 i;

	quiet_logs();
	ASSERT_EQ(0, record_original());
	psl_params_defaults(&p);
	t = p.timing;
	t.dma_read += 200 * NS;
	ASSERT_EQ(0, replay_run(orig_path, &t, &replay, &st, NULL));
	ASSERTm(st.why, st.finished && !st.lost);
	i = first_difference(&orig, &replay);
	printf("slower memory: %u events, the first difference at %u (%s, %llu ps vs %llu ps),"
	       " the last event at %llu ps vs %llu ps\n", orig.n, i,
	       orig.ev[i].resp ? "psl.resp" : "psl.cmd", (unsigned long long)orig.ev[i].time,
	       (unsigned long long)replay.ev[i].time,
	       (unsigned long long)orig.ev[orig.n - 1].time,
	       (unsigned long long)replay.ev[replay.n - 1].time);
	ASSERTm("the timing change shows", i < orig.n);
	ASSERTm("same commands and responses, in the same order", same_order(&orig, &replay));
	ASSERT(replay.ev[replay.n - 1].time > orig.ev[orig.n - 1].time);
	PASS();
}

/* From a verbose trace the AFU writes what the original wrote: the copy is right. */
TEST replay_writes_recorded_data(void)
{
	char path[] = "/tmp/test_afu_tracedrv.verbose.XXXXXX";
	/* The work element at its start is a struct memcpy_we: its alignment. */
	static u8 mem[AREA_BYTES] __attribute__((aligned(128)));
	struct tracedrv_status st;
	int ret;

	quiet_logs();
	ret = record(path, TRACE_LVL_VERBOSE);
	if (!ret)
		ret = replay_run(path, NULL, &replay, &st, mem);
	unlink(path);
	ASSERT_EQ(0, ret);
	ASSERTm(st.why, st.finished && !st.lost);
	ASSERT_EQ(0, st.no_data);
	ASSERT_MEM_EQ(mem + SRC_OFF, mem + DST_OFF, COPY_LEN);
	ASSERT_EQ(MEMCPY_ST_DONE, le64toh(((struct memcpy_we *)mem)->status));
	PASS();
}

/*
 * The recording up to its first command, then that command (the WE's
 * read) answered DONE at once and the job done: on a fresh machine the
 * read faults and comes back PAGED, which this "original" never saw.
 */
static int write_bad_trace(const char *path)
{
	struct cxt_header h = { .level = TRACE_LVL_DEFAULT };
	struct cxt_writer *w;
	struct cxt_reader *r;
	struct cxt_error err;
	struct trace_event ev;
	struct trace_arg resp[5];
	int ret;

	ret = cxt_open(orig_path, 0, &r, &err);
	if (ret)
		return ret;
	ret = cxt_create(path, &h, &(struct cxt_writer_opts){ .sync = true }, &w, &err);
	if (ret) {
		cxt_close(r);
		return ret;
	}
	while ((ret = cxt_next(r, &ev, &err)) > 0) {
		const struct cxt_kind *k = cxt_kind(r, ev.kind);
		const char *name = cxt_kind(r, ev.kind)->name;
		char names[TRACE_MAX_FIELDS][TRACE_MAX_NAME + 1];
		unsigned int i;
		int kid, sid;

		for (i = 0; i < k->nr_fields; i++)
			snprintf(names[i], sizeof(names[i]), "%s", k->field_names[i]);
		kid = cxt_def_kind(w, name, k->level, k->nr_fields, k->types, names, &err);
		sid = cxt_def_source(w, cxt_source_name(r, ev.src), &err);
		if (kid < 0 || sid < 0) {
			ret = -EINVAL;
			break;
		}
		ev.kind = kid;
		ev.src = sid;
		ret = cxt_write(w, &ev, &err);
		if (ret || !strcmp(name, "psl.cmd"))
			break;
	}
	if (!ret) {
		/* psl.resp: slice, tag, DONE, a credit, latency; 8 cycles after the command. */
		ev.kind = cxt_def_kind(w, "psl.resp", TRACE_LVL_DEFAULT, 5,
				       (const u8[]){ TRACE_U64, TRACE_U64, TRACE_U64, TRACE_S64,
						     TRACE_U64 },
				       (const char[][TRACE_MAX_NAME + 1]){ "slice", "tag", "resp",
									   "credits", "lat" },
				       &err);
		resp[0] = TRACE_U(0);
		resp[1] = TRACE_U(ev.f[1].u);
		resp[2] = TRACE_U(AFU_RESP_DONE);
		resp[3] = TRACE_S(1);
		resp[4] = TRACE_U(32 * NS);
		ev.time += 32 * NS;
		ev.nr_fields = 5;
		ev.f = resp;
		ret = cxt_write(w, &ev, &err);
	}
	cxt_close(r);
	ret = cxt_close_writer(w, &err) ?: ret;
	if (ret)
		fprintf(stderr, "%s\n", err.msg);
	return ret;
}

TEST replay_reports_what_it_cannot_follow(void)
{
	char path[] = "/tmp/test_afu_tracedrv.bad.XXXXXX";
	struct tracedrv_status st;
	int fd, ret;

	quiet_logs();
	ASSERT_EQ(0, record_original());
	fd = mkstemp(path);
	ASSERT(fd >= 0);
	close(fd);
	ret = write_bad_trace(path);
	if (!ret)
		ret = replay_run(path, NULL, &replay, &st, NULL);
	unlink(path);
	ASSERT_EQ(0, ret);
	printf("cannot follow: %s\n", st.why);
	ASSERT(st.lost && !st.finished);
	ASSERT(strstr(st.why, "expected response DONE, got PAGED"));
	ASSERT(strstr(st.why, "event "));
	ASSERT(strstr(st.why, " ns: tag "));
	PASS();
}

TEST bad_options_are_refused(void)
{
	const struct afu_ops *ops = afu_find("trace");

	quiet_logs();
	ASSERT(ops);
	ASSERT_FALSE(ops->create("t", 1, NULL));
	ASSERT_FALSE(ops->create("t", 1, "slice=1"));
	ASSERT_FALSE(ops->create("t", 1, "trace=/nonexistent/t.cxt"));
	ASSERT_EQ(0, record_original());
	/* A slice the recording has nothing of. */
	{
		char opt[128];

		snprintf(opt, sizeof(opt), "trace=%s,slice=2", orig_path);
		ASSERT_FALSE(ops->create("t", 1, opt));
		snprintf(opt, sizeof(opt), "trace=%s,brlat=2", orig_path);
		ASSERT_FALSE(ops->create("t", 1, opt));
	}
	PASS();
}

SUITE(tracedrv)
{
	RUN_TEST(recording_has_faults);
	RUN_TEST(replay_is_identical);
	RUN_TEST(replay_follows_slower_memory);
	RUN_TEST(replay_writes_recorded_data);
	RUN_TEST(replay_reports_what_it_cannot_follow);
	RUN_TEST(bad_options_are_refused);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	log_set_level(LOG_WARN);
	RUN_SUITE(tracedrv);
	if (orig.n)
		unlink(orig_path);
	if (sink)
		fclose(sink);
	HARNESS_MAIN_END();
}
