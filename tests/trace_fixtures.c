// SPDX-License-Identifier: GPL-2.0
/*
 * The trace tools' test run: one card ("card0", slice 0) and the host's
 * interrupt controller ("host-irq"), two contexts (PE 1 and 2), with
 * every kind the tools pair.  The latencies the tests expect:
 *
 *   command read_cl_s   100, 200, 300 ns (ctx 1; a 4th on busy tag 0 gets no response)
 *   command write_mi    400, 600 ns (ctx 2), and one unfinished at the end
 *   spa ADD             2 us (PE 1), 2.5 us (PE 2)
 *   job START           496 ns; job LLCMD 100 ns twice
 *   fault TFC R         3 us (PE 2); fault TFC C 1.5 us (PE 1)
 *   irq psl             500 ns twice; irq afu 500 ns
 *   afu-mmio            desc read +0x0: 200 ns
 *   mmio                CXL_AFU_Cntl_An (slice 0) write: 100 ns; LLCMD writes twice
 *   state               afu enabling 1 us
 *
 * Events are listed in any order and sorted by time (stable) before
 * being emitted, as the recorder wants them in time order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "trace/cxt.h"
#include "trace_fixtures.h"

#define NS(x) ((u64)(x) * 1000)
#define US(x) ((u64)((x) * 1000000.0 + 0.5))

static struct trace_kind k_mmio = TRACE_KIND("psl.mmio", TRACE_LVL_DEFAULT,
	"bar:u64 off:u64 width:u64 write:u64 val:u64 lat:u64");
static struct trace_kind k_cfg = TRACE_KIND("psl.cfg", TRACE_LVL_DEFAULT,
	"off:u64 width:u64 write:u64 val:u64 lat:u64");
static struct trace_kind k_state = TRACE_KIND("psl.state", TRACE_LVL_DEFAULT,
	"slice:s64 machine:str state:u64");
static struct trace_kind k_spa_start = TRACE_KIND("psl.spa.start", TRACE_LVL_DEFAULT,
	"slice:u64 llcmd:u64");
static struct trace_kind k_spa_done = TRACE_KIND("psl.spa.done", TRACE_LVL_DEFAULT,
	"slice:u64 llcmd:u64 status:u64 written:u64");
static struct trace_kind k_ctx = TRACE_KIND("psl.ctx", TRACE_LVL_DEFAULT,
	"slice:u64 pe:u64 state:u64 mode:u64");
static struct trace_kind k_fault = TRACE_KIND("psl.fault", TRACE_LVL_DEFAULT,
	"slice:u64 pe:u64 dsisr:u64 dar:u64");
static struct trace_kind k_answer = TRACE_KIND("psl.fault.answer", TRACE_LVL_DEFAULT,
	"slice:u64 pe:u64 tfc:s64 resp:u64");
static struct trace_kind k_psl_irq = TRACE_KIND("psl.irq", TRACE_LVL_DEFAULT,
	"slice:s64 source:u64 lisn:u64 ivte:u64 sent:u64");
static struct trace_kind k_err = TRACE_KIND("psl.err", TRACE_LVL_DEFAULT,
	"slice:s64 reg:str bits:u64 value:u64");
static struct trace_kind k_raise = TRACE_KIND("irq.raise", TRACE_LVL_DEFAULT,
	"hwirq:u64 due:u64");
static struct trace_kind k_deliver = TRACE_KIND("irq.deliver", TRACE_LVL_DEFAULT,
	"hwirq:u64 handled:u64");
static struct trace_kind k_job = TRACE_KIND("psl.job", TRACE_LVL_DEFAULT,
	"slice:u64 jcom:u64 jea:u64");
static struct trace_kind k_jack = TRACE_KIND("psl.job.ack", TRACE_LVL_DEFAULT,
	"slice:u64 what:str jerror:u64");
static struct trace_kind k_ammio = TRACE_KIND("psl.afu.mmio", TRACE_LVL_DEFAULT,
	"slice:u64 cfg:u64 read:u64 dw:u64 ad:u64 data:u64");
static struct trace_kind k_mmack = TRACE_KIND("psl.afu.mmack", TRACE_LVL_DEFAULT,
	"slice:u64 data:u64 lat:u64 timeout:u64");
static struct trace_kind k_cmd = TRACE_KIND("psl.cmd", TRACE_LVL_DEFAULT,
	"slice:u64 tag:u64 com:u64 ea:u64 size:u64 cabt:u64 cch:u64");
static struct trace_kind k_resp = TRACE_KIND("psl.resp", TRACE_LVL_DEFAULT,
	"slice:u64 tag:u64 resp:u64 credits:s64 lat:u64");
static struct trace_kind k_buf = TRACE_KIND("psl.buf", TRACE_LVL_DEFAULT,
	"slice:u64 tag:u64 to_afu:u64 half:u64");
static struct trace_kind k_buf_data = TRACE_KIND("psl.buf.data", TRACE_LVL_VERBOSE,
	"slice:u64 tag:u64 to_afu:u64 data:bytes");

static struct trace_source s_card = TRACE_SOURCE("card0");
static struct trace_source s_irq = TRACE_SOURCE("host-irq");

#define READ_CL_S 0x0A50
#define WRITE_MI 0x0D60
#define LLCMD_ADD(pe) (0x0005000000000000ULL | (pe))
#define STATUS_ADD 0x0005000500000000ULL

struct rec {
	u64 t;
	unsigned int seq;		/* order of listing: ties keep it */
	bool planted;
	struct trace_kind *k;
	struct trace_source *s;
	u32 ctx;
	unsigned int n;
	struct trace_arg a[8];
};

struct run {
	struct rec v[128];
	unsigned int n;
	enum fixture_variant variant;
};

static u8 line_data[64];

static struct rec *add_args(struct run *r, u64 t, struct trace_kind *k, struct trace_source *s,
			    u32 ctx, const struct trace_arg *a, unsigned int n)
{
	struct rec *e = &r->v[r->n];

	/* FIX_SHIFT: everything from 40 us on happens 4 ns later. */
	if (r->variant == FIX_SHIFT && t >= US(40))
		t += NS(4);
	*e = (struct rec){ .t = t, .seq = r->n, .k = k, .s = s, .ctx = ctx, .n = n };
	memcpy(e->a, a, n * sizeof(*a));
	r->n++;
	return e;
}

#define ADD(r, t, k, s, ctx, ...)						\
	add_args(r, t, k, s, ctx, (const struct trace_arg[]){ __VA_ARGS__ },	\
		 ARRAY_SIZE(((const struct trace_arg[]){ __VA_ARGS__ })))

#define U TRACE_U

static void state(struct run *r, u64 t, u32 ctx, const char *machine, u64 st)
{
	ADD(r, t, &k_state, &s_card, ctx, TRACE_S(0), TRACE_STR(machine), U(st));
}

static void mmio(struct run *r, u64 t, u64 bar, u64 off, bool write, u64 val, u64 lat)
{
	ADD(r, t, &k_mmio, &s_card, TRACE_CTX_NONE, U(bar), U(off), U(8), U(write), U(val),
	    U(lat));
}

static void enable_afu(struct run *r)
{
	ADD(r, 0, &k_cfg, &s_card, TRACE_CTX_NONE, U(0), U(4), U(0), U(0x04771014), U(US(2)));
	ADD(r, US(2), &k_cfg, &s_card, TRACE_CTX_NONE, U(0x100), U(4), U(0), U(0x1280000b),
	    U(US(2)));
	mmio(r, US(10), 0, 0x90, true, 1ULL << 63, NS(100));
	state(r, US(10), TRACE_CTX_NONE, "afu", 1);
	ADD(r, US(10.004), &k_job, &s_card, TRACE_CTX_NONE, U(0), U(0x90), U(0));
	state(r, US(10.004), TRACE_CTX_NONE, "job", 3);
	ADD(r, US(10.5), &k_jack, &s_card, TRACE_CTX_NONE, U(0), TRACE_STR("jrunning"), U(0));
	state(r, US(10.5), TRACE_CTX_NONE, "job", 4);
	state(r, US(11), TRACE_CTX_NONE, "afu", 2);
	mmio(r, US(11), 0, 0x90, false, 0x8000000000000000ULL, US(1));
}

/* An LLCMD ADD of PE @pe at @t that completes after @dur. */
static void add_pe(struct run *r, u64 t, u32 pe, u64 dur)
{
	mmio(r, t, 2, 0x10090, true, LLCMD_ADD(pe), NS(100));
	ADD(r, t, &k_spa_start, &s_card, pe, U(0), U(LLCMD_ADD(pe)));
	state(r, t, pe, "spa", 1);
	ADD(r, t + NS(500), &k_job, &s_card, TRACE_CTX_NONE, U(0), U(0x45), U(LLCMD_ADD(pe)));
	state(r, t + NS(500), pe, "spa", 2);
	ADD(r, t + NS(600), &k_jack, &s_card, TRACE_CTX_NONE, U(0), TRACE_STR("jcack"), U(0));
	ADD(r, t + dur, &k_ctx, &s_card, pe, U(0), U(pe), U(1), U(2));
	ADD(r, t + dur, &k_spa_done, &s_card, pe, U(0), U(LLCMD_ADD(pe)), U(STATUS_ADD), U(1));
	state(r, t + dur, pe, "spa", 0);
}

static struct rec *cmd(struct run *r, u64 t, u32 ctx, u64 tag, u64 com, u64 ea)
{
	return ADD(r, t, &k_cmd, &s_card, ctx, U(0), U(tag), U(com), U(ea), U(128), U(0),
		   U(ctx));
}

static struct rec *resp(struct run *r, u64 t, u32 ctx, u64 tag, u64 code, u64 lat)
{
	return ADD(r, t, &k_resp, &s_card, ctx, U(0), U(tag), U(code), TRACE_S(1), U(lat));
}

static void commands(struct run *r)
{
	struct rec *planted;
	u64 t = US(30);

	cmd(r, t, 1, 0, READ_CL_S, 0x10000);
	cmd(r, t + NS(4), 1, 1, READ_CL_S, 0x10080);
	cmd(r, t + NS(8), 1, 2, READ_CL_S, 0x10100);
	cmd(r, t + NS(12), 1, 0, READ_CL_S, 0x10180);	/* tag 0 busy: dropped */
	ADD(r, t + NS(92), &k_buf, &s_card, 1, U(0), U(0), U(1), U(0));
	ADD(r, t + NS(92), &k_buf_data, &s_card, 1, U(0), U(0), U(1),
	    TRACE_BYTES(line_data, sizeof(line_data)));
	ADD(r, t + NS(96), &k_buf, &s_card, 1, U(0), U(0), U(1), U(1));
	resp(r, t + NS(100), 1, 0, 0, NS(100));
	planted = resp(r, t + NS(204), 1, 1, 0, NS(200));
	resp(r, t + NS(308), 1, 2, 0, NS(300));
	if (r->variant == FIX_RESP) {
		planted->a[2] = U(0x0A);	/* PAGED */
		planted->planted = true;
	}
	t = US(31);
	cmd(r, t, 2, 3, WRITE_MI, 0x20000);
	ADD(r, t + NS(4), &k_buf, &s_card, 2, U(0), U(3), U(0), U(0));
	resp(r, t + NS(400), 2, 3, 0, NS(400));
	cmd(r, t + NS(100), 2, 4, WRITE_MI, 0x20080);
	resp(r, t + NS(700), 2, 4, 0, NS(600));
	cmd(r, US(80), 2, 5, WRITE_MI, 0x20100);	/* never answered */
}

/* A fault of PE @pe presented at @t, its MSI delivered 500 ns later, TFC @tfc after @dur. */
static void fault(struct run *r, u64 t, u32 pe, u64 ivte, s64 tfc, u64 resp_code, u64 dur)
{
	ADD(r, t, &k_fault, &s_card, pe, U(0), U(pe), U(0x4200000000000000ULL),
	    U(0x30000 + pe));
	ADD(r, t, &k_psl_irq, &s_card, pe, TRACE_S(0), U(0), U(0), U(ivte), U(1));
	ADD(r, t, &k_raise, &s_irq, TRACE_CTX_NONE, U(ivte), U(t + NS(500)));
	ADD(r, t + NS(500), &k_deliver, &s_irq, TRACE_CTX_NONE, U(ivte), U(1));
	mmio(r, t + US(1), 0, 0x60, false, 0x4200000000000000ULL, US(1));
	mmio(r, t + dur, 0, 0x78, true, 1, NS(100));
	ADD(r, t + dur, &k_answer, &s_card, pe, U(0), U(pe), TRACE_S(tfc), U(resp_code));
}

static void others(struct run *r)
{
	/* An AFU interrupt of PE 1: LISN 1. */
	ADD(r, US(60), &k_psl_irq, &s_card, 1, TRACE_S(0), U(1), U(1), U(0x21), U(1));
	ADD(r, US(60), &k_raise, &s_irq, TRACE_CTX_NONE, U(0x21), U(US(60.5)));
	ADD(r, US(60.5), &k_deliver, &s_irq, TRACE_CTX_NONE, U(0x21), U(1));
	/* The driver reads AFU descriptor word 0. */
	ADD(r, US(70), &k_ammio, &s_card, TRACE_CTX_NONE, U(0), U(1), U(1), U(1), U(0), U(0));
	ADD(r, US(70.2), &k_mmack, &s_card, TRACE_CTX_NONE, U(0), U(0x0000000100010010ULL),
	    U(NS(200)), U(0));
	ADD(r, US(75), &k_err, &s_card, TRACE_CTX_NONE, TRACE_S(0), TRACE_STR("CXL_PSL_SERR_An"),
	    U(1ULL << 40), U(1ULL << 40));
	if (r->variant == FIX_EXTRA)
		ADD(r, US(35), &k_err, &s_card, TRACE_CTX_NONE, TRACE_S(-1), TRACE_STR("FIR1"),
		    U(1), U(1))->planted = true;
}

static int by_time(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void build(struct run *r)
{
	unsigned int i;

	for (i = 0; i < sizeof(line_data); i++)
		line_data[i] = i * 3;
	enable_afu(r);
	add_pe(r, US(12), 1, US(2));
	add_pe(r, US(20), 2, US(2.5));
	commands(r);
	fault(r, US(40), 2, 0x10, 3, 0, US(3));
	fault(r, US(50), 1, 0x20, 1, 2, US(1.5));
	others(r);
	qsort(r->v, r->n, sizeof(r->v[0]), by_time);
}

static u64 fake_now;

static u64 fake_clock(void *arg)
{
	return fake_now;
}

/* Where the variant departs from the base run. */
static u64 planted_index(const struct run *r)
{
	unsigned int i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].planted || (r->variant == FIX_SHIFT && r->v[i].t >= US(40)))
			return i;
	return r->n;
}

int fixture_write(const char *path, enum fixture_variant variant, struct fixture_info *info)
{
	const struct cxt_seed seed = { "master", variant == FIX_SEED ? 0x2b : 0x2a };
	const struct cxt_header h = {
		.level = TRACE_LVL_VERBOSE, .capisim_version = "0.0.0-test",
		.config_name = "fixture.cfg", .config_text = "[psl]\nslices = 1\n",
		.timing_name = "fixture.timing", .timing_text = "[timing]\nspa_cmd = 2us\n",
		.seeds = &seed, .nr_seeds = 1,
	};
	struct run *r = calloc(1, sizeof(*r));
	struct cxt_error err;
	struct cxt_writer *w;
	unsigned int i;
	int ret;

	if (!r)
		return -ENOMEM;
	r->variant = variant;
	build(r);
	ret = cxt_create(path, &h, NULL, &w, &err);
	if (ret)
		goto out;
	ret = trace_start(w, TRACE_LVL_VERBOSE);
	if (ret) {
		cxt_close_writer(w, &err);
		goto out;
	}
	trace_set_clock(fake_clock, NULL);
	for (i = 0; i < r->n; i++) {
		fake_now = r->v[i].t;
		trace_emit_args(r->v[i].k, r->v[i].s, r->v[i].ctx, r->v[i].a, r->v[i].n);
	}
	ret = trace_stop();
	trace_set_clock(NULL, NULL);
	ret = cxt_close_writer(w, &err) ?: ret;
	if (info) {
		info->nr_events = r->n;
		info->planted = planted_index(r);
	}
out:
	free(r);
	return ret;
}

/* ---- Random events ---- */

static struct trace_kind *const all_kinds[] = {
	&k_mmio, &k_cfg, &k_state, &k_spa_start, &k_spa_done, &k_ctx, &k_fault, &k_answer,
	&k_psl_irq, &k_err, &k_raise, &k_deliver, &k_job, &k_jack, &k_ammio, &k_mmack,
	&k_cmd, &k_resp, &k_buf, &k_buf_data,
};

static const char *const strs[] = {
	"afu", "spa", "job", "purge", "link-frozen", "jdone", "jrunning", "jcack", "tbreq",
	"FIR1", "", "a b.c\"\n", "CXL_PSL_SERR_An",
};

static u64 rng;

static u64 rnd(void)
{
	rng ^= rng << 13;	/* xorshift64 */
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Mostly small, so that keys meet; one time in 16 anything at all. */
static u64 rnd_val(void)
{
	return rnd() % 16 ? rnd() % 4 : rnd();
}

static void emit_random(struct trace_kind *k)
{
	char names[TRACE_MAX_FIELDS][TRACE_MAX_NAME + 1];
	struct trace_arg a[TRACE_MAX_FIELDS];
	static u8 data[200];
	u8 types[TRACE_MAX_FIELDS];
	int i, n = trace_parse_schema(k->schema, types, names);

	for (i = 0; i < n; i++) {
		switch (types[i]) {
		case TRACE_U64:
			a[i] = TRACE_U(rnd_val());
			break;
		case TRACE_S64:
			a[i] = TRACE_S(rnd() % 8 ? (s64)(rnd() % 5) - 1 : (s64)rnd());
			break;
		case TRACE_STR:
			a[i] = TRACE_STR(strs[rnd() % ARRAY_SIZE(strs)]);
			break;
		default:
			a[i] = TRACE_BYTES(data, rnd() % (sizeof(data) + 1));
			break;
		}
	}
	trace_emit_args(k, rnd() % 2 ? &s_card : &s_irq, rnd() % 4 ? rnd() % 3 : TRACE_CTX_NONE,
			a, n);
}

int fixture_write_random(const char *path, u64 seed, unsigned int n)
{
	const struct cxt_header h = { .level = TRACE_LVL_VERBOSE };
	struct cxt_error err;
	struct cxt_writer *w;
	unsigned int i;
	int ret;

	rng = seed | 1;
	ret = cxt_create(path, &h, NULL, &w, &err);
	if (ret)
		return ret;
	ret = trace_start(w, TRACE_LVL_VERBOSE);
	if (ret) {
		cxt_close_writer(w, &err);
		return ret;
	}
	trace_set_clock(fake_clock, NULL);
	fake_now = 0;
	for (i = 0; i < n; i++) {
		/* Gaps of 0 to 7 cycles, and once in a while a jump near the end of time. */
		fake_now += rnd() % 1000 ? (rnd() % 8) * NS(4) : (UINT64_MAX - fake_now) / 2;
		emit_random(all_kinds[rnd() % ARRAY_SIZE(all_kinds)]);
	}
	ret = trace_stop();
	trace_set_clock(NULL, NULL);
	return cxt_close_writer(w, &err) ?: ret;
}
