// SPDX-License-Identifier: GPL-2.0
/*
 * The PSL8 rig of the AFU benchmarks: see psl_rig.h.
 */
#define pr_fmt(fmt) "bench-psl-rig: " fmt

#include <stdlib.h>
#include <string.h>

#include "afu/memcpy.h"
#include "afu_fixture.h"
#include "core/log.h"
#include "psl_rig.h"

#define AREA_VSID	0x00000ABCDEF1ULL

static u64 we_bytes(u64 lines)
{
	u64 nwe = (lines + PSL_RIG_CHUNK_LINES - 1) / PSL_RIG_CHUNK_LINES;

	return (nwe * sizeof(struct memcpy_we) + PSL_RIG_PAGE - 1) / PSL_RIG_PAGE *
	       PSL_RIG_PAGE;
}

u64 chain_area_bytes(u64 max)
{
	return we_bytes(max) + 2 * PSL_RIG_CHUNK;
}

u8 *chain_src(u8 *area, u64 max)
{
	return area + we_bytes(max);
}

u8 *chain_dst(u8 *area, u64 max)
{
	return chain_src(area, max) + PSL_RIG_CHUNK;
}

u64 chain_put(u8 *area, u64 ea, u64 lines, u64 max)
{
	struct memcpy_we *we = (void *)area;
	u64 nwe = (lines + PSL_RIG_CHUNK_LINES - 1) / PSL_RIG_CHUNK_LINES, i;
	u64 src = ea + we_bytes(max);

	memset(area, 0, we_bytes(max));
	memset(chain_dst(area, max), 0, PSL_RIG_CHUNK);
	for (i = 0; i < nwe; i++) {
		u64 left = lines - i * PSL_RIG_CHUNK_LINES;

		we[i].src = htole64(src);
		we[i].dst = htole64(src + PSL_RIG_CHUNK);
		we[i].len = htole64((left < PSL_RIG_CHUNK_LINES ? left : PSL_RIG_CHUNK_LINES) *
				    AFU_LINE_SIZE);
		we[i].next = htole64(i + 1 < nwe ? ea + (i + 1) * sizeof(*we) : 0);
		we[i].ctl = htole32(MEMCPY_CTL_VALID);
	}
	return nwe;
}

bool chain_ok(u8 *area, u64 nwe, u64 max)
{
	const struct memcpy_we *we = (const void *)area;

	return le64toh(we[nwe - 1].status) == MEMCPY_ST_DONE &&
	       !memcmp(chain_src(area, max), chain_dst(area, max), le64toh(we[nwe - 1].len));
}

void psl_rig_close(struct psl_rig *r)
{
	psl_card_destroy(r->card);
	if (r->afu)
		r->afu->ops->destroy(r->afu);
	cd_exit(&r->drv);
	td_exit(&r->td);
	free(r->area);
	simq_exit(&r->q);
}

/* The area mapped at PSL_RIG_EA with 64 KB pages, as the OS would after faults. */
static int rig_map(struct psl_rig *r)
{
	u64 off;

	td_load_segment(&r->td, PSL_RIG_EA, AREA_VSID, 0, TD_STE_USER | td_sllp(TD_SZ_64K));
	for (off = 0; off < r->bytes; off += PSL_RIG_PAGE)
		if (!td_hpte_insert(&r->td, AREA_VSID, PSL_RIG_EA + off, 0, TD_SZ_64K,
				    TD_SZ_64K, mem_ra(r->area) + off, &td_rw))
			return -ENOSPC;
	return 0;
}

int psl_rig_open(struct psl_rig *r, const struct afu_ops *ops,
		 const struct psl_timing *timing, u64 max_lines)
{
	struct psl_params p;
	int ret;

	memset(r, 0, sizeof(*r));
	simq_init(&r->q);
	ret = td_init(&r->td, 1 << 20, 4096);
	if (ret)
		return ret;
	r->max_lines = max_lines;
	r->bytes = chain_area_bytes(max_lines);
	r->area = aligned_alloc(PSL_RIG_PAGE, r->bytes);
	if (!r->area)
		return -ENOMEM;
	ret = mem_add(&r->td.mem, mem_ra(r->area), r->bytes, "area", true);
	if (!ret)
		ret = rig_map(r);
	if (ret)
		return ret;
	fx_pattern(chain_src(r->area, max_lines), PSL_RIG_CHUNK, 1);
	psl_params_defaults(&p);
	if (timing)
		p.timing = *timing;
	r->card = psl_card_create(&r->q, &p);
	if (!r->card)
		return -EINVAL;
	psl_cfg_write(r->card, 0x04, 2, 0x0006);
	psl_card_connect(r->card, &r->td.mem, NULL);
	cd_init(&r->drv, &r->q, r->card, &r->td.mem, 0);
	cd_p1_write(&r->drv, CXL_PSL_AFUSEL, CXL_PSL_AFUSEL_A);
	r->afu = ops->create("m0", 1, NULL);
	if (!r->afu)
		return -EINVAL;
	ret = psl_afu_attach(&r->card->slice[0], r->afu);
	if (ret)
		return ret;
	cd_activate_dedicated(&r->drv, 0, r->td.sdr1);
	return 0;
}

static bool job_ended(void *arg)
{
	struct psl_rig *r = arg;

	return r->card->slice[0].port.job.state == PSL_JOB_ENDED;
}

int psl_rig_job(struct psl_rig *r)
{
	struct cd_ctx c = {
		.sr = TD_SR_USER, .sstp0 = r->td.sstp0, .sstp1 = r->td.sstp1,
		.sdr = r->td.sdr1, .pid = 1, .wed = PSL_RIG_EA,
	};
	int ret;

	ret = cd_attach_dedicated(&r->drv, &c);
	if (ret)
		return ret;
	simq_run_while_not(&r->q, job_ended, r);
	if (!job_ended(r))
		return -EDEADLK;
	return cd_detach_dedicated(&r->drv);
}

int psl_rig_copy(struct psl_rig *r, u64 lines)
{
	u64 nwe = chain_put(r->area, PSL_RIG_EA, lines, r->max_lines);
	int ret = psl_rig_job(r);

	if (!ret && (!chain_ok(r->area, nwe, r->max_lines) || r->card->slice[0].port.job.stats.afu_errors))
		ret = -EIO;
	return ret;
}
