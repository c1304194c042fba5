/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PSL timing: how long each handshake and each bus access takes, in
 * picoseconds.  Defaults and where each comes from are in timing.c and
 * docs/psl8-model.md; a config file overrides them in its [timing]
 * section.
 */
#ifndef CAPISIM_PSL_TIMING_H
#define CAPISIM_PSL_TIMING_H

#include "core/types.h"

struct cfg;
struct cfg_error;

/* Every field is a duration in ps; 0 completes a handshake within the write. */
struct psl_timing {
	u64 afu_enable;		/* AFU_Cntl E: ES enable-pending -> enabled */
	u64 afu_disable;	/* AFU_Cntl ~E: ES disable-pending -> disabled */
	u64 afu_reset;		/* AFU_Cntl RA: RS pending -> complete */
	u64 purge;		/* PSL_SCNTL_An Pc: Ps pending -> complete */
	u64 slbia;		/* PSL_SLBIA and CXL_SLBIA_An pending bit */
	u64 tlbia;		/* PSL_TLBIA pending bit */
	u64 cache_flush;	/* PSL_Control Fr: Fs busy -> complete */
	u64 spa_cmd;		/* PSL_LLCMD_An write -> sw_command_status written */
	u64 msi_delivery;	/* an MSI from the card to the host handler (host/irq) */
	u64 mmio_read;		/* one P1/P2 load, round trip, charged by the caller */
	u64 mmio_write;		/* one P1/P2 store, charged by the caller */
	u64 cfg_access;		/* one config-space access, charged by the caller */
	/* Translation, charged per unit of work psl_xlate() reports */
	u64 xlate_slb_hit;	/* a segment found in the SLB cache */
	u64 xlate_tlb_hit;	/* a page found in the TLB cache */
	u64 xlate_ste_fetch;	/* a 128-byte STE group read from host memory */
	u64 xlate_pteg_fetch;	/* a 128-byte PTEG read from host memory */
	u64 xlate_rc_write;	/* an HPTE R or C byte update in host memory */
	/* AFU commands */
	u64 cmd_decode;		/* ah_cvalid sampled -> checked and decoded */
	u64 dma_read;		/* a cache-line read from host memory, request to data */
	u64 dma_write;		/* a cache-line write to host memory, data to done */
	u64 dma_line;		/* the link's occupancy per line: sets the bandwidth */
	u64 cache_op;		/* touch, push, evict, flush, lock, unlock */
	u64 intreq;		/* intreq -> MSI sent */
	/* Time-outs of the AFU's answers */
	u64 afu_mmio_timeout;	/* ah_mmack: past it SERR afuto; 0 waits for ever */
	u64 llcmd_timeout;	/* ah_jcack: past it SERR llcmdto; 0 waits for ever */
};

void psl_timing_defaults(struct psl_timing *t);

/*
 * Override @t from the [timing] section of @cfg; absent keys keep their
 * value in @t.  Returns 0, or -EINVAL with @err naming the bad key.
 */
int psl_timing_load(struct cfg *cfg, struct psl_timing *t, struct cfg_error *err);

#endif
