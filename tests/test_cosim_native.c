// SPDX-License-Identifier: GPL-2.0
/*
 * native.c of the unmodified cxl driver against the PSL8 model, in the
 * corners the feature tests do not reach (issue 4, point 10): the purge
 * of a dedicated detach answering a translation fault that outlived the
 * AFU reset, the driver's workaround for a PSL that leaves AFU_Cntl[RA]
 * set after a reset, and an SPA command the PSL completes with an error.
 *
 * Each scenario is a simulated process (its own pid and address space)
 * on one card with the C memcpy AFU on slice 0, as in
 * test_cosim_directed.c; the checks read both the driver's answers and
 * what the PSL model saw, through the MMIO log.
 */
#define pr_fmt(fmt) "test-cosim-native: " fmt

#include <errno.h>
#include <fcntl.h>
#include <misc/cxl.h>

#define COSIM_PROC_NAME	"native"

#include "afu/afu.h"
#include "afu/memcpy.h"
#include "core/log.h"
#include "cosim_proc.h"
#include "harness.h"
#include "inject/inject.h"

#define SLAVE		"cxl/afu0.0s"
#define DEDICATED	"cxl/afu0.0d"

/* The bytes the WE at WE_OFF copies. */
#define COPY_LEN	4096ULL

/* How long the process waits, busy, for the AFU's first fault. */
#define FAULT_WAIT_PS	(100ULL * PS_PER_US)

/* ---- The machine ---- */

/* A PSL that, like the XSL of the Mellanox CX4, leaves RA set after a reset. */
static void boot_sticky_ra(void *arg)
{
	struct psl_params p;

	psl_params_defaults(&p);
	p.afu_ra_self_clear = false;
	shim_fx_boot_card_with(&p);
	shim_fx_plug_memcpy();
}

static void shut(void *arg)
{
	inject_disarm_all();
	shim_fx_exit_memcpy(arg);
}

/* ---- The process's side ---- */

/* The WE at WE_OFF copies COPY_LEN bytes and interrupts with LISN 1: its EA. */
static u64 we_prep(void)
{
	struct memcpy_we *we = at(WE_OFF);

	memset(we, 0, sizeof(*we));
	we->src = ea(SRC_OFF);
	we->dst = ea(DST_OFF);
	we->len = COPY_LEN;
	we->lisn = 1;
	we->ctl = MEMCPY_CTL_VALID | MEMCPY_CTL_IRQ;
	return ea(WE_OFF);
}

/* Events of @fd until the AFU's interrupt: 0, or -errno, or the line of a surprise. */
static int wait_afu_irq(int fd)
{
	struct cxl_event *ev = at(SCRATCH_OFF);
	long n;

	for (;;) {
		n = kshim_read(fd, ev, CXL_READ_MIN_SIZE);
		if (n < 0)
			return n;
		if (ev->header.type == CXL_EVENT_AFU_INTERRUPT)
			return 0;
	}
}

static int to_dedicated(void)
{
	return kshim_sysfs_write("cxl/afu0.0/mode", "dedicated_process", 17) == 17 ? 0 : -EIO;
}

/* ---- The MMIO log: slice 0's P1 (BAR2, slice registers) and P2 (BAR0) ---- */

static bool is_p2(const struct cosim_mmio_rec *r, u64 reg)
{
	return r->card == 0 && r->bar == 0 && r->offset == reg && r->width == 8;
}

static bool is_p1n(const struct cosim_mmio_rec *r, u64 reg)
{
	return r->card == 0 && r->bar == 2 && r->offset == CXL_P1_SLICE_BASE + reg &&
	       r->width == 8;
}

/* The first access at or after @from that @match accepts for @reg, or -1. */
static int mmio_find(unsigned int from, bool (*is)(const struct cosim_mmio_rec *r, u64 reg),
		    u64 reg, int write, u64 set, u64 clear)
{
	unsigned int i;

	for (i = from; i < cosim_mmio_log_len(); i++) {
		const struct cosim_mmio_rec *r = cosim_mmio_log_get(i);

		if (is(r, reg) && r->write == write && (r->val & set) == set && !(r->val & clear))
			return i;
	}
	return -1;
}

static unsigned int mmio_count(bool (*is)(const struct cosim_mmio_rec *r, u64 reg), u64 reg,
			      int write)
{
	unsigned int i, n = 0;

	for (i = 0; i < cosim_mmio_log_len(); i++) {
		const struct cosim_mmio_rec *r = cosim_mmio_log_get(i);

		n += is(r, reg) && r->write == write;
	}
	return n;
}

static u64 mmio_val(int i)
{
	return cosim_mmio_log_get(i)->val;
}

/* ---- The purge answers a fault the detach's AFU reset left pending ---- */

/*
 * A dedicated job's first command misses its segment; the PSL presents
 * the fault and the process closes before the fault work runs (it spins,
 * so the kworker never gets the CPU).  detach_process_native_dedicated()
 * resets and disables the AFU, which end the job but not the PSL's fault;
 * cxl_psl_purge() finds it in DSISR while Ps reads pending, answers it
 * with TFC AE, and the purge completes.  The fault work, flushed after
 * the detach, finds the registers changed and answers nothing.
 */
static int sc_purge_answers_pending_fault(void)
{
	struct psl_slice *s = slice0();
	u64 answered, flushed, stray, purges, resets, dar, t;
	int fd, reset, pc, dsisr, tfc, done;

	CHECK(to_dedicated() == 0);
	fd = kshim_open(DEDICATED, O_RDWR);
	CHECK(fd >= 0);
	CHECK(ctx_start(fd, we_prep()) == 0);
	for (t = 0; t < FAULT_WAIT_PS && s->faults.state != PSL_FAULTS_PRESENTED;
	     t += PS_PER_US)
		hsched_busy(PS_PER_US);
	CHECK(s->faults.state == PSL_FAULTS_PRESENTED);
	CHECK(s->p2n[CXL_PSL_DSISR_An / 8] & CXL_PSL_DSISR_An_DS);
	dar = s->p2n[CXL_PSL_DAR_An / 8];
	CHECK(dar == ea(WE_OFF));
	answered = s->faults.nr_answered;
	flushed = s->faults.nr_flushed;
	stray = s->faults.tfc_stray;
	purges = s->nr_purges;
	resets = s->nr_resets;

	cosim_mmio_log(1);
	CHECK(kshim_close(fd) == 0);
	cosim_mmio_log(0);
	/* Reset, then purge: Pc set, DSISR with DS, DAR, TFC AE, Pc cleared. */
	reset = mmio_find(0, is_p2, CXL_AFU_Cntl_An, 1, CXL_AFU_Cntl_An_RA, 0);
	pc = mmio_find(0, is_p1n, CXL_PSL_SCNTL_An, 1, CXL_PSL_SCNTL_An_Pc, 0);
	CHECK(reset >= 0 && pc > reset);
	dsisr = mmio_find(pc, is_p2, CXL_PSL_DSISR_An, 0, CXL_PSL_DSISR_An_DS, 0);
	CHECK(dsisr > pc);
	CHECK(mmio_find(dsisr, is_p2, CXL_PSL_DAR_An, 0, 0, 0) > dsisr);
	CHECK(mmio_val(mmio_find(dsisr, is_p2, CXL_PSL_DAR_An, 0, 0, 0)) == dar);
	tfc = mmio_find(dsisr, is_p2, CXL_PSL_TFC_An, 1, 0, 0);
	CHECK(tfc > dsisr && mmio_val(tfc) == CXL_PSL_TFC_An_AE);
	done = mmio_find(tfc, is_p1n, CXL_PSL_SCNTL_An, 1, 0, CXL_PSL_SCNTL_An_Pc);
	CHECK(done > tfc);
	CHECK((mmio_val(done) & CXL_PSL_SCNTL_An_Ps_MASK) == CXL_PSL_SCNTL_An_Ps_Complete);
	/* The fault work answered nothing more. */
	CHECK(mmio_count(is_p2, CXL_PSL_TFC_An, 1) == 1);

	/* The PSL: the fault answered by software, not withdrawn by the reset. */
	CHECK(s->faults.nr_answered == answered + 1);
	CHECK(s->faults.nr_flushed == flushed);
	CHECK(s->faults.tfc_stray == stray);
	CHECK(psl_fault_idle(s));
	CHECK(s->nr_resets == resets + 1 && s->nr_purges == purges + 1);
	CHECK(s->purge == PSL_PURGE_IDLE && s->afu == PSL_AFU_DISABLED);
	CHECK(((struct memcpy_we *)at(WE_OFF))->status == 0);
	return 0;
}

TEST purge_answers_a_pending_fault(void)
{
	RUN_OK(sc_purge_answers_pending_fault);
	PASS();
}

/* ---- AFU_Cntl[RA] left set by the PSL ---- */

/*
 * With a PSL that does not clear RA when the reset completes, afu_control()
 * clears it itself; RA being an edge, that is what lets the detach's
 * reset run at all.  A dedicated attach (reset, enable), a job, a detach
 * (reset, disable, purge): each reset completes.
 */
static int sc_sticky_ra(void)
{
	struct psl_slice *s = slice0();
	const u64 cntl = CXL_AFU_Cntl_An / 8;
	int fd, ra, clear;
	u64 resets;

	CHECK(to_dedicated() == 0);
	fd = kshim_open(DEDICATED, O_RDWR);
	CHECK(fd >= 0);
	resets = s->nr_resets;
	cosim_mmio_log(1);
	CHECK(ctx_start(fd, we_prep()) == 0);
	cosim_mmio_log(0);
	ra = mmio_find(0, is_p2, CXL_AFU_Cntl_An, 1, CXL_AFU_Cntl_An_RA, 0);
	CHECK(ra >= 0);
	/* The poll saw RS complete with RA still set; the write clears RA. */
	CHECK(mmio_find(ra, is_p2, CXL_AFU_Cntl_An, 0, CXL_AFU_Cntl_An_RA |
		       CXL_AFU_Cntl_An_RS_Complete, 0) > ra);
	clear = mmio_find(ra + 1, is_p2, CXL_AFU_Cntl_An, 1, 0, CXL_AFU_Cntl_An_RA);
	CHECK(clear > ra);
	CHECK(s->nr_resets == resets + 1);
	CHECK(s->afu == PSL_AFU_ENABLED);
	CHECK(!(s->p2n[cntl] & CXL_AFU_Cntl_An_RA));
	CHECK(wait_afu_irq(fd) == 0);
	CHECK(((struct memcpy_we *)at(WE_OFF))->status == MEMCPY_ST_DONE);

	CHECK(kshim_close(fd) == 0);
	CHECK(s->nr_resets == resets + 2);
	CHECK(s->afu == PSL_AFU_DISABLED && !(s->p2n[cntl] & CXL_AFU_Cntl_An_RA));
	return 0;
}

TEST reset_clears_a_sticky_ra(void)
{
	RUN_OK(sc_sticky_ra);
	PASS();
}

/* ---- An SPA command the PSL completes with an error ---- */

/*
 * The PSL answers a context's ADD with all-ones in sw_command_status:
 * do_process_element_cmd() gives up at once ("Error adding process
 * element to AFU", -1), START_WORK returns that, the context was never
 * inserted, and close sends no SPA command.
 */
static int sc_add_fails(void)
{
	struct inject_action all_ones = { .kind = INJECT_KIND_VALUE, .value = ~0ULL };
	struct inject_point *pt = inject_find("psl.spa.complete");
	struct psl_slice *s = slice0();
	u64 failed = s->spa.stats.failed;
	int fd;

	CHECK(pt);
	fd = kshim_open(SLAVE, O_RDWR);
	CHECK(fd >= 0);
	CHECK(inject_arm(pt, &all_ones, 1) == 0);
	CHECK(ctx_start(fd, 0) == -EPERM);
	CHECK(pt->nr_fired == 1);
	CHECK(s->spa.stats.failed == failed + 1);
	cosim_mmio_log(1);
	CHECK(kshim_close(fd) == 0);
	cosim_mmio_log(0);
	CHECK(mmio_count(is_p1n, CXL_PSL_LLCMD_An, 1) == 0);
	return 0;
}

TEST spa_add_error_fails_start_work(void)
{
	RUN_OK(sc_add_fails);
	PASS();
}

SUITE(native)
{
	SET_SETUP(shim_fx_boot_memcpy, NULL);
	SET_TEARDOWN(shut, NULL);
	RUN_TEST(purge_answers_a_pending_fault);
	RUN_TEST(spa_add_error_fails_start_work);
	SET_SETUP(boot_sticky_ra, NULL);
	RUN_TEST(reset_clears_a_sticky_ra);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	log_set_level(LOG_WARN);
	RUN_SUITE(native);
	HARNESS_MAIN_END();
}
