/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The AFU side of the CAPI 1.0 interface, shared by the built-in C AFUs
 * (memcpy, traffic): tags with their 128-byte buffers, credits, the
 * buffer interface with its ah_brlat delay, parity, the AFU descriptor
 * and "key=value" options.  A model keeps the protocol decisions (what to
 * issue, what a response means); this keeps the signal bookkeeping.
 */
#ifndef CAPISIM_AFU_PORT_H
#define CAPISIM_AFU_PORT_H

#include "afu/afu.h"

#define AFU_PORT_MAX_TAGS 256

/* The built-in models, for the registry. */
extern const struct afu_ops afu_memcpy_ops;
extern const struct afu_ops afu_traffic_ops;

/*
 * One tag: the command as issued (reissued unchanged after a restart),
 * its buffer, and what the model uses it for.
 */
struct afu_tag {
	u8 buf[AFU_LINE_SIZE];
	u64 ea;
	u16 com;
	u16 cch;
	u16 size;
	u8 cabt;
	u8 id;			/* the ah_ctag value */
	bool busy;		/* issued; no response yet */
	/* The model's own: what the command is for. */
	u32 kind;
	u32 ctx;
	u64 arg;
	struct afu_tag *next;	/* the free list, or a model's queue */
};

/* One AFU's port; owned and touched by that AFU's tick only. */
struct afu_port {
	struct afu_tag *tags;		/* nr_tags of them */
	struct afu_tag *free;		/* free list */
	u32 nr_tags;
	u32 nr_busy;			/* issued, no response yet */
	s32 credits;
	u8 brlat;			/* 1 or 3 */
	bool paren;			/* generate parity, check the PSL's */
	u32 now;			/* ticks seen: indexes the delay line */
	/* Buffer reads waiting for their ah_brlat: slot (tick & 3). */
	struct {
		bool valid;
		u8 tag;
		u8 half;
	} brq[4];
	u64 parity_errors;		/* bad ha_* parity seen (paren only) */
	u64 proto_errors;		/* responses or buffer beats for idle tags */
};

int afu_port_init(struct afu_port *p, u32 nr_tags, u8 brlat, bool paren);
void afu_port_exit(struct afu_port *p);
/* Back to reset: every tag free, @croom credits. */
void afu_port_reset(struct afu_port *p, u8 croom);

static inline bool afu_port_can_issue(const struct afu_port *p)
{
	return p->credits > 0 && p->free;
}

/* A free tag (NULL if none), and giving one back. */
struct afu_tag *afu_port_get(struct afu_port *p);
void afu_port_put(struct afu_port *p, struct afu_tag *t);

/* Drive @t's command on @out this cycle; it costs a credit.  */
void afu_port_issue(struct afu_port *p, struct afu_tag *t, struct afu_out *out);

/*
 * Once per tick, before looking at responses: the static signals, read
 * data into tag buffers (ha_bwvalid), write data out of them after
 * ah_brlat (ha_brvalid).
 */
void afu_port_tick(struct afu_port *p, const struct afu_in *in, struct afu_out *out);

/*
 * The tag answered by this cycle's ha_rvalid (NULL if none, or if the tag
 * was not busy: a PSL protocol error, counted); takes the credits back.
 * The tag stays allocated: the model puts or reissues it.
 */
struct afu_tag *afu_port_response(struct afu_port *p, const struct afu_in *in);

/* Acknowledge an MMIO read with @data on @out (parity when paren). */
void afu_port_mmio_ack(struct afu_port *p, struct afu_out *out, u64 data);

/*
 * MMIO data lanes: a 64-bit access moves the big-endian doubleword; a
 * 32-bit one the word at ha_mmad (even: bits 0:31 of the doubleword,
 * odd: bits 32:63), read back on both halves, written from bits 32:63.
 */
u64 afu_mmio_read_lanes(u64 dword, const struct afu_in *in);
u64 afu_mmio_write_merge(u64 old, const struct afu_in *in);

/* The byte offset of this cycle's MMIO access. */
static inline u32 afu_mmio_offset(const struct afu_in *in)
{
	return in->mmad * 4;
}

/*
 * An AFU descriptor's contents (reference 1.5); no error buffer.  The
 * configuration records are num_of_afu_crs records of cr_len units from
 * cr_offset; @cr holds their first @cr_size bytes in memory order (record
 * i at i * cr_len * AFU_CR_UNIT), the rest reads 0.  @cr belongs to the
 * AFU and lives as long as it.
 */
struct afu_desc {
	u16 num_ints_per_process;
	u16 num_of_processes;
	u16 req_prog_model;		/* AFU_PROG_* */
	bool psa;			/* PSA required */
	bool pp_psa;			/* per-process PSA slices */
	u64 pp_psa_len;			/* 4 KB units */
	u64 pp_psa_offset;		/* bytes */
	u16 num_of_afu_crs;
	u64 cr_len;			/* AFU_CR_UNIT units, per record */
	u64 cr_offset;			/* bytes from the descriptor base */
	const u8 *cr;
	u32 cr_size;
};

/* The doubleword at byte offset @off (rounded down to 8) of @d. */
u64 afu_desc_dword(const struct afu_desc *d, u32 off);

/*
 * Fill @rec (AFU_CR_HDR_SIZE bytes) with a PCI type-0 header naming
 * @vendor, @device and the 24-bit @class_code at @revision; the other
 * fields are 0.
 */
void afu_cr_header(u8 *rec, u16 vendor, u16 device, u32 class_code, u8 revision);

/* One option a model accepts: "name=value" with min <= value <= max. */
struct afu_opt {
	const char *name;
	u64 *val;			/* holds the default on entry */
	u64 min;
	u64 max;
};

/*
 * Parse @options ("key=value,key=value"; NULL or "" is fine) against
 * @table.  Values take the config file's integer forms (0x, K/M/G).
 * Returns 0, or -EINVAL after logging the offending item with @model.
 */
int afu_opts_parse(const char *model, const char *options,
		   const struct afu_opt *table, unsigned int n);

#endif
