/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A register-level stand-in for the Linux cxl driver, for PSL tests: it
 * writes registers and SPA memory in the orders the driver does
 * (reference 3.2, 3.3.5, 3.3.6, 7) and polls as the driver polls, letting
 * simulated time pass between polls as the shim's cpu_relax() and
 * schedule() will.  Written from the reference's sequences, independently
 * of the model's code; the SPA arithmetic is done here again on purpose.
 */
#ifndef CAPISIM_TESTS_PSL_CXLDRV_H
#define CAPISIM_TESTS_PSL_CXLDRV_H

#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "host/mem.h"
#include "psl/psl.h"

#define CD_TIMEOUT	(5 * PS_PER_S)	/* CXL_TIMEOUT */

/* One slice of one card, as the driver's struct cxl_afu sees it. */
struct cxldrv {
	struct sim_queue *q;
	struct psl_card *card;
	struct host_mem *mem;
	unsigned int slice;
	u64 poll_step;		/* simulated time between two polls */
	u8 *spa;		/* NULL until cd_spa_alloc() */
	u64 spa_bytes;
	u64 spa_nr_pes;
	u64 spap;
	bool afu_enabled;	/* the driver's afu->enabled */
};

/* ---- MMIO, 64-bit big-endian as in_be64/out_be64: register numbers here ---- */

static inline u64 cd_rd(struct cxldrv *d, unsigned int bar, u64 off)
{
	u64 v = 0;

	psl_mmio_read(d->card, bar, off, 8, &v);
	return v;
}

static inline void cd_wr(struct cxldrv *d, unsigned int bar, u64 off, u64 v)
{
	psl_mmio_write(d->card, bar, off, 8, v);
}

static inline u64 cd_p1n_off(struct cxldrv *d, u64 reg)
{
	return CXL_P1_SLICE_BASE + d->slice * CXL_P1_SLICE_SIZE + reg;
}

static inline u64 cd_p2n_off(struct cxldrv *d, u64 reg)
{
	return d->slice * CXL_P2_SLICE_SIZE + reg;
}

#define cd_p1_read(d, reg) cd_rd(d, 2, reg)
#define cd_p1_write(d, reg, v) cd_wr(d, 2, reg, v)
#define cd_p1n_read(d, reg) cd_rd(d, 2, cd_p1n_off(d, reg))
#define cd_p1n_write(d, reg, v) cd_wr(d, 2, cd_p1n_off(d, reg), v)
#define cd_p2n_read(d, reg) cd_rd(d, 0, cd_p2n_off(d, reg))
#define cd_p2n_write(d, reg, v) cd_wr(d, 0, cd_p2n_off(d, reg), v)

static inline u64 cd_now(struct cxldrv *d)
{
	return simq_now(d->q);
}

static inline void cd_relax(struct cxldrv *d)
{
	simq_run_until(d->q, simq_now(d->q) + d->poll_step);
}

/* Poll a register until (value & mask) == want; 0, or -EBUSY after CXL_TIMEOUT. */
static inline int cd_poll(struct cxldrv *d, unsigned int bar, u64 off, u64 mask, u64 want)
{
	u64 t0 = cd_now(d);

	while ((cd_rd(d, bar, off) & mask) != want) {
		if (cd_now(d) - t0 > CD_TIMEOUT)
			return -EBUSY;
		cd_relax(d);
	}
	return 0;
}

static inline void cd_init(struct cxldrv *d, struct sim_queue *q, struct psl_card *card,
			   struct host_mem *mem, unsigned int slice)
{
	memset(d, 0, sizeof(*d));
	d->q = q;
	d->card = card;
	d->mem = mem;
	d->slice = slice;
	d->poll_step = 100 * PS_PER_NS;
}

/*
 * A fresh @card as the probe leaves it for these tests: memory space and
 * bus mastering on in its command register, connected to @mem and @ic,
 * and @d driving slice 0.  The PSL registers are the caller's to set.
 */
static inline void cd_card_up(struct cxldrv *d, struct sim_queue *q, struct psl_card *card,
			      struct host_mem *mem, struct irq_ctl *ic)
{
	psl_cfg_write(card, 0x04, 2, 0x0006);
	psl_card_connect(card, mem, ic);
	cd_init(d, q, card, mem, 0);
}

static inline void cd_exit(struct cxldrv *d)
{
	if (d->spa) {
		mem_remove(d->mem, mem_ra(d->spa));
		free(d->spa);
	}
	d->spa = NULL;
}

/* ---- AFU_Cntl and purge (2.6.1, 2.6.3) ---- */

static inline int cd_afu_control(struct cxldrv *d, u64 command, u64 clear, u64 mask, u64 want)
{
	u64 v = cd_p2n_read(d, CXL_AFU_Cntl_An);
	int ret;

	cd_p2n_write(d, CXL_AFU_Cntl_An, (v & ~clear) | command);
	ret = cd_poll(d, 0, cd_p2n_off(d, CXL_AFU_Cntl_An), mask, want);
	v = cd_p2n_read(d, CXL_AFU_Cntl_An);
	if (!ret && (v & CXL_AFU_Cntl_An_RA))
		cd_p2n_write(d, CXL_AFU_Cntl_An, v & ~CXL_AFU_Cntl_An_RA);
	return ret;
}

static inline int cd_afu_reset(struct cxldrv *d)
{
	d->afu_enabled = false;
	return cd_afu_control(d, CXL_AFU_Cntl_An_RA, 0,
			      CXL_AFU_Cntl_An_RS_MASK | CXL_AFU_Cntl_An_ES_MASK,
			      CXL_AFU_Cntl_An_RS_Complete | CXL_AFU_Cntl_An_ES_Disabled);
}

static inline int cd_afu_enable(struct cxldrv *d)
{
	int ret = cd_afu_control(d, CXL_AFU_Cntl_An_E, 0, CXL_AFU_Cntl_An_ES_MASK,
				 CXL_AFU_Cntl_An_ES_Enabled);

	d->afu_enabled = !ret;
	return ret;
}

static inline int cd_afu_disable(struct cxldrv *d)
{
	d->afu_enabled = false;
	return cd_afu_control(d, 0, CXL_AFU_Cntl_An_E, CXL_AFU_Cntl_An_ES_MASK,
			      CXL_AFU_Cntl_An_ES_Disabled);
}

/* cxl_psl_purge: answers faults while Ps reads pending. */
static inline int cd_purge(struct cxldrv *d)
{
	u64 cntl = cd_p1n_read(d, CXL_PSL_SCNTL_An), t0 = cd_now(d), dsisr;

	cd_p1n_write(d, CXL_PSL_SCNTL_An, cntl | CXL_PSL_SCNTL_An_Pc);
	for (;;) {
		cntl = cd_p1n_read(d, CXL_PSL_SCNTL_An);
		if ((cntl & CXL_PSL_SCNTL_An_Ps_MASK) != CXL_PSL_SCNTL_An_Ps_Pending)
			break;
		if (cd_now(d) - t0 > CD_TIMEOUT)
			return -EBUSY;
		dsisr = cd_p2n_read(d, CXL_PSL_DSISR_An);
		if (dsisr & CXL_PSL_DSISR_TRANS) {
			cd_p2n_read(d, CXL_PSL_DAR_An);
			cd_p2n_write(d, CXL_PSL_TFC_An, CXL_PSL_TFC_An_AE);
		} else if (dsisr) {
			cd_p2n_write(d, CXL_PSL_TFC_An, CXL_PSL_TFC_An_A);
		} else {
			cd_relax(d);
		}
	}
	cd_p1n_write(d, CXL_PSL_SCNTL_An, cntl & ~CXL_PSL_SCNTL_An_Pc);
	return 0;
}

/* ---- AFU-directed mode: the SPA (3.3) ---- */

/* Capacity of an SPA of @bytes, as cxl_alloc_spa computes it. */
static inline u64 cd_spa_capacity(u64 bytes)
{
	return (bytes / 8 - 96) / 17;
}

/* The SPA for @nr_procs PEs in 4 KiB pages, zeroed, naturally aligned, registered. */
static inline int cd_spa_alloc(struct cxldrv *d, unsigned int nr_procs)
{
	u64 bytes = 4096;

	while (cd_spa_capacity(bytes) < nr_procs && bytes < (1 << 20))
		bytes *= 2;
	d->spa = aligned_alloc(bytes, bytes);
	if (!d->spa)
		return -ENOMEM;
	memset(d->spa, 0, bytes);
	d->spa_bytes = bytes;
	d->spa_nr_pes = cd_spa_capacity(bytes);
	d->spap = (mem_ra(d->spa) & CXL_PSL_SPAP_Addr) | ((bytes >> 12) - 1) << 4 |
		  CXL_PSL_SPAP_V;
	return mem_add(d->mem, mem_ra(d->spa), bytes, "spa", true);
}

static inline u8 *cd_pe(struct cxldrv *d, unsigned int pe)
{
	return d->spa + pe * 128;
}

static inline u64 *cd_sw_command_status(struct cxldrv *d)
{
	return (u64 *)(d->spa + (d->spa_nr_pes + 3) * 128);
}

static inline u64 cd_status_word(struct cxldrv *d)
{
	return be64toh(*cd_sw_command_status(d));
}

static inline void cd_put(u8 *p, unsigned int n, u64 v)
{
	while (n--)
		p[n] = v, v >>= 8;
}

static inline void cd_set_sw_state(struct cxldrv *d, unsigned int pe, u32 state)
{
	cd_put(cd_pe(d, pe) + 0x7C, 4, state);
}

/*
 * do_process_element_cmd: state, status word, LLCMD, poll the word.
 * 0; -EBUSY on timeout (an error status looks like one); -1 for an
 * all-ones word.
 */
static inline int cd_spa_cmd(struct cxldrv *d, u64 cmd, unsigned int pe, u32 state)
{
	u64 want = cmd | (cmd >> 16) | pe, t0 = cd_now(d), w;

	cd_set_sw_state(d, pe, state);
	*cd_sw_command_status(d) = htobe64(cmd | pe);
	cd_p1n_write(d, CXL_PSL_LLCMD_An, cmd | pe);
	for (;;) {
		w = cd_status_word(d);
		if (w == ~0ULL)
			return -1;
		if ((w & 0xFFFFFFFF0000FFFFULL) == want)
			return 0;
		if (cd_now(d) - t0 > CD_TIMEOUT)
			return -EBUSY;
		cd_relax(d);
	}
}

/* activate_afu_directed (3.3.6, 7.2 step 9). */
static inline int cd_activate_directed(struct cxldrv *d, unsigned int nr_procs)
{
	int ret = d->spa ? 0 : cd_spa_alloc(d, nr_procs);

	if (ret)
		return ret;
	cd_p1n_write(d, CXL_PSL_SPAP_An, d->spap);
	cd_p1n_write(d, CXL_PSL_SCNTL_An, CXL_PSL_SCNTL_An_PM_AFU);
	cd_p1n_write(d, CXL_PSL_AMOR_An, ~0ULL);
	cd_p1n_write(d, CXL_PSL_ID_An, CXL_PSL_ID_An_F | CXL_PSL_ID_An_L);
	return 0;
}

/* What a context brings to attach. */
struct cd_ctx {
	u64 sr;
	u64 sdr;
	u32 lpid;
	u32 pid;
	u64 sstp0;
	u64 sstp1;
	u16 ivte_off[4];
	u16 ivte_range[4];
	u64 amr;
	u64 wed;
};

/* The fields attach writes into a process element (reference 3.3.6). */
static inline void cd_fill_pe(struct cxldrv *d, unsigned int pe, const struct cd_ctx *c)
{
	u8 *p = cd_pe(d, pe);
	unsigned int r;

	cd_put(p + 0x20, 4, 0);			/* ctxtime */
	cd_put(p + 0x34, 4, c->lpid);
	cd_put(p + 0x18, 8, 0);			/* haurp */
	cd_put(p + 0x10, 8, c->sdr);
	cd_put(p + 0x38, 4, 0);			/* tid */
	cd_put(p + 0x3C, 4, c->pid);
	cd_put(p + 0x00, 8, c->sr);
	cd_put(p + 0x40, 8, 0);			/* csrp */
	cd_put(p + 0x48, 8, 0);			/* aurp0 */
	cd_put(p + 0x50, 8, 0);			/* aurp1 */
	cd_put(p + 0x58, 8, c->sstp0);
	cd_put(p + 0x60, 8, c->sstp1);
	for (r = 0; r < 4; r++) {
		cd_put(p + 0x24 + 2 * r, 2, c->ivte_off[r]);
		cd_put(p + 0x2C + 2 * r, 2, c->ivte_range[r]);
	}
	cd_put(p + 0x68, 8, c->amr);
	cd_put(p + 0x74, 8, c->wed);
}

/* cxl_attach_afu_directed_psl8: fill the PE, afu_check_and_enable, ADD. */
static inline int cd_attach_directed(struct cxldrv *d, unsigned int pe, const struct cd_ctx *c)
{
	int ret;

	cd_fill_pe(d, pe, c);
	if (!d->afu_enabled) {
		ret = cd_afu_enable(d);
		if (ret)
			return ret;
	}
	return cd_spa_cmd(d, CXL_SPA_SW_CMD_ADD, pe, CXL_PE_SOFTWARE_STATE_V);
}

/* detach_process_native_afu_directed: TERMINATE, state 0, REMOVE, SLBIA of the PID. */
static inline int cd_detach_directed(struct cxldrv *d, unsigned int pe, u32 pid, u32 lpid)
{
	int ret;

	ret = cd_spa_cmd(d, CXL_SPA_SW_CMD_TERMINATE, pe,
			 CXL_PE_SOFTWARE_STATE_V | CXL_PE_SOFTWARE_STATE_T);
	if (ret)
		return ret;
	cd_set_sw_state(d, pe, 0);
	ret = cd_spa_cmd(d, CXL_SPA_SW_CMD_REMOVE, pe, 0);
	if (ret)
		return ret;
	cd_p1_write(d, CXL_PSL_LBISEL, (u64)pid << 32 | lpid);
	cd_p1_write(d, CXL_PSL_SLBIA, CXL_TLB_SLB_IQ_LPIDPID);
	return cd_poll(d, 2, CXL_PSL_SLBIA, CXL_TLB_SLB_P, 0);
}

/* ---- Dedicated process mode (3.2, 7.2 step 9) ---- */

static inline void cd_activate_dedicated(struct cxldrv *d, u32 lpid, u64 sdr1)
{
	cd_p1n_write(d, CXL_PSL_SCNTL_An, CXL_PSL_SCNTL_An_PM_Process);
	cd_p1n_write(d, CXL_PSL_CtxTime_An, 0);
	cd_p1n_write(d, CXL_PSL_SPAP_An, 0);
	cd_p1n_write(d, CXL_PSL_AMOR_An, ~0ULL);
	cd_p1n_write(d, CXL_PSL_LPID_An, lpid);
	cd_p1n_write(d, CXL_HAURP_An, 0);
	cd_p1n_write(d, CXL_PSL_SDR_An, sdr1);
	cd_p2n_write(d, CXL_CSRP_An, 0);
	cd_p2n_write(d, CXL_AURP0_An, 0);
	cd_p2n_write(d, CXL_AURP1_An, 0);
}

static inline u64 cd_pack_ivtes(const u16 *v)
{
	return (u64)v[0] << 48 | (u64)v[1] << 32 | (u64)v[2] << 16 | v[3];
}

/* cxl_attach_dedicated_process_psl8. */
static inline int cd_attach_dedicated(struct cxldrv *d, const struct cd_ctx *c)
{
	int ret;

	cd_p2n_write(d, CXL_PSL_PID_TID_An, (u64)c->pid << 32);
	cd_p1n_write(d, CXL_PSL_SR_An, c->sr);
	/* cxl_write_sstp: disable, invalidate, then the new pointer */
	cd_p2n_write(d, CXL_SSTP1_An, 0);
	cd_p2n_write(d, CXL_SLBIA_An, CXL_TLB_SLB_IQ_ALL);
	ret = cd_poll(d, 0, cd_p2n_off(d, CXL_SLBIA_An), CXL_TLB_SLB_P, 0);
	if (ret)
		return ret;
	cd_p2n_write(d, CXL_SSTP0_An, c->sstp0);
	cd_p2n_write(d, CXL_SSTP1_An, c->sstp1);
	cd_p1n_write(d, CXL_PSL_IVTE_Offset_An, cd_pack_ivtes(c->ivte_off));
	cd_p1n_write(d, CXL_PSL_IVTE_Limit_An, cd_pack_ivtes(c->ivte_range));
	cd_p2n_write(d, CXL_PSL_AMR_An, c->amr);
	ret = cd_afu_reset(d);
	if (ret)
		return ret;
	cd_p2n_write(d, CXL_PSL_WED_An, c->wed);
	return cd_afu_enable(d);
}

/* detach_process_native_dedicated: reset, disable, purge. */
static inline int cd_detach_dedicated(struct cxldrv *d)
{
	int ret = cd_afu_reset(d);

	if (!ret)
		ret = cd_afu_disable(d);
	if (!ret)
		ret = cd_purge(d);
	return ret;
}

#endif
