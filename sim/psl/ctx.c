// SPDX-License-Identifier: GPL-2.0
/*
 * Contexts: each slice's table of process elements by PE handle, and the
 * dedicated-process context collected from the slice's registers.  Both
 * modes fill the same struct psl_ctx, so translation and interrupts have
 * one view of a context (reference 3.2, 3.3).
 */
#define pr_fmt(fmt) "psl-ctx: " fmt

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "psl/psl.h"

#define REG(off) ((off) / 8)

static struct trace_kind tk_ctx =
	TRACE_KIND("psl.ctx", TRACE_LVL_DEFAULT, "slice:u64 pe:u64 state:u64 mode:u64");

enum psl_mode psl_slice_mode(const struct psl_slice *s)
{
	switch (s->p1n[REG(CXL_PSL_SCNTL_An)] & CXL_PSL_SCNTL_An_PM_MASK) {
	case CXL_PSL_SCNTL_An_PM_Process:
		return PSL_MODE_DEDICATED;
	case CXL_PSL_SCNTL_An_PM_AFU:
	case CXL_PSL_SCNTL_An_PM_AFU_PBT:
		return PSL_MODE_DIRECTED;
	default:
		return PSL_MODE_NONE;
	}
}

struct psl_ctx *psl_slice_ctx(struct psl_slice *s, u16 pe)
{
	if (pe >= s->card->p.num_of_processes || s->ctx[pe].state == PSL_PE_FREE)
		return NULL;
	return &s->ctx[pe];
}

static void ctx_clear(struct psl_slice *s, u16 pe)
{
	struct psl_ctx *ctx = &s->ctx[pe];

	memset(ctx, 0, sizeof(*ctx));
	ctx->slice = s;
	ctx->xc.pe = pe;
}

int psl_ctx_init(struct psl_slice *s)
{
	unsigned int i;

	s->ctx = calloc(s->card->p.num_of_processes, sizeof(*s->ctx));
	if (!s->ctx)
		return -ENOMEM;
	for (i = 0; i < s->card->p.num_of_processes; i++)
		ctx_clear(s, i);
	return 0;
}

void psl_ctx_exit(struct psl_slice *s)
{
	free(s->ctx);
	s->ctx = NULL;
}

void psl_ctx_set_state(struct psl_ctx *ctx, enum psl_pe_state state)
{
	struct psl_slice *s = ctx->slice;

	if (ctx->state == state)
		return;
	if (ctx->state == PSL_PE_FREE)
		s->nr_ctx_active++;
	else if (state == PSL_PE_FREE)
		s->nr_ctx_active--;
	ctx->state = state;
	if (state == PSL_PE_FREE) {
		/* Its own error records are about to be cleared: out of the queue first. */
		psl_fault_withdraw(s, &ctx->psl_err);
		psl_fault_withdraw(s, &ctx->afu_err);
		psl_fault_withdraw(s, &ctx->paged);
	}
	pr_debug("%s slice %u: PE %u state %d\n", s->card->p.name, s->idx, ctx->xc.pe, state);
	trace_emit(&tk_ctx, &s->card->tsrc, ctx->xc.pe, TRACE_U(s->idx), TRACE_U(ctx->xc.pe),
		   TRACE_U(state), TRACE_U(psl_slice_mode(s)));
	if (state == PSL_PE_FREE)
		ctx_clear(s, ctx->xc.pe);
}

void psl_ctx_reset(struct psl_slice *s)
{
	unsigned int i;

	s->ded_running = false;
	if (!s->nr_ctx_active)
		return;
	for (i = 0; i < s->card->p.num_of_processes; i++) {
		if (s->ctx[i].state == PSL_PE_FREE)
			continue;
		psl_fault_flush_pe(s, i);
		psl_ctx_set_state(&s->ctx[i], PSL_PE_FREE);
	}
}

/* ---- Dedicated process mode (reference 3.2, 7.2 step 9) ---- */

static u16 ivte_field(u64 reg, unsigned int range)
{
	return reg >> (48 - 16 * range);
}

/* Everything the dedicated context takes from the slice's P1n and P2n registers. */
static void ded_load(struct psl_slice *s, struct psl_ctx *ctx)
{
	const u64 *p1n = s->p1n, *p2n = s->p2n;
	unsigned int r;

	ctx->xc.pe = 0;
	ctx->xc.lpid = p1n[REG(CXL_PSL_LPID_An)];
	ctx->xc.pid = p2n[REG(CXL_PSL_PID_TID_An)] >> 32;
	ctx->tid = p2n[REG(CXL_PSL_PID_TID_An)];
	ctx->xc.sr = p1n[REG(CXL_PSL_SR_An)];
	ctx->xc.sstp0 = p2n[REG(CXL_SSTP0_An)];
	ctx->xc.sstp1 = p2n[REG(CXL_SSTP1_An)];
	ctx->xc.sdr1 = p1n[REG(CXL_PSL_SDR_An)];
	ctx->xc.amr = p2n[REG(CXL_PSL_AMR_An)] & p1n[REG(CXL_PSL_AMOR_An)];
	ctx->spoffset = p1n[REG(CXL_PSL_SPOffset_An)];
	ctx->haurp = p1n[REG(CXL_HAURP_An)];
	ctx->ctxtime = p1n[REG(CXL_PSL_CtxTime_An)];
	ctx->csrp = p2n[REG(CXL_CSRP_An)];
	ctx->aurp0 = p2n[REG(CXL_AURP0_An)];
	ctx->aurp1 = p2n[REG(CXL_AURP1_An)];
	ctx->wed = p2n[REG(CXL_PSL_WED_An)];
	for (r = 0; r < CXL_IRQ_RANGES; r++) {
		ctx->ivte_off[r] = ivte_field(p1n[REG(CXL_PSL_IVTE_Offset_An)], r);
		ctx->ivte_range[r] = ivte_field(p1n[REG(CXL_PSL_IVTE_Limit_An)], r);
	}
}

/*
 * The enable handshake starts the AFU with PSL_WED_An (the START job):
 * from here the slice's registers are the context's, and later writes to
 * them (the driver rewrites the IVTEs to change interrupt ranges) apply
 * at once.
 */
void psl_ded_start(struct psl_slice *s)
{
	if (psl_slice_mode(s) != PSL_MODE_DEDICATED)
		return;
	ded_load(s, &s->ctx[0]);
	s->ded_running = true;
	psl_ctx_set_state(&s->ctx[0], PSL_PE_ACTIVE);
}

/*
 * Disable or reset stops the AFU and the context goes.  Faults it left
 * queued stay: software answers them (the purge loop does), though an
 * interrupt for one presented later has no context to go to.
 */
void psl_ded_stop(struct psl_slice *s)
{
	if (!s->ded_running)
		return;
	s->ded_running = false;
	psl_ctx_set_state(&s->ctx[0], PSL_PE_FREE);
}

void psl_ded_sync(struct psl_slice *s)
{
	if (s->ded_running)
		ded_load(s, &s->ctx[0]);
}
