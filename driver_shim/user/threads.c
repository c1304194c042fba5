// SPDX-License-Identifier: GPL-2.0
/*
 * pthread_create() and pthread_join(), interposed (docs/libcxl.md,
 * "Time"), as vsleep.c interposes the sleeps: a dynamic program binds to
 * these first (libcxl.map exports them at glibc's version), a static one
 * links them.  They tell the lockstep machine when a program thread
 * starts running program code and when one waits for another, so that
 * the machine neither advances while a new thread runs nor waits for a
 * thread that waits for another.  The host's own functions do the work.
 */
#define pr_fmt(fmt) "libcxl: " fmt

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>

#include "lx.h"

/* The host's functions, found once (real_once) and only read after. */
static int (*real_create)(pthread_t *tid, const pthread_attr_t *attr,
			  void *(*start)(void *arg), void *arg);
static int (*real_join)(pthread_t tid, void **ret);
static pthread_once_t real_once = PTHREAD_ONCE_INIT;

static void real_find(void)
{
	real_create = dlsym(RTLD_NEXT, "pthread_create");
	real_join = dlsym(RTLD_NEXT, "pthread_join");
	if (!real_create || !real_join)
		pr_err("the host's pthread_create/pthread_join not found: %s\n", dlerror());
}

int lx_real_pthread_create(pthread_t *tid, const pthread_attr_t *attr,
			   void *(*start)(void *arg), void *arg)
{
	pthread_once(&real_once, real_find);
	return real_create ? real_create(tid, attr, start, arg) : ENOSYS;
}

int lx_real_pthread_join(pthread_t tid, void **ret)
{
	pthread_once(&real_once, real_find);
	return real_join ? real_join(tid, ret) : ENOSYS;
}

int pthread_create(pthread_t *tid, const pthread_attr_t *attr, void *(*start)(void *arg),
		   void *arg)
{
	int detach = PTHREAD_CREATE_JOINABLE;
	struct lx_thread *t;
	int ret;

	if (attr)
		pthread_attr_getdetachstate(attr, &detach);
	t = lx_thread_spawn(start, arg, detach == PTHREAD_CREATE_DETACHED);
	if (!t)
		return lx_real_pthread_create(tid, attr, start, arg);
	ret = lx_real_pthread_create(tid, attr, lx_thread_start, t);
	lx_thread_spawned(t, ret, ret ? 0 : *tid, detach == PTHREAD_CREATE_DETACHED);
	return ret;
}

int pthread_join(pthread_t tid, void **retval)
{
	struct lx_thread *t = lx_join_begin(tid);
	int ret = lx_real_pthread_join(tid, retval);

	lx_join_end(t, ret);
	return ret;
}
