// SPDX-License-Identifier: GPL-2.0
/*
 * A libcxl program whose calls can never complete (issue 4, point 6;
 * docs/libcxl.md, "How a call runs"): a read no event will ever end is
 * reported as the shim reports a deadlock, each task with what it waits
 * on, counted in the status, and fails with EDEADLK instead of hanging;
 * the program goes on.  In free-running time the same proof holds.  A
 * thread that may still call keeps the read waiting, and its call ends
 * it.  A 5 s driver timeout (the PSL never completes the SPA command)
 * still takes 5 s of simulated time through libcxl, with the driver's
 * message; its wall time is measured, not asserted.
 */
#define pr_fmt(fmt) "test-cosim-deadlock: " fmt

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "afu/memcpy.h"
#include "core/log.h"
#include "core/time.h"
#include "harness.h"
#include "host/hsched.h"
#include "inject/inject.h"
#include "libcxl_fixture.h"
#include "user/libcxl.h"
#include "user/lx.h"

#define LINE		128

/* do_process_element_cmd()'s 5 s are 5 * HZ jiffies from the tick in progress. */
#define FIVE_S_IN_JIFFIES	(5 * PS_PER_S - PS_PER_MS)

/* The running test's status file: the machine writes it at lx_shutdown(). */
static char status_path[64];

static void setup(void *arg)
{
	lx_fx_setup(arg);
	setenv("CAPISIM_LOG", "info", 1);
	snprintf(status_path, sizeof(status_path), "/tmp/capisim-deadlock-%d.status", getpid());
	setenv("CAPISIM_STATUS", status_path, 1);
	lx_fx_log_capture();
}

static void teardown(void *arg)
{
	lx_fx_teardown(arg);
	inject_disarm_all();
	unsetenv("CAPISIM_STATUS");
	unlink(status_path);
	lx_fx_log_release();
}

/* Does the status file written at the stop have line @line? */
static bool status_has(const char *line)
{
	char buf[256];
	bool found = false;
	FILE *f = fopen(status_path, "r");

	while (f && !found && fgets(buf, sizeof(buf), f))
		found = !strcmp(buf, line);
	if (f)
		fclose(f);
	return found;
}

/* A real pause, whatever the time mode. */
static void host_pause_us(long us)
{
	struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = us % 1000000 * 1000 };

	syscall(SYS_nanosleep, &ts, NULL);
}

/* A copy of 1 KB on @afu raising AFU interrupt 1, and the interrupt read back. */
static int copy_and_wait(struct cxl_afu_h *afu, struct memcpy_we *we, unsigned char *buf)
{
	struct cxl_event ev;

	lx_fx_we_set(we, buf, buf + 2048, 1024, MEMCPY_CTL_IRQ, 1);
	if (lx_fx_run_we(afu, we))
		return -errno;
	do {
		if (cxl_read_event(afu, &ev))
			return -errno;
	} while (ev.header.type != CXL_EVENT_AFU_INTERRUPT);
	return ev.irq.irq;
}

/*
 * The only thread reads a context nothing will ever raise an event on:
 * the machine finds every task asleep and no event pending, reports it,
 * and the read fails with EDEADLK.  The context works on; the deadlock
 * fails the run.
 */
TEST read_deadlocks(void)
{
	struct cxl_afu_h *afu = lx_fx_open_attached();
	struct memcpy_we *we = lx_fx_zalloc(LINE, sizeof(*we));
	unsigned char *buf = lx_fx_zalloc(LINE, 4096);
	struct cxl_event ev;

	ASSERT(afu && we && buf);
	ASSERT_EQ(-1, cxl_read_event(afu, &ev));
	ASSERT_EQm("EDEADLK", EDEADLK, errno);
	ASSERT_EQ(0xffff, ev.header.type);
	ASSERT_EQm("the context works on", 1, copy_and_wait(afu, we, buf));
	cxl_afu_free(afu);
	free(we);
	free(buf);
	ASSERT_EQm("one failed check: the deadlock", 1, lx_shutdown());
	ASSERT_STR_HAS(lx_fx_logged(), "libcxl: deadlock: ");
	ASSERT_STR_HAS(lx_fx_logged(),
		       " tasks asleep, none runnable, no event pending; every program "
		       "thread waits in a call\n");
	ASSERT_STR_HAS(lx_fx_logged(), "task:   libcxl-gate (id ");
	ASSERT_STR_HAS(lx_fx_logged(), "): waits on the program's calls\n");
	ASSERT_STR_HAS(lx_fx_logged(),
		       "): waits on &ctx->wq (prepared at drivers/misc/cxl/file.c:");
	ASSERT_STR_HAS(lx_fx_logged(), "task:   kworker/0:1 (id ");
	ASSERTm("status: deadlock 1", status_has("deadlock 1\n"));
	ASSERTm("status: verdict failed", status_has("verdict failed\n"));
	PASS();
}

TEST read_that_never_completes_is_a_deadlock(void)
{
	CHECK_CALL(read_deadlocks());
	PASS();
}

/* Free-running, with no thread but the reader: the same proof, the same report. */
TEST free_running_deadlock_is_reported(void)
{
	setenv("CAPISIM_TIME", "free", 1);
	CHECK_CALL(read_deadlocks());
	PASS();
}

/* A call that sleeps where no signal reaches, as an uninterruptible wait does. */
static long sleep_for_ever_call(void *arg)
{
	hsched_prepare("a wait nothing ends");
	hsched_schedule(~0ULL);
	hsched_finish();
	return 0;
}

/*
 * The signal that ends a deadlocked call cannot end this one: the machine
 * is abandoned, the call fails with EDEADLK, and the calls after it with
 * ENODEV.  The driver's statics still point into the abandoned machine,
 * so no other boots in this process: this test runs last.
 */
TEST uninterruptible_deadlock_abandons_the_machine(void)
{
	struct cxl_afu_h *afu = cxl_afu_open_dev("/dev/cxl/afu0.0s");

	ASSERT(afu);
	ASSERT_EQm("EDEADLK", -EDEADLK, lx_call(sleep_for_ever_call, NULL, 0));
	ASSERT_EQm("no machine", -ENODEV, lx_call(sleep_for_ever_call, NULL, 0));
	cxl_afu_free(afu);
	ASSERT_EQm("the deadlock and the abandon", 2, lx_shutdown());
	ASSERT_STR_HAS(lx_fx_logged(), "): waits on a wait nothing ends\n");
	ASSERT_STR_HAS(lx_fx_logged(), "libcxl: deadlock: calls wait uninterruptibly after the "
		       "signal: machine abandoned\n");
	ASSERTm("status: deadlock 1", status_has("deadlock 1\n"));
	ASSERTm("status: verdict failed", status_has("verdict failed\n"));
	ASSERTm("no new machine", !cxl_afu_open_dev("/dev/cxl/afu0.0s"));
	ASSERT_EQ(ENODEV, errno);
	PASS();
}

/* A helper thread that waits on the host, then starts a copy raising interrupt 1. */
struct helper {
	pthread_t thread;
	struct cxl_afu_h *afu;
	struct memcpy_we *we;
	unsigned char *buf;
	int ret;
};

static void *helper_main(void *arg)
{
	struct helper *h = arg;

	host_pause_us(50000);
	lx_fx_we_set(h->we, h->buf, h->buf + 2048, 1024, MEMCPY_CTL_IRQ, 1);
	h->ret = lx_fx_run_we(h->afu, h->we);
	return NULL;
}

/*
 * While another thread of the program runs (here on the host, out of
 * lockstep once seen waiting), the read is not a deadlock: that thread's
 * call ends it with the interrupt.
 */
TEST a_thread_that_may_call_is_no_deadlock(void)
{
	struct helper h = {
		.afu = lx_fx_open_attached(),
		.we = lx_fx_zalloc(LINE, sizeof(struct memcpy_we)),
		.buf = lx_fx_zalloc(LINE, 4096),
	};
	struct cxl_event ev;

	ASSERT(h.afu && h.we && h.buf);
	ASSERT_EQ(0, pthread_create(&h.thread, NULL, helper_main, &h));
	ASSERT_EQ(0, cxl_read_event(h.afu, &ev));
	ASSERT_EQ(CXL_EVENT_AFU_INTERRUPT, ev.header.type);
	pthread_join(h.thread, NULL);
	ASSERT_EQ(0, h.ret);
	cxl_afu_free(h.afu);
	free(h.we);
	free(h.buf);
	ASSERT_EQ(0, lx_shutdown());
	ASSERTm("no deadlock report", !strstr(lx_fx_logged(), "libcxl: deadlock"));
	ASSERTm("status: deadlock 0", status_has("deadlock 0\n"));
	PASS();
}

/* Make the PSL drop the completion of the next SPA command ("psl.spa.complete"). */
static long spa_deaf_call(void *arg)
{
	struct inject_action act = { .kind = INJECT_KIND_DROP };

	return inject_arm(inject_find("psl.spa.complete"), &act, 1);
}

/* The ADD never completes: do_process_element_cmd() gives up after 5 s, attach fails. */
TEST spa_command_times_out(void)
{
	struct cxl_afu_h *afu = cxl_afu_open_dev("/dev/cxl/afu0.0s");
	u64 t0, t1;

	ASSERT(afu);
	ASSERT_EQ(0, lx_call(spa_deaf_call, NULL, 0));
	t0 = lx_fx_now();
	ASSERT_EQ(-1, cxl_afu_attach(afu, 0));
	ASSERT_EQ(EBUSY, errno);
	t1 = lx_fx_now();
	ASSERTm("5 s of simulated time", t1 - t0 >= FIVE_S_IN_JIFFIES);
	cxl_afu_free(afu);
	ASSERT_EQ(0, lx_shutdown());
	ASSERT_STR_HAS(lx_fx_logged(),
		       "] cxl afu0.0: WARNING: Process Element Command timed out!\n");
	ASSERT_STR_HAS(lx_fx_logged(), " cxl_llcmd_done: afu0.0 pe=0 cmd=ADD rc=-16\n");
	ASSERTm("status: deadlock 0", status_has("deadlock 0\n"));
	PASS();
}

SUITE(deadlock)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(read_that_never_completes_is_a_deadlock);
	RUN_TEST(free_running_deadlock_is_reported);
	RUN_TEST(a_thread_that_may_call_is_no_deadlock);
	RUN_TEST(spa_command_times_out);
	RUN_TEST(uninterruptible_deadlock_abandons_the_machine);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	RUN_SUITE(deadlock);
	HARNESS_MAIN_END();
}
