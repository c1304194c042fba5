// SPDX-License-Identifier: GPL-2.0
/*
 * The PSL's fault registers: DSISR, DAR and PEHandle present one fault
 * per slice at a time, stable until software answers through PSL_TFC_An
 * (or, for a PSL error, a DSISR store), then the next queued fault is
 * presented.  Reference 2.5.13 - 2.5.15, 4.5, 4.6.
 */
#define pr_fmt(fmt) "psl-fault: " fmt

#include <errno.h>
#include <stdlib.h>

#include "core/log.h"
#include "inject/inject.h"
#include "psl/psl.h"

#define REG(off) ((off) / 8)

INJECT_POINT(ip_dsisr, "psl.fault.dsisr",
	     "the DSISR value a fault presents", INJECT_VALUE | INJECT_XOR);
INJECT_POINT(ip_dar, "psl.fault.dar",
	     "the DAR value a fault presents", INJECT_VALUE | INJECT_XOR);

static struct trace_kind tk_present =
	TRACE_KIND("psl.fault", TRACE_LVL_DEFAULT, "slice:u64 pe:u64 dsisr:u64 dar:u64");
static struct trace_kind tk_answer =
	TRACE_KIND("psl.fault.answer", TRACE_LVL_DEFAULT, "slice:u64 pe:u64 tfc:s64 resp:u64");

static const char *const tfc_names[] = { "A", "C", "AE", "R" };

static bool is_translation(u64 dsisr)
{
	return dsisr & CXL_PSL_DSISR_TRANS;
}

/* Enter @f's values in the registers and raise its context's PSL interrupt. */
static void present(struct psl_slice *s, struct psl_fault *f)
{
	struct psl_card *card = s->card;
	struct inject_action act;
	u64 dsisr = f->dsisr, dar = f->dar;
	struct psl_ctx *ctx;

	if (inject_check(&ip_dsisr, &act))
		dsisr = inject_apply(&act, dsisr);
	if (inject_check(&ip_dar, &act))
		dar = inject_apply(&act, dar);
	s->p2n[REG(CXL_PSL_DSISR_An)] = dsisr;
	s->p2n[REG(CXL_PSL_DAR_An)] = dar;
	s->p2n[REG(CXL_PSL_PEHandle_An)] = f->pe;
	s->faults.shown_dsisr = dsisr;
	s->faults.state = PSL_FAULTS_PRESENTED;
	trace_emit(&tk_present, &card->tsrc, f->pe, TRACE_U(s->idx), TRACE_U(f->pe),
		   TRACE_U(dsisr), TRACE_U(dar));
	ctx = psl_slice_ctx(s, f->pe);
	if (!ctx || psl_ctx_psl_irq(ctx)) {
		card->stats.irq_lost++;
		pr_warn("%s slice %u: fault of PE %u presented, but %s: no interrupt\n",
			card->p.name, s->idx, f->pe,
			ctx ? "its context has no range 0" : "its context is gone");
	}
}

static void present_next(struct psl_slice *s)
{
	if (s->faults.state == PSL_FAULTS_IDLE && s->faults.head)
		present(s, s->faults.head);
}

/* Unlink @f, whose predecessor is @prev (NULL: the head). */
static void unlink_fault(struct psl_faultq *fq, struct psl_fault *prev, struct psl_fault *f)
{
	if (prev)
		prev->next = f->next;
	else
		fq->head = f->next;
	if (fq->tail == f)
		fq->tail = prev;
	f->next = NULL;
	f->queued = false;
}

/* Clear the registers of the presented head; the queue is software's again. */
static void unpresent(struct psl_slice *s)
{
	s->p2n[REG(CXL_PSL_DSISR_An)] = 0;
	s->p2n[REG(CXL_PSL_DAR_An)] = 0;
	s->p2n[REG(CXL_PSL_PEHandle_An)] = 0;
	s->faults.state = PSL_FAULTS_IDLE;
}

/*
 * @f is out of the queue: tell its owner, then whoever waits for the
 * slice's faults, then present the next.  The owner may raise again.
 */
static void finish(struct psl_slice *s, struct psl_fault *f, enum psl_fault_resp resp)
{
	if (f->done)
		f->done(f, resp);
	psl_spa_fault_answered(s);
	psl_purge_faults_answered(s);
	present_next(s);
}

/* @tfc: the TFC bit (0 A, 1 C, 2 AE, 3 R), or -1 for none (a DSISR store, a flush). */
static void trace_answer(struct psl_slice *s, struct psl_fault *f, enum psl_fault_resp resp,
			 int tfc)
{
	trace_emit(&tk_answer, &s->card->tsrc, f->pe, TRACE_U(s->idx), TRACE_U(f->pe),
		   TRACE_S(tfc), TRACE_U(resp));
}

/* Software answered the presented head with @resp. */
static void answer(struct psl_slice *s, enum psl_fault_resp resp, int tfc)
{
	struct psl_fault *f = s->faults.head;

	trace_answer(s, f, resp, tfc);
	unlink_fault(&s->faults, NULL, f);
	unpresent(s);
	s->faults.nr_answered++;
	finish(s, f, resp);
}

int psl_slice_raise_fault(struct psl_slice *s, struct psl_fault *f)
{
	struct psl_faultq *fq = &s->faults;

	if (f->queued)
		return -EBUSY;
	if (!(f->dsisr & CXL_PSL_DSISR_PENDING))
		return -EINVAL;
	if (!psl_slice_ctx(s, f->pe))
		return -ENOENT;
	f->next = NULL;
	f->queued = true;
	if (fq->tail)
		fq->tail->next = f;
	else
		fq->head = f;
	fq->tail = f;
	fq->nr_raised++;
	present_next(s);
	return 0;
}

void psl_fault_withdraw(struct psl_slice *s, struct psl_fault *f)
{
	struct psl_fault *prev = NULL, *p;

	if (!f->queued)
		return;
	for (p = s->faults.head; p != f; p = p->next)
		prev = p;
	if (!prev && s->faults.state == PSL_FAULTS_PRESENTED)
		unpresent(s);
	trace_answer(s, f, PSL_FAULT_FLUSHED, -1);
	unlink_fault(&s->faults, prev, f);
	s->faults.nr_flushed++;
	finish(s, f, PSL_FAULT_FLUSHED);
}

void psl_fault_withdraw_if(struct psl_slice *s, bool presented,
			   bool (*match)(const struct psl_fault *f, void *arg), void *arg)
{
	struct psl_fault *prev = NULL, *f, *next, *gone = NULL, **tail = &gone;

	for (f = s->faults.head; f; f = next) {
		bool shown = !prev && s->faults.state == PSL_FAULTS_PRESENTED;

		next = f->next;
		if (!match(f, arg) || (shown && !presented)) {
			prev = f;
			continue;
		}
		if (shown)
			unpresent(s);
		trace_answer(s, f, PSL_FAULT_FLUSHED, -1);
		unlink_fault(&s->faults, prev, f);
		s->faults.nr_flushed++;
		*tail = f;
		tail = &f->next;
	}
	/* Owners hear of it only now: none of them is presented on the way. */
	while ((f = gone)) {
		gone = f->next;
		f->next = NULL;
		if (f->done)
			f->done(f, PSL_FAULT_FLUSHED);
	}
	psl_spa_fault_answered(s);
	psl_purge_faults_answered(s);
	present_next(s);
}

/* An adopted fault was answered: nobody waits for it. */
static void adopted_done(struct psl_fault *f, enum psl_fault_resp resp)
{
	free(f);
}

int psl_fault_adopt_if(struct psl_slice *s,
		       bool (*match)(const struct psl_fault *f, void *arg), void *arg)
{
	struct psl_fault *prev = NULL, *f, *copy;

	for (f = s->faults.head; f; prev = f, f = f->next) {
		if (!match(f, arg))
			continue;
		copy = malloc(sizeof(*copy));
		if (!copy)
			return -ENOMEM;
		*copy = *f;
		copy->done = adopted_done;
		if (prev)
			prev->next = copy;
		else
			s->faults.head = copy;
		if (s->faults.tail == f)
			s->faults.tail = copy;
		f->next = NULL;
		f->queued = false;
		f = copy;
	}
	return 0;
}

static bool fault_of_pe(const struct psl_fault *f, void *arg)
{
	return f->pe == *(u16 *)arg;
}

void psl_fault_flush_pe(struct psl_slice *s, u16 pe)
{
	psl_fault_withdraw_if(s, true, fault_of_pe, &pe);
}

bool psl_fault_pending_pe(const struct psl_slice *s, u16 pe)
{
	const struct psl_fault *f;

	for (f = s->faults.head; f; f = f->next)
		if (f->pe == pe)
			return true;
	return false;
}

/* PERST: every fault dropped, the queue and counters back to power-on. */
void psl_fault_reset(struct psl_slice *s)
{
	struct psl_fault *f;

	while ((f = s->faults.head)) {
		unlink_fault(&s->faults, NULL, f);
		if (f->done)
			f->done(f, PSL_FAULT_FLUSHED);
	}
	s->faults = (struct psl_faultq){ .state = PSL_FAULTS_IDLE };
}

/* Which answer a single TFC bit gives, or -EINVAL if it answers nothing here. */
static int tfc_resp(u64 val, bool translation, enum psl_fault_resp *resp, int *bit)
{
	switch (val) {
	case CXL_PSL_TFC_An_R:
		*resp = PSL_FAULT_RESTART;
		*bit = 3;
		return translation ? 0 : -EINVAL;
	case CXL_PSL_TFC_An_AE:
		*resp = PSL_FAULT_AERROR;
		*bit = 2;
		return translation ? 0 : -EINVAL;
	case CXL_PSL_TFC_An_C:
		*resp = PSL_FAULT_PAGED;
		*bit = 1;
		return translation ? 0 : -EINVAL;
	case CXL_PSL_TFC_An_A:
		*resp = PSL_FAULT_ACK;
		*bit = 0;
		return translation ? -EINVAL : 0;
	default:
		*bit = -1;
		return -EINVAL;
	}
}

/*
 * PSL_TFC_An is write-only and carries one bit per write.  R, AE and C
 * answer a translation fault (DS, DM, ST or UR presented); A answers any
 * other (PE, AE, OC).  A write that answers nothing presented is logged
 * and counted, and the fault stays [U: reference 2.5.14 gives no other
 * behaviour].
 */
void psl_fault_tfc_write(struct psl_slice *s, u64 val)
{
	struct psl_card *card = s->card;
	enum psl_fault_resp resp;
	bool translation;
	int bit;

	if (s->faults.state != PSL_FAULTS_PRESENTED) {
		s->faults.tfc_stray++;
		pr_warn("%s slice %u: TFC 0x%016llx with no fault presented: ignored\n",
			card->p.name, s->idx, (unsigned long long)val);
		return;
	}
	translation = is_translation(s->faults.shown_dsisr);
	if (tfc_resp(val, translation, &resp, &bit)) {
		s->faults.tfc_mismatch++;
		pr_warn("%s slice %u: TFC 0x%016llx answers no %s fault (DSISR 0x%016llx): ignored\n",
			card->p.name, s->idx, (unsigned long long)val,
			translation ? "translation" : "non-translation",
			(unsigned long long)s->faults.shown_dsisr);
		return;
	}
	pr_debug("%s slice %u: TFC %s answers PE %u\n", card->p.name, s->idx,
		 tfc_names[bit], s->faults.head->pe);
	answer(s, resp, bit);
}

/*
 * A DSISR store replaces the register [K/U].  The driver acknowledges a
 * PSL error that way (DSISR & ~PE): a store that leaves a presented
 * non-translation fault without any pending bit answers it.
 */
void psl_fault_dsisr_write(struct psl_slice *s, u64 val)
{
	s->p2n[REG(CXL_PSL_DSISR_An)] = val;
	if (s->faults.state != PSL_FAULTS_PRESENTED || is_translation(s->faults.shown_dsisr) ||
	    (val & CXL_PSL_DSISR_PENDING))
		return;
	answer(s, PSL_FAULT_ACK, -1);
}
