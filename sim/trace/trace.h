/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The event record every part emits, and the one call that emits it.
 *
 * An event is (simulated time, source, kind, context, typed fields).  A
 * kind is declared once, statically, with its level and field schema:
 *
 *	static struct trace_kind tk_fault =
 *		TRACE_KIND("psl.fault", TRACE_LVL_DEFAULT, "slice:u64 pe:u64 dsisr:u64 dar:u64");
 *
 *	trace_emit(&tk_fault, &card->tsrc, pe, TRACE_U(s->idx), TRACE_U(pe),
 *		   TRACE_U(dsisr), TRACE_U(dar));
 *
 * A source names the emitting instance ("card0", "host-irq", "inject") and
 * is embedded in its state: struct trace_source tsrc = TRACE_SOURCE("card0").
 * The kinds the models emit, and which of them the tools pair, are listed
 * in docs/trace-format.md ("Event kinds").
 * Both are registered with the running trace on first use, so no part has
 * an init-time registration step.  When the event's level is disabled
 * trace_emit() costs one load and one compare; its arguments are not
 * evaluated.
 *
 * Field types in a schema: u64, s64, bytes (pointer + length), str (a C
 * string without NUL).  At most TRACE_MAX_FIELDS fields, names 1..64
 * characters of [A-Za-z0-9_.-].
 */
#ifndef CAPISIM_TRACE_TRACE_H
#define CAPISIM_TRACE_TRACE_H

#include <stdio.h>
#include <string.h>

#include "core/types.h"

enum trace_level {
	TRACE_LVL_OFF = 0,	/* recorder level only: nothing is recorded */
	TRACE_LVL_DEFAULT = 1,	/* commands, responses, MMIO, faults, IRQs, job control */
	TRACE_LVL_VERBOSE = 2,	/* buffer beats and data, per-step translation */
	TRACE_LVL_DEBUG = 3,	/* model internals */
};

enum trace_type {
	TRACE_U64 = 1,
	TRACE_S64 = 2,
	TRACE_BYTES = 3,
	TRACE_STR = 4,
};

#define TRACE_MAX_FIELDS 16
#define TRACE_MAX_NAME 64
/* Largest bytes or str field; longer values are rejected, not truncated. */
#define TRACE_MAX_LEN (1U << 20)
/* Event contexts are u32 (a process element, a context id); this is "none". */
#define TRACE_CTX_NONE UINT32_MAX

/* One typed value: an argument of trace_emit(), or a field read back. */
struct trace_arg {
	union {
		u64 u;			/* TRACE_U64 */
		s64 s;			/* TRACE_S64 */
		const void *p;		/* TRACE_BYTES, TRACE_STR (not NUL-terminated when read) */
	};
	u32 len;			/* bytes of *p */
	u8 type;			/* enum trace_type */
};

static inline struct trace_arg trace_str(const char *s)
{
	return (struct trace_arg){ .p = s, .len = (u32)strlen(s), .type = TRACE_STR };
}

#define TRACE_U(v) ((struct trace_arg){ .u = (u64)(v), .type = TRACE_U64 })
#define TRACE_S(v) ((struct trace_arg){ .s = (s64)(v), .type = TRACE_S64 })
#define TRACE_BYTES(ptr, n)						\
	((struct trace_arg){ .p = (ptr), .len = (u32)(n), .type = TRACE_BYTES })
#define TRACE_STR(str) trace_str(str)

/*
 * One event.  Written from trace_emit() or read back by cxt_next(); in
 * both cases @f points at @nr_fields values owned by the caller or the
 * reader (valid until its next call).
 */
struct trace_event {
	u64 time;			/* simulated, ps */
	u32 ctx;			/* TRACE_CTX_NONE when none */
	u16 src;			/* source id, >= 1 */
	u16 kind;			/* kind id, >= 1 */
	u16 nr_fields;
	const struct trace_arg *f;
};

/*
 * A kind of event, in static storage.  @gen and @id belong to trace.c:
 * they cache the id of the running trace and are refreshed whenever a new
 * trace starts.
 */
struct trace_kind {
	const char *name;
	const char *schema;		/* "name:type name:type ..." */
	enum trace_level level;
	u32 gen;
	u16 id;
};

#define TRACE_KIND(n, lvl, sch) { .name = (n), .schema = (sch), .level = (lvl) }

/* An emitting instance; @gen and @id belong to trace.c, as in trace_kind. */
struct trace_source {
	const char *name;
	u32 gen;
	u16 id;
};

#define TRACE_SOURCE(n) { .name = (n) }

/* The recorder's level: read inline by every trace_emit(); set by trace_start/stop. */
extern enum trace_level trace_level_cur;

static inline bool trace_enabled(enum trace_level level)
{
	return level <= trace_level_cur;
}

struct cxt_writer;

/*
 * Record every event at or below @level into @w (which stays the
 * caller's: close it after trace_stop()).  Returns 0, -EBUSY if a trace
 * is already running, -EINVAL for a bad level.
 */
int trace_start(struct cxt_writer *w, enum trace_level level);

/*
 * Stop recording.  Returns 0, or the first error met while recording
 * (an I/O error, or an emit that did not match its kind's schema);
 * trace_error() tells what it was.
 */
int trace_stop(void);

/* The first recording error's message, "" when none. */
const char *trace_error(void);

/* Events that could not be recorded since trace_start(). */
u64 trace_nr_dropped(void);

/* Where event times come from; without a clock every event is at time 0. */
void trace_set_clock(u64 (*now)(void *arg), void *arg);

/*
 * The cheaper clock: event times are read from *@now, a variable that
 * holds the current time (an event queue's), with no call per event.
 * It replaces trace_set_clock()'s clock, and NULL removes it.
 */
void trace_set_clock_var(const u64 *now);

void trace_emit_args(struct trace_kind *kind, struct trace_source *src, u32 ctx,
		     const struct trace_arg *args, unsigned int nr);

#define trace_emit(kind, src, ctx, ...)					\
	do {								\
		if (unlikely(trace_enabled((kind)->level))) {		\
			const struct trace_arg a_[] = { __VA_ARGS__ };	\
			trace_emit_args((kind), (src), (ctx), a_, ARRAY_SIZE(a_)); \
		}							\
	} while (0)

/*
 * Parse a kind's schema into at most TRACE_MAX_FIELDS types and
 * NUL-terminated names.  Returns the number of fields or -EINVAL.
 */
int trace_parse_schema(const char *schema, u8 *types, char (*names)[TRACE_MAX_NAME + 1]);

/* "u64", "s64", "bytes", "str"; NULL for anything else. */
const char *trace_type_name(unsigned int type);

/* A name a source, kind or field may have: 1..TRACE_MAX_NAME of [A-Za-z0-9_.-]. */
bool trace_name_valid(const char *name, size_t len);

/*
 * What trace_dump() prints: events with @t_min <= time <= @t_max, from
 * source @source (NULL: any), of kind @kind (NULL: any; "psl.fault" also
 * matches "psl.fault.answer"), in context @ctx when @match_ctx.
 */
struct trace_filter {
	u64 t_min, t_max;
	const char *source;
	const char *kind;
	bool match_ctx;
	u32 ctx;
};

/* Everything: the filter to start from. */
#define TRACE_FILTER_ALL { .t_min = 0, .t_max = UINT64_MAX }

/*
 * Print the trace at @path to @out as text: a header summary, then one
 * line per matching event.  Returns 0, or a negative errno after printing
 * the reader's message (naming file, block and offset) to stderr.
 */
int trace_dump(const char *path, FILE *out, const struct trace_filter *f);

#endif
