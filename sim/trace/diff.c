// SPDX-License-Identifier: GPL-2.0
/*
 * capisim trace diff: where two traces part.  The headers first (what
 * the run depended on: configuration, seeds, timing file, then the rest),
 * then the events in lockstep: the first pair that differs in time,
 * source, kind, context or any field, with the events before it and
 * each file's events after it for context; then a summary over both
 * whole files (events per kind, and how the events at equal positions
 * after the divergence differ).
 *
 * Sources and kinds are compared by name and fields by name, type and
 * value, so two files whose writers numbered ids differently still
 * compare equal when their events are.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "trace/tools.h"
#include "trace/tt.h"

#define CONTEXT_EVENTS 2	/* common events shown before the first difference */
#define AFTER_EVENTS 3		/* events of each file shown after it */

/* Events of one kind name in each file. */
struct kind_count {
	const char *name;
	u64 a, b;
};

struct diff {
	FILE *out;
	const char *a, *b;		/* the files' names */
	bool announced;			/* their names are printed */
	const struct trace_diff_opts *opts;
	struct trace_diff_result *res;
	struct tt_pool pool;
	struct tt_map kinds;		/* (interned name, 0) -> kind_count */
	struct kind_count **all;
	size_t nr, cap;
	/* From the first difference on, by position: */
	u64 time_only, content, only_a, only_b;
	s64 shift_min, shift_max;	/* B - A over the time-only pairs */
	u64 last_a, last_b;		/* times of the last events */
};

/* Name the files once, before the first difference. */
static FILE *say(struct diff *d)
{
	if (!d->announced)
		fprintf(d->out, "A: %s\nB: %s\n", d->a, d->b);
	d->announced = true;
	return d->out;
}

/* ---- Headers ---- */

static bool str_same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static void print_opt(FILE *out, const char *s)
{
	if (s)
		fprintf(out, "\"%s\"", s);
	else
		fputs("(none)", out);
}

/* The first line where two texts differ, both lines shown. */
static void text_diff(struct diff *d, const char *what, const char *a, const char *b)
{
	FILE *out = say(d);
	unsigned int line = 1;
	const char *la = a, *lb = b;
	size_t i;

	fprintf(out, "header: %s differs", what);
	if (!a || !b) {
		fprintf(out, ": %s in A, %s in B\n", a ? "present" : "absent",
			b ? "present" : "absent");
		return;
	}
	for (i = 0; a[i] && a[i] == b[i]; i++) {
		if (a[i] == '\n') {
			line++;
			la = a + i + 1;
			lb = b + i + 1;
		}
	}
	fprintf(out, " from line %u:\n  A: %.*s\n  B: %.*s\n", line, (int)strcspn(la, "\n"), la,
		(int)strcspn(lb, "\n"), lb);
}

static unsigned int str_entry(struct diff *d, const char *what, const char *a, const char *b)
{
	FILE *out;

	if (str_same(a, b))
		return 0;
	out = say(d);
	fprintf(out, "header: %s: ", what);
	print_opt(out, a);
	fputs(" in A, ", out);
	print_opt(out, b);
	fputs(" in B\n", out);
	return 1;
}

static const struct cxt_seed *seed_find(const struct cxt_header *h, const char *name)
{
	unsigned int i;

	for (i = 0; i < h->nr_seeds; i++)
		if (!strcmp(h->seeds[i].name, name))
			return &h->seeds[i];
	return NULL;
}

static unsigned int seeds_diff(struct diff *d, const struct cxt_header *a,
			       const struct cxt_header *b)
{
	FILE *out = d->out;
	const struct cxt_seed *s;
	unsigned int i, n = 0;

	for (i = 0; i < a->nr_seeds; i++) {
		s = seed_find(b, a->seeds[i].name);
		if (s && s->value == a->seeds[i].value)
			continue;
		fprintf(say(d), "header: seed %s: 0x%llx in A, ", a->seeds[i].name,
			(unsigned long long)a->seeds[i].value);
		if (s)
			fprintf(out, "0x%llx in B\n", (unsigned long long)s->value);
		else
			fputs("absent in B\n", out);
		n++;
	}
	for (i = 0; i < b->nr_seeds; i++) {
		if (seed_find(a, b->seeds[i].name))
			continue;
		fprintf(say(d), "header: seed %s: absent in A, 0x%llx in B\n", b->seeds[i].name,
			(unsigned long long)b->seeds[i].value);
		n++;
	}
	return n;
}

static unsigned int text_entry(struct diff *d, const char *what, const char *a, const char *b)
{
	if (str_same(a, b))
		return 0;
	text_diff(d, what, a, b);
	return 1;
}

/* What the run depended on first, then how it was recorded and by what. */
static unsigned int headers_diff(struct diff *d, const struct cxt_header *a,
				 const struct cxt_header *b)
{
	unsigned int n = 0;

	n += str_entry(d, "config file", a->config_name, b->config_name);
	n += text_entry(d, "config text", a->config_text, b->config_text);
	n += seeds_diff(d, a, b);
	n += str_entry(d, "timing file", a->timing_name, b->timing_name);
	n += text_entry(d, "timing text", a->timing_text, b->timing_text);
	if (a->level != b->level) {
		fprintf(say(d), "header: trace level: %u in A, %u in B\n", a->level, b->level);
		n++;
	}
	n += str_entry(d, "driver origin", a->driver_origin, b->driver_origin);
	n += str_entry(d, "driver source", a->driver_source, b->driver_source);
	n += str_entry(d, "driver version", a->driver_version, b->driver_version);
	n += str_entry(d, "capisim version", a->capisim_version, b->capisim_version);
	return n;
}

/* ---- Events ---- */

static bool arg_same(const struct trace_arg *x, const struct trace_arg *y)
{
	if (x->type != y->type)
		return false;
	if (x->type == TRACE_U64 || x->type == TRACE_S64)
		return x->u == y->u;
	return x->len == y->len && !memcmp(x->p, y->p, x->len);
}

/* Everything but the time. */
static bool content_same(const struct cxt_reader *ra, const struct trace_event *a,
			 const struct cxt_reader *rb, const struct trace_event *b)
{
	const struct cxt_kind *ka = cxt_kind(ra, a->kind), *kb = cxt_kind(rb, b->kind);
	unsigned int i;

	if (a->ctx != b->ctx || a->nr_fields != b->nr_fields || strcmp(ka->name, kb->name) ||
	    strcmp(cxt_source_name(ra, a->src), cxt_source_name(rb, b->src)))
		return false;
	for (i = 0; i < a->nr_fields; i++)
		if (strcmp(ka->field_names[i], kb->field_names[i]) || !arg_same(&a->f[i], &b->f[i]))
			return false;
	return true;
}

static struct kind_count *kind_get(struct diff *d, const char *name)
{
	const char *n = tt_intern(&d->pool, name, strlen(name));
	struct kind_count *k, **all;

	if (!n)
		return NULL;
	k = tt_map_get(&d->kinds, (uintptr_t)n, 0);
	if (k)
		return k;
	if (d->nr == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 32;

		all = realloc(d->all, cap * sizeof(*all));
		if (!all)
			return NULL;
		d->all = all;
		d->cap = cap;
	}
	k = calloc(1, sizeof(*k));
	if (!k)
		return NULL;
	k->name = n;
	if (tt_map_put(&d->kinds, (uintptr_t)n, 0, k)) {
		free(k);
		return NULL;
	}
	d->all[d->nr++] = k;
	return k;
}

static int count_kind(struct diff *d, const struct cxt_reader *r, const struct trace_event *ev,
		      bool in_a)
{
	struct kind_count *k = kind_get(d, cxt_kind(r, ev->kind)->name);

	if (!k)
		return -ENOMEM;
	if (in_a)
		k->a++;
	else
		k->b++;
	return 0;
}

static void print_ev(FILE *out, const char *tag, const struct cxt_reader *r,
		     const struct trace_event *ev)
{
	fputs(tag, out);
	trace_print_event(out, ev, cxt_kind(r, ev->kind), cxt_source_name(r, ev->src));
}

static void print_shift(FILE *out, s64 d)
{
	char buf[32];

	fprintf(out, "%c%s", d < 0 ? '-' : '+',
		tt_dur_str(d < 0 ? -(u64)d : (u64)d, buf, sizeof(buf)));
}

/* @b - @a, whatever their size. */
static void print_delta(FILE *out, u64 a, u64 b)
{
	char buf[32];

	fprintf(out, "%c%s", b < a ? '-' : '+',
		tt_dur_str(b < a ? a - b : b - a, buf, sizeof(buf)));
}

/* The events just before index @first, read again from @path. */
static int print_context(struct diff *d, const char *path, u64 first, struct cxt_error *err)
{
	u64 from = first > CONTEXT_EVENTS ? first - CONTEXT_EVENTS : 0, i;
	struct cxt_reader *r;
	struct trace_event ev;
	int ret;

	if (!first)
		return 0;
	ret = cxt_open(path, 0, &r, err);
	if (ret)
		return ret;
	fprintf(d->out, "  the same in both before it:\n");
	for (i = 0; i < first && (ret = cxt_next(r, &ev, err)) > 0; i++)
		if (i >= from)
			print_ev(d->out, "   ", r, &ev);
	cxt_close(r);
	return ret < 0 ? ret : 0;
}

/* The events of @path just after index @first, where the two runs went apart. */
static int print_after(struct diff *d, const char *path, const char *tag, u64 first,
		       struct cxt_error *err)
{
	struct cxt_reader *r;
	struct trace_event ev;
	bool any = false;
	int ret;
	u64 i;

	ret = cxt_open(path, 0, &r, err);
	if (ret)
		return ret;
	for (i = 0; i <= first + AFTER_EVENTS && (ret = cxt_next(r, &ev, err)) > 0; i++) {
		if (i <= first)
			continue;
		if (!any)
			fprintf(d->out, "  then in %s:\n", tag);
		any = true;
		print_ev(d->out, "   ", r, &ev);
	}
	if (ret >= 0 && !any)
		fprintf(d->out, "  then in %s: nothing, the trace ends\n", tag);
	cxt_close(r);
	return ret < 0 ? ret : 0;
}

static void first_diff(struct diff *d, u64 i, const struct cxt_reader *ra,
		       const struct trace_event *a, const struct cxt_reader *rb,
		       const struct trace_event *b)
{
	char ta[32], tb[32];

	d->res->events_differ = true;
	d->res->first = i;
	say(d);
	if (!a || !b) {
		fprintf(d->out, "first difference: event %llu exists only in %s\n",
			(unsigned long long)i, a ? "A" : "B");
		print_ev(d->out, a ? "  A:" : "  B:", a ? ra : rb, a ? a : b);
		return;
	}
	fprintf(d->out, "first difference: event %llu, at %s in A and %s in B\n",
		(unsigned long long)i, tt_dur_str(a->time, ta, sizeof(ta)),
		tt_dur_str(b->time, tb, sizeof(tb)));
	print_ev(d->out, "  A:", ra, a);
	print_ev(d->out, "  B:", rb, b);
	if (content_same(ra, a, rb, b)) {
		fputs("  they differ in time only: B - A = ", d->out);
		print_delta(d->out, a->time, b->time);
		fputc('\n', d->out);
	}
}

/* Tally a pair at the same position, from the first difference on. */
static void tally(struct diff *d, const struct cxt_reader *ra, const struct trace_event *a,
		  const struct cxt_reader *rb, const struct trace_event *b)
{
	s64 shift;

	if (!content_same(ra, a, rb, b)) {
		d->content++;
		return;
	}
	/* Runs whose times part by 2^63 ps (106 days) or more are not compared here. */
	shift = (s64)(b->time - a->time);
	if (!shift)
		return;
	if (!d->time_only || shift < d->shift_min)
		d->shift_min = shift;
	if (!d->time_only || shift > d->shift_max)
		d->shift_max = shift;
	d->time_only++;
}

static bool same(const struct diff *d, const struct cxt_reader *ra, const struct trace_event *a,
		 const struct cxt_reader *rb, const struct trace_event *b)
{
	return (d->opts->ignore_time || a->time == b->time) && content_same(ra, a, rb, b);
}

/* One step of the lockstep walk; @ga/@gb say which file still had an event. */
static int step(struct diff *d, u64 i, struct cxt_reader *ra, const struct trace_event *a,
		int ga, struct cxt_reader *rb, const struct trace_event *b, int gb)
{
	if (ga > 0) {
		d->last_a = a->time;
		if (count_kind(d, ra, a, true))
			return -ENOMEM;
	}
	if (gb > 0) {
		d->last_b = b->time;
		if (count_kind(d, rb, b, false))
			return -ENOMEM;
	}
	if (!d->res->events_differ) {
		if (ga > 0 && gb > 0 && same(d, ra, a, rb, b))
			return 0;
		first_diff(d, i, ra, ga > 0 ? a : NULL, rb, gb > 0 ? b : NULL);
	}
	if (ga > 0 && gb > 0)
		tally(d, ra, a, rb, b);
	else if (ga > 0)
		d->only_a++;
	else
		d->only_b++;
	return 0;
}

static int walk(struct diff *d, struct cxt_reader *ra, struct cxt_reader *rb,
		struct cxt_error *err)
{
	struct trace_event a, b;
	struct cxt_error eb;
	int ga, gb, ret;
	u64 i;

	for (i = 0;; i++) {
		ga = cxt_next(ra, &a, err);
		gb = cxt_next(rb, &b, &eb);
		if (ga < 0)
			return ga;
		if (gb < 0) {
			*err = eb;
			return gb;
		}
		if (!ga && !gb)
			break;
		ret = step(d, i, ra, &a, ga, rb, &b, gb);
		if (ret) {
			snprintf(err->msg, sizeof(err->msg), "out of memory");
			return ret;
		}
	}
	d->res->nr_a = cxt_nr_events(ra);
	d->res->nr_b = cxt_nr_events(rb);
	return 0;
}

static int cmp_kinds(const void *x, const void *y)
{
	return strcmp((*(struct kind_count *const *)x)->name,
		      (*(struct kind_count *const *)y)->name);
}

static void summary(struct diff *d)
{
	FILE *out = d->out;
	char ta[32], tb[32];
	bool header = false;
	size_t i;

	fprintf(out, "summary:\n  events: %llu in A, %llu in B\n",
		(unsigned long long)d->res->nr_a, (unsigned long long)d->res->nr_b);
	if (d->nr)
		qsort(d->all, d->nr, sizeof(*d->all), cmp_kinds);
	for (i = 0; i < d->nr; i++) {
		if (d->all[i]->a == d->all[i]->b)
			continue;
		if (!header)
			fprintf(out, "  %-28s %10s %10s\n", "kind", "A", "B");
		header = true;
		fprintf(out, "  %-28s %10llu %10llu\n", d->all[i]->name,
			(unsigned long long)d->all[i]->a, (unsigned long long)d->all[i]->b);
	}
	if (!header)
		fputs("  the same number of events of every kind\n", out);
	fprintf(out, "  from event %llu on, by position: %llu differ in time only",
		(unsigned long long)d->res->first, (unsigned long long)d->time_only);
	if (d->time_only) {
		fputs(" (B - A from ", out);
		print_shift(out, d->shift_min);
		fputs(" to ", out);
		print_shift(out, d->shift_max);
		fputc(')', out);
	}
	fprintf(out, ", %llu in more than time", (unsigned long long)d->content);
	if (d->only_a || d->only_b)
		fprintf(out, ", %llu only in %s", (unsigned long long)(d->only_a + d->only_b),
			d->only_a ? "A" : "B");
	fprintf(out, "\n  last event: at %s in A, %s in B (B - A: ",
		tt_dur_str(d->last_a, ta, sizeof(ta)), tt_dur_str(d->last_b, tb, sizeof(tb)));
	print_delta(out, d->last_a, d->last_b);
	fputs(")\n", out);
}

static void diff_free(struct diff *d)
{
	size_t i;

	for (i = 0; i < d->nr; i++)
		free(d->all[i]);
	free(d->all);
	tt_map_free(&d->kinds);
	tt_pool_free(&d->pool);
}

int trace_diff(const char *a, const char *b, const struct trace_diff_opts *opts, FILE *out,
	       struct trace_diff_result *res, struct cxt_error *err)
{
	static const struct trace_diff_opts none;
	struct diff d = { .out = out, .a = a, .b = b, .opts = opts ? opts : &none, .res = res };
	struct cxt_reader *ra, *rb;
	int ret;

	*res = (struct trace_diff_result){ 0 };
	ret = cxt_open(a, 0, &ra, err);
	if (ret)
		return ret;
	ret = cxt_open(b, 0, &rb, err);
	if (ret) {
		cxt_close(ra);
		return ret;
	}
	if (!d.opts->events_only)
		res->header_diffs = headers_diff(&d, cxt_header(ra), cxt_header(rb));
	ret = walk(&d, ra, rb, err);
	cxt_close(ra);
	cxt_close(rb);
	if (!ret && res->events_differ)
		ret = print_context(&d, a, res->first, err);
	if (!ret && res->events_differ)
		ret = print_after(&d, a, "A", res->first, err);
	if (!ret && res->events_differ)
		ret = print_after(&d, b, "B", res->first, err);
	if (!ret && res->events_differ)
		summary(&d);
	diff_free(&d);
	if (ret)
		return ret;
	return res->header_diffs || res->events_differ;
}
