// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel tasks, `current`, pids, schedule() and interrupt delivery
 * (docs/shim-sched.md).
 *
 * Every kernel context is a task of the simulator's cooperative scheduler
 * (sim/core/task.h, through hsched.h): the test processes, and for each
 * run the CPU's own idle/0 and kworker/0:1.  One runs at a time, switches
 * happen only in the sleeps below, and the run queue is FIFO, so a run is
 * deterministic.  Interrupts raised by the simulator wait in a queue until
 * the running task reaches an interrupt point with interrupts enabled, or
 * until idle/0 runs because nothing else does.
 */
#define pr_fmt(fmt) "kshim-sched: " fmt

#include "ksched.h"

#define KSHIM_MAX_PENDING	256

/* Reference-counted pid: the driver keeps one per context (ctx->pid). */
struct pid {
	atomic_t count;
	pid_t nr;
};

/* `current` outside any task; reset by kshim_sched_init(), like the rest. */
struct kshim_task kshim_init_task;

/*
 * The scheduler's kernel-side state.  Touched only by code running on the
 * simulated CPU (tasks, interrupt handlers, kshim_irq_raise() from event
 * callbacks); reset by kshim_sched_init().
 */
static pid_t next_pid;			/* pid of the next task */
static unsigned int nr_procs;		/* test processes not yet returned */
static bool procs_done;			/* they all have: the daemons may leave */
static struct kshim_task *idle_task;	/* idle/0 while it lives */

/* Raised, undelivered virqs, oldest first: a ring of nr_pending from pending_head. */
static unsigned int pending[KSHIM_MAX_PENDING];
static unsigned int pending_head, nr_pending;

static void init_task_reset(void)
{
	memset(&kshim_init_task, 0, sizeof(kshim_init_task));
	snprintf(kshim_init_task.ts.comm, sizeof(kshim_init_task.ts.comm), "swapper/0");
}

void kshim_sched_init(void)
{
	hsched_reset();
	init_task_reset();
	next_pid = 1;
	nr_procs = 0;
	procs_done = false;
	idle_task = NULL;
	pending_head = 0;
	nr_pending = 0;
	kshim_clock_sync();
	kshim_rcu_reset();
	kshim_workqueue_reset();
	kshim_locks_reset();
	kshim_checks_reset();
}

struct task_struct *get_current(void)
{
	struct kshim_task *kt = hsched_current();

	return kt ? &kt->ts : &kshim_init_task.ts;
}

static void procs_all_done(void)
{
	procs_done = true;
	kshim_workqueue_stop();
	kshim_idle_kick();
}

/* The life of every kernel task: its function, then the checks of a task's end. */
static int task_main(void *priv)
{
	struct kshim_task *kt = priv;
	int ret;

	kshim_clock_sync();
	ret = kt->fn(kt->arg);
	kshim_release_held(0, 0, 0, "task");
	kshim_irq_point();
	kshim_rcu_qs();
	put_pid(kt->pid);
	if (!kt->daemon && !--nr_procs)
		procs_all_done();
	return ret;
}

struct kshim_task *kshim_task_new(const char *name, int (*fn)(void *arg), void *arg,
				  bool daemon)
{
	struct pid *pid = kmalloc(sizeof(*pid), GFP_KERNEL);
	struct kshim_task *kt;

	if (!pid)
		return NULL;
	kt = hsched_spawn(name, task_main, sizeof(*kt));
	if (!kt) {
		kfree(pid);
		return NULL;
	}
	atomic_set(&pid->count, 1);
	pid->nr = next_pid++;
	kt->pid = pid;
	kt->ts.pid = pid->nr;
	kt->ts.tgid = pid->nr;
	kt->ts.__state = TASK_RUNNING;
	snprintf(kt->ts.comm, sizeof(kt->ts.comm), "%s", name);
	kt->fn = fn;
	kt->arg = arg;
	kt->daemon = daemon;
	if (!daemon) {
		nr_procs++;
		procs_done = false;
	}
	return kt;
}

void *kshim_task_create(const char *name, int (*fn)(void *arg), void *arg)
{
	struct kshim_task *kt = kshim_task_new(name, fn, arg, false);

	return kt ? &kt->ts : NULL;
}

void kshim_task_signal(void *task)
{
	struct task_struct *ts = task;

	set_bit(TIF_SIGPENDING, &ts->thread_info.flags);
	kshim_wake(kshim_task_of(ts), TASK_INTERRUPTIBLE);
}

/* Hand every pending interrupt to the running task, one handler at a time. */
void kshim_irq_point(void)
{
	struct kshim_task *kt;

	kshim_clock_sync();
	if (!nr_pending || !hsched_current())
		return;
	kt = kshim_cur();
	while (nr_pending && !kt->irq_off && !kt->hardirq) {
		unsigned int virq = pending[pending_head];
		unsigned int held_base = kt->irq_held_base;
		unsigned int rcu_depth = kt->rcu_depth;

		pending_head = (pending_head + 1) % KSHIM_MAX_PENDING;
		nr_pending--;
		kt->hardirq = true;
		kt->irq_off = 1;
		kt->irq_held_base = kt->nr_held;
		kshim_irq_dispatch(virq);
		kshim_release_held(kt->irq_held_base, 1, rcu_depth, "interrupt handler");
		kt->irq_held_base = held_base;
		kt->irq_off = 0;
		kt->hardirq = false;
	}
}

void kshim_irq_raise(unsigned int virq)
{
	unsigned int i;

	for (i = 0; i < nr_pending; i++)
		if (pending[(pending_head + i) % KSHIM_MAX_PENDING] == virq)
			return;
	if (nr_pending == KSHIM_MAX_PENDING)
		kshim_die((struct kshim_site){ NULL, 0 },
			  "%u interrupts pending, none delivered, raising virq %u",
			  nr_pending, virq);
	pending[(pending_head + nr_pending) % KSHIM_MAX_PENDING] = virq;
	nr_pending++;
	if (!hsched_current())
		kshim_idle_kick();
}

void kshim_idle_kick(void)
{
	if (idle_task)
		kshim_wake(idle_task, TASK_NORMAL);
}

/*
 * The CPU's idle loop, as a task: it runs when nothing else does, and
 * takes the interrupts the simulator raises meanwhile.  It leaves once
 * the test processes and the kworker have, with nothing pending.
 */
static int idle_main(void *arg)
{
	for (;;) {
		kshim_irq_point();
		kshim_rcu_qs();
		if (nr_pending || kshim_rcu_pending())
			continue;
		if (procs_done && !kshim_workqueue_alive())
			break;
		kshim_prepare(TASK_INTERRUPTIBLE, "interrupts");
		kshim_sleep(KSHIM_TIME_NEVER);
		kshim_finish();
	}
	idle_task = NULL;
	return 0;
}

int kshim_run(unsigned long long limit)
{
	if (!idle_task)
		idle_task = kshim_task_new("idle/0", idle_main, NULL, true);
	if (!idle_task || kshim_workqueue_start())
		return -ENOMEM;
	if (!nr_procs)
		procs_all_done();
	return hsched_run(limit);
}

void kshim_might_sleep(const char *what, struct kshim_site site)
{
	struct kshim_task *kt = kshim_cur();
	const char *why = NULL;
	unsigned int i;

	for (i = kt->nr_held; i-- > 0;) {
		struct kshim_held *h = &kt->held[i];
		char buf[128];

		if (h->mutex)
			continue;
		kshim_report(KSHIM_CHECK_SLEEP_SPINLOCK, site,
			     "%s() while holding spinlock %s (taken at %s)", what, h->name,
			     kshim_site_str(h->site, buf, sizeof(buf)));
		return;
	}
	if (kt->hardirq)
		why = "in an interrupt handler";
	else if (kt->softirq)
		why = "in an RCU callback";
	else if (kt->irq_off)
		why = "with interrupts disabled";
	else if (kt->rcu_depth)
		why = "inside rcu_read_lock()";
	if (why)
		kshim_report(KSHIM_CHECK_SLEEP_ATOMIC, site, "%s() %s", what, why);
}

/* Only a task's own code may sleep: not the harness, not an event callback. */
static struct kshim_task *sleeper(const char *what)
{
	struct kshim_task *kt = hsched_current();

	if (!kt)
		kshim_die(kshim_site, "%s outside a kernel task", what);
	return kt;
}

void kshim_prepare(unsigned int state, const char *fmt, ...)
{
	struct kshim_task *kt = sleeper("sleeping");
	va_list args;

	va_start(args, fmt);
	vsnprintf(kt->waits_on, sizeof(kt->waits_on), fmt, args);
	va_end(args);
	WRITE_ONCE(kt->ts.__state, state);
	hsched_prepare(kt->waits_on);
}

/*
 * Before the CPU goes to another task: take the interrupts this task can
 * take, leave the rest to idle/0, and end the RCU grace period.
 */
static void switch_point(void)
{
	kshim_irq_point();
	if (nr_pending)
		kshim_idle_kick();
	kshim_rcu_qs();
}

int kshim_sleep(unsigned long long deadline)
{
	struct kshim_task *kt = sleeper("sleeping");
	int ret;

	switch_point();
	ret = hsched_schedule(deadline);
	WRITE_ONCE(kt->ts.__state, TASK_RUNNING);
	kshim_irq_point();
	return ret;
}

void kshim_finish(void)
{
	struct kshim_task *kt = sleeper("sleeping");

	WRITE_ONCE(kt->ts.__state, TASK_RUNNING);
	hsched_finish();
}

void kshim_sleep_until(unsigned long long t)
{
	struct kshim_task *kt = sleeper("sleeping");

	WRITE_ONCE(kt->ts.__state, TASK_UNINTERRUPTIBLE);
	switch_point();
	hsched_sleep_until(t);
	WRITE_ONCE(kt->ts.__state, TASK_RUNNING);
	kshim_irq_point();
}

bool kshim_wake(struct kshim_task *kt, unsigned int mode)
{
	if (!(READ_ONCE(kt->ts.__state) & mode))
		return false;
	WRITE_ONCE(kt->ts.__state, TASK_RUNNING);
	hsched_wake(kt);
	return true;
}

void (schedule)(void)
{
	struct kshim_site site = kshim_site;

	kshim_might_sleep("schedule", site);
	kshim_sleep(KSHIM_TIME_NEVER);
}

struct pid *get_task_pid(struct task_struct *task, enum pid_type type)
{
	struct pid *pid = kshim_task_of(task)->pid;

	if (type != PIDTYPE_PID && !(type == PIDTYPE_TGID && task->tgid == task->pid))
		kshim_die(kshim_site, "get_task_pid(%s, %d): only a task's own pid is modelled",
			  task->comm, type);
	if (pid)
		atomic_inc(&pid->count);
	return pid;
}

void put_pid(struct pid *pid)
{
	if (pid && atomic_dec_and_test(&pid->count))
		kfree(pid);
}

pid_t pid_nr(struct pid *pid)
{
	return pid ? pid->nr : 0;
}

/* The POWER9 thread id register does not exist on POWER8: as the kernel, refuse. */
int set_thread_tidr(struct task_struct *t)
{
	return -EINVAL;
}
