// SPDX-License-Identifier: GPL-2.0
/*
 * Names for the numbers the PSL model puts in its events: AFU commands
 * and responses, job commands, LLCMDs, states of its machines, and P1/P2
 * registers.  The codes come from the model's own headers, so a renumbered
 * enum renames here too; a number with no name prints as a number.
 */
#include <string.h>

#include "psl/psl.h"
#include "trace/tt.h"

struct code_name {
	u64 code;
	const char *name;
};

static const char *find(const struct code_name *t, size_t n, u64 code)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].code == code)
			return t[i].name;
	return NULL;
}

static const struct code_name cmds[] = {
	{ AFU_CMD_READ_CL_S, "read_cl_s" }, { AFU_CMD_READ_CL_M, "read_cl_m" },
	{ AFU_CMD_READ_CL_LCK, "read_cl_lck" }, { AFU_CMD_READ_CL_RES, "read_cl_res" },
	{ AFU_CMD_READ_CL_NA, "read_cl_na" }, { AFU_CMD_READ_PNA, "read_pna" },
	{ AFU_CMD_TOUCH_I, "touch_i" }, { AFU_CMD_TOUCH_S, "touch_s" },
	{ AFU_CMD_TOUCH_M, "touch_m" }, { AFU_CMD_WRITE_MI, "write_mi" },
	{ AFU_CMD_WRITE_MS, "write_ms" }, { AFU_CMD_WRITE_UNLOCK, "write_unlock" },
	{ AFU_CMD_WRITE_C, "write_c" }, { AFU_CMD_WRITE_NA, "write_na" },
	{ AFU_CMD_WRITE_INJ, "write_inj" }, { AFU_CMD_PUSH_I, "push_i" },
	{ AFU_CMD_PUSH_S, "push_s" }, { AFU_CMD_EVICT_I, "evict_i" },
	{ AFU_CMD_LOCK, "lock" }, { AFU_CMD_UNLOCK, "unlock" },
	{ AFU_CMD_FLUSH, "flush" }, { AFU_CMD_INTREQ, "intreq" },
	{ AFU_CMD_RESTART, "restart" },
};

const char *tt_cmd_name(u64 com)
{
	return find(cmds, ARRAY_SIZE(cmds), com);
}

static const struct code_name resps[] = {
	{ AFU_RESP_DONE, "DONE" }, { AFU_RESP_AERROR, "AERROR" },
	{ AFU_RESP_DERROR, "DERROR" }, { AFU_RESP_NLOCK, "NLOCK" },
	{ AFU_RESP_NRES, "NRES" }, { AFU_RESP_FLUSHED, "FLUSHED" },
	{ AFU_RESP_FAULT, "FAULT" }, { AFU_RESP_FAILED, "FAILED" },
	{ AFU_RESP_PAGED, "PAGED" }, { AFU_RESP_CONTEXT, "CONTEXT" },
};

const char *tt_resp_name(u64 resp)
{
	return find(resps, ARRAY_SIZE(resps), resp);
}

static const struct code_name jcoms[] = {
	{ AFU_JCOM_START, "START" }, { AFU_JCOM_RESET, "RESET" },
	{ AFU_JCOM_LLCMD, "LLCMD" }, { AFU_JCOM_TIMEBASE, "TIMEBASE" },
};

const char *tt_jcom_name(u64 jcom)
{
	return find(jcoms, ARRAY_SIZE(jcoms), jcom);
}

static const struct code_name llcmds[] = {
	{ CXL_SPA_SW_CMD_TERMINATE, "TERMINATE" }, { CXL_SPA_SW_CMD_REMOVE, "REMOVE" },
	{ CXL_SPA_SW_CMD_SUSPEND, "SUSPEND" }, { CXL_SPA_SW_CMD_RESUME, "RESUME" },
	{ CXL_SPA_SW_CMD_ADD, "ADD" }, { CXL_SPA_SW_CMD_UPDATE, "UPDATE" },
};

const char *tt_llcmd_name(u64 llcmd)
{
	const char *n = find(llcmds, ARRAY_SIZE(llcmds), llcmd & CXL_SPA_SW_CMD_MASK);

	return n ? n : "unknown";
}

/* psl.irq's source field: enum psl_irq_source of sim/psl/irq.c. */
const char *tt_irq_source_name(u64 source)
{
	static const char *const names[] = { "psl", "afu", "slice-err", "psl-err" };

	return source < ARRAY_SIZE(names) ? names[source] : "unknown";
}

const char *tt_pe_state_name(u64 state)
{
	static const char *const names[] = {
		[PSL_PE_FREE] = "free", [PSL_PE_ACTIVE] = "active",
		[PSL_PE_SUSPENDED] = "suspended", [PSL_PE_TERMINATED] = "terminated",
	};

	return state < ARRAY_SIZE(names) ? names[state] : "unknown";
}

static const char *const afu_states[] = {
	[PSL_AFU_DISABLED] = "disabled", [PSL_AFU_ENABLING] = "enabling",
	[PSL_AFU_ENABLED] = "enabled", [PSL_AFU_DISABLING] = "disabling",
	[PSL_AFU_RESETTING] = "resetting",
};
static const char *const purge_states[] = {
	[PSL_PURGE_IDLE] = "idle", [PSL_PURGE_PENDING] = "pending",
	[PSL_PURGE_DRAINING] = "draining", [PSL_PURGE_COMPLETE] = "complete",
};
static const char *const flush_states[] = {
	[PSL_FLUSH_IDLE] = "idle", [PSL_FLUSH_BUSY] = "busy", [PSL_FLUSH_COMPLETE] = "complete",
};
static const char *const spa_states[] = {
	[PSL_SPA_IDLE] = "idle", [PSL_SPA_RUNNING] = "running",
	[PSL_SPA_WAIT_AFU] = "wait-afu", [PSL_SPA_WAIT_FAULT] = "wait-fault",
};
static const char *const job_states[] = {
	[PSL_JOB_HELD] = "held", [PSL_JOB_RESETTING] = "resetting",
	[PSL_JOB_READY] = "ready", [PSL_JOB_STARTING] = "starting",
	[PSL_JOB_RUNNING] = "running", [PSL_JOB_ENDED] = "ended",
};
static const char *const inval_states[] = {
	[PSL_INVAL_IDLE] = "idle", [PSL_INVAL_PENDING] = "pending",
};
static const char *const frozen_states[] = { "no", "frozen" };

/* The machines psl.state names (sim/psl: p1.c, p2.c, spa.c, job.c, inval.c, card.c). */
static const struct {
	const char *machine;
	const char *const *names;
	unsigned int nr;
} machines[] = {
	{ "afu", afu_states, ARRAY_SIZE(afu_states) },
	{ "purge", purge_states, ARRAY_SIZE(purge_states) },
	{ "flush", flush_states, ARRAY_SIZE(flush_states) },
	{ "spa", spa_states, ARRAY_SIZE(spa_states) },
	{ "job", job_states, ARRAY_SIZE(job_states) },
	{ "PSL_SLBIA", inval_states, ARRAY_SIZE(inval_states) },
	{ "PSL_TLBIA", inval_states, ARRAY_SIZE(inval_states) },
	{ "CXL_SLBIA_An", inval_states, ARRAY_SIZE(inval_states) },
	{ "link-frozen", frozen_states, ARRAY_SIZE(frozen_states) },
};

const char *tt_state_name(const char *machine, u64 state)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(machines); i++)
		if (!strcmp(machines[i].machine, machine))
			return state < machines[i].nr ? machines[i].names[state] : NULL;
	return NULL;
}

const char *tt_fault_answer_name(s64 tfc, u64 resp)
{
	static const char *const tfcs[] = { "TFC A", "TFC C", "TFC AE", "TFC R" };

	if (resp == PSL_FAULT_FLUSHED)
		return "flushed";
	if (tfc >= 0 && tfc < (s64)ARRAY_SIZE(tfcs))
		return tfcs[tfc];
	return "DSISR store";
}

struct reg_name {
	u32 off;
	const char *name;
};

#define R(off) { off, #off }

static const struct reg_name p1_regs[] = {
	R(CXL_PSL_CtxTime), R(CXL_PSL_ErrIVTE), R(CXL_PSL_KEY1), R(CXL_PSL_KEY2),
	R(CXL_PSL_Control), R(CXL_PSL_DLCNTL), R(CXL_PSL_DLADDR), R(CXL_PSL_LBISEL),
	R(CXL_PSL_SLBIE), R(CXL_PSL_SLBIA), R(CXL_PSL_TLBIE), R(CXL_PSL_TLBIA),
	R(CXL_PSL_AFUSEL), R(CXL_PSL_FIR1), R(CXL_PSL_FIR2), R(CXL_PSL_Timebase),
	R(CXL_PSL_VERSION), R(CXL_PSL_RESLCKTO), R(CXL_PSL_TB_CTLSTAT),
	R(CXL_PSL_FIR_CNTL), R(CXL_PSL_DSNDCTL), R(CXL_PSL_SNWRALLOC), R(CXL_PSL_TRACE),
};

static const struct reg_name p1n_regs[] = {
	R(CXL_PSL_SR_An), R(CXL_PSL_LPID_An), R(CXL_PSL_AMBAR_An), R(CXL_PSL_SPOffset_An),
	R(CXL_PSL_ID_An), R(CXL_PSL_SERR_An), R(CXL_PSL_SDR_An), R(CXL_PSL_AMOR_An),
	R(CXL_HAURP_An), R(CXL_PSL_SPAP_An), R(CXL_PSL_LLCMD_An), R(CXL_PSL_SCNTL_An),
	R(CXL_PSL_CtxTime_An), R(CXL_PSL_IVTE_Offset_An), R(CXL_PSL_IVTE_Limit_An),
	R(CXL_PSL_FIR_SLICE_An), R(CXL_AFU_DEBUG_An), R(CXL_PSL_APCALLOC_A),
	R(CXL_PSL_COALLOC_A), R(CXL_PSL_RXCTL_A), R(CXL_PSL_SLICE_TRACE),
};

static const struct reg_name p2n_regs[] = {
	R(CXL_PSL_PID_TID_An), R(CXL_CSRP_An), R(CXL_AURP0_An), R(CXL_AURP1_An),
	R(CXL_SSTP0_An), R(CXL_SSTP1_An), R(CXL_PSL_AMR_An), R(CXL_SLBIE_An),
	R(CXL_SLBIA_An), R(CXL_SLBI_Select_An), R(CXL_PSL_DSISR_An), R(CXL_PSL_DAR_An),
	R(CXL_PSL_DSR_An), R(CXL_PSL_TFC_An), R(CXL_PSL_PEHandle_An), R(CXL_PSL_ErrStat_An),
	R(CXL_AFU_Cntl_An), R(CXL_AFU_ERR_An), R(CXL_PSL_WED_An),
};

#undef R

static const char *reg_find(const struct reg_name *t, size_t n, u64 off)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].off == off)
			return t[i].name;
	return NULL;
}

/* Names are the driver's cxl.h spellings: BAR2 holds P1, BAR0 the slices' P2 then AFU space. */
void tt_reg_name(u64 bar, u64 off, char *buf, size_t len)
{
	const char *n = NULL;
	u64 slice = 0;

	if (bar && off < CXL_P1_SLICE_BASE) {
		n = reg_find(p1_regs, ARRAY_SIZE(p1_regs), off);
		if (n) {
			snprintf(buf, len, "%s", n);
			return;
		}
	} else if (bar && off < CXL_P1_SLICE_BASE + CXL_MAX_SLICES * CXL_P1_SLICE_SIZE) {
		slice = (off - CXL_P1_SLICE_BASE) / CXL_P1_SLICE_SIZE;
		n = reg_find(p1n_regs, ARRAY_SIZE(p1n_regs),
			     (off - CXL_P1_SLICE_BASE) % CXL_P1_SLICE_SIZE);
	} else if (!bar && off < CXL_MAX_SLICES * CXL_P2_SLICE_SIZE) {
		slice = off / CXL_P2_SLICE_SIZE;
		n = reg_find(p2n_regs, ARRAY_SIZE(p2n_regs), off % CXL_P2_SLICE_SIZE);
	} else if (!bar) {
		snprintf(buf, len, "AFU space");
		return;
	}
	if (n)
		snprintf(buf, len, "%s (slice %llu)", n, (unsigned long long)slice);
	else
		snprintf(buf, len, "BAR%u+0x%llx", bar ? 2 : 0, (unsigned long long)off);
}
