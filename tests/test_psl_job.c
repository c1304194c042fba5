// SPDX-License-Identifier: GPL-2.0
/*
 * The PSL's control (job) interface with an AFU attached: the AFU_Cntl
 * reset and enable handshakes completing on ah_jdone and ah_jrunning,
 * START's WED, LLCMDs holding SPA commands until ah_jcack (and timing
 * out), timebase requests, a dedicated job ending with an error, PERST,
 * and the protocol errors the PSL logs instead of stopping.
 */
#define pr_fmt(fmt) "test_psl_job: " fmt

#include "harness.h"
#include "psl_cxldrv.h"
#include "psl_scriptafu.h"
#include "core/log.h"

#define NS PS_PER_NS
#define US PS_PER_US

#define HW_PSL		0x210
#define HW_SERR		0x300
#define WED		0x00007FFF00001000ULL
#define CYCLE		PSL_PERIOD_PS

static struct sim_queue q;
static struct host_mem mem;
static struct irq_ctl ic;
static struct psl_card *card;
static struct cxldrv drv;
static struct sa *sa;
static FILE *sink;
static unsigned int nr_psl_irqs, nr_serr_irqs;

static void on_msi(void *arg, u32 hwirq)
{
	if (hwirq == HW_PSL)
		nr_psl_irqs++;
	else if (hwirq == HW_SERR)
		nr_serr_irqs++;
}

static void test_params(struct psl_params *p)
{
	psl_params_defaults(p);
	p->num_of_processes = 16;
	p->timing.afu_enable = 50 * US;		/* long: an AFU answer must beat it */
	p->timing.afu_reset = 50 * US;
	p->timing.spa_cmd = 1 * US;
	p->timing.msi_delivery = 100 * NS;
}

static void setup_with(const struct psl_params *p)
{
	unsigned int h;

	simq_init(&q);
	mem_init(&mem);
	irq_ctl_init(&ic, &q, 0x200, 0x200, 100 * NS);
	for (h = 0x200; h < 0x400; h++)
		irq_attach(&ic, h, on_msi, NULL);
	nr_psl_irqs = nr_serr_irqs = 0;
	card = psl_card_create(&q, p);
	cd_card_up(&drv, &q, card, &mem, &ic);
	cd_p1n_write(&drv, CXL_PSL_SERR_An, HW_SERR);
	cd_p1_write(&drv, CXL_PSL_AFUSEL, CXL_PSL_AFUSEL_A);
	sa = sa_create();
	psl_afu_attach(&card->slice[0], &sa->afu);
}

static void setup(void *arg)
{
	struct psl_params p;

	test_params(&p);
	setup_with(&p);
}

static void teardown(void *arg)
{
	log_set_file(NULL);
	log_set_level(LOG_WARN);
	psl_card_destroy(card);
	sa_destroy(&sa->afu);
	cd_exit(&drv);
	irq_ctl_exit(&ic);
	mem_exit(&mem);
	simq_exit(&q);
}

static void quiet_logs(void)
{
	if (!sink)
		sink = fopen("/dev/null", "w");
	log_set_file(sink);
}

static struct psl_slice *slice0(void)
{
	return &card->slice[0];
}

static void advance(u64 dt)
{
	simq_run_until(&q, simq_now(&q) + dt);
}

static u64 cntl(void)
{
	return cd_p2n_read(&drv, CXL_AFU_Cntl_An);
}

/* The tick at which the sa saw its last job command @jcom, or 0. */
static const struct sa_job *job_cmd(u8 jcom)
{
	int i;

	for (i = (int)sa->nr_jobs - 1; i >= 0; i--)
		if (sa->jobs[i].jcom == jcom)
			return &sa->jobs[i];
	return NULL;
}

/* ---- AFU_Cntl handshakes ---- */

TEST reset_ends_on_jdone(void)
{
	u64 t0;

	sa->reset_delay = 100;
	t0 = simq_now(&q);
	cd_p2n_write(&drv, CXL_AFU_Cntl_An, CXL_AFU_Cntl_An_RA);
	ASSERT_EQ(CXL_AFU_Cntl_An_RS_Pending, cntl() & CXL_AFU_Cntl_An_RS_MASK);
	advance(95 * CYCLE);
	ASSERT_EQm("pending until the AFU answers", CXL_AFU_Cntl_An_RS_Pending,
		   cntl() & CXL_AFU_Cntl_An_RS_MASK);
	ASSERT(job_cmd(AFU_JCOM_RESET));
	ASSERT(job_cmd(AFU_JCOM_RESET)->par_ok);
	ASSERT_EQ(0, cd_poll(&drv, 0, CXL_AFU_Cntl_An,
			     CXL_AFU_Cntl_An_RS_MASK | CXL_AFU_Cntl_An_ES_MASK,
			     CXL_AFU_Cntl_An_RS_Complete));
	ASSERTm("the AFU's answer, not the 50 us latency", simq_now(&q) - t0 < 1 * US);
	ASSERTm("RA self-cleared", !(cntl() & CXL_AFU_Cntl_An_RA));
	ASSERT_EQ(PSL_JOB_READY, slice0()->port.job.state);
	ASSERT_EQ(1, slice0()->nr_resets);
	PASS();
}

TEST reset_never_answered_stays_pending(void)
{
	sa->reset_delay = SA_NEVER;
	cd_p2n_write(&drv, CXL_AFU_Cntl_An, CXL_AFU_Cntl_An_RA);
	advance(200 * US);
	ASSERT_EQ(CXL_AFU_Cntl_An_RS_Pending, cntl() & CXL_AFU_Cntl_An_RS_MASK);
	/* A second reset request later is answered. */
	sa->reset_delay = 2;
	cd_p2n_write(&drv, CXL_AFU_Cntl_An, 0);
	ASSERT_EQ(0, cd_afu_reset(&drv));
	PASS();
}

TEST enable_waits_for_jrunning_with_the_wed(void)
{
	struct cd_ctx c = { .ivte_off = { HW_PSL }, .ivte_range = { 1 }, .wed = WED };
	u64 t0;

	sa->start_delay = 60;
	cd_activate_dedicated(&drv, 0, 0);
	ASSERT_EQ(0, cd_afu_reset(&drv));
	cd_p2n_write(&drv, CXL_PSL_WED_An, c.wed);
	t0 = simq_now(&q);
	cd_p2n_write(&drv, CXL_AFU_Cntl_An, CXL_AFU_Cntl_An_E);
	advance(55 * CYCLE);
	ASSERT_EQm("ES pending while the AFU starts", card->p.es_enable_pending,
		   cntl() & CXL_AFU_Cntl_An_ES_MASK);
	ASSERT_EQ(0, cd_poll(&drv, 0, CXL_AFU_Cntl_An, CXL_AFU_Cntl_An_ES_MASK,
			     CXL_AFU_Cntl_An_ES_Enabled));
	ASSERT(simq_now(&q) - t0 < 1 * US);
	ASSERT(job_cmd(AFU_JCOM_START));
	ASSERT_EQm("START carries PSL_WED_An", WED, job_cmd(AFU_JCOM_START)->jea);
	ASSERT_EQ(PSL_JOB_RUNNING, slice0()->port.job.state);
	ASSERTm("the dedicated context runs", psl_slice_ctx(slice0(), 0));
	PASS();
}

TEST directed_start_has_no_wed(void)
{
	ASSERT_EQ(0, cd_activate_directed(&drv, 16));
	cd_p2n_write(&drv, CXL_PSL_WED_An, WED);
	ASSERT_EQ(0, cd_afu_reset(&drv));
	ASSERT_EQ(0, cd_afu_enable(&drv));
	ASSERT_EQ(0, job_cmd(AFU_JCOM_START)->jea);
	PASS();
}

TEST no_afu_keeps_the_fixed_latency(void)
{
	u64 t0 = simq_now(&q);

	psl_afu_detach(slice0());
	ASSERT_EQ(0, cd_afu_reset(&drv));
	ASSERTm("the 50 us stand-in", simq_now(&q) - t0 >= 50 * US);
	ASSERT_EQ(0, sa->nr_jobs);
	ASSERT_EQ(-EINVAL, psl_afu_attach(slice0(), NULL));
	ASSERT_EQ(0, psl_afu_attach(slice0(), &sa->afu));
	ASSERT_EQ(-EBUSY, psl_afu_attach(slice0(), &sa->afu));
	PASS();
}

/* ---- LLCMD ---- */

static const struct cd_ctx pe_ctx = {
	.sr = 0x8000000000004013ULL,
	.pid = 99,
	.ivte_off = { HW_PSL, 0x220, 0, 0 },
	.ivte_range = { 1, 2, 0, 0 },
	.wed = WED,
};

TEST llcmd_holds_the_spa_command_until_jcack(void)
{
	u64 t0;

	sa->llcmd_delay = 500;
	ASSERT_EQ(0, cd_activate_directed(&drv, 16));
	ASSERT_EQ(0, cd_afu_reset(&drv));
	cd_fill_pe(&drv, 3, &pe_ctx);
	ASSERT_EQ(0, cd_afu_enable(&drv));
	t0 = simq_now(&q);
	cd_set_sw_state(&drv, 3, CXL_PE_SOFTWARE_STATE_V);
	*cd_sw_command_status(&drv) = htobe64(CXL_SPA_SW_CMD_ADD | 3);
	cd_p1n_write(&drv, CXL_PSL_LLCMD_An, CXL_SPA_SW_CMD_ADD | 3);
	advance(1 * US + 400 * CYCLE);
	ASSERT_EQm("still pending: the AFU has not acknowledged",
		   CXL_SPA_SW_CMD_ADD | 3, cd_status_word(&drv));
	ASSERT(job_cmd(AFU_JCOM_LLCMD));
	ASSERT_EQ(AFU_LLCMD_WORD(AFU_LLCMD_ADD, 3), job_cmd(AFU_JCOM_LLCMD)->jea);
	advance(200 * CYCLE);
	ASSERT_EQ(CXL_SPA_SW_CMD_ADD | 0x0005ULL << 32 | 3, cd_status_word(&drv));
	ASSERT(simq_now(&q) - t0 >= 1 * US + 500 * CYCLE);
	/* Detach: TERMINATE and REMOVE go to the AFU too. */
	sa->llcmd_delay = 3;
	ASSERT_EQ(0, cd_detach_directed(&drv, 3, 99, 0));
	ASSERT_EQ(AFU_LLCMD_WORD(AFU_LLCMD_REMOVE, 3), job_cmd(AFU_JCOM_LLCMD)->jea);
	ASSERT_EQ(3, slice0()->port.job.stats.llcmds);
	PASS();
}

TEST llcmd_times_out(void)
{
	struct psl_params p;

	teardown(NULL);
	test_params(&p);
	p.timing.llcmd_timeout = 30 * US;
	setup_with(&p);
	quiet_logs();
	sa->llcmd_delay = SA_NEVER;
	ASSERT_EQ(0, cd_activate_directed(&drv, 16));
	ASSERT_EQ(0, cd_afu_reset(&drv));
	cd_fill_pe(&drv, 2, &pe_ctx);
	ASSERT_EQ(0, cd_afu_enable(&drv));
	cd_set_sw_state(&drv, 2, CXL_PE_SOFTWARE_STATE_V);
	*cd_sw_command_status(&drv) = htobe64(CXL_SPA_SW_CMD_ADD | 2);
	cd_p1n_write(&drv, CXL_PSL_LLCMD_An, CXL_SPA_SW_CMD_ADD | 2);
	advance(25 * US);
	ASSERT_EQ(CXL_SPA_SW_CMD_ADD | 2, cd_status_word(&drv));
	advance(10 * US);
	ASSERT_EQm("error status for ADD", CXL_SPA_SW_CMD_ADD | 0x8005ULL << 32 | 2,
		   cd_status_word(&drv));
	ASSERT(cd_p1n_read(&drv, CXL_PSL_SERR_An) & CXL_PSL_SERR_An_llcmdto);
	ASSERT_EQ(1, nr_serr_irqs);
	ASSERT_EQ(1, slice0()->spa.stats.afu_timeouts);
	PASS();
}

/* ---- Timebase, job end, PERST ---- */

TEST timebase_on_request(void)
{
	const struct sa_job *j;
	u64 tb;

	ASSERT_EQ(0, cd_afu_reset(&drv));
	sa->tbreq = true;
	psl_port_kick(slice0());
	advance(10 * CYCLE);
	j = job_cmd(AFU_JCOM_TIMEBASE);
	ASSERT(j);
	tb = psl_host_timebase(simq_now(&q));
	ASSERTm("the host timebase of that cycle", j->jea <= tb && tb - j->jea < 64);
	ASSERT_EQ(1, slice0()->port.job.stats.timebases);
	PASS();
}

TEST dedicated_job_error_reaches_afu_err(void)
{
	struct cd_ctx c = { .ivte_off = { HW_PSL }, .ivte_range = { 1 }, .wed = WED };

	cd_activate_dedicated(&drv, 0, 0);
	ASSERT_EQ(0, cd_attach_dedicated(&drv, &c));
	sa->jerror_pending = 0xDEAD0001;
	sa->end_job = true;
	psl_port_kick(slice0());
	advance(2 * US);
	ASSERT_EQ(PSL_JOB_ENDED, slice0()->port.job.state);
	ASSERT_EQ(0xDEAD0001, cd_p2n_read(&drv, CXL_AFU_ERR_An));
	ASSERT_EQ(CXL_PSL_DSISR_An_AE, cd_p2n_read(&drv, CXL_PSL_DSISR_An));
	ASSERT_EQ(0, cd_p2n_read(&drv, CXL_PSL_PEHandle_An));
	ASSERT_EQ(1, nr_psl_irqs);
	/* The driver queues CXL_EVENT_AFU_ERROR and acknowledges with TFC A. */
	cd_p2n_write(&drv, CXL_PSL_TFC_An, CXL_PSL_TFC_An_A);
	ASSERT_EQ(0, cd_p2n_read(&drv, CXL_PSL_DSISR_An));
	ASSERT_EQ(1, slice0()->port.job.stats.afu_errors);
	/* The next attach's reset clears AFU_ERR [U]. */
	ASSERT_EQ(0, cd_afu_reset(&drv));
	ASSERT_EQ(0, cd_p2n_read(&drv, CXL_AFU_ERR_An));
	PASS();
}

TEST job_end_without_error_raises_nothing(void)
{
	struct cd_ctx c = { .ivte_off = { HW_PSL }, .ivte_range = { 1 }, .wed = WED };

	cd_activate_dedicated(&drv, 0, 0);
	ASSERT_EQ(0, cd_attach_dedicated(&drv, &c));
	sa->end_job = true;
	psl_port_kick(slice0());
	advance(2 * US);
	ASSERT_EQ(PSL_JOB_ENDED, slice0()->port.job.state);
	ASSERT_EQ(0, cd_p2n_read(&drv, CXL_AFU_ERR_An));
	ASSERT_EQ(0, nr_psl_irqs);
	ASSERT_EQ(1, slice0()->port.job.stats.jobs_ended);
	PASS();
}

TEST directed_job_error_is_serr_ae(void)
{
	ASSERT_EQ(0, cd_activate_directed(&drv, 16));
	ASSERT_EQ(0, cd_afu_reset(&drv));
	ASSERT_EQ(0, cd_afu_enable(&drv));
	sa->jerror_pending = 7;
	sa->end_job = true;
	psl_port_kick(slice0());
	advance(2 * US);
	ASSERT(cd_p1n_read(&drv, CXL_PSL_SERR_An) & CXL_PSL_SERR_An_AE);
	ASSERT_EQ(7, cd_p2n_read(&drv, CXL_AFU_ERR_An));
	ASSERT_EQ(1, nr_serr_irqs);
	PASS();
}

TEST perst_resets_the_afu(void)
{
	ASSERT_EQ(0, cd_afu_reset(&drv));
	sa->nr_jobs = 0;
	psl_card_perst(card);
	psl_cfg_write(card, 0x04, 2, 0x0006);
	advance(1 * US);
	ASSERT(job_cmd(AFU_JCOM_RESET));
	ASSERT_EQ(PSL_JOB_READY, slice0()->port.job.state);
	ASSERTm("RS back to power-on: not an AFU_Cntl reset", !(cntl() & CXL_AFU_Cntl_An_RS_MASK));
	PASS();
}

TEST reset_drops_outstanding_commands(void)
{
	struct cd_ctx c = { .sr = CXL_PSL_SR_An_SF, .wed = WED };	/* real mode */
	u8 *buf = aligned_alloc(128, 4096);

	ASSERT(buf);
	mem_add(&mem, mem_ra(buf), 4096, "buf", true);
	cd_activate_dedicated(&drv, 0, 0);
	ASSERT_EQ(0, cd_attach_dedicated(&drv, &c));
	sa_add(sa, AFU_CMD_READ_CL_S, 1, mem_ra(buf), 128);
	sa_add(sa, AFU_CMD_READ_CL_S, 2, mem_ra(buf) + 128, 128);
	psl_port_kick(slice0());
	advance(20 * CYCLE);
	ASSERT_EQ(2, slice0()->port.cq.outstanding);
	ASSERT_EQ(0, cd_afu_reset(&drv));
	advance(2 * US);
	ASSERT_EQm("no response after the reset", 0, sa->nr_resp);
	ASSERT_EQ(0, slice0()->port.cq.outstanding);
	ASSERT_EQ(2, slice0()->port.cq.stats.dropped);
	ASSERTm("the AFU's credits are whole again", sa->credits == card->p.croom);
	mem_remove(&mem, mem_ra(buf));
	free(buf);
	PASS();
}

TEST afu_protocol_errors_are_logged(void)
{
	struct psl_port *pt = &slice0()->port;

	quiet_logs();
	ASSERT_EQ(0, cd_afu_reset(&drv));
	advance(1 * US);
	/* Strobes nobody asked for, as an AFU bug would drive them. */
	pt->out.jcack = 1;
	psl_port_kick(slice0());
	advance(2 * CYCLE);
	pt->out.jdone = 1;
	pt->out.jrunning = 1;
	psl_port_kick(slice0());
	advance(2 * CYCLE);
	pt->out.jrunning = 0;
	pt->out.mmack = 1;
	psl_port_kick(slice0());
	advance(2 * CYCLE);
	ASSERT_EQ(3, pt->job.stats.proto_errors);
	ASSERT_EQ(1, pt->mmio.stats.stray_acks);
	PASS();
}

SUITE(job)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(reset_ends_on_jdone);
	RUN_TEST(reset_never_answered_stays_pending);
	RUN_TEST(enable_waits_for_jrunning_with_the_wed);
	RUN_TEST(directed_start_has_no_wed);
	RUN_TEST(no_afu_keeps_the_fixed_latency);
	RUN_TEST(llcmd_holds_the_spa_command_until_jcack);
	RUN_TEST(llcmd_times_out);
	RUN_TEST(timebase_on_request);
	RUN_TEST(dedicated_job_error_reaches_afu_err);
	RUN_TEST(job_end_without_error_raises_nothing);
	RUN_TEST(directed_job_error_is_serr_ae);
	RUN_TEST(perst_resets_the_afu);
	RUN_TEST(reset_drops_outstanding_commands);
	RUN_TEST(afu_protocol_errors_are_logged);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	log_set_level(LOG_WARN);
	RUN_SUITE(job);
	if (sink)
		fclose(sink);
	HARNESS_MAIN_END();
}
