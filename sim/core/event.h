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
	u64 seq;		/* insertion order in the far heap, breaks ties there */
	struct sim_event *next;	/* queue-private: ring or level-1 list */
	struct sim_event *prev;
	sim_event_fn *fn;
	void *arg;
	const char *name;	/* for reports: what this event is */
	u32 slot;		/* queue-private position; SIM_EVENT_IDLE if not pending */
};

#define SIM_EVENT_IDLE UINT32_MAX

/*
 * A ring of one FIFO per picosecond over the 8 blocks of 4.096 ns from
 * now's block on (32.8 ns), a wheel of one FIFO per block over the 1024
 * blocks after that (4.2 us), and a binary heap for later events.
 * event.c says why; docs/event-kernel.md gives the measurements.
 */
#define SIMQ_BLOCK_BITS 12
#define SIMQ_BLOCK_SIZE (1U << SIMQ_BLOCK_BITS)
#define SIMQ_RING_BLOCKS 8
#define SIMQ_RING_SIZE (SIMQ_RING_BLOCKS * SIMQ_BLOCK_SIZE)
#define SIMQ_RING_MASK (SIMQ_RING_SIZE - 1)
#define SIMQ_L1_BITS 10
#define SIMQ_L1_SIZE (1U << SIMQ_L1_BITS)

/* ev->slot of an event on the ring or level 1 (its time tells which). */
#define SIMQ_SLOT_WHEEL (SIM_EVENT_IDLE - 1)

/* sim_queue.flags: why the running simq_run_* call must look again. */
#define SIMQ_STOP	0x1	/* simq_stop() was called */
#define SIMQ_RESYNC	0x2	/* now's ring block changed outside the run loop */

/*
 * The queue.  Single-threaded: only the thread running the simulation may
 * call into it (tasks run under the baton, so they qualify).  Every field
 * but @now is private to the queue: event.c and the inline fast paths
 * below.
 */
struct sim_queue {
	/* Read by every scheduling or event: together at the front. */
	u64 now;		/* current simulated time, ps */
	u64 block;		/* now >> SIMQ_BLOCK_BITS: the ring's first block */
	u64 ring_next;		/* start of the ring's second block... */
	u64 ring_ahead;		/* ...and the span after it the fast paths may use */
	/*
	 * The run loop runs an event without looking further while it is
	 * due before @limit: the heap's earliest time, or the running
	 * call's end (@run_end), or 0 when @flags ask it to look.
	 */
	u64 limit;
	u64 far_time;		/* the heap's earliest time, SIM_TIME_NEVER if empty */
	u64 run_end;		/* the running call's last time + 1, saturated */
	unsigned int flags;	/* SIMQ_*; cleared by each run call */
	/*
	 * Bit w of ring_sum[b] is set iff word 64 * b + w of ring_map is
	 * not 0; bit i of ring_map iff ring[i] is not empty.
	 */
	u64 ring_sum[SIMQ_RING_BLOCKS];
	u64 nr_fired;		/* events run so far, for stats */
	/*
	 * Events past level 1: a binary min-heap on (time, seq); an event's
	 * slot is its index.
	 */
	struct sim_event **heap;
	u32 nr_far;
	u32 cap;
	u64 next_seq;			/* next far insertion number */
	struct sim_call *free_calls;	/* recycled sim_call_at() records */
	struct sim_call_chunk *chunks;	/* every record block, for simq_exit() */
	/*
	 * Level 1: bucket i holds the events of the block b with
	 * b % SIMQ_L1_SIZE == i, as a circular list in scheduling order.
	 * Bit i of its map is set iff the bucket is not empty; bit w of its
	 * summary iff word w of the map is not 0.
	 */
	u64 l1_summary;
	u64 l1_map[SIMQ_L1_SIZE / 64];
	u64 l1_mixed[SIMQ_L1_SIZE / 64];	/* bucket holds more than one time */
	struct sim_event *l1[SIMQ_L1_SIZE];
	u64 ring_map[SIMQ_RING_SIZE / 64];
	/*
	 * The ring: FIFO i holds the events due at the one time t in
	 * [block, block + SIMQ_RING_BLOCKS) * SIMQ_BLOCK_SIZE with
	 * t % SIMQ_RING_SIZE == i, as a circular list in scheduling order,
	 * NULL when empty.
	 */
	struct sim_event *ring[SIMQ_RING_SIZE];
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
 * Append @ev, not pending, to the ring's FIFO for @t.  Inline because it
 * is most of the work of most schedulings.
 */
static inline void simq_ring_add(struct sim_queue *q, struct sim_event *ev, u64 t)
{
	u32 i = t & SIMQ_RING_MASK;
	struct sim_event *head = q->ring[i];

	ev->time = t;
	ev->slot = SIMQ_SLOT_WHEEL;
	if (!head) {
		ev->next = ev;
		ev->prev = ev;
		q->ring[i] = ev;
		q->ring_map[i / 64] |= 1ULL << (i % 64);
		q->ring_sum[i / SIMQ_BLOCK_SIZE] |= 1ULL << (i / 64 % 64);
		return;
	}
	ev->next = head;
	ev->prev = head->prev;
	head->prev->next = ev;
	head->prev = ev;
}

/*
 * Whether @t falls in the ring past now's block, where the inline fast
 * paths may put it: the run loop holds a copy of now's block's bitmap
 * while it runs, so that block is changed out of line only.
 */
static inline bool simq_ring_ahead(const struct sim_queue *q, u64 t)
{
	return t - q->ring_next < q->ring_ahead;
}

/* The rest of sim_schedule_at() and sim_schedule_in(): call those. */
int __sim_schedule_at(struct sim_queue *q, struct sim_event *ev, u64 t);
int __sim_schedule_in(struct sim_queue *q, struct sim_event *ev, u64 dt);

/*
 * Schedule @ev at absolute time @t (>= now) or @dt after now.  Returns 0,
 * -EINVAL for a time in the past (or past 2^64 ps), -EBUSY if already
 * pending, -ENOMEM if the far heap cannot grow.
 */
static inline int sim_schedule_at(struct sim_queue *q, struct sim_event *ev, u64 t)
{
	if (likely(simq_ring_ahead(q, t) && !sim_event_pending(ev))) {
		simq_ring_add(q, ev, t);
		return 0;
	}
	return __sim_schedule_at(q, ev, t);
}

/* If now + dt wraps, it falls before ring_next: no overflow check inline. */
static inline int sim_schedule_in(struct sim_queue *q, struct sim_event *ev, u64 dt)
{
	u64 t = q->now + dt;

	if (likely(simq_ring_ahead(q, t) && !sim_event_pending(ev))) {
		simq_ring_add(q, ev, t);
		return 0;
	}
	return __sim_schedule_in(q, ev, dt);
}

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
