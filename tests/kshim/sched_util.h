/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel-side scenarios of tests/kshim/sched*.c share: the check
 * macro, a trail of steps to assert the order things ran in, and
 * interrupts on fresh virqs.
 */
#ifndef KSHIM_TESTS_SCHED_UTIL_H
#define KSHIM_TESTS_SCHED_UTIL_H

#include <kshim/kshim.h>

#include "../../driver_shim/host/hsched.h"
#include "../../driver_shim/kernel/ksched.h"
#include "ks_sched.h"

#define PS_PER_US	1000000ULL
#define NS_PER_MS	1000000ULL
#define PS_PER_MS	1000000000ULL

/*
 * The line of the first check that failed, in a scenario or in one of its
 * tasks (whose return values nobody reads); each scenario clears it first
 * and returns it last.
 */
extern int ks_failed;

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			pr_err("check failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			if (!ks_failed) \
				ks_failed = __LINE__; \
			return __LINE__; \
		} \
	} while (0)

/* The same, where no line can be returned: interrupt handlers, work functions. */
#define EXPECT(cond) \
	do { \
		if (!(cond)) { \
			pr_err("check failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			if (!ks_failed) \
				ks_failed = __LINE__; \
		} \
	} while (0)

/* The steps of a scenario, one character each, in the order they ran. */
struct ks_trail {
	char s[64];
	unsigned int n;
};

static inline void trail_reset(struct ks_trail *t)
{
	t->n = 0;
	t->s[0] = '\0';
}

static inline void step(struct ks_trail *t, char c)
{
	if (t->n < sizeof(t->s) - 1) {
		t->s[t->n++] = c;
		t->s[t->n] = '\0';
	}
}

/* A virq nothing else uses, with @handler; 0 on failure. */
unsigned int ks_irq_new(irq_handler_t handler, void *dev);

#endif
