// SPDX-License-Identifier: GPL-2.0
/*
 * Lookaside-buffer invalidation registers: PSL_SLBIA and PSL_TLBIA (P1,
 * adapter-wide) and CXL_SLBIA_An (P2, one slice).  Each is a two-state
 * machine: a write sets the pending bit, which clears once the
 * invalidation is done, after the configured latency (reference 2.5.4).
 */
#define pr_fmt(fmt) "psl-inval: " fmt

#include "core/log.h"
#include "psl/psl.h"

static const char *const inval_names[] = {
	[PSL_INVAL_SLB] = "PSL_SLBIA",
	[PSL_INVAL_TLB] = "PSL_TLBIA",
	[PSL_INVAL_SLB_AN] = "CXL_SLBIA_An",
};

static u64 inval_latency(const struct psl_inval *inv)
{
	const struct psl_timing *t = &inv->card->p.timing;

	return inv->kind == PSL_INVAL_TLB ? t->tlbia : t->slbia;
}

/*
 * Drop what the request selects from the translation caches: CXL_SLBIA_An
 * the SLB of its slice, all of it (reference 2.5.4); PSL_SLBIA and
 * PSL_TLBIA every slice's when PSL_AFUSEL[A] is set, none otherwise [U],
 * qualified by IQ and PSL_LBISEL as they were at the request.
 */
static void inval_drop_entries(const struct psl_inval *inv)
{
	struct psl_card *card = inv->card;
	unsigned int i, n = 0;

	if (inv->slice) {
		n = psl_xlate_slbia(&inv->slice->xlate, CXL_TLB_SLB_IQ_ALL, 0);
	} else if (card->p1[CXL_PSL_AFUSEL / 8] & CXL_PSL_AFUSEL_A) {
		for (i = 0; i < card->p.nr_slices; i++) {
			struct psl_xlate *x = &card->slice[i].xlate;

			n += inv->kind == PSL_INVAL_TLB ? psl_xlate_tlbia(x, inv->iq, inv->lbisel) :
							  psl_xlate_slbia(x, inv->iq, inv->lbisel);
		}
	} else {
		pr_info("%s: %s with PSL_AFUSEL[A] clear: no slice selected\n", card->p.name,
			inval_names[inv->kind]);
	}
	pr_debug("%s: %s done: IQ %llu, LBISEL 0x%016llx, %u entries dropped\n", card->p.name,
		 inval_names[inv->kind], (unsigned long long)inv->iq,
		 (unsigned long long)inv->lbisel, n);
}

static void inval_set_state(struct psl_inval *inv, enum psl_inval_state state)
{
	inv->state = state;
	psl_trace_state(inv->card, inv->slice, TRACE_CTX_NONE, inval_names[inv->kind], state);
}

static void inval_done(void *arg)
{
	struct psl_inval *inv = arg;

	inval_set_state(inv, PSL_INVAL_IDLE);
	inv->nr_done++;
	inval_drop_entries(inv);
}

void psl_inval_init(struct psl_inval *inv, struct psl_card *card,
		    struct psl_slice *slice, enum psl_inval_kind kind)
{
	inv->card = card;
	inv->slice = slice;
	inv->kind = kind;
	inv->state = PSL_INVAL_IDLE;
	inv->nr_done = 0;
	sim_event_init(&inv->ev, inval_names[kind], inval_done, inv);
}

void psl_inval_reset(struct psl_inval *inv)
{
	sim_cancel(inv->card->q, &inv->ev);
	inval_set_state(inv, PSL_INVAL_IDLE);
	inv->iq = 0;
	inv->lbisel = 0;
}

/*
 * A second request while one is pending merges into it, widened to "all"
 * if its scope differs, so no requested entry survives the completion.
 */
void psl_inval_request(struct psl_inval *inv, u64 val)
{
	u64 iq = val & CXL_TLB_SLB_IQ_MASK;
	u64 lbisel = inv->card->p1[CXL_PSL_LBISEL / 8];

	if (iq == 2) {
		pr_warn("%s: %s with reserved IQ 2: invalidating everything\n",
			inv->card->p.name, inval_names[inv->kind]);
		iq = CXL_TLB_SLB_IQ_ALL;
	}
	switch (inv->state) {
	case PSL_INVAL_IDLE:
		inv->iq = iq;
		inv->lbisel = lbisel;
		inval_set_state(inv, PSL_INVAL_PENDING);
		psl_schedule(inv->card, &inv->ev, inval_latency(inv));
		break;
	case PSL_INVAL_PENDING:
		if (iq != inv->iq || lbisel != inv->lbisel)
			inv->iq = CXL_TLB_SLB_IQ_ALL;
		break;
	}
}
