// SPDX-License-Identifier: GPL-2.0
/*
 * Task switch cost: what one baton handoff costs with our tasks, and with
 * the mechanisms we weighed against them (docs/tasks.md).  A handoff is
 * one task waking the other and going to sleep, so a ping-pong of N
 * round trips is 2N switches.  Each figure is the median of 5 runs.
 *
 *	build/bench/tasks [-n ROUNDTRIPS]
 *
 * The last line is "bench task-switch-ns: N ns", our tasks' figure.
 */
#define pr_fmt(fmt) "bench-tasks: " fmt

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "core/log.h"
#include "core/task.h"

#define RUNS 5
#define THREAD_ROUNDTRIPS_MAX 5000	/* thread handoffs cost microseconds */

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median ns per switch of RUNS calls of @fn, each doing @n round trips. */
static double measure(double (*fn)(long n), long n)
{
	double ns[RUNS];
	int i;

	for (i = 0; i < RUNS; i++)
		ns[i] = fn(n) / (2.0 * n);
	qsort(ns, RUNS, sizeof(ns[0]), cmp_double);
	return ns[RUNS / 2];
}

/* Our tasks: wake_one + task_wait, the handoff the driver shim does. */
struct pingpong {
	struct wait_obj w[2];
	long n;
};

static int pp_ping(void *arg)
{
	struct pingpong *pp = arg;
	long i;

	for (i = 0; i < pp->n; i++) {
		wake_one(&pp->w[1]);
		task_wait(&pp->w[0]);
	}
	wake_one(&pp->w[1]);
	return 0;
}

static int pp_pong(void *arg)
{
	struct pingpong *pp = arg;
	long i;

	for (i = 0; i < pp->n; i++) {
		task_wait(&pp->w[1]);
		wake_one(&pp->w[0]);
	}
	return 0;
}

static double tasks_wake_wait(long n)
{
	struct pingpong pp = { .n = n };
	struct sim_queue q;
	struct task_sched s;
	double t0, t1;

	simq_init(&q);
	sched_init(&s, &q);
	wait_init(&pp.w[0], "ping");
	wait_init(&pp.w[1], "pong");
	task_create(&s, "pong", pp_pong, &pp, 0);
	task_create(&s, "ping", pp_ping, &pp, 0);
	t0 = now_ns();
	if (sched_run(&s))
		abort();
	t1 = now_ns();
	sched_exit(&s);
	simq_exit(&q);
	return t1 - t0;
}

/* A yield: a timer event, the idle task running it, two switches. */
static int yields(void *arg)
{
	long i, n = *(long *)arg;

	for (i = 0; i < n; i++)
		task_yield();
	return 0;
}

static double tasks_yield(long n)
{
	struct sim_queue q;
	struct task_sched s;
	double t0, t1;

	simq_init(&q);
	sched_init(&s, &q);
	task_create(&s, "yielder", yields, &n, 0);
	t0 = now_ns();
	if (sched_run(&s))
		abort();
	t1 = now_ns();
	sched_exit(&s);
	simq_exit(&q);
	return t1 - t0;
}

/* swapcontext() alone, no scheduler: what the portable fallback pays. */
static ucontext_t uc_main, uc_other;
static long uc_n;

static void uc_pong(void)
{
	for (;;)
		swapcontext(&uc_other, &uc_main);
}

static double raw_swapcontext(long n)
{
	size_t len = 64 * 1024;
	void *stack = mmap(NULL, len, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	double t0, t1;
	long i;

	if (stack == MAP_FAILED)
		abort();
	getcontext(&uc_other);
	uc_other.uc_stack.ss_sp = stack;
	uc_other.uc_stack.ss_size = len;
	uc_other.uc_link = NULL;
	makecontext(&uc_other, uc_pong, 0);
	uc_n = n;
	t0 = now_ns();
	for (i = 0; i < uc_n; i++)
		swapcontext(&uc_main, &uc_other);
	t1 = now_ns();
	munmap(stack, len);
	return t1 - t0;
}

/* Host threads passing a baton: a futex word naming who may run. */
struct baton {
	atomic_int turn;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	long n;
	bool condvar;
	bool one_cpu;
};

static void futex_wait(atomic_int *word, int val)
{
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake(atomic_int *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void baton_wait_for(struct baton *b, int me)
{
	int turn;

	if (b->condvar) {
		pthread_mutex_lock(&b->lock);
		while (atomic_load(&b->turn) != me)
			pthread_cond_wait(&b->cond, &b->lock);
		pthread_mutex_unlock(&b->lock);
		return;
	}
	while ((turn = atomic_load(&b->turn)) != me)
		futex_wait(&b->turn, turn);
}

static void baton_pass(struct baton *b, int to)
{
	if (b->condvar) {
		pthread_mutex_lock(&b->lock);
		atomic_store(&b->turn, to);
		pthread_cond_signal(&b->cond);
		pthread_mutex_unlock(&b->lock);
		return;
	}
	atomic_store(&b->turn, to);
	futex_wake(&b->turn);
}

static void pin_to_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *baton_pong(void *arg)
{
	struct baton *b = arg;
	long i;

	if (b->one_cpu)
		pin_to_cpu0();
	for (i = 0; i < b->n; i++) {
		baton_wait_for(b, 1);
		baton_pass(b, 0);
	}
	return NULL;
}

static double threads(long n, bool condvar, bool one_cpu)
{
	struct baton b = { .n = n, .condvar = condvar, .one_cpu = one_cpu };
	cpu_set_t saved;
	pthread_t th;
	double t0, t1;
	long i;

	pthread_mutex_init(&b.lock, NULL);
	pthread_cond_init(&b.cond, NULL);
	sched_getaffinity(0, sizeof(saved), &saved);
	if (one_cpu)
		pin_to_cpu0();
	pthread_create(&th, NULL, baton_pong, &b);
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		baton_pass(&b, 1);
		baton_wait_for(&b, 0);
	}
	t1 = now_ns();
	pthread_join(th, NULL);
	sched_setaffinity(0, sizeof(saved), &saved);
	pthread_cond_destroy(&b.cond);
	pthread_mutex_destroy(&b.lock);
	return t1 - t0;
}

static double threads_futex(long n)
{
	return threads(n, false, false);
}

static double threads_futex_one_cpu(long n)
{
	return threads(n, false, true);
}

static double threads_condvar(long n)
{
	return threads(n, true, false);
}

static double threads_condvar_one_cpu(long n)
{
	return threads(n, true, true);
}

int main(int argc, char **argv)
{
	long n = 1000000, tn;
	double chosen;

	if (argc == 3 && !strcmp(argv[1], "-n"))
		n = atol(argv[2]);
	if (n <= 0) {
		fprintf(stderr, "usage: %s [-n ROUNDTRIPS]\n", argv[0]);
		return 2;
	}
	tn = n < THREAD_ROUNDTRIPS_MAX ? n : THREAD_ROUNDTRIPS_MAX;
	log_set_level(LOG_WARN);
#ifdef TASK_SWITCH_ASM
	printf("tasks: switch mechanism: x86-64 assembly\n");
#else
	printf("tasks: switch mechanism: swapcontext (portable fallback)\n");
#endif
	printf("tasks: %ld round trips (threads: %ld), median of %d runs, ns per switch\n",
	       n, tn, RUNS);
	chosen = measure(tasks_wake_wait, n);
	printf("tasks: task wake_one + task_wait        %8.1f\n", chosen);
	printf("tasks: task_yield (timer + idle loop)   %8.1f per yield\n",
	       measure(tasks_yield, n) * 2);
	printf("tasks: raw swapcontext                  %8.1f\n", measure(raw_swapcontext, n));
	printf("tasks: threads, futex baton             %8.1f\n", measure(threads_futex, tn));
	printf("tasks: threads, futex baton, one CPU    %8.1f\n",
	       measure(threads_futex_one_cpu, tn));
	printf("tasks: threads, condvar baton           %8.1f\n", measure(threads_condvar, tn));
	printf("tasks: threads, condvar baton, one CPU  %8.1f\n",
	       measure(threads_condvar_one_cpu, tn));
	printf("bench task-switch-ns: %.1f ns\n", chosen);
	return 0;
}
