// SPDX-License-Identifier: GPL-2.0
/*
 * PSL timing defaults and the [timing] config section.
 *
 * No source we have gives PSL8 handshake latencies: the driver only bounds
 * them (5 s CXL_TIMEOUT, reference 2.6) and PSLSE completes them as fast
 * as its AFU answers.  Every default below is therefore our assumption
 * [U], chosen to be short against the driver's limits yet long enough
 * that a poll loop sees the pending state at least once.
 */
#include <stddef.h>

#include "core/config.h"
#include "core/time.h"
#include "psl/timing.h"

struct timing_key {
	const char *key;
	size_t off;		/* of the field in struct psl_timing */
	u64 def;		/* ps */
};

#define TK(name, dflt) { #name, offsetof(struct psl_timing, name), dflt }

static const struct timing_key timing_keys[] = {
	/* [U] START job plus ah_jrunning: a few PSL cycles for a C AFU, more on silicon. */
	TK(afu_enable, 1 * PS_PER_US),
	/* [U] symmetric with enable. */
	TK(afu_disable, 1 * PS_PER_US),
	/* [U] RESET job plus ah_jdone; real AFUs clear state in microseconds. */
	TK(afu_reset, 10 * PS_PER_US),
	/* [U] dropping a slice's outstanding work. */
	TK(purge, 2 * PS_PER_US),
	/* [U] 50 PSL cycles. */
	TK(slbia, 200 * PS_PER_NS),
	/* [U] 50 PSL cycles. */
	TK(tlbia, 200 * PS_PER_NS),
	/* [U] writing back the dirty lines of the PSL cache. */
	TK(cache_flush, 20 * PS_PER_US),
	/* [U] SPA word and PE reads, LLCMD to the AFU and ah_jcack, status write. */
	TK(spa_cmd, 2 * PS_PER_US),
	/* [U] a posted MSI write through the PHB to the interrupt presenter. */
	TK(msi_delivery, 500 * PS_PER_NS),
	/* [U] a non-posted PCIe Gen3 load round trip on POWER8, about 1 us. */
	TK(mmio_read, 1 * PS_PER_US),
	/* [U] a posted store leaving the core. */
	TK(mmio_write, 100 * PS_PER_NS),
	/* [U] config cycles go through the PHB and firmware: slow. */
	TK(cfg_access, 2 * PS_PER_US),
};

static u64 *timing_field(struct psl_timing *t, const struct timing_key *k)
{
	return (u64 *)((char *)t + k->off);
}

void psl_timing_defaults(struct psl_timing *t)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(timing_keys); i++)
		*timing_field(t, &timing_keys[i]) = timing_keys[i].def;
}

int psl_timing_load(struct cfg *cfg, struct psl_timing *t, struct cfg_error *err)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(timing_keys); i++) {
		u64 *field = timing_field(t, &timing_keys[i]);

		ret = cfg_get_time(cfg, "timing", timing_keys[i].key, *field,
				   field, err);
		if (ret)
			return ret;
	}
	return 0;
}
