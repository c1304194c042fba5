// SPDX-License-Identifier: GPL-2.0
/*
 * Cooperative tasks: coroutines on the simulator's thread, switched by a
 * couple of dozen instructions of assembly on x86-64 and by swapcontext()
 * elsewhere.
 *
 * Why: one baton handoff (wake_one + task_wait, bench/tasks.c, median of
 * 5 runs on the 2-vCPU build VM) costs
 *
 *	these tasks, x86-64 assembly switch	   22 ns
 *	these tasks, swapcontext fallback	  248 ns (a sigprocmask syscall each)
 *	raw swapcontext, no scheduler		  221 ns
 *	host threads, futex baton		 2100 ns on one CPU, 2700-19000 on two
 *	host threads, condvar baton		 4400 ns on one CPU, 4500-20000 on two
 *
 * and a run of the driver switches on every sleep, yield, mutex and MMIO
 * wait.  Threads would also put the host's scheduler between every two
 * steps of a run for nothing.  docs/tasks.md has the details and the gdb
 * recipe for a sleeping task's stack.
 */
#define pr_fmt(fmt) "task: " fmt

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/log.h"
#include "core/task.h"

#if defined(__SANITIZE_ADDRESS__)
#define TASK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TASK_ASAN 1
#endif
#endif

#ifdef TASK_ASAN
#include <sanitizer/asan_interface.h>
#endif

#define ALTSTACK_LEN (64 * 1024)

/*
 * The scheduler inside sched_run() on this thread, NULL outside it.  Set
 * and cleared only by sched_run(); read by task_current(), the blocking
 * calls and the fault handler.
 */
static __thread struct task_sched *this_sched;

/* This thread has a signal stack (ours, or ASan's); set by sched_run(). */
static __thread bool altstack_ready;

static const struct {
	int sig;
	const char *name;
} fault_sigs[] = {
	{ SIGSEGV, "SIGSEGV" },
	{ SIGBUS, "SIGBUS" },
	{ SIGFPE, "SIGFPE" },
	{ SIGILL, "SIGILL" },
	{ SIGABRT, "SIGABRT" },
};

/*
 * The dispositions the fault handler replaced, one per fault_sigs[]
 * entry: written once under fault_once, then only read (by the handler,
 * which puts one back before the fault goes on to it).
 */
static struct sigaction fault_old[ARRAY_SIZE(fault_sigs)];
static pthread_once_t fault_once = PTHREAD_ONCE_INIT;

static void link_init(struct task_link *l)
{
	l->next = l;
	l->prev = l;
}

static bool link_empty(const struct task_link *head)
{
	return head->next == head;
}

static void link_add_tail(struct task_link *l, struct task_link *head)
{
	l->prev = head->prev;
	l->next = head;
	head->prev->next = l;
	head->prev = l;
}

/* Unlink @l; a no-op on a node that is on no list. */
static void link_del(struct task_link *l)
{
	l->prev->next = l->next;
	l->next->prev = l->prev;
	link_init(l);
}

static const char *const state_names[] = {
	[TASK_RUNNING] = "running",
	[TASK_INTERRUPTIBLE] = "interruptible",
	[TASK_DEAD] = "dead",
};

/* A broken rule of the execution model: say which task broke it, and die. */
static void __attribute__((noreturn)) task_bug(const struct task *t, const char *what)
{
	pr_err("BUG: %s (id %u): %s\n", t->name, t->id, what);
	fflush(NULL);
	abort();
}

/* The only place a task's state changes; see enum task_state. */
static void task_set_state(struct task *t, enum task_state to)
{
	static const bool allowed[ARRAY_SIZE(state_names)][ARRAY_SIZE(state_names)] = {
		[TASK_RUNNING][TASK_INTERRUPTIBLE] = true,
		[TASK_RUNNING][TASK_DEAD] = true,
		[TASK_INTERRUPTIBLE][TASK_RUNNING] = true,
	};

	if (!allowed[t->state][to]) {
		char what[64];

		snprintf(what, sizeof(what), "state %s -> %s",
			 state_names[t->state], state_names[to]);
		task_bug(t, what);
	}
	t->state = to;
}

#ifdef TASK_SWITCH_ASM
/*
 * capisim_task_switch(&prev->ctx.sp, next->ctx.sp) pushes the callee-saved
 * registers and the SSE and x87 control words, saves the stack pointer,
 * loads @next's and pops the same frame from it.  Every suspended stack
 * holds that frame, so one set of CFI notes covers both halves and gdb
 * unwinds through a switch; docs/tasks.gdb points gdb at a sleeping task
 * as if it stood at capisim_task_resume.  A new task's frame returns into
 * capisim_task_start, which calls the function in %rbx; its return
 * address is marked undefined so that backtraces end there.
 */
__asm__(
	"	.pushsection .text\n"
	"	.globl capisim_task_switch\n"
	"	.hidden capisim_task_switch\n"
	"	.type capisim_task_switch, @function\n"
	"capisim_task_switch:\n"
	"	.cfi_startproc\n"
	"	pushq %rbp\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	.cfi_rel_offset %rbp, 0\n"
	"	pushq %rbx\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	.cfi_rel_offset %rbx, 0\n"
	"	pushq %r12\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	.cfi_rel_offset %r12, 0\n"
	"	pushq %r13\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	.cfi_rel_offset %r13, 0\n"
	"	pushq %r14\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	.cfi_rel_offset %r14, 0\n"
	"	pushq %r15\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	.cfi_rel_offset %r15, 0\n"
	"	subq $8, %rsp\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	stmxcsr (%rsp)\n"
	"	fnstcw 4(%rsp)\n"
	"	movq %rsp, (%rdi)\n"
	"	movq %rsi, %rsp\n"
	"capisim_task_resume:\n"
	"	ldmxcsr (%rsp)\n"
	"	fldcw 4(%rsp)\n"
	"	addq $8, %rsp\n"
	"	.cfi_adjust_cfa_offset -8\n"
	"	popq %r15\n"
	"	.cfi_adjust_cfa_offset -8\n"
	"	.cfi_restore %r15\n"
	"	popq %r14\n"
	"	.cfi_adjust_cfa_offset -8\n"
	"	.cfi_restore %r14\n"
	"	popq %r13\n"
	"	.cfi_adjust_cfa_offset -8\n"
	"	.cfi_restore %r13\n"
	"	popq %r12\n"
	"	.cfi_adjust_cfa_offset -8\n"
	"	.cfi_restore %r12\n"
	"	popq %rbx\n"
	"	.cfi_adjust_cfa_offset -8\n"
	"	.cfi_restore %rbx\n"
	"	popq %rbp\n"
	"	.cfi_adjust_cfa_offset -8\n"
	"	.cfi_restore %rbp\n"
	"	ret\n"
	"	.cfi_endproc\n"
	"	.size capisim_task_switch, .-capisim_task_switch\n"
	"\n"
	"	.globl capisim_task_start\n"
	"	.hidden capisim_task_start\n"
	"	.type capisim_task_start, @function\n"
	"capisim_task_start:\n"
	"	.cfi_startproc\n"
	"	.cfi_undefined %rip\n"
	"	callq *%rbx\n"
	"	ud2\n"
	"	.cfi_endproc\n"
	"	.size capisim_task_start, .-capisim_task_start\n"
	"	.popsection\n");

void capisim_task_switch(void **save_sp, void *sp) __attribute__((visibility("hidden")));
void capisim_task_start(void) __attribute__((visibility("hidden")));

/* The frame capisim_task_switch pops, lowest address first. */
struct switch_frame {
	u32 mxcsr;
	u16 fpucw;
	u16 pad;
	u64 r15, r14, r13, r12, rbx, rbp;
	u64 ret;
};

static int ctx_init(struct task *t, void (*entry)(void))
{
	/*
	 * The ret into capisim_task_start must leave %rsp 16-byte aligned, as
	 * the ABI wants it before a call: put the return address at top - 24.
	 */
	u64 top = ((u64)t->stack + t->stack_len) & ~15ULL;
	struct switch_frame *f = (struct switch_frame *)(top - 16) - 1;

	memset(f, 0, sizeof(*f));
	__asm__ volatile("stmxcsr %0" : "=m"(f->mxcsr));
	__asm__ volatile("fnstcw %0" : "=m"(f->fpucw));
	f->rbx = (u64)entry;
	f->ret = (u64)capisim_task_start;
	t->ctx.sp = f;
	return 0;
}

static inline void ctx_switch(struct task_ctx *prev, struct task_ctx *next)
{
	capisim_task_switch(&prev->sp, next->sp);
}
#else
static int ctx_init(struct task *t, void (*entry)(void))
{
	if (getcontext(&t->ctx.uc))
		return -errno;
	t->ctx.uc.uc_stack.ss_sp = t->stack;
	t->ctx.uc.uc_stack.ss_size = t->stack_len;
	t->ctx.uc.uc_link = NULL;
	makecontext(&t->ctx.uc, entry, 0);
	return 0;
}

static inline void ctx_switch(struct task_ctx *prev, struct task_ctx *next)
{
	swapcontext(&prev->uc, &next->uc);
}
#endif

#ifdef TASK_ASAN
/* A dead task's fake stack is freed: it never comes back. */
static void asan_switch_out(struct task *prev, struct task *next)
{
	__sanitizer_start_switch_fiber(prev->state == TASK_DEAD ? NULL : &prev->asan_fake_stack,
				       next->stack, next->stack_len);
}

/* ASan tells where the idle task's stack (the thread's own) lies. */
static void asan_switched_in(struct task_sched *s)
{
	const void *bottom;
	size_t len;

	__sanitizer_finish_switch_fiber(s->current->asan_fake_stack, &bottom, &len);
	if (s->prev == &s->idle) {
		s->idle.stack = (void *)bottom;
		s->idle.stack_len = len;
	}
}

static void asan_stack_free(struct task *t)
{
	__asan_unpoison_memory_region(t->stack, t->stack_len);
}
#else
static inline void asan_switch_out(struct task *prev, struct task *next)
{
}

static inline void asan_switched_in(struct task_sched *s)
{
}

static inline void asan_stack_free(struct task *t)
{
}
#endif

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

static int stack_alloc(struct task *t, size_t size)
{
	size_t page = page_size();
	size_t len = ((size + page - 1) & ~(page - 1)) + page;
	char *map;

	map = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	if (map == MAP_FAILED)
		return -errno;
	if (mprotect(map, page, PROT_NONE)) {
		int err = -errno;

		munmap(map, len);
		return err;
	}
	t->stack = map + page;
	t->stack_len = len - page;
	return 0;
}

static void task_timer_fire(void *arg)
{
	struct task *t = arg;

	t->timed_out = true;
	task_wake(t);
}

static void task_init(struct task_sched *s, struct task *t, const char *name, u32 id)
{
	t->sched = s;
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->id = id;
	t->state = TASK_RUNNING;
	link_init(&t->run_link);
	link_init(&t->wait_link);
	link_init(&t->all_link);
	sim_event_init(&t->timer, t->name, task_timer_fire, t);
}

/* Free a task that is not running; whatever it was queued on forgets it. */
static void task_free(struct task *t)
{
	link_del(&t->run_link);
	link_del(&t->wait_link);
	link_del(&t->all_link);
	sim_cancel(t->sched->q, &t->timer);
	asan_stack_free(t);
	munmap((char *)t->stack - page_size(), t->stack_len + page_size());
	free(t);
}

static void runq_add(struct task_sched *s, struct task *t)
{
	link_add_tail(&t->run_link, &s->runq);
}

static struct task *runq_pop(struct task_sched *s)
{
	struct task *t = container_of(s->runq.next, struct task, run_link);

	link_del(&t->run_link);
	return t;
}

/* What every context does first on getting the baton back. */
static void switch_finish(struct task_sched *s)
{
	asan_switched_in(s);
	if (s->prev->state == TASK_DEAD)
		task_free(s->prev);
	s->prev = NULL;
}

static void switch_to(struct task_sched *s, struct task *next)
{
	struct task *prev = s->current;

	pr_trace("switch %s -> %s\n", prev->name, next->name);
	s->prev = prev;
	s->current = next;
	asan_switch_out(prev, next);
	ctx_switch(&prev->ctx, &next->ctx);
	switch_finish(s);
}

/*
 * The current task gives the baton up: to the next runnable task, or to
 * the idle task when there is none or sched_stop() was called.
 */
static void task_block(struct task_sched *s)
{
	struct task *next = &s->idle;

	if (!s->stop && !link_empty(&s->runq))
		next = runq_pop(s);
	switch_to(s, next);
}

static void __attribute__((noreturn)) task_exit(struct task *t, int code)
{
	struct task_sched *s = t->sched;

	if (t->state == TASK_INTERRUPTIBLE) {
		pr_warn("%s (id %u) returned while prepared to wait on %s\n",
			t->name, t->id, t->wait ? t->wait->name : "nothing");
		task_finish_wait();
	}
	pr_info("%s (id %u) exited with %d\n", t->name, t->id, code);
	task_set_state(t, TASK_DEAD);
	link_del(&t->all_link);
	s->nr_tasks--;
	task_block(s);
	task_bug(t, "ran again after it exited");
}

static void task_entry(void)
{
	struct task_sched *s = this_sched;
	struct task *t = s->current;

	switch_finish(s);
	task_exit(t, t->fn(t->arg));
}

/* The task asking to sleep; sleeping anywhere else is a bug. */
static struct task *sleeper(const char *what)
{
	struct task_sched *s = this_sched;

	if (!s) {
		pr_err("BUG: %s outside sched_run()\n", what);
		fflush(NULL);
		abort();
	}
	if (s->current == &s->idle)
		task_bug(s->current, "the idle task cannot sleep");
	return s->current;
}

/*
 * Give the baton up until woken or until @deadline (a past one counts as
 * now: the others still run first).  The caller set TASK_INTERRUPTIBLE.
 */
static int task_sleep(struct task *t, u64 deadline)
{
	struct task_sched *s = t->sched;
	u64 now = simq_now(s->q);

	t->timed_out = false;
	if (deadline != SIM_TIME_NEVER &&
	    sim_schedule_at(s->q, &t->timer, deadline < now ? now : deadline))
		task_bug(t, "cannot arm its timer");
	task_block(s);
	return t->timed_out ? -ETIMEDOUT : 0;
}

void sched_init(struct task_sched *s, struct sim_queue *q)
{
	memset(s, 0, sizeof(*s));
	s->q = q;
	s->yield_cost_ps = TASK_YIELD_COST_DEFAULT;
	s->stack_size = TASK_STACK_DEFAULT;
	s->next_id = 1;
	link_init(&s->runq);
	link_init(&s->tasks);
	task_init(s, &s->idle, "idle", 0);
	s->current = &s->idle;
}

void sched_exit(struct task_sched *s)
{
	if (this_sched == s)
		task_bug(s->current, "sched_exit() inside sched_run()");
	while (!link_empty(&s->tasks)) {
		struct task *t = container_of(s->tasks.next, struct task, all_link);

		pr_warn("%s (id %u) discarded unfinished\n", t->name, t->id);
		s->nr_tasks--;
		task_free(t);
	}
}

struct task *task_create(struct task_sched *s, const char *name,
			 int (*fn)(void *arg), void *arg, size_t stack_size)
{
	struct task *t = calloc(1, sizeof(*t));
	int err;

	if (!t) {
		pr_err("%s: no memory for a task\n", name);
		return NULL;
	}
	err = stack_alloc(t, stack_size ? stack_size : s->stack_size);
	if (err) {
		pr_err("%s: no stack: %s\n", name, strerror(-err));
		free(t);
		return NULL;
	}
	task_init(s, t, name, s->next_id);
	err = ctx_init(t, task_entry);
	if (err) {
		pr_err("%s: no context: %s\n", name, strerror(-err));
		task_free(t);
		return NULL;
	}
	s->next_id++;
	t->fn = fn;
	t->arg = arg;
	link_add_tail(&t->all_link, &s->tasks);
	s->nr_tasks++;
	runq_add(s, t);
	pr_debug("%s (id %u) created\n", t->name, t->id);
	return t;
}

struct task *task_current(void)
{
	return this_sched ? this_sched->current : NULL;
}

/*
 * A yield is a sleep of yield_cost_ps: the cxl driver polls memory in
 * schedule() loops, and the hardware it waits for only moves when
 * simulated time does.
 */
void task_yield(void)
{
	struct task *t = sleeper("task_yield");

	task_set_state(t, TASK_INTERRUPTIBLE);
	task_sleep(t, simq_now(t->sched->q) + t->sched->yield_cost_ps);
}

/* Loop: task_wake() may end the sleep early. */
void task_sleep_until(u64 when)
{
	struct task *t = sleeper("task_sleep_until");

	while (simq_now(t->sched->q) < when) {
		task_set_state(t, TASK_INTERRUPTIBLE);
		task_sleep(t, when);
	}
}

void wait_init(struct wait_obj *w, const char *name)
{
	w->name = name;
	link_init(&w->waiters);
}

/* Preparing again on the same object keeps the task's place in line. */
void task_prepare_wait(struct wait_obj *w)
{
	struct task *t = sleeper("task_prepare_wait");

	if (t->wait != w) {
		link_del(&t->wait_link);
		link_add_tail(&t->wait_link, &w->waiters);
		t->wait = w;
	}
	if (t->state == TASK_RUNNING)
		task_set_state(t, TASK_INTERRUPTIBLE);
}

int task_schedule_timeout(u64 deadline)
{
	struct task *t = sleeper("task_schedule_timeout");

	if (t->state == TASK_RUNNING) {
		task_yield();
		return 0;
	}
	return task_sleep(t, deadline);
}

void task_finish_wait(void)
{
	struct task *t = sleeper("task_finish_wait");

	link_del(&t->wait_link);
	t->wait = NULL;
	if (t->state == TASK_INTERRUPTIBLE)
		task_set_state(t, TASK_RUNNING);
}

void task_wait(struct wait_obj *w)
{
	task_prepare_wait(w);
	task_schedule_timeout(SIM_TIME_NEVER);
	task_finish_wait();
}

int task_wait_timeout(struct wait_obj *w, u64 deadline)
{
	int ret;

	task_prepare_wait(w);
	ret = task_schedule_timeout(deadline);
	task_finish_wait();
	return ret;
}

bool task_wake(struct task *t)
{
	struct task_sched *s = t->sched;

	if (t->state != TASK_INTERRUPTIBLE)
		return false;
	link_del(&t->wait_link);
	t->wait = NULL;
	sim_cancel(s->q, &t->timer);
	task_set_state(t, TASK_RUNNING);
	if (t != s->current)
		runq_add(s, t);
	return true;
}

/* Every task on a wait object is asleep: a wake always succeeds. */
static struct task *first_waiter(struct wait_obj *w)
{
	return container_of(w->waiters.next, struct task, wait_link);
}

bool wake_one(struct wait_obj *w)
{
	if (link_empty(&w->waiters))
		return false;
	return task_wake(first_waiter(w));
}

unsigned int wake_all(struct wait_obj *w)
{
	unsigned int n = 0;

	while (!link_empty(&w->waiters)) {
		struct task *t = first_waiter(w);

		if (!task_wake(t))
			task_bug(t, "on a wait object but awake");
		n++;
	}
	return n;
}

static void dump_task(const struct task *t)
{
	char buf[SIM_TIME_STR_LEN];
	const char *until = "";

	if (t->state == TASK_RUNNING) {
		pr_err("  %s (id %u): %s\n", t->name, t->id,
		       t == t->sched->current ? "running" : "runnable");
		return;
	}
	if (sim_event_pending(&t->timer)) {
		until = sim_time_str(t->timer.time, buf, sizeof(buf));
		until += strspn(until, " ");
	}
	if (t->wait)
		pr_err("  %s (id %u): waits on %s%s%s\n", t->name, t->id,
		       t->wait->name, *until ? " until " : "", until);
	else if (*until)
		pr_err("  %s (id %u): sleeps until %s\n", t->name, t->id, until);
	else
		pr_err("  %s (id %u): sleeps with no wait object and no timer\n",
		       t->name, t->id);
}

void sched_dump(const struct task_sched *s)
{
	const struct task_link *l;

	for (l = s->tasks.next; l != &s->tasks; l = l->next)
		dump_task(container_of(l, struct task, all_link));
}

/* The fault handler's formatting: no stdio, which is not signal-safe. */
static size_t put_str(char *buf, size_t n, size_t cap, const char *str)
{
	while (*str && n < cap)
		buf[n++] = *str++;
	return n;
}

static size_t put_num(char *buf, size_t n, size_t cap, u64 v, unsigned int base)
{
	char digits[24];
	int i = 0;

	do {
		digits[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (i && n < cap)
		buf[n++] = digits[--i];
	return n;
}

static void fault_report(const char *signame, const siginfo_t *si)
{
	struct task_sched *s = this_sched;
	const struct task *t;
	const char *addr = si->si_addr, *p;
	char buf[256];
	size_t n = 0;
	ssize_t w;

	if (!s)
		return;
	t = s->current;
	n = put_str(buf, n, sizeof(buf), "task: fatal ");
	n = put_str(buf, n, sizeof(buf), signame);
	n = put_str(buf, n, sizeof(buf), " in task ");
	n = put_str(buf, n, sizeof(buf), t->name);
	n = put_str(buf, n, sizeof(buf), " (id ");
	n = put_num(buf, n, sizeof(buf), t->id, 10);
	n = put_str(buf, n, sizeof(buf), ")");
	if (si->si_code > 0) {
		n = put_str(buf, n, sizeof(buf), ", address 0x");
		n = put_num(buf, n, sizeof(buf), (u64)addr, 16);
	}
	if (t != &s->idle && addr < (char *)t->stack && addr >= (char *)t->stack - page_size())
		n = put_str(buf, n, sizeof(buf), ": stack overflow into the guard page");
	n = put_str(buf, n, sizeof(buf), "\n");
	for (p = buf; n; p += w, n -= w) {
		w = write(STDERR_FILENO, p, n);
		if (w <= 0)
			break;
	}
}

/*
 * Name the task, then hand the signal to the disposition we replaced
 * (the default, or a sanitizer's): a fault repeats when the handler
 * returns; a sent signal has to be raised again.
 */
static void fault_handler(int sig, siginfo_t *si, void *uctx)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fault_sigs) && fault_sigs[i].sig != sig; i++)
		;
	if (i == ARRAY_SIZE(fault_sigs))
		return;
	fault_report(fault_sigs[i].name, si);
	sigaction(sig, &fault_old[i], NULL);
	if (si->si_code <= 0)
		raise(sig);
}

static void fault_handlers_install(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fault_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(fault_sigs); i++)
		if (sigaction(fault_sigs[i].sig, &sa, &fault_old[i]))
			pr_warn("cannot catch %s: a fault in a task will not be named\n",
				fault_sigs[i].name);
}

/*
 * A stack overflow in a task must still be reported, so the handler runs
 * on a signal stack; this thread's lives as long as the thread.
 */
static void altstack_ensure(void)
{
	stack_t ss;

	if (altstack_ready)
		return;
	altstack_ready = true;
	if (!sigaltstack(NULL, &ss) && !(ss.ss_flags & SS_DISABLE))
		return;
	ss.ss_sp = mmap(NULL, ALTSTACK_LEN, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ss.ss_size = ALTSTACK_LEN;
	ss.ss_flags = 0;
	if (ss.ss_sp == MAP_FAILED || sigaltstack(&ss, NULL))
		pr_warn("no signal stack: a task's stack overflow will not be named\n");
}

static void report_deadlock(const struct task_sched *s)
{
	pr_err("deadlock: %u task%s asleep, none runnable, no event pending\n",
	       s->nr_tasks, s->nr_tasks == 1 ? "" : "s");
	sched_dump(s);
}

/* The idle task: hand the baton on, or run events until someone wakes. */
static int idle_loop(struct task_sched *s)
{
	for (;;) {
		if (s->stop) {
			s->stop = false;
			return -EINTR;
		}
		if (!link_empty(&s->runq)) {
			switch_to(s, runq_pop(s));
			continue;
		}
		if (!s->nr_tasks)
			return 0;
		if (!simq_step(s->q)) {
			report_deadlock(s);
			return -EDEADLK;
		}
	}
}

int sched_run(struct task_sched *s)
{
	int ret;

	if (this_sched) {
		pr_err("sched_run() inside sched_run()\n");
		return -EBUSY;
	}
	pthread_once(&fault_once, fault_handlers_install);
	altstack_ensure();
	this_sched = s;
	ret = idle_loop(s);
	this_sched = NULL;
	return ret;
}

void sched_stop(struct task_sched *s)
{
	s->stop = true;
}
