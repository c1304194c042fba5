// SPDX-License-Identifier: GPL-2.0
/*
 * The recorder: the running trace's level, clock and writer, and the emit
 * path behind trace_emit().  Kinds and sources register with the writer
 * the first time they are emitted in a trace; their structs cache the id
 * together with the generation of the trace it belongs to.
 */
#include <errno.h>
#include <string.h>

#include "trace/cxt.h"
#include "trace/trace.h"

/* Written by trace_start/stop only, read inline by every trace_emit(). */
enum trace_level trace_level_cur = TRACE_LVL_OFF;

/*
 * The process's one recorder.  Only the thread running the simulation
 * touches it: model events, and driver tasks while they hold the baton.
 */
static struct {
	struct cxt_writer *w;		/* NULL when not recording */
	u64 (*now)(void *arg);		/* the clock: a function ... */
	void *now_arg;
	const u64 *now_var;		/* ... or a variable; at most one is set */
	u32 gen;			/* the running trace's generation, never 0 */
	int err;			/* first recording error, negative errno */
	struct cxt_error err_msg;	/* its message */
	u64 nr_dropped;
} rec;

int trace_start(struct cxt_writer *w, enum trace_level level)
{
	if (rec.w)
		return -EBUSY;
	if (level < TRACE_LVL_DEFAULT || level > TRACE_LVL_DEBUG)
		return -EINVAL;
	rec.w = w;
	if (!++rec.gen)
		rec.gen = 1;
	rec.err = 0;
	rec.err_msg.msg[0] = '\0';
	rec.nr_dropped = 0;
	trace_level_cur = level;
	return 0;
}

int trace_stop(void)
{
	trace_level_cur = TRACE_LVL_OFF;
	rec.w = NULL;
	return rec.err;
}

const char *trace_error(void)
{
	return rec.err_msg.msg;
}

u64 trace_nr_dropped(void)
{
	return rec.nr_dropped;
}

void trace_set_clock(u64 (*now)(void *arg), void *arg)
{
	rec.now = now;
	rec.now_arg = arg;
	rec.now_var = NULL;
}

void trace_set_clock_var(const u64 *now)
{
	rec.now = NULL;
	rec.now_arg = NULL;
	rec.now_var = now;
}

static inline u64 event_time(void)
{
	if (rec.now_var)
		return *rec.now_var;
	return rec.now ? rec.now(rec.now_arg) : 0;
}

static int register_kind(struct trace_kind *k, struct cxt_error *err)
{
	char names[TRACE_MAX_FIELDS][TRACE_MAX_NAME + 1];
	u8 types[TRACE_MAX_FIELDS];
	int nr, id;

	nr = trace_parse_schema(k->schema, types, names);
	if (nr < 0) {
		snprintf(err->msg, sizeof(err->msg), "kind %s: bad schema \"%s\"",
			 k->name, k->schema);
		return nr;
	}
	id = cxt_def_kind(rec.w, k->name, k->level, nr, types, names, err);
	if (id < 0)
		return id;
	k->id = id;
	k->gen = rec.gen;
	return 0;
}

static int register_source(struct trace_source *s, struct cxt_error *err)
{
	int id = cxt_def_source(rec.w, s->name, err);

	if (id < 0)
		return id;
	s->id = id;
	s->gen = rec.gen;
	return 0;
}

void trace_emit_args(struct trace_kind *kind, struct trace_source *src, u32 ctx,
		     const struct trace_arg *args, unsigned int nr)
{
	struct cxt_error err;
	struct trace_event ev;
	int ret;

	/* A kind declared at TRACE_LVL_OFF passes the level check: catch it here. */
	if (unlikely(!rec.w))
		return;
	if (unlikely(kind->gen != rec.gen)) {
		ret = register_kind(kind, &err);
		if (ret)
			goto dropped;
	}
	if (unlikely(src->gen != rec.gen)) {
		ret = register_source(src, &err);
		if (ret)
			goto dropped;
	}
	ev.time = event_time();
	ev.ctx = ctx;
	ev.src = src->id;
	ev.kind = kind->id;
	ev.nr_fields = nr;
	ev.f = args;
	ret = cxt_write(rec.w, &ev, &err);
	if (likely(!ret))
		return;
dropped:
	rec.nr_dropped++;
	if (!rec.err) {
		rec.err = ret;
		rec.err_msg = err;
	}
}

static const char *const type_names[] = {
	[TRACE_U64] = "u64",
	[TRACE_S64] = "s64",
	[TRACE_BYTES] = "bytes",
	[TRACE_STR] = "str",
};

const char *trace_type_name(unsigned int type)
{
	return type < ARRAY_SIZE(type_names) ? type_names[type] : NULL;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-';
}

bool trace_name_valid(const char *name, size_t len)
{
	size_t i;

	if (!len || len > TRACE_MAX_NAME)
		return false;
	for (i = 0; i < len; i++)
		if (!name_char(name[i]))
			return false;
	return true;
}

static int parse_type(const char *s, size_t len)
{
	unsigned int t;

	for (t = TRACE_U64; t <= TRACE_STR; t++)
		if (strlen(type_names[t]) == len && !memcmp(type_names[t], s, len))
			return t;
	return -EINVAL;
}

int trace_parse_schema(const char *schema, u8 *types, char (*names)[TRACE_MAX_NAME + 1])
{
	const char *p = schema ? schema : "";
	int nr = 0;

	for (;;) {
		size_t len, name_len;
		const char *colon;
		int type;

		p += strspn(p, " ");
		if (!*p)
			return nr;
		len = strcspn(p, " ");
		colon = memchr(p, ':', len);
		if (!colon || nr == TRACE_MAX_FIELDS)
			return -EINVAL;
		name_len = colon - p;
		type = parse_type(colon + 1, len - name_len - 1);
		if (type < 0 || !trace_name_valid(p, name_len))
			return -EINVAL;
		types[nr] = type;
		memcpy(names[nr], p, name_len);
		names[nr][name_len] = '\0';
		nr++;
		p += len;
	}
}
