// SPDX-License-Identifier: GPL-2.0
/*
 * Pairing start and end events into spans, by the rules of
 * docs/trace-format.md ("Pairs"): each op has a key made of the events'
 * fields, and an end closes the open span of its key.  A command's key is
 * (source, slice, tag); a fault's, an SPA command's and an AFU MMIO's
 * (source, slice), as the PSL runs one of each per slice at a time; a job
 * command's (source, slice, which answer it waits for); a state
 * machine's (source, slice, machine); an MSI's (controller, hwirq), with
 * several in flight closed in the controller's order (due time, then
 * raise order).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "afu/afu.h"
#include "psl/regs.h"
#include "trace/tt.h"

/* An open span and what its end needs to know. */
struct pend {
	struct tt_span span;
	u64 due;			/* MSI: when the controller delivers it */
};

/* The open spans of one key; most keys have at most one. */
struct pend_list {
	u32 n, cap;
	struct pend *v;
};

/* A psl.irq seen at the current time, waiting for the irq.raise it causes. */
struct psl_msi {
	u64 ivte, source, lisn;
	u32 ctx;
	s32 slice;
};

struct tt_pairer {
	const struct tt_pair_ops *ops;
	void *arg;
	struct tt_map open;		/* key -> struct pend_list */
	struct tt_pool pool;		/* labels made at run time */
	struct tt_pair_counts counts;
	struct psl_msi *msi;		/* psl.irq events at @msi_time */
	u32 nr_msi, cap_msi;
	u64 msi_time;
};

static const char *const op_names[TT_NR_OPS] = {
	[TT_OP_CMD] = "command", [TT_OP_FAULT] = "fault", [TT_OP_SPA] = "spa",
	[TT_OP_IRQ] = "irq", [TT_OP_JOB] = "job", [TT_OP_AFU_MMIO] = "afu-mmio",
	[TT_OP_STATE] = "state",
};

const char *tt_op_name(enum tt_op op)
{
	return op < TT_NR_OPS ? op_names[op] : "?";
}

/* Job commands wait for one of these answers. */
enum job_wait { WAIT_JDONE, WAIT_RUNNING, WAIT_JCACK };

struct tt_pairer *tt_pair_new(const struct tt_pair_ops *ops, void *arg)
{
	struct tt_pairer *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->ops = ops;
	p->arg = arg;
	return p;
}

void tt_pair_free(struct tt_pairer *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->open.cap; i++) {
		struct pend_list *l = p->open.ent[i].val;

		if (l) {
			free(l->v);
			free(l);
		}
	}
	tt_map_free(&p->open);
	tt_pool_free(&p->pool);
	free(p->msi);
	free(p);
}

const struct tt_pair_counts *tt_pair_counts(const struct tt_pairer *p)
{
	return &p->counts;
}

static u64 key_a(enum tt_op op, const struct tt_ev *e, s64 slice)
{
	return (u64)op << 56 | (u64)e->ev.src << 32 | (u32)slice;
}

static struct pend_list *list_get(struct tt_pairer *p, u64 a, u64 b, bool create)
{
	struct pend_list *l = tt_map_get(&p->open, a, b);

	if (l || !create)
		return l;
	l = calloc(1, sizeof(*l));
	if (l && tt_map_put(&p->open, a, b, l)) {
		free(l);
		l = NULL;
	}
	return l;
}

static void span_arg(struct tt_span *s, const char *name, u64 v, bool hex)
{
	if (s->nr_args == TT_SPAN_ARGS)
		return;
	s->args[s->nr_args].name = name;
	s->args[s->nr_args].v = v;
	s->args[s->nr_args].hex = hex;
	s->nr_args++;
}

/* A span of @e's op starts: fill in what every span has. */
static void span_init(struct tt_span *s, enum tt_op op, const struct tt_ev *e, const char *label)
{
	*s = (struct tt_span){
		.op = op, .label = label, .start = e->ev.time, .end = e->ev.time,
		.start_index = e->index, .end_index = e->index, .ctx = e->ev.ctx,
		.src = e->ev.src, .slice = (s32)tt_slice(e),
	};
}

/* Open @s under key (@a, @b); -ENOMEM. */
static int open_span(struct tt_pairer *p, u64 a, u64 b, const struct tt_span *s, u64 due)
{
	struct pend_list *l = list_get(p, a, b, true);
	struct pend *v;

	if (!l)
		return -ENOMEM;
	if (l->n == l->cap) {
		u32 cap = l->cap ? 2 * l->cap : 1;

		v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	v = &l->v[l->n++];
	v->span = *s;
	v->due = due;
	if (p->ops->start)
		v->span.cookie = p->ops->start(p->arg, &v->span);
	return 0;
}

/* Take entry @i out of @l and return it. */
static struct tt_span take(struct pend_list *l, u32 i)
{
	struct tt_span s = l->v[i].span;

	memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof(l->v[0]));
	l->n--;
	return s;
}

static void close_span(struct tt_pairer *p, struct tt_span *s, const struct tt_ev *e)
{
	s->end = e->ev.time;
	s->end_index = e->index;
	p->ops->end(p->arg, s);
}

/*
 * A start on a key that has an open span: a command keeps its tag (the
 * PSL drops the second command); anything else abandons the open span.
 */
static int start_on_key(struct tt_pairer *p, u64 a, u64 b, const struct tt_span *s)
{
	struct pend_list *l = list_get(p, a, b, false);
	struct tt_span old;

	if (l && l->n) {
		p->counts.dup_start[s->op]++;
		if (s->op == TT_OP_CMD)
			return 0;
		old = take(l, 0);
		old.end = s->start;
		old.end_index = s->start_index;
		old.result = "abandoned";
		p->ops->end(p->arg, &old);
	}
	return open_span(p, a, b, s, 0);
}

/* The oldest open span of (@a, @b), taken out; false (counted) if none. */
static bool end_on_key(struct tt_pairer *p, enum tt_op op, u64 a, u64 b, struct tt_span *s)
{
	struct pend_list *l = list_get(p, a, b, false);

	if (!l || !l->n) {
		p->counts.orphan_end[op]++;
		return false;
	}
	*s = take(l, 0);
	return true;
}

static const char *label_printf(struct tt_pairer *p, const char *fmt, unsigned long long v)
{
	char buf[64];
	int n = snprintf(buf, sizeof(buf), fmt, v);

	return tt_intern(&p->pool, buf, n);
}

/* ---- Commands ---- */

static int cmd_start(struct tt_pairer *p, const struct tt_ev *e)
{
	u64 com = tt_u(e, CMD_COM);
	const char *name = tt_cmd_name(com);
	struct tt_span s;

	span_init(&s, TT_OP_CMD, e, name ? name : label_printf(p, "com 0x%04llx", com));
	if (!s.label)
		return -ENOMEM;
	span_arg(&s, "tag", tt_u(e, CMD_TAG), false);
	span_arg(&s, "ea", tt_u(e, CMD_EA), true);
	span_arg(&s, "size", tt_u(e, CMD_SIZE), false);
	return start_on_key(p, key_a(TT_OP_CMD, e, s.slice), tt_u(e, CMD_TAG), &s);
}

static int cmd_end(struct tt_pairer *p, const struct tt_ev *e)
{
	u64 resp = tt_u(e, RESP_RESP);
	const char *name = tt_resp_name(resp);
	struct tt_span s;

	if (!end_on_key(p, TT_OP_CMD, key_a(TT_OP_CMD, e, tt_slice(e)), tt_u(e, RESP_TAG), &s))
		return 0;
	span_arg(&s, "resp", resp, true);
	if (!tt_s(e, RESP_CREDITS))
		s.result = "lost";
	else
		s.result = name ? name : label_printf(p, "resp 0x%02llx", resp);
	if (!s.result)
		return -ENOMEM;
	close_span(p, &s, e);
	return 0;
}

/* ---- Faults ---- */

static int fault_start(struct tt_pairer *p, const struct tt_ev *e)
{
	struct tt_span s;

	span_init(&s, TT_OP_FAULT, e, "no answer");
	span_arg(&s, "pe", tt_u(e, FAULT_PE), false);
	span_arg(&s, "dsisr", tt_u(e, FAULT_DSISR), true);
	span_arg(&s, "dar", tt_u(e, FAULT_DAR), true);
	return start_on_key(p, key_a(TT_OP_FAULT, e, s.slice), 0, &s);
}

/*
 * An answer closes the fault presented on its slice when the PEs agree.
 * Otherwise it is a queued fault flushed before it was presented: no span.
 */
static int fault_end(struct tt_pairer *p, const struct tt_ev *e)
{
	struct pend_list *l = list_get(p, key_a(TT_OP_FAULT, e, tt_slice(e)), 0, false);
	struct tt_span s;

	/* args[0] is the fault's PE (fault_start). */
	if (!l || !l->n || l->v[0].span.args[0].v != tt_u(e, ANS_PE)) {
		p->counts.orphan_end[TT_OP_FAULT]++;
		return 0;
	}
	s = take(l, 0);
	s.label = tt_fault_answer_name(tt_s(e, ANS_TFC), tt_u(e, ANS_RESP));
	close_span(p, &s, e);
	return 0;
}

/* ---- SPA commands ---- */

static int spa_start(struct tt_pairer *p, const struct tt_ev *e)
{
	struct tt_span s;

	span_init(&s, TT_OP_SPA, e, tt_llcmd_name(tt_u(e, SPA_LLCMD)));
	span_arg(&s, "llcmd", tt_u(e, SPA_LLCMD), true);
	return start_on_key(p, key_a(TT_OP_SPA, e, s.slice), 0, &s);
}

static int spa_end(struct tt_pairer *p, const struct tt_ev *e)
{
	u64 status = tt_u(e, SPA_STATUS), llcmd = tt_u(e, SPA_LLCMD);
	struct tt_span s;

	if (!end_on_key(p, TT_OP_SPA, key_a(TT_OP_SPA, e, tt_slice(e)), 0, &s))
		return 0;
	span_arg(&s, "status", status, true);
	/* Done: the status field repeats the command; 1ccc... is an error. */
	if (!tt_u(e, SPA_WRITTEN))
		s.result = "not written";
	else if ((status & CXL_SPA_SW_STATE_MASK) >> 32 == (llcmd & CXL_SPA_SW_CMD_MASK) >> 48)
		s.result = "ok";
	else
		s.result = "error";
	close_span(p, &s, e);
	return 0;
}

/* ---- MSIs ---- */

static int msi_note(struct tt_pairer *p, const struct tt_ev *e)
{
	struct psl_msi *m;

	if (!tt_u(e, PIRQ_SENT))
		return 0;
	if (e->ev.time != p->msi_time) {
		p->nr_msi = 0;
		p->msi_time = e->ev.time;
	}
	if (p->nr_msi == p->cap_msi) {
		u32 cap = p->cap_msi ? 2 * p->cap_msi : 8;

		m = realloc(p->msi, cap * sizeof(*m));
		if (!m)
			return -ENOMEM;
		p->msi = m;
		p->cap_msi = cap;
	}
	p->msi[p->nr_msi++] = (struct psl_msi){
		.ivte = tt_u(e, PIRQ_IVTE), .source = tt_u(e, PIRQ_SOURCE),
		.lisn = tt_u(e, PIRQ_LISN), .ctx = e->ev.ctx, .slice = (s32)tt_slice(e),
	};
	return 0;
}

/* The psl.irq that sent MSI @hwirq at this very time, taken out; NULL if none. */
static bool msi_cause(struct tt_pairer *p, u64 t, u64 hwirq, struct psl_msi *out)
{
	u32 i;

	if (t != p->msi_time)
		return false;
	for (i = 0; i < p->nr_msi; i++) {
		if (p->msi[i].ivte != hwirq)
			continue;
		*out = p->msi[i];
		memmove(&p->msi[i], &p->msi[i + 1], (p->nr_msi - i - 1) * sizeof(p->msi[0]));
		p->nr_msi--;
		return true;
	}
	return false;
}

static int irq_start(struct tt_pairer *p, const struct tt_ev *e)
{
	u64 hwirq = tt_u(e, RAISE_HWIRQ);
	struct psl_msi m;
	struct tt_span s;

	span_init(&s, TT_OP_IRQ, e, "msi");
	span_arg(&s, "hwirq", hwirq, true);
	if (msi_cause(p, e->ev.time, hwirq, &m)) {
		s.label = tt_irq_source_name(m.source);
		s.ctx = m.ctx;
		s.slice = m.slice;
		span_arg(&s, "lisn", m.lisn, false);
	}
	return open_span(p, key_a(TT_OP_IRQ, e, -1), hwirq, &s, tt_u(e, RAISE_DUE));
}

/* The controller delivers in (due, raise order): close the first such. */
static int irq_end(struct tt_pairer *p, const struct tt_ev *e)
{
	struct pend_list *l = list_get(p, key_a(TT_OP_IRQ, e, -1), tt_u(e, DELIVER_HWIRQ), false);
	struct tt_span s;
	u32 i, best = 0;

	if (!l || !l->n) {
		p->counts.orphan_end[TT_OP_IRQ]++;
		return 0;
	}
	for (i = 1; i < l->n; i++)
		if (l->v[i].due < l->v[best].due)
			best = i;
	s = take(l, best);
	s.result = tt_u(e, DELIVER_HANDLED) ? "handled" : "unhandled";
	close_span(p, &s, e);
	return 0;
}

/* ---- Job commands ---- */

static int job_start(struct tt_pairer *p, const struct tt_ev *e)
{
	u64 jcom = tt_u(e, JOB_JCOM);
	const char *name = tt_jcom_name(jcom);
	enum job_wait w;
	struct tt_span s;

	switch (jcom) {
	case AFU_JCOM_RESET:
		w = WAIT_JDONE;
		break;
	case AFU_JCOM_START:
		w = WAIT_RUNNING;
		break;
	case AFU_JCOM_LLCMD:
		w = WAIT_JCACK;
		break;
	default:
		return 0;	/* TIMEBASE and others: nothing answers them */
	}
	span_init(&s, TT_OP_JOB, e, name);
	span_arg(&s, "jea", tt_u(e, JOB_JEA), true);
	return start_on_key(p, key_a(TT_OP_JOB, e, s.slice), w, &s);
}

/*
 * ah_jdone answers a RESET, or else a START whose job ended before it ran;
 * one that ends a running job answers nothing and pairs with nothing.
 */
static int job_end(struct tt_pairer *p, const struct tt_ev *e)
{
	const struct trace_arg *what = tt_arg(e, JACK_WHAT);
	u64 a = key_a(TT_OP_JOB, e, tt_slice(e));
	struct pend_list *l;
	struct tt_span s;
	enum job_wait w;

	if (what->len == 5 && !memcmp(what->p, "jdone", 5)) {
		l = list_get(p, a, WAIT_JDONE, false);
		w = l && l->n ? WAIT_JDONE : WAIT_RUNNING;
		l = list_get(p, a, w, false);
		if (!l || !l->n)
			return 0;
	} else if (what->len == 8 && !memcmp(what->p, "jrunning", 8)) {
		w = WAIT_RUNNING;
	} else if (what->len == 5 && !memcmp(what->p, "jcack", 5)) {
		w = WAIT_JCACK;
	} else {
		return 0;	/* tbreq: a request, not an answer */
	}
	if (!end_on_key(p, TT_OP_JOB, a, w, &s))
		return 0;
	s.result = tt_intern(&p->pool, what->p, what->len);
	if (!s.result)
		return -ENOMEM;
	if (tt_u(e, JACK_JERROR))
		span_arg(&s, "jerror", tt_u(e, JACK_JERROR), true);
	close_span(p, &s, e);
	return 0;
}

/* ---- AFU MMIO ---- */

static int afu_mmio_start(struct tt_pairer *p, const struct tt_ev *e)
{
	char buf[64];
	int n = snprintf(buf, sizeof(buf), "%s %s +0x%llx", tt_u(e, AMMIO_CFG) ? "desc" : "psa",
			 tt_u(e, AMMIO_READ) ? "read" : "write",
			 (unsigned long long)tt_u(e, AMMIO_AD) * 4);
	struct tt_span s;

	span_init(&s, TT_OP_AFU_MMIO, e, tt_intern(&p->pool, buf, n));
	if (!s.label)
		return -ENOMEM;
	span_arg(&s, "ad", tt_u(e, AMMIO_AD), true);
	if (!tt_u(e, AMMIO_READ))
		span_arg(&s, "data", tt_u(e, AMMIO_DATA), true);
	return start_on_key(p, key_a(TT_OP_AFU_MMIO, e, s.slice), 0, &s);
}

static int afu_mmio_end(struct tt_pairer *p, const struct tt_ev *e)
{
	struct tt_span s;

	if (!end_on_key(p, TT_OP_AFU_MMIO, key_a(TT_OP_AFU_MMIO, e, tt_slice(e)), 0, &s))
		return 0;
	if (s.nr_args == 1)
		span_arg(&s, "data", tt_u(e, MMACK_DATA), true);
	s.result = tt_u(e, MMACK_TIMEOUT) ? "timeout" : "ack";
	close_span(p, &s, e);
	return 0;
}

/* ---- State machines: each non-rest state is a span until the next change ---- */

static int state_change(struct tt_pairer *p, const struct tt_ev *e)
{
	const struct trace_arg *m = tt_arg(e, STATE_MACHINE);
	const char *machine = tt_intern(&p->pool, m->p, m->len);
	u64 state = tt_u(e, STATE_STATE), a;
	struct pend_list *l;
	struct tt_span s;
	const char *name;
	char buf[160];
	int n;

	if (!machine)
		return -ENOMEM;
	a = key_a(TT_OP_STATE, e, tt_slice(e));
	l = list_get(p, a, (uintptr_t)machine, false);
	if (l && l->n) {
		s = take(l, 0);
		close_span(p, &s, e);
	}
	/* State 0 is every machine's rest state (idle, disabled, held). */
	if (!state)
		return 0;
	name = tt_state_name(machine, state);
	if (name)
		n = snprintf(buf, sizeof(buf), "%s %s", machine, name);
	else
		n = snprintf(buf, sizeof(buf), "%s %llu", machine, (unsigned long long)state);
	span_init(&s, TT_OP_STATE, e, tt_intern(&p->pool, buf, n));
	if (!s.label)
		return -ENOMEM;
	s.machine = machine;
	span_arg(&s, "state", state, false);
	return open_span(p, a, (uintptr_t)machine, &s, 0);
}

int tt_pair_event(struct tt_pairer *p, const struct tt_ev *e)
{
	switch (e->role) {
	case TT_CMD:
		return cmd_start(p, e);
	case TT_RESP:
		return cmd_end(p, e);
	case TT_FAULT:
		return fault_start(p, e);
	case TT_FAULT_ANSWER:
		return fault_end(p, e);
	case TT_SPA_START:
		return spa_start(p, e);
	case TT_SPA_DONE:
		return spa_end(p, e);
	case TT_PSL_IRQ:
		return msi_note(p, e);
	case TT_IRQ_RAISE:
		return irq_start(p, e);
	case TT_IRQ_DELIVER:
		return irq_end(p, e);
	case TT_JOB:
		return job_start(p, e);
	case TT_JOB_ACK:
		return job_end(p, e);
	case TT_AFU_MMIO:
		return afu_mmio_start(p, e);
	case TT_AFU_MMACK:
		return afu_mmio_end(p, e);
	case TT_STATE:
		return state_change(p, e);
	default:
		return 0;
	}
}

static int by_start(const void *a, const void *b)
{
	const struct tt_span *x = a, *y = b;

	return x->start_index < y->start_index ? -1 : x->start_index > y->start_index;
}

/* Open spans end with the trace, in the order they started. */
int tt_pair_finish(struct tt_pairer *p, u64 t_end)
{
	struct tt_span *all = NULL, *v;
	size_t i, n = 0, cap = 0;
	u32 j;

	for (i = 0; i < p->open.cap; i++) {
		struct pend_list *l = p->open.ent[i].val;

		for (j = 0; l && j < l->n; j++) {
			if (n == cap) {
				cap = cap ? 2 * cap : 64;
				v = realloc(all, cap * sizeof(*v));
				if (!v) {
					free(all);
					return -ENOMEM;
				}
				all = v;
			}
			all[n++] = l->v[j].span;
		}
		if (l)
			l->n = 0;
	}
	if (n)
		qsort(all, n, sizeof(*all), by_start);
	for (i = 0; i < n; i++) {
		all[i].end = t_end;
		all[i].unfinished = true;
		p->counts.unfinished[all[i].op]++;
		p->ops->end(p->arg, &all[i]);
	}
	free(all);
	return 0;
}
