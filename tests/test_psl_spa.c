// SPDX-License-Identifier: GPL-2.0
/*
 * PSL8 contexts: the SPA command protocol of AFU-directed mode driven as
 * do_process_element_cmd drives it (status word transitions, latency,
 * the PE table), its error statuses and data errors, and the dedicated
 * process context collected from registers.
 */
#define pr_fmt(fmt) "test_psl_spa: " fmt

#include "harness.h"
#include "core/log.h"
#include "psl_fixture.h"
#include "trace/cxt.h"

#define NS PS_PER_NS
#define US PS_PER_US

#define SPA_LAT (3 * US)
#define HW_PSL 0x210		/* the slice's PSL interrupt (range 0) */
#define HW_SERR 0x300
#define HW_ERR 0x301

/* Set up and torn down around every test. */
static struct psl_fx fx;

/* MSIs the "host" received, in order. */
static u32 got[64];
static unsigned int nr_got;

static void on_msi(void *arg, u32 hwirq)
{
	if (nr_got < ARRAY_SIZE(got))
		got[nr_got] = hwirq;
	nr_got++;
}

static void test_params(struct psl_params *p)
{
	psl_params_defaults(p);
	p->nr_slices = 2;
	p->ps_size = 0x100;
	p->num_of_processes = 100;
	p->timing.spa_cmd = SPA_LAT;
	p->timing.afu_enable = 1 * US;
	p->timing.afu_reset = 2 * US;
	p->timing.msi_delivery = 100 * NS;
}

static void setup(void *arg)
{
	struct psl_params p;
	unsigned int h;

	pfx_host_init(&fx, 0x200, 0x200, 100 * NS);
	for (h = 0x200; h < 0x400; h++)
		irq_attach(&fx.ic, h, on_msi, NULL);
	nr_got = 0;
	test_params(&p);
	pfx_card_init(&fx, &p, HW_ERR, HW_SERR);
}

static void teardown(void *arg)
{
	pfx_exit(&fx);
}

static struct psl_slice *slice0(void)
{
	return &fx.card->slice[0];
}

static const struct cd_ctx user_ctx = {
	.sr = 0x8000000000004013ULL,
	.sdr = 0x0000000123400012ULL,
	.lpid = 0,
	.pid = 4321,
	.sstp0 = 0x40000FF000000123ULL,
	.sstp1 = 0x4567890000000001ULL,
	.ivte_off = { HW_PSL, 0x220, 0x230, 0 },
	.ivte_range = { 1, 4, 2, 0 },
	.amr = 0x3000000000000000ULL,
	.wed = 0x00007FFF12345678ULL,
};

/* Activated for @procs PEs, AFU enabled, as after the first attach's enable. */
static enum harness_result directed_ready_for(unsigned int procs)
{
	ASSERT_EQ(0, cd_activate_directed(&fx.drv, procs));
	ASSERT_EQ(0, cd_afu_reset(&fx.drv));
	ASSERT_EQ(0, cd_afu_enable(&fx.drv));
	PASS();
}

static enum harness_result directed_ready(void)
{
	return directed_ready_for(100);
}

/* Start an SPA command by hand, as do_process_element_cmd's first three steps. */
static void issue(u64 cmd, unsigned int pe, u32 state)
{
	cd_set_sw_state(&fx.drv, pe, state);
	*cd_sw_command_status(&fx.drv) = htobe64(cmd | pe);
	cd_p1n_write(&fx.drv, CXL_PSL_LLCMD_An, cmd | pe);
}

/* ---- The command protocol ---- */

TEST add_completes_in_memory_after_latency(void)
{
	const struct cd_ctx *c = &user_ctx;
	struct psl_ctx *ctx;
	unsigned int r;

	pfx_quiet_logs(&fx);
	CHECK_CALL(directed_ready());
	ASSERT_EQ(114, fx.drv.spa_nr_pes);		/* 16 KiB: 100 PEs need more than 8 KiB */
	issue(CXL_SPA_SW_CMD_TERMINATE, 0, 0);	/* warm-up: PE 0 unknown -> error */
	pfx_advance(&fx, SPA_LAT);
	ASSERT_EQ(0x0001800100000000ULL, cd_status_word(&fx.drv));
	/* Fill PE 3 as attach does, without sending ADD yet. */
	cd_fill_pe(&fx.drv, 3, c);
	cd_put(cd_pe(&fx.drv, 3) + 0x34, 4, 7);	/* lpid */
	cd_put(cd_pe(&fx.drv, 3) + 0x38, 4, 9);	/* tid */
	cd_p1n_write(&fx.drv, CXL_PSL_AMOR_An, 0x1F00000000000000ULL);
	issue(CXL_SPA_SW_CMD_ADD, 3, CXL_PE_SOFTWARE_STATE_V);
	ASSERT_EQ(PSL_SPA_RUNNING, slice0()->spa.state);
	pfx_advance(&fx, SPA_LAT - 1);
	ASSERT_EQm("pending until the latency elapses", 0x0005000000000003ULL,
		   cd_status_word(&fx.drv));
	ASSERT_EQ(NULL, psl_slice_ctx(slice0(), 3));
	pfx_advance(&fx, 1);
	ASSERT_EQ(0x0005000500000003ULL, cd_status_word(&fx.drv));
	ASSERT_EQ(PSL_SPA_IDLE, slice0()->spa.state);

	ctx = psl_slice_ctx(slice0(), 3);
	ASSERT(ctx);
	ASSERT_EQ(PSL_PE_ACTIVE, ctx->state);
	ASSERT_EQ(3, ctx->xc.pe);
	ASSERT_EQ(c->sr, ctx->xc.sr);
	ASSERT_EQ(c->sdr, ctx->xc.sdr1);
	ASSERT_EQ(7, ctx->xc.lpid);
	ASSERT_EQ(9, ctx->tid);
	ASSERT_EQ(c->pid, ctx->xc.pid);
	ASSERT_EQ(c->sstp0, ctx->xc.sstp0);
	ASSERT_EQ(c->sstp1, ctx->xc.sstp1);
	ASSERT_EQm("AMR (0x30...) through AMOR (0x1F...)", 0x1000000000000000ULL, ctx->xc.amr);
	ASSERT_EQ(c->wed, ctx->wed);
	ASSERT_EQ(CXL_PE_SOFTWARE_STATE_V, ctx->sw_state);
	for (r = 0; r < 4; r++) {
		ASSERT_EQ(c->ivte_off[r], ctx->ivte_off[r]);
		ASSERT_EQ(c->ivte_range[r], ctx->ivte_range[r]);
	}
	ASSERT_EQ(1, slice0()->nr_ctx_active);
	ASSERT_EQ(2, slice0()->spa.stats.cmds);
	ASSERT_EQ(1, slice0()->spa.stats.done);
	ASSERT_EQ(1, slice0()->spa.stats.failed);
	PASS();
}

TEST attach_and_detach_like_the_driver(void)
{
	struct psl_slice *s = slice0();
	u64 t0;

	CHECK_CALL(directed_ready());
	t0 = simq_now(&fx.q);
	ASSERT_EQ(0, cd_attach_directed(&fx.drv, 5, &user_ctx));
	ASSERTm("the driver's poll sees the completion at the latency",
		simq_now(&fx.q) - t0 >= SPA_LAT &&
		simq_now(&fx.q) - t0 < SPA_LAT + fx.drv.poll_step);
	ASSERT_EQ(0, cd_attach_directed(&fx.drv, 6, &user_ctx));
	ASSERT_EQ(2, s->nr_ctx_active);
	ASSERT_EQ(0x0005000500000006ULL, cd_status_word(&fx.drv));

	issue(CXL_SPA_SW_CMD_TERMINATE, 5, CXL_PE_SOFTWARE_STATE_V | CXL_PE_SOFTWARE_STATE_T);
	pfx_advance(&fx, SPA_LAT);
	ASSERT_EQ(0x0001000100000005ULL, cd_status_word(&fx.drv));
	ASSERT_EQ(PSL_PE_TERMINATED, psl_slice_ctx(s, 5)->state);
	cd_set_sw_state(&fx.drv, 5, 0);
	issue(CXL_SPA_SW_CMD_REMOVE, 5, 0);
	pfx_advance(&fx, SPA_LAT);
	ASSERT_EQ(0x0002000200000005ULL, cd_status_word(&fx.drv));
	ASSERT_EQ(NULL, psl_slice_ctx(s, 5));
	ASSERT_EQ(1, s->nr_ctx_active);

	ASSERT_EQ(0, cd_detach_directed(&fx.drv, 6, user_ctx.pid, 0));
	ASSERT_EQ(0, s->nr_ctx_active);
	ASSERT_EQ(1, fx.card->slbia.nr_done);
	ASSERT_EQ(0x0002000200000006ULL, cd_status_word(&fx.drv));
	ASSERT_EQ(6, s->spa.stats.done);
	ASSERT_EQ(0, s->spa.stats.failed);
	PASS();
}

TEST suspend_resume_update(void)
{
	struct psl_slice *s = slice0();
	struct psl_ctx *ctx;

	CHECK_CALL(directed_ready());
	ASSERT_EQ(0, cd_attach_directed(&fx.drv, 2, &user_ctx));
	issue(CXL_SPA_SW_CMD_SUSPEND, 2, CXL_PE_SOFTWARE_STATE_V);
	pfx_advance(&fx, SPA_LAT);
	ASSERT_EQ(0x0003000300000002ULL, cd_status_word(&fx.drv));
	ASSERT_EQ(PSL_PE_SUSPENDED, psl_slice_ctx(s, 2)->state);
	/* UPDATE rereads the PE. */
	cd_put(cd_pe(&fx.drv, 2) + 0x74, 8, 0xABCDEF);
	issue(CXL_SPA_SW_CMD_UPDATE, 2, CXL_PE_SOFTWARE_STATE_V);
	pfx_advance(&fx, SPA_LAT);
	ASSERT_EQ(0x0006000600000002ULL, cd_status_word(&fx.drv));
	ctx = psl_slice_ctx(s, 2);
	ASSERT_EQ(0xABCDEF, ctx->wed);
	ASSERT_EQ(PSL_PE_SUSPENDED, ctx->state);
	issue(CXL_SPA_SW_CMD_RESUME, 2, CXL_PE_SOFTWARE_STATE_V);
	pfx_advance(&fx, SPA_LAT);
	ASSERT_EQ(0x0004000400000002ULL, cd_status_word(&fx.drv));
	ASSERT_EQ(PSL_PE_ACTIVE, ctx->state);
	PASS();
}

struct refusal {
	const char *why;
	u64 cmd;
	unsigned int pe;
	u32 state;
};

/* Each is refused with status 1ccc...: the driver would see a timeout. */
TEST error_statuses(void)
{
	static const struct refusal cases[] = {
		{ "ADD without V", CXL_SPA_SW_CMD_ADD, 8, 0 },
		{ "ADD twice", CXL_SPA_SW_CMD_ADD, 1, CXL_PE_SOFTWARE_STATE_V },
		{ "REMOVE before TERMINATE", CXL_SPA_SW_CMD_REMOVE, 1, 0 },
		{ "TERMINATE of an unknown PE", CXL_SPA_SW_CMD_TERMINATE, 9, 0 },
		{ "RESUME of an unknown PE", CXL_SPA_SW_CMD_RESUME, 9, 0 },
		{ "PE past num_of_processes", CXL_SPA_SW_CMD_ADD, 100, CXL_PE_SOFTWARE_STATE_V },
		{ "command 7", 0x0007000000000000ULL, 1, 0 },
		{ "command 0", 0, 1, 0 },
	};
	struct psl_slice *s = slice0();
	unsigned int i;
	u16 cmd;

	pfx_quiet_logs(&fx);
	CHECK_CALL(directed_ready());
	ASSERT_EQ(0, cd_attach_directed(&fx.drv, 1, &user_ctx));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct refusal *c = &cases[i];

		cmd = c->cmd >> 48;
		issue(c->cmd, c->pe, c->state);
		pfx_advance(&fx, SPA_LAT);
		ASSERT_EQm(c->why, c->cmd | (u64)(0x8000 | cmd) << 32 | c->pe,
			   cd_status_word(&fx.drv));
	}
	ASSERT_EQ(ARRAY_SIZE(cases), s->spa.stats.failed);
	ASSERT_EQ(1, s->nr_ctx_active);
	ASSERT_EQ(PSL_PE_ACTIVE, psl_slice_ctx(s, 1)->state);

	/* The status word in memory disagrees with LLCMD. */
	*cd_sw_command_status(&fx.drv) = htobe64(CXL_SPA_SW_CMD_ADD | 4);
	cd_p1n_write(&fx.drv, CXL_PSL_LLCMD_An, CXL_SPA_SW_CMD_ADD | 5);
	pfx_advance(&fx, SPA_LAT);
	ASSERT_EQ(0x0005800500000005ULL, cd_status_word(&fx.drv));
	ASSERT_EQ(NULL, psl_slice_ctx(s, 4));
	ASSERT_EQ(NULL, psl_slice_ctx(s, 5));
	/* The driver's wait is a timeout for every one of them. */
	fx.drv.poll_step = 100 * US;
	ASSERT_EQ(-EBUSY, cd_spa_cmd(&fx.drv, CXL_SPA_SW_CMD_ADD, 1, CXL_PE_SOFTWARE_STATE_V));
	/* SPAP saying 4 KiB: 24 PEs, and sw_command_status elsewhere. */
	cd_p1n_write(&fx.drv, CXL_PSL_SPAP_An, fx.drv.spap & ~CXL_PSL_SPAP_Size);
	*(u64 *)(fx.drv.spa + 27 * 128) = htobe64(CXL_SPA_SW_CMD_ADD | 30);
	cd_p1n_write(&fx.drv, CXL_PSL_LLCMD_An, CXL_SPA_SW_CMD_ADD | 30);
	pfx_advance(&fx, SPA_LAT);
	ASSERT_EQm("PE past the SPA", 0x000580050000001EULL,
		   be64toh(*(u64 *)(fx.drv.spa + 27 * 128)));
	PASS();
}

TEST llcmd_to_a_disabled_afu(void)
{
	struct psl_slice *s = slice0();

	pfx_quiet_logs(&fx);
	ASSERT_EQ(0, cd_activate_directed(&fx.drv, 100));
	issue(CXL_SPA_SW_CMD_ADD, 2, CXL_PE_SOFTWARE_STATE_V);
	pfx_advance(&fx, SPA_LAT);
	ASSERT_EQ(0x0005800500000002ULL, cd_status_word(&fx.drv));
	ASSERT_EQ(CXL_PSL_SERR_An_llcmdis | HW_SERR, cd_p1n_read(&fx.drv, CXL_PSL_SERR_An));
	pfx_advance(&fx, 100 * NS);
	ASSERT_EQ(1, nr_got);
	ASSERT_EQm("the slice-error interrupt", HW_SERR, got[0]);
	ASSERT_EQ(0, s->nr_ctx_active);
	PASS();
}

TEST second_llcmd_while_busy_is_dropped(void)
{
	struct psl_slice *s = slice0();

	pfx_quiet_logs(&fx);
	CHECK_CALL(directed_ready());
	cd_put(cd_pe(&fx.drv, 1) + 0x7C, 4, CXL_PE_SOFTWARE_STATE_V);
	issue(CXL_SPA_SW_CMD_ADD, 2, CXL_PE_SOFTWARE_STATE_V);
	pfx_advance(&fx, 1 * US);
	cd_p1n_write(&fx.drv, CXL_PSL_LLCMD_An, CXL_SPA_SW_CMD_ADD | 1);
	ASSERT_EQ(1, s->spa.stats.busy);
	ASSERT_EQm("the register keeps the last value", CXL_SPA_SW_CMD_ADD | 1,
		   cd_p1n_read(&fx.drv, CXL_PSL_LLCMD_An));
	pfx_advance(&fx, SPA_LAT);
	ASSERT_EQ(0x0005000500000002ULL, cd_status_word(&fx.drv));
	ASSERT_EQ(NULL, psl_slice_ctx(s, 1));
	PASS();
}

TEST no_spa_no_effect(void)
{
	struct psl_slice *s = slice0();

	pfx_quiet_logs(&fx);
	ASSERT_EQ(0, cd_spa_alloc(&fx.drv, 10));
	/* SPAP valid, but the mode is dedicated. */
	cd_p1n_write(&fx.drv, CXL_PSL_SPAP_An, fx.drv.spap);
	cd_p1n_write(&fx.drv, CXL_PSL_SCNTL_An, CXL_PSL_SCNTL_An_PM_Process);
	issue(CXL_SPA_SW_CMD_ADD, 2, CXL_PE_SOFTWARE_STATE_V);
	pfx_advance(&fx, SPA_LAT);
	/* AFU-directed, but SPAP not valid. */
	cd_p1n_write(&fx.drv, CXL_PSL_SCNTL_An, CXL_PSL_SCNTL_An_PM_AFU);
	cd_p1n_write(&fx.drv, CXL_PSL_SPAP_An, fx.drv.spap & ~CXL_PSL_SPAP_V);
	issue(CXL_SPA_SW_CMD_ADD, 2, CXL_PE_SOFTWARE_STATE_V);
	pfx_advance(&fx, SPA_LAT);
	ASSERT_EQ(2, s->spa.stats.no_spa);
	ASSERT_EQm("nothing written", CXL_SPA_SW_CMD_ADD | 2, cd_status_word(&fx.drv));
	ASSERT_EQ(0, fx.card->p1[CXL_PSL_FIR1 / 8]);
	PASS();
}

/* ---- Data errors ---- */

TEST bad_spa_address_is_a_data_error(void)
{
	struct psl_slice *s = slice0();

	pfx_quiet_logs(&fx);
	CHECK_CALL(directed_ready());
	/* SPAP pointing at memory nobody registered. */
	cd_p1n_write(&fx.drv, CXL_PSL_SPAP_An,
		     (fx.drv.spap & ~CXL_PSL_SPAP_Addr) | 0x0000000100000000ULL);
	cd_p1n_write(&fx.drv, CXL_PSL_LLCMD_An, CXL_SPA_SW_CMD_ADD | 1);
	pfx_advance(&fx, SPA_LAT);
	ASSERT_EQ(1, s->spa.stats.data_errors);
	ASSERT_EQ(PSL_FIR1_SPA_DATA, cd_p1_read(&fx.drv, CXL_PSL_FIR1));
	pfx_advance(&fx, 100 * NS);
	ASSERT_EQ(1, nr_got);
	ASSERTm("the PSL error interrupt", got[0] == HW_ERR);
	ASSERT_EQ(PSL_SPA_IDLE, s->spa.state);
	ASSERT_EQ(0, s->nr_ctx_active);
	PASS();
}

TEST unreadable_pe_and_read_only_status(void)
{
	struct psl_slice *s = slice0();
	u64 status_off;

	pfx_quiet_logs(&fx);
	CHECK_CALL(directed_ready());
	/* Only the status word's block stays registered: PE reads fail. */
	status_off = (fx.drv.spa_nr_pes + 3) * 128;
	ASSERT_EQ(0, mem_remove(&fx.mem, mem_ra(fx.drv.spa)));
	ASSERT_EQ(0, mem_add(&fx.mem, mem_ra(fx.drv.spa) + status_off, 128, "spa-status", true));
	issue(CXL_SPA_SW_CMD_ADD, 3, CXL_PE_SOFTWARE_STATE_V);
	pfx_advance(&fx, SPA_LAT);
	ASSERT_EQm("the PE fetch failed: error status", 0x0005800500000003ULL,
		   cd_status_word(&fx.drv));
	ASSERT_EQ(1, s->spa.stats.data_errors);
	/* Now a read-only SPA: the status write fails. */
	ASSERT_EQ(0, mem_remove(&fx.mem, mem_ra(fx.drv.spa) + status_off));
	ASSERT_EQ(0, mem_add(&fx.mem, mem_ra(fx.drv.spa), fx.drv.spa_bytes, "spa", false));
	issue(CXL_SPA_SW_CMD_ADD, 3, CXL_PE_SOFTWARE_STATE_V);
	pfx_advance(&fx, SPA_LAT);
	ASSERT_EQ(CXL_SPA_SW_CMD_ADD | 3, cd_status_word(&fx.drv));
	ASSERT_EQ(2, s->spa.stats.data_errors);
	ASSERTm("the PE was added all the same", psl_slice_ctx(s, 3) != NULL);
	ASSERT_EQ(PSL_FIR1_SPA_DATA, cd_p1_read(&fx.drv, CXL_PSL_FIR1));
	pfx_advance(&fx, 100 * NS);
	ASSERTm("one PSL error interrupt: FIR bits only interrupt rising", nr_got == 1);
	PASS();
}

TEST no_host_memory_connected(void)
{
	pfx_quiet_logs(&fx);
	CHECK_CALL(directed_ready());
	psl_card_connect(fx.card, NULL, &fx.ic);
	issue(CXL_SPA_SW_CMD_ADD, 3, CXL_PE_SOFTWARE_STATE_V);
	pfx_advance(&fx, SPA_LAT);
	ASSERT_EQ(1, slice0()->spa.stats.data_errors);
	ASSERT_EQ(CXL_SPA_SW_CMD_ADD | 3, cd_status_word(&fx.drv));
	PASS();
}

/* ---- Terminate waits for the PE's faults ---- */

/* Faults outlive a failed test's frame: they stay queued until teardown's destroy. */
static struct psl_fault held[2];
static enum psl_fault_resp answered;
static unsigned int nr_answered;

static void fault_done(struct psl_fault *f, enum psl_fault_resp resp)
{
	answered = resp;
	nr_answered++;
}

TEST terminate_waits_for_a_pending_fault(void)
{
	struct psl_slice *s = slice0();
	struct psl_fault *f = &held[0];

	*f = (struct psl_fault){ .pe = 4, .dsisr = CXL_PSL_DSISR_An_DM | CXL_PSL_DSISR_An_M,
				 .dar = 0x10000, .done = fault_done };
	CHECK_CALL(directed_ready());
	ASSERT_EQ(0, cd_attach_directed(&fx.drv, 4, &user_ctx));
	nr_answered = 0;
	ASSERT_EQ(0, psl_slice_raise_fault(s, f));
	issue(CXL_SPA_SW_CMD_TERMINATE, 4, CXL_PE_SOFTWARE_STATE_V | CXL_PE_SOFTWARE_STATE_T);
	pfx_advance(&fx, SPA_LAT);
	ASSERT_EQ(PSL_SPA_WAIT_FAULT, s->spa.state);
	ASSERT_EQm("held behind the fault", CXL_SPA_SW_CMD_TERMINATE | 4, cd_status_word(&fx.drv));
	ASSERT_EQm("no new commands", PSL_PE_TERMINATED, psl_slice_ctx(s, 4)->state);
	pfx_advance(&fx, 10 * US);
	ASSERT_EQ(CXL_SPA_SW_CMD_TERMINATE | 4, cd_status_word(&fx.drv));
	/* The fault worker finds the context closing and answers AE. */
	ASSERT_EQ(4, cd_p2n_read(&fx.drv, CXL_PSL_PEHandle_An));
	cd_p2n_write(&fx.drv, CXL_PSL_TFC_An, CXL_PSL_TFC_An_AE);
	ASSERT_EQ(1, nr_answered);
	ASSERT_EQ(PSL_FAULT_AERROR, answered);
	ASSERT_EQm("completes as the fault is answered", 0x0001000100000004ULL,
		   cd_status_word(&fx.drv));
	ASSERT_EQ(PSL_SPA_IDLE, s->spa.state);
	PASS();
}

TEST remove_and_spap_change_drop_contexts(void)
{
	struct psl_slice *s = slice0();
	struct psl_fault *f = &held[0], *g = &held[1];

	*f = (struct psl_fault){ .pe = 7, .dsisr = CXL_PSL_DSISR_An_DS, .dar = 0x20000,
				 .done = fault_done };
	*g = *f;
	g->pe = 8;
	pfx_quiet_logs(&fx);
	CHECK_CALL(directed_ready());
	ASSERT_EQ(0, cd_attach_directed(&fx.drv, 7, &user_ctx));
	ASSERT_EQ(0, cd_attach_directed(&fx.drv, 8, &user_ctx));
	nr_answered = 0;
	ASSERT_EQ(0, psl_slice_raise_fault(s, g));
	ASSERT_EQ(0, psl_slice_raise_fault(s, f));
	ASSERT_EQ(8, cd_p2n_read(&fx.drv, CXL_PSL_PEHandle_An));
	/* A new SPA pointer: the PSL forgets both PEs and their faults. */
	cd_p1n_write(&fx.drv, CXL_PSL_SPAP_An, fx.drv.spap ^ 0x10);
	ASSERT_EQ(0, s->nr_ctx_active);
	ASSERT_EQ(2, nr_answered);
	ASSERT_EQ(PSL_FAULT_FLUSHED, answered);
	ASSERT_EQm("nothing presented any more", 0, cd_p2n_read(&fx.drv, CXL_PSL_DSISR_An));
	ASSERT_EQ(0, cd_p2n_read(&fx.drv, CXL_PSL_PEHandle_An));
	/* Writing the same value again changes nothing. */
	cd_p1n_write(&fx.drv, CXL_PSL_SPAP_An, fx.drv.spap);
	ASSERT_EQ(0, cd_attach_directed(&fx.drv, 7, &user_ctx));
	cd_p1n_write(&fx.drv, CXL_PSL_SPAP_An, fx.drv.spap);
	ASSERT_EQ(1, s->nr_ctx_active);
	PASS();
}

/* ---- SPA sizes: the PSL finds sw_command_status where the driver put it ---- */

TEST spa_sizes(void *arg)
{
	unsigned int procs = (unsigned int)(uintptr_t)arg;
	struct psl_params p;
	struct psl_card *c;

	test_params(&p);
	p.num_of_processes = procs;
	c = psl_card_create(&fx.q, &p);
	ASSERT(c);
	psl_cfg_write(c, 0x04, 2, 0x0006);
	psl_card_connect(c, &fx.mem, &fx.ic);
	fx.drv.card = c;
	CHECK_CALL(directed_ready_for(procs));
	ASSERT(fx.drv.spa_nr_pes >= procs);
	ASSERT_EQ(0, cd_attach_directed(&fx.drv, procs - 1, &user_ctx));
	ASSERT(psl_slice_ctx(&c->slice[0], procs - 1));
	ASSERT_EQ(0, cd_detach_directed(&fx.drv, procs - 1, 0, 0));
	fx.drv.card = fx.card;
	psl_card_destroy(c);
	PASS();
}

/* ---- Fault point and freeze ---- */

TEST spa_completion_fault_point(void)
{
	struct inject_point *pt = inject_find("psl.spa.complete");
	struct inject_action drop = { .kind = INJECT_KIND_DROP };
	struct inject_action late = { .kind = INJECT_KIND_DELAY, .delay = 5 * US };
	struct inject_action bad = { .kind = INJECT_KIND_VALUE, .value = ~0ULL };

	ASSERT(pt);
	CHECK_CALL(directed_ready());
	ASSERT_EQ(0, inject_arm(pt, &drop, 1));
	issue(CXL_SPA_SW_CMD_ADD, 1, CXL_PE_SOFTWARE_STATE_V);
	pfx_advance(&fx, SPA_LAT);
	ASSERT_EQm("lost: the driver would time out", CXL_SPA_SW_CMD_ADD | 1,
		   cd_status_word(&fx.drv));
	ASSERTm("the command took effect", psl_slice_ctx(slice0(), 1) != NULL);

	ASSERT_EQ(0, inject_arm(pt, &late, 1));
	issue(CXL_SPA_SW_CMD_ADD, 2, CXL_PE_SOFTWARE_STATE_V);
	pfx_advance(&fx, SPA_LAT + 5 * US - 1);
	ASSERT_EQ(CXL_SPA_SW_CMD_ADD | 2, cd_status_word(&fx.drv));
	pfx_advance(&fx, 1);
	ASSERT_EQ(0x0005000500000002ULL, cd_status_word(&fx.drv));

	ASSERT_EQ(0, inject_arm(pt, &bad, 1));
	ASSERT_EQm("all-ones: \"Error adding process element\"", -1,
		   cd_spa_cmd(&fx.drv, CXL_SPA_SW_CMD_ADD, 3, CXL_PE_SOFTWARE_STATE_V));
	ASSERT_EQ(3, pt->nr_fired);
	ASSERT_EQ(0, pt->armed);
	/* Disarmed: back to normal. */
	ASSERT_EQ(0, cd_spa_cmd(&fx.drv, CXL_SPA_SW_CMD_ADD, 4, CXL_PE_SOFTWARE_STATE_V));
	PASS();
}

TEST freeze_stops_spa_writes_perst_clears_contexts(void)
{
	struct psl_slice *s = slice0();
	struct psl_fault *f = &held[0];

	*f = (struct psl_fault){ .pe = 1, .dsisr = CXL_PSL_DSISR_An_DS, .dar = 0x30000,
				 .done = fault_done };
	pfx_quiet_logs(&fx);
	CHECK_CALL(directed_ready());
	ASSERT_EQ(0, cd_attach_directed(&fx.drv, 1, &user_ctx));
	ASSERT_EQ(0, cd_attach_directed(&fx.drv, 2, &user_ctx));
	issue(CXL_SPA_SW_CMD_TERMINATE, 2, CXL_PE_SOFTWARE_STATE_V | CXL_PE_SOFTWARE_STATE_T);
	psl_card_freeze(fx.card);
	pfx_advance(&fx, SPA_LAT);
	ASSERT_EQm("no DMA from a frozen card", CXL_SPA_SW_CMD_TERMINATE | 2,
		   cd_status_word(&fx.drv));
	ASSERT_EQ(1, s->spa.stats.frozen);
	ASSERT_EQ(PSL_PE_ACTIVE, psl_slice_ctx(s, 2)->state);
	nr_answered = 0;
	ASSERT_EQ(0, psl_slice_raise_fault(s, f));
	ASSERT_EQ(1, fx.card->stats.irq_frozen);
	ASSERT_EQ(~0ULL, cd_p2n_read(&fx.drv, CXL_PSL_PEHandle_An));

	psl_card_perst(fx.card);
	ASSERT_EQ(0, s->nr_ctx_active);
	ASSERT_EQ(NULL, psl_slice_ctx(s, 1));
	ASSERT_EQ(1, nr_answered);
	ASSERT_EQ(PSL_FAULT_FLUSHED, answered);
	ASSERT_EQ(PSL_SPA_IDLE, s->spa.state);
	psl_cfg_write(fx.card, 0x04, 2, 0x0006);
	ASSERT_EQ(0, cd_p2n_read(&fx.drv, CXL_PSL_DSISR_An));
	ASSERT_EQ(0, cd_p1n_read(&fx.drv, CXL_PSL_SPAP_An));
	ASSERT_EQm("nothing left to run", SIM_TIME_NEVER, simq_next_time(&fx.q));
	PASS();
}

/* ---- Dedicated process mode ---- */

TEST dedicated_attach_by_registers(void)
{
	struct psl_slice *s = slice0();
	const struct cd_ctx *c = &user_ctx;
	struct psl_ctx *ctx;
	u16 off[4] = { HW_PSL, 0x240, 0, 0 }, range[4] = { 1, 8, 0, 0 };
	unsigned int r;

	cd_activate_dedicated(&fx.drv, 0, c->sdr);
	ASSERT_EQ(PSL_MODE_DEDICATED, psl_slice_mode(s));
	ASSERT_EQ(0, cd_attach_dedicated(&fx.drv, c));
	ctx = psl_slice_ctx(s, 0);
	ASSERT(ctx);
	ASSERT_EQ(PSL_PE_ACTIVE, ctx->state);
	ASSERT(s->ded_running);
	ASSERT_EQ(0, ctx->xc.pe);
	ASSERT_EQ(c->sr, ctx->xc.sr);
	ASSERT_EQ(c->sdr, ctx->xc.sdr1);
	ASSERT_EQ(c->pid, ctx->xc.pid);
	ASSERT_EQ(c->sstp0, ctx->xc.sstp0);
	ASSERT_EQ(c->sstp1, ctx->xc.sstp1);
	ASSERT_EQ(c->amr, ctx->xc.amr);
	ASSERT_EQ(c->wed, ctx->wed);
	for (r = 0; r < 4; r++) {
		ASSERT_EQ(c->ivte_off[r], ctx->ivte_off[r]);
		ASSERT_EQ(c->ivte_range[r], ctx->ivte_range[r]);
	}
	/* cxl_update_dedicated_ivtes on a running context applies at once. */
	cd_p1n_write(&fx.drv, CXL_PSL_IVTE_Offset_An, cd_pack_ivtes(off));
	cd_p1n_write(&fx.drv, CXL_PSL_IVTE_Limit_An, cd_pack_ivtes(range));
	ASSERT_EQ(0x240, ctx->ivte_off[1]);
	ASSERT_EQ(8, ctx->ivte_range[1]);
	ASSERT_EQ(0, ctx->ivte_range[2]);
	/* No LLCMD in dedicated mode. */
	pfx_quiet_logs(&fx);
	cd_p1n_write(&fx.drv, CXL_PSL_LLCMD_An, CXL_SPA_SW_CMD_ADD | 1);
	pfx_advance(&fx, SPA_LAT);
	ASSERT_EQ(1, s->spa.stats.no_spa);

	ASSERT_EQ(0, cd_detach_dedicated(&fx.drv));
	ASSERT_EQ(NULL, psl_slice_ctx(s, 0));
	ASSERT(!s->ded_running);
	ASSERT_EQ(0, s->nr_ctx_active);
	/* And again: a second attach starts a fresh context. */
	ASSERT_EQ(0, cd_attach_dedicated(&fx.drv, c));
	ASSERT_EQ(c->ivte_off[1], psl_slice_ctx(s, 0)->ivte_off[1]);
	PASS();
}

TEST directed_enable_makes_no_context(void)
{
	CHECK_CALL(directed_ready());
	ASSERT_EQ(0, slice0()->nr_ctx_active);
	ASSERT(!slice0()->ded_running);
	PASS();
}

/* ---- Trace events ---- */

struct mem_trace {
	char *buf;
	size_t len;
	FILE *f;
};

static bool has_kind(struct cxt_reader *r, const char *name, u64 *n)
{
	struct trace_event ev;
	struct cxt_error err;
	bool seen = false;

	*n = 0;
	cxt_seek(r, 0, &err);
	while (cxt_next(r, &ev, &err) == 1) {
		if (!strcmp(cxt_kind(r, ev.kind)->name, name)) {
			seen = true;
			(*n)++;
		}
	}
	return seen;
}

static u64 q_clock(void *arg)
{
	return simq_now(arg);
}

TEST state_changes_are_traced(void)
{
	static const char *const kinds[] = {
		"psl.mmio", "psl.cfg", "psl.state", "psl.spa.start", "psl.spa.done",
		"psl.ctx", "psl.err", "psl.irq", "irq.raise", "irq.deliver", "psl.fault",
		"psl.fault.answer",
	};
	const struct cxt_header h = { .level = TRACE_LVL_DEFAULT };
	struct mem_trace m = { 0 };
	struct cxt_writer *w;
	struct cxt_reader *r;
	struct cxt_error err;
	unsigned int i;
	u64 n;

	pfx_quiet_logs(&fx);
	m.f = open_memstream(&m.buf, &m.len);
	ASSERT(m.f);
	ASSERT_EQm(err.msg, 0, cxt_create_file(m.f, "mem.cxt", &h, NULL, &w, &err));
	ASSERT_EQ(0, trace_start(w, TRACE_LVL_DEFAULT));
	trace_set_clock(q_clock, &fx.q);
	psl_cfg_write(fx.card, 0x04, 2, 0x0006);
	CHECK_CALL(directed_ready());
	ASSERT_EQ(0, cd_spa_cmd(&fx.drv, CXL_SPA_SW_CMD_ADD, 1, CXL_PE_SOFTWARE_STATE_V));
	issue(CXL_SPA_SW_CMD_REMOVE, 1, 0);	/* refused: not terminated */
	pfx_advance(&fx, SPA_LAT);
	cd_p2n_write(&fx.drv, CXL_AFU_Cntl_An, 0);
	pfx_advance(&fx, 10 * US);
	issue(CXL_SPA_SW_CMD_ADD, 2, CXL_PE_SOFTWARE_STATE_V);	/* llcmdis: SERR, MSI */
	pfx_advance(&fx, SPA_LAT + 1 * US);
	/* A fault presented and answered, and one withdrawn by PERST. */
	held[0] = (struct psl_fault){ .pe = 1, .dsisr = CXL_PSL_DSISR_An_DS };
	held[1] = held[0];
	ASSERT_EQ(0, psl_slice_raise_fault(slice0(), &held[0]));
	ASSERT_EQ(0, psl_slice_raise_fault(slice0(), &held[1]));
	cd_p2n_write(&fx.drv, CXL_PSL_TFC_An, CXL_PSL_TFC_An_R);
	psl_card_perst(fx.card);
	ASSERT_EQ(0, trace_stop());
	trace_set_clock(NULL, NULL);
	ASSERT_EQm(err.msg, 0, cxt_close_writer(w, &err));
	fclose(m.f);
	ASSERT_EQm(err.msg, 0, cxt_open_mem(m.buf, m.len, "mem.cxt", 0, &r, &err));
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		ASSERTm(kinds[i], has_kind(r, kinds[i], &n));
	ASSERT(has_kind(r, "psl.spa.done", &n));
	ASSERT_EQ(3, n);
	cxt_close(r);
	free(m.buf);
	PASS();
}

SUITE(psl_spa)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(add_completes_in_memory_after_latency);
	RUN_TEST(attach_and_detach_like_the_driver);
	RUN_TEST(suspend_resume_update);
	RUN_TEST(error_statuses);
	RUN_TEST(llcmd_to_a_disabled_afu);
	RUN_TEST(second_llcmd_while_busy_is_dropped);
	RUN_TEST(no_spa_no_effect);
	RUN_TEST(bad_spa_address_is_a_data_error);
	RUN_TEST(unreadable_pe_and_read_only_status);
	RUN_TEST(no_host_memory_connected);
	RUN_TEST(terminate_waits_for_a_pending_fault);
	RUN_TEST(remove_and_spap_change_drop_contexts);
	RUN_TESTp(spa_sizes, (void *)(uintptr_t)24, "4 KiB");
	RUN_TESTp(spa_sizes, (void *)(uintptr_t)476, "64 KiB");
	RUN_TESTp(spa_sizes, (void *)(uintptr_t)7704, "1 MiB");
	RUN_TEST(spa_completion_fault_point);
	RUN_TEST(freeze_stops_spa_writes_perst_clears_contexts);
	RUN_TEST(dedicated_attach_by_registers);
	RUN_TEST(directed_enable_makes_no_context);
	RUN_TEST(state_changes_are_traced);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	log_set_level(LOG_WARN);
	RUN_SUITE(psl_spa);
	if (fx.sink)
		fclose(fx.sink);
	HARNESS_MAIN_END();
}
