/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memcpy AFU's host interface (docs/afu-guide.md): the work element
 * (WE) a WED points at, its per-context problem-state registers, and the
 * status word it writes back.
 *
 * A WE is one 128-byte-aligned line in host memory, little-endian (the
 * simulated host is ppc64le).  The host fills it and sets VALID last; the
 * AFU copies @len bytes from @src to @dst (any alignment, the areas must
 * not overlap), writes @status and @err_ea together (one 16-byte write),
 * requests interrupt @lisn if IRQ is set, then goes on with the WE at
 * @next (0: the chain ends).  The host zeroes @status before handing a WE
 * over and clears VALID before reusing it.
 */
#ifndef CAPISIM_AFU_MEMCPY_H
#define CAPISIM_AFU_MEMCPY_H

#include "core/types.h"

struct memcpy_we {
	u32 ctl;		/* MEMCPY_CTL_* */
	u16 lisn;		/* the interrupt for MEMCPY_CTL_IRQ (0 means 1) */
	u16 rsvd0;
	u64 src;
	u64 dst;
	u64 len;
	u64 status;		/* AFU writes: MEMCPY_ST_* */
	u64 err_ea;		/* AFU writes: the address of the failed command */
	u64 next;		/* EA of the next WE, 128-byte aligned; 0 ends */
	u64 rsvd[9];
} __attribute__((aligned(128)));

_Static_assert(sizeof(struct memcpy_we) == 128, "a work element is one line");

#define MEMCPY_WE_STATUS	0x20	/* offset of status, err_ea */

#define MEMCPY_CTL_VALID	0x1	/* the WE is ready; set last */
#define MEMCPY_CTL_IRQ		0x2	/* intreq @lisn once the status is written */

/*
 * Status word: bits 0:7 of the value (LSB first) the outcome; for an
 * error, bits 8:15 the response code, 16:31 the command code that got
 * it, 32:39 the reason.  Dedicated mode ends a failed job with the same
 * value on ah_jerror.
 */
#define MEMCPY_ST_DONE		0x1
#define MEMCPY_ST_ERROR		0x2
#define MEMCPY_ST_RESP(st)	((u8)((st) >> 8))
#define MEMCPY_ST_COM(st)	((u16)((st) >> 16))
#define MEMCPY_ST_REASON(st)	((u8)((st) >> 32))

#define MEMCPY_ERR_RESPONSE	1	/* a command's response (AERROR, DERROR, FAILED, ...) */
#define MEMCPY_ERR_BAD_WE	2	/* WED or next not 128-byte aligned, or 0 */
#define MEMCPY_ERR_NOT_VALID	3	/* the WE had no VALID and polling is off */

/*
 * Problem-state registers, 64-bit, one 4 KB slice per context (context c
 * at c * MEMCPY_PSA_STRIDE; dedicated mode: context 0).
 */
#define MEMCPY_PSA_STRIDE	0x1000
#define MEMCPY_PSA_WED		0x00	/* RW: the first WE of the next run */
#define MEMCPY_PSA_DOORBELL	0x08	/* W: run the chain at WED */
#define MEMCPY_PSA_STATUS	0x10	/* R: the last status (also when not written) */
#define MEMCPY_PSA_STATE	0x18	/* R: the context's state (debug) */
#define MEMCPY_PSA_COUNT	0x20	/* R: WEs completed */

#endif
