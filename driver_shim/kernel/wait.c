// SPDX-License-Identifier: GPL-2.0
/*
 * Wait queues (docs/shim-sched.md).  The kernel's protocol, on the
 * runtime's sleeps: prepare_to_wait() queues the entry and sets the task's
 * state, a waker's wake function sets it back to running, and schedule()
 * sleeps only if nobody did meanwhile, so a wake that lands between the
 * two (from an interrupt handler) is not lost.  Entries are woken in the
 * order they were queued.
 */
#define pr_fmt(fmt) "kshim-wait: " fmt

#include "ksched.h"

void (prepare_to_wait)(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry,
		       int state)
{
	struct kshim_site site = kshim_site;
	unsigned long flags;
	char buf[128];

	wq_entry->flags &= ~WQ_FLAG_EXCLUSIVE;
	spin_lock_irqsave(&wq_head->lock, flags);
	if (list_empty(&wq_entry->entry))
		list_add_tail(&wq_entry->entry, &wq_head->head);
	kshim_prepare(state, "%s (prepared at %s)", wq_head->lock.name,
		      kshim_site_str(site, buf, sizeof(buf)));
	spin_unlock_irqrestore(&wq_head->lock, flags);
}

void finish_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	unsigned long flags;

	kshim_finish();
	if (list_empty(&wq_entry->entry))
		return;
	spin_lock_irqsave(&wq_head->lock, flags);
	list_del_init(&wq_entry->entry);
	spin_unlock_irqrestore(&wq_head->lock, flags);
}

int autoremove_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode,
			     int sync, void *key)
{
	struct task_struct *task = wq_entry->private;

	if (!kshim_wake(kshim_task_of(task), mode))
		return 0;
	list_del_init(&wq_entry->entry);
	return 1;
}

void __wake_up(struct wait_queue_head *wq_head, unsigned int mode, int nr_exclusive,
	       void *key)
{
	struct wait_queue_entry *curr, *next;
	unsigned long flags;

	spin_lock_irqsave(&wq_head->lock, flags);
	list_for_each_entry_safe(curr, next, &wq_head->head, entry) {
		unsigned int entry_flags = curr->flags;
		int ret = curr->func(curr, mode, 0, key);

		if (ret < 0)
			break;
		if (ret && (entry_flags & WQ_FLAG_EXCLUSIVE) && !--nr_exclusive)
			break;
	}
	spin_unlock_irqrestore(&wq_head->lock, flags);
}
