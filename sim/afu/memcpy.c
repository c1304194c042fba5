// SPDX-License-Identifier: GPL-2.0
/*
 * The memcpy AFU: copies host memory as work elements say (afu/memcpy.h,
 * docs/afu-guide.md), in either programming model.
 *
 * Dedicated: START with a non-zero WED runs that WE chain as context 0
 * and ends the job with ah_jdone (ah_jerror = the error status, or 0).
 * START with WED 0 (as the PSL starts AFU-directed AFUs) just runs:
 * contexts arrive by LLCMD add, and each is driven through its PSA slice
 * (WED register, then doorbell; with polling on, writing the WED starts
 * it).  Every command carries the context's handle in ah_cch.
 *
 * A copy reads each source line once with read_cl_na into a window of
 * line slots and writes each destination line with write_na (or
 * write_mi) as soon as the source bytes it needs are in, split into
 * naturally aligned power-of-two pieces at unaligned ends.  Tags are
 * shared by all contexts, one command per cycle, round robin.
 *
 * Responses: PAGED or FLUSHED put the command aside; once the context
 * has nothing outstanding the AFU sends restart and, after its DONE,
 * reissues what was put aside (the CAPI recovery protocol).  Any other
 * non-DONE response stops the context: drain, restart (to leave flush
 * mode), then write the error status if the WE is still ours.
 */
#define pr_fmt(fmt) "afu-memcpy: " fmt

#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "afu/memcpy.h"
#include "afu/port.h"
#include "core/log.h"

/*
 * The configuration record of option crs=1 (reference 1.5): IBM's vendor
 * id, a device id capisim made up (no IBM part carries it), class 0x12
 * "processing accelerator", after the descriptor's fixed words.
 */
#define MEMCPY_CR_VENDOR	0x1014
#define MEMCPY_CR_DEVICE	0xCA51
#define MEMCPY_CR_CLASS		0x120000
#define MEMCPY_CR_OFFSET	0x100

enum mc_state {
	MC_FREE,		/* not attached */
	MC_IDLE,		/* attached, no work */
	MC_FETCH,		/* reading the WE */
	MC_POLL,		/* the WE was not valid: read it again at poll_at */
	MC_COPY,
	MC_STATUS,		/* writing status and err_ea */
	MC_IRQ,			/* intreq */
	MC_ERROR,		/* stopped by an error until the next doorbell */
	MC_TERM,		/* terminated: draining, then LLCMD ack */
};

/* Recovery, beside the state: PAGED/FLUSHED or an error was seen. */
enum mc_rec {
	MC_REC_NONE,
	MC_REC_DRAIN,		/* waiting for the context's commands to finish */
	MC_REC_RESTART,		/* restart sent */
};

/* What a tag carries. */
enum mc_kind {
	K_WE,
	K_READ,			/* arg: source line, relative */
	K_WRITE,
	K_STATUS,
	K_IRQ,
	K_RESTART,
};

struct mc_ctx {
	enum mc_state state;
	enum mc_rec rec;
	u16 id;
	bool active;		/* on the scheduler's list */
	bool doorbell;		/* rung while busy: run WED again when done */
	bool job;		/* the dedicated job: its end ends the job */
	u32 busy;		/* commands outstanding, restart not counted */
	struct afu_tag *reissue; /* PAGED/FLUSHED, to send again after restart */
	u64 poll_at;
	/* Registers */
	u64 wed;
	u64 status;		/* last status */
	u64 count;		/* WEs completed */
	/* The WE being served */
	u64 we_ea;
	u32 ctl;
	u16 lisn;
	u64 src, dst, len, next;
	u64 err;		/* the first error's status value; 0: none */
	u64 err_ea;
	enum mc_state err_state; /* the state of the last error */
	/* Copy progress; source lines are numbered from the first one, 0 */
	u64 s0;			/* first source line (EA >> 7) */
	u64 delta;		/* src - dst, modulo 2^64 */
	u32 nsrc;		/* source lines */
	u32 next_read;		/* next source line to read */
	u32 first_needed;	/* lowest source line still needed */
	u64 have;		/* slots holding their line, bit per slot */
	u64 wpos;		/* next destination byte to write */
	u8 *store;		/* win slots of a line each */
};

/* One memcpy AFU; its tick owns all of it. */
struct mc {
	struct afu afu;
	struct afu_port port;
	struct afu_desc desc;
	u8 cr[AFU_CR_HDR_SIZE];	/* desc.cr: its configuration record, constant */
	u64 now;
	bool out_of_reset;	/* a RESET has completed */
	bool running;		/* ah_jrunning */
	u32 win;		/* line slots per context, power of two, 2..64 */
	u64 poll;		/* cycles between WE polls; 0: no polling */
	u16 write_com;
	struct afu_tag *rtag;	/* reserved for restart, one at a time */
	bool llcmd;		/* an LLCMD waits for its ack */
	u16 llcmd_cmd;
	u16 llcmd_pe;
	struct mc_ctx *ctx;	/* desc.num_of_processes of them */
	u8 *stores;
	u16 *active;		/* ids of contexts with work, round robin */
	u32 nr_active;
	u32 rr;
};

static const char *const state_names[] = {
	[MC_FREE] = "free", [MC_IDLE] = "idle", [MC_FETCH] = "fetch",
	[MC_POLL] = "poll", [MC_COPY] = "copy", [MC_STATUS] = "status",
	[MC_IRQ] = "irq", [MC_ERROR] = "error", [MC_TERM] = "term",
};

static bool ctx_has_work(const struct mc_ctx *c)
{
	switch (c->state) {
	case MC_FREE:
	case MC_IDLE:
	case MC_ERROR:
		return c->busy || c->rec != MC_REC_NONE;
	default:
		return true;
	}
}

/* The one place a context changes state; one with work joins the scheduler. */
static void ctx_set_state(struct mc *m, struct mc_ctx *c, enum mc_state s)
{
	pr_debug("%s: ctx %u %s -> %s\n", m->afu.instance, c->id, state_names[c->state],
		 state_names[s]);
	c->state = s;
	if (!c->active && ctx_has_work(c)) {
		c->active = true;
		m->active[m->nr_active++] = c->id;
	}
}

static u64 error_status(u8 reason, u8 resp, u16 com)
{
	return MEMCPY_ST_ERROR | (u64)resp << 8 | (u64)com << 16 | (u64)reason << 32;
}

static void put_reissue_list(struct mc *m, struct mc_ctx *c)
{
	while (c->reissue) {
		struct afu_tag *t = c->reissue;

		c->reissue = t->next;
		afu_port_put(&m->port, t);
	}
}

/* Forget everything about @c but its slot; @state: FREE or IDLE. */
static void ctx_init(struct mc *m, struct mc_ctx *c, enum mc_state state)
{
	u8 *store = c->store;
	bool active = c->active;
	u16 id = c->id;

	memset(c, 0, sizeof(*c));
	c->id = id;
	c->store = store;
	c->active = active;
	c->state = state;
}

static void ctx_run(struct mc *m, struct mc_ctx *c, u64 ea, struct afu_out *out);

/* A WE is over (or the chain could not start): next WE, end of job, or rest. */
static void ctx_end(struct mc *m, struct mc_ctx *c, struct afu_out *out)
{
	c->status = c->err ? c->err : MEMCPY_ST_DONE;
	if (!c->err) {
		c->count++;
		if (c->next) {
			ctx_run(m, c, c->next, out);
			return;
		}
	}
	if (c->job) {
		c->job = false;
		m->running = false;
		out->jrunning = 0;
		out->jdone = 1;
		out->jerror = c->err;
		pr_debug("%s: job done, jerror 0x%llx\n", m->afu.instance,
			 (unsigned long long)c->err);
	} else if (c->doorbell) {
		c->doorbell = false;
		ctx_run(m, c, c->wed, out);
		return;
	}
	ctx_set_state(m, c, c->err ? MC_ERROR : MC_IDLE);
}

/* Start serving the WE chain at @ea. */
static void ctx_run(struct mc *m, struct mc_ctx *c, u64 ea, struct afu_out *out)
{
	c->err = 0;
	c->we_ea = ea;
	if (!ea || ea & (AFU_LINE_SIZE - 1)) {
		c->err = error_status(MEMCPY_ERR_BAD_WE, 0, 0);
		c->err_ea = ea;
		ctx_end(m, c, out);
		return;
	}
	ctx_set_state(m, c, MC_FETCH);
}

/* --- the copy --------------------------------------------------------- */

static u64 le64_at(const u8 *p)
{
	u64 v;

	memcpy(&v, p, 8);
	return le64toh(v);
}

/* Take in the WE just read into @t. */
static void we_parsed(struct mc *m, struct mc_ctx *c, const struct afu_tag *t,
		      struct afu_out *out)
{
	u32 ctl;
	u16 lisn;

	memcpy(&ctl, t->buf + offsetof(struct memcpy_we, ctl), 4);
	c->ctl = le32toh(ctl);
	if (!(c->ctl & MEMCPY_CTL_VALID)) {
		if (m->poll) {
			c->poll_at = m->now + m->poll;
			ctx_set_state(m, c, MC_POLL);
			return;
		}
		c->err = error_status(MEMCPY_ERR_NOT_VALID, 0, 0);
		c->err_ea = c->we_ea;
		ctx_end(m, c, out);
		return;
	}
	memcpy(&lisn, t->buf + offsetof(struct memcpy_we, lisn), 2);
	c->lisn = le16toh(lisn);
	c->src = le64_at(t->buf + offsetof(struct memcpy_we, src));
	c->dst = le64_at(t->buf + offsetof(struct memcpy_we, dst));
	c->len = le64_at(t->buf + offsetof(struct memcpy_we, len));
	c->next = le64_at(t->buf + offsetof(struct memcpy_we, next));
	c->s0 = c->src >> 7;
	c->delta = c->src - c->dst;
	c->nsrc = c->len ? ((c->src + c->len - 1) >> 7) - c->s0 + 1 : 0;
	c->next_read = 0;
	c->first_needed = 0;
	c->have = 0;
	c->wpos = c->dst;
	ctx_set_state(m, c, c->len ? MC_COPY : MC_STATUS);
}

static struct afu_tag *new_cmd(struct mc *m, struct mc_ctx *c, enum mc_kind kind,
			       u16 com, u64 ea, u16 size)
{
	struct afu_tag *t = afu_port_get(&m->port);

	t->kind = kind;
	t->ctx = c->id;
	t->com = com;
	t->ea = ea;
	t->size = size;
	t->cch = c->id;
	t->cabt = AFU_CABT_STRICT;
	return t;
}

static bool send(struct mc *m, struct mc_ctx *c, struct afu_tag *t, struct afu_out *out)
{
	afu_port_issue(&m->port, t, out);
	c->busy++;
	return true;
}

/* The largest naturally aligned power-of-two piece at @a ending by @hi. */
static u32 piece_size(u64 a, u64 hi)
{
	u32 size = a & (AFU_LINE_SIZE - 1) ? a & -a : AFU_LINE_SIZE;

	while (a + size > hi)
		size >>= 1;
	return size;
}

static u8 *slot(const struct mc *m, const struct mc_ctx *c, u32 line)
{
	return c->store + (line & (m->win - 1)) * AFU_LINE_SIZE;
}

/*
 * Lines in slots are always within [first_needed, first_needed + win), so
 * a set bit means the slot holds @line itself.
 */
static bool line_in(const struct mc *m, const struct mc_ctx *c, u32 line)
{
	return line < c->next_read && c->have >> (line & (m->win - 1)) & 1;
}

/* Issue the next destination piece if its source bytes are in. */
static bool copy_write(struct mc *m, struct mc_ctx *c, struct afu_out *out)
{
	u64 a = c->wpos, end = c->dst + c->len;
	u64 hi = (a | (AFU_LINE_SIZE - 1)) + 1;
	u64 sa = a + c->delta;
	u32 size, l1, l2, n1, off, first;
	struct afu_tag *t;

	if (a >= end)
		return false;
	size = piece_size(a, hi < end ? hi : end);
	l1 = (sa >> 7) - c->s0;
	l2 = ((sa + size - 1) >> 7) - c->s0;
	if (!line_in(m, c, l1) || !line_in(m, c, l2))
		return false;
	t = new_cmd(m, c, K_WRITE, m->write_com, a, size);
	off = sa & (AFU_LINE_SIZE - 1);
	n1 = l1 == l2 ? size : AFU_LINE_SIZE - off;
	memcpy(t->buf + (a & (AFU_LINE_SIZE - 1)), slot(m, c, l1) + off, n1);
	if (n1 < size)
		memcpy(t->buf + (a & (AFU_LINE_SIZE - 1)) + n1, slot(m, c, l2), size - n1);
	send(m, c, t, out);
	/* Source lines wholly behind the new position free their slots. */
	c->wpos += size;
	first = c->wpos < end ? ((c->wpos + c->delta) >> 7) - c->s0 : c->nsrc;
	for (; c->first_needed < first; c->first_needed++)
		c->have &= ~(1ULL << (c->first_needed & (m->win - 1)));
	return true;
}

static bool copy_read(struct mc *m, struct mc_ctx *c, struct afu_out *out)
{
	struct afu_tag *t;

	if (c->next_read >= c->nsrc || c->next_read >= c->first_needed + m->win)
		return false;
	t = new_cmd(m, c, K_READ, AFU_CMD_READ_CL_NA, (c->s0 + c->next_read) << 7,
		    AFU_LINE_SIZE);
	t->arg = c->next_read++;
	return send(m, c, t, out);
}

static bool copy_finished(const struct mc_ctx *c)
{
	return c->wpos == c->dst + c->len && !c->busy && !c->reissue;
}

/* --- issuing ---------------------------------------------------------- */

static bool issue_restart(struct mc *m, struct mc_ctx *c, struct afu_out *out)
{
	struct afu_tag *t = m->rtag;

	if (t->busy)
		return false;
	t->kind = K_RESTART;
	t->ctx = c->id;
	t->com = AFU_CMD_RESTART;
	t->ea = 0;
	t->size = 0;
	t->cch = c->id;
	t->cabt = AFU_CABT_STRICT;
	afu_port_issue(&m->port, t, out);
	c->rec = MC_REC_RESTART;
	return true;
}

static bool issue_status(struct mc *m, struct mc_ctx *c, struct afu_out *out)
{
	struct afu_tag *t = new_cmd(m, c, K_STATUS, m->write_com,
				    c->we_ea + MEMCPY_WE_STATUS, 16);
	u64 st = htole64(c->err ? c->err : MEMCPY_ST_DONE);
	u64 ea = htole64(c->err ? c->err_ea : 0);

	memcpy(t->buf + MEMCPY_WE_STATUS, &st, 8);
	memcpy(t->buf + MEMCPY_WE_STATUS + 8, &ea, 8);
	return send(m, c, t, out);
}

/* One command for @c if it has one and a tag is free; true if issued. */
static bool ctx_issue(struct mc *m, struct mc_ctx *c, struct afu_out *out)
{
	struct afu_tag *t;

	if (c->rec == MC_REC_DRAIN)
		return !c->busy && issue_restart(m, c, out);
	if (c->rec == MC_REC_RESTART)
		return false;
	if (c->reissue) {
		t = c->reissue;
		c->reissue = t->next;
		return send(m, c, t, out);
	}
	if (!m->port.free)
		return false;
	switch (c->state) {
	case MC_POLL:
		if (m->now < c->poll_at)
			return false;
		ctx_set_state(m, c, MC_FETCH);
		__attribute__((fallthrough));
	case MC_FETCH:
		return !c->busy &&
		       send(m, c, new_cmd(m, c, K_WE, AFU_CMD_READ_CL_NA, c->we_ea,
					  AFU_LINE_SIZE), out);
	case MC_COPY:
		return copy_write(m, c, out) || copy_read(m, c, out);
	case MC_STATUS:
		return !c->busy && issue_status(m, c, out);
	case MC_IRQ:
		return !c->busy &&
		       send(m, c, new_cmd(m, c, K_IRQ, AFU_CMD_INTREQ, c->lisn ? c->lisn : 1, 0),
			    out);
	default:
		return false;
	}
}

/* One command per cycle, contexts in turn; idle ones leave the list. */
static void schedule(struct mc *m, struct afu_out *out)
{
	u32 i, n = 0;

	for (i = 0; i < m->nr_active; i++) {
		struct mc_ctx *c = &m->ctx[m->active[i]];

		if (ctx_has_work(c))
			m->active[n++] = c->id;
		else
			c->active = false;
	}
	m->nr_active = n;
	for (i = 0; i < n; i++) {
		u32 k = (m->rr + i) % n;

		if (ctx_issue(m, &m->ctx[m->active[k]], out)) {
			m->rr = k + 1;
			return;
		}
	}
}

/* --- responses -------------------------------------------------------- */

static void done(struct mc *m, struct mc_ctx *c, struct afu_tag *t, struct afu_out *out)
{
	switch (t->kind) {
	case K_WE:
		we_parsed(m, c, t, out);
		break;
	case K_READ:
		memcpy(slot(m, c, t->arg), t->buf, AFU_LINE_SIZE);
		c->have |= 1ULL << (t->arg & (m->win - 1));
		break;
	case K_WRITE:
		if (copy_finished(c))
			ctx_set_state(m, c, MC_STATUS);
		break;
	case K_STATUS:
		if (c->ctl & MEMCPY_CTL_IRQ)
			ctx_set_state(m, c, MC_IRQ);
		else
			ctx_end(m, c, out);
		break;
	case K_IRQ:
		ctx_end(m, c, out);
		break;
	}
}

/* The restart's answer: leave recovery, reissue, or finish the error. */
static void restarted(struct mc *m, struct mc_ctx *c, u8 code, struct afu_out *out)
{
	if (c->state == MC_TERM || c->state == MC_FREE)
		return;
	c->rec = MC_REC_NONE;
	if (code != AFU_RESP_DONE && !c->err) {
		c->err = error_status(MEMCPY_ERR_RESPONSE, code, AFU_CMD_RESTART);
		c->err_state = MC_FETCH;
	}
	if (!c->err)
		return;
	put_reissue_list(m, c);
	/* The WE is ours to report in unless the error hit it (or its status). */
	if (c->err_state == MC_COPY)
		ctx_set_state(m, c, MC_STATUS);
	else
		ctx_end(m, c, out);
}

static void on_response(struct mc *m, struct afu_tag *t, u8 code, struct afu_out *out)
{
	struct mc_ctx *c = &m->ctx[t->ctx];

	if (t->kind == K_RESTART) {
		restarted(m, c, code, out);
		return;
	}
	c->busy--;
	if (c->state == MC_TERM || c->state == MC_FREE) {
		afu_port_put(&m->port, t);
		return;
	}
	switch (code) {
	case AFU_RESP_DONE:
		/* After an error only the error status and its interrupt count. */
		if (!c->err || t->kind == K_STATUS || t->kind == K_IRQ)
			done(m, c, t, out);
		afu_port_put(&m->port, t);
		return;
	case AFU_RESP_PAGED:
	case AFU_RESP_FLUSHED:
		if (c->err) {
			afu_port_put(&m->port, t);
		} else {
			t->next = c->reissue;
			c->reissue = t;
		}
		break;
	default:
		pr_debug("%s: ctx %u: response 0x%x to 0x%x at 0x%llx\n", m->afu.instance,
			 c->id, code, t->com, (unsigned long long)t->ea);
		if (!c->err) {
			c->err = error_status(MEMCPY_ERR_RESPONSE, code, t->com);
			c->err_ea = t->ea;
		}
		c->err_state = c->state;
		afu_port_put(&m->port, t);
		break;
	}
	if (c->rec == MC_REC_NONE)
		c->rec = MC_REC_DRAIN;
}

/* --- job control and MMIO -------------------------------------------- */

static void mc_reset(struct mc *m, const struct afu_in *in, struct afu_out *out)
{
	u32 i;

	afu_port_reset(&m->port, in->croom);
	m->rtag = afu_port_get(&m->port);
	for (i = 0; i < m->desc.num_of_processes; i++) {
		m->ctx[i].active = false;
		ctx_init(m, &m->ctx[i], MC_FREE);
	}
	m->nr_active = 0;
	m->llcmd = false;
	m->running = false;
	m->out_of_reset = true;
	out->jrunning = 0;
	out->jerror = 0;
	out->jdone = 1;
}

static void mc_start(struct mc *m, const struct afu_in *in, struct afu_out *out)
{
	struct mc_ctx *c = &m->ctx[0];

	if (!m->out_of_reset || m->running) {
		pr_warn("%s: START while %s: ignored\n", m->afu.instance,
			m->running ? "running" : "held in reset");
		return;
	}
	m->running = true;
	out->jrunning = 1;
	ctx_init(m, c, MC_IDLE);
	if (!in->jea)
		return;
	c->job = true;
	c->wed = in->jea;
	ctx_run(m, c, in->jea, out);
}

static void llcmd_start(struct mc *m, const struct afu_in *in)
{
	struct mc_ctx *c;

	m->llcmd = true;
	m->llcmd_cmd = AFU_LLCMD_CMD(in->jea);
	m->llcmd_pe = AFU_LLCMD_PE(in->jea);
	if (m->llcmd_pe >= m->desc.num_of_processes) {
		pr_warn("%s: LLCMD 0x%x for PE %u beyond %u\n", m->afu.instance, m->llcmd_cmd,
			m->llcmd_pe, m->desc.num_of_processes);
		return;
	}
	c = &m->ctx[m->llcmd_pe];
	switch (m->llcmd_cmd) {
	case AFU_LLCMD_ADD:
		if (c->busy || c->rec != MC_REC_NONE) {
			pr_warn("%s: add of PE %u with commands outstanding\n",
				m->afu.instance, c->id);
			return;
		}
		ctx_init(m, c, MC_IDLE);
		break;
	case AFU_LLCMD_TERMINATE:
	case AFU_LLCMD_REMOVE:
		put_reissue_list(m, c);
		if (c->state != MC_FREE)
			ctx_set_state(m, c, MC_TERM);
		break;
	default:
		pr_warn("%s: unknown LLCMD 0x%x\n", m->afu.instance, m->llcmd_cmd);
	}
}

/* Acknowledge the LLCMD once its context has nothing outstanding. */
static void llcmd_poll(struct mc *m, struct afu_out *out)
{
	struct mc_ctx *c = m->llcmd_pe < m->desc.num_of_processes ?
			   &m->ctx[m->llcmd_pe] : NULL;

	if (c && c->state == MC_TERM) {
		if (c->busy || c->rec == MC_REC_RESTART)
			return;
		ctx_init(m, c, MC_FREE);
	}
	m->llcmd = false;
	out->jcack = 1;
}

static void job(struct mc *m, const struct afu_in *in, struct afu_out *out)
{
	switch (in->jcom) {
	case AFU_JCOM_RESET:
		mc_reset(m, in, out);
		break;
	case AFU_JCOM_START:
		mc_start(m, in, out);
		break;
	case AFU_JCOM_LLCMD:
		if (m->running && !m->llcmd)
			llcmd_start(m, in);
		else
			pr_warn("%s: LLCMD while %s: ignored\n", m->afu.instance,
				m->llcmd ? "another is pending" : "not running");
		break;
	default:
		/* TIMEBASE: never requested. */
		break;
	}
}

static u64 psa_read(struct mc *m, struct mc_ctx *c, u32 reg)
{
	switch (reg) {
	case MEMCPY_PSA_WED:
		return c->wed;
	case MEMCPY_PSA_STATUS:
		return c->status;
	case MEMCPY_PSA_STATE:
		return c->state;
	case MEMCPY_PSA_COUNT:
		return c->count;
	default:
		return 0;
	}
}

static void psa_write(struct mc *m, struct mc_ctx *c, u32 reg, const struct afu_in *in,
		      struct afu_out *out)
{
	bool can_run = c->state == MC_IDLE || c->state == MC_ERROR;

	switch (reg) {
	case MEMCPY_PSA_WED:
		c->wed = afu_mmio_write_merge(c->wed, in);
		if (m->poll && can_run)
			ctx_run(m, c, c->wed, out);
		break;
	case MEMCPY_PSA_DOORBELL:
		if (can_run)
			ctx_run(m, c, c->wed, out);
		else
			c->doorbell = true;
		break;
	}
}

static void mmio(struct mc *m, const struct afu_in *in, struct afu_out *out)
{
	u32 off = afu_mmio_offset(in);
	u32 pe = off / MEMCPY_PSA_STRIDE, reg = off % MEMCPY_PSA_STRIDE & ~7U;
	struct mc_ctx *c = pe < m->desc.num_of_processes ? &m->ctx[pe] : NULL;
	u64 data = ~0ULL;

	if (!m->out_of_reset) {
		afu_port_mmio_ack(&m->port, out, data);
		return;
	}
	if (in->mmcfg)
		data = afu_desc_dword(&m->desc, off);
	else if (c && c->state != MC_FREE && c->state != MC_TERM && in->mmrnw)
		data = psa_read(m, c, reg);
	else if (c && c->state != MC_FREE && c->state != MC_TERM)
		psa_write(m, c, reg, in, out);
	afu_port_mmio_ack(&m->port, out, in->mmrnw ? afu_mmio_read_lanes(data, in) : 0);
}

static struct mc *to_mc(const struct afu *a)
{
	return container_of(a, struct mc, afu);
}

static void mc_tick(struct afu *a, const struct afu_in *in, struct afu_out *out)
{
	struct mc *m = to_mc(a);
	struct afu_tag *t;

	m->now++;
	if (in->jval)
		job(m, in, out);
	if (in->mmval)
		mmio(m, in, out);
	if (!m->out_of_reset)
		return;
	afu_port_tick(&m->port, in, out);
	t = afu_port_response(&m->port, in);
	if (t)
		on_response(m, t, in->response, out);
	if (m->llcmd)
		llcmd_poll(m, out);
	if (m->running && m->port.credits > 0)
		schedule(m, out);
}

static bool mc_idle(const struct afu *a)
{
	const struct mc *m = to_mc(a);
	u32 i;

	if (m->llcmd || m->port.nr_busy)
		return false;
	for (i = 0; i < m->nr_active; i++)
		if (ctx_has_work(&m->ctx[m->active[i]]))
			return false;
	return true;
}

static void mc_destroy(struct afu *a)
{
	struct mc *m;

	if (!a)
		return;
	m = to_mc(a);
	afu_port_exit(&m->port);
	free(m->ctx);
	free(m->active);
	free(m->stores);
	free(m);
}

static struct afu *mc_create(const char *instance, u64 seed, const char *options)
{
	u64 tags = 16, win = 32, procs = 16, poll = 0, brlat = 1, paren = 1, write_mi = 0;
	u64 irqs = 1, crs = 0, cr_len = 1;
	const struct afu_opt opts[] = {
		{ "tags", &tags, 1, AFU_PORT_MAX_TAGS - 1 },
		{ "win", &win, 2, 64 },
		{ "procs", &procs, 1, 512 },
		{ "poll", &poll, 0, 1000000 },
		{ "brlat", &brlat, 1, 3 },
		{ "paren", &paren, 0, 1 },
		{ "write_mi", &write_mi, 0, 1 },
		{ "irqs", &irqs, 1, 2037 },
		{ "crs", &crs, 0, 1 },
		/* 0 is malformed on purpose: the driver must refuse the AFU. */
		{ "cr_len", &cr_len, 0, 16 },
	};
	struct mc *m;
	u32 i;

	if (afu_opts_parse("memcpy", options, opts, ARRAY_SIZE(opts)))
		return NULL;
	if (win & (win - 1) || brlat == 2) {
		pr_err("memcpy: win must be a power of two, brlat 1 or 3\n");
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->afu.ops = &afu_memcpy_ops;
	snprintf(m->afu.instance, sizeof(m->afu.instance), "%s", instance ? instance : "memcpy");
	m->win = win;
	m->poll = poll;
	m->write_com = write_mi ? AFU_CMD_WRITE_MI : AFU_CMD_WRITE_NA;
	m->desc = (struct afu_desc){
		.num_ints_per_process = irqs,
		.num_of_processes = procs,
		.req_prog_model = AFU_PROG_DEDICATED | AFU_PROG_DIRECTED,
		.psa = true,
		.pp_psa = true,
		.pp_psa_len = MEMCPY_PSA_STRIDE / 4096,
		.pp_psa_offset = 0,
	};
	/* Without a record, its length and offset read 0 too. */
	if (crs) {
		afu_cr_header(m->cr, MEMCPY_CR_VENDOR, MEMCPY_CR_DEVICE, MEMCPY_CR_CLASS, 0);
		m->desc.num_of_afu_crs = 1;
		m->desc.cr_len = cr_len;
		m->desc.cr_offset = MEMCPY_CR_OFFSET;
		m->desc.cr = m->cr;
		m->desc.cr_size = sizeof(m->cr);
	}
	m->ctx = calloc(procs, sizeof(*m->ctx));
	m->active = calloc(procs, sizeof(*m->active));
	m->stores = calloc(procs, win * AFU_LINE_SIZE);
	if (!m->ctx || !m->active || !m->stores ||
	    afu_port_init(&m->port, tags + 1, brlat, paren)) {
		mc_destroy(&m->afu);
		return NULL;
	}
	for (i = 0; i < procs; i++) {
		m->ctx[i].id = i;
		m->ctx[i].store = m->stores + (size_t)i * win * AFU_LINE_SIZE;
	}
	(void)seed;	/* the copy has nothing random */
	return &m->afu;
}

const struct afu_ops afu_memcpy_ops = {
	.abi_version = AFU_ABI_VERSION,
	.name = "memcpy",
	.create = mc_create,
	.destroy = mc_destroy,
	.tick = mc_tick,
	.idle = mc_idle,
};
