// SPDX-License-Identifier: GPL-2.0
/*
 * Simulated time: the clock domains every model shares and the one way
 * a time is printed.
 */
#include <stdio.h>

#include "core/time.h"

const struct clock_domain psl_clock = {
	.name = "psl",
	.period_ps = PSL_PERIOD_PS,
};

char *sim_time_str(u64 t, char *buf, size_t len)
{
	snprintf(buf, len, "%5llu.%012llu",
		 (unsigned long long)(t / PS_PER_S),
		 (unsigned long long)(t % PS_PER_S));
	return buf;
}
