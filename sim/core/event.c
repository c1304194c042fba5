// SPDX-License-Identifier: GPL-2.0
/*
 * The event queue: a ring of picosecond FIFOs, a wheel and a binary heap.
 *
 * The ring holds every event due in the 8 blocks of 4.096 ns from now's
 * block on, one FIFO per picosecond: the simulator's delays (1-4 PSL
 * cycles, a few ns of latency) land straight in their final FIFO and
 * never move again.  A FIFO's time is unique, as the ring spans 32.8 ns
 * and nothing pending is older than now, so ties come out in the order
 * they went in, and popping is a bitmap search in now's block.  Level 1
 * holds the next 1024 blocks (4.2 us), one FIFO per block in scheduling
 * order; a block comes down to the ring when now's block comes within 8
 * blocks of it, in one splice when all its events share one time (a
 * clock edge).  Anything later goes to the heap, in (time, seq) order.
 *
 * An event goes to the heap only while its block is past level 1's
 * reach, and that reach only grows, so the heap's events for any time
 * are older than the ring's and level 1's: the heap wins ties, and the
 * others are compared with its cached top time only.
 *
 * The speed comes from what a pop does not wait for (docs/event-kernel.md
 * has the measurements).  Scheduling into the ring past now's block is
 * inline (event.h) and never touches now's block, so the run loop keeps
 * that block's bitmap in registers and finds the next event without
 * reloading what the last pop or callback stored.  Whatever does change
 * now's block (an event due in it, a cancel, time moving to another
 * block) goes out of line and raises SIMQ_RESYNC, which zeroes q->limit:
 * the loop's one check per FIFO, against the heap's top and the run's
 * end, then sends it back to reload.
 *
 * Cancel is O(1) on the ring and level 1 (doubly linked lists), O(log n)
 * in the heap.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"

#define FAR_MAX SIMQ_SLOT_WHEEL
#define BLOCK_MASK (SIMQ_BLOCK_SIZE - 1)
#define L1_MASK (SIMQ_L1_SIZE - 1)
#define CALLS_PER_CHUNK 256

/* A sim_call_at() record: on the free list, or pending with ev.arg = itself. */
struct sim_call {
	struct sim_event ev;
	struct sim_queue *q;
	sim_event_fn *fn;
	void *arg;
	struct sim_call *next_free;
};

struct sim_call_chunk {
	struct sim_call_chunk *next;
	struct sim_call calls[CALLS_PER_CHUNK];
};

static inline bool ev_before(const struct sim_event *a, const struct sim_event *b)
{
	return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static inline u64 block_of(u64 t)
{
	return t >> SIMQ_BLOCK_BITS;
}

/* How many blocks past now's @t is: the ring holds 0 to SIMQ_RING_BLOCKS - 1. */
static inline u64 ring_dist(const struct sim_queue *q, u64 t)
{
	return block_of(t) - q->block;
}

/* Append @ev to the circular list at @head; true if it was empty. */
static inline bool list_add_tail(struct sim_event **head, struct sim_event *ev)
{
	struct sim_event *h = *head;

	if (!h) {
		ev->next = ev;
		ev->prev = ev;
		*head = ev;
		return true;
	}
	ev->prev = h->prev;
	ev->next = h;
	h->prev->next = ev;
	h->prev = ev;
	return false;
}

/* Unlink @ev from the circular list at @head; true if that emptied it. */
static inline bool list_del(struct sim_event **head, struct sim_event *ev)
{
	if (ev->next == ev) {
		*head = NULL;
		return true;
	}
	ev->prev->next = ev->next;
	ev->next->prev = ev->prev;
	if (*head == ev)
		*head = ev->next;
	return false;
}

static inline void map_set(u64 *summary, u64 *map, u32 i)
{
	map[i / 64] |= 1ULL << (i % 64);
	*summary |= 1ULL << (i / 64);
}

static inline void map_clear(u64 *summary, u64 *map, u32 i)
{
	map[i / 64] &= ~(1ULL << (i % 64));
	/* Branch-free: whether the word emptied is as good as random. */
	*summary &= ~((u64)!map[i / 64] << (i / 64));
}

/* The lowest set bit of a two-level map whose summary is not 0. */
static inline u32 map_first(u64 summary, const u64 *map)
{
	u32 w = __builtin_ctzll(summary);

	return w * 64 + __builtin_ctzll(map[w]);
}

/* The first set bit at or after @i, wrapping round; the map is not empty. */
static inline u32 map_next(u64 summary, const u64 *map, u32 i)
{
	u32 w = i / 64;
	u64 bits = map[w] & (~0ULL << (i % 64));
	u64 s;

	if (bits)
		return w * 64 + __builtin_ctzll(bits);
	s = summary & (~1ULL << w);
	return map_first(s ? s : summary, map);
}

/* Ring block @r's first FIFO; ring_sum[r] is not 0. */
static inline u32 ring_first(const struct sim_queue *q, u32 r)
{
	return r * SIMQ_BLOCK_SIZE + map_first(q->ring_sum[r], q->ring_map + r * 64);
}

/* Ring FIFO @i is now empty. */
static inline void ring_clear(struct sim_queue *q, u32 i)
{
	u32 r = i / SIMQ_BLOCK_SIZE;

	map_clear(&q->ring_sum[r], q->ring_map + r * 64, i & BLOCK_MASK);
}

/* q->limit from what it stands for (event.h). */
static inline void limit_update(struct sim_queue *q)
{
	u64 end = q->far_time < q->run_end ? q->far_time : q->run_end;

	q->limit = q->flags ? 0 : end;
}

/* Tell the run loop to look again: now's ring block changed under it. */
static inline void resync(struct sim_queue *q)
{
	q->flags |= SIMQ_RESYNC;
	q->limit = 0;
}

static inline void ring_del(struct sim_queue *q, struct sim_event *ev)
{
	u32 i = ev->time & SIMQ_RING_MASK;

	if (list_del(&q->ring[i], ev))
		ring_clear(q, i);
	resync(q);
}

static inline void l1_add(struct sim_queue *q, struct sim_event *ev)
{
	u32 i = block_of(ev->time) & L1_MASK;

	if (list_add_tail(&q->l1[i], ev)) {
		map_set(&q->l1_summary, q->l1_map, i);
		q->l1_mixed[i / 64] &= ~(1ULL << (i % 64));
	} else if (ev->time != q->l1[i]->time) {
		q->l1_mixed[i / 64] |= 1ULL << (i % 64);
	}
}

static inline void l1_del(struct sim_queue *q, struct sim_event *ev)
{
	u32 i = block_of(ev->time) & L1_MASK;

	if (list_del(&q->l1[i], ev))
		map_clear(&q->l1_summary, q->l1_map, i);
}

static inline bool l1_is_mixed(const struct sim_queue *q, u32 i)
{
	return q->l1_mixed[i / 64] & (1ULL << (i % 64));
}

/* Level 1's first non-empty bucket at or after block @b; level 1 is not empty. */
static inline u64 l1_next_block(const struct sim_queue *q, u64 b)
{
	u32 from = b & L1_MASK;
	u32 i = map_next(q->l1_summary, q->l1_map, from);

	return b + ((i - from) & L1_MASK);
}

/*
 * Move level 1's bucket @i down to the ring, which now covers its block,
 * oldest first: the block's FIFOs on the ring are empty, so each starts
 * in scheduling order.
 */
static void l1_move(struct sim_queue *q, u32 i)
{
	struct sim_event *ev = q->l1[i];

	q->l1[i] = NULL;
	map_clear(&q->l1_summary, q->l1_map, i);
	/* All at one time, as on a clock edge: move the list as it is. */
	if (!l1_is_mixed(q, i)) {
		u32 j = ev->time & SIMQ_RING_MASK;

		q->ring[j] = ev;
		q->ring_map[j / 64] |= 1ULL << (j % 64);
		q->ring_sum[j / SIMQ_BLOCK_SIZE] |= 1ULL << (j / 64 % 64);
		return;
	}
	ev->prev->next = NULL;
	while (ev) {
		struct sim_event *next = ev->next;

		simq_ring_add(q, ev, ev->time);
		ev = next;
	}
}

/*
 * Where the inline fast paths may schedule: the ring past now's block.
 * In the last blocks before 2^64 ps, nowhere (the span would wrap).
 */
static void ring_window(struct sim_queue *q)
{
	if (q->block + SIMQ_RING_BLOCKS > block_of(SIM_TIME_NEVER)) {
		q->ring_next = 0;
		q->ring_ahead = 0;
		return;
	}
	q->ring_next = (q->block + 1) << SIMQ_BLOCK_BITS;
	q->ring_ahead = SIMQ_RING_SIZE - SIMQ_BLOCK_SIZE;
}

/*
 * Start the ring at now's block @b: its blocks before @b are empty (their
 * events would be in the past).  Level 1's buckets it now covers come down.
 */
static void ring_move(struct sim_queue *q, u64 b)
{
	u64 from = q->block + SIMQ_RING_BLOCKS;
	u64 to = b + SIMQ_RING_BLOCKS;

	q->block = b;
	ring_window(q);
	while (q->l1_summary) {
		u64 next = l1_next_block(q, from);

		if (next >= to)
			break;
		l1_move(q, next & L1_MASK);
		from = next + 1;
	}
}

/* Now moved on: the ring follows it, and the run loop must look again. */
static inline void follow_now(struct sim_queue *q)
{
	u64 b = block_of(q->now);

	if (b != q->block) {
		ring_move(q, b);
		resync(q);
	}
}

static inline void heap_set(struct sim_queue *q, u32 i, struct sim_event *ev)
{
	q->heap[i] = ev;
	ev->slot = i;
}

static void heap_up(struct sim_queue *q, u32 i)
{
	struct sim_event *ev = q->heap[i];

	while (i) {
		u32 p = (i - 1) / 2;

		if (!ev_before(ev, q->heap[p]))
			break;
		heap_set(q, i, q->heap[p]);
		i = p;
	}
	heap_set(q, i, ev);
}

static void heap_down(struct sim_queue *q, u32 i)
{
	struct sim_event *ev = q->heap[i];
	u32 n = q->nr_far;

	for (;;) {
		u32 c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n && ev_before(q->heap[c + 1], q->heap[c]))
			c++;
		if (!ev_before(q->heap[c], ev))
			break;
		heap_set(q, i, q->heap[c]);
		i = c;
	}
	heap_set(q, i, ev);
}

static inline void far_time_update(struct sim_queue *q)
{
	q->far_time = q->nr_far ? q->heap[0]->time : SIM_TIME_NEVER;
	limit_update(q);
}

static int far_add(struct sim_queue *q, struct sim_event *ev)
{
	if (q->nr_far == q->cap) {
		u32 cap = q->cap ? q->cap * 2 : 64;
		struct sim_event **heap;

		if (q->cap >= FAR_MAX / 2)
			return -ENOMEM;
		heap = realloc(q->heap, cap * sizeof(*heap));
		if (!heap)
			return -ENOMEM;
		q->heap = heap;
		q->cap = cap;
	}
	ev->seq = q->next_seq++;
	q->heap[q->nr_far] = ev;
	heap_up(q, q->nr_far++);
	far_time_update(q);
	return 0;
}

static void far_del(struct sim_queue *q, struct sim_event *ev)
{
	u32 i = ev->slot;
	struct sim_event *last = q->heap[--q->nr_far];

	if (i != q->nr_far) {
		heap_set(q, i, last);
		if (i && ev_before(last, q->heap[(i - 1) / 2]))
			heap_up(q, i);
		else
			heap_down(q, i);
	}
	far_time_update(q);
}

/* Take a pending event off whichever structure holds it. */
static void dequeue(struct sim_queue *q, struct sim_event *ev)
{
	if (ev->slot != SIMQ_SLOT_WHEEL)
		far_del(q, ev);
	else if (ring_dist(q, ev->time) < SIMQ_RING_BLOCKS)
		ring_del(q, ev);
	else
		l1_del(q, ev);
	ev->slot = SIM_EVENT_IDLE;
}

/* Level 1's earliest event, oldest first among ties; level 1 is not empty. */
static struct sim_event *l1_first(const struct sim_queue *q)
{
	u32 i = l1_next_block(q, q->block + SIMQ_RING_BLOCKS) & L1_MASK;
	struct sim_event *head = q->l1[i];
	struct sim_event *best = head;
	struct sim_event *ev;

	if (!l1_is_mixed(q, i))
		return best;
	for (ev = head->next; ev != head; ev = ev->next)
		if (ev->time < best->time)
			best = ev;
	return best;
}

/*
 * The earliest pending event by (time, seq), NULL if none.  The ring's
 * events are all due before level 1's; the heap wins ties.
 */
static struct sim_event *first(const struct sim_queue *q)
{
	struct sim_event *ev = NULL;
	u32 d;

	for (d = 0; d < SIMQ_RING_BLOCKS; d++) {
		u32 r = (q->block + d) % SIMQ_RING_BLOCKS;

		if (q->ring_sum[r]) {
			ev = q->ring[ring_first(q, r)];
			break;
		}
	}
	if (!ev && q->l1_summary)
		ev = l1_first(q);
	if (q->nr_far && (!ev || q->far_time <= ev->time))
		ev = q->heap[0];
	return ev;
}

/*
 * Run @ev, which first() returned.  Time moves to @ev's before its
 * callback runs, so it may schedule at now.
 */
static void fire(struct sim_queue *q, struct sim_event *ev)
{
	dequeue(q, ev);
	q->now = ev->time;
	follow_now(q);
	ev->fn(ev->arg);
}

void simq_init(struct sim_queue *q)
{
	memset(q, 0, sizeof(*q));
	q->far_time = SIM_TIME_NEVER;
	q->run_end = SIM_TIME_NEVER;
	limit_update(q);
	ring_window(q);
}

/*
 * Events still pending are forgotten, not touched: their owners may have
 * freed them already.  sim_call_at() records go with their chunks.
 */
void simq_exit(struct sim_queue *q)
{
	while (q->chunks) {
		struct sim_call_chunk *c = q->chunks;

		q->chunks = c->next;
		free(c);
	}
	free(q->heap);
	memset(q, 0, sizeof(*q));
}

void sim_event_init(struct sim_event *ev, const char *name,
		    sim_event_fn *fn, void *arg)
{
	memset(ev, 0, sizeof(*ev));
	ev->fn = fn;
	ev->arg = arg;
	ev->name = name;
	ev->slot = SIM_EVENT_IDLE;
}

/* @t >= now: the ring, level 1 or the heap, by how far off it is. */
static int schedule(struct sim_queue *q, struct sim_event *ev, u64 t)
{
	u64 d = ring_dist(q, t);

	if (unlikely(sim_event_pending(ev)))
		return -EBUSY;
	if (d < SIMQ_RING_BLOCKS) {
		simq_ring_add(q, ev, t);
		if (!d)
			resync(q);
		return 0;
	}
	ev->time = t;
	if (d - SIMQ_RING_BLOCKS < SIMQ_L1_SIZE) {
		ev->slot = SIMQ_SLOT_WHEEL;
		l1_add(q, ev);
		return 0;
	}
	return far_add(q, ev);
}

int __sim_schedule_at(struct sim_queue *q, struct sim_event *ev, u64 t)
{
	if (unlikely(t < q->now))
		return -EINVAL;
	return schedule(q, ev, t);
}

int __sim_schedule_in(struct sim_queue *q, struct sim_event *ev, u64 dt)
{
	if (unlikely(dt > SIM_TIME_NEVER - q->now))
		return -EINVAL;
	return schedule(q, ev, q->now + dt);
}

int sim_reschedule_at(struct sim_queue *q, struct sim_event *ev, u64 t)
{
	if (t < q->now)
		return -EINVAL;
	sim_cancel(q, ev);
	return sim_schedule_at(q, ev, t);
}

bool sim_cancel(struct sim_queue *q, struct sim_event *ev)
{
	if (!sim_event_pending(ev))
		return false;
	dequeue(q, ev);
	return true;
}

/* Put the record back before calling, so fn may reuse it at once. */
static void call_fire(void *arg)
{
	struct sim_call *c = arg;
	struct sim_queue *q = c->q;
	sim_event_fn *fn = c->fn;
	void *fn_arg = c->arg;

	c->next_free = q->free_calls;
	q->free_calls = c;
	fn(fn_arg);
}

static int calls_grow(struct sim_queue *q)
{
	struct sim_call_chunk *chunk = malloc(sizeof(*chunk));
	int i;

	if (!chunk)
		return -ENOMEM;
	chunk->next = q->chunks;
	q->chunks = chunk;
	for (i = 0; i < CALLS_PER_CHUNK; i++) {
		struct sim_call *c = &chunk->calls[i];

		sim_event_init(&c->ev, NULL, call_fire, c);
		c->q = q;
		c->next_free = q->free_calls;
		q->free_calls = c;
	}
	return 0;
}

int sim_call_at(struct sim_queue *q, u64 t, const char *name,
		sim_event_fn *fn, void *arg)
{
	struct sim_call *c;
	int ret;

	if (t < q->now)
		return -EINVAL;
	if (!q->free_calls) {
		ret = calls_grow(q);
		if (ret)
			return ret;
	}
	c = q->free_calls;
	c->ev.name = name;
	c->fn = fn;
	c->arg = arg;
	ret = sim_schedule_at(q, &c->ev, t);
	if (ret)
		return ret;
	q->free_calls = c->next_free;
	return 0;
}

u64 simq_next_time(const struct sim_queue *q)
{
	const struct sim_event *ev = first(q);

	return ev ? ev->time : SIM_TIME_NEVER;
}

bool simq_step(struct sim_queue *q)
{
	struct sim_event *ev = first(q);

	if (!ev)
		return false;
	q->nr_fired++;
	fire(q, ev);
	return true;
}

/* What run_ties() leaves to its caller. */
enum ties_result {
	TIES_LAST,	/* one event left in the FIFO, due now: run it */
	TIES_LOOK,	/* a callback stopped the run or changed now's block */
	TIES_DONE,	/* @done(arg) came true */
};

/*
 * Run all but the last of the events in ring FIFO @i, due now, from its
 * head @ev.  Out of line: the run loop's common case is a FIFO of one,
 * and it keeps more in registers without this.
 */
static __attribute__((noinline)) enum ties_result
run_ties(struct sim_queue *q, struct sim_event *ev, u32 i, bool (*done)(void *arg), void *arg)
{
	u64 now = q->now;

	do {
		struct sim_event *next = ev->next;

		next->prev = ev->prev;
		ev->prev->next = next;
		q->ring[i] = next;
		ev->slot = SIM_EVENT_IDLE;
		q->nr_fired++;
		ev->fn(ev->arg);
		if (done && done(arg))
			return TIES_DONE;
		if (q->limit <= now)
			return TIES_LOOK;
		ev = next;
	} while (ev->next != ev);
	return TIES_LAST;
}

/*
 * The run calls' loop, specialised by the compiler for each: run the
 * events due at or before @until until @done(arg) (if given) comes true,
 * simq_stop() is called or the queue is empty.
 *
 * The inner loop walks now's ring block from a copy of its bitmap in
 * registers: @sum has the words still to visit after word @gw (an index
 * into ring_map), @bits the FIFOs still to visit in word @gw, the lowest
 * being FIFO @i, the one to run.  The next event's place comes from
 * these registers, not from memory the last pop or callback stored to,
 * and the bitmap's updates are stored from them.  The copy is exact
 * until SIMQ_RESYNC is raised, since only out-of-line paths change now's
 * block; they zero q->limit, as simq_stop() does, so one comparison per
 * FIFO catches them, the heap's top and @until.  Anything else (now's
 * block empty, the heap first) goes through first().
 */
static __attribute__((always_inline)) inline u64
run(struct sim_queue *q, u64 until, bool (*done)(void *arg), void *arg)
{
	u64 fired = q->nr_fired;
	struct sim_event *ev;

	q->flags = 0;
	q->run_end = until == SIM_TIME_NEVER ? until : until + 1;
	limit_update(q);
	if (done && done(arg))
		goto out;
	for (;;) {
		u32 gw = q->block % SIMQ_RING_BLOCKS * 64;
		u64 sum;
		u64 bits;

		if (unlikely(q->flags)) {
			if (q->flags & SIMQ_STOP)
				break;
			q->flags &= ~SIMQ_RESYNC;
			limit_update(q);
		}
		sum = q->ring_sum[gw / 64];
		if (!sum)
			goto slow;
		gw += __builtin_ctzll(sum);
		sum &= sum - 1;
		bits = q->ring_map[gw];
		do {
			u32 i = gw * 64 + __builtin_ctzll(bits);
			u64 now = q->block << SIMQ_BLOCK_BITS | (i & BLOCK_MASK);
			u64 rest = bits & (bits - 1);

			if (unlikely(now >= q->limit))
				goto look;
			q->now = now;
			ev = q->ring[i];
			if (unlikely(ev->next != ev)) {
				enum ties_result res = run_ties(q, ev, i, done, arg);

				if (res == TIES_DONE)
					goto out;
				if (res == TIES_LOOK)
					goto look;
				ev = q->ring[i];
			}
			q->ring[i] = NULL;
			q->ring_map[gw] = rest;
			q->ring_sum[gw / 64] = sum | (u64)!!rest << (gw % 64);
			ev->slot = SIM_EVENT_IDLE;
			q->nr_fired++;
			ev->fn(ev->arg);
			if (done && done(arg))
				goto out;
			/* This word's next FIFO, or the next word's first, branch-free. */
			{
				u32 nw = (gw & ~63U) + __builtin_ctzll(sum | 1ULL << 63);
				u64 nbits = q->ring_map[nw];
				u64 sw = -(u64)!rest;

				bits = rest | (nbits & sw);
				gw ^= (gw ^ nw) & sw;
				sum &= ~(sw & sum & -sum);
			}
		} while (bits);
		continue;
look:
		if (q->flags)
			continue;
slow:
		ev = first(q);
		if (!ev || ev->time > until)
			break;
		q->nr_fired++;
		fire(q, ev);
		if (done && done(arg))
			break;
	}
out:
	q->run_end = SIM_TIME_NEVER;
	limit_update(q);
	return q->nr_fired - fired;
}

u64 simq_run_until(struct sim_queue *q, u64 t)
{
	u64 n = run(q, t, NULL, NULL);

	if (!(q->flags & SIMQ_STOP) && t > q->now) {
		q->now = t;
		follow_now(q);
	}
	return n;
}

u64 simq_run_idle(struct sim_queue *q)
{
	return run(q, SIM_TIME_NEVER, NULL, NULL);
}

u64 simq_run_while_not(struct sim_queue *q, bool (*done)(void *arg), void *arg)
{
	return run(q, SIM_TIME_NEVER, done, arg);
}

void simq_stop(struct sim_queue *q)
{
	q->flags |= SIMQ_STOP;
	q->limit = 0;
}
