/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The driver shim booted for a test (test_shim_*.c, test_cosim_probe.c,
 * test_cosim_directed.c, test_cosim_native.c): setup and teardown
 * callbacks for the harness, with or without the memcpy AFU on the card,
 * and a runner for scenarios, kernel code that returns 0 or the line of
 * the check that failed, run in a kernel task.
 */
#ifndef CAPISIM_TESTS_SHIM_FIXTURE_H
#define CAPISIM_TESTS_SHIM_FIXTURE_H

#include <stdlib.h>

#include "afu/afu.h"
#include "host/cosim.h"
#include "host/hmem.h"
#include "host/hsched.h"
#include "host/kdev.h"
#include "host/world.h"
#include "psl/psl.h"

#define SHIM_RUN_LIMIT	(10ULL * PS_PER_S)	/* simulated time a scenario may take */

/* The host world, its memory, the co-simulation, the scheduler and the device layer. */
static inline void shim_fx_boot(void *arg)
{
	world_init(1);
	if (kshim_hmem_init() || cosim_init())
		abort();
	kshim_sched_init();
	kshim_dev_init();
}

/* shim_fx_boot() with one PSL8 card of parameters @p added. */
static inline void shim_fx_boot_card_with(const struct psl_params *p)
{
	shim_fx_boot(NULL);
	if (cosim_card_add(p, NULL) != 0)
		abort();
}

/* shim_fx_boot() with one PSL8 card of the default parameters added. */
static inline void shim_fx_boot_card(void *arg)
{
	struct psl_params p;

	psl_params_defaults(&p);
	shim_fx_boot_card_with(&p);
}

static inline void shim_fx_exit(void *arg)
{
	cosim_exit();
	world_exit();
	hsched_reset();
}

/* The memcpy AFU plugged into slice 0 of the card shim_fx_boot_card*() added. */
static inline void shim_fx_plug_memcpy(void)
{
	struct afu *afu = afu_find("memcpy")->create("afu0.0", 1, "");

	if (!afu || psl_afu_attach(&kshim_world.cards[0]->slice[0], afu))
		abort();
}

/* shim_fx_boot_card() with the memcpy AFU plugged into slice 0. */
static inline void shim_fx_boot_memcpy(void *arg)
{
	shim_fx_boot_card(arg);
	shim_fx_plug_memcpy();
}

/* The card does not own its AFU: that goes once the card has. */
static inline void shim_fx_exit_memcpy(void *arg)
{
	struct afu *afu = kshim_world.cards[0]->slice[0].port.afu;

	cosim_exit();
	afu->ops->destroy(afu);
	world_exit();
	hsched_reset();
}

struct shim_call {
	int (*fn)(void);
	int rc;
};

static inline int shim_call_fn(void *arg)
{
	struct shim_call *c = arg;

	c->rc = c->fn();
	return 0;
}

/* The scenario's result, or -1000 minus kshim_run()'s error. */
static inline int shim_run(int (*fn)(void))
{
	struct shim_call c = { fn, -1 };
	int rc;

	if (!kshim_task_create("test", shim_call_fn, &c))
		return -1;
	rc = kshim_run(SHIM_RUN_LIMIT);
	return rc ? -1000 + rc : c.rc;
}

/* In a harness test: @fn passes with @warns WARNs and leaves no sysfs directory. */
#define SHIM_RUN_OK(fn, warns)						\
	do {								\
		kshim_expect(KSHIM_CHECK_WARN, (warns));		\
		ASSERT_EQm(#fn, 0, shim_run(fn));			\
		ASSERT_EQm("checks", 0, kshim_check_verdict());	\
		ASSERT_EQm("sysfs left", 0, kshim_sysfs_nr_dirs());	\
	} while (0)

#endif
