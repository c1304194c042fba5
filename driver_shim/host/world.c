// SPDX-License-Identifier: GPL-2.0
/* The simulated machine: the parts every other shim file shares. */
#define pr_fmt(fmt) "world: " fmt

#include <string.h>

#include "core/log.h"
#include "world.h"

struct kshim_world kshim_world;

static u64 world_now(void *arg)
{
	return simq_now(&kshim_world.q);
}

void world_init(u64 seed)
{
	memset(&kshim_world, 0, sizeof(kshim_world));
	kshim_world.seed = seed;
	simq_init(&kshim_world.q);
	sched_init(&kshim_world.sched, &kshim_world.q);
	mem_init(&kshim_world.mem);
	log_set_clock(world_now, NULL);
}

void world_exit(void)
{
	log_set_clock(NULL, NULL);
	mem_exit(&kshim_world.mem);
	sched_exit(&kshim_world.sched);
	simq_exit(&kshim_world.q);
}
