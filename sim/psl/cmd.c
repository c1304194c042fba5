// SPDX-License-Identifier: GPL-2.0
/*
 * The PSL's command engine: the command, buffer and response interfaces
 * of reference 8.4 - 8.7, with translation through the issuing context,
 * the real fault path, and data moved by real address through host
 * memory a cache line at a time.
 *
 * A command lives in the slot of its tag from ah_cvalid to its ha_rvalid
 * and goes through stages (enum psl_cmd_stage):
 *
 *   accepted ─► XLATE ─► (reads)  MEM ─► BUF_WRITE ─► RESP
 *      │          │      (writes) BUF_READ ─► MEM ─► RESP
 *      │          │      (others) MEM ─► RESP
 *      │          └─► FAULT (Strict: held until TFC) ─► XLATE again, or RESP
 *      └─► RESP (refused: FAILED, CONTEXT, FLUSHED)
 *
 * Under Strict a context has at most one translation fault raised to the
 * OS at a time: its other commands that fault meanwhile wait in FAULT
 * behind it, without a fault of their own, and translate again when it
 * is answered with a restart, so the OS hears of a missing page once
 * however many commands were in flight to it.
 *
 * XLATE and MEM end at a time (@due) from the timing model: decode plus
 * the translation's work, then the DMA latency, with each line also
 * occupying the card's link for dma_line.  The buffer beats (one per
 * cycle and direction) and the responses (one per cycle) are arbitrated
 * in FIFO order.  Many commands are in flight at once, each at its own
 * stage; everything happens at the edges of the AFU's clock (job.c),
 * which runs while any command is outstanding.
 */
#define pr_fmt(fmt) "psl-cmd: " fmt

#include <errno.h>
#include <string.h>

#include "core/log.h"
#include "inject/inject.h"
#include "psl/psl.h"

#define LINE_MASK	(~(u64)(AFU_LINE_SIZE - 1))

INJECT_POINT(ip_xlate, "psl.cmd.xlate",
	     "an AFU command's translation: forced to a fault (VALUE: enum psl_xlate_status) "
	     "or its real address changed (XOR)",
	     INJECT_VALUE | INJECT_XOR);
INJECT_POINT(ip_resp, "psl.cmd.resp",
	     "an AFU command's response: lost or another code",
	     INJECT_DROP | INJECT_VALUE);

static struct trace_kind tk_cmd =
	TRACE_KIND("psl.cmd", TRACE_LVL_DEFAULT,
		   "slice:u64 tag:u64 com:u64 ea:u64 size:u64 cabt:u64 cch:u64");
static struct trace_kind tk_resp =
	TRACE_KIND("psl.resp", TRACE_LVL_DEFAULT,
		   "slice:u64 tag:u64 resp:u64 credits:s64 lat:u64");
static struct trace_kind tk_buf =
	TRACE_KIND("psl.buf", TRACE_LVL_VERBOSE, "slice:u64 tag:u64 to_afu:u64 half:u64");
static struct trace_kind tk_buf_data =
	TRACE_KIND("psl.buf.data", TRACE_LVL_VERBOSE, "slice:u64 tag:u64 to_afu:u64 data:bytes");
static struct trace_kind tk_xlate =
	TRACE_KIND("psl.cmd.xlate", TRACE_LVL_VERBOSE,
		   "slice:u64 tag:u64 ea:u64 status:u64 ra:u64 dsisr:u64 lat:u64");

/* What a command does, beside its code. */
enum psl_cmd_kind {
	CK_READ,	/* a line to the AFU's buffer */
	CK_WRITE,	/* csize bytes from the AFU's buffer */
	CK_LINE,	/* touch, push, evict, flush: a cache operation, no data */
	CK_LOCK,
	CK_UNLOCK,
	CK_INTREQ,
	CK_RESTART,
};

struct psl_cmd_desc {
	u16 com;
	u8 kind;		/* enum psl_cmd_kind */
	u8 access;		/* PSL_XLATE_*: stores set DSISR[S], lock/reservation DSISR[A] */
	const char *name;
};

/*
 * Reference 8.4.  Which commands count as stores (DSISR[S]) beyond the
 * writes is [U]; read_cl_m and touch_m do not.
 */
static const struct psl_cmd_desc cmd_descs[] = {
	{ AFU_CMD_READ_CL_S, CK_READ, PSL_XLATE_READ, "read_cl_s" },
	{ AFU_CMD_READ_CL_M, CK_READ, PSL_XLATE_READ, "read_cl_m" },
	{ AFU_CMD_READ_CL_LCK, CK_READ, PSL_XLATE_LOCK, "read_cl_lck" },
	{ AFU_CMD_READ_CL_RES, CK_READ, PSL_XLATE_LOCK, "read_cl_res" },
	{ AFU_CMD_READ_CL_NA, CK_READ, PSL_XLATE_READ, "read_cl_na" },
	{ AFU_CMD_READ_PNA, CK_READ, PSL_XLATE_READ, "read_pna" },
	{ AFU_CMD_TOUCH_I, CK_LINE, PSL_XLATE_READ, "touch_i" },
	{ AFU_CMD_TOUCH_S, CK_LINE, PSL_XLATE_READ, "touch_s" },
	{ AFU_CMD_TOUCH_M, CK_LINE, PSL_XLATE_READ, "touch_m" },
	{ AFU_CMD_WRITE_MI, CK_WRITE, PSL_XLATE_WRITE, "write_mi" },
	{ AFU_CMD_WRITE_MS, CK_WRITE, PSL_XLATE_WRITE, "write_ms" },
	{ AFU_CMD_WRITE_UNLOCK, CK_WRITE, PSL_XLATE_WRITE | PSL_XLATE_LOCK, "write_unlock" },
	{ AFU_CMD_WRITE_C, CK_WRITE, PSL_XLATE_WRITE | PSL_XLATE_LOCK, "write_c" },
	{ AFU_CMD_WRITE_NA, CK_WRITE, PSL_XLATE_WRITE, "write_na" },
	{ AFU_CMD_WRITE_INJ, CK_WRITE, PSL_XLATE_WRITE, "write_inj" },
	{ AFU_CMD_PUSH_I, CK_LINE, PSL_XLATE_READ, "push_i" },
	{ AFU_CMD_PUSH_S, CK_LINE, PSL_XLATE_READ, "push_s" },
	{ AFU_CMD_EVICT_I, CK_LINE, PSL_XLATE_READ, "evict_i" },
	{ AFU_CMD_LOCK, CK_LOCK, PSL_XLATE_LOCK, "lock" },
	{ AFU_CMD_UNLOCK, CK_UNLOCK, PSL_XLATE_READ, "unlock" },
	{ AFU_CMD_FLUSH, CK_LINE, PSL_XLATE_READ, "flush" },
	{ AFU_CMD_INTREQ, CK_INTREQ, PSL_XLATE_READ, "intreq" },
	{ AFU_CMD_RESTART, CK_RESTART, PSL_XLATE_READ, "restart" },
};

static const struct psl_cmd_desc *cmd_find(u16 com)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cmd_descs); i++)
		if (cmd_descs[i].com == com)
			return &cmd_descs[i];
	return NULL;
}

static const char *cmd_name(const struct psl_cmd *c)
{
	return c->desc ? c->desc->name : "unknown";
}

static struct psl_cmdq *cmdq(struct psl_slice *s)
{
	return &s->port.cq;
}

static u64 now(const struct psl_slice *s)
{
	return simq_now(s->card->q);
}

/* The first edge at or after @t, and after now: when a stage ending at @t is seen. */
static u64 due_at(const struct psl_slice *s, u64 t)
{
	u64 n = now(s) + 1;

	return next_edge(&psl_clock, t > n ? t : n);
}

/* ---- Lists ---- */

static void fifo_push(struct psl_fifo *f, struct psl_cmd *c)
{
	c->qnext = NULL;
	if (f->tail)
		f->tail->qnext = c;
	else
		f->head = c;
	f->tail = c;
}

static void fifo_pop(struct psl_fifo *f)
{
	f->head = f->head->qnext;
	if (!f->head)
		f->tail = NULL;
}

static void active_add(struct psl_cmdq *cq, struct psl_cmd *c)
{
	struct psl_cmd **pp = &cq->active;

	/* Acceptance order: append. Outstanding commands are few (<= croom + strays). */
	c->prev = NULL;
	while (*pp) {
		c->prev = *pp;
		pp = &(*pp)->next;
	}
	c->next = NULL;
	*pp = c;
	cq->outstanding++;
}

static void active_del(struct psl_cmdq *cq, struct psl_cmd *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		cq->active = c->next;
	if (c->next)
		c->next->prev = c->prev;
	c->prev = c->next = NULL;
	cq->outstanding--;
}

/* ---- Stages ---- */

static void cmd_set_stage(struct psl_cmd *c, enum psl_cmd_stage stage)
{
	c->stage = stage;
}

static void ctx_flush(struct psl_slice *s, struct psl_ctx *ctx);

/*
 * Give @c its response: it waits for a cycle on ha_rvalid.  AERROR,
 * DERROR and PAGED put the context in flush mode (reference 8.6: PSLSE
 * for AERROR/DERROR; PAGED as the reference recommends [U]).
 */
static void cmd_respond(struct psl_slice *s, struct psl_cmd *c, u8 code)
{
	struct psl_ctx *ctx;

	c->resp = code;
	cmd_set_stage(c, PSL_CMD_RESP);
	fifo_push(&cmdq(s)->respq, c);
	if (code != AFU_RESP_AERROR && code != AFU_RESP_DERROR && code != AFU_RESP_PAGED)
		return;
	ctx = psl_slice_ctx(s, c->cch);
	if (ctx)
		ctx_flush(s, ctx);
}

/* Hold @c for @lat (plus its link slot when @link) in the MEM stage. */
static void cmd_mem(struct psl_slice *s, struct psl_cmd *c, u64 lat, bool link)
{
	struct psl_card *card = s->card;
	u64 start = now(s);

	if (link) {
		if (card->link_free > start)
			start = card->link_free;
		card->link_free = start + card->p.timing.dma_line;
	}
	c->due = due_at(s, start + lat);
	cmd_set_stage(c, PSL_CMD_MEM);
}

static u64 xlate_time(const struct psl_timing *t, const struct psl_xlate_cost *c)
{
	return c->slb_hits * t->xlate_slb_hit + c->tlb_hits * t->xlate_tlb_hit +
	       c->ste_fetches * t->xlate_ste_fetch + c->pteg_fetches * t->xlate_pteg_fetch +
	       c->rc_writes * t->xlate_rc_write;
}

/* Build the fault an injected status stands for. */
static void inject_fault(struct psl_cmd *c, u64 status)
{
	u64 s = c->desc->access & PSL_XLATE_WRITE ? CXL_PSL_DSISR_An_S : 0;

	if (status == PSL_XLATE_OK)
		return;
	c->xf.dar = c->ea;
	c->xf.bad_ra = c->ra;
	switch (status) {
	case PSL_XLATE_SEGMENT:
		c->xf.dsisr = CXL_PSL_DSISR_An_DS;
		break;
	case PSL_XLATE_PAGE:
		c->xf.dsisr = CXL_PSL_DSISR_An_DM | CXL_PSL_DSISR_An_M | s;
		break;
	case PSL_XLATE_PROT:
		c->xf.dsisr = CXL_PSL_DSISR_An_DM | CXL_PSL_DSISR_An_P | s;
		break;
	case PSL_XLATE_STAB:
		c->xf.dsisr = CXL_PSL_DSISR_An_ST | CXL_PSL_DSISR_An_M;
		break;
	default:
		status = PSL_XLATE_BAD_RA;
		c->xf.dsisr = CXL_PSL_DSISR_An_PE;
		break;
	}
	c->xst = status;
}

/*
 * Translate @c through its context now; the result takes effect when the
 * stage ends, @extra plus the translation's work later.  Every pass walks
 * afresh (a retry after TFC R trusts no cached negative result).
 * Translations complete in the order they start [U]: a cheap one (an SLB
 * hit) never overtakes the walk ahead of it, so the first command to
 * fault is the oldest.
 */
static void cmd_xlate(struct psl_slice *s, struct psl_cmd *c, u64 extra)
{
	const struct psl_timing *t = &s->card->p.timing;
	struct psl_xlate_cost cost = { 0 };
	struct psl_ctx *ctx = psl_slice_ctx(s, c->cch);
	struct inject_action act;
	u64 lat;

	if (!ctx) {
		/* The context went (REMOVE, disable) while the command waited [U]. */
		cmd_respond(s, c, AFU_RESP_FLUSHED);
		return;
	}
	if (s->card->mem) {
		c->xst = psl_xlate(&s->xlate, &ctx->xc, c->ea, c->desc->access, &c->ra, &c->xf,
				   &cost);
	} else {
		c->xst = PSL_XLATE_BAD_RA;
		c->xf = (struct psl_xlate_fault){ .dsisr = CXL_PSL_DSISR_An_PE, .dar = c->ea,
						  .bad_ra = c->ea };
	}
	if (inject_check(&ip_xlate, &act)) {
		if (act.kind == INJECT_KIND_VALUE)
			inject_fault(c, act.value);
		else
			c->ra = inject_apply(&act, c->ra);
	}
	lat = extra + xlate_time(t, &cost);
	trace_emit(&tk_xlate, &s->card->tsrc, c->cch, TRACE_U(s->idx), TRACE_U(c->tag),
		   TRACE_U(c->ea), TRACE_U(c->xst), TRACE_U(c->ra), TRACE_U(c->xf.dsisr),
		   TRACE_U(lat));
	c->due = due_at(s, now(s) + lat);
	if (c->due < cmdq(s)->xlate_done)
		c->due = cmdq(s)->xlate_done;
	cmdq(s)->xlate_done = c->due;
	cmd_set_stage(c, PSL_CMD_XLATE);
}

/* ---- Flush mode ---- */

static void cmd_fault_done(struct psl_fault *f, enum psl_fault_resp resp);

/* Held behind its context's raised fault, with no fault of its own raised. */
static bool cmd_held(const struct psl_cmd *c)
{
	return c->stage == PSL_CMD_FAULT && !c->fault.queued;
}

/* A held command's fault, of PE *@arg (NULL: any PE). */
static bool cmd_fault_of(const struct psl_fault *f, void *arg)
{
	return f->done == cmd_fault_done && (!arg || f->pe == *(u16 *)arg);
}

/*
 * Enter flush mode: every not-yet-started command of the context gets
 * FLUSHED - those still translating, and those whose fault waits behind
 * another (a presented fault stays until software answers it, reference
 * 4.5).  Later commands are FLUSHED until restart (reference 8.6 [P]).
 */
static void ctx_flush(struct psl_slice *s, struct psl_ctx *ctx)
{
	u16 pe = ctx->xc.pe;
	struct psl_cmd *c;

	if (ctx->flushing)
		return;
	ctx->flushing = true;
	pr_debug("%s slice %u: PE %u enters flush mode\n", s->card->p.name, s->idx, pe);
	for (c = cmdq(s)->active; c; c = c->next)
		if (c->cch == pe && (c->stage == PSL_CMD_XLATE || cmd_held(c)))
			cmd_respond(s, c, AFU_RESP_FLUSHED);
	psl_fault_withdraw_if(s, false, cmd_fault_of, &pe);
}

/* ---- Faults ---- */

/* The command of context @pe whose translation fault is raised (queued or presented). */
static struct psl_cmd *ctx_fault_owner(struct psl_slice *s, u16 pe)
{
	struct psl_cmd *c;

	for (c = cmdq(s)->active; c; c = c->next)
		if (c->cch == pe && c->stage == PSL_CMD_FAULT && c->fault.queued)
			return c;
	return NULL;
}

/* TFC R: translate again from scratch; it faults again only if still missing. */
static void cmd_retranslate(struct psl_slice *s, struct psl_cmd *c)
{
	struct psl_ctx *ctx = psl_slice_ctx(s, c->cch);

	cmdq(s)->stats.retranslations++;
	if (!ctx || ctx->flushing)
		cmd_respond(s, c, AFU_RESP_FLUSHED);
	else
		cmd_xlate(s, c, 0);
}

/*
 * The context's raised fault was answered with @resp: the commands held
 * behind it translate again after a restart, in acceptance order; any
 * other answer ends them FLUSHED (after AE or C, flush mode already has).
 */
static void release_held(struct psl_slice *s, u16 pe, enum psl_fault_resp resp)
{
	struct psl_cmd *c;

	for (c = cmdq(s)->active; c; c = c->next) {
		if (c->cch != pe || !cmd_held(c))
			continue;
		if (resp == PSL_FAULT_RESTART)
			cmd_retranslate(s, c);
		else
			cmd_respond(s, c, AFU_RESP_FLUSHED);
	}
}

static void cmd_fault_done(struct psl_fault *f, enum psl_fault_resp resp)
{
	struct psl_cmd *c = container_of(f, struct psl_cmd, fault);
	struct psl_slice *s = c->s;

	if (c->stage != PSL_CMD_FAULT)
		return;		/* dropped with the AFU's reset */
	switch (resp) {
	case PSL_FAULT_RESTART:
		cmd_retranslate(s, c);
		break;
	case PSL_FAULT_AERROR:
		cmd_respond(s, c, AFU_RESP_AERROR);
		break;
	case PSL_FAULT_PAGED:
		cmd_respond(s, c, AFU_RESP_PAGED);
		break;
	case PSL_FAULT_FLUSHED:
		cmd_respond(s, c, AFU_RESP_FLUSHED);
		break;
	case PSL_FAULT_ACK:
		/* fault.c takes only R, AE or C for a translation fault. */
		pr_err("%s slice %u: translation fault acknowledged with A\n", s->card->p.name,
		       s->idx);
		cmd_respond(s, c, AFU_RESP_AERROR);
		break;
	}
	release_held(s, c->cch, resp);
}

/* The OS hears of a fault an ah_cabt Page command met, once per context [U]. */
static void raise_paged(struct psl_slice *s, struct psl_cmd *c)
{
	struct psl_ctx *ctx = psl_slice_ctx(s, c->cch);
	struct psl_fault *f;

	if (!ctx || ctx->paged.queued)
		return;
	f = &ctx->paged;
	f->pe = c->cch;
	f->dsisr = c->xf.dsisr;
	f->dar = c->xf.dar;
	f->done = NULL;
	psl_slice_raise_fault(s, f);
}

/*
 * A translation fault: what happens depends on ah_cabt (reference 8.4 [U]).
 * Under Strict the PSL raises one fault per context at a time: a command
 * that faults while its context's fault waits for the OS is held behind
 * it without a fault of its own.
 */
static void cmd_fault(struct psl_slice *s, struct psl_cmd *c)
{
	struct psl_ctx *ctx = psl_slice_ctx(s, c->cch);

	switch (s->card->p.cabt[c->cabt]) {
	case PSL_CABT_WAIT:
		c->fault.pe = c->cch;
		c->fault.dsisr = c->xf.dsisr;
		c->fault.dar = c->xf.dar;
		c->fault.done = cmd_fault_done;
		cmd_set_stage(c, PSL_CMD_FAULT);
		if (ctx_fault_owner(s, c->cch))
			break;
		cmdq(s)->stats.faults++;
		if (psl_slice_raise_fault(s, &c->fault))
			cmd_respond(s, c, AFU_RESP_FLUSHED);
		break;
	case PSL_CABT_ABORT:
		cmd_respond(s, c, AFU_RESP_FAULT);
		if (ctx)
			ctx_flush(s, ctx);
		break;
	case PSL_CABT_PAGE:
		cmdq(s)->stats.faults++;
		raise_paged(s, c);
		cmd_respond(s, c, AFU_RESP_PAGED);
		break;
	default:
		cmd_respond(s, c, AFU_RESP_FAULT);
		break;
	}
}

/* ---- Execution ---- */

/* A lock of another slice on @line: no other agent may touch it (reference 8.4). */
static bool locked_elsewhere(const struct psl_slice *s, u64 line)
{
	const struct psl_card *card = s->card;
	unsigned int i;

	for (i = 0; i < card->p.nr_slices; i++) {
		const struct psl_cmdq *o = &card->slice[i].port.cq;

		if (&card->slice[i] != s && o->lock_held && o->lock_line == line)
			return true;
	}
	return false;
}

/* Another agent wrote @line: the reservations on it are lost (reference 8.4). */
static void break_reservations(struct psl_slice *s, u64 line)
{
	struct psl_card *card = s->card;
	unsigned int i;

	for (i = 0; i < card->p.nr_slices; i++) {
		struct psl_cmdq *o = &card->slice[i].port.cq;

		if (&card->slice[i] != s && o->res_valid && o->res_line == line)
			o->res_valid = false;
	}
}

/*
 * The translated command reaches the PSL's ordering point: locks are
 * granted or declined here, in order, before any data moves.  Returns the
 * response if the command ends here, or -1 to go on.
 */
static int cmd_order(struct psl_slice *s, struct psl_cmd *c)
{
	struct psl_cmdq *cq = cmdq(s);
	u64 line = c->ra & LINE_MASK;
	bool own = cq->lock_held && cq->lock_line == line;

	if (locked_elsewhere(s, line))
		return AFU_RESP_NLOCK;
	switch (c->com) {
	case AFU_CMD_READ_CL_LCK:
	case AFU_CMD_LOCK:
		/* One lock per slice; a second is declined [U: PSL8 resources]. */
		if (cq->lock_held)
			return AFU_RESP_NLOCK;
		cq->lock_held = true;
		cq->lock_line = line;
		return -1;
	case AFU_CMD_UNLOCK:
	case AFU_CMD_WRITE_UNLOCK:
		/* Nothing to release on this line: refused, as PSLSE's test AFUs expect [P/U]. */
		return own ? -1 : AFU_RESP_FAILED;
	case AFU_CMD_EVICT_I:
		if (own && cq->res_valid && cq->res_line == line)
			return AFU_RESP_NRES;
		return own ? AFU_RESP_NLOCK : -1;
	case AFU_CMD_PUSH_I:
	case AFU_CMD_PUSH_S:
		return own ? AFU_RESP_NLOCK : -1;
	default:
		return -1;
	}
}

static void release_lock(struct psl_cmdq *cq, u64 line)
{
	if (cq->lock_held && cq->lock_line == line)
		cq->lock_held = false;
}

/* A data error: DERROR, and the bad-RA error registers (reference 6 [U]). */
static void cmd_derror(struct psl_slice *s, struct psl_cmd *c, u64 ra)
{
	release_lock(cmdq(s), c->ra & LINE_MASK);
	psl_err_bad_ra(s, c->cch, ra);
	cmd_respond(s, c, AFU_RESP_DERROR);
}

/* The XLATE stage ended. */
static void cmd_translated(struct psl_slice *s, struct psl_cmd *c)
{
	const struct psl_timing *t = &s->card->p.timing;
	int resp;

	if (c->xst == PSL_XLATE_BAD_RA) {
		cmd_derror(s, c, c->xf.bad_ra);
		return;
	}
	if (c->xst != PSL_XLATE_OK) {
		cmd_fault(s, c);
		return;
	}
	resp = cmd_order(s, c);
	if (resp >= 0) {
		cmd_respond(s, c, resp);
		return;
	}
	switch (c->desc->kind) {
	case CK_READ:
		cmd_mem(s, c, t->dma_read, true);
		break;
	case CK_WRITE:
		c->halves = 0;
		c->got = 0;
		c->bad_parity = false;
		cmd_set_stage(c, PSL_CMD_BUF_READ);
		fifo_push(&cmdq(s)->brq, c);
		break;
	default:
		cmd_mem(s, c, t->cache_op, false);
		break;
	}
}

static void cmd_read_line(struct psl_slice *s, struct psl_cmd *c)
{
	struct psl_cmdq *cq = cmdq(s);
	u64 line = c->ra & LINE_MASK;

	if (mem_read(s->card->mem, line, c->buf, AFU_LINE_SIZE)) {
		cmd_derror(s, c, line);
		return;
	}
	cq->stats.bytes_read += AFU_LINE_SIZE;
	if (c->com == AFU_CMD_READ_CL_RES) {
		cq->res_valid = true;
		cq->res_line = line;
	}
	c->resp = AFU_RESP_DONE;
	c->halves = 0;
	cmd_set_stage(c, PSL_CMD_BUF_WRITE);
	fifo_push(&cq->bwq, c);
}

/* The data of a write command is in: commit it (write_c only with the reservation). */
static void cmd_write_line(struct psl_slice *s, struct psl_cmd *c)
{
	struct psl_cmdq *cq = cmdq(s);
	u64 line = c->ra & LINE_MASK;

	if (c->com == AFU_CMD_WRITE_C) {
		bool held = cq->res_valid && cq->res_line == line;

		cq->res_valid = false;
		if (!held) {
			cmd_respond(s, c, AFU_RESP_NRES);
			return;
		}
	}
	if (mem_write(s->card->mem, c->ra, c->buf + (c->ea & ~LINE_MASK), c->size)) {
		cmd_derror(s, c, c->ra);
		return;
	}
	cq->stats.bytes_written += c->size;
	break_reservations(s, line);
	if (c->com == AFU_CMD_WRITE_UNLOCK)
		release_lock(cq, line);
	cmd_respond(s, c, AFU_RESP_DONE);
}

/* intreq: @ea is the LISN (reference 5.3); out of range is FAILED [P]. */
static u8 cmd_intreq(struct psl_slice *s, struct psl_cmd *c)
{
	if (c->ea > UINT32_MAX) {
		s->card->stats.irq_badsrc++;
		psl_err_serr(s, CXL_PSL_SERR_An_badsrc);
		return AFU_RESP_FAILED;
	}
	return psl_afu_irq(s, c->cch, c->ea) ? AFU_RESP_FAILED : AFU_RESP_DONE;
}

/* The MEM stage ended: the memory, cache or interrupt operation happens now. */
static void cmd_execute(struct psl_slice *s, struct psl_cmd *c)
{
	switch (c->desc->kind) {
	case CK_READ:
		cmd_read_line(s, c);
		break;
	case CK_WRITE:
		if (c->bad_parity) {
			/* Bad ah_brpar: the data is not written [U: PSLSE errors]. */
			release_lock(cmdq(s), c->ra & LINE_MASK);
			cmdq(s)->stats.parity++;
			psl_err_parity(s, c->cch);
			cmd_respond(s, c, AFU_RESP_FAILED);
		} else {
			cmd_write_line(s, c);
		}
		break;
	case CK_UNLOCK:
		release_lock(cmdq(s), c->ra & LINE_MASK);
		cmd_respond(s, c, AFU_RESP_DONE);
		break;
	case CK_INTREQ:
		cmd_respond(s, c, cmd_intreq(s, c));
		break;
	default:
		/* touch, push, evict, flush, lock, restart: no cache to act on [U]. */
		cmd_respond(s, c, AFU_RESP_DONE);
		break;
	}
}

/* ---- Acceptance ---- */

static bool cmd_parity_ok(const struct afu_out *o)
{
	return o->ctagpar == afu_parity64(o->ctag) && o->compar == afu_parity64(o->com) &&
	       o->ceapar == afu_parity64(o->cea);
}

static bool cmd_has_data(const struct psl_cmd *c)
{
	return c->desc->kind == CK_READ || c->desc->kind == CK_WRITE;
}

/* Sizes 1..128, a power of two, naturally aligned: within one line [P/U]. */
static bool cmd_size_ok(const struct psl_cmd *c)
{
	return c->size && c->size <= AFU_LINE_SIZE && !(c->size & (c->size - 1)) &&
	       !(c->ea & (c->size - 1));
}

static int refuse(struct psl_slice *s, struct psl_cmd *c, u64 *counter, u8 resp,
		  const char *why)
{
	(*counter)++;
	pr_warn("%s slice %u: %s (0x%04x) tag %u PE %u EA 0x%llx size %u: %s\n",
		s->card->p.name, s->idx, cmd_name(c), c->com, c->tag, c->cch,
		(unsigned long long)c->ea, c->size, why);
	return resp;
}

/* The context a command names (reference 3.4, 8.6): a response if it is refused. */
static int cmd_context(struct psl_slice *s, struct psl_cmd *c, struct psl_ctx **ctxp)
{
	struct psl_cmdq *cq = cmdq(s);
	enum psl_mode mode = psl_slice_mode(s);
	struct psl_ctx *ctx;

	if ((mode == PSL_MODE_DEDICATED && c->cch) || c->cch >= s->card->p.num_of_processes) {
		psl_err_illegal_cmd(s, -1);
		return refuse(s, c, &cq->stats.bad_ctx, AFU_RESP_CONTEXT, "bad context handle");
	}
	ctx = psl_slice_ctx(s, c->cch);
	if (!ctx) {
		psl_err_illegal_cmd(s, -1);
		return refuse(s, c, &cq->stats.bad_ctx, AFU_RESP_FAILED, "context not attached");
	}
	*ctxp = ctx;
	/* Terminated or suspended: no new work, but not the AFU's fault [U]. */
	if (ctx->state != PSL_PE_ACTIVE && c->com != AFU_CMD_RESTART)
		return AFU_RESP_FLUSHED;
	return -1;
}

/* Everything that refuses a command at acceptance, in order; -1 accepts. */
static int cmd_check(struct psl_slice *s, struct psl_cmd *c, const struct afu_out *o,
		     struct psl_ctx **ctxp)
{
	struct psl_cmdq *cq = cmdq(s);
	int resp;

	if (cq->outstanding > s->card->p.croom) {
		psl_err_serr(s, CXL_PSL_SERR_An_afuov);
		return refuse(s, c, &cq->stats.no_credit, AFU_RESP_FAILED,
			      "no credit left (SERR afuov)");
	}
	if (o->paren && !cmd_parity_ok(o)) {
		struct psl_ctx *ctx = psl_slice_ctx(s, c->cch);

		psl_err_parity(s, ctx ? (int)c->cch : -1);
		return refuse(s, c, &cq->stats.parity, AFU_RESP_FAILED, "bad command parity");
	}
	if (s->port.job.state != PSL_JOB_RUNNING)
		return refuse(s, c, &cq->stats.not_running, AFU_RESP_FAILED,
			      "the AFU is not running");
	resp = cmd_context(s, c, ctxp);
	if (resp >= 0)
		return resp;
	if (!c->desc || s->card->p.cabt[c->cabt] == PSL_CABT_ILLEGAL ||
	    (cmd_has_data(c) && !cmd_size_ok(c))) {
		psl_err_illegal_cmd(s, c->cch);
		return refuse(s, c, &cq->stats.illegal, AFU_RESP_FAILED,
			      !c->desc ? "unknown command" :
			      !cmd_has_data(c) || cmd_size_ok(c) ? "reserved ah_cabt" :
			      "bad size or alignment");
	}
	if ((*ctxp)->flushing && c->com != AFU_CMD_RESTART)
		return AFU_RESP_FLUSHED;
	return -1;
}

static void cmd_accept(struct psl_slice *s)
{
	const struct psl_timing *t = &s->card->p.timing;
	const struct afu_out *o = &s->port.out;
	struct psl_cmdq *cq = cmdq(s);
	struct psl_cmd *c = &cq->cmd[o->ctag];
	struct psl_ctx *ctx = NULL;
	int resp;

	cq->stats.cmds++;
	trace_emit(&tk_cmd, &s->card->tsrc, o->cch, TRACE_U(s->idx), TRACE_U(o->ctag),
		   TRACE_U(o->com), TRACE_U(o->cea), TRACE_U(o->csize), TRACE_U(o->cabt),
		   TRACE_U(o->cch));
	if (c->stage != PSL_CMD_FREE) {
		/* No response: the tag's first command still owns it [U]. */
		cq->stats.dup_tags++;
		pr_warn("%s slice %u: command 0x%04x on busy tag %u: dropped (SERR afudup)\n",
			s->card->p.name, s->idx, o->com, o->ctag);
		psl_err_serr(s, CXL_PSL_SERR_An_afudup);
		return;
	}
	c->tag = o->ctag;
	c->com = o->com & 0x1FFF;
	c->cabt = o->cabt & (PSL_NR_CABT - 1);
	c->ea = o->cea;
	c->cch = o->cch;
	c->size = o->csize & 0xFFF;
	c->desc = cmd_find(c->com);
	c->t_accept = now(s);
	c->ra = 0;
	active_add(cq, c);
	resp = cmd_check(s, c, o, &ctx);
	if (resp >= 0) {
		cmd_respond(s, c, resp);
		return;
	}
	switch (c->desc->kind) {
	case CK_RESTART:
		/* The DONE of restart ends flush mode (reference 8.6). */
		ctx->flushing = false;
		cmd_mem(s, c, t->cmd_decode, false);
		break;
	case CK_INTREQ:
		cmd_mem(s, c, t->cmd_decode + t->intreq, false);
		break;
	default:
		cmd_xlate(s, c, t->cmd_decode);
		break;
	}
}

/* ---- The edge ---- */

/* Write data asked for ah_brlat edges ago arrives now (afu.h timing). */
static void cmd_capture(struct psl_slice *s)
{
	struct psl_port *pt = &s->port;
	struct psl_cmdq *cq = &pt->cq;
	unsigned int slot = pt->edges % PSL_BR_DELAY;
	struct psl_cmd *c;
	u8 half;

	if (!cq->br_line[slot].valid)
		return;
	cq->br_line[slot].valid = false;
	c = &cq->cmd[cq->br_line[slot].tag];
	half = cq->br_line[slot].half;
	if (c->stage != PSL_CMD_BUF_READ)
		return;
	memcpy(c->buf + half * AFU_HALF_LINE, pt->out.brdata, AFU_HALF_LINE);
	if (pt->out.paren && pt->out.brpar != afu_parity_half(pt->out.brdata))
		c->bad_parity = true;
	trace_emit(&tk_buf_data, &s->card->tsrc, c->cch, TRACE_U(s->idx), TRACE_U(c->tag),
		   TRACE_U(0), TRACE_BYTES(pt->out.brdata, AFU_HALF_LINE));
	if (++c->got == 2)
		cmd_mem(s, c, s->card->p.timing.dma_write, true);
}

void psl_cmd_sample(struct psl_slice *s)
{
	cmd_capture(s);
	if (s->port.out.cvalid)
		cmd_accept(s);
}

void psl_cmd_advance(struct psl_slice *s)
{
	u64 t = now(s);
	struct psl_cmd *c;

	for (c = cmdq(s)->active; c; c = c->next) {
		if (c->due > t)
			continue;
		if (c->stage == PSL_CMD_XLATE)
			cmd_translated(s, c);
		else if (c->stage == PSL_CMD_MEM)
			cmd_execute(s, c);
	}
}

static void drive_response(struct psl_slice *s)
{
	struct psl_cmdq *cq = cmdq(s);
	struct afu_in *in = &s->port.in;
	struct psl_cmd *c = cq->respq.head;
	struct inject_action act;
	bool drop = false;
	u8 code;

	if (!c)
		return;
	fifo_pop(&cq->respq);
	code = c->resp;
	if (inject_check(&ip_resp, &act)) {
		drop = act.kind == INJECT_KIND_DROP;
		code = inject_apply(&act, code);
	}
	trace_emit(&tk_resp, &s->card->tsrc, c->cch, TRACE_U(s->idx), TRACE_U(c->tag),
		   TRACE_U(code), TRACE_S(drop ? 0 : 1), TRACE_U(now(s) - c->t_accept));
	cmd_set_stage(c, PSL_CMD_FREE);
	active_del(cq, c);
	if (drop) {
		cq->stats.resp_dropped++;
		return;
	}
	cq->stats.resp[code & 0xF]++;
	in->rvalid = 1;
	in->rtag = c->tag;
	in->rtagpar = afu_parity64(c->tag);
	in->response = code;
	in->rcredits = 1;
	in->rcachestate = 0;
	in->rcachepos = 0;
}

static void buf_trace(struct psl_slice *s, const struct psl_cmd *c, bool to_afu, u8 half)
{
	trace_emit(&tk_buf, &s->card->tsrc, c->cch, TRACE_U(s->idx), TRACE_U(c->tag),
		   TRACE_U(to_afu), TRACE_U(half));
}

/* One buffer read (ha_brvalid); its data is sampled ah_brlat edges later. */
static void drive_buf_read(struct psl_slice *s)
{
	struct psl_port *pt = &s->port;
	struct psl_cmdq *cq = &pt->cq;
	struct psl_cmd *c = cq->brq.head;
	u8 lat = pt->out.brlat;

	if (!c)
		return;
	if (lat != 1 && lat != 3) {
		if (!cq->stats.brlat_bad++)
			pr_warn("%s slice %u: ah_brlat %u: PSL8 accepts 1 or 3\n",
				s->card->p.name, s->idx, lat);
		if (!lat || lat >= PSL_BR_DELAY)
			lat = 1;
	}
	pt->in.brvalid = 1;
	pt->in.brtag = c->tag;
	pt->in.brtagpar = afu_parity64(c->tag);
	pt->in.brad = c->halves;
	cq->br_line[(pt->edges + lat) % PSL_BR_DELAY].valid = true;
	cq->br_line[(pt->edges + lat) % PSL_BR_DELAY].tag = c->tag;
	cq->br_line[(pt->edges + lat) % PSL_BR_DELAY].half = c->halves;
	buf_trace(s, c, false, c->halves);
	if (++c->halves == 2)
		fifo_pop(&cq->brq);
}

/* One buffer write (ha_bwvalid); the response follows the second half. */
static void drive_buf_write(struct psl_slice *s)
{
	struct psl_cmdq *cq = cmdq(s);
	struct afu_in *in = &s->port.in;
	struct psl_cmd *c = cq->bwq.head;
	const u8 *half;

	if (!c)
		return;
	half = c->buf + c->halves * AFU_HALF_LINE;
	in->bwvalid = 1;
	in->bwtag = c->tag;
	in->bwtagpar = afu_parity64(c->tag);
	in->bwad = c->halves;
	memcpy(in->bwdata, half, AFU_HALF_LINE);
	in->bwpar = afu_parity_half(half);
	buf_trace(s, c, true, c->halves);
	trace_emit(&tk_buf_data, &s->card->tsrc, c->cch, TRACE_U(s->idx), TRACE_U(c->tag),
		   TRACE_U(1), TRACE_BYTES(half, AFU_HALF_LINE));
	if (++c->halves < 2)
		return;
	fifo_pop(&cq->bwq);
	cmd_respond(s, c, c->resp);
}

/* Responses go first, so one queued by this edge's last beat goes out at the next. */
void psl_cmd_drive(struct psl_slice *s)
{
	drive_response(s);
	drive_buf_read(s);
	drive_buf_write(s);
}

/* ---- Init and reset ---- */

void psl_cmd_init(struct psl_slice *s)
{
	unsigned int i;

	for (i = 0; i < PSL_NR_TAGS; i++)
		cmdq(s)->cmd[i].s = s;
}

void psl_cmd_drop_all(struct psl_slice *s, bool keep_faults)
{
	struct psl_cmdq *cq = cmdq(s);
	struct psl_cmd *c, *next;

	/* Free every slot first, so withdrawn faults find nothing to answer. */
	for (c = cq->active; c; c = c->next)
		cmd_set_stage(c, PSL_CMD_FREE);
	if (keep_faults && psl_fault_adopt_if(s, cmd_fault_of, NULL))
		pr_err("%s slice %u: out of memory: raised faults withdrawn\n", s->card->p.name,
		       s->idx);
	psl_fault_withdraw_if(s, true, cmd_fault_of, NULL);
	for (c = cq->active; c; c = next) {
		next = c->next;
		cq->stats.dropped++;
		c->prev = c->next = c->qnext = NULL;
	}
	cq->active = NULL;
	cq->outstanding = 0;
	cq->bwq = (struct psl_fifo){ NULL, NULL };
	cq->brq = (struct psl_fifo){ NULL, NULL };
	cq->respq = (struct psl_fifo){ NULL, NULL };
	memset(cq->br_line, 0, sizeof(cq->br_line));
	cq->res_valid = false;
	cq->lock_held = false;
}
