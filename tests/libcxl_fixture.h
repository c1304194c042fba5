/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A test that is a libcxl program (test_cosim_libcxl.c, _errors.c,
 * _files.c, _mirror.c, _deadlock.c): the machine's environment reset for each test, the program's
 * memory for the memcpy AFU, and the calls that start a copy on a slave
 * context.  The machine boots with the first libcxl call and must be
 * stopped by lx_shutdown() before the next test.  The log of the running
 * test can be kept in memory (_errors.c, _deadlock.c) and is printed if
 * the test fails.
 */
#ifndef CAPISIM_TESTS_LIBCXL_FIXTURE_H
#define CAPISIM_TESTS_LIBCXL_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afu/memcpy.h"
#include "core/log.h"
#include "core/types.h"
#include "harness.h"
#include "host/hsched.h"
#include "user/libcxl.h"
#include "user/lx.h"

/*
 * Harness setup: the machine's defaults, whatever the developer's
 * environment says, quiet but for errors unless CAPISIM_LOG asks for more.
 */
static inline void lx_fx_setup(void *arg)
{
	static const char *const vars[] = {
		"CAPISIM_CONFIG", "CAPISIM_AFU", "CAPISIM_AFU_OPTIONS", "CAPISIM_MODE",
		"CAPISIM_SEED", "CAPISIM_TIME", "CAPISIM_QUANTUM", "CAPISIM_LOG_FILE",
		"CAPISIM_EXPECT",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vars); i++)
		unsetenv(vars[i]);
	setenv("CAPISIM_LOG", "err", 0);
}

/* Harness teardown: a machine still up after a failed test must not leak into the next. */
static inline void lx_fx_teardown(void *arg)
{
	lx_shutdown();
}

/* Zeroed memory at a multiple of @align (the AFU works on 128-byte lines). */
static inline void *lx_fx_zalloc(size_t align, size_t len)
{
	void *p = NULL;

	len = (len + align - 1) / align * align;
	if (posix_memalign(&p, align, len))
		return NULL;
	memset(p, 0, len);
	return p;
}

/* A pattern that differs with @seed, so a copy from the wrong source shows. */
static inline void lx_fx_fill(unsigned char *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(i * 31 + seed);
}

/* A valid memcpy work element; @ctl adds MEMCPY_CTL_* flags such as IRQ for @lisn. */
static inline void lx_fx_we_set(struct memcpy_we *we, const void *src, void *dst, u64 len,
				u32 ctl, u16 lisn)
{
	memset(we, 0, sizeof(*we));
	we->src = (uintptr_t)src;
	we->dst = (uintptr_t)dst;
	we->len = len;
	we->lisn = lisn;
	we->ctl = MEMCPY_CTL_VALID | ctl;
}

/* A slave context, attached and mapped big-endian (the memcpy AFU's registers). */
static inline struct cxl_afu_h *lx_fx_open_attached(void)
{
	struct cxl_afu_h *afu = cxl_afu_open_dev("/dev/cxl/afu0.0s");

	if (!afu)
		return NULL;
	if (cxl_afu_attach(afu, 0) || cxl_mmio_map(afu, CXL_MMIO_BIG_ENDIAN)) {
		cxl_afu_free(afu);
		return NULL;
	}
	return afu;
}

/* Ring the context's doorbell for the chain at @we. */
static inline int lx_fx_run_we(struct cxl_afu_h *afu, struct memcpy_we *we)
{
	if (cxl_mmio_write64(afu, MEMCPY_PSA_WED, (uintptr_t)we))
		return -1;
	return cxl_mmio_write64(afu, MEMCPY_PSA_DOORBELL, 1);
}

static inline long lx_fx_now_call(void *arg)
{
	return hsched_now();
}

/* The machine's simulated time, read on its own thread. */
static inline u64 lx_fx_now(void)
{
	return lx_call(lx_fx_now_call, NULL, 0);
}

/*
 * The running test's log, in memory: set up and read by the test's
 * thread; the machine's thread writes it through sim/core/log, under
 * log.c's lock.
 */
struct lx_fx_log {
	char *buf;
	size_t len;
	FILE *mem;
};

static inline struct lx_fx_log *lx_fx_log(void)
{
	static struct lx_fx_log log;

	return &log;
}

/* sim/core/log writes to memory until lx_fx_log_release(). */
static inline void lx_fx_log_capture(void)
{
	struct lx_fx_log *l = lx_fx_log();

	l->mem = open_memstream(&l->buf, &l->len);
	log_set_file(l->mem);
}

/* Valid once the machine has stopped: it logs from its own thread. */
static inline const char *lx_fx_logged(void)
{
	fflush(lx_fx_log()->mem);
	return lx_fx_log()->buf;
}

/* Back to stderr; the log is printed if the test failed. */
static inline void lx_fx_log_release(void)
{
	struct lx_fx_log *l = lx_fx_log();

	log_set_file(NULL);
	fclose(l->mem);
	if (harness.fail_file)
		printf("--- log of the failed test:\n%s---\n", l->buf);
	free(l->buf);
	l->buf = NULL;
}

#endif
