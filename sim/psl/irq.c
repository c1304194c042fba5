// SPDX-License-Identifier: GPL-2.0
/*
 * PSL interrupts (reference 5): a context's LISNs mapped through its four
 * IVTE ranges, the slice-error interrupt (PSL_SERR_An IVTE) and the PSL
 * error interrupt (PSL_ErrIVTE), each sent as an MSI to the host
 * controller by IVTE.
 */
#define pr_fmt(fmt) "psl-irq: " fmt

#include <errno.h>

#include "core/log.h"
#include "psl/psl.h"

#define REG(off) ((off) / 8)

/* What an MSI was for, in trace events. */
enum psl_irq_source {
	PSL_IRQ_PSL,		/* LISN 0 of a context: the multiplexed PSL interrupt */
	PSL_IRQ_AFU,		/* LISN >= 1: an AFU interrupt */
	PSL_IRQ_SLICE_ERR,	/* PSL_SERR_An IVTE */
	PSL_IRQ_PSL_ERR,	/* PSL_ErrIVTE */
};

static struct trace_kind tk_irq =
	TRACE_KIND("psl.irq", TRACE_LVL_DEFAULT, "slice:s64 source:u64 lisn:u64 ivte:u64 sent:u64");

/* Send the MSI of @ivte; links frozen or absent hosts swallow it, counted. */
static void send_msi(struct psl_card *card, const struct psl_slice *s, u32 pe,
		     enum psl_irq_source src, u32 lisn, u16 ivte)
{
	bool sent = !card->frozen && card->ic;

	if (src == PSL_IRQ_AFU)
		card->stats.irq_afu++;
	else if (src == PSL_IRQ_SLICE_ERR)
		card->stats.irq_slice_err++;
	else if (src == PSL_IRQ_PSL_ERR)
		card->stats.irq_psl_err++;
	trace_emit(&tk_irq, &card->tsrc, pe, TRACE_S(s ? (s64)s->idx : -1), TRACE_U(src),
		   TRACE_U(lisn), TRACE_U(ivte), TRACE_U(sent));
	if (card->frozen) {
		card->stats.irq_frozen++;
		return;
	}
	if (!card->ic) {
		card->stats.irq_no_host++;
		pr_debug("%s: MSI 0x%x with no interrupt controller connected\n",
			 card->p.name, ivte);
		return;
	}
	card->stats.irq_sent++;
	irq_raise(card->ic, ivte);
}

/*
 * CAIA 10.1.15: LISN L falls in the first range i whose cumulative end
 * passes it, and maps to offset[i] + (L - start of range i).  With the
 * native range 0 of size 1 this is "AFU interrupt n through ranges 1..3".
 */
int psl_ctx_ivte(const struct psl_ctx *ctx, u32 lisn, u16 *ivte)
{
	u32 start = 0;
	unsigned int r;

	for (r = 0; r < CXL_IRQ_RANGES; r++) {
		u32 n = ctx->ivte_range[r];

		if (lisn - start < n) {
			*ivte = ctx->ivte_off[r] + (lisn - start);
			return 0;
		}
		start += n;
	}
	return -ERANGE;
}

int psl_ctx_psl_irq(struct psl_ctx *ctx)
{
	struct psl_slice *s = ctx->slice;
	u16 ivte;

	if (!ctx->ivte_range[0])
		return -ERANGE;
	psl_ctx_ivte(ctx, 0, &ivte);
	send_msi(s->card, s, ctx->xc.pe, PSL_IRQ_PSL, 0, ivte);
	return 0;
}

int psl_afu_irq(struct psl_slice *s, u16 pe, u32 n)
{
	struct psl_ctx *ctx = psl_slice_ctx(s, pe);
	u16 ivte;

	if (!ctx) {
		pr_warn("%s slice %u: AFU interrupt %u for unknown PE %u\n", s->card->p.name,
			s->idx, n, pe);
		psl_err_serr(s, CXL_PSL_SERR_An_badctx);
		return -ENOENT;
	}
	if (!n || psl_ctx_ivte(ctx, n, &ivte)) {
		s->card->stats.irq_badsrc++;
		pr_warn("%s slice %u: PE %u AFU interrupt %u outside its ranges\n",
			s->card->p.name, s->idx, pe, n);
		psl_err_serr(s, CXL_PSL_SERR_An_badsrc);
		return -ERANGE;
	}
	ctx->nr_afu_irqs++;
	send_msi(s->card, s, pe, PSL_IRQ_AFU, n, ivte);
	return 0;
}

void psl_slice_err_irq(struct psl_slice *s)
{
	u16 ivte = s->p1n[REG(CXL_PSL_SERR_An)] & CXL_PSL_SERR_An_IVTE_MASK;

	send_msi(s->card, s, TRACE_CTX_NONE, PSL_IRQ_SLICE_ERR, 0, ivte);
}

void psl_card_err_irq(struct psl_card *card)
{
	u16 ivte = card->p1[REG(CXL_PSL_ErrIVTE)] & CXL_PSL_ErrIVTE_IVTE_MASK;

	send_msi(card, NULL, TRACE_CTX_NONE, PSL_IRQ_PSL_ERR, 0, ivte);
}
