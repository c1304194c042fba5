/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memcpy AFU's host interface, as a host program sees it (the AFU's
 * own definition is sim/afu/memcpy.h, documented in docs/afu-guide.md).
 * The C model (`--afu memcpy`) and the RTL one (`--afu memcpy-rtl`)
 * implement the same interface.
 *
 * A work element (WE) is one 128-byte line in host memory: the program
 * fills it, zeroes status, and sets VALID last; the AFU copies len bytes
 * from src to dst, writes status and err_ea, raises interrupt lisn when
 * IRQ is set, then follows next (0 ends the chain).  A context starts a
 * chain when the program writes the first WE's address to its WED
 * register and rings its doorbell: both are 64-bit big-endian registers
 * in the context's problem-state area, so map it CXL_MMIO_BIG_ENDIAN.
 */
#ifndef EXAMPLES_MEMCPY_AFU_H
#define EXAMPLES_MEMCPY_AFU_H

#include <stdint.h>
#include <stdlib.h>

#include <libcxl.h>

#define MEMCPY_LINE		128

struct memcpy_we {
	uint32_t ctl;
	uint16_t lisn;			/* the interrupt to raise; 0 means 1 */
	uint16_t rsvd0;
	uint64_t src;
	uint64_t dst;
	uint64_t len;
	volatile uint64_t status;	/* written by the AFU */
	volatile uint64_t err_ea;	/* written by the AFU: the failed access */
	uint64_t next;
	uint64_t rsvd[9];
} __attribute__((aligned(MEMCPY_LINE)));

#define MEMCPY_CTL_VALID	0x1
#define MEMCPY_CTL_IRQ		0x2

/* Status: bits 0:7 the outcome; for an error, bits 8:15 the PSL response. */
#define MEMCPY_ST_DONE		0x1
#define MEMCPY_ST_ERROR		0x2
#define MEMCPY_ST_OUTCOME(st)	((unsigned int)(st) & 0xff)
#define MEMCPY_ST_RESP(st)	((unsigned int)((st) >> 8) & 0xff)
#define MEMCPY_RESP_AERROR	0x01

/* The context's problem-state registers. */
#define MEMCPY_PSA_WED		0x00
#define MEMCPY_PSA_DOORBELL	0x08

/*
 * The PSL reads and writes whole 128-byte lines: keep every buffer the
 * AFU touches line-aligned and padded to whole lines.
 */
static inline void *memcpy_afu_alloc(size_t len)
{
	void *p = NULL;

	if (posix_memalign(&p, MEMCPY_LINE, (len + MEMCPY_LINE - 1) / MEMCPY_LINE * MEMCPY_LINE))
		return NULL;
	return p;
}

/* A copy job, not yet valid: set ctl last, once the rest is in place. */
static inline void memcpy_we_init(struct memcpy_we *we, const void *src, void *dst,
				  uint64_t len, uint16_t lisn)
{
	*we = (struct memcpy_we){
		.src = (uintptr_t)src,
		.dst = (uintptr_t)dst,
		.len = len,
		.lisn = lisn,
	};
}

/*
 * A failed job reports the access that failed (in the data-storage event
 * and in err_ea): the AFU has several lines in flight, so that may be any
 * line of the bad area, not necessarily its first.
 */
static inline int memcpy_afu_in(uint64_t addr, const void *area, size_t len)
{
	return addr >= (uintptr_t)area && addr - (uintptr_t)area < len;
}

/* Run the chain at @we on the context @afu (mapped CXL_MMIO_BIG_ENDIAN). */
static inline int memcpy_afu_start(struct cxl_afu_h *afu, struct memcpy_we *we)
{
	if (cxl_mmio_write64(afu, MEMCPY_PSA_WED, (uintptr_t)we))
		return -1;
	return cxl_mmio_write64(afu, MEMCPY_PSA_DOORBELL, 1);
}

#endif
