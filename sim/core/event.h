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
 * pending on may touch @time, @seq, @next, @prev and @slot while it is
 * pending.  64 bytes: one cache line when the owner aligns it.
 */
struct sim_event {
	u64 time;		/* when it fires, valid while pending */
	u64 seq;		/* insertion order, breaks ties */
	struct sim_event *next;	/* queue-private: wheel bucket list */
	struct sim_event *prev;
	sim_event_fn *fn;
	void *arg;
	const char *name;	/* for reports: what this event is */
	u32 slot;		/* queue-private position; SIM_EVENT_IDLE if not pending */
};

#define SIM_EVENT_IDLE UINT32_MAX

/*
 * Two timing wheels and a heap (event.c says why).  Level 0 has one FIFO
 * per picosecond of the current 4.096 ns block; level 1 has one FIFO per
 * block for the next 1023 blocks (4.2 us); later events wait in a binary
 * heap.  docs/event-kernel.md gives the measurements behind these numbers.
 */
#define SIMQ_L0_BITS 12
#define SIMQ_L0_SIZE (1U << SIMQ_L0_BITS)
#define SIMQ_L1_BITS 10
#define SIMQ_L1_SIZE (1U << SIMQ_L1_BITS)

/*
 * The queue.  Single-threaded: only the thread running the simulation may
 * call into it (tasks run under the baton, so they qualify).  Every field
 * but @now is private to event.c.
 */
struct sim_queue {
	u64 now;		/* current simulated time, ps */
	u64 next_seq;		/* next insertion number */
	u64 nr_fired;		/* events run so far, for stats */
	u64 l0_block;		/* t >> SIMQ_L0_BITS of every level-0 event */
	bool stop;		/* set by simq_stop(), cleared by each run call */
	/*
	 * Events past level 1, or before level 0's block: a binary min-heap
	 * on (time, seq); an event's slot is its index.
	 */
	struct sim_event **heap;
	u32 nr_far;
	u32 cap;
	struct sim_call *free_calls;	/* recycled sim_call_at() records */
	struct sim_call_chunk *chunks;	/* every record block, for simq_exit() */
	/*
	 * Bucket i of a level is a circular list in seq order, NULL when
	 * empty.  Bit i of its map is set iff the bucket is not; bit w of
	 * its summary iff word w of the map is not 0.
	 */
	u64 l0_summary;
	u64 l1_summary;
	u64 l0_map[SIMQ_L0_SIZE / 64];
	u64 l1_map[SIMQ_L1_SIZE / 64];
	u64 l1_mixed[SIMQ_L1_SIZE / 64];	/* bucket holds more than one time */
	struct sim_event *l0[SIMQ_L0_SIZE];
	struct sim_event *l1[SIMQ_L1_SIZE];
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
 * Schedule @ev at absolute time @t (>= now) or @dt after now.  Returns 0,
 * -EINVAL for a time in the past (or past 2^64 ps), -EBUSY if already
 * pending, -ENOMEM if the far heap cannot grow.
 */
int sim_schedule_at(struct sim_queue *q, struct sim_event *ev, u64 t);
int sim_schedule_in(struct sim_queue *q, struct sim_event *ev, u64 dt);

/*
 * Move a pending or idle event to a new time (cancel + schedule: it takes a
 * new place among ties).  On -EINVAL the event is left as it was.
 */
int sim_reschedule_at(struct sim_queue *q, struct sim_event *ev, u64 t);

/* Cancel @ev; returns true if it was pending. */
bool sim_cancel(struct sim_queue *q, struct sim_event *ev);

/*
 * Fire-and-forget: run fn(arg) at @t.  The record comes from a free list
 * owned by the queue and is back on it before fn runs.  Returns 0 or a
 * negative errno as sim_schedule_at().  It cannot be cancelled.
 */
int sim_call_at(struct sim_queue *q, u64 t, const char *name,
		sim_event_fn *fn, void *arg);

/* Time of the earliest pending event, SIM_TIME_NEVER when empty. */
u64 simq_next_time(const struct sim_queue *q);

/* Run the earliest event; false when the queue is empty. */
bool simq_step(struct sim_queue *q);

/*
 * Run every event due at or before @t, then set now to @t (unless stopped
 * early, or @t is already past).  Returns the number of events run.
 */
u64 simq_run_until(struct sim_queue *q, u64 t);

/* Run until the queue is empty or simq_stop() is called. */
u64 simq_run_idle(struct sim_queue *q);

/*
 * Run until @done(arg) is true (checked before the first event and after
 * each), the queue empties or simq_stop() is called.
 */
u64 simq_run_while_not(struct sim_queue *q, bool (*done)(void *arg), void *arg);

/*
 * Make the running simq_run_* call return after the current event.  The
 * run_* calls do not nest: a callback must not call them.
 */
void simq_stop(struct sim_queue *q);

#endif
