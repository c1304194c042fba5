/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test and bench responder: a small stand-in for the PSL side of the
 * PSL-AFU port, to unit-test AFU models and to measure how fast an AFU
 * (C or co-simulated RTL) can be ticked.  It is NOT the PSL model: no
 * translation (an EA is used as the real address in a struct host_mem),
 * no SPA, no PSL registers, no cache; one AFU, ticked cycle by cycle.
 *
 * What it does, per CAPI 1.0 rules (reference section 8):
 *  - job control: RESET (then it reads descriptor word 0, as PSLSE
 *    does), START with a WED, LLCMD add/terminate/remove, each waiting
 *    for ah_jdone/ah_jcack; ah_jdone with ah_jerror ends a job;
 *  - MMIO to the descriptor (ha_mmcfg) and the PSA, one at a time;
 *  - commands against host memory: reads move the line through the
 *    buffer interface as two 64-byte halves on consecutive cycles, then
 *    the response; writes fetch both halves with the AFU's ah_brlat, then
 *    write memory and respond; one beat per direction and one response
 *    per cycle; a latency of lat_min..lat_max cycles (seeded) from
 *    acceptance to service, so responses may come out of order;
 *  - credits: ha_croom at reset, one per command, +1 with each response;
 *  - FAILED for: an unknown command, a size that is not a power of two
 *    in 1..128 or an address not aligned to it, a command without credit
 *    or while ah_jrunning is low, a busy tag, bad ah_* parity (when
 *    ah_paren), an intreq LISN outside 1..irqs, unlock/write_unlock with
 *    no lock held on the line; CONTEXT for ah_cch >= num_of_processes
 *    (dedicated: != 0), FAILED for a context not added (AFU-directed);
 *  - AERROR for an address outside host memory (or a write to a
 *    read-only range); nothing moves;
 *  - flush mode: after AERROR, DERROR or PAGED for a context, every
 *    command of it not yet served is answered FLUSHED, until a restart
 *    is accepted (restart itself is always served, DONE);
 *  - locks and the reservation (one each): read_cl_lck/lock take the
 *    lock (NLOCK if held), write_unlock/unlock release it; read_cl_res
 *    takes the reservation, write_c writes only while it holds the
 *    reservation on its line (else NRES) and always clears it.  There are
 *    no other agents, so nothing else breaks a lock or reservation;
 *  - intreq: recorded as an interrupt (context, LISN);
 *  - injected outcomes for tests: a given response instead of executing
 *    the Nth matching command, or a flipped byte in its read data.
 * Parity it drives is always valid; ah_cabt is accepted and ignored.
 */
#ifndef CAPISIM_AFU_RESPONDER_H
#define CAPISIM_AFU_RESPONDER_H

#include "afu/afu.h"
#include "core/rng.h"
#include "host/mem.h"

struct responder_params {
	u32 croom;		/* ha_croom, 1..255 (64) */
	u32 lat_min;		/* cycles from accepting a command to serving it (1) */
	u32 lat_max;		/* >= lat_min (1); a range reorders responses */
	u32 irqs;		/* valid LISNs 1..irqs; 0: num_ints_per_process */
	u64 seed;		/* latency draws */
	u64 timeout;		/* cycles a job or MMIO handshake may take (100000) */
};

void responder_params_defaults(struct responder_params *p);

enum responder_mode {
	RESP_MODE_DEDICATED,
	RESP_MODE_DIRECTED,
};

/*
 * Injection: act on matching commands number skip .. skip + count - 1,
 * counted as they are served (commands answered FLUSHED and restart are
 * not counted: restart is always served).
 */
#define RESP_INJ_ANY 0xFFFF

enum resp_inj_action {
	RESP_INJ_RESPONSE,	/* answer @response, execute nothing */
	RESP_INJ_CORRUPT,	/* read data: xor @xor into the first requested byte */
};

struct resp_inject {
	u16 com;		/* command code, or RESP_INJ_ANY */
	u32 skip;		/* matching commands to let through first */
	u32 count;		/* then act on this many */
	enum resp_inj_action action;
	u8 response;
	u8 xor;
	u32 seen;		/* matching commands served so far (the responder's) */
};

#define RESP_MAX_INJECT 8
#define RESP_IRQ_LOG 64

struct responder_irq {
	u64 cycle;
	u16 ctx;
	u16 lisn;
};

struct responder_stats {
	u64 cycles;		/* PSL cycles simulated */
	u64 ticks;		/* of them, with the AFU's clock running */
	u64 cmds;		/* commands accepted (valid or not) */
	u64 restarts;		/* restart commands accepted */
	u64 resp[16];		/* responses presented, by code */
	u64 bytes_read;		/* host memory to the AFU */
	u64 bytes_written;	/* the AFU to host memory */
	u32 max_outstanding;
	/* AFU protocol errors the responder saw */
	u64 err_parity;		/* bad ah_* parity on a command or write data */
	u64 err_mmio_parity;	/* bad ah_mmdatapar */
	u64 err_credit;		/* a command without credit */
	u64 err_dup_tag;	/* a command on a busy tag */
	u64 err_not_running;	/* a command while ah_jrunning was low */
	u64 err_brlat;		/* ah_brlat neither 1 nor 3 */
	u64 err_jdone_running;	/* ah_jdone with ah_jrunning high */
	u64 err_terminate_busy;	/* ah_jcack for terminate with commands outstanding */
	u64 err_unexpected;	/* ah_mmack, ah_jdone or ah_jcack nobody asked for */
};

enum resp_cmd_state {
	RESP_CMD_FREE,
	RESP_CMD_WAIT,		/* accepted, waiting to be served */
	RESP_CMD_DATA,		/* moving data */
	RESP_CMD_RESP,		/* response queued */
};

/* One accepted command, indexed by its tag. */
struct resp_cmd {
	enum resp_cmd_state state;
	u16 com;
	u16 cch;
	u16 size;
	bool flushed;		/* answer FLUSHED when served */
	u8 halves;		/* write data halves captured */
	u8 bad_par;		/* write data halves with bad parity */
	u64 ea;
	u64 ready;		/* cycle it may be served */
	u8 line[AFU_LINE_SIZE];
};

/* A queue of tags in order of their ready cycle. */
struct resp_queue {
	u8 tag[256];
	u32 head;
	u32 n;
};

/* A response waiting for the response port. */
struct resp_out {
	u64 ready;		/* the first cycle it may be presented */
	u8 tag;
	u8 code;
	s8 credits;
	bool norec;		/* refused at acceptance: no struct resp_cmd */
};

enum responder_job {
	RESP_JOB_HELD,		/* before the first reset */
	RESP_JOB_RESETTING,	/* RESET sent, waiting for ah_jdone */
	RESP_JOB_READY,		/* reset done, not started */
	RESP_JOB_STARTING,	/* START sent, waiting for ah_jrunning */
	RESP_JOB_RUNNING,
	RESP_JOB_DONE,		/* ah_jdone ended the job */
};

enum responder_mmio {
	RESP_MMIO_IDLE,
	RESP_MMIO_QUEUED,	/* presented next cycle */
	RESP_MMIO_WAIT,		/* presented, waiting for ah_mmack */
	RESP_MMIO_ACKED,
};

/*
 * The responder and its AFU.  Single-threaded: one simulation thread
 * owns it; tests read the fields below, only responder.c writes them.
 */
struct responder {
	struct responder_params p;
	struct afu *afu;
	struct host_mem *mem;
	struct rng rng;
	struct afu_in in;
	struct afu_out out;
	u64 now;			/* cycle number */

	/* Job control */
	enum responder_job job;
	enum responder_mode mode;
	bool job_cmd;			/* a job command to present next cycle */
	u8 jcom;
	u64 jea;
	bool llcmd_wait;		/* an LLCMD waits for ah_jcack */
	u64 jerror;			/* with the ah_jdone that ended the job */
	u64 desc0;			/* descriptor word 0, read after reset */
	u16 nprocs;			/* contexts: 1 dedicated, num_of_processes directed */
	u32 irqs;			/* valid LISNs 1..irqs */
	u8 *ctx_added;			/* [nprocs], AFU-directed */
	u8 *ctx_flush;			/* [nprocs]: in flush mode */
	u16 *ctx_cmds;			/* [nprocs]: commands outstanding */

	/* MMIO */
	enum responder_mmio mmio;
	u64 mmio_data;

	/* Commands */
	struct resp_cmd cmd[256];
	u32 credits;
	u32 outstanding;		/* commands accepted, response not yet presented */
	struct resp_queue rdq;		/* reads, for the ha_bw* port */
	struct resp_queue wrq;		/* writes, for the ha_br* port */
	struct resp_queue nq;		/* no data */
	int bw_tag;			/* read sending its second half, or -1 */
	int br_tag;			/* write fetching its second half, or -1 */
	/* Buffer reads in flight: slot (cycle & 3) holds what is sampled then. */
	struct {
		bool valid;
		u8 tag;
		u8 half;
	} brq[4];
	struct resp_out resp[512];	/* ring of responses to present */
	u32 resp_head;
	u32 resp_n;
	bool lock_held;
	u64 lock_line;
	bool res_held;
	u64 res_line;

	struct resp_inject inj[RESP_MAX_INJECT];
	u32 nr_inj;

	struct responder_irq irq_log[RESP_IRQ_LOG];	/* ring: the last ones */
	u64 nr_irqs;
	struct responder_stats st;
};

/*
 * Attach @afu (held in reset) to host memory @mem.  Returns 0 or -EINVAL
 * for bad @p (NULL: the defaults).  responder_exit frees what it holds,
 * not the AFU or the memory.
 */
int responder_init(struct responder *r, struct afu *afu, struct host_mem *mem,
		   const struct responder_params *p);
void responder_exit(struct responder *r);

/*
 * Job control; each runs the simulation until the handshake completes.
 * Reset: drop every command in flight, RESET, wait for ah_jdone, then
 * read descriptor word 0 (the contexts and interrupts it offers).  Start:
 * check @mode against req_prog_model, START with @wed (0 for
 * AFU-directed), wait for ah_jrunning.  LLCMD: send @cmd for @pe, wait
 * for ah_jcack.  Return 0, -ETIMEDOUT (p.timeout cycles passed), -EINVAL
 * (bad arguments), -EOPNOTSUPP (a mode the descriptor does not offer) or
 * -EPROTO (the AFU is not in the state the command needs).
 */
int responder_reset(struct responder *r);
int responder_start(struct responder *r, enum responder_mode mode, u64 wed);
int responder_llcmd(struct responder *r, u16 cmd, u16 pe);

/*
 * MMIO at byte offset @off of the descriptor (@cfg) or the PSA; @dw for
 * 64 bits (offset 8-aligned, else 4-aligned).  Runs until ah_mmack.
 * Returns 0, -EINVAL or -ETIMEDOUT.
 */
int responder_mmio_read(struct responder *r, bool cfg, bool dw, u32 off, u64 *val);
int responder_mmio_write(struct responder *r, bool cfg, bool dw, u32 off, u64 val);

/* Simulate one PSL cycle (ticking the AFU unless its clock may stop). */
void responder_cycle(struct responder *r);

/*
 * Run until @until(r, arg) is true (NULL: never), for at most @max
 * cycles.  Returns 0 when it is, -ETIMEDOUT after @max cycles, or
 * -EDEADLK when the AFU has stopped its clock and nothing is pending, so
 * it never can be.
 */
int responder_run(struct responder *r, u64 max,
		  bool (*until)(struct responder *r, void *arg), void *arg);

/* Run until the job ends (ah_jdone); *@jerror gets ah_jerror. */
int responder_wait_done(struct responder *r, u64 max, u64 *jerror);

/* Arm an injection rule; -ENOSPC when RESP_MAX_INJECT are armed. */
int responder_inject(struct responder *r, const struct resp_inject *inj);

/* True when the AFU's clock may stop now (afu_clock_may_stop, PSL side). */
bool responder_quiet(const struct responder *r);

#endif
