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
	/* [U] one PSL cycle: a lookup in a small associative array. */
	TK(xlate_slb_hit, 4 * PS_PER_NS),
	/* [U] one PSL cycle. */
	TK(xlate_tlb_hit, 4 * PS_PER_NS),
	/* [U] a host-memory read through the CAPP: as a DMA read. */
	TK(xlate_ste_fetch, 500 * PS_PER_NS),
	/* [U] as a DMA read. */
	TK(xlate_pteg_fetch, 500 * PS_PER_NS),
	/* [U] a posted partial write, as a DMA write. */
	TK(xlate_rc_write, 300 * PS_PER_NS),
	/* [U] two PSL cycles: latch and decode. */
	TK(cmd_decode, 8 * PS_PER_NS),
	/* [U] POWER8 CAPI read latency as published benchmarks put it, about 0.5 us. */
	TK(dma_read, 500 * PS_PER_NS),
	/* [U] a write leaves the PSL once the CAPP owns the line. */
	TK(dma_write, 300 * PS_PER_NS),
	/* [U] 128 bytes at about 4 GB/s, the usable bandwidth of PCIe Gen3 x8 CAPI. */
	TK(dma_line, 32 * PS_PER_NS),
	/* [U] a PSL cache directory operation. */
	TK(cache_op, 40 * PS_PER_NS),
	/* [U] the PSL's MSI write leaving the card. */
	TK(intreq, 40 * PS_PER_NS),
	/* [K constant, U limit] the MMIO hang pulse PSL_DSNDCTL programs: 256 us. */
	TK(afu_mmio_timeout, 256 * PS_PER_US),
	/* [K constant, U limit] the AFU hang pulse PSL_RXCTL_A programs: 4 s. */
	TK(llcmd_timeout, 4 * PS_PER_S),
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
