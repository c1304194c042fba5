// SPDX-License-Identifier: GPL-2.0
/*
 * The PSL side of the PSL-AFU port: the attached AFU, its clock, and the
 * control (job) interface of reference 8.2.
 *
 * The clock is a self-rescheduling event on the 250 MHz edge.  At each
 * edge the PSL samples what the AFU drove at its last tick (job strobes,
 * ah_mmack, ah_cvalid, buffer read data), advances its own work, drives
 * the ha_* signals of this edge, and ticks the AFU once.  The clock runs
 * only while the AFU may not stop (afu_clock_may_stop: a command, MMIO or
 * job command outstanding, or the AFU busy) and anything new for the AFU
 * restarts it, so an idle AFU costs no events at all.
 *
 * Job commands go out one per edge, RESET first, then START, LLCMD and
 * TIMEBASE.  RESET completes the AFU_Cntl reset handshake on ah_jdone;
 * START completes the enable handshake when the AFU raises ah_jrunning
 * (we chose "enabled once running" over "enabled at START" [U]); an
 * LLCMD holds the SPA command until ah_jcack.
 */
#define pr_fmt(fmt) "psl-job: " fmt

#include <errno.h>
#include <string.h>

#include "core/log.h"
#include "psl/psl.h"

static struct trace_kind tk_job =
	TRACE_KIND("psl.job", TRACE_LVL_DEFAULT, "slice:u64 jcom:u64 jea:u64");
static struct trace_kind tk_job_ack =
	TRACE_KIND("psl.job.ack", TRACE_LVL_DEFAULT, "slice:u64 what:str jerror:u64");
static struct trace_kind tk_clock =
	TRACE_KIND("psl.afu.clock", TRACE_LVL_DEBUG, "slice:u64 on:u64 ticks:u64");

static const char *const job_names[] = {
	[PSL_JOB_HELD] = "held", [PSL_JOB_RESETTING] = "resetting",
	[PSL_JOB_READY] = "ready", [PSL_JOB_STARTING] = "starting",
	[PSL_JOB_RUNNING] = "running", [PSL_JOB_ENDED] = "ended",
};

static void job_set_state(struct psl_slice *s, enum psl_job_state state)
{
	s->port.job.state = state;
	psl_trace_state(s->card, s, TRACE_CTX_NONE, "job", state);
}

static void job_proto(struct psl_slice *s, const char *what)
{
	s->port.job.stats.proto_errors++;
	pr_warn("%s slice %u: AFU protocol error: %s (job %s)\n", s->card->p.name, s->idx,
		what, job_names[s->port.job.state]);
}

static void ack_trace(struct psl_slice *s, const char *what, u64 jerror)
{
	trace_emit(&tk_job_ack, &s->card->tsrc, TRACE_CTX_NONE, TRACE_U(s->idx),
		   TRACE_STR(what), TRACE_U(jerror));
}

/* The job ended on ah_jdone: an error code goes to AFU_ERR (reference 6.2 [U]). */
static void job_ended(struct psl_slice *s, u64 jerror)
{
	struct psl_job *j = &s->port.job;

	j->stats.jobs_ended++;
	job_set_state(s, PSL_JOB_ENDED);
	if (!jerror)
		return;
	j->stats.afu_errors++;
	pr_info("%s slice %u: AFU job ended with error 0x%llx\n", s->card->p.name, s->idx,
		(unsigned long long)jerror);
	psl_err_afu(s, jerror);
}

/*
 * The job state machine.  RESET and START are the PSL's (driven at an
 * edge); ah_jdone and the ah_jrunning level are the AFU's, sampled at the
 * next edge.  An answer nobody asked for is a protocol error, logged.
 */
static void job_step(struct psl_slice *s, enum psl_job_input in, u64 jerror)
{
	struct psl_job *j = &s->port.job;

	switch (in) {
	case PSL_JOB_IN_RESET:
		job_set_state(s, PSL_JOB_RESETTING);
		break;
	case PSL_JOB_IN_START:
		job_set_state(s, PSL_JOB_STARTING);
		break;
	case PSL_JOB_IN_JDONE:
		if (j->state == PSL_JOB_RESETTING) {
			job_set_state(s, PSL_JOB_READY);
			if (j->cntl_reset && s->afu == PSL_AFU_RESETTING)
				psl_afu_cntl_done(s);
		} else if (j->state == PSL_JOB_RUNNING || j->state == PSL_JOB_STARTING) {
			job_ended(s, jerror);
		} else {
			job_proto(s, "ah_jdone with no reset or job");
		}
		break;
	case PSL_JOB_IN_RUNNING:
		if (j->state == PSL_JOB_STARTING) {
			job_set_state(s, PSL_JOB_RUNNING);
			if (s->afu == PSL_AFU_ENABLING)
				psl_afu_cntl_done(s);
		} else if (j->state == PSL_JOB_READY || j->state == PSL_JOB_ENDED) {
			job_proto(s, "ah_jrunning raised without START");
			job_set_state(s, PSL_JOB_RUNNING);
		}
		break;
	case PSL_JOB_IN_STOPPED:
		if (j->state == PSL_JOB_RUNNING) {
			job_proto(s, "ah_jrunning dropped without ah_jdone");
			job_ended(s, 0);
		}
		break;
	}
}

static void llcmd_finish(struct psl_slice *s, bool acked)
{
	struct psl_job *j = &s->port.job;

	j->llcmd = PSL_LLCMD_IDLE;
	sim_cancel(s->card->q, &j->llcmd_to);
	psl_spa_afu_answer(s, acked);
}

static void llcmd_timeout(void *arg)
{
	struct psl_slice *s = arg;

	s->port.job.stats.llcmd_timeouts++;
	pr_warn("%s slice %u: AFU never acknowledged LLCMD 0x%016llx (SERR llcmdto)\n",
		s->card->p.name, s->idx, (unsigned long long)s->port.job.llcmd_word);
	psl_err_serr(s, CXL_PSL_SERR_An_llcmdto);
	llcmd_finish(s, false);
}

/* What the AFU drove at its last tick, for the control interface. */
static void job_sample(struct psl_slice *s)
{
	const struct afu_out *o = &s->port.out;
	struct psl_job *j = &s->port.job;

	if (o->jdone && o->jrunning)
		job_proto(s, "ah_jdone and ah_jrunning high together");
	if (o->jcack) {
		ack_trace(s, "jcack", 0);
		if (j->llcmd == PSL_LLCMD_SENT)
			llcmd_finish(s, true);
		else
			job_proto(s, "ah_jcack with no LLCMD");
	}
	if (o->tbreq) {
		ack_trace(s, "tbreq", 0);
		j->queued |= PSL_JOBQ_TIMEBASE;
	}
	if (o->jdone) {
		ack_trace(s, "jdone", o->jerror);
		job_step(s, PSL_JOB_IN_JDONE, o->jerror);
	} else if (o->jrunning && j->state != PSL_JOB_RUNNING &&
		   j->state != PSL_JOB_RESETTING && j->state != PSL_JOB_HELD) {
		ack_trace(s, "jrunning", 0);
		job_step(s, PSL_JOB_IN_RUNNING, 0);
	} else if (!o->jrunning && j->state == PSL_JOB_RUNNING) {
		job_step(s, PSL_JOB_IN_STOPPED, 0);
	}
}

static void job_drive_cmd(struct psl_slice *s, u8 jcom, u64 jea)
{
	struct afu_in *in = &s->port.in;

	in->jval = 1;
	in->jcom = jcom;
	in->jcompar = afu_parity64(jcom);
	in->jea = jea;
	in->jeapar = afu_parity64(jea);
	trace_emit(&tk_job, &s->card->tsrc, TRACE_CTX_NONE, TRACE_U(s->idx), TRACE_U(jcom),
		   TRACE_U(jea));
}

static void job_drive_reset(struct psl_slice *s)
{
	struct psl_job *j = &s->port.job;

	j->queued &= ~PSL_JOBQ_RESET;
	j->stats.resets++;
	job_drive_cmd(s, AFU_JCOM_RESET, 0);
	/*
	 * The AFU forgets its commands and contexts: so does the PSL's side,
	 * but a translation fault already raised is the PSL's and stays for
	 * software to answer; the purge that follows a reset finds it [U:
	 * cxl_psl_purge() answers pending translation faults with AE, and
	 * cxl_handle_fault() expects a detach's purge to clear them].
	 */
	psl_cmd_drop_all(s, true);
	if (j->llcmd != PSL_LLCMD_IDLE)
		llcmd_finish(s, true);
	job_step(s, PSL_JOB_IN_RESET, 0);
}

/* A START for an AFU already running answers at once: nothing to send [U]. */
static void job_drive_start(struct psl_slice *s)
{
	struct psl_job *j = &s->port.job;

	j->queued &= ~PSL_JOBQ_START;
	if (j->state == PSL_JOB_RUNNING) {
		if (s->afu == PSL_AFU_ENABLING)
			psl_afu_cntl_done(s);
		return;
	}
	j->stats.starts++;
	job_drive_cmd(s, AFU_JCOM_START, j->wed);
	job_step(s, PSL_JOB_IN_START, 0);
}

/* One job command per edge, by priority; an LLCMD only to a running AFU. */
static void job_drive(struct psl_slice *s)
{
	struct psl_job *j = &s->port.job;
	struct psl_card *card = s->card;

	if (j->queued & PSL_JOBQ_RESET) {
		job_drive_reset(s);
	} else if (j->queued & PSL_JOBQ_START) {
		job_drive_start(s);
	} else if (j->llcmd == PSL_LLCMD_QUEUED && j->state == PSL_JOB_RUNNING) {
		j->llcmd = PSL_LLCMD_SENT;
		j->stats.llcmds++;
		job_drive_cmd(s, AFU_JCOM_LLCMD, j->llcmd_word);
	} else if ((j->queued & PSL_JOBQ_TIMEBASE) && j->state != PSL_JOB_HELD &&
		   j->state != PSL_JOB_RESETTING) {
		/* The timebase as PSL_Timebase would read it [U: payload format]. */
		j->queued &= ~PSL_JOBQ_TIMEBASE;
		j->stats.timebases++;
		job_drive_cmd(s, AFU_JCOM_TIMEBASE,
			      psl_host_timebase(simq_now(card->q)) + (u64)card->p.tb_skew);
	}
}

/* Whether a job command waits to be driven or answered (afu.h's rule). */
static bool job_pending(const struct psl_job *j)
{
	if (j->queued & (PSL_JOBQ_RESET | PSL_JOBQ_START))
		return true;
	if ((j->queued & PSL_JOBQ_TIMEBASE) && j->state != PSL_JOB_HELD)
		return true;
	if (j->llcmd == PSL_LLCMD_SENT ||
	    (j->llcmd == PSL_LLCMD_QUEUED && j->state == PSL_JOB_RUNNING))
		return true;
	return j->state == PSL_JOB_RESETTING;
}

/* ---- The clock ---- */

static void clock_set(struct psl_slice *s, bool on)
{
	struct psl_port *pt = &s->port;

	pt->clock_on = on;
	trace_emit(&tk_clock, &s->card->tsrc, TRACE_CTX_NONE, TRACE_U(s->idx), TRACE_U(on),
		   TRACE_U(pt->ticks));
}

static bool in_strobed(const struct afu_in *in)
{
	return in->jval || in->mmval || in->brvalid || in->bwvalid || in->rvalid;
}

static void clear_in_strobes(struct afu_in *in)
{
	in->jval = 0;
	in->mmval = 0;
	in->brvalid = 0;
	in->bwvalid = 0;
	in->rvalid = 0;
}

/* A command the AFU drove, counted by code for run reports. */
static void port_count_com(struct psl_port *pt, u16 com)
{
	unsigned int i;

	for (i = 0; i < pt->nr_coms; i++) {
		if (pt->coms[i].com == com) {
			pt->coms[i].n++;
			return;
		}
	}
	if (pt->nr_coms == PSL_NR_COM_COUNTS) {
		pt->coms_other++;
		return;
	}
	pt->coms[pt->nr_coms++] = (struct psl_com_count){ .com = com, .n = 1 };
}

/* One rising edge: sample, advance, drive, tick; then stop or go on. */
static void port_edge(void *arg)
{
	struct psl_slice *s = arg;
	struct psl_port *pt = &s->port;
	struct sim_queue *q = s->card->q;

	pt->edges++;
	pt->last_edge = simq_now(q);
	job_sample(s);
	psl_afu_mmio_sample(s);
	psl_cmd_sample(s);
	/* Sampled once: a clock that stops now must not see them again at restart. */
	afu_out_clear_strobes(&pt->out);
	psl_cmd_advance(s);
	job_drive(s);
	psl_afu_mmio_drive(s);
	psl_cmd_drive(s);
	if (!in_strobed(&pt->in) &&
	    afu_clock_may_stop(pt->afu, &pt->out, pt->cq.outstanding, psl_afu_mmio_pending(s),
			       job_pending(&pt->job))) {
		clock_set(s, false);
		return;
	}
	pt->afu->ops->tick(pt->afu, &pt->in, &pt->out);
	pt->ticks++;
	if (pt->out.cvalid)
		port_count_com(pt, pt->out.com);
	clear_in_strobes(&pt->in);
	if (sim_schedule_at(q, &pt->clk, pt->last_edge + PSL_PERIOD_PS)) {
		pr_err("%s slice %u: cannot schedule the AFU clock\n", s->card->p.name, s->idx);
		clock_set(s, false);
	}
}

void psl_port_kick(struct psl_slice *s)
{
	struct psl_port *pt = &s->port;
	u64 t;

	if (!pt->afu || pt->clock_on)
		return;
	t = next_edge(&psl_clock, simq_now(s->card->q));
	if (pt->edges && t <= pt->last_edge)
		t = pt->last_edge + PSL_PERIOD_PS;
	clock_set(s, true);
	if (sim_schedule_at(s->card->q, &pt->clk, t)) {
		pr_err("%s slice %u: cannot start the AFU clock\n", s->card->p.name, s->idx);
		clock_set(s, false);
	}
}

/* ---- Requests from the register side ---- */

void psl_job_reset(struct psl_slice *s, bool cntl)
{
	struct psl_job *j = &s->port.job;

	j->queued |= PSL_JOBQ_RESET;
	j->queued &= ~PSL_JOBQ_START;
	j->cntl_reset = cntl;
	psl_port_kick(s);
}

void psl_job_start(struct psl_slice *s, u64 wed)
{
	struct psl_job *j = &s->port.job;

	j->queued |= PSL_JOBQ_START;
	j->wed = wed;
	psl_port_kick(s);
}

/* PSLSE forwards ADD, TERMINATE and REMOVE only [P]; so do we. */
bool psl_job_llcmd(struct psl_slice *s, u64 word)
{
	struct psl_job *j = &s->port.job;
	u16 cmd = AFU_LLCMD_CMD(word);
	u64 to = s->card->p.timing.llcmd_timeout;

	if (!s->port.afu ||
	    (cmd != AFU_LLCMD_ADD && cmd != AFU_LLCMD_TERMINATE && cmd != AFU_LLCMD_REMOVE))
		return false;
	if (j->llcmd != PSL_LLCMD_IDLE) {
		pr_err("%s slice %u: LLCMD 0x%016llx while 0x%016llx is with the AFU\n",
		       s->card->p.name, s->idx, (unsigned long long)word,
		       (unsigned long long)j->llcmd_word);
		return false;
	}
	j->llcmd = PSL_LLCMD_QUEUED;
	j->llcmd_word = word;
	if (to)
		psl_schedule(s->card, &j->llcmd_to, to);
	psl_port_kick(s);
	return true;
}

/* ---- Attach, detach, reset ---- */

void psl_port_init(struct psl_slice *s)
{
	struct psl_port *pt = &s->port;

	sim_event_init(&pt->clk, "psl-afu-clock", port_edge, s);
	sim_event_init(&pt->job.llcmd_to, "psl-llcmd-timeout", llcmd_timeout, s);
	psl_afu_mmio_init(s);
	psl_cmd_init(s);
}

void psl_port_reset(struct psl_slice *s)
{
	struct psl_port *pt = &s->port;
	struct psl_job *j = &pt->job;

	sim_cancel(s->card->q, &pt->clk);
	sim_cancel(s->card->q, &j->llcmd_to);
	pt->clock_on = false;
	psl_cmd_drop_all(s, false);
	psl_afu_mmio_reset(s);
	j->state = PSL_JOB_HELD;
	j->queued = 0;
	j->cntl_reset = false;
	j->wed = 0;
	j->llcmd = PSL_LLCMD_IDLE;
	j->llcmd_word = 0;
	clear_in_strobes(&pt->in);
}

int psl_afu_attach(struct psl_slice *s, struct afu *afu)
{
	struct psl_port *pt = &s->port;

	if (!afu || !afu->ops || !afu->ops->tick)
		return -EINVAL;
	if (pt->afu)
		return -EBUSY;
	psl_port_reset(s);
	pt->afu = afu;
	memset(&pt->in, 0, sizeof(pt->in));
	memset(&pt->out, 0, sizeof(pt->out));
	pt->in.croom = s->card->p.croom;
	pt->edges = 0;
	pt->last_edge = 0;
	pt->ticks = 0;
	pt->nr_coms = 0;
	pt->coms_other = 0;
	pr_info("%s slice %u: AFU %s (%s) attached\n", s->card->p.name, s->idx,
		afu->instance, afu->ops->name);
	return 0;
}

void psl_afu_detach(struct psl_slice *s)
{
	if (!s->port.afu)
		return;
	psl_port_reset(s);
	s->port.afu = NULL;
}
