/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The traffic AFU's host interface (docs/afu-guide.md).  Dedicated mode
 * only: the WED points at a parameter block, one 128-byte-aligned line,
 * little-endian.  The AFU owns the region [base, base + size): it fills
 * it with seeded data, runs @ncmds random commands against it (every
 * command, size, alignment and ah_cabt value, lock and reservation
 * sequences, interrupts and, unless disabled, illegal commands expecting
 * FAILED), checking every response and every byte read against a shadow
 * copy, reads the whole region back, then writes the result words (one
 * 32-byte write at offset 0x20), requests interrupt @lisn if asked, and
 * ends the job with ah_jerror = 0 (pass) or the status (fail).
 */
#ifndef CAPISIM_AFU_TRAFFIC_H
#define CAPISIM_AFU_TRAFFIC_H

#include "core/types.h"

struct traffic_params {
	u64 base;		/* region, 128-byte aligned */
	u64 size;		/* bytes, a multiple of 128, at most 64 MiB */
	u64 ncmds;		/* random commands; 0: until reset */
	u32 flags;		/* TRAFFIC_F_* */
	u16 lisn;		/* the interrupt for TRAFFIC_F_IRQ (0 means 1) */
	u16 rsvd0;
	/* Written by the AFU at the end */
	u64 status;		/* TRAFFIC_ST_* */
	u64 done;		/* random commands completed */
	u64 mismatches;		/* data reads and responses that differed */
	u64 first_bad;		/* EA of the first mismatch (response: the command's EA) */
	u64 rsvd[8];
} __attribute__((aligned(128)));

_Static_assert(sizeof(struct traffic_params) == 128, "the parameter block is one line");

#define TRAFFIC_RESULT		0x20	/* offset of status .. first_bad */

#define TRAFFIC_F_IRQ		0x1

/*
 * Status: bits 0:7 of the value PASS or FAIL; a FAIL says why in bits
 * 32:39 (TRAFFIC_WHY_*, a mask), and when an error response stopped the
 * run, its code in bits 8:15 and the command in bits 16:31.
 */
#define TRAFFIC_ST_PASS		0x1
#define TRAFFIC_ST_FAIL		0x2
#define TRAFFIC_ST_RESP(st)	((u8)((st) >> 8))
#define TRAFFIC_ST_COM(st)	((u16)((st) >> 16))
#define TRAFFIC_ST_WHY(st)	((u8)((st) >> 32))

#define TRAFFIC_WHY_DATA	0x01	/* read data differed from the shadow */
#define TRAFFIC_WHY_RESPONSE	0x02	/* a response not the expected one, or for no command */
#define TRAFFIC_WHY_STOPPED	0x04	/* AERROR or DERROR stopped the run */
#define TRAFFIC_WHY_PARITY	0x08	/* bad parity on ha_* signals */
#define TRAFFIC_WHY_PARAMS	0x10	/* bad parameter block */

/* Problem-state registers, 64-bit, read only: progress while it runs. */
#define TRAFFIC_PSA_ISSUED	0x00
#define TRAFFIC_PSA_DONE	0x08
#define TRAFFIC_PSA_DATA_MM	0x10
#define TRAFFIC_PSA_RESP_MM	0x18
#define TRAFFIC_PSA_PHASE	0x20

#endif
