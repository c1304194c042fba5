// SPDX-License-Identifier: GPL-2.0
/*
 * The driver's own record of a run (drvtrace.h): each tracepoint becomes
 * a drv.<tracepoint> event whose fields are its TP_printk() arguments,
 * after the pid and comm of the task that hit it, and each printk line a
 * drv.printk event (docs/trace-format.md, "Event kinds").  A tracepoint
 * field of the same name as those two is called tp_pid or tp_comm.  Tracepoints
 * are counted too, for the status file: contexts attached, faults served.
 */
#define pr_fmt(fmt) "libcxl: " fmt

#include <stdio.h>
#include <string.h>

#include "drvtrace.h"
#include "lx.h"

/* Distinct tracepoints kept; the cxl driver has about thirty. */
#define DRV_MAX_KINDS	48
#define DRV_KIND_NAME	"drv."
#define DRV_SCHEMA_LEN	(32 + LXD_MAX_FIELDS * (TRACE_MAX_NAME + 12))

/*
 * One tracepoint seen, with its kind, made at its first hit from its
 * fields (a tracepoint's format never changes).  @kind stays valid while
 * any trace runs: kinds are never removed, only the counts reset.
 */
struct drv_kind {
	char name[TRACE_MAX_NAME + 1];		/* "drv.cxl_attach" */
	char schema[DRV_SCHEMA_LEN];
	struct trace_kind kind;
	unsigned int nr_fields;
	u64 hits;				/* since lx_drv_reset() */
};

/*
 * The tracepoints seen and the counts for the status.  Simulator thread
 * only (kernel code calls in), and the program threads after it ended.
 */
static struct {
	struct drv_kind kinds[DRV_MAX_KINDS];
	unsigned int nr;
	u64 tfc_ae;		/* cxl_psl_irq_ack answering a fault with AE */
	u64 bugs;
	bool full_warned;
} drv;

static struct trace_source drv_src = TRACE_SOURCE("driver");
static struct trace_kind tk_printk =
	TRACE_KIND("drv.printk", TRACE_LVL_DEFAULT, "pid:u64 comm:str level:u64 text:str");

static const char *const lxd_type_names[] = {
	[LXD_U64] = "u64", [LXD_S64] = "s64", [LXD_STR] = "str",
};

static struct drv_kind *kind_find(const char *tp)
{
	unsigned int i;

	for (i = 0; i < drv.nr; i++)
		if (!strcmp(drv.kinds[i].name + strlen(DRV_KIND_NAME), tp))
			return &drv.kinds[i];
	return NULL;
}

/* A new kind for @tp from its fields; NULL if the table is full or the name too long. */
static struct drv_kind *kind_add(const char *tp, const struct lxd_field *f, unsigned int nr)
{
	struct drv_kind *k;
	unsigned int i;
	size_t len;

	if (drv.nr == DRV_MAX_KINDS ||
	    strlen(DRV_KIND_NAME) + strlen(tp) > TRACE_MAX_NAME) {
		if (!drv.full_warned)
			pr_warn("tracepoint %s: not recorded (no room)\n", tp);
		drv.full_warned = true;
		return NULL;
	}
	k = &drv.kinds[drv.nr++];
	snprintf(k->name, sizeof(k->name), DRV_KIND_NAME "%s", tp);
	len = snprintf(k->schema, sizeof(k->schema), "pid:u64 comm:str");
	for (i = 0; i < nr; i++) {
		bool taken = !strcmp(f[i].name, "pid") || !strcmp(f[i].name, "comm");

		len += snprintf(k->schema + len, sizeof(k->schema) - len, " %s%s:%s",
				taken ? "tp_" : "", f[i].name, lxd_type_names[f[i].type]);
	}
	k->nr_fields = nr;
	k->kind = (struct trace_kind)TRACE_KIND(k->name, TRACE_LVL_DEFAULT, k->schema);
	return k;
}

/* Does the tfc of cxl_psl_irq_ack ("A|AE", "R") name AE? */
static bool tfc_has_ae(const struct lxd_field *f, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		const char *t;

		if (f[i].type != LXD_STR || strcmp(f[i].name, "tfc"))
			continue;
		for (t = f[i].s; t; t = strchr(t, '|'), t = t ? t + 1 : NULL)
			if (!strncmp(t, "AE", 2) && (t[2] == '|' || !t[2]))
				return true;
	}
	return false;
}

/* The event's context: the process element the tracepoint names, if any. */
static u32 field_pe(const struct lxd_field *f, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (f[i].type != LXD_STR && !strcmp(f[i].name, "pe"))
			return (u32)f[i].u;
	return TRACE_CTX_NONE;
}

static void emit(struct drv_kind *k, int pid, const char *comm, const struct lxd_field *f,
		 unsigned int nr)
{
	struct trace_arg a[LXD_MAX_FIELDS + 2];
	unsigned int i;

	a[0] = TRACE_U(pid);
	a[1] = TRACE_STR(comm);
	for (i = 0; i < nr; i++)
		a[i + 2] = f[i].type == LXD_STR ? TRACE_STR(f[i].s) :
			   f[i].type == LXD_S64 ? TRACE_S(f[i].u) : TRACE_U(f[i].u);
	trace_emit_args(&k->kind, &drv_src, field_pe(f, nr), a, nr + 2);
}

void lx_drv_tracepoint(const char *tp, int pid, const char *comm, const struct lxd_field *f,
		       unsigned int nr)
{
	struct drv_kind *k = kind_find(tp);

	if (!k)
		k = kind_add(tp, f, nr);
	if (!k)
		return;
	k->hits++;
	if (!strcmp(tp, "cxl_psl_irq_ack") && tfc_has_ae(f, nr))
		drv.tfc_ae++;
	if (trace_enabled(k->kind.level) && nr == k->nr_fields)
		emit(k, pid, comm, f, nr);
}

void lx_drv_printk(int pid, const char *comm, int level, const char *text)
{
	trace_emit(&tk_printk, &drv_src, TRACE_CTX_NONE, TRACE_U(pid), TRACE_STR(comm),
		   TRACE_U(level), TRACE_STR(text));
}

void lx_drv_die(void)
{
	drv.bugs++;
	lx_emergency();
}

u64 lx_drv_hits(const char *tp)
{
	struct drv_kind *k = kind_find(tp);

	return k ? k->hits : 0;
}

u64 lx_drv_tfc_ae(void)
{
	return drv.tfc_ae;
}

u64 lx_drv_bugs(void)
{
	return drv.bugs;
}

void lx_drv_reset(void)
{
	unsigned int i;

	for (i = 0; i < drv.nr; i++)
		drv.kinds[i].hits = 0;
	drv.tfc_ae = 0;
	drv.bugs = 0;
}
