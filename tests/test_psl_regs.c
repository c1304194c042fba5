// SPDX-License-Identifier: GPL-2.0
/*
 * PSL8 P1/P2 registers: the AFU_Cntl, purge, invalidation and cache-flush
 * handshakes seen mid-way and complete after their configured latency,
 * W1C and read-only bits, the driver's constants, illegal accesses, link
 * freeze, PERST, and a seeded random-access robustness loop.
 */
#define pr_fmt(fmt) "test_psl_regs: " fmt

#include <endian.h>
#include <errno.h>
#include <stdlib.h>

#include "harness.h"
#include "core/config.h"
#include "core/log.h"
#include "core/rng.h"
#include "psl/psl.h"

#define NS PS_PER_NS
#define US PS_PER_US

static struct sim_queue q;
static struct psl_params params;
static struct psl_card *card;
static FILE *sink;		/* where expected warnings go */

/* Distinct latencies, so each test sees which handshake it waits for. */
static void test_params(struct psl_params *p)
{
	psl_params_defaults(p);
	p->nr_slices = 2;
	p->ps_size = 0x100;
	p->timing.afu_enable = 3 * US;
	p->timing.afu_disable = 2 * US;
	p->timing.afu_reset = 7 * US;
	p->timing.purge = 5 * US;
	p->timing.slbia = 400 * NS;
	p->timing.tlbia = 600 * NS;
	p->timing.cache_flush = 11 * US;
}

/* A card with memory space enabled, as after pci_enable_device(). */
static struct psl_card *make_card(const struct psl_params *p)
{
	struct psl_card *c = psl_card_create(&q, p);

	if (c)
		psl_cfg_write(c, 0x04, 2, 0x0006);
	return c;
}

static void setup(void *arg)
{
	simq_init(&q);
	test_params(&params);
	card = make_card(&params);
}

static void teardown(void *arg)
{
	log_set_file(NULL);
	log_set_level(LOG_WARN);
	psl_card_destroy(card);
	card = NULL;
	simq_exit(&q);
}

static void quiet_logs(void)
{
	if (!sink)
		sink = fopen("/dev/null", "w");
	log_set_file(sink);
}

/* ---- MMIO as the driver does it: 64-bit, register numbers ---- */

static u64 rd(struct psl_card *c, unsigned int bar, u64 off)
{
	u64 v = 0xBAD0BAD0BAD0BAD0ULL;

	psl_mmio_read(c, bar, off, 8, &v);
	return v;
}

static void wr(struct psl_card *c, unsigned int bar, u64 off, u64 v)
{
	psl_mmio_write(c, bar, off, 8, v);
}

static u64 p1_off(u64 reg)
{
	return reg;
}

static u64 p1n_off(unsigned int slice, u64 reg)
{
	return CXL_P1_SLICE_BASE + slice * CXL_P1_SLICE_SIZE + reg;
}

static u64 p2n_off(unsigned int slice, u64 reg)
{
	return slice * CXL_P2_SLICE_SIZE + reg;
}

#define P1(reg) rd(card, 2, p1_off(reg))
#define P1W(reg, v) wr(card, 2, p1_off(reg), v)
#define P1N(s, reg) rd(card, 2, p1n_off(s, reg))
#define P1NW(s, reg, v) wr(card, 2, p1n_off(s, reg), v)
#define P2N(s, reg) rd(card, 0, p2n_off(s, reg))
#define P2NW(s, reg, v) wr(card, 0, p2n_off(s, reg), v)

static u64 now(void)
{
	return simq_now(&q);
}

static void advance(u64 dt)
{
	simq_run_until(&q, now() + dt);
}

/*
 * The driver's poll loop: read until (value & mask) == result, letting
 * @step pass between reads as the shim's cpu_relax() will.  Returns the
 * time it took, or SIM_TIME_NEVER past @limit.
 */
static u64 poll(unsigned int bar, u64 off, u64 mask, u64 result, u64 step, u64 limit)
{
	u64 t0 = now();

	while ((rd(card, bar, off) & mask) != result) {
		if (now() - t0 >= limit)
			return SIM_TIME_NEVER;
		advance(step);
	}
	return now() - t0;
}

#define ES(v) ((v) & CXL_AFU_Cntl_An_ES_MASK)
#define RS(v) ((v) & CXL_AFU_Cntl_An_RS_MASK)

/* ---- AFU_Cntl ---- */

TEST afu_enable_disable_handshake(void)
{
	u64 v = P2N(0, CXL_AFU_Cntl_An);

	ASSERT_EQ(0, v);
	P2NW(0, CXL_AFU_Cntl_An, v | CXL_AFU_Cntl_An_E);
	v = P2N(0, CXL_AFU_Cntl_An);
	ASSERT_EQ(params.es_enable_pending, ES(v));
	ASSERT(v & CXL_AFU_Cntl_An_E);
	advance(3 * US - 1);
	ASSERT_EQm("still pending 1 ps early", params.es_enable_pending,
		   ES(P2N(0, CXL_AFU_Cntl_An)));
	advance(1);
	v = P2N(0, CXL_AFU_Cntl_An);
	ASSERT_EQ(CXL_AFU_Cntl_An_ES_Enabled, ES(v));
	ASSERT_EQ(1, card->slice[0].nr_enables);

	P2NW(0, CXL_AFU_Cntl_An, v & ~CXL_AFU_Cntl_An_E);
	ASSERT_EQ(params.es_disable_pending, ES(P2N(0, CXL_AFU_Cntl_An)));
	advance(2 * US - 1);
	ASSERT_EQ(params.es_disable_pending, ES(P2N(0, CXL_AFU_Cntl_An)));
	advance(1);
	ASSERT_EQ(0, P2N(0, CXL_AFU_Cntl_An));
	ASSERT_EQ(1, card->slice[0].nr_disables);
	/* The other slice never moved. */
	ASSERT_EQ(0, P2N(1, CXL_AFU_Cntl_An));
	PASS();
}

TEST afu_reset_handshake(void)
{
	u64 v;

	P2NW(0, CXL_AFU_Cntl_An, CXL_AFU_Cntl_An_E);
	advance(3 * US);
	v = P2N(0, CXL_AFU_Cntl_An);
	ASSERT_EQ(CXL_AFU_Cntl_An_ES_Enabled, ES(v));
	/* The driver: write value | RA, poll RS|ES for complete|disabled. */
	P2NW(0, CXL_AFU_Cntl_An, v | CXL_AFU_Cntl_An_RA);
	v = P2N(0, CXL_AFU_Cntl_An);
	ASSERT_EQ(CXL_AFU_Cntl_An_RS_Pending, RS(v));
	ASSERT_EQm("a reset disables the AFU at once", 0, ES(v));
	ASSERT(v & CXL_AFU_Cntl_An_RA);
	advance(7 * US - 1);
	ASSERT_EQ(CXL_AFU_Cntl_An_RS_Pending, RS(P2N(0, CXL_AFU_Cntl_An)));
	advance(1);
	ASSERT_EQm("RS complete, ES disabled, E and RA clear",
		   CXL_AFU_Cntl_An_RS_Complete, P2N(0, CXL_AFU_Cntl_An));
	ASSERT_EQ(1, card->slice[0].nr_resets);
	ASSERT_EQ(0, card->slice[0].nr_disables);
	PASS();
}

TEST afu_reset_polled_like_the_driver(void)
{
	u64 t, v = P2N(0, CXL_AFU_Cntl_An);

	P2NW(0, CXL_AFU_Cntl_An, v | CXL_AFU_Cntl_An_RA);
	t = poll(0, p2n_off(0, CXL_AFU_Cntl_An),
		 CXL_AFU_Cntl_An_RS_MASK | CXL_AFU_Cntl_An_ES_MASK,
		 CXL_AFU_Cntl_An_RS_Complete, 100 * NS, 5 * PS_PER_S);
	ASSERT_EQ(7 * US, t);
	PASS();
}

TEST afu_reset_without_self_clear(void)
{
	struct psl_params p;
	struct psl_card *c;
	u64 v;

	test_params(&p);
	p.afu_ra_self_clear = false;
	c = make_card(&p);
	ASSERT(c);
	wr(c, 0, CXL_AFU_Cntl_An, CXL_AFU_Cntl_An_RA);
	advance(7 * US);
	v = rd(c, 0, CXL_AFU_Cntl_An);
	ASSERT_EQ(CXL_AFU_Cntl_An_RS_Complete | CXL_AFU_Cntl_An_RA, v);
	/* The driver's XSL workaround writes RA back cleared. */
	wr(c, 0, CXL_AFU_Cntl_An, v & ~CXL_AFU_Cntl_An_RA);
	ASSERT_EQ(CXL_AFU_Cntl_An_RS_Complete, rd(c, 0, CXL_AFU_Cntl_An));
	/* RA rising again starts a second reset. */
	wr(c, 0, CXL_AFU_Cntl_An, CXL_AFU_Cntl_An_RA);
	ASSERT_EQ(CXL_AFU_Cntl_An_RS_Pending, RS(rd(c, 0, CXL_AFU_Cntl_An)));
	advance(7 * US);
	ASSERT_EQ(2, c->slice[0].nr_resets);
	psl_card_destroy(c);
	PASS();
}

TEST afu_enable_follows_e_level(void)
{
	/* Disable requested while the enable runs: enable completes, then disables. */
	P2NW(0, CXL_AFU_Cntl_An, CXL_AFU_Cntl_An_E);
	advance(1 * US);
	P2NW(0, CXL_AFU_Cntl_An, 0);
	ASSERT_EQ(params.es_enable_pending, ES(P2N(0, CXL_AFU_Cntl_An)));
	advance(2 * US);
	ASSERT_EQ(params.es_disable_pending, ES(P2N(0, CXL_AFU_Cntl_An)));
	advance(2 * US);
	ASSERT_EQ(0, P2N(0, CXL_AFU_Cntl_An));
	ASSERT_EQ(1, card->slice[0].nr_enables);
	ASSERT_EQ(1, card->slice[0].nr_disables);
	/* And the other way round. */
	P2NW(0, CXL_AFU_Cntl_An, CXL_AFU_Cntl_An_E);
	advance(3 * US);
	P2NW(0, CXL_AFU_Cntl_An, 0);
	advance(1 * US);
	P2NW(0, CXL_AFU_Cntl_An, CXL_AFU_Cntl_An_E);
	advance(1 * US);
	ASSERT_EQ(params.es_enable_pending, ES(P2N(0, CXL_AFU_Cntl_An)));
	advance(3 * US);
	ASSERT_EQ(CXL_AFU_Cntl_An_ES_Enabled, ES(P2N(0, CXL_AFU_Cntl_An)));
	PASS();
}

TEST afu_reset_overrides_enable(void)
{
	P2NW(0, CXL_AFU_Cntl_An, CXL_AFU_Cntl_An_E);
	advance(1 * US);
	P2NW(0, CXL_AFU_Cntl_An, CXL_AFU_Cntl_An_E | CXL_AFU_Cntl_An_RA);
	ASSERT_EQ(CXL_AFU_Cntl_An_RS_Pending, RS(P2N(0, CXL_AFU_Cntl_An)));
	advance(7 * US);
	ASSERT_EQm("the reset cleared E; the enable never completed",
		   CXL_AFU_Cntl_An_RS_Complete, P2N(0, CXL_AFU_Cntl_An));
	ASSERT_EQ(0, card->slice[0].nr_enables);
	PASS();
}

TEST zero_latency_completes_within_the_write(void)
{
	struct psl_params p;
	struct psl_card *c;

	test_params(&p);
	memset(&p.timing, 0, sizeof(p.timing));
	c = make_card(&p);
	ASSERT(c);
	wr(c, 0, CXL_AFU_Cntl_An, CXL_AFU_Cntl_An_E);
	ASSERT_EQ(CXL_AFU_Cntl_An_ES_Enabled | CXL_AFU_Cntl_An_E, rd(c, 0, CXL_AFU_Cntl_An));
	wr(c, 0, CXL_AFU_Cntl_An, CXL_AFU_Cntl_An_RA);
	ASSERT_EQ(CXL_AFU_Cntl_An_RS_Complete, rd(c, 0, CXL_AFU_Cntl_An));
	wr(c, 2, CXL_PSL_TLBIA, 0);
	ASSERT_EQ(0, rd(c, 2, CXL_PSL_TLBIA));
	wr(c, 2, CXL_PSL_Control, CXL_PSL_Control_Fr);
	ASSERT_EQ(CXL_PSL_Control_Fr | CXL_PSL_Control_Fs_Complete, rd(c, 2, CXL_PSL_Control));
	ASSERT_EQ(SIM_TIME_NEVER, simq_next_time(&q));
	psl_card_destroy(c);
	PASS();
}

/* ---- Purge ---- */

TEST purge_handshake(void)
{
	u64 v;

	P1NW(0, CXL_PSL_SCNTL_An, CXL_PSL_SCNTL_An_PM_AFU);
	P2NW(0, CXL_PSL_DSISR_An, CXL_PSL_DSISR_An_DS | CXL_PSL_DSISR_An_DM |
	     CXL_PSL_DSISR_An_ST | CXL_PSL_DSISR_An_M);
	v = P1N(0, CXL_PSL_SCNTL_An);
	P1NW(0, CXL_PSL_SCNTL_An, v | CXL_PSL_SCNTL_An_Pc);
	v = P1N(0, CXL_PSL_SCNTL_An);
	ASSERT_EQ(CXL_PSL_SCNTL_An_PM_AFU | CXL_PSL_SCNTL_An_Pc | CXL_PSL_SCNTL_An_Ps_Pending, v);
	advance(5 * US - 1);
	ASSERT_EQ(CXL_PSL_SCNTL_An_Ps_Pending, P1N(0, CXL_PSL_SCNTL_An) & CXL_PSL_SCNTL_An_Ps_MASK);
	advance(1);
	v = P1N(0, CXL_PSL_SCNTL_An);
	ASSERT_EQ(CXL_PSL_SCNTL_An_Ps_Complete, v & CXL_PSL_SCNTL_An_Ps_MASK);
	ASSERT_EQm("purge resets DSISR DM and ST",
		   CXL_PSL_DSISR_An_DS | CXL_PSL_DSISR_An_M, P2N(0, CXL_PSL_DSISR_An));
	/* The driver writes the last value back with Pc cleared. */
	P1NW(0, CXL_PSL_SCNTL_An, v & ~CXL_PSL_SCNTL_An_Pc);
	ASSERT_EQ(CXL_PSL_SCNTL_An_PM_AFU, P1N(0, CXL_PSL_SCNTL_An));
	ASSERT_EQ(1, card->slice[0].nr_purges);
	ASSERT_EQ(0, P1N(1, CXL_PSL_SCNTL_An));
	PASS();
}

TEST purge_polled_like_the_driver(void)
{
	u64 t0 = now(), v = P1N(0, CXL_PSL_SCNTL_An);

	P1NW(0, CXL_PSL_SCNTL_An, v | CXL_PSL_SCNTL_An_Pc);
	/* cxl_psl_purge loops while Ps reads exactly "pending". */
	while ((P1N(0, CXL_PSL_SCNTL_An) & CXL_PSL_SCNTL_An_Ps_MASK) ==
	       CXL_PSL_SCNTL_An_Ps_Pending) {
		ASSERT_EQ(0, P2N(0, CXL_PSL_DSISR_An));
		advance(250 * NS);
	}
	ASSERT_EQ(5 * US, now() - t0);
	ASSERT_EQ(CXL_PSL_SCNTL_An_Ps_Complete | CXL_PSL_SCNTL_An_Pc, P1N(0, CXL_PSL_SCNTL_An));
	PASS();
}

/* ---- Invalidations ---- */

TEST adapter_tlbia_slbia_pending_bits(void)
{
	/* cxl_invalidate_all_psl8 */
	P1W(CXL_PSL_AFUSEL, CXL_PSL_AFUSEL_A);
	P1W(CXL_PSL_TLBIA, CXL_TLB_SLB_IQ_ALL);
	ASSERT_EQ(CXL_TLB_SLB_P, P1(CXL_PSL_TLBIA));
	advance(600 * NS - 1);
	ASSERT_EQ(CXL_TLB_SLB_P, P1(CXL_PSL_TLBIA));
	advance(1);
	ASSERT_EQ(0, P1(CXL_PSL_TLBIA));
	ASSERT_EQ(1, card->tlbia.nr_done);
	P1W(CXL_PSL_SLBIA, CXL_TLB_SLB_IQ_ALL);
	ASSERT_EQ(CXL_TLB_SLB_P, P1(CXL_PSL_SLBIA));
	ASSERT_EQ(400 * NS, poll(2, CXL_PSL_SLBIA, CXL_TLB_SLB_P, 0, 100 * NS, 5 * PS_PER_S));
	ASSERT_EQ(1, card->slbia.nr_done);
	ASSERT_EQ(0, card->tlbia.state);
	PASS();
}

TEST slbia_reads_only_pending_and_merges(void)
{
	u64 t0 = now();

	/* slb_invalid: LBISEL = PID || LPID, then SLBIA with IQ = LPID+PID. */
	P1W(CXL_PSL_LBISEL, 0x0000004200000000ULL);
	P1W(CXL_PSL_SLBIA, CXL_TLB_SLB_IQ_LPIDPID);
	ASSERTm("the IQ bits written do not read back", P1(CXL_PSL_SLBIA) == CXL_TLB_SLB_P);
	ASSERT_EQ(CXL_TLB_SLB_IQ_LPIDPID, card->slbia.iq);
	advance(200 * NS);
	P1W(CXL_PSL_LBISEL, 0x0000004300000000ULL);
	P1W(CXL_PSL_SLBIA, CXL_TLB_SLB_IQ_LPIDPID);
	ASSERTm("a differing second request widens the first to all",
		card->slbia.iq == CXL_TLB_SLB_IQ_ALL);
	advance(200 * NS);
	ASSERT_EQm("the merged request completes on the first one's clock", 0, P1(CXL_PSL_SLBIA));
	ASSERT_EQ(400 * NS, now() - t0);
	ASSERT_EQ(1, card->slbia.nr_done);
	PASS();
}

TEST slice_slbia_an(void)
{
	P2NW(1, CXL_SLBIA_An, 0);
	ASSERT_EQ(CXL_TLB_SLB_P, P2N(1, CXL_SLBIA_An));
	ASSERT_EQ(0, P2N(0, CXL_SLBIA_An));
	ASSERT_EQ(0, P1(CXL_PSL_SLBIA));
	ASSERT_EQ(400 * NS, poll(0, p2n_off(1, CXL_SLBIA_An), CXL_TLB_SLB_P, 0, 50 * NS,
				 5 * PS_PER_S));
	ASSERT_EQ(1, card->slice[1].slbia.nr_done);
	ASSERT_EQ(0, card->slice[0].slbia.nr_done);
	PASS();
}

/* ---- PSL_Control: cache flush and timebase ---- */

TEST cache_flush_handshake(void)
{
	u64 reg, t;

	/* cxl_data_cache_flush */
	reg = P1(CXL_PSL_Control);
	reg |= CXL_PSL_Control_Fr;
	P1W(CXL_PSL_Control, reg);
	reg = P1(CXL_PSL_Control);
	ASSERT_EQ(params.fs_busy, reg & CXL_PSL_Control_Fs_MASK);
	t = poll(2, CXL_PSL_Control, CXL_PSL_Control_Fs_MASK, CXL_PSL_Control_Fs_Complete,
		 100 * NS, 5 * PS_PER_S);
	ASSERT_EQ(11 * US, t);
	reg = P1(CXL_PSL_Control);
	reg &= ~CXL_PSL_Control_Fr;
	P1W(CXL_PSL_Control, reg);
	ASSERT_EQm("Fs clears with Fr", 0, P1(CXL_PSL_Control));
	ASSERT_EQ(1, card->stats.flushes);
	PASS();
}

TEST timebase_from_simulated_time(void)
{
	struct psl_params p;
	struct psl_card *c;

	ASSERT_EQ(0, psl_host_timebase(1953));
	ASSERT_EQ(1, psl_host_timebase(1954));
	ASSERT_EQ(512000000ULL, psl_host_timebase(PS_PER_S));
	ASSERT_EQ(512000000ULL * 3600 * 24, psl_host_timebase(PS_PER_S * 3600 * 24));
	ASSERTm("disabled: reads 0", P1(CXL_PSL_Timebase) == 0);
	/* The driver's timebase setup (7.1 step 12). */
	P1W(CXL_PSL_TB_CTLSTAT, TBSYNC_CNT(2));
	P1W(CXL_PSL_Control, 0);
	P1W(CXL_PSL_Control, CXL_PSL_Control_tb);
	ASSERT_EQ(0x0400000000000000ULL, P1(CXL_PSL_TB_CTLSTAT));
	simq_run_until(&q, 1 * PS_PER_MS);
	ASSERT_EQ(512000, P1(CXL_PSL_Timebase));
	P1W(CXL_PSL_Timebase, 5);
	ASSERTm("read-only", P1(CXL_PSL_Timebase) == 512000);

	test_params(&p);
	p.tb_skew = -5;
	c = make_card(&p);
	ASSERT(c);
	wr(c, 2, CXL_PSL_Control, CXL_PSL_Control_tb);
	ASSERT_EQ(512000 - 5, rd(c, 2, CXL_PSL_Timebase));
	psl_card_destroy(c);
	PASS();
}

/* ---- W1C, read-only bits, stored constants ---- */

TEST errstat_write_one_to_clear(void)
{
	u64 v;

	psl_slice_errstat_raise(&card->slice[0], 0xF000000000000001ULL);
	v = P2N(0, CXL_PSL_ErrStat_An);
	ASSERT_EQ(0xF000000000000001ULL, v);
	P2NW(0, CXL_PSL_ErrStat_An, 0x1000000000000000ULL);
	ASSERT_EQ(0xE000000000000001ULL, P2N(0, CXL_PSL_ErrStat_An));
	P2NW(0, CXL_PSL_ErrStat_An, 0x0F0F0F0F0F0F0F0EULL);
	ASSERTm("writing 1 where 0 sets nothing",
		P2N(0, CXL_PSL_ErrStat_An) == 0xE000000000000001ULL);
	/* The driver writes back what it read. */
	P2NW(0, CXL_PSL_ErrStat_An, P2N(0, CXL_PSL_ErrStat_An));
	ASSERT_EQ(0, P2N(0, CXL_PSL_ErrStat_An));
	ASSERT_EQ(0, P2N(1, CXL_PSL_ErrStat_An));
	PASS();
}

TEST serr_status_masks_ivte(void *w1c)
{
	struct psl_params p;
	struct psl_card *c;
	u64 off = p1n_off(0, CXL_PSL_SERR_An), v;

	test_params(&p);
	p.serr_w1c = w1c != NULL;
	c = make_card(&p);
	ASSERT(c);
	/* Registration: (SERR & 0x00FFFFFFFFFF0000) | hwirq. */
	v = rd(c, 2, off);
	wr(c, 2, off, (v & 0x00FFFFFFFFFF0000ULL) | 0x1234);
	ASSERT_EQ(0x1234, rd(c, 2, off));
	/* The nine mask bits store; reserved bits do not. */
	wr(c, 2, off, 0x1234 | CXL_PSL_SERR_An_IRQ_MASKS | 0x0000FFFF00000000ULL >> 16);
	ASSERT_EQ(0x1234 | CXL_PSL_SERR_An_IRQ_MASKS, rd(c, 2, off));
	/* Status bits: a plain store sets them, W1C cannot. */
	wr(c, 2, off, CXL_PSL_SERR_An_afuto | CXL_PSL_SERR_An_AE | 0x1234);
	ASSERT_EQ((p.serr_w1c ? 0 : CXL_PSL_SERR_An_afuto | CXL_PSL_SERR_An_AE) | 0x1234,
		  rd(c, 2, off));
	psl_card_destroy(c);
	PASS();
}

TEST read_only_status_bits_ignore_writes(void)
{
	u64 ro = card->stats.mmio_ro_writes;

	P2NW(0, CXL_AFU_Cntl_An, CXL_AFU_Cntl_An_ES_MASK | CXL_AFU_Cntl_An_RS_MASK);
	ASSERT_EQ(0, P2N(0, CXL_AFU_Cntl_An));
	ASSERT_EQ(PSL_AFU_DISABLED, card->slice[0].afu);
	P1NW(0, CXL_PSL_SCNTL_An, CXL_PSL_SCNTL_An_Ps_MASK | CXL_PSL_SCNTL_An_Ss_MASK);
	ASSERT_EQ(0, P1N(0, CXL_PSL_SCNTL_An));
	P1W(CXL_PSL_Control, CXL_PSL_Control_Fs_MASK | CXL_PSL_Control_tb);
	ASSERT_EQ(CXL_PSL_Control_tb, P1(CXL_PSL_Control));
	P1W(CXL_PSL_FIR1, ~0ULL);
	P1W(CXL_PSL_VERSION, ~0ULL);
	P1NW(1, CXL_PSL_FIR_SLICE_An, ~0ULL);
	P2NW(0, CXL_PSL_DAR_An, ~0ULL);
	P2NW(0, CXL_PSL_PEHandle_An, ~0ULL);
	P2NW(0, CXL_AFU_ERR_An, ~0ULL);
	P2NW(0, CXL_PSL_DSR_An, ~0ULL);
	ASSERT_EQ(0, P1(CXL_PSL_FIR1));
	ASSERT_EQ(0, P1(CXL_PSL_VERSION));
	ASSERT_EQ(0, P1N(1, CXL_PSL_FIR_SLICE_An));
	ASSERT_EQ(0, P2N(0, CXL_PSL_DAR_An));
	ASSERT_EQ(0, P2N(0, CXL_PSL_PEHandle_An));
	ASSERT_EQ(0, P2N(0, CXL_AFU_ERR_An));
	ASSERT_EQ(0, P2N(0, CXL_PSL_DSR_An));
	ASSERT_EQ(ro + 7, card->stats.mmio_ro_writes);
	/* ErrIVTE: tberror is W1C, the IVTE stores, the rest is read-only. */
	P1W(CXL_PSL_ErrIVTE, 0x0000000100000000ULL);
	P1W(CXL_PSL_ErrIVTE, 0xFFFF0000FFFF1234ULL & ~0x0000000100000000ULL);
	ASSERT_EQ(0x1234, P1(CXL_PSL_ErrIVTE));
	PASS();
}

struct stored {
	bool p1n;		/* P1 slice register, else P2 */
	u64 off;
	u64 val;
};

/* What the driver writes at init, activation and attach (reference 7.1 - 7.2, 3.2). */
static const struct stored slice_constants[] = {
	{ true, CXL_PSL_SR_An, 0x8000000000004013ULL },
	{ true, CXL_PSL_LPID_An, 0 },
	{ true, CXL_PSL_AMBAR_An, 0 },
	{ true, CXL_PSL_SPOffset_An, 0 },
	{ true, CXL_PSL_ID_An, CXL_PSL_ID_An_F | CXL_PSL_ID_An_L },
	{ true, CXL_PSL_SDR_An, 0x00000000DEAD0012ULL },
	{ true, CXL_PSL_AMOR_An, ~0ULL },
	{ true, CXL_HAURP_An, 0 },
	{ true, CXL_PSL_SPAP_An, 0x0000000012340001ULL },
	{ true, CXL_PSL_SCNTL_An, CXL_PSL_SCNTL_An_PM_Process },
	{ true, CXL_PSL_CtxTime_An, 0 },
	{ true, CXL_PSL_IVTE_Offset_An, 0x0010002000300040ULL },
	{ true, CXL_PSL_IVTE_Limit_An, 0x0001000400000000ULL },
	{ true, CXL_PSL_APCALLOC_A, 0xFFFFFFFEFEFEFEFEULL },
	{ true, CXL_PSL_COALLOC_A, 0xFF000000FEFEFEFEULL },
	{ true, CXL_PSL_RXCTL_A, 0x7000000000000000ULL },
	{ true, CXL_PSL_SLICE_TRACE, 0x0000FFFF00000000ULL },
	{ false, CXL_PSL_PID_TID_An, 0x0000123400000000ULL },
	{ false, CXL_CSRP_An, 0 },
	{ false, CXL_AURP0_An, 0 },
	{ false, CXL_AURP1_An, 0 },
	{ false, CXL_SSTP0_An, 0x40000FF000000123ULL },
	{ false, CXL_SSTP1_An, 0x4567890000000001ULL },
	{ false, CXL_PSL_AMR_An, 0x3000000000000000ULL },
	{ false, CXL_PSL_DSISR_An, 0x0400000000000000ULL },
	{ false, CXL_PSL_WED_An, 0x00007FFF12345678ULL },
};

static const struct stored adapter_constants[] = {
	{ false, CXL_PSL_AFUSEL, CXL_PSL_AFUSEL_A },
	{ false, CXL_PSL_DSNDCTL, 0x02E8900004000000ULL },
	{ false, CXL_PSL_RESLCKTO, 0x0000020000000200ULL },
	{ false, CXL_PSL_SNWRALLOC, 0x00000000FFFFFFFFULL },
	{ false, CXL_PSL_FIR_CNTL, 0x2200000000000001ULL },
	{ false, CXL_PSL_TRACE, 0x0000FF7C00000000ULL },
	{ false, CXL_PSL_TB_CTLSTAT, 0x0400000000000000ULL },
	{ false, CXL_PSL_LBISEL, 0x0000004200000000ULL },
	{ false, CXL_PSL_CtxTime, 0x1111 },
	{ false, CXL_PSL_KEY1, 0x2222 },
	{ false, CXL_PSL_KEY2, 0x3333 },
	{ false, CXL_PSL_DLCNTL, CXL_PSL_DLCNTL_D },
	{ false, CXL_PSL_DLADDR, 0x4444 },
};

static u64 stored_off(unsigned int slice, const struct stored *s)
{
	return s->p1n ? p1n_off(slice, s->off) : p2n_off(slice, s->off);
}

static void write_constants(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(adapter_constants); i++)
		P1W(adapter_constants[i].off, adapter_constants[i].val);
	for (i = 0; i < ARRAY_SIZE(slice_constants); i++)
		wr(card, slice_constants[i].p1n ? 2 : 0, stored_off(1, &slice_constants[i]),
		   slice_constants[i].val);
}

TEST constants_stored_and_read_back(void)
{
	unsigned int i;

	write_constants();
	for (i = 0; i < ARRAY_SIZE(adapter_constants); i++)
		ASSERT_EQm("adapter register", adapter_constants[i].val,
			   P1(adapter_constants[i].off));
	for (i = 0; i < ARRAY_SIZE(slice_constants); i++) {
		const struct stored *s = &slice_constants[i];
		unsigned int bar = s->p1n ? 2 : 0;

		ASSERT_EQm("slice 1 register", s->val, rd(card, bar, stored_off(1, s)));
		ASSERT_EQm("slice 0 untouched", 0, rd(card, bar, stored_off(0, s)));
	}
	PASS();
}

TEST unmodelled_registers_warn(void)
{
	u64 n = card->stats.mmio_unmodelled, warns;

	quiet_logs();
	warns = log_count(LOG_WARN);
	P1W(CXL_PSL_TLBIE, 1);
	P2NW(0, CXL_SLBIE_An, 1);
	P1W(CXL_PSL_SLBIE, 1);
	P1NW(0, CXL_PSL_SCNTL_An, CXL_PSL_SCNTL_An_Sc);
	ASSERT_EQ(n + 4, card->stats.mmio_unmodelled);
	ASSERT_EQ(warns + 4, log_count(LOG_WARN));
	ASSERT_EQ(0, P1(CXL_PSL_TLBIE));
	ASSERT_EQ(0, P2N(0, CXL_SLBIE_An));
	ASSERTm("Sc stores, Ss stays 00", P1N(0, CXL_PSL_SCNTL_An) == CXL_PSL_SCNTL_An_Sc);
	PASS();
}

/* ---- Illegal accesses ---- */

TEST illegal_accesses_logged_and_counted(void)
{
	struct psl_stats st = card->stats;
	FILE *cap = tmpfile();
	char text[4096] = "";
	u64 v;
	size_t n;

	ASSERT(cap);
	log_set_file(cap);
	P2NW(0, CXL_PSL_WED_An, 0x77);
	ASSERT_EQ(~0ULL, P1(0x30));				/* undefined adapter offset */
	P1W(0x30, 1);
	ASSERT_EQ(~0ULL, P1(0x7F00));				/* MSI-X PBA area */
	ASSERT_EQ(~0ULL, P1N(0, 0x40));			/* hole in a slice block */
	ASSERT_EQ(~0ULL, rd(card, 2, p1n_off(2, 0)));		/* no slice 2 */
	ASSERT_EQ(~0ULL, rd(card, 0, p2n_off(1, 0x200)));	/* hole in a P2 block */
	ASSERT_EQ(~0ULL, rd(card, 2, 0x20000));		/* past BAR2 */
	ASSERT_EQ(~0ULL, rd(card, 2, 0x1FFFC));		/* crosses the end */
	ASSERT_EQ(~0ULL, rd(card, 0, 0x30000));		/* BAR0 gap */
	ASSERT_EQ(st.mmio_bad_offset + 9, card->stats.mmio_bad_offset);

	ASSERT_EQ(0, psl_mmio_read(card, 0, CXL_AFU_Cntl_An, 4, &v));
	ASSERT_EQ(0xFFFFFFFF, v);
	ASSERT_EQ(~0ULL, rd(card, 0, CXL_AFU_Cntl_An + 4));	/* misaligned */
	ASSERT_EQ(0, psl_mmio_write(card, 0, CXL_PSL_WED_An, 1, 0xFF));
	ASSERT_EQ(0, psl_mmio_write(card, 2, CXL_PSL_AFUSEL + 4, 8, 0xFF));
	ASSERT_EQ(st.mmio_bad_width + 4, card->stats.mmio_bad_width);
	ASSERT_EQm("the narrow write was dropped", 0x77, P2N(0, CXL_PSL_WED_An));
	ASSERT_EQ(0, P1(CXL_PSL_AFUSEL));

	/* AFU descriptor and PSA: decoded; with no AFU attached, all-ones. */
	ASSERT_EQ(~0ULL, rd(card, 0, 0x10000));
	ASSERT_EQ(0, psl_mmio_read(card, 0, 0x400 * CXL_VSEC_UNIT + 8, 4, &v));
	ASSERT_EQ(0xFFFFFFFF, v);
	ASSERT_EQ(st.mmio_afu + 2, card->stats.mmio_afu);

	/* Caller bugs are refused, not counted. */
	ASSERT_EQ(-EINVAL, psl_mmio_read(card, 1, 0, 8, &v));
	ASSERT_EQ(-EINVAL, psl_mmio_read(card, 4, 0, 8, &v));
	ASSERT_EQ(-EINVAL, psl_mmio_write(card, 0, 0, 3, 0));
	ASSERT_EQ(st.mmio_reads + 14, card->stats.mmio_reads);

	fflush(cap);
	rewind(cap);
	n = fread(text, 1, sizeof(text) - 1, cap);
	text[n] = '\0';
	fclose(cap);
	log_set_file(NULL);
	ASSERT_STR_HAS(text, "load of 8 bytes at BAR2+0x30: no register at this offset; reads all-ones");
	ASSERT_STR_HAS(text, "store of 8 bytes at BAR2+0x30: no register at this offset; dropped");
	ASSERT_STR_HAS(text, "load of 4 bytes at BAR0+0x90: P1/P2 registers take aligned 64-bit");
	ASSERT_STR_HAS(text, "BAR2+0x20000: past the end of the BAR");
	PASS();
}

TEST memory_space_disabled_reads_all_ones(void)
{
	quiet_logs();
	psl_cfg_write(card, 0x04, 2, 0x0004);
	ASSERT_EQ(~0ULL, P2N(0, CXL_AFU_Cntl_An));
	P2NW(0, CXL_PSL_WED_An, 5);
	ASSERT_EQ(2, card->stats.mmio_undecoded);
	psl_cfg_write(card, 0x04, 2, 0x0006);
	ASSERT_EQ(0, P2N(0, CXL_PSL_WED_An));
	PASS();
}

/* ---- Freeze and PERST ---- */

TEST freeze_reads_all_ones_until_perst(void)
{
	u64 frozen0 = card->stats.mmio_frozen;
	u32 vendor;

	quiet_logs();
	P2NW(0, CXL_AFU_Cntl_An, CXL_AFU_Cntl_An_E);
	advance(3 * US);
	psl_card_freeze(card);
	ASSERT_EQ(~0ULL, P2N(0, CXL_AFU_Cntl_An));
	ASSERT_EQ(~0ULL, P2N(0, CXL_PSL_PEHandle_An));
	ASSERT_EQ(~0ULL, P2N(0, CXL_PSL_DSISR_An));
	ASSERT_EQ(~0ULL, P1(CXL_PSL_Control));
	ASSERT_EQ(~0ULL, P1N(0, CXL_PSL_SCNTL_An));
	P2NW(0, CXL_AFU_Cntl_An, 0);
	P1W(CXL_PSL_TLBIA, 0);
	advance(10 * US);
	ASSERT_EQm("the disable never reached the card", 0, card->slice[0].nr_disables);
	ASSERT_EQ(0, card->tlbia.nr_done);
	ASSERT_EQ(frozen0 + 7, card->stats.mmio_frozen);
	/* Config space still answers. */
	ASSERT_EQ(0, psl_cfg_read(card, 0, 2, &vendor));
	ASSERT_EQ(PCI_VENDOR_ID_IBM, vendor);

	psl_card_perst(card);
	ASSERTm("memory space is off after PERST", P2N(0, CXL_AFU_Cntl_An) == ~0ULL);
	ASSERT_EQ(1, card->stats.mmio_undecoded);
	psl_cfg_write(card, 0x04, 2, 0x0006);
	ASSERT_EQ(0, P2N(0, CXL_AFU_Cntl_An));
	ASSERT_EQ(frozen0 + 7, card->stats.mmio_frozen);
	PASS();
}

TEST perst_resets_registers_and_handshakes(void)
{
	struct psl_slice *s0 = &card->slice[0], *s1 = &card->slice[1];
	unsigned int i;

	quiet_logs();
	write_constants();
	psl_slice_errstat_raise(s0, 1);
	P1W(CXL_PSL_ErrIVTE, 0x55);
	P2NW(0, CXL_AFU_Cntl_An, CXL_AFU_Cntl_An_E);
	P2NW(1, CXL_AFU_Cntl_An, CXL_AFU_Cntl_An_RA);
	P1NW(0, CXL_PSL_SCNTL_An, CXL_PSL_SCNTL_An_Pc);
	P1W(CXL_PSL_Control, CXL_PSL_Control_Fr | CXL_PSL_Control_tb);
	P1W(CXL_PSL_SLBIA, 0);
	P1W(CXL_PSL_TLBIA, 0);
	P2NW(1, CXL_SLBIA_An, 0);
	ASSERT(simq_next_time(&q) != SIM_TIME_NEVER);

	psl_card_perst(card);
	ASSERT_EQm("no handshake left pending", SIM_TIME_NEVER, simq_next_time(&q));
	psl_cfg_write(card, 0x04, 2, 0x0006);
	for (i = 0; i < ARRAY_SIZE(adapter_constants); i++)
		ASSERT_EQ(0, P1(adapter_constants[i].off));
	for (i = 0; i < ARRAY_SIZE(slice_constants); i++)
		ASSERT_EQ(0, rd(card, slice_constants[i].p1n ? 2 : 0,
				stored_off(1, &slice_constants[i])));
	ASSERT_EQ(0, P1(CXL_PSL_ErrIVTE));
	ASSERT_EQ(0, P1(CXL_PSL_Control));
	ASSERT_EQ(0, P1(CXL_PSL_Timebase));
	ASSERT_EQ(0, P1(CXL_PSL_SLBIA));
	ASSERT_EQ(0, P1(CXL_PSL_TLBIA));
	ASSERT_EQ(0, P2N(0, CXL_PSL_ErrStat_An));
	ASSERT_EQ(0, P2N(0, CXL_AFU_Cntl_An));
	ASSERT_EQ(0, P2N(1, CXL_AFU_Cntl_An));
	ASSERT_EQ(0, P1N(0, CXL_PSL_SCNTL_An));
	ASSERT_EQ(0, P2N(1, CXL_SLBIA_An));
	advance(100 * US);
	ASSERT_EQ(0, s0->nr_enables + s1->nr_resets + s0->nr_purges);
	ASSERT_EQ(0, card->stats.flushes + card->slbia.nr_done + card->tlbia.nr_done +
		     s1->slbia.nr_done);
	PASS();
}

TEST cards_on_one_queue_are_independent(void)
{
	struct psl_params p;
	struct psl_card *c2;

	test_params(&p);
	snprintf(p.name, sizeof(p.name), "card1");
	p.timing.afu_enable = 1 * US;
	c2 = make_card(&p);
	ASSERT(c2);
	wr(c2, 0, CXL_AFU_Cntl_An, CXL_AFU_Cntl_An_E);
	P2NW(0, CXL_AFU_Cntl_An, CXL_AFU_Cntl_An_E);
	advance(1 * US);
	ASSERT_EQ(CXL_AFU_Cntl_An_ES_Enabled, ES(rd(c2, 0, CXL_AFU_Cntl_An)));
	ASSERT_EQ(params.es_enable_pending, ES(P2N(0, CXL_AFU_Cntl_An)));
	psl_card_freeze(c2);
	ASSERT_EQ(~0ULL, rd(c2, 0, CXL_AFU_Cntl_An));
	advance(2 * US);
	ASSERT_EQ(CXL_AFU_Cntl_An_ES_Enabled, ES(P2N(0, CXL_AFU_Cntl_An)));
	psl_card_destroy(c2);
	PASS();
}

TEST phb_mode_switch(void)
{
	quiet_logs();
	ASSERT_EQ(-EINVAL, psl_card_phb_mode(card, PSL_PHB_CAPI_SNOOP));
	psl_cfg_write(card, card->vsec + CXL_VSEC_PROTOCOL, 1, 0x21);
	ASSERT_EQ(0, psl_card_phb_mode(card, PSL_PHB_CAPI));
	ASSERT_EQ(0, psl_card_phb_mode(card, PSL_PHB_CAPI_SNOOP));
	ASSERT_EQ(0, psl_card_phb_mode(card, PSL_PHB_CAPI_SNOOP));
	ASSERT_EQ(-EINVAL, psl_card_phb_mode(card, PSL_PHB_PCIE));
	psl_card_perst(card);
	ASSERT_EQ(PSL_PHB_PCIE, card->phb_mode);
	PASS();
}

/* ---- Timing config ---- */

TEST timing_from_config(void)
{
	static const char text[] =
		"[timing]\n"
		"afu_enable = 250 cycles\n"
		"purge = 1.5 us\n"
		"slbia = 0 ps\n";
	struct psl_timing t, d;
	struct cfg_error err;
	struct cfg *cfg;

	psl_timing_defaults(&d);
	ASSERT_EQ(1 * US, d.afu_enable);
	ASSERT_EQ(0, cfg_parse("timing.ini", text, &cfg, &err));
	t = d;
	ASSERT_EQ(0, psl_timing_load(cfg, &t, &err));
	ASSERT_EQ(1000 * NS, t.afu_enable);
	ASSERT_EQ(1500 * NS, t.purge);
	ASSERT_EQ(0, t.slbia);
	ASSERT_EQ(d.afu_reset, t.afu_reset);
	ASSERT_EQ(d.cfg_access, t.cfg_access);
	ASSERT_EQ(0, cfg_check_unused(cfg, &err));
	cfg_free(cfg);

	ASSERT_EQ(0, cfg_parse("bad.ini", "[timing]\ntlbia = 12\n", &cfg, &err));
	ASSERT_EQ(-EINVAL, psl_timing_load(cfg, &t, &err));
	ASSERT_STR_HAS(err.msg, "tlbia");
	cfg_free(cfg);
	PASS();
}

/* ---- The driver's register sequences, end to end ---- */

TEST driver_probe_sequences(void)
{
	u64 v, t, t0 = now();
	unsigned int s;

	/* 7.1 adapter configure, steps 8 - 13 */
	P1W(CXL_PSL_ErrIVTE, 0x0000000100000000ULL);
	P1W(CXL_PSL_AFUSEL, CXL_PSL_AFUSEL_A);
	P1W(CXL_PSL_TLBIA, CXL_TLB_SLB_IQ_ALL);
	ASSERT(poll(2, CXL_PSL_TLBIA, CXL_TLB_SLB_P, 0, 100 * NS, 5 * PS_PER_S) != SIM_TIME_NEVER);
	P1W(CXL_PSL_SLBIA, CXL_TLB_SLB_IQ_ALL);
	ASSERT(poll(2, CXL_PSL_SLBIA, CXL_TLB_SLB_P, 0, 100 * NS, 5 * PS_PER_S) != SIM_TIME_NEVER);
	P1W(CXL_PSL_DSNDCTL, 0x02E8900004000000ULL);
	P1W(CXL_PSL_RESLCKTO, 0x0000020000000200ULL);
	P1W(CXL_PSL_SNWRALLOC, 0x00000000FFFFFFFFULL);
	P1W(CXL_PSL_FIR_CNTL, 0x2200000000000001ULL);
	P1W(CXL_PSL_TRACE, 0x0000FF7C00000000ULL);
	P1W(CXL_PSL_TB_CTLSTAT, TBSYNC_CNT(2));
	P1W(CXL_PSL_Control, 0);
	P1W(CXL_PSL_Control, CXL_PSL_Control_tb);
	P1W(CXL_PSL_ErrIVTE, 0x0301);
	/* |mftb - PSL_Timebase| below 16 us of ticks: "synced". */
	v = P1(CXL_PSL_Timebase);
	ASSERT(psl_host_timebase(now()) - v < 16 * 512);

	for (s = 0; s < 2; s++) {
		/* 7.2 step 2: sanitise finds the AFU disabled, clears state. */
		ASSERT_EQ(0, ES(P2N(s, CXL_AFU_Cntl_An)));
		ASSERT_EQ(0, P2N(s, CXL_PSL_DSISR_An));
		ASSERT_EQ(0, P1N(s, CXL_PSL_SERR_An));
		ASSERT_EQ(0, P2N(s, CXL_PSL_ErrStat_An));
		/* 7.2 step 3: reset handshake, then unmask SERR. */
		v = P2N(s, CXL_AFU_Cntl_An);
		P2NW(s, CXL_AFU_Cntl_An, v | CXL_AFU_Cntl_An_RA);
		ASSERT(poll(0, p2n_off(s, CXL_AFU_Cntl_An),
			    CXL_AFU_Cntl_An_RS_MASK | CXL_AFU_Cntl_An_ES_MASK,
			    CXL_AFU_Cntl_An_RS_Complete, 100 * NS, 5 * PS_PER_S) != SIM_TIME_NEVER);
		v = P1N(s, CXL_PSL_SERR_An);
		P1NW(s, CXL_PSL_SERR_An, v & ~CXL_PSL_SERR_An_IRQ_MASKS);
		/* 7.2 steps 5, 6, 9 (AFU-directed) */
		P1NW(s, CXL_PSL_APCALLOC_A, 0xFFFFFFFEFEFEFEFEULL);
		P1NW(s, CXL_PSL_COALLOC_A, 0xFF000000FEFEFEFEULL);
		P1NW(s, CXL_PSL_SLICE_TRACE, 0x0000FFFF00000000ULL);
		P1NW(s, CXL_PSL_RXCTL_A, 0x7000000000000000ULL);
		v = P1N(s, CXL_PSL_SERR_An);
		P1NW(s, CXL_PSL_SERR_An, (v & 0x00FFFFFFFFFF0000ULL) | (0x310 + s));
		P1NW(s, CXL_PSL_SPAP_An, 0x0000000012340001ULL);
		P1NW(s, CXL_PSL_SCNTL_An, CXL_PSL_SCNTL_An_PM_AFU);
		P1NW(s, CXL_PSL_AMOR_An, ~0ULL);
		P1NW(s, CXL_PSL_ID_An, CXL_PSL_ID_An_F | CXL_PSL_ID_An_L);
		/* First attach: enable handshake. */
		v = P2N(s, CXL_AFU_Cntl_An);
		P2NW(s, CXL_AFU_Cntl_An, v | CXL_AFU_Cntl_An_E);
		ASSERT(poll(0, p2n_off(s, CXL_AFU_Cntl_An), CXL_AFU_Cntl_An_ES_MASK,
			    CXL_AFU_Cntl_An_ES_Enabled, 100 * NS, 5 * PS_PER_S) != SIM_TIME_NEVER);
	}
	/* Teardown: reset, disable, purge, flush. */
	for (s = 0; s < 2; s++) {
		v = P2N(s, CXL_AFU_Cntl_An);
		P2NW(s, CXL_AFU_Cntl_An, v | CXL_AFU_Cntl_An_RA);
		ASSERT(poll(0, p2n_off(s, CXL_AFU_Cntl_An),
			    CXL_AFU_Cntl_An_RS_MASK | CXL_AFU_Cntl_An_ES_MASK,
			    CXL_AFU_Cntl_An_RS_Complete, 100 * NS, 5 * PS_PER_S) != SIM_TIME_NEVER);
		v = P2N(s, CXL_AFU_Cntl_An);
		P2NW(s, CXL_AFU_Cntl_An, v & ~CXL_AFU_Cntl_An_E);
		ASSERT_EQ(0, ES(P2N(s, CXL_AFU_Cntl_An)));
		v = P1N(s, CXL_PSL_SCNTL_An);
		P1NW(s, CXL_PSL_SCNTL_An, v | CXL_PSL_SCNTL_An_Pc);
		t = poll(2, p1n_off(s, CXL_PSL_SCNTL_An), CXL_PSL_SCNTL_An_Ps_MASK,
			 CXL_PSL_SCNTL_An_Ps_Complete, 100 * NS, 5 * PS_PER_S);
		ASSERT(t != SIM_TIME_NEVER);
		v = P1N(s, CXL_PSL_SCNTL_An);
		P1NW(s, CXL_PSL_SCNTL_An, v & ~CXL_PSL_SCNTL_An_Pc);
	}
	v = P1(CXL_PSL_Control);
	P1W(CXL_PSL_Control, v | CXL_PSL_Control_Fr);
	ASSERT(poll(2, CXL_PSL_Control, CXL_PSL_Control_Fs_MASK, CXL_PSL_Control_Fs_Complete,
		    100 * NS, 5 * PS_PER_S) != SIM_TIME_NEVER);
	P1W(CXL_PSL_Control, P1(CXL_PSL_Control) & ~CXL_PSL_Control_Fr);
	ASSERT(now() - t0 < 100 * US);
	ASSERT_EQ(0x0310, P1N(0, CXL_PSL_SERR_An));
	ASSERT_EQ(0x0311, P1N(1, CXL_PSL_SERR_An));
	ASSERT_EQ(2, card->slice[1].nr_resets);
	ASSERT_EQ(0, card->stats.mmio_bad_offset + card->stats.mmio_bad_width +
		     card->stats.mmio_unmodelled);
	PASS();
}

/* ---- Robustness ---- */

static const u16 p1_defined[] = {
	CXL_PSL_CtxTime, CXL_PSL_ErrIVTE, CXL_PSL_KEY1, CXL_PSL_KEY2, CXL_PSL_Control,
	CXL_PSL_DLCNTL, CXL_PSL_DLADDR, CXL_PSL_LBISEL, CXL_PSL_SLBIE, CXL_PSL_SLBIA,
	CXL_PSL_TLBIE, CXL_PSL_TLBIA, CXL_PSL_AFUSEL, CXL_PSL_FIR1, CXL_PSL_FIR2,
	CXL_PSL_Timebase, CXL_PSL_VERSION, CXL_PSL_RESLCKTO, CXL_PSL_TB_CTLSTAT,
	CXL_PSL_FIR_CNTL, CXL_PSL_DSNDCTL, CXL_PSL_SNWRALLOC, CXL_PSL_TRACE,
};

static const u16 p1n_defined[] = {
	CXL_PSL_SR_An, CXL_PSL_LPID_An, CXL_PSL_AMBAR_An, CXL_PSL_SPOffset_An, CXL_PSL_ID_An,
	CXL_PSL_SERR_An, CXL_PSL_SDR_An, CXL_PSL_AMOR_An, CXL_HAURP_An, CXL_PSL_SPAP_An,
	CXL_PSL_LLCMD_An, CXL_PSL_SCNTL_An, CXL_PSL_CtxTime_An, CXL_PSL_IVTE_Offset_An,
	CXL_PSL_IVTE_Limit_An, CXL_PSL_FIR_SLICE_An, CXL_AFU_DEBUG_An, CXL_PSL_APCALLOC_A,
	CXL_PSL_COALLOC_A, CXL_PSL_RXCTL_A, CXL_PSL_SLICE_TRACE,
};

static const u16 p2n_defined[] = {
	CXL_PSL_PID_TID_An, CXL_CSRP_An, CXL_AURP0_An, CXL_AURP1_An, CXL_SSTP0_An,
	CXL_SSTP1_An, CXL_PSL_AMR_An, CXL_SLBIE_An, CXL_SLBIA_An, CXL_SLBI_Select_An,
	CXL_PSL_DSISR_An, CXL_PSL_DAR_An, CXL_PSL_DSR_An, CXL_PSL_TFC_An,
	CXL_PSL_PEHandle_An, CXL_PSL_ErrStat_An, CXL_AFU_Cntl_An, CXL_AFU_ERR_An,
	CXL_PSL_WED_An,
};

static bool listed(const u16 *list, unsigned int n, u64 off)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (list[i] == off)
			return true;
	return false;
}

enum outcome { OK, FROZEN, UNDECODED, BAD_OFFSET, BAD_WIDTH, AFU, NR_OUTCOMES };

/* The decode of reference 1.3 and 2.1, written independently of card.c. */
static enum outcome expected(const struct psl_card *c, unsigned int bar, u64 off,
			     unsigned int width)
{
	const struct psl_params *p = &c->p;
	u64 size = bar ? p->bar2_size : p->bar0_size, desc, ps;

	if (c->frozen)
		return FROZEN;
	if (!psl_cfg_mem_enabled(c))
		return UNDECODED;
	if (off >= size || off + width > size)
		return BAD_OFFSET;
	if (bar == 0 && off >= p->nr_slices * 0x1000ULL) {
		desc = p->afu_desc_off * 0x10000ULL;
		ps = p->ps_off * 0x10000ULL;
		if ((off >= desc && off < desc + p->nr_slices * p->afu_desc_size * 0x10000ULL) ||
		    (off >= ps && off < ps + p->nr_slices * p->ps_size * 0x10000ULL))
			return AFU;
		return BAD_OFFSET;
	}
	if (width != 8 || off % 8)
		return BAD_WIDTH;
	if (bar == 0)
		return listed(p2n_defined, ARRAY_SIZE(p2n_defined), off % 0x1000) ? OK : BAD_OFFSET;
	if (off < 0x10000)
		return listed(p1_defined, ARRAY_SIZE(p1_defined), off) ? OK : BAD_OFFSET;
	if ((off - 0x10000) / 0x100 >= p->nr_slices)
		return BAD_OFFSET;
	return listed(p1n_defined, ARRAY_SIZE(p1n_defined), off % 0x100) ? OK : BAD_OFFSET;
}

/*
 * An access: mostly aligned 64-bit ones at register offsets of the right
 * BAR, else any width anywhere.  Sets *bar and *width.
 */
static u64 random_access(struct rng *r, unsigned int *bar, unsigned int *width)
{
	unsigned int kind = rng_below(r, 10);

	*width = kind < 6 && rng_chance(r, 0.9) ? 8 : 1U << rng_below(r, 4);
	*bar = rng_chance(r, 0.5) ? 2 : 0;
	switch (kind) {
	case 0:
	case 1:
		*bar = 2;
		return rng_below(r, 0x180) & ~7ULL;
	case 2:
	case 3:
		*bar = 2;
		return 0x10000 + rng_below(r, 3) * 0x100 + (rng_below(r, 0x100) & ~7ULL);
	case 4:
	case 5:
		*bar = 0;
		return rng_below(r, 3) * 0x1000 + (rng_below(r, 0xC0) & ~7ULL);
	case 6:
	case 7:
		return rng_below(r, *bar ? 0x20000 : 0x8000000);
	case 8:
		return (*bar ? 0x20000 : 0x8000000) - rng_below(r, 16);
	default:
		return rng_next(r);
	}
}

static u64 random_value(struct rng *r)
{
	static const u64 interesting[] = {
		0, ~0ULL, CXL_AFU_Cntl_An_E, CXL_AFU_Cntl_An_RA, CXL_PSL_SCNTL_An_Pc,
		CXL_PSL_Control_Fr, CXL_PSL_Control_tb, CXL_TLB_SLB_IQ_LPIDPID,
	};

	if (rng_chance(r, 0.3))
		return interesting[rng_below(r, ARRAY_SIZE(interesting))];
	return rng_next(r);
}

/*
 * The SPA side of the robustness loop: a 64 KiB SPA full of garbage in
 * host memory, SPAP pointing into it (or anywhere), LLCMDs (random, or
 * set up as the driver sets them up), AFU interrupts, errors and faults
 * raised at random while random TFC/DSISR writes answer them.
 */
#define RND_SPA_BYTES 0x10000ULL

struct rnd_host {
	struct host_mem mem;
	struct irq_ctl ic;
	u8 *spa;
	struct psl_fault faults[8];
	u64 mmio;		/* MMIO accesses made here */
	u64 want[NR_OUTCOMES];	/* their expected outcomes */
};

static void rnd_mmio_write(struct rnd_host *h, unsigned int bar, u64 off, u64 v)
{
	h->mmio++;
	h->want[expected(card, bar, off, 8)]++;
	psl_mmio_write(card, bar, off, 8, v);
}

/* An LLCMD, usually with the status word and software_state where the SPAP says. */
static void rnd_llcmd(struct rnd_host *h, struct rng *r, unsigned int sl)
{
	u64 spap = card->slice[sl].p1n[CXL_PSL_SPAP_An / 8], base = spap & CXL_PSL_SPAP_Addr;
	u64 n = ((((spap & CXL_PSL_SPAP_Size) >> 4) + 1) * 4096 / 8 - 96) / 17;
	u64 cmd = rng_below(r, 8) << 48, pe = rng_below(r, 40), st = (n + 3) * 128;
	u8 *spa = h->spa;

	if (rng_chance(r, 0.7) && base == mem_ra(spa) && st + 8 <= RND_SPA_BYTES) {
		*(u64 *)(spa + st) = htobe64(cmd | pe);
		if (pe * 128 + 128 <= RND_SPA_BYTES)
			*(u32 *)(spa + pe * 128 + 0x7C) =
				htobe32(rng_chance(r, 0.8) ? CXL_PE_SOFTWARE_STATE_V : 0);
	}
	rnd_mmio_write(h, 2, p1n_off(sl, CXL_PSL_LLCMD_An), cmd | pe);
}

static void rnd_spa_action(struct rnd_host *h, struct rng *r)
{
	unsigned int sl = rng_below(r, card->p.nr_slices), k;
	struct psl_slice *s = &card->slice[sl];
	struct psl_fault *f;

	switch (rng_below(r, 8)) {
	case 0:
		rnd_mmio_write(h, 2, p1n_off(sl, CXL_PSL_SPAP_An), rng_chance(r, 0.8) ?
			       mem_ra(h->spa) | rng_below(r, 16) << 4 | CXL_PSL_SPAP_V :
			       rng_next(r));
		break;
	case 1:
		rnd_mmio_write(h, 2, p1n_off(sl, CXL_PSL_SCNTL_An), rng_chance(r, 0.7) ?
			       CXL_PSL_SCNTL_An_PM_AFU : CXL_PSL_SCNTL_An_PM_Process);
		rnd_mmio_write(h, 0, p2n_off(sl, CXL_AFU_Cntl_An), CXL_AFU_Cntl_An_E);
		break;
	case 2:
	case 3:
		rnd_llcmd(h, r, sl);
		break;
	case 4:
		rng_fill(r, h->spa + (rng_below(r, RND_SPA_BYTES / 128) * 128), 128);
		break;
	case 5:
		psl_afu_irq(s, rng_below(r, 40), rng_below(r, 8));
		break;
	case 6:
		k = rng_below(r, 4);
		if (k == 0)
			psl_err_serr(s, IBM_BIT(rng_below(r, 9)));
		else if (k == 1)
			psl_err_afu(s, rng_next(r));
		else if (k == 2)
			psl_err_bad_ra(s, rng_below(r, 40), rng_next(r));
		else
			psl_err_spa_data(s, rng_next(r));
		break;
	default:
		f = &h->faults[rng_below(r, ARRAY_SIZE(h->faults))];
		if (f->queued)
			break;
		*f = (struct psl_fault){ .pe = rng_below(r, 40), .dar = rng_next(r),
					 .dsisr = rng_chance(r, 0.5) ? CXL_PSL_DSISR_An_DS :
					 CXL_PSL_DSISR_An_AE };
		psl_slice_raise_fault(s, f);
		break;
	}
}

static int rnd_host_init(struct rnd_host *h)
{
	memset(h, 0, sizeof(*h));
	mem_init(&h->mem);
	if (irq_ctl_init(&h->ic, &q, 0, IRQ_POOL_END, 100 * NS))
		return -ENOMEM;
	h->spa = aligned_alloc(RND_SPA_BYTES, RND_SPA_BYTES);
	if (!h->spa)
		return -ENOMEM;
	memset(h->spa, 0xA5, RND_SPA_BYTES);
	psl_card_connect(card, &h->mem, &h->ic);
	return mem_add(&h->mem, mem_ra(h->spa), RND_SPA_BYTES, "spa", true);
}

static void rnd_host_exit(struct rnd_host *h)
{
	/* The card goes first: it may hold the host's faults and events. */
	psl_card_destroy(card);
	card = NULL;
	irq_ctl_exit(&h->ic);
	mem_exit(&h->mem);
	free(h->spa);
}

/* Answer whatever faults remain, as the driver would (AE, else A). */
static void rnd_answer_faults(void)
{
	unsigned int sl, n;

	for (sl = 0; sl < card->p.nr_slices; sl++) {
		for (n = 0; n < 100 && !psl_fault_idle(&card->slice[sl]); n++) {
			P2NW(sl, CXL_PSL_TFC_An, CXL_PSL_TFC_An_AE);
			P2NW(sl, CXL_PSL_TFC_An, CXL_PSL_TFC_An_A);
		}
	}
}

TEST random_access_robustness(void)
{
	u64 want[NR_OUTCOMES] = { 0 }, mmio = 0, cfg = 0;
	struct psl_stats *st = &card->stats, base = card->stats;
	static struct rnd_host h;
	struct rng r;
	unsigned int i, s;
	int ret;

	quiet_logs();
	log_set_level(LOG_ERR);
	rng_init(&r, 0x5EED, "test_psl_regs.random");
	ret = rnd_host_init(&h);
	if (ret) {
		rnd_host_exit(&h);
		FAILm("no memory for the SPA");
	}
	for (i = 0; i < 1000000; i++) {
		unsigned int bar, width;
		u64 off = random_access(&r, &bar, &width), v;
		u32 cv;

		switch (rng_below(&r, 10)) {
		case 0:
			ASSERT_EQ(0, psl_cfg_read(card, rng_below(&r, 0x1100),
						  1 << rng_below(&r, 3), &cv));
			cfg++;
			break;
		case 1:
			ASSERT_EQ(0, psl_cfg_write(card, rng_below(&r, 0x1100),
						   1 << rng_below(&r, 3), rng_next(&r)));
			cfg++;
			break;
		case 2:
		case 3:
		case 4:
			want[expected(card, bar, off, width)]++;
			ASSERT_EQ(0, psl_mmio_write(card, bar, off, width, random_value(&r)));
			mmio++;
			break;
		default:
			want[expected(card, bar, off, width)]++;
			ASSERT_EQ(0, psl_mmio_read(card, bar, off, width, &v));
			if (expected(card, bar, off, width) != OK)
				ASSERT_EQ(width == 8 ? ~0ULL : (1ULL << 8 * width) - 1, v);
			mmio++;
			break;
		}
		if (rng_chance(&r, 0.01))
			advance(rng_below(&r, 20 * US));
		if (rng_chance(&r, 0.00001))
			psl_card_freeze(card);
		/* PERST now and then; soon after a freeze, as EEH recovery does. */
		if (rng_chance(&r, card->frozen ? 0.0005 : 0.00003))
			psl_card_perst(card);
		/* Re-enable memory space now and then, as after a probe. */
		if (rng_chance(&r, 0.001)) {
			psl_cfg_write(card, 0x04, 2, 0x0006);
			cfg++;
		}
		if (rng_chance(&r, 0.05))
			rnd_spa_action(&h, &r);
	}
	mmio += h.mmio;
	for (i = 0; i < NR_OUTCOMES; i++)
		want[i] += h.want[i];
	ASSERT_EQ(mmio, st->mmio_reads + st->mmio_writes - base.mmio_reads - base.mmio_writes);
	ASSERT_EQ(cfg, st->cfg_reads + st->cfg_writes - base.cfg_reads - base.cfg_writes);
	ASSERT_EQ(want[FROZEN], st->mmio_frozen - base.mmio_frozen);
	ASSERT_EQ(want[UNDECODED], st->mmio_undecoded - base.mmio_undecoded);
	ASSERT_EQ(want[BAD_OFFSET], st->mmio_bad_offset - base.mmio_bad_offset);
	ASSERT_EQ(want[BAD_WIDTH], st->mmio_bad_width - base.mmio_bad_width);
	ASSERT_EQ(want[AFU], st->mmio_afu - base.mmio_afu);
	ASSERTm("the loop reached registers", want[OK] > 100000);
	ASSERTm("and PERST", st->perst > 10);
	ASSERTm("and every handshake",
		card->slice[0].nr_enables && card->slice[1].nr_resets &&
		card->slice[0].nr_purges && st->flushes && card->slbia.nr_done &&
		card->tlbia.nr_done && card->slice[1].slbia.nr_done);
	ASSERTm("and the SPA engine, both ways",
		card->slice[0].spa.stats.done && card->slice[0].spa.stats.failed &&
		card->slice[1].spa.stats.data_errors && card->slice[1].spa.stats.busy);
	ASSERTm("and faults, interrupts, errors",
		card->slice[0].faults.nr_answered && st->irq_sent && h.ic.stats.unassigned &&
		card->slice[1].faults.nr_flushed);
	/* Every handshake and command settles once time runs on and faults are answered. */
	if (card->frozen)
		psl_card_perst(card);
	psl_cfg_write(card, 0x04, 2, 0x0006);
	rnd_answer_faults();
	simq_run_idle(&q);
	for (s = 0; s < card->p.nr_slices; s++) {
		enum psl_afu_state a = card->slice[s].afu;

		ASSERT(a == PSL_AFU_DISABLED || a == PSL_AFU_ENABLED);
		ASSERT(card->slice[s].purge != PSL_PURGE_PENDING &&
		       card->slice[s].purge != PSL_PURGE_DRAINING);
		ASSERT_EQ(PSL_INVAL_IDLE, card->slice[s].slbia.state);
		ASSERT_EQ(PSL_SPA_IDLE, card->slice[s].spa.state);
		ASSERT(psl_fault_idle(&card->slice[s]));
	}
	ASSERT(card->flush != PSL_FLUSH_BUSY);
	ASSERT_EQ(PSL_INVAL_IDLE, card->slbia.state);
	rnd_host_exit(&h);
	PASS();
}

SUITE(psl_regs)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(afu_enable_disable_handshake);
	RUN_TEST(afu_reset_handshake);
	RUN_TEST(afu_reset_polled_like_the_driver);
	RUN_TEST(afu_reset_without_self_clear);
	RUN_TEST(afu_enable_follows_e_level);
	RUN_TEST(afu_reset_overrides_enable);
	RUN_TEST(zero_latency_completes_within_the_write);
	RUN_TEST(purge_handshake);
	RUN_TEST(purge_polled_like_the_driver);
	RUN_TEST(adapter_tlbia_slbia_pending_bits);
	RUN_TEST(slbia_reads_only_pending_and_merges);
	RUN_TEST(slice_slbia_an);
	RUN_TEST(cache_flush_handshake);
	RUN_TEST(timebase_from_simulated_time);
	RUN_TEST(errstat_write_one_to_clear);
	RUN_TESTp(serr_status_masks_ivte, &q, "w1c");
	RUN_TESTp(serr_status_masks_ivte, NULL, "plain store");
	RUN_TEST(read_only_status_bits_ignore_writes);
	RUN_TEST(constants_stored_and_read_back);
	RUN_TEST(unmodelled_registers_warn);
	RUN_TEST(illegal_accesses_logged_and_counted);
	RUN_TEST(memory_space_disabled_reads_all_ones);
	RUN_TEST(freeze_reads_all_ones_until_perst);
	RUN_TEST(perst_resets_registers_and_handshakes);
	RUN_TEST(cards_on_one_queue_are_independent);
	RUN_TEST(phb_mode_switch);
	RUN_TEST(timing_from_config);
	RUN_TEST(driver_probe_sequences);
	RUN_TEST(random_access_robustness);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	log_set_level(LOG_WARN);
	RUN_SUITE(psl_regs);
	if (sink)
		fclose(sink);
	HARNESS_MAIN_END();
}
