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
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <libcxl.h>

#define DEVICE		"/dev/cxl/afu0.0s"
#define COPY_LEN	(64 * 1024)
#define LINE		128

/* The memcpy AFU's work element and registers (its interface document). */
struct work_element {
	uint32_t ctl;
	uint16_t lisn;
	uint16_t rsvd0;
	uint64_t src;
	uint64_t dst;
	uint64_t len;
	volatile uint64_t status;
	volatile uint64_t err_ea;
	uint64_t next;
	uint64_t rsvd[9];
} __attribute__((aligned(LINE)));

#define WE_VALID	0x1
#define WE_IRQ		0x2
#define ST_DONE		0x1
#define ST_ERROR	0x2
#define ST_RESP(st)	((unsigned int)((st) >> 8) & 0xff)
#define RESP_AERROR	0x01

#define PSA_WED		0x00
#define PSA_DOORBELL	0x08

static int failures;

static void check(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok" : "FAILED", what);
	failures += !ok;
}

static void *alloc_lines(size_t len)
{
	void *p = NULL;

	/* The AFU reads whole lines: keep buffers line-aligned and padded. */
	if (posix_memalign(&p, LINE, (len + LINE - 1) / LINE * LINE))
		return NULL;
	return p;
}

/* Hand the AFU one work element through the context's registers. */
static int run(struct cxl_afu_h *afu, struct work_element *we)
{
	if (cxl_mmio_write64(afu, PSA_WED, (uintptr_t)we) ||
	    cxl_mmio_write64(afu, PSA_DOORBELL, 1)) {
		perror("cxl_mmio_write64");
		return -1;
	}
	return 0;
}

/* Read events until the AFU's interrupt; count the data-storage events on the way. */
static int wait_irq(struct cxl_afu_h *afu, uint64_t *fault_addr)
{
	struct cxl_event ev;

	for (;;) {
		if (cxl_read_event(afu, &ev)) {
			perror("cxl_read_event");
			return -1;
		}
		cxl_fprint_event(stdout, &ev);
		if (ev.header.type == CXL_EVENT_AFU_INTERRUPT)
			return ev.irq.irq;
		if (ev.header.type == CXL_EVENT_DATA_STORAGE && fault_addr)
			*fault_addr = ev.fault.addr;
	}
}

static void copy_job(struct cxl_afu_h *afu)
{
	struct work_element *we = alloc_lines(sizeof(*we));
	unsigned char *src = alloc_lines(COPY_LEN), *dst = alloc_lines(COPY_LEN);
	size_t i;

	if (!we || !src || !dst) {
		check(0, "memory for the copy");
		return;
	}
	for (i = 0; i < COPY_LEN; i++)
		src[i] = (unsigned char)(i * 7 + 3);
	memset(dst, 0, COPY_LEN);
	memset(we, 0, sizeof(*we));
	we->src = (uintptr_t)src;
	we->dst = (uintptr_t)dst;
	we->len = COPY_LEN;
	we->lisn = 1;
	we->ctl = WE_VALID | WE_IRQ;
	if (!run(afu, we))
		check(wait_irq(afu, NULL) == 1, "the AFU interrupt 1 ends the copy");
	check(we->status == ST_DONE, "work element status DONE");
	check(!memcmp(src, dst, COPY_LEN), "64 KiB copied from heap to heap");
	free(we);
	free(src);
	free(dst);
}

static void bad_address_job(struct cxl_afu_h *afu)
{
	struct work_element *we = alloc_lines(sizeof(*we));
	unsigned char *dst = alloc_lines(4096);
	uint64_t fault = 0;
	void *hole;

	/* An address nobody maps: mapped, then unmapped again. */
	hole = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!we || !dst || hole == MAP_FAILED || munmap(hole, 4096)) {
		check(0, "memory for the bad-address job");
		return;
	}
	memset(we, 0, sizeof(*we));
	we->src = (uintptr_t)hole;
	we->dst = (uintptr_t)dst;
	we->len = 4096;
	we->lisn = 1;
	we->ctl = WE_VALID | WE_IRQ;
	if (!run(afu, we))
		check(wait_irq(afu, &fault) == 1, "the AFU interrupt 1 ends the failed job");
	check(fault == (uintptr_t)hole, "CXL_EVENT_DATA_STORAGE names the unmapped address");
	check((we->status & 0xff) == ST_ERROR && ST_RESP(we->status) == RESP_AERROR,
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
