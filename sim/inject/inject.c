// SPDX-License-Identifier: GPL-2.0
/*
 * Fault points: lookup by name over the linker-collected section, arming,
 * and the slow path of inject_check().  See inject.h for what exists and
 * what does not (the engine).
 */
#define pr_fmt(fmt) "inject: " fmt

#include <errno.h>
#include <string.h>

#include "core/log.h"
#include "inject/inject.h"
#include "trace/trace.h"

/* The linker defines these around the section when at least one point is linked. */
extern struct inject_point *const __start_capisim_inject[] __attribute__((weak));
extern struct inject_point *const __stop_capisim_inject[] __attribute__((weak));

/* The trace source of every fired point; registered by trace.c on first use. */
static struct trace_source inject_tsrc = TRACE_SOURCE("inject");
static struct trace_kind tk_fire =
	TRACE_KIND("inject.fire", TRACE_LVL_DEFAULT, "point:str kind:u64 value:u64 delay:u64");

bool inject_fire(struct inject_point *pt, struct inject_action *act)
{
	pt->armed--;
	pt->nr_fired++;
	*act = pt->act;
	pr_debug("%s fires: kind %d value 0x%llx delay %llu ps\n", pt->name, act->kind,
		 (unsigned long long)act->value, (unsigned long long)act->delay);
	trace_emit(&tk_fire, &inject_tsrc, TRACE_CTX_NONE, TRACE_STR(pt->name),
		   TRACE_U(act->kind), TRACE_U(act->value), TRACE_U(act->delay));
	return true;
}

void inject_for_each(void (*fn)(struct inject_point *pt, void *arg), void *arg)
{
	struct inject_point *const *p;

	if (!__start_capisim_inject)
		return;
	for (p = __start_capisim_inject; p < __stop_capisim_inject; p++)
		fn(*p, arg);
}

struct find_arg {
	const char *name;
	struct inject_point *found;
};

static void find_one(struct inject_point *pt, void *arg)
{
	struct find_arg *f = arg;

	if (!f->found && !strcmp(pt->name, f->name))
		f->found = pt;
}

struct inject_point *inject_find(const char *name)
{
	struct find_arg f = { .name = name };

	inject_for_each(find_one, &f);
	return f.found;
}

int inject_arm(struct inject_point *pt, const struct inject_action *act, u32 count)
{
	if (count && (act->kind == INJECT_KIND_NONE || !(pt->kinds & (1U << act->kind))))
		return -EINVAL;
	pt->act = *act;
	pt->armed = count;
	return 0;
}

static void disarm_one(struct inject_point *pt, void *arg)
{
	pt->armed = 0;
}

void inject_disarm_all(void)
{
	inject_for_each(disarm_one, NULL);
}
