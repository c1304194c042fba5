// SPDX-License-Identifier: GPL-2.0
/*
 * PSL error registers and their sources (reference 2.5.12, 2.5.16, 2.5.18,
 * 6.1, 6.2): FIR1/FIR2 and the PSL error interrupt, PSL_SERR_An and the
 * slice-error interrupt, PSL_ErrStat_An with DSISR[PE], AFU_ERR_An with
 * DSISR[AE] or SERR[AE].  Every bit the PSL sets goes through err_set(),
 * which holds the "psl.err.bits" fault point and the trace event.
 *
 * How software clears them lives with the registers: SERR status is W1C
 * or a plain store (p1.c, serr_w1c), ErrStat W1C (p2.c), DSISR[PE] by a
 * DSISR store and DSISR[AE] by TFC[A] (fault.c); FIR bits and AFU_ERR are
 * not cleared by the driver (FIR until PERST, AFU_ERR until the next AFU
 * reset [U]).
 */
#define pr_fmt(fmt) "psl-err: " fmt

#include <errno.h>

#include "core/log.h"
#include "inject/inject.h"
#include "psl/psl.h"

#define REG(off) ((off) / 8)

INJECT_POINT(ip_err_bits, "psl.err.bits",
	     "error bits the PSL sets (FIR, SERR, ErrStat, AFU_ERR)",
	     INJECT_DROP | INJECT_VALUE | INJECT_XOR);

static struct trace_kind tk_err =
	TRACE_KIND("psl.err", TRACE_LVL_DEFAULT, "slice:s64 reg:str bits:u64 value:u64");

/*
 * OR @bits into @reg (@name for reports); returns the bits that went from
 * 0 to 1.  The fault point may drop the update or change the bits.
 */
static u64 err_set(struct psl_card *card, const struct psl_slice *s, const char *name,
		   u64 *reg, u64 bits)
{
	struct inject_action act;
	u64 old = *reg;

	if (inject_check(&ip_err_bits, &act)) {
		if (act.kind == INJECT_KIND_DROP)
			return 0;
		bits = inject_apply(&act, bits);
	}
	*reg |= bits;
	trace_emit(&tk_err, &card->tsrc, TRACE_CTX_NONE, TRACE_S(s ? (s64)s->idx : -1),
		   TRACE_STR(name), TRACE_U(bits), TRACE_U(*reg));
	pr_debug("%s: %s |= 0x%016llx -> 0x%016llx\n", card->p.name, name,
		 (unsigned long long)bits, (unsigned long long)*reg);
	return *reg & ~old;
}

void psl_card_fir_raise(struct psl_card *card, unsigned int which, u64 bits)
{
	u64 *fir = &card->p1[REG(which == 1 ? CXL_PSL_FIR1 : CXL_PSL_FIR2)];
	u64 mask = which == 1 ? card->p.fir1_mask : card->p.fir2_mask;

	if (err_set(card, NULL, which == 1 ? "FIR1" : "FIR2", fir, bits) & ~mask)
		psl_card_err_irq(card);
}

void psl_slice_errstat_raise(struct psl_slice *s, u64 bits)
{
	err_set(s->card, s, "ErrStat", &s->p2n[REG(CXL_PSL_ErrStat_An)], bits);
}

/* The status bits whose interrupt a clear mask bit (32 places lower) lets through. */
static u64 serr_unmasked(u64 serr)
{
	return (CXL_PSL_SERR_An_IRQS & ~(serr << 32)) | CXL_PSL_SERR_An_AE;
}

void psl_err_serr(struct psl_slice *s, u64 bits)
{
	u64 *serr = &s->p1n[REG(CXL_PSL_SERR_An)];
	u64 rose = err_set(s->card, s, "SERR", serr,
			   bits & (CXL_PSL_SERR_An_IRQS | CXL_PSL_SERR_An_AE));

	if (rose & serr_unmasked(*serr))
		psl_slice_err_irq(s);
}

/* Queue @f (DSISR @dsisr) for @ctx unless it waits already; its bits merge then. */
static int ctx_fault(struct psl_ctx *ctx, struct psl_fault *f, u64 dsisr)
{
	if (f->queued)
		return 0;
	f->pe = ctx->xc.pe;
	f->dsisr = dsisr;
	f->dar = 0;
	f->done = NULL;
	return psl_slice_raise_fault(ctx->slice, f);
}

static struct psl_ctx *ctx_or_warn(struct psl_slice *s, u16 pe, const char *what)
{
	struct psl_ctx *ctx = psl_slice_ctx(s, pe);

	if (!ctx)
		pr_warn("%s slice %u: %s for unknown PE %u: not reported\n", s->card->p.name,
			s->idx, what, pe);
	return ctx;
}

int psl_err_afu(struct psl_slice *s, u64 code)
{
	u64 *afu_err = &s->p2n[REG(CXL_AFU_ERR_An)];
	struct psl_ctx *ctx;

	/* AFU_ERR holds the code, not an accumulation of bits. */
	*afu_err = 0;
	err_set(s->card, s, "AFU_ERR", afu_err, code);
	psl_card_fir_raise(s->card, 1, PSL_FIR1_AFU);
	if (psl_slice_mode(s) == PSL_MODE_DIRECTED) {
		psl_err_serr(s, CXL_PSL_SERR_An_AE);
		return 0;
	}
	ctx = ctx_or_warn(s, 0, "AFU error");
	if (!ctx)
		return -ENOENT;
	return ctx_fault(ctx, &ctx->afu_err, CXL_PSL_DSISR_An_AE);
}

int psl_err_psl(struct psl_slice *s, u16 pe, u64 errstat)
{
	struct psl_ctx *ctx = ctx_or_warn(s, pe, "PSL error");

	if (!ctx)
		return -ENOENT;
	psl_slice_errstat_raise(s, errstat);
	return ctx_fault(ctx, &ctx->psl_err, CXL_PSL_DSISR_An_PE);
}

int psl_err_bad_ra(struct psl_slice *s, u16 pe, u64 ra)
{
	pr_warn("%s slice %u: PE %u: real address 0x%llx holds no memory\n", s->card->p.name,
		s->idx, pe, (unsigned long long)ra);
	psl_card_fir_raise(s->card, 1, PSL_FIR1_BAD_RA);
	return psl_err_psl(s, pe, PSL_ERRSTAT_BAD_RA);
}

int psl_err_parity(struct psl_slice *s, int pe)
{
	psl_card_fir_raise(s->card, 1, PSL_FIR1_PARITY);
	if (pe < 0) {
		psl_err_serr(s, CXL_PSL_SERR_An_afupar);
		return 0;
	}
	return psl_err_psl(s, pe, PSL_ERRSTAT_PARITY);
}

int psl_err_illegal_cmd(struct psl_slice *s, int pe)
{
	psl_card_fir_raise(s->card, 1, PSL_FIR1_ILL_CMD);
	if (pe < 0) {
		psl_err_serr(s, CXL_PSL_SERR_An_badctx);
		return 0;
	}
	return psl_err_psl(s, pe, PSL_ERRSTAT_ILL_CMD);
}

void psl_err_spa_data(struct psl_slice *s, u64 ra)
{
	s->spa.stats.data_errors++;
	pr_warn("%s slice %u: SPA access at 0x%llx holds no memory\n", s->card->p.name, s->idx,
		(unsigned long long)ra);
	psl_card_fir_raise(s->card, 1, PSL_FIR1_SPA_DATA);
}

int psl_err_injected(struct psl_slice *s, int pe)
{
	psl_card_fir_raise(s->card, 2, PSL_FIR2_INJECTED);
	if (pe < 0)
		return 0;
	return psl_err_psl(s, pe, PSL_ERRSTAT_INJECTED);
}
