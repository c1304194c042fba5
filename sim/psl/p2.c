// SPDX-License-Identifier: GPL-2.0
/*
 * P2 registers (BAR0 + slice * 4 KiB): the per-slice context and fault
 * registers and the AFU_Cntl enable/disable/reset handshake.  Reference
 * sections 2.4, 2.5.13 - 2.5.18 and 2.6.1.
 */
#define pr_fmt(fmt) "psl-p2: " fmt

#include <string.h>

#include "core/log.h"
#include "psl/psl.h"

#define REG(off) ((off) / 8)

/* ---- CXL_AFU_Cntl_An (2.5.17, 2.6.1) ---- */

#define AFU_CNTL_RW (CXL_AFU_Cntl_An_E | CXL_AFU_Cntl_An_RA)

static u64 afu_es(const struct psl_slice *s)
{
	switch (s->afu) {
	case PSL_AFU_ENABLING:
		return s->card->p.es_enable_pending;
	case PSL_AFU_ENABLED:
		return CXL_AFU_Cntl_An_ES_Enabled;
	case PSL_AFU_DISABLING:
		return s->card->p.es_disable_pending;
	default:
		/* A reset disables the AFU as it starts (CAIA 4.1.1). */
		return CXL_AFU_Cntl_An_ES_Disabled;
	}
}

static u64 afu_rs(const struct psl_slice *s)
{
	switch (s->rs) {
	case PSL_RS_PENDING:
		return CXL_AFU_Cntl_An_RS_Pending;
	case PSL_RS_COMPLETE:
		return CXL_AFU_Cntl_An_RS_Complete;
	default:
		return 0;
	}
}

static void afu_set_state(struct psl_slice *s, enum psl_afu_state state)
{
	s->afu = state;
	psl_trace_state(s->card, s, TRACE_CTX_NONE, "afu", state);
}

/*
 * Enter a transition state.  With an AFU attached, the AFU answers: the
 * reset sends the RESET job command and ends on ah_jdone, the enable
 * sends START (dedicated: ha_jea = PSL_WED_An; AFU-directed: 0 [P]) and
 * ends when the AFU raises ah_jrunning (job.c); without one, the
 * configured latency stands in for the answer.  Disable sends nothing to
 * the AFU and takes its latency either way [U].  In dedicated mode the
 * enable starts the context the registers describe; disable and reset
 * end it.
 */
static void afu_enter(struct psl_slice *s, enum psl_afu_state state)
{
	const struct psl_timing *t = &s->card->p.timing;
	bool afu = psl_afu_attached(s);
	u64 dt;

	afu_set_state(s, state);
	switch (state) {
	case PSL_AFU_ENABLING:
		psl_ded_start(s);
		if (afu) {
			sim_cancel(s->card->q, &s->afu_ev);
			psl_job_start(s, psl_slice_mode(s) == PSL_MODE_DEDICATED ?
					 s->p2n[REG(CXL_PSL_WED_An)] : 0);
			return;
		}
		dt = t->afu_enable;
		break;
	case PSL_AFU_DISABLING:
		psl_ded_stop(s);
		dt = t->afu_disable;
		break;
	default:
		psl_ded_stop(s);
		s->rs = PSL_RS_PENDING;
		if (afu) {
			sim_cancel(s->card->q, &s->afu_ev);
			psl_job_reset(s, true);
			return;
		}
		dt = t->afu_reset;
		break;
	}
	psl_schedule(s->card, &s->afu_ev, dt);
}

static void afu_step(struct psl_slice *s, enum psl_afu_input in);

/* The running transition completed: settle, then follow the E level. */
static void afu_done(struct psl_slice *s)
{
	u64 *cntl = &s->p2n[REG(CXL_AFU_Cntl_An)];

	switch (s->afu) {
	case PSL_AFU_ENABLING:
		afu_set_state(s, PSL_AFU_ENABLED);
		s->nr_enables++;
		break;
	case PSL_AFU_DISABLING:
		afu_set_state(s, PSL_AFU_DISABLED);
		s->nr_disables++;
		break;
	case PSL_AFU_RESETTING:
		afu_set_state(s, PSL_AFU_DISABLED);
		s->rs = PSL_RS_COMPLETE;
		s->nr_resets++;
		/* A reset AFU has no error to report any more [U]. */
		s->p2n[REG(CXL_AFU_ERR_An)] = 0;
		*cntl &= ~CXL_AFU_Cntl_An_E;
		if (s->card->p.afu_ra_self_clear)
			*cntl &= ~CXL_AFU_Cntl_An_RA;
		break;
	default:
		return;
	}
	/* E is a level: a request written while the transition ran starts now. */
	afu_step(s, *cntl & CXL_AFU_Cntl_An_E ? PSL_AFU_IN_ENABLE : PSL_AFU_IN_DISABLE);
}

/*
 * The transition function.  A reset request wins from any state and
 * restarts the reset clock; enable and disable start only from the
 * opposite stable state, otherwise the E level is re-examined when the
 * running transition completes.
 */
static void afu_step(struct psl_slice *s, enum psl_afu_input in)
{
	switch (in) {
	case PSL_AFU_IN_RESET:
		afu_enter(s, PSL_AFU_RESETTING);
		break;
	case PSL_AFU_IN_ENABLE:
		if (s->afu == PSL_AFU_DISABLED)
			afu_enter(s, PSL_AFU_ENABLING);
		break;
	case PSL_AFU_IN_DISABLE:
		if (s->afu == PSL_AFU_ENABLED)
			afu_enter(s, PSL_AFU_DISABLING);
		break;
	case PSL_AFU_IN_DONE:
		afu_done(s);
		break;
	}
}

static void afu_ev_done(void *arg)
{
	afu_step(arg, PSL_AFU_IN_DONE);
}

void psl_afu_cntl_done(struct psl_slice *s)
{
	afu_step(s, PSL_AFU_IN_DONE);
}

static u64 afu_cntl_read(struct psl_card *card, struct psl_slice *s)
{
	return afu_es(s) | afu_rs(s) | (s->p2n[REG(CXL_AFU_Cntl_An)] & AFU_CNTL_RW);
}

static void afu_cntl_write(struct psl_card *card, struct psl_slice *s, u64 val)
{
	u64 *cntl = &s->p2n[REG(CXL_AFU_Cntl_An)];
	u64 old = *cntl;

	*cntl = val & AFU_CNTL_RW;
	if (!(old & CXL_AFU_Cntl_An_RA) && (val & CXL_AFU_Cntl_An_RA))
		afu_step(s, PSL_AFU_IN_RESET);
	else
		afu_step(s, val & CXL_AFU_Cntl_An_E ? PSL_AFU_IN_ENABLE : PSL_AFU_IN_DISABLE);
}

/* ---- CXL_SLBIA_An (2.5.4) ---- */

static u64 slbia_an_read(struct psl_card *card, struct psl_slice *s)
{
	return psl_inval_read(&s->slbia);
}

static void slbia_an_write(struct psl_card *card, struct psl_slice *s, u64 val)
{
	psl_inval_request(&s->slbia, val);
}

/* ---- DSISR and TFC: the fault registers (fault.c) ---- */

static void dsisr_write(struct psl_card *card, struct psl_slice *s, u64 val)
{
	psl_fault_dsisr_write(s, val);
}

/* Write-only: reads 0 [U]. */
static u64 tfc_read(struct psl_card *card, struct psl_slice *s)
{
	return 0;
}

static void tfc_write(struct psl_card *card, struct psl_slice *s, u64 val)
{
	psl_fault_tfc_write(s, val);
}

/* DSISR, DAR and PEHandle hold the fault fault.c presents. */
static const struct psl_reg p2n_regs[PSL_P2N_NR] = {
	PSL_REG_STORE(CXL_PSL_PID_TID_An),
	PSL_REG_STORE(CXL_CSRP_An),
	PSL_REG_STORE(CXL_AURP0_An),
	PSL_REG_STORE(CXL_AURP1_An),
	PSL_REG_STORE(CXL_SSTP0_An),
	PSL_REG_STORE(CXL_SSTP1_An),
	PSL_REG_STORE(CXL_PSL_AMR_An),
	PSL_REG_UNMODELLED(CXL_SLBIE_An),
	PSL_REG_HOOKED(CXL_SLBIA_An, slbia_an_read, slbia_an_write),
	PSL_REG_UNMODELLED(CXL_SLBI_Select_An),
	PSL_REG_HOOKED(CXL_PSL_DSISR_An, NULL, dsisr_write),
	PSL_REG_RO(CXL_PSL_DAR_An),
	PSL_REG_RO(CXL_PSL_DSR_An),
	PSL_REG_HOOKED(CXL_PSL_TFC_An, tfc_read, tfc_write),
	PSL_REG_RO(CXL_PSL_PEHandle_An),
	[REG(CXL_PSL_ErrStat_An)] = { .name = "CXL_PSL_ErrStat_An", .w1c = ~0ULL },
	PSL_REG_HOOKED(CXL_AFU_Cntl_An, afu_cntl_read, afu_cntl_write),
	PSL_REG_RO(CXL_AFU_ERR_An),
	PSL_REG_STORE(CXL_PSL_WED_An),
};

void psl_p2_init(struct psl_slice *s)
{
	sim_event_init(&s->afu_ev, "psl-afu-cntl", afu_ev_done, s);
	psl_inval_init(&s->slbia, s->card, s, PSL_INVAL_SLB_AN);
}

void psl_p2_reset(struct psl_slice *s)
{
	memset(s->p2n, 0, sizeof(s->p2n));
	sim_cancel(s->card->q, &s->afu_ev);
	afu_set_state(s, PSL_AFU_DISABLED);
	s->rs = PSL_RS_NONE;
	psl_inval_reset(&s->slbia);
}

int psl_p2_read(struct psl_slice *s, u64 offset, u64 *val)
{
	return psl_reg_read(p2n_regs, PSL_P2N_NR, s->p2n, s->card, s, offset, val);
}

int psl_p2_write(struct psl_slice *s, u64 offset, u64 val)
{
	int ret = psl_reg_write(p2n_regs, PSL_P2N_NR, s->p2n, s->card, s, offset, val);

	psl_ded_sync(s);
	return ret;
}
