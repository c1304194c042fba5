/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cooperative tasks: the execution model of driver-side code
 * (docs/tasks.md).
 *
 * Every kernel context the driver shim needs (a user process, the kworker,
 * the idle loop) is a task.  Tasks are coroutines on the simulator's thread
 * and exactly one of them runs at a time: it holds the baton until it
 * sleeps, yields or returns.  The run queue is FIFO and switches happen only
 * inside the calls below, so the same program always gives the same
 * interleaving.  When no task is runnable the idle task (the caller of
 * sched_run(), on its own stack) runs the event queue; event callbacks run
 * there and may wake tasks, but never sleep.
 *
 * The kernel's sleep pattern maps onto this as
 *
 *	task_prepare_wait(&w);		(set_current_state + add to queue)
 *	if (!condition)
 *		task_schedule_timeout(SIM_TIME_NEVER);
 *	task_finish_wait();
 *
 * A wake that arrives between the prepare and the schedule (from an
 * interrupt handler run at an interrupt point) sets the task back to
 * TASK_RUNNING, and the schedule then only yields: the wake is not lost.
 */
#ifndef CAPISIM_CORE_TASK_H
#define CAPISIM_CORE_TASK_H

#include "event.h"

/*
 * The x86-64 switch is a few lines of assembly in task.c; any other
 * architecture, or a build with -DTASK_UCONTEXT, uses swapcontext().
 */
#if defined(__x86_64__) && !defined(TASK_UCONTEXT)
#define TASK_SWITCH_ASM 1
struct task_ctx {
	void *sp;		/* the suspended task's stack pointer */
};
#else
#include <ucontext.h>
struct task_ctx {
	ucontext_t uc;
};
#endif

/* A node of the scheduler's intrusive, circular, doubly linked lists. */
struct task_link {
	struct task_link *next, *prev;
};

/*
 * A task's life.  Changed only by task_set_state() in task.c, which
 * refuses any other transition:
 *
 *	RUNNING -> INTERRUPTIBLE	it prepares to sleep, or sleeps
 *	INTERRUPTIBLE -> RUNNING	woken (by a wake, its timer, or itself)
 *	RUNNING -> DEAD			its function returned
 */
enum task_state {
	TASK_RUNNING,		/* holds the baton, or waits on the run queue for it */
	TASK_INTERRUPTIBLE,	/* prepared to sleep or asleep; not on the run queue */
	TASK_DEAD,		/* returned; freed by whoever runs next */
};

/* Something tasks sleep on; wakes go to the sleepers in the order they came. */
struct wait_obj {
	const char *name;		/* for deadlock reports */
	struct task_link waiters;	/* tasks, by wait_link, oldest first */
};

#define TASK_NAME_LEN 32

/*
 * A task.  The scheduler thread owns every field; users read @name, @id
 * and @arg (the shim keeps its per-task state behind @arg).  The task is
 * freed as soon as it has returned: do not keep pointers to it past that.
 */
struct task {
	struct task_ctx ctx;		/* saved registers while switched out */
	struct task_sched *sched;
	char name[TASK_NAME_LEN];
	u32 id;				/* 0 is the idle task, then creation order */
	enum task_state state;
	int (*fn)(void *arg);
	void *arg;
	struct task_link run_link;	/* on sched->runq while RUNNING, not current */
	struct task_link wait_link;	/* on @wait->waiters while INTERRUPTIBLE */
	struct task_link all_link;	/* on sched->tasks until reaped */
	struct wait_obj *wait;		/* what it sleeps on, NULL if none */
	struct sim_event timer;		/* wakes it at the deadline of a timed sleep */
	bool timed_out;			/* the timer ended the last sleep */
	void *stack;			/* above a PROT_NONE guard page; idle: see task.c */
	size_t stack_len;
	void *asan_fake_stack;		/* AddressSanitizer's, while switched out */
};

/*
 * One scheduler: its tasks, its run queue and its idle loop.  Used by one
 * OS thread, the simulator's, and there is no lock: another thread (a host
 * program's) must hand its requests over to that thread instead.
 */
struct task_sched {
	struct sim_queue *q;		/* the timeline the idle task runs */
	struct task idle;		/* the context of sched_run()'s caller */
	struct task *current;		/* holds the baton */
	struct task_link runq;		/* RUNNING tasks waiting for the baton, FIFO */
	struct task_link tasks;		/* every unreaped task but idle, by id */
	struct task *prev;		/* gave the baton up last; freed if it died */
	u64 yield_cost_ps;		/* simulated time a yield costs */
	size_t stack_size;		/* stack of task_create(..., 0) */
	u32 next_id;
	u32 nr_tasks;			/* unreaped tasks, idle excluded */
	bool stop;			/* sched_stop() was called */
};

#define TASK_STACK_DEFAULT (256 * 1024)
#define TASK_YIELD_COST_DEFAULT PS_PER_US

void sched_init(struct task_sched *s, struct sim_queue *q);
/* Free every task left (after a deadlock or a stop); not from inside sched_run(). */
void sched_exit(struct task_sched *s);

/*
 * Run tasks, and the event queue whenever none is runnable, until
 * every task has returned (0), sched_stop() was called (-EINTR; call again
 * to go on), or tasks wait with no task runnable and no event pending
 * (-EDEADLK, after a report naming what each waits on).  Events still
 * pending when the last task returns are left in the queue.
 */
int sched_run(struct task_sched *s);
/* Make sched_run() return as soon as the baton is back with the idle task. */
void sched_stop(struct task_sched *s);
/* Log every task and what it waits on, at LOG_ERR (deadlock and hang reports). */
void sched_dump(const struct task_sched *s);

/*
 * A new task, runnable (at the tail of the run queue) but not yet run.
 * @stack_size 0 means s->stack_size; a guard page sits below the stack.
 * NULL if out of memory.  What @fn returns is logged when the task is reaped.
 */
struct task *task_create(struct task_sched *s, const char *name,
			 int (*fn)(void *arg), void *arg, size_t stack_size);

/* The running task of this thread's sched_run(): the idle task in event callbacks, NULL outside. */
struct task *task_current(void);

/* Let the others run: sleep sched->yield_cost_ps of simulated time. */
void task_yield(void);
/* Sleep until simulated time @t (absolute ps); returns at once if it is past. */
void task_sleep_until(u64 t);

void wait_init(struct wait_obj *w, const char *name);
/* Sleep on @w until woken. */
void task_wait(struct wait_obj *w);
/* Sleep on @w until woken (0) or until simulated time @deadline (-ETIMEDOUT). */
int task_wait_timeout(struct wait_obj *w, u64 deadline);
/* Wake the oldest sleeper of @w; false if there was none. */
bool wake_one(struct wait_obj *w);
/* Wake every sleeper of @w in wait order; returns how many. */
unsigned int wake_all(struct wait_obj *w);
/* Wake @t if it sleeps (on anything, or on a timer); false if it did not. */
bool task_wake(struct task *t);

/* The kernel-style sleep, in pieces (see the top of this file). */
void task_prepare_wait(struct wait_obj *w);
/*
 * Sleep until woken (0) or @deadline (-ETIMEDOUT; SIM_TIME_NEVER for
 * none).  If the task was woken since task_prepare_wait() it only yields.
 */
int task_schedule_timeout(u64 deadline);
void task_finish_wait(void);

#endif
