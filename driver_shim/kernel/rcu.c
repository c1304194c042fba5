// SPDX-License-Identifier: GPL-2.0
/*
 * RCU on one CPU without preemption (docs/shim-sched.md).  A reader may
 * not sleep, so by the time the CPU switches tasks no reader is left: any
 * context switch ends a grace period, and call_rcu() callbacks run at the
 * next one, in the switching task, as softirq work.  synchronize_rcu() is
 * such a point itself.
 */
#define pr_fmt(fmt) "kshim-rcu: " fmt

#include "ksched.h"

/*
 * Callbacks waiting for the end of the grace period, oldest first.
 * Touched only by code on the simulated CPU (call_rcu() may come from an
 * interrupt handler, which never runs inside these functions).
 */
static struct rcu_head *rcu_list;
static struct rcu_head **rcu_tail = &rcu_list;

void kshim_rcu_reset(void)
{
	rcu_list = NULL;
	rcu_tail = &rcu_list;
}

bool kshim_rcu_pending(void)
{
	return rcu_list != NULL;
}

/* A quiescent state of the running task: run what was queued before it. */
void kshim_rcu_qs(void)
{
	struct kshim_task *kt = kshim_cur();
	struct rcu_head *head = rcu_list;

	if (!head || kt->rcu_depth || kt->hardirq || kt->softirq)
		return;
	kshim_rcu_reset();
	kt->softirq = true;
	while (head) {
		struct rcu_head *next = head->next;

		head->func(head);
		head = next;
	}
	kt->softirq = false;
}

void (rcu_read_lock)(void)
{
	kshim_cur()->rcu_depth++;
}

void (rcu_read_unlock)(void)
{
	struct kshim_task *kt = kshim_cur();

	if (!kt->rcu_depth) {
		kshim_report(KSHIM_CHECK_RCU_UNBALANCED, kshim_site,
			     "rcu_read_unlock() outside rcu_read_lock()");
		return;
	}
	kt->rcu_depth--;
}

void (synchronize_rcu)(void)
{
	kshim_might_sleep("synchronize_rcu", kshim_site);
	kshim_rcu_qs();
}

void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head))
{
	head->func = func;
	head->next = NULL;
	*rcu_tail = head;
	rcu_tail = &head->next;
}
