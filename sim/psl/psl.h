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

#include "afu/afu.h"
#include "core/event.h"
#include "host/irq.h"
#include "host/mem.h"
#include "inject/inject.h"
#include "psl/regs.h"
#include "psl/timing.h"
#include "psl/xlate.h"
#include "trace/trace.h"

#define PSL_CFG_SIZE		4096	/* PCIe extended config space */
#define PSL_P1_NR		(CXL_P1_ADAPTER_END / 8)
#define PSL_P1N_NR		(CXL_P1_SLICE_SIZE / 8)
#define PSL_P2N_NR		((CXL_PSL_WED_An + 8) / 8)
#define PSL_NAME_LEN		16
#define PSL_NR_TAGS		256	/* ah_ctag is 8 bits */
#define PSL_NR_CABT		8	/* ah_cabt is 3 bits */

/*
 * What the PSL does with a command whose translation faults, by ah_cabt
 * (reference 8.4: only Strict is known; the others are [U]).
 */
enum psl_cabt_action {
	PSL_CABT_WAIT,		/* interrupt the OS and hold the command until TFC */
	PSL_CABT_ABORT,		/* FAULT at once, no interrupt; flush mode */
	PSL_CABT_PAGE,		/* interrupt the OS, PAGED at once; flush mode */
	PSL_CABT_FAULT,		/* FAULT at once, no interrupt, no flush mode */
	PSL_CABT_ILLEGAL,	/* a reserved encoding: FAILED */
};

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
	/* The AFU descriptor's num_of_processes: the PE handles the PSL accepts */
	u32 num_of_processes;
	/* FIR bits that do not raise the PSL error interrupt [U] */
	u64 fir1_mask;
	u64 fir2_mask;
	/* Behaviours no source pins down [U] */
	bool serr_w1c;			/* SERR status: write-1-to-clear, else plain store */
	bool afu_ra_self_clear;		/* AFU_Cntl RA clears when the reset completes */
	u64 es_enable_pending;		/* AFU_Cntl ES while enabling */
	u64 es_disable_pending;		/* AFU_Cntl ES while disabling */
	u64 fs_busy;			/* PSL_Control Fs while flushing */
	s64 tb_skew;			/* PSL_Timebase minus host timebase, in ticks */
	u8 croom;			/* ha_croom: the commands an AFU may have outstanding */
	u8 cabt[PSL_NR_CABT];		/* enum psl_cabt_action by ah_cabt */
	struct psl_xlate_params xlate;	/* each slice's SLB and TLB */
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
	PSL_PURGE_PENDING,	/* Ps 01: the purge latency runs */
	PSL_PURGE_DRAINING,	/* Ps 01: waiting for software to answer the slice's faults */
	PSL_PURGE_COMPLETE,	/* Ps 11, until Pc is cleared */
};

enum psl_purge_input {
	PSL_PURGE_IN_SET,	/* Pc written 0 -> 1 */
	PSL_PURGE_IN_CLEAR,	/* Pc written 1 -> 0 */
	PSL_PURGE_IN_DONE,	/* the latency elapsed */
	PSL_PURGE_IN_FAULTS,	/* a fault of the slice was answered */
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

/* ---- Faults: DSISR / DAR / PEHandle and TFC (fault.c) ---- */

/* How a held fault ended (reference 2.5.14, 4.6). */
enum psl_fault_resp {
	PSL_FAULT_RESTART,	/* TFC R: redo the translation from scratch */
	PSL_FAULT_AERROR,	/* TFC AE: complete the command with AERROR */
	PSL_FAULT_PAGED,	/* TFC C: complete the command with PAGED */
	PSL_FAULT_ACK,		/* TFC A, or a DSISR store clearing the last pending bit */
	PSL_FAULT_FLUSHED,	/* dropped: PE removed, SPA replaced, PERST */
};

struct psl_fault;
typedef void psl_fault_done_fn(struct psl_fault *f, enum psl_fault_resp resp);

/*
 * One fault waiting to be presented through DSISR/DAR/PEHandle.  Embedded
 * in its owner (a held AFU command, or a context's error records), so
 * raising never allocates.  The owner fills @pe, @dsisr, @dar and @done
 * before psl_slice_raise_fault(); fault.c owns @next and @queued until
 * @done runs.
 */
struct psl_fault {
	u16 pe;
	u64 dsisr;
	u64 dar;
	psl_fault_done_fn *done;	/* the continuation; may be NULL */
	struct psl_fault *next;
	bool queued;
};

/* Whether the head of the queue is in DSISR/DAR/PEHandle. */
enum psl_fault_state {
	PSL_FAULTS_IDLE,	/* nothing presented: the registers are software's */
	PSL_FAULTS_PRESENTED,	/* the head is presented and stable until answered */
};

/* One slice's faults, in raise order; the head is the one presented. */
struct psl_faultq {
	enum psl_fault_state state;
	struct psl_fault *head;
	struct psl_fault *tail;
	u64 shown_dsisr;	/* the DSISR the head was presented with */
	u64 nr_raised;
	u64 nr_answered;
	u64 nr_flushed;
	u64 tfc_stray;		/* TFC written with nothing presented */
	u64 tfc_mismatch;	/* a bit that does not answer the presented kind, or several */
};

/* ---- Contexts (ctx.c) ---- */

/* The programming mode PSL_SCNTL_An[PM] selects (reference 3.1). */
enum psl_mode {
	PSL_MODE_NONE,		/* shared, OS or anything else: no context */
	PSL_MODE_DEDICATED,
	PSL_MODE_DIRECTED,
};

/* A process element as the PSL knows it (reference 3.3.5). */
enum psl_pe_state {
	PSL_PE_FREE,		/* unknown to the PSL */
	PSL_PE_ACTIVE,		/* added, or the dedicated context running: commands accepted */
	PSL_PE_SUSPENDED,
	PSL_PE_TERMINATED,	/* no new commands; present until REMOVE */
};

/*
 * One context: what the translation and interrupt blocks read, the same
 * in both modes.  AFU-directed mode loads it from the process element on
 * ADD/UPDATE; dedicated mode from the slice's registers while the AFU is
 * enabled.  Owned by its slice; simulation thread only.
 */
struct psl_ctx {
	struct psl_slice *slice;
	enum psl_pe_state state;
	struct psl_xlate_ctx xc;	/* pe, lpid, pid, sr, sstp0/1, sdr1, amr & AMOR */
	u32 tid;
	u32 ctxtime;
	u64 spoffset;
	u64 haurp;
	u64 csrp;
	u64 aurp0;
	u64 aurp1;
	u64 wed;
	u32 sw_state;			/* software_state as last read (AFU-directed) */
	u16 ivte_off[CXL_IRQ_RANGES];
	u16 ivte_range[CXL_IRQ_RANGES];
	struct psl_fault psl_err;	/* DSISR[PE] of this context (err.c) */
	struct psl_fault afu_err;	/* DSISR[AE] of this context (err.c, dedicated mode) */
	struct psl_fault paged;		/* the OS's fault of a Page-mode command (cmd.c) */
	bool flushing;			/* flush mode: FLUSHED until restart (cmd.c) */
	u64 nr_afu_irqs;		/* AFU interrupts delivered */
};

/* ---- The SPA command engine (spa.c) ---- */

enum psl_spa_state {
	PSL_SPA_IDLE,
	PSL_SPA_RUNNING,	/* an LLCMD is being carried out: spa_cmd latency */
	PSL_SPA_WAIT_AFU,	/* the AFU was told (job LLCMD); waiting for ah_jcack */
	PSL_SPA_WAIT_FAULT,	/* a TERMINATE waits for its PE's faults to be answered */
};

enum psl_spa_input {
	PSL_SPA_IN_LLCMD,	/* PSL_LLCMD_An written */
	PSL_SPA_IN_DONE,	/* the latency elapsed */
	PSL_SPA_IN_AFU_ACK,	/* the AFU acknowledged the LLCMD */
	PSL_SPA_IN_AFU_TIMEOUT,	/* ... or did not, within llcmd_timeout */
	PSL_SPA_IN_FAULT,	/* a fault of the slice was answered */
};

struct psl_spa_stats {
	u64 cmds;		/* LLCMDs accepted */
	u64 done;		/* completed with the status the driver waits for */
	u64 failed;		/* completed with an error status (1ccc...) */
	u64 busy;		/* LLCMD written while one ran: dropped */
	u64 no_spa;		/* not AFU-directed, or SPAP not valid: nothing to do */
	u64 data_errors;	/* an SPA access hit no memory */
	u64 frozen;		/* abandoned: the link froze */
	u64 afu_timeouts;	/* the AFU never acknowledged the LLCMD */
};

struct psl_spa {
	enum psl_spa_state state;
	u64 llcmd;		/* the command being carried out */
	u64 status_ra;		/* where its status word lives */
	u64 status;		/* the word to write when it completes */
	struct inject_action inj;	/* what the "psl.spa.complete" point asked for */
	struct sim_event ev;
	struct psl_spa_stats stats;
};


/* ---- The PSL side of the PSL-AFU interface (job.c, mmio.c, cmd.c) ---- */

/* The AFU's job, as the control interface shows it (reference 8.2). */
enum psl_job_state {
	PSL_JOB_HELD,		/* power-on: no RESET yet */
	PSL_JOB_RESETTING,	/* RESET driven; waiting for ah_jdone */
	PSL_JOB_READY,		/* out of reset, not started */
	PSL_JOB_STARTING,	/* START driven; waiting for ah_jrunning */
	PSL_JOB_RUNNING,	/* ah_jrunning high */
	PSL_JOB_ENDED,		/* the job ended (ah_jdone while running) */
};

enum psl_job_input {
	PSL_JOB_IN_RESET,	/* RESET driven */
	PSL_JOB_IN_START,	/* START driven */
	PSL_JOB_IN_JDONE,	/* ah_jdone sampled */
	PSL_JOB_IN_RUNNING,	/* ah_jrunning sampled high */
	PSL_JOB_IN_STOPPED,	/* ah_jrunning sampled low */
};

/* The one LLCMD the PSL may have with the AFU (reference 8.2). */
enum psl_llcmd_state {
	PSL_LLCMD_IDLE,
	PSL_LLCMD_QUEUED,	/* to drive once the AFU runs */
	PSL_LLCMD_SENT,		/* driven; waiting for ah_jcack */
};

/* Job commands waiting for ha_jval, highest priority first. */
#define PSL_JOBQ_RESET		0x1
#define PSL_JOBQ_START		0x2
#define PSL_JOBQ_TIMEBASE	0x4

struct psl_job_stats {
	u64 resets;		/* RESET driven */
	u64 starts;
	u64 llcmds;
	u64 timebases;
	u64 jobs_ended;		/* ah_jdone ending a job */
	u64 afu_errors;		/* ... with ah_jerror != 0 */
	u64 llcmd_timeouts;
	u64 proto_errors;	/* ah_jdone with ah_jrunning, strobes nobody asked for */
};

struct psl_job {
	enum psl_job_state state;
	unsigned int queued;		/* PSL_JOBQ_* */
	bool cntl_reset;		/* the reset in flight answers AFU_Cntl[RA] */
	u64 wed;			/* ha_jea of the queued START */
	enum psl_llcmd_state llcmd;
	u64 llcmd_word;
	struct sim_event llcmd_to;	/* llcmd_timeout */
	struct psl_job_stats stats;
};

/* One AFU MMIO request (mmio.c); the queue's head is the one in flight. */
struct psl_mmio_req;

struct psl_afu_mmio_stats {
	u64 reads;		/* forwarded to the AFU */
	u64 writes;
	u64 timeouts;		/* SERR afuto */
	u64 parity;		/* bad ah_mmdatapar: SERR afupar */
	u64 afudis;		/* problem state while the AFU is not enabled: SERR afudis */
	u64 no_afu;		/* no AFU attached: all-ones, dropped */
	u64 bad_access;		/* not 32/64-bit aligned, or past ha_mmad's 64 MiB */
	u64 stray_acks;		/* ah_mmack with nothing in flight */
};

struct psl_afu_mmio {
	struct psl_mmio_req *head;	/* FIFO; head driven once @sent */
	struct psl_mmio_req *tail;
	bool sent;
	struct sim_event timeout;	/* afu_mmio_timeout of the head */
	struct psl_afu_mmio_stats stats;
};

/* Where an AFU command is (reference 8.4 - 8.6; docs/psl8-model.md). */
enum psl_cmd_stage {
	PSL_CMD_FREE,		/* the tag is not in use */
	PSL_CMD_XLATE,		/* decoded; translating until @due */
	PSL_CMD_FAULT,		/* held on a translation fault until software answers */
	PSL_CMD_BUF_READ,	/* write: reading the AFU's buffer (ha_brvalid) */
	PSL_CMD_MEM,		/* the memory or cache operation, until @due */
	PSL_CMD_BUF_WRITE,	/* read: writing the AFU's buffer (ha_bwvalid) */
	PSL_CMD_RESP,		/* waiting for its ha_rvalid */
};

struct psl_cmd_desc;

/* One command, by tag; from ah_cvalid to ha_rvalid. */
struct psl_cmd {
	struct psl_slice *s;
	enum psl_cmd_stage stage;
	u8 tag;
	u8 cabt;
	u8 resp;			/* the response it will get */
	u8 halves;			/* buffer halves driven so far */
	u8 got;				/* buffer read halves whose data arrived */
	bool bad_parity;		/* ... with bad ah_brpar */
	u16 com;
	u16 cch;
	u16 size;
	const struct psl_cmd_desc *desc;	/* NULL for an unknown code */
	u64 ea;
	u64 ra;				/* after translation */
	enum psl_xlate_status xst;	/* the translation's outcome */
	struct psl_xlate_fault xf;	/* ... and its fault, if any */
	u64 due;			/* end of the XLATE or MEM stage, ps */
	u64 t_accept;
	struct psl_fault fault;		/* a Strict fault while held */
	struct psl_cmd *prev, *next;	/* the outstanding list */
	struct psl_cmd *qnext;		/* a beat or response FIFO */
	u8 buf[AFU_LINE_SIZE];		/* the line as it moves */
};

struct psl_fifo {
	struct psl_cmd *head;
	struct psl_cmd *tail;
};

struct psl_cmd_stats {
	u64 cmds;		/* ah_cvalid sampled */
	u64 resp[16];		/* responses driven, by code */
	u64 dup_tags;		/* SERR afudup: dropped */
	u64 no_credit;		/* SERR afuov: FAILED */
	u64 parity;		/* bad command or buffer parity: FAILED */
	u64 not_running;	/* a command while ah_jrunning was low: FAILED */
	u64 illegal;		/* unknown code, reserved ah_cabt, bad size or alignment */
	u64 bad_ctx;		/* CONTEXT, or a context not added */
	u64 faults;		/* translation faults raised to the OS */
	u64 retranslations;	/* TFC R */
	u64 bytes_read;		/* host memory to the AFU */
	u64 bytes_written;
	u64 resp_dropped;	/* by the psl.cmd.resp fault point */
	u64 dropped;		/* dropped without a response: AFU reset, purge, PERST */
	u64 brlat_bad;		/* ah_brlat neither 1 nor 3 */
};

#define PSL_BR_DELAY 16		/* ah_brlat is 4 bits */

/* The command, buffer and response interfaces of one slice (cmd.c). */
struct psl_cmdq {
	struct psl_cmd cmd[PSL_NR_TAGS];
	struct psl_cmd *active;		/* outstanding, in acceptance order */
	u32 outstanding;
	struct psl_fifo bwq;		/* reads with buffer writes to drive */
	struct psl_fifo brq;		/* writes with buffer reads to drive */
	struct psl_fifo respq;
	struct {
		bool valid;
		u8 tag;
		u8 half;
	} br_line[PSL_BR_DELAY];	/* buffer reads whose data is due, by edge */
	/* The slice's lock and reservation (reference 8.4), by real line address */
	bool res_valid;
	u64 res_line;
	bool lock_held;
	u64 lock_line;
	u64 xlate_done;			/* when the last translation started completes */
	struct psl_cmd_stats stats;
};

/* Commands of one code the AFU issued, for run reports (psl_port.coms). */
struct psl_com_count {
	u16 com;
	u64 n;
};

/* Distinct command codes counted per port; an AFU uses a handful. */
#define PSL_NR_COM_COUNTS 32

/*
 * The port of one slice: the attached AFU, the signals between the two,
 * and the AFU's clock, which runs only while it may not stop (afu.h,
 * afu_clock_may_stop).  Simulation thread only.
 */
struct psl_port {
	struct afu *afu;		/* attached, or NULL; not owned */
	struct afu_in in;		/* what the PSL drives at this edge */
	struct afu_out out;		/* what the AFU drove at its last tick */
	struct sim_event clk;		/* the next rising edge while the clock runs */
	bool clock_on;
	u64 edges;			/* edges processed since attach */
	u64 last_edge;			/* time of the last one */
	u64 ticks;			/* AFU ticks since attach */
	/* Commands the AFU drove (ah_cvalid) since attach, by code; counted by job.c */
	struct psl_com_count coms[PSL_NR_COM_COUNTS];
	unsigned int nr_coms;
	u64 coms_other;			/* codes beyond the table's room */
	struct psl_job job;
	struct psl_afu_mmio mmio;
	struct psl_cmdq cq;
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
	struct psl_faultq faults;
	struct psl_spa spa;
	struct psl_xlate xlate;		/* the slice's SLB and TLB */
	struct psl_port port;
	/* Contexts by PE handle, num_of_processes of them; ctx[0] is the dedicated one */
	struct psl_ctx *ctx;
	unsigned int nr_ctx_active;	/* contexts not FREE */
	bool ded_running;		/* ctx[0] follows the registers (dedicated, AFU enabled) */
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
	u64 mmio_afu;		/* AFU descriptor / problem state accesses */
	u64 mmio_ro_writes;	/* writes to registers with no writable bit */
	u64 mmio_unmodelled;	/* writes to defined registers the model does not act on */
	u64 cfg_reads;
	u64 cfg_writes;
	u64 cfg_bad;		/* out of range or crossing a dword */
	u64 perst;
	u64 image_loads;
	u64 flushes;
	u64 irq_sent;		/* MSIs handed to the host controller */
	u64 irq_afu;		/* MSIs raised for AFU interrupts, sent or not (irq.c) */
	u64 irq_slice_err;	/* ... for slice errors (PSL_SERR_An) */
	u64 irq_psl_err;	/* ... for PSL errors (PSL_ErrIVTE) */
	u64 irq_frozen;		/* MSIs not sent: link frozen */
	u64 irq_no_host;	/* MSIs not sent: no controller connected */
	u64 irq_badsrc;		/* LISNs outside every range of their context */
	u64 irq_lost;		/* a fault presented for a context gone or without range 0 */
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
	struct host_mem *mem;	/* host memory the PSL reaches (psl_card_connect), or NULL */
	struct irq_ctl *ic;	/* where its MSIs go (psl_card_connect), or NULL */
	struct trace_source tsrc;
	enum psl_phb_mode phb_mode;
	bool frozen;		/* link frozen: MMIO reads all-ones until PERST */
	/* P1 adapter registers by offset / 8 */
	u64 p1[PSL_P1_NR];
	enum psl_flush_state flush;
	struct sim_event flush_ev;
	struct psl_inval slbia;	/* PSL_SLBIA */
	struct psl_inval tlbia;	/* PSL_TLBIA */
	u64 link_free;		/* when the link can take the next line (cmd.c) */
	u64 nr_tlbie;		/* tlbies the host forwarded */
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

/*
 * Freeze the link (EEH fence) until PERST: MMIO reads all-ones, writes
 * dropped, no SPA status write and no MSI leaves the card.
 */
void psl_card_freeze(struct psl_card *card);

/*
 * Connect the card to host memory (the SPA, segment and page tables) and
 * to the host interrupt controller.  Either may be NULL: an SPA access
 * then is a data error, an MSI is counted in stats.irq_no_host.
 */
void psl_card_connect(struct psl_card *card, struct host_mem *mem, struct irq_ctl *ic);

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


/*
 * MMIO whose answer may take time: an AFU descriptor or problem-state
 * access is forwarded to the slice's AFU (one at a time, ha_mm*) and
 * completes when the AFU acknowledges it, or at afu_mmio_timeout with
 * SERR afuto and all-ones.  @done(@arg, val) runs exactly once, with the
 * value read (or 0 for a store): before the call returns for P1/P2 and
 * for anything the card refuses, which returns 0; from an event on the
 * card's queue for a forwarded access, which returns -EINPROGRESS.  A
 * caller bug returns -EINVAL and @done never runs.  The driver shim's
 * in_be64 sleeps on a wait object @done wakes.
 *
 * psl_mmio_read/psl_mmio_write above wait for a forwarded access by
 * running the card's queue until it completes, like a CPU stalled on the
 * load: for callers outside the event loop only (a task, as the shim's
 * busy time, or a test), never from an event callback.
 */
typedef void psl_mmio_done_fn(void *arg, u64 val);
int psl_mmio_read_async(struct psl_card *card, unsigned int bar, u64 offset,
			unsigned int width, psl_mmio_done_fn *done, void *arg);
int psl_mmio_write_async(struct psl_card *card, unsigned int bar, u64 offset,
			 unsigned int width, u64 val, psl_mmio_done_fn *done, void *arg);

/*
 * The host's tlbie, snooped by the CAPP and forwarded by the shim
 * (reference 4.7): every slice drops the TLB entry of that partition,
 * segment size, page sizes and VA page (@vpn = VA >> 12).  Returns the
 * number of entries dropped.
 */
unsigned int psl_card_tlbie(struct psl_card *card, u32 lpid, u64 vpn, enum psl_ssize ss,
			    unsigned int bshift, unsigned int ashift);

/*
 * Plug AFU @afu (made by afu->ops->create) into slice @s.  The card does
 * not own it: destroy the card, or detach, before destroying the AFU.
 * It starts held in reset; the AFU_Cntl reset handshake sends it RESET.
 * Returns 0, -EBUSY if an AFU is attached, -EINVAL for a NULL AFU.
 */
int psl_afu_attach(struct psl_slice *s, struct afu *afu);
/* Unplug: every command, MMIO and job command dropped, the clock stopped. */
void psl_afu_detach(struct psl_slice *s);
static inline bool psl_afu_attached(const struct psl_slice *s)
{
	return s->port.afu;
}

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

/* ---- Contexts, faults, interrupts, errors: the model side ---- */

/* The mode PSL_SCNTL_An[PM] selects now. */
enum psl_mode psl_slice_mode(const struct psl_slice *s);

/* The context of PE handle @pe, or NULL if the PSL does not know it (FREE). */
struct psl_ctx *psl_slice_ctx(struct psl_slice *s, u16 pe);

/*
 * Present a fault of context @f->pe: DSISR, DAR and PEHandle take its
 * values and the context's PSL interrupt (LISN 0) is raised, at once if
 * nothing is presented, else when the faults raised before it have been
 * answered (one fault at a time per slice).  The registers stay stable
 * until software answers through PSL_TFC_An (R, AE, C for a translation
 * fault; A otherwise) or, for DSISR[PE], a DSISR store; then @f->done
 * runs with the answer.  This is where the translation walker's result
 * enters.  Returns 0, -ENOENT if the PSL does not know the PE, -EBUSY if
 * @f is already queued, -EINVAL if @f->dsisr has no pending bit (DS..OC).
 */
int psl_slice_raise_fault(struct psl_slice *s, struct psl_fault *f);

/*
 * AFU interrupt @n of context @pe (the intreq command's LISN, >= 1), mapped
 * through the context's IVTE ranges (reference 5.2).  Returns 0; -ENOENT
 * for an unknown context (SERR badctx); -ERANGE for n == 0 or n past the
 * last range (SERR badsrc).  The intreq response is the caller's: DONE
 * for 0, FAILED otherwise.
 */
int psl_afu_irq(struct psl_slice *s, u16 pe, u32 n);

/*
 * Error sources (err.c).  Each sets its registers through one setter (the
 * "psl.err.bits" fault point, a trace event) and raises its interrupt.
 *
 * psl_err_serr: PSL_SERR_An status bits; the slice-error interrupt on a
 * 0 -> 1 change of a bit whose mask is clear (AE has no mask).
 * psl_err_afu: the AFU ended its job with ah_jerror @code: AFU_ERR_An, then
 * DSISR[AE] on the dedicated context's PSL interrupt, or SERR[AE] in
 * AFU-directed mode (reference 6.2 [U mapping]).
 * psl_err_psl: a PSL error of context @pe: ErrStat bits and DSISR[PE].
 * psl_err_bad_ra / _parity / _illegal_cmd: the causes, with their FIR1
 * bit; @pe < 0 means no context (parity: an AFU MMIO, SERR afupar;
 * illegal command: a bad context handle, SERR badctx).
 * psl_err_spa_data: an SPA access hit no memory: FIR1 SPA_DATA.
 * psl_err_injected: FIR2 INJECTED, and ErrStat/DSISR[PE] for @pe >= 0.
 * Those returning int give -ENOENT when @pe names no context.
 */
void psl_err_serr(struct psl_slice *s, u64 bits);
int psl_err_afu(struct psl_slice *s, u64 code);
int psl_err_psl(struct psl_slice *s, u16 pe, u64 errstat);
int psl_err_bad_ra(struct psl_slice *s, u16 pe, u64 ra);
int psl_err_parity(struct psl_slice *s, int pe);
int psl_err_illegal_cmd(struct psl_slice *s, int pe);
void psl_err_spa_data(struct psl_slice *s, u64 ra);
int psl_err_injected(struct psl_slice *s, int pe);

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

/* Set PSL_ErrStat_An bits of a slice, without an interrupt (err.c). */
void psl_slice_errstat_raise(struct psl_slice *s, u64 bits);
/* Set FIR1 (@which 1) or FIR2 bits; the PSL error interrupt if unmasked (err.c). */
void psl_card_fir_raise(struct psl_card *card, unsigned int which, u64 bits);

/* One trace event for a state machine's new state; @s NULL: adapter-wide. */
void psl_trace_state(struct psl_card *card, const struct psl_slice *s, u32 pe,
		     const char *machine, unsigned int state);

/* ctx.c */
int psl_ctx_init(struct psl_slice *s);
void psl_ctx_exit(struct psl_slice *s);
/* Every context FREE, their faults flushed (PERST, SPA replaced). */
void psl_ctx_reset(struct psl_slice *s);
void psl_ctx_set_state(struct psl_ctx *ctx, enum psl_pe_state state);
/* Dedicated mode: the AFU starts / stops; a slice register was written. */
void psl_ded_start(struct psl_slice *s);
void psl_ded_stop(struct psl_slice *s);
void psl_ded_sync(struct psl_slice *s);

/* spa.c */
void psl_spa_init(struct psl_slice *s);
void psl_spa_reset(struct psl_slice *s);
void psl_spa_llcmd_write(struct psl_slice *s, u64 val);
void psl_spa_spap_write(struct psl_slice *s, u64 val);
void psl_spa_fault_answered(struct psl_slice *s);

/* fault.c */
void psl_fault_reset(struct psl_slice *s);
void psl_fault_tfc_write(struct psl_slice *s, u64 val);
void psl_fault_dsisr_write(struct psl_slice *s, u64 val);
/* Take @f out of the queue if it is queued, answering it FLUSHED. */
void psl_fault_withdraw(struct psl_slice *s, struct psl_fault *f);
/* Drop every fault of @pe, answering it FLUSHED (one presented is withdrawn). */
void psl_fault_flush_pe(struct psl_slice *s, u16 pe);
/*
 * Drop every queued fault @match selects - the presented one only when
 * @presented - answering each FLUSHED once all are out, so that none is
 * presented (and interrupts) on the way; then present what is left.
 */
void psl_fault_withdraw_if(struct psl_slice *s, bool presented,
			   bool (*match)(const struct psl_fault *f, void *arg), void *arg);
/*
 * The owners of the queued faults @match selects let go of them: each is
 * replaced in place, presented or not, by a copy the queue owns, which
 * software answers as before.  -ENOMEM leaves the rest with their owners.
 */
int psl_fault_adopt_if(struct psl_slice *s,
		       bool (*match)(const struct psl_fault *f, void *arg), void *arg);
bool psl_fault_pending_pe(const struct psl_slice *s, u16 pe);
static inline bool psl_fault_idle(const struct psl_slice *s)
{
	return !s->faults.head;
}

/* p1.c: the purge waits for the slice's faults to be answered. */
void psl_purge_faults_answered(struct psl_slice *s);


/* job.c: the port's clock and the control interface */
void psl_port_init(struct psl_slice *s);
/* PERST or destroy: drop every command, MMIO and job command; the clock stops. */
void psl_port_reset(struct psl_slice *s);
/* New input for the AFU: run its clock if it stopped. */
void psl_port_kick(struct psl_slice *s);
/* AFU_Cntl: RA sends RESET (the handshake ends on ah_jdone), E sends START. */
void psl_job_reset(struct psl_slice *s, bool cntl);
void psl_job_start(struct psl_slice *s, u64 wed);
/*
 * Tell the AFU an SPA command (LLCMD word @word).  Returns true if it will
 * acknowledge: psl_spa_afu_answer() follows with ah_jcack or the time-out.
 */
bool psl_job_llcmd(struct psl_slice *s, u64 word);

/* p2.c: the AFU answered the running AFU_Cntl transition (job.c). */
void psl_afu_cntl_done(struct psl_slice *s);
/* spa.c: the LLCMD was acknowledged (@acked) or timed out. */
void psl_spa_afu_answer(struct psl_slice *s, bool acked);

/* mmio.c: AFU descriptor and problem-state forwarding */
void psl_afu_mmio_init(struct psl_slice *s);
void psl_afu_mmio_reset(struct psl_slice *s);
bool psl_afu_mmio_is_afu_space(const struct psl_card *card, u64 offset);
int psl_afu_mmio_submit(struct psl_card *card, u64 offset, unsigned int width, bool write,
			u64 val, psl_mmio_done_fn *done, void *arg);
static inline bool psl_afu_mmio_pending(const struct psl_slice *s)
{
	return s->port.mmio.head;
}
/* At an edge: sample ah_mmack, then drive the next request. */
void psl_afu_mmio_sample(struct psl_slice *s);
void psl_afu_mmio_drive(struct psl_slice *s);

/* cmd.c: the command, buffer and response interfaces */
void psl_cmd_init(struct psl_slice *s);
/*
 * Drop every command without a response (AFU reset, purge, PERST).  With
 * @keep_faults, a translation fault a command raised stays queued for
 * software to answer, its answer going nowhere (psl_fault_adopt_if).
 */
void psl_cmd_drop_all(struct psl_slice *s, bool keep_faults);
/* At an edge: sample ah_cvalid and buffer data, advance stages, drive. */
void psl_cmd_sample(struct psl_slice *s);
void psl_cmd_advance(struct psl_slice *s);
void psl_cmd_drive(struct psl_slice *s);

/* irq.c */
int psl_ctx_ivte(const struct psl_ctx *ctx, u32 lisn, u16 *ivte);
/* LISN 0 of @ctx; -ERANGE (SERR badsrc) without a range 0. */
int psl_ctx_psl_irq(struct psl_ctx *ctx);
void psl_slice_err_irq(struct psl_slice *s);
void psl_card_err_irq(struct psl_card *card);

#endif
