// SPDX-License-Identifier: GPL-2.0
/*
 * Cooperative tasks: interleavings that repeat exactly, yields and sleeps
 * in simulated time, wake_one against wake_all, timed waits, the
 * wake-before-sleep race, reaping, deadlock reports, a ring of a thousand
 * tasks, and faults named by the task they happened in (in a child
 * process, which is allowed to die).
 */
#define pr_fmt(fmt) "test_task: " fmt

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "core/log.h"
#include "core/task.h"

#if defined(__SANITIZE_ADDRESS__)
#define TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN 1
#endif
#endif

/*
 * Every test gets a fresh queue and scheduler, and the log goes to memory
 * so that tests can read what was reported.  Touched by setup, teardown
 * and the running test only.
 */
static struct sim_queue q;
static struct task_sched s;
static FILE *log_mem;
static char *log_buf;
static size_t log_len;

static u64 queue_now(void *arg)
{
	return simq_now(arg);
}

static void fixture_setup(void *arg)
{
	simq_init(&q);
	sched_init(&s, &q);
	log_mem = open_memstream(&log_buf, &log_len);
	log_set_file(log_mem);
	log_set_level(LOG_INFO);
	log_set_clock(queue_now, &q);
}

static void fixture_teardown(void *arg)
{
	sched_exit(&s);
	simq_exit(&q);
	log_set_clock(NULL, NULL);
	log_set_file(NULL);
	fclose(log_mem);
	free(log_buf);
	log_buf = NULL;
}

/* What was logged so far. */
static const char *log_text(void)
{
	fflush(log_mem);
	return log_buf;
}

/* A record of who did what when, one "name@ns what" line per step. */
struct trace {
	struct sim_queue *q;
	char buf[384];
	size_t len;
};

static void note(struct trace *tr, const char *what)
{
	struct task *t = task_current();

	tr->len += snprintf(tr->buf + tr->len, sizeof(tr->buf) - tr->len,
			    "%s@%llu %s\n", t->name,
			    (unsigned long long)(simq_now(tr->q) / PS_PER_NS), what);
}

/* The scenario whose interleaving must repeat exactly. */
struct scene {
	struct trace tr;
	struct wait_obj door, bell;
	struct sim_event tick;
};

static int scene_a(void *arg)
{
	struct scene *sc = arg;

	note(&sc->tr, "start");
	task_sleep_until(us_to_ps(10));
	note(&sc->tr, "slept");
	wake_one(&sc->door);
	task_wait(&sc->bell);
	note(&sc->tr, "rung");
	return 0;
}

static int scene_b(void *arg)
{
	struct scene *sc = arg;

	note(&sc->tr, "start");
	task_wait(&sc->door);
	note(&sc->tr, "let in");
	task_yield();
	note(&sc->tr, "yielded");
	wake_all(&sc->bell);
	return 0;
}

static int scene_c(void *arg)
{
	struct scene *sc = arg;

	note(&sc->tr, "start");
	task_wait(&sc->bell);
	note(&sc->tr, "rung");
	return 0;
}

static void scene_tick(void *arg)
{
	struct scene *sc = arg;

	note(&sc->tr, "tick");
}

/* Run the scenario on a scheduler of its own; returns sched_run()'s result. */
static int scene_run(struct scene *sc)
{
	struct sim_queue sq;
	struct task_sched ss;
	int ret;

	memset(sc, 0, sizeof(*sc));
	simq_init(&sq);
	sched_init(&ss, &sq);
	sc->tr.q = &sq;
	wait_init(&sc->door, "door");
	wait_init(&sc->bell, "bell");
	sim_event_init(&sc->tick, "tick", scene_tick, sc);
	sim_schedule_at(&sq, &sc->tick, us_to_ps(5));
	task_create(&ss, "A", scene_a, sc, 0);
	task_create(&ss, "B", scene_b, sc, 0);
	task_create(&ss, "C", scene_c, sc, 0);
	ret = sched_run(&ss);
	sched_exit(&ss);
	simq_exit(&sq);
	return ret;
}

TEST interleaving_repeats_exactly(void)
{
	static struct scene first, second;
	static const char want[] =
		"A@0 start\n"
		"B@0 start\n"
		"C@0 start\n"
		"idle@5000 tick\n"
		"A@10000 slept\n"
		"B@10000 let in\n"
		"B@11000 yielded\n"
		"C@11000 rung\n"
		"A@11000 rung\n";

	ASSERT_EQ(0, scene_run(&first));
	ASSERT_EQ(0, scene_run(&second));
	ASSERT_STR_EQ(want, first.tr.buf);
	ASSERT_STR_EQ(first.tr.buf, second.tr.buf);
	PASS();
}

struct yielder {
	int n;
	u64 times[4];
	u64 after_past_sleep;
};

static int yield_thrice(void *arg)
{
	struct yielder *y = arg;

	for (y->n = 0; y->n < 3; y->n++) {
		task_yield();
		y->times[y->n] = simq_now(&q);
	}
	task_sleep_until(us_to_ps(1));
	y->after_past_sleep = simq_now(&q);
	return 0;
}

TEST yield_advances_simulated_time(void)
{
	struct yielder y = { 0 };

	ASSERT(task_create(&s, "yielder", yield_thrice, &y, 0));
	ASSERT_EQ(0, sched_run(&s));
	ASSERT_EQ(3, y.n);
	ASSERT_EQ(us_to_ps(1), y.times[0]);
	ASSERT_EQ(us_to_ps(2), y.times[1]);
	ASSERT_EQ(us_to_ps(3), y.times[2]);
	ASSERTm("sleeping until a past time does not sleep",
		y.after_past_sleep == us_to_ps(3));
	PASS();
}

TEST yield_cost_is_configurable(void)
{
	struct yielder y = { 0 };

	s.yield_cost_ps = ns_to_ps(250);
	ASSERT(task_create(&s, "yielder", yield_thrice, &y, 0));
	ASSERT_EQ(0, sched_run(&s));
	ASSERT_EQ(ns_to_ps(750), y.times[2]);
	ASSERT_EQ(us_to_ps(1), y.after_past_sleep);
	PASS();
}

/* Three sleepers on one object, and a task that wakes them. */
struct crowd {
	struct trace tr;
	struct wait_obj w;
	bool one_woke, none_left;
	unsigned int all_woke;
};

static int sleeper_fn(void *arg)
{
	struct crowd *c = arg;

	task_wait(&c->w);
	note(&c->tr, "woke");
	return 0;
}

static int waker_fn(void *arg)
{
	struct crowd *c = arg;

	c->one_woke = wake_one(&c->w);
	task_yield();
	note(&c->tr, "wake all");
	c->all_woke = wake_all(&c->w);
	task_yield();
	c->none_left = !wake_one(&c->w);
	return 0;
}

TEST wake_one_wakes_the_oldest_wake_all_the_rest(void)
{
	static struct crowd c;
	static const char want[] =
		"s1@0 woke\n"
		"waker@1000 wake all\n"
		"s2@1000 woke\n"
		"s3@1000 woke\n";

	memset(&c, 0, sizeof(c));
	c.tr.q = &q;
	wait_init(&c.w, "crowd");
	task_create(&s, "s1", sleeper_fn, &c, 0);
	task_create(&s, "s2", sleeper_fn, &c, 0);
	task_create(&s, "s3", sleeper_fn, &c, 0);
	task_create(&s, "waker", waker_fn, &c, 0);
	ASSERT_EQ(0, sched_run(&s));
	ASSERT(c.one_woke);
	ASSERT_EQ(2, c.all_woke);
	ASSERT(c.none_left);
	ASSERT_STR_EQ(want, c.tr.buf);
	PASS();
}

struct timed {
	struct wait_obj w;
	int ret;
	u64 at;
	bool queue_empty;
};

static int timed_waiter(void *arg)
{
	struct timed *tw = arg;

	tw->ret = task_wait_timeout(&tw->w, us_to_ps(5));
	tw->at = simq_now(&q);
	tw->queue_empty = simq_next_time(&q) == SIM_TIME_NEVER;
	return 0;
}

static int timed_waker(void *arg)
{
	struct timed *tw = arg;

	task_sleep_until(us_to_ps(2));
	wake_one(&tw->w);
	return 0;
}

TEST wait_timeout_expires(void)
{
	struct timed tw = { .ret = 1 };

	wait_init(&tw.w, "never");
	task_create(&s, "waiter", timed_waiter, &tw, 0);
	ASSERT_EQ(0, sched_run(&s));
	ASSERT_EQ(-ETIMEDOUT, tw.ret);
	ASSERT_EQ(us_to_ps(5), tw.at);
	PASS();
}

TEST wait_timeout_woken_in_time(void)
{
	struct timed tw = { .ret = 1 };

	wait_init(&tw.w, "soon");
	task_create(&s, "waiter", timed_waiter, &tw, 0);
	task_create(&s, "waker", timed_waker, &tw, 0);
	ASSERT_EQ(0, sched_run(&s));
	ASSERT_EQ(0, tw.ret);
	ASSERT_EQ(us_to_ps(2), tw.at);
	ASSERTm("the wake cancelled the timeout", tw.queue_empty);
	PASS();
}

/* An interrupt handler wakes the task between its prepare and its schedule. */
struct race {
	struct wait_obj w;
	int ret;
	u64 at;
};

static int prepares_then_is_woken(void *arg)
{
	struct race *r = arg;

	task_prepare_wait(&r->w);
	wake_one(&r->w);
	r->ret = task_schedule_timeout(SIM_TIME_NEVER);
	task_finish_wait();
	r->at = simq_now(&q);
	return 0;
}

TEST wake_before_sleep_is_not_lost(void)
{
	struct race r = { .ret = 1 };

	wait_init(&r.w, "irq");
	task_create(&s, "reader", prepares_then_is_woken, &r, 0);
	ASSERT_EQm("no deadlock", 0, sched_run(&s));
	ASSERT_EQ(0, r.ret);
	ASSERTm("the schedule became a yield", r.at == s.yield_cost_ps);
	PASS();
}

static int returns_42(void *arg)
{
	struct task **seen = arg;

	*seen = task_current();
	return 42;
}

TEST returned_task_is_reaped_and_reported(void)
{
	struct task *t, *seen = NULL;

	ASSERT_EQm("nothing to run", 0, sched_run(&s));
	t = task_create(&s, "worker", returns_42, &seen, 0);
	ASSERT(t);
	ASSERT_EQ(1, t->id);
	ASSERT_EQ(1, s.nr_tasks);
	ASSERT_EQ(0, sched_run(&s));
	ASSERT(seen == t);
	ASSERT_EQ(0, s.nr_tasks);
	ASSERT(s.tasks.next == &s.tasks);
	ASSERT(task_current() == NULL);
	ASSERT_STR_HAS(log_text(), "task: worker (id 1) exited with 42");
	PASS();
}

static int waits_forever(void *arg)
{
	task_wait(arg);
	return 0;
}

static int sleeps_3us(void *arg)
{
	task_sleep_until(us_to_ps(3));
	return 0;
}

TEST deadlock_is_reported_not_hung(void)
{
	struct wait_obj door, bell;

	wait_init(&door, "door");
	wait_init(&bell, "bell");
	task_create(&s, "A", waits_forever, &door, 0);
	task_create(&s, "B", waits_forever, &bell, 0);
	task_create(&s, "C", sleeps_3us, NULL, 0);
	ASSERT_EQ(-EDEADLK, sched_run(&s));
	ASSERT_EQm("C slept until its end", us_to_ps(3), simq_now(&q));
	ASSERT_STR_HAS(log_text(), "deadlock: 2 tasks asleep, none runnable, no event pending");
	ASSERT_STR_HAS(log_text(), "A (id 1): waits on door");
	ASSERT_STR_HAS(log_text(), "B (id 2): waits on bell");
	ASSERT_FALSE(strstr(log_text(), "C (id 3): waits"));
	sched_exit(&s);
	ASSERT_STR_HAS(log_text(), "A (id 1) discarded unfinished");
	PASS();
}

/* A timed sleeper is not deadlocked, and the dump says until when. */
static int asks(void *arg)
{
	return task_wait_timeout(arg, us_to_ps(5));
}

static int dumps_others(void *arg)
{
	sched_dump(&s);
	return 0;
}

TEST dump_names_deadlines(void)
{
	struct wait_obj w;

	wait_init(&w, "reply");
	task_create(&s, "asker", asks, &w, 0);
	task_create(&s, "dumper", dumps_others, NULL, 0);
	ASSERT_EQ(0, sched_run(&s));
	ASSERT_STR_HAS(log_text(), "asker (id 1): waits on reply until 0.000005000000\n");
	ASSERT_STR_HAS(log_text(), "dumper (id 2): running");
	ASSERT_STR_HAS(log_text(), "asker (id 1) exited with -110");
	PASS();
}

/* Wakes from event callbacks make tasks runnable in the order of the wakes. */
static struct wake_order {
	struct trace tr;
	struct wait_obj w[3];
} wo;

static int wo_sleeper(void *arg)
{
	task_wait(arg);
	note(&wo.tr, "woke");
	return 0;
}

static void wake_ev(void *arg)
{
	wake_one(arg);
}

TEST event_wakes_run_in_wake_order(void)
{
	static const char want[] = "z@4000 woke\nx@4000 woke\ny@4000 woke\n";

	memset(&wo, 0, sizeof(wo));
	wo.tr.q = &q;
	wait_init(&wo.w[0], "x");
	wait_init(&wo.w[1], "y");
	wait_init(&wo.w[2], "z");
	task_create(&s, "x", wo_sleeper, &wo.w[0], 0);
	task_create(&s, "y", wo_sleeper, &wo.w[1], 0);
	task_create(&s, "z", wo_sleeper, &wo.w[2], 0);
	sim_call_at(&q, us_to_ps(4), "wake z", wake_ev, &wo.w[2]);
	sim_call_at(&q, us_to_ps(4), "wake x", wake_ev, &wo.w[0]);
	sim_call_at(&q, us_to_ps(4), "wake y", wake_ev, &wo.w[1]);
	ASSERT_EQ(0, sched_run(&s));
	ASSERT_STR_EQ(want, wo.tr.buf);
	PASS();
}

static void idle_check(void *arg)
{
	struct task **seen = arg;

	*seen = task_current();
}

TEST event_callbacks_run_on_the_idle_task(void)
{
	struct task *seen = NULL;

	task_create(&s, "C", sleeps_3us, NULL, 0);
	sim_call_at(&q, us_to_ps(1), "check", idle_check, &seen);
	ASSERT_EQ(0, sched_run(&s));
	ASSERT(seen == &s.idle);
	ASSERT_STR_EQ("idle", seen->name);
	ASSERT_EQ(0, seen->id);
	PASS();
}

struct stopper {
	bool second_ran;
};

static int stops(void *arg)
{
	sched_stop(&s);
	task_yield();
	return 0;
}

static int second(void *arg)
{
	struct stopper *st = arg;

	st->second_ran = true;
	return 0;
}

TEST stop_returns_and_run_resumes(void)
{
	struct stopper st = { false };

	task_create(&s, "stopper", stops, NULL, 0);
	task_create(&s, "second", second, &st, 0);
	ASSERT_EQ(-EINTR, sched_run(&s));
	ASSERT_FALSE(st.second_ran);
	ASSERT_EQ(2, s.nr_tasks);
	ASSERT_EQ(0, sched_run(&s));
	ASSERT(st.second_ran);
	ASSERT_EQ(0, s.nr_tasks);
	PASS();
}

/* The ABI's 16-byte stack alignment holds in a task (SSE spills need it). */
static int aligned_local(void *arg)
{
	u64 *misalign = arg;
	char buf[16] __attribute__((aligned(16)));
	uintptr_t addr = (uintptr_t)buf;

	/* Hide the address from the compiler, which assumes the alignment. */
	__asm__("" : "+r"(addr));
	*misalign = addr & 15;
	snprintf(buf, sizeof(buf), "%Lf", (long double)*misalign);
	return buf[0] == '0' ? 0 : 1;
}

TEST task_stack_is_abi_aligned(void)
{
	u64 misalign = 99;

	ASSERT(task_create(&s, "aligned", aligned_local, &misalign, 0));
	ASSERT_EQ(0, sched_run(&s));
	ASSERT_EQ(0, misalign);
	ASSERT_STR_HAS(log_text(), "aligned (id 1) exited with 0");
	PASS();
}

/* A token goes round a ring of tasks; each logs its index as it passes. */
#define RING 1000
#define ROUNDS 10

struct ring {
	struct wait_obj w[RING];
	int order[RING * ROUNDS];
	int n;
};

static struct ring ring;

static int ring_member(void *arg)
{
	int i = (int)(intptr_t)arg, r;

	for (r = 0; r < ROUNDS; r++) {
		task_wait(&ring.w[i]);
		ring.order[ring.n++] = i;
		wake_one(&ring.w[(i + 1) % RING]);
	}
	return 0;
}

static int ring_start(void *arg)
{
	return !wake_one(&ring.w[0]);
}

TEST thousand_tasks_pass_a_token(void)
{
	int i;

	memset(&ring, 0, sizeof(ring));
	for (i = 0; i < RING; i++) {
		wait_init(&ring.w[i], "ring");
		ASSERT(task_create(&s, "member", ring_member, (void *)(intptr_t)i, 0));
	}
	ASSERT(task_create(&s, "start", ring_start, NULL, 0));
	ASSERT_EQ(0, sched_run(&s));
	ASSERT_EQ(RING * ROUNDS, ring.n);
	for (i = 0; i < RING * ROUNDS; i++)
		ASSERT_EQm("token order", i % RING, ring.order[i]);
	ASSERTm("no simulated time passed", simq_now(&q) == 0);
	ASSERT_STR_HAS(log_text(), "start (id 1001) exited with 0");
	PASS();
}

/* Fault in a child process; the parent checks how it died and what it said. */
struct fault_case {
	const char *task;
	int (*fn)(void *arg);
	int sig;
	const char *said;
};

/* Store to the address @arg, which is not mapped. */
static int bad_store(void *arg)
{
	*(volatile int *)arg = 1;
	return 0;
}

static int recurse(void *arg)
{
	volatile char pad[1024];
	intptr_t depth = (intptr_t)arg;

	pad[0] = (char)depth;
	if (depth > (1 << 30))
		return 0;
	return recurse((void *)(depth + 1)) + pad[0];
}

static int aborts(void *arg)
{
	abort();
}

static void fault_child(const struct fault_case *fc, int out)
{
	struct sim_queue cq;
	struct task_sched cs;

	dup2(out, STDERR_FILENO);
	log_set_file(NULL);
	simq_init(&cq);
	sched_init(&cs, &cq);
	task_create(&cs, "bystander", sleeps_3us, NULL, 0);
	task_create(&cs, fc->task, fc->fn, (void *)16, 64 * 1024);
	sched_run(&cs);
	_exit(0);
}

TEST fault_names_the_task(const struct fault_case *fc)
{
	char out[8192];
	size_t len = 0;
	ssize_t n;
	int pipefd[2], status;
	pid_t pid;

	ASSERT_EQ(0, pipe(pipefd));
	fflush(NULL);
	pid = fork();
	ASSERT(pid >= 0);
	if (!pid) {
		close(pipefd[0]);
		fault_child(fc, pipefd[1]);
	}
	close(pipefd[1]);
	while (len < sizeof(out) - 1 &&
	       (n = read(pipefd[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += n;
	out[len] = '\0';
	close(pipefd[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	if (!strstr(out, fc->said))
		printf("child's output:\n%s", out);
	ASSERTm("the child's output names the task", strstr(out, fc->said));
#ifdef TEST_ASAN
	/* ASan's own handler takes the fault over after ours and exits. */
	ASSERTm("the child died", WIFSIGNALED(status) || WEXITSTATUS(status));
#else
	ASSERTm("the child was killed", WIFSIGNALED(status));
	ASSERT_EQ(fc->sig, WTERMSIG(status));
#endif
	PASS();
}

static const struct fault_case segv = {
	"crasher", bad_store, SIGSEGV, "task: fatal SIGSEGV in task crasher (id 2), address 0x10\n",
};
static const struct fault_case overflow = {
	"deep", recurse, SIGSEGV, ": stack overflow into the guard page\n",
};
static const struct fault_case abrt = {
	"quitter", aborts, SIGABRT, "task: fatal SIGABRT in task quitter (id 2)",
};

TEST stack_overflow_hits_the_guard_page(void)
{
	CHECK_CALL(fault_names_the_task(&overflow));
	PASS();
}

SUITE(tasks)
{
	SET_SETUP(fixture_setup, NULL);
	SET_TEARDOWN(fixture_teardown, NULL);
	RUN_TEST(interleaving_repeats_exactly);
	RUN_TEST(yield_advances_simulated_time);
	RUN_TEST(yield_cost_is_configurable);
	RUN_TEST(wake_one_wakes_the_oldest_wake_all_the_rest);
	RUN_TEST(wait_timeout_expires);
	RUN_TEST(wait_timeout_woken_in_time);
	RUN_TEST(wake_before_sleep_is_not_lost);
	RUN_TEST(returned_task_is_reaped_and_reported);
	RUN_TEST(deadlock_is_reported_not_hung);
	RUN_TEST(dump_names_deadlines);
	RUN_TEST(event_wakes_run_in_wake_order);
	RUN_TEST(event_callbacks_run_on_the_idle_task);
	RUN_TEST(stop_returns_and_run_resumes);
	RUN_TEST(task_stack_is_abi_aligned);
	RUN_TEST(thousand_tasks_pass_a_token);
}

SUITE(faults)
{
	RUN_TESTp(fault_names_the_task, &segv, "SIGSEGV");
	RUN_TESTp(fault_names_the_task, &abrt, "SIGABRT");
	RUN_TEST(stack_overflow_hits_the_guard_page);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	RUN_SUITE(tasks);
	RUN_SUITE(faults);
	HARNESS_MAIN_END();
}
