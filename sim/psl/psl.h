/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PSL8 card model: one struct psl_card per simulated CAPI card, with
 * up to four AFU slices.  The platform reaches it only as hardware is
 * reached: config-space accesses, MMIO loads and stores on BAR0 (P2,
 * AFU descriptors, problem state) and BAR2 (P1), PERST, and the PHB's
 * CAPI mode switch.  docs/psl8-model.md describes what is modelled.
 *
 * Every entry point runs on the simulation thread; the card's handshakes
 * complete through events on the card's sim_queue.
 */
#ifndef CAPISIM_PSL_PSL_H
#define CAPISIM_PSL_PSL_H

#include "core/event.h"
#include "psl/regs.h"
#include "psl/timing.h"

#define PSL_CFG_SIZE		4096	/* PCIe extended config space */
#define PSL_P1_NR		(CXL_P1_ADAPTER_END / 8)
#define PSL_P1N_NR		(CXL_P1_SLICE_SIZE / 8)
#define PSL_P2N_NR		((CXL_PSL_WED_An + 8) / 8)
#define PSL_NAME_LEN		16

/* What a card looks like; psl_params_defaults() documents each default. */
struct psl_params {
	char name[PSL_NAME_LEN];	/* for reports, e.g. "card0" */
	/* PCI identity and link */
	u16 device_id;
	u16 subsys_vendor;
	u16 subsys_id;
	u8 revision;
	u32 class_code;			/* 24 bits: base, sub, prog-if */
	u8 link_speed;			/* PCIe speed code: 3 = 8 GT/s */
	u8 link_width;			/* lanes */
	bool aer;			/* AER extended capability present */
	/* BAR sizes in bytes, powers of two */
	u64 bar0_size;			/* P2, AFU descriptors, problem state */
	u64 bar2_size;			/* P1 */
	u64 bar4_size;			/* CAPI protocol window */
	/* CAPI VSEC */
	unsigned int nr_slices;
	u8 vsec_status;
	u16 psl_rev;
	u8 caia_major;
	u8 caia_minor;
	u16 base_image;
	u8 image_state;			/* at power-on */
	u32 afu_desc_off;		/* 64 KiB units, from BAR0 */
	u32 afu_desc_size;		/* 64 KiB units, per slice */
	u32 ps_off;			/* 64 KiB units, from BAR0 */
	u32 ps_size;			/* 64 KiB units, per slice; 0: no PSA */
	/* Behaviours no source pins down [U] */
	bool serr_w1c;			/* SERR status: write-1-to-clear, else plain store */
	bool afu_ra_self_clear;		/* AFU_Cntl RA clears when the reset completes */
	u64 es_enable_pending;		/* AFU_Cntl ES while enabling */
	u64 es_disable_pending;		/* AFU_Cntl ES while disabling */
	u64 fs_busy;			/* PSL_Control Fs while flushing */
	s64 tb_skew;			/* PSL_Timebase minus host timebase, in ticks */
	struct psl_timing timing;
};

/* The PHB side of the CAPI switch (OPAL_PHB_CAPI_MODE_*), forward only. */
enum psl_phb_mode {
	PSL_PHB_PCIE,
	PSL_PHB_CAPI,
	PSL_PHB_CAPI_SNOOP,
};

/* AFU_Cntl_An enable/reset handshake (reference 2.6.1). */
enum psl_afu_state {
	PSL_AFU_DISABLED,	/* ES 000 */
	PSL_AFU_ENABLING,	/* ES es_enable_pending */
	PSL_AFU_ENABLED,	/* ES 100 */
	PSL_AFU_DISABLING,	/* ES es_disable_pending */
	PSL_AFU_RESETTING,	/* ES 000, RS 01 */
};

enum psl_afu_input {
	PSL_AFU_IN_ENABLE,	/* E written 1 */
	PSL_AFU_IN_DISABLE,	/* E written 0 */
	PSL_AFU_IN_RESET,	/* RA written 0 -> 1 */
	PSL_AFU_IN_DONE,	/* the running transition's latency elapsed */
};

/* AFU_Cntl_An RS: the outcome of the last reset. */
enum psl_afu_rs {
	PSL_RS_NONE,		/* 00: no reset since power-on */
	PSL_RS_PENDING,		/* 01 */
	PSL_RS_COMPLETE,	/* 10 */
};

/* PSL_SCNTL_An purge handshake (reference 2.6.3). */
enum psl_purge_state {
	PSL_PURGE_IDLE,		/* Ps 00 */
	PSL_PURGE_PENDING,	/* Ps 01 */
	PSL_PURGE_COMPLETE,	/* Ps 11, until Pc is cleared */
};

enum psl_purge_input {
	PSL_PURGE_IN_SET,	/* Pc written 0 -> 1 */
	PSL_PURGE_IN_CLEAR,	/* Pc written 1 -> 0 */
	PSL_PURGE_IN_DONE,
};

/* PSL_Control data-cache flush handshake (reference 2.5.1). */
enum psl_flush_state {
	PSL_FLUSH_IDLE,		/* Fs 00 */
	PSL_FLUSH_BUSY,		/* Fs fs_busy */
	PSL_FLUSH_COMPLETE,	/* Fs 11, until Fr is cleared */
};

enum psl_flush_input {
	PSL_FLUSH_IN_SET,	/* Fr written 0 -> 1 */
	PSL_FLUSH_IN_CLEAR,	/* Fr written 1 -> 0 */
	PSL_FLUSH_IN_DONE,
};

/* Which lookaside buffer an invalidation register targets. */
enum psl_inval_kind {
	PSL_INVAL_SLB,		/* PSL_SLBIA: every slice selected by AFUSEL */
	PSL_INVAL_TLB,		/* PSL_TLBIA */
	PSL_INVAL_SLB_AN,	/* CXL_SLBIA_An: one slice */
};

enum psl_inval_state {
	PSL_INVAL_IDLE,		/* pending bit 0 */
	PSL_INVAL_PENDING,	/* pending bit 1 */
};

/*
 * One invalidation register: its pending bit and the request in flight.
 * A second request while one is pending widens the scope to "all".
 */
struct psl_inval {
	struct psl_card *card;
	struct psl_slice *slice;	/* NULL for the adapter-wide ones */
	enum psl_inval_kind kind;
	enum psl_inval_state state;
	u64 iq;				/* qualifier of the request in flight */
	u64 lbisel;			/* PSL_LBISEL when it was requested */
	u64 nr_done;			/* invalidations completed */
	struct sim_event ev;
};

struct psl_slice {
	struct psl_card *card;
	unsigned int idx;
	/* Register storage by offset / 8; handshake fields are composed on read. */
	u64 p1n[PSL_P1N_NR];
	u64 p2n[PSL_P2N_NR];
	enum psl_afu_state afu;
	enum psl_afu_rs rs;
	struct sim_event afu_ev;
	enum psl_purge_state purge;
	struct sim_event purge_ev;
	struct psl_inval slbia;		/* CXL_SLBIA_An */
	/* Completed handshakes, for reports and tests */
	u64 nr_enables;
	u64 nr_disables;
	u64 nr_resets;
	u64 nr_purges;
};

/* Accesses the card received and what became of the odd ones. */
struct psl_stats {
	u64 mmio_reads;
	u64 mmio_writes;
	u64 mmio_bad_offset;	/* no register there, or past the BAR */
	u64 mmio_bad_width;	/* P1/P2 access not 64-bit or not 8-byte aligned */
	u64 mmio_frozen;	/* dropped while the link is frozen */
	u64 mmio_undecoded;	/* memory space disabled in the command register */
	u64 mmio_afu;		/* AFU descriptor / problem state: not routed yet */
	u64 mmio_ro_writes;	/* writes to registers with no writable bit */
	u64 mmio_unmodelled;	/* writes to defined registers the model does not act on */
	u64 cfg_reads;
	u64 cfg_writes;
	u64 cfg_bad;		/* out of range or crossing a dword */
	u64 perst;
	u64 image_loads;
	u64 flushes;
};

struct psl_card {
	struct sim_queue *q;	/* the timeline the card's events run on */
	struct psl_params p;	/* fixed after create */
	/* Config space: image, writable bits, write-1-to-clear bits (cfg.c) */
	u8 cfg[PSL_CFG_SIZE];
	u8 cfg_wmask[PSL_CFG_SIZE];
	u8 cfg_w1c[PSL_CFG_SIZE];
	u16 vsec;		/* offset of the CAPI VSEC */
	u16 aer;		/* offset of the AER capability, 0 if absent */
	enum psl_phb_mode phb_mode;
	bool frozen;		/* link frozen: MMIO reads all-ones until PERST */
	/* P1 adapter registers by offset / 8 */
	u64 p1[PSL_P1_NR];
	enum psl_flush_state flush;
	struct sim_event flush_ev;
	struct psl_inval slbia;	/* PSL_SLBIA */
	struct psl_inval tlbia;	/* PSL_TLBIA */
	struct psl_slice slice[CXL_MAX_SLICES];
	struct psl_stats stats;
};

/* ---- Card lifecycle (card.c) ---- */

void psl_params_defaults(struct psl_params *p);
/* Check identity, layout and encodings; -EINVAL, logging the first problem. */
int psl_params_check(const struct psl_params *p);
/* A powered-on card, or NULL (logged) if @p fails psl_params_check(). */
struct psl_card *psl_card_create(struct sim_queue *q, const struct psl_params *p);
void psl_card_destroy(struct psl_card *card);

/*
 * PERST: every register and handshake back to power-on, config space
 * included, except the VSEC image-control bits, which select the image
 * the card reloads (reference 6.5).
 */
void psl_card_perst(struct psl_card *card);

/* Freeze the link (EEH fence): MMIO reads all-ones, writes dropped, until PERST. */
void psl_card_freeze(struct psl_card *card);

/*
 * The PHB's CAPI switch (pnv_phb_to_cxl_mode): PCIe -> CAPI -> CAPI with
 * snooping.  Returns 0, or -EINVAL for a step out of that order.
 */
int psl_card_phb_mode(struct psl_card *card, enum psl_phb_mode mode);

/*
 * MMIO on BAR @bar (0 or 2), @offset from its base, @width 1, 2, 4 or 8
 * bytes.  Values are the register's number (the caller does byte order).
 * An access the card cannot decode is logged and counted, reads all-ones
 * and is otherwise dropped, as on hardware: that still returns 0.  Only a
 * caller bug (bad BAR index or width) returns -EINVAL.
 */
int psl_mmio_read(struct psl_card *card, unsigned int bar, u64 offset,
		  unsigned int width, u64 *val);
int psl_mmio_write(struct psl_card *card, unsigned int bar, u64 offset,
		   unsigned int width, u64 val);

/* The host timebase (POWER8: 512 MHz) at simulated time @t. */
u64 psl_host_timebase(u64 t);

/* ---- Config space (cfg.c) ---- */

/*
 * Little-endian config accesses of width 1, 2 or 4 inside one dword.  An
 * offset past 4 KiB or an access crossing a dword is logged and counted,
 * reads all-ones, and is dropped; that returns 0.  -EINVAL for a bad width.
 */
int psl_cfg_read(struct psl_card *card, u32 offset, unsigned int width, u32 *val);
int psl_cfg_write(struct psl_card *card, u32 offset, unsigned int width, u32 val);

/* The 64-bit address a BAR (0, 2 or 4) holds now. */
u64 psl_cfg_bar_addr(const struct psl_card *card, unsigned int bar);

/* ---- Between the PSL's own files ---- */

/*
 * How one register behaves.  A write stores the @wmask bits and clears the
 * @w1c bits written as 1; all other bits are read-only.  Registers whose
 * value the hardware makes (handshakes, timebase) have hooks instead.
 * @slice is NULL for adapter-wide registers.
 */
struct psl_reg {
	const char *name;		/* NULL: no register at this offset */
	u64 wmask;
	u64 w1c;
	bool unmodelled;		/* defined, but nothing acts on it yet: reads 0 */
	u64 (*read)(struct psl_card *card, struct psl_slice *slice);
	void (*write)(struct psl_card *card, struct psl_slice *slice, u64 val);
};

#define PSL_REG_STORE(off) [(off) / 8] = { .name = #off, .wmask = ~0ULL }
#define PSL_REG_RO(off) [(off) / 8] = { .name = #off }
#define PSL_REG_UNMODELLED(off) [(off) / 8] = { .name = #off, .unmodelled = true }
#define PSL_REG_HOOKED(off, rd, wr) [(off) / 8] = { .name = #off, .read = rd, .write = wr }

/*
 * Access register @off of a block described by @regs (@nr entries, by
 * offset / 8) whose storage is @store.  -ENOENT when there is none.
 */
int psl_reg_read(const struct psl_reg *regs, unsigned int nr, u64 *store,
		 struct psl_card *card, struct psl_slice *slice, u64 off, u64 *val);
int psl_reg_write(const struct psl_reg *regs, unsigned int nr, u64 *store,
		  struct psl_card *card, struct psl_slice *slice, u64 off, u64 val);

void psl_cfg_init(struct psl_card *card);
/* Config space back to power-on, keeping the VSEC image-control bits. */
void psl_cfg_perst(struct psl_card *card);
bool psl_cfg_mem_enabled(const struct psl_card *card);

/* Events and invalidation registers once at create; reset at power-on and PERST. */
void psl_p1_init(struct psl_card *card);
void psl_p1_reset(struct psl_card *card);
/* @offset from BAR2: the adapter block and every slice's P1 block. */
int psl_p1_read(struct psl_card *card, u64 offset, u64 *val);
int psl_p1_write(struct psl_card *card, u64 offset, u64 val);

void psl_p2_init(struct psl_slice *s);
void psl_p2_reset(struct psl_slice *s);
/* @offset within the slice's P2 block. */
int psl_p2_read(struct psl_slice *s, u64 offset, u64 *val);
int psl_p2_write(struct psl_slice *s, u64 offset, u64 val);

void psl_inval_init(struct psl_inval *inv, struct psl_card *card,
		    struct psl_slice *slice, enum psl_inval_kind kind);
void psl_inval_reset(struct psl_inval *inv);
/* A write to the register: start an invalidation, or merge into the one pending. */
void psl_inval_request(struct psl_inval *inv, u64 val);
static inline u64 psl_inval_read(const struct psl_inval *inv)
{
	return inv->state == PSL_INVAL_PENDING ? CXL_TLB_SLB_P : 0;
}

/*
 * Schedule @ev @dt after now, replacing any pending time; when @dt is 0
 * run it at once.  Callers make it their last action, as it may re-enter.
 */
void psl_schedule(struct psl_card *card, struct sim_event *ev, u64 dt);

/* Raise PSL error status bits of a slice (PSL_ErrStat_An), as err.c will. */
void psl_slice_errstat_raise(struct psl_slice *s, u64 bits);

#endif
