// SPDX-License-Identifier: GPL-2.0
/*
 * What tracing costs on streaming traffic: a copy AFU reading and writing
 * consecutive cache lines with 32 commands in flight: command, two
 * buffer transfers and response per line, each way, as the PSL model
 * traces them at the verbose level (all traced here at the default).  Prints the file's bytes per event, the
 * emit+encode+compress+write time per event, the read-back time per
 * event, and the cost of the same run with tracing off; times are the
 * median of REPS runs.
 *
 *	trace [N=events] [Z=deflate level] [REPS=n]
 *
 * The last line is "bench trace-synthetic-bytes-per-event: B bytes"; the
 * PSL model's own trace of a real workload is bench/trace-overhead.c's.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "trace/cxt.h"

#define PERIOD_PS	4000		/* the PSL clock */
#define MAX_INFLIGHT	32
#define CMD_READ_CL	0x0a00
#define CMD_WRITE_MI	0x0d60

static struct trace_kind tk_cmd =
	TRACE_KIND("afu.cmd", TRACE_LVL_DEFAULT, "tag:u64 cmd:u64 ea:u64 size:u64");
static struct trace_kind tk_bufwr =
	TRACE_KIND("psl.bufwr", TRACE_LVL_DEFAULT, "tag:u64 off:u64");
static struct trace_kind tk_bufrd =
	TRACE_KIND("psl.bufrd", TRACE_LVL_DEFAULT, "tag:u64 off:u64");
static struct trace_kind tk_resp =
	TRACE_KIND("psl.resp", TRACE_LVL_DEFAULT, "tag:u64 code:u64 credits:u64");
static struct trace_source ts_afu = TRACE_SOURCE("afu0");
static struct trace_source ts_psl = TRACE_SOURCE("psl");

/* A command in flight; responses come back in issue order. */
struct cmd {
	u64 due;			/* cycle of its response */
	u64 line;
	u32 tag;
	bool write;
};

/* The copy AFU and the PSL's responses to it; one per run. */
struct stream {
	u64 cycle;
	u64 lines, next_read;
	u64 writes_ready[MAX_INFLIGHT];	/* lines read, to be written back */
	u32 nr_writes_ready;
	struct cmd q[MAX_INFLIGHT];	/* ring, in issue order */
	u32 head, nr;
	u32 free_tags[MAX_INFLIGHT];
	u32 nr_free;
	u64 last_due;
	u64 rng;
	u64 events;
};

static u64 stream_now(void *arg)
{
	return ((struct stream *)arg)->cycle * PERIOD_PS;
}

static u64 jitter(struct stream *s)
{
	s->rng = s->rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return s->rng >> 60;
}

static void respond(struct stream *s)
{
	struct cmd *c = &s->q[s->head];
	struct trace_kind *buf = c->write ? &tk_bufrd : &tk_bufwr;

	trace_emit(buf, &ts_psl, 0, TRACE_U(c->tag), TRACE_U(0));
	trace_emit(buf, &ts_psl, 0, TRACE_U(c->tag), TRACE_U(64));
	trace_emit(&tk_resp, &ts_psl, 0, TRACE_U(c->tag), TRACE_U(0), TRACE_U(1));
	s->events += 3;
	if (!c->write)
		s->writes_ready[s->nr_writes_ready++] = c->line;
	s->free_tags[s->nr_free++] = c->tag;
	s->head = (s->head + 1) % MAX_INFLIGHT;
	s->nr--;
}

static void issue(struct stream *s, bool write, u64 line)
{
	struct cmd *c = &s->q[(s->head + s->nr) % MAX_INFLIGHT];
	u64 base = write ? 0x7f0000000000ULL : 0x7e0000000000ULL;

	c->tag = s->free_tags[--s->nr_free];
	c->write = write;
	c->line = line;
	c->due = s->cycle + (write ? 60 : 100) + jitter(s);
	if (c->due <= s->last_due)
		c->due = s->last_due + 1;
	s->last_due = c->due;
	s->nr++;
	trace_emit(&tk_cmd, &ts_afu, 0, TRACE_U(c->tag),
		   TRACE_U(write ? CMD_WRITE_MI : CMD_READ_CL), TRACE_U(base + line * 128),
		   TRACE_U(128));
	s->events++;
}

/* One cycle: at most one response, then at most one command, writes first. */
static void cycle(struct stream *s)
{
	if (s->nr && s->q[s->head].due <= s->cycle)
		respond(s);
	if (s->nr_free && s->nr_writes_ready)
		issue(s, true, s->writes_ready[--s->nr_writes_ready]);
	else if (s->nr_free && s->next_read < s->lines)
		issue(s, false, s->next_read++);
	s->cycle++;
}

static void stream_init(struct stream *s, u64 lines)
{
	u32 i;

	memset(s, 0, sizeof(*s));
	s->lines = lines;
	s->rng = 1;
	for (i = 0; i < MAX_INFLIGHT; i++)
		s->free_tags[s->nr_free++] = MAX_INFLIGHT - 1 - i;
}

static void stream_run(struct stream *s)
{
	while (s->next_read < s->lines || s->nr || s->nr_writes_ready)
		cycle(s);
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Read @f back from the start; returns the events or -1. */
static long read_back(FILE *f, size_t len)
{
	struct trace_event ev;
	struct cxt_reader *r;
	struct cxt_error err;
	char *buf = malloc(len);
	long n = 0;
	int ret;

	rewind(f);
	if (!buf || fread(buf, 1, len, f) != len)
		return -1;
	if (cxt_open_mem(buf, len, "bench.cxt", 0, &r, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	while ((ret = cxt_next(r, &ev, &err)) > 0)
		n++;
	if (ret < 0)
		fprintf(stderr, "%s\n", err.msg);
	cxt_close(r);
	free(buf);
	return ret < 0 ? -1 : n;
}

/* One run's figures: seconds untraced, traced and reading back; file bytes. */
struct figures {
	double off, on, read;
	long size;
	u64 events;
};

static int run_once(u64 lines, int zlevel, struct figures *fig)
{
	struct cxt_writer_opts o = { .zlevel = zlevel };
	struct cxt_header h = { .level = TRACE_LVL_DEFAULT, .capisim_version = "bench" };
	struct cxt_writer *w;
	struct cxt_error err;
	struct stream s;
	double t0;
	FILE *f;
	long n;

	/* The same run untraced: what the loop itself costs. */
	stream_init(&s, lines);
	t0 = now_s();
	stream_run(&s);
	fig->off = now_s() - t0;

	f = tmpfile();
	if (!f || cxt_create_file(f, "bench.cxt", &h, &o, &w, &err)) {
		fprintf(stderr, "bench trace: %s\n", f ? err.msg : "no temporary file");
		return -1;
	}
	stream_init(&s, lines);
	trace_set_clock(stream_now, &s);
	t0 = now_s();
	trace_start(w, TRACE_LVL_DEFAULT);
	stream_run(&s);
	if (trace_stop() || cxt_close_writer(w, &err)) {
		fprintf(stderr, "bench trace: %s%s\n", trace_error(), err.msg);
		fclose(f);
		return -1;
	}
	fig->on = now_s() - t0;
	fig->size = ftell(f);
	fig->events = s.events;

	t0 = now_s();
	n = read_back(f, fig->size);
	fig->read = now_s() - t0;
	fclose(f);
	if (n != (long)s.events) {
		fprintf(stderr, "bench trace: read back %ld events of %llu\n", n,
			(unsigned long long)s.events);
		return -1;
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static bool parse_args(int argc, char **argv, u64 *events, int *zlevel, int *reps)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		char *end;
		u64 v;

		if (!eq)
			return false;
		v = strtoull(eq + 1, &end, 0);
		if (*end || !v)
			return false;
		if (!strncmp(argv[i], "N=", 2))
			*events = v;
		else if (!strncmp(argv[i], "Z=", 2) && v <= 9)
			*zlevel = v;
		else if (!strncmp(argv[i], "REPS=", 5) && v <= 100)
			*reps = v;
		else
			return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	double off[100], on[100], rd[100];
	u64 events = 4000000;
	int zlevel = 0, reps = 5, i;
	struct figures fig;

	if (!parse_args(argc, argv, &events, &zlevel, &reps)) {
		fprintf(stderr, "usage: trace [N=events] [Z=1..9] [REPS=1..100], all > 0\n");
		return 2;
	}
	for (i = 0; i < reps; i++) {
		/* Eight events a line: command, two transfers, response, each way. */
		if (run_once((events + 7) / 8, zlevel, &fig))
			return 1;
		off[i] = fig.off / fig.events * 1e9;
		on[i] = (fig.on - fig.off) / fig.events * 1e9;
		rd[i] = fig.read / fig.events * 1e9;
	}
	printf("events %llu, file %ld bytes, median of %d runs\n",
	       (unsigned long long)fig.events, fig.size, reps);
	printf("bench trace-read-ns-per-event: %.1f ns\n", median(rd, reps));
	printf("bench trace-off-ns-per-event: %.1f ns\n", median(off, reps));
	printf("bench trace-ns-per-event: %.1f ns\n", median(on, reps));
	printf("bench trace-synthetic-bytes-per-event: %.2f bytes\n", (double)fig.size / fig.events);
	return 0;
}
