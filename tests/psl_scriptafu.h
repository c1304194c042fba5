/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A scripted AFU for PSL tests: it issues a programmed list of commands,
 * one per cycle, and records everything the PSL drives at it - job
 * commands, MMIO requests, buffer beats, responses - with the tick each
 * arrived at.  Job commands and MMIO requests are answered after a
 * programmable number of ticks (or never).  Knobs let a test drive bad
 * parity, ignore credits or reuse tags.  Written from the interface rules
 * of reference 8 and sim/afu/afu.h, independently of the PSL model.
 */
#ifndef CAPISIM_TESTS_PSL_SCRIPTAFU_H
#define CAPISIM_TESTS_PSL_SCRIPTAFU_H

#include <stdlib.h>
#include <string.h>

#include "afu/afu.h"

#define SA_MAX_CMDS	512
#define SA_MAX_LOG	1024
#define SA_NEVER	UINT64_MAX

/* One programmed command. */
struct sa_cmd {
	u16 com;
	u8 tag;
	u8 cabt;
	u16 cch;
	u16 size;
	u64 ea;
	bool wait;		/* issue only once every earlier command has its response */
	bool bad_par;		/* drive a wrong ah_ctagpar */
	bool bad_data_par;	/* drive a wrong ah_brpar with its write data */
	u8 data[AFU_LINE_SIZE];	/* its buffer at issue (write data) */
};

struct sa_resp {
	u8 tag;
	u8 code;
	s16 credits;
	bool tagpar_ok;
	u64 tick;
};

struct sa_beat {
	u8 tag;
	u8 half;
	bool to_afu;		/* ha_bwvalid; else ha_brvalid */
	bool par_ok;		/* ha_bwpar / tag parity as expected */
	u64 tick;
};

struct sa_job {
	u8 jcom;
	u64 jea;
	bool par_ok;
	u64 tick;
};

struct sa_mmio {
	bool cfg;
	bool read;
	bool dw;
	u32 ad;
	u64 data;
	u64 tick;
};

struct sa {
	struct afu afu;
	/* Behaviour, set by the test */
	u8 brlat;
	bool paren;
	bool ignore_credits;	/* issue with no credit left */
	u64 reset_delay;	/* ticks from RESET to ah_jdone; SA_NEVER: never */
	u64 start_delay;	/* ticks from START to ah_jrunning */
	u64 llcmd_delay;	/* ticks from LLCMD to ah_jcack */
	u64 mmio_delay;		/* ticks from an MMIO request to ah_mmack */
	bool bad_mmio_par;	/* drive a wrong ah_mmdatapar */
	u64 desc[16];		/* descriptor doublewords 0x00..0x78 */
	u64 psa[64];		/* problem-state doublewords 0x000..0x1F8 */
	/* The script */
	struct sa_cmd cmds[SA_MAX_CMDS];
	unsigned int nr_cmds;
	unsigned int next;
	bool hold;		/* do not issue until cleared */
	/* State */
	u64 ticks;
	bool running;
	s32 credits;
	u32 outstanding;
	u8 buf[256][AFU_LINE_SIZE];
	u64 jdone_at, jrun_at, jcack_at, mmack_at;
	u64 jerror_pending;
	bool end_job;		/* set by the test: end the job at the next tick */
	bool tbreq;		/* set by the test: request the timebase */
	struct {
		bool valid;
		u8 tag;
		u8 half;
		bool bad;
	} brq[16];
	struct sa_mmio cur_mmio;
	/* What was seen */
	struct sa_resp resp[SA_MAX_LOG];
	unsigned int nr_resp;
	struct sa_beat beats[SA_MAX_LOG];
	unsigned int nr_beats;
	struct sa_job jobs[64];
	unsigned int nr_jobs;
	struct sa_mmio mmios[64];
	unsigned int nr_mmios;
	u64 issue_tick[SA_MAX_CMDS];
	u64 max_outstanding;
	u64 bad_in_parity;	/* PSL-driven parity that was wrong */
};

static inline struct sa *to_sa(const struct afu *a)
{
	return container_of(a, struct sa, afu);
}

static inline void sa_log_job(struct sa *sa, const struct afu_in *in)
{
	if (sa->nr_jobs < ARRAY_SIZE(sa->jobs))
		sa->jobs[sa->nr_jobs++] = (struct sa_job){
			.jcom = in->jcom, .jea = in->jea, .tick = sa->ticks,
			.par_ok = in->jcompar == afu_parity64(in->jcom) &&
				  in->jeapar == afu_parity64(in->jea),
		};
}

static inline void sa_job(struct sa *sa, const struct afu_in *in, struct afu_out *out)
{
	sa_log_job(sa, in);
	switch (in->jcom) {
	case AFU_JCOM_RESET:
		sa->running = false;
		out->jrunning = 0;
		sa->credits = in->croom;
		sa->outstanding = 0;
		sa->jrun_at = SA_NEVER;
		sa->jdone_at = sa->reset_delay == SA_NEVER ? SA_NEVER : sa->ticks + sa->reset_delay;
		break;
	case AFU_JCOM_START:
		sa->jrun_at = sa->ticks + sa->start_delay;
		break;
	case AFU_JCOM_LLCMD:
		sa->jcack_at = sa->llcmd_delay == SA_NEVER ? SA_NEVER : sa->ticks + sa->llcmd_delay;
		break;
	default:
		break;
	}
}

static inline u64 sa_mmio_value(struct sa *sa, const struct afu_in *in)
{
	u32 dw = in->mmad / 2;
	u64 v = in->mmcfg ? (dw < 16 ? sa->desc[dw] : 0) : (dw < 64 ? sa->psa[dw] : 0);

	if (in->mmdw)
		return v;
	v = in->mmad & 1 ? (u32)v : v >> 32;
	return v << 32 | v;
}

static inline void sa_mmio_write(struct sa *sa, const struct afu_in *in)
{
	u32 dw = in->mmad / 2;
	u64 *reg = in->mmcfg || dw >= 64 ? NULL : &sa->psa[dw];

	if (!reg)
		return;
	if (in->mmdw)
		*reg = in->mmdata;
	else if (in->mmad & 1)
		*reg = (*reg & ~0xFFFFFFFFULL) | (u32)in->mmdata;
	else
		*reg = (*reg & 0xFFFFFFFFULL) | (u64)(u32)in->mmdata << 32;
}

static inline void sa_buffers(struct sa *sa, const struct afu_in *in, struct afu_out *out)
{
	unsigned int slot;

	if (in->bwvalid) {
		memcpy(sa->buf[in->bwtag] + (in->bwad & 1) * AFU_HALF_LINE, in->bwdata,
		       AFU_HALF_LINE);
		if (sa->nr_beats < SA_MAX_LOG)
			sa->beats[sa->nr_beats++] = (struct sa_beat){
				.tag = in->bwtag, .half = in->bwad & 1, .to_afu = true,
				.tick = sa->ticks,
				.par_ok = in->bwpar == afu_parity_half(in->bwdata) &&
					  in->bwtagpar == afu_parity64(in->bwtag),
			};
	}
	if (in->brvalid) {
		slot = (sa->ticks + sa->brlat - 1) % 16;
		sa->brq[slot].valid = true;
		sa->brq[slot].tag = in->brtag;
		sa->brq[slot].half = in->brad & 1;
		sa->brq[slot].bad = false;
		if (sa->nr_beats < SA_MAX_LOG)
			sa->beats[sa->nr_beats++] = (struct sa_beat){
				.tag = in->brtag, .half = in->brad & 1, .to_afu = false,
				.tick = sa->ticks,
				.par_ok = in->brtagpar == afu_parity64(in->brtag),
			};
	}
	slot = sa->ticks % 16;
	if (sa->brq[slot].valid) {
		const u8 *half = sa->buf[sa->brq[slot].tag] + sa->brq[slot].half * AFU_HALF_LINE;
		unsigned int i;
		bool bad = false;

		sa->brq[slot].valid = false;
		memcpy(out->brdata, half, AFU_HALF_LINE);
		for (i = 0; i < sa->next; i++)
			if (sa->cmds[i].tag == sa->brq[slot].tag && sa->cmds[i].bad_data_par)
				bad = true;
		out->brpar = afu_parity_half(half) ^ (bad ? 0x80 : 0);
	}
}

static inline void sa_issue(struct sa *sa, struct afu_out *out)
{
	struct sa_cmd *c;

	if (!sa->running || sa->hold || sa->next >= sa->nr_cmds)
		return;
	c = &sa->cmds[sa->next];
	if (c->wait && sa->outstanding)
		return;
	if (sa->credits <= 0 && !sa->ignore_credits)
		return;
	memcpy(sa->buf[c->tag], c->data, AFU_LINE_SIZE);
	out->cvalid = 1;
	out->ctag = c->tag;
	out->com = c->com;
	out->cabt = c->cabt;
	out->cea = c->ea;
	out->cch = c->cch;
	out->csize = c->size;
	out->ctagpar = afu_parity64(c->tag) ^ c->bad_par;
	out->compar = afu_parity64(c->com);
	out->ceapar = afu_parity64(c->ea);
	sa->issue_tick[sa->next++] = sa->ticks;
	sa->credits--;
	sa->outstanding++;
	if (sa->outstanding > sa->max_outstanding)
		sa->max_outstanding = sa->outstanding;
}

static inline void sa_tick(struct afu *a, const struct afu_in *in, struct afu_out *out)
{
	struct sa *sa = to_sa(a);

	sa->ticks++;
	out->brlat = sa->brlat;
	out->paren = sa->paren;
	if (in->jval)
		sa_job(sa, in, out);
	if (sa->ticks >= sa->jdone_at) {
		sa->jdone_at = SA_NEVER;
		out->jdone = 1;
		out->jerror = 0;
	}
	if (sa->ticks >= sa->jrun_at) {
		sa->jrun_at = SA_NEVER;
		sa->running = true;
		out->jrunning = 1;
	}
	if (sa->ticks >= sa->jcack_at) {
		sa->jcack_at = SA_NEVER;
		out->jcack = 1;
	}
	if (sa->end_job && sa->running) {
		sa->end_job = false;
		sa->running = false;
		out->jrunning = 0;
		out->jdone = 1;
		out->jerror = sa->jerror_pending;
	}
	if (sa->tbreq) {
		sa->tbreq = false;
		out->tbreq = 1;
	}
	if (in->mmval) {
		sa->cur_mmio = (struct sa_mmio){ .cfg = in->mmcfg, .read = in->mmrnw,
						 .dw = in->mmdw, .ad = in->mmad,
						 .data = in->mmdata, .tick = sa->ticks };
		if (sa->nr_mmios < ARRAY_SIZE(sa->mmios))
			sa->mmios[sa->nr_mmios++] = sa->cur_mmio;
		if (in->mmadpar != afu_parity64(in->mmad) ||
		    in->mmdatapar != afu_parity64(in->mmdata))
			sa->bad_in_parity++;
		if (!in->mmrnw)
			sa_mmio_write(sa, in);
		out->mmdata = in->mmrnw ? sa_mmio_value(sa, in) : 0;
		sa->mmack_at = sa->mmio_delay == SA_NEVER ? SA_NEVER : sa->ticks + sa->mmio_delay;
	}
	if (sa->ticks >= sa->mmack_at) {
		sa->mmack_at = SA_NEVER;
		out->mmack = 1;
		out->mmdatapar = afu_parity64(out->mmdata) ^ sa->bad_mmio_par;
	}
	sa_buffers(sa, in, out);
	if (in->rvalid) {
		if (sa->nr_resp < SA_MAX_LOG)
			sa->resp[sa->nr_resp++] = (struct sa_resp){
				.tag = in->rtag, .code = in->response, .credits = in->rcredits,
				.tagpar_ok = in->rtagpar == afu_parity64(in->rtag),
				.tick = sa->ticks,
			};
		sa->credits += in->rcredits;
		sa->outstanding--;
	}
	sa_issue(sa, out);
}

/* Idle when nothing is programmed to happen without new input. */
static inline bool sa_idle(const struct afu *a)
{
	const struct sa *sa = to_sa(a);
	unsigned int i;

	for (i = 0; i < 16; i++)
		if (sa->brq[i].valid)
			return false;
	if (sa->jdone_at != SA_NEVER || sa->jrun_at != SA_NEVER || sa->jcack_at != SA_NEVER ||
	    sa->mmack_at != SA_NEVER || sa->end_job || sa->tbreq)
		return false;
	return !sa->running || sa->hold || sa->next >= sa->nr_cmds;
}

static inline void sa_destroy(struct afu *a)
{
	free(to_sa(a));
}

static const struct afu_ops sa_ops = {
	.abi_version = AFU_ABI_VERSION,
	.name = "scripted",
	.tick = sa_tick,
	.idle = sa_idle,
	.destroy = sa_destroy,
};

static inline struct sa *sa_create(void)
{
	struct sa *sa = calloc(1, sizeof(*sa));

	if (!sa)
		return NULL;
	sa->afu.ops = &sa_ops;
	snprintf(sa->afu.instance, sizeof(sa->afu.instance), "sa0");
	sa->brlat = 1;
	sa->paren = true;
	sa->reset_delay = 3;
	sa->start_delay = 1;
	sa->llcmd_delay = 2;
	sa->mmio_delay = 2;
	sa->jdone_at = sa->jrun_at = sa->jcack_at = sa->mmack_at = SA_NEVER;
	return sa;
}

/* Append a command; returns it for the test to adjust. */
static inline struct sa_cmd *sa_add(struct sa *sa, u16 com, u8 tag, u64 ea, u16 size)
{
	struct sa_cmd *c = &sa->cmds[sa->nr_cmds++];

	memset(c, 0, sizeof(*c));
	c->com = com;
	c->tag = tag;
	c->ea = ea;
	c->size = size;
	return c;
}

/* The response the AFU got for tag @tag (the last one), or NULL. */
static inline const struct sa_resp *sa_resp_of(const struct sa *sa, u8 tag)
{
	int i;

	for (i = (int)sa->nr_resp - 1; i >= 0; i--)
		if (sa->resp[i].tag == tag)
			return &sa->resp[i];
	return NULL;
}

#endif
