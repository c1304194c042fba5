// SPDX-License-Identifier: GPL-2.0
/*
 * AFU MMIO forwarding (reference 1.5, 1.6, 8.3): loads and stores to a
 * slice's AFU descriptor (ha_mmcfg = 1) or problem state area (ha_mmcfg
 * = 0) go to its AFU as a word address within that space, one request at
 * a time, and complete when the AFU pulses ah_mmack.  The PSL does not
 * say which process made a PSA access; the AFU decodes per-process
 * slices from the offset (reference 3.4).
 *
 * Requests queue per slice in arrival order.  Each is driven at an edge
 * of the AFU's clock; past afu_mmio_timeout without ah_mmack the PSL
 * reports SERR afuto and the load returns all-ones [U: limit and data].
 */
#define pr_fmt(fmt) "psl-afu-mmio: " fmt

#include <errno.h>
#include <stdlib.h>

#include "core/log.h"
#include "psl/psl.h"

#define MMAD_SPACE	(1ULL << 26)	/* ha_mmad: 24-bit word address, 64 MiB */

struct psl_mmio_req {
	struct psl_mmio_req *next;
	bool cfg;
	bool read;
	bool dw;			/* 64-bit */
	u32 mmad;
	u64 data;			/* store data */
	u64 t_submit;
	psl_mmio_done_fn *done;
	void *arg;
};

static struct trace_kind tk_req =
	TRACE_KIND("psl.afu.mmio", TRACE_LVL_DEFAULT,
		   "slice:u64 cfg:u64 read:u64 dw:u64 ad:u64 data:u64");
static struct trace_kind tk_ack =
	TRACE_KIND("psl.afu.mmack", TRACE_LVL_DEFAULT,
		   "slice:u64 data:u64 lat:u64 timeout:u64");

static bool in_region(u64 offset, u64 start, u64 len)
{
	return offset >= start && offset - start < len;
}

bool psl_afu_mmio_is_afu_space(const struct psl_card *card, u64 offset)
{
	const struct psl_params *p = &card->p;

	return in_region(offset, p->afu_desc_off * CXL_VSEC_UNIT,
			 (u64)p->nr_slices * p->afu_desc_size * CXL_VSEC_UNIT) ||
	       in_region(offset, p->ps_off * CXL_VSEC_UNIT,
			 (u64)p->nr_slices * p->ps_size * CXL_VSEC_UNIT);
}

/* Which slice and space @offset (in BAR0) falls in; @rel becomes the offset within. */
static struct psl_slice *afu_space(struct psl_card *card, u64 offset, bool *cfg, u64 *rel)
{
	const struct psl_params *p = &card->p;
	u64 base = p->afu_desc_off * CXL_VSEC_UNIT, size = p->afu_desc_size * CXL_VSEC_UNIT;

	*cfg = in_region(offset, base, p->nr_slices * size);
	if (!*cfg) {
		base = p->ps_off * CXL_VSEC_UNIT;
		size = p->ps_size * CXL_VSEC_UNIT;
	}
	*rel = (offset - base) % size;
	return &card->slice[(offset - base) / size];
}

static u64 ones(unsigned int width)
{
	return width == 8 ? ~0ULL : (1ULL << 8 * width) - 1;
}

/* An access that never reaches the AFU: logged, all-ones, done now. */
static int refuse(struct psl_slice *s, u64 rel, bool cfg, unsigned int width, bool write,
		  const char *why, psl_mmio_done_fn *done, void *arg)
{
	pr_warn("%s slice %u: %u-byte %s at %s+0x%llx: %s; %s\n", s->card->p.name, s->idx,
		width, write ? "store" : "load", cfg ? "descriptor" : "PSA",
		(unsigned long long)rel, why, write ? "dropped" : "reads all-ones");
	done(arg, write ? 0 : ones(width));
	return 0;
}

int psl_afu_mmio_submit(struct psl_card *card, u64 offset, unsigned int width, bool write,
			u64 val, psl_mmio_done_fn *done, void *arg)
{
	struct psl_afu_mmio *m;
	struct psl_mmio_req *r;
	struct psl_slice *s;
	bool cfg;
	u64 rel;

	s = afu_space(card, offset, &cfg, &rel);
	m = &s->port.mmio;
	/* POWER8 reaches the PSA with 32- and 64-bit accesses only (reference 1.6). */
	if ((width != 4 && width != 8) || rel % width) {
		m->stats.bad_access++;
		return refuse(s, rel, cfg, width, write,
			      "AFU space takes aligned 32/64-bit accesses", done, arg);
	}
	if (rel >= MMAD_SPACE) {
		m->stats.bad_access++;
		return refuse(s, rel, cfg, width, write, "beyond the 24-bit ha_mmad", done, arg);
	}
	if (!s->port.afu) {
		m->stats.no_afu++;
		return refuse(s, rel, cfg, width, write, "no AFU attached", done, arg);
	}
	/* The descriptor answers once out of reset; the PSA only while enabled [P, K text]. */
	if (!cfg && s->afu != PSL_AFU_ENABLED) {
		m->stats.afudis++;
		psl_err_serr(s, CXL_PSL_SERR_An_afudis);
		return refuse(s, rel, cfg, width, write, "the AFU is not enabled (SERR afudis)",
			      done, arg);
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		pr_err("%s slice %u: out of memory for an MMIO request\n", card->p.name, s->idx);
		done(arg, write ? 0 : ones(width));
		return 0;
	}
	r->cfg = cfg;
	r->read = !write;
	r->dw = width == 8;
	r->mmad = rel / 4;
	/* A 32-bit store is replicated on both halves of ha_mmdata [P]. */
	r->data = r->dw ? val : (val & 0xFFFFFFFFULL) * 0x100000001ULL;
	r->t_submit = simq_now(card->q);
	r->done = done;
	r->arg = arg;
	if (m->tail)
		m->tail->next = r;
	else
		m->head = r;
	m->tail = r;
	psl_port_kick(s);
	return -EINPROGRESS;
}

/* The head is over with @val: out of the queue, then tell its owner. */
static void complete_head(struct psl_slice *s, u64 val, bool timeout)
{
	struct psl_afu_mmio *m = &s->port.mmio;
	struct psl_mmio_req *r = m->head;

	m->head = r->next;
	if (!m->head)
		m->tail = NULL;
	m->sent = false;
	sim_cancel(s->card->q, &m->timeout);
	trace_emit(&tk_ack, &s->card->tsrc, TRACE_CTX_NONE, TRACE_U(s->idx), TRACE_U(val),
		   TRACE_U(simq_now(s->card->q) - r->t_submit), TRACE_U(timeout));
	r->done(r->arg, val);
	free(r);
}

static void mmio_timeout(void *arg)
{
	struct psl_slice *s = arg;
	struct psl_afu_mmio *m = &s->port.mmio;

	m->stats.timeouts++;
	pr_warn("%s slice %u: AFU did not acknowledge an MMIO (SERR afuto)\n",
		s->card->p.name, s->idx);
	psl_err_serr(s, CXL_PSL_SERR_An_afuto);
	complete_head(s, m->head->read ? ones(m->head->dw ? 8 : 4) : 0, true);
	psl_port_kick(s);
}

void psl_afu_mmio_sample(struct psl_slice *s)
{
	const struct afu_out *o = &s->port.out;
	struct psl_afu_mmio *m = &s->port.mmio;
	u64 val;

	if (!o->mmack)
		return;
	if (!m->sent) {
		m->stats.stray_acks++;
		pr_warn("%s slice %u: ah_mmack with no MMIO in flight: ignored\n",
			s->card->p.name, s->idx);
		return;
	}
	if (m->head->read && o->paren && o->mmdatapar != afu_parity64(o->mmdata)) {
		m->stats.parity++;
		pr_warn("%s slice %u: bad ah_mmdatapar on 0x%016llx (SERR afupar)\n",
			s->card->p.name, s->idx, (unsigned long long)o->mmdata);
		psl_err_parity(s, -1);
	}
	/* A 32-bit load takes bits 32:63 of ah_mmdata [P/U]. */
	val = !m->head->read ? 0 : m->head->dw ? o->mmdata : o->mmdata & 0xFFFFFFFFULL;
	complete_head(s, val, false);
}

void psl_afu_mmio_drive(struct psl_slice *s)
{
	struct psl_afu_mmio *m = &s->port.mmio;
	struct afu_in *in = &s->port.in;
	struct psl_mmio_req *r = m->head;
	u64 to = s->card->p.timing.afu_mmio_timeout;

	if (!r || m->sent)
		return;
	m->sent = true;
	if (r->read)
		m->stats.reads++;
	else
		m->stats.writes++;
	in->mmval = 1;
	in->mmcfg = r->cfg;
	in->mmrnw = r->read;
	in->mmdw = r->dw;
	in->mmad = r->mmad;
	in->mmadpar = afu_parity64(r->mmad);
	in->mmdata = r->data;
	in->mmdatapar = afu_parity64(r->data);
	trace_emit(&tk_req, &s->card->tsrc, TRACE_CTX_NONE, TRACE_U(s->idx), TRACE_U(r->cfg),
		   TRACE_U(r->read), TRACE_U(r->dw), TRACE_U(r->mmad), TRACE_U(r->data));
	if (to && sim_schedule_in(s->card->q, &m->timeout, to))
		pr_err("%s slice %u: cannot arm the MMIO time-out\n", s->card->p.name, s->idx);
}

void psl_afu_mmio_init(struct psl_slice *s)
{
	sim_event_init(&s->port.mmio.timeout, "psl-afu-mmio-timeout", mmio_timeout, s);
}

/* Everything in flight ends as if the AFU never answered, without SERR. */
void psl_afu_mmio_reset(struct psl_slice *s)
{
	struct psl_afu_mmio *m = &s->port.mmio;

	while (m->head)
		complete_head(s, m->head->read ? ones(m->head->dw ? 8 : 4) : 0, false);
}
