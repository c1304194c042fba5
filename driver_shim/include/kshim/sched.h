/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tasks, pids, wait queues, work items and time.
 *
 * Every kernel context (a test process, the kworker, the idle task) is a
 * runtime task that embeds a struct task_struct; `current` is the running
 * one.  Time is simulated: jiffies, msleep(), local_clock() and mftb() all
 * derive from the simulator's clock (driver_shim/kernel/time.c).
 */
#ifndef _KSHIM_SCHED_H
#define _KSHIM_SCHED_H

#include <kshim/types.h>
#include <kshim/kernel.h>
#include <kshim/list.h>
#include <kshim/sync.h>

struct mm_struct;

/* Task states (values as in the kernel). */
#define TASK_RUNNING		0x0000
#define TASK_INTERRUPTIBLE	0x0001
#define TASK_UNINTERRUPTIBLE	0x0002
#define TASK_NORMAL		(TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)

/* thread_info.flags bits, numbered as on powerpc. */
#define TIF_SIGPENDING		1
#define TIF_32BIT		20

struct thread_info {
	unsigned long flags;
};

struct thread_struct {
	unsigned long tidr;	/* POWER9 thread id; always 0 on POWER8 */
};

#define TASK_COMM_LEN		16

struct task_struct {
	struct thread_info thread_info;
	unsigned int __state;
	pid_t pid;
	pid_t tgid;
	struct mm_struct *mm;
	struct thread_struct thread;
	char comm[TASK_COMM_LEN];
};

struct task_struct *get_current(void);
#define current get_current()

static inline bool test_tsk_thread_flag(struct task_struct *tsk, int flag)
{
	return test_bit(flag, &tsk->thread_info.flags);
}

/* The harness raises TIF_SIGPENDING to interrupt a blocking call. */
static inline bool signal_pending(struct task_struct *p)
{
	return test_tsk_thread_flag(p, TIF_SIGPENDING);
}

/* Give up the CPU; from TASK_RUNNING this is a yield costing simulated time. */
void schedule(void);
#define schedule()	kshim_at(schedule())

/* Reference-counted pid objects. */
struct pid;

enum pid_type {
	PIDTYPE_PID,
	PIDTYPE_TGID,
	PIDTYPE_PGID,
	PIDTYPE_SID,
	PIDTYPE_MAX,
};

struct pid *get_task_pid(struct task_struct *task, enum pid_type type);
void put_pid(struct pid *pid);
pid_t pid_nr(struct pid *pid);

/* Wait queues. */
struct wait_queue_entry;
typedef int (*wait_queue_func_t)(struct wait_queue_entry *wq_entry, unsigned int mode,
				 int flags, void *key);

/* wait_queue_entry.flags: __wake_up() counts only these against nr_exclusive. */
#define WQ_FLAG_EXCLUSIVE	0x01

struct wait_queue_entry {
	unsigned int flags;
	void *private;		/* the waiting task */
	wait_queue_func_t func;
	struct list_head entry;
};

typedef struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
} wait_queue_head_t;

#define init_waitqueue_head(wq)	kshim_init_waitqueue_head(wq, #wq)

static inline void kshim_init_waitqueue_head(struct wait_queue_head *wq, const char *name)
{
	kshim_spin_lock_init(&wq->lock, name);
	INIT_LIST_HEAD(&wq->head);
}

/* Wakes the entry's task and removes the entry from its queue. */
int autoremove_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode,
			     int sync, void *key);

#define DEFINE_WAIT_FUNC(name, function) \
	struct wait_queue_entry name = { \
		.private = current, \
		.func = function, \
		.entry = LIST_HEAD_INIT((name).entry), \
	}
#define DEFINE_WAIT(name)	DEFINE_WAIT_FUNC(name, autoremove_wake_function)

void prepare_to_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry,
		     int state);
#define prepare_to_wait(wq_head, wq_entry, state) \
	kshim_at(prepare_to_wait(wq_head, wq_entry, state))
void finish_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
/* Wakes up to nr_exclusive exclusive waiters (0: all) in the given states. */
void __wake_up(struct wait_queue_head *wq_head, unsigned int mode, int nr_exclusive,
	       void *key);

#define wake_up(wq)		__wake_up(wq, TASK_NORMAL, 1, NULL)
#define wake_up_all(wq)		__wake_up(wq, TASK_NORMAL, 0, NULL)
#define wake_up_interruptible(wq) __wake_up(wq, TASK_INTERRUPTIBLE, 1, NULL)

/* Deferred work, run by the runtime's kworker task. */
struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	atomic_long_t data;	/* runtime state: pending or not */
	struct list_head entry;
	work_func_t func;
};

#define INIT_WORK(work, fn)	kshim_init_work(work, fn)

static inline void kshim_init_work(struct work_struct *work, work_func_t func)
{
	atomic_long_set(&work->data, 0);
	INIT_LIST_HEAD(&work->entry);
	work->func = func;
}

/* False if the work was already pending. */
bool schedule_work(struct work_struct *work);
/* Waits for the work to finish; true if it had to wait. */
bool flush_work(struct work_struct *work);
#define flush_work(work)	kshim_at(flush_work(work))

struct timer_list {
	struct hlist_node entry;
	unsigned long expires;
	void (*function)(struct timer_list *timer);
	u32 flags;
};

struct workqueue_struct;

struct delayed_work {
	struct work_struct work;
	struct timer_list timer;
	struct workqueue_struct *wq;
	int cpu;
};

/* Time.  One jiffy is one millisecond of simulated time. */
#define HZ			1000

extern unsigned long volatile jiffies;

#define time_after(a, b) \
	(typecheck(unsigned long, a) && typecheck(unsigned long, b) && \
	 ((long)((b) - (a)) < 0))
#define time_before(a, b)	time_after(b, a)
#define time_after_eq(a, b) \
	(typecheck(unsigned long, a) && typecheck(unsigned long, b) && \
	 ((long)((a) - (b)) >= 0))

/* Sleeps until the tick msecs + 1 jiffies ahead, as the kernel's msleep(). */
void msleep(unsigned int msecs);
#define msleep(msecs)	kshim_at(msleep(msecs))
void udelay(unsigned long usecs);
/* Nanoseconds of simulated time since boot. */
u64 local_clock(void);
/* Busy-wait hint: costs simulated time and is an interrupt point. */
void cpu_relax(void);

/*
 * Runtime service for the shim's own code (MMIO accessors): the CPU is
 * busy for ps picoseconds of simulated time (the simulator runs, no other
 * task does), then reaches an interrupt point.
 */
void kshim_spend(u64 ps);

#endif /* _KSHIM_SCHED_H */
