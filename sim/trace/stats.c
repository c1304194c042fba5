// SPDX-License-Identifier: GPL-2.0
/*
 * capisim trace stats: events counted per source and kind, and latencies
 * per operation.  Paired spans (pair.c) give commands, faults, MSIs, SPA
 * and job commands, AFU MMIO and state machine times; host MMIO and
 * config accesses carry their latency in a field.  Every sample is kept
 * until the end so that percentiles are exact.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "trace/tools.h"
#include "trace/tt.h"

/* A row being filled: its samples, then its figures. */
struct row {
	struct trace_lat lat;
	unsigned int rank;		/* of its op, for the table's order */
	u64 *v;
	size_t n, cap;
};

struct count {
	const char *src, *kind;
	u64 n;
};

struct trace_stats {
	char *path;
	u64 nr_events, t_first, t_last;
	struct count *counts;		/* sorted by source, kind once read */
	size_t nr_counts, cap_counts;
	struct tt_map count_map;	/* (source id, kind id) -> index + 1 */
	struct row **rows;		/* in table order once read */
	size_t nr_rows, cap_rows;
	struct tt_map row_map;		/* (op, key): interned pointers -> row */
	struct tt_pool pool;
	struct tt_pair_counts pairing;
	int error;			/* -ENOMEM met inside a pairing callback */
};

/* Operations in table order: single-event latencies first, then spans. */
static const char *const op_order[] = {
	"mmio", "cfg", "afu-mmio", "command", "fault", "irq", "spa", "job", "state",
};

static unsigned int op_rank(const char *op)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(op_order); i++)
		if (!strcmp(op_order[i], op))
			return i;
	return ARRAY_SIZE(op_order);
}

static struct row *row_get(struct trace_stats *st, const char *op, const char *key)
{
	const char *o = tt_intern(&st->pool, op, strlen(op));
	const char *k = tt_intern(&st->pool, key, strlen(key));
	struct row *r, **rows;

	if (!o || !k)
		return NULL;
	r = tt_map_get(&st->row_map, (uintptr_t)o, (uintptr_t)k);
	if (r)
		return r;
	if (st->nr_rows == st->cap_rows) {
		size_t cap = st->cap_rows ? 2 * st->cap_rows : 32;

		rows = realloc(st->rows, cap * sizeof(*rows));
		if (!rows)
			return NULL;
		st->rows = rows;
		st->cap_rows = cap;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	if (tt_map_put(&st->row_map, (uintptr_t)o, (uintptr_t)k, r)) {
		free(r);
		return NULL;
	}
	r->lat.op = o;
	r->lat.key = k;
	r->rank = op_rank(o);
	st->rows[st->nr_rows++] = r;
	return r;
}

static int row_add(struct row *r, u64 v)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;
		u64 *nv = realloc(r->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		r->v = nv;
		r->cap = cap;
	}
	r->v[r->n++] = v;
	return 0;
}

static void row_result(struct row *r, const char *name)
{
	struct trace_lat *l = &r->lat;
	unsigned int i;

	for (i = 0; i < l->nr_results; i++) {
		if (l->results[i].name == name || !strcmp(l->results[i].name, name)) {
			l->results[i].count++;
			return;
		}
	}
	if (l->nr_results == TRACE_LAT_RESULTS) {
		l->other_results++;
		return;
	}
	l->results[l->nr_results++] = (struct trace_lat_result){ .name = name, .count = 1 };
}

/* Pairing callbacks: results are interned or static, so they outlive the pairer. */
static void span_end(void *arg, const struct tt_span *s)
{
	struct trace_stats *st = arg;
	struct row *r = row_get(st, tt_op_name(s->op), s->label);
	const char *res;

	if (!r) {
		st->error = -ENOMEM;
		return;
	}
	if (s->unfinished) {
		r->lat.unfinished++;
		return;
	}
	if (row_add(r, s->end - s->start)) {
		st->error = -ENOMEM;
		return;
	}
	if (!s->result)
		return;
	res = tt_intern(&st->pool, s->result, strlen(s->result));
	if (!res)
		st->error = -ENOMEM;
	else
		row_result(r, res);
}

static const struct tt_pair_ops stats_pair_ops = { .end = span_end };

/* Host MMIO and config accesses: one event each, the latency in a field. */
static int access_event(struct trace_stats *st, const struct tt_ev *e)
{
	char key[96], reg[64];
	struct row *r;
	u64 lat;

	if (e->role == TT_MMIO) {
		tt_reg_name(tt_u(e, MMIO_BAR), tt_u(e, MMIO_OFF), reg, sizeof(reg));
		snprintf(key, sizeof(key), "%s %s", reg, tt_u(e, MMIO_WRITE) ? "write" : "read");
		r = row_get(st, "mmio", key);
		lat = tt_u(e, MMIO_LAT);
	} else {
		snprintf(key, sizeof(key), "0x%03llx %s", (unsigned long long)tt_u(e, CFG_OFF),
			 tt_u(e, CFG_WRITE) ? "write" : "read");
		r = row_get(st, "cfg", key);
		lat = tt_u(e, CFG_LAT);
	}
	return r ? row_add(r, lat) : -ENOMEM;
}

static int count_event(struct trace_stats *st, const struct tt_ev *e)
{
	uintptr_t i = (uintptr_t)tt_map_get(&st->count_map, e->ev.src, e->ev.kind);
	struct count *c;

	if (i) {
		st->counts[i - 1].n++;
		return 0;
	}
	if (st->nr_counts == st->cap_counts) {
		size_t cap = st->cap_counts ? 2 * st->cap_counts : 32;

		c = realloc(st->counts, cap * sizeof(*c));
		if (!c)
			return -ENOMEM;
		st->counts = c;
		st->cap_counts = cap;
	}
	/* The reader's names live as long as it does: keep copies. */
	c = &st->counts[st->nr_counts];
	c->src = tt_intern(&st->pool, e->src, strlen(e->src));
	c->kind = tt_intern(&st->pool, e->kind->name, strlen(e->kind->name));
	c->n = 1;
	if (!c->src || !c->kind)
		return -ENOMEM;
	st->nr_counts++;
	return tt_map_put(&st->count_map, e->ev.src, e->ev.kind, (void *)(uintptr_t)st->nr_counts);
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static unsigned int bucket(u64 v)
{
	return v ? 64 - __builtin_clzll(v) : 0;
}

/* Nearest rank: the smallest sample with at least @pct % of samples at or below it. */
static u64 percentile(const u64 *v, size_t n, unsigned int pct)
{
	size_t rank = (pct * n + 99) / 100;

	return v[rank ? rank - 1 : 0];
}

static void row_finish(struct row *r)
{
	struct trace_lat *l = &r->lat;
	unsigned __int128 sum = 0;
	size_t i;

	l->count = r->n;
	if (r->n) {
		qsort(r->v, r->n, sizeof(*r->v), cmp_u64);
		for (i = 0; i < r->n; i++) {
			sum += r->v[i];
			l->hist[bucket(r->v[i])]++;
		}
		l->min = r->v[0];
		l->max = r->v[r->n - 1];
		l->avg = (u64)(sum / r->n);
		l->p50 = percentile(r->v, r->n, 50);
		l->p99 = percentile(r->v, r->n, 99);
	}
	free(r->v);
	r->v = NULL;
}

static int cmp_rows(const void *a, const void *b)
{
	const struct row *x = *(const struct row *const *)a, *y = *(const struct row *const *)b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->rank == ARRAY_SIZE(op_order) && strcmp(x->lat.op, y->lat.op))
		return strcmp(x->lat.op, y->lat.op);
	return strcmp(x->lat.key, y->lat.key);
}

static int cmp_counts(const void *a, const void *b)
{
	const struct count *x = a, *y = b;
	int c = strcmp(x->src, y->src);

	return c ? c : strcmp(x->kind, y->kind);
}

static int read_events(struct trace_stats *st, struct tt_reader *tr, struct tt_pairer *p,
		       struct cxt_error *err)
{
	struct tt_ev e;
	int ret;

	while ((ret = tt_next(tr, &e, err)) > 0) {
		if (!st->nr_events++)
			st->t_first = e.ev.time;
		st->t_last = e.ev.time;
		ret = count_event(st, &e);
		if (!ret && (e.role == TT_MMIO || e.role == TT_CFG))
			ret = access_event(st, &e);
		if (!ret)
			ret = tt_pair_event(p, &e);
		if (!ret)
			ret = st->error;
		if (ret) {
			snprintf(err->msg, sizeof(err->msg), "%s: out of memory", st->path);
			return ret;
		}
	}
	return ret;
}

int trace_stats_read(const char *path, struct trace_stats **out, struct cxt_error *err)
{
	struct trace_stats *st = calloc(1, sizeof(*st));
	struct tt_pairer *p = NULL;
	struct tt_reader tr;
	size_t i;
	int ret;

	*out = NULL;
	if (!st || !(st->path = strdup(path)) || !(p = tt_pair_new(&stats_pair_ops, st))) {
		snprintf(err->msg, sizeof(err->msg), "%s: out of memory", path);
		ret = -ENOMEM;
		goto fail;
	}
	ret = tt_open(&tr, path, err);
	if (ret)
		goto fail;
	ret = read_events(st, &tr, p, err);
	tt_close(&tr);
	if (!ret)
		ret = tt_pair_finish(p, st->t_last) ?: st->error;
	if (ret) {
		if (ret == -ENOMEM)
			snprintf(err->msg, sizeof(err->msg), "%s: out of memory", path);
		goto fail;
	}
	st->pairing = *tt_pair_counts(p);
	tt_pair_free(p);
	for (i = 0; i < st->nr_rows; i++)
		row_finish(st->rows[i]);
	/* qsort() wants a valid pointer even for no elements. */
	if (st->nr_rows)
		qsort(st->rows, st->nr_rows, sizeof(*st->rows), cmp_rows);
	if (st->nr_counts)
		qsort(st->counts, st->nr_counts, sizeof(*st->counts), cmp_counts);
	*out = st;
	return 0;
fail:
	tt_pair_free(p);
	trace_stats_free(st);
	return ret;
}

void trace_stats_free(struct trace_stats *st)
{
	size_t i;

	if (!st)
		return;
	for (i = 0; i < st->nr_rows; i++) {
		free(st->rows[i]->v);
		free(st->rows[i]);
	}
	free(st->rows);
	free(st->counts);
	tt_map_free(&st->count_map);
	tt_map_free(&st->row_map);
	tt_pool_free(&st->pool);
	free(st->path);
	free(st);
}

u64 trace_stats_count(const struct trace_stats *st, const char *source, const char *kind)
{
	u64 n = 0;
	size_t i;

	for (i = 0; i < st->nr_counts; i++)
		if ((!source || !strcmp(st->counts[i].src, source)) &&
		    !strcmp(st->counts[i].kind, kind))
			n += st->counts[i].n;
	return n;
}

const struct trace_lat *trace_stats_lat(const struct trace_stats *st, const char *op,
					const char *key)
{
	size_t i;

	for (i = 0; i < st->nr_rows; i++)
		if (!strcmp(st->rows[i]->lat.op, op) && !strcmp(st->rows[i]->lat.key, key))
			return &st->rows[i]->lat;
	return NULL;
}

unsigned int trace_stats_nr_lat(const struct trace_stats *st)
{
	return st->nr_rows;
}

const struct trace_lat *trace_stats_lat_at(const struct trace_stats *st, unsigned int i)
{
	return i < st->nr_rows ? &st->rows[i]->lat : NULL;
}

/* ---- Text ---- */

static void print_results(FILE *out, const struct trace_lat *l)
{
	unsigned int i;

	for (i = 0; i < l->nr_results; i++)
		fprintf(out, "%s%s %llu", i ? ", " : "  ", l->results[i].name,
			(unsigned long long)l->results[i].count);
	if (l->other_results)
		fprintf(out, ", other %llu", (unsigned long long)l->other_results);
	if (l->unfinished)
		fprintf(out, "%sunfinished %llu", l->nr_results ? ", " : "  ",
			(unsigned long long)l->unfinished);
}

static void print_row(FILE *out, const struct trace_lat *l)
{
	char b[5][32];

	fprintf(out, "  %-8s %-40s %8llu", l->op, l->key, (unsigned long long)l->count);
	if (l->count)
		fprintf(out, " %12s %12s %12s %12s %12s", tt_dur_str(l->min, b[0], 32),
			tt_dur_str(l->avg, b[1], 32), tt_dur_str(l->p50, b[2], 32),
			tt_dur_str(l->p99, b[3], 32), tt_dur_str(l->max, b[4], 32));
	else
		fprintf(out, " %12s %12s %12s %12s %12s", "-", "-", "-", "-", "-");
	print_results(out, l);
	fputc('\n', out);
}

/* Lower bound of bucket @k in ps. */
static u64 bucket_lo(unsigned int k)
{
	return k ? 1ULL << (k - 1) : 0;
}

static void print_hist(FILE *out, const struct trace_lat *l)
{
	unsigned int k, lo = TRACE_LAT_BUCKETS, hi = 0;
	char a[32], b[32];
	u64 peak = 0;

	for (k = 0; k < TRACE_LAT_BUCKETS; k++) {
		if (!l->hist[k])
			continue;
		lo = k < lo ? k : lo;
		hi = k;
		peak = l->hist[k] > peak ? l->hist[k] : peak;
	}
	if (!peak)
		return;
	fprintf(out, "\n  %s %s (%llu)\n", l->op, l->key, (unsigned long long)l->count);
	for (k = lo; k <= hi; k++) {
		unsigned int bar = (unsigned int)((l->hist[k] * 40 + peak - 1) / peak);

		if (k == 0)
			snprintf(b, sizeof(b), "0 ps");
		else
			tt_dur_str(k == 64 ? UINT64_MAX : bucket_lo(k + 1), b, sizeof(b));
		fprintf(out, "    [%12s, %12s) %8llu %.*s\n",
			tt_dur_str(bucket_lo(k), a, sizeof(a)), b, (unsigned long long)l->hist[k],
			(int)bar,
			"########################################");
	}
}

static const char *const kind_of_end[TT_NR_OPS] = {
	[TT_OP_CMD] = "psl.resp", [TT_OP_FAULT] = "psl.fault.answer",
	[TT_OP_SPA] = "psl.spa.done", [TT_OP_IRQ] = "irq.deliver", [TT_OP_JOB] = "psl.job.ack",
	[TT_OP_AFU_MMIO] = "psl.afu.mmack", [TT_OP_STATE] = "psl.state",
};

static const char *const kind_of_start[TT_NR_OPS] = {
	[TT_OP_CMD] = "psl.cmd", [TT_OP_FAULT] = "psl.fault",
	[TT_OP_SPA] = "psl.spa.start", [TT_OP_IRQ] = "irq.raise", [TT_OP_JOB] = "psl.job",
	[TT_OP_AFU_MMIO] = "psl.afu.mmio", [TT_OP_STATE] = "psl.state",
};

static void print_pairing(const struct trace_stats *st, FILE *out)
{
	const struct tt_pair_counts *c = &st->pairing;
	bool any = false;
	unsigned int op;

	for (op = 0; op < TT_NR_OPS; op++) {
		if (c->orphan_end[op]) {
			fprintf(out, "%s  %llu %s with no open %s", any ? "\n" : "\npairing:\n",
				(unsigned long long)c->orphan_end[op], kind_of_end[op],
				kind_of_start[op]);
			any = true;
		}
		if (c->dup_start[op]) {
			fprintf(out, "%s  %llu %s while its key was busy (%s)",
				any ? "\n" : "\npairing:\n", (unsigned long long)c->dup_start[op],
				kind_of_start[op], op == TT_OP_CMD ? "dropped, as the PSL does" :
				"the open one abandoned");
			any = true;
		}
	}
	if (any)
		fputc('\n', out);
}

void trace_stats_print(const struct trace_stats *st, FILE *out, bool hist)
{
	char a[32], b[32], c[32];
	size_t i;

	fprintf(out, "%s: %llu events", st->path, (unsigned long long)st->nr_events);
	if (st->nr_events)
		fprintf(out, " from %s to %s (%s)", tt_dur_str(st->t_first, a, sizeof(a)),
			tt_dur_str(st->t_last, b, sizeof(b)),
			tt_dur_str(st->t_last - st->t_first, c, sizeof(c)));
	fprintf(out, "\n\n  %-16s %-24s %10s\n", "source", "kind", "count");
	for (i = 0; i < st->nr_counts; i++)
		fprintf(out, "  %-16s %-24s %10llu\n", st->counts[i].src, st->counts[i].kind,
			(unsigned long long)st->counts[i].n);
	if (st->nr_rows) {
		fprintf(out, "\n  %-8s %-40s %8s %12s %12s %12s %12s %12s  %s\n", "op", "key",
			"count", "min", "avg", "p50", "p99", "max", "results");
		for (i = 0; i < st->nr_rows; i++)
			print_row(out, &st->rows[i]->lat);
	}
	print_pairing(st, out);
	if (!hist)
		return;
	for (i = 0; i < st->nr_rows; i++)
		print_hist(out, &st->rows[i]->lat);
}

/* ---- JSON ---- */

static void json_key(FILE *out, const char *k)
{
	tt_json_str(out, k, strlen(k));
	fputc(':', out);
}

static void json_lat(FILE *out, const struct trace_lat *l)
{
	static const char *const names[] = { "min_ps", "avg_ps", "p50_ps", "p99_ps", "max_ps" };
	const u64 v[] = { l->min, l->avg, l->p50, l->p99, l->max };
	unsigned int i, k;
	bool first = true;

	fputs("{\"op\":", out);
	tt_json_str(out, l->op, strlen(l->op));
	fputs(",\"key\":", out);
	tt_json_str(out, l->key, strlen(l->key));
	fprintf(out, ",\"count\":%llu,\"unfinished\":%llu", (unsigned long long)l->count,
		(unsigned long long)l->unfinished);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		fprintf(out, ",\"%s\":", names[i]);
		if (l->count)
			fprintf(out, "%llu", (unsigned long long)v[i]);
		else
			fputs("null", out);
	}
	fputs(",\"results\":{", out);
	for (i = 0; i < l->nr_results; i++) {
		fputs(i ? "," : "", out);
		json_key(out, l->results[i].name);
		fprintf(out, "%llu", (unsigned long long)l->results[i].count);
	}
	if (l->other_results)
		fprintf(out, "%s\"other\":%llu", l->nr_results ? "," : "",
			(unsigned long long)l->other_results);
	fputs("},\"hist\":[", out);
	for (k = 0; k < TRACE_LAT_BUCKETS; k++) {
		if (!l->hist[k])
			continue;
		fprintf(out, "%s{\"lo_ps\":%llu,\"hi_ps\":", first ? "" : ",",
			(unsigned long long)bucket_lo(k));
		/* The last bucket's bound is 2^64, past u64: written as a number anyway. */
		if (k == 64)
			fputs("18446744073709551616", out);
		else
			fprintf(out, "%llu", (unsigned long long)bucket_lo(k + 1));
		fprintf(out, ",\"count\":%llu}", (unsigned long long)l->hist[k]);
		first = false;
	}
	fputs("]}", out);
}

void trace_stats_json(const struct trace_stats *st, FILE *out)
{
	const struct tt_pair_counts *c = &st->pairing;
	unsigned int op;
	size_t i;

	fputs("{\"file\":", out);
	tt_json_str(out, st->path, strlen(st->path));
	fprintf(out, ",\"events\":%llu,\"first_ps\":%llu,\"last_ps\":%llu,\"counts\":[",
		(unsigned long long)st->nr_events, (unsigned long long)st->t_first,
		(unsigned long long)st->t_last);
	for (i = 0; i < st->nr_counts; i++) {
		fputs(i ? ",{\"source\":" : "{\"source\":", out);
		tt_json_str(out, st->counts[i].src, strlen(st->counts[i].src));
		fputs(",\"kind\":", out);
		tt_json_str(out, st->counts[i].kind, strlen(st->counts[i].kind));
		fprintf(out, ",\"count\":%llu}", (unsigned long long)st->counts[i].n);
	}
	fputs("],\"latency\":[", out);
	for (i = 0; i < st->nr_rows; i++) {
		fputs(i ? "," : "", out);
		json_lat(out, &st->rows[i]->lat);
	}
	fputs("],\"pairing\":{", out);
	for (op = 0; op < TT_NR_OPS; op++)
		fprintf(out, "%s\"%s\":{\"orphan_end\":%llu,\"dup_start\":%llu,"
			"\"unfinished\":%llu}", op ? "," : "", tt_op_name(op),
			(unsigned long long)c->orphan_end[op], (unsigned long long)c->dup_start[op],
			(unsigned long long)c->unfinished[op]);
	fputs("}}\n", out);
}
