// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel-side scenarios of tests/test_shim_sched.c: tasks, `current`,
 * wait queues, time and interrupt delivery.  Compiled like the driver.
 */
#define pr_fmt(fmt) "ks-sched: " fmt

#include "sched_util.h"

/* Every scenario's shared state; reset by each scenario before its run. */
int ks_failed;
static struct ks_trail trail;
static struct wait_queue_head wq, wq2;
static int flag, flag2;
static u64 t_mark, t_mark2;

unsigned int ks_irq_new(irq_handler_t handler, void *dev)
{
	static unsigned long next_hwirq = 0x100;
	unsigned int virq = irq_create_mapping(NULL, next_hwirq++);

	if (!virq || request_irq(virq, handler, 0, "ks-sched", dev))
		return 0;
	return virq;
}

static void reset(void)
{
	ks_failed = 0;
	trail_reset(&trail);
	init_waitqueue_head(&wq);
	init_waitqueue_head(&wq2);
	flag = 0;
	flag2 = 0;
	t_mark = 0;
	t_mark2 = 0;
}

static u64 now(void)
{
	return hsched_now();
}

/* Sleep on @q, in @state, until *@cond; -ERESTARTSYS on a signal if interruptible. */
static int wait_for(struct wait_queue_head *q, int *cond, int state)
{
	DEFINE_WAIT(wait);
	int ret = 0;

	for (;;) {
		prepare_to_wait(q, &wait, state);
		if (READ_ONCE(*cond))
			break;
		if (state == TASK_INTERRUPTIBLE && signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		schedule();
	}
	finish_wait(q, &wait);
	return ret;
}

struct who {
	pid_t pid, tgid;
	char comm[TASK_COMM_LEN];
};

static struct who seen[2];

static int record(void *arg)
{
	struct who *w = arg;

	w->pid = current->pid;
	w->tgid = current->tgid;
	snprintf(w->comm, sizeof(w->comm), "%s", current->comm);
	return 0;
}

int ks_sched_current(void)
{
	reset();
	memset(seen, 0, sizeof(seen));
	CHECK(current->pid == 0 && !strcmp(current->comm, "swapper/0"));
	CHECK(kshim_task_create("proc-a", record, &seen[0]));
	CHECK(kshim_task_create("proc-b", record, &seen[1]));
	CHECK(kshim_run(0) == 0);
	CHECK(seen[0].pid == 1 && seen[0].tgid == 1 && !strcmp(seen[0].comm, "proc-a"));
	CHECK(seen[1].pid == 2 && seen[1].tgid == 2 && !strcmp(seen[1].comm, "proc-b"));
	CHECK(current->pid == 0);
	return ks_failed;
}

int ks_sched_no_procs(void)
{
	reset();
	CHECK(kshim_run(0) == 0);
	memset(seen, 0, sizeof(seen));
	CHECK(kshim_task_create("late", record, &seen[0]));
	CHECK(kshim_run(0) == 0);
	CHECK(!strcmp(seen[0].comm, "late"));
	CHECK(kshim_run(0) == 0);
	return ks_failed;
}

static int yielder(void *arg)
{
	step(&trail, 'a');
	t_mark = now();
	schedule();
	t_mark2 = now();
	step(&trail, 'A');
	return 0;
}

static int stepper(void *arg)
{
	step(&trail, *(char *)arg);
	return 0;
}

int ks_sched_yield(void)
{
	reset();
	CHECK(kshim_task_create("yielder", yielder, NULL));
	CHECK(kshim_task_create("other", stepper, "b"));
	CHECK(kshim_run(0) == 0);
	CHECK(!strcmp(trail.s, "abA"));
	CHECK(t_mark2 - t_mark == PS_PER_US);
	return ks_failed;
}

static int waiter(void *arg)
{
	CHECK(wait_for(&wq, &flag, TASK_INTERRUPTIBLE) == 0);
	step(&trail, *(char *)arg);
	CHECK(now() == t_mark);
	return 0;
}

static int waker(void *arg)
{
	msleep(3);
	flag = 1;
	t_mark = now();
	wake_up_all(&wq);
	step(&trail, 'w');
	return 0;
}

int ks_sched_wait_queue(void)
{
	reset();
	CHECK(kshim_task_create("waiter-1", waiter, "1"));
	CHECK(kshim_task_create("waiter-2", waiter, "2"));
	CHECK(kshim_task_create("waker", waker, NULL));
	CHECK(kshim_run(0) == 0);
	CHECK(!strcmp(trail.s, "w12"));
	CHECK(t_mark == 4 * PS_PER_MS);
	CHECK(list_empty(&wq.head));
	return ks_failed;
}

static struct task_struct *sig_targets[2];

static int sig_waiter(void *arg)
{
	CHECK(wait_for(&wq, &flag, TASK_INTERRUPTIBLE) == -ERESTARTSYS);
	step(&trail, 'i');
	return 0;
}

static int unint_waiter(void *arg)
{
	CHECK(wait_for(&wq2, &flag2, TASK_UNINTERRUPTIBLE) == 0);
	step(&trail, 'u');
	return 0;
}

static int signaller(void *arg)
{
	msleep(1);
	kshim_task_signal(sig_targets[0]);
	kshim_task_signal(sig_targets[1]);
	msleep(1);
	step(&trail, 's');
	flag2 = 1;
	wake_up(&wq2);
	return 0;
}

int ks_sched_signal(void)
{
	reset();
	CHECK(sig_targets[0] = kshim_task_create("sig-int", sig_waiter, NULL));
	CHECK(sig_targets[1] = kshim_task_create("sig-unint", unint_waiter, NULL));
	CHECK(kshim_task_create("signaller", signaller, NULL));
	CHECK(kshim_run(0) == 0);
	CHECK(!strcmp(trail.s, "isu"));
	return ks_failed;
}

static irqreturn_t wake_handler(int irq, void *dev)
{
	step(&trail, 'h');
	t_mark2 = now();
	flag = 1;
	wake_up(&wq);
	return IRQ_HANDLED;
}

/* The afu_read() race: the wake lands between prepare_to_wait() and schedule(). */
static int racer(void *arg)
{
	unsigned int virq = *(unsigned int *)arg;
	DEFINE_WAIT(wait);

	prepare_to_wait(&wq, &wait, TASK_INTERRUPTIBLE);
	CHECK(current->__state == TASK_INTERRUPTIBLE);
	ts_raise_at(now() + 5 * PS_PER_US, virq);
	udelay(10);
	step(&trail, 'r');
	CHECK(current->__state == TASK_RUNNING);
	CHECK(t_mark2 == 10 * PS_PER_US);
	schedule();
	finish_wait(&wq, &wait);
	CHECK(now() == 11 * PS_PER_US);
	return 0;
}

int ks_sched_wake_before_schedule(void)
{
	unsigned int virq;

	reset();
	CHECK(virq = ks_irq_new(wake_handler, NULL));
	CHECK(kshim_task_create("racer", racer, &virq));
	CHECK(kshim_run(0) == 0);
	CHECK(!strcmp(trail.s, "hr"));
	CHECK(ts_last_raise_time() == 5 * PS_PER_US);
	return ks_failed;
}

static int nr_handled;
static char handler_comm[TASK_COMM_LEN];
static bool handler_in_irq;

static irqreturn_t count_handler(int irq, void *dev)
{
	nr_handled++;
	t_mark2 = now();
	snprintf(handler_comm, sizeof(handler_comm), "%s", current->comm);
	handler_in_irq = kshim_cur()->hardirq;
	return IRQ_HANDLED;
}

static int masker(void *arg)
{
	unsigned int virq = *(unsigned int *)arg;
	unsigned long flags, flags2;
	DEFINE_SPINLOCK(s);

	local_irq_save(flags);
	ts_raise_at(now() + PS_PER_US, virq);
	udelay(5);
	CHECK(ts_last_raise_time() == PS_PER_US && nr_handled == 0);
	spin_lock_irqsave(&s, flags2);
	cpu_relax();
	spin_unlock_irqrestore(&s, flags2);
	CHECK(nr_handled == 0);
	local_irq_restore(flags);
	CHECK(nr_handled == 1 && t_mark2 == now() && now() == 5 * PS_PER_US + 10 * 1000);
	CHECK(!strcmp(handler_comm, "masker") && handler_in_irq);
	return 0;
}

int ks_sched_irq_masked(void)
{
	unsigned int virq;

	reset();
	nr_handled = 0;
	CHECK(virq = ks_irq_new(count_handler, NULL));
	CHECK(kshim_task_create("masker", masker, &virq));
	CHECK(kshim_run(0) == 0);
	return ks_failed;
}

static irqreturn_t idle_handler(int irq, void *dev)
{
	count_handler(irq, dev);
	flag = 1;
	wake_up(&wq);
	return IRQ_HANDLED;
}

static int sleeper(void *arg)
{
	unsigned int virq = *(unsigned int *)arg;

	ts_raise_at(now() + 7 * PS_PER_US, virq);
	CHECK(wait_for(&wq, &flag, TASK_INTERRUPTIBLE) == 0);
	CHECK(now() == 7 * PS_PER_US);
	return 0;
}

int ks_sched_irq_idle(void)
{
	unsigned int virq;

	reset();
	nr_handled = 0;
	CHECK(virq = ks_irq_new(idle_handler, NULL));
	CHECK(kshim_task_create("sleeper", sleeper, &virq));
	CHECK(kshim_run(0) == 0);
	CHECK(nr_handled == 1 && t_mark2 == 7 * PS_PER_US);
	CHECK(!strcmp(handler_comm, "idle/0") && handler_in_irq);
	return ks_failed;
}

static int depth, max_depth;
static unsigned int nest_virq2;

static irqreturn_t slow_handler(int irq, void *dev)
{
	max_depth = max(max_depth, ++depth);
	step(&trail, '1');
	ts_raise_at(now() + PS_PER_US, nest_virq2);
	udelay(3);
	depth--;
	return IRQ_HANDLED;
}

static irqreturn_t quick_handler(int irq, void *dev)
{
	max_depth = max(max_depth, ++depth);
	step(&trail, '2');
	t_mark2 = now();
	depth--;
	return IRQ_HANDLED;
}

static int nester(void *arg)
{
	ts_raise_at(now() + PS_PER_US, *(unsigned int *)arg);
	udelay(10);
	step(&trail, 'n');
	return 0;
}

int ks_sched_irq_not_nested(void)
{
	unsigned int virq;

	reset();
	depth = 0;
	max_depth = 0;
	CHECK(virq = ks_irq_new(slow_handler, NULL));
	CHECK(nest_virq2 = ks_irq_new(quick_handler, NULL));
	CHECK(kshim_task_create("nester", nester, &virq));
	CHECK(kshim_run(0) == 0);
	CHECK(!strcmp(trail.s, "12n"));
	CHECK(max_depth == 1);
	CHECK(t_mark2 == 13 * PS_PER_US);
	return ks_failed;
}

static int coalescer(void *arg)
{
	unsigned int virq = *(unsigned int *)arg;
	unsigned long flags;

	local_irq_save(flags);
	ts_raise_at(now() + PS_PER_US, virq);
	ts_raise_at(now() + 2 * PS_PER_US, virq);
	udelay(3);
	local_irq_restore(flags);
	CHECK(nr_handled == 1);
	ts_raise_at(now() + PS_PER_US, virq);
	udelay(3);
	CHECK(nr_handled == 2);
	return 0;
}

int ks_sched_irq_coalesced(void)
{
	unsigned int virq;

	reset();
	nr_handled = 0;
	CHECK(virq = ks_irq_new(count_handler, NULL));
	CHECK(kshim_task_create("coalescer", coalescer, &virq));
	CHECK(kshim_run(0) == 0);
	return ks_failed;
}

static int msleeper(void *arg)
{
	unsigned long j0;

	CHECK(jiffies == (unsigned long)(unsigned int)(-300 * HZ));
	udelay(300);
	j0 = jiffies;
	msleep(1);
	CHECK(local_clock() == 2 * NS_PER_MS);
	CHECK(jiffies == j0 + 2);
	msleep(0);
	CHECK(local_clock() == 3 * NS_PER_MS);
	return 0;
}

int ks_sched_msleep(void)
{
	reset();
	CHECK(kshim_task_create("msleeper", msleeper, NULL));
	CHECK(kshim_run(0) == 0);
	return ks_failed;
}

static int clocks(void *arg)
{
	unsigned long j0 = jiffies;

	msleep(10);
	CHECK(local_clock() == 11 * NS_PER_MS);
	CHECK(jiffies - j0 == 11);
	CHECK(mftb() == 11 * 512000UL);
	udelay(1);
	CHECK(mftb() == 11 * 512000UL + 512);
	CHECK(tb_to_ns(mftb()) == local_clock());
	return 0;
}

int ks_sched_clocks(void)
{
	reset();
	CHECK(kshim_task_create("clocks", clocks, NULL));
	CHECK(kshim_run(0) == 0);
	return ks_failed;
}

static int busy(void *arg)
{
	unsigned int virq = *(unsigned int *)arg;

	step(&trail, 'a');
	ts_raise_at(now() + 2 * PS_PER_US, virq);
	udelay(5);
	step(&trail, 'A');
	CHECK(ts_last_raise_time() == 2 * PS_PER_US);
	CHECK(nr_handled == 1 && t_mark2 == 5 * PS_PER_US && !strcmp(handler_comm, "busy"));
	return 0;
}

int ks_sched_busy(void)
{
	unsigned int virq;

	reset();
	nr_handled = 0;
	CHECK(virq = ks_irq_new(count_handler, NULL));
	CHECK(kshim_task_create("busy", busy, &virq));
	CHECK(kshim_task_create("other", stepper, "b"));
	CHECK(kshim_run(0) == 0);
	CHECK(!strcmp(trail.s, "aAb"));
	return ks_failed;
}

/* The driver's polling loops: a jiffies deadline, busy waits between polls. */
static int poller(void *arg)
{
	unsigned long timeout = jiffies + HZ / 100;

	while (!time_after_eq(jiffies, timeout))
		udelay(100);
	CHECK(local_clock() == 10 * NS_PER_MS);
	timeout = jiffies + 1;
	while (!time_after_eq(jiffies, timeout))
		cpu_relax();
	CHECK(local_clock() == 11 * NS_PER_MS);
	return 0;
}

int ks_sched_timeout_loop(void)
{
	reset();
	CHECK(kshim_task_create("poller", poller, NULL));
	CHECK(kshim_run(0) == 0);
	return ks_failed;
}

static int forever(void *arg)
{
	for (;;)
		msleep(1);
	return 0;
}

int ks_sched_time_limit(void)
{
	reset();
	CHECK(kshim_task_create("forever", forever, NULL));
	CHECK(kshim_run(5 * PS_PER_MS) == -ETIMEDOUT);
	CHECK(now() == 5 * PS_PER_MS);
	CHECK(kshim_run(3 * PS_PER_MS) == -ETIMEDOUT);
	CHECK(now() == 8 * PS_PER_MS);
	return ks_failed;
}

static int spinner(void *arg)
{
	for (;;)
		udelay(100);
	return 0;
}

/* A task that never sleeps still ends at the time limit. */
int ks_sched_busy_limit(void)
{
	reset();
	CHECK(kshim_task_create("spinner", spinner, NULL));
	CHECK(kshim_run(PS_PER_MS) == -ETIMEDOUT);
	CHECK(now() == PS_PER_MS);
	return ks_failed;
}

static int stuck(void *arg)
{
	wait_for(&wq, &flag, TASK_UNINTERRUPTIBLE);
	return 0;
}

int ks_sched_deadlock(void)
{
	reset();
	CHECK(kshim_task_create("stuck", stuck, NULL));
	CHECK(kshim_run(0) == -EDEADLK);
	return ks_failed;
}
