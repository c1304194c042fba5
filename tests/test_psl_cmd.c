// SPDX-License-Identifier: GPL-2.0
/*
 * The PSL's AFU side: the command engine (each command, each response
 * code, credits, tags, parity, flush mode, the fault path with real
 * translation), MMIO forwarding to the AFU descriptor and problem state,
 * the AFU's clock, and the timing model - driven by a scripted AFU
 * (psl_scriptafu.h) - and the memcpy AFU end to end in AFU-directed mode
 * with the test playing the OS.
 */
#define pr_fmt(fmt) "test_psl_cmd: " fmt

#include "harness.h"
#include "psl_cxldrv.h"
#include "psl_scriptafu.h"
#include "psl_testdrv.h"
#include "afu/memcpy.h"
#include "afu/port.h"
#include "afu/traffic.h"
#include "core/config.h"
#include "core/log.h"
#include "trace/cxt.h"

#define NS PS_PER_NS
#define US PS_PER_US
#define MS PS_PER_MS

#define AREA_BYTES	(64 * 1024)
#define HW_PSL		0x210	/* range 0: the PSL interrupt */
#define HW_AFU		0x220	/* range 1: four AFU interrupts */
#define HW_SERR		0x300
#define HW_ERR		0x301
#define WED		0x0000123456789000ULL
#define SR_REAL		CXL_PSL_SR_An_SF	/* R = 0: EA = RA */
#define USER_EA		0x0000100000000000ULL	/* the area in the user address space */
#define PSA_BASE	(0x400ULL * CXL_VSEC_UNIT)	/* slice 0's problem state */
#define DESC_BASE	(1ULL * CXL_VSEC_UNIT)		/* slice 0's AFU descriptor */

static struct sim_queue q;
static struct testdrv td;	/* host memory, HPT, segment table */
static struct irq_ctl ic;
static struct psl_card *card;
static struct cxldrv drv;
static struct sa *sa;
static struct afu *afu;		/* the attached AFU (sa's, or memcpy) */
static u8 *area;
static FILE *sink;

/* ---- The OS, as the interrupt handlers see the card ---- */

enum os_policy {
	OS_MAP,		/* install the STE or HPTE inside the area and answer R; else AE */
	OS_AE,
	OS_C,
	OS_IGNORE,	/* leave translation faults unanswered */
};

static enum os_policy os_policy;
static unsigned int nr_psl_irqs, nr_afu_irqs, nr_serr_irqs, nr_os_ae;
static u64 last_dsisr, last_dar, last_pe;

static struct psl_slice *slice0(void)
{
	return &card->slice[0];
}

static u64 p2r(u64 reg)
{
	return cd_p2n_read(&drv, reg);
}

static void p2w(u64 reg, u64 v)
{
	cd_p2n_write(&drv, reg, v);
}

static bool page_mapped[AREA_BYTES / 4096];

static u64 user_vsid(u64 ea)
{
	return 0x1234560 + (ea >> 28);
}

static bool in_area(u64 ea)
{
	return ea >= USER_EA && ea < USER_EA + AREA_BYTES;
}

static void map_segment(u64 ea)
{
	td_load_segment(&td, ea, user_vsid(ea), 0, TD_STE_USER | td_sllp(TD_SZ_4K));
}

/* hash_page_mm finds an HPTE already there: insert each page once. */
static void map_page(u64 ea)
{
	if (page_mapped[(ea - USER_EA) / 4096])
		return;
	page_mapped[(ea - USER_EA) / 4096] = true;
	td_hpte_insert(&td, user_vsid(ea), ea, 0, TD_SZ_4K, TD_SZ_4K,
		       mem_ra(area) + ((ea - USER_EA) & ~0xFFFULL), &td_rw);
}

static void os_translation_fault(u64 dsisr, u64 dar)
{
	switch (os_policy) {
	case OS_MAP:
		if (!in_area(dar))
			break;
		if (dsisr & CXL_PSL_DSISR_An_DS)
			map_segment(dar);
		else
			map_page(dar);
		p2w(CXL_PSL_TFC_An, CXL_PSL_TFC_An_R);
		return;
	case OS_C:
		p2w(CXL_PSL_TFC_An, CXL_PSL_TFC_An_C);
		return;
	case OS_IGNORE:
		return;
	default:
		break;
	}
	nr_os_ae++;
	p2w(CXL_PSL_TFC_An, CXL_PSL_TFC_An_AE);
}

/* cxl_irq_psl8's decode, reduced: translation faults by policy, errors acknowledged. */
static void on_psl_irq(void)
{
	u64 dsisr;

	nr_psl_irqs++;
	last_pe = p2r(CXL_PSL_PEHandle_An);
	dsisr = p2r(CXL_PSL_DSISR_An);
	last_dar = p2r(CXL_PSL_DAR_An);
	last_dsisr = dsisr;
	if (dsisr & CXL_PSL_DSISR_TRANS)
		os_translation_fault(dsisr, last_dar);
	else if (dsisr & CXL_PSL_DSISR_An_PE)
		p2w(CXL_PSL_DSISR_An, dsisr & ~CXL_PSL_DSISR_An_PE);
	else if (dsisr & CXL_PSL_DSISR_An_AE)
		p2w(CXL_PSL_TFC_An, CXL_PSL_TFC_An_A);
}

static void on_msi(void *arg, u32 hwirq)
{
	if (hwirq == HW_PSL)
		on_psl_irq();
	else if (hwirq >= HW_AFU && hwirq < HW_AFU + 4)
		nr_afu_irqs++;
	else if (hwirq == HW_SERR)
		nr_serr_irqs++;
}

/* ---- Setup ---- */

static void test_params(struct psl_params *p)
{
	psl_params_defaults(p);
	p->timing.afu_enable = 1 * US;
	p->timing.afu_reset = 2 * US;
	p->timing.msi_delivery = 100 * NS;
	p->timing.afu_mmio_timeout = 10 * US;
	p->num_of_processes = 16;
}

static void setup(void *arg)
{
	unsigned int h;

	simq_init(&q);
	td_init(&td, 256 * 1024, 4096);
	area = aligned_alloc(4096, AREA_BYTES);
	memset(area, 0, AREA_BYTES);
	mem_add(&td.mem, mem_ra(area), AREA_BYTES, "area", true);
	irq_ctl_init(&ic, &q, 0x200, 0x200, 100 * NS);
	for (h = 0x200; h < 0x400; h++)
		irq_attach(&ic, h, on_msi, NULL);
	os_policy = OS_MAP;
	memset(page_mapped, 0, sizeof(page_mapped));
	nr_psl_irqs = nr_afu_irqs = nr_serr_irqs = nr_os_ae = 0;
	last_dsisr = last_dar = last_pe = 0;
	card = NULL;
	sa = NULL;
	afu = NULL;
}

static void teardown(void *arg)
{
	log_set_file(NULL);
	log_set_level(LOG_WARN);
	inject_disarm_all();
	psl_card_destroy(card);
	if (afu)
		afu->ops->destroy(afu);
	cd_exit(&drv);
	irq_ctl_exit(&ic);
	td_exit(&td);
	free(area);
	simq_exit(&q);
}

static void quiet_logs(void)
{
	if (!sink)
		sink = fopen("/dev/null", "w");
	log_set_file(sink);
}

/* A card with AFU @a attached to slice 0, the driver's probe registers written. */
static int make_card(const struct psl_params *p, struct afu *a)
{
	card = psl_card_create(&q, p);
	if (!card)
		return -EINVAL;
	cd_card_up(&drv, &q, card, &td.mem, &ic);
	cd_p1_write(&drv, CXL_PSL_ErrIVTE, HW_ERR);
	cd_p1n_write(&drv, CXL_PSL_SERR_An, HW_SERR);
	cd_p1_write(&drv, CXL_PSL_AFUSEL, CXL_PSL_AFUSEL_A);
	afu = a;
	return psl_afu_attach(slice0(), a);
}

static struct cd_ctx ded_ctx(u64 sr)
{
	return (struct cd_ctx){
		.sr = sr,
		.sstp0 = td.sstp0,
		.sstp1 = td.sstp1,
		.sdr = td.sdr1,
		.pid = 77,
		.ivte_off = { HW_PSL, HW_AFU, 0, 0 },
		.ivte_range = { 1, 4, 0, 0 },
		.wed = WED,
	};
}

/* The scripted AFU in a running dedicated context with SR @sr. */
static int bring_up_sr(const struct psl_params *p, u64 sr)
{
	struct cd_ctx c = ded_ctx(sr);
	int ret;

	sa = sa_create();
	if (!sa)
		return -ENOMEM;
	ret = make_card(p, &sa->afu);
	if (ret)
		return ret;
	cd_activate_dedicated(&drv, 0, td.sdr1);
	return cd_attach_dedicated(&drv, &c);
}

static int bring_up(void)
{
	struct psl_params p;

	test_params(&p);
	return bring_up_sr(&p, SR_REAL);
}

static bool script_done(void *arg)
{
	u64 *deadline = arg;

	return (sa->next == sa->nr_cmds && !sa->outstanding) || simq_now(&q) >= *deadline;
}

/* Run until every programmed command has its response (or 10 ms pass). */
static void run_script(void)
{
	u64 deadline = simq_now(&q) + 10 * MS;

	/* The script changed behind the AFU's back: wake its clock. */
	psl_port_kick(slice0());
	simq_run_while_not(&q, script_done, &deadline);
	/* Let the last response's credits, interrupts and MSIs settle. */
	simq_run_until(&q, simq_now(&q) + 2 * US);
}

static u64 area_ra(u64 off)
{
	return mem_ra(area) + off;
}

static void fill(u8 *p, unsigned int n, u8 seed)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		p[i] = seed + i * 7;
}

/* ---- Each command ---- */

TEST reads_fill_both_halves_before_done(void)
{
	static const u16 reads[] = {
		AFU_CMD_READ_CL_S, AFU_CMD_READ_CL_M, AFU_CMD_READ_CL_NA, AFU_CMD_READ_PNA,
		AFU_CMD_READ_CL_LCK, AFU_CMD_READ_CL_RES,
	};
	unsigned int i, j;

	ASSERT_EQ(0, bring_up());
	fill(area, AREA_BYTES / 16, 1);
	for (i = 0; i < ARRAY_SIZE(reads); i++) {
		/* Partial sizes still deliver the whole line image (reference 8.4). */
		u16 size = i == 3 ? 8 : AFU_LINE_SIZE;
		u64 ea = area_ra(i * 256 + (size == 8 ? 0x48 : 0));
		struct sa_cmd *c = sa_add(sa, reads[i], i, ea, size);

		c->wait = true;
		if (reads[i] == AFU_CMD_READ_CL_LCK)
			sa_add(sa, AFU_CMD_UNLOCK, 40, area_ra(i * 256), 128)->wait = true;
	}
	run_script();
	ASSERT_EQ(ARRAY_SIZE(reads) + 1, sa->nr_resp);
	for (i = 0; i < ARRAY_SIZE(reads); i++) {
		const struct sa_resp *r = sa_resp_of(sa, i);
		unsigned int half0 = 0, half1 = 0;

		ASSERT(r);
		ASSERT_EQm("DONE", AFU_RESP_DONE, r->code);
		ASSERT_EQ(1, r->credits);
		ASSERT(r->tagpar_ok);
		ASSERT_MEM_EQ(area + i * 256, sa->buf[i], AFU_LINE_SIZE);
		for (j = 0; j < sa->nr_beats; j++) {
			const struct sa_beat *b = &sa->beats[j];

			if (b->tag != i)
				continue;
			ASSERT(b->to_afu);
			ASSERTm("valid ha_bwpar", b->par_ok);
			ASSERTm("buffer writes before the response", b->tick < r->tick);
			if (b->half)
				half1 = b->tick;
			else
				half0 = b->tick;
		}
		ASSERTm("both halves, consecutive cycles", half0 && half1 == half0 + 1);
	}
	ASSERT_EQ(ARRAY_SIZE(reads) + 1, slice0()->port.cq.stats.resp[AFU_RESP_DONE]);
	PASS();
}

static enum harness_result writes_with_brlat(u8 brlat)
{
	static const u16 writes[] = {
		AFU_CMD_WRITE_MI, AFU_CMD_WRITE_MS, AFU_CMD_WRITE_NA, AFU_CMD_WRITE_INJ,
	};
	u8 want[AFU_LINE_SIZE];
	unsigned int i;

	ASSERT_EQ(0, bring_up());
	sa->brlat = brlat;
	for (i = 0; i < ARRAY_SIZE(writes); i++) {
		struct sa_cmd *c = sa_add(sa, writes[i], i, area_ra(i * 256), AFU_LINE_SIZE);

		fill(c->data, AFU_LINE_SIZE, 0x10 * (i + 1));
	}
	/* A 4-byte write moves only those bytes, from the same offset in the buffer. */
	fill(sa_add(sa, AFU_CMD_WRITE_NA, 9, area_ra(0x1000 + 0x24), 4)->data, AFU_LINE_SIZE,
	     0x99);
	memset(area + 0x1000, 0xEE, AFU_LINE_SIZE);
	run_script();
	ASSERT_EQ(ARRAY_SIZE(writes) + 1, sa->nr_resp);
	for (i = 0; i < ARRAY_SIZE(writes); i++) {
		ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, i)->code);
		fill(want, AFU_LINE_SIZE, 0x10 * (i + 1));
		ASSERT_MEM_EQ(want, area + i * 256, AFU_LINE_SIZE);
	}
	ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, 9)->code);
	fill(want, AFU_LINE_SIZE, 0x99);
	ASSERT_MEM_EQ(want + 0x24, area + 0x1024, 4);
	ASSERT_EQ(0xEE, area[0x1023]);
	ASSERT_EQ(0xEE, area[0x1028]);
	for (i = 0; i < sa->nr_beats; i++) {
		ASSERTm("buffer reads only", !sa->beats[i].to_afu);
		ASSERT(sa->beats[i].par_ok);
		ASSERTm("before the response",
			sa->beats[i].tick < sa_resp_of(sa, sa->beats[i].tag)->tick);
	}
	ASSERT_EQ(2 * (ARRAY_SIZE(writes) + 1), sa->nr_beats);
	ASSERT_EQ(0, slice0()->port.cq.stats.brlat_bad);
	PASS();
}

TEST writes_commit_csize_bytes(void)
{
	CHECK_CALL(writes_with_brlat(1));
	teardown(NULL);
	setup(NULL);
	return writes_with_brlat(3);
}

TEST line_operations_move_no_data(void)
{
	static const u16 ops[] = {
		AFU_CMD_TOUCH_I, AFU_CMD_TOUCH_S, AFU_CMD_TOUCH_M, AFU_CMD_PUSH_I,
		AFU_CMD_PUSH_S, AFU_CMD_EVICT_I, AFU_CMD_FLUSH, AFU_CMD_LOCK, AFU_CMD_UNLOCK,
	};
	unsigned int i;

	ASSERT_EQ(0, bring_up());
	fill(area, 1024, 3);
	for (i = 0; i < ARRAY_SIZE(ops); i++)
		sa_add(sa, ops[i], i, area_ra(512), 64)->wait = true;
	run_script();
	ASSERT_EQ(ARRAY_SIZE(ops), sa->nr_resp);
	for (i = 0; i < ARRAY_SIZE(ops); i++)
		ASSERT_EQm("DONE", AFU_RESP_DONE, sa_resp_of(sa, i)->code);
	ASSERT_EQm("no buffer traffic", 0, sa->nr_beats);
	PASS();
}

TEST locks_and_reservation(void)
{
	u64 a = area_ra(0x100), b = area_ra(0x200);
	struct sa_cmd *c;

	ASSERT_EQ(0, bring_up());
	sa_add(sa, AFU_CMD_READ_CL_LCK, 1, a, 128)->wait = true;
	sa_add(sa, AFU_CMD_LOCK, 2, b, 128)->wait = true;		/* NLOCK: one lock */
	sa_add(sa, AFU_CMD_PUSH_I, 3, a, 128)->wait = true;		/* NLOCK: locked line */
	sa_add(sa, AFU_CMD_UNLOCK, 4, b, 128)->wait = true;		/* FAILED: not held */
	c = sa_add(sa, AFU_CMD_WRITE_UNLOCK, 5, a, 128);		/* DONE, written */
	c->wait = true;
	memset(c->data, 0x5A, AFU_LINE_SIZE);
	sa_add(sa, AFU_CMD_UNLOCK, 6, a, 128)->wait = true;		/* FAILED: released */
	sa_add(sa, AFU_CMD_LOCK, 7, b, 128)->wait = true;		/* DONE */
	sa_add(sa, AFU_CMD_UNLOCK, 8, b, 128)->wait = true;		/* DONE */
	sa_add(sa, AFU_CMD_READ_CL_RES, 9, a, 128)->wait = true;	/* DONE */
	c = sa_add(sa, AFU_CMD_WRITE_C, 10, b, 128);			/* NRES: other line */
	c->wait = true;
	memset(c->data, 0x11, AFU_LINE_SIZE);
	c = sa_add(sa, AFU_CMD_WRITE_C, 11, a, 128);			/* NRES: cleared */
	c->wait = true;
	memset(c->data, 0x22, AFU_LINE_SIZE);
	sa_add(sa, AFU_CMD_READ_CL_RES, 12, a, 128)->wait = true;
	c = sa_add(sa, AFU_CMD_WRITE_C, 13, a + 8, 8);			/* DONE: held */
	c->wait = true;
	memset(c->data, 0x33, AFU_LINE_SIZE);
	c = sa_add(sa, AFU_CMD_WRITE_C, 14, a, 8);			/* NRES: used up */
	c->wait = true;
	memset(c->data, 0x44, AFU_LINE_SIZE);
	run_script();
	ASSERT_EQ(14, sa->nr_resp);
	ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, 1)->code);
	ASSERT_EQ(AFU_RESP_NLOCK, sa_resp_of(sa, 2)->code);
	ASSERT_EQ(AFU_RESP_NLOCK, sa_resp_of(sa, 3)->code);
	ASSERT_EQ(AFU_RESP_FAILED, sa_resp_of(sa, 4)->code);
	ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, 5)->code);
	ASSERT_EQ(AFU_RESP_FAILED, sa_resp_of(sa, 6)->code);
	ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, 7)->code);
	ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, 8)->code);
	ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, 9)->code);
	ASSERT_EQ(AFU_RESP_NRES, sa_resp_of(sa, 10)->code);
	ASSERT_EQ(AFU_RESP_NRES, sa_resp_of(sa, 11)->code);
	ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, 12)->code);
	ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, 13)->code);
	ASSERT_EQ(AFU_RESP_NRES, sa_resp_of(sa, 14)->code);
	ASSERT_EQm("write_unlock wrote", 0x5A, area[0x100]);
	ASSERT_EQm("write_c with the reservation wrote", 0x33, area[0x108]);
	ASSERT_EQm("NRES wrote nothing", 0x5A, area[0x110]);
	ASSERT_EQm("NRES wrote nothing", 0, area[0x200]);
	PASS();
}

TEST intreq_maps_lisn_through_ranges(void)
{
	ASSERT_EQ(0, bring_up());
	quiet_logs();
	sa_add(sa, AFU_CMD_INTREQ, 1, 1, 0)->wait = true;
	sa_add(sa, AFU_CMD_INTREQ, 2, 4, 0)->wait = true;
	sa_add(sa, AFU_CMD_INTREQ, 3, 0, 0)->wait = true;	/* LISN 0 is the PSL's */
	sa_add(sa, AFU_CMD_INTREQ, 4, 5, 0)->wait = true;	/* past range 1 */
	run_script();
	ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, 1)->code);
	ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, 2)->code);
	ASSERT_EQ(AFU_RESP_FAILED, sa_resp_of(sa, 3)->code);
	ASSERT_EQ(AFU_RESP_FAILED, sa_resp_of(sa, 4)->code);
	ASSERT_EQm("two AFU interrupts delivered", 2, nr_afu_irqs);
	ASSERTm("SERR badsrc", cd_p1n_read(&drv, CXL_PSL_SERR_An) & CXL_PSL_SERR_An_badsrc);
	ASSERT(nr_serr_irqs >= 1);
	PASS();
}

/* ---- Refusals ---- */

TEST illegal_commands_fail_and_are_logged(void)
{
	ASSERT_EQ(0, bring_up());
	quiet_logs();
	sa_add(sa, 0x1FFF, 1, area_ra(0), 128);			/* unknown */
	sa_add(sa, 0x0A52, 2, area_ra(0), 128);			/* read_pe: PSLSE only */
	sa_add(sa, AFU_CMD_READ_CL_NA, 3, area_ra(0), 3);	/* not a power of two */
	sa_add(sa, AFU_CMD_WRITE_NA, 4, area_ra(0), 256);	/* over a line */
	sa_add(sa, AFU_CMD_READ_CL_S, 5, area_ra(4), 8);	/* misaligned */
	sa_add(sa, AFU_CMD_WRITE_MI, 6, area_ra(0), 0);		/* empty */
	sa_add(sa, AFU_CMD_READ_CL_S, 7, area_ra(0), 128)->cabt = 4;	/* reserved ah_cabt */
	sa_add(sa, AFU_CMD_READ_CL_S, 8, area_ra(0), 128)->cch = 1;	/* dedicated: PE 0 */
	sa_add(sa, AFU_CMD_READ_CL_S, 9, area_ra(0), 128);	/* and a good one */
	run_script();
	ASSERT_EQ(9, sa->nr_resp);
	for (unsigned int t = 1; t <= 7; t++)
		ASSERT_EQm("FAILED", AFU_RESP_FAILED, sa_resp_of(sa, t)->code);
	ASSERT_EQ(AFU_RESP_CONTEXT, sa_resp_of(sa, 8)->code);
	ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, 9)->code);
	ASSERT_EQ(7, slice0()->port.cq.stats.illegal);
	ASSERT_EQ(1, slice0()->port.cq.stats.bad_ctx);
	ASSERT(cd_p1_read(&drv, CXL_PSL_FIR1) & PSL_FIR1_ILL_CMD);
	ASSERT(cd_p1n_read(&drv, CXL_PSL_SERR_An) & CXL_PSL_SERR_An_badctx);
	ASSERTm("the PSL error reached the OS", nr_psl_irqs >= 1 &&
		(last_dsisr & CXL_PSL_DSISR_An_PE));
	ASSERTm("ErrStat says why", p2r(CXL_PSL_ErrStat_An) & PSL_ERRSTAT_ILL_CMD);
	PASS();
}

TEST credits_run_out(void)
{
	struct psl_params p;
	unsigned int i;

	test_params(&p);
	p.croom = 4;
	p.timing.dma_read = 2 * US;
	ASSERT_EQ(0, bring_up_sr(&p, SR_REAL));
	quiet_logs();
	ASSERT_EQm("ha_croom", 4, slice0()->port.in.croom);
	sa->ignore_credits = true;
	for (i = 0; i < 6; i++)
		sa_add(sa, AFU_CMD_READ_CL_NA, i, area_ra(i * 128), 128);
	run_script();
	ASSERT_EQ(6, sa->nr_resp);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, i)->code);
	ASSERT_EQ(AFU_RESP_FAILED, sa_resp_of(sa, 4)->code);
	ASSERT_EQ(AFU_RESP_FAILED, sa_resp_of(sa, 5)->code);
	ASSERT_EQ(2, slice0()->port.cq.stats.no_credit);
	ASSERT(cd_p1n_read(&drv, CXL_PSL_SERR_An) & CXL_PSL_SERR_An_afuov);
	ASSERTm("the credits came back", sa->credits == 4);
	PASS();
}

TEST all_tags_in_flight(void)
{
	struct psl_params p;
	unsigned int i;

	test_params(&p);
	p.croom = 255;
	ASSERT_EQ(0, bring_up_sr(&p, SR_REAL));
	for (i = 0; i < 255; i++)
		sa_add(sa, AFU_CMD_READ_CL_S, i, area_ra((i % 256) * 128), 128);
	run_script();
	ASSERT_EQ(255, sa->nr_resp);
	for (i = 0; i < 255; i++)
		ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, i)->code);
	ASSERTm("many commands in flight at once", sa->max_outstanding > 100);
	ASSERT_EQ(255, sa->credits);
	PASS();
}

TEST duplicate_tag_is_dropped(void)
{
	ASSERT_EQ(0, bring_up());
	quiet_logs();
	sa_add(sa, AFU_CMD_READ_CL_S, 7, area_ra(0), 128);
	sa_add(sa, AFU_CMD_READ_CL_S, 7, area_ra(128), 128);
	sa_add(sa, AFU_CMD_READ_CL_S, 8, area_ra(256), 128);
	run_script();
	/* The duplicate never gets a response: stop waiting for it. */
	ASSERT_EQ(2, sa->nr_resp);
	ASSERT_EQ(1, slice0()->port.cq.stats.dup_tags);
	ASSERT(cd_p1n_read(&drv, CXL_PSL_SERR_An) & CXL_PSL_SERR_An_afudup);
	ASSERT(nr_serr_irqs >= 1);
	PASS();
}

static enum harness_result parity_case(bool paren)
{
	struct sa_cmd *c;

	ASSERT_EQ(0, bring_up());
	quiet_logs();
	sa->paren = paren;
	sa_add(sa, AFU_CMD_READ_CL_S, 1, area_ra(0), 128)->bad_par = true;
	c = sa_add(sa, AFU_CMD_WRITE_NA, 2, area_ra(256), 128);
	c->bad_data_par = true;
	memset(c->data, 0x77, AFU_LINE_SIZE);
	sa_add(sa, AFU_CMD_READ_CL_S, 3, area_ra(0), 128);
	run_script();
	ASSERT_EQ(3, sa->nr_resp);
	ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, 3)->code);
	if (!paren) {
		ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, 1)->code);
		ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, 2)->code);
		ASSERT_EQm("written", 0x77, area[256]);
		ASSERT_EQ(0, slice0()->port.cq.stats.parity);
		PASS();
	}
	ASSERT_EQ(AFU_RESP_FAILED, sa_resp_of(sa, 1)->code);
	ASSERT_EQ(AFU_RESP_FAILED, sa_resp_of(sa, 2)->code);
	ASSERT_EQm("bad data is not written", 0, area[256]);
	ASSERT_EQ(2, slice0()->port.cq.stats.parity);
	ASSERT(cd_p1_read(&drv, CXL_PSL_FIR1) & PSL_FIR1_PARITY);
	ASSERT(p2r(CXL_PSL_ErrStat_An) & PSL_ERRSTAT_PARITY);
	PASS();
}

TEST parity_checked_only_with_paren(void)
{
	CHECK_CALL(parity_case(true));
	teardown(NULL);
	setup(NULL);
	return parity_case(false);
}

TEST command_while_not_running_fails(void)
{
	ASSERT_EQ(0, bring_up());
	quiet_logs();
	/* Disable, then reset: the job stops; the AFU misbehaves and issues anyway. */
	ASSERT_EQ(0, cd_afu_reset(&drv));
	sa->running = true;
	sa_add(sa, AFU_CMD_READ_CL_S, 1, area_ra(0), 128);
	psl_port_kick(slice0());
	run_script();
	ASSERT_EQ(AFU_RESP_FAILED, sa_resp_of(sa, 1)->code);
	ASSERT_EQ(1, slice0()->port.cq.stats.not_running);
	PASS();
}

/* ---- Translation and the fault path ---- */

static int bring_up_translated(void)
{
	struct psl_params p;

	test_params(&p);
	return bring_up_sr(&p, TD_SR_USER);
}

TEST fault_then_restart_completes_with_data(void)
{
	ASSERT_EQ(0, bring_up_translated());
	fill(area + 0x3000, 128, 0x40);
	sa_add(sa, AFU_CMD_READ_CL_NA, 1, USER_EA + 0x3000, 128);
	run_script();
	ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, 1)->code);
	ASSERT_MEM_EQ(area + 0x3000, sa->buf[1], 128);
	ASSERTm("a segment fault, then a page fault", nr_psl_irqs == 2);
	ASSERT_EQ(USER_EA + 0x3000, last_dar);
	ASSERT_EQ(CXL_PSL_DSISR_An_DM | CXL_PSL_DSISR_An_M, last_dsisr);
	ASSERT_EQ(2, slice0()->port.cq.stats.retranslations);
	ASSERTm("registers cleared after the answer", !p2r(CXL_PSL_DSISR_An));
	/* The translation is cached now: no more faults for the same page. */
	sa_add(sa, AFU_CMD_WRITE_NA, 2, USER_EA + 0x3040, 8)->data[0x40] = 0xAB;
	run_script();
	ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, 2)->code);
	ASSERT_EQ(0xAB, area[0x3040]);
	ASSERT_EQ(2, nr_psl_irqs);
	PASS();
}

TEST invalidations_reach_the_caches(void)
{
	u64 ea = USER_EA + 0x2000, slb, tlb;
	struct psl_xlate_stats *st;

	ASSERT_EQ(0, bring_up_translated());
	st = &slice0()->xlate.stats;
	sa_add(sa, AFU_CMD_READ_CL_NA, 1, ea, 128);
	run_script();
	ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, 1)->code);
	/* The host's tlbie of that page, forwarded by the shim. */
	ASSERT_EQ(1, psl_card_tlbie(card, 0, td_vpn(user_vsid(ea), ea, 0), PSL_SEG_256M,
				    TD_SZ_4K, TD_SZ_4K));
	ASSERT_EQ(0, psl_card_tlbie(card, 0, td_vpn(user_vsid(ea), ea, 0), PSL_SEG_256M,
				    TD_SZ_4K, TD_SZ_4K));
	tlb = st->cost.pteg_fetches;
	sa_add(sa, AFU_CMD_READ_CL_NA, 2, ea, 128);
	run_script();
	ASSERT_EQm("walked the HPT again", tlb + 1, st->cost.pteg_fetches);
	/* CXL_SLBIA_An drops the slice's segments: the next access fetches an STE. */
	slb = st->slb_dropped;
	p2w(CXL_SLBIA_An, 0);
	ASSERT_EQ(0, cd_poll(&drv, 0, cd_p2n_off(&drv, CXL_SLBIA_An), CXL_TLB_SLB_P, 0));
	ASSERT(st->slb_dropped > slb);
	/* PSL_TLBIA with AFUSEL[A]: every slice's TLB. */
	tlb = st->tlb_dropped;
	cd_p1_write(&drv, CXL_PSL_TLBIA, CXL_TLB_SLB_IQ_ALL);
	ASSERT_EQ(0, cd_poll(&drv, 2, CXL_PSL_TLBIA, CXL_TLB_SLB_P, 0));
	ASSERT(st->tlb_dropped > tlb);
	tlb = st->cost.ste_fetches;
	sa_add(sa, AFU_CMD_READ_CL_NA, 3, ea, 128);
	run_script();
	ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, 3)->code);
	ASSERT_EQ(tlb + 1, st->cost.ste_fetches);
	ASSERT_EQm("no new fault: the tables still hold it", 2, nr_psl_irqs);
	PASS();
}

TEST aerror_enters_flush_mode_until_restart(void)
{
	ASSERT_EQ(0, bring_up_translated());
	os_policy = OS_AE;
	sa_add(sa, AFU_CMD_READ_CL_NA, 1, USER_EA + 0x100000, 128);	/* outside the area */
	sa_add(sa, AFU_CMD_READ_CL_NA, 2, area_ra(0), 128)->wait = true;
	sa_add(sa, AFU_CMD_RESTART, 3, 0, 0)->wait = true;
	run_script();
	ASSERT_EQ(AFU_RESP_AERROR, sa_resp_of(sa, 1)->code);
	ASSERT_EQ(AFU_RESP_FLUSHED, sa_resp_of(sa, 2)->code);
	ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, 3)->code);
	ASSERT_EQ(1, nr_os_ae);
	/* Out of flush mode: the next command is translated again. */
	os_policy = OS_MAP;
	fill(area + 0x80, 128, 9);
	sa_add(sa, AFU_CMD_READ_CL_NA, 4, USER_EA + 0x80, 128);
	run_script();
	ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, 4)->code);
	ASSERT_MEM_EQ(area + 0x80, sa->buf[4], 128);
	PASS();
}

TEST paged_flushes_until_restart(void)
{
	ASSERT_EQ(0, bring_up_translated());
	os_policy = OS_C;
	sa_add(sa, AFU_CMD_READ_CL_NA, 1, USER_EA, 128);
	sa_add(sa, AFU_CMD_READ_CL_NA, 2, USER_EA, 128)->wait = true;
	sa_add(sa, AFU_CMD_TOUCH_I, 3, USER_EA, 128)->wait = true;
	sa_add(sa, AFU_CMD_RESTART, 4, 0, 0)->wait = true;
	run_script();
	ASSERT_EQ(AFU_RESP_PAGED, sa_resp_of(sa, 1)->code);
	ASSERT_EQ(AFU_RESP_FLUSHED, sa_resp_of(sa, 2)->code);
	ASSERT_EQ(AFU_RESP_FLUSHED, sa_resp_of(sa, 3)->code);
	ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, 4)->code);
	os_policy = OS_MAP;
	sa_add(sa, AFU_CMD_READ_CL_NA, 5, USER_EA, 128);
	run_script();
	ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, 5)->code);
	PASS();
}

TEST queued_faults_are_flushed_with_the_context(void)
{
	unsigned int i, aerror = 0, flushed = 0;

	ASSERT_EQ(0, bring_up_translated());
	os_policy = OS_IGNORE;
	/*
	 * Four faulting commands: one presented, three queued behind it.  Which
	 * one faults first depends on what the walks found cached.
	 */
	for (i = 0; i < 4; i++)
		sa_add(sa, AFU_CMD_READ_CL_NA, i, USER_EA + i * 0x1000, 128);
	psl_port_kick(slice0());
	simq_run_until(&q, simq_now(&q) + 20 * US);
	ASSERT_EQ(1, nr_psl_irqs);
	ASSERT_EQ(0, sa->nr_resp);
	p2w(CXL_PSL_TFC_An, CXL_PSL_TFC_An_AE);
	run_script();
	ASSERT_EQ(4, sa->nr_resp);
	for (i = 0; i < 4; i++) {
		aerror += sa_resp_of(sa, i)->code == AFU_RESP_AERROR;
		flushed += sa_resp_of(sa, i)->code == AFU_RESP_FLUSHED;
	}
	ASSERT_EQm("the answered one", 1, aerror);
	ASSERT_EQm("not yet started: FLUSHED", 3, flushed);
	ASSERTm("their faults never reached the OS", nr_psl_irqs == 1);
	ASSERT(psl_fault_idle(slice0()));
	PASS();
}

TEST cabt_modes_on_a_fault(void)
{
	ASSERT_EQ(0, bring_up_translated());
	os_policy = OS_IGNORE;
	sa_add(sa, AFU_CMD_READ_CL_NA, 1, USER_EA, 128)->cabt = AFU_CABT_PREF;
	sa_add(sa, AFU_CMD_READ_CL_NA, 2, USER_EA, 128)->cabt = AFU_CABT_SPEC;
	sa_add(sa, AFU_CMD_READ_CL_NA, 3, USER_EA, 128)->wait = true;
	sa->cmds[2].cabt = AFU_CABT_ABORT;
	sa_add(sa, AFU_CMD_READ_CL_NA, 4, USER_EA, 128)->wait = true;	/* flushed */
	sa_add(sa, AFU_CMD_RESTART, 5, 0, 0)->wait = true;
	sa_add(sa, AFU_CMD_READ_CL_NA, 6, USER_EA, 128)->wait = true;
	sa->cmds[5].cabt = AFU_CABT_PAGE;
	run_script();
	ASSERT_EQ(AFU_RESP_FAULT, sa_resp_of(sa, 1)->code);
	ASSERT_EQ(AFU_RESP_FAULT, sa_resp_of(sa, 2)->code);
	ASSERT_EQ(AFU_RESP_FAULT, sa_resp_of(sa, 3)->code);
	ASSERT_EQ(AFU_RESP_FLUSHED, sa_resp_of(sa, 4)->code);
	ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, 5)->code);
	ASSERT_EQm("Page: PAGED at once", AFU_RESP_PAGED, sa_resp_of(sa, 6)->code);
	ASSERTm("only Page told the OS", nr_psl_irqs == 1 &&
		(last_dsisr & CXL_PSL_DSISR_An_DS));
	PASS();
}

TEST bad_real_address_is_derror(void)
{
	ASSERT_EQ(0, bring_up());
	quiet_logs();
	/* Real mode: the RA is the EA, and nothing is registered there. */
	sa_add(sa, AFU_CMD_READ_CL_S, 1, 0x10000, 128);
	sa_add(sa, AFU_CMD_READ_CL_S, 2, area_ra(0), 128)->wait = true;
	sa_add(sa, AFU_CMD_RESTART, 3, 0, 0)->wait = true;
	run_script();
	ASSERT_EQ(AFU_RESP_DERROR, sa_resp_of(sa, 1)->code);
	ASSERT_EQ(AFU_RESP_FLUSHED, sa_resp_of(sa, 2)->code);
	ASSERT_EQ(AFU_RESP_DONE, sa_resp_of(sa, 3)->code);
	ASSERT(cd_p1_read(&drv, CXL_PSL_FIR1) & PSL_FIR1_BAD_RA);
	ASSERT(p2r(CXL_PSL_ErrStat_An) & PSL_ERRSTAT_BAD_RA);
	ASSERTm("DSISR[PE] reached the OS", last_dsisr & CXL_PSL_DSISR_An_PE);
	PASS();
}

TEST fault_points_on_translation_and_response(void)
{
	struct inject_point *xl = inject_find("psl.cmd.xlate");
	struct inject_point *rp = inject_find("psl.cmd.resp");
	struct inject_action seg = { .kind = INJECT_KIND_VALUE, .value = PSL_XLATE_SEGMENT };
	struct inject_action code = { .kind = INJECT_KIND_VALUE, .value = AFU_RESP_NLOCK };

	ASSERT(xl && rp);
	ASSERT_EQ(0, bring_up());
	os_policy = OS_AE;
	ASSERT_EQ(0, inject_arm(xl, &seg, 1));
	sa_add(sa, AFU_CMD_READ_CL_S, 1, area_ra(0), 128);
	sa_add(sa, AFU_CMD_RESTART, 2, 0, 0)->wait = true;
	run_script();
	ASSERT_EQm("forced fault answered AE", AFU_RESP_AERROR, sa_resp_of(sa, 1)->code);
	ASSERT_EQ(CXL_PSL_DSISR_An_DS, last_dsisr);
	ASSERT_EQ(0, inject_arm(rp, &code, 1));
	sa_add(sa, AFU_CMD_READ_CL_S, 3, area_ra(0), 128);
	run_script();
	ASSERT_EQ(AFU_RESP_NLOCK, sa_resp_of(sa, 3)->code);
	PASS();
}

/* ---- MMIO forwarding ---- */

TEST descriptor_reads_go_over_mmcfg(void)
{
	u64 v, t0;

	ASSERT_EQ(0, bring_up());
	sa->desc[0] = AFU_DESC_W0(1, 16, 0, AFU_PROG_DEDICATED);
	sa->desc[5] = 0x0000000000000200ULL;	/* 0x28: CR offset */
	sa->mmio_delay = 5;
	t0 = simq_now(&q);
	ASSERT_EQ(0, psl_mmio_read(card, 0, DESC_BASE, 8, &v));
	ASSERT_EQ(sa->desc[0], v);
	ASSERTm("the read waited for ah_mmack", simq_now(&q) - t0 >= 5 * PSL_PERIOD_PS);
	ASSERT_EQ(0, psl_mmio_read(card, 0, DESC_BASE + 0x28, 8, &v));
	ASSERT_EQ(0x200, v);
	ASSERT_EQ(2, sa->nr_mmios);
	ASSERT(sa->mmios[0].cfg && sa->mmios[0].read && sa->mmios[0].dw);
	ASSERT_EQm("word address", 0x28 / 4, sa->mmios[1].ad);
	/* A 32-bit read: the word at the address, from bits 32:63 of ah_mmdata. */
	ASSERT_EQ(0, psl_mmio_read(card, 0, DESC_BASE + 4, 4, &v));
	ASSERT_EQ((u32)sa->desc[0], v);
	ASSERT_FALSE(sa->mmios[2].dw);
	ASSERT_EQ(0, sa->bad_in_parity);
	PASS();
}

static unsigned int nr_async;
static u64 async_val;

static void async_done(void *arg, u64 val)
{
	nr_async++;
	async_val = val;
}

TEST psa_forwarded_one_at_a_time(void)
{
	u64 v;

	ASSERT_EQ(0, bring_up());
	nr_async = 0;
	sa->mmio_delay = 4;
	ASSERT_EQ(0, psl_mmio_write(card, 0, PSA_BASE + 0x10, 8, 0x1122334455667788ULL));
	ASSERT_EQ(0x1122334455667788ULL, sa->psa[2]);
	ASSERT_FALSE(sa->mmios[0].cfg);
	ASSERT_EQ(0x10 / 4, sa->mmios[0].ad);
	/* A 32-bit store: the word replicated on both halves of ha_mmdata. */
	ASSERT_EQ(0, psl_mmio_write(card, 0, PSA_BASE + 0x14, 4, 0xCAFEF00D));
	ASSERT_EQ(0xCAFEF00DCAFEF00DULL, sa->mmios[1].data);
	ASSERT_EQ(0x11223344CAFEF00DULL, sa->psa[2]);
	/* Asynchronous: pending, then done in order, one request on the bus at a time. */
	ASSERT_EQ(-EINPROGRESS, psl_mmio_read_async(card, 0, PSA_BASE + 0x10, 8, async_done, NULL));
	ASSERT_EQ(-EINPROGRESS, psl_mmio_write_async(card, 0, PSA_BASE + 0x20, 8, 5, async_done,
						     NULL));
	ASSERT_EQ(0, nr_async);
	simq_run_until(&q, simq_now(&q) + 1 * US);
	ASSERT_EQ(2, nr_async);
	ASSERTm("the second went out after the first's ack",
		sa->mmios[3].tick >= sa->mmios[2].tick + sa->mmio_delay);
	ASSERT_EQ(5, sa->psa[4]);
	/* Register accesses complete before the call returns. */
	ASSERT_EQ(0, psl_mmio_read_async(card, 0, CXL_PSL_WED_An, 8, async_done, NULL));
	ASSERT_EQ(3, nr_async);
	ASSERT_EQ(WED, async_val);
	/* While the AFU is not enabled the PSA is not reachable. */
	quiet_logs();
	ASSERT_EQ(0, cd_afu_disable(&drv));
	ASSERT_EQ(0, psl_mmio_read(card, 0, PSA_BASE + 0x10, 8, &v));
	ASSERT_EQ(~0ULL, v);
	ASSERT_EQ(4, sa->nr_mmios);
	ASSERT(cd_p1n_read(&drv, CXL_PSL_SERR_An) & CXL_PSL_SERR_An_afudis);
	PASS();
}

TEST mmio_timeout_and_parity(void)
{
	u64 v, t0;

	ASSERT_EQ(0, bring_up());
	quiet_logs();
	sa->mmio_delay = SA_NEVER;
	t0 = simq_now(&q);
	ASSERT_EQ(0, psl_mmio_read(card, 0, PSA_BASE, 8, &v));
	ASSERT_EQm("all-ones", ~0ULL, v);
	ASSERT(simq_now(&q) - t0 >= 10 * US);
	ASSERT(cd_p1n_read(&drv, CXL_PSL_SERR_An) & CXL_PSL_SERR_An_afuto);
	ASSERT_EQ(1, slice0()->port.mmio.stats.timeouts);
	sa->mmio_delay = 1;
	sa->bad_mmio_par = true;
	sa->psa[0] = 42;
	ASSERT_EQ(0, psl_mmio_read(card, 0, PSA_BASE, 8, &v));
	ASSERT_EQ(42, v);
	ASSERT(cd_p1n_read(&drv, CXL_PSL_SERR_An) & CXL_PSL_SERR_An_afupar);
	ASSERT_EQ(1, slice0()->port.mmio.stats.parity);
	PASS();
}

/* ---- The clock and the timing model ---- */

TEST clock_stops_while_idle(void)
{
	u64 ticks, edges, v;

	ASSERT_EQ(0, bring_up());
	simq_run_until(&q, simq_now(&q) + 1 * US);
	ASSERT_FALSE(slice0()->port.clock_on);
	ticks = slice0()->port.ticks;
	edges = slice0()->port.edges;
	simq_run_until(&q, simq_now(&q) + 1 * PS_PER_S);
	ASSERT_EQm("no tick in an idle second", ticks, slice0()->port.ticks);
	ASSERT_EQ(edges, slice0()->port.edges);
	/* New input wakes it, and it stops again once answered. */
	ASSERT_EQ(0, psl_mmio_read(card, 0, PSA_BASE, 8, &v));
	ASSERT(slice0()->port.ticks > ticks);
	simq_run_until(&q, simq_now(&q) + 1 * US);
	ticks = slice0()->port.ticks;
	simq_run_until(&q, simq_now(&q) + 1 * PS_PER_S);
	ASSERT_EQ(ticks, slice0()->port.ticks);
	ASSERTm("a tick per edge at most", slice0()->port.ticks <= slice0()->port.edges);
	PASS();
}

/* Run 16 dependent reads with timing from @text; returns the AFU ticks they took. */
static u64 timed_job(const char *text)
{
	struct cfg_error err;
	struct psl_params p;
	struct cfg *cfg;
	unsigned int i;
	u64 t0;

	test_params(&p);
	if (cfg_parse("timing.ini", text, &cfg, &err) || psl_timing_load(cfg, &p.timing, &err))
		return 0;
	cfg_free(cfg);
	if (bring_up_sr(&p, TD_SR_USER))
		return 0;
	/* Warm: the page is mapped and cached before the measured run. */
	sa_add(sa, AFU_CMD_READ_CL_NA, 0, USER_EA, 128);
	run_script();
	t0 = slice0()->port.ticks;
	for (i = 1; i <= 16; i++)
		sa_add(sa, AFU_CMD_READ_CL_NA, i, USER_EA + i * 128, 128)->wait = true;
	run_script();
	for (i = 1; i <= 16; i++)
		if (sa_resp_of(sa, i)->code != AFU_RESP_DONE)
			return 0;
	return slice0()->port.ticks - t0;
}

TEST cycles_follow_the_timing_file(void)
{
	u64 fast, slow, extra;

	fast = timed_job("[timing]\ndma_read = 500 ns\nxlate_tlb_hit = 4 ns\n");
	ASSERT(fast);
	teardown(NULL);
	setup(NULL);
	slow = timed_job("[timing]\ndma_read = 2 us\nxlate_tlb_hit = 40 ns\n");
	ASSERT(slow);
	/* Each dependent read waits 1.5 us + 36 ns more: 384 cycles, 16 times. */
	extra = slow - fast;
	ASSERT(extra >= 16 * 384 - 16 && extra <= 16 * 384 + 16);
	PASS();
}

/* ---- End to end: the memcpy AFU in AFU-directed mode ---- */

static struct memcpy_we *we_at(u64 off)
{
	return (struct memcpy_we *)(area + off);
}

static bool we_done(void *arg)
{
	struct memcpy_we *we = arg;

	return le64toh(we->status) != 0 || simq_now(&q) > 50 * MS;
}

/* Attach PE @pe, then point its WED at the WE at @we_off and ring. */
static enum harness_result memcpy_run(unsigned int pe, u64 we_off)
{
	struct cd_ctx c = ded_ctx(TD_SR_USER);
	u64 psa = PSA_BASE + pe * MEMCPY_PSA_STRIDE;

	ASSERT_EQ(0, cd_attach_directed(&drv, pe, &c));
	ASSERT_EQ(0, psl_mmio_write(card, 0, psa + MEMCPY_PSA_WED, 8, USER_EA + we_off));
	ASSERT_EQ(0, psl_mmio_write(card, 0, psa + MEMCPY_PSA_DOORBELL, 8, 1));
	simq_run_while_not(&q, we_done, we_at(we_off));
	simq_run_until(&q, simq_now(&q) + 5 * US);
	PASS();
}

static int bring_up_memcpy(void)
{
	struct psl_params p;
	struct afu *m;

	test_params(&p);
	m = afu_memcpy_ops.create("m0", 1, "procs=16,irqs=4");
	if (!m || make_card(&p, m))
		return -EINVAL;
	if (cd_afu_reset(&drv))
		return -EBUSY;
	return cd_activate_directed(&drv, 16);
}

TEST memcpy_end_to_end_through_faults(void)
{
	struct memcpy_we *we = we_at(0);
	u64 v;

	ASSERT_EQ(0, bring_up_memcpy());
	/* The driver reads the descriptor from the AFU itself. */
	ASSERT_EQ(0, psl_mmio_read(card, 0, DESC_BASE, 8, &v));
	ASSERT_EQ(AFU_PROG_DEDICATED | AFU_PROG_DIRECTED, AFU_DESC_PROG_MODEL(v));
	ASSERT_EQ(16, AFU_DESC_NUM_PROCS(v));
	fill(area + 0x4000, 5000, 0x21);
	we->src = htole64(USER_EA + 0x4000 + 3);
	we->dst = htole64(USER_EA + 0x9000 + 5);
	we->len = htole64(4000);
	we->lisn = htole16(1);
	we->ctl = htole32(MEMCPY_CTL_VALID | MEMCPY_CTL_IRQ);
	CHECK_CALL(memcpy_run(3, 0));
	ASSERT_EQ(MEMCPY_ST_DONE, le64toh(we->status));
	ASSERT_MEM_EQ(area + 0x4003, area + 0x9005, 4000);
	ASSERT_EQm("nothing beyond the copy", 0, area[0x9005 + 4000]);
	ASSERTm("the OS resolved segment and page faults", nr_psl_irqs >= 4 && !nr_os_ae);
	ASSERT_EQ(3, last_pe);
	ASSERT_EQm("the completion interrupt", 1, nr_afu_irqs);
	ASSERT(slice0()->port.cq.stats.retranslations >= 4);
	/* Detach: TERMINATE and REMOVE through the AFU, then the AFU clock stops. */
	ASSERT_EQ(0, cd_detach_directed(&drv, 3, 77, 0));
	ASSERT_EQ(3, slice0()->port.job.stats.llcmds);
	simq_run_until(&q, simq_now(&q) + 1 * US);
	ASSERT_FALSE(slice0()->port.clock_on);
	PASS();
}

TEST memcpy_bad_address_reports_aerror(void)
{
	struct memcpy_we *we = we_at(0x200);
	u64 st;

	ASSERT_EQ(0, bring_up_memcpy());
	quiet_logs();
	fill(area + 0x4000, 256, 1);
	we->src = htole64(USER_EA + 0x4000);
	we->dst = htole64(USER_EA + 0x200000);	/* not the process's memory */
	we->len = htole64(256);
	we->ctl = htole32(MEMCPY_CTL_VALID);
	CHECK_CALL(memcpy_run(5, 0x200));
	st = le64toh(we->status);
	ASSERT_EQ(MEMCPY_ST_ERROR, st & 0xFF);
	ASSERT_EQ(MEMCPY_ERR_RESPONSE, MEMCPY_ST_REASON(st));
	ASSERT_EQm("the AFU saw AERROR", AFU_RESP_AERROR, MEMCPY_ST_RESP(st));
	ASSERT_EQ(USER_EA + 0x200000, le64toh(we->err_ea));
	ASSERT(nr_os_ae >= 1);
	ASSERT(slice0()->port.cq.stats.resp[AFU_RESP_AERROR] >= 1);
	PASS();
}

/* ---- Trace ---- */

static u64 count_kind(struct cxt_reader *r, const char *name)
{
	struct trace_event ev;
	struct cxt_error err;
	u64 n = 0;

	cxt_seek(r, 0, &err);
	while (cxt_next(r, &ev, &err) == 1)
		n += !strcmp(cxt_kind(r, ev.kind)->name, name);
	return n;
}

static u64 q_clock(void *arg)
{
	return simq_now(arg);
}

TEST commands_buffers_and_responses_are_traced(void)
{
	static const char *const kinds[] = {
		"psl.job", "psl.job.ack", "psl.afu.mmio", "psl.afu.mmack", "psl.cmd",
		"psl.cmd.xlate", "psl.buf.data", "psl.fault",
	};
	const struct cxt_header h = { .level = TRACE_LVL_VERBOSE };
	struct cxt_writer *w;
	struct cxt_reader *r;
	struct cxt_error err;
	char *buf = NULL;
	size_t len = 0;
	unsigned int i;
	FILE *f;
	u64 v;

	f = open_memstream(&buf, &len);
	ASSERT(f);
	ASSERT_EQm(err.msg, 0, cxt_create_file(f, "mem.cxt", &h, NULL, &w, &err));
	ASSERT_EQ(0, trace_start(w, TRACE_LVL_VERBOSE));
	trace_set_clock(q_clock, &q);
	ASSERT_EQ(0, bring_up_translated());
	ASSERT_EQ(0, psl_mmio_read(card, 0, DESC_BASE, 8, &v));
	sa_add(sa, AFU_CMD_READ_CL_NA, 1, USER_EA, 128);
	sa_add(sa, AFU_CMD_WRITE_NA, 2, USER_EA + 128, 128)->wait = true;
	sa_add(sa, 0x1FFF, 3, 0, 0)->wait = true;
	quiet_logs();
	run_script();
	ASSERTm("every emit matched its schema", trace_stop() == 0);
	trace_set_clock(NULL, NULL);
	ASSERT_EQm(err.msg, 0, cxt_close_writer(w, &err));
	fclose(f);
	ASSERT_EQm(err.msg, 0, cxt_open_mem(buf, len, "mem.cxt", 0, &r, &err));
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		ASSERTm(kinds[i], count_kind(r, kinds[i]));
	ASSERT_EQm("a psl.cmd per command", 3, count_kind(r, "psl.cmd"));
	ASSERT_EQm("a psl.resp per response", 3, count_kind(r, "psl.resp"));
	ASSERT_EQm("a psl.buf per beat", 4, count_kind(r, "psl.buf"));
	cxt_close(r);
	free(buf);
	PASS();
}

static bool job_ended(void *arg)
{
	return slice0()->port.job.state == PSL_JOB_ENDED || simq_now(&q) > 200 * MS;
}

/* a1's traffic AFU checks every response and byte against its shadow. */
TEST traffic_afu_passes_against_the_psl(void)
{
	struct traffic_params *tp = (void *)area;
	struct cd_ctx c = ded_ctx(SR_REAL);
	struct psl_params p;
	struct afu *t;

	test_params(&p);
	t = afu_traffic_ops.create("t0", 7, "irqs=4,illegal=1,brlat=3");
	ASSERT(t);
	ASSERT_EQ(0, make_card(&p, t));
	quiet_logs();
	memset(tp, 0, sizeof(*tp));
	tp->base = area_ra(0x1000);
	tp->size = 32 * 1024;
	tp->ncmds = 3000;
	tp->flags = TRAFFIC_F_IRQ;
	tp->lisn = 2;
	c.wed = area_ra(0);
	cd_activate_dedicated(&drv, 0, td.sdr1);
	ASSERT_EQ(0, cd_attach_dedicated(&drv, &c));
	simq_run_while_not(&q, job_ended, NULL);
	ASSERT_EQ(PSL_JOB_ENDED, slice0()->port.job.state);
	ASSERT_EQm("status", TRAFFIC_ST_PASS, le64toh(tp->status));
	ASSERT_EQm("mismatches", 0, le64toh(tp->mismatches));
	ASSERT(le64toh(tp->done) >= 3000);
	ASSERT_EQm("no AFU error", 0, cd_p2n_read(&drv, CXL_AFU_ERR_An));
	ASSERT(slice0()->port.cq.stats.illegal > 0);
	ASSERT(nr_afu_irqs >= 1);
	PASS();
}

SUITE(commands)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(reads_fill_both_halves_before_done);
	RUN_TEST(writes_commit_csize_bytes);
	RUN_TEST(line_operations_move_no_data);
	RUN_TEST(locks_and_reservation);
	RUN_TEST(intreq_maps_lisn_through_ranges);
	RUN_TEST(illegal_commands_fail_and_are_logged);
	RUN_TEST(credits_run_out);
	RUN_TEST(all_tags_in_flight);
	RUN_TEST(duplicate_tag_is_dropped);
	RUN_TEST(parity_checked_only_with_paren);
	RUN_TEST(command_while_not_running_fails);
}

SUITE(faults)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(fault_then_restart_completes_with_data);
	RUN_TEST(invalidations_reach_the_caches);
	RUN_TEST(aerror_enters_flush_mode_until_restart);
	RUN_TEST(paged_flushes_until_restart);
	RUN_TEST(queued_faults_are_flushed_with_the_context);
	RUN_TEST(cabt_modes_on_a_fault);
	RUN_TEST(bad_real_address_is_derror);
	RUN_TEST(fault_points_on_translation_and_response);
}

SUITE(mmio)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(descriptor_reads_go_over_mmcfg);
	RUN_TEST(psa_forwarded_one_at_a_time);
	RUN_TEST(mmio_timeout_and_parity);
}

SUITE(timing)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(clock_stops_while_idle);
	RUN_TEST(cycles_follow_the_timing_file);
}

SUITE(end_to_end)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(memcpy_end_to_end_through_faults);
	RUN_TEST(memcpy_bad_address_reports_aerror);
	RUN_TEST(traffic_afu_passes_against_the_psl);
	RUN_TEST(commands_buffers_and_responses_are_traced);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	log_set_level(LOG_WARN);
	RUN_SUITE(commands);
	RUN_SUITE(faults);
	RUN_SUITE(mmio);
	RUN_SUITE(timing);
	RUN_SUITE(end_to_end);
	if (sink)
		fclose(sink);
	HARNESS_MAIN_END();
}
