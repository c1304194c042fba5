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
 * Timing.  Tick n is rising edge n: the AFU samples the @in the PSL
 * drives for edge n and computes the @out it drives from edge n on,
 * which the PSL samples at edge n + 1.  So an answer comes one cycle
 * after its cause at the earliest: a command in the @out of tick n can
 * see its response in the @in of tick n + 1.  Buffer reads: the data for
 * an ha_brvalid in the @in of tick n goes in the @out of tick
 * n + ah_brlat - 1 (ah_brlat 1: the same tick; 3: two ticks later), so
 * the PSL samples it ah_brlat edges after the request.
 *
 * An AFU is a struct afu_ops plus its state, in which it embeds the
 * common struct afu.  It is built in (chosen by name, afu_find) or loaded
 * from a shared object exporting "capisim_afu_ops" (afu_load_plugin).
 * docs/afu-guide.md walks through writing one.
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

/* LLCMD words on ha_jea: command in bits 0:15, PE handle in bits 48:63. */
#define AFU_LLCMD_TERMINATE	0x0001
#define AFU_LLCMD_REMOVE	0x0002
#define AFU_LLCMD_ADD		0x0005
#define AFU_LLCMD_WORD(cmd, pe)	(((u64)(cmd) << 48) | (u16)(pe))
#define AFU_LLCMD_CMD(word)	((u16)((word) >> 48))
#define AFU_LLCMD_PE(word)	((u16)(word))

/*
 * The AFU descriptor (reference 1.5): byte offsets of its doublewords and
 * the fields of each, read over ha_mmcfg with big-endian 64-bit loads.
 */
#define AFU_DESC_WORD0			0x00
#define AFU_DESC_CR_LEN			0x20	/* bits 8:63, 256-byte units */
#define AFU_DESC_CR_OFFSET		0x28	/* bytes, 256-byte aligned */
#define AFU_DESC_PSA			0x30
#define AFU_DESC_PP_PSA_OFFSET		0x38
#define AFU_DESC_EB_LEN			0x40	/* bits 8:63, 4 KB units */
#define AFU_DESC_EB_OFFSET		0x48

#define AFU_DESC_NUM_INTS(w0)		((u16)((w0) >> 48))
#define AFU_DESC_NUM_PROCS(w0)		((u16)((w0) >> 32))
#define AFU_DESC_NUM_CRS(w0)		((u16)((w0) >> 16))
#define AFU_DESC_PROG_MODEL(w0)		((u16)(w0))
#define AFU_DESC_W0(ints, procs, crs, model) \
	(((u64)(ints) << 48) | ((u64)(procs) << 32) | ((u64)(crs) << 16) | (u16)(model))

#define AFU_PROG_DEDICATED		0x0010	/* req_prog_model bit 59 */
#define AFU_PROG_DIRECTED		0x0004	/* bit 61 */

#define AFU_DESC_PP_PSA_REQ		IBM_BIT(6)
#define AFU_DESC_PSA_REQ		IBM_BIT(7)
#define AFU_DESC_LEN_MASK		0x00FFFFFFFFFFFFFFULL	/* bits 8:63 */
#define AFU_DESC_END			0x60	/* the fixed words end here */

/*
 * A configuration record is a PCI type-0 config header image, stored
 * little-endian in memory order (reference 1.5); AFU_CR_len counts
 * 256-byte units.
 */
#define AFU_CR_UNIT			256
#define AFU_CR_HDR_SIZE			64

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
	u8 bwpar;		/* odd parity per doubleword: dw k is vector bit k (0x80 >> k) */
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
	u8 brpar;		/* as ha_bwpar */
};

#define AFU_NAME_LEN 32

/*
 * The part of every AFU's state the interface knows: the model embeds it
 * and finds itself again with container_of().  @create fills it in.
 */
struct afu {
	const struct afu_ops *ops;
	char instance[AFU_NAME_LEN];
};

/*
 * What an AFU model provides.
 *
 * @create makes instance @instance (a name for logs) with seed @seed for
 * anything random it does, and @options, a model-specific
 * "key=value,key=value" string (NULL or "" for the defaults); NULL on a
 * bad option, after logging why.  The AFU comes up held in reset: it
 * serves nothing until the PSL's first RESET job command.
 *
 * @tick is called once per PSL cycle while the AFU's clock runs (see the
 * timing rule above).  Before each call the caller clears the strobes in
 * @out (afu_out_clear_strobes); every other field keeps what the AFU set
 * last, so levels (jrunning, jerror) and static signals (paren, brlat)
 * need only be written when they change, and ah_brdata only in the cycle
 * it is sampled.
 *
 * @idle returns true when the AFU has nothing to do until its next input:
 * no command to issue, no poll pending, no strobe to send.  NULL stands
 * for "idle whenever ah_jrunning is low".  See afu_clock_may_stop().
 */
struct afu_ops {
	u32 abi_version;	/* AFU_ABI_VERSION */
	const char *name;
	struct afu *(*create)(const char *instance, u64 seed, const char *options);
	void (*destroy)(struct afu *afu);
	void (*tick)(struct afu *afu, const struct afu_in *in, struct afu_out *out);
	bool (*idle)(const struct afu *afu);
};

static inline void afu_out_clear_strobes(struct afu_out *out)
{
	out->jdone = 0;
	out->jcack = 0;
	out->tbreq = 0;
	out->mmack = 0;
	out->cvalid = 0;
}

/* Odd parity of @v: the bit that makes the count of ones odd. */
static inline u8 afu_parity64(u64 v)
{
	return !__builtin_parityll(v);
}

/* The eight parity bits of a 64-byte half line (ha_bwpar, ah_brpar). */
static inline u8 afu_parity_half(const u8 *half)
{
	u8 par = 0;
	unsigned int k;

	for (k = 0; k < 8; k++) {
		u64 dw;

		__builtin_memcpy(&dw, half + 8 * k, 8);
		par |= afu_parity64(dw) << (7 - k);
	}
	return par;
}

/*
 * The built-in AFUs by name ("memcpy", "traffic"): NULL if none has it.
 * afu_builtin(i) lists them, NULL past the last.
 */
const struct afu_ops *afu_find(const char *name);
const struct afu_ops *afu_builtin(unsigned int i);

/*
 * Load the AFU of shared object @path: dlopen() it and take its
 * "const struct afu_ops capisim_afu_ops".  Returns 0 and *@ops, or
 * -ENOENT (the file cannot be loaded), -ENOEXEC (it has no
 * capisim_afu_ops), -EPROTO (another ABI version) or -EINVAL (no name,
 * create, destroy or tick), after logging the reason with @path.  The
 * object stays loaded for the life of the process.
 */
int afu_load_plugin(const char *path, const struct afu_ops **ops);

/*
 * The clock-stop rule: the PSL stops ticking an AFU only when all of
 * these hold, and ticks it again at its next job command, MMIO request,
 * buffer transfer or response (the only inputs that change):
 *  - no command is outstanding (from ah_cvalid until its ha_rvalid);
 *  - no MMIO request is waiting for ah_mmack;
 *  - no job command is waiting for its ah_jdone or ah_jcack;
 *  - the AFU says it is idle: ops->idle, or, without one, ah_jrunning
 *    is low in @out (an AFU without the hook keeps its clock while it
 *    runs a job: it may be polling memory on its own).
 * So an AFU that polls host memory must not report idle while it polls;
 * one that waits for an MMIO doorbell may.
 */
static inline bool afu_clock_may_stop(const struct afu *afu, const struct afu_out *out,
				      u32 cmds_outstanding, bool mmio_pending,
				      bool job_pending)
{
	if (cmds_outstanding || mmio_pending || job_pending)
		return false;
	if (afu->ops->idle)
		return afu->ops->idle(afu);
	return !out->jrunning;
}

#endif
