// SPDX-License-Identifier: GPL-2.0
/*
 * The system work queue (docs/shim-sched.md): one kworker task, as there
 * is one simulated CPU, running work items in the order they were queued.
 * flush_work() waits for the last queued instance of a work item to
 * finish, by counting executions: items run in order, so the instance
 * at position n of the queue is done after n more executions.
 */
#define pr_fmt(fmt) "kshim-work: " fmt

#include "ksched.h"

/* work_struct.data: queued and not yet started. */
#define WORK_PENDING		1L

/*
 * The queue and its worker.  worklist_lock protects the list, the
 * WORK_PENDING bits, running_work and works_done; it is taken with
 * interrupts off, since handlers queue work.  kworker and kworker_stopping
 * are touched only by code on the simulated CPU.  All reset by
 * kshim_workqueue_reset().
 */
static spinlock_t worklist_lock;
static struct list_head worklist;
static struct work_struct *running_work;	/* being executed by the kworker */
static unsigned long long works_done;		/* executions finished */
static struct wait_queue_head worker_wq;	/* the kworker waits for work */
static struct wait_queue_head flush_wq;		/* flushers wait for executions */
static struct kshim_task *kworker;		/* while it lives */
static bool kworker_stopping;			/* leave once the queue is empty */

void kshim_workqueue_reset(void)
{
	spin_lock_init(&worklist_lock);
	INIT_LIST_HEAD(&worklist);
	running_work = NULL;
	works_done = 0;
	init_waitqueue_head(&worker_wq);
	init_waitqueue_head(&flush_wq);
	kworker = NULL;
	kworker_stopping = false;
}

static void run_one(unsigned long *flags)
{
	struct work_struct *work = list_first_entry(&worklist, struct work_struct, entry);

	list_del_init(&work->entry);
	atomic_long_set(&work->data, 0);
	running_work = work;
	spin_unlock_irqrestore(&worklist_lock, *flags);
	work->func(work);
	spin_lock_irqsave(&worklist_lock, *flags);
	running_work = NULL;
	works_done++;
	wake_up_all(&flush_wq);
}

static int kworker_main(void *arg)
{
	DEFINE_WAIT(wait);
	unsigned long flags;

	spin_lock_irqsave(&worklist_lock, flags);
	for (;;) {
		if (!list_empty(&worklist)) {
			run_one(&flags);
			continue;
		}
		if (kworker_stopping)
			break;
		prepare_to_wait(&worker_wq, &wait, TASK_INTERRUPTIBLE);
		spin_unlock_irqrestore(&worklist_lock, flags);
		kshim_sleep(KSHIM_TIME_NEVER);
		finish_wait(&worker_wq, &wait);
		spin_lock_irqsave(&worklist_lock, flags);
	}
	spin_unlock_irqrestore(&worklist_lock, flags);
	kworker = NULL;
	kshim_idle_kick();
	return 0;
}

int kshim_workqueue_start(void)
{
	if (kworker)
		return 0;
	kworker_stopping = false;
	kworker = kshim_task_new("kworker/0:1", kworker_main, NULL, true);
	return kworker ? 0 : -ENOMEM;
}

void kshim_workqueue_stop(void)
{
	kworker_stopping = true;
	wake_up(&worker_wq);
}

bool kshim_workqueue_alive(void)
{
	return kworker != NULL;
}

bool schedule_work(struct work_struct *work)
{
	unsigned long flags;
	bool queued = false;

	spin_lock_irqsave(&worklist_lock, flags);
	if (!(atomic_long_read(&work->data) & WORK_PENDING)) {
		atomic_long_set(&work->data, WORK_PENDING);
		list_add_tail(&work->entry, &worklist);
		queued = true;
	}
	spin_unlock_irqrestore(&worklist_lock, flags);
	if (queued)
		wake_up(&worker_wq);
	return queued;
}

/* How many executions must have finished for @work's last instance to be done; 0: idle. */
static unsigned long long flush_target(struct work_struct *work)
{
	unsigned long long n = works_done + (running_work != NULL);
	struct work_struct *w;

	if (!(atomic_long_read(&work->data) & WORK_PENDING))
		return running_work == work ? n : 0;
	list_for_each_entry(w, &worklist, entry) {
		n++;
		if (w == work)
			break;
	}
	return n;
}

bool (flush_work)(struct work_struct *work)
{
	struct kshim_site site = kshim_site;
	unsigned long long target;
	DEFINE_WAIT(wait);
	unsigned long flags;
	char buf[128];

	kshim_might_sleep("flush_work", site);
	spin_lock_irqsave(&worklist_lock, flags);
	target = flush_target(work);
	if (target && kshim_cur() == kworker)
		kshim_die(site, "flush_work() from the kworker waits for itself");
	while (works_done < target) {
		prepare_to_wait(&flush_wq, &wait, TASK_UNINTERRUPTIBLE);
		snprintf(kshim_cur()->waits_on, sizeof(kshim_cur()->waits_on),
			 "flush_work() from %s", kshim_site_str(site, buf, sizeof(buf)));
		spin_unlock_irqrestore(&worklist_lock, flags);
		kshim_sleep(KSHIM_TIME_NEVER);
		spin_lock_irqsave(&worklist_lock, flags);
	}
	finish_wait(&flush_wq, &wait);
	spin_unlock_irqrestore(&worklist_lock, flags);
	return target != 0;
}
