// SPDX-License-Identifier: GPL-2.0
/*
 * The host half of the shim's execution model: kernel tasks are tasks of
 * kshim_world.sched (sim/core/task.h), and kernel code sees simulated time
 * and the log only through the builtin-typed calls of hsched.h.
 */
#define pr_fmt(fmt) "kshim-sched: " fmt

#include <errno.h>
#include <stdlib.h>

#include "core/log.h"
#include "host/hsched.h"
#include "host/world.h"

/*
 * What the host keeps per kernel task: its own wait object, so that
 * reports name what the kernel side says it waits on, and the kernel
 * side's private area.  Owned by the simulation thread.
 */
struct hsched_task {
	struct task *task;
	struct wait_obj wait;
	int (*fn)(void *priv);
	struct hsched_task *next;	/* on hsched_leftovers while its task lives */
	struct hsched_task **pprev;
	unsigned long long priv[];	/* the kernel side's area, aligned for anything */
};

/*
 * Every hsched_task whose function has not returned.  A task left asleep
 * by a deadlock or a time limit is freed by sched_exit() without running
 * to its end, so its record is freed from here by hsched_reset().  Only
 * the simulation thread touches it.
 */
static struct hsched_task *hsched_leftovers;

/* What the time limit's event found when it fired. */
enum hsched_limit_end {
	HSCHED_LIMIT_NONE,	/* it has not fired */
	HSCHED_LIMIT_HIT,	/* time ran out */
	HSCHED_LIMIT_DEADLOCK,	/* it was the only event left, with every task asleep */
};

/*
 * The time limit of the current hsched_run(): its event, pending only
 * during the run, and what it found.  Simulation thread only.
 */
static struct sim_event hsched_limit_ev;
static enum hsched_limit_end hsched_limit_end;

static struct hsched_task *to_htask(void *priv)
{
	return container_of((unsigned long long *)priv, struct hsched_task, priv[0]);
}

static void htask_unlink(struct hsched_task *ht)
{
	*ht->pprev = ht->next;
	if (ht->next)
		ht->next->pprev = ht->pprev;
}

static int htask_main(void *arg)
{
	struct hsched_task *ht = arg;
	int ret = ht->fn(ht->priv);

	htask_unlink(ht);
	free(ht);
	return ret;
}

void *hsched_spawn(const char *name, int (*fn)(void *priv), unsigned long priv_size)
{
	struct hsched_task *ht = calloc(1, sizeof(*ht) + priv_size);

	if (!ht)
		return NULL;
	ht->fn = fn;
	wait_init(&ht->wait, "nothing");
	ht->task = task_create(&kshim_world.sched, name, htask_main, ht, 0);
	if (!ht->task) {
		free(ht);
		return NULL;
	}
	ht->next = hsched_leftovers;
	if (ht->next)
		ht->next->pprev = &ht->next;
	ht->pprev = &hsched_leftovers;
	hsched_leftovers = ht;
	return ht->priv;
}

void *hsched_current(void)
{
	struct task *t = task_current();

	if (!t || t == &t->sched->idle)
		return NULL;
	return ((struct hsched_task *)t->arg)->priv;
}

unsigned long long hsched_now(void)
{
	return simq_now(&kshim_world.q);
}

/*
 * Busy time runs the queue right here, on the running task's stack: no
 * simq_run_*() call is active while a task runs (the idle loop only calls
 * simq_step() between switches), so this does not nest.  An event
 * callback runs on the idle task, inside simq_step(): it must not.  A
 * time limit reached meanwhile still ends the run: the task yields, and
 * the stopped scheduler hands the CPU back to sched_run()'s caller.
 */
void hsched_busy(unsigned long long ps)
{
	struct task *t = task_current();

	if (t && t == &t->sched->idle) {
		pr_err("BUG: kernel code spent time in an event callback\n");
		hsched_die();
	}
	simq_run_until(&kshim_world.q, simq_now(&kshim_world.q) + ps);
	if (t && hsched_limit_end != HSCHED_LIMIT_NONE)
		task_yield();
}

void hsched_prepare(const char *what)
{
	struct hsched_task *ht = task_current()->arg;

	ht->wait.name = what;
	task_prepare_wait(&ht->wait);
}

int hsched_schedule(unsigned long long deadline)
{
	return task_schedule_timeout(deadline);
}

void hsched_finish(void)
{
	task_finish_wait();
}

void hsched_sleep_until(unsigned long long t)
{
	task_sleep_until(t);
}

int hsched_wake(void *priv)
{
	return task_wake(to_htask(priv)->task);
}

void hsched_log(int level, const char *line)
{
	static const enum log_level levels[] = {
		LOG_ERR, LOG_ERR, LOG_ERR, LOG_ERR, LOG_WARN, LOG_NOTICE, LOG_INFO, LOG_DEBUG,
	};

	log_printf(levels[level < 0 || level > 7 ? 4 : level], "%s", line);
}

void hsched_dump(void)
{
	sched_dump(&kshim_world.sched);
}

void hsched_dump_waiting(const char *what)
{
	struct hsched_task *ht = task_current()->arg;
	const char *was = ht->wait.name;

	ht->wait.name = what;
	task_prepare_wait(&ht->wait);
	sched_dump(&kshim_world.sched);
	task_finish_wait();
	ht->wait.name = was;
}

void hsched_die(void)
{
	fflush(NULL);
	abort();
}

/*
 * The limit's event keeps the queue from ever being empty, which is how
 * the task layer recognises a deadlock, so the event looks for one itself:
 * the idle task steps events only when no task is runnable, and if nothing
 * else is pending, no timer, interrupt or model event can wake a task
 * again.  Time has moved to the limit meanwhile, and nothing else has.
 */
static bool hsched_deadlocked(void)
{
	struct task_sched *s = &kshim_world.sched;

	return task_current() == &s->idle && simq_next_time(&kshim_world.q) == SIM_TIME_NEVER;
}

static void hsched_limit(void *arg)
{
	struct task_sched *s = &kshim_world.sched;

	if (hsched_deadlocked()) {
		pr_err("deadlock: %u task%s asleep, none runnable, no event pending but the "
		       "time limit\n", s->nr_tasks, s->nr_tasks == 1 ? "" : "s");
		hsched_limit_end = HSCHED_LIMIT_DEADLOCK;
	} else {
		pr_err("time limit reached; the tasks:\n");
		hsched_limit_end = HSCHED_LIMIT_HIT;
	}
	sched_dump(s);
	sched_stop(s);
}

int hsched_run(unsigned long long limit)
{
	int ret;

	hsched_limit_end = HSCHED_LIMIT_NONE;
	sim_event_init(&hsched_limit_ev, "time limit", hsched_limit, NULL);
	if (limit && sim_schedule_in(&kshim_world.q, &hsched_limit_ev, limit))
		return -EINVAL;
	ret = sched_run(&kshim_world.sched);
	sim_cancel(&kshim_world.q, &hsched_limit_ev);
	switch (hsched_limit_end) {
	case HSCHED_LIMIT_HIT:
		return -ETIMEDOUT;
	case HSCHED_LIMIT_DEADLOCK:
		return -EDEADLK;
	case HSCHED_LIMIT_NONE:
		break;
	}
	return ret;
}

void hsched_reset(void)
{
	while (hsched_leftovers) {
		struct hsched_task *ht = hsched_leftovers;

		htask_unlink(ht);
		free(ht);
	}
}
