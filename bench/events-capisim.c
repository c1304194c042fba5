// SPDX-License-Identifier: GPL-2.0
/*
 * bench/events, capisim's side: the workload of events.h on struct
 * sim_queue, one intrusive event per process, as the models use it.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "core/event.h"
#include "events.h"

struct producer {
	struct sim_event ev;
	struct sim_queue *q;
	u64 rng;
	u64 left;	/* firings still to come */
	u64 t0;
	u64 sum;
};

/* One side of a ping-pong pair; both sides count down the pair's @left. */
struct pp_side {
	struct sim_event ev;
	struct pp_side *peer;
	struct sim_queue *q;
	u64 *left;
	u64 t0;
	u64 sum;
};

struct pp_pair {
	struct pp_side a, b;
	u64 left;
};

double evb_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void producer_fire(void *arg)
{
	struct producer *p = arg;

	p->sum += simq_now(p->q) - p->t0;
	if (--p->left)
		sim_schedule_in(p->q, &p->ev, evb_delay(&p->rng));
}

static void pp_fire(void *arg)
{
	struct pp_side *s = arg;

	s->sum += simq_now(s->q) - s->t0;
	if (--*s->left)
		sim_schedule_in(s->q, &s->peer->ev, EVB_PINGPONG_DELAY);
}

/* The queue is big (two wheels): keep it off the stack. */
static struct sim_queue *queue_new(void)
{
	struct sim_queue *q = malloc(sizeof(*q));

	if (q)
		simq_init(q);
	return q;
}

static void queue_free(struct sim_queue *q)
{
	simq_exit(q);
	free(q);
}

int evb_capisim_producers(const struct evb_params *prm, struct evb_result *r)
{
	struct producer *p = calloc(prm->m, sizeof(*p));
	struct sim_queue *q = queue_new();
	double t;
	u32 i;

	if (!p || !q) {
		free(p);
		if (q)
			queue_free(q);
		return -ENOMEM;
	}
	for (i = 0; i < prm->m; i++) {
		sim_event_init(&p[i].ev, "producer", producer_fire, &p[i]);
		p[i].q = q;
		p[i].rng = evb_stream(prm->seed, i);
		p[i].left = evb_share(prm->n, prm->m, i);
		p[i].t0 = simq_now(q);
		if (p[i].left)
			sim_schedule_in(q, &p[i].ev, evb_delay(&p[i].rng));
	}
	t = evb_seconds();
	r->events = simq_run_idle(q);
	r->seconds = evb_seconds() - t;
	r->checksum = 0;
	for (i = 0; i < prm->m; i++)
		r->checksum = evb_fold(r->checksum, i, p[i].sum);
	queue_free(q);
	free(p);
	return 0;
}

static void pp_side_init(struct pp_side *s, struct pp_side *peer, struct pp_pair *pair,
			 struct sim_queue *q)
{
	sim_event_init(&s->ev, "ping-pong", pp_fire, s);
	s->peer = peer;
	s->q = q;
	s->left = &pair->left;
	s->t0 = simq_now(q);
}

int evb_capisim_pingpong(const struct evb_params *prm, struct evb_result *r)
{
	struct pp_pair *pp = calloc(prm->k, sizeof(*pp));
	struct sim_queue *q = queue_new();
	double t;
	u32 i;

	if (!pp || !q) {
		free(pp);
		if (q)
			queue_free(q);
		return -ENOMEM;
	}
	for (i = 0; i < prm->k; i++) {
		pp_side_init(&pp[i].a, &pp[i].b, &pp[i], q);
		pp_side_init(&pp[i].b, &pp[i].a, &pp[i], q);
		pp[i].left = evb_share(prm->p, prm->k, i);
		if (pp[i].left)
			sim_schedule_in(q, &pp[i].a.ev, 0);
	}
	t = evb_seconds();
	r->events = simq_run_idle(q);
	r->seconds = evb_seconds() - t;
	r->checksum = 0;
	for (i = 0; i < prm->k; i++) {
		r->checksum = evb_fold(r->checksum, 2 * i, pp[i].a.sum);
		r->checksum = evb_fold(r->checksum, 2 * i + 1, pp[i].b.sum);
	}
	queue_free(q);
	free(pp);
	return 0;
}
