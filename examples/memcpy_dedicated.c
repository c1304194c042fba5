// SPDX-License-Identifier: GPL-2.0
/*
 * A CAPI host program for the memcpy AFU in dedicated-process mode,
 * written against IBM libcxl's interface only (see memcpy_directed.c).
 *
 * It switches the AFU to dedicated mode (as an administrator would, with
 * cxl_set_mode), opens the dedicated device, and attaches with a WED that
 * points at a chain of two work elements: a copy from static data into
 * the heap, then one from the stack into an mmap'd buffer.  It does not
 * wait for an interrupt: it polls the last element's status word, which
 * the AFU writes into the program's memory, with a short sleep between
 * looks.
 *
 * Run it:	capisim run --mode dedicated -- build/examples/memcpy_dedicated
 * (without --mode it switches the AFU itself; either way works).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <libcxl.h>

#include "memcpy_afu.h"

#define STATIC_LEN	(8 * 1024)
#define STACK_LEN	(2 * 1024)

static unsigned char static_src[STATIC_LEN] __attribute__((aligned(MEMCPY_LINE)));
static struct memcpy_we chain[2];

static struct cxl_afu_h *dedicated_afu(void)
{
	struct cxl_afu_h *afu = cxl_afu_next(NULL), *ded;
	long mode;

	if (!afu) {
		fprintf(stderr, "no AFU: %s\n", strerror(errno));
		return NULL;
	}
	if (cxl_get_mode(afu, &mode) || (mode != CXL_MODE_DEDICATED &&
					 cxl_set_mode(afu, CXL_MODE_DEDICATED))) {
		perror("cxl_set_mode");
		cxl_afu_free(afu);
		return NULL;
	}
	ded = cxl_afu_open_h(afu, CXL_VIEW_DEDICATED);
	if (!ded)
		perror("cxl_afu_open_h");
	cxl_afu_free(afu);
	return ded;
}

int main(void)
{
	unsigned char stack_src[STACK_LEN] __attribute__((aligned(MEMCPY_LINE)));
	unsigned char *heap_dst, *map_dst;
	struct cxl_afu_h *afu;
	unsigned long looks = 0;
	int failures = 0;
	size_t i;

	afu = dedicated_afu();
	heap_dst = memcpy_afu_alloc(STATIC_LEN);
	map_dst = mmap(NULL, STACK_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	if (!afu || !heap_dst || map_dst == MAP_FAILED)
		return 1;
	for (i = 0; i < STATIC_LEN; i++)
		static_src[i] = (unsigned char)(i ^ 0x5a);
	for (i = 0; i < STACK_LEN; i++)
		stack_src[i] = (unsigned char)(i * 13);
	chain[0] = (struct memcpy_we){ .src = (uintptr_t)static_src,
				       .dst = (uintptr_t)heap_dst, .len = STATIC_LEN,
				       .next = (uintptr_t)&chain[1], .ctl = MEMCPY_CTL_VALID };
	chain[1] = (struct memcpy_we){ .src = (uintptr_t)stack_src,
				       .dst = (uintptr_t)map_dst, .len = STACK_LEN,
				       .ctl = MEMCPY_CTL_VALID };
	if (cxl_afu_attach(afu, (uintptr_t)&chain[0])) {
		perror("cxl_afu_attach");
		return 1;
	}
	printf("attached in dedicated mode, WED %p\n", (void *)&chain[0]);
	while (!chain[1].status && looks < 1000000) {
		usleep(1);
		looks++;
	}
	printf("the AFU finished after %lu looks at the status word\n", looks);
	failures += chain[0].status != MEMCPY_ST_DONE || chain[1].status != MEMCPY_ST_DONE;
	failures += memcmp(static_src, heap_dst, STATIC_LEN) != 0;
	failures += memcmp(stack_src, map_dst, STACK_LEN) != 0;
	printf("static -> heap: %s\n", memcmp(static_src, heap_dst, STATIC_LEN) ? "BAD" : "ok");
	printf("stack -> mmap: %s\n", memcmp(stack_src, map_dst, STACK_LEN) ? "BAD" : "ok");
	cxl_afu_free(afu);
	printf("memcpy_dedicated: %s\n", failures ? "FAILED" : "PASSED");
	return failures ? 1 : 0;
}
