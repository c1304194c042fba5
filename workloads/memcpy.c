// SPDX-License-Identifier: GPL-2.0
/*
 * The memcpy workload: N contexts, each a thread and so a simulated
 * process of its own, each copying --size bytes through the memcpy AFU in
 * --jobs jobs and checking every byte.  In AFU-directed mode (the
 * default) a context attaches through the slave device and starts each
 * job with its WED and doorbell registers; the job ends with the AFU's
 * interrupt.  In dedicated mode (one context) the jobs are one chain of
 * work elements handed over at attach, and the program polls the last
 * one's status.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "afu/memcpy.h"
#include "workload.h"

#define DEVICE		"/dev/cxl/afu0.0s"
#define MAX_LOOKS	10000000	/* 10 s of simulated time */

/* One context's buffers and outcome; each thread owns its own. */
struct mc_ctx {
	unsigned int idx;
	const struct wl_args *a;
	long mode;			/* the AFU's CXL_MODE_* */
	pthread_t thread;
	char who[32];
	struct memcpy_we *we;		/* a->jobs elements */
	u8 *src, *dst;
	int failed;
};

/* Data that differs per context and per offset, so a misdirected line is caught. */
static void fill(struct mc_ctx *c)
{
	u64 i, n = c->a->size / 8, x = 0x9e3779b97f4a7c15ULL * (c->idx + 1);

	for (i = 0; i < n; i++)
		((u64 *)c->src)[i] = x ^ (i * 0x100000001b3ULL);
	for (i = n * 8; i < c->a->size; i++)
		c->src[i] = (u8)(x >> (i % 8));
}

/* Work element @j: its share of the buffers, VALID set last. */
static void prepare(struct mc_ctx *c, unsigned int j, bool irq)
{
	u64 chunk = (c->a->size + c->a->jobs - 1) / c->a->jobs, off = j * chunk;
	struct memcpy_we *we = &c->we[j];

	memset(we, 0, sizeof(*we));
	we->src = (uintptr_t)(c->src + off);
	we->dst = (uintptr_t)(c->dst + off);
	we->len = off < c->a->size ? (c->a->size - off < chunk ? c->a->size - off : chunk) : 0;
	we->lisn = 1;
	__atomic_store_n(&we->ctl, MEMCPY_CTL_VALID | (irq ? MEMCPY_CTL_IRQ : 0),
			 __ATOMIC_RELEASE);
}

static int check_status(struct mc_ctx *c, unsigned int j)
{
	u64 st = c->we[j].status;

	if (st == MEMCPY_ST_DONE)
		return 0;
	fprintf(stderr, "%s: job %u: status 0x%" PRIx64 " (response 0x%x, address 0x%" PRIx64
		")\n", c->who, j, st, MEMCPY_ST_RESP(st), (u64)c->we[j].err_ea);
	return -EIO;
}

/* Read events until the AFU's interrupt. */
static int wait_irq(struct mc_ctx *c, struct cxl_afu_h *afu)
{
	struct cxl_event ev;

	for (;;) {
		if (cxl_read_event(afu, &ev)) {
			fprintf(stderr, "%s: cxl_read_event: %s\n", c->who, strerror(errno));
			return -errno;
		}
		if (ev.header.type == CXL_EVENT_AFU_INTERRUPT)
			return 0;
		if (ev.header.type == CXL_EVENT_DATA_STORAGE)
			fprintf(stderr, "%s: data storage event at 0x%llx\n", c->who,
				(unsigned long long)ev.fault.addr);
	}
}

static int run_directed(struct mc_ctx *c)
{
	struct cxl_afu_h *afu = cxl_afu_open_dev(DEVICE);
	unsigned int j;
	int ret = 0;

	if (!afu) {
		fprintf(stderr, "%s: %s: %s\n", c->who, DEVICE, strerror(errno));
		return -ENODEV;
	}
	if (cxl_afu_attach(afu, 0) || cxl_mmio_map(afu, CXL_MMIO_BIG_ENDIAN)) {
		fprintf(stderr, "%s: attach: %s\n", c->who, strerror(errno));
		cxl_afu_free(afu);
		return -EIO;
	}
	for (j = 0; j < c->a->jobs && !ret; j++) {
		prepare(c, j, true);
		if (cxl_mmio_write64(afu, MEMCPY_PSA_WED, (uintptr_t)&c->we[j]) ||
		    cxl_mmio_write64(afu, MEMCPY_PSA_DOORBELL, 1)) {
			fprintf(stderr, "%s: cxl_mmio_write64: %s\n", c->who, strerror(errno));
			ret = -EIO;
			break;
		}
		ret = wait_irq(c, afu);
		if (!ret)
			ret = check_status(c, j);
	}
	cxl_mmio_unmap(afu);
	cxl_afu_free(afu);
	return ret;
}

static int run_dedicated(struct mc_ctx *c)
{
	struct cxl_afu_h *afu = wl_open_dedicated(c->who);
	unsigned int j;
	int ret = 0;

	if (!afu)
		return -ENODEV;
	for (j = 0; j < c->a->jobs; j++) {
		prepare(c, j, false);
		if (j)
			c->we[j - 1].next = (uintptr_t)&c->we[j];
	}
	if (cxl_afu_attach(afu, (uintptr_t)c->we)) {
		fprintf(stderr, "%s: cxl_afu_attach: %s\n", c->who, strerror(errno));
		cxl_afu_free(afu);
		return -EIO;
	}
	ret = wl_poll(c->who, &c->we[c->a->jobs - 1].status, MAX_LOOKS);
	for (j = 0; j < c->a->jobs && !ret; j++)
		ret = check_status(c, j);
	cxl_afu_free(afu);
	return ret;
}

static int verify(struct mc_ctx *c)
{
	u64 i;

	if (!memcmp(c->src, c->dst, c->a->size))
		return 0;
	for (i = 0; c->src[i] == c->dst[i]; i++)
		;
	fprintf(stderr, "%s: data differs at offset %" PRIu64 ": 0x%02x copied as 0x%02x\n",
		c->who, i, c->src[i], c->dst[i]);
	return -EIO;
}

static void *context_main(void *arg)
{
	struct mc_ctx *c = arg;
	int ret;

	fill(c);
	ret = c->mode == CXL_MODE_DEDICATED ? run_dedicated(c) : run_directed(c);
	if (!ret)
		ret = verify(c);
	c->failed = !!ret;
	if (!ret)
		printf("%s: %" PRIu64 " bytes copied in %u jobs, verified\n", c->who, c->a->size,
		       c->a->jobs);
	return NULL;
}

static void free_ctx(struct mc_ctx *c)
{
	wl_free(c->we, (u64)c->a->jobs * sizeof(*c->we));
	wl_free(c->src, c->a->size);
	wl_free(c->dst, c->a->size);
}

static int alloc_ctx(struct mc_ctx *c, const struct wl_args *a, unsigned int idx)
{
	c->idx = idx;
	c->a = a;
	snprintf(c->who, sizeof(c->who), "memcpy: context %u", idx);
	c->we = wl_alloc((u64)a->jobs * sizeof(*c->we));
	c->src = wl_alloc(a->size);
	c->dst = wl_alloc(a->size);
	if (c->we && c->src && c->dst)
		return 0;
	fprintf(stderr, "%s: no memory for %" PRIu64 " bytes: %s\n", c->who, a->size,
		strerror(errno));
	return -ENOMEM;
}

/* One context runs on the main thread, so a one-context run has a single thread. */
static int run_all(struct mc_ctx *ctx, unsigned int n)
{
	unsigned int i, started;
	int failed = 0;

	for (started = 1; started < n; started++)
		if (pthread_create(&ctx[started].thread, NULL, context_main, &ctx[started]))
			break;
	context_main(&ctx[0]);
	for (i = 1; i < started; i++)
		pthread_join(ctx[i].thread, NULL);
	if (started < n)
		fprintf(stderr, "memcpy: could not start %u of the threads\n", n - started);
	for (i = 0; i < started; i++)
		failed += ctx[i].failed;
	return failed || started < n;
}

/*
 * Every buffer is in place before the first libcxl call boots the machine,
 * at addresses of its own (wl_alloc()): a run with another timing file or
 * another build copies the same addresses, so its trace compares.
 */
int wl_memcpy(const struct wl_args *a)
{
	struct mc_ctx *ctx = calloc(a->contexts, sizeof(*ctx));
	unsigned int i;
	int failed = 1;
	long mode;

	if (!ctx)
		return 1;
	for (i = 0; i < a->contexts; i++)
		if (alloc_ctx(&ctx[i], a, i))
			goto out;
	mode = wl_afu_mode("memcpy");
	if (mode < 0)
		goto out;
	if (mode == CXL_MODE_DEDICATED && a->contexts > 1) {
		fprintf(stderr, "memcpy: dedicated mode runs one context, not %u\n", a->contexts);
		goto out;
	}
	for (i = 0; i < a->contexts; i++)
		ctx[i].mode = mode;
	failed = run_all(ctx, a->contexts);
	printf("memcpy: %u context(s), %" PRIu64 " bytes each: %s\n", a->contexts, a->size,
	       failed ? "FAILED" : "PASSED");
out:
	for (i = 0; i < a->contexts; i++)
		if (ctx[i].a)
			free_ctx(&ctx[i]);
	free(ctx);
	return failed ? 1 : 0;
}
