/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CAPI 1.0 PSL-AFU interface, one PSL clock (250 MHz) at a time.
 *
 * struct afu_in holds the ha_* signals (PSL to AFU) the AFU samples at a
 * rising edge; struct afu_out the ah_* signals it drives for that edge.
 * Names follow the CAPI 1.0 `module afu` port list without their
 * ha_/ah_ prefix.  Vectors there are numbered [0:n] with bit 0 the most
 * significant; here a scalar holds the vector's value (bit 0 is the
 * value's MSB), and the 512-bit buffer data is a byte array in memory
 * order: byte k of the half line is bits [8k:8k+7].  Valid strobes are
 * 1 for exactly one cycle.
 *
 * An AFU is a struct afu_ops plus its private state, built in (chosen by
 * name) or loaded from a shared object exporting "capisim_afu_ops".
 */
#ifndef CAPISIM_AFU_H
#define CAPISIM_AFU_H

#include "core/types.h"

#define AFU_ABI_VERSION 1

/* Job commands on ha_jcom. */
#define AFU_JCOM_START		0x90
#define AFU_JCOM_RESET		0x80
#define AFU_JCOM_LLCMD		0x45
#define AFU_JCOM_TIMEBASE	0x42

/* Command codes on ah_com. */
#define AFU_CMD_READ_CL_S	0x0A50
#define AFU_CMD_READ_CL_M	0x0A60
#define AFU_CMD_READ_CL_LCK	0x0A6B
#define AFU_CMD_READ_CL_RES	0x0A67
#define AFU_CMD_READ_CL_NA	0x0A00
#define AFU_CMD_READ_PNA	0x0E00
#define AFU_CMD_TOUCH_I		0x0240
#define AFU_CMD_TOUCH_S		0x0250
#define AFU_CMD_TOUCH_M		0x0260
#define AFU_CMD_WRITE_MI	0x0D60
#define AFU_CMD_WRITE_MS	0x0D70
#define AFU_CMD_WRITE_UNLOCK	0x0D6B
#define AFU_CMD_WRITE_C		0x0D67
#define AFU_CMD_WRITE_NA	0x0D00
#define AFU_CMD_WRITE_INJ	0x0D10
#define AFU_CMD_PUSH_I		0x0140
#define AFU_CMD_PUSH_S		0x0150
#define AFU_CMD_EVICT_I		0x1140
#define AFU_CMD_LOCK		0x016B
#define AFU_CMD_UNLOCK		0x017B
#define AFU_CMD_FLUSH		0x0100
#define AFU_CMD_INTREQ		0x0000
#define AFU_CMD_RESTART		0x0001

/* ah_cabt translation ordering modes. */
#define AFU_CABT_STRICT		0
#define AFU_CABT_ABORT		1
#define AFU_CABT_PAGE		2
#define AFU_CABT_PREF		3
#define AFU_CABT_SPEC		7

/* Response codes on ha_response. */
#define AFU_RESP_DONE		0x00
#define AFU_RESP_AERROR		0x01
#define AFU_RESP_DERROR		0x03
#define AFU_RESP_NLOCK		0x04
#define AFU_RESP_NRES		0x05
#define AFU_RESP_FLUSHED	0x06
#define AFU_RESP_FAULT		0x07
#define AFU_RESP_FAILED		0x08
#define AFU_RESP_PAGED		0x0A
#define AFU_RESP_CONTEXT	0x0B

#define AFU_LINE_SIZE		128
#define AFU_HALF_LINE		64

/* PSL to AFU: the ha_* signals for one rising edge. */
struct afu_in {
	/* Control (job) interface */
	u8 jval;
	u8 jcom;
	u8 jcompar;
	u64 jea;
	u8 jeapar;
	/* MMIO interface */
	u8 mmval;
	u8 mmcfg;		/* 1: AFU descriptor space, 0: problem state */
	u8 mmrnw;		/* 1: read */
	u8 mmdw;		/* 1: 64-bit */
	u32 mmad;		/* 24-bit word (4-byte) address */
	u8 mmadpar;
	u64 mmdata;
	u8 mmdatapar;
	/* Command interface */
	u8 croom;		/* credits the AFU starts with; static */
	/* Buffer interface: the PSL reads write data from the AFU... */
	u8 brvalid;
	u8 brtag;
	u8 brtagpar;
	u8 brad;		/* 6 bits; bit 5 (value 1) selects the half */
	/* ...and writes read data into it */
	u8 bwvalid;
	u8 bwtag;
	u8 bwtagpar;
	u8 bwad;
	u8 bwdata[AFU_HALF_LINE];
	u8 bwpar;		/* one odd-parity bit per doubleword, bit 0 = dw 0 */
	/* Response interface */
	u8 rvalid;
	u8 rtag;
	u8 rtagpar;
	u8 response;
	s16 rcredits;		/* 9-bit two's complement */
	u8 rcachestate;		/* reserved in CAPI 1.0: 0 */
	u16 rcachepos;		/* reserved in CAPI 1.0: 0 */
};

/* AFU to PSL: the ah_* signals the AFU drives for one rising edge. */
struct afu_out {
	/* Control (job) interface */
	u8 jrunning;		/* level */
	u8 jdone;
	u8 jcack;
	u64 jerror;
	u8 jyield;
	u8 tbreq;
	u8 paren;		/* static: the AFU generates parity */
	/* MMIO interface */
	u8 mmack;
	u64 mmdata;
	u8 mmdatapar;
	/* Command interface */
	u8 cvalid;
	u8 ctag;
	u8 ctagpar;
	u16 com;		/* 13 bits */
	u8 compar;
	u8 cabt;		/* 3 bits */
	u64 cea;
	u8 ceapar;
	u16 cch;
	u16 csize;		/* 12 bits */
	/* Buffer interface: read data, ah_brlat cycles after ha_brvalid */
	u8 brlat;		/* static: 1 or 3 */
	u8 brdata[AFU_HALF_LINE];
	u8 brpar;
};

struct afu;

/*
 * What an AFU model provides.  @tick is called once per PSL cycle while
 * the AFU's clock runs: it samples @in and sets every field of @out (the
 * caller zeroes strobes before each call).  @idle tells the PSL that the
 * AFU has no internal work pending, so its clock may stop until the next
 * input that is not all zero; NULL means the clock stops only while
 * ah_jrunning is low and nothing is outstanding.
 */
struct afu_ops {
	u32 abi_version;	/* AFU_ABI_VERSION */
	const char *name;
	struct afu *(*create)(const char *instance, u64 seed, const char *options);
	void (*destroy)(struct afu *afu);
	void (*tick)(struct afu *afu, const struct afu_in *in, struct afu_out *out);
	bool (*idle)(const struct afu *afu);
};

/* Odd parity of @v: the bit that makes the count of ones odd. */
static inline u8 afu_parity64(u64 v)
{
	return !__builtin_parityll(v);
}

#endif
