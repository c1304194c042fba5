/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The event queue: the one timeline every model runs on.
 *
 * Events are intrusive (embedded in the owner's state, like a kernel
 * timer_list), so scheduling never allocates.  Events due at the same
 * picosecond run in the order they were scheduled, which makes a run a
 * pure function of config, seed and stimulus.
 */
#ifndef CAPISIM_CORE_EVENT_H
#define CAPISIM_CORE_EVENT_H

#include "time.h"

struct sim_queue;

typedef void sim_event_fn(void *arg);

/*
 * A schedulable event.  Owned by whoever embeds it; only the queue it is
 * pending on may touch @time, @seq and @slot while it is pending.
 */
struct sim_event {
	u64 time;		/* when it fires, valid while pending */
	u64 seq;		/* insertion order, breaks ties */
	sim_event_fn *fn;
	void *arg;
	const char *name;	/* for reports: what this event is */
	u32 slot;		/* queue-private position; SIM_EVENT_IDLE if not pending */
};

#define SIM_EVENT_IDLE UINT32_MAX

/*
 * The queue.  Single-threaded: only the thread running the simulation may
 * call into it (tasks run under the baton, so they qualify).
 */
struct sim_queue {
	u64 now;		/* current simulated time, ps */
	u64 next_seq;		/* next insertion number */
	u64 nr_fired;		/* events run so far, for stats */
	struct sim_event **heap;	/* pending events, queue-private order */
	u32 nr;			/* pending count */
	u32 cap;		/* heap capacity */
	bool stop;		/* set by simq_stop(), cleared by each run call */
	struct sim_call *free_calls;	/* recycled sim_call_at() records */
};

void simq_init(struct sim_queue *q);
void simq_exit(struct sim_queue *q);

static inline u64 simq_now(const struct sim_queue *q)
{
	return q->now;
}

void sim_event_init(struct sim_event *ev, const char *name,
		    sim_event_fn *fn, void *arg);

static inline bool sim_event_pending(const struct sim_event *ev)
{
	return ev->slot != SIM_EVENT_IDLE;
}

/*
 * Schedule @ev at absolute time @t (>= now) or @dt after now.
 * Returns 0, -EINVAL for a time in the past, -EBUSY if already pending.
 */
int sim_schedule_at(struct sim_queue *q, struct sim_event *ev, u64 t);
int sim_schedule_in(struct sim_queue *q, struct sim_event *ev, u64 dt);

/* Move a pending or idle event to a new time (cancel + schedule). */
int sim_reschedule_at(struct sim_queue *q, struct sim_event *ev, u64 t);

/* Cancel @ev; returns true if it was pending. */
bool sim_cancel(struct sim_queue *q, struct sim_event *ev);

/*
 * Fire-and-forget: run fn(arg) at @t.  The record comes from a free list
 * owned by the queue.  Returns 0 or a negative errno.
 */
int sim_call_at(struct sim_queue *q, u64 t, const char *name,
		sim_event_fn *fn, void *arg);

/* Time of the earliest pending event, SIM_TIME_NEVER when empty. */
u64 simq_next_time(const struct sim_queue *q);

/* Run the earliest event; false when the queue is empty. */
bool simq_step(struct sim_queue *q);

/*
 * Run every event due at or before @t, then set now to @t.
 * Returns the number of events run.
 */
u64 simq_run_until(struct sim_queue *q, u64 t);

/* Run until the queue is empty or simq_stop() is called. */
u64 simq_run_idle(struct sim_queue *q);

/* Run until @done(arg) is true (checked after each event) or the queue empties. */
u64 simq_run_while_not(struct sim_queue *q, bool (*done)(void *arg), void *arg);

/* Make the running simq_run_* call return after the current event. */
void simq_stop(struct sim_queue *q);

#endif
