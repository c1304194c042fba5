/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A host memory area, an AFU and the test responder driving it: the
 * common setup of the AFU tests (test_afu_*.c) and bench/afu.c.
 */
#ifndef CAPISIM_TESTS_AFU_FIXTURE_H
#define CAPISIM_TESTS_AFU_FIXTURE_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "afu/afu.h"
#include "afu/responder.h"
#include "host/mem.h"

struct afu_fx {
	struct host_mem mem;
	u8 *area;		/* registered, writable */
	u64 size;
	struct afu *afu;
	struct responder r;
};

/* The RA (= EA: the responder does not translate) of @p in the area. */
static inline u64 fx_ea(const void *p)
{
	return mem_ra(p);
}

static inline void fx_close(struct afu_fx *f)
{
	if (f->afu)
		f->afu->ops->destroy(f->afu);
	responder_exit(&f->r);
	mem_exit(&f->mem);
	free(f->area);
	memset(f, 0, sizeof(*f));
}

/*
 * @size bytes of host memory (4 KB aligned, zeroed), AFU @ops made with
 * @options and @seed, the responder with @p (NULL: defaults), and a
 * reset done.
 */
static inline int fx_open(struct afu_fx *f, const struct afu_ops *ops, const char *options,
			  u64 seed, u64 size, const struct responder_params *p)
{
	int ret;

	memset(f, 0, sizeof(*f));
	mem_init(&f->mem);
	f->size = size;
	f->area = aligned_alloc(4096, size);
	if (!f->area)
		return -ENOMEM;
	memset(f->area, 0, size);
	ret = mem_add(&f->mem, mem_ra(f->area), size, "area", true);
	if (ret)
		goto fail;
	f->afu = ops->create("t0", seed, options);
	if (!f->afu) {
		ret = -EINVAL;
		goto fail;
	}
	ret = responder_init(&f->r, f->afu, &f->mem, p);
	if (ret)
		goto fail;
	ret = responder_reset(&f->r);
	if (ret)
		goto fail;
	return 0;
fail:
	fx_close(f);
	return ret;
}

/* Fill @len bytes with a pattern of @seed. */
static inline void fx_pattern(u8 *p, u64 len, u32 seed)
{
	u64 i;
	u32 x = seed * 2654435761u + 1;

	for (i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = x >> 16;
	}
}

#endif
