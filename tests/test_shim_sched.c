// SPDX-License-Identifier: GPL-2.0
/*
 * The shim's execution-and-time runtime (docs/shim-sched.md): tasks and
 * `current`, wait queues, interrupt delivery, simulated time, locks and
 * their checks, the kworker, RCU, printk and tracepoints.  The scenarios
 * run on the kernel side (tests/kshim/sched*.c); this side sets the world
 * up, declares the reports a scenario must make, and reads the log.
 */
#define pr_fmt(fmt) "test-shim-sched: " fmt

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "core/log.h"
#include "host/hmem.h"
#include "host/hsched.h"
#include "host/world.h"
#include "kshim/ks_sched.h"

/* The log of the running test, kept in memory; shown if the test fails. */
static char *log_buf;
static size_t log_len;
static FILE *log_mem;
static unsigned long long last_raise;

static void setup(void *arg)
{
	log_mem = open_memstream(&log_buf, &log_len);
	log_set_file(log_mem);
	log_set_level(LOG_INFO);
	world_init(1);
	if (kshim_hmem_init())
		pr_err("no memory arenas: kmalloc will fail\n");
	kshim_sched_init();
	log_reset_counts();
	last_raise = 0;
}

static void teardown(void *arg)
{
	world_exit();
	hsched_reset();
	log_set_file(NULL);
	fclose(log_mem);
	if (harness.fail_file)
		printf("--- log of the failed test:\n%s---\n", log_buf);
	free(log_buf);
}

static const char *logged(void)
{
	fflush(log_mem);
	return log_buf;
}

static void raise_cb(void *arg)
{
	last_raise = simq_now(&kshim_world.q);
	kshim_irq_raise((unsigned int)(uintptr_t)arg);
}

void ts_raise_at(unsigned long long ps, unsigned int virq)
{
	if (sim_call_at(&kshim_world.q, ps, "test irq", raise_cb, (void *)(uintptr_t)virq))
		pr_err("cannot raise virq %u at %llu ps\n", virq, ps);
}

unsigned long long ts_last_raise_time(void)
{
	return last_raise;
}

/* A scenario that passes with no report from the checks. */
TEST clean(int (*scenario)(void))
{
	ASSERT_EQ(0, scenario());
	ASSERT_EQ(0, kshim_check_verdict());
	PASS();
}

#define RUN_CLEAN(name) RUN_TESTp(clean, ks_sched_##name, #name)

TEST time_limit_names_tasks(void)
{
	ASSERT_EQ(0, ks_sched_time_limit());
	ASSERT_STR_HAS(logged(), "kshim-sched: time limit reached");
	ASSERT_STR_HAS(logged(), "forever (id 1): sleeps until");
	ASSERT_EQ(0, kshim_check_verdict());
	PASS();
}

TEST deadlock_names_waits(void)
{
	ASSERT_EQ(0, ks_sched_deadlock());
	ASSERT_STR_HAS(logged(), "deadlock: 3 tasks asleep");
	ASSERT_STR_HAS(logged(), "stuck (id 1): waits on &wq (prepared at tests/kshim/sched.c:");
	ASSERT_STR_HAS(logged(), "idle/0 (id 2): waits on interrupts");
	ASSERT_STR_HAS(logged(), "kworker/0:1 (id 3): waits on &worker_wq (prepared at "
		       "driver_shim/kernel/workqueue.c:");
	ASSERT_EQ(0, kshim_check_verdict());
	PASS();
}

/*
 * A test process that sleeps on the host side directly until @arg's
 * deadline (NULL: for ever), with nothing that will wake it.
 */
static int host_sleeper(void *arg)
{
	const unsigned long long *deadline = arg;

	hsched_prepare("a wake that never comes");
	hsched_schedule(deadline ? *deadline : ~0ULL);
	hsched_finish();
	return 0;
}

/* Runs of model_event() since model_event_at(); the running test's only. */
static unsigned int model_events;

static void model_event(void *arg)
{
	model_events++;
}

/* A model event at @ps that wakes no task, as a card's might. */
static int model_event_at(unsigned long long ps)
{
	model_events = 0;
	return sim_call_at(&kshim_world.q, ps, "model event", model_event, NULL);
}

/* The limit's own event does not hide a deadlock: it is found when the limit fires. */
TEST deadlock_with_limit_reported(void)
{
	ASSERT(kshim_task_create("stuck", host_sleeper, NULL));
	ASSERT_EQ(0, model_event_at(PS_PER_MS));
	ASSERT_EQ(-EDEADLK, kshim_run(5 * PS_PER_MS));
	ASSERT_EQ(1, model_events);
	ASSERT_EQ(5 * PS_PER_MS, hsched_now());
	ASSERT_STR_HAS(logged(), "kshim-sched: deadlock: 3 tasks asleep, none runnable, "
		       "no event pending but the time limit\n");
	ASSERT_STR_HAS(logged(), "stuck (id 1): waits on a wake that never comes");
	ASSERT_STR_HAS(logged(), "idle/0 (id 2): waits on interrupts");
	ASSERT(!strstr(logged(), "time limit reached"));
	ASSERT_EQ(0, kshim_check_verdict());
	PASS();
}

/* A timer past the limit could still wake its task: the limit, not a deadlock. */
TEST pending_timer_is_no_deadlock(void)
{
	unsigned long long deadline = 10 * PS_PER_MS;

	ASSERT(kshim_task_create("napper", host_sleeper, &deadline));
	ASSERT_EQ(-ETIMEDOUT, kshim_run(5 * PS_PER_MS));
	ASSERT_STR_HAS(logged(), "kshim-sched: time limit reached");
	ASSERT(!strstr(logged(), "deadlock"));
	ASSERT_EQ(0, kshim_run(10 * PS_PER_MS));
	ASSERT_EQ(0, kshim_check_verdict());
	PASS();
}

/* So could a model event past the limit; once it has run, the next run finds the deadlock. */
TEST pending_event_is_no_deadlock(void)
{
	ASSERT(kshim_task_create("stuck", host_sleeper, NULL));
	ASSERT_EQ(0, model_event_at(10 * PS_PER_MS));
	ASSERT_EQ(-ETIMEDOUT, kshim_run(5 * PS_PER_MS));
	ASSERT(!strstr(logged(), "deadlock"));
	ASSERT_EQ(-EDEADLK, kshim_run(10 * PS_PER_MS));
	ASSERT_EQ(1, model_events);
	ASSERT_STR_HAS(logged(), "kshim-sched: deadlock: 3 tasks asleep");
	ASSERT_EQ(0, kshim_check_verdict());
	PASS();
}

SUITE(tasks_and_time)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_CLEAN(current);
	RUN_CLEAN(no_procs);
	RUN_CLEAN(yield);
	RUN_CLEAN(wait_queue);
	RUN_CLEAN(signal);
	RUN_CLEAN(msleep);
	RUN_CLEAN(clocks);
	RUN_CLEAN(busy);
	RUN_CLEAN(timeout_loop);
	RUN_TEST(time_limit_names_tasks);
	RUN_CLEAN(busy_limit);
	RUN_TEST(deadlock_names_waits);
	RUN_TEST(deadlock_with_limit_reported);
	RUN_TEST(pending_timer_is_no_deadlock);
	RUN_TEST(pending_event_is_no_deadlock);
}

SUITE(interrupts)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_CLEAN(wake_before_schedule);
	RUN_CLEAN(irq_masked);
	RUN_CLEAN(irq_idle);
	RUN_CLEAN(irq_not_nested);
	RUN_CLEAN(irq_coalesced);
}

TEST mutex_deadlock(void)
{
	kshim_expect(KSHIM_CHECK_LOCK_ORDER, 1);
	ASSERT_EQ(0, ks_sched_mutex_deadlock());
	ASSERT_EQ(0, kshim_check_verdict());
	ASSERT_STR_HAS(logged(), "lock-order: lock order inversion: &m1 taken while holding &m2");
	ASSERT_STR_HAS(logged(), "proc-a (id 1): waits on mutex &m2 held by proc-b (taken at "
		       "tests/kshim/sched_locks.c:");
	ASSERT_STR_HAS(logged(), "proc-b (id 2): waits on mutex &m1 held by proc-a");
	PASS();
}

TEST sleep_holding_spinlock(void)
{
	kshim_expect(KSHIM_CHECK_SLEEP_SPINLOCK, 2);
	ASSERT_EQ(0, ks_sched_sleep_spinlock());
	ASSERT_EQ(0, kshim_check_verdict());
	ASSERT_STR_HAS(logged(), "sleep-holding-spinlock: msleep() while holding spinlock &s1 "
		       "(taken at tests/kshim/sched_locks.c:");
	ASSERT_STR_HAS(logged(), "mutex_lock() while holding spinlock &s1");
	ASSERT_STR_HAS(logged(), "[spinner pid 1] at tests/kshim/sched_locks.c:");
	PASS();
}

TEST sleep_in_atomic(void)
{
	kshim_expect(KSHIM_CHECK_SLEEP_ATOMIC, 3);
	ASSERT_EQ(0, ks_sched_sleep_atomic());
	ASSERT_EQ(0, kshim_check_verdict());
	ASSERT_STR_HAS(logged(), "sleep-in-atomic: schedule() with interrupts disabled "
		       "[atomic pid 1]");
	ASSERT_STR_HAS(logged(), "msleep() inside rcu_read_lock()");
	ASSERT_STR_HAS(logged(), "synchronize_rcu() in an interrupt handler "
		       "[atomic pid 1, in IRQ]");
	PASS();
}

TEST bad_unlocks(void)
{
	kshim_expect(KSHIM_CHECK_DOUBLE_UNLOCK, 2);
	kshim_expect(KSHIM_CHECK_FOREIGN_UNLOCK, 1);
	kshim_expect(KSHIM_CHECK_RCU_UNBALANCED, 1);
	ASSERT_EQ(0, ks_sched_unlocks());
	ASSERT_EQ(0, kshim_check_verdict());
	ASSERT_STR_HAS(logged(), "double-unlock: spin_unlock(&s1): not locked [unlocker pid 2]");
	ASSERT_STR_HAS(logged(), "foreign-unlock: mutex_unlock(&m2): held by m2-holder since "
		       "tests/kshim/sched_locks.c:");
	PASS();
}

TEST irq_unbalanced(void)
{
	kshim_expect(KSHIM_CHECK_IRQ_UNBALANCED, 3);
	ASSERT_EQ(0, ks_sched_irq_unbalanced());
	ASSERT_EQ(0, kshim_check_verdict());
	ASSERT_STR_HAS(logged(), "irq-unbalanced: local_irq_restore() to the state of save 1 "
		       "while 2 saves are open");
	ASSERT_STR_HAS(logged(), "local_irq_restore(0x3039): not flags from local_irq_save()");
	PASS();
}

TEST lock_order(void)
{
	kshim_expect(KSHIM_CHECK_LOCK_ORDER, 1);
	ASSERT_EQ(0, ks_sched_lock_order());
	ASSERT_EQ(0, kshim_check_verdict());
	ASSERT_STR_HAS(logged(), "lock order inversion: &s1 taken while holding &s3 (taken at ");
	ASSERT_STR_HAS(logged(), "earlier: &s1 then &s2 at tests/kshim/sched_locks.c:");
	ASSERT_STR_HAS(logged(), "&s2 then &s3 at tests/kshim/sched_locks.c:");
	PASS();
}

TEST exit_holding(void)
{
	kshim_expect(KSHIM_CHECK_EXIT_HELD, 4);
	ASSERT_EQ(0, ks_sched_exit_holding());
	ASSERT_EQ(0, kshim_check_verdict());
	ASSERT_STR_HAS(logged(), "exit-holding: task returned holding spinlock &s1, taken here "
		       "(released now) [leaver pid 1] at tests/kshim/sched_locks.c:");
	ASSERT_STR_HAS(logged(), "task returned with 1 interrupt saves open (0 expected)");
	PASS();
}

TEST warn_counts(void)
{
	ASSERT_EQ(0, ks_sched_warn());
	ASSERT_EQ(1, kshim_check_verdict());
	ASSERT_STR_HAS(logged(), "check warn: 3 reported, 0 expected");
	kshim_expect(KSHIM_CHECK_WARN, 3);
	ASSERT_EQ(0, kshim_check_verdict());
	ASSERT_STR_HAS(logged(), "WARNING: afu0.1 is cross [swapper/0 pid 0] at "
		       "tests/kshim/sched_locks.c:");
	ASSERT_STR_HAS(logged(), "WARNING: WARN_ON(1) [swapper/0 pid 0]");
	PASS();
}

/* Run @fn in a child, which must die of SIGABRT after logging @needle. */
TEST dies_with(void (*fn)(void), const char *needle)
{
	static char *out;
	size_t len = 0, cap = 8192;
	ssize_t n;
	int fds[2], status;
	pid_t pid;

	free(out);
	out = malloc(cap);
	ASSERT(out);
	ASSERT_EQ(0, pipe(fds));
	fflush(NULL);
	pid = fork();
	ASSERT(pid >= 0);
	if (!pid) {
		close(fds[0]);
		dup2(fds[1], STDERR_FILENO);
		log_set_file(NULL);
		fn();
		_exit(0);
	}
	close(fds[1]);
	while ((n = read(fds[0], out + len, cap - 1 - len)) > 0)
		len += n;
	out[len] = '\0';
	close(fds[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERTm("the child dies of SIGABRT", WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	ASSERT_STR_HAS(out, needle);
	PASS();
}

TEST bug_spin_recursion(void)
{
	CHECK_CALL(dies_with(ks_sched_bug_spin_recursion,
			     "BUG: spin_lock(&s1): recursion: held by recurser since "
			     "tests/kshim/sched_locks.c:"));
	PASS();
}

TEST bug_mutex_recursion(void)
{
	CHECK_CALL(dies_with(ks_sched_bug_mutex_recursion,
			     "BUG: mutex_lock(&m1): recursion: taken at "
			     "tests/kshim/sched_locks.c:"));
	PASS();
}

TEST bug_call(void)
{
	CHECK_CALL(dies_with(ks_sched_bug_call, "BUG: BUG() [bugger pid 1] at "
			     "tests/kshim/sched_locks.c:"));
	PASS();
}

SUITE(locks_and_checks)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_CLEAN(mutex_fifo);
	RUN_TEST(mutex_deadlock);
	RUN_TEST(sleep_holding_spinlock);
	RUN_TEST(sleep_in_atomic);
	RUN_TEST(bad_unlocks);
	RUN_TEST(irq_unbalanced);
	RUN_TEST(lock_order);
	RUN_TEST(exit_holding);
	RUN_TEST(warn_counts);
	RUN_TEST(bug_spin_recursion);
	RUN_TEST(bug_mutex_recursion);
	RUN_TEST(bug_call);
}

SUITE(work_and_rcu)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_CLEAN(work);
	RUN_CLEAN(work_from_irq);
	RUN_CLEAN(work_flush_running);
	RUN_CLEAN(work_drained);
	RUN_CLEAN(rcu);
}

TEST printk_lines(void)
{
	ASSERT_EQ(0, ks_sched_printk());
	ASSERT_EQ(0, kshim_check_verdict());
	ASSERT_STR_HAS(logged(), "] cxl: printk 42\n");
	ASSERT_STR_HAS(logged(), "] ks-sched: pr_info line\n");
	ASSERT_STR_HAS(logged(), "] cxl-pci 0000:00:00.1: probe said no\n");
	ASSERT_STR_HAS(logged(), "] cxl afu0.0: afu warning\n");
	ASSERT_STR_HAS(logged(), "] (NULL device *): nobody's\n");
	ASSERT_STR_HAS(logged(), "] no level\n");
	ASSERT(!strstr(logged(), "a debug line"));
	ASSERT_EQ(2, log_count(LOG_ERR));
	ASSERT_EQ(2, log_count(LOG_WARN));
	PASS();
}

TEST trace_lines(void)
{
	ASSERT_EQ(0, ks_sched_trace());
	ASSERT_EQ(0, kshim_check_verdict());
	ASSERT_STR_HAS(logged(), "] trace: tracer-1 ks_event: x=7 f=A|C|0x10 c=TWO\n");
	ASSERT_STR_HAS(logged(), "] trace: tracer-1 ks_event: x=1 f= c=0x9\n");
	PASS();
}

SUITE(output)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(printk_lines);
	RUN_TEST(trace_lines);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	RUN_SUITE(tasks_and_time);
	RUN_SUITE(interrupts);
	RUN_SUITE(locks_and_checks);
	RUN_SUITE(work_and_rcu);
	RUN_SUITE(output);
	HARNESS_MAIN_END();
}
