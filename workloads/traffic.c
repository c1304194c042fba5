// SPDX-License-Identifier: GPL-2.0
/*
 * The traffic workload: the traffic AFU (dedicated mode only, so one
 * context) stressing a region of --size bytes with one random command
 * per 32 bytes of it, --jobs times, each job a new attach.  The AFU
 * checks every response and every byte against its own shadow copy; the
 * program checks the result words the AFU writes into its parameter block.
 * Its memory is in place before the first libcxl call (see memcpy.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "afu/traffic.h"
#include "workload.h"

#define MAX_REGION	(64ULL << 20)
#define BYTES_PER_CMD	32
#define MAX_LOOKS	100000000	/* 100 s of simulated time */

static int job(const struct wl_args *a, unsigned int j, struct traffic_params *p, void *region)
{
	struct cxl_afu_h *afu = wl_open_dedicated("traffic");
	char who[32];
	int ret;

	if (!afu)
		return -ENODEV;
	snprintf(who, sizeof(who), "traffic: job %u", j);
	memset(p, 0, sizeof(*p));
	p->base = (uintptr_t)region;
	p->size = a->size;
	p->ncmds = a->size / BYTES_PER_CMD ? a->size / BYTES_PER_CMD : 1;
	if (cxl_afu_attach(afu, (uintptr_t)p)) {
		fprintf(stderr, "%s: cxl_afu_attach: %s\n", who, strerror(errno));
		cxl_afu_free(afu);
		return -EIO;
	}
	ret = wl_poll(who, &p->status, MAX_LOOKS);
	cxl_afu_free(afu);
	if (ret)
		return ret;
	if (p->status != TRAFFIC_ST_PASS) {
		fprintf(stderr, "%s: status 0x%" PRIx64 " (why 0x%x), %" PRIu64 " mismatches, "
			"first at 0x%" PRIx64 "\n", who, (u64)p->status,
			TRAFFIC_ST_WHY(p->status), (u64)p->mismatches, (u64)p->first_bad);
		return -EIO;
	}
	printf("%s: %" PRIu64 " random commands on %" PRIu64 " bytes, all checked\n", who,
	       (u64)p->done, a->size);
	return 0;
}

int wl_traffic(const struct wl_args *a)
{
	struct traffic_params *p;
	unsigned int j;
	void *region;
	int ret = 0;

	if (a->contexts != 1) {
		fprintf(stderr, "traffic: the traffic AFU runs in dedicated mode: one context, "
			"not %u\n", a->contexts);
		return 1;
	}
	if (a->size % WL_LINE || a->size > MAX_REGION) {
		fprintf(stderr, "traffic: --size must be a multiple of %d bytes, at most 64M\n",
			WL_LINE);
		return 1;
	}
	p = wl_alloc(sizeof(*p));
	region = wl_alloc(a->size);
	if (!p || !region) {
		fprintf(stderr, "traffic: no memory for %" PRIu64 " bytes: %s\n", a->size,
			strerror(errno));
		ret = -ENOMEM;
	}
	for (j = 0; j < a->jobs && !ret; j++)
		ret = job(a, j, p, region);
	printf("traffic: %u job(s): %s\n", a->jobs, ret ? "FAILED" : "PASSED");
	wl_free(p, sizeof(*p));
	wl_free(region, a->size);
	return ret ? 1 : 0;
}
