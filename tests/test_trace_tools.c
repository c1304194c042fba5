// SPDX-License-Identifier: GPL-2.0
/*
 * The trace tools at library level: stats (counts, pairs and their
 * latencies against the fixture run's known values, the pairing rules,
 * JSON), perfetto (valid JSON, a track per context, spans and instants
 * with exact times), the waveform (VCD values read back, FST read back
 * through fstapi's reader), and diff (each planted difference found at
 * its event).  The run is tests/trace_fixtures.c; a JSON validator and a
 * VCD reader below check the outputs.
 */
#include <errno.h>
#include <unistd.h>

#include "fstapi.h"
#include "harness.h"
#include "trace_fixtures.h"
#include "trace/cxt.h"
#include "trace/tools.h"
#include "trace/tt.h"

#define NS(x) ((u64)(x) * 1000)
#define US(x) ((u64)((x) * 1000000.0 + 0.5))

static char dir[] = "/tmp/capisim-trace-tools-XXXXXX";
static struct fixture_info info[FIX_EXTRA + 1];
static const char *const fix_names[] = { "base", "resp", "shift", "seed", "extra" };
static int fixtures_ret = -EAGAIN;
static struct cxt_error err;

/* @name in the fixtures' directory; the result lives until the 4th next call. */
static const char *path_of(const char *name)
{
	static char bufs[4][256];
	static unsigned int next;
	char *b = bufs[next++ % 4];

	snprintf(b, sizeof(bufs[0]), "%s/%s", dir, name);
	return b;
}

static const char *fix(enum fixture_variant v)
{
	static char name[32];

	snprintf(name, sizeof(name), "%s.cxt", fix_names[v]);
	return path_of(name);
}

static int make_fixtures(void)
{
	unsigned int v;
	int ret;

	if (!mkdtemp(dir))
		return -errno;
	for (v = FIX_BASE; v <= FIX_EXTRA; v++) {
		ret = fixture_write(fix(v), v, &info[v]);
		if (ret)
			return ret;
	}
	return 0;
}

static void remove_fixtures(void)
{
	static const char *const others[] = {
		"out.vcd", "out.fst", "rules.cxt", "other.cxt", "random.cxt",
	};
	unsigned int i;

	for (i = FIX_BASE; i <= FIX_EXTRA; i++)
		unlink(fix(i));
	for (i = 0; i < ARRAY_SIZE(others); i++)
		unlink(path_of(others[i]));
	rmdir(dir);
}

#define NEED_FIXTURES() ASSERT_EQm("writing the fixture traces", 0, fixtures_ret)

/* Run @fn into a string; free it. */
#define CAPTURE(str, call)						\
	do {								\
		size_t len_;						\
		FILE *f_ = open_memstream(&(str), &len_);		\
		ASSERT(f_);						\
		call;							\
		fclose(f_);						\
	} while (0)
#define OUT f_

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc(n + 1);
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	fclose(f);
	return buf;
}

static unsigned int count_str(const char *s, const char *needle)
{
	unsigned int n = 0;

	while ((s = strstr(s, needle))) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* ---- A JSON validator (RFC 8259), enough to say "it parses" ---- */

static const char *js_value(const char *p, int depth);

static const char *js_ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

static const char *js_string(const char *p)
{
	int i;

	if (*p++ != '"')
		return NULL;
	for (; *p != '"'; p++) {
		if ((u8)*p < 0x20)
			return NULL;
		if (*p != '\\')
			continue;
		p++;
		if (*p == 'u') {
			for (i = 1; i <= 4; i++)
				if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i])
					return NULL;
			p += 4;
		} else if (!*p || !strchr("\"\\/bfnrt", *p)) {
			return NULL;
		}
	}
	return p + 1;
}

static const char *js_digits(const char *p)
{
	const char *s = p;

	while (*p >= '0' && *p <= '9')
		p++;
	return p == s ? NULL : p;
}

static const char *js_number(const char *p)
{
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (!(p = js_digits(p)))
		return NULL;
	if (*p == '.' && !(p = js_digits(p + 1)))
		return NULL;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		p = js_digits(p);
	}
	return p;
}

static const char *js_list(const char *p, int depth, char close, bool members)
{
	p = js_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (members) {
			p = js_string(js_ws(p));
			if (!p || *(p = js_ws(p)) != ':')
				return NULL;
			p++;
		}
		p = js_value(p, depth + 1);
		if (!p)
			return NULL;
		p = js_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *js_value(const char *p, int depth)
{
	if (depth > 64)
		return NULL;
	p = js_ws(p);
	switch (*p) {
	case '{':
		return js_list(p, depth, '}', true);
	case '[':
		return js_list(p, depth, ']', false);
	case '"':
		return js_string(p);
	case 't':
		return strncmp(p, "true", 4) ? NULL : p + 4;
	case 'f':
		return strncmp(p, "false", 5) ? NULL : p + 5;
	case 'n':
		return strncmp(p, "null", 4) ? NULL : p + 4;
	default:
		return js_number(p);
	}
}

static bool json_ok(const char *s)
{
	const char *end = s ? js_value(s, 0) : NULL;

	return end && !*js_ws(end);
}

TEST json_validator_tells_good_from_bad(void)
{
	ASSERT(json_ok("{\"a\":[1,-2.5e3,true,null,\"x\\u00e9\"],\"b\":{}}\n"));
	ASSERT(json_ok("[]"));
	ASSERT_FALSE(json_ok("{\"a\":1,}"));
	ASSERT_FALSE(json_ok("[01]"));
	ASSERT_FALSE(json_ok("{\"a\" 1}"));
	ASSERT_FALSE(json_ok("[1] x"));
	ASSERT_FALSE(json_ok("\"tab\there\""));
	PASS();
}

/* ---- stats ---- */

static struct trace_stats *stats_of(enum fixture_variant v)
{
	struct trace_stats *st = NULL;

	if (trace_stats_read(fix(v), &st, &err))
		fprintf(stderr, "%s\n", err.msg);
	return st;
}

/* @op @key has @n samples from @min to @max, average @avg, median @p50. */
static enum harness_result lat_is(const struct trace_stats *st, const char *op, const char *key,
				  u64 n, u64 min, u64 avg, u64 p50, u64 p99, u64 max)
{
	const struct trace_lat *l = trace_stats_lat(st, op, key);

	ASSERTm(key, l);
	ASSERT_EQm(key, n, l->count);
	ASSERT_EQm(key, min, l->min);
	ASSERT_EQm(key, avg, l->avg);
	ASSERT_EQm(key, p50, l->p50);
	ASSERT_EQm(key, p99, l->p99);
	ASSERT_EQm(key, max, l->max);
	PASS();
}

static u64 result_of(const struct trace_lat *l, const char *name)
{
	unsigned int i;

	for (i = 0; i < l->nr_results; i++)
		if (!strcmp(l->results[i].name, name))
			return l->results[i].count;
	return 0;
}

TEST stats_counts_every_kind_per_source(void)
{
	struct trace_stats *st;

	NEED_FIXTURES();
	st = stats_of(FIX_BASE);
	ASSERT(st);
	ASSERT_EQ(7, trace_stats_count(st, "card0", "psl.cmd"));
	ASSERT_EQ(5, trace_stats_count(st, "card0", "psl.resp"));
	ASSERT_EQ(3, trace_stats_count(st, "host-irq", "irq.raise"));
	ASSERT_EQ(0, trace_stats_count(st, "card0", "irq.raise"));
	ASSERT_EQ(8, trace_stats_count(st, NULL, "psl.mmio"));
	trace_stats_free(st);
	PASS();
}

TEST stats_pairs_commands_by_opcode(void)
{
	const struct trace_lat *l;
	struct trace_stats *st;

	NEED_FIXTURES();
	st = stats_of(FIX_BASE);
	ASSERT(st);
	CHECK_CALL(lat_is(st, "command", "read_cl_s", 3, NS(100), NS(200), NS(200), NS(300),
			  NS(300)));
	CHECK_CALL(lat_is(st, "command", "write_mi", 2, NS(400), NS(500), NS(400), NS(600),
			  NS(600)));
	l = trace_stats_lat(st, "command", "read_cl_s");
	ASSERT_EQ(3, result_of(l, "DONE"));
	ASSERT_EQ(0, l->unfinished);
	ASSERT_EQm("tag 5 is never answered", 1,
		   trace_stats_lat(st, "command", "write_mi")->unfinished);
	/* 100, 200, 300 ns: one each in [2^16, 2^17), [2^17, 2^18), [2^18, 2^19) ps. */
	ASSERT_EQ(1, l->hist[17]);
	ASSERT_EQ(1, l->hist[18]);
	ASSERT_EQ(1, l->hist[19]);
	ASSERT_EQ(0, l->hist[16]);
	trace_stats_free(st);
	PASS();
}

TEST stats_pairs_faults_interrupts_spa_and_jobs(void)
{
	struct trace_stats *st;

	NEED_FIXTURES();
	st = stats_of(FIX_BASE);
	ASSERT(st);
	CHECK_CALL(lat_is(st, "fault", "TFC R", 1, US(3), US(3), US(3), US(3), US(3)));
	CHECK_CALL(lat_is(st, "fault", "TFC C", 1, US(1.5), US(1.5), US(1.5), US(1.5), US(1.5)));
	CHECK_CALL(lat_is(st, "irq", "psl", 2, NS(500), NS(500), NS(500), NS(500), NS(500)));
	CHECK_CALL(lat_is(st, "irq", "afu", 1, NS(500), NS(500), NS(500), NS(500), NS(500)));
	ASSERT_EQ(2, result_of(trace_stats_lat(st, "irq", "psl"), "handled"));
	CHECK_CALL(lat_is(st, "spa", "ADD", 2, US(2), US(2.25), US(2), US(2.5), US(2.5)));
	ASSERT_EQ(2, result_of(trace_stats_lat(st, "spa", "ADD"), "ok"));
	CHECK_CALL(lat_is(st, "job", "START", 1, NS(496), NS(496), NS(496), NS(496), NS(496)));
	CHECK_CALL(lat_is(st, "job", "LLCMD", 2, NS(100), NS(100), NS(100), NS(100), NS(100)));
	CHECK_CALL(lat_is(st, "afu-mmio", "desc read +0x0", 1, NS(200), NS(200), NS(200),
			  NS(200), NS(200)));
	CHECK_CALL(lat_is(st, "state", "afu enabling", 1, US(1), US(1), US(1), US(1), US(1)));
	ASSERT_EQ(1, trace_stats_lat(st, "state", "afu enabled")->unfinished);
	trace_stats_free(st);
	PASS();
}

TEST stats_mmio_by_register_from_the_charged_latency(void)
{
	struct trace_stats *st;

	NEED_FIXTURES();
	st = stats_of(FIX_BASE);
	ASSERT(st);
	CHECK_CALL(lat_is(st, "mmio", "CXL_AFU_Cntl_An (slice 0) write", 1, NS(100), NS(100),
			  NS(100), NS(100), NS(100)));
	CHECK_CALL(lat_is(st, "mmio", "CXL_PSL_LLCMD_An (slice 0) write", 2, NS(100), NS(100),
			  NS(100), NS(100), NS(100)));
	CHECK_CALL(lat_is(st, "mmio", "CXL_PSL_DSISR_An (slice 0) read", 2, US(1), US(1), US(1),
			  US(1), US(1)));
	CHECK_CALL(lat_is(st, "cfg", "0x100 read", 1, US(2), US(2), US(2), US(2), US(2)));
	trace_stats_free(st);
	PASS();
}

TEST stats_prints_tables_and_json(void)
{
	struct trace_stats *st;
	char *text, *json;

	NEED_FIXTURES();
	st = stats_of(FIX_BASE);
	ASSERT(st);
	CAPTURE(text, trace_stats_print(st, OUT, true));
	CAPTURE(json, trace_stats_json(st, OUT));
	trace_stats_free(st);
	ASSERT_STR_HAS(text, "64 events from 0 ps to 80.000 us");
	ASSERT_STR_HAS(text, "  command  read_cl_s ");
	ASSERT_STR_HAS(text, "       3   100.000 ns   200.000 ns   200.000 ns   300.000 ns"
			     "   300.000 ns  DONE 3\n");
	ASSERT_STR_HAS(text, "1 psl.cmd while its key was busy (dropped, as the PSL does)");
	ASSERT_STR_HAS(text, "  command read_cl_s (3)\n");
	ASSERTm(json, json_ok(json));
	ASSERT_STR_HAS(json, "{\"op\":\"command\",\"key\":\"read_cl_s\",\"count\":3,"
			     "\"unfinished\":0,\"min_ps\":100000,\"avg_ps\":200000,"
			     "\"p50_ps\":200000,\"p99_ps\":300000,\"max_ps\":300000,"
			     "\"results\":{\"DONE\":3}");
	ASSERT_STR_HAS(json, "\"command\":{\"orphan_end\":0,\"dup_start\":1,\"unfinished\":1}");
	free(text);
	free(json);
	PASS();
}

/* Kinds of this test's own trace: the models' names and fields. */
static struct trace_kind k_cmd = TRACE_KIND("psl.cmd", TRACE_LVL_DEFAULT,
	"slice:u64 tag:u64 com:u64 ea:u64 size:u64 cabt:u64 cch:u64");
static struct trace_kind k_resp = TRACE_KIND("psl.resp", TRACE_LVL_DEFAULT,
	"slice:u64 tag:u64 resp:u64 credits:s64 lat:u64");
static struct trace_kind k_fault = TRACE_KIND("psl.fault", TRACE_LVL_DEFAULT,
	"slice:u64 pe:u64 dsisr:u64 dar:u64");
static struct trace_kind k_answer = TRACE_KIND("psl.fault.answer", TRACE_LVL_DEFAULT,
	"slice:u64 pe:u64 tfc:s64 resp:u64");
static struct trace_kind k_raise = TRACE_KIND("irq.raise", TRACE_LVL_DEFAULT,
	"hwirq:u64 due:u64");
static struct trace_kind k_deliver = TRACE_KIND("irq.deliver", TRACE_LVL_DEFAULT,
	"hwirq:u64 handled:u64");
static struct trace_kind k_jack = TRACE_KIND("psl.job.ack", TRACE_LVL_DEFAULT,
	"slice:u64 what:str jerror:u64");
/* A psl.cmd of another shape: no tag. */
static struct trace_kind k_odd_cmd = TRACE_KIND("psl.cmd", TRACE_LVL_DEFAULT,
	"slice:u64 com:u64");
static struct trace_source s_card = TRACE_SOURCE("card0");
static struct trace_source s_irq = TRACE_SOURCE("host-irq");

static u64 now;

static u64 clock_now(void *arg)
{
	return now;
}

static int record(const char *path, void (*emit)(void))
{
	const struct cxt_header h = { .level = TRACE_LVL_DEFAULT };
	struct cxt_writer *w;
	int ret;

	ret = cxt_create(path, &h, NULL, &w, &err);
	if (ret)
		return ret;
	ret = trace_start(w, TRACE_LVL_DEFAULT);
	trace_set_clock(clock_now, NULL);
	now = 0;
	if (!ret)
		emit();
	ret = ret ?: trace_stop();
	trace_set_clock(NULL, NULL);
	return cxt_close_writer(w, &err) ?: ret;
}

static void emit_rules(void)
{
	/* A response nobody asked for. */
	trace_emit(&k_resp, &s_card, 1, TRACE_U(0), TRACE_U(9), TRACE_U(0), TRACE_S(1),
		   TRACE_U(0));
	/* Two MSIs to one hwirq, the second due first (a delayed first one). */
	now = NS(100);
	trace_emit(&k_raise, &s_irq, TRACE_CTX_NONE, TRACE_U(0x40), TRACE_U(NS(900)));
	now = NS(200);
	trace_emit(&k_raise, &s_irq, TRACE_CTX_NONE, TRACE_U(0x40), TRACE_U(NS(300)));
	now = NS(300);
	trace_emit(&k_deliver, &s_irq, TRACE_CTX_NONE, TRACE_U(0x40), TRACE_U(1));
	now = NS(900);
	trace_emit(&k_deliver, &s_irq, TRACE_CTX_NONE, TRACE_U(0x40), TRACE_U(0));
	/* A fault replaced before any answer (PERST answers nothing), then answered. */
	now = US(1);
	trace_emit(&k_fault, &s_card, 2, TRACE_U(0), TRACE_U(2), TRACE_U(1), TRACE_U(0));
	now = US(2);
	trace_emit(&k_fault, &s_card, 3, TRACE_U(0), TRACE_U(3), TRACE_U(1), TRACE_U(0));
	/* A queued fault of PE 4 flushed: not the presented one. */
	trace_emit(&k_answer, &s_card, 4, TRACE_U(0), TRACE_U(4), TRACE_S(-1), TRACE_U(4));
	now = US(2.5);
	trace_emit(&k_answer, &s_card, 3, TRACE_U(0), TRACE_U(3), TRACE_S(-1), TRACE_U(3));
	/* ah_jdone ending a running job answers no job command. */
	trace_emit(&k_jack, &s_card, TRACE_CTX_NONE, TRACE_U(0), TRACE_STR("jdone"),
		   TRACE_U(0));
	/* A command left open by the end of the trace. */
	now = US(3);
	trace_emit(&k_cmd, &s_card, 1, TRACE_U(0), TRACE_U(1), TRACE_U(0x0A50), TRACE_U(0),
		   TRACE_U(128), TRACE_U(0), TRACE_U(1));
	now = US(4);
	trace_emit(&k_resp, &s_card, 1, TRACE_U(1), TRACE_U(1), TRACE_U(0), TRACE_S(1),
		   TRACE_U(0));
}

TEST stats_follow_the_pairing_rules(void)
{
	const char *path = path_of("rules.cxt");
	const struct trace_lat *l;
	struct trace_stats *st;
	char *json;

	NEED_FIXTURES();
	ASSERT_EQm(err.msg, 0, record(path, emit_rules));
	ASSERT_EQm(err.msg, 0, trace_stats_read(path, &st, &err));
	/* The MSI due at 300 ns is delivered first: 100 ns; the other 800 ns. */
	CHECK_CALL(lat_is(st, "irq", "msi", 2, NS(100), NS(450), NS(100), NS(800), NS(800)));
	ASSERT_EQ(1, result_of(trace_stats_lat(st, "irq", "msi"), "unhandled"));
	l = trace_stats_lat(st, "fault", "no answer");
	ASSERTm("the replaced fault is a span of its own", l);
	ASSERT_EQ(1, l->count);
	ASSERT_EQ(US(1), l->max);
	ASSERT_EQ(1, result_of(l, "abandoned"));
	CHECK_CALL(lat_is(st, "fault", "DSISR store", 1, NS(500), NS(500), NS(500), NS(500),
			  NS(500)));
	ASSERTm("the flushed queued fault pairs with nothing",
		!trace_stats_lat(st, "fault", "flushed"));
	ASSERT_EQm("slice 1's response is not slice 0's command", 1,
		   trace_stats_lat(st, "command", "read_cl_s")->unfinished);
	CAPTURE(json, trace_stats_json(st, OUT));
	ASSERT_STR_HAS(json, "\"command\":{\"orphan_end\":2,\"dup_start\":0,\"unfinished\":1}");
	ASSERT_STR_HAS(json, "\"fault\":{\"orphan_end\":1,\"dup_start\":1,\"unfinished\":0}");
	ASSERT_STR_HAS(json, "\"job\":{\"orphan_end\":0,");
	free(json);
	trace_stats_free(st);
	PASS();
}

static void emit_odd(void)
{
	trace_emit(&k_odd_cmd, &s_card, 1, TRACE_U(0), TRACE_U(0x0A50));
	now = NS(10);
	trace_emit(&k_resp, &s_card, 1, TRACE_U(0), TRACE_U(0), TRACE_U(0), TRACE_S(1),
		   TRACE_U(0));
}

TEST stats_count_but_never_pair_kinds_of_another_shape(void)
{
	const char *path = path_of("other.cxt");
	struct trace_stats *st;

	NEED_FIXTURES();
	ASSERT_EQm(err.msg, 0, record(path, emit_odd));
	ASSERT_EQm(err.msg, 0, trace_stats_read(path, &st, &err));
	ASSERT_EQ(1, trace_stats_count(st, "card0", "psl.cmd"));
	ASSERT_FALSE(trace_stats_lat(st, "command", "read_cl_s"));
	trace_stats_free(st);
	PASS();
}

TEST stats_name_the_file_they_cannot_read(void)
{
	struct trace_stats *st;

	ASSERT_EQ(-ENOENT, trace_stats_read("/nonexistent/x.cxt", &st, &err));
	ASSERT_STR_HAS(err.msg, "/nonexistent/x.cxt");
	ASSERT_FALSE(st);
	PASS();
}

/* ---- perfetto ---- */

static char *perfetto_of(enum fixture_variant v)
{
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return NULL;
	if (trace_perfetto(fix(v), f, &err))
		fprintf(stderr, "%s\n", err.msg);
	fclose(f);
	return out;
}

TEST perfetto_writes_valid_json(void)
{
	char *js;

	NEED_FIXTURES();
	js = perfetto_of(FIX_BASE);
	ASSERT(js);
	ASSERTm("the whole output parses as JSON", json_ok(js));
	ASSERT_STR_HAS(js, "{\"displayTimeUnit\":\"ns\",\"otherData\":{");
	ASSERT_STR_HAS(js, "\"seed.master\":\"0x2a\"");
	free(js);
	PASS();
}

static bool has_thread(const char *js, const char *name)
{
	char needle[128];

	snprintf(needle, sizeof(needle), "\"name\":\"thread_name\",\"args\":{\"name\":\"%s\"}",
		 name);
	return strstr(js, needle);
}

TEST perfetto_has_a_track_per_context_afu_and_source(void)
{
	static const char *const tracks[] = {
		"ctx 1", "ctx 2", "ctx 1 commands", "ctx 2 commands", "AFU slice 0",
		"host MMIO", "MSIs", "slice 0 afu", "slice 0 spa", "slice 0 job",
		/* three read_cl_s in flight together: three lanes */
		"ctx 1 commands (2)", "ctx 1 commands (3)",
	};
	unsigned int i;
	char *js;

	NEED_FIXTURES();
	js = perfetto_of(FIX_BASE);
	ASSERT(js);
	for (i = 0; i < ARRAY_SIZE(tracks); i++)
		ASSERTm(tracks[i], has_thread(js, tracks[i]));
	ASSERT_FALSE(has_thread(js, "ctx 1 commands (4)"));
	ASSERT_FALSE(has_thread(js, "ctx 3"));
	ASSERT_STR_HAS(js, "\"pid\":1,\"name\":\"process_name\",\"args\":{\"name\":\"card0\"}");
	ASSERT_STR_HAS(js, "\"pid\":2,\"name\":\"process_name\",\"args\":{\"name\":\"host-irq\"}");
	free(js);
	PASS();
}

TEST perfetto_spans_and_instants_to_the_picosecond(void)
{
	char *js;

	NEED_FIXTURES();
	js = perfetto_of(FIX_BASE);
	ASSERT(js);
	ASSERT_EQm("5 commands and the unfinished one", 6, count_str(js, "\"cat\":\"command\""));
	ASSERT_EQ(2, count_str(js, "\"cat\":\"fault\""));
	ASSERT_EQ(2, count_str(js, "\"cat\":\"spa\""));
	ASSERT_EQ(3, count_str(js, "\"cat\":\"irq\""));
	ASSERT_EQm("instants", 3, count_str(js, "\"cat\":\"psl.irq\""));
	ASSERT_EQ(0, count_str(js, "\"cat\":\"psl.buf\""));
	ASSERT_STR_HAS(js, "\"ts\":30.000000,\"dur\":0.100000,\"name\":\"read_cl_s\","
			   "\"cat\":\"command\",\"args\":{\"tag\":0,\"ea\":\"0x10000\","
			   "\"size\":128,"
			   "\"resp\":\"0x0\",\"result\":\"DONE\"");
	ASSERT_STR_HAS(js, "\"ts\":10.004000,\"dur\":0.496000,\"name\":\"START\"");
	ASSERT_STR_HAS(js, "\"ts\":40.000000,\"dur\":3.000000,\"name\":\"TFC R\"");
	ASSERT_STR_HAS(js, "\"ts\":80.000000,\"dur\":0.000000,\"name\":\"write_mi\",\"cat\":"
			   "\"command\",\"args\":{\"tag\":5,\"ea\":\"0x20100\",\"size\":128,"
			   "\"unfinished\":true");
	ASSERT_STR_HAS(js, "\"ph\":\"i\",\"pid\":1,");
	ASSERT_STR_HAS(js, "\"name\":\"write CXL_AFU_Cntl_An (slice 0)\"");
	free(js);
	PASS();
}

/* ---- fst / vcd ---- */

/* The identifier of variable @name (the first with that name) in @vcd. */
static bool vcd_id(const char *vcd, const char *name, char *id)
{
	char type[16], n[96];
	const char *p;
	unsigned int w;

	for (p = strstr(vcd, "$var "); p; p = strstr(p + 1, "$var "))
		if (sscanf(p, "$var %15s %u %63s %95s $end", type, &w, id, n) == 4 &&
		    !strcmp(n, name))
			return true;
	return false;
}

/* The value of variable @name at time @t: the last change at or before it. */
static bool vcd_value(const char *vcd, const char *name, u64 t, char *val, size_t len)
{
	char id[64], line[640], v[600], i2[64];
	const char *p;
	bool found = false;
	u64 now = 0;

	if (!vcd_id(vcd, name, id))
		return false;
	p = strstr(vcd, "$enddefinitions $end\n");
	for (; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		size_t n = strcspn(p, "\n");

		if (n >= sizeof(line))
			continue;
		memcpy(line, p, n);
		line[n] = '\0';
		if (line[0] == '#') {
			now = strtoull(line + 1, NULL, 10);
			if (now > t)
				break;
		} else if ((line[0] == 'b' || line[0] == 's') &&
			   sscanf(line + 1, "%599s %63s", v, i2) == 2 && !strcmp(i2, id)) {
			snprintf(val, len, "%s", v);
			found = true;
		} else if (strchr("01xz", line[0]) && line[0] && !strcmp(line + 1, id)) {
			snprintf(val, len, "%c", line[0]);
			found = true;
		}
	}
	return found;
}

#define VCD_IS(vcd, name, t, want)					\
	do {								\
		char v_[80];						\
		ASSERTm(name, vcd_value(vcd, name, t, v_, sizeof(v_)));	\
		ASSERT_STR_EQm(name, want, v_);				\
	} while (0)

TEST vcd_holds_the_signals_and_their_values(void)
{
	const char *path = path_of("out.vcd");
	char *vcd, bits[513], got[600];
	unsigned int i;

	NEED_FIXTURES();
	ASSERT_EQm(err.msg, 0, trace_wave(fix(FIX_BASE), path, TRACE_WAVE_VCD, &err));
	vcd = slurp(path);
	ASSERT(vcd);
	ASSERT_STR_HAS(vcd, "$timescale 1ps $end\n$scope module card0 $end\n");
	ASSERT_STR_HAS(vcd, "$scope module slice0 $end\n");
	/* Four commands at consecutive edges: ah_cvalid high for four cycles. */
	VCD_IS(vcd, "ah_cvalid", US(30) - 1, "0");
	VCD_IS(vcd, "ah_cvalid", US(30), "1");
	VCD_IS(vcd, "ah_cvalid", US(30.012), "1");
	VCD_IS(vcd, "ah_cvalid", US(30.016), "0");
	VCD_IS(vcd, "ah_ctag", US(30.008), "00000010");
	VCD_IS(vcd, "ah_com", US(31), "0110101100000");
	VCD_IS(vcd, "cmds_in_flight", US(30.050), "0000000000000011");
	VCD_IS(vcd, "cmds_in_flight", US(30.400), "0000000000000000");
	VCD_IS(vcd, "ha_rvalid", US(30.100), "1");
	VCD_IS(vcd, "ha_rvalid", US(30.104), "0");
	/* The 64 bytes i * 3, the first byte leftmost. */
	for (i = 0; i < 512; i++)
		bits[i] = '0' + ((i / 8 * 3) >> (7 - i % 8) & 1);
	bits[512] = '\0';
	ASSERT(vcd_value(vcd, "ha_bwdata", US(30.092), got, sizeof(got)));
	ASSERTm("ha_bwdata", !strcmp(bits, got));
	/* State machines as strings; ah_jrunning follows the job machine. */
	VCD_IS(vcd, "afu", US(9), "-");
	VCD_IS(vcd, "afu", US(10.5), "enabling");
	VCD_IS(vcd, "afu", US(11), "enabled");
	VCD_IS(vcd, "ah_jrunning", US(10), "x");
	VCD_IS(vcd, "ah_jrunning", US(10.4), "0");
	VCD_IS(vcd, "ah_jrunning", US(10.5), "1");
	VCD_IS(vcd, "spa", US(12.5), "wait-afu");
	VCD_IS(vcd, "spa", US(14), "idle");
	VCD_IS(vcd, "fault", US(41), "presented");
	VCD_IS(vcd, "fault_pe", US(41), "0000000000000010");
	VCD_IS(vcd, "fault", US(43), "idle");
	VCD_IS(vcd, "fault_answer", US(43), "TFC_R");
	VCD_IS(vcd, "pe2", US(23), "active");
	free(vcd);
	PASS();
}

/* Read back through fstapi's reader: "scope.scope.name" -> handle. */
static fstHandle fst_find(void *ctx, const char *want)
{
	char path[512] = "";
	size_t lens[32];
	unsigned int depth = 0;
	struct fstHier *h;

	fstReaderIterateHierRewind(ctx);
	while ((h = fstReaderIterateHier(ctx))) {
		size_t n = strlen(path);

		if (h->htyp == FST_HT_SCOPE && depth < ARRAY_SIZE(lens)) {
			lens[depth++] = n;
			snprintf(path + n, sizeof(path) - n, "%s.", h->u.scope.name);
		} else if (h->htyp == FST_HT_UPSCOPE && depth) {
			path[lens[--depth]] = '\0';
		} else if (h->htyp == FST_HT_VAR && strlen(want) > n &&
			   !strncmp(want, path, n) && !strcmp(want + n, h->u.var.name)) {
			return h->u.var.handle;
		}
	}
	return 0;
}

#define FST_IS(ctx, name, t, want)					\
	do {								\
		char b_[80];						\
		fstHandle h_ = fst_find(ctx, name);			\
		ASSERTm(name, h_);					\
		ASSERT_STR_EQm(name, want,				\
			       fstReaderGetValueFromHandleAtTime(ctx, t, h_, b_)); \
	} while (0)

TEST fst_reads_back_through_fstapi(void)
{
	const char *path = path_of("out.fst");
	void *ctx;

	NEED_FIXTURES();
	ASSERT_EQm(err.msg, 0, trace_wave(fix(FIX_BASE), path, TRACE_WAVE_FST, &err));
	ctx = fstReaderOpen(path);
	ASSERTm("fstapi opens it", ctx);
	fstReaderSetFacProcessMaskAll(ctx);
	FST_IS(ctx, "card0.slice0.ah_cvalid", US(30), "1");
	FST_IS(ctx, "card0.slice0.ah_cvalid", US(30.016), "0");
	FST_IS(ctx, "card0.slice0.ah_ctag", US(30.008), "00000010");
	FST_IS(ctx, "card0.slice0.ha_jval", US(10.004), "1");
	FST_IS(ctx, "card0.slice0.ha_jcom", US(10.004), "10010000");
	FST_IS(ctx, "card0.slice0.psl.cmds_in_flight", US(30.050), "0000000000000011");
	FST_IS(ctx, "card0.host.mmio_off", US(12), "00000000000000010000000010010000");
	FST_IS(ctx, "host_irq.raise_hwirq", US(40), "00000000000000000000000000010000");
	ASSERT_FALSE(fst_find(ctx, "card0.slice0.no_such_signal"));
	fstReaderClose(ctx);
	PASS();
}

static struct trace_kind k_note = TRACE_KIND("note", TRACE_LVL_DEFAULT, "");

static void emit_note(void)
{
	trace_emit(&k_note, &s_card, TRACE_CTX_NONE);
}

TEST wave_refuses_a_trace_with_nothing_to_draw(void)
{
	const char *path = path_of("other.cxt");

	NEED_FIXTURES();
	ASSERT_EQm(err.msg, 0, record(path, emit_note));
	ASSERT_EQ(-ENODATA, trace_wave(path, path_of("out.vcd"), TRACE_WAVE_VCD, &err));
	ASSERT_STR_HAS(err.msg, "nothing to draw");
	PASS();
}

TEST wave_names_the_file_it_cannot_write(void)
{
	NEED_FIXTURES();
	ASSERT(trace_wave(fix(FIX_BASE), "/nonexistent/dir/x.fst", TRACE_WAVE_FST, &err) < 0);
	ASSERT_STR_HAS(err.msg, "/nonexistent/dir/x.fst: cannot create");
	ASSERT(trace_wave(fix(FIX_BASE), "/nonexistent/dir/x.vcd", TRACE_WAVE_VCD, &err) < 0);
	ASSERT_STR_HAS(err.msg, "/nonexistent/dir/x.vcd: cannot create");
	PASS();
}

/* ---- diff ---- */

static int diff(enum fixture_variant b, const struct trace_diff_opts *o,
		struct trace_diff_result *res, char **out)
{
	size_t len;
	FILE *f = open_memstream(out, &len);
	int ret;

	if (!f)
		return -ENOMEM;
	ret = trace_diff(fix(FIX_BASE), fix(b), o, f, res, &err);
	fclose(f);
	return ret;
}

TEST diff_of_a_trace_with_itself_is_empty(void)
{
	struct trace_diff_result res;
	char *out;

	NEED_FIXTURES();
	ASSERT_EQ(0, diff(FIX_BASE, NULL, &res, &out));
	ASSERT_STR_EQ("", out);
	ASSERT_EQ(0, res.header_diffs);
	ASSERT_FALSE(res.events_differ);
	ASSERT_EQ(info[FIX_BASE].nr_events, res.nr_a);
	free(out);
	PASS();
}

TEST diff_finds_a_changed_field_at_its_event(void)
{
	struct trace_diff_result res;
	char *out, want[64];

	NEED_FIXTURES();
	ASSERT_EQ(1, diff(FIX_RESP, NULL, &res, &out));
	ASSERT(res.events_differ);
	ASSERT_EQ(info[FIX_RESP].planted, res.first);
	snprintf(want, sizeof(want), "first difference: event %llu,",
		 (unsigned long long)res.first);
	ASSERT_STR_HAS(out, want);
	ASSERT_STR_HAS(out, "  A:       30204.000 card0 psl.resp ctx=1 slice=0x0 tag=0x1 resp=0x0");
	ASSERT_STR_HAS(out, "  B:       30204.000 card0 psl.resp ctx=1 slice=0x0 tag=0x1 resp=0xa");
	ASSERT_STR_HAS(out, "the same in both before it:\n          30096.000 card0 psl.buf");
	ASSERT_STR_HAS(out, "the same number of events of every kind");
	free(out);
	PASS();
}

TEST diff_reports_a_time_shift(void)
{
	const struct trace_diff_opts ignore = { .ignore_time = true };
	struct trace_diff_result res;
	char *out;

	NEED_FIXTURES();
	ASSERT_EQ(1, diff(FIX_SHIFT, NULL, &res, &out));
	ASSERT_EQ(info[FIX_SHIFT].planted, res.first);
	ASSERT_STR_HAS(out, "they differ in time only: B - A = +4.000 ns");
	ASSERT_STR_HAS(out, "differ in time only (B - A from +4.000 ns to +4.000 ns), "
			    "0 in more than time");
	ASSERT_STR_HAS(out, "last event: at 80.000 us in A, 80.004 us in B (B - A: +4.000 ns)");
	free(out);
	ASSERT_EQ(0, diff(FIX_SHIFT, &ignore, &res, &out));
	free(out);
	PASS();
}

TEST diff_compares_headers_first(void)
{
	const struct trace_diff_opts events_only = { .events_only = true };
	struct trace_diff_result res;
	char *out;

	NEED_FIXTURES();
	ASSERT_EQ(1, diff(FIX_SEED, NULL, &res, &out));
	ASSERT_EQ(1, res.header_diffs);
	ASSERT_FALSE(res.events_differ);
	ASSERT_STR_HAS(out, "header: seed master: 0x2a in A, 0x2b in B\n");
	free(out);
	ASSERT_EQ(0, diff(FIX_SEED, &events_only, &res, &out));
	free(out);
	PASS();
}

TEST diff_counts_kinds_when_an_event_is_added(void)
{
	struct trace_diff_result res;
	char *out;

	NEED_FIXTURES();
	ASSERT_EQ(1, diff(FIX_EXTRA, NULL, &res, &out));
	ASSERT_EQ(info[FIX_EXTRA].planted, res.first);
	ASSERT_EQ(info[FIX_BASE].nr_events + 1, res.nr_b);
	ASSERT_STR_HAS(out, "  psl.err                               1          2\n");
	ASSERT_STR_HAS(out, "1 only in B");
	free(out);
	PASS();
}

TEST diff_fails_on_a_file_it_cannot_read(void)
{
	struct trace_diff_result res;

	NEED_FIXTURES();
	ASSERT(trace_diff(fix(FIX_BASE), "/nonexistent.cxt", NULL, stdout, &res, &err) < 0);
	ASSERT_STR_HAS(err.msg, "/nonexistent.cxt");
	PASS();
}

/* ---- Any events at all ---- */

/*
 * Random events of every kind the tools know, with values that break the
 * models' rules (orphans, busy keys, unknown codes, odd strings, times
 * near 2^64): every tool gets through them (and clean under the
 * sanitizers), and their outputs stay consistent.
 */
TEST tools_survive_random_events(void)
{
	struct trace_diff_result res;
	char path[256], vcd[256], fst[256];
	struct trace_stats *st;
	unsigned int round;
	char *js;
	FILE *f;

	NEED_FIXTURES();
	snprintf(path, sizeof(path), "%s", path_of("random.cxt"));
	snprintf(vcd, sizeof(vcd), "%s", path_of("out.vcd"));
	snprintf(fst, sizeof(fst), "%s", path_of("out.fst"));
	for (round = 0; round < 8; round++) {
		ASSERT_EQ(0, fixture_write_random(path, 0x5eed + round, 3000));
		ASSERT_EQm(err.msg, 0, trace_stats_read(path, &st, &err));
		CAPTURE(js, trace_stats_json(st, OUT));
		ASSERTm("stats JSON", json_ok(js));
		free(js);
		trace_stats_free(st);
		f = open_memstream(&js, &(size_t){ 0 });
		ASSERT(f);
		ASSERT_EQm(err.msg, 0, trace_perfetto(path, f, &err));
		fclose(f);
		ASSERTm("perfetto JSON", json_ok(js));
		free(js);
		ASSERT_EQm(err.msg, 0, trace_wave(path, vcd, TRACE_WAVE_VCD, &err));
		ASSERT_EQm(err.msg, 0, trace_wave(path, fst, TRACE_WAVE_FST, &err));
		f = fopen("/dev/null", "w");
		ASSERT(f);
		ASSERT_EQ(0, trace_diff(path, path, NULL, f, &res, &err));
		ASSERT_EQ(1, trace_diff(fix(FIX_BASE), path, NULL, f, &res, &err));
		fclose(f);
	}
	PASS();
}

/* ---- Helpers the tools share ---- */

TEST durations_and_register_names(void)
{
	char b[64];

	ASSERT_STR_EQ("0 ps", tt_dur_str(0, b, sizeof(b)));
	ASSERT_STR_EQ("999 ps", tt_dur_str(999, b, sizeof(b)));
	ASSERT_STR_EQ("1.000 ns", tt_dur_str(1000, b, sizeof(b)));
	ASSERT_STR_EQ("1.500 us", tt_dur_str(US(1.5), b, sizeof(b)));
	ASSERT_STR_EQ("2.000 s", tt_dur_str(2000000000000ULL, b, sizeof(b)));
	tt_reg_name(0, 0x60, b, sizeof(b));
	ASSERT_STR_EQ("CXL_PSL_DSISR_An (slice 0)", b);
	tt_reg_name(0, 0x1090, b, sizeof(b));
	ASSERT_STR_EQ("CXL_AFU_Cntl_An (slice 1)", b);
	tt_reg_name(2, 0x20, b, sizeof(b));
	ASSERT_STR_EQ("CXL_PSL_Control", b);
	tt_reg_name(2, 0x10190, b, sizeof(b));
	ASSERT_STR_EQ("CXL_PSL_LLCMD_An (slice 1)", b);
	tt_reg_name(0, 0x10000, b, sizeof(b));
	ASSERT_STR_EQ("AFU space", b);
	tt_reg_name(2, 0x38, b, sizeof(b));
	ASSERT_STR_EQ("BAR2+0x38", b);
	PASS();
}

SUITE(tools_stats)
{
	RUN_TEST(json_validator_tells_good_from_bad);
	RUN_TEST(stats_counts_every_kind_per_source);
	RUN_TEST(stats_pairs_commands_by_opcode);
	RUN_TEST(stats_pairs_faults_interrupts_spa_and_jobs);
	RUN_TEST(stats_mmio_by_register_from_the_charged_latency);
	RUN_TEST(stats_prints_tables_and_json);
	RUN_TEST(stats_follow_the_pairing_rules);
	RUN_TEST(stats_count_but_never_pair_kinds_of_another_shape);
	RUN_TEST(stats_name_the_file_they_cannot_read);
	RUN_TEST(durations_and_register_names);
}

SUITE(tools_perfetto)
{
	RUN_TEST(perfetto_writes_valid_json);
	RUN_TEST(perfetto_has_a_track_per_context_afu_and_source);
	RUN_TEST(perfetto_spans_and_instants_to_the_picosecond);
}

SUITE(tools_wave)
{
	RUN_TEST(vcd_holds_the_signals_and_their_values);
	RUN_TEST(fst_reads_back_through_fstapi);
	RUN_TEST(wave_refuses_a_trace_with_nothing_to_draw);
	RUN_TEST(wave_names_the_file_it_cannot_write);
}

SUITE(tools_diff)
{
	RUN_TEST(diff_of_a_trace_with_itself_is_empty);
	RUN_TEST(diff_finds_a_changed_field_at_its_event);
	RUN_TEST(diff_reports_a_time_shift);
	RUN_TEST(diff_compares_headers_first);
	RUN_TEST(diff_counts_kinds_when_an_event_is_added);
	RUN_TEST(diff_fails_on_a_file_it_cannot_read);
	RUN_TEST(tools_survive_random_events);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	fixtures_ret = make_fixtures();
	RUN_SUITE(tools_stats);
	RUN_SUITE(tools_perfetto);
	RUN_SUITE(tools_wave);
	RUN_SUITE(tools_diff);
	remove_fixtures();
	HARNESS_MAIN_END();
}
