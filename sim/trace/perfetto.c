// SPDX-License-Identifier: GPL-2.0
/*
 * capisim trace perfetto: a trace as Chrome trace-event JSON, which
 * Perfetto (ui.perfetto.dev) and chrome://tracing open.
 *
 * Every source is a process (pid = its source id); inside it, tracks
 * (threads) for the host's MMIO, the card, each state machine, each AFU
 * slice, each context and its commands, MSIs and tasks
 * (docs/trace-tools.md lists which event goes where).  Spans are "X"
 * events written when they end; a track whose spans overlap (commands in
 * flight together) gets more lanes, each its own thread named after the
 * track, so that every lane holds properly nested slices.  Times are
 * microseconds with six decimals: exact to the picosecond.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "trace/tools.h"
#include "trace/tt.h"

/* Track types, in the order they are shown within a process. */
enum track_type {
	TK_HOST,		/* host MMIO and config accesses */
	TK_CARD,		/* adapter-wide events */
	TK_MACHINE,		/* one state machine */
	TK_MSI,			/* MSIs in the host controller */
	TK_AFU,			/* one AFU slice: job, AFU MMIO, errors */
	TK_CTX,			/* one context: faults, SPA commands, interrupts */
	TK_CMDS,		/* one context's AFU commands */
	TK_TASK,		/* one task (events with a pid field) */
	TK_EVENTS,		/* anything else */
};

struct lane {
	u64 tid;
	bool busy;
};

struct track {
	u16 src;
	enum track_type type;
	u64 index;			/* slice, context, pid; 0 for the rest */
	const char *name;		/* interned */
	struct lane *lanes;
	u32 nr_lanes;
};

struct pf {
	FILE *out;
	bool first;			/* no event written yet */
	struct tt_pool pool;
	struct tt_map tracks;		/* (src << 8 | type, index or name) -> track */
	struct track **all;		/* in creation order */
	size_t nr_tracks, cap_tracks;
	u32 *next_tid;			/* per source id */
	const char **src_names;		/* per source id */
	unsigned int nr_srcs;
	int error;			/* -ENOMEM met inside a pairing callback */
};

static int pf_src(struct pf *pf, u16 src, const char *name)
{
	unsigned int n = src + 1u;
	const char **names;
	u32 *tids;

	if (src < pf->nr_srcs && pf->src_names[src])
		return 0;
	if (src >= pf->nr_srcs) {
		names = realloc(pf->src_names, n * sizeof(*names));
		if (!names)
			return -ENOMEM;
		pf->src_names = names;
		tids = realloc(pf->next_tid, n * sizeof(*tids));
		if (!tids)
			return -ENOMEM;
		pf->next_tid = tids;
		memset(names + pf->nr_srcs, 0, (n - pf->nr_srcs) * sizeof(*names));
		memset(tids + pf->nr_srcs, 0, (n - pf->nr_srcs) * sizeof(*tids));
		pf->nr_srcs = n;
	}
	pf->src_names[src] = tt_intern(&pf->pool, name, strlen(name));
	return pf->src_names[src] ? 0 : -ENOMEM;
}

static struct track *track_new(struct pf *pf, u16 src, enum track_type type, u64 index,
			       const char *name)
{
	struct track *t, **all;

	if (pf->nr_tracks == pf->cap_tracks) {
		size_t cap = pf->cap_tracks ? 2 * pf->cap_tracks : 32;

		all = realloc(pf->all, cap * sizeof(*all));
		if (!all)
			return NULL;
		pf->all = all;
		pf->cap_tracks = cap;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	*t = (struct track){ .src = src, .type = type, .index = index,
			     .name = tt_intern(&pf->pool, name, strlen(name)) };
	if (!t->name) {
		free(t);
		return NULL;
	}
	pf->all[pf->nr_tracks++] = t;
	return t;
}

/*
 * The track (@src, @type, @index); @key tells tracks of one type apart
 * (the index, or the interned name for machines).  NULL when out of memory.
 */
static struct track *track_get(struct pf *pf, u16 src, enum track_type type, u64 index,
			       const char *name, u64 key)
{
	struct track *t = tt_map_get(&pf->tracks, (u64)src << 8 | type, key);

	if (t)
		return t;
	t = track_new(pf, src, type, index, name);
	if (t && tt_map_put(&pf->tracks, (u64)src << 8 | type, key, t))
		t = NULL;
	return t;
}

static struct track *track_idx(struct pf *pf, u16 src, enum track_type type, u64 index)
{
	char name[64];

	switch (type) {
	case TK_HOST:
		snprintf(name, sizeof(name), "host MMIO");
		break;
	case TK_CARD:
		snprintf(name, sizeof(name), "card");
		break;
	case TK_MSI:
		snprintf(name, sizeof(name), "MSIs");
		break;
	case TK_AFU:
		snprintf(name, sizeof(name), "AFU slice %llu", (unsigned long long)index);
		break;
	case TK_CTX:
		snprintf(name, sizeof(name), "ctx %llu", (unsigned long long)index);
		break;
	case TK_CMDS:
		snprintf(name, sizeof(name), "ctx %llu commands", (unsigned long long)index);
		break;
	default:
		snprintf(name, sizeof(name), "events");
		break;
	}
	return track_get(pf, src, type, index, name, index);
}

static struct track *track_machine(struct pf *pf, u16 src, s32 slice, const char *machine)
{
	char name[96];
	const char *n;

	if (slice < 0)
		snprintf(name, sizeof(name), "card %s", machine);
	else
		snprintf(name, sizeof(name), "slice %d %s", slice, machine);
	n = tt_intern(&pf->pool, name, strlen(name));
	/* Index slice + 1: the card's machines (slice -1) sort first. */
	return n ? track_get(pf, src, TK_MACHINE, slice + 1, n, (uintptr_t)n) : NULL;
}

/* The lane's thread, created on first use. */
static int lane_add(struct pf *pf, struct track *t)
{
	struct lane *l = realloc(t->lanes, (t->nr_lanes + 1) * sizeof(*l));

	if (!l)
		return -ENOMEM;
	t->lanes = l;
	l[t->nr_lanes].tid = (u64)t->src << 32 | ++pf->next_tid[t->src];
	l[t->nr_lanes].busy = false;
	t->nr_lanes++;
	return 0;
}

/* ---- Spans ---- */

static struct track *span_track(struct pf *pf, const struct tt_span *s)
{
	u64 slice = s->slice < 0 ? 0 : s->slice;

	switch (s->op) {
	case TT_OP_CMD:
		return s->ctx != TRACE_CTX_NONE ? track_idx(pf, s->src, TK_CMDS, s->ctx) :
						  track_idx(pf, s->src, TK_AFU, slice);
	case TT_OP_FAULT:
	case TT_OP_SPA:
		return s->ctx != TRACE_CTX_NONE ? track_idx(pf, s->src, TK_CTX, s->ctx) :
						  track_idx(pf, s->src, TK_AFU, slice);
	case TT_OP_IRQ:
		return track_idx(pf, s->src, TK_MSI, 0);
	case TT_OP_STATE:
		return track_machine(pf, s->src, s->slice, s->machine);
	default:
		return track_idx(pf, s->src, TK_AFU, slice);
	}
}

/* A span starts: on the first free lane of its track. */
static u32 span_start(void *arg, const struct tt_span *s)
{
	struct pf *pf = arg;
	struct track *t = span_track(pf, s);
	u32 i;

	if (!t) {
		pf->error = -ENOMEM;
		return 0;
	}
	for (i = 0; i < t->nr_lanes && t->lanes[i].busy; i++)
		;
	if (i == t->nr_lanes && lane_add(pf, t)) {
		pf->error = -ENOMEM;
		return 0;
	}
	t->lanes[i].busy = true;
	return i;
}

static void ev_begin(struct pf *pf, const char *ph, u16 src, u64 tid, u64 ts)
{
	fprintf(pf->out, "%s{\"ph\":\"%s\",\"pid\":%u,\"tid\":%llu,\"ts\":", pf->first ? "" : ",\n",
		ph, src, (unsigned long long)tid);
	tt_json_us(pf->out, ts);
	pf->first = false;
}

static void span_args(FILE *out, const struct tt_span *s)
{
	unsigned int i;

	fputs(",\"args\":{", out);
	for (i = 0; i < s->nr_args; i++) {
		if (s->args[i].hex)
			fprintf(out, "\"%s\":\"0x%llx\",", s->args[i].name,
				(unsigned long long)s->args[i].v);
		else
			fprintf(out, "\"%s\":%llu,", s->args[i].name,
				(unsigned long long)s->args[i].v);
	}
	if (s->result) {
		fputs("\"result\":", out);
		tt_json_str(out, s->result, strlen(s->result));
		fputc(',', out);
	}
	if (s->unfinished)
		fputs("\"unfinished\":true,", out);
	fprintf(out, "\"first_event\":%llu,\"last_event\":%llu}}",
		(unsigned long long)s->start_index, (unsigned long long)s->end_index);
}

static void span_end(void *arg, const struct tt_span *s)
{
	struct pf *pf = arg;
	struct track *t = span_track(pf, s);

	if (!t || s->cookie >= t->nr_lanes) {
		pf->error = -ENOMEM;	/* its start failed the same way */
		return;
	}
	t->lanes[s->cookie].busy = false;
	ev_begin(pf, "X", s->src, t->lanes[s->cookie].tid, s->start);
	fputs(",\"dur\":", pf->out);
	tt_json_us(pf->out, s->end - s->start);
	fputs(",\"name\":", pf->out);
	tt_json_str(pf->out, s->label, strlen(s->label));
	fprintf(pf->out, ",\"cat\":\"%s\"", tt_op_name(s->op));
	span_args(pf->out, s);
}

static const struct tt_pair_ops pf_pair_ops = { .start = span_start, .end = span_end };

/* ---- Instants ---- */

/* A field named @name of type @type in @e's kind: its position, or -1. */
static int field_at(const struct tt_ev *e, const char *name, unsigned int type)
{
	unsigned int i;

	for (i = 0; i < e->kind->nr_fields; i++)
		if (e->kind->types[i] == type && !strcmp(e->kind->field_names[i], name))
			return i;
	return -1;
}

/* Events of unknown kinds with a "pid" field go to that task's track. */
static struct track *task_track(struct pf *pf, const struct tt_ev *e, int pid_at)
{
	int comm_at = field_at(e, "comm", TRACE_STR);
	u64 pid = e->ev.f[pid_at].u;
	char name[96];

	if (comm_at >= 0)
		snprintf(name, sizeof(name), "%.*s %llu", (int)e->ev.f[comm_at].len,
			 (const char *)e->ev.f[comm_at].p, (unsigned long long)pid);
	else
		snprintf(name, sizeof(name), "task %llu", (unsigned long long)pid);
	return track_get(pf, e->ev.src, TK_TASK, pid, name, pid);
}

static struct track *slice_track(struct pf *pf, const struct tt_ev *e)
{
	s64 slice = tt_slice(e);

	if (e->ev.ctx != TRACE_CTX_NONE)
		return track_idx(pf, e->ev.src, TK_CTX, e->ev.ctx);
	if (slice >= 0)
		return track_idx(pf, e->ev.src, TK_AFU, slice);
	return track_idx(pf, e->ev.src, TK_CARD, 0);
}

/*
 * Where an instant goes; NULL for kinds shown as spans or too many to
 * show one by one (buffer beats, translations, clock gating).
 */
static struct track *instant_track(struct pf *pf, const struct tt_ev *e, bool *skip)
{
	int pid_at;

	*skip = false;
	switch (e->role) {
	case TT_MMIO:
	case TT_CFG:
		return track_idx(pf, e->ev.src, TK_HOST, 0);
	case TT_IRQ_RAISE:
	case TT_IRQ_DELIVER:
		return track_idx(pf, e->ev.src, TK_MSI, 0);
	case TT_PSL_IRQ:
	case TT_CTX:
	case TT_ERR:
		return slice_track(pf, e);
	case TT_JOB:
	case TT_JOB_ACK:
		return track_idx(pf, e->ev.src, TK_AFU, tt_slice(e));
	case TT_NONE:
	case TT_INJECT:
		pid_at = field_at(e, "pid", TRACE_U64);
		if (pid_at < 0)
			pid_at = field_at(e, "pid", TRACE_S64);
		if (pid_at >= 0)
			return task_track(pf, e, pid_at);
		if (e->ev.ctx != TRACE_CTX_NONE)
			return track_idx(pf, e->ev.src, TK_CTX, e->ev.ctx);
		return track_idx(pf, e->ev.src, TK_EVENTS, 0);
	default:
		*skip = true;
		return NULL;
	}
}

/* A short name for an instant; the fields are all in its args. */
static void instant_name(const struct tt_ev *e, char *buf, size_t len)
{
	const struct trace_arg *a;
	char reg[64];

	switch (e->role) {
	case TT_MMIO:
		tt_reg_name(tt_u(e, MMIO_BAR), tt_u(e, MMIO_OFF), reg, sizeof(reg));
		snprintf(buf, len, "%s %s", tt_u(e, MMIO_WRITE) ? "write" : "read", reg);
		break;
	case TT_CFG:
		snprintf(buf, len, "cfg %s 0x%03llx", tt_u(e, CFG_WRITE) ? "write" : "read",
			 (unsigned long long)tt_u(e, CFG_OFF));
		break;
	case TT_PSL_IRQ:
		snprintf(buf, len, "MSI %s", tt_irq_source_name(tt_u(e, PIRQ_SOURCE)));
		break;
	case TT_IRQ_RAISE:
		snprintf(buf, len, "raise 0x%llx", (unsigned long long)tt_u(e, RAISE_HWIRQ));
		break;
	case TT_IRQ_DELIVER:
		snprintf(buf, len, "deliver 0x%llx", (unsigned long long)tt_u(e, DELIVER_HWIRQ));
		break;
	case TT_CTX:
		snprintf(buf, len, "PE %llu %s", (unsigned long long)tt_u(e, CTX_PE),
			 tt_pe_state_name(tt_u(e, CTX_STATE)));
		break;
	case TT_ERR:
		a = tt_arg(e, ERR_REG);
		snprintf(buf, len, "error %.*s", (int)a->len, (const char *)a->p);
		break;
	case TT_JOB:
		snprintf(buf, len, "job %s", tt_jcom_name(tt_u(e, JOB_JCOM)) ?: "?");
		break;
	case TT_JOB_ACK:
		a = tt_arg(e, JACK_WHAT);
		snprintf(buf, len, "%.*s", (int)a->len, (const char *)a->p);
		break;
	default:
		snprintf(buf, len, "%s", e->kind->name);
		break;
	}
}

static int instant(struct pf *pf, const struct tt_ev *e)
{
	struct track *t;
	char name[128];
	bool skip;

	t = instant_track(pf, e, &skip);
	if (skip)
		return 0;
	if (!t || (!t->nr_lanes && lane_add(pf, t)))
		return -ENOMEM;
	instant_name(e, name, sizeof(name));
	ev_begin(pf, "i", e->ev.src, t->lanes[0].tid, e->ev.time);
	fputs(",\"s\":\"t\",\"name\":", pf->out);
	tt_json_str(pf->out, name, strlen(name));
	fputs(",\"cat\":", pf->out);
	tt_json_str(pf->out, e->kind->name, strlen(e->kind->name));
	fprintf(pf->out, ",\"args\":{\"event\":%llu%s", (unsigned long long)e->index,
		e->ev.nr_fields ? "," : "");
	tt_json_fields(pf->out, e);
	fputs("}}", pf->out);
	return 0;
}

/* ---- Metadata: names and order of processes and threads ---- */

struct lane_ref {
	const struct track *t;
	u32 lane;
};

static int cmp_lanes(const void *a, const void *b)
{
	const struct lane_ref *x = a, *y = b;
	const struct track *s = x->t, *t = y->t;
	/* A context's commands come right after the context. */
	unsigned int ts = s->type == TK_CMDS ? TK_CTX : s->type;
	unsigned int tt = t->type == TK_CMDS ? TK_CTX : t->type;

	if (s->src != t->src)
		return s->src < t->src ? -1 : 1;
	if (ts != tt)
		return ts < tt ? -1 : 1;
	if (s->index != t->index)
		return s->index < t->index ? -1 : 1;
	if (s->type != t->type)
		return s->type < t->type ? -1 : 1;
	if (s != t)
		return strcmp(s->name, t->name);
	return x->lane < y->lane ? -1 : x->lane > y->lane;
}

static void meta(struct pf *pf, u16 src, u64 tid, const char *what, const char *name,
		 unsigned long long sort)
{
	bool thread = tid != 0;

	fprintf(pf->out, "%s{\"ph\":\"M\",\"pid\":%u,", pf->first ? "" : ",\n", src);
	if (thread)
		fprintf(pf->out, "\"tid\":%llu,", (unsigned long long)tid);
	fprintf(pf->out, "\"name\":\"%s_name\",\"args\":{\"name\":", what);
	tt_json_str(pf->out, name, strlen(name));
	fprintf(pf->out, "}},\n{\"ph\":\"M\",\"pid\":%u,", src);
	if (thread)
		fprintf(pf->out, "\"tid\":%llu,", (unsigned long long)tid);
	fprintf(pf->out, "\"name\":\"%s_sort_index\",\"args\":{\"sort_index\":%llu}}", what, sort);
	pf->first = false;
}

static int write_meta(struct pf *pf)
{
	struct lane_ref *refs;
	size_t i, n = 0;
	char name[128];
	u32 l;

	for (i = 1; i < pf->nr_srcs; i++)
		if (pf->src_names[i])
			meta(pf, i, 0, "process", pf->src_names[i], i);
	for (i = 0; i < pf->nr_tracks; i++)
		n += pf->all[i]->nr_lanes;
	refs = calloc(n ? n : 1, sizeof(*refs));
	if (!refs)
		return -ENOMEM;
	n = 0;
	for (i = 0; i < pf->nr_tracks; i++)
		for (l = 0; l < pf->all[i]->nr_lanes; l++)
			refs[n++] = (struct lane_ref){ pf->all[i], l };
	qsort(refs, n, sizeof(*refs), cmp_lanes);
	for (i = 0; i < n; i++) {
		const struct track *t = refs[i].t;

		if (refs[i].lane)
			snprintf(name, sizeof(name), "%s (%u)", t->name, refs[i].lane + 1);
		else
			snprintf(name, sizeof(name), "%s", t->name);
		meta(pf, t->src, t->lanes[refs[i].lane].tid, "thread", name, i);
	}
	free(refs);
	return 0;
}

static void write_head(struct pf *pf, const struct cxt_header *h)
{
	static const char *const labels[] = { "capisim_version", "config", "timing" };
	const char *v[] = { h->capisim_version, h->config_name, h->timing_name };
	unsigned int i;

	fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"capisim trace perfetto\"",
	      pf->out);
	for (i = 0; i < ARRAY_SIZE(labels); i++) {
		if (!v[i])
			continue;
		fprintf(pf->out, ",\"%s\":", labels[i]);
		tt_json_str(pf->out, v[i], strlen(v[i]));
	}
	for (i = 0; i < h->nr_seeds; i++) {
		char key[96];

		snprintf(key, sizeof(key), "seed.%s", h->seeds[i].name);
		fputc(',', pf->out);
		tt_json_str(pf->out, key, strlen(key));
		fprintf(pf->out, ":\"0x%llx\"", (unsigned long long)h->seeds[i].value);
	}
	fputs("},\n\"traceEvents\":[\n", pf->out);
}

static int convert(struct pf *pf, struct tt_reader *tr, struct tt_pairer *p,
		   struct cxt_error *err)
{
	struct tt_ev e;
	u64 t_last = 0;
	int ret;

	while ((ret = tt_next(tr, &e, err)) > 0) {
		t_last = e.ev.time;
		ret = pf_src(pf, e.ev.src, e.src) ?: tt_pair_event(p, &e) ?: instant(pf, &e);
		if (ret || pf->error)
			goto nomem;
	}
	if (ret < 0)
		return ret;
	if (tt_pair_finish(p, t_last) || pf->error || write_meta(pf))
		goto nomem;
	fputs("\n]}\n", pf->out);
	return 0;
nomem:
	snprintf(err->msg, sizeof(err->msg), "out of memory");
	return -ENOMEM;
}

static void pf_free(struct pf *pf)
{
	size_t i;

	for (i = 0; i < pf->nr_tracks; i++) {
		free(pf->all[i]->lanes);
		free(pf->all[i]);
	}
	free(pf->all);
	free(pf->src_names);
	free(pf->next_tid);
	tt_map_free(&pf->tracks);
	tt_pool_free(&pf->pool);
}

int trace_perfetto(const char *path, FILE *out, struct cxt_error *err)
{
	struct pf pf = { .out = out, .first = true };
	struct tt_pairer *p;
	struct tt_reader tr;
	int ret;

	ret = tt_open(&tr, path, err);
	if (ret)
		return ret;
	p = tt_pair_new(&pf_pair_ops, &pf);
	if (!p) {
		tt_close(&tr);
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return -ENOMEM;
	}
	write_head(&pf, cxt_header(tr.r));
	ret = convert(&pf, &tr, p, err);
	tt_pair_free(p);
	tt_close(&tr);
	pf_free(&pf);
	if (!ret && (fflush(out) || ferror(out))) {
		snprintf(err->msg, sizeof(err->msg), "write error: %s", strerror(errno));
		ret = -EIO;
	}
	return ret;
}
