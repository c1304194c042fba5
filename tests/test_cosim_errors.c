// SPDX-License-Identifier: GPL-2.0
/*
 * The real cxl driver's error paths on the simulated PSL8 card with the
 * memcpy AFU (issue 4, points 5, 6, 8 and 9), each shown by the driver's
 * own log lines, captured through sim/core/log:
 *
 *  - a slice error (an AFU interrupt outside the context's ranges: SERR
 *    badsrc on the slice-error IVTE), which native_slice_irq_err() decodes
 *    and masks;
 *  - the PSL error interrupt (ErrIVTE, FIR2) and a context's PSL error
 *    (ErrStat, DSISR[PE]), which the driver logs and acknowledges;
 *  - an AFU error in dedicated mode (AFU_ERR, DSISR[AE]), which read()
 *    returns as CXL_EVENT_AFU_ERROR;
 *  - EEH: freeze, error_detected, PERST reloading the image, slot_reset,
 *    resume, and a job running again on the recovered card;
 *  - two 5 s driver timeouts (afu_control, the SPA command wait), the PSL
 *    made deaf by a fault point: 5 s of simulated time, a fraction of a
 *    second of wall time (measured in benchmarks, not asserted here);
 *  - a read() that can never complete, reported as a deadlock naming
 *    every task and what it waits on;
 *  - a WARN failing a run unless declared expected: kshim_check_verdict()
 *    for shim-level runs, the exit status of a libcxl program;
 *  - the same run twice giving byte-identical logs.
 *
 * Most tests are libcxl programs (tests/test_cosim_libcxl.c shows the
 * machine): what the simulator must do behind the program's back runs on
 * the simulator thread through lx_call().  The deadlock and SPA timeout
 * run on the shim directly (kshim_run()), where a run ends by itself.
 */
#define pr_fmt(fmt) "test-cosim-errors: " fmt

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "afu/memcpy.h"
#include "core/log.h"
#include "core/time.h"
#include "harness.h"
#include "host/cosim.h"
#include "host/hmem.h"
#include "host/hsched.h"
#include "host/kdev.h"
#include "host/uproc.h"
#include "host/world.h"
#include "inject/inject.h"
#include "libcxl_fixture.h"
#include "psl/psl.h"
#include "user/libcxl.h"
#include "user/lx.h"

#define SLAVE		"/dev/cxl/afu0.0s"
#define LINE		128

/* Set in the environment of a child run of this binary (exit_status_*). */
#define CHILD_VAR	"CAPISIM_TEST_ERRORS_CHILD"

/*
 * cxl_pci_error_detected() holds adapter->afu_list_lock, a spinlock,
 * across cxl_context_detach_all() and pci_deconfigure_afu(), which take
 * mutexes, flush work and schedule: the 6.1 driver's own bug, which the
 * lock checks find.  With one context attached that is 7 reports.
 */
#define EEH_SLEEPS_UNDER_SPINLOCK	7

/*
 * The driver's 5 s timeouts are 5 * HZ jiffies from the tick in progress,
 * which began up to one jiffy (1 ms) before the call.
 */
#define FIVE_S_IN_JIFFIES	(5 * PS_PER_S - PS_PER_MS)

/* ---- The libcxl programs ---- */

/* The driver's info lines are what these tests read. */
static void lx_setup(void *arg)
{
	lx_fx_setup(arg);
	setenv("CAPISIM_LOG", "info", 1);
	lx_fx_log_capture();
}

static void lx_teardown(void *arg)
{
	lx_shutdown();
	inject_disarm_all();
	lx_fx_log_release();
}

/* The next event's type, or -errno. */
static int next_event(struct cxl_afu_h *afu, struct cxl_event *ev)
{
	return cxl_read_event(afu, ev) ? -errno : ev->header.type;
}

/* ---- What runs on the simulator thread (lx_call) ---- */

static struct psl_card *card0(void)
{
	return kshim_world.cards[0];
}

static struct psl_slice *slice0(void)
{
	return &card0()->slice[0];
}

/* A register as an administrator reads it: the driver's debugfs file. */
struct reg_read {
	const char *path;
	u64 val;
};

static long debugfs_reg_call(void *arg)
{
	struct reg_read *r = arg;
	char buf[32];
	long ret = kshim_debugfs_read(r->path, buf, sizeof(buf));

	if (ret < 0)
		return ret;
	r->val = strtoull(buf, NULL, 0);
	return 0;
}

static int debugfs_reg(const char *path, u64 *val)
{
	struct reg_read r = { .path = path };
	int ret = lx_call(debugfs_reg_call, &r, 0);

	*val = r.val;
	return ret;
}

/* How often the handler of @hwirq handled it; -errno if it has none. */
static long irq_handled_call(void *arg)
{
	unsigned long long handled, unhandled;
	int ret = kshim_irq_count((unsigned int)(uintptr_t)arg, &handled, &unhandled);

	return ret ? ret : (long)handled;
}

static long irq_handled(unsigned int hwirq)
{
	return lx_call(irq_handled_call, (void *)(uintptr_t)hwirq, 0);
}

/* The model's FIR2 INJECTED, with ErrStat and DSISR[PE] of context @arg if >= 0. */
static long psl_error_call(void *arg)
{
	return psl_err_injected(slice0(), (int)(intptr_t)arg);
}

static long expect_warn_call(void *arg)
{
	kshim_expect(KSHIM_CHECK_WARN, (unsigned int)(uintptr_t)arg);
	return 0;
}

static long afu_err_call(void *arg)
{
	return slice0()->p2n[CXL_AFU_ERR_An / 8];
}

/* Make the next @arg stores into the card vanish ("psl.mmio.write"). */
static long lose_stores_call(void *arg)
{
	struct inject_action act = { .kind = INJECT_KIND_DROP };

	return inject_arm(inject_find("psl.mmio.write"), &act, (u32)(uintptr_t)arg);
}

/* ---- Slice error ---- */

/*
 * The AFU asks for interrupt 3 of a context that has one: the PSL sets
 * SERR badsrc and sends the slice-error MSI through the IVTE in SERR.
 * native_slice_irq_err() decodes SERR, dumps the slice's registers and
 * masks the source in SERR until the AFU is reset.
 */
TEST slice_error_is_decoded_and_masked(void)
{
	struct cxl_afu_h *afu = lx_fx_open_attached();
	struct memcpy_we *we = lx_fx_zalloc(LINE, sizeof(*we));
	unsigned char *buf = lx_fx_zalloc(LINE, 4096);
	const u64 badsrc_mask = CXL_PSL_SERR_An_badsrc >> 32;
	u64 serr_before, serr_after, ivte;

	ASSERT(afu && we && buf);
	ASSERT_EQ(0, debugfs_reg("cxl/card0/psl0.0/serr", &serr_before));
	ASSERT_EQm("every source unmasked", 0, serr_before & CXL_PSL_SERR_An_IRQ_MASKS);
	ivte = serr_before & CXL_PSL_SERR_An_IVTE_MASK;
	ASSERTm("the driver's slice-error IVTE is set", ivte != 0);
	lx_fx_we_set(we, buf, buf + 2048, 1024, MEMCPY_CTL_IRQ, 3);
	ASSERT_EQ(0, lx_fx_run_we(afu, we));
	usleep(1000);
	ASSERT_EQm("the copy itself is done", MEMCPY_ST_DONE, we->status & 0xff);
	ASSERT_EQm("the MSI of the slice-error IVTE, handled once", 1, irq_handled(ivte));
	ASSERT_EQ(0, debugfs_reg("cxl/card0/psl0.0/serr", &serr_after));
	ASSERT_EQ_FMTm("the driver masked badsrc and kept the IVTE",
		       (unsigned long long)(badsrc_mask | ivte),
		       (unsigned long long)serr_after, "%#llx");
	cxl_afu_free(afu);
	free(we);
	free(buf);
	ASSERT_EQm("no WARN, no lock misuse", 0, lx_shutdown());
	ASSERT_STR_HAS(lx_fx_logged(),
		       "psl-irq: card0 slice 0: PE 0 AFU interrupt 3 outside its ranges");
	ASSERT_STR_HAS(lx_fx_logged(),
		       "] cxl afu0.0: PSL Slice error received. Check AFU for root cause.\n");
	ASSERT_STR_HAS(lx_fx_logged(), "] cxl afu0.0: PSL_SERR_An: 0x1000000000000");
	ASSERT_STR_HAS(lx_fx_logged(), "] cxl afu0.0: Bad Interrupt Source\n");
	ASSERT_STR_HAS(lx_fx_logged(), "] cxl afu0.0: PSL_DSISR_An: 0x0000000000000000\n");
	ASSERT_STR_HAS(lx_fx_logged(),
		       "] cxl afu0.0: Further such interrupts will be masked until the "
		       "AFU is reset\n");
	PASS();
}

/* ---- PSL error interrupt ---- */

/*
 * FIR2 INJECTED raises the PSL error interrupt (ErrIVTE): native_irq_err()
 * WARNs and dumps the FIRs.  The same error for a context sets ErrStat
 * and DSISR[PE] on its PSL interrupt: native_handle_psl_slice_error()
 * dumps the registers and acknowledges, clearing ErrStat and DSISR[PE].
 * The driver never clears the FIRs (they hold until PERST).
 */
TEST psl_error_interrupt(void)
{
	struct cxl_afu_h *afu = lx_fx_open_attached();
	u64 err_ivte, fir2, errstat, dsisr;
	int pe;

	ASSERT(afu);
	pe = cxl_afu_get_process_element(afu);
	ASSERT(pe >= 0);
	ASSERT_EQ(0, debugfs_reg("cxl/card0/err_ivte", &err_ivte));
	ASSERT_EQm("the card's error IVTE", COSIM_MSI_BASE, err_ivte);
	ASSERT_EQ(0, lx_call(psl_error_call, (void *)(intptr_t)-1, 0));
	usleep(1000);
	ASSERT_EQm("the PSL error MSI, handled once", 1, irq_handled(err_ivte));
	ASSERT_EQ(0, lx_call(psl_error_call, (void *)(intptr_t)pe, 0));
	usleep(1000);
	ASSERT_EQ(0, debugfs_reg("cxl/card0/fir2", &fir2));
	ASSERT_EQ_FMT((unsigned long long)PSL_FIR2_INJECTED, (unsigned long long)fir2, "%#llx");
	ASSERT_EQ(0, debugfs_reg("cxl/card0/psl0.0/err_status", &errstat));
	ASSERT_EQm("ErrStat cleared by the driver", 0, errstat);
	ASSERT_EQ(0, debugfs_reg("cxl/card0/psl0.0/dsisr", &dsisr));
	ASSERT_EQm("DSISR[PE] cleared by the driver", 0, dsisr & CXL_PSL_DSISR_An_PE);
	cxl_afu_free(afu);
	/* The test's declaration: native_irq_err() WARNs once, by design. */
	lx_call(expect_warn_call, (void *)1, 0);
	ASSERT_EQm("the WARN was declared", 0, lx_shutdown());
	ASSERT_STR_HAS(lx_fx_logged(), "kshim: WARNING: CXL ERROR interrupt ");
	ASSERT_STR_HAS(lx_fx_logged(), ", in IRQ] at drivers/misc/cxl/native.c:");
	ASSERT_STR_HAS(lx_fx_logged(), "] cxl card0: PSL_ErrIVTE: 0x0000000000000800\n");
	ASSERT_STR_HAS(lx_fx_logged(), "] cxl card0: STOPPING CXL TRACE\n");
	ASSERT_STR_HAS(lx_fx_logged(), "] cxl card0: PSL_FIR1: 0x0000000000000000\n"
		       "PSL_FIR2: 0x8000000000000000\n");
	ASSERT_STR_HAS(lx_fx_logged(), "] cxl afu0.0: PSL ERROR STATUS: 0x1000000000000000\n");
	ASSERT_STR_HAS(lx_fx_logged(), "] cxl afu0.0: PSL_FIR2: 0x8000000000000000\n");
	ASSERT_STR_HAS(lx_fx_logged(), "] cxl afu0.0: CXL_PSL_AFU_DEBUG_An: 0x");
	PASS();
}

/* ---- AFU error ---- */

/*
 * Dedicated mode: the AFU's job finds its WE not valid and ends with
 * ah_jerror.  The PSL puts the code in AFU_ERR and raises DSISR[AE] on
 * the context's PSL interrupt; cxl_irq_psl8() keeps AFU_ERR for the
 * context and acknowledges with TFC[A]; read() returns the error.
 */
TEST afu_error_reaches_read(void)
{
	const u64 code = MEMCPY_ST_ERROR | (u64)MEMCPY_ERR_NOT_VALID << 32;
	struct memcpy_we *we = lx_fx_zalloc(LINE, sizeof(*we));
	struct cxl_afu_h *afu;
	struct cxl_event ev;
	u64 dsisr;

	setenv("CAPISIM_MODE", "dedicated", 1);
	afu = cxl_afu_open_dev("/dev/cxl/afu0.0d");
	ASSERT(afu && we);
	ASSERT_EQm("attach with a WE not valid", 0, cxl_afu_attach(afu, (uintptr_t)we));
	ASSERT_EQ(CXL_EVENT_AFU_ERROR, next_event(afu, &ev));
	ASSERT_EQ(sizeof(ev.header) + sizeof(ev.afu_error), ev.header.size);
	ASSERT_EQ_FMTm("the AFU's error code", (unsigned long long)code,
		       (unsigned long long)ev.afu_error.error, "%#llx");
	ASSERT_EQ_FMTm("as AFU_ERR holds it", (unsigned long long)code,
		       (unsigned long long)lx_call(afu_err_call, NULL, 0), "%#llx");
	ASSERT_EQ(0, debugfs_reg("cxl/card0/psl0.0/dsisr", &dsisr));
	ASSERT_EQm("DSISR[AE] acknowledged", 0, dsisr & CXL_PSL_DSISR_An_AE);
	ASSERT_EQm("nothing more pending", 0, cxl_event_pending(afu));
	cxl_afu_free(afu);
	free(we);
	ASSERT_EQ(0, lx_shutdown());
	ASSERT_STR_HAS(lx_fx_logged(),
		       "psl-job: card0 slice 0: AFU job ended with error 0x300000002\n");
	ASSERT_STR_HAS(lx_fx_logged(), " cxl_psl_irq: afu0.0 pe=0 irq=");
	ASSERT_STR_HAS(lx_fx_logged(), " dsisr=AE dar=0x0000000000000000\n");
	ASSERT_STR_HAS(lx_fx_logged(), " cxl_psl_irq_ack: afu0.0 pe=0 tfc=A\n");
	ASSERT_STR_HAS(lx_fx_logged(), " cxl_detach: afu0.0 pe=0\n");
	PASS();
}

/* ---- EEH ---- */

/* The recovery's outcome, from the eehd task; 1 while it runs. */
static int eeh_result;

static int eehd_main(void *arg)
{
	eeh_result = kshim_eeh_inject(0);
	return 0;
}

/*
 * The card reloads its user image at PERST and the administrator says it
 * is the same image, so the driver takes part in the recovery (it opts
 * out otherwise).  The freeze and the recovery run in an "eehd" task, as
 * the kernel's EEH thread; the program's process waits for it.
 */
static long eeh_call(void *arg)
{
	long ret = kshim_sysfs_write("cxl/card0/load_image_on_perst", "user", 4);

	if (ret >= 0)
		ret = kshim_sysfs_write("cxl/card0/perst_reloads_same_image", "1", 1);
	if (ret < 0)
		return ret;
	kshim_expect(KSHIM_CHECK_SLEEP_SPINLOCK, EEH_SLEEPS_UNDER_SPINLOCK);
	eeh_result = 1;
	if (!kshim_task_create("eehd", eehd_main, NULL))
		return -ENOMEM;
	while (eeh_result == 1)
		kshim_uproc_sleep_until(hsched_now() + PS_PER_MS);
	return eeh_result;
}

static long card_stats_call(void *arg)
{
	*(struct psl_stats *)arg = card0()->stats;
	return 0;
}

/* An 8 KB copy with an interrupt: 0 once it is done and right. */
static int copy_once(struct cxl_afu_h *afu, unsigned int seed)
{
	struct memcpy_we *we = lx_fx_zalloc(LINE, sizeof(*we));
	unsigned char *src = lx_fx_zalloc(LINE, 8192), *dst = lx_fx_zalloc(LINE, 8192);
	struct cxl_event ev;
	int ret = -1;

	if (!we || !src || !dst)
		goto out;
	lx_fx_fill(src, 8192, seed);
	lx_fx_we_set(we, src, dst, 8192, MEMCPY_CTL_IRQ, 1);
	if (lx_fx_run_we(afu, we) || next_event(afu, &ev) != CXL_EVENT_AFU_INTERRUPT)
		goto out;
	ret = we->status == MEMCPY_ST_DONE && !memcmp(src, dst, 8192) ? 0 : -1;
out:
	free(we);
	free(src);
	free(dst);
	return ret;
}

TEST eeh_recovers_with_perst(void)
{
	struct cxl_afu_h *afu = lx_fx_open_attached();
	struct psl_stats st;

	ASSERT(afu);
	ASSERT_EQm("a job before", 0, copy_once(afu, 1));
	ASSERT_EQm("the card came back", 0, lx_call(eeh_call, NULL, 0));
	ASSERT_EQ(0, lx_call(card_stats_call, &st, 0));
	ASSERT_EQm("one PERST", 1, st.perst);
	ASSERT_EQm("which reloaded the image", 1, st.image_loads);
	/* EEH detached the context (tests/test_cosim_files.c shows what it sees). */
	cxl_afu_free(afu);
	afu = lx_fx_open_attached();
	ASSERTm("a new context attaches", afu);
	ASSERT_EQm("a job after", 0, copy_once(afu, 2));
	cxl_afu_free(afu);
	ASSERT_EQm("only the declared lock reports", 0, lx_shutdown());
	ASSERT_STR_HAS(lx_fx_logged(), "psl: card0: link frozen");
	ASSERT_STR_HAS(lx_fx_logged(),
		       "] cxl-pci 0000:01:00.0: EEH: calling error_detected(frozen)\n");
	ASSERT_STR_HAS(lx_fx_logged(), "] cxl afu0.0: PSL Purge called with link down, ignoring\n");
	ASSERT_STR_HAS(lx_fx_logged(), "] cxl-pci 0000:01:00.0: EEH: error_detected() answered "
		       "'need reset'\n");
	ASSERT_STR_HAS(lx_fx_logged(), "] psl-cfg: card0: PERST loads the user image\n");
	ASSERT_STR_HAS(lx_fx_logged(),
		       "] cxl-pci 0000:01:00.0: EEH: slot_reset() answered 'recovered'\n");
	ASSERT_STR_HAS(lx_fx_logged(), "] cxl-pci 0000:01:00.0: EEH: calling resume()\n");
	ASSERT_STR_HAS(lx_fx_logged(), "] cxl-pci 0000:01:00.0: EEH: recovered\n");
	ASSERT_STR_HAS(strstr(lx_fx_logged(), "EEH: slot reset with PERST"),
		       "] cxl-pci 0000:01:00.0: switch card to CXL\n");
	ASSERT_STR_HAS(strstr(lx_fx_logged(), "EEH: slot reset with PERST"),
		       "] cxl afu0.0: Activating AFU directed mode\n");
	ASSERT_STR_HAS(lx_fx_logged(),
		       "sleep-holding-spinlock: mutex_lock() while holding spinlock "
		       "&adapter->afu_list_lock (taken at drivers/misc/cxl/pci.c:");
	PASS();
}

/* ---- A 5 s driver timeout ---- */

/*
 * The store enabling the AFU never reaches the card: afu_control() polls
 * AFU_Cntl until its 5 s deadline, and the attach fails with EBUSY.
 */
TEST afu_control_times_out(void)
{
	struct cxl_afu_h *afu = cxl_afu_open_dev(SLAVE);
	u64 t0, t1;
	int ret;

	ASSERT(afu);
	ASSERT_EQ(0, lx_call(lose_stores_call, (void *)1, 0));
	t0 = lx_fx_now();
	ret = cxl_afu_attach(afu, 0);
	ASSERT_EQ(-1, ret);
	ASSERT_EQ(EBUSY, errno);
	t1 = lx_fx_now();
	ASSERTm("5 s of simulated time", t1 - t0 >= FIVE_S_IN_JIFFIES);
	cxl_afu_free(afu);
	ASSERT_EQ(0, lx_shutdown());
	ASSERT_STR_HAS(lx_fx_logged(), "] cxl afu0.0: WARNING: AFU control timed out!\n");
	ASSERT_STR_HAS(lx_fx_logged(), " cxl_afu_ctrl_done: afu0.0 cmd=ENABLE rc=-16\n");
	PASS();
}

/* ---- Checks that fail a program ---- */

/*
 * The program of a child run: a context, the PSL error interrupt (whose
 * handler WARNs), and a normal exit.  Its exit status is the machine's.
 */
static int child_program(void)
{
	struct cxl_afu_h *afu = lx_fx_open_attached();

	if (!afu)
		return 2;
	if (lx_call(psl_error_call, (void *)(intptr_t)-1, 0))
		return 3;
	usleep(1000);
	cxl_afu_free(afu);
	return 0;
}

/*
 * Run this binary as the child program with CAPISIM_EXPECT=@expect (NULL:
 * unset); its exit status, or -1.  Its stderr goes to @err.
 */
static int run_child(const char *expect, char *err, size_t len)
{
	int fds[2], status;
	ssize_t n;
	size_t got = 0;
	pid_t pid;

	if (pipe(fds))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		setenv(CHILD_VAR, "1", 1);
		setenv("CAPISIM_LOG", "err", 1);
		if (expect)
			setenv("CAPISIM_EXPECT", expect, 1);
		else
			unsetenv("CAPISIM_EXPECT");
		execl("/proc/self/exe", "test_cosim_errors", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while (got < len - 1 && (n = read(fds[0], err + got, len - 1 - got)) > 0)
		got += n;
	err[got] = '\0';
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* What the last child run wrote on stderr (malloc'd, CHILD_ERR_LEN bytes). */
#define CHILD_ERR_LEN	16384
static char *child_err;

TEST exit_status_fails_on_a_warn(void)
{
	const char *err = child_err = child_err ? child_err : malloc(CHILD_ERR_LEN);

	ASSERT(err);
	ASSERT_EQm("a WARN nobody declared", 1, run_child(NULL, child_err, CHILD_ERR_LEN));
	ASSERT_STR_HAS(err, "check warn: 1 reported, 0 expected");
	ASSERT_STR_HAS(err, "ended with 1 failed runtime check");
	ASSERT_EQm("the WARN declared", 0, run_child("warn:1", child_err, CHILD_ERR_LEN));
	ASSERT_EQm("a declaration that makes no sense", 1,
		   run_child("warn=1", child_err, CHILD_ERR_LEN));
	ASSERT_STR_HAS(err, "CAPISIM_EXPECT: 'warn=1' is not check:count");
	PASS();
}

/* ---- The same run twice ---- */

/* Where the runs' buffers live, the same address each time. */
#define SAME_BASE	0x5a0000000000ULL
#define SAME_SIZE	(64 * 1024)

/*
 * Attach, a copy into pages never touched (segment and page misses
 * served by fault.c), an unmapped source (a data-storage event), the
 * interrupts, detach.  Every address the AFU sees is fixed.
 */
static int same_run(const char *log_file)
{
	unsigned char *base = (unsigned char *)(uintptr_t)SAME_BASE;
	struct memcpy_we *we = (struct memcpy_we *)base;
	unsigned char *src = base + 4096, *dst = base + 8 * 4096;
	struct cxl_afu_h *afu;
	struct cxl_event ev;
	int ret = -1;

	if (mmap(base, SAME_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != base)
		return -errno;
	setenv("CAPISIM_LOG_FILE", log_file, 1);
	afu = lx_fx_open_attached();
	if (!afu)
		goto out;
	lx_fx_fill(src, 3 * 4096, 9);
	lx_fx_we_set(&we[0], src, dst, 3 * 4096, MEMCPY_CTL_IRQ, 1);
	lx_fx_we_set(&we[1], base + SAME_SIZE, dst, 4096, MEMCPY_CTL_IRQ, 1);
	we[0].next = (uintptr_t)&we[1];
	if (lx_fx_run_we(afu, we) || next_event(afu, &ev) != CXL_EVENT_AFU_INTERRUPT)
		goto out;
	if (next_event(afu, &ev) != CXL_EVENT_DATA_STORAGE ||
	    next_event(afu, &ev) != CXL_EVENT_AFU_INTERRUPT)
		goto out;
	ret = memcmp(src, dst, 3 * 4096) ? -1 : 0;
out:
	cxl_afu_free(afu);
	if (lx_shutdown())
		ret = -1;
	/* The machine closed its log file: back to this test's log. */
	log_set_file(lx_fx_log()->mem);
	munmap(base, SAME_SIZE);
	return ret;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET)) {
		buf = malloc(n + 1);
		if (buf && fread(buf, 1, n, f) == (size_t)n) {
			buf[n] = '\0';
			*len = n;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

TEST same_run_same_log(void)
{
	char path[2][64];
	char *text[2];
	size_t len[2];
	int i, ret;

	for (i = 0; i < 2; i++) {
		snprintf(path[i], sizeof(path[i]), "/tmp/capisim-same-run-%d-%d.log", (int)getpid(),
			 i);
		ret = same_run(path[i]);
		if (ret == -EEXIST)
			SKIPm("the fixed buffer address is taken in this process");
		ASSERT_EQm("the run", 0, ret);
		text[i] = slurp(path[i], &len[i]);
		unlink(path[i]);
		ASSERT(text[i]);
	}
	ASSERT_STR_HAS(text[0], "] cxl afu0.0: Activating AFU directed mode\n");
	ASSERT_STR_HAS(text[0], " cxl_attach: afu0.0 pid=");
	ASSERT_STR_HAS(text[0], " cxl_ste_miss: afu0.0 pe=0 dar=0x00005a0000");
	ASSERT_STR_HAS(text[0], " cxl_pte_miss: afu0.0 pe=0 dsisr=");
	ASSERT_STR_HAS(text[0], " cxl_psl_irq_ack: afu0.0 pe=0 tfc=AE\n");
	ASSERT_STR_HAS(text[0], " cxl_afu_irq: afu0.0 pe=0 afu_irq=1 ");
	ASSERT_STR_HAS(text[0], " cxl_detach: afu0.0 pe=0\n");
	ASSERT_EQm("the same length", len[0], len[1]);
	ASSERT_MEM_EQm("the same bytes", text[0], text[1], len[0]);
	free(text[0]);
	free(text[1]);
	PASS();
}

SUITE(libcxl_programs)
{
	SET_SETUP(lx_setup, NULL);
	SET_TEARDOWN(lx_teardown, NULL);
	RUN_TEST(slice_error_is_decoded_and_masked);
	RUN_TEST(psl_error_interrupt);
	RUN_TEST(afu_error_reaches_read);
	RUN_TEST(eeh_recovers_with_perst);
	RUN_TEST(afu_control_times_out);
	RUN_TEST(exit_status_fails_on_a_warn);
	RUN_TEST(same_run_same_log);
}

/* ---- On the shim directly ---- */

/* The memcpy AFU of the test's card, made by shim_setup(), destroyed by shim_teardown(). */
static struct afu *shim_afu;

/* One card with the memcpy AFU; the driver is loaded by each test's first task. */
static void shim_setup(void *arg)
{
	struct psl_params p;

	lx_fx_log_capture();
	log_set_level(LOG_INFO);
	world_init(1);
	if (kshim_hmem_init() || cosim_init())
		abort();
	kshim_sched_init();
	kshim_dev_init();
	psl_params_defaults(&p);
	if (cosim_card_add(&p, NULL) < 0)
		abort();
	shim_afu = afu_find("memcpy")->create("afu0.0", 1, "");
	if (!shim_afu || psl_afu_attach(&kshim_world.cards[0]->slice[0], shim_afu))
		abort();
}

static void shim_unload(void);

static void shim_teardown(void *arg)
{
	shim_unload();
	cosim_exit();
	shim_afu->ops->destroy(shim_afu);
	world_exit();
	hsched_reset();
	inject_disarm_all();
	lx_fx_log_release();
}

enum shim_scenario {
	SHIM_READ_FOREVER,	/* attach, then a read no event ever ends */
	SHIM_SPA_DEAF,		/* the PSL never completes the ADD */
	SHIM_PSL_ERROR,		/* attach, then the PSL error interrupt */
};

/* A user process of the scenario, and what it saw. */
struct shim_proc {
	enum shim_scenario what;
	void *up;		/* until it exits */
	bool exited;
	long start_work;	/* the ioctl's result */
	long read;		/* the read's */
	u64 t0, t1;		/* simulated time around START_WORK */
};

/* The running scenario's process: its task writes it, the test reads it between runs. */
static struct shim_proc sp;

/* The driver is loaded: insmod ran, rmmod did not (the driver's statics outlive a world). */
static bool shim_loaded;

/* A user page with the START_WORK argument; one interrupt. */
static unsigned long long work_page(void *mm)
{
	unsigned long long ua = kshim_user_mmap(mm, 2 * 4096, KSHIM_PROT_READ | KSHIM_PROT_WRITE);
	struct cxl_ioctl_start_work *w = (void *)(uintptr_t)ua;

	if (ua) {
		w->flags = CXL_START_WORK_NUM_IRQS;
		w->num_interrupts = 1;
	}
	return ua;
}

static int proc_main(void *arg)
{
	struct shim_proc *p = arg;
	unsigned long long ua = work_page(kshim_uproc_mm(p->up));
	int fd = kshim_open("cxl/afu0.0s", O_RDWR);

	if (ua && fd >= 0) {
		if (p->what == SHIM_SPA_DEAF) {
			struct inject_action act = { .kind = INJECT_KIND_DROP };

			inject_arm(inject_find("psl.spa.complete"), &act, 1);
		}
		p->t0 = hsched_now();
		p->start_work = kshim_ioctl(fd, CXL_IOCTL_START_WORK, ua);
		p->t1 = hsched_now();
		if (p->what == SHIM_READ_FOREVER)
			p->read = kshim_read(fd, (void *)(uintptr_t)(ua + 4096), 4096);
		if (p->what == SHIM_PSL_ERROR) {
			psl_err_injected(&kshim_world.cards[0]->slice[0], -1);
			kshim_uproc_sleep_until(hsched_now() + PS_PER_MS);
		}
	}
	if (fd >= 0)
		kshim_close(fd);
	kshim_uproc_exit(p->up);
	p->exited = true;
	return 0;
}

/* insmod, then the process of the scenario. */
static int insmod_main(void *arg)
{
	int ret = kshim_boot();

	shim_loaded = true;
	if (!ret)
		sp.up = kshim_uproc_create("prog", proc_main, &sp, 1);
	return ret;
}

static int rmmod_main(void *arg)
{
	kshim_shutdown();
	shim_loaded = false;
	return 0;
}

static int shim_start(enum shim_scenario what)
{
	memset(&sp, 0, sizeof(sp));
	sp.what = what;
	sp.read = 1;
	return kshim_task_create("insmod", insmod_main, NULL) ? kshim_run(0) : -ENOMEM;
}

/* Module exit; 0 when it ran and left nothing in sysfs. */
static int shim_rmmod(void)
{
	if (!kshim_task_create("rmmod", rmmod_main, NULL) || kshim_run(0))
		return -1;
	return kshim_sysfs_nr_dirs();
}

/* After a test that failed half-way: end the process and unload the driver. */
static void shim_unload(void)
{
	if (!shim_loaded)
		return;
	if (sp.up && !sp.exited)
		kshim_uproc_signal(sp.up);
	if (kshim_run(0) || shim_rmmod() < 0)
		pr_err("the driver could not be unloaded: the next test may fail\n");
}

/*
 * Nothing will ever make an event for the context: the machine stops at
 * once with a deadlock report naming every task and its wait, the
 * driver's own line for the reader.  A signal then ends the read, as
 * Ctrl-C would, and the run goes on to a clean module exit.
 */
TEST read_that_never_completes_is_a_deadlock(void)
{
	ASSERT_EQm("deadlock", -EDEADLK, shim_start(SHIM_READ_FOREVER));
	ASSERT_EQm("attached", 0, sp.start_work);
	ASSERT_STR_HAS(lx_fx_logged(),
		       "task: deadlock: 3 tasks asleep, none runnable, no event pending\n");
	ASSERT_STR_HAS(lx_fx_logged(), "task:   idle/0 (id 2): waits on interrupts\n");
	ASSERT_STR_HAS(lx_fx_logged(),
		       "task:   kworker/0:1 (id 3): waits on &worker_wq (prepared at "
		       "driver_shim/kernel/workqueue.c:");
	ASSERT_STR_HAS(lx_fx_logged(), "task:   prog (id 4): waits on &ctx->wq (prepared at "
		       "drivers/misc/cxl/file.c:");
	kshim_uproc_signal(sp.up);
	ASSERT_EQm("the signal ends it", 0, kshim_run(0));
	ASSERT_EQm("-ERESTARTSYS", -512, sp.read);
	ASSERT_EQm("module exit, sysfs empty", 0, shim_rmmod());
	ASSERT_EQ(0, kshim_check_verdict());
	PASS();
}

/* The PSL drops the ADD's completion: do_process_element_cmd() gives up after 5 s. */
TEST spa_command_times_out(void)
{
	ASSERT_EQ(0, shim_start(SHIM_SPA_DEAF));
	ASSERT_EQm("EBUSY", -EBUSY, sp.start_work);
	ASSERTm("5 s of simulated time", sp.t1 - sp.t0 >= FIVE_S_IN_JIFFIES);
	ASSERT_EQ(1, inject_find("psl.spa.complete")->nr_fired);
	ASSERT_EQ(0, shim_rmmod());
	ASSERT_EQ(0, kshim_check_verdict());
	ASSERT_STR_HAS(lx_fx_logged(),
		       "] cxl afu0.0: WARNING: Process Element Command timed out!\n");
	ASSERT_STR_HAS(lx_fx_logged(), " cxl_llcmd_done: afu0.0 pe=0 cmd=ADD rc=-16\n");
	PASS();
}

/* A WARN in the driver fails a shim run unless the test declares it. */
TEST warn_fails_the_run_unless_declared(void)
{
	ASSERT_EQ(0, shim_start(SHIM_PSL_ERROR));
	ASSERT_EQ(0, shim_rmmod());
	ASSERT_EQm("undeclared", 1, kshim_check_verdict());
	ASSERT_STR_HAS(lx_fx_logged(), "kshim: check warn: 1 reported, 0 expected\n");
	kshim_expect(KSHIM_CHECK_WARN, 1);
	ASSERT_EQm("declared", 0, kshim_check_verdict());
	ASSERT_STR_HAS(lx_fx_logged(), "kshim: WARNING: CXL ERROR interrupt ");
	PASS();
}

SUITE(shim_runs)
{
	SET_SETUP(shim_setup, NULL);
	SET_TEARDOWN(shim_teardown, NULL);
	RUN_TEST(read_that_never_completes_is_a_deadlock);
	RUN_TEST(spa_command_times_out);
	RUN_TEST(warn_fails_the_run_unless_declared);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	if (getenv(CHILD_VAR))
		return child_program();
	HARNESS_MAIN_BEGIN(argc, argv);
	RUN_SUITE(libcxl_programs);
	RUN_SUITE(shim_runs);
	HARNESS_MAIN_END();
}
