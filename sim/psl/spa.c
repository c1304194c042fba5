// SPDX-License-Identifier: GPL-2.0
/*
 * AFU-directed mode: the scheduled process area and the LLCMD command
 * engine (reference 3.3).  A PSL_LLCMD_An write starts a command; after
 * the spa_cmd latency the PSL reads sw_command_status and the process
 * element from host memory (big-endian), carries the command out on its
 * table of contexts, tells the AFU (the job interface's LLCMD; the
 * command waits for ah_jcack), and writes the completion into
 * sw_command_status as do_process_element_cmd() waits for it.  Without
 * an AFU attached the spa_cmd latency stands for the whole round trip.
 */
#define pr_fmt(fmt) "psl-spa: " fmt

#include <errno.h>
#include <string.h>

#include "core/log.h"
#include "inject/inject.h"
#include "psl/psl.h"

#define REG(off) ((off) / 8)

#define SPA_CMD(word) ((u16)((word) >> 48))
#define SPA_LINK(word) ((u16)((word) & CXL_SPA_SW_LINK_MASK))
#define SPA_CMD_MAX 6

INJECT_POINT(ip_spa_done, "psl.spa.complete",
	     "the sw_command_status word an LLCMD completes with: lost, changed or late",
	     INJECT_DROP | INJECT_VALUE | INJECT_XOR | INJECT_DELAY);

static struct trace_kind tk_start =
	TRACE_KIND("psl.spa.start", TRACE_LVL_DEFAULT, "slice:u64 llcmd:u64");
static struct trace_kind tk_done =
	TRACE_KIND("psl.spa.done", TRACE_LVL_DEFAULT,
		   "slice:u64 llcmd:u64 status:u64 written:u64");

static const char *const cmd_names[SPA_CMD_MAX + 1] = {
	"none", "TERMINATE", "REMOVE", "SUSPEND", "RESUME", "ADD", "UPDATE",
};

static const char *cmd_name(u16 cmd)
{
	return cmd <= SPA_CMD_MAX ? cmd_names[cmd] : "unknown";
}

/* Where things are in the SPA PSL_SPAP_An describes (reference 3.3.1, 3.3.2). */
struct spa_geom {
	u64 base;
	u64 nr_pes;		/* process elements it holds */
	u64 status_ra;		/* sw_command_status */
};

static int spa_geometry(const struct psl_slice *s, struct spa_geom *g)
{
	u64 spap = s->p1n[REG(CXL_PSL_SPAP_An)];
	u64 bytes = (((spap & CXL_PSL_SPAP_Size) >> CXL_PSL_SPAP_Size_Shift) + 1) * CXL_SPA_PAGE;

	if (!(spap & CXL_PSL_SPAP_V))
		return -ENODEV;
	g->base = spap & CXL_PSL_SPAP_Addr;
	g->nr_pes = (bytes / 8 - 96) / 17;
	g->status_ra = g->base + (g->nr_pes + 3) * CXL_SPA_PE_SIZE;
	return 0;
}

/*
 * The PE state machine (reference 3.3.5).  ADD only onto a free handle;
 * REMOVE only after TERMINATE, as the driver always does; TERMINATE of a
 * terminated PE succeeds again [U: CAIA gives no table; strict where the
 * driver never strays].
 */
static int pe_next(enum psl_pe_state cur, u16 cmd, enum psl_pe_state *next)
{
	bool running = cur == PSL_PE_ACTIVE || cur == PSL_PE_SUSPENDED;

	switch (cmd) {
	case SPA_CMD(CXL_SPA_SW_CMD_ADD):
		*next = PSL_PE_ACTIVE;
		return cur == PSL_PE_FREE ? 0 : -EINVAL;
	case SPA_CMD(CXL_SPA_SW_CMD_TERMINATE):
		*next = PSL_PE_TERMINATED;
		return cur != PSL_PE_FREE ? 0 : -EINVAL;
	case SPA_CMD(CXL_SPA_SW_CMD_REMOVE):
		*next = PSL_PE_FREE;
		return cur == PSL_PE_TERMINATED ? 0 : -EINVAL;
	case SPA_CMD(CXL_SPA_SW_CMD_SUSPEND):
		*next = PSL_PE_SUSPENDED;
		return running ? 0 : -EINVAL;
	case SPA_CMD(CXL_SPA_SW_CMD_RESUME):
		*next = PSL_PE_ACTIVE;
		return running ? 0 : -EINVAL;
	case SPA_CMD(CXL_SPA_SW_CMD_UPDATE):
		*next = cur;
		return running ? 0 : -EINVAL;
	default:
		return -EINVAL;
	}
}

static u64 be(const u8 *p, unsigned int n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | *p++;
	return v;
}

/* A process element's fields into its context (reference 3.3.3). */
static void pe_load(struct psl_ctx *ctx, const u8 *pe, u16 handle, u64 amor)
{
	unsigned int r;

	ctx->xc.pe = handle;
	ctx->xc.sr = be(pe + CXL_PE_SR, 8);
	ctx->xc.sdr1 = be(pe + CXL_PE_SDR, 8);
	ctx->xc.lpid = be(pe + CXL_PE_LPID, 4);
	ctx->xc.pid = be(pe + CXL_PE_PID, 4);
	ctx->xc.sstp0 = be(pe + CXL_PE_SSTP0, 8);
	ctx->xc.sstp1 = be(pe + CXL_PE_SSTP1, 8);
	ctx->xc.amr = be(pe + CXL_PE_AMR, 8) & amor;
	ctx->spoffset = be(pe + CXL_PE_SPOFFSET, 8);
	ctx->haurp = be(pe + CXL_PE_HAURP, 8);
	ctx->ctxtime = be(pe + CXL_PE_CTXTIME, 4);
	ctx->tid = be(pe + CXL_PE_TID, 4);
	ctx->csrp = be(pe + CXL_PE_CSRP, 8);
	ctx->aurp0 = be(pe + CXL_PE_AURP0, 8);
	ctx->aurp1 = be(pe + CXL_PE_AURP1, 8);
	ctx->wed = be(pe + CXL_PE_WED, 8);
	for (r = 0; r < CXL_IRQ_RANGES; r++) {
		ctx->ivte_off[r] = be(pe + CXL_PE_IVTE_OFFSETS + 2 * r, 2);
		ctx->ivte_range[r] = be(pe + CXL_PE_IVTE_RANGES + 2 * r, 2);
	}
}

/* Host memory as the PSL reaches it; no memory connected is a data error too. */
static int spa_read(struct psl_card *card, u64 ra, void *buf, u64 len)
{
	return card->mem ? mem_read(card->mem, ra, buf, len) : -EFAULT;
}

static int spa_write_word(struct psl_card *card, u64 ra, u64 word)
{
	u8 buf[8];
	unsigned int i;

	for (i = 0; i < 8; i++)
		buf[i] = word >> (56 - 8 * i);
	return card->mem ? mem_write(card->mem, ra, buf, sizeof(buf)) : -EFAULT;
}

static void spa_set_state(struct psl_slice *s, enum psl_spa_state state)
{
	s->spa.state = state;
	psl_trace_state(s->card, s, SPA_LINK(s->spa.llcmd), "spa", state);
}

/* Write the completion word; the command is over. */
static void spa_finish(struct psl_slice *s, u64 status)
{
	struct psl_card *card = s->card;
	const struct inject_action *act = &s->spa.inj;
	bool write = act->kind != INJECT_KIND_DROP && !card->frozen;

	status = inject_apply(act, status);
	if ((status & CXL_SPA_SW_STATE_MASK) >> 32 == SPA_CMD(s->spa.llcmd))
		s->spa.stats.done++;
	else
		s->spa.stats.failed++;
	if (card->frozen)
		s->spa.stats.frozen++;
	if (write && spa_write_word(card, s->spa.status_ra, status)) {
		write = false;
		psl_err_spa_data(s, s->spa.status_ra);
	}
	trace_emit(&tk_done, &card->tsrc, SPA_LINK(s->spa.llcmd), TRACE_U(s->idx),
		   TRACE_U(s->spa.llcmd), TRACE_U(status), TRACE_U(write));
	spa_set_state(s, PSL_SPA_IDLE);
}

/* The error status of the running command: 1ccc... in the status field. */
static u64 spa_error_status(const struct psl_slice *s, u64 status)
{
	return (status & ~CXL_SPA_SW_STATE_MASK) | (u64)(0x8000 | SPA_CMD(s->spa.llcmd)) << 32;
}

/*
 * Carry out the running LLCMD, given the status @word software left in
 * memory.  Returns the status word to write: the command repeated in the
 * status field, or 1ccc... for an error.  *@told says whether the AFU
 * was sent the LLCMD and will acknowledge it.
 */
static u64 spa_run(struct psl_slice *s, const struct spa_geom *g, u64 word, bool *told)
{
	struct psl_card *card = s->card;
	u64 llcmd = s->spa.llcmd, mask = CXL_SPA_SW_CMD_MASK | CXL_SPA_SW_LINK_MASK;
	u16 cmd = SPA_CMD(llcmd), pe = SPA_LINK(llcmd);
	u64 base = (llcmd & mask) | (word & CXL_SPA_SW_PSL_ID_MASK);
	u64 err = base | (u64)(0x8000 | cmd) << 32;
	enum psl_pe_state next;
	u8 buf[CXL_SPA_PE_SIZE];
	struct psl_ctx *ctx;
	u32 sw_state;

	if ((word & mask) != (llcmd & mask)) {
		pr_warn("%s slice %u: LLCMD 0x%016llx but sw_command_status holds 0x%016llx\n",
			card->p.name, s->idx, (unsigned long long)llcmd, (unsigned long long)word);
		return err;
	}
	if (s->afu != PSL_AFU_ENABLED) {
		pr_warn("%s slice %u: %s of PE %u while the AFU is not enabled\n", card->p.name,
			s->idx, cmd_name(cmd), pe);
		psl_err_serr(s, CXL_PSL_SERR_An_llcmdis);
		return err;
	}
	if (!cmd || cmd > SPA_CMD_MAX || pe >= g->nr_pes || pe >= card->p.num_of_processes) {
		pr_warn("%s slice %u: LLCMD 0x%016llx: bad command or PE (SPA %llu, AFU %u PEs)\n",
			card->p.name, s->idx, (unsigned long long)llcmd,
			(unsigned long long)g->nr_pes, card->p.num_of_processes);
		return err;
	}
	if (spa_read(card, g->base + pe * CXL_SPA_PE_SIZE, buf, sizeof(buf))) {
		psl_err_spa_data(s, g->base + pe * CXL_SPA_PE_SIZE);
		return err;
	}
	ctx = &s->ctx[pe];
	sw_state = be(buf + CXL_PE_SOFTWARE_STATE, 4);
	if (pe_next(ctx->state, cmd, &next) ||
	    (next == PSL_PE_ACTIVE && ctx->state == PSL_PE_FREE &&
	     !(sw_state & CXL_PE_SOFTWARE_STATE_V))) {
		pr_warn("%s slice %u: %s of PE %u refused: PE state %d, software_state 0x%08x\n",
			card->p.name, s->idx, cmd_name(cmd), pe, ctx->state, sw_state);
		return err;
	}
	if (cmd == SPA_CMD(CXL_SPA_SW_CMD_ADD) || cmd == SPA_CMD(CXL_SPA_SW_CMD_UPDATE))
		pe_load(ctx, buf, pe, s->p1n[REG(CXL_PSL_AMOR_An)]);
	ctx->sw_state = sw_state;
	if (next == PSL_PE_FREE)
		psl_fault_flush_pe(s, pe);
	psl_ctx_set_state(ctx, next);
	*told = psl_job_llcmd(s, llcmd);
	return base | (u64)cmd << 32;
}

/* The command took effect: complete it, unless a TERMINATE waits for its PE's faults. */
static void spa_settle(struct psl_slice *s, u64 status)
{
	if (SPA_CMD(s->spa.llcmd) == SPA_CMD(CXL_SPA_SW_CMD_TERMINATE) &&
	    psl_fault_pending_pe(s, SPA_LINK(s->spa.llcmd))) {
		s->spa.status = status;
		spa_set_state(s, PSL_SPA_WAIT_FAULT);
		return;
	}
	spa_finish(s, status);
}

/* The latency elapsed: fetch, execute, complete (or wait for faults). */
static void spa_execute(struct psl_slice *s)
{
	struct psl_card *card = s->card;
	struct spa_geom g;
	bool told = false;
	u8 buf[8];
	u64 status;

	if (card->frozen) {
		s->spa.stats.frozen++;
		spa_set_state(s, PSL_SPA_IDLE);
		return;
	}
	if (psl_slice_mode(s) != PSL_MODE_DIRECTED || spa_geometry(s, &g)) {
		s->spa.stats.no_spa++;
		pr_warn("%s slice %u: LLCMD 0x%016llx needs AFU-directed mode and SPAP[V]: ignored\n",
			card->p.name, s->idx, (unsigned long long)s->spa.llcmd);
		spa_set_state(s, PSL_SPA_IDLE);
		return;
	}
	s->spa.status_ra = g.status_ra;
	if (spa_read(card, g.status_ra, buf, sizeof(buf))) {
		psl_err_spa_data(s, g.status_ra);
		spa_set_state(s, PSL_SPA_IDLE);
		return;
	}
	status = spa_run(s, &g, be(buf, 8), &told);
	if (told) {
		s->spa.status = status;
		spa_set_state(s, PSL_SPA_WAIT_AFU);
		return;
	}
	spa_settle(s, status);
}

static void spa_start(struct psl_slice *s, u64 llcmd)
{
	struct psl_card *card = s->card;
	u64 dt = card->p.timing.spa_cmd;

	s->spa.stats.cmds++;
	s->spa.llcmd = llcmd;
	s->spa.inj = (struct inject_action){ .kind = INJECT_KIND_NONE };
	if (inject_check(&ip_spa_done, &s->spa.inj) && s->spa.inj.kind == INJECT_KIND_DELAY)
		dt += s->spa.inj.delay;
	trace_emit(&tk_start, &card->tsrc, SPA_LINK(llcmd), TRACE_U(s->idx), TRACE_U(llcmd));
	spa_set_state(s, PSL_SPA_RUNNING);
	psl_schedule(card, &s->spa.ev, dt);
}

static void spa_step(struct psl_slice *s, enum psl_spa_input in, u64 llcmd)
{
	if (in == PSL_SPA_IN_LLCMD && s->spa.state != PSL_SPA_IDLE) {
		/* The driver serialises SPA commands; a second one has nowhere to go [U]. */
		s->spa.stats.busy++;
		pr_warn("%s slice %u: LLCMD 0x%016llx while 0x%016llx runs: dropped\n",
			s->card->p.name, s->idx, (unsigned long long)llcmd,
			(unsigned long long)s->spa.llcmd);
		return;
	}
	switch (s->spa.state) {
	case PSL_SPA_IDLE:
		if (in == PSL_SPA_IN_LLCMD)
			spa_start(s, llcmd);
		break;
	case PSL_SPA_RUNNING:
		if (in == PSL_SPA_IN_DONE)
			spa_execute(s);
		break;
	case PSL_SPA_WAIT_AFU:
		if (in == PSL_SPA_IN_AFU_ACK) {
			spa_settle(s, s->spa.status);
		} else if (in == PSL_SPA_IN_AFU_TIMEOUT) {
			s->spa.stats.afu_timeouts++;
			spa_finish(s, spa_error_status(s, s->spa.status));
		}
		break;
	case PSL_SPA_WAIT_FAULT:
		if (in == PSL_SPA_IN_FAULT && !psl_fault_pending_pe(s, SPA_LINK(s->spa.llcmd)))
			spa_finish(s, s->spa.status);
		break;
	}
}

void psl_spa_afu_answer(struct psl_slice *s, bool acked)
{
	spa_step(s, acked ? PSL_SPA_IN_AFU_ACK : PSL_SPA_IN_AFU_TIMEOUT, 0);
}

static void spa_done(void *arg)
{
	spa_step(arg, PSL_SPA_IN_DONE, 0);
}

void psl_spa_init(struct psl_slice *s)
{
	sim_event_init(&s->spa.ev, "psl-spa-cmd", spa_done, s);
}

void psl_spa_reset(struct psl_slice *s)
{
	sim_cancel(s->card->q, &s->spa.ev);
	s->spa.state = PSL_SPA_IDLE;
	s->spa.llcmd = 0;
	s->spa.status_ra = 0;
	s->spa.status = 0;
}

/* PSL_LLCMD_An keeps the last value written [U: the driver never reads it]. */
void psl_spa_llcmd_write(struct psl_slice *s, u64 val)
{
	s->p1n[REG(CXL_PSL_LLCMD_An)] = val;
	spa_step(s, PSL_SPA_IN_LLCMD, val);
}

/*
 * A new SPA pointer makes the old process elements meaningless: the PSL
 * forgets them [U].  The driver writes SPAP at activation and 0 at
 * sanitise, when no context is left.
 */
void psl_spa_spap_write(struct psl_slice *s, u64 val)
{
	u64 *spap = &s->p1n[REG(CXL_PSL_SPAP_An)];

	if (*spap != val && s->nr_ctx_active && !s->ded_running) {
		pr_warn("%s slice %u: SPAP changed with %u PE(s) added: the PSL forgets them\n",
			s->card->p.name, s->idx, s->nr_ctx_active);
		psl_ctx_reset(s);
	}
	*spap = val;
}

void psl_spa_fault_answered(struct psl_slice *s)
{
	spa_step(s, PSL_SPA_IN_FAULT, 0);
}
