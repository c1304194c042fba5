/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the execution-and-time files of the kernel side share (sched.c,
 * sync.c, wait.c, workqueue.c, rcu.c, time.c, printk.c, trace.c): the
 * runtime's per-task state behind `current`, and the checks.
 *
 * The entry points the driver calls are wrapped by macros that record the
 * call site (kshim_at() in kshim/kernel.h); their definitions here write
 * the name in parentheses, (spin_lock)(...), so the macro stays out.
 */
#ifndef _KSHIM_KERNEL_KSCHED_H
#define _KSHIM_KERNEL_KSCHED_H

#include <kshim/kshim.h>

#include "../host/hsched.h"

#define KSHIM_MAX_HELD		16
#define KSHIM_WAITS_ON_LEN	96
#define KSHIM_TIME_NEVER	(~0ULL)
#define KSHIM_PS_PER_NS		1000ULL
#define KSHIM_PS_PER_US		1000000ULL
#define KSHIM_PS_PER_MS		1000000000ULL

/* A lock a task holds, in the order taken. */
struct kshim_held {
	const void *lock;
	const char *name;
	int cls;			/* lock-order class, -1 if the graph is full */
	bool mutex;
	struct kshim_site site;		/* where it was taken */
};

/*
 * The runtime's view of one kernel context, around the task_struct the
 * driver sees as `current`.  Lives in the host task's private area (or is
 * kshim_init_task); only code running as this task touches the fields
 * below the task_struct, except that wakers read ts.__state.
 */
struct kshim_task {
	struct task_struct ts;
	int (*fn)(void *arg);
	void *arg;
	struct pid *pid;		/* the task's reference */
	bool daemon;			/* idle/0 or the kworker, not a test process */
	unsigned int irq_off;		/* local_irq_save() depth: IRQs masked while > 0 */
	bool hardirq;			/* running an interrupt handler */
	bool softirq;			/* running RCU callbacks */
	unsigned int rcu_depth;		/* rcu_read_lock() depth */
	unsigned int irq_held_base;	/* held[] below this belong to the interrupted code */
	unsigned int nr_held;
	struct kshim_held held[KSHIM_MAX_HELD];
	char waits_on[KSHIM_WAITS_ON_LEN];	/* what it sleeps on, for reports */
};

/* `current` outside any task (before the first run, between runs): pid 0. */
extern struct kshim_task kshim_init_task;

static inline struct kshim_task *kshim_task_of(struct task_struct *ts)
{
	return container_of(ts, struct kshim_task, ts);
}

static inline struct kshim_task *kshim_cur(void)
{
	return kshim_task_of(get_current());
}

/* Reports (printk.c). */
const char *kshim_site_str(struct kshim_site site, char *buf, size_t len);
__printf(3, 4) void kshim_report(enum kshim_check check, struct kshim_site site,
				 const char *fmt, ...);
__printf(2, 3) __noreturn void kshim_die(struct kshim_site site, const char *fmt, ...);
void kshim_checks_reset(void);

/* Tasks and sleeping (sched.c). */
struct kshim_task *kshim_task_new(const char *name, int (*fn)(void *arg), void *arg,
				  bool daemon);
/* Report if the running task may not sleep here; @what names the call. */
void kshim_might_sleep(const char *what, struct kshim_site site);
/*
 * The kernel's sleep: kshim_prepare() sets the running task's state
 * (TASK_INTERRUPTIBLE or TASK_UNINTERRUPTIBLE; @fmt says what it waits
 * on, for reports) after the caller queued it where a waker finds it;
 * kshim_sleep() gives the CPU up until woken or @deadline (0, or
 * -ETIMEDOUT), or only yields if it was woken already; kshim_finish()
 * sets it running.  kshim_sleep() is a context switch: interrupts and RCU
 * callbacks are served first.  It does not check the context: callers do,
 * with kshim_might_sleep().
 */
__printf(2, 3) void kshim_prepare(unsigned int state, const char *fmt, ...);
int kshim_sleep(unsigned long long deadline);
void kshim_finish(void);
/* Sleep, uninterruptible, until simulated time @t. */
void kshim_sleep_until(unsigned long long t);
/* Wake @kt if its state matches @mode (TASK_* bits); true if it was woken. */
bool kshim_wake(struct kshim_task *kt, unsigned int mode);
/* idle/0 should look again: the kworker left, or the run is ending. */
void kshim_idle_kick(void);
/*
 * An interrupt point: deliver the pending interrupts if the running task
 * can take them (a task, not in an interrupt, interrupts enabled).
 */
void kshim_irq_point(void);

/* Locks held (sync.c). */
void kshim_locks_reset(void);
/*
 * Report and release what the running task still holds above held[@base]
 * (locks, interrupts off, RCU read sections down to @rcu_depth), as
 * @who returns: a task's function, or an interrupt handler.
 */
void kshim_release_held(unsigned int base, unsigned int irq_off, unsigned int rcu_depth,
			const char *who);

/* Time (time.c). */
/* Bring jiffies up to simulated time. */
void kshim_clock_sync(void);

/* RCU (rcu.c): run the callbacks whose grace period a context switch ends. */
void kshim_rcu_qs(void);
bool kshim_rcu_pending(void);
void kshim_rcu_reset(void);

/* The kworker (workqueue.c). */
int kshim_workqueue_start(void);
void kshim_workqueue_stop(void);
bool kshim_workqueue_alive(void);
void kshim_workqueue_reset(void);

#endif
