// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel-side scenarios of tests/test_shim_sched.c: mutexes, and the
 * checks on locks, interrupt masking, RCU and WARN/BUG.  The host side
 * declares the reports each scenario must make and reads the log.
 */
#define pr_fmt(fmt) "ks-sched: " fmt

#include "sched_util.h"

/* The scenarios' locks and trail; (re)initialised by each scenario. */
static struct ks_trail trail;
static struct mutex m1, m2;
static spinlock_t s1, s2, s3;
static struct task_struct *holder;

static void reset(void)
{
	ks_failed = 0;
	trail_reset(&trail);
	mutex_init(&m1);
	mutex_init(&m2);
	spin_lock_init(&s1);
	spin_lock_init(&s2);
	spin_lock_init(&s3);
	holder = NULL;
}

static int mutex_holder(void *arg)
{
	mutex_lock(&m1);
	msleep(1);
	CHECK(!list_empty(&m1.wait_list));
	step(&trail, 'A');
	mutex_unlock(&m1);
	CHECK(mutex_is_locked(&m1) && m1.owner != current);
	return 0;
}

static int mutex_taker(void *arg)
{
	mutex_lock(&m1);
	CHECK(m1.owner == current);
	step(&trail, *(char *)arg);
	mutex_unlock(&m1);
	return 0;
}

int ks_sched_mutex_fifo(void)
{
	reset();
	CHECK(kshim_task_create("holder", mutex_holder, NULL));
	CHECK(kshim_task_create("taker-b", mutex_taker, "B"));
	CHECK(kshim_task_create("taker-c", mutex_taker, "C"));
	CHECK(kshim_run(0) == 0);
	CHECK(!strcmp(trail.s, "ABC"));
	CHECK(!mutex_is_locked(&m1));
	return ks_failed;
}

static int lock_both(void *arg)
{
	struct mutex *first = arg, *second = first == &m1 ? &m2 : &m1;

	mutex_lock(first);
	msleep(1);
	mutex_lock(second);
	return 0;
}

int ks_sched_mutex_deadlock(void)
{
	reset();
	CHECK(kshim_task_create("proc-a", lock_both, &m1));
	CHECK(kshim_task_create("proc-b", lock_both, &m2));
	CHECK(kshim_run(0) == -EDEADLK);
	CHECK(kshim_check_count(KSHIM_CHECK_LOCK_ORDER) == 1);
	return ks_failed;
}

static int sleep_spinning(void *arg)
{
	spin_lock(&s1);
	msleep(1);
	mutex_lock(&m1);
	mutex_unlock(&m1);
	spin_unlock(&s1);
	CHECK(kshim_check_count(KSHIM_CHECK_SLEEP_SPINLOCK) == 2);
	return 0;
}

int ks_sched_sleep_spinlock(void)
{
	reset();
	CHECK(kshim_task_create("spinner", sleep_spinning, NULL));
	CHECK(kshim_run(0) == 0);
	return ks_failed;
}

static irqreturn_t syncing_handler(int irq, void *dev)
{
	synchronize_rcu();
	return IRQ_HANDLED;
}

static int sleep_atomic(void *arg)
{
	unsigned long flags;

	local_irq_save(flags);
	schedule();
	local_irq_restore(flags);
	rcu_read_lock();
	msleep(1);
	rcu_read_unlock();
	ts_raise_at(hsched_now() + PS_PER_US, *(unsigned int *)arg);
	udelay(2);
	CHECK(kshim_check_count(KSHIM_CHECK_SLEEP_ATOMIC) == 3);
	return 0;
}

int ks_sched_sleep_atomic(void)
{
	unsigned int virq;

	reset();
	CHECK(virq = ks_irq_new(syncing_handler, NULL));
	CHECK(kshim_task_create("atomic", sleep_atomic, &virq));
	CHECK(kshim_run(0) == 0);
	return ks_failed;
}

static int unlocker(void *arg)
{
	spin_unlock(&s1);
	mutex_unlock(&m1);
	rcu_read_unlock();
	msleep(1);
	mutex_unlock(&m2);
	CHECK(m2.owner == holder);
	return 0;
}

static int m2_holder(void *arg)
{
	holder = current;
	mutex_lock(&m2);
	msleep(2);
	mutex_unlock(&m2);
	CHECK(!mutex_is_locked(&m2));
	return 0;
}

int ks_sched_unlocks(void)
{
	reset();
	CHECK(kshim_task_create("m2-holder", m2_holder, NULL));
	CHECK(kshim_task_create("unlocker", unlocker, NULL));
	CHECK(kshim_run(0) == 0);
	CHECK(kshim_check_count(KSHIM_CHECK_DOUBLE_UNLOCK) == 2);
	CHECK(kshim_check_count(KSHIM_CHECK_FOREIGN_UNLOCK) == 1);
	CHECK(kshim_check_count(KSHIM_CHECK_RCU_UNBALANCED) == 1);
	return ks_failed;
}

static int irq_juggler(void *arg)
{
	unsigned long a, b;

	local_irq_save(a);
	local_irq_save(b);
	local_irq_restore(a);
	local_irq_restore(b);
	CHECK(kshim_cur()->irq_off == 1);
	local_irq_restore(a);
	CHECK(kshim_cur()->irq_off == 0);
	local_irq_restore(12345);
	CHECK(kshim_check_count(KSHIM_CHECK_IRQ_UNBALANCED) == 3);
	return 0;
}

int ks_sched_irq_unbalanced(void)
{
	reset();
	CHECK(kshim_task_create("juggler", irq_juggler, NULL));
	CHECK(kshim_run(0) == 0);
	return ks_failed;
}

static void take_two(spinlock_t *a, spinlock_t *b)
{
	spin_lock(a);
	spin_lock(b);
	spin_unlock(b);
	spin_unlock(a);
}

static int orderer(void *arg)
{
	take_two(&s1, &s2);
	take_two(&s2, &s3);
	CHECK(kshim_check_count(KSHIM_CHECK_LOCK_ORDER) == 0);
	take_two(&s3, &s1);
	CHECK(kshim_check_count(KSHIM_CHECK_LOCK_ORDER) == 1);
	take_two(&s3, &s1);
	take_two(&s1, &s2);
	CHECK(kshim_check_count(KSHIM_CHECK_LOCK_ORDER) == 1);
	return 0;
}

int ks_sched_lock_order(void)
{
	reset();
	CHECK(kshim_task_create("orderer", orderer, NULL));
	CHECK(kshim_run(0) == 0);
	return ks_failed;
}

static int leaver(void *arg)
{
	unsigned long flags;

	mutex_lock(&m1);
	spin_lock(&s1);
	local_irq_save(flags);
	rcu_read_lock();
	return 0;
}

static int after_leaver(void *arg)
{
	mutex_lock(&m1);
	spin_lock(&s1);
	spin_unlock(&s1);
	mutex_unlock(&m1);
	step(&trail, 'x');
	return 0;
}

int ks_sched_exit_holding(void)
{
	reset();
	CHECK(kshim_task_create("leaver", leaver, NULL));
	CHECK(kshim_task_create("after", after_leaver, NULL));
	CHECK(kshim_run(0) == 0);
	CHECK(kshim_check_count(KSHIM_CHECK_EXIT_HELD) == 4);
	CHECK(!strcmp(trail.s, "x"));
	return ks_failed;
}

int ks_sched_warn(void)
{
	int i;

	reset();
	CHECK(WARN_ON(1));
	CHECK(!WARN(0, "not shown %d\n", 1));
	for (i = 0; i < 2; i++)
		CHECK(WARN_ON_ONCE(i >= 0));
	CHECK(WARN(2 > 1, "afu%d.%d is cross\n", 0, 1));
	CHECK(kshim_check_count(KSHIM_CHECK_WARN) == 3);
	return ks_failed;
}

static int spin_twice(void *arg)
{
	spin_lock(&s1);
	spin_lock(&s1);
	return 0;
}

void ks_sched_bug_spin_recursion(void)
{
	reset();
	kshim_task_create("recurser", spin_twice, NULL);
	kshim_run(0);
}

static int mutex_twice(void *arg)
{
	mutex_lock(&m1);
	mutex_lock(&m1);
	return 0;
}

void ks_sched_bug_mutex_recursion(void)
{
	reset();
	kshim_task_create("recurser", mutex_twice, NULL);
	kshim_run(0);
}

static int bugger(void *arg)
{
	BUG_ON(arg != NULL);
	BUG();
	return 0;
}

void ks_sched_bug_call(void)
{
	reset();
	kshim_task_create("bugger", bugger, NULL);
	kshim_run(0);
}
