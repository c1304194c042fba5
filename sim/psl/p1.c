// SPDX-License-Identifier: GPL-2.0
/*
 * P1 registers (BAR2): the adapter-wide block and each slice's P1 block,
 * with the data-cache flush and purge handshakes, the timebase, and the
 * generic register access p2.c shares.  Reference sections 2.2, 2.3, 2.5.
 */
#define pr_fmt(fmt) "psl-p1: " fmt

#include <errno.h>
#include <string.h>

#include "core/log.h"
#include "psl/psl.h"

#define REG(off) ((off) / 8)

/* ---- Generic register access ---- */

static const struct psl_reg *reg_at(const struct psl_reg *regs, unsigned int nr, u64 off)
{
	if (off % 8 || REG(off) >= nr || !regs[REG(off)].name)
		return NULL;
	return &regs[REG(off)];
}

static const char *owner(const struct psl_card *card, const struct psl_slice *s,
			 char *buf, size_t len)
{
	if (!s)
		return card->p.name;
	snprintf(buf, len, "%s slice %u", card->p.name, s->idx);
	return buf;
}

int psl_reg_read(const struct psl_reg *regs, unsigned int nr, u64 *store,
		 struct psl_card *card, struct psl_slice *slice, u64 off, u64 *val)
{
	const struct psl_reg *r = reg_at(regs, nr, off);

	if (!r)
		return -ENOENT;
	if (r->read)
		*val = r->read(card, slice);
	else
		*val = r->unmodelled ? 0 : store[REG(off)];
	return 0;
}

int psl_reg_write(const struct psl_reg *regs, unsigned int nr, u64 *store,
		  struct psl_card *card, struct psl_slice *slice, u64 off, u64 val)
{
	const struct psl_reg *r = reg_at(regs, nr, off);
	u64 *st = &store[REG(off)];
	char buf[32];

	if (!r)
		return -ENOENT;
	if (r->write) {
		r->write(card, slice, val);
	} else if (r->unmodelled) {
		card->stats.mmio_unmodelled++;
		pr_warn("%s: %s written 0x%016llx: not modelled yet, ignored\n",
			owner(card, slice, buf, sizeof(buf)), r->name, (unsigned long long)val);
	} else if (!(r->wmask | r->w1c)) {
		card->stats.mmio_ro_writes++;
		pr_debug("%s: %s is read-only; write of 0x%016llx ignored\n",
			 owner(card, slice, buf, sizeof(buf)), r->name, (unsigned long long)val);
	} else {
		*st = (*st & ~r->wmask) | (val & r->wmask);
		*st &= ~(val & r->w1c);
	}
	return 0;
}

/* ---- PSL_Control: data-cache flush (2.5.1) and timebase enable ---- */

static u64 flush_fs(const struct psl_card *card)
{
	switch (card->flush) {
	case PSL_FLUSH_BUSY:
		return card->p.fs_busy;
	case PSL_FLUSH_COMPLETE:
		return CXL_PSL_Control_Fs_Complete;
	default:
		return 0;
	}
}

static void flush_set_state(struct psl_card *card, enum psl_flush_state state)
{
	card->flush = state;
	psl_trace_state(card, NULL, TRACE_CTX_NONE, "flush", state);
}

/*
 * The model has no PSL data cache (the command engine moves lines straight
 * to and from host memory), so a flush has nothing dirty to write back: it
 * only takes its time.
 */
static void flush_step(struct psl_card *card, enum psl_flush_input in)
{
	switch (card->flush) {
	case PSL_FLUSH_IDLE:
		if (in == PSL_FLUSH_IN_SET) {
			flush_set_state(card, PSL_FLUSH_BUSY);
			psl_schedule(card, &card->flush_ev, card->p.timing.cache_flush);
		}
		break;
	case PSL_FLUSH_BUSY:
		if (in == PSL_FLUSH_IN_DONE) {
			flush_set_state(card, PSL_FLUSH_COMPLETE);
			card->stats.flushes++;
		} else if (in == PSL_FLUSH_IN_CLEAR) {
			/* Fr withdrawn mid-flush: never done by the driver; abandon it [U]. */
			sim_cancel(card->q, &card->flush_ev);
			flush_set_state(card, PSL_FLUSH_IDLE);
		}
		break;
	case PSL_FLUSH_COMPLETE:
		/* Fs clears with Fr [U]. */
		if (in == PSL_FLUSH_IN_CLEAR)
			flush_set_state(card, PSL_FLUSH_IDLE);
		break;
	}
}

static void flush_done(void *arg)
{
	flush_step(arg, PSL_FLUSH_IN_DONE);
}

static u64 control_read(struct psl_card *card, struct psl_slice *s)
{
	return card->p1[REG(CXL_PSL_Control)] | flush_fs(card);
}

static void control_write(struct psl_card *card, struct psl_slice *s, u64 val)
{
	u64 *st = &card->p1[REG(CXL_PSL_Control)];
	u64 old = *st;

	*st = val & ~CXL_PSL_Control_Fs_MASK;
	if ((old ^ val) & CXL_PSL_Control_tb)
		pr_info("%s: PSL timebase %s\n", card->p.name,
			val & CXL_PSL_Control_tb ? "enabled" : "disabled");
	if (!(old & CXL_PSL_Control_Fr) && (val & CXL_PSL_Control_Fr))
		flush_step(card, PSL_FLUSH_IN_SET);
	else if ((old & CXL_PSL_Control_Fr) && !(val & CXL_PSL_Control_Fr))
		flush_step(card, PSL_FLUSH_IN_CLEAR);
}

/* ---- PSL_Timebase (2.5.3): the host timebase plus skew once tb is set [U] ---- */

static u64 timebase_read(struct psl_card *card, struct psl_slice *s)
{
	if (!(card->p1[REG(CXL_PSL_Control)] & CXL_PSL_Control_tb))
		return 0;
	return psl_host_timebase(simq_now(card->q)) + (u64)card->p.tb_skew;
}

/* ---- Adapter-wide invalidation (2.5.4) ---- */

static u64 slbia_read(struct psl_card *card, struct psl_slice *s)
{
	return psl_inval_read(&card->slbia);
}

static void slbia_write(struct psl_card *card, struct psl_slice *s, u64 val)
{
	psl_inval_request(&card->slbia, val);
}

static u64 tlbia_read(struct psl_card *card, struct psl_slice *s)
{
	return psl_inval_read(&card->tlbia);
}

static void tlbia_write(struct psl_card *card, struct psl_slice *s, u64 val)
{
	psl_inval_request(&card->tlbia, val);
}

static const struct psl_reg p1_regs[PSL_P1_NR] = {
	PSL_REG_STORE(CXL_PSL_CtxTime),
	[REG(CXL_PSL_ErrIVTE)] = {
		.name = "CXL_PSL_ErrIVTE",
		.wmask = CXL_PSL_ErrIVTE_IVTE_MASK,
		.w1c = CXL_PSL_ErrIVTE_tberror,
	},
	PSL_REG_STORE(CXL_PSL_KEY1),
	PSL_REG_STORE(CXL_PSL_KEY2),
	PSL_REG_HOOKED(CXL_PSL_Control, control_read, control_write),
	PSL_REG_STORE(CXL_PSL_DLCNTL),
	PSL_REG_STORE(CXL_PSL_DLADDR),
	PSL_REG_STORE(CXL_PSL_LBISEL),
	PSL_REG_UNMODELLED(CXL_PSL_SLBIE),
	PSL_REG_HOOKED(CXL_PSL_SLBIA, slbia_read, slbia_write),
	PSL_REG_UNMODELLED(CXL_PSL_TLBIE),
	PSL_REG_HOOKED(CXL_PSL_TLBIA, tlbia_read, tlbia_write),
	PSL_REG_STORE(CXL_PSL_AFUSEL),
	PSL_REG_RO(CXL_PSL_FIR1),
	PSL_REG_RO(CXL_PSL_FIR2),
	PSL_REG_HOOKED(CXL_PSL_Timebase, timebase_read, NULL),
	PSL_REG_RO(CXL_PSL_VERSION),
	PSL_REG_STORE(CXL_PSL_RESLCKTO),
	PSL_REG_STORE(CXL_PSL_TB_CTLSTAT),
	PSL_REG_STORE(CXL_PSL_FIR_CNTL),
	PSL_REG_STORE(CXL_PSL_DSNDCTL),
	PSL_REG_STORE(CXL_PSL_SNWRALLOC),
	PSL_REG_STORE(CXL_PSL_TRACE),
};

/* ---- PSL_SERR_An (2.5.12) ---- */

#define SERR_STATUS (CXL_PSL_SERR_An_IRQS | CXL_PSL_SERR_An_AE)
#define SERR_RW (CXL_PSL_SERR_An_IRQ_MASKS | CXL_PSL_SERR_An_IVTE_MASK)

/* Status bits are W1C or plain stores, per serr_w1c [U]; masks and IVTE store. */
static void serr_write(struct psl_card *card, struct psl_slice *s, u64 val)
{
	u64 *st = &s->p1n[REG(CXL_PSL_SERR_An)];

	if (card->p.serr_w1c) {
		*st = (*st & ~SERR_RW) | (val & SERR_RW);
		*st &= ~(val & SERR_STATUS);
	} else {
		*st = (*st & ~(SERR_RW | SERR_STATUS)) | (val & (SERR_RW | SERR_STATUS));
	}
}

/* ---- PSL_SCNTL_An: purge (2.6.3) ---- */

#define SCNTL_RO (CXL_PSL_SCNTL_An_Ps_MASK | CXL_PSL_SCNTL_An_Ss_MASK)

static u64 purge_ps(const struct psl_slice *s)
{
	switch (s->purge) {
	case PSL_PURGE_PENDING:
	case PSL_PURGE_DRAINING:
		return CXL_PSL_SCNTL_An_Ps_Pending;
	case PSL_PURGE_COMPLETE:
		return CXL_PSL_SCNTL_An_Ps_Complete;
	default:
		return 0;
	}
}

static void purge_set_state(struct psl_slice *s, enum psl_purge_state state)
{
	s->purge = state;
	psl_trace_state(s->card, s, TRACE_CTX_NONE, "purge", state);
}

/*
 * A purge drops the slice's outstanding AFU commands (their held faults
 * go with them), presents the slice's other held faults so software can
 * answer them, and completes once none is left (reference 2.6.3: the
 * driver answers them in its poll loop); completing resets DSISR[DM/ST]
 * [S].
 */
static void purge_try_complete(struct psl_slice *s)
{
	if (!psl_fault_idle(s)) {
		purge_set_state(s, PSL_PURGE_DRAINING);
		return;
	}
	purge_set_state(s, PSL_PURGE_COMPLETE);
	s->nr_purges++;
	s->p2n[REG(CXL_PSL_DSISR_An)] &= ~(CXL_PSL_DSISR_An_DM | CXL_PSL_DSISR_An_ST);
}

static void purge_step(struct psl_slice *s, enum psl_purge_input in)
{
	struct psl_card *card = s->card;

	switch (s->purge) {
	case PSL_PURGE_IDLE:
		if (in == PSL_PURGE_IN_SET) {
			if (s->afu != PSL_AFU_DISABLED)
				pr_warn("%s slice %u: purge while the AFU is not disabled\n",
					card->p.name, s->idx);
			purge_set_state(s, PSL_PURGE_PENDING);
			psl_cmd_drop_all(s, true);
			psl_schedule(card, &s->purge_ev, card->p.timing.purge);
		}
		break;
	case PSL_PURGE_PENDING:
		if (in == PSL_PURGE_IN_DONE) {
			purge_try_complete(s);
		} else if (in == PSL_PURGE_IN_CLEAR) {
			/* Pc withdrawn mid-purge: never done by the driver; abandon it [U]. */
			sim_cancel(card->q, &s->purge_ev);
			purge_set_state(s, PSL_PURGE_IDLE);
		}
		break;
	case PSL_PURGE_DRAINING:
		if (in == PSL_PURGE_IN_FAULTS)
			purge_try_complete(s);
		else if (in == PSL_PURGE_IN_CLEAR)
			purge_set_state(s, PSL_PURGE_IDLE);
		break;
	case PSL_PURGE_COMPLETE:
		/* Ps reads 00 again once Pc is cleared [U]. */
		if (in == PSL_PURGE_IN_CLEAR)
			purge_set_state(s, PSL_PURGE_IDLE);
		break;
	}
}

void psl_purge_faults_answered(struct psl_slice *s)
{
	purge_step(s, PSL_PURGE_IN_FAULTS);
}

static void purge_done(void *arg)
{
	purge_step(arg, PSL_PURGE_IN_DONE);
}

static u64 scntl_read(struct psl_card *card, struct psl_slice *s)
{
	return s->p1n[REG(CXL_PSL_SCNTL_An)] | purge_ps(s);
}

static void scntl_write(struct psl_card *card, struct psl_slice *s, u64 val)
{
	u64 *st = &s->p1n[REG(CXL_PSL_SCNTL_An)];
	u64 old = *st;

	*st = val & ~SCNTL_RO;
	if (!(old & CXL_PSL_SCNTL_An_Sc) && (val & CXL_PSL_SCNTL_An_Sc)) {
		card->stats.mmio_unmodelled++;
		pr_warn("%s slice %u: suspend (SCNTL Sc) is not modelled; Ss stays 00\n",
			card->p.name, s->idx);
	}
	if (!(old & CXL_PSL_SCNTL_An_Pc) && (val & CXL_PSL_SCNTL_An_Pc))
		purge_step(s, PSL_PURGE_IN_SET);
	else if ((old & CXL_PSL_SCNTL_An_Pc) && !(val & CXL_PSL_SCNTL_An_Pc))
		purge_step(s, PSL_PURGE_IN_CLEAR);
}

/* ---- PSL_SPAP_An, PSL_LLCMD_An: the SPA command engine (spa.c) ---- */

static void spap_write(struct psl_card *card, struct psl_slice *s, u64 val)
{
	psl_spa_spap_write(s, val);
}

static void llcmd_write(struct psl_card *card, struct psl_slice *s, u64 val)
{
	psl_spa_llcmd_write(s, val);
}

static const struct psl_reg p1n_regs[PSL_P1N_NR] = {
	PSL_REG_STORE(CXL_PSL_SR_An),
	PSL_REG_STORE(CXL_PSL_LPID_An),
	PSL_REG_STORE(CXL_PSL_AMBAR_An),
	PSL_REG_STORE(CXL_PSL_SPOffset_An),
	PSL_REG_STORE(CXL_PSL_ID_An),
	PSL_REG_HOOKED(CXL_PSL_SERR_An, NULL, serr_write),
	PSL_REG_STORE(CXL_PSL_SDR_An),
	PSL_REG_STORE(CXL_PSL_AMOR_An),
	PSL_REG_STORE(CXL_HAURP_An),
	PSL_REG_HOOKED(CXL_PSL_SPAP_An, NULL, spap_write),
	PSL_REG_HOOKED(CXL_PSL_LLCMD_An, NULL, llcmd_write),
	PSL_REG_HOOKED(CXL_PSL_SCNTL_An, scntl_read, scntl_write),
	PSL_REG_STORE(CXL_PSL_CtxTime_An),
	PSL_REG_STORE(CXL_PSL_IVTE_Offset_An),
	PSL_REG_STORE(CXL_PSL_IVTE_Limit_An),
	PSL_REG_RO(CXL_PSL_FIR_SLICE_An),
	PSL_REG_RO(CXL_AFU_DEBUG_An),
	PSL_REG_STORE(CXL_PSL_APCALLOC_A),
	PSL_REG_STORE(CXL_PSL_COALLOC_A),
	PSL_REG_STORE(CXL_PSL_RXCTL_A),
	PSL_REG_STORE(CXL_PSL_SLICE_TRACE),
};

/* ---- The P1 window ---- */

void psl_p1_init(struct psl_card *card)
{
	unsigned int i;

	sim_event_init(&card->flush_ev, "psl-cache-flush", flush_done, card);
	psl_inval_init(&card->slbia, card, NULL, PSL_INVAL_SLB);
	psl_inval_init(&card->tlbia, card, NULL, PSL_INVAL_TLB);
	for (i = 0; i < card->p.nr_slices; i++)
		sim_event_init(&card->slice[i].purge_ev, "psl-purge", purge_done,
			       &card->slice[i]);
}

void psl_p1_reset(struct psl_card *card)
{
	unsigned int i;

	memset(card->p1, 0, sizeof(card->p1));
	sim_cancel(card->q, &card->flush_ev);
	flush_set_state(card, PSL_FLUSH_IDLE);
	psl_inval_reset(&card->slbia);
	psl_inval_reset(&card->tlbia);
	for (i = 0; i < card->p.nr_slices; i++) {
		struct psl_slice *s = &card->slice[i];

		memset(s->p1n, 0, sizeof(s->p1n));
		sim_cancel(card->q, &s->purge_ev);
		purge_set_state(s, PSL_PURGE_IDLE);
	}
}

/* The slice whose P1 block holds @offset, with @offset made relative to it. */
static struct psl_slice *p1_slice(struct psl_card *card, u64 *offset)
{
	u64 n = (*offset - CXL_P1_SLICE_BASE) / CXL_P1_SLICE_SIZE;

	if (n >= card->p.nr_slices)
		return NULL;
	*offset = (*offset - CXL_P1_SLICE_BASE) % CXL_P1_SLICE_SIZE;
	return &card->slice[n];
}

int psl_p1_read(struct psl_card *card, u64 offset, u64 *val)
{
	struct psl_slice *s;

	if (offset < CXL_P1_SLICE_BASE)
		return psl_reg_read(p1_regs, PSL_P1_NR, card->p1, card, NULL, offset, val);
	s = p1_slice(card, &offset);
	if (!s)
		return -ENOENT;
	return psl_reg_read(p1n_regs, PSL_P1N_NR, s->p1n, card, s, offset, val);
}

int psl_p1_write(struct psl_card *card, u64 offset, u64 val)
{
	struct psl_slice *s;
	int ret;

	if (offset < CXL_P1_SLICE_BASE)
		return psl_reg_write(p1_regs, PSL_P1_NR, card->p1, card, NULL, offset, val);
	s = p1_slice(card, &offset);
	if (!s)
		return -ENOENT;
	ret = psl_reg_write(p1n_regs, PSL_P1N_NR, s->p1n, card, s, offset, val);
	psl_ded_sync(s);
	return ret;
}
