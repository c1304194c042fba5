/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault points: named places where a fault-injection engine may perturb
 * the model (an MMIO response, an SPA completion, a DSISR value, an
 * interrupt delivery, an error bit).  A point is declared once, in static
 * storage, next to the code it guards:
 *
 *	INJECT_POINT(ip_spa_done, "psl.spa.complete",
 *		     "the SPA status word the PSL writes", INJECT_DROP | INJECT_VALUE);
 *
 *	struct inject_action act;
 *
 *	if (inject_check(&ip_spa_done, &act) && act.kind == INJECT_KIND_DROP)
 *		return;
 *
 * inject_check() costs one load and one compare while the point is not
 * armed.  Declared points are collected by the linker, so an engine can
 * find them by name (inject_find) without any init-time registration.
 *
 * Honest status: no engine exists yet.  Nothing arms a point in a normal
 * run, so every check answers "no fault".  inject_arm() is the primitive
 * the engine will drive (it will add schedules, probabilities and seeds);
 * today only tests call it.
 */
#ifndef CAPISIM_INJECT_INJECT_H
#define CAPISIM_INJECT_INJECT_H

#include "core/types.h"

/* What a fired point asks its site to do. */
enum inject_kind {
	INJECT_KIND_NONE,
	INJECT_KIND_DROP,	/* the action does not happen */
	INJECT_KIND_VALUE,	/* use @value instead of the real value */
	INJECT_KIND_XOR,	/* flip the bits set in @value */
	INJECT_KIND_DELAY,	/* happen @delay ps later */
};

/* The kinds a site honours, as a mask for INJECT_POINT. */
#define INJECT_DROP	(1U << INJECT_KIND_DROP)
#define INJECT_VALUE	(1U << INJECT_KIND_VALUE)
#define INJECT_XOR	(1U << INJECT_KIND_XOR)
#define INJECT_DELAY	(1U << INJECT_KIND_DELAY)

struct inject_action {
	enum inject_kind kind;
	u64 value;		/* INJECT_KIND_VALUE, INJECT_KIND_XOR */
	u64 delay;		/* INJECT_KIND_DELAY, ps */
};

/*
 * One fault point, in static storage.  @armed is the fast-path test: the
 * number of checks still to fire.  Only the simulation thread touches a
 * point; inject.c owns every field but @name, @what and @kinds.
 */
struct inject_point {
	const char *name;		/* "psl.spa.complete" */
	const char *what;		/* one line for listings */
	unsigned int kinds;		/* INJECT_DROP | ...: what the site honours */
	u32 armed;
	struct inject_action act;	/* what the armed checks return */
	u64 nr_fired;
};

/*
 * Declare point @var.  A pointer to it goes into the "capisim_inject"
 * section, where inject_find() looks.  The variable stays file-local.
 */
#define INJECT_POINT(var, nm, wh, k)						\
	static struct inject_point var = { .name = (nm), .what = (wh), .kinds = (k) }; \
	static struct inject_point *const var##_entry				\
		__attribute__((used, section("capisim_inject"))) = &var

bool inject_fire(struct inject_point *pt, struct inject_action *act);

/*
 * True when @pt fires now; @act then says how to perturb.  False (with
 * @act untouched) whenever the point is not armed: one load, one compare.
 */
static inline bool inject_check(struct inject_point *pt, struct inject_action *act)
{
	if (likely(!pt->armed))
		return false;
	return inject_fire(pt, act);
}

/* Apply a VALUE or XOR action to @v; other kinds leave it. */
static inline u64 inject_apply(const struct inject_action *act, u64 v)
{
	if (act->kind == INJECT_KIND_VALUE)
		return act->value;
	if (act->kind == INJECT_KIND_XOR)
		return v ^ act->value;
	return v;
}

/* The point named @name among those linked into this program, or NULL. */
struct inject_point *inject_find(const char *name);

/* Every point linked in, for listings; calls @fn on each. */
void inject_for_each(void (*fn)(struct inject_point *pt, void *arg), void *arg);

/*
 * Make the next @count checks of @pt fire with @act.  Returns 0, or
 * -EINVAL if the site does not honour @act->kind.  @count 0 disarms.
 */
int inject_arm(struct inject_point *pt, const struct inject_action *act, u32 count);

/* Disarm every point. */
void inject_disarm_all(void);

#endif
