// SPDX-License-Identifier: GPL-2.0
/*
 * The trace-driven AFU: it replays what an AFU did in a recorded trace,
 * so that a run recorded once (a slow RTL simulation, say) re-runs
 * against a changed model or driver at C speed.
 *
 * The trace is cut into steps at the AFU's port, in trace order: inputs,
 * what the PSL drove (psl.job, psl.afu.mmio, psl.resp), and outputs,
 * what the AFU drove (psl.cmd, psl.job.ack, psl.afu.mmack).  An input
 * stamped at time t was seen by the AFU's tick at t; an output stamped t
 * was driven by the tick before.  So an output may depend on the inputs
 * stamped before it, and the replay takes it that it did: it drives each
 * output, in trace order, once every input stamped before it has arrived,
 * as many cycles after the latest of them (or of the previous output) as
 * the original did.  With the same model and stimulus that is the same
 * stream, cycle for cycle; with another timing the AFU still follows,
 * later or earlier.  PAGED, FLUSHED, restart and the resent commands are
 * steps like the others.
 *
 * Each input must be the one the trace has next of its kind (a response:
 * the one its tag got): the same job command, MMIO, response code.  One
 * the original never saw is where the replay cannot follow: the AFU says
 * which event, when, and what it expected and got, ends the job with
 * TRACEDRV_JERROR and from then on only answers the PSL (MMIO, job
 * commands) to keep it from hanging.
 *
 * Write data is the trace's psl.buf.data (verbose level); a trace at the
 * default level has none, and the AFU writes zeros (counted).
 */
#define pr_fmt(fmt) "afu-trace: " fmt

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afu/port.h"
#include "afu/tracedrv.h"
#include "core/log.h"
#include "trace/cxt.h"

/* The PSL clock (250 MHz, afu.h): trace gaps are counted in its cycles. */
#define PERIOD_PS	4000
#define NONE		UINT32_MAX
#define NEVER		UINT64_MAX

enum td_op {
	OP_CMD,		/* outputs */
	OP_JOB_ACK,
	OP_MMACK,
	OP_RESP,	/* inputs */
	OP_JOB,
	OP_MMIO,
	OP_BUF_DATA,	/* write data of a command, folded into it when loading */
	NR_OPS,
};

/* The kinds the replay reads, with the fields it needs (docs/trace-format.md). */
static const struct {
	const char *kind;
	const char *fields[7];
} op_kinds[NR_OPS] = {
	[OP_CMD] = { "psl.cmd", { "slice", "tag", "com", "ea", "size", "cabt", "cch" } },
	[OP_JOB_ACK] = { "psl.job.ack", { "slice", "what", "jerror" } },
	[OP_MMACK] = { "psl.afu.mmack", { "slice", "data", "timeout" } },
	[OP_RESP] = { "psl.resp", { "slice", "tag", "resp", "credits" } },
	[OP_JOB] = { "psl.job", { "slice", "jcom", "jea" } },
	[OP_MMIO] = { "psl.afu.mmio", { "slice", "cfg", "read", "dw", "ad", "data" } },
	[OP_BUF_DATA] = { "psl.buf.data", { "slice", "tag", "to_afu", "data" } },
};

/* Job acknowledgements, as psl.job.ack names them. */
enum td_ack {
	ACK_JRUNNING,
	ACK_JDONE,
	ACK_JCACK,
	ACK_TBREQ,
};

static const char *const ack_names[] = {
	[ACK_JRUNNING] = "jrunning", [ACK_JDONE] = "jdone",
	[ACK_JCACK] = "jcack", [ACK_TBREQ] = "tbreq",
};

/* One step: a trace event at the AFU's port. */
struct td_step {
	u64 time;		/* ps */
	u64 index;		/* the event's number in the file, from 0 */
	u64 val;		/* cmd ea, job jea, MMIO or ack data, jerror */
	u8 *data;		/* cmd: the write data recorded (a line), or NULL */
	u32 link;		/* cmd: its response's step; input: its number */
	u32 deps;		/* output: inputs stamped before it */
	u64 gap;		/* output: cycles after the latest of them or the last output */
	u32 ad;			/* MMIO word address */
	u16 com;		/* cmd; job: jcom; ack: enum td_ack */
	u16 cch;
	u16 size;
	u8 op;			/* enum td_op */
	u8 tag;
	u8 cabt;
	u8 resp;
	u8 cfg, read, dw;	/* MMIO */
	u8 halves;		/* cmd: data beats recorded */
};

enum td_state {
	TD_REPLAYING,
	TD_FINISHED,		/* every step done; anything more is lost */
	TD_LOST,		/* cannot follow: answers the PSL, nothing else */
};

/* One trace-driven AFU; its tick owns all of it. */
struct td {
	struct afu afu;
	struct afu_port port;
	enum td_state state;
	bool running;		/* ah_jrunning driven */
	char *path;
	/* The steps, and the inputs and outputs among them, in trace order. */
	struct td_step *steps;
	u32 nr_steps;
	u32 *inputs, *outputs;
	u32 nr_inputs, nr_outputs;
	/* Replay */
	u64 edge;		/* the edge this tick sees: tick count */
	u64 *arrived;		/* per input: the edge it was seen at, NEVER before */
	u32 next_job, next_mmio;	/* input numbers: the next of each kind to come */
	u32 tag_resp[AFU_PORT_MAX_TAGS]; /* the response step each busy tag awaits */
	bool tag_zeros[AFU_PORT_MAX_TAGS]; /* issued with zeros for data: none recorded */
	u32 next_out;		/* the next output to drive */
	u32 deps_done;		/* inputs [0, deps_done) arrived ... */
	u64 deps_edge;		/* ... the last of them at this edge */
	u64 out_edge;		/* the edge the last output was sampled at */
	u64 done;		/* steps matched or driven */
	u64 no_data;
	char why[400];
};

static struct td *to_td(const struct afu *a)
{
	return container_of(a, struct td, afu);
}

/* ---- Loading ---- */

/* Where a kind's needed fields are, by kind id; op NR_OPS: not one we read. */
struct td_kmap {
	u8 op;
	u8 field[7];
};

static int kind_map(const struct cxt_kind *k, struct td_kmap *m)
{
	unsigned int op, i, f;

	m->op = NR_OPS;
	for (op = 0; op < NR_OPS; op++)
		if (!strcmp(k->name, op_kinds[op].kind))
			break;
	if (op == NR_OPS)
		return 0;
	for (i = 0; i < ARRAY_SIZE(op_kinds[op].fields) && op_kinds[op].fields[i]; i++) {
		for (f = 0; f < k->nr_fields; f++)
			if (!strcmp(k->field_names[f], op_kinds[op].fields[i]))
				break;
		if (f == k->nr_fields)
			return 0;	/* lacks a field: not the kind we know */
		m->field[i] = f;
	}
	m->op = op;
	return 0;
}

/* A loader's state: the steps so far, and per tag the last command. */
struct td_load {
	struct td *t;
	u64 slice;
	u16 src;		/* the card replayed: the first seen with our kinds */
	u32 cap;
	u32 last_cmd[AFU_PORT_MAX_TAGS];
	struct td_kmap *kmaps;
	u32 nr_kmaps;
};

static u64 fu(const struct trace_event *ev, const struct td_kmap *m, unsigned int i)
{
	return ev->f[m->field[i]].u;
}

static int what_ack(const struct trace_arg *a)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ack_names); i++)
		if (a->len == strlen(ack_names[i]) && !memcmp(a->p, ack_names[i], a->len))
			return i;
	return -1;
}

/* psl.buf.data from the AFU: half a line of the last command on its tag. */
static int add_data(struct td_load *l, const struct trace_event *ev, const struct td_kmap *m)
{
	const struct trace_arg *d = &ev->f[m->field[3]];
	u32 c = l->last_cmd[fu(ev, m, 1) & 0xFF];
	struct td_step *s;

	if (fu(ev, m, 2) || c == NONE || d->len != AFU_HALF_LINE)
		return 0;
	s = &l->t->steps[c];
	if (s->halves >= 2)
		return 0;
	if (!s->data) {
		s->data = calloc(1, AFU_LINE_SIZE);
		if (!s->data)
			return -ENOMEM;
	}
	memcpy(s->data + s->halves++ * AFU_HALF_LINE, d->p, AFU_HALF_LINE);
	return 0;
}

static void fill_step(struct td_step *s, const struct trace_event *ev, const struct td_kmap *m)
{
	switch (s->op) {
	case OP_CMD:
		s->tag = fu(ev, m, 1);
		s->com = fu(ev, m, 2);
		s->val = fu(ev, m, 3);
		s->size = fu(ev, m, 4);
		s->cabt = fu(ev, m, 5);
		s->cch = fu(ev, m, 6);
		s->link = NONE;
		break;
	case OP_JOB_ACK:
		s->com = what_ack(&ev->f[m->field[1]]);
		s->val = fu(ev, m, 2);
		break;
	case OP_MMACK:
		s->val = fu(ev, m, 1);
		break;
	case OP_RESP:
		s->tag = fu(ev, m, 1);
		s->resp = fu(ev, m, 2);
		break;
	case OP_JOB:
		s->com = fu(ev, m, 1);
		s->val = fu(ev, m, 2);
		break;
	case OP_MMIO:
		s->cfg = fu(ev, m, 1);
		s->read = fu(ev, m, 2);
		s->dw = fu(ev, m, 3);
		s->ad = fu(ev, m, 4);
		s->val = fu(ev, m, 5);
		break;
	}
}

/* Is @ev a step of ours? Lost responses and timed-out MMIOs never reached the AFU. */
static bool wanted(struct td_load *l, const struct trace_event *ev, const struct td_kmap *m)
{
	if (fu(ev, m, 0) != l->slice || (l->src && ev->src != l->src))
		return false;
	switch (m->op) {
	case OP_RESP:
		return (s64)fu(ev, m, 3) != 0;
	case OP_MMACK:
		return !fu(ev, m, 2);
	case OP_JOB_ACK:
		return what_ack(&ev->f[m->field[1]]) >= 0;
	default:
		return true;
	}
}

static int add_event(struct td_load *l, const struct cxt_reader *r,
		     const struct trace_event *ev, u64 index)
{
	struct td *t = l->t;
	struct td_kmap *m;
	struct td_step *s;

	if (ev->kind >= l->nr_kmaps) {
		struct td_kmap *k = realloc(l->kmaps, (ev->kind + 1) * sizeof(*k));

		if (!k)
			return -ENOMEM;
		memset(k + l->nr_kmaps, 0xFF, (ev->kind + 1 - l->nr_kmaps) * sizeof(*k));
		l->kmaps = k;
		l->nr_kmaps = ev->kind + 1;
	}
	m = &l->kmaps[ev->kind];
	if (m->op == 0xFF)
		kind_map(cxt_kind(r, ev->kind), m);
	if (m->op == NR_OPS || !wanted(l, ev, m))
		return 0;
	l->src = ev->src;
	if (m->op == OP_BUF_DATA)
		return add_data(l, ev, m);
	if (t->nr_steps == l->cap) {
		u32 cap = l->cap ? 2 * l->cap : 1024;

		s = realloc(t->steps, cap * sizeof(*s));
		if (!s)
			return -ENOMEM;
		t->steps = s;
		l->cap = cap;
	}
	s = &t->steps[t->nr_steps];
	memset(s, 0, sizeof(*s));
	s->op = m->op;
	s->time = ev->time;
	s->index = index;
	fill_step(s, ev, m);
	if (s->op == OP_CMD)
		l->last_cmd[s->tag] = t->nr_steps;
	if (s->op == OP_RESP && l->last_cmd[s->tag] != NONE) {
		t->steps[l->last_cmd[s->tag]].link = t->nr_steps;
		l->last_cmd[s->tag] = NONE;
	}
	t->nr_steps++;
	return 0;
}

static bool is_input(const struct td_step *s)
{
	return s->op >= OP_RESP;
}

/*
 * Cycles from what @s waits for (input @deps - 1, or output @last_out if
 * later) to @s; 0 if it waits for nothing.
 */
static u64 out_gap(const struct td *t, const struct td_step *s, u32 deps, u64 last_out)
{
	u64 ref = deps ? t->steps[t->inputs[deps - 1]].time : 0;

	if (last_out != NEVER && last_out > ref)
		ref = last_out;
	if (!deps && last_out == NEVER)
		return 0;
	return (s->time - ref + PERIOD_PS / 2) / PERIOD_PS;
}

/* Number the inputs and outputs; give each output its inputs and its gap. */
static int order_steps(struct td *t)
{
	u64 last_out = NEVER;
	u32 i, n = 0;

	t->inputs = calloc(t->nr_steps + 1, sizeof(*t->inputs));
	t->outputs = calloc(t->nr_steps + 1, sizeof(*t->outputs));
	t->arrived = calloc(t->nr_steps + 1, sizeof(*t->arrived));
	if (!t->inputs || !t->outputs || !t->arrived)
		return -ENOMEM;
	for (i = 0; i < t->nr_steps; i++) {
		struct td_step *s = &t->steps[i];

		if (is_input(s)) {
			s->link = t->nr_inputs;
			t->inputs[t->nr_inputs++] = i;
			continue;
		}
		/* Inputs stamped at its own time came after it: not its causes. */
		while (n < t->nr_inputs && t->steps[t->inputs[n]].time < s->time)
			n++;
		s->deps = n;
		s->gap = out_gap(t, s, n, last_out);
		last_out = s->time;
		t->outputs[t->nr_outputs++] = i;
	}
	return 0;
}

static int load(struct td *t, u64 slice)
{
	struct td_load l = { .t = t, .slice = slice };
	struct cxt_reader *r;
	struct cxt_error err;
	struct trace_event ev;
	u64 index = 0;
	int ret;

	memset(l.last_cmd, 0xFF, sizeof(l.last_cmd));
	ret = cxt_open(t->path, 0, &r, &err);
	if (ret) {
		pr_err("%s\n", err.msg);
		return ret;
	}
	while ((ret = cxt_next(r, &ev, &err)) > 0) {
		ret = add_event(&l, r, &ev, index++);
		if (ret) {
			snprintf(err.msg, sizeof(err.msg), "%s: out of memory", t->path);
			break;
		}
	}
	if (ret < 0)
		pr_err("%s\n", err.msg);
	cxt_close(r);
	free(l.kmaps);
	if (!ret)
		ret = order_steps(t);
	if (!ret && !t->nr_steps) {
		pr_err("%s: no AFU events of slice %llu\n", t->path, (unsigned long long)slice);
		ret = -ENOENT;
	}
	return ret;
}

/* ---- Replay ---- */

static const char *resp_name(u8 code)
{
	static const char *const names[] = {
		[AFU_RESP_DONE] = "DONE", [AFU_RESP_AERROR] = "AERROR",
		[AFU_RESP_DERROR] = "DERROR", [AFU_RESP_NLOCK] = "NLOCK",
		[AFU_RESP_NRES] = "NRES", [AFU_RESP_FLUSHED] = "FLUSHED",
		[AFU_RESP_FAULT] = "FAULT", [AFU_RESP_FAILED] = "FAILED",
		[AFU_RESP_PAGED] = "PAGED", [AFU_RESP_CONTEXT] = "CONTEXT",
	};

	return code < ARRAY_SIZE(names) && names[code] ? names[code] : "unknown";
}

/*
 * Stop following: record where (@s, the step expected; NULL past the
 * end) and why, end a running job.
 */
__attribute__((format(printf, 4, 5)))
static void lose(struct td *t, const struct td_step *s, struct afu_out *out,
		 const char *fmt, ...)
{
	char what[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (s)
		snprintf(t->why, sizeof(t->why), "event %llu at %llu.%03llu ns: %s",
			 (unsigned long long)s->index, (unsigned long long)(s->time / 1000),
			 (unsigned long long)(s->time % 1000), what);
	else
		snprintf(t->why, sizeof(t->why), "after the trace's last event: %s", what);
	pr_err("%s: cannot follow the trace: %s\n", t->afu.instance, t->why);
	t->state = TD_LOST;
	if (t->running) {
		t->running = false;
		out->jrunning = 0;
		out->jdone = 1;
		out->jerror = TRACEDRV_JERROR;
	}
}

/* Lost: answer a job command as any AFU must, so that the driver can reset us. */
static void answer_job(struct td *t, const struct afu_in *in, struct afu_out *out)
{
	if (in->jcom == AFU_JCOM_RESET) {
		afu_port_reset(&t->port, in->croom);
		out->jrunning = 0;
		out->jdone = 1;
	} else if (in->jcom == AFU_JCOM_LLCMD) {
		out->jcack = 1;
	}
}

/* Lost: keep the PSL from waiting on us. */
static void answer_only(struct td *t, const struct afu_in *in, struct afu_out *out)
{
	if (in->mmval)
		afu_port_mmio_ack(&t->port, out, in->mmrnw ? ~0ULL : 0);
	if (in->jval)
		answer_job(t, in, out);
	afu_port_response(&t->port, in);
}

static struct td_step *next_input(struct td *t, u32 *cursor, enum td_op op)
{
	while (*cursor < t->nr_inputs && t->steps[t->inputs[*cursor]].op != op)
		(*cursor)++;
	return *cursor < t->nr_inputs ? &t->steps[t->inputs[*cursor]] : NULL;
}

static void arrive(struct td *t, struct td_step *s)
{
	t->arrived[s->link] = t->edge;
	t->done++;
}

static void on_job(struct td *t, const struct afu_in *in, struct afu_out *out)
{
	struct td_step *s = next_input(t, &t->next_job, OP_JOB);

	if (!s || s->com != in->jcom || s->val != in->jea) {
		if (s)
			lose(t, s, out, "expected job command 0x%02x jea 0x%llx, got 0x%02x jea 0x%llx",
			     s->com, (unsigned long long)s->val, in->jcom,
			     (unsigned long long)in->jea);
		else
			lose(t, NULL, out, "job command 0x%02x jea 0x%llx", in->jcom,
			     (unsigned long long)in->jea);
		answer_job(t, in, out);
		return;
	}
	t->next_job++;
	arrive(t, s);
	if (in->jcom == AFU_JCOM_RESET) {
		afu_port_reset(&t->port, in->croom);
		memset(t->tag_resp, 0xFF, sizeof(t->tag_resp));
		memset(t->tag_zeros, 0, sizeof(t->tag_zeros));
		t->running = false;
	}
}

static bool mmio_same(const struct td_step *s, const struct afu_in *in)
{
	return s->cfg == in->mmcfg && s->read == in->mmrnw && s->dw == in->mmdw &&
	       s->ad == in->mmad && (s->read || s->val == in->mmdata);
}

static void on_mmio(struct td *t, const struct afu_in *in, struct afu_out *out)
{
	struct td_step *s = next_input(t, &t->next_mmio, OP_MMIO);

	if (s && mmio_same(s, in)) {
		t->next_mmio++;
		arrive(t, s);
		return;
	}
	if (s)
		lose(t, s, out, "expected MMIO %s %s of word 0x%x, got %s %s of word 0x%x",
		     s->cfg ? "descriptor" : "PSA", s->read ? "read" : "write", s->ad,
		     in->mmcfg ? "descriptor" : "PSA", in->mmrnw ? "read" : "write", in->mmad);
	else
		lose(t, NULL, out, "MMIO %s of word 0x%x", in->mmrnw ? "read" : "write",
		     in->mmad);
}

static void on_response(struct td *t, struct afu_tag *tag, const struct afu_in *in,
			struct afu_out *out)
{
	u32 i = t->tag_resp[tag->id];
	struct td_step *s = i == NONE ? NULL : &t->steps[i];

	t->tag_resp[tag->id] = NONE;
	if (!s) {
		lose(t, NULL, out, "response %s to tag %u (com 0x%04x ea 0x%llx), which the "
		     "trace never answered", resp_name(in->response), tag->id, tag->com,
		     (unsigned long long)tag->ea);
		return;
	}
	if (s->resp != in->response) {
		lose(t, s, out, "tag %u (com 0x%04x ea 0x%llx): expected response %s, got %s",
		     tag->id, tag->com, (unsigned long long)tag->ea, resp_name(s->resp),
		     resp_name(in->response));
		return;
	}
	arrive(t, s);
}

/* Have the inputs @o waits for arrived? */
static bool deps_arrived(const struct td *t, const struct td_step *o)
{
	u32 i;

	for (i = t->deps_done; i < o->deps; i++)
		if (t->arrived[i] == NEVER)
			return false;
	return true;
}

/* deps_arrived(), keeping how far they did and the edge of the last in @deps_edge. */
static bool deps_in(struct td *t, const struct td_step *o)
{
	while (t->deps_done < o->deps && t->arrived[t->deps_done] != NEVER) {
		if (t->arrived[t->deps_done] > t->deps_edge)
			t->deps_edge = t->arrived[t->deps_done];
		t->deps_done++;
	}
	return t->deps_done >= o->deps;
}

/* The edge @o is due to be sampled at. */
static u64 due_edge(const struct td *t, const struct td_step *o)
{
	u64 ref = t->deps_edge > t->out_edge ? t->deps_edge : t->out_edge;

	return ref + o->gap;
}

static bool drive_cmd(struct td *t, const struct td_step *o, struct afu_out *out)
{
	struct afu_tag *tag = &t->port.tags[o->tag];

	if (out->cvalid || t->port.credits <= 0 || tag->busy)
		return false;
	tag->com = o->com;
	tag->ea = o->val;
	tag->size = o->size;
	tag->cabt = o->cabt;
	tag->cch = o->cch;
	if (o->data)
		memcpy(tag->buf, o->data, AFU_LINE_SIZE);
	else
		memset(tag->buf, 0, AFU_LINE_SIZE);
	t->tag_zeros[o->tag] = !o->data;
	afu_port_issue(&t->port, tag, out);
	t->tag_resp[o->tag] = o->link;
	return true;
}

static bool drive_ack(struct td *t, const struct td_step *o, struct afu_out *out)
{
	switch (o->com) {
	case ACK_JRUNNING:
		t->running = true;
		out->jrunning = 1;
		return true;
	case ACK_JDONE:
		if (out->jdone)
			return false;
		t->running = false;
		out->jrunning = 0;
		out->jdone = 1;
		out->jerror = o->val;
		return true;
	case ACK_JCACK:
		if (out->jcack)
			return false;
		out->jcack = 1;
		return true;
	default:
		if (out->tbreq)
			return false;
		out->tbreq = 1;
		return true;
	}
}

static bool drive(struct td *t, const struct td_step *o, struct afu_out *out)
{
	switch (o->op) {
	case OP_CMD:
		return drive_cmd(t, o, out);
	case OP_JOB_ACK:
		return drive_ack(t, o, out);
	default:
		if (out->mmack)
			return false;
		afu_port_mmio_ack(&t->port, out, o->val);
		return true;
	}
}

/* The outputs due by the next edge, in order. */
static void drive_outputs(struct td *t, struct afu_out *out)
{
	while (t->next_out < t->nr_outputs) {
		const struct td_step *o = &t->steps[t->outputs[t->next_out]];

		if (!deps_in(t, o) || due_edge(t, o) > t->edge + 1 || !drive(t, o, out))
			return;
		t->out_edge = t->edge + 1;
		t->next_out++;
		t->done++;
	}
	if (t->done == t->nr_steps)
		t->state = TD_FINISHED;
}


static void td_tick(struct afu *a, const struct afu_in *in, struct afu_out *out)
{
	struct td *t = to_td(a);
	struct afu_tag *tag;

	t->edge++;
	/* The PSL reads a buffer the trace has no data for: the write gets zeros. */
	if (in->brvalid && t->tag_zeros[in->brtag]) {
		t->tag_zeros[in->brtag] = false;
		t->no_data++;
	}
	afu_port_tick(&t->port, in, out);
	if (t->state == TD_FINISHED && (in->jval || in->mmval || in->rvalid))
		lose(t, NULL, out, "the PSL drove %s", in->jval ? "a job command" :
		     in->mmval ? "an MMIO" : "a response");
	if (t->state == TD_LOST) {
		answer_only(t, in, out);
		return;
	}
	if (in->jval)
		on_job(t, in, out);
	if (in->mmval && t->state == TD_REPLAYING)
		on_mmio(t, in, out);
	tag = afu_port_response(&t->port, in);
	if (tag && t->state == TD_REPLAYING)
		on_response(t, tag, in, out);
	if (t->state == TD_REPLAYING)
		drive_outputs(t, out);
	else if (in->mmval)
		afu_port_mmio_ack(&t->port, out, in->mmrnw ? ~0ULL : 0);
}

/* Idle unless an output waits only for its cycles to pass. */
static bool td_idle(const struct afu *a)
{
	const struct td *t = to_td(a);

	if (t->state != TD_REPLAYING || t->next_out == t->nr_outputs)
		return true;
	return !deps_arrived(t, &t->steps[t->outputs[t->next_out]]);
}

void tracedrv_status(const struct afu *afu, struct tracedrv_status *st)
{
	const struct td *t = to_td(afu);

	memset(st, 0, sizeof(*st));
	st->steps = t->nr_steps;
	st->done = t->done;
	st->no_data = t->no_data;
	st->finished = t->state == TD_FINISHED;
	st->lost = t->state == TD_LOST;
	snprintf(st->why, sizeof(st->why), "%s", t->why);
}

static void td_destroy(struct afu *a)
{
	struct td *t;
	u32 i;

	if (!a)
		return;
	t = to_td(a);
	afu_port_exit(&t->port);
	for (i = 0; i < t->nr_steps; i++)
		free(t->steps[i].data);
	free(t->steps);
	free(t->inputs);
	free(t->outputs);
	free(t->arrived);
	free(t->path);
	free(t);
}

/* Take "trace=PATH" out of @options into @t->path; the rest into @rest. */
static int take_path(struct td *t, const char *options, char *rest, size_t size)
{
	const char *s = options ? options : "";
	size_t n = 0;

	rest[0] = '\0';
	while (*s) {
		size_t len = strcspn(s, ",");

		if (len > 6 && !strncmp(s, "trace=", 6)) {
			free(t->path);
			t->path = strndup(s + 6, len - 6);
			if (!t->path)
				return -ENOMEM;
		} else if (len) {
			if (n + len + 2 > size)
				return -EINVAL;
			n += snprintf(rest + n, size - n, "%s%.*s", n ? "," : "", (int)len, s);
		}
		s += len;
		if (*s == ',')
			s++;
	}
	return t->path ? 0 : -EINVAL;
}

static struct afu *td_create(const char *instance, u64 seed, const char *options)
{
	u64 slice = 0, brlat = 1, paren = 1;
	const struct afu_opt opts[] = {
		{ "slice", &slice, 0, 63 },
		{ "brlat", &brlat, 1, 3 },
		{ "paren", &paren, 0, 1 },
	};
	char rest[256];
	struct td *t;
	u32 i;

	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->afu.ops = &afu_tracedrv_ops;
	snprintf(t->afu.instance, sizeof(t->afu.instance), "%s", instance ? instance : "trace");
	if (take_path(t, options, rest, sizeof(rest))) {
		pr_err("trace: needs trace=PATH.cxt (options \"%s\")\n", options ? options : "");
		goto fail;
	}
	if (afu_opts_parse("trace", rest, opts, ARRAY_SIZE(opts)))
		goto fail;
	if (brlat == 2) {
		pr_err("trace: brlat 1 or 3\n");
		goto fail;
	}
	if (afu_port_init(&t->port, AFU_PORT_MAX_TAGS, brlat, paren) || load(t, slice))
		goto fail;
	for (i = 0; i < t->nr_inputs; i++)
		t->arrived[i] = NEVER;
	memset(t->tag_resp, 0xFF, sizeof(t->tag_resp));
	pr_debug("%s: %u steps from %s, %u inputs, %u outputs\n", t->afu.instance, t->nr_steps,
		 t->path, t->nr_inputs, t->nr_outputs);
	(void)seed;	/* the trace decides everything */
	return &t->afu;
fail:
	td_destroy(&t->afu);
	return NULL;
}

const struct afu_ops afu_tracedrv_ops = {
	.abi_version = AFU_ABI_VERSION,
	.name = "trace",
	.create = td_create,
	.destroy = td_destroy,
	.tick = td_tick,
	.idle = td_idle,
};
