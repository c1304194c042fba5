// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel-side scenarios of tests/test_shim_sched.c: the kworker, RCU,
 * printk and tracepoints.
 */
#define pr_fmt(fmt) "ks-sched: " fmt

#include "sched_util.h"

/* The scenarios' work item and what its runs saw; reset by each scenario. */
static struct work_struct work;
static int nr_runs;
static char run_comm[TASK_COMM_LEN];
static u64 run_end;
static unsigned int run_sleep_ms;
static struct wait_queue_head wq;
static int flag;

static void work_fn(struct work_struct *w)
{
	EXPECT(w == &work);
	snprintf(run_comm, sizeof(run_comm), "%s", current->comm);
	if (run_sleep_ms)
		msleep(run_sleep_ms);
	nr_runs++;
	run_end = hsched_now();
	flag = 1;
	wake_up(&wq);
}

static void reset(unsigned int sleep_ms)
{
	ks_failed = 0;
	INIT_WORK(&work, work_fn);
	nr_runs = 0;
	run_comm[0] = '\0';
	run_end = 0;
	run_sleep_ms = sleep_ms;
	init_waitqueue_head(&wq);
	flag = 0;
}

static int queuer(void *arg)
{
	CHECK(!flush_work(&work));
	CHECK(schedule_work(&work));
	CHECK(!schedule_work(&work));
	CHECK(nr_runs == 0);
	CHECK(flush_work(&work));
	CHECK(nr_runs == 1 && !strcmp(run_comm, "kworker/0:1"));
	CHECK(hsched_now() == run_end && run_end == 2 * PS_PER_MS);
	CHECK(!flush_work(&work));
	return 0;
}

int ks_sched_work(void)
{
	reset(1);
	CHECK(kshim_task_create("queuer", queuer, NULL));
	CHECK(kshim_run(0) == 0);
	CHECK(kshim_check_count(KSHIM_CHECK_SLEEP_ATOMIC) == 0);
	return ks_failed;
}

static irqreturn_t queueing_handler(int irq, void *dev)
{
	EXPECT(schedule_work(&work));
	return IRQ_HANDLED;
}

static int irq_waiter(void *arg)
{
	DEFINE_WAIT(wait);

	ts_raise_at(hsched_now() + 3 * PS_PER_US, *(unsigned int *)arg);
	for (;;) {
		prepare_to_wait(&wq, &wait, TASK_UNINTERRUPTIBLE);
		if (flag)
			break;
		schedule();
	}
	finish_wait(&wq, &wait);
	CHECK(nr_runs == 1 && !strcmp(run_comm, "kworker/0:1"));
	CHECK(hsched_now() == 3 * PS_PER_US);
	return 0;
}

int ks_sched_work_from_irq(void)
{
	unsigned int virq;

	reset(0);
	CHECK(virq = ks_irq_new(queueing_handler, NULL));
	CHECK(kshim_task_create("irq-waiter", irq_waiter, &virq));
	CHECK(kshim_run(0) == 0);
	return ks_failed;
}

/* Flushing a running work item that was queued again waits for both runs. */
static int flusher(void *arg)
{
	CHECK(schedule_work(&work));
	msleep(1);
	CHECK(nr_runs == 0 && !strcmp(run_comm, "kworker/0:1"));
	CHECK(schedule_work(&work));
	CHECK(flush_work(&work));
	CHECK(nr_runs == 2);
	CHECK(hsched_now() == 12 * PS_PER_MS);
	return 0;
}

int ks_sched_work_flush_running(void)
{
	reset(5);
	CHECK(kshim_task_create("flusher", flusher, NULL));
	CHECK(kshim_run(0) == 0);
	return ks_failed;
}

static int fire_and_forget(void *arg)
{
	CHECK(schedule_work(&work));
	return 0;
}

int ks_sched_work_drained(void)
{
	reset(3);
	CHECK(kshim_task_create("forget", fire_and_forget, NULL));
	CHECK(kshim_run(0) == 0);
	CHECK(nr_runs == 1 && run_end == 4 * PS_PER_MS);
	return ks_failed;
}

static struct rcu_head heads[3];
static int rcu_ran[3];
static char rcu_comm[TASK_COMM_LEN];
static bool rcu_in_softirq;

static void rcu_cb(struct rcu_head *head)
{
	rcu_ran[head - heads]++;
	snprintf(rcu_comm, sizeof(rcu_comm), "%s", current->comm);
	rcu_in_softirq = kshim_cur()->softirq;
}

static int rcu_user(void *arg)
{
	rcu_read_lock();
	call_rcu(&heads[0], rcu_cb);
	rcu_read_unlock();
	udelay(1);
	CHECK(!rcu_ran[0]);
	schedule();
	CHECK(rcu_ran[0] == 1 && !strcmp(rcu_comm, "rcu-user") && rcu_in_softirq);
	call_rcu(&heads[1], rcu_cb);
	synchronize_rcu();
	CHECK(rcu_ran[1] == 1);
	call_rcu(&heads[2], rcu_cb);
	return 0;
}

int ks_sched_rcu(void)
{
	reset(0);
	memset(rcu_ran, 0, sizeof(rcu_ran));
	CHECK(kshim_task_create("rcu-user", rcu_user, NULL));
	CHECK(kshim_run(0) == 0);
	CHECK(rcu_ran[0] == 1 && rcu_ran[1] == 1 && rcu_ran[2] == 1);
	CHECK(!kshim_cur()->softirq);
	return ks_failed;
}

int ks_sched_printk(void)
{
	struct device_driver drv = { .name = "cxl-pci" };
	struct class cls = { .name = "cxl" };
	struct device pdev = { .kobj.name = "0000:00:00.1", .driver = &drv };
	struct device afu = { .kobj.name = "afu0.0", .class = &cls };
	char *s;

	reset(0);
	CHECK(printk(KERN_ERR "cxl: printk %d\n", 42) == 15);
	pr_info("pr_info line\n");
	printk(KERN_DEBUG "a debug line\n");
	dev_err(&pdev, "probe said %s\n", "no");
	dev_warn(&afu, "afu warning\n");
	dev_info(NULL, "nobody's\n");
	printk("no level\n");
	s = kasprintf(GFP_KERNEL, "afu%d.%d%c", 0, 1, 'm');
	CHECK(s && !strcmp(s, "afu0.1m"));
	kfree(s);
	return ks_failed;
}

#define KS_FLAGS \
	{ 0x1, "A" }, \
	{ 0x2, "B" }, \
	{ 0x4, "C" }

TRACE_EVENT(ks_event,
	TP_PROTO(int x, unsigned long f, u64 c),
	TP_ARGS(x, f, c),
	TP_STRUCT__entry(
		__field(int, x)
		__field(unsigned long, f)
		__field(u64, c)
	),
	TP_fast_assign(
		__entry->x = x;
		__entry->f = f;
		__entry->c = c;
	),
	TP_printk("x=%d f=%s c=%s", __entry->x,
		  __print_flags(__entry->f, "|", KS_FLAGS),
		  __print_symbolic(__entry->c, { 1, "ONE" }, { 2, "TWO" }))
);

static int tracer(void *arg)
{
	trace_ks_event(7, 0x15, 2);
	trace_ks_event(1, 0, 9);
	return 0;
}

/* Names longer than the buffer: cut, terminated, and later strings empty. */
static int trace_buffer_bounds(void)
{
	static char big[300];
	const struct trace_print_flags tbl[] = { { 0x1, big }, { 0x2, "B" } };
	const struct trace_print_flags_u64 syms[] = { { 5, "FIVE" } };
	struct kshim_trace_buf tb;
	const char *a, *b, *c;

	memset(big, 'x', sizeof(big) - 1);
	kshim_trace_buf_init(&tb);
	a = kshim_trace_print_symbolic(&tb, 5, syms, ARRAY_SIZE(syms));
	b = kshim_trace_print_flags(&tb, ",", 0x3, tbl, ARRAY_SIZE(tbl));
	c = kshim_trace_print_flags(&tb, ",", 0x2, tbl, ARRAY_SIZE(tbl));
	CHECK(!strcmp(a, "FIVE"));
	CHECK(strlen(b) == KSHIM_TRACE_BUF_SIZE - 6 && b[0] == 'x');
	CHECK(!strcmp(c, ""));
	return 0;
}

int ks_sched_trace(void)
{
	reset(0);
	CHECK(trace_buffer_bounds() == 0);
	CHECK(kshim_task_create("tracer", tracer, NULL));
	CHECK(kshim_run(0) == 0);
	return ks_failed;
}
