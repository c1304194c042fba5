// SPDX-License-Identifier: GPL-2.0
/*
 * The event queue: ordering, ties, cancel, reschedule, the run calls, the
 * run loop's fast path under callbacks that change its block, the end of
 * time, and million-event random stresses checked against the order of
 * scheduling.
 */
#include <errno.h>

#include "harness.h"
#include "core/event.h"

/* A log of fired events: which one, and the queue's time when it ran. */
struct trace {
	struct sim_queue *q;
	int ids[64];
	u64 times[64];
	int n;
};

/* One test event: fires into @tr, recording @id. */
struct tev {
	struct sim_event ev;
	struct trace *tr;
	int id;
};

static void tev_fire(void *arg)
{
	struct tev *t = arg;
	struct trace *tr = t->tr;

	if (tr->n < (int)ARRAY_SIZE(tr->ids)) {
		tr->ids[tr->n] = t->id;
		tr->times[tr->n] = simq_now(tr->q);
	}
	tr->n++;
}

static void tevs_init(struct tev *t, int n, struct trace *tr, struct sim_queue *q)
{
	int i;

	memset(tr, 0, sizeof(*tr));
	tr->q = q;
	simq_init(q);
	for (i = 0; i < n; i++) {
		sim_event_init(&t[i].ev, "tev", tev_fire, &t[i]);
		t[i].tr = tr;
		t[i].id = i;
	}
}

/* Assert the trace holds exactly @n ids, as listed. */
#define ASSERT_TRACE(tr, count, ...)					\
	do {								\
		static const int want_[] = { __VA_ARGS__ };		\
		int i_;							\
		ASSERT_EQm("events fired", (count), (tr)->n);		\
		for (i_ = 0; i_ < (count); i_++)			\
			ASSERT_EQm("fired id", want_[i_], (tr)->ids[i_]); \
	} while (0)

TEST fires_in_time_order(void)
{
	struct sim_queue q;
	struct trace tr;
	struct tev t[6];
	/* Spread over one bucket, several, and the far heap. */
	static const u64 at[6] = { 9000, 3, 4000, 2 * PS_PER_MS, 3999, 5 * PS_PER_US };

	tevs_init(t, 6, &tr, &q);
	for (int i = 0; i < 6; i++)
		ASSERT_EQ(0, sim_schedule_at(&q, &t[i].ev, at[i]));
	ASSERT_EQ(3, simq_next_time(&q));
	ASSERT_EQ(6, simq_run_idle(&q));
	ASSERT_TRACE(&tr, 6, 1, 4, 2, 0, 5, 3);
	for (int i = 0; i < 6; i++)
		ASSERT_EQ(at[tr.ids[i]], tr.times[i]);
	ASSERT_EQ(2 * PS_PER_MS, simq_now(&q));
	ASSERT_EQ(SIM_TIME_NEVER, simq_next_time(&q));
	ASSERT_EQ(6, q.nr_fired);
	simq_exit(&q);
	PASS();
}

TEST ties_run_in_insertion_order(void)
{
	struct sim_queue q;
	struct trace tr;
	struct tev t[5];

	tevs_init(t, 5, &tr, &q);
	/* Later times first in the same bucket, then ties around them. */
	ASSERT_EQ(0, sim_schedule_at(&q, &t[0].ev, 8010));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[1].ev, 8000));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[2].ev, 8010));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[3].ev, 8000));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[4].ev, 8001));
	simq_run_idle(&q);
	ASSERT_TRACE(&tr, 5, 1, 3, 4, 0, 2);
	simq_exit(&q);
	PASS();
}

/* A far (heap) event and a near (ring) one at the same time: the older runs first. */
TEST ties_across_far_and_near(void)
{
	struct sim_queue q;
	struct trace tr;
	struct tev t[4];
	u64 at = 3 * PS_PER_S + 4000;

	tevs_init(t, 4, &tr, &q);
	ASSERT_EQ(0, sim_schedule_at(&q, &t[0].ev, at));	/* far heap */
	ASSERT_EQ(0, sim_schedule_at(&q, &t[1].ev, at));
	ASSERT_EQ(0, simq_run_until(&q, at - 100));
	ASSERT_EQ(at - 100, simq_now(&q));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[2].ev, at));	/* near wheel */
	ASSERT_EQ(0, sim_schedule_at(&q, &t[3].ev, at - 1));
	ASSERT_EQ(4, simq_run_idle(&q));
	ASSERT_TRACE(&tr, 4, 3, 0, 1, 2);
	simq_exit(&q);
	PASS();
}

/*
 * Pairs of events a few picoseconds to a few microseconds apart, starting
 * all round the ring and level 1, so the search for the next one wraps at
 * every word of their bitmaps and each boundary between ring, level 1 and
 * heap is crossed from each side.
 */
TEST gaps_across_the_wheels(void)
{
	static const u64 gaps[] = {
		1, 63, 64, 4095, 4096, 4097, 7 * 4096 - 1, 7 * 4096, 8 * 4096 - 1,
		8 * 4096, 8 * 4096 + 1, 63 * 4096, 64 * 4096 + 5, 300 * 4096,
		1031 * 4096, 1032 * 4096, 1033 * 4096 + 7, 5 * PS_PER_MS,
	};
	static const u64 starts[] = { 0, 6, 7, 8, 63, 64, 700, 1000, 1023, 1031 };
	struct sim_queue q;
	struct trace tr;
	struct tev t[3];

	for (unsigned int s = 0; s < ARRAY_SIZE(starts); s++) {
		for (unsigned int g = 0; g < ARRAY_SIZE(gaps); g++) {
			u64 t0 = starts[s] * 4096 + 17 + 9 * PS_PER_S;
			u64 t1 = t0 + gaps[g];

			tevs_init(t, 3, &tr, &q);
			ASSERT_EQ(0, simq_run_until(&q, t0 - 3));
			ASSERT_EQ(0, sim_schedule_at(&q, &t[2].ev, t1 + gaps[g]));
			ASSERT_EQ(0, sim_schedule_at(&q, &t[1].ev, t1));
			ASSERT_EQ(0, sim_schedule_at(&q, &t[0].ev, t0));
			ASSERT_EQ(t0, simq_next_time(&q));
			ASSERT(simq_step(&q));
			ASSERT_EQm("next after the first", t1, simq_next_time(&q));
			ASSERT(simq_step(&q));
			ASSERT_EQm("next after the second", t1 + gaps[g], simq_next_time(&q));
			ASSERT_EQ(1, simq_run_idle(&q));
			ASSERT_TRACE(&tr, 3, 0, 1, 2);
			ASSERT_EQ(t1, tr.times[1]);
			ASSERT_EQ(t1 + gaps[g], tr.times[2]);
			simq_exit(&q);
		}
	}
	PASS();
}

/*
 * A level-1 block whose events share one time moves to the ring in one
 * piece; one with two times moves event by event.  Cancel works on both,
 * before and after the move.
 */
TEST clock_edge_blocks(void)
{
	struct sim_queue q;
	struct trace tr;
	struct tev t[8];
	u64 edge = 10 * PSL_PERIOD_PS;		/* past the ring: level 1 */

	tevs_init(t, 8, &tr, &q);
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(0, sim_schedule_at(&q, &t[i].ev, edge));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[4].ev, 2 * edge + 7));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[5].ev, 2 * edge));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[6].ev, 2 * edge + 7));
	ASSERT(sim_cancel(&q, &t[6].ev));			/* on level 1 */
	ASSERT_EQ(edge, simq_next_time(&q));
	ASSERT(simq_step(&q));					/* the block came down */
	ASSERT(sim_cancel(&q, &t[2].ev));			/* on the ring */
	ASSERT_EQ(0, sim_schedule_at(&q, &t[7].ev, edge));	/* behind the rest */
	ASSERT_EQ(5, simq_run_idle(&q));
	ASSERT_TRACE(&tr, 6, 0, 1, 3, 7, 5, 4);
	ASSERT_EQ(2 * edge + 7, simq_now(&q));
	simq_exit(&q);
	PASS();
}

/* The heap's top, due before level 1's and the ring's next events, runs first. */
TEST heap_before_level1(void)
{
	struct sim_queue q;
	struct trace tr;
	struct tev t[3];
	u64 at = 2 * PS_PER_MS;

	tevs_init(t, 3, &tr, &q);
	ASSERT_EQ(0, sim_schedule_at(&q, &t[0].ev, at));	/* far: the heap */
	ASSERT_EQ(0, simq_run_until(&q, at - 50));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[1].ev, at + 20 * PSL_PERIOD_PS));
	ASSERT_EQ(at, simq_next_time(&q));
	ASSERT(simq_step(&q));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[2].ev, at + PSL_PERIOD_PS));
	ASSERT_EQ(2, simq_run_idle(&q));
	ASSERT_TRACE(&tr, 3, 0, 2, 1);
	simq_exit(&q);
	PASS();
}

TEST cancel_pending_fired_and_idle(void)
{
	struct sim_queue q;
	struct trace tr;
	struct tev t[6];

	tevs_init(t, 6, &tr, &q);
	ASSERT_FALSE(sim_cancel(&q, &t[0].ev));			/* never scheduled */
	ASSERT_EQ(0, sim_schedule_at(&q, &t[0].ev, 100));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[1].ev, 100));	/* bucket head... */
	ASSERT_EQ(0, sim_schedule_at(&q, &t[2].ev, 101));	/* ...middle... */
	ASSERT_EQ(0, sim_schedule_at(&q, &t[3].ev, 102));	/* ...tail */
	ASSERT_EQ(0, sim_schedule_at(&q, &t[4].ev, PS_PER_S));	/* far */
	ASSERT_EQ(0, sim_schedule_at(&q, &t[5].ev, 2 * PS_PER_S));
	ASSERT_EQ(2, simq_run_until(&q, 100));
	ASSERT_TRACE(&tr, 2, 0, 1);
	ASSERT_FALSE(sim_cancel(&q, &t[0].ev));			/* already fired */
	ASSERT(sim_cancel(&q, &t[2].ev));
	ASSERT_FALSE(sim_event_pending(&t[2].ev));
	ASSERT_FALSE(sim_cancel(&q, &t[2].ev));			/* twice */
	ASSERT(sim_cancel(&q, &t[4].ev));
	ASSERT_EQ(102, simq_next_time(&q));
	ASSERT(sim_cancel(&q, &t[3].ev));
	ASSERT_EQ(2 * PS_PER_S, simq_next_time(&q));
	ASSERT_EQ(1, simq_run_idle(&q));
	ASSERT_TRACE(&tr, 3, 0, 1, 5);
	simq_exit(&q);
	PASS();
}

TEST reschedule_moves_or_arms(void)
{
	struct sim_queue q;
	struct trace tr;
	struct tev t[3];

	tevs_init(t, 3, &tr, &q);
	ASSERT_EQ(0, sim_schedule_at(&q, &t[0].ev, 500));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[1].ev, 700));
	ASSERT_EQ(0, sim_reschedule_at(&q, &t[0].ev, 900));	/* later */
	ASSERT_EQ(0, sim_reschedule_at(&q, &t[2].ev, 700));	/* idle: arms it */
	ASSERT_EQ(0, sim_reschedule_at(&q, &t[1].ev, 700));	/* same time: behind 2 */
	ASSERT_EQ(0, simq_run_until(&q, 600));
	ASSERT_EQ(-EINVAL, sim_reschedule_at(&q, &t[0].ev, 599));
	ASSERT(sim_event_pending(&t[0].ev));			/* left as it was */
	ASSERT_EQ(0, sim_reschedule_at(&q, &t[0].ev, 2 * PS_PER_S));	/* to far */
	ASSERT_EQ(0, sim_reschedule_at(&q, &t[0].ev, 650));	/* and back */
	simq_run_idle(&q);
	ASSERT_TRACE(&tr, 3, 0, 2, 1);
	ASSERT_EQ(650, tr.times[0]);
	ASSERT_EQ(700, tr.times[2]);
	simq_exit(&q);
	PASS();
}

TEST schedule_errors(void)
{
	struct sim_queue q;
	struct trace tr;
	struct tev t[2];

	tevs_init(t, 2, &tr, &q);
	ASSERT_EQ(0, simq_run_until(&q, 1000));
	ASSERT_EQ(-EINVAL, sim_schedule_at(&q, &t[0].ev, 999));
	ASSERT_FALSE(sim_event_pending(&t[0].ev));
	ASSERT_EQ(-EINVAL, sim_schedule_in(&q, &t[0].ev, SIM_TIME_NEVER));
	ASSERT_EQ(-EINVAL, sim_call_at(&q, 0, "past", tev_fire, &t[1]));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[0].ev, 1000));	/* now is fine */
	ASSERT_EQ(-EBUSY, sim_schedule_at(&q, &t[0].ev, 2000));
	ASSERT_EQ(-EBUSY, sim_schedule_in(&q, &t[0].ev, 5));
	ASSERT_EQ(1000, simq_next_time(&q));
	ASSERT_EQ(1, simq_run_idle(&q));
	ASSERT_TRACE(&tr, 1, 0);
	simq_exit(&q);
	PASS();
}

/* A clock: re-arms itself every PSL cycle, checking now on each edge. */
struct ticker {
	struct sim_event ev;
	struct sim_queue *q;
	u64 ticks;
	u64 bad_now;
};

static void ticker_fire(void *arg)
{
	struct ticker *tk = arg;

	if (simq_now(tk->q) != tk->ticks * PSL_PERIOD_PS)
		tk->bad_now++;
	tk->ticks++;
	sim_schedule_in(tk->q, &tk->ev, PSL_PERIOD_PS);
}

TEST periodic_self_reschedule(void)
{
	struct sim_queue q;
	struct ticker tk = { .q = &q };

	simq_init(&q);
	sim_event_init(&tk.ev, "tick", ticker_fire, &tk);
	ASSERT_EQ(0, sim_schedule_at(&q, &tk.ev, 0));
	/* Edges at 0, 4, ..., 100 ns. */
	ASSERT_EQ(26, simq_run_until(&q, 100 * PS_PER_NS));
	ASSERT_EQ(0, tk.bad_now);
	ASSERT_EQ(100 * PS_PER_NS, simq_now(&q));
	ASSERT_EQ(104 * PS_PER_NS, simq_next_time(&q));
	/* Far past the wheel's reach: the window wraps many times. */
	ASSERT_EQ(250000, simq_run_until(&q, PS_PER_MS + 100 * PS_PER_NS));
	ASSERT_EQ(0, tk.bad_now);
	ASSERT(sim_cancel(&q, &tk.ev));
	simq_exit(&q);
	PASS();
}

TEST run_until_leaves_later_pending(void)
{
	struct sim_queue q;
	struct trace tr;
	struct tev t[3];

	tevs_init(t, 3, &tr, &q);
	ASSERT_EQ(0, sim_schedule_at(&q, &t[0].ev, 10));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[1].ev, 20));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[2].ev, 5 * PS_PER_S));
	ASSERT_EQ(1, simq_run_until(&q, 19));
	ASSERT_EQ(19, simq_now(&q));
	ASSERT(sim_event_pending(&t[1].ev));
	ASSERT_EQ(1, simq_run_until(&q, 20));			/* inclusive */
	ASSERT_EQ(20, simq_now(&q));
	ASSERT_EQ(0, simq_run_until(&q, 7));			/* never backwards */
	ASSERT_EQ(20, simq_now(&q));
	ASSERT_EQ(0, simq_run_until(&q, 4 * PS_PER_S));	/* jump over the wheel */
	ASSERT_EQ(4 * PS_PER_S, simq_now(&q));
	ASSERT_EQ(1, simq_run_until(&q, 6 * PS_PER_S));
	ASSERT_TRACE(&tr, 3, 0, 1, 2);
	ASSERT_EQ(5 * PS_PER_S, tr.times[2]);
	simq_exit(&q);
	PASS();
}

static bool trace_has_three(void *arg)
{
	struct trace *tr = arg;

	return tr->n >= 3;
}

TEST run_while_not_stops_on_predicate(void)
{
	struct sim_queue q;
	struct trace tr;
	struct tev t[5];

	tevs_init(t, 5, &tr, &q);
	for (int i = 0; i < 5; i++)
		ASSERT_EQ(0, sim_schedule_at(&q, &t[i].ev, 100 * (i + 1)));
	ASSERT_EQ(3, simq_run_while_not(&q, trace_has_three, &tr));
	ASSERT_EQ(300, simq_now(&q));
	ASSERT_EQ(0, simq_run_while_not(&q, trace_has_three, &tr));	/* already true */
	ASSERT_EQ(2, simq_run_idle(&q));
	ASSERT_TRACE(&tr, 5, 0, 1, 2, 3, 4);
	simq_exit(&q);
	PASS();
}

/* Stops the queue when it fires. */
struct stopper {
	struct sim_event ev;
	struct sim_queue *q;
};

static void stopper_fire(void *arg)
{
	struct stopper *s = arg;

	simq_stop(s->q);
}

TEST stop_returns_after_current_event(void)
{
	struct sim_queue q;
	struct trace tr;
	struct tev t[3];
	struct stopper s = { .q = &q };

	tevs_init(t, 3, &tr, &q);
	sim_event_init(&s.ev, "stop", stopper_fire, &s);
	ASSERT_EQ(0, sim_schedule_at(&q, &t[0].ev, 100));
	ASSERT_EQ(0, sim_schedule_at(&q, &s.ev, 200));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[1].ev, 200));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[2].ev, 300));
	ASSERT_EQ(2, simq_run_until(&q, 1000));
	ASSERT_EQ(200, simq_now(&q));				/* not 1000: stopped */
	ASSERT_TRACE(&tr, 1, 0);
	ASSERT_EQ(0, sim_schedule_at(&q, &s.ev, 250));
	ASSERT_EQ(2, simq_run_idle(&q));			/* stop flag was cleared */
	ASSERT_EQ(250, simq_now(&q));
	ASSERT_EQ(1, simq_run_idle(&q));
	ASSERT_TRACE(&tr, 3, 0, 1, 2);
	simq_exit(&q);
	PASS();
}

/* A callback that cancels one event, re-arms itself at now and adds a call. */
struct meddler {
	struct sim_event ev;
	struct sim_queue *q;
	struct tev *victim;
	struct tev *late;
	int runs;
};

static void meddler_fire(void *arg)
{
	struct meddler *m = arg;

	if (m->runs++)
		return;
	sim_cancel(m->q, &m->victim->ev);
	sim_schedule_at(m->q, &m->ev, simq_now(m->q));
	sim_call_at(m->q, simq_now(m->q), "late", tev_fire, m->late);
}

TEST callbacks_schedule_and_cancel(void)
{
	struct sim_queue q;
	struct trace tr;
	struct tev t[3];
	struct meddler m = { .q = &q, .victim = &t[1], .late = &t[2] };

	tevs_init(t, 3, &tr, &q);
	sim_event_init(&m.ev, "meddler", meddler_fire, &m);
	ASSERT_EQ(0, sim_schedule_at(&q, &m.ev, 4000));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[0].ev, 4000));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[1].ev, 4000));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[2].ev, 4001));
	simq_run_idle(&q);
	/* t0 was due before the re-armed meddler and the call; t1 never ran. */
	ASSERT_EQ(2, m.runs);
	ASSERT_TRACE(&tr, 3, 0, 2, 2);
	ASSERT_EQ(4000, tr.times[1]);
	ASSERT_EQ(4001, tr.times[2]);
	simq_exit(&q);
	PASS();
}

/*
 * A callback running in a tie, or before later events of now's block,
 * changes that block under the run loop: cancels the next tie and an
 * event further on, adds one between two pending ones and one at now.
 * Each must be seen at once, in order.
 */
struct shaker {
	struct sim_event ev;
	struct sim_queue *q;
	struct tev *t;
	int runs;
};

static void shaker_fire(void *arg)
{
	struct shaker *sh = arg;
	u64 now = simq_now(sh->q);

	if (sh->runs++)
		return;
	sim_cancel(sh->q, &sh->t[1].ev);			/* the next tie */
	sim_cancel(sh->q, &sh->t[3].ev);			/* later, same word */
	sim_schedule_at(sh->q, &sh->t[5].ev, now + 1);	/* between two */
	sim_schedule_at(sh->q, &sh->t[6].ev, now);	/* at now, last */
}

TEST callbacks_change_now_block(void)
{
	struct sim_queue q;
	struct trace tr;
	struct tev t[7];
	struct shaker sh = { .q = &q, .t = t };
	u64 at = 5 * 4096 + 100;

	tevs_init(t, 7, &tr, &q);
	sim_event_init(&sh.ev, "shaker", shaker_fire, &sh);
	ASSERT_EQ(0, simq_run_until(&q, at - 1000));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[0].ev, at));
	ASSERT_EQ(0, sim_schedule_at(&q, &sh.ev, at));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[1].ev, at));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[2].ev, at));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[3].ev, at + 3));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[4].ev, at + 5));
	ASSERT_EQ(6, simq_run_idle(&q));
	ASSERT_TRACE(&tr, 5, 0, 2, 6, 5, 4);
	ASSERT_EQ(at, tr.times[2]);
	ASSERT_EQ(at + 1, tr.times[3]);
	ASSERT_EQ(at + 5, tr.times[4]);
	simq_exit(&q);
	PASS();
}

/* Stops the queue when it fires, and counts. */
struct tie_stopper {
	struct sim_event ev;
	struct sim_queue *q;
};

static void tie_stopper_fire(void *arg)
{
	struct tie_stopper *s = arg;

	simq_stop(s->q);
}

static bool trace_has_two(void *arg)
{
	struct trace *tr = arg;

	return tr->n >= 2;
}

/* Stop and the run_while_not predicate take effect in the middle of ties. */
TEST stop_and_predicate_inside_ties(void)
{
	struct sim_queue q;
	struct trace tr;
	struct tev t[6];
	struct tie_stopper s = { .q = &q };

	tevs_init(t, 6, &tr, &q);
	sim_event_init(&s.ev, "stop", tie_stopper_fire, &s);
	ASSERT_EQ(0, sim_schedule_at(&q, &t[0].ev, 700));
	ASSERT_EQ(0, sim_schedule_at(&q, &s.ev, 700));
	for (int i = 1; i < 6; i++)
		ASSERT_EQ(0, sim_schedule_at(&q, &t[i].ev, 700));
	ASSERT_EQ(2, simq_run_idle(&q));
	ASSERT_TRACE(&tr, 1, 0);
	ASSERT_EQ(1, simq_run_while_not(&q, trace_has_two, &tr));
	ASSERT_TRACE(&tr, 2, 0, 1);
	ASSERT_EQ(700, simq_next_time(&q));
	ASSERT_EQ(0, sim_schedule_at(&q, &s.ev, 700));		/* after the rest */
	ASSERT_EQ(5, simq_run_until(&q, 10000));
	ASSERT_TRACE(&tr, 6, 0, 1, 2, 3, 4, 5);
	ASSERT_EQ(700, simq_now(&q));				/* stopped */
	ASSERT_EQ(0, simq_run_until(&q, 10000));
	ASSERT_EQ(10000, simq_now(&q));
	ASSERT_EQ(8, q.nr_fired);
	simq_exit(&q);
	PASS();
}

/* run_until() stops inside a ring block, between two picoseconds. */
TEST run_until_inside_a_block(void)
{
	struct sim_queue q;
	struct trace tr;
	struct tev t[4];

	tevs_init(t, 4, &tr, &q);
	ASSERT_EQ(0, sim_schedule_at(&q, &t[0].ev, 4200));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[1].ev, 4201));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[2].ev, 4202));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[3].ev, 4202));
	ASSERT_EQ(2, simq_run_until(&q, 4201));
	ASSERT_EQ(4201, simq_now(&q));
	ASSERT_EQ(0, simq_run_until(&q, 4201));
	ASSERT_EQ(2, simq_run_until(&q, 4202));
	ASSERT_TRACE(&tr, 4, 0, 1, 2, 3);
	simq_exit(&q);
	PASS();
}

/*
 * The heap's top is cached: moving or cancelling it lets a later ring
 * event run, and a heap event due in now's ring block still runs first.
 */
TEST heap_top_moves(void)
{
	struct sim_queue q;
	struct trace tr;
	struct tev t[4];
	u64 at = 3 * PS_PER_MS;

	tevs_init(t, 4, &tr, &q);
	ASSERT_EQ(0, sim_schedule_at(&q, &t[0].ev, at + 10));	/* heap */
	ASSERT_EQ(0, sim_schedule_at(&q, &t[1].ev, at + 20));	/* heap */
	ASSERT_EQ(0, simq_run_until(&q, at));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[2].ev, at + 15));	/* ring */
	ASSERT_EQ(0, sim_schedule_at(&q, &t[3].ev, at + 20));	/* ring, newer */
	ASSERT(sim_cancel(&q, &t[0].ev));
	ASSERT_EQ(at + 15, simq_next_time(&q));
	ASSERT_EQ(3, simq_run_idle(&q));
	ASSERT_TRACE(&tr, 3, 2, 1, 3);
	simq_exit(&q);
	PASS();
}

/*
 * Near 2^64 ps the ring would wrap: scheduling there takes the slow
 * path, and times past the end are refused.
 */
TEST end_of_time(void)
{
	struct sim_queue q;
	struct trace tr;
	struct tev t[4];
	u64 end = SIM_TIME_NEVER;

	tevs_init(t, 4, &tr, &q);
	ASSERT_EQ(0, simq_run_until(&q, end - 5 * 4096));
	ASSERT_EQ(0, sim_schedule_in(&q, &t[0].ev, 4096));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[1].ev, end));
	ASSERT_EQ(0, sim_schedule_at(&q, &t[2].ev, end - 1));
	ASSERT_EQ(-EINVAL, sim_schedule_in(&q, &t[3].ev, 5 * 4096 + 1));
	ASSERT_EQ(-EINVAL, sim_schedule_in(&q, &t[3].ev, SIM_TIME_NEVER));
	ASSERT_EQ(0, sim_schedule_in(&q, &t[3].ev, 5 * 4096));	/* at the end */
	ASSERT_EQ(4, simq_run_idle(&q));
	ASSERT_TRACE(&tr, 4, 0, 2, 1, 3);
	ASSERT_EQ(end - 4 * 4096, tr.times[0]);
	ASSERT_EQ(end, tr.times[3]);
	ASSERT_EQ(end, simq_now(&q));
	ASSERT_EQ(-EINVAL, sim_schedule_in(&q, &t[0].ev, 1));
	ASSERT_EQ(0, sim_schedule_in(&q, &t[0].ev, 0));
	ASSERT(simq_step(&q));
	simq_exit(&q);
	PASS();
}

/* A call that books the next one from inside itself, reusing its record. */
struct chain {
	struct sim_queue *q;
	u64 left;
	u64 fired;
	u64 bad_now;
};

static void chain_fire(void *arg)
{
	struct chain *c = arg;

	if (simq_now(c->q) != c->fired * 10)
		c->bad_now++;
	c->fired++;
	if (--c->left)
		sim_call_at(c->q, simq_now(c->q) + 10, "chain", chain_fire, c);
}

TEST call_at_runs_and_recycles(void)
{
	struct sim_queue q;
	struct trace tr;
	struct tev t[1];
	struct chain c = { .q = &q, .left = 10000 };
	int i;

	tevs_init(t, 1, &tr, &q);
	/* More calls in flight than one record block holds, near and far. */
	for (i = 0; i < 1000; i++)
		ASSERT_EQ(0, sim_call_at(&q, PS_PER_S + i, "tev", tev_fire, t));
	ASSERT_EQ(0, sim_call_at(&q, 0, "chain", chain_fire, &c));
	ASSERT_EQ(10000, simq_run_until(&q, PS_PER_S - 1));
	ASSERT_EQ(10000, c.fired);
	ASSERT_EQ(0, c.bad_now);
	ASSERT_EQ(1000, simq_run_idle(&q));
	ASSERT_EQ(1000, tr.n);
	ASSERT_EQ(PS_PER_S + 999, simq_now(&q));
	simq_exit(&q);
	PASS();
}

/*
 * The stress: STRESS_EVENTS events re-arm themselves at random delays
 * shaped like the simulator's (cycle edges, odd picoseconds, ties at now,
 * far timeouts) and cancel or move each other at random.  The test keeps
 * its own count of schedulings; every firing must come in strictly
 * increasing (time, scheduling number) order, at the time asked for, and
 * exactly the events left armed must fire.
 */
#define STRESS_EVENTS 4096
#define STRESS_FIRES 1000000

static u64 splitmix64(u64 *x)
{
	u64 z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

struct stress;

struct sev {
	struct sim_event ev;
	struct stress *s;
	u64 when;	/* time asked for */
	u64 order;	/* scheduling number given by the test */
	bool armed;	/* per the test's own bookkeeping */
};

struct stress {
	struct sim_queue q;
	u64 rng;
	u64 orders;		/* schedulings so far */
	u64 last_time, last_order;
	u64 fired, armed;
	u64 target;		/* fired count that ends a run_while_not() piece */
	u64 errors;		/* first failure kept in @why */
	const char *why;
	struct sev ev[STRESS_EVENTS];
};

static void stress_fail(struct stress *s, const char *why)
{
	if (!s->errors++)
		s->why = why;
}

static u64 stress_delay(struct stress *s)
{
	u64 r = splitmix64(&s->rng);

	switch (r % 100) {
	case 0 ... 49:		/* 1-4 cycles */
		return PSL_PERIOD_PS * (1 + (r >> 8) % 4);
	case 50 ... 74:		/* anywhere in the next 20 ns */
		return (r >> 8) % (20 * PS_PER_NS);
	case 75 ... 89:		/* now */
		return 0;
	case 90 ... 97:		/* PCIe-like latency, around the wheel's edge */
		return (r >> 8) % (3 * PS_PER_US);
	case 98:		/* past the wheel, due while the rest run */
		return PS_PER_US + (r >> 8) % (100 * PS_PER_US);
	default:		/* a timeout: 1 ms to 2 s */
		return PS_PER_MS + (r >> 8) % (2 * PS_PER_S);
	}
}

static void stress_arm(struct stress *s, struct sev *e)
{
	u64 when = simq_now(&s->q) + stress_delay(s);
	int ret = e->armed ? sim_reschedule_at(&s->q, &e->ev, when) :
			     sim_schedule_at(&s->q, &e->ev, when);

	if (ret) {
		stress_fail(s, "schedule failed");
		return;
	}
	if (!e->armed)
		s->armed++;
	e->armed = true;
	e->when = when;
	e->order = s->orders++;
}

static void stress_fire(void *arg)
{
	struct sev *e = arg;
	struct stress *s = e->s;
	u64 now = simq_now(&s->q);
	u64 r;

	if (!e->armed || now != e->when)
		stress_fail(s, "fired unarmed or at the wrong time");
	if (s->fired && (now < s->last_time ||
			 (now == s->last_time && e->order <= s->last_order)))
		stress_fail(s, "out of (time, order) order");
	s->last_time = now;
	s->last_order = e->order;
	e->armed = false;
	s->armed--;
	if (++s->fired >= STRESS_FIRES)
		return;
	stress_arm(s, e);
	r = splitmix64(&s->rng);
	if (r % 8 == 0) {
		struct sev *o = &s->ev[(r >> 8) % STRESS_EVENTS];

		if (sim_cancel(&s->q, &o->ev) != o->armed)
			stress_fail(s, "cancel disagrees with the bookkeeping");
		if (o->armed)
			s->armed--;
		o->armed = false;
	} else if (r % 8 == 1) {
		stress_arm(s, &s->ev[(r >> 8) % STRESS_EVENTS]);
	}
}

/* How a stress drives the queue: all in one call, or in pieces. */
enum stress_driver {
	STRESS_RUN_IDLE,
	STRESS_PIECES,		/* run_until, step and run_while_not, mixed */
};

static bool stress_reached(void *arg)
{
	struct stress *s = arg;

	return s->fired >= s->target;
}

/* Run the queue in random pieces until it is empty; returns events run. */
static u64 stress_pieces(struct stress *s)
{
	u64 rng = 0xd1ce;
	u64 total = 0;

	while (simq_next_time(&s->q) != SIM_TIME_NEVER) {
		u64 r = splitmix64(&rng);

		switch (r % 8) {
		case 0:
			total += simq_step(&s->q);
			break;
		case 1:
			s->target = s->fired + 1 + (r >> 8) % 64;
			total += simq_run_while_not(&s->q, stress_reached, s);
			break;
		default:
			total += simq_run_until(&s->q, simq_now(&s->q) + (r >> 8) % (2 * PS_PER_US));
			break;
		}
	}
	return total;
}

TEST stress_random_order(void *arg)
{
	const enum stress_driver *driver = arg;
	struct stress *s = calloc(1, sizeof(*s));
	u64 total = 0;
	int i;

	ASSERT(s);
	simq_init(&s->q);
	s->rng = 0x5eed2014;
	for (i = 0; i < STRESS_EVENTS; i++) {
		sim_event_init(&s->ev[i].ev, "stress", stress_fire, &s->ev[i]);
		s->ev[i].s = s;
		stress_arm(s, &s->ev[i]);
	}
	if (*driver == STRESS_PIECES)
		total = stress_pieces(s);
	else
		total = simq_run_idle(&s->q);
	ASSERTm(s->why ? s->why : "", s->errors == 0);
	ASSERT_EQ(s->fired, total);
	ASSERT_EQ(s->fired, s->q.nr_fired);
	ASSERT(s->fired >= STRESS_FIRES);
	ASSERT_EQ(0, s->armed);
	ASSERT_EQ(SIM_TIME_NEVER, simq_next_time(&s->q));
	for (i = 0; i < STRESS_EVENTS; i++)
		ASSERT_FALSE(sim_event_pending(&s->ev[i].ev));
	simq_exit(&s->q);
	free(s);
	PASS();
}

SUITE(event_queue)
{
	RUN_TEST(fires_in_time_order);
	RUN_TEST(ties_run_in_insertion_order);
	RUN_TEST(ties_across_far_and_near);
	RUN_TEST(gaps_across_the_wheels);
	RUN_TEST(clock_edge_blocks);
	RUN_TEST(heap_before_level1);
	RUN_TEST(cancel_pending_fired_and_idle);
	RUN_TEST(reschedule_moves_or_arms);
	RUN_TEST(schedule_errors);
	RUN_TEST(periodic_self_reschedule);
	RUN_TEST(run_until_leaves_later_pending);
	RUN_TEST(run_while_not_stops_on_predicate);
	RUN_TEST(stop_returns_after_current_event);
	RUN_TEST(callbacks_schedule_and_cancel);
	RUN_TEST(callbacks_change_now_block);
	RUN_TEST(stop_and_predicate_inside_ties);
	RUN_TEST(run_until_inside_a_block);
	RUN_TEST(heap_top_moves);
	RUN_TEST(end_of_time);
	RUN_TEST(call_at_runs_and_recycles);
	RUN_TESTp(stress_random_order, &(enum stress_driver){ STRESS_RUN_IDLE }, "run_idle");
	RUN_TESTp(stress_random_order, &(enum stress_driver){ STRESS_PIECES }, "pieces");
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	RUN_SUITE(event_queue);
	HARNESS_MAIN_END();
}
