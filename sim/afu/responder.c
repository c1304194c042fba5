// SPDX-License-Identifier: GPL-2.0
/*
 * The test and bench responder: the PSL side of the AFU port, reduced to
 * what unit tests and speed measurements of an AFU need.  See
 * afu/responder.h for what it does and does not do; the PSL model's own
 * command engine lives in sim/psl/.
 *
 * One cycle: present the job command, MMIO request, buffer beats and
 * response due now; tick the AFU (unless its clock may stop); take its
 * job strobes, MMIO acknowledge, delayed write data and new command.
 */
#define pr_fmt(fmt) "responder: " fmt

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "afu/responder.h"
#include "core/log.h"

#define NO_CODE		0xFF	/* a command's verdict is not decided yet */

enum cmd_class {
	CLASS_BAD,		/* unknown code: FAILED */
	CLASS_READ,		/* data to the AFU */
	CLASS_WRITE,		/* data from the AFU */
	CLASS_LINE,		/* an address, no data */
	CLASS_INTREQ,
	CLASS_RESTART,
};

static enum cmd_class classify(u16 com)
{
	switch (com) {
	case AFU_CMD_READ_CL_S:
	case AFU_CMD_READ_CL_M:
	case AFU_CMD_READ_CL_LCK:
	case AFU_CMD_READ_CL_RES:
	case AFU_CMD_READ_CL_NA:
	case AFU_CMD_READ_PNA:
		return CLASS_READ;
	case AFU_CMD_WRITE_MI:
	case AFU_CMD_WRITE_MS:
	case AFU_CMD_WRITE_UNLOCK:
	case AFU_CMD_WRITE_C:
	case AFU_CMD_WRITE_NA:
	case AFU_CMD_WRITE_INJ:
		return CLASS_WRITE;
	case AFU_CMD_TOUCH_I:
	case AFU_CMD_TOUCH_S:
	case AFU_CMD_TOUCH_M:
	case AFU_CMD_PUSH_I:
	case AFU_CMD_PUSH_S:
	case AFU_CMD_EVICT_I:
	case AFU_CMD_LOCK:
	case AFU_CMD_UNLOCK:
	case AFU_CMD_FLUSH:
		return CLASS_LINE;
	case AFU_CMD_INTREQ:
		return CLASS_INTREQ;
	case AFU_CMD_RESTART:
		return CLASS_RESTART;
	default:
		return CLASS_BAD;
	}
}

void responder_params_defaults(struct responder_params *p)
{
	memset(p, 0, sizeof(*p));
	p->croom = 64;
	p->lat_min = 1;
	p->lat_max = 1;
	p->timeout = 100000;
}

static void reset_state(struct responder *r)
{
	memset(r->cmd, 0, sizeof(r->cmd));
	r->rdq.n = r->wrq.n = r->nq.n = 0;
	r->bw_tag = r->br_tag = -1;
	memset(r->brq, 0, sizeof(r->brq));
	r->resp_n = 0;
	r->credits = r->p.croom;
	r->outstanding = 0;
	r->lock_held = r->res_held = false;
	r->llcmd_wait = false;
	r->mmio = RESP_MMIO_IDLE;
}

int responder_init(struct responder *r, struct afu *afu, struct host_mem *mem,
		   const struct responder_params *p)
{
	memset(r, 0, sizeof(*r));
	if (p)
		r->p = *p;
	else
		responder_params_defaults(&r->p);
	if (!r->p.croom || r->p.croom > 255 || !r->p.lat_min ||
	    r->p.lat_max < r->p.lat_min || !r->p.timeout)
		return -EINVAL;
	r->afu = afu;
	r->mem = mem;
	rng_init(&r->rng, r->p.seed, "responder");
	r->in.croom = r->p.croom;
	r->job = RESP_JOB_HELD;
	reset_state(r);
	return 0;
}

static void free_ctx_arrays(struct responder *r)
{
	free(r->ctx_added);
	free(r->ctx_flush);
	free(r->ctx_cmds);
	r->ctx_added = r->ctx_flush = NULL;
	r->ctx_cmds = NULL;
}

void responder_exit(struct responder *r)
{
	free_ctx_arrays(r);
}

/* --- queues ------------------------------------------------------------- */

/* Insert @tag in ready order; ties keep arrival order. */
static void q_insert(struct responder *r, struct resp_queue *q, u8 tag)
{
	u64 ready = r->cmd[tag].ready;
	u32 i = q->n;

	while (i && r->cmd[q->tag[(q->head + i - 1) & 255]].ready > ready) {
		q->tag[(q->head + i) & 255] = q->tag[(q->head + i - 1) & 255];
		i--;
	}
	q->tag[(q->head + i) & 255] = tag;
	q->n++;
}

/* The head of @q if it may be served now, else -1. */
static int q_pop_ready(struct responder *r, struct resp_queue *q)
{
	u8 tag;

	if (!q->n || r->cmd[q->tag[q->head]].ready > r->now)
		return -1;
	tag = q->tag[q->head];
	q->head = (q->head + 1) & 255;
	q->n--;
	return tag;
}

/*
 * Queue a response, presented from the next cycle on (so a read's follows
 * its last data beat).  @norec: a command refused at acceptance, which
 * has no record (its tag may even be another command's).
 */
static void respond(struct responder *r, u8 tag, u8 code, s8 credits, bool norec)
{
	struct resp_out *o;

	if (r->resp_n == ARRAY_SIZE(r->resp)) {
		pr_err("response ring full: tag %u dropped\n", tag);
		return;
	}
	o = &r->resp[(r->resp_head + r->resp_n++) % ARRAY_SIZE(r->resp)];
	o->tag = tag;
	o->code = code;
	o->credits = credits;
	o->norec = norec;
	o->ready = r->now + 1;
	if (!norec)
		r->cmd[tag].state = RESP_CMD_RESP;
}

/* --- serving commands ------------------------------------------------- */

static void enter_flush(struct responder *r, u16 cch)
{
	unsigned int t;

	r->ctx_flush[cch] = 1;
	for (t = 0; t < 256; t++)
		if (r->cmd[t].state == RESP_CMD_WAIT && r->cmd[t].cch == cch)
			r->cmd[t].flushed = true;
}

/* An armed injection for @c, or NULL; counts @c as seen by each rule it matches. */
static struct resp_inject *injection(struct responder *r, const struct resp_cmd *c)
{
	struct resp_inject *hit = NULL;
	unsigned int i;

	for (i = 0; i < r->nr_inj; i++) {
		struct resp_inject *j = &r->inj[i];

		if ((j->com != RESP_INJ_ANY && j->com != c->com) || c->com == AFU_CMD_RESTART)
			continue;
		if (!hit && j->seen >= j->skip && j->seen - j->skip < j->count)
			hit = j;
		j->seen++;
	}
	return hit;
}

/* Locks, the reservation and interrupts: the verdict of a valid command. */
static u8 semantics(struct responder *r, struct resp_cmd *c)
{
	u64 line = c->ea >> 7;
	u16 lisn;

	switch (c->com) {
	case AFU_CMD_READ_CL_LCK:
	case AFU_CMD_LOCK:
		if (r->lock_held)
			return AFU_RESP_NLOCK;
		r->lock_held = true;
		r->lock_line = line;
		return AFU_RESP_DONE;
	case AFU_CMD_WRITE_UNLOCK:
	case AFU_CMD_UNLOCK:
		if (!r->lock_held || r->lock_line != line)
			return AFU_RESP_FAILED;
		r->lock_held = false;
		return AFU_RESP_DONE;
	case AFU_CMD_READ_CL_RES:
		r->res_held = true;
		r->res_line = line;
		return AFU_RESP_DONE;
	case AFU_CMD_WRITE_C:
		if (!r->res_held || r->res_line != line) {
			r->res_held = false;
			return AFU_RESP_NRES;
		}
		r->res_held = false;
		return AFU_RESP_DONE;
	case AFU_CMD_INTREQ:
		lisn = c->ea & 0x7FF;
		if (!lisn || lisn > r->irqs)
			return AFU_RESP_FAILED;
		r->irq_log[r->nr_irqs % RESP_IRQ_LOG] = (struct responder_irq){
			.cycle = r->now, .ctx = c->cch, .lisn = lisn,
		};
		r->nr_irqs++;
		return AFU_RESP_DONE;
	default:
		return AFU_RESP_DONE;
	}
}

/*
 * Decide what happens to @c now that it is served: flush mode (never for
 * restart), an injection, the address, then the command's own rules.
 * *@corrupt gets the byte to flip into read data (0: none).
 */
static u8 verdict(struct responder *r, struct resp_cmd *c, u8 *corrupt)
{
	enum cmd_class cls = classify(c->com);
	struct resp_inject *inj;
	u8 code;

	*corrupt = 0;
	if (cls != CLASS_RESTART && (c->flushed || r->ctx_flush[c->cch]))
		return AFU_RESP_FLUSHED;
	inj = injection(r, c);
	if (inj && inj->action == RESP_INJ_RESPONSE) {
		code = inj->response;
		goto out;
	}
	if (inj && cls == CLASS_READ)
		*corrupt = inj->xor;
	code = AFU_RESP_DONE;
	if (cls == CLASS_READ || cls == CLASS_LINE || cls == CLASS_WRITE) {
		const struct mem_range *m = mem_find(r->mem, c->ea, c->size);

		if (!m || (cls == CLASS_WRITE && !m->writable))
			code = AFU_RESP_AERROR;
	}
	if (code == AFU_RESP_DONE)
		code = semantics(r, c);
out:
	if (code == AFU_RESP_AERROR || code == AFU_RESP_DERROR || code == AFU_RESP_PAGED)
		enter_flush(r, c->cch);
	return code;
}

static void serve_nodata(struct responder *r)
{
	int tag = q_pop_ready(r, &r->nq);
	struct resp_cmd *c;
	u8 corrupt;

	if (tag < 0)
		return;
	c = &r->cmd[tag];
	respond(r, tag, verdict(r, c, &corrupt), 1, false);
}

static void present_bw(struct responder *r, u8 tag, u8 half)
{
	struct afu_in *in = &r->in;

	in->bwvalid = 1;
	in->bwtag = tag;
	in->bwtagpar = afu_parity64(tag);
	in->bwad = half;
	memcpy(in->bwdata, r->cmd[tag].line + half * AFU_HALF_LINE, AFU_HALF_LINE);
	in->bwpar = afu_parity_half(in->bwdata);
}

/* Fill @c's line from memory: all of it if it is there, else the bytes asked. */
static void load_line(struct responder *r, struct resp_cmd *c, u8 corrupt)
{
	u32 off = c->ea & (AFU_LINE_SIZE - 1);

	if (mem_read(r->mem, c->ea - off, c->line, AFU_LINE_SIZE)) {
		memset(c->line, 0, AFU_LINE_SIZE);
		mem_read(r->mem, c->ea, c->line + off, c->size);
	}
	c->line[off] ^= corrupt;
	r->st.bytes_read += c->size;
}

/* The ha_bw* port: read data, two halves, then the response. */
static void serve_bw(struct responder *r)
{
	struct resp_cmd *c;
	u8 code, corrupt;
	int tag;

	if (r->bw_tag >= 0) {
		present_bw(r, r->bw_tag, 1);
		respond(r, r->bw_tag, AFU_RESP_DONE, 1, false);
		r->bw_tag = -1;
		return;
	}
	tag = q_pop_ready(r, &r->rdq);
	if (tag < 0)
		return;
	c = &r->cmd[tag];
	code = verdict(r, c, &corrupt);
	if (code != AFU_RESP_DONE) {
		respond(r, tag, code, 1, false);
		return;
	}
	c->state = RESP_CMD_DATA;
	load_line(r, c, corrupt);
	present_bw(r, tag, 0);
	r->bw_tag = tag;
}

static void present_br(struct responder *r, u8 tag, u8 half)
{
	u8 lat = r->out.brlat;
	unsigned int slot;

	if (lat != 1 && lat != 3) {
		r->st.err_brlat++;
		lat = 1;
	}
	r->in.brvalid = 1;
	r->in.brtag = tag;
	r->in.brtagpar = afu_parity64(tag);
	r->in.brad = half;
	slot = (r->now + lat - 1) & 3;
	r->brq[slot].valid = true;
	r->brq[slot].tag = tag;
	r->brq[slot].half = half;
}

/* The ha_br* port: fetch write data, two halves; the AFU answers after ah_brlat. */
static void serve_br(struct responder *r)
{
	struct resp_cmd *c;
	u8 code, corrupt;
	int tag;

	if (r->br_tag >= 0) {
		present_br(r, r->br_tag, 1);
		r->br_tag = -1;
		return;
	}
	tag = q_pop_ready(r, &r->wrq);
	if (tag < 0)
		return;
	c = &r->cmd[tag];
	code = verdict(r, c, &corrupt);
	if (code != AFU_RESP_DONE) {
		respond(r, tag, code, 1, false);
		return;
	}
	c->state = RESP_CMD_DATA;
	c->halves = c->bad_par = 0;
	present_br(r, tag, 0);
	r->br_tag = tag;
}

/* Write data sampled after this tick: both halves in, write memory. */
static void capture_br(struct responder *r)
{
	unsigned int slot = r->now & 3;
	struct resp_cmd *c;
	u8 code = AFU_RESP_DONE;

	if (!r->brq[slot].valid)
		return;
	r->brq[slot].valid = false;
	c = &r->cmd[r->brq[slot].tag];
	memcpy(c->line + r->brq[slot].half * AFU_HALF_LINE, r->out.brdata, AFU_HALF_LINE);
	if (r->out.paren && r->out.brpar != afu_parity_half(r->out.brdata))
		c->bad_par++;
	if (++c->halves < 2)
		return;
	if (c->bad_par) {
		r->st.err_parity++;
		code = AFU_RESP_FAILED;
	} else if (mem_write(r->mem, c->ea, c->line + (c->ea & (AFU_LINE_SIZE - 1)), c->size)) {
		code = AFU_RESP_AERROR;
		enter_flush(r, c->cch);
	} else {
		r->st.bytes_written += c->size;
	}
	respond(r, r->brq[slot].tag, code, 1, false);
}

static void present_response(struct responder *r)
{
	struct resp_out *o;
	struct resp_cmd *c;

	if (!r->resp_n || r->resp[r->resp_head].ready > r->now)
		return;
	o = &r->resp[r->resp_head];
	r->resp_head = (r->resp_head + 1) % ARRAY_SIZE(r->resp);
	r->resp_n--;
	r->in.rvalid = 1;
	r->in.rtag = o->tag;
	r->in.rtagpar = afu_parity64(o->tag);
	r->in.response = o->code;
	r->in.rcredits = o->credits;
	r->credits += o->credits;
	r->outstanding--;
	r->st.resp[o->code & 15]++;
	if (!o->norec) {
		c = &r->cmd[o->tag];
		r->ctx_cmds[c->cch]--;
		c->state = RESP_CMD_FREE;
	}
}

/* --- accepting commands ----------------------------------------------- */

static bool size_ok(u16 size, u64 ea)
{
	return size && size <= AFU_LINE_SIZE && !(size & (size - 1)) && !(ea & (size - 1));
}

/* The acceptance verdict of this cycle's command, NO_CODE if it is valid. */
static u8 accept_check(struct responder *r, const struct afu_out *o)
{
	enum cmd_class cls = classify(o->com);

	if (o->paren && (o->ctagpar != afu_parity64(o->ctag) ||
			 o->compar != afu_parity64(o->com) ||
			 o->ceapar != afu_parity64(o->cea))) {
		r->st.err_parity++;
		return AFU_RESP_FAILED;
	}
	if (!o->jrunning || (r->job != RESP_JOB_RUNNING && r->job != RESP_JOB_STARTING)) {
		r->st.err_not_running++;
		return AFU_RESP_FAILED;
	}
	if (o->cch >= r->nprocs)
		return AFU_RESP_CONTEXT;
	if (r->mode == RESP_MODE_DIRECTED && !r->ctx_added[o->cch])
		return AFU_RESP_FAILED;
	if (cls == CLASS_BAD)
		return AFU_RESP_FAILED;
	if ((cls == CLASS_READ || cls == CLASS_WRITE || cls == CLASS_LINE) &&
	    !size_ok(o->csize, o->cea))
		return AFU_RESP_FAILED;
	return NO_CODE;
}

static void accept(struct responder *r)
{
	const struct afu_out *o = &r->out;
	struct resp_cmd *c = &r->cmd[o->ctag];
	enum cmd_class cls;
	u32 lat;
	u8 code;

	r->st.cmds++;
	r->outstanding++;
	if (r->outstanding > r->st.max_outstanding)
		r->st.max_outstanding = r->outstanding;
	if (!r->credits) {
		r->st.err_credit++;
		respond(r, o->ctag, AFU_RESP_FAILED, 0, true);
		return;
	}
	r->credits--;
	if (c->state != RESP_CMD_FREE) {
		r->st.err_dup_tag++;
		respond(r, o->ctag, AFU_RESP_FAILED, 1, true);
		return;
	}
	code = accept_check(r, o);
	if (code != NO_CODE) {
		respond(r, o->ctag, code, 1, true);
		return;
	}
	lat = r->p.lat_min == r->p.lat_max ? r->p.lat_min :
		rng_range(&r->rng, r->p.lat_min, r->p.lat_max);
	memset(c, 0, offsetof(struct resp_cmd, line));
	c->state = RESP_CMD_WAIT;
	c->com = o->com;
	c->cch = o->cch;
	c->size = o->csize;
	c->ea = o->cea;
	c->ready = r->now + lat;
	r->ctx_cmds[c->cch]++;
	cls = classify(c->com);
	if (cls == CLASS_RESTART) {
		r->st.restarts++;
		r->ctx_flush[c->cch] = 0;
	}
	else if (r->ctx_flush[c->cch])
		c->flushed = true;
	if (cls == CLASS_READ)
		q_insert(r, &r->rdq, o->ctag);
	else if (cls == CLASS_WRITE)
		q_insert(r, &r->wrq, o->ctag);
	else
		q_insert(r, &r->nq, o->ctag);
}

/* --- the job and MMIO interfaces -------------------------------------- */

static void present_job(struct responder *r)
{
	r->in.jval = 1;
	r->in.jcom = r->jcom;
	r->in.jcompar = afu_parity64(r->jcom);
	r->in.jea = r->jea;
	r->in.jeapar = afu_parity64(r->jea);
	r->job_cmd = false;
}

static void take_job_strobes(struct responder *r)
{
	const struct afu_out *o = &r->out;

	if (o->jdone) {
		if (o->jrunning)
			r->st.err_jdone_running++;
		if (r->job == RESP_JOB_RESETTING) {
			r->job = RESP_JOB_READY;
		} else if (r->job == RESP_JOB_RUNNING || r->job == RESP_JOB_STARTING) {
			r->job = RESP_JOB_DONE;
			r->jerror = o->jerror;
		} else {
			r->st.err_unexpected++;
		}
	}
	if (o->jcack) {
		if (r->llcmd_wait)
			r->llcmd_wait = false;
		else
			r->st.err_unexpected++;
	}
	if (r->job == RESP_JOB_STARTING && o->jrunning)
		r->job = RESP_JOB_RUNNING;
	if (o->mmack) {
		if (r->mmio != RESP_MMIO_WAIT) {
			r->st.err_unexpected++;
			return;
		}
		if (r->in.mmrnw && o->paren && o->mmdatapar != afu_parity64(o->mmdata))
			r->st.err_mmio_parity++;
		r->mmio_data = o->mmdata;
		r->mmio = RESP_MMIO_ACKED;
	}
}

bool responder_quiet(const struct responder *r)
{
	return afu_clock_may_stop(r->afu, &r->out, r->outstanding,
				  r->mmio == RESP_MMIO_QUEUED || r->mmio == RESP_MMIO_WAIT,
				  r->job_cmd || r->job == RESP_JOB_RESETTING || r->llcmd_wait);
}

void responder_cycle(struct responder *r)
{
	struct afu_in *in = &r->in;

	in->jval = in->mmval = in->brvalid = in->bwvalid = in->rvalid = 0;
	if (r->job_cmd)
		present_job(r);
	if (r->mmio == RESP_MMIO_QUEUED) {
		in->mmval = 1;
		r->mmio = RESP_MMIO_WAIT;
	}
	if (r->outstanding) {
		serve_nodata(r);
		serve_bw(r);
		serve_br(r);
		present_response(r);
	}
	r->st.cycles++;
	if (!(in->jval | in->mmval | in->brvalid | in->bwvalid | in->rvalid) &&
	    responder_quiet(r)) {
		r->now++;
		return;
	}
	afu_out_clear_strobes(&r->out);
	r->afu->ops->tick(r->afu, in, &r->out);
	r->st.ticks++;
	take_job_strobes(r);
	capture_br(r);
	if (r->out.cvalid)
		accept(r);
	r->now++;
}

int responder_run(struct responder *r, u64 max,
		  bool (*until)(struct responder *r, void *arg), void *arg)
{
	u64 i;

	for (i = 0; i < max; i++) {
		if (until && until(r, arg))
			return 0;
		if (!r->job_cmd && r->mmio != RESP_MMIO_QUEUED && responder_quiet(r))
			return -EDEADLK;
		responder_cycle(r);
	}
	return until && until(r, arg) ? 0 : -ETIMEDOUT;
}

static bool job_settled(struct responder *r, void *arg)
{
	return r->job != *(enum responder_job *)arg;
}

static bool llcmd_acked(struct responder *r, void *arg)
{
	return !r->llcmd_wait;
}

static bool mmio_acked(struct responder *r, void *arg)
{
	return r->mmio == RESP_MMIO_ACKED;
}

static bool job_done(struct responder *r, void *arg)
{
	return r->job == RESP_JOB_DONE;
}

/* Size the per-context arrays for the contexts the descriptor offers. */
static int ctx_arrays(struct responder *r)
{
	u32 n = AFU_DESC_NUM_PROCS(r->desc0);

	if (!n)
		n = 1;
	free_ctx_arrays(r);
	r->ctx_added = calloc(n, 1);
	r->ctx_flush = calloc(n, 1);
	r->ctx_cmds = calloc(n, sizeof(*r->ctx_cmds));
	if (!r->ctx_added || !r->ctx_flush || !r->ctx_cmds)
		return -ENOMEM;
	r->nprocs = 0;
	return 0;
}

int responder_reset(struct responder *r)
{
	enum responder_job wait = RESP_JOB_RESETTING;
	int ret;

	reset_state(r);
	r->job = RESP_JOB_RESETTING;
	r->jcom = AFU_JCOM_RESET;
	r->jea = 0;
	r->job_cmd = true;
	ret = responder_run(r, r->p.timeout, job_settled, &wait);
	if (ret) {
		pr_err("%s: no ah_jdone after RESET (%d)\n", r->afu->instance, ret);
		return -ETIMEDOUT;
	}
	ret = responder_mmio_read(r, true, true, AFU_DESC_WORD0, &r->desc0);
	if (ret)
		return ret;
	r->irqs = r->p.irqs ? r->p.irqs : AFU_DESC_NUM_INTS(r->desc0);
	return ctx_arrays(r);
}

int responder_start(struct responder *r, enum responder_mode mode, u64 wed)
{
	enum responder_job wait = RESP_JOB_STARTING;
	u16 model = AFU_DESC_PROG_MODEL(r->desc0);
	int ret;

	if (r->job != RESP_JOB_READY)
		return -EPROTO;
	if (mode == RESP_MODE_DIRECTED && wed)
		return -EINVAL;
	if (!(model & (mode == RESP_MODE_DEDICATED ? AFU_PROG_DEDICATED : AFU_PROG_DIRECTED)))
		return -EOPNOTSUPP;
	r->mode = mode;
	r->nprocs = mode == RESP_MODE_DEDICATED ? 1 :
		    (AFU_DESC_NUM_PROCS(r->desc0) ? AFU_DESC_NUM_PROCS(r->desc0) : 1);
	memset(r->ctx_added, mode == RESP_MODE_DEDICATED, r->nprocs);
	memset(r->ctx_flush, 0, r->nprocs);
	r->job = RESP_JOB_STARTING;
	r->jcom = AFU_JCOM_START;
	r->jea = wed;
	r->job_cmd = true;
	ret = responder_run(r, r->p.timeout, job_settled, &wait);
	if (ret) {
		pr_err("%s: no ah_jrunning after START (%d)\n", r->afu->instance, ret);
		return -ETIMEDOUT;
	}
	return 0;
}

int responder_llcmd(struct responder *r, u16 cmd, u16 pe)
{
	int ret;

	if (r->job != RESP_JOB_RUNNING || r->mode != RESP_MODE_DIRECTED)
		return -EPROTO;
	if (pe >= r->nprocs || (cmd != AFU_LLCMD_ADD && cmd != AFU_LLCMD_TERMINATE &&
				cmd != AFU_LLCMD_REMOVE))
		return -EINVAL;
	/* The PSL takes or refuses the context's commands from now on. */
	r->ctx_added[pe] = cmd == AFU_LLCMD_ADD;
	if (cmd == AFU_LLCMD_ADD)
		r->ctx_flush[pe] = 0;
	r->jcom = AFU_JCOM_LLCMD;
	r->jea = AFU_LLCMD_WORD(cmd, pe);
	r->job_cmd = true;
	r->llcmd_wait = true;
	ret = responder_run(r, r->p.timeout, llcmd_acked, NULL);
	if (ret) {
		pr_err("%s: no ah_jcack for LLCMD 0x%x PE %u (%d)\n", r->afu->instance,
		       cmd, pe, ret);
		return -ETIMEDOUT;
	}
	if (cmd == AFU_LLCMD_TERMINATE && r->ctx_cmds[pe])
		r->st.err_terminate_busy++;
	return 0;
}

static int mmio(struct responder *r, bool cfg, bool dw, bool rnw, u32 off, u64 *val)
{
	struct afu_in *in = &r->in;
	int ret;

	if (off & (dw ? 7 : 3) || off / 4 >= 1U << 24 || r->mmio != RESP_MMIO_IDLE)
		return -EINVAL;
	in->mmcfg = cfg;
	in->mmrnw = rnw;
	in->mmdw = dw;
	in->mmad = off / 4;
	in->mmadpar = afu_parity64(in->mmad);
	in->mmdata = rnw ? 0 : (dw ? *val : (*val & 0xFFFFFFFFULL) * 0x100000001ULL);
	in->mmdatapar = afu_parity64(in->mmdata);
	r->mmio = RESP_MMIO_QUEUED;
	ret = responder_run(r, r->p.timeout, mmio_acked, NULL);
	r->mmio = RESP_MMIO_IDLE;
	if (ret) {
		pr_err("%s: no ah_mmack for MMIO %s at 0x%x (%d)\n", r->afu->instance,
		       rnw ? "read" : "write", off, ret);
		return -ETIMEDOUT;
	}
	if (rnw)
		*val = dw ? r->mmio_data : (u32)r->mmio_data;
	return 0;
}

int responder_mmio_read(struct responder *r, bool cfg, bool dw, u32 off, u64 *val)
{
	return mmio(r, cfg, dw, true, off, val);
}

int responder_mmio_write(struct responder *r, bool cfg, bool dw, u32 off, u64 val)
{
	return mmio(r, cfg, dw, false, off, &val);
}

int responder_wait_done(struct responder *r, u64 max, u64 *jerror)
{
	int ret = responder_run(r, max, job_done, NULL);

	if (!ret && jerror)
		*jerror = r->jerror;
	return ret;
}

int responder_inject(struct responder *r, const struct resp_inject *inj)
{
	if (r->nr_inj == RESP_MAX_INJECT)
		return -ENOSPC;
	r->inj[r->nr_inj] = *inj;
	r->inj[r->nr_inj].seen = 0;
	r->nr_inj++;
	return 0;
}
