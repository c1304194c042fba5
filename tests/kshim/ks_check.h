/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CHECK() for scenarios: code run in a kernel task (the files here, and
 * the host side's own in test_cosim_*.c) that returns 0 when it passes.
 * A failed check logs its condition and returns its line, which the test
 * reports; the file defines pr_fmt to name itself.
 */
#ifndef KSHIM_TESTS_KS_CHECK_H
#define KSHIM_TESTS_KS_CHECK_H

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			pr_err("check failed at line %d: %s\n", __LINE__, #cond); \
			return __LINE__;				\
		}							\
	} while (0)

#endif
