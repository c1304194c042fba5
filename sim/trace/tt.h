/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the trace tools (stats, perfetto, wave, diff) share: a reader that
 * knows which event kinds the models emit and where their fields are
 * (docs/trace-format.md, "Event kinds"), names for the numbers in those
 * fields, a hash map, a string pool, and the pairing of start and end
 * events into spans.  Internal to sim/trace; tools.h is the public side.
 */
#ifndef CAPISIM_TRACE_TT_H
#define CAPISIM_TRACE_TT_H

#include "trace/cxt.h"

/* What an event is to the tools; TT_NONE for a kind they do not know. */
enum tt_role {
	TT_NONE,
	TT_MMIO,		/* psl.mmio */
	TT_CFG,			/* psl.cfg */
	TT_STATE,		/* psl.state */
	TT_SPA_START,		/* psl.spa.start */
	TT_SPA_DONE,		/* psl.spa.done */
	TT_CTX,			/* psl.ctx */
	TT_FAULT,		/* psl.fault */
	TT_FAULT_ANSWER,	/* psl.fault.answer */
	TT_PSL_IRQ,		/* psl.irq */
	TT_ERR,			/* psl.err */
	TT_IRQ_RAISE,		/* irq.raise */
	TT_IRQ_DELIVER,		/* irq.deliver */
	TT_JOB,			/* psl.job */
	TT_JOB_ACK,		/* psl.job.ack */
	TT_CLOCK,		/* psl.afu.clock */
	TT_AFU_MMIO,		/* psl.afu.mmio */
	TT_AFU_MMACK,		/* psl.afu.mmack */
	TT_CMD,			/* psl.cmd */
	TT_RESP,		/* psl.resp */
	TT_BUF,			/* psl.buf */
	TT_BUF_DATA,		/* psl.buf.data */
	TT_INJECT,		/* inject.fire */
	TT_XLATE,		/* psl.cmd.xlate */
	TT_NR_ROLES,
};

/*
 * Positions of each role's fields, in the order tt.c's table lists them;
 * the reader maps them to the positions in the file's kind.
 */
enum { MMIO_BAR, MMIO_OFF, MMIO_WIDTH, MMIO_WRITE, MMIO_VAL, MMIO_LAT };
enum { CFG_OFF, CFG_WIDTH, CFG_WRITE, CFG_VAL, CFG_LAT };
enum { STATE_SLICE, STATE_MACHINE, STATE_STATE };
enum { SPA_SLICE, SPA_LLCMD, SPA_STATUS, SPA_WRITTEN };
enum { CTX_SLICE, CTX_PE, CTX_STATE, CTX_MODE };
enum { FAULT_SLICE, FAULT_PE, FAULT_DSISR, FAULT_DAR };
enum { ANS_SLICE, ANS_PE, ANS_TFC, ANS_RESP };
enum { PIRQ_SLICE, PIRQ_SOURCE, PIRQ_LISN, PIRQ_IVTE, PIRQ_SENT };
enum { ERR_SLICE, ERR_REG, ERR_BITS, ERR_VALUE };
enum { RAISE_HWIRQ, RAISE_DUE };
enum { DELIVER_HWIRQ, DELIVER_HANDLED };
enum { JOB_SLICE, JOB_JCOM, JOB_JEA };
enum { JACK_SLICE, JACK_WHAT, JACK_JERROR };
enum { CLOCK_SLICE, CLOCK_ON, CLOCK_TICKS };
enum { AMMIO_SLICE, AMMIO_CFG, AMMIO_READ, AMMIO_DW, AMMIO_AD, AMMIO_DATA };
enum { MMACK_SLICE, MMACK_DATA, MMACK_LAT, MMACK_TIMEOUT };
enum { CMD_SLICE, CMD_TAG, CMD_COM, CMD_EA, CMD_SIZE, CMD_CABT, CMD_CCH };
enum { RESP_SLICE, RESP_TAG, RESP_RESP, RESP_CREDITS, RESP_LAT };
enum { BUF_SLICE, BUF_TAG, BUF_TO_AFU, BUF_HALF };
enum { BUFD_SLICE, BUFD_TAG, BUFD_TO_AFU, BUFD_DATA };
enum { INJ_POINT, INJ_KIND, INJ_VALUE, INJ_DELAY };
enum { XLATE_SLICE, XLATE_TAG, XLATE_EA, XLATE_STATUS, XLATE_RA, XLATE_DSISR, XLATE_LAT };

/* A kind as the tools see it: its role and where each role field is. */
struct tt_kind {
	enum tt_role role;
	u8 idx[TRACE_MAX_FIELDS];
};

/* One event read back, with what the tools know of it. */
struct tt_ev {
	struct trace_event ev;
	u64 index;			/* 0 for the first event of the file */
	enum tt_role role;
	const u8 *idx;			/* the role's field positions */
	const struct cxt_kind *kind;
	const char *src;		/* source name */
};

static inline u64 tt_u(const struct tt_ev *e, unsigned int f)
{
	return e->ev.f[e->idx[f]].u;
}

static inline s64 tt_s(const struct tt_ev *e, unsigned int f)
{
	return e->ev.f[e->idx[f]].s;
}

static inline const struct trace_arg *tt_arg(const struct tt_ev *e, unsigned int f)
{
	return &e->ev.f[e->idx[f]];
}

/* A .cxt reader that tells each event's role; kinds are looked up once. */
struct tt_reader {
	struct cxt_reader *r;
	struct tt_kind *kinds;		/* by kind id, valid where @known[id] */
	bool *known;
	unsigned int nr_kinds;		/* entries allocated in both */
	u64 next_index;
};

int tt_open(struct tt_reader *tr, const char *path, struct cxt_error *err);
void tt_close(struct tt_reader *tr);
/* The next event: 1, 0 at the end, or a negative errno with @err set. */
int tt_next(struct tt_reader *tr, struct tt_ev *e, struct cxt_error *err);
/* A role's kind name ("psl.cmd"). */
const char *tt_role_kind(enum tt_role role);

/* The slice of an event that has one (field STATE_SLICE etc. is position 0), -1 for none. */
static inline s64 tt_slice(const struct tt_ev *e)
{
	switch (e->role) {
	case TT_NONE:
	case TT_MMIO:
	case TT_CFG:
	case TT_IRQ_RAISE:
	case TT_IRQ_DELIVER:
	case TT_INJECT:
		return -1;
	default:
		return tt_s(e, 0);
	}
}

/* ---- Names for the numbers in the events (names.c) ---- */

const char *tt_cmd_name(u64 com);		/* AFU command; NULL when unknown */
const char *tt_resp_name(u64 resp);		/* AFU response code; NULL when unknown */
const char *tt_jcom_name(u64 jcom);		/* job command; NULL when unknown */
const char *tt_llcmd_name(u64 llcmd);		/* the command field of an LLCMD word */
const char *tt_irq_source_name(u64 source);	/* psl.irq source */
const char *tt_pe_state_name(u64 state);	/* psl.ctx state */
/* A state of a psl.state machine; NULL when the machine or state is unknown. */
const char *tt_state_name(const char *machine, u64 state);
/* How a psl.fault.answer answered: "TFC A" ... "DSISR store", "flushed". */
const char *tt_fault_answer_name(s64 tfc, u64 resp);
/* "CXL_PSL_DSISR_An (slice 0)", "AFU space", or "BAR2+0x1234" into @buf. */
void tt_reg_name(u64 bar, u64 off, char *buf, size_t len);

/* ---- A hash map from two u64 keys to a pointer ---- */

struct tt_map_ent {
	u64 a, b;
	void *val;			/* NULL: a free slot */
};

struct tt_map {
	struct tt_map_ent *ent;
	size_t cap, nr;			/* cap: a power of two */
};

void *tt_map_get(const struct tt_map *m, u64 a, u64 b);
/* Insert (@val not NULL) or replace; -ENOMEM. */
int tt_map_put(struct tt_map *m, u64 a, u64 b, void *val);
/* Free the table; the values stay the caller's. */
void tt_map_free(struct tt_map *m);

/* ---- Interned strings: one copy of each, living as long as the pool ---- */

struct tt_pool {
	struct tt_map map;		/* (hash, 0) -> chain of strings with that hash */
};

/* The pool's copy of @len bytes at @s (NUL-terminated); NULL when out of memory. */
const char *tt_intern(struct tt_pool *p, const char *s, size_t len);
void tt_pool_free(struct tt_pool *p);

/* ---- Formatting ---- */

/* One event as "capisim trace dump" prints it, with its newline (dump.c). */
void trace_print_event(FILE *out, const struct trace_event *ev, const struct cxt_kind *k,
		       const char *src);

/* A duration or time in the largest unit that keeps it >= 1: "1.250 us", "800 ps". */
char *tt_dur_str(u64 ps, char *buf, size_t len);
/* @ps as microseconds with six decimals: exact, as Chrome JSON wants "ts". */
void tt_json_us(FILE *out, u64 ps);
/* @len bytes of @s as a JSON string with its quotes. */
void tt_json_str(FILE *out, const char *s, size_t len);
/* Every field of @e as JSON members "name": value (no braces); u64 in hex strings. */
void tt_json_fields(FILE *out, const struct tt_ev *e);

/* ---- Spans: a start event and its end event (pair.c) ---- */

enum tt_op {
	TT_OP_CMD,		/* psl.cmd -> psl.resp */
	TT_OP_FAULT,		/* psl.fault -> psl.fault.answer */
	TT_OP_SPA,		/* psl.spa.start -> psl.spa.done */
	TT_OP_IRQ,		/* irq.raise -> irq.deliver */
	TT_OP_JOB,		/* psl.job -> psl.job.ack */
	TT_OP_AFU_MMIO,		/* psl.afu.mmio -> psl.afu.mmack */
	TT_OP_STATE,		/* psl.state -> the machine's next psl.state */
	TT_NR_OPS,
};

/* The name of an op in tables and JSON: "command", "fault", ... */
const char *tt_op_name(enum tt_op op);

#define TT_SPAN_ARGS 5

struct tt_span {
	enum tt_op op;
	const char *label;		/* what: "read_cl_s", "TFC R" (a fault's, once answered) */
	const char *result;		/* how it ended: "DONE", "error"; NULL if nothing to say */
	const char *machine;		/* TT_OP_STATE: the machine ("afu", "spa") */
	u64 start, end;			/* ps; end == start until the end is known */
	u64 start_index, end_index;	/* event indices */
	u32 ctx;			/* TRACE_CTX_NONE when none */
	u16 src;			/* source id of the start event */
	s32 slice;			/* -1 when none */
	bool unfinished;		/* the trace ended first; @end is its last time */
	u32 cookie;			/* what the start callback returned */
	unsigned int nr_args;
	struct {
		const char *name;
		u64 v;
		bool hex;
	} args[TT_SPAN_ARGS];
};

struct tt_pair_ops {
	/* A span starts: @s has everything but its end and label; may be NULL. */
	u32 (*start)(void *arg, const struct tt_span *s);
	/* A span ended (or the trace did, @s->unfinished). */
	void (*end)(void *arg, const struct tt_span *s);
};

/* Events that broke the pairing rules, counted (docs/trace-tools.md). */
struct tt_pair_counts {
	u64 orphan_end[TT_NR_OPS];	/* an end with no start */
	u64 dup_start[TT_NR_OPS];	/* a start while its key was busy: not paired */
	u64 unfinished[TT_NR_OPS];
};

struct tt_pairer;

struct tt_pairer *tt_pair_new(const struct tt_pair_ops *ops, void *arg);
/* Feed every event in order; -ENOMEM is the only failure. */
int tt_pair_event(struct tt_pairer *p, const struct tt_ev *e);
/* End every open span as unfinished at @t_end; -ENOMEM. */
int tt_pair_finish(struct tt_pairer *p, u64 t_end);
const struct tt_pair_counts *tt_pair_counts(const struct tt_pairer *p);
void tt_pair_free(struct tt_pairer *p);

#endif
