// SPDX-License-Identifier: GPL-2.0
/*
 * PSL errors and faults: the DSISR/DAR/PEHandle/TFC protocol (stable
 * until answered, one fault at a time per slice, each TFC bit's answer),
 * PSL and AFU errors as the driver's handlers clear them, ErrStat, SERR
 * and AFU_ERR clear semantics, the purge draining faults, link freeze and
 * PERST, and the fault points.
 */
#define pr_fmt(fmt) "test_psl_err: " fmt

#include "harness.h"
#include "core/log.h"
#include "psl_fixture.h"

#define NS PS_PER_NS
#define US PS_PER_US

#define MSI_LAT (100 * NS)
#define HW_PSL 0x2010
#define HW_SERR 0x2020
#define HW_ERR 0x2001

/* Set up and torn down around every test. */
static struct psl_fx fx;

static unsigned int nr_msi;
static u32 last_msi;

static void on_msi(void *arg, u32 hwirq)
{
	nr_msi++;
	last_msi = hwirq;
}

/* Faults the tests raise; static so one left queued by a failing test is safe. */
static struct psl_fault fa, fb, fc;
static enum psl_fault_resp resp[8];
static struct psl_fault *resp_of[8];
static unsigned int nr_resp;

static void fault_done(struct psl_fault *f, enum psl_fault_resp r)
{
	if (nr_resp < ARRAY_SIZE(resp)) {
		resp[nr_resp] = r;
		resp_of[nr_resp] = f;
	}
	nr_resp++;
}

static void set_fault(struct psl_fault *f, u16 pe, u64 dsisr, u64 dar)
{
	*f = (struct psl_fault){ .pe = pe, .dsisr = dsisr, .dar = dar, .done = fault_done };
}

static void setup(void *arg)
{
	struct psl_params p;

	pfx_host_init(&fx, 0x2000, 0x100, MSI_LAT);
	irq_attach(&fx.ic, HW_PSL, on_msi, NULL);
	irq_attach(&fx.ic, HW_SERR, on_msi, NULL);
	irq_attach(&fx.ic, HW_ERR, on_msi, NULL);
	nr_msi = 0;
	nr_resp = 0;
	psl_params_defaults(&p);
	p.ps_size = 0x100;
	p.timing.spa_cmd = 1 * US;
	p.timing.purge = 2 * US;
	pfx_card_init(&fx, &p, HW_ERR, HW_SERR);
}

static void teardown(void *arg)
{
	pfx_exit(&fx);
}

static const struct cd_ctx ctx_a = {
	.sr = 0x8000000000004011ULL,
	.ivte_off = { HW_PSL, 0x2030, 0, 0 },
	.ivte_range = { 1, 2, 0, 0 },
};

/* AFU-directed with PEs 1 and 2 added. */
static enum harness_result two_pes(void)
{
	ASSERT_EQ(0, cd_activate_directed(&fx.drv, 8));
	ASSERT_EQ(0, cd_attach_directed(&fx.drv, 1, &ctx_a));
	ASSERT_EQ(0, cd_attach_directed(&fx.drv, 2, &ctx_a));
	pfx_advance(&fx, MSI_LAT);
	nr_msi = 0;
	PASS();
}

#define DSISR() cd_p2n_read(&fx.drv, CXL_PSL_DSISR_An)
#define DAR() cd_p2n_read(&fx.drv, CXL_PSL_DAR_An)
#define PEH() cd_p2n_read(&fx.drv, CXL_PSL_PEHandle_An)
#define TFC(bit) cd_p2n_write(&fx.drv, CXL_PSL_TFC_An, bit)

/* ---- The fault register protocol (reference 2.5.13 - 2.5.15, 4.6) ---- */

TEST fault_registers_stable_until_tfc(void)
{
	struct psl_slice *s = &fx.card->slice[0];
	u64 dsisr = CXL_PSL_DSISR_An_DM | CXL_PSL_DSISR_An_M | CXL_PSL_DSISR_An_S;

	CHECK_CALL(two_pes());
	set_fault(&fa, 2, dsisr, 0x7FFF00001234ULL);
	ASSERT_EQ(0, psl_slice_raise_fault(s, &fa));
	ASSERT_EQm("raised twice while queued", -EBUSY, psl_slice_raise_fault(s, &fa));
	pfx_advance(&fx, MSI_LAT);
	ASSERT_EQ(1, nr_msi);
	ASSERT_EQ(HW_PSL, last_msi);
	/* The handler reads PEHandle, DSISR, DAR; the worker re-reads them later. */
	ASSERT_EQ(2, PEH());
	ASSERT_EQ(dsisr, DSISR());
	ASSERT_EQ(0x7FFF00001234ULL, DAR());
	pfx_advance(&fx, 1 * PS_PER_MS);
	ASSERT_EQ(2, PEH());
	ASSERT_EQ(dsisr, DSISR());
	ASSERT_EQ(0x7FFF00001234ULL, DAR());
	ASSERT_EQm("TFC is write-only", 0, cd_p2n_read(&fx.drv, CXL_PSL_TFC_An));
	ASSERT_EQ(0, nr_resp);
	TFC(CXL_PSL_TFC_An_R);
	ASSERT_EQ(1, nr_resp);
	ASSERT_EQ(PSL_FAULT_RESTART, resp[0]);
	ASSERT_EQ(&fa, resp_of[0]);
	ASSERT_EQm("cleared after the answer (native_irq_wait sees it)", 0, PEH());
	ASSERT_EQ(0, DSISR());
	ASSERT_EQ(0, DAR());
	ASSERT(!fa.queued);
	/* The restarted command faults again: a new interrupt. */
	ASSERT_EQ(0, psl_slice_raise_fault(s, &fa));
	pfx_advance(&fx, MSI_LAT);
	ASSERT_EQ(2, nr_msi);
	TFC(CXL_PSL_TFC_An_AE);
	ASSERT_EQ(PSL_FAULT_AERROR, resp[1]);
	PASS();
}

TEST one_fault_at_a_time_per_slice(void)
{
	struct psl_slice *s = &fx.card->slice[0];

	CHECK_CALL(two_pes());
	set_fault(&fa, 1, CXL_PSL_DSISR_An_DS, 0x1000);
	set_fault(&fb, 2, CXL_PSL_DSISR_An_DM | CXL_PSL_DSISR_An_P, 0x2000);
	set_fault(&fc, 1, CXL_PSL_DSISR_An_DS, 0x3000);
	ASSERT_EQ(0, psl_slice_raise_fault(s, &fa));
	ASSERT_EQ(0, psl_slice_raise_fault(s, &fb));
	ASSERT_EQ(0, psl_slice_raise_fault(s, &fc));
	pfx_advance(&fx, MSI_LAT);
	ASSERT_EQm("only the first is presented", 1, nr_msi);
	ASSERT_EQ(1, PEH());
	ASSERT_EQ(0x1000, DAR());
	TFC(CXL_PSL_TFC_An_R);
	ASSERT_EQm("the next is presented at once", 2, PEH());
	ASSERT_EQ(0x2000, DAR());
	ASSERT_EQ(CXL_PSL_DSISR_An_DM | CXL_PSL_DSISR_An_P, DSISR());
	pfx_advance(&fx, MSI_LAT);
	ASSERT_EQ(2, nr_msi);
	TFC(CXL_PSL_TFC_An_C);
	ASSERT_EQ(0x3000, DAR());
	TFC(CXL_PSL_TFC_An_R);
	ASSERT_EQ(0, PEH());
	pfx_advance(&fx, MSI_LAT);
	ASSERT_EQ(3, nr_msi);
	ASSERT_EQ(3, nr_resp);
	ASSERT_EQ(&fa, resp_of[0]);
	ASSERT_EQ(&fb, resp_of[1]);
	ASSERT_EQ(PSL_FAULT_PAGED, resp[1]);
	ASSERT_EQ(&fc, resp_of[2]);
	ASSERT_EQ(3, s->faults.nr_answered);
	PASS();
}

TEST tfc_that_answers_nothing(void)
{
	struct psl_slice *s = &fx.card->slice[0];

	pfx_quiet_logs(&fx);
	CHECK_CALL(two_pes());
	TFC(CXL_PSL_TFC_An_R);
	ASSERT_EQ(1, s->faults.tfc_stray);
	set_fault(&fa, 1, CXL_PSL_DSISR_An_DS, 0x1000);
	ASSERT_EQ(0, psl_slice_raise_fault(s, &fa));
	TFC(CXL_PSL_TFC_An_A);			/* A does not answer a translation fault */
	TFC(CXL_PSL_TFC_An_R | CXL_PSL_TFC_An_AE);	/* one bit per write */
	TFC(0);
	ASSERT_EQ(3, s->faults.tfc_mismatch);
	ASSERT_EQ(0, nr_resp);
	ASSERT_EQ(1, PEH());
	ASSERT_EQ(CXL_PSL_DSISR_An_DS, DSISR());
	/* Faults are refused for unknown PEs and without a pending bit. */
	set_fault(&fb, 5, CXL_PSL_DSISR_An_DS, 0);
	ASSERT_EQ(-ENOENT, psl_slice_raise_fault(s, &fb));
	set_fault(&fb, 2, CXL_PSL_DSISR_An_M, 0);
	ASSERT_EQ(-EINVAL, psl_slice_raise_fault(s, &fb));
	TFC(CXL_PSL_TFC_An_AE);
	ASSERT_EQ(1, nr_resp);
	PASS();
}

/* ---- PSL error: DSISR[PE] + ErrStat, as native_handle_psl_slice_error clears it ---- */

TEST psl_error_acknowledged_by_dsisr_store(void)
{
	struct psl_slice *s = &fx.card->slice[0];
	u64 dsisr, errstat;

	pfx_quiet_logs(&fx);
	CHECK_CALL(two_pes());
	ASSERT_EQ(0, psl_err_bad_ra(s, 2, 0xBAD0000));
	ASSERT_EQm("a second error merges while the first waits", 0,
		   psl_err_illegal_cmd(s, 2));
	pfx_advance(&fx, MSI_LAT);
	ASSERT_EQ(1, nr_msi);
	ASSERT_EQ(HW_PSL, last_msi);
	ASSERT_EQ(2, PEH());
	dsisr = DSISR();
	ASSERT_EQ(CXL_PSL_DSISR_An_PE, dsisr);
	errstat = cd_p2n_read(&fx.drv, CXL_PSL_ErrStat_An);
	ASSERT_EQ(PSL_ERRSTAT_BAD_RA | PSL_ERRSTAT_ILL_CMD, errstat);
	ASSERT_EQm("recorded in FIR1, masked: no adapter error interrupt",
		   PSL_FIR1_BAD_RA | PSL_FIR1_ILL_CMD, cd_p1_read(&fx.drv, CXL_PSL_FIR1));
	/* The handler: dump, stop traces, DSISR & ~PE, ErrStat W1C. */
	cd_p1_write(&fx.drv, CXL_PSL_TRACE, 0x8000000000000017ULL);
	cd_p1n_write(&fx.drv, CXL_PSL_SLICE_TRACE, 0x8000000000000000ULL);
	cd_p2n_write(&fx.drv, CXL_PSL_DSISR_An, dsisr & ~CXL_PSL_DSISR_An_PE);
	cd_p2n_write(&fx.drv, CXL_PSL_ErrStat_An, errstat);
	ASSERT_EQ(0, cd_p2n_read(&fx.drv, CXL_PSL_ErrStat_An));
	ASSERT_EQ(0, PEH());
	ASSERT_EQ(0, DSISR());
	ASSERT_EQ(1, s->faults.nr_answered);
	ASSERT_EQ(PSL_FAULTS_IDLE, s->faults.state);
	/* A parity error on a context's command is a PSL error too. */
	ASSERT_EQ(0, psl_err_parity(s, 1));
	ASSERT_EQ(PSL_ERRSTAT_PARITY, cd_p2n_read(&fx.drv, CXL_PSL_ErrStat_An));
	ASSERT_EQ(1, PEH());
	TFC(CXL_PSL_TFC_An_A);
	ASSERTm("A answers a non-translation fault", PEH() == 0);
	ASSERT_EQ(-ENOENT, psl_err_psl(s, 6, PSL_ERRSTAT_BAD_RA));
	PASS();
}

TEST errstat_write_one_to_clear(void)
{
	struct psl_slice *s = &fx.card->slice[0];

	psl_slice_errstat_raise(s, PSL_ERRSTAT_BAD_RA | PSL_ERRSTAT_PARITY);
	cd_p2n_write(&fx.drv, CXL_PSL_ErrStat_An, PSL_ERRSTAT_PARITY);
	ASSERT_EQ(PSL_ERRSTAT_BAD_RA, cd_p2n_read(&fx.drv, CXL_PSL_ErrStat_An));
	cd_p2n_write(&fx.drv, CXL_PSL_ErrStat_An, 0);
	ASSERT_EQm("writing 0 clears nothing", PSL_ERRSTAT_BAD_RA,
		   cd_p2n_read(&fx.drv, CXL_PSL_ErrStat_An));
	PASS();
}

/* ---- AFU errors (reference 6.2) ---- */

TEST afu_error_dedicated_mode(void)
{
	struct psl_slice *s = &fx.card->slice[0];

	cd_activate_dedicated(&fx.drv, 0, 0);
	ASSERT_EQ(0, cd_attach_dedicated(&fx.drv, &ctx_a));
	pfx_advance(&fx, MSI_LAT);
	nr_msi = 0;
	ASSERT_EQ(0, psl_err_afu(s, 0x0000DEAD0000BEEFULL));
	pfx_advance(&fx, MSI_LAT);
	ASSERT_EQ(1, nr_msi);
	ASSERT_EQ(HW_PSL, last_msi);
	ASSERT_EQ(0, PEH());
	ASSERT_EQ(CXL_PSL_DSISR_An_AE, DSISR());
	ASSERT_EQ(0x0000DEAD0000BEEFULL, cd_p2n_read(&fx.drv, CXL_AFU_ERR_An));
	cd_p2n_write(&fx.drv, CXL_AFU_ERR_An, 0);
	ASSERT_EQm("read-only to software", 0x0000DEAD0000BEEFULL,
		   cd_p2n_read(&fx.drv, CXL_AFU_ERR_An));
	/* cxl_irq_psl8: event to the context, then TFC = A. */
	TFC(CXL_PSL_TFC_An_A);
	ASSERT_EQ(0, DSISR());
	ASSERT_EQ(PSL_FAULTS_IDLE, s->faults.state);
	ASSERT_EQm("AFU_ERR stays until the AFU is reset",
		   0x0000DEAD0000BEEFULL, cd_p2n_read(&fx.drv, CXL_AFU_ERR_An));
	ASSERT_EQ(0, cd_afu_reset(&fx.drv));
	ASSERT_EQ(0, cd_p2n_read(&fx.drv, CXL_AFU_ERR_An));
	pfx_quiet_logs(&fx);
	ASSERTm("no running context: not reported", psl_err_afu(s, 1) == -ENOENT);
	PASS();
}

TEST afu_error_directed_mode(void)
{
	struct psl_slice *s = &fx.card->slice[0];

	CHECK_CALL(two_pes());
	ASSERT_EQ(0, psl_err_afu(s, 0x77));
	pfx_advance(&fx, MSI_LAT);
	ASSERT_EQ(1, nr_msi);
	ASSERT_EQ(HW_SERR, last_msi);
	ASSERT_EQ(CXL_PSL_SERR_An_AE | HW_SERR, cd_p1n_read(&fx.drv, CXL_PSL_SERR_An));
	ASSERT_EQ(0x77, cd_p2n_read(&fx.drv, CXL_AFU_ERR_An));
	ASSERT_EQ(0, PEH());
	ASSERT_EQ(0, DSISR());
	PASS();
}

/* ---- SERR clear semantics (2.5.12), both interpretations ---- */

TEST serr_cleared_as_the_driver_clears_it(void *w1c)
{
	struct psl_params p;
	struct psl_card *c;
	struct cxldrv d;
	u64 serr;

	psl_params_defaults(&p);
	p.serr_w1c = w1c != NULL;
	c = psl_card_create(&fx.q, &p);
	ASSERT(c);
	psl_cfg_write(c, 0x04, 2, 0x0006);
	psl_card_connect(c, &fx.mem, &fx.ic);
	cd_init(&d, &fx.q, c, &fx.mem, 0);
	cd_p1n_write(&d, CXL_PSL_SERR_An, HW_SERR);
	psl_err_serr(&c->slice[0], CXL_PSL_SERR_An_afuto | CXL_PSL_SERR_An_afudup);
	pfx_advance(&fx, MSI_LAT);
	ASSERT_EQ(1, nr_msi);
	/* native_slice_irq_err: mask what is asserted, write back. */
	serr = cd_p1n_read(&d, CXL_PSL_SERR_An);
	cd_p1n_write(&d, CXL_PSL_SERR_An, serr | (serr & CXL_PSL_SERR_An_IRQS) >> 32);
	serr = cd_p1n_read(&d, CXL_PSL_SERR_An);
	ASSERT_EQ((CXL_PSL_SERR_An_afuto | CXL_PSL_SERR_An_afudup) >> 32,
		  serr & CXL_PSL_SERR_An_IRQ_MASKS);
	ASSERT_EQ(p.serr_w1c ? 0 : CXL_PSL_SERR_An_afuto | CXL_PSL_SERR_An_afudup,
		  serr & CXL_PSL_SERR_An_IRQS);
	/* Sanitise (SERR & ~0xFFFF), then registration keeps afudup and the masks. */
	cd_p1n_write(&d, CXL_PSL_SERR_An, serr & ~0xFFFFULL);
	cd_p1n_write(&d, CXL_PSL_SERR_An,
		     (cd_p1n_read(&d, CXL_PSL_SERR_An) & 0x00FFFFFFFFFF0000ULL) | HW_SERR);
	serr = cd_p1n_read(&d, CXL_PSL_SERR_An);
	ASSERT_EQ(HW_SERR, serr & CXL_PSL_SERR_An_IVTE_MASK);
	ASSERT_EQm("afuto cleared either way", 0, serr & CXL_PSL_SERR_An_afuto);
	/* AFU reset with no mode: the driver unmasks everything. */
	cd_p1n_write(&d, CXL_PSL_SERR_An, serr & ~CXL_PSL_SERR_An_IRQ_MASKS);
	cd_p1n_write(&d, CXL_PSL_SERR_An, cd_p1n_read(&d, CXL_PSL_SERR_An) &
		     (CXL_PSL_SERR_An_IRQ_MASKS | CXL_PSL_SERR_An_IVTE_MASK));
	ASSERT_EQ(HW_SERR, cd_p1n_read(&d, CXL_PSL_SERR_An));
	psl_err_serr(&c->slice[0], CXL_PSL_SERR_An_afuto);
	pfx_advance(&fx, MSI_LAT);
	ASSERT_EQm("unmasked again", 2, nr_msi);
	psl_card_destroy(c);
	PASS();
}

/* ---- Purge drains faults (2.6.3) ---- */

TEST purge_waits_for_faults(void)
{
	struct psl_slice *s = &fx.card->slice[0];
	u64 t0;

	CHECK_CALL(two_pes());
	set_fault(&fa, 1, CXL_PSL_DSISR_An_DS, 0x1000);
	set_fault(&fb, 2, CXL_PSL_DSISR_An_PE, 0);
	ASSERT_EQ(0, psl_slice_raise_fault(s, &fa));
	ASSERT_EQ(0, psl_slice_raise_fault(s, &fb));
	ASSERT_EQ(0, cd_afu_reset(&fx.drv));
	ASSERT_EQ(0, cd_afu_disable(&fx.drv));
	/* Nobody answers: the purge stays pending past its latency. */
	cd_p1n_write(&fx.drv, CXL_PSL_SCNTL_An, cd_p1n_read(&fx.drv, CXL_PSL_SCNTL_An) |
		     CXL_PSL_SCNTL_An_Pc);
	pfx_advance(&fx, 20 * US);
	ASSERT_EQ(PSL_PURGE_DRAINING, s->purge);
	ASSERT_EQ(CXL_PSL_SCNTL_An_Ps_Pending,
		  cd_p1n_read(&fx.drv, CXL_PSL_SCNTL_An) & CXL_PSL_SCNTL_An_Ps_MASK);
	/* cxl_psl_purge's loop answers AE, then A, and sees Ps complete. */
	t0 = simq_now(&fx.q);
	cd_p1n_write(&fx.drv, CXL_PSL_SCNTL_An, cd_p1n_read(&fx.drv, CXL_PSL_SCNTL_An) &
		     ~CXL_PSL_SCNTL_An_Pc);
	ASSERT_EQ(PSL_PURGE_IDLE, s->purge);
	ASSERT_EQ(0, cd_purge(&fx.drv));
	ASSERT_EQ(2, nr_resp);
	ASSERT_EQ(PSL_FAULT_AERROR, resp[0]);
	ASSERT_EQ(PSL_FAULT_ACK, resp[1]);
	ASSERT_EQm("the purge latency, then done", 2 * US, simq_now(&fx.q) - t0);
	ASSERT_EQm("the abandoned purge does not count", 1, s->nr_purges);
	PASS();
}

/* ---- Freeze and PERST ---- */

TEST link_freeze_and_perst(void)
{
	struct psl_slice *s = &fx.card->slice[0];

	pfx_quiet_logs(&fx);
	CHECK_CALL(two_pes());
	set_fault(&fa, 1, CXL_PSL_DSISR_An_DS, 0x1000);
	ASSERT_EQ(0, psl_slice_raise_fault(s, &fa));
	psl_err_serr(s, CXL_PSL_SERR_An_afuto);
	psl_err_spa_data(s, 0);
	psl_slice_errstat_raise(s, PSL_ERRSTAT_INJECTED);
	pfx_advance(&fx, MSI_LAT);
	nr_msi = 0;
	psl_card_freeze(fx.card);
	/* The handler's fence test: PEHandle reads all-ones. */
	ASSERT_EQ(~0ULL, PEH());
	ASSERT_EQ(~0ULL, cd_p1n_read(&fx.drv, CXL_PSL_SERR_An));
	TFC(CXL_PSL_TFC_An_R);
	ASSERTm("the answer never reached the card", nr_resp == 0);
	ASSERT_EQ(0, psl_afu_irq(s, 1, 1));
	psl_err_serr(s, CXL_PSL_SERR_An_afudis);
	pfx_advance(&fx, MSI_LAT);
	ASSERT_EQm("no MSI leaves a frozen card", 0, nr_msi);
	ASSERT_EQ(2, fx.card->stats.irq_frozen);

	psl_card_perst(fx.card);
	ASSERT_EQ(1, nr_resp);
	ASSERT_EQ(PSL_FAULT_FLUSHED, resp[0]);
	ASSERT_EQ(0, s->nr_ctx_active);
	ASSERT_EQ(NULL, psl_slice_ctx(s, 1));
	psl_cfg_write(fx.card, 0x04, 2, 0x0006);
	ASSERT_EQ(0, PEH());
	ASSERT_EQ(0, DSISR());
	ASSERT_EQ(0, cd_p1n_read(&fx.drv, CXL_PSL_SERR_An));
	ASSERT_EQ(0, cd_p2n_read(&fx.drv, CXL_PSL_ErrStat_An));
	ASSERT_EQ(0, cd_p1_read(&fx.drv, CXL_PSL_FIR1));
	ASSERT_EQ(PSL_FAULTS_IDLE, s->faults.state);
	ASSERT_EQ(0, s->faults.nr_raised);
	PASS();
}

/* ---- Fault points ---- */

static unsigned int nr_points;

/* Counts the points that are fully described. */
static void count_point(struct inject_point *pt, void *arg)
{
	if (pt->name && pt->what && pt->kinds)
		nr_points++;
}

TEST fault_points_are_listed(void)
{
	static const char *const names[] = {
		"psl.mmio.read", "psl.mmio.write", "psl.spa.complete", "psl.fault.dsisr",
		"psl.fault.dar", "psl.err.bits", "host.irq.deliver", "psl.cmd.xlate",
		"psl.cmd.resp",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		struct inject_point *pt = inject_find(names[i]);

		ASSERTm(names[i], pt);
		ASSERT_EQm("nothing armed in a normal run", 0, pt->armed);
	}
	ASSERT_EQ(NULL, inject_find("no.such.point"));
	nr_points = 0;
	inject_for_each(count_point, NULL);
	ASSERT_EQ(ARRAY_SIZE(names), nr_points);
	PASS();
}

TEST mmio_fault_points(void)
{
	struct inject_point *rd = inject_find("psl.mmio.read");
	struct inject_point *wr = inject_find("psl.mmio.write");
	struct inject_action drop = { .kind = INJECT_KIND_DROP };
	struct inject_action flip = { .kind = INJECT_KIND_XOR, .value = 0xFF };

	cd_p2n_write(&fx.drv, CXL_PSL_WED_An, 0x1234);
	ASSERT_EQ(0, inject_arm(rd, &drop, 1));
	ASSERTm("a lost read answers all-ones", cd_p2n_read(&fx.drv, CXL_PSL_WED_An) == ~0ULL);
	ASSERT_EQ(0, inject_arm(rd, &flip, 2));
	ASSERT_EQ(0x12CB, cd_p2n_read(&fx.drv, CXL_PSL_WED_An));
	ASSERT_EQ(0x12CB, cd_p2n_read(&fx.drv, CXL_PSL_WED_An));
	ASSERT_EQ(0x1234, cd_p2n_read(&fx.drv, CXL_PSL_WED_An));
	ASSERT_EQ(0, inject_arm(wr, &drop, 1));
	cd_p2n_write(&fx.drv, CXL_PSL_WED_An, 0x5678);
	ASSERT_EQ(0x1234, cd_p2n_read(&fx.drv, CXL_PSL_WED_An));
	ASSERT_EQ(0, inject_arm(wr, &flip, 1));
	cd_p2n_write(&fx.drv, CXL_PSL_WED_An, 0x5678);
	ASSERT_EQ(0x5687, cd_p2n_read(&fx.drv, CXL_PSL_WED_An));
	ASSERT_EQ(3, rd->nr_fired);
	ASSERT_EQ(2, wr->nr_fired);
	PASS();
}

TEST dsisr_and_error_bit_fault_points(void)
{
	struct psl_slice *s = &fx.card->slice[0];
	struct inject_action val = { .kind = INJECT_KIND_VALUE, .value = CXL_PSL_DSISR_An_OC };
	struct inject_action drop = { .kind = INJECT_KIND_DROP };
	struct inject_action more = { .kind = INJECT_KIND_XOR, .value = CXL_PSL_SERR_An_afuov };

	pfx_quiet_logs(&fx);
	CHECK_CALL(two_pes());
	ASSERT_EQ(0, inject_arm(inject_find("psl.fault.dsisr"), &val, 1));
	set_fault(&fa, 1, CXL_PSL_DSISR_An_DS, 0x1000);
	ASSERT_EQ(0, psl_slice_raise_fault(s, &fa));
	ASSERT_EQm("presented as an OS context warning", CXL_PSL_DSISR_An_OC, DSISR());
	TFC(CXL_PSL_TFC_An_R);
	ASSERTm("answers follow what was presented", nr_resp == 0);
	TFC(CXL_PSL_TFC_An_A);
	ASSERT_EQ(PSL_FAULT_ACK, resp[0]);

	ASSERT_EQ(0, inject_arm(inject_find("psl.err.bits"), &drop, 1));
	psl_err_serr(s, CXL_PSL_SERR_An_afuto);
	ASSERT_EQ(HW_SERR, cd_p1n_read(&fx.drv, CXL_PSL_SERR_An));
	ASSERT_EQ(0, inject_arm(inject_find("psl.err.bits"), &more, 1));
	psl_err_serr(s, CXL_PSL_SERR_An_afuto);
	ASSERT_EQ(CXL_PSL_SERR_An_afuto | CXL_PSL_SERR_An_afuov | HW_SERR,
		  cd_p1n_read(&fx.drv, CXL_PSL_SERR_An));
	PASS();
}

SUITE(psl_err)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(fault_registers_stable_until_tfc);
	RUN_TEST(one_fault_at_a_time_per_slice);
	RUN_TEST(tfc_that_answers_nothing);
	RUN_TEST(psl_error_acknowledged_by_dsisr_store);
	RUN_TEST(errstat_write_one_to_clear);
	RUN_TEST(afu_error_dedicated_mode);
	RUN_TEST(afu_error_directed_mode);
	RUN_TESTp(serr_cleared_as_the_driver_clears_it, &fx.q, "w1c");
	RUN_TESTp(serr_cleared_as_the_driver_clears_it, NULL, "plain store");
	RUN_TEST(purge_waits_for_faults);
	RUN_TEST(link_freeze_and_perst);
	RUN_TEST(fault_points_are_listed);
	RUN_TEST(mmio_fault_points);
	RUN_TEST(dsisr_and_error_bit_fault_points);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	log_set_level(LOG_WARN);
	RUN_SUITE(psl_err);
	if (fx.sink)
		fclose(fx.sink);
	HARNESS_MAIN_END();
}
