// SPDX-License-Identifier: GPL-2.0
/*
 * The handoff between a host program's threads and the simulated machine
 * (docs/libcxl.md, "How a call runs").
 *
 * The machine runs on its own simulator thread, inside kshim_run().  Two
 * kinds of kernel task stand for the program there:
 *  - one process per program thread that calls libcxl, which waits in
 *    "user mode" until it is handed a call, runs it and waits again;
 *  - the gate, a kernel task of its own, which takes the calls the
 *    program threads queue (under lx.lock) and hands each to its process.
 * The gate is also where the simulator thread blocks on the host: in
 * lockstep when no call is in progress (the machine waits for the
 * program), and whenever the machine has nothing at all to do.  While
 * calls run it looks for new ones every quantum of simulated time, or
 * every LX_LOOK_BLOCKED when no thread we know can make one.  Calls that
 * nothing can ever complete are a deadlock: reported, and ended with
 * -EDEADLK (gate_idle(), gate_deadlock()).
 *
 * A program thread waits for its call on its own eventfd, with a system
 * call that a signal interrupts as the kernel would interrupt the real
 * one: a handler without SA_RESTART ends the wait with EINTR, and the
 * simulated call is then signalled in turn (TIF_SIGPENDING).
 *
 * Lockstep with several threads (docs/libcxl.md, "Time"): program code
 * costs no simulated time, so the machine stands still while any thread
 * it counts runs program code, and only one such thread runs at a time,
 * the holder of the baton.  The baton goes round in an order the machine
 * decides: threads whose calls completed, in completion order, and new
 * threads, in their creator's order.  Calls are taken once no counted
 * thread runs, sorted by thread lineage.  So the order of everything the
 * program does, its own mappings included, is a function of the program.
 */
#define pr_fmt(fmt) "libcxl: " fmt

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "afu/afu.h"
#include "core/time.h"
#include "host/cosim.h"
#include "host/hmem.h"
#include "host/hsched.h"
#include "host/kdev.h"
#include "host/uproc.h"
#include "host/world.h"
#include "psl/psl.h"
#include "lx.h"

/* How long the stop path waits for calls to finish, in simulated time. */
#define LX_DRAIN_LIMIT	(10 * PS_PER_S)

/*
 * A thread that runs program code while the machine waits for it is
 * looked at every LX_SAMPLE_NS of host time; one seen asleep on the host
 * in LX_SAMPLE_ASLEEP of LX_SAMPLES looks waits for something (a lock,
 * a condition, another thread's progress) and stops being waited for.
 */
#define LX_SAMPLE_NS		1000000L
#define LX_SAMPLES		20
#define LX_SAMPLE_ASLEEP	18

/*
 * In lockstep, while every thread we know waits in a call, none can make
 * a new one: the gate looks at the host only this often, for signals and
 * for threads we do not know, rather than every quantum.
 */
#define LX_LOOK_BLOCKED		PS_PER_MS

/* Generations of threads below the main thread that are counted from their creation. */
#define LX_LINEAGE		8

/* The machine's life; lx_set_state() is the only place it changes. */
enum lx_state {
	LX_DOWN,	/* no machine: the next call boots one */
	LX_BOOTING,	/* the simulator thread is starting it */
	LX_UP,		/* calls are taken */
	LX_STOPPING,	/* the gate finishes the calls in progress and tears down */
	LX_ENDED,	/* the simulator thread is done; lx_shutdown() joins it */
	LX_FORKED,	/* a child of fork(): the machine is the parent's */
};

/* One system call, on its caller's stack until done. */
struct lx_req {
	long (*fn)(void *arg);
	void (*rec)(void *arg, long ret, const struct lx_call_info *ci);	/* or NULL */
	void *arg;
	long ret;
	struct lx_proc *proc;	/* who runs it; NULL: the gate itself */
	struct lx_thread *thr;	/* who waits for it */
	u64 seq;		/* the calling thread's call number */
	int efd;		/* the caller's wake-up */
	bool done;		/* under lx.lock */
	struct lx_req *next;	/* on lx.queue */
};

/*
 * A simulated process.  Made by its thread's first call and ended by the
 * machine's stop (a thread that exits leaves its process, whose address
 * space the contexts it attached may still use).  @sig_seq is under
 * lx.lock; everything else belongs to the simulator thread.
 */
struct lx_proc {
	void *up;		/* the kernel's process (uproc.h) */
	int pid;
	struct lx_req *call;	/* the call it runs, NULL between calls */
	u64 call_seq;		/* that call's number, 0 between calls */
	u64 sig_seq;		/* the call a signal interrupted, 0 for none */
	u64 sig_hit;		/* ... as the gate took it */
	u64 dead_seq;		/* the call a deadlock ends with -EDEADLK, 0 for none */
	bool exiting;
	struct lx_proc *next;	/* on lx.procs */
};

/*
 * What a program thread is doing, as far as lockstep cares; only
 * thread_set() changes it.  Threads in LX_T_HOST are counted: the machine
 * does not advance while any is (lx.running).
 */
enum lx_tstate {
	LX_T_HOST,	/* runs program code, or waits for the baton to */
	LX_T_FREE,	/* runs program code uncounted: not yet seen, or seen waiting on the host */
	LX_T_CALL,	/* in a call, a simulated sleep included */
	LX_T_JOIN,	/* in pthread_join() of a thread we know, until that one ends */
	LX_T_GONE,	/* ended; the record stays until joined, unless detached */
};

static const bool lx_tmoves[][LX_T_GONE + 1] = {
	[LX_T_HOST] = { [LX_T_FREE] = true, [LX_T_CALL] = true, [LX_T_JOIN] = true,
			[LX_T_GONE] = true },
	[LX_T_FREE] = { [LX_T_CALL] = true, [LX_T_GONE] = true },
	[LX_T_CALL] = { [LX_T_HOST] = true },
	[LX_T_JOIN] = { [LX_T_HOST] = true },
	[LX_T_GONE] = { },
};

/*
 * A program thread we know: the main thread from its first call or
 * pthread_create(), the threads it and its descendants start
 * (threads.c) from their creation, any other thread from its first call.
 * The first group is "known": its order, its lineage, is the program's.
 */
struct lx_thread {
	/* The thread's own */
	struct lx_proc *proc;		/* its process on the machine of generation @gen */
	unsigned int gen;
	int efd;			/* -1 before the first call; closed under lx.lock */
	u64 next_seq;
	void *(*start)(void *arg);	/* what pthread_create() was asked to run */
	void *start_arg;
	/* Set before the thread runs, then read-only */
	u16 line[LX_LINEAGE];		/* child numbers from the main thread down */
	u8 depth;
	bool known;
	bool detached;
	/* Under lx.lock */
	enum lx_tstate state;
	bool queued;			/* on lx.ready, waiting for the baton */
	bool booting;			/* waits for the machine's boot, as in a call */
	struct lx_thread *ready_next;
	struct lx_thread *joiner;	/* in pthread_join() of this one, LX_T_JOIN */
	pthread_t tid;
	bool has_tid;
	pid_t ktid;			/* the host kernel's thread id, 0 before it runs */
	u16 children;			/* threads it started, for their lineage */
	u8 samples, asleep;		/* the host's looks since it last changed state */
	struct lx_thread *next;		/* on lx.threads */
};

static __thread struct lx_thread *lx_self;
static pthread_key_t lx_thread_key;
static pthread_once_t lx_once = PTHREAD_ONCE_INIT;

/*
 * The machine.  The fields up to @boot_rc are under @lock (program
 * threads and the simulator thread).  @verdict and @thread are set before
 * the simulator thread starts, @verdict is then its own until it ends
 * (lx_shutdown() reads it after the join); @conf is written before it
 * starts and only read after; the rest belongs to the simulator thread.
 */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t gate_cond;	/* the gate waits for calls, signals, stop */
	pthread_cond_t state_cond;	/* program threads wait for a state change */
	enum lx_state state;
	unsigned int gen;		/* bumped at each boot */
	struct lx_req *queue;		/* calls not yet taken by the gate, FIFO */
	struct lx_req **queue_tail;
	unsigned int calls;		/* calls submitted and not done */
	struct lx_thread *threads;	/* every thread record */
	unsigned int running;		/* threads in LX_T_HOST */
	struct lx_thread *baton;	/* the one counted thread running program code, or NULL */
	struct lx_thread *ready;	/* waiting for the baton, FIFO */
	struct lx_thread **ready_tail;
	pthread_cond_t baton_cond;	/* the baton moved, or a joiner was released */
	bool sigs;			/* some process has sig_seq set */
	bool stop;			/* lx_shutdown() asks the gate to stop */
	/*
	 * A machine was abandoned with the driver in it (gate_abandon()): the
	 * driver's statics still point into that machine, so no other boots.
	 */
	bool wrecked;
	int boot_rc;
	int verdict;
	u64 boot_ns;			/* host time of the boot, for the status */
	pthread_t thread;
	bool joinable;			/* @thread was started and not yet joined */

	struct lx_conf conf;

	struct lx_proc *procs;
	unsigned int nr_procs;
	u64 procs_made;			/* over the machine's life, for the status */
	int run_ret;			/* what kshim_run() returned */
	unsigned int deadlocks;		/* deadlocks the gate found (gate_deadlock()) */
	void *gate;			/* the gate's kernel process */
	struct afu *afu;
	bool log_opened;
	bool world_up;			/* world_init() ran: the teardown has work */
} lx = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.gate_cond = PTHREAD_COND_INITIALIZER,
	.state_cond = PTHREAD_COND_INITIALIZER,
	.queue_tail = &lx.queue,
	.ready_tail = &lx.ready,
	.baton_cond = PTHREAD_COND_INITIALIZER,
};

static const bool lx_transitions[][LX_FORKED + 1] = {
	[LX_DOWN] = { [LX_BOOTING] = true, [LX_FORKED] = true },
	[LX_BOOTING] = { [LX_UP] = true, [LX_STOPPING] = true, [LX_ENDED] = true,
			 [LX_FORKED] = true },
	[LX_UP] = { [LX_STOPPING] = true, [LX_FORKED] = true },
	[LX_STOPPING] = { [LX_ENDED] = true, [LX_FORKED] = true },
	[LX_ENDED] = { [LX_DOWN] = true, [LX_FORKED] = true },
	[LX_FORKED] = { [LX_FORKED] = true },
};

/* ---- The baton and the threads' states, all under lx.lock ---- */

/*
 * The baton orders program code in lockstep: while the machine takes
 * calls, and before its boot unless the environment asks for free time
 * (so that what the threads do before their first call is ordered too).
 */
static bool baton_on(void)
{
	const char *time = getenv("CAPISIM_TIME");

	switch (lx.state) {
	case LX_DOWN:
	case LX_BOOTING:
		return !time || strcmp(time, "free");
	case LX_UP:
		return lx.conf.time == LX_TIME_LOCKSTEP;
	default:
		return false;
	}
}

/* Hand the free baton to the first thread waiting for it. */
static void baton_pass(void)
{
	struct lx_thread *t = lx.ready;

	if (lx.baton || !t)
		return;
	lx.ready = t->ready_next;
	if (!lx.ready)
		lx.ready_tail = &lx.ready;
	t->ready_next = NULL;
	t->queued = false;
	lx.baton = t;
	pthread_cond_broadcast(&lx.baton_cond);
}

static void baton_queue(struct lx_thread *t)
{
	if (!baton_on())
		return;
	t->queued = true;
	*lx.ready_tail = t;
	lx.ready_tail = &t->ready_next;
	baton_pass();
}

/* @t stops running program code: off the line, and the baton goes on. */
static void baton_drop(struct lx_thread *t)
{
	struct lx_thread **pp;

	if (t->queued) {
		for (pp = &lx.ready; *pp != t; pp = &(*pp)->ready_next)
			;
		*pp = t->ready_next;
		if (!*pp)
			lx.ready_tail = pp;
		t->ready_next = NULL;
		t->queued = false;
	}
	if (lx.baton == t) {
		lx.baton = NULL;
		baton_pass();
	}
}

/* The machine stops taking calls: nobody waits for the baton any more. */
static void baton_reset(void)
{
	struct lx_thread *t;

	for (t = lx.ready; t; t = t->ready_next)
		t->queued = false;
	lx.ready = NULL;
	lx.ready_tail = &lx.ready;
	lx.baton = NULL;
	pthread_cond_broadcast(&lx.baton_cond);
}

static void thread_set(struct lx_thread *t, enum lx_tstate to)
{
	if (!lx_tmoves[t->state][to]) {
		pr_err("BUG: thread state %d -> %d\n", t->state, to);
		abort();
	}
	if (t->state == LX_T_HOST) {
		lx.running--;
		baton_drop(t);
	}
	/* The gate may wait for every thread to be in a call (gate_idle()). */
	if (t->state == LX_T_HOST || t->state == LX_T_FREE)
		pthread_cond_signal(&lx.gate_cond);
	t->state = to;
	t->samples = 0;
	t->asleep = 0;
	if (to == LX_T_HOST) {
		lx.running++;
		baton_queue(t);
	}
}

/*
 * Under lx.lock: a new record @t goes on lx.threads in state @st; in
 * LX_T_HOST it waits for the baton if @wait, else it already runs, and
 * takes the baton if that is free.
 */
static void thread_link(struct lx_thread *t, enum lx_tstate st, bool wait)
{
	t->state = st;
	if (st == LX_T_HOST) {
		lx.running++;
		if (wait)
			baton_queue(t);
		else if (baton_on() && !lx.baton)
			lx.baton = t;
	}
	t->next = lx.threads;
	lx.threads = t;
}

/* Wait on @cond for at most LX_SAMPLE_NS; true if the time is up. */
static bool cond_wait_sample(pthread_cond_t *cond)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += LX_SAMPLE_NS;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return pthread_cond_timedwait(cond, &lx.lock, &ts) == ETIMEDOUT;
}

/* Is host thread @ktid asleep in the host kernel, as /proc says? */
static bool host_asleep(pid_t ktid)
{
	char path[64], buf[256];
	const char *st;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", ktid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	st = strrchr(buf, ')');
	return st && st[1] == ' ' && st[2] == 'S';
}

/*
 * One look at @t, while calls or threads wait for the program code it
 * runs.  A thread the host keeps asleep waits for something we cannot
 * see (a mutex, a condition, a pipe, another thread spinning on a flag),
 * maybe for the very calls or threads that wait for it.  It stops being
 * counted until its next call, and runs out of lockstep meanwhile.
 */
static void thread_sample(struct lx_thread *t)
{
	if (t->state != LX_T_HOST || t->queued || t->booting || !t->ktid)
		return;
	t->samples++;
	t->asleep += host_asleep(t->ktid);
	if (t->samples < LX_SAMPLES)
		return;
	if (t->asleep >= LX_SAMPLE_ASLEEP) {
		pr_notice("thread %d waits on the host while the machine waits for it: "
			  "out of lockstep until its next call\n", t->ktid);
		thread_set(t, LX_T_FREE);
		return;
	}
	t->samples = 0;
	t->asleep = 0;
}

/* Until @t may run program code; the first in line looks at the holder. */
static void baton_wait(struct lx_thread *t)
{
	while (t->queued)
		if (cond_wait_sample(&lx.baton_cond) && lx.ready == t && lx.baton)
			thread_sample(lx.baton);
}

/* Under lx.lock. */
static void lx_set_state(enum lx_state to)
{
	bool baton = baton_on();

	if (!lx_transitions[lx.state][to]) {
		pr_err("BUG: machine state %d -> %d\n", lx.state, to);
		abort();
	}
	lx.state = to;
	if (baton && !baton_on())
		baton_reset();
	pthread_cond_broadcast(&lx.state_cond);
}

static bool on_sim_thread(void)
{
	enum lx_state st = lx.state;

	return (st == LX_BOOTING || st == LX_UP || st == LX_STOPPING) &&
	       pthread_equal(pthread_self(), lx.thread);
}

/* ---- The simulator thread ---- */

/* Nothing runnable and no event pending: only the host can change that. */
static bool sim_idle(void)
{
	const struct task_sched *s = &kshim_world.sched;

	return s->runq.next == &s->runq && simq_next_time(&kshim_world.q) == SIM_TIME_NEVER;
}

/* Under lx.lock: lockstep, and the program runs: time stands still. */
static bool gate_held(void)
{
	return lx.conf.time == LX_TIME_LOCKSTEP && lx.running && !lx.stop;
}

/* Under lx.lock, while calls or threads wait for program code: look at who runs it. */
static void threads_sample(void)
{
	struct lx_thread *t;

	for (t = lx.threads; t; t = t->next)
		thread_sample(t);
}

/*
 * Under lx.lock: no thread we know can make a call: each is in one, in
 * pthread_join() of one we know, or gone.  *@live counts those not gone.
 */
static bool threads_blocked(unsigned int *live)
{
	struct lx_thread *t;

	*live = 0;
	for (t = lx.threads; t; t = t->next) {
		if (t->state == LX_T_HOST || t->state == LX_T_FREE)
			return false;
		*live += t->state != LX_T_GONE;
	}
	return true;
}

/* Threads of the host process, this one included; 0 if /proc cannot tell. */
static unsigned int host_threads(void)
{
	unsigned int n = 0;
	struct dirent *d;
	DIR *dir = opendir("/proc/self/task");

	if (!dir)
		return 0;
	while ((d = readdir(dir)))
		n += d->d_name[0] != '.';
	closedir(dir);
	return n;
}

/* Could a timer of the host process raise a signal (alarm(), setitimer(), timer_create())? */
static bool host_timers(void)
{
	struct itimerval it;
	char line[64];
	bool any;
	FILE *f;

	if (getitimer(ITIMER_REAL, &it) || it.it_value.tv_sec || it.it_value.tv_usec)
		return true;
	f = fopen("/proc/self/timers", "re");
	if (!f)
		return false;
	any = fgets(line, sizeof(line), f);
	fclose(f);
	return any;
}

/* What the gate finds when it would block the simulator thread. */
enum gate_idle {
	GATE_IDLE_WAIT,		/* the host may act: wait for it */
	GATE_IDLE_LOOK,		/* deadlocked unless a thread or timer we do not know acts */
	GATE_IDLE_DEADLOCK,	/* the calls in progress can never complete */
};

/*
 * Under lx.lock, with the machine idle but for the gate: calls wait, no
 * thread we know can make another or signal one, and no other thread or
 * timer of the host could.  A signal sent by another process is the one
 * thing that cannot be foreseen (docs/libcxl.md, "How a call runs").
 */
static enum gate_idle gate_idle(void)
{
	unsigned int live;

	if (!lx.calls || lx.queue || lx.sigs || lx.stop || !sim_idle() ||
	    !threads_blocked(&live))
		return GATE_IDLE_WAIT;
	if (host_timers() || host_threads() != live + 1)
		return GATE_IDLE_LOOK;
	return GATE_IDLE_DEADLOCK;
}

/* Under lx.lock: the simulator thread waits for the host, looking at who it waits for. */
static void sim_wait_host(void)
{
	if (!gate_held() || (!lx.calls && !lx.ready))
		pthread_cond_wait(&lx.gate_cond, &lx.lock);
	else if (cond_wait_sample(&lx.gate_cond))
		threads_sample();
}

/* A call is done: wake its caller (under the lock, which owns the eventfd's life). */
static void complete(struct lx_req *req, long ret)
{
	pthread_mutex_lock(&lx.lock);
	req->ret = ret;
	req->done = true;
	if (eventfd_write(req->efd, 1))
		pr_err("cannot wake a caller: %s\n", strerror(errno));
	lx.calls--;
	thread_set(req->thr, LX_T_HOST);
	/*
	 * In lockstep the machine stops here, in the middle of its instant:
	 * the caller runs program code, and nothing of the machine runs until
	 * it (and any other) is back in a call.  The gate then takes the new
	 * calls at this same instant.
	 */
	while (gate_held())
		sim_wait_host();
	pthread_mutex_unlock(&lx.lock);
	if (lx.conf.time == LX_TIME_LOCKSTEP)
		kshim_uproc_kick(lx.gate);
}

static void proc_unlink(struct lx_proc *p)
{
	struct lx_proc **pp;

	for (pp = &lx.procs; *pp != p; pp = &(*pp)->next)
		;
	*pp = p->next;
	lx.nr_procs--;
}

/* Run @req in its process @p, and its recorder after it. */
static long run_call(struct lx_proc *p, struct lx_req *req)
{
	struct lx_call_info ci = {
		.pid = p->pid, .comm = program_invocation_short_name, .start = hsched_now(),
	};
	long ret = req->fn(req->arg);

	if (p->dead_seq && p->dead_seq == p->call_seq) {
		/* Interrupted by gate_deadlock(), unless it completed after all. */
		if (ret < 0)
			ret = -EDEADLK;
		p->dead_seq = 0;
	}
	if (req->rec)
		req->rec(req->arg, ret, &ci);
	return ret;
}

/* A process: wait for a call, run it, return to user mode, again. */
static int proc_main(void *arg)
{
	struct lx_proc *p = arg;

	for (;;) {
		struct lx_req *req;
		long ret;

		kshim_uproc_wait(p->up);
		if (p->exiting)
			break;
		req = p->call;
		if (!req)
			continue;
		ret = run_call(p, req);
		kshim_uproc_ret_user();
		p->call = NULL;
		p->call_seq = 0;
		complete(req, ret);
	}
	lx_mirror_remove_mm(kshim_uproc_mm(p->up));
	kshim_uproc_exit(p->up);
	proc_unlink(p);
	free(p);
	kshim_uproc_kick(lx.gate);
	return 0;
}

/* Run by the gate for a thread's first call: its process, mirroring the program. */
static long proc_create(void *arg)
{
	struct lx_proc *p = arg;
	int ret;

	p->up = kshim_uproc_create(program_invocation_short_name, proc_main, p, 1);
	if (!p->up)
		return -ENOMEM;
	p->pid = kshim_uproc_pid(p->up);
	p->next = lx.procs;
	lx.procs = p;
	lx.nr_procs++;
	lx.procs_made++;
	/* A mirror that cannot be read now is read again at the first miss. */
	ret = lx_mirror_add_mm(kshim_uproc_mm(p->up));
	if (ret)
		pr_warn("process %d: the program's mappings: %s\n", kshim_uproc_pid(p->up),
			strerror(-ret));
	return 0;
}

/* The mode the configuration asks for, set through sysfs as an administrator would. */
static int gate_set_mode(void)
{
	const char *want = !strcmp(lx.conf.mode, "dedicated") ? "dedicated_process" :
			   "afu_directed";
	char cur[32];
	long ret;

	if (!*lx.conf.mode)
		return 0;
	if (kshim_sysfs_read("cxl/afu0.0/mode", cur, sizeof(cur), 0) < 0) {
		pr_warn("no AFU: mode %s not set\n", lx.conf.mode);
		return 0;
	}
	if (!strncmp(cur, want, strlen(want)))
		return 0;
	ret = kshim_sysfs_write("cxl/afu0.0/mode", want, strlen(want));
	if (ret < 0) {
		pr_err("cannot set AFU mode %s: %s\n", want, strerror(-ret));
		return ret;
	}
	return 0;
}

/* Under lx.lock: may the gate block the simulator thread until the host acts? */
static bool gate_may_block(void)
{
	if (lx.sigs || lx.stop)
		return false;
	if (lx.conf.time == LX_TIME_LOCKSTEP && (lx.running || !lx.calls))
		return true;
	return !lx.queue && sim_idle();
}

/* Does @a come before @b?  Known threads by lineage, then the others as they came. */
static bool thread_before(const struct lx_thread *a, const struct lx_thread *b)
{
	unsigned int i;

	if (a->known != b->known)
		return a->known;
	if (!a->known)
		return false;
	for (i = 0; i < a->depth && i < b->depth; i++)
		if (a->line[i] != b->line[i])
			return a->line[i] < b->line[i];
	return a->depth < b->depth;
}

/* The calls in the order the gate takes them (a stable insertion sort). */
static struct lx_req *queue_sorted(struct lx_req *q)
{
	struct lx_req *sorted = NULL, **pp;

	while (q) {
		struct lx_req *req = q;

		q = q->next;
		for (pp = &sorted; *pp && !thread_before(req->thr, (*pp)->thr); pp = &(*pp)->next)
			;
		req->next = *pp;
		*pp = req;
	}
	return sorted;
}

/* What gate_take() found besides calls. */
struct gate_news {
	bool sigs;	/* signals to deliver */
	bool stop;	/* lx_shutdown() asks the gate to stop */
	bool held;	/* program code runs: deliver the signals, but time stands still */
	bool deadlock;	/* the calls in progress can never complete */
};

/* Take what the program threads posted: calls, signals, a stop. */
static struct lx_req *gate_take(bool may_block, struct gate_news *news)
{
	struct lx_req *reqs = NULL;
	struct lx_proc *p;

	news->deadlock = false;
	pthread_mutex_lock(&lx.lock);
	while (may_block && gate_may_block()) {
		enum gate_idle idle = gate_idle();

		if (idle == GATE_IDLE_DEADLOCK) {
			news->deadlock = true;
			break;
		}
		if (idle == GATE_IDLE_LOOK)
			cond_wait_sample(&lx.gate_cond);
		else
			sim_wait_host();
	}
	news->held = gate_held();
	if (!news->held) {
		reqs = queue_sorted(lx.queue);
		lx.queue = NULL;
		lx.queue_tail = &lx.queue;
	}
	news->sigs = lx.sigs;
	lx.sigs = false;
	for (p = lx.procs; news->sigs && p; p = p->next) {
		p->sig_hit = p->sig_seq;
		p->sig_seq = 0;
	}
	news->stop = lx.stop;
	pthread_mutex_unlock(&lx.lock);
	return reqs;
}

static void gate_deliver(struct lx_req *reqs, bool sigs)
{
	struct lx_proc *p;

	while (reqs) {
		struct lx_req *req = reqs;

		reqs = req->next;
		if (!req->proc) {
			complete(req, req->fn(req->arg));
			continue;
		}
		p = req->proc;
		p->call = req;
		p->call_seq = req->seq;
		kshim_uproc_kick(p->up);
	}
	for (p = lx.procs; sigs && p; p = p->next) {
		if (p->sig_hit && p->sig_hit == p->call_seq)
			kshim_uproc_signal(p->up);
		p->sig_hit = 0;
	}
}

/* Let what is runnable now run, without simulated time passing. */
static void gate_yield(void)
{
	kshim_uproc_wait_until(lx.gate, hsched_now());
}

/*
 * Let the machine run a quantum, or up to its next event if that is
 * later.  In lockstep, while every thread we know is in a call, no call
 * can come before one completes, which kicks the gate: it looks at the
 * host only every LX_LOOK_BLOCKED then.
 */
static void gate_pause(void)
{
	u64 step = lx.conf.quantum_ps, t, next;
	unsigned int live;

	pthread_mutex_lock(&lx.lock);
	if (lx.conf.time == LX_TIME_LOCKSTEP && !lx.stop && threads_blocked(&live))
		step = LX_LOOK_BLOCKED;
	pthread_mutex_unlock(&lx.lock);
	t = hsched_now() + step;
	next = simq_next_time(&kshim_world.q);

	kshim_uproc_wait_until(lx.gate, next != SIM_TIME_NEVER && next > t ? next : t);
}

/* Calls never taken, at stop: they fail. */
static void gate_refuse_queued(void)
{
	struct gate_news news;
	struct lx_req *reqs;

	for (reqs = gate_take(false, &news); reqs;) {
		struct lx_req *req = reqs;

		reqs = req->next;
		complete(req, -ENODEV);
	}
}

/* Interrupt the calls in progress and let them finish; false if they would not. */
static bool gate_drain(void)
{
	u64 limit = hsched_now() + LX_DRAIN_LIMIT;
	struct lx_proc *p;
	unsigned int calls;

	for (p = lx.procs; p; p = p->next)
		if (p->call)
			kshim_uproc_signal(p->up);
	for (;;) {
		gate_refuse_queued();
		pthread_mutex_lock(&lx.lock);
		calls = lx.calls;
		pthread_mutex_unlock(&lx.lock);
		if (!calls)
			return true;
		if (hsched_now() >= limit) {
			pr_err("stop: %u call%s still running after %llu s: machine abandoned\n",
			       calls, calls == 1 ? "" : "s", LX_DRAIN_LIMIT / PS_PER_S);
			return false;
		}
		gate_pause();
	}
}

/*
 * The calls a deadlock ended still wait, uninterruptibly, and nothing can
 * wake them: end them here with -EDEADLK, and the machine with them, as
 * gate_stop() abandons one.  Their processes never run again.
 */
static void gate_abandon(void)
{
	struct lx_proc *p;

	pr_err("deadlock: calls wait uninterruptibly after the signal: machine abandoned\n");
	pthread_mutex_lock(&lx.lock);
	lx.stop = true;
	lx.wrecked = true;
	lx_set_state(LX_STOPPING);
	pthread_mutex_unlock(&lx.lock);
	for (p = lx.procs; p; p = p->next) {
		if (!p->call)
			continue;
		complete(p->call, -EDEADLK);
		p->call = NULL;
	}
	gate_refuse_queued();
	lx.verdict++;
	sched_stop(&kshim_world.sched);
}

/*
 * Every call in progress waits for something nothing will ever do:
 * report it as the shim reports a deadlock, count it, and end the calls
 * with a signal, which makes them fail with -EDEADLK (run_call()).
 * Returns true if the machine had to be abandoned instead.
 */
static bool gate_deadlock(void)
{
	const struct task_sched *s = &kshim_world.sched;
	struct lx_proc *p;

	for (p = lx.procs; p; p = p->next) {
		if (p->call && p->dead_seq == p->call_seq) {
			gate_abandon();
			return true;
		}
	}
	pr_err("deadlock: %u task%s asleep, none runnable, no event pending; every program "
	       "thread waits in a call\n", s->nr_tasks, s->nr_tasks == 1 ? "" : "s");
	hsched_dump_waiting("the program's calls");
	fprintf(stderr, "capisim: deadlock: the program's calls can never complete (each task's "
		"wait is logged) — they fail with EDEADLK\n");
	lx.deadlocks++;
	lx.verdict++;
	for (p = lx.procs; p; p = p->next) {
		if (!p->call)
			continue;
		p->dead_seq = p->call_seq;
		kshim_uproc_signal(p->up);
	}
	return false;
}

/* The stop: what a system shutdown does, in the gate's context. */
static void gate_stop(void)
{
	struct lx_proc *p;

	pthread_mutex_lock(&lx.lock);
	lx_set_state(LX_STOPPING);
	pthread_mutex_unlock(&lx.lock);
	if (!gate_drain()) {
		pthread_mutex_lock(&lx.lock);
		lx.wrecked = true;
		pthread_mutex_unlock(&lx.lock);
		lx.verdict++;
		sched_stop(&kshim_world.sched);
		return;
	}
	kshim_files_close_all();
	for (p = lx.procs; p; p = p->next) {
		p->exiting = true;
		kshim_uproc_kick(p->up);
	}
	while (lx.nr_procs)
		kshim_uproc_wait(lx.gate);
	kshim_shutdown();
}

static int gate_main(void *arg)
{
	int ret = kshim_boot();
	struct gate_news news;

	if (ret)
		pr_err("driver boot failed: %s\n", strerror(-ret));
	else
		ret = gate_set_mode();
	pthread_mutex_lock(&lx.lock);
	lx.boot_rc = ret;
	if (!ret)
		lx_set_state(LX_UP);
	pthread_mutex_unlock(&lx.lock);
	while (!ret) {
		struct lx_req *reqs = gate_take(true, &news);

		gate_deliver(reqs, news.sigs);
		if (news.stop)
			break;
		if (news.deadlock && gate_deadlock())
			return 0;
		if (news.deadlock || news.held)
			gate_yield();
		else if (!reqs && !news.sigs)
			gate_pause();
	}
	gate_stop();
	return 0;
}

/* Does CAPISIM_AFU name a plug-in's file rather than a built-in AFU? */
static bool afu_is_plugin(const char *afu)
{
	size_t len = strlen(afu);

	return strchr(afu, '/') || (len > 3 && !strcmp(afu + len - 3, ".so"));
}

/*
 * Load the plug-in at @path.  The loader's reason for a refusal goes into
 * the one-line problem rather than the log: the log is not open yet, and
 * lands on stderr until machine_setup() opens it.
 */
static int afu_plugin(const char *path, const struct afu_ops **ops)
{
	char *why = NULL;
	size_t len;
	FILE *f = open_memstream(&why, &len);
	int ret;

	if (f)
		log_set_file(f);
	ret = afu_load_plugin(path, ops);
	if (f) {
		log_set_file(NULL);
		fclose(f);
	}
	if (ret) {
		const char *reason = why ? strstr(why, path) : NULL;

		reason = reason ? reason + strlen(path) : ": not an AFU plug-in";
		if (*reason == ':')
			reason += 2;
		lx_problem("CAPISIM_AFU %s: %.*s — %s", path, (int)strcspn(reason, "\n"), reason,
			   strstr(reason, "undefined symbol: log_") ?
			   "a plug-in calling capisim's log needs libcxl.so.1: link the program "
			   "with the shared library" :
			   "build it with `capisim afu build` or name a built-in AFU");
	}
	free(why);
	return ret ? -ENODEV : 0;
}

static void afu_unknown(const char *name)
{
	char list[128] = "";
	size_t len = 0;
	unsigned int i;

	for (i = 0; afu_builtin(i) && len < sizeof(list); i++)
		len += snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
				afu_builtin(i)->name);
	lx_problem("CAPISIM_AFU: no built-in AFU '%s' — use one of %s, none, "
		   "or the path of a plug-in (.so)", name, list);
}

/* The AFU model CAPISIM_AFU names; NULL ops for "none". */
static int machine_afu_ops(const struct afu_ops **ops)
{
	*ops = NULL;
	if (!strcmp(lx.conf.afu, "none"))
		return 0;
	if (afu_is_plugin(lx.conf.afu))
		return afu_plugin(lx.conf.afu, ops);
	*ops = afu_find(lx.conf.afu);
	if (*ops)
		return 0;
	afu_unknown(lx.conf.afu);
	return -ENODEV;
}

static int machine_afu(const struct afu_ops *ops)
{
	int ret;

	if (!ops)
		return 0;
	lx.afu = ops->create("afu0.0", lx.conf.seed, lx.conf.afu_options);
	if (!lx.afu) {
		lx_problem("CAPISIM_AFU_OPTIONS: AFU %s refused '%s' (logged) — see its options "
			   "in docs/afu-guide.md", ops->name, lx.conf.afu_options);
		return -ENODEV;
	}
	ret = psl_afu_attach(&kshim_world.cards[0]->slice[0], lx.afu);
	if (ret)
		pr_err("cannot attach AFU %s: %s\n", lx.conf.afu, strerror(-ret));
	return ret;
}

/* The machine before its boot: memory, the platform, one card with its AFU, the gate. */
static int machine_setup(void)
{
	const struct afu_ops *ops;
	char *timing_text;
	struct psl_params p;
	int ret;

	psl_params_defaults(&p);
	ret = machine_afu_ops(&ops);
	if (!ret)
		ret = lx_timing_load(&lx.conf, &p.timing, &timing_text) ? -ENODEV : 0;
	if (ret)
		return ret;
	log_set_level(lx.conf.log_level);
	if (*lx.conf.log_file) {
		ret = log_open(lx.conf.log_file);
		if (ret) {
			lx_problem("CAPISIM_LOG_FILE %s: %s — name a writable file",
				   lx.conf.log_file, strerror(-ret));
			free(timing_text);
			return -ENODEV;
		}
		lx.log_opened = true;
	}
	world_init(lx.conf.seed);
	lx.world_up = true;
	lx_drv_reset();
	ret = lx_record_start(&lx.conf, timing_text) ? -ENODEV : 0;
	free(timing_text);
	if (!ret)
		ret = kshim_hmem_init();
	if (!ret)
		ret = cosim_init();
	if (ret)
		return ret;
	kshim_sched_init();
	kshim_dev_init();
	ret = cosim_card_add(&p, NULL);
	if (ret < 0)
		return ret;
	ret = machine_afu(ops);
	if (ret)
		return ret;
	lx.gate = kshim_uproc_create("libcxl-gate", gate_main, NULL, 0);
	return lx.gate ? 0 : -ENOMEM;
}

/* The counters the status file reports, taken while the cards are there. */
static void machine_snapshot(void)
{
	struct lx_stats st = {
		.sim_time_ps = simq_now(&kshim_world.q),
		.processes = lx.procs_made,
		.deadlock = lx.run_ret == -EDEADLK || lx.deadlocks,
		.verdict = lx.verdict,
	};

	lx_status_snapshot(&st);
}

static void machine_teardown(void)
{
	if (lx.world_up) {
		cosim_exit();
		if (lx.afu)
			lx.afu->ops->destroy(lx.afu);
		lx.afu = NULL;
		lx_mirror_reset();
		lx_record_stop();
		world_exit();
		hsched_reset();
	}
	lx.world_up = false;
	lx.procs = NULL;
	lx.nr_procs = 0;
	lx.procs_made = 0;
	lx.gate = NULL;
	if (lx.log_opened)
		log_close();
	lx.log_opened = false;
}

/*
 * Asynchronous signals go to the program's threads, never to this one:
 * they interrupt the program's calls.  Faults stay deliverable (a fault
 * with its signal blocked would kill the process unannounced).
 */
static void sim_block_signals(void)
{
	sigset_t set;

	sigfillset(&set);
	sigdelset(&set, SIGSEGV);
	sigdelset(&set, SIGBUS);
	sigdelset(&set, SIGFPE);
	sigdelset(&set, SIGILL);
	sigdelset(&set, SIGABRT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

/* One "check:count" of CAPISIM_EXPECT, @len bytes at @item; -EINVAL if it is not one. */
static int lx_expect_one(const char *item, size_t len)
{
	const char *colon = memchr(item, ':', len);
	unsigned long n;
	char *end;
	int i;

	if (!colon || colon + 1 == item + len || colon[1] < '0' || colon[1] > '9')
		return -EINVAL;
	n = strtoul(colon + 1, &end, 10);
	if (end != item + len || n > 1000000)
		return -EINVAL;
	for (i = 0; i < KSHIM_NR_CHECKS; i++) {
		const char *name = kshim_check_name(i);

		if (strlen(name) == (size_t)(colon - item) && !strncmp(name, item, colon - item)) {
			kshim_expect(i, n);
			return 0;
		}
	}
	return -EINVAL;
}

/*
 * The runtime checks the program declares it expects, read at the stop:
 * CAPISIM_EXPECT=check:count[,check:count...], e.g. "warn:1".  Returns 0,
 * or 1, one failed check, for a declaration that does not parse.
 */
static int lx_expect_declared(void)
{
	const char *p = getenv("CAPISIM_EXPECT");
	size_t len;

	while (p && *p) {
		len = strcspn(p, ",");
		if (lx_expect_one(p, len)) {
			pr_err("CAPISIM_EXPECT: '%.*s' is not check:count (checks: warn, "
			       "sleep-in-atomic, lock-order, ... as docs/shim-sched.md names them)\n",
			       (int)len, p);
			return 1;
		}
		p += len + (p[len] == ',');
	}
	return 0;
}

static void *sim_main(void *arg)
{
	int ret, run;

	sim_block_signals();
	ret = machine_setup();
	if (!ret) {
		run = kshim_run(0);
		lx.run_ret = run;
		if (run && run != -EINTR) {
			pr_err("the machine stopped: %s\n", strerror(-run));
			lx.verdict++;
		}
		lx.verdict += lx_expect_declared();
		lx.verdict += kshim_check_verdict();
		machine_snapshot();
	}
	machine_teardown();
	pthread_mutex_lock(&lx.lock);
	if (ret)
		lx.boot_rc = ret;
	lx_set_state(LX_ENDED);
	pthread_mutex_unlock(&lx.lock);
	return NULL;
}

/* ---- Program threads ---- */

/* Under lx.lock. */
static void thread_unlink(struct lx_thread *t)
{
	struct lx_thread **pp;

	for (pp = &lx.threads; *pp != t; pp = &(*pp)->next)
		;
	*pp = t->next;
}

/*
 * Under lx.lock: @t is the thread @tid.  A record of a thread that ended
 * with the same id is stale: a detached thread's, whose id the host
 * gave again.
 */
static void thread_tid(struct lx_thread *t, pthread_t tid)
{
	struct lx_thread *o, *next;

	for (o = lx.threads; o; o = next) {
		next = o->next;
		if (o != t && o->has_tid && pthread_equal(o->tid, tid) && o->state == LX_T_GONE) {
			thread_unlink(o);
			free(o);
		}
	}
	t->tid = tid;
	t->has_tid = true;
}

/* Under lx.lock: the record of thread @tid, NULL if none. */
static struct lx_thread *thread_find(pthread_t tid)
{
	struct lx_thread *t;

	for (t = lx.threads; t; t = t->next)
		if (t->has_tid && pthread_equal(t->tid, tid))
			return t;
	return NULL;
}


/* @t is the calling thread's record. */
static void thread_adopt(struct lx_thread *t)
{
	lx_self = t;
	pthread_setspecific(lx_thread_key, t);
	pthread_mutex_lock(&lx.lock);
	thread_tid(t, pthread_self());
	t->ktid = gettid();
	pthread_mutex_unlock(&lx.lock);
}

static void lx_init_once(void);

/*
 * The calling thread's record.  The main thread gets one at its first
 * contact, counted from then on; another thread only if @any, uncounted
 * until its first call completes.  NULL without one.
 */
static struct lx_thread *thread_mine(bool any)
{
	bool main_thread = gettid() == getpid();
	struct lx_thread *t = lx_self;

	pthread_once(&lx_once, lx_init_once);
	if (t || (!main_thread && !any))
		return t;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->efd = -1;
	t->known = main_thread;
	pthread_mutex_lock(&lx.lock);
	thread_link(t, main_thread ? LX_T_HOST : LX_T_FREE, false);
	pthread_mutex_unlock(&lx.lock);
	thread_adopt(t);
	return t;
}

/* The thread ends (its key's destructor): a joiner waiting for it goes on. */
static void thread_gone(void *arg)
{
	struct lx_thread *t = arg;

	lx_self = NULL;
	pthread_mutex_lock(&lx.lock);
	thread_set(t, LX_T_GONE);
	if (t->efd >= 0)
		close(t->efd);
	t->efd = -1;
	if (t->joiner) {
		thread_set(t->joiner, LX_T_HOST);
		pthread_cond_broadcast(&lx.baton_cond);
	}
	if (t->detached) {
		thread_unlink(t);
		free(t);
	}
	pthread_mutex_unlock(&lx.lock);
}

struct lx_thread *lx_thread_spawn(void *(*start)(void *arg), void *arg, bool detached)
{
	struct lx_thread *parent = thread_mine(false), *t;
	unsigned int i;

	if (!parent || !parent->known || parent->depth == LX_LINEAGE)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->efd = -1;
	t->start = start;
	t->start_arg = arg;
	t->known = true;
	t->detached = detached;
	t->depth = parent->depth + 1;
	for (i = 0; i < parent->depth; i++)
		t->line[i] = parent->line[i];
	pthread_mutex_lock(&lx.lock);
	t->line[parent->depth] = ++parent->children;
	/* Counted from now: the machine waits for it as for its creator. */
	thread_link(t, LX_T_HOST, true);
	pthread_mutex_unlock(&lx.lock);
	return t;
}

void lx_thread_spawned(struct lx_thread *t, int err, pthread_t tid, bool detached)
{
	pthread_mutex_lock(&lx.lock);
	if (err) {
		thread_set(t, LX_T_GONE);
		thread_unlink(t);
		free(t);
	} else if (!detached) {
		/* Before anyone can join it; a detached one may be gone already. */
		thread_tid(t, tid);
	}
	pthread_mutex_unlock(&lx.lock);
}

void *lx_thread_start(void *arg)
{
	struct lx_thread *t = arg;

	thread_adopt(t);
	pthread_mutex_lock(&lx.lock);
	baton_wait(t);
	pthread_mutex_unlock(&lx.lock);
	return t->start(t->start_arg);
}

struct lx_thread *lx_join_begin(pthread_t tid)
{
	struct lx_thread *me, *t;

	if (pthread_equal(tid, pthread_self()))
		return NULL;
	me = thread_mine(false);
	pthread_mutex_lock(&lx.lock);
	t = thread_find(tid);
	if (t && t->detached)
		t = NULL;
	if (!me || me->state != LX_T_HOST) {
		/* Not counted: nothing to tell the machine. */
	} else if (!t) {
		/* A thread we do not know ends in host time: so does this wait. */
		thread_set(me, LX_T_FREE);
	} else if (t->state != LX_T_GONE && !t->joiner) {
		/* Released by thread_gone(), while the machine stands still. */
		t->joiner = me;
		thread_set(me, LX_T_JOIN);
		while (me->state == LX_T_JOIN)
			pthread_cond_wait(&lx.baton_cond, &lx.lock);
		baton_wait(me);
	}
	pthread_mutex_unlock(&lx.lock);
	return t;
}

void lx_join_end(struct lx_thread *t, int err)
{
	if (!t || err)
		return;
	pthread_mutex_lock(&lx.lock);
	thread_unlink(t);
	free(t);
	pthread_mutex_unlock(&lx.lock);
}

/*
 * The child has no simulator thread, and the lock may have been held by
 * a thread that is not there: start afresh, with no machine.
 */
static void lx_atfork_child(void)
{
	pthread_mutex_init(&lx.lock, NULL);
	pthread_cond_init(&lx.gate_cond, NULL);
	pthread_cond_init(&lx.state_cond, NULL);
	pthread_cond_init(&lx.baton_cond, NULL);
	lx.state = LX_FORKED;
	lx.joinable = false;
	lx.threads = NULL;
	lx.running = 0;
	lx.baton = NULL;
	lx.ready = NULL;
	lx.ready_tail = &lx.ready;
	lx_self = NULL;
}

/*
 * The program ends: so does its machine.  A failed runtime check fails
 * the program: an exit status of 0 becomes 1.  Exit handlers registered
 * before the machine booted do not run then (there is no other way to
 * change the status); streams are flushed.
 */
static void lx_on_exit(int status, void *arg)
{
	int ret = lx_shutdown();

	if (ret <= 0)
		return;
	pr_err("the co-simulation ended with %d failed runtime check%s (logged above)\n",
	       ret, ret == 1 ? "" : "s");
	if (status)
		return;
	fflush(NULL);
	_exit(EXIT_FAILURE);
}

static void lx_init_once(void)
{
	pthread_key_create(&lx_thread_key, thread_gone);
	pthread_atfork(NULL, NULL, lx_atfork_child);
	on_exit(lx_on_exit, NULL);
}

static u64 wall_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void lx_emergency(void)
{
	machine_snapshot();
	lx_record_stop();
	lx_status_write(&lx.conf, wall_now_ns() - lx.boot_ns, true);
}

/* Under lx.lock, in LX_DOWN: start the simulator thread and wait for the boot's outcome. */
static int boot_locked(void)
{
	int ret;

	lx.gen++;
	lx.verdict = 0;
	lx.deadlocks = 0;
	lx.run_ret = 0;
	lx.stop = false;
	lx.boot_ns = wall_now_ns();
	lx_set_state(LX_BOOTING);
	lx_status_reset();
	lx_conf_free(&lx.conf);
	/* A failed boot stays failed, unannounced, until lx_shutdown(). */
	lx.boot_rc = lx_conf_load(&lx.conf);
	ret = lx.boot_rc ? 0 : lx_real_pthread_create(&lx.thread, NULL, sim_main, NULL);
	if (ret)
		lx.boot_rc = -ret;
	if (lx.boot_rc) {
		lx_set_state(LX_ENDED);
		return lx.boot_rc;
	}
	lx.joinable = true;
	while (lx.state == LX_BOOTING)
		pthread_cond_wait(&lx.state_cond, &lx.lock);
	return lx.state == LX_UP ? 0 : lx.boot_rc ? lx.boot_rc : -ENODEV;
}

int lx_boot(void)
{
	struct lx_thread *me = lx_self;
	int ret;

	pthread_once(&lx_once, lx_init_once);
	pthread_mutex_lock(&lx.lock);
	if (me)
		me->booting = true;
	if (on_sim_thread())
		ret = -EDEADLK;
	else if (lx.state == LX_DOWN && lx.wrecked)
		ret = -ENODEV;
	else if (lx.state == LX_DOWN)
		ret = boot_locked();
	else if (lx.state == LX_BOOTING || lx.state == LX_UP)
		ret = 0;
	else
		ret = lx.state == LX_ENDED && lx.boot_rc ? lx.boot_rc : -ENODEV;
	while (!ret && lx.state == LX_BOOTING)
		pthread_cond_wait(&lx.state_cond, &lx.lock);
	if (!ret && lx.state != LX_UP)
		ret = lx.boot_rc ? lx.boot_rc : -ENODEV;
	if (me)
		me->booting = false;
	pthread_mutex_unlock(&lx.lock);
	return ret;
}

/* Queue @req for the gate; -ENODEV unless the machine takes calls. */
static int submit(struct lx_req *req, unsigned int gen)
{
	int ret = 0;

	pthread_mutex_lock(&lx.lock);
	if (lx.state != LX_UP || lx.gen != gen) {
		ret = -ENODEV;
	} else {
		req->next = NULL;
		*lx.queue_tail = req;
		lx.queue_tail = &req->next;
		lx.calls++;
		thread_set(req->thr, LX_T_CALL);
		pthread_cond_signal(&lx.gate_cond);
	}
	pthread_mutex_unlock(&lx.lock);
	return ret;
}

/* Wait for a wake-up: -EINTR if a signal handler ran and ends the wait. */
static int wait_efd(int efd, unsigned int flags)
{
	struct pollfd pfd = { .fd = efd, .events = POLLIN };
	eventfd_t v;

	if ((flags & LX_CALL_NORESTART) && poll(&pfd, 1, -1) < 0)
		return errno == EINTR ? -EINTR : 0;
	if (eventfd_read(efd, &v) && errno == EINTR)
		return -EINTR;
	return 0;
}

/* Until @req is done and its thread may run program code again. */
static void wait_done(struct lx_req *req, unsigned int flags)
{
	for (;;) {
		bool done;

		pthread_mutex_lock(&lx.lock);
		done = req->done;
		if (done)
			baton_wait(req->thr);
		pthread_mutex_unlock(&lx.lock);
		if (done)
			return;
		if (wait_efd(req->efd, flags) != -EINTR || !req->proc)
			continue;
		pthread_mutex_lock(&lx.lock);
		req->proc->sig_seq = req->seq;
		lx.sigs = true;
		pthread_cond_signal(&lx.gate_cond);
		pthread_mutex_unlock(&lx.lock);
	}
}

static long run_req(struct lx_thread *t, struct lx_req *req, unsigned int flags)
{
	int ret;

	req->seq = ++t->next_seq;
	req->efd = t->efd;
	req->thr = t;
	ret = submit(req, t->gen);
	if (ret)
		return ret;
	wait_done(req, flags);
	return req->ret;
}

/* The calling thread's record, with a process on the current machine. */
static int thread_self(struct lx_thread **out)
{
	struct lx_thread *t = thread_mine(true);
	struct lx_req req = { .fn = proc_create };
	unsigned int gen;
	long ret;

	if (!t)
		return -ENOMEM;
	pthread_mutex_lock(&lx.lock);
	gen = lx.gen;
	pthread_mutex_unlock(&lx.lock);
	if (t->proc && t->gen == gen) {
		*out = t;
		return 0;
	}
	if (t->efd < 0) {
		t->efd = eventfd(0, EFD_CLOEXEC);
		if (t->efd < 0)
			return -errno;
	}
	t->gen = gen;
	t->proc = calloc(1, sizeof(*t->proc));
	if (!t->proc)
		return -ENOMEM;
	req.arg = t->proc;
	ret = run_req(t, &req, 0);
	if (ret) {
		/* Never run, or no process made: nothing on the machine refers to it. */
		free(t->proc);
		t->proc = NULL;
		t->gen = 0;
		return ret;
	}
	*out = t;
	return 0;
}

long lx_call(long (*fn)(void *arg), void *arg, unsigned int flags)
{
	return lx_call_rec(fn, NULL, arg, flags);
}

long lx_call_rec(long (*fn)(void *arg), void (*rec)(void *arg, long ret,
						   const struct lx_call_info *ci),
		 void *arg, unsigned int flags)
{
	struct lx_req req = { .fn = fn, .rec = rec, .arg = arg };
	struct lx_thread *t = NULL;
	int ret;

	ret = lx_boot();
	if (!ret)
		ret = thread_self(&t);
	if (ret)
		return ret;
	req.proc = t->proc;
	return run_req(t, &req, flags);
}

unsigned int lx_machine(void)
{
	unsigned int gen;

	pthread_mutex_lock(&lx.lock);
	gen = lx.state == LX_UP ? lx.gen : 0;
	pthread_mutex_unlock(&lx.lock);
	return gen;
}

bool lx_sleep_virtual(void)
{
	bool virt;

	pthread_mutex_lock(&lx.lock);
	virt = lx.state == LX_UP && lx.conf.time == LX_TIME_LOCKSTEP && !on_sim_thread();
	pthread_mutex_unlock(&lx.lock);
	return virt;
}

const struct lx_conf *lx_conf(void)
{
	return &lx.conf;
}

unsigned int lx_calls_in_progress(void)
{
	unsigned int n;

	pthread_mutex_lock(&lx.lock);
	n = lx.calls;
	pthread_mutex_unlock(&lx.lock);
	return n;
}

int lx_shutdown(void)
{
	int ret;

	pthread_once(&lx_once, lx_init_once);
	pthread_mutex_lock(&lx.lock);
	if (on_sim_thread()) {
		pthread_mutex_unlock(&lx.lock);
		return -EDEADLK;
	}
	while (lx.state == LX_BOOTING)
		pthread_cond_wait(&lx.state_cond, &lx.lock);
	if (lx.state == LX_DOWN || lx.state == LX_FORKED) {
		pthread_mutex_unlock(&lx.lock);
		return -ENODEV;
	}
	lx.stop = true;
	pthread_cond_signal(&lx.gate_cond);
	while (lx.state != LX_ENDED)
		pthread_cond_wait(&lx.state_cond, &lx.lock);
	pthread_mutex_unlock(&lx.lock);
	if (lx.joinable)
		lx_real_pthread_join(lx.thread, NULL);
	lx_status_write(&lx.conf, wall_now_ns() - lx.boot_ns, lx.boot_rc);
	lx_conf_free(&lx.conf);
	pthread_mutex_lock(&lx.lock);
	lx.joinable = false;
	ret = lx.verdict;
	lx_set_state(LX_DOWN);
	pthread_mutex_unlock(&lx.lock);
	return ret;
}
