// SPDX-License-Identifier: GPL-2.0
/*
 * User processes for the libcxl co-simulation (driver_shim/host/uproc.h):
 * kernel tasks with a pid and an address space, which wait in "user mode"
 * for the system calls a host thread hands them.
 *
 * The wait between calls is interruptible but not ended by a signal: the
 * libcxl layer raises a signal only to interrupt the call in progress,
 * and ret_user takes it, as the kernel delivers a signal on the way back
 * to user mode.
 */
#define pr_fmt(fmt) "kshim-uproc: " fmt

#include "ksched.h"
#include "../host/hmem.h"
#include "../host/uproc.h"

/*
 * One process.  Owned by its task, but kick/signal come from whichever
 * task runs the libcxl gate; all of them run on the one simulated CPU and
 * none sleeps between reading and writing @kicked, so no lock is needed.
 */
struct kshim_uproc {
	struct task_struct *ts;
	bool kicked;		/* kicked since the last wait: do not sleep */
};

void *kshim_uproc_create(const char *name, int (*fn)(void *arg), void *arg, int with_mm)
{
	struct kshim_uproc *up = kzalloc(sizeof(*up), GFP_KERNEL);
	struct mm_struct *mm = NULL;

	if (!up)
		return NULL;
	if (with_mm) {
		mm = kshim_mm_new();
		if (!mm) {
			kfree(up);
			return NULL;
		}
	}
	up->ts = kshim_task_create(name, fn, arg);
	if (!up->ts) {
		if (mm)
			mmput(mm);
		kfree(up);
		return NULL;
	}
	up->ts->mm = mm;
	return up;
}

int kshim_uproc_pid(void *p)
{
	struct kshim_uproc *up = p;

	return up->ts->pid;
}

void *kshim_uproc_mm(void *p)
{
	struct kshim_uproc *up = p;

	return up->ts->mm;
}

static struct kshim_uproc *running(void *p)
{
	struct kshim_uproc *up = p;

	if (up->ts != current)
		kshim_die((struct kshim_site){ __FILE__, __LINE__ }, "uproc: %s waits as %s",
			  up->ts->comm, current->comm);
	return up;
}

int kshim_uproc_wait_until(void *p, unsigned long long t)
{
	struct kshim_uproc *up = running(p);
	int ret = 0;

	while (!up->kicked && !ret) {
		kshim_prepare(TASK_INTERRUPTIBLE, "its next system call");
		if (!up->kicked)
			ret = kshim_sleep(t);
		kshim_finish();
	}
	if (up->kicked)
		ret = 0;
	up->kicked = false;
	return ret;
}

void kshim_uproc_wait(void *p)
{
	kshim_uproc_wait_until(p, KSHIM_TIME_NEVER);
}

void kshim_uproc_kick(void *p)
{
	struct kshim_uproc *up = p;

	up->kicked = true;
	kshim_wake(kshim_task_of(up->ts), TASK_NORMAL);
}

void kshim_uproc_signal(void *p)
{
	struct kshim_uproc *up = p;

	kshim_task_signal(up->ts);
}

void kshim_uproc_ret_user(void)
{
	kshim_release_held(0, 0, 0, "system call");
	clear_bit(TIF_SIGPENDING, &current->thread_info.flags);
}

int kshim_uproc_sleep_until(unsigned long long t)
{
	kshim_might_sleep("nanosleep", (struct kshim_site){ __FILE__, __LINE__ });
	while (!signal_pending(current) && hsched_now() < t) {
		kshim_prepare(TASK_INTERRUPTIBLE, "nanosleep until %llu ps", t);
		if (!signal_pending(current))
			kshim_sleep(t);
		kshim_finish();
	}
	return signal_pending(current) ? -EINTR : 0;
}

void kshim_uproc_exit(void *p)
{
	struct kshim_uproc *up = running(p);
	struct mm_struct *mm = up->ts->mm;

	up->ts->mm = NULL;
	if (mm)
		mmput(mm);
	kfree(up);
}
