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
 * calls run it looks for new ones every quantum of simulated time.
 *
 * A program thread waits for its call on its own eventfd, with a system
 * call that a signal interrupts as the kernel would interrupt the real
 * one: a handler without SA_RESTART ends the wait with EINTR, and the
 * simulated call is then signalled in turn (TIF_SIGPENDING).
 */
#define pr_fmt(fmt) "libcxl: " fmt

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
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
	void *arg;
	long ret;
	struct lx_proc *proc;	/* who runs it; NULL: the gate itself */
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
	struct lx_req *call;	/* the call it runs, NULL between calls */
	u64 call_seq;		/* that call's number, 0 between calls */
	u64 sig_seq;		/* the call a signal interrupted, 0 for none */
	u64 sig_hit;		/* ... as the gate took it */
	bool exiting;
	struct lx_proc *next;	/* on lx.procs */
};

/* A program thread's side: its process, for the machine of generation @gen. */
struct lx_thread {
	struct lx_proc *proc;
	unsigned int gen;
	int efd;		/* closed under lx.lock: completions write it under the lock */
	u64 next_seq;
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
	bool sigs;			/* some process has sig_seq set */
	bool stop;			/* lx_shutdown() asks the gate to stop */
	int boot_rc;
	int verdict;
	pthread_t thread;
	bool joinable;			/* @thread was started and not yet joined */

	struct lx_conf conf;

	struct lx_proc *procs;
	unsigned int nr_procs;
	void *gate;			/* the gate's kernel process */
	struct afu *afu;
	bool log_opened;
} lx = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.gate_cond = PTHREAD_COND_INITIALIZER,
	.state_cond = PTHREAD_COND_INITIALIZER,
	.queue_tail = &lx.queue,
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

/* Under lx.lock. */
static void lx_set_state(enum lx_state to)
{
	if (!lx_transitions[lx.state][to]) {
		pr_err("BUG: machine state %d -> %d\n", lx.state, to);
		abort();
	}
	lx.state = to;
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

/* A call is done: wake its caller (under the lock, which owns the eventfd's life). */
static void complete(struct lx_req *req, long ret)
{
	bool kick_gate;

	pthread_mutex_lock(&lx.lock);
	req->ret = ret;
	req->done = true;
	if (eventfd_write(req->efd, 1))
		pr_err("cannot wake a caller: %s\n", strerror(errno));
	lx.calls--;
	kick_gate = !lx.calls;
	pthread_mutex_unlock(&lx.lock);
	/* In lockstep the machine stops when the last call is done. */
	if (kick_gate && lx.conf.time == LX_TIME_LOCKSTEP)
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
		ret = req->fn(req->arg);
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
	p->next = lx.procs;
	lx.procs = p;
	lx.nr_procs++;
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
	if (lx.queue || lx.sigs || lx.stop)
		return false;
	if (lx.conf.time == LX_TIME_LOCKSTEP && !lx.calls)
		return true;
	return sim_idle();
}

/* Take what the program threads posted: calls, signals, a stop. */
static struct lx_req *gate_take(bool may_block, bool *sigs, bool *stop)
{
	struct lx_req *reqs;
	struct lx_proc *p;

	pthread_mutex_lock(&lx.lock);
	while (may_block && gate_may_block())
		pthread_cond_wait(&lx.gate_cond, &lx.lock);
	reqs = lx.queue;
	lx.queue = NULL;
	lx.queue_tail = &lx.queue;
	*sigs = lx.sigs;
	lx.sigs = false;
	for (p = lx.procs; *sigs && p; p = p->next) {
		p->sig_hit = p->sig_seq;
		p->sig_seq = 0;
	}
	*stop = lx.stop;
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

/* Let the machine run a quantum, or up to its next event if that is later. */
static void gate_pause(void)
{
	u64 t = hsched_now() + lx.conf.quantum_ps;
	u64 next = simq_next_time(&kshim_world.q);

	kshim_uproc_wait_until(lx.gate, next != SIM_TIME_NEVER && next > t ? next : t);
}

/* Calls never taken, at stop: they fail. */
static void gate_refuse_queued(void)
{
	struct lx_req *reqs;
	bool sigs, stop;

	for (reqs = gate_take(false, &sigs, &stop); reqs;) {
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

/* The stop: what a system shutdown does, in the gate's context. */
static void gate_stop(void)
{
	struct lx_proc *p;

	pthread_mutex_lock(&lx.lock);
	lx_set_state(LX_STOPPING);
	pthread_mutex_unlock(&lx.lock);
	if (!gate_drain()) {
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
	bool sigs, stop;

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
		struct lx_req *reqs = gate_take(true, &sigs, &stop);

		gate_deliver(reqs, sigs);
		if (stop)
			break;
		if (!reqs && !sigs)
			gate_pause();
	}
	gate_stop();
	return 0;
}

static int machine_afu(void)
{
	const struct afu_ops *ops;
	unsigned int i;
	int ret;

	if (!strcmp(lx.conf.afu, "none"))
		return 0;
	ops = afu_find(lx.conf.afu);
	if (!ops) {
		pr_err("CAPISIM_AFU: no built-in AFU '%s'; there are:", lx.conf.afu);
		for (i = 0; afu_builtin(i); i++)
			pr_err("  %s\n", afu_builtin(i)->name);
		return -ENOENT;
	}
	lx.afu = ops->create("afu0.0", lx.conf.seed, lx.conf.afu_options);
	if (!lx.afu)
		return -EINVAL;
	ret = psl_afu_attach(&kshim_world.cards[0]->slice[0], lx.afu);
	if (ret)
		pr_err("cannot attach AFU %s: %s\n", lx.conf.afu, strerror(-ret));
	return ret;
}

/* The machine before its boot: memory, the platform, one card with its AFU, the gate. */
static int machine_setup(void)
{
	struct psl_params p;
	int ret;

	log_set_level(lx.conf.log_level);
	if (*lx.conf.log_file) {
		ret = log_open(lx.conf.log_file);
		if (ret) {
			pr_err("CAPISIM_LOG_FILE %s: %s\n", lx.conf.log_file, strerror(-ret));
			return ret;
		}
		lx.log_opened = true;
	}
	world_init(lx.conf.seed);
	ret = kshim_hmem_init();
	if (!ret)
		ret = cosim_init();
	if (ret)
		return ret;
	kshim_sched_init();
	kshim_dev_init();
	psl_params_defaults(&p);
	ret = cosim_card_add(&p, NULL);
	if (ret < 0)
		return ret;
	ret = machine_afu();
	if (ret)
		return ret;
	lx.gate = kshim_uproc_create("libcxl-gate", gate_main, NULL, 0);
	return lx.gate ? 0 : -ENOMEM;
}

static void machine_teardown(void)
{
	cosim_exit();
	if (lx.afu)
		lx.afu->ops->destroy(lx.afu);
	lx.afu = NULL;
	lx_mirror_reset();
	world_exit();
	hsched_reset();
	lx.procs = NULL;
	lx.nr_procs = 0;
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

static void *sim_main(void *arg)
{
	int ret, run;

	sim_block_signals();
	ret = machine_setup();
	if (!ret) {
		run = kshim_run(0);
		if (run && run != -EINTR) {
			pr_err("the machine stopped: %s\n", strerror(-run));
			lx.verdict++;
		}
		lx.verdict += kshim_check_verdict();
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

static void thread_gone(void *arg)
{
	struct lx_thread *t = arg;

	pthread_mutex_lock(&lx.lock);
	close(t->efd);
	pthread_mutex_unlock(&lx.lock);
	free(t);
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
	lx.state = LX_FORKED;
	lx.joinable = false;
	lx_self = NULL;
}

/* The program ends: so does its machine, which says if a runtime check failed. */
static void lx_atexit(void)
{
	int ret = lx_shutdown();

	if (ret > 0)
		pr_err("the co-simulation ended with %d failed runtime check%s (logged above)\n",
		       ret, ret == 1 ? "" : "s");
}

static void lx_init_once(void)
{
	pthread_key_create(&lx_thread_key, thread_gone);
	pthread_atfork(NULL, NULL, lx_atfork_child);
	atexit(lx_atexit);
}

/* Under lx.lock, in LX_DOWN: start the simulator thread and wait for the boot's outcome. */
static int boot_locked(void)
{
	int ret;

	lx.gen++;
	lx.verdict = 0;
	lx.stop = false;
	lx_set_state(LX_BOOTING);
	/* A failed boot stays failed, unannounced, until lx_shutdown(). */
	lx.boot_rc = lx_conf_load(&lx.conf);
	ret = lx.boot_rc ? 0 : pthread_create(&lx.thread, NULL, sim_main, NULL);
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
	int ret;

	pthread_once(&lx_once, lx_init_once);
	pthread_mutex_lock(&lx.lock);
	if (on_sim_thread())
		ret = -EDEADLK;
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

static void wait_done(struct lx_req *req, unsigned int flags)
{
	for (;;) {
		bool done;

		pthread_mutex_lock(&lx.lock);
		done = req->done;
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
	ret = submit(req, t->gen);
	if (ret)
		return ret;
	wait_done(req, flags);
	return req->ret;
}

/* The calling thread's record, with a process on the current machine. */
static int thread_self(struct lx_thread **out)
{
	struct lx_thread *t = lx_self;
	struct lx_req req = { .fn = proc_create };
	unsigned int gen;
	long ret;

	pthread_mutex_lock(&lx.lock);
	gen = lx.gen;
	pthread_mutex_unlock(&lx.lock);
	if (t && t->gen == gen) {
		*out = t;
		return 0;
	}
	if (!t) {
		t = calloc(1, sizeof(*t));
		if (!t)
			return -ENOMEM;
		t->efd = eventfd(0, EFD_CLOEXEC);
		if (t->efd < 0) {
			free(t);
			return -errno;
		}
		lx_self = t;
		pthread_setspecific(lx_thread_key, t);
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
	struct lx_req req = { .fn = fn, .arg = arg };
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
		pthread_join(lx.thread, NULL);
	pthread_mutex_lock(&lx.lock);
	lx.joinable = false;
	ret = lx.verdict;
	lx_set_state(LX_DOWN);
	pthread_mutex_unlock(&lx.lock);
	return ret;
}
