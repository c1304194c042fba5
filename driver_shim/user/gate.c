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
	u64 boot_ns;			/* host time of the boot, for the status */
	pthread_t thread;
	bool joinable;			/* @thread was started and not yet joined */

	struct lx_conf conf;

	struct lx_proc *procs;
	unsigned int nr_procs;
	u64 procs_made;			/* over the machine's life, for the status */
	int run_ret;			/* what kshim_run() returned */
	void *gate;			/* the gate's kernel process */
	struct afu *afu;
	bool log_opened;
	bool world_up;			/* world_init() ran: the teardown has work */
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

/* Run @req in its process @p, and its recorder after it. */
static long run_call(struct lx_proc *p, struct lx_req *req)
{
	struct lx_call_info ci = {
		.pid = p->pid, .comm = program_invocation_short_name, .start = hsched_now(),
	};
	long ret = req->fn(req->arg);

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
		.deadlock = lx.run_ret == -EDEADLK,
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

/* CAPISIM_EXPECT's check names, as the shim reports them (docs/shim-sched.md). */
static const char *const lx_check_names[KSHIM_NR_CHECKS] = {
	[KSHIM_CHECK_WARN] = "warn",
	[KSHIM_CHECK_SLEEP_ATOMIC] = "sleep-in-atomic",
	[KSHIM_CHECK_SLEEP_SPINLOCK] = "sleep-holding-spinlock",
	[KSHIM_CHECK_DOUBLE_UNLOCK] = "double-unlock",
	[KSHIM_CHECK_FOREIGN_UNLOCK] = "foreign-unlock",
	[KSHIM_CHECK_IRQ_UNBALANCED] = "irq-unbalanced",
	[KSHIM_CHECK_RCU_UNBALANCED] = "rcu-unbalanced",
	[KSHIM_CHECK_LOCK_ORDER] = "lock-order",
	[KSHIM_CHECK_EXIT_HELD] = "exit-holding",
};

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
		if (strlen(lx_check_names[i]) == (size_t)(colon - item) &&
		    !strncmp(lx_check_names[i], item, colon - item)) {
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
	lx.run_ret = 0;
	lx.stop = false;
	lx.boot_ns = wall_now_ns();
	lx_set_state(LX_BOOTING);
	lx_status_reset();
	lx_conf_free(&lx.conf);
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
		pthread_join(lx.thread, NULL);
	lx_status_write(&lx.conf, wall_now_ns() - lx.boot_ns, lx.boot_rc);
	lx_conf_free(&lx.conf);
	pthread_mutex_lock(&lx.lock);
	lx.joinable = false;
	ret = lx.verdict;
	lx_set_state(LX_DOWN);
	pthread_mutex_unlock(&lx.lock);
	return ret;
}
