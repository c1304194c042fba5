/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Execution and time across the shim's two sides (docs/shim-sched.md).
 * Builtin C types only: both the kernel side (-nostdinc, shim headers)
 * and the host side (glibc, sim/) include this file.
 *
 * hsched_*() are the host side (hsched.c): kernel tasks as sim/core/task.h
 * tasks of kshim_world.sched, simulated time, the log.  kshim_*() are the
 * kernel side (driver_shim/kernel/), callable from host code: the harness,
 * the co-simulation glue and event callbacks (kshim_irq_raise() only).
 */
#ifndef KSHIM_HOST_HSCHED_H
#define KSHIM_HOST_HSCHED_H

/* --- Host side, called by the kernel side. --- */

/*
 * A new task, runnable but not yet run, with a zeroed private area of
 * @priv_size bytes that lives until @fn returns.  @fn gets the area.
 * Returns the area, or NULL if out of memory.
 */
void *hsched_spawn(const char *name, int (*fn)(void *priv), unsigned long priv_size);
/* The private area of the running task; NULL on the idle task and outside a run. */
void *hsched_current(void);
/* Simulated time, in picoseconds. */
unsigned long long hsched_now(void);
/*
 * The CPU stays busy for @ps: events run, no other task does.  From a
 * task, or outside a run; never from an event callback.
 */
void hsched_busy(unsigned long long ps);
/*
 * The kernel's sleep, in three calls (sim/core/task.h): prepare marks the
 * running task asleep on its own wait object, which reports call @what;
 * schedule gives the CPU up until woken or @deadline (absolute ps,
 * ~0ULL for none; returns 0, or -ETIMEDOUT), or only yields if the task
 * was woken since the prepare; finish marks it running.
 */
void hsched_prepare(const char *what);
int hsched_schedule(unsigned long long deadline);
void hsched_finish(void);
/* Sleep until simulated time @t, whatever wakes the task meanwhile. */
void hsched_sleep_until(unsigned long long t);
/* End the sleep of the task owning @priv; 0 if it was not asleep. */
int hsched_wake(void *priv);
/* One line to the log at kernel log level @level (0 emerg .. 7 debug). */
void hsched_log(int level, const char *line);
/* Log every task and what it waits on. */
void hsched_dump(void);
/*
 * The same, from a task that finds the others deadlocked and is one of
 * them: it is shown waiting on @what, not running.
 */
void hsched_dump_waiting(const char *what);
/* Flush the log and abort: a BUG ends the co-simulation. */
__attribute__((noreturn)) void hsched_die(void);
/*
 * Run the tasks until all have returned (0), none can run and no event
 * is pending (-EDEADLK), or @limit ps of simulated time have passed
 * (-ETIMEDOUT; 0 for no limit).  With a limit, a deadlock is found when
 * the limit's event fires with nothing else pending, so time has moved
 * to the limit.  Deadlock and time-limit reports name every task and
 * what it waits on.
 */
int hsched_run(unsigned long long limit);
/* Free what tasks that never returned left (after world_exit(), before reuse). */
void hsched_reset(void);

/* --- Kernel side, called by host code. --- */

/*
 * Reset the kernel side's execution state: tasks, pending interrupts, RCU
 * callbacks, work, lock classes and check counters.  Call after
 * world_init(), before creating tasks.
 */
void kshim_sched_init(void);

/*
 * A kernel task (a test "process") running @fn(@arg) in process context;
 * it gets the next pid, with tgid == pid and no mm.  Returns its struct
 * task_struct (as void *), valid until @fn returns; NULL if out of memory.
 */
void *kshim_task_create(const char *name, int (*fn)(void *arg), void *arg);
/* Raise TIF_SIGPENDING on @task and wake it from an interruptible sleep. */
void kshim_task_signal(void *task);

/*
 * Run until every task from kshim_task_create() has returned, with the
 * CPU's own tasks alongside: "idle/0" delivers interrupts when nothing
 * else runs, "kworker/0:1" runs work items.  At the end the work queue,
 * RCU callbacks and pending interrupts are drained.  Returns as
 * hsched_run(); @limit ps of simulated time, 0 for none.
 */
int kshim_run(unsigned long long limit);

/*
 * Queue interrupt @virq (a Linux irq number; a second raise while it is
 * pending adds nothing, as for an edge-triggered MSI).  It is delivered
 * in hard-IRQ context at the next interrupt point of the running task
 * with interrupts enabled, or by idle/0 when no task runs, through
 * kshim_irq_dispatch().  Called from event callbacks.
 */
void kshim_irq_raise(unsigned int virq);
/* Implemented by the IRQ layer (driver_shim/kernel/irq.c): run @virq's handler. */
void kshim_irq_dispatch(unsigned int virq);

/*
 * The runtime's checks.  Each report names the task and the call site;
 * each is counted, and a run passes only if every count equals what the
 * test declared with kshim_expect() (0 by default).
 */
enum kshim_check {
	KSHIM_CHECK_WARN,		/* a WARN*() fired */
	KSHIM_CHECK_SLEEP_ATOMIC,	/* slept with interrupts off, in an IRQ or RCU section */
	KSHIM_CHECK_SLEEP_SPINLOCK,	/* slept holding a spinlock */
	KSHIM_CHECK_DOUBLE_UNLOCK,	/* released a lock nobody held */
	KSHIM_CHECK_FOREIGN_UNLOCK,	/* released a lock another task holds */
	KSHIM_CHECK_IRQ_UNBALANCED,	/* interrupt restore not matching the innermost save */
	KSHIM_CHECK_RCU_UNBALANCED,	/* rcu_read_unlock() outside a read section */
	KSHIM_CHECK_LOCK_ORDER,		/* two lock classes taken in both orders */
	KSHIM_CHECK_EXIT_HELD,		/* returned holding a lock, or with IRQs or RCU off */
	KSHIM_NR_CHECKS,
};

unsigned int kshim_check_count(int check);
/* The check's name as its reports print it ("sleep-holding-spinlock"), or NULL. */
const char *kshim_check_name(int check);
/* The test expects @n more reports of @check. */
void kshim_expect(int check, unsigned int n);
/* Log each check whose count differs from its expectation; returns how many differ. */
int kshim_check_verdict(void);

#endif
