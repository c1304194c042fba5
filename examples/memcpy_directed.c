// SPDX-License-Identifier: GPL-2.0
/*
 * A CAPI host program for the memcpy AFU in AFU-directed mode, written
 * against IBM libcxl's interface only: it builds unchanged on a POWER8
 * with a CAPI card and IBM's libcxl, or with -lcxl from a capisim build
 * tree (docs/libcxl.md).
 *
 * It opens a slave context, attaches it, maps its problem-state area and
 * runs two jobs through the AFU's per-context registers:
 *  1. a copy of a heap buffer into another, finished by the AFU's
 *     interrupt (cxl_read_event), data checked;
 *  2. a copy from an address the program does not map: the kernel reports
 *     the AFU's access as CXL_EVENT_DATA_STORAGE, and the AFU reports the
 *     failed command in the job's status, with its interrupt.
 * Prints one line per step and exits 0 only if all is as expected.
 *
 * Run it:	capisim run -- build/examples/memcpy_directed
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
#define COPY_LEN	(64 * 1024)

static int failures;

static void check(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok" : "FAILED", what);
	failures += !ok;
}

/*
 * Read events until the AFU's interrupt has come and no other event is
 * pending; note a data-storage event on the way.  The driver hands out a
 * pending interrupt before a pending fault, so the data-storage event of
 * a failed job may come after the job's interrupt.
 */
static int wait_irq(struct cxl_afu_h *afu, uint64_t *fault_addr)
{
	struct cxl_event ev;
	int irq = -1;

	do {
		if (cxl_read_event(afu, &ev)) {
			perror("cxl_read_event");
			return -1;
		}
		cxl_fprint_event(stdout, &ev);
		if (ev.header.type == CXL_EVENT_AFU_INTERRUPT)
			irq = ev.irq.irq;
		else if (ev.header.type == CXL_EVENT_DATA_STORAGE && fault_addr)
			*fault_addr = ev.fault.addr;
	} while (irq < 0 || cxl_event_pending(afu) > 0);
	return irq;
}

static void copy_job(struct cxl_afu_h *afu)
{
	struct memcpy_we *we = memcpy_afu_alloc(sizeof(*we));
	unsigned char *src = memcpy_afu_alloc(COPY_LEN), *dst = memcpy_afu_alloc(COPY_LEN);
	size_t i;

	if (!we || !src || !dst) {
		check(0, "memory for the copy");
		return;
	}
	for (i = 0; i < COPY_LEN; i++)
		src[i] = (unsigned char)(i * 7 + 3);
	memset(dst, 0, COPY_LEN);
	memcpy_we_init(we, src, dst, COPY_LEN, 1);
	we->ctl = MEMCPY_CTL_VALID | MEMCPY_CTL_IRQ;
	if (memcpy_afu_start(afu, we))
		perror("cxl_mmio_write64");
	else
		check(wait_irq(afu, NULL) == 1, "the AFU interrupt 1 ends the copy");
	check(we->status == MEMCPY_ST_DONE, "work element status DONE");
	check(!memcmp(src, dst, COPY_LEN), "64 KiB copied from heap to heap");
	free(we);
	free(src);
	free(dst);
}

static void bad_address_job(struct cxl_afu_h *afu)
{
	struct memcpy_we *we = memcpy_afu_alloc(sizeof(*we));
	unsigned char *dst = memcpy_afu_alloc(4096);
	uint64_t fault = 0;
	void *hole;

	/* An address nobody maps: mapped, then unmapped again. */
	hole = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!we || !dst || hole == MAP_FAILED || munmap(hole, 4096)) {
		check(0, "memory for the bad-address job");
		return;
	}
	memcpy_we_init(we, hole, dst, 4096, 1);
	we->ctl = MEMCPY_CTL_VALID | MEMCPY_CTL_IRQ;
	if (memcpy_afu_start(afu, we))
		perror("cxl_mmio_write64");
	else
		check(wait_irq(afu, &fault) == 1, "the AFU interrupt 1 ends the failed job");
	check(memcpy_afu_in(fault, hole, 4096),
	      "CXL_EVENT_DATA_STORAGE names the unmapped address");
	check(MEMCPY_ST_OUTCOME(we->status) == MEMCPY_ST_ERROR &&
	      MEMCPY_ST_RESP(we->status) == MEMCPY_RESP_AERROR,
	      "work element status ERROR, AERROR");
	free(we);
	free(dst);
}

int main(void)
{
	struct cxl_afu_h *afu = cxl_afu_open_dev(DEVICE);

	if (!afu) {
		fprintf(stderr, "%s: %s\n", DEVICE, strerror(errno));
		return 1;
	}
	if (cxl_afu_attach(afu, 0)) {
		perror("cxl_afu_attach");
		return 1;
	}
	printf("attached: process element %d\n", cxl_afu_get_process_element(afu));
	if (cxl_mmio_map(afu, CXL_MMIO_BIG_ENDIAN)) {
		perror("cxl_mmio_map");
		return 1;
	}
	copy_job(afu);
	bad_address_job(afu);
	cxl_mmio_unmap(afu);
	cxl_afu_free(afu);
	printf("%s\n", failures ? "memcpy_directed: FAILED" : "memcpy_directed: PASSED");
	return failures ? 1 : 0;
}
