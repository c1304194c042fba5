// SPDX-License-Identifier: GPL-2.0
/*
 * capisim trace fst: a trace as a waveform.  The PSL-AFU events become
 * the CAPI 1.0 signals they stand for (a command event is ah_cvalid for
 * one PSL cycle with ah_ctag, ah_com, ... holding its fields), the
 * psl.state events the PSL's state machines as strings, and a few
 * signals are derived (commands in flight, the fault registers' state).
 * docs/trace-tools.md has the full list.
 *
 * Two passes over the file: the first finds which signals occur (FST
 * and VCD both want every variable declared before the first value),
 * the second writes their values.  Values change at their event's time;
 * a valid strobe falls one PSL cycle later unless the next event raises
 * it again.  Only real changes are written: the writers do not filter.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/time.h"
#include "psl/psl.h"
#include "trace/tools.h"
#include "trace/tt.h"
#include "trace/wave.h"

#define WAVE_MAX_WIDTH 1024		/* bits: the widest vector a field becomes */
#define WAVE_MAX_DEPTH 40		/* scopes */
#define WAVE_MAX_COMP 80		/* characters in a scope or signal name */

struct sig {
	const char *path;		/* interned: "card0.slice0.ah_cvalid" */
	u32 width;			/* bits; 0 for a string */
	bool pulse;			/* a valid strobe: 0 but for one cycle */
	u32 h;				/* the writer's handle */
	char *cur;			/* the value last written; NULL before */
	size_t cur_len;
	char *next;			/* the value at the current time */
	size_t next_len, next_cap;
	bool dirty;			/* @next was set at the current time */
	u64 fall_at;			/* a raised strobe's end; 0 when none */
};

/* A strobe's scheduled end; stale when its signal was raised again since. */
struct fall {
	u64 t;
	struct sig *s;
};

/* What the waveform derives from several events of one slice. */
struct slice_state {
	u8 busy[256 / 8];		/* command tags in flight */
	u32 in_flight;
	bool fault_shown;		/* psl.fault seen, not yet answered */
	u64 fault_pe;
};

struct wave {
	bool emit;			/* second pass: values are written */
	struct tt_pool pool;
	struct tt_map sigs;		/* (interned path, 0) -> sig */
	struct sig **all;
	size_t nr, cap;
	struct sig **dirty;		/* set at @now */
	size_t nr_dirty, cap_dirty;
	struct fall *heap;		/* min-heap on t */
	size_t nr_heap, cap_heap;
	u64 now;
	bool time_written;		/* the writer has a time record for @now */
	struct tt_map slices;		/* (source id, slice) -> slice_state */
	struct wave_out *out;
	int error;			/* the first error; everything stops at it */
};

/* ---- Signals ---- */

/*
 * @len bytes of @s as a name: anything but [A-Za-z0-9_] becomes '_', except
 * that a source's dots stay, making scopes ("psl0.slice0" nests); an empty
 * name becomes "_".
 */
static size_t put_name(char *buf, size_t room, const char *s, size_t len, bool dots)
{
	size_t i;

	if (!len) {
		snprintf(buf, room, "_");
		return 1;
	}
	for (i = 0; i < len && i + 1 < room; i++) {
		char c = s[i];

		buf[i] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || c == '_' || (dots && c == '.') ? c : '_';
	}
	buf[i] = '\0';
	return i;
}

static struct sig *sig_new(struct wave *w, const char *path, u32 width, bool pulse)
{
	struct sig *s, **all;

	if (w->nr == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 64;

		all = realloc(w->all, cap * sizeof(*all));
		if (!all)
			return NULL;
		w->all = all;
		w->cap = cap;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->path = path;
	s->width = width;
	s->pulse = pulse;
	if (tt_map_put(&w->sigs, (uintptr_t)path, 0, s)) {
		free(s);
		return NULL;
	}
	w->all[w->nr++] = s;
	return s;
}

/*
 * The signal @name (@len bytes) of @e's source, in scope slice @slice (-1:
 * the source's own scope) and sub-scope @sub (NULL: none).  The first pass
 * creates it; NULL after an error.
 */
static struct sig *sig_n(struct wave *w, const struct tt_ev *e, s64 slice, const char *sub,
			 const char *name, size_t len, u32 width, bool pulse)
{
	char path[3 * WAVE_MAX_COMP + 32];
	size_t n = put_name(path, WAVE_MAX_COMP, e->src, strlen(e->src), true);
	const char *p;
	struct sig *s;

	if (slice >= 0)
		n += snprintf(path + n, sizeof(path) - n, ".slice%lld", (long long)slice);
	if (sub)
		n += snprintf(path + n, sizeof(path) - n, ".%s", sub);
	path[n++] = '.';
	n += put_name(path + n, WAVE_MAX_COMP, name, len, false);
	if (w->error)
		return NULL;
	p = tt_intern(&w->pool, path, n);
	s = p ? tt_map_get(&w->sigs, (uintptr_t)p, 0) : NULL;
	if (!s && p && !w->emit)
		s = sig_new(w, p, width, pulse);
	if (!s)
		w->error = -ENOMEM;
	return s;
}

static struct sig *sig(struct wave *w, const struct tt_ev *e, s64 slice, const char *sub,
		       const char *name, u32 width)
{
	return sig_n(w, e, slice, sub, name, strlen(name), width, false);
}

static struct sig *strobe(struct wave *w, const struct tt_ev *e, s64 slice, const char *sub,
			  const char *name)
{
	return sig_n(w, e, slice, sub, name, strlen(name), 1, true);
}

/* ---- Values ---- */

/*
 * A vector takes exactly its width in characters, a string anything: a
 * value of the other shape (two kinds naming one signal) is dropped.
 */
static void set_val(struct wave *w, struct sig *s, const char *v, size_t len)
{
	char *n;

	if (!w->emit || !s || (s->width && len != s->width))
		return;
	if (len > s->next_cap) {
		n = realloc(s->next, len);
		if (!n) {
			w->error = -ENOMEM;
			return;
		}
		s->next = n;
		s->next_cap = len;
	}
	memcpy(s->next, v, len);
	s->next_len = len;
	if (s->dirty)
		return;
	if (w->nr_dirty == w->cap_dirty) {
		size_t cap = w->cap_dirty ? 2 * w->cap_dirty : 64;
		struct sig **d = realloc(w->dirty, cap * sizeof(*d));

		if (!d) {
			w->error = -ENOMEM;
			return;
		}
		w->dirty = d;
		w->cap_dirty = cap;
	}
	s->dirty = true;
	w->dirty[w->nr_dirty++] = s;
}

static void set_u(struct wave *w, struct sig *s, u64 v)
{
	char bits[WAVE_MAX_WIDTH];
	u32 i;

	if (!w->emit || !s)
		return;
	for (i = 0; i < s->width; i++) {
		u32 bit = s->width - 1 - i;

		bits[i] = bit < 64 && (v >> bit & 1) ? '1' : '0';
	}
	set_val(w, s, bits, s->width);
}

/* Bytes in memory order, the first byte most significant; 'x' where none. */
static void set_bytes(struct wave *w, struct sig *s, const u8 *p, u32 len)
{
	char bits[WAVE_MAX_WIDTH];
	u32 i;

	if (!w->emit || !s)
		return;
	for (i = 0; i < s->width; i++)
		bits[i] = i / 8 < len ? '0' + (p[i / 8] >> (7 - i % 8) & 1) : 'x';
	set_val(w, s, bits, s->width);
}

static void set_str(struct wave *w, struct sig *s, const char *str)
{
	set_val(w, s, str, strlen(str));
}

static void heap_push(struct wave *w, u64 t, struct sig *s)
{
	size_t i;

	if (w->nr_heap == w->cap_heap) {
		size_t cap = w->cap_heap ? 2 * w->cap_heap : 64;
		struct fall *h = realloc(w->heap, cap * sizeof(*h));

		if (!h) {
			w->error = -ENOMEM;
			return;
		}
		w->heap = h;
		w->cap_heap = cap;
	}
	for (i = w->nr_heap++; i && w->heap[(i - 1) / 2].t > t; i = (i - 1) / 2)
		w->heap[i] = w->heap[(i - 1) / 2];
	w->heap[i] = (struct fall){ t, s };
}

static struct fall heap_pop(struct wave *w)
{
	struct fall top = w->heap[0], last = w->heap[--w->nr_heap];
	size_t i = 0, c;

	for (; (c = 2 * i + 1) < w->nr_heap; i = c) {
		if (c + 1 < w->nr_heap && w->heap[c + 1].t < w->heap[c].t)
			c++;
		if (w->heap[c].t >= last.t)
			break;
		w->heap[i] = w->heap[c];
	}
	if (w->nr_heap)
		w->heap[i] = last;
	return top;
}

/* A valid strobe: 1 now, 0 one PSL cycle later. */
static void pulse(struct wave *w, struct sig *s)
{
	if (!w->emit || !s || !s->pulse)
		return;
	set_val(w, s, "1", 1);
	/* Near the end of time a strobe falls at the last time there is. */
	s->fall_at = w->now <= UINT64_MAX - PSL_PERIOD_PS ? w->now + PSL_PERIOD_PS : UINT64_MAX;
	heap_push(w, s->fall_at, s);
}

/* Write what changed at @now. */
static void flush(struct wave *w)
{
	const struct wave_ops *ops = w->out->ops;
	size_t i;

	for (i = 0; i < w->nr_dirty && !w->error; i++) {
		struct sig *s = w->dirty[i];
		char *c;

		s->dirty = false;
		if (s->cur && s->cur_len == s->next_len && !memcmp(s->cur, s->next, s->next_len))
			continue;
		if (!w->time_written) {
			w->error = ops->time(w->out, w->now);
			w->time_written = true;
		}
		if (!w->error)
			w->error = ops->change(w->out, s->h, s->next, s->next_len);
		c = realloc(s->cur, s->next_len ? s->next_len : 1);
		if (!c) {
			w->error = -ENOMEM;
			break;
		}
		memcpy(c, s->next, s->next_len);
		s->cur = c;
		s->cur_len = s->next_len;
	}
	for (; i < w->nr_dirty; i++)
		w->dirty[i]->dirty = false;
	w->nr_dirty = 0;
}

/* Strobes whose end is at @t fall, unless raised again at @t afterwards. */
static void falls_at(struct wave *w, u64 t)
{
	while (w->nr_heap && w->heap[0].t == t) {
		struct fall f = heap_pop(w);

		if (f.s->fall_at == t) {
			f.s->fall_at = 0;
			set_val(w, f.s, "0", 1);
		}
	}
}

/* Move the current time to @t, writing everything that happens before it. */
static void advance(struct wave *w, u64 t)
{
	if (t == w->now)
		return;
	flush(w);
	while (w->nr_heap && w->heap[0].t < t && !w->error) {
		w->now = w->heap[0].t;
		w->time_written = false;
		falls_at(w, w->now);
		flush(w);
	}
	w->now = t;
	w->time_written = false;
	falls_at(w, t);
}

/* ---- Events to signals ---- */

static struct slice_state *slice_state(struct wave *w, const struct tt_ev *e)
{
	u64 slice = (u64)tt_slice(e);
	struct slice_state *ss = tt_map_get(&w->slices, e->ev.src, slice);

	if (ss)
		return ss;
	ss = calloc(1, sizeof(*ss));
	if (ss && tt_map_put(&w->slices, e->ev.src, slice, ss)) {
		free(ss);
		ss = NULL;
	}
	if (!ss)
		w->error = -ENOMEM;
	return ss;
}

static void on_job(struct wave *w, const struct tt_ev *e)
{
	s64 sl = tt_slice(e);

	pulse(w, strobe(w, e, sl, NULL, "ha_jval"));
	set_u(w, sig(w, e, sl, NULL, "ha_jcom", 8), tt_u(e, JOB_JCOM));
	set_u(w, sig(w, e, sl, NULL, "ha_jea", 64), tt_u(e, JOB_JEA));
}

static void on_job_ack(struct wave *w, const struct tt_ev *e)
{
	const struct trace_arg *what = tt_arg(e, JACK_WHAT);
	char name[16];
	s64 sl = tt_slice(e);

	/* jcack, jdone, tbreq are strobes ah_*; jrunning is a level (job state). */
	if (what->len > 8 || (what->len == 8 && !memcmp(what->p, "jrunning", 8)))
		return;
	snprintf(name, sizeof(name), "ah_%.*s", (int)what->len, (const char *)what->p);
	pulse(w, sig_n(w, e, sl, NULL, name, strlen(name), 1, true));
	if (what->len == 5 && !memcmp(what->p, "jdone", 5))
		set_u(w, sig(w, e, sl, NULL, "ah_jerror", 64), tt_u(e, JACK_JERROR));
}

static void on_afu_mmio(struct wave *w, const struct tt_ev *e)
{
	s64 sl = tt_slice(e);

	pulse(w, strobe(w, e, sl, NULL, "ha_mmval"));
	set_u(w, sig(w, e, sl, NULL, "ha_mmcfg", 1), tt_u(e, AMMIO_CFG));
	set_u(w, sig(w, e, sl, NULL, "ha_mmrnw", 1), tt_u(e, AMMIO_READ));
	set_u(w, sig(w, e, sl, NULL, "ha_mmdw", 1), tt_u(e, AMMIO_DW));
	set_u(w, sig(w, e, sl, NULL, "ha_mmad", 24), tt_u(e, AMMIO_AD));
	set_u(w, sig(w, e, sl, NULL, "ha_mmdata", 64), tt_u(e, AMMIO_DATA));
}

static void on_mmack(struct wave *w, const struct tt_ev *e)
{
	s64 sl = tt_slice(e);

	if (tt_u(e, MMACK_TIMEOUT)) {
		pulse(w, strobe(w, e, sl, "psl", "mmio_timeout"));
		return;
	}
	pulse(w, strobe(w, e, sl, NULL, "ah_mmack"));
	set_u(w, sig(w, e, sl, NULL, "ah_mmdata", 64), tt_u(e, MMACK_DATA));
}

static bool tag_busy(const struct slice_state *ss, u8 tag)
{
	return ss->busy[tag / 8] & (1 << tag % 8);
}

static void on_cmd(struct wave *w, const struct tt_ev *e)
{
	struct slice_state *ss = slice_state(w, e);
	u8 tag = tt_u(e, CMD_TAG);
	s64 sl = tt_slice(e);

	pulse(w, strobe(w, e, sl, NULL, "ah_cvalid"));
	set_u(w, sig(w, e, sl, NULL, "ah_ctag", 8), tag);
	set_u(w, sig(w, e, sl, NULL, "ah_com", 13), tt_u(e, CMD_COM));
	set_u(w, sig(w, e, sl, NULL, "ah_cea", 64), tt_u(e, CMD_EA));
	set_u(w, sig(w, e, sl, NULL, "ah_csize", 12), tt_u(e, CMD_SIZE));
	set_u(w, sig(w, e, sl, NULL, "ah_cabt", 3), tt_u(e, CMD_CABT));
	set_u(w, sig(w, e, sl, NULL, "ah_cch", 16), tt_u(e, CMD_CCH));
	/* A command on a busy tag is dropped by the PSL: not in flight. */
	if (ss && !tag_busy(ss, tag)) {
		ss->busy[tag / 8] |= 1 << tag % 8;
		ss->in_flight++;
	}
	set_u(w, sig(w, e, sl, "psl", "cmds_in_flight", 16), ss ? ss->in_flight : 0);
}

static void on_resp(struct wave *w, const struct tt_ev *e)
{
	struct slice_state *ss = slice_state(w, e);
	u8 tag = tt_u(e, RESP_TAG);
	s64 sl = tt_slice(e);

	/* A response lost to a fault point frees its tag but reaches no AFU. */
	if (tt_s(e, RESP_CREDITS)) {
		pulse(w, strobe(w, e, sl, NULL, "ha_rvalid"));
		set_u(w, sig(w, e, sl, NULL, "ha_rtag", 8), tag);
		set_u(w, sig(w, e, sl, NULL, "ha_response", 8), tt_u(e, RESP_RESP));
		set_u(w, sig(w, e, sl, NULL, "ha_rcredits", 9), tt_u(e, RESP_CREDITS));
	}
	if (ss && tag_busy(ss, tag)) {
		ss->busy[tag / 8] &= ~(1 << tag % 8);
		ss->in_flight--;
	}
	set_u(w, sig(w, e, sl, "psl", "cmds_in_flight", 16), ss ? ss->in_flight : 0);
}

static void on_buf(struct wave *w, const struct tt_ev *e)
{
	bool to_afu = tt_u(e, BUF_TO_AFU);
	s64 sl = tt_slice(e);

	pulse(w, strobe(w, e, sl, NULL, to_afu ? "ha_bwvalid" : "ha_brvalid"));
	set_u(w, sig(w, e, sl, NULL, to_afu ? "ha_bwtag" : "ha_brtag", 8), tt_u(e, BUF_TAG));
	set_u(w, sig(w, e, sl, NULL, to_afu ? "ha_bwad" : "ha_brad", 6), tt_u(e, BUF_HALF));
}

static void on_buf_data(struct wave *w, const struct tt_ev *e)
{
	const struct trace_arg *d = tt_arg(e, BUFD_DATA);
	bool to_afu = tt_u(e, BUFD_TO_AFU);
	u32 width = d->len * 8 > WAVE_MAX_WIDTH ? WAVE_MAX_WIDTH : d->len * 8;

	if (!width)
		return;
	set_bytes(w, sig(w, e, tt_slice(e), NULL, to_afu ? "ha_bwdata" : "ah_brdata", width),
		  d->p, d->len);
}

static void on_state(struct wave *w, const struct tt_ev *e)
{
	const struct trace_arg *m = tt_arg(e, STATE_MACHINE);
	char machine[TRACE_MAX_NAME + 1], num[24];
	u64 state = tt_u(e, STATE_STATE);
	const char *name;
	s64 sl = tt_slice(e);

	snprintf(machine, sizeof(machine), "%.*s", (int)m->len, (const char *)m->p);
	name = tt_state_name(machine, state);
	if (!name) {
		snprintf(num, sizeof(num), "%llu", (unsigned long long)state);
		name = num;
	}
	set_str(w, sig_n(w, e, sl, "psl", machine, strlen(machine), 0, false), name);
	/* ah_jrunning is high exactly while the job machine is running. */
	if (!strcmp(machine, "job") && sl >= 0)
		set_u(w, sig(w, e, sl, NULL, "ah_jrunning", 1), state == PSL_JOB_RUNNING);
}

static void on_fault(struct wave *w, const struct tt_ev *e)
{
	struct slice_state *ss = slice_state(w, e);
	s64 sl = tt_slice(e);

	if (ss) {
		ss->fault_shown = true;
		ss->fault_pe = tt_u(e, FAULT_PE);
	}
	set_str(w, sig(w, e, sl, "psl", "fault", 0), "presented");
	set_u(w, sig(w, e, sl, "psl", "fault_pe", 16), tt_u(e, FAULT_PE));
	set_u(w, sig(w, e, sl, "psl", "fault_dsisr", 64), tt_u(e, FAULT_DSISR));
	set_u(w, sig(w, e, sl, "psl", "fault_dar", 64), tt_u(e, FAULT_DAR));
}

/* The presented fault's answer (pair.c's rule); a queued one's flush changes nothing. */
static void on_fault_answer(struct wave *w, const struct tt_ev *e)
{
	struct slice_state *ss = slice_state(w, e);
	s64 sl = tt_slice(e);
	struct sig *answer = sig(w, e, sl, "psl", "fault_answer", 0);
	struct sig *fault = sig(w, e, sl, "psl", "fault", 0);

	if (!ss || !ss->fault_shown || ss->fault_pe != tt_u(e, ANS_PE))
		return;
	ss->fault_shown = false;
	set_str(w, fault, "idle");
	set_str(w, answer, tt_fault_answer_name(tt_s(e, ANS_TFC), tt_u(e, ANS_RESP)));
}

static void on_ctx(struct wave *w, const struct tt_ev *e)
{
	char name[32];

	snprintf(name, sizeof(name), "pe%llu", (unsigned long long)tt_u(e, CTX_PE));
	set_str(w, sig(w, e, tt_slice(e), "ctx", name, 0), tt_pe_state_name(tt_u(e, CTX_STATE)));
}

static void on_spa(struct wave *w, const struct tt_ev *e)
{
	s64 sl = tt_slice(e);

	set_u(w, sig(w, e, sl, "psl", "llcmd", 64), tt_u(e, SPA_LLCMD));
	if (e->role == TT_SPA_DONE)
		set_u(w, sig(w, e, sl, "psl", "spa_status", 64), tt_u(e, SPA_STATUS));
}

static void on_err(struct wave *w, const struct tt_ev *e)
{
	const struct trace_arg *reg = tt_arg(e, ERR_REG);

	set_u(w, sig_n(w, e, tt_slice(e), "err", reg->p, reg->len, 64, false),
	      tt_u(e, ERR_VALUE));
}

static void on_psl_irq(struct wave *w, const struct tt_ev *e)
{
	s64 sl = tt_slice(e);

	pulse(w, strobe(w, e, sl, "psl", "msi"));
	set_u(w, sig(w, e, sl, "psl", "msi_ivte", 16), tt_u(e, PIRQ_IVTE));
	set_str(w, sig(w, e, sl, "psl", "msi_source", 0),
		tt_irq_source_name(tt_u(e, PIRQ_SOURCE)));
}

static void on_mmio(struct wave *w, const struct tt_ev *e)
{
	pulse(w, strobe(w, e, -1, "host", "mmio"));
	set_u(w, sig(w, e, -1, "host", "mmio_bar", 2), tt_u(e, MMIO_BAR));
	set_u(w, sig(w, e, -1, "host", "mmio_off", 32), tt_u(e, MMIO_OFF));
	set_u(w, sig(w, e, -1, "host", "mmio_width", 4), tt_u(e, MMIO_WIDTH));
	set_u(w, sig(w, e, -1, "host", "mmio_write", 1), tt_u(e, MMIO_WRITE));
	set_u(w, sig(w, e, -1, "host", "mmio_val", 64), tt_u(e, MMIO_VAL));
}

static void on_cfg(struct wave *w, const struct tt_ev *e)
{
	pulse(w, strobe(w, e, -1, "host", "cfg"));
	set_u(w, sig(w, e, -1, "host", "cfg_off", 12), tt_u(e, CFG_OFF));
	set_u(w, sig(w, e, -1, "host", "cfg_write", 1), tt_u(e, CFG_WRITE));
	set_u(w, sig(w, e, -1, "host", "cfg_val", 32), tt_u(e, CFG_VAL));
}

static void on_irq(struct wave *w, const struct tt_ev *e)
{
	if (e->role == TT_IRQ_RAISE) {
		pulse(w, strobe(w, e, -1, NULL, "raise"));
		set_u(w, sig(w, e, -1, NULL, "raise_hwirq", 32), tt_u(e, RAISE_HWIRQ));
		return;
	}
	pulse(w, strobe(w, e, -1, NULL, "deliver"));
	set_u(w, sig(w, e, -1, NULL, "deliver_hwirq", 32), tt_u(e, DELIVER_HWIRQ));
	set_u(w, sig(w, e, -1, NULL, "handled", 1), tt_u(e, DELIVER_HANDLED));
}

static void on_clock(struct wave *w, const struct tt_ev *e)
{
	set_u(w, sig(w, e, tt_slice(e), "psl", "afu_clock_on", 1), tt_u(e, CLOCK_ON));
}

static void on_inject(struct wave *w, const struct tt_ev *e)
{
	const struct trace_arg *pt = tt_arg(e, INJ_POINT);

	pulse(w, strobe(w, e, -1, NULL, "fire"));
	set_val(w, sig(w, e, -1, NULL, "point", 0), pt->p, pt->len);
}

static void (*const handlers[TT_NR_ROLES])(struct wave *w, const struct tt_ev *e) = {
	[TT_MMIO] = on_mmio, [TT_CFG] = on_cfg, [TT_STATE] = on_state,
	[TT_SPA_START] = on_spa, [TT_SPA_DONE] = on_spa, [TT_CTX] = on_ctx,
	[TT_FAULT] = on_fault, [TT_FAULT_ANSWER] = on_fault_answer, [TT_PSL_IRQ] = on_psl_irq,
	[TT_ERR] = on_err, [TT_IRQ_RAISE] = on_irq, [TT_IRQ_DELIVER] = on_irq,
	[TT_JOB] = on_job, [TT_JOB_ACK] = on_job_ack, [TT_CLOCK] = on_clock,
	[TT_AFU_MMIO] = on_afu_mmio, [TT_AFU_MMACK] = on_mmack, [TT_CMD] = on_cmd,
	[TT_RESP] = on_resp, [TT_BUF] = on_buf, [TT_BUF_DATA] = on_buf_data,
	[TT_INJECT] = on_inject,
};

/* ---- The two passes ---- */

static void slices_free(struct wave *w)
{
	size_t i;

	for (i = 0; i < w->slices.cap; i++)
		free(w->slices.ent[i].val);
	tt_map_free(&w->slices);
}

static int pass(struct wave *w, const char *path, struct cxt_error *err)
{
	struct tt_reader tr;
	struct tt_ev e;
	int ret;

	ret = tt_open(&tr, path, err);
	if (ret)
		return ret;
	while (!w->error && (ret = tt_next(&tr, &e, err)) > 0) {
		if (w->emit)
			advance(w, e.ev.time);
		if (handlers[e.role])
			handlers[e.role](w, &e);
	}
	tt_close(&tr);
	slices_free(w);
	return ret < 0 ? ret : 0;
}

static int cmp_sigs(const void *a, const void *b)
{
	return strcmp((*(struct sig *const *)a)->path, (*(struct sig *const *)b)->path);
}

/* Split @path at its dots into @comp; the number of components, or -EINVAL. */
static int split(const char *path, char (*comp)[WAVE_MAX_COMP + 1])
{
	int n = 0;

	for (;;) {
		const char *dot = strchr(path, '.');
		size_t len = dot ? (size_t)(dot - path) : strlen(path);

		if (n == WAVE_MAX_DEPTH || len > WAVE_MAX_COMP)
			return -EINVAL;
		memcpy(comp[n], path, len);
		comp[n++][len] = '\0';
		if (!dot)
			return n;
		path = dot + 1;
	}
}

/*
 * Declare every signal, sorted by path so that each scope's members are
 * together (every name character sorts after '.'), and set its first value.
 */
static int declare(struct wave *w)
{
	char open[WAVE_MAX_DEPTH][WAVE_MAX_COMP + 1], comp[WAVE_MAX_DEPTH][WAVE_MAX_COMP + 1];
	const struct wave_ops *ops = w->out->ops;
	int depth = 0, n, common, ret = 0;
	size_t i;

	if (w->nr)
		qsort(w->all, w->nr, sizeof(*w->all), cmp_sigs);
	for (i = 0; i < w->nr && !ret; i++) {
		struct sig *s = w->all[i];

		n = split(s->path, comp);
		if (n < 0)
			return n;
		for (common = 0; common < depth && common < n - 1; common++)
			if (strcmp(open[common], comp[common]))
				break;
		for (; depth > common && !ret; depth--)
			ret = ops->upscope(w->out);
		for (; depth < n - 1 && !ret; depth++) {
			strcpy(open[depth], comp[depth]);
			ret = ops->scope(w->out, comp[depth]);
		}
		if (!ret)
			ret = ops->var(w->out, comp[n - 1], s->width, &s->h);
	}
	for (; depth > 0 && !ret; depth--)
		ret = ops->upscope(w->out);
	return ret;
}

/* At time 0: strobes low, everything else unknown until its first event. */
static void initial_values(struct wave *w)
{
	char xs[WAVE_MAX_WIDTH];
	size_t i;

	memset(xs, 'x', sizeof(xs));
	for (i = 0; i < w->nr; i++) {
		struct sig *s = w->all[i];

		if (s->pulse)
			set_val(w, s, "0", 1);
		else if (s->width)
			set_val(w, s, xs, s->width);
		else
			set_str(w, s, "-");
	}
}

static void wave_free(struct wave *w)
{
	size_t i;

	for (i = 0; i < w->nr; i++) {
		free(w->all[i]->cur);
		free(w->all[i]->next);
		free(w->all[i]);
	}
	free(w->all);
	free(w->dirty);
	free(w->heap);
	tt_map_free(&w->sigs);
	tt_pool_free(&w->pool);
	slices_free(w);
}

static int write_values(struct wave *w, const char *path, struct cxt_error *err)
{
	int ret;

	w->emit = true;
	initial_values(w);
	ret = pass(w, path, err);
	if (ret)
		return ret;
	advance(w, UINT64_MAX);
	flush(w);
	return 0;
}

int trace_wave(const char *path, const char *out_path, enum trace_wave_format fmt,
	       struct cxt_error *err)
{
	struct wave w = { 0 };
	int ret, cret;

	ret = pass(&w, path, err);
	if (!ret && w.error)
		ret = w.error;
	if (!ret && !w.nr) {
		snprintf(err->msg, sizeof(err->msg), "%s: no event of a kind the waveform shows "
			 "(docs/trace-tools.md lists them): nothing to draw", path);
		ret = -ENODATA;
	}
	if (ret)
		goto out;
	ret = fmt == TRACE_WAVE_VCD ? wave_vcd_open(out_path, &w.out, err) :
				      wave_fst_open(out_path, &w.out, err);
	if (ret)
		goto out;
	/* The reader's errors come with their message; the writer's get one here. */
	ret = declare(&w);
	if (!ret) {
		ret = write_values(&w, path, err);
		if (!ret)
			ret = w.error;
	} else {
		w.error = ret;
	}
	if (w.error)
		snprintf(err->msg, sizeof(err->msg), "%s: %s", out_path, strerror(-w.error));
	cret = w.out->ops->close(w.out, err);
	ret = ret ?: cret;
out:
	if (ret == -ENOMEM && w.error)
		snprintf(err->msg, sizeof(err->msg), "out of memory");
	wave_free(&w);
	return ret;
}
