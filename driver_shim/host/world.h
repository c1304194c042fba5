/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated machine the driver runs on, as the host side of the shim
 * sees it: one timeline, one scheduler, host memory by real address, the
 * interrupt controller and the cards.  Host side only (glibc, sim/); the
 * kernel side reaches it through the builtin-typed calls declared in the
 * other headers of driver_shim/host/.
 */
#ifndef KSHIM_HOST_WORLD_H
#define KSHIM_HOST_WORLD_H

#include "core/event.h"
#include "core/task.h"
#include "host/mem.h"

struct psl_card;

#define KSHIM_MAX_CARDS 4

/*
 * The one simulated machine of this process.  Only the simulation thread
 * (tasks under the baton, the idle loop) may touch it; world_init() and
 * world_exit() run before and after the scheduler.
 */
struct kshim_world {
	struct sim_queue q;		/* the timeline */
	struct task_sched sched;	/* kernel tasks: processes, kworker, idle */
	struct host_mem mem;		/* what the PSL may reach by RA */
	struct psl_card *cards[KSHIM_MAX_CARDS];	/* (cosim.c) */
	unsigned int nr_cards;
	u64 seed;			/* master seed of every rng stream */
};

extern struct kshim_world kshim_world;

void world_init(u64 seed);
void world_exit(void);

#endif
