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

/*
 * A ping-pong pair, as SystemC's side has it: one event per side, each
 * side's callback wakes the other; both count down @left.
 */
struct pp_pair {
	struct sim_event a, b;
	struct sim_queue *q;
	u64 left;
	u64 t0;
	u64 sum_a, sum_b;
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

static void pp_fire_a(void *arg)
{
	struct pp_pair *pp = arg;

	pp->sum_a += simq_now(pp->q) - pp->t0;
	if (--pp->left)
		sim_schedule_in(pp->q, &pp->b, EVB_PINGPONG_DELAY);
}

static void pp_fire_b(void *arg)
{
	struct pp_pair *pp = arg;

	pp->sum_b += simq_now(pp->q) - pp->t0;
	if (--pp->left)
		sim_schedule_in(pp->q, &pp->a, EVB_PINGPONG_DELAY);
}

/* The queue is big (the ring alone is 256 KB): keep it off the stack. */
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
		sim_event_init(&pp[i].a, "ping", pp_fire_a, &pp[i]);
		sim_event_init(&pp[i].b, "pong", pp_fire_b, &pp[i]);
		pp[i].q = q;
		pp[i].left = evb_share(prm->p, prm->k, i);
		pp[i].t0 = simq_now(q);
		if (pp[i].left)
			sim_schedule_in(q, &pp[i].a, 0);
	}
	t = evb_seconds();
	r->events = simq_run_idle(q);
	r->seconds = evb_seconds() - t;
	r->checksum = 0;
	for (i = 0; i < prm->k; i++) {
		r->checksum = evb_fold(r->checksum, 2 * i, pp[i].sum_a);
		r->checksum = evb_fold(r->checksum, 2 * i + 1, pp[i].sum_b);
	}
	queue_free(q);
	free(pp);
	return 0;
}
