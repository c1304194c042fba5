// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the test responder (sim/afu/responder.c) with a scripted AFU
 * that issues exactly the commands a test lists, protocol errors
 * included, and records what comes back.
 */
#include "harness.h"
#include "afu_fixture.h"

#define AREA		(64u << 10)
#define BAD_EA		0x7f0000000000ULL
#define NO_WAIT		0xFFFF

/* One scripted command; issued once the response to @after has come. */
struct scmd {
	u8 tag;
	u16 com;
	u64 ea;
	u16 size;
	u16 cch;
	u16 after;		/* a tag, or NO_WAIT */
	bool bad_par;		/* wrong ah_ceapar */
};

struct sresp {
	u8 tag;
	u8 code;
	s16 credits;
	u64 cycle;
};

/* The scripted AFU; a test owns it. */
struct sa {
	struct afu afu;
	bool running;
	bool paren;
	bool bad_brpar;		/* wrong ah_brpar on write data */
	bool bad_mmpar;		/* wrong ah_mmdatapar */
	bool jdone_running;	/* end the job with ah_jrunning still high */
	u8 brlat;
	u64 now;
	u8 buf[256][AFU_LINE_SIZE];
	u64 bw_cycle[256][2];	/* when each half of a read arrived */
	struct { bool valid; u8 tag, half; } brq[4];
	struct scmd cmd[64];
	u32 ncmd, next;
	bool seen[256];		/* a response for this tag came */
	struct sresp resp[256];
	u32 nresp;
	u64 llcmd[8];
	u32 nllcmd;
	u64 mm_last;		/* the last MMIO write's ha_mmdata */
	u32 mm_last_ad;
	u8 mm_last_dw;
};

static struct sa sa;
static struct host_mem mem;
static u8 *area;
static struct responder r;

static void sa_job(struct sa *a, const struct afu_in *in, struct afu_out *out)
{
	switch (in->jcom) {
	case AFU_JCOM_RESET:
		a->running = false;
		out->jrunning = a->jdone_running;
		out->jdone = 1;
		break;
	case AFU_JCOM_START:
		a->running = true;
		out->jrunning = 1;
		break;
	case AFU_JCOM_LLCMD:
		a->llcmd[a->nllcmd++ % 8] = in->jea;
		out->jcack = 1;
		break;
	}
}

static void sa_mmio(struct sa *a, const struct afu_in *in, struct afu_out *out)
{
	u64 v = in->mmcfg ? AFU_DESC_W0(4, 8, 0, AFU_PROG_DEDICATED | AFU_PROG_DIRECTED) :
			    0x1000 + in->mmad;

	if (!in->mmrnw) {
		a->mm_last = in->mmdata;
		a->mm_last_ad = in->mmad;
		a->mm_last_dw = in->mmdw;
	}
	out->mmack = 1;
	out->mmdata = in->mmdw ? v : (v & 0xFFFFFFFFULL) * 0x100000001ULL;
	out->mmdatapar = afu_parity64(out->mmdata) ^ a->bad_mmpar;
}

static void sa_buffers(struct sa *a, const struct afu_in *in, struct afu_out *out)
{
	unsigned int slot;

	if (in->bwvalid) {
		memcpy(a->buf[in->bwtag] + (in->bwad & 1) * AFU_HALF_LINE, in->bwdata,
		       AFU_HALF_LINE);
		a->bw_cycle[in->bwtag][in->bwad & 1] = a->now;
	}
	if (in->brvalid) {
		slot = (a->now + a->brlat - 1) & 3;
		a->brq[slot].valid = true;
		a->brq[slot].tag = in->brtag;
		a->brq[slot].half = in->brad & 1;
	}
	slot = a->now & 3;
	if (a->brq[slot].valid) {
		a->brq[slot].valid = false;
		memcpy(out->brdata, a->buf[a->brq[slot].tag] + a->brq[slot].half * AFU_HALF_LINE,
		       AFU_HALF_LINE);
		out->brpar = afu_parity_half(out->brdata) ^ a->bad_brpar;
	}
}

static void sa_issue(struct sa *a, struct afu_out *out)
{
	const struct scmd *c = &a->cmd[a->next];

	if (c->after != NO_WAIT && !a->seen[c->after])
		return;
	a->next++;
	a->seen[c->tag] = false;
	out->cvalid = 1;
	out->ctag = c->tag;
	out->ctagpar = afu_parity64(c->tag);
	out->com = c->com;
	out->compar = afu_parity64(c->com);
	out->cea = c->ea;
	out->ceapar = afu_parity64(c->ea) ^ c->bad_par;
	out->cch = c->cch;
	out->csize = c->size;
	out->cabt = AFU_CABT_STRICT;
}

static void sa_tick(struct afu *afu, const struct afu_in *in, struct afu_out *out)
{
	struct sa *a = container_of(afu, struct sa, afu);

	out->paren = a->paren;
	out->brlat = a->brlat;
	if (in->jval)
		sa_job(a, in, out);
	if (in->mmval)
		sa_mmio(a, in, out);
	sa_buffers(a, in, out);
	if (in->rvalid) {
		a->resp[a->nresp++ % 256] = (struct sresp){
			.tag = in->rtag, .code = in->response, .credits = in->rcredits,
			.cycle = a->now,
		};
		a->seen[in->rtag] = true;
	}
	if (a->next < a->ncmd)
		sa_issue(a, out);
	a->now++;
}

static bool sa_idle(const struct afu *afu)
{
	const struct sa *a = container_of(afu, struct sa, afu);

	return a->next == a->ncmd;
}

static const struct afu_ops sa_ops = {
	.abi_version = AFU_ABI_VERSION,
	.name = "scripted",
	.tick = sa_tick,
	.idle = sa_idle,
};

/* The same AFU, but without an idle hook. */
static const struct afu_ops sa_ops_noidle = {
	.abi_version = AFU_ABI_VERSION,
	.name = "scripted",
	.tick = sa_tick,
};

static void add(u8 tag, u16 com, u64 ea, u16 size, u16 after)
{
	sa.cmd[sa.ncmd++] = (struct scmd){
		.tag = tag, .com = com, .ea = ea, .size = size, .after = after,
	};
}

static u64 ea_of(u32 off)
{
	return mem_ra(area + off);
}

/* The response to @tag (the last one if several), or NULL. */
static const struct sresp *resp_of(u8 tag)
{
	int i;

	for (i = sa.nresp - 1; i >= 0; i--)
		if (sa.resp[i].tag == tag)
			return &sa.resp[i];
	return NULL;
}

static bool script_done(struct responder *rr, void *arg)
{
	return sa.next == sa.ncmd && !rr->outstanding;
}

static int setup_with(const struct afu_ops *ops, const struct responder_params *p, bool start)
{
	int ret;

	memset(&sa, 0, sizeof(sa));
	sa.afu.ops = ops;
	strcpy(sa.afu.instance, "sa");
	sa.paren = true;
	sa.brlat = 1;
	mem_init(&mem);
	area = aligned_alloc(4096, AREA);
	if (!area)
		return -ENOMEM;
	fx_pattern(area, AREA, 1);
	ret = mem_add(&mem, mem_ra(area), AREA, "area", true);
	if (!ret)
		ret = responder_init(&r, &sa.afu, &mem, p);
	if (!ret)
		ret = responder_reset(&r);
	if (!ret && start)
		ret = responder_start(&r, RESP_MODE_DEDICATED, 0x1000);
	return ret;
}

static int setup(const struct responder_params *p)
{
	return setup_with(&sa_ops, p, true);
}

static void teardown(void *arg)
{
	responder_exit(&r);
	mem_exit(&mem);
	free(area);
	area = NULL;
}

static enum harness_result run_script(void)
{
	ASSERT_EQm("the script completes", 0, responder_run(&r, 100000, script_done, NULL));
	PASS();
}

#define ASSERT_RESP(t_, c_)						\
	do {								\
		const struct sresp *s_ = resp_of(t_);			\
		ASSERTm("a response for tag " #t_, s_);			\
		ASSERT_EQm("response to tag " #t_, c_, s_->code);	\
	} while (0)

/* --- data ------------------------------------------------------------- */

static enum harness_result roundtrip(u8 brlat)
{
	ASSERT_EQ(0, setup(NULL));
	sa.brlat = brlat;
	memset(sa.buf[2], 0x5A, AFU_LINE_SIZE);
	memset(sa.buf[3], 0xA5, AFU_LINE_SIZE);
	add(1, AFU_CMD_READ_CL_NA, ea_of(0x400), 128, NO_WAIT);
	add(2, AFU_CMD_WRITE_NA, ea_of(0x800), 128, NO_WAIT);
	add(3, AFU_CMD_WRITE_MI, ea_of(0xC10), 8, NO_WAIT);
	add(4, AFU_CMD_READ_CL_S, ea_of(0x820), 32, 2);
	CHECK_CALL(run_script());
	ASSERT_RESP(1, AFU_RESP_DONE);
	ASSERT_MEM_EQm("the read line", area + 0x400, sa.buf[1], 128);
	ASSERT_RESP(2, AFU_RESP_DONE);
	ASSERT_MEM_EQm("the written line", sa.buf[2], area + 0x800, 128);
	ASSERT_RESP(3, AFU_RESP_DONE);
	ASSERT_MEM_EQm("8 bytes written", sa.buf[3] + 0x10, area + 0xC10, 8);
	ASSERTm("not one more", area[0xC18] != 0xA5 && area[0xC0F] != 0xA5);
	ASSERT_RESP(4, AFU_RESP_DONE);
	ASSERT_MEM_EQm("a partial read delivers the line", area + 0x800, sa.buf[4], 128);
	ASSERT_EQm("credits come back one by one", 1, resp_of(1)->credits);
	ASSERT_EQ(r.p.croom, r.credits);
	ASSERT_EQ(128 + 32, r.st.bytes_read);
	ASSERT_EQ(128 + 8, r.st.bytes_written);
	PASS();
}

TEST roundtrip_brlat1(void)
{
	return roundtrip(1);
}

TEST roundtrip_brlat3(void)
{
	return roundtrip(3);
}

TEST read_timing(void)
{
	ASSERT_EQ(0, setup(NULL));
	add(7, AFU_CMD_READ_CL_M, ea_of(0x80), 128, NO_WAIT);
	CHECK_CALL(run_script());
	ASSERT_EQm("the halves on consecutive cycles", sa.bw_cycle[7][0] + 1, sa.bw_cycle[7][1]);
	ASSERTm("the response after the data", resp_of(7)->cycle > sa.bw_cycle[7][1]);
	PASS();
}

TEST reordered_by_latency(void)
{
	struct responder_params p;
	unsigned int i, inversions = 0;

	responder_params_defaults(&p);
	p.lat_max = 50;
	p.seed = 3;
	ASSERT_EQ(0, setup(&p));
	for (i = 0; i < 20; i++)
		add(i, AFU_CMD_TOUCH_S, ea_of(i * 128), 128, NO_WAIT);
	CHECK_CALL(run_script());
	ASSERT_EQ(20, sa.nresp);
	for (i = 1; i < 20; i++) {
		ASSERT_EQ(AFU_RESP_DONE, sa.resp[i].code);
		inversions += sa.resp[i].tag < sa.resp[i - 1].tag;
	}
	ASSERTm("responses out of command order", inversions > 0);
	PASS();
}

TEST injected_corruption(void)
{
	struct resp_inject inj = {
		.com = AFU_CMD_READ_CL_NA, .skip = 1, .count = 1,
		.action = RESP_INJ_CORRUPT, .xor = 0xFF,
	};

	ASSERT_EQ(0, setup(NULL));
	ASSERT_EQ(0, responder_inject(&r, &inj));
	add(1, AFU_CMD_READ_CL_NA, ea_of(0x100), 128, NO_WAIT);
	add(2, AFU_CMD_READ_CL_NA, ea_of(0x200), 4, 1);
	CHECK_CALL(run_script());
	ASSERT_MEM_EQ(area + 0x100, sa.buf[1], 128);
	ASSERT_EQm("the requested byte flipped", area[0x200] ^ 0xFF, sa.buf[2][0]);
	ASSERT_MEM_EQ(area + 0x201, sa.buf[2] + 1, 127);
	ASSERT_RESP(2, AFU_RESP_DONE);
	PASS();
}

SUITE(data)
{
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(roundtrip_brlat1);
	RUN_TEST(roundtrip_brlat3);
	RUN_TEST(read_timing);
	RUN_TEST(reordered_by_latency);
	RUN_TEST(injected_corruption);
}

/* --- refusals --------------------------------------------------------- */

TEST illegal_commands_fail(void)
{
	ASSERT_EQ(0, setup(NULL));
	add(1, 0x1260, ea_of(0), 128, NO_WAIT);			/* zero_m */
	add(2, AFU_CMD_READ_CL_NA, ea_of(0), 3, NO_WAIT);	/* not a power of two */
	add(3, AFU_CMD_WRITE_NA, ea_of(0), 256, NO_WAIT);	/* too big */
	add(4, AFU_CMD_READ_CL_S, ea_of(32), 64, NO_WAIT);	/* misaligned */
	add(5, AFU_CMD_TOUCH_I, ea_of(0), 0, NO_WAIT);		/* size 0 */
	add(6, AFU_CMD_READ_CL_NA, ea_of(64), 64, NO_WAIT);	/* fine */
	CHECK_CALL(run_script());
	ASSERT_RESP(1, AFU_RESP_FAILED);
	ASSERT_RESP(2, AFU_RESP_FAILED);
	ASSERT_RESP(3, AFU_RESP_FAILED);
	ASSERT_RESP(4, AFU_RESP_FAILED);
	ASSERT_RESP(5, AFU_RESP_FAILED);
	ASSERT_RESP(6, AFU_RESP_DONE);
	ASSERT_EQm("refusals are not flush triggers", 0, r.ctx_flush[0]);
	PASS();
}

TEST credits_exhausted(void)
{
	struct responder_params p;

	responder_params_defaults(&p);
	p.croom = 2;
	p.lat_min = p.lat_max = 10;
	ASSERT_EQ(0, setup(&p));
	add(1, AFU_CMD_TOUCH_S, ea_of(0), 128, NO_WAIT);
	add(2, AFU_CMD_TOUCH_S, ea_of(128), 128, NO_WAIT);
	add(3, AFU_CMD_TOUCH_S, ea_of(256), 128, NO_WAIT);
	add(4, AFU_CMD_TOUCH_S, ea_of(384), 128, 1);
	CHECK_CALL(run_script());
	ASSERT_EQ(4, sa.nresp);
	ASSERT_RESP(1, AFU_RESP_DONE);
	ASSERT_RESP(2, AFU_RESP_DONE);
	ASSERT_RESP(3, AFU_RESP_FAILED);
	ASSERT_EQm("a command without credit returns none", 0, resp_of(3)->credits);
	ASSERT_RESP(4, AFU_RESP_DONE);
	ASSERT_EQ(1, r.st.err_credit);
	ASSERT_EQ(2, r.credits);
	PASS();
}

TEST duplicate_tag(void)
{
	struct responder_params p;

	responder_params_defaults(&p);
	p.lat_min = p.lat_max = 10;
	ASSERT_EQ(0, setup(&p));
	add(9, AFU_CMD_TOUCH_S, ea_of(0), 128, NO_WAIT);
	add(9, AFU_CMD_TOUCH_S, ea_of(128), 128, NO_WAIT);
	CHECK_CALL(run_script());
	ASSERT_EQ(2, sa.nresp);
	ASSERT_EQm("the second is refused at once", AFU_RESP_FAILED, sa.resp[0].code);
	ASSERT_EQm("the first completes", AFU_RESP_DONE, sa.resp[1].code);
	ASSERT_EQ(1, r.st.err_dup_tag);
	PASS();
}

TEST command_parity(void)
{
	ASSERT_EQ(0, setup(NULL));
	add(1, AFU_CMD_READ_CL_NA, ea_of(0), 128, NO_WAIT);
	sa.cmd[0].bad_par = true;
	CHECK_CALL(run_script());
	ASSERT_RESP(1, AFU_RESP_FAILED);
	ASSERT_EQ(1, r.st.err_parity);
	PASS();
}

TEST command_parity_unchecked_without_paren(void)
{
	ASSERT_EQ(0, setup(NULL));
	sa.paren = false;
	add(1, AFU_CMD_READ_CL_NA, ea_of(0), 128, NO_WAIT);
	sa.cmd[0].bad_par = true;
	sa.bad_brpar = true;
	add(2, AFU_CMD_WRITE_NA, ea_of(0x100), 128, NO_WAIT);
	CHECK_CALL(run_script());
	ASSERT_RESP(1, AFU_RESP_DONE);
	ASSERT_RESP(2, AFU_RESP_DONE);
	ASSERT_EQ(0, r.st.err_parity);
	PASS();
}

TEST write_data_parity(void)
{
	ASSERT_EQ(0, setup(NULL));
	sa.bad_brpar = true;
	memset(sa.buf[1], 0x77, 128);
	memset(area + 0x100, 0, 128);
	add(1, AFU_CMD_WRITE_NA, ea_of(0x100), 128, NO_WAIT);
	CHECK_CALL(run_script());
	ASSERT_RESP(1, AFU_RESP_FAILED);
	ASSERT_EQ(1, r.st.err_parity);
	ASSERT_EQm("nothing written", 0, area[0x100]);
	PASS();
}

TEST not_running(void)
{
	ASSERT_EQ(0, setup_with(&sa_ops, NULL, false));
	/* Not started: ah_jrunning is low, yet this AFU issues. */
	add(1, AFU_CMD_TOUCH_S, ea_of(0), 128, NO_WAIT);
	CHECK_CALL(run_script());
	ASSERT_RESP(1, AFU_RESP_FAILED);
	ASSERT_EQ(1, r.st.err_not_running);
	PASS();
}

TEST contexts_directed(void)
{
	ASSERT_EQ(0, setup_with(&sa_ops, NULL, false));
	ASSERT_EQ(0, responder_start(&r, RESP_MODE_DIRECTED, 0));
	ASSERT_EQ(8, r.nprocs);
	add(1, AFU_CMD_TOUCH_S, ea_of(0), 128, NO_WAIT);
	sa.cmd[0].cch = 9;
	add(2, AFU_CMD_TOUCH_S, ea_of(0), 128, NO_WAIT);
	sa.cmd[1].cch = 3;
	CHECK_CALL(run_script());
	ASSERT_RESP(1, AFU_RESP_CONTEXT);
	ASSERT_RESP(2, AFU_RESP_FAILED);
	ASSERT_EQ(0, responder_llcmd(&r, AFU_LLCMD_ADD, 3));
	ASSERT_EQm("the AFU got the LLCMD word", AFU_LLCMD_WORD(AFU_LLCMD_ADD, 3), sa.llcmd[0]);
	add(3, AFU_CMD_TOUCH_S, ea_of(0), 128, NO_WAIT);
	sa.cmd[2].cch = 3;
	CHECK_CALL(run_script());
	ASSERT_RESP(3, AFU_RESP_DONE);
	ASSERT_EQ(0, responder_llcmd(&r, AFU_LLCMD_TERMINATE, 3));
	ASSERT_EQ(0, responder_llcmd(&r, AFU_LLCMD_REMOVE, 3));
	ASSERT_EQ(AFU_LLCMD_WORD(AFU_LLCMD_REMOVE, 3), sa.llcmd[2]);
	add(4, AFU_CMD_TOUCH_S, ea_of(0), 128, NO_WAIT);
	sa.cmd[3].cch = 3;
	CHECK_CALL(run_script());
	ASSERT_RESP(4, AFU_RESP_FAILED);
	ASSERT_EQ(0, r.st.err_terminate_busy);
	ASSERT_EQ(-EINVAL, responder_llcmd(&r, AFU_LLCMD_ADD, 8));
	ASSERT_EQm("START again needs a reset", -EPROTO,
		   responder_start(&r, RESP_MODE_DEDICATED, 0x80));
	PASS();
}

SUITE(refusals)
{
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(illegal_commands_fail);
	RUN_TEST(credits_exhausted);
	RUN_TEST(duplicate_tag);
	RUN_TEST(command_parity);
	RUN_TEST(command_parity_unchecked_without_paren);
	RUN_TEST(write_data_parity);
	RUN_TEST(not_running);
	RUN_TEST(contexts_directed);
}

/* --- semantics -------------------------------------------------------- */

TEST aerror_then_flush_until_restart(void)
{
	ASSERT_EQ(0, setup(NULL));
	add(1, AFU_CMD_READ_CL_NA, BAD_EA, 128, NO_WAIT);
	add(2, AFU_CMD_READ_CL_NA, ea_of(0), 128, 1);
	add(3, AFU_CMD_INTREQ, 1, 0, 2);
	add(4, AFU_CMD_RESTART, 0, 0, 3);
	add(5, AFU_CMD_READ_CL_NA, ea_of(0), 128, 4);
	CHECK_CALL(run_script());
	ASSERT_RESP(1, AFU_RESP_AERROR);
	ASSERT_RESP(2, AFU_RESP_FLUSHED);
	ASSERT_RESP(3, AFU_RESP_FLUSHED);
	ASSERT_EQm("a flushed intreq raises nothing", 0, r.nr_irqs);
	ASSERT_RESP(4, AFU_RESP_DONE);
	ASSERT_RESP(5, AFU_RESP_DONE);
	ASSERT_EQ(1, r.st.restarts);
	PASS();
}

TEST pending_commands_flushed(void)
{
	struct responder_params p;
	bool after = false;
	unsigned int i;

	responder_params_defaults(&p);
	p.lat_min = 1;
	p.lat_max = 30;
	p.seed = 5;
	ASSERT_EQ(0, setup(&p));
	/* Those served after the error are flushed, those before complete. */
	add(1, AFU_CMD_TOUCH_S, BAD_EA, 128, NO_WAIT);
	add(2, AFU_CMD_TOUCH_S, ea_of(0), 128, NO_WAIT);
	add(3, AFU_CMD_TOUCH_S, ea_of(128), 128, NO_WAIT);
	add(4, AFU_CMD_TOUCH_S, ea_of(256), 128, NO_WAIT);
	CHECK_CALL(run_script());
	ASSERT_RESP(1, AFU_RESP_AERROR);
	for (i = 0; i < sa.nresp; i++) {
		if (sa.resp[i].tag == 1)
			after = true;
		else if (after)
			ASSERT_EQm("served after the error", AFU_RESP_FLUSHED, sa.resp[i].code);
		else
			ASSERT_EQm("served before the error", AFU_RESP_DONE, sa.resp[i].code);
	}
	ASSERTm("still flushing", r.ctx_flush[0]);
	PASS();
}

TEST injected_paged_starts_flush(void)
{
	struct resp_inject inj = {
		.com = AFU_CMD_READ_CL_NA, .skip = 0, .count = 1,
		.action = RESP_INJ_RESPONSE, .response = AFU_RESP_PAGED,
	};

	ASSERT_EQ(0, setup(NULL));
	ASSERT_EQ(0, responder_inject(&r, &inj));
	sa.buf[1][0] = 0x11;
	add(1, AFU_CMD_READ_CL_NA, ea_of(0x300), 128, NO_WAIT);
	add(2, AFU_CMD_WRITE_NA, ea_of(0x400), 128, 1);
	add(3, AFU_CMD_RESTART, 0, 0, 2);
	add(4, AFU_CMD_READ_CL_NA, ea_of(0x300), 128, 3);
	CHECK_CALL(run_script());
	ASSERT_RESP(1, AFU_RESP_PAGED);
	ASSERTm("no data moved for the PAGED read", sa.bw_cycle[1][0] == 0);
	ASSERT_RESP(2, AFU_RESP_FLUSHED);
	ASSERT_RESP(3, AFU_RESP_DONE);
	ASSERT_RESP(4, AFU_RESP_DONE);
	ASSERT_MEM_EQ(area + 0x300, sa.buf[4], 128);
	PASS();
}

TEST interrupts(void)
{
	ASSERT_EQ(0, setup(NULL));
	add(1, AFU_CMD_INTREQ, 2, 0, NO_WAIT);
	add(2, AFU_CMD_INTREQ, 0, 0, NO_WAIT);
	add(3, AFU_CMD_INTREQ, 5, 0, NO_WAIT);
	add(4, AFU_CMD_INTREQ, 4, 0, NO_WAIT);
	CHECK_CALL(run_script());
	ASSERT_RESP(1, AFU_RESP_DONE);
	ASSERT_RESP(2, AFU_RESP_FAILED);
	ASSERT_RESP(3, AFU_RESP_FAILED);
	ASSERT_RESP(4, AFU_RESP_DONE);
	ASSERT_EQm("LISNs 1..num_ints_per_process", 2, r.nr_irqs);
	ASSERT_EQ(2, r.irq_log[0].lisn);
	ASSERT_EQ(0, r.irq_log[0].ctx);
	ASSERT_EQ(4, r.irq_log[1].lisn);
	PASS();
}

TEST locks(void)
{
	u8 before[64];

	ASSERT_EQ(0, setup(NULL));
	memcpy(before, area + 0x100, 64);
	memset(sa.buf[4], 0x42, 128);
	add(1, AFU_CMD_READ_CL_LCK, ea_of(0x100), 128, NO_WAIT);
	add(2, AFU_CMD_LOCK, ea_of(0x200), 128, 1);
	add(3, AFU_CMD_UNLOCK, ea_of(0x200), 128, 2);
	add(4, AFU_CMD_WRITE_UNLOCK, ea_of(0x100), 64, 3);
	add(5, AFU_CMD_UNLOCK, ea_of(0x100), 128, 4);
	add(6, AFU_CMD_LOCK, ea_of(0x200), 128, 5);
	add(7, AFU_CMD_UNLOCK, ea_of(0x200), 128, 6);
	CHECK_CALL(run_script());
	ASSERT_RESP(1, AFU_RESP_DONE);
	ASSERT_MEM_EQm("read_cl_lck reads", before, sa.buf[1], 64);
	ASSERT_RESP(2, AFU_RESP_NLOCK);
	ASSERT_RESP(3, AFU_RESP_FAILED);
	ASSERT_RESP(4, AFU_RESP_DONE);
	ASSERT_EQ(0x42, area[0x100]);
	ASSERT_RESP(5, AFU_RESP_FAILED);
	ASSERT_RESP(6, AFU_RESP_DONE);
	ASSERT_RESP(7, AFU_RESP_DONE);
	PASS();
}

TEST reservation(void)
{
	ASSERT_EQ(0, setup(NULL));
	memset(area + 0x100, 0, 0x200);
	memset(sa.buf[2], 0x21, 128);
	memset(sa.buf[3], 0x31, 128);
	memset(sa.buf[6], 0x61, 128);
	add(1, AFU_CMD_READ_CL_RES, ea_of(0x100), 128, NO_WAIT);
	add(2, AFU_CMD_WRITE_C, ea_of(0x100), 8, 1);
	add(3, AFU_CMD_WRITE_C, ea_of(0x108), 8, 2);
	add(4, AFU_CMD_READ_CL_RES, ea_of(0x100), 128, 3);
	add(5, AFU_CMD_WRITE_C, ea_of(0x200), 8, 4);
	add(6, AFU_CMD_WRITE_C, ea_of(0x110), 8, 5);
	CHECK_CALL(run_script());
	ASSERT_RESP(1, AFU_RESP_DONE);
	ASSERT_RESP(2, AFU_RESP_DONE);
	ASSERT_EQm("written under the reservation", 0x21, area[0x100]);
	ASSERT_RESP(3, AFU_RESP_NRES);
	ASSERT_EQm("not written without it", 0, area[0x108]);
	ASSERT_RESP(4, AFU_RESP_DONE);
	ASSERT_RESP(5, AFU_RESP_NRES);
	ASSERT_EQm("another line: not written", 0, area[0x200]);
	ASSERT_RESP(6, AFU_RESP_NRES);
	ASSERT_EQm("write_c dropped the reservation", 0, area[0x110]);
	PASS();
}

TEST aerror_read_only_write(void)
{
	static u8 ro[256] __attribute__((aligned(128)));

	ASSERT_EQ(0, setup(NULL));
	ASSERT_EQ(0, mem_add(&mem, mem_ra(ro), sizeof(ro), "ro", false));
	add(1, AFU_CMD_READ_CL_NA, mem_ra(ro), 128, NO_WAIT);
	add(2, AFU_CMD_WRITE_NA, mem_ra(ro), 128, 1);
	CHECK_CALL(run_script());
	ASSERT_RESP(1, AFU_RESP_DONE);
	ASSERT_RESP(2, AFU_RESP_AERROR);
	PASS();
}

SUITE(semantics)
{
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(aerror_then_flush_until_restart);
	RUN_TEST(pending_commands_flushed);
	RUN_TEST(injected_paged_starts_flush);
	RUN_TEST(interrupts);
	RUN_TEST(locks);
	RUN_TEST(reservation);
	RUN_TEST(aerror_read_only_write);
}

/* --- job control, MMIO, clock ----------------------------------------- */

TEST mmio_lanes(void)
{
	u64 v;

	ASSERT_EQ(0, setup(NULL));
	ASSERT_EQ(0, responder_mmio_read(&r, true, true, 0, &v));
	ASSERT_EQ(AFU_DESC_W0(4, 8, 0, AFU_PROG_DEDICATED | AFU_PROG_DIRECTED), v);
	ASSERT_EQ(0, responder_mmio_read(&r, false, true, 0x40, &v));
	ASSERTm("word address on ha_mmad", v == 0x1000 + 0x10);
	ASSERT_EQ(0, responder_mmio_read(&r, false, false, 0x44, &v));
	ASSERT_EQm("32-bit read: bits 32:63", 0x1000 + 0x11, v);
	ASSERT_EQ(0, responder_mmio_write(&r, false, false, 0x48, 0xDEADBEEF));
	ASSERT_EQm("32-bit write data on both halves", 0xDEADBEEFDEADBEEFULL, sa.mm_last);
	ASSERT_EQ(0x12, sa.mm_last_ad);
	ASSERT_EQ(0, sa.mm_last_dw);
	ASSERT_EQ(0, responder_mmio_write(&r, false, true, 0x50, 0x0123456789ABCDEFULL));
	ASSERT_EQ(0x0123456789ABCDEFULL, sa.mm_last);
	ASSERT_EQ(1, sa.mm_last_dw);
	ASSERT_EQ(-EINVAL, responder_mmio_read(&r, false, true, 0x44, &v));
	ASSERT_EQ(0, r.st.err_mmio_parity);
	sa.bad_mmpar = true;
	ASSERT_EQ(0, responder_mmio_read(&r, true, true, 0, &v));
	ASSERT_EQm("bad read parity seen", 1, r.st.err_mmio_parity);
	PASS();
}

TEST reset_drops_commands(void)
{
	struct responder_params p;

	responder_params_defaults(&p);
	p.lat_min = p.lat_max = 100;
	p.croom = 8;
	ASSERT_EQ(0, setup(&p));
	add(1, AFU_CMD_TOUCH_S, ea_of(0), 128, NO_WAIT);
	add(2, AFU_CMD_READ_CL_NA, ea_of(0), 128, NO_WAIT);
	ASSERT_EQ(-ETIMEDOUT, responder_run(&r, 20, NULL, NULL));
	ASSERT_EQ(2, r.outstanding);
	ASSERT_EQ(6, r.credits);
	ASSERT_EQ(0, responder_reset(&r));
	ASSERT_EQ(0, r.outstanding);
	ASSERT_EQ(8, r.credits);
	ASSERT_EQ(-EDEADLK, responder_run(&r, 1000, NULL, NULL));
	ASSERT_EQm("no response after the reset", 0, sa.nresp);
	PASS();
}

TEST jdone_with_jrunning_is_an_error(void)
{
	ASSERT_EQ(0, setup(NULL));
	sa.jdone_running = true;
	ASSERT_EQ(0, responder_reset(&r));
	ASSERT_EQm("ah_jdone with ah_jrunning high", 1, r.st.err_jdone_running);
	PASS();
}

TEST start_needs_a_reset(void)
{
	ASSERT_EQ(0, setup(NULL));
	ASSERT_EQm("already running", -EPROTO, responder_start(&r, RESP_MODE_DEDICATED, 0x80));
	ASSERT_EQm("LLCMD in dedicated mode", -EPROTO, responder_llcmd(&r, AFU_LLCMD_ADD, 0));
	ASSERT_EQ(0, responder_reset(&r));
	ASSERT_EQm("directed mode takes no WED", -EINVAL,
		   responder_start(&r, RESP_MODE_DIRECTED, 0x80));
	PASS();
}

TEST clock_stops_when_idle(void)
{
	u64 ticks;

	ASSERT_EQ(0, setup_with(&sa_ops_noidle, NULL, false));
	ASSERTm("no idle hook, not running: the clock may stop", responder_quiet(&r));
	ASSERT_EQ(-EDEADLK, responder_run(&r, 1000, NULL, NULL));
	ASSERT_EQ(0, responder_start(&r, RESP_MODE_DEDICATED, 0x1000));
	ASSERTm("running without an idle hook: it keeps its clock", !responder_quiet(&r));
	ticks = r.st.ticks;
	ASSERT_EQ(-ETIMEDOUT, responder_run(&r, 100, NULL, NULL));
	ASSERT_EQ(ticks + 100, r.st.ticks);
	PASS();
}

TEST clock_runs_while_outstanding(void)
{
	struct responder_params p;

	responder_params_defaults(&p);
	p.lat_min = p.lat_max = 50;
	ASSERT_EQ(0, setup(&p));
	add(1, AFU_CMD_TOUCH_S, ea_of(0), 128, NO_WAIT);
	responder_cycle(&r);
	responder_cycle(&r);
	ASSERTm("a command outstanding keeps the clock", !responder_quiet(&r));
	CHECK_CALL(run_script());
	ASSERTm("then it may stop", responder_quiet(&r));
	PASS();
}

SUITE(control)
{
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(mmio_lanes);
	RUN_TEST(reset_drops_commands);
	RUN_TEST(jdone_with_jrunning_is_an_error);
	RUN_TEST(start_needs_a_reset);
	RUN_TEST(clock_stops_when_idle);
	RUN_TEST(clock_runs_while_outstanding);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	RUN_SUITE(data);
	RUN_SUITE(refusals);
	RUN_SUITE(semantics);
	RUN_SUITE(control);
	HARNESS_MAIN_END();
}
