// SPDX-License-Identifier: GPL-2.0
/*
 * Error handling: what a program sees when it hands the AFU an address
 * it cannot use, and how it recovers.
 *
 * Run it:	capisim run -- build/examples/errors
 *
 * When the AFU touches a page the process has not mapped (or stores to a
 * page it may only read), the PSL asks the kernel to resolve the fault;
 * the kernel cannot, answers the PSL with an address error, and queues a
 * CXL_EVENT_DATA_STORAGE event naming the address.  The memcpy AFU gets
 * AERROR for the command, stops the job, writes ERROR and the address in
 * the work element's status, and still raises the job's interrupt.
 *
 * Two faults, two ways back, both on the same context:
 *  1. the source is a page nobody maps: the program maps that page, fills
 *     it, and hands the context the same job again;
 *  2. the destination is read-only: the program makes it writable with
 *     mprotect() and hands the context the same job again.
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

#define DEVICE		"/dev/cxl/afu0.0s"
#define PAGE		4096

static int failures;

static void check(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok" : "FAILED", what);
	failures += !ok;
}

static struct cxl_afu_h *open_context(void)
{
	struct cxl_afu_h *afu = cxl_afu_open_dev(DEVICE);

	if (!afu) {
		fprintf(stderr, "%s: %s\n", DEVICE, strerror(errno));
		return NULL;
	}
	if (cxl_afu_attach(afu, 0) || cxl_mmio_map(afu, CXL_MMIO_BIG_ENDIAN)) {
		perror("attach");
		cxl_afu_free(afu);
		return NULL;
	}
	return afu;
}

/*
 * Run one job and read events until its interrupt has come and no other
 * event is pending (the driver hands out a pending interrupt before a
 * pending fault).  Returns the address of the data-storage event on the
 * way (printed as it comes), or 0.
 */
static uint64_t run_job(struct cxl_afu_h *afu, struct memcpy_we *we)
{
	struct cxl_event ev;
	uint64_t fault = 0;
	int irq = 0;

	we->status = 0;
	we->ctl = MEMCPY_CTL_VALID | MEMCPY_CTL_IRQ;
	if (memcpy_afu_start(afu, we)) {
		perror("cxl_mmio_write64");
		return 0;
	}
	do {
		if (cxl_read_event(afu, &ev)) {
			perror("cxl_read_event");
			return fault;
		}
		cxl_fprint_event(stdout, &ev);
		if (ev.header.type == CXL_EVENT_AFU_INTERRUPT)
			irq = 1;
		else if (ev.header.type == CXL_EVENT_DATA_STORAGE)
			fault = ev.fault.addr;
	} while (!irq || cxl_event_pending(afu) > 0);
	return fault;
}

static int job_failed_in(const struct memcpy_we *we, const void *page)
{
	return MEMCPY_ST_OUTCOME(we->status) == MEMCPY_ST_ERROR &&
	       MEMCPY_ST_RESP(we->status) == MEMCPY_RESP_AERROR &&
	       memcpy_afu_in(we->err_ea, page, PAGE);
}

/* An address no mapping covers: a page mapped, then unmapped again. */
static void *hole(void)
{
	void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || munmap(p, PAGE))
		return NULL;
	return p;
}

static void unmapped_source(struct cxl_afu_h *afu, struct memcpy_we *we, unsigned char *dst)
{
	unsigned char *src = hole();

	if (!src) {
		check(0, "a hole in the address space");
		return;
	}
	printf("-- 1. copy from %p, which nothing maps\n", (void *)src);
	memcpy_we_init(we, src, dst, PAGE, 1);
	check(memcpy_afu_in(run_job(afu, we), src, PAGE),
	      "CXL_EVENT_DATA_STORAGE names the source");
	check(job_failed_in(we, src), "the job ended with ERROR/AERROR in the source");

	/* Recovery: map what the job needs, then hand the context the job again. */
	if (mmap(src, PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != src) {
		check(0, "the source page mapped");
		return;
	}
	memset(src, 0xa5, PAGE);
	memset(dst, 0, PAGE);
	check(run_job(afu, we) == 0, "the retry on the same context has no fault");
	check(we->status == MEMCPY_ST_DONE && !memcmp(src, dst, PAGE),
	      "the retry copied the page");
	munmap(src, PAGE);
}

static void readonly_destination(struct cxl_afu_h *afu, struct memcpy_we *we, unsigned char *src)
{
	unsigned char *dst = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (dst == MAP_FAILED) {
		check(0, "a read-only page");
		return;
	}
	printf("-- 2. copy into %p, which the process may only read\n", (void *)dst);
	memset(src, 0x3c, PAGE);
	memcpy_we_init(we, src, dst, PAGE, 1);
	check(memcpy_afu_in(run_job(afu, we), dst, PAGE),
	      "CXL_EVENT_DATA_STORAGE names the destination");
	check(job_failed_in(we, dst), "the job ended with ERROR/AERROR in the destination");

	/* Recovery: make it writable, then hand the context the job again. */
	if (mprotect(dst, PAGE, PROT_READ | PROT_WRITE)) {
		check(0, "the destination made writable");
		munmap(dst, PAGE);
		return;
	}
	check(run_job(afu, we) == 0, "the retry into the page made writable has no fault");
	check(we->status == MEMCPY_ST_DONE && !memcmp(src, dst, PAGE),
	      "the retry copied the page");
	munmap(dst, PAGE);
}

int main(void)
{
	struct memcpy_we *we = memcpy_afu_alloc(sizeof(*we));
	unsigned char *buf = memcpy_afu_alloc(PAGE);
	struct cxl_afu_h *afu = open_context();

	if (!afu || !we || !buf)
		return 1;
	printf("attached: process element %d\n", cxl_afu_get_process_element(afu));
	unmapped_source(afu, we, buf);
	readonly_destination(afu, we, buf);
	cxl_afu_free(afu);
	free(we);
	free(buf);
	printf("errors: %s\n", failures ? "FAILED" : "PASSED");
	return failures ? 1 : 0;
}
