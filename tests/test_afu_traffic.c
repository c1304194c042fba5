// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the traffic AFU (sim/afu/traffic.c) driven by the test
 * responder: clean runs for several seeds, determinism, and that it
 * catches what a PSL does wrong (a corrupted byte, error responses).
 */
#include "harness.h"
#include "afu_fixture.h"
#include "afu/port.h"
#include "afu/traffic.h"

#define AREA		(256u << 10)
#define REGION_OFF	0x1000u
#define REGION		(64u << 10)
#define NCMDS		4000u
#define MAX_CYCLES	5000000u

static struct afu_fx fx;

static void teardown(void *arg)
{
	fx_close(&fx);
}

static struct traffic_params *params(void)
{
	return (void *)fx.area;
}

/* Open a traffic AFU with @opts and seed @seed, its parameter block filled. */
static int open_traffic(const char *opts, u64 seed, const struct responder_params *p,
			u64 ncmds, u32 flags)
{
	struct traffic_params *tp;
	int ret;

	ret = fx_open(&fx, &afu_traffic_ops, opts, seed, AREA, p);
	if (ret)
		return ret;
	tp = params();
	memset(tp, 0, sizeof(*tp));
	tp->base = fx_ea(fx.area + REGION_OFF);
	tp->size = REGION;
	tp->ncmds = ncmds;
	tp->flags = flags;
	tp->lisn = 2;
	return 0;
}

static enum harness_result run(u64 *jerror)
{
	ASSERT_EQ(0, responder_start(&fx.r, RESP_MODE_DEDICATED, fx_ea(params())));
	ASSERT_EQm("the job ends", 0, responder_wait_done(&fx.r, MAX_CYCLES, jerror));
	PASS();
}

static enum harness_result clean_run(u64 seed, const char *opts, const struct responder_params *p)
{
	u64 jerror = ~0ULL;

	ASSERT_EQ(0, open_traffic(opts, seed, p, NCMDS, TRAFFIC_F_IRQ));
	CHECK_CALL(run(&jerror));
	ASSERT_EQm("status", TRAFFIC_ST_PASS, params()->status);
	ASSERT_EQm("jerror", 0, jerror);
	ASSERT_EQm("mismatches", 0, params()->mismatches);
	ASSERTm("every command completed", params()->done >= NCMDS);
	ASSERT_EQm("no AFU protocol error: parity", 0, fx.r.st.err_parity);
	ASSERT_EQm("no AFU protocol error: credit", 0, fx.r.st.err_credit);
	ASSERT_EQm("no AFU protocol error: tag", 0, fx.r.st.err_dup_tag);
	ASSERT_EQm("no AFU protocol error: running", 0, fx.r.st.err_not_running);
	ASSERT_EQm("the end interrupt", 2, fx.r.irq_log[(fx.r.nr_irqs - 1) % RESP_IRQ_LOG].lisn);
	PASS();
}

struct seed_case {
	const char *name;
	u64 seed;
	u32 lat_max;
	const char *opts;
};

static const struct seed_case seeds[] = {
	{ "seed-1", 1, 1, NULL },
	{ "seed-42-reordered", 42, 30, NULL },
	{ "seed-9999-brlat3-noparity", 9999, 8, "brlat=3,paren=0,tags=8" },
};

static enum harness_result seeded_clean_run(const struct seed_case *c)
{
	struct responder_params p;

	responder_params_defaults(&p);
	p.lat_max = c->lat_max;
	p.seed = c->seed;
	CHECK_CALL(clean_run(c->seed, c->opts, &p));
	/* The mix really is a mix. */
	ASSERTm("NRES answers (write_c without reservation)", fx.r.st.resp[AFU_RESP_NRES] > 0);
	ASSERTm("FAILED answers (illegal commands)", fx.r.st.resp[AFU_RESP_FAILED] > 0);
	ASSERTm("interrupts", fx.r.nr_irqs > 10);
	ASSERTm("reads", fx.r.st.bytes_read > REGION);
	ASSERTm("writes", fx.r.st.bytes_written > REGION);
	PASS();
}

TEST no_illegal_commands(void)
{
	CHECK_CALL(clean_run(5, "illegal=0", NULL));
	ASSERT_EQ(0, fx.r.st.resp[AFU_RESP_FAILED]);
	PASS();
}

/* What a run leaves behind, to compare two runs. */
struct outcome {
	u8 region[REGION];
	struct traffic_params tp;
	struct responder_stats st;
	u64 nr_irqs;
};

static enum harness_result outcome_of(u64 seed, struct outcome *o)
{
	struct responder_params p;
	u64 jerror;

	responder_params_defaults(&p);
	p.lat_max = 16;
	p.seed = seed;
	ASSERT_EQ(0, open_traffic(NULL, seed, &p, NCMDS, 0));
	CHECK_CALL(run(&jerror));
	ASSERT_EQ(0, jerror);
	memcpy(o->region, fx.area + REGION_OFF, REGION);
	o->tp = *params();
	o->tp.base = 0;
	o->st = fx.r.st;
	o->nr_irqs = fx.r.nr_irqs;
	fx_close(&fx);
	PASS();
}

TEST deterministic_for_a_seed(void)
{
	static struct outcome a, b, c;

	CHECK_CALL(outcome_of(77, &a));
	CHECK_CALL(outcome_of(77, &b));
	CHECK_CALL(outcome_of(78, &c));
	ASSERT_MEM_EQm("the region, byte for byte", a.region, b.region, REGION);
	ASSERT_MEM_EQm("the results", &a.tp, &b.tp, sizeof(a.tp));
	ASSERT_MEM_EQm("every counter, the cycle count too", &a.st, &b.st, sizeof(a.st));
	ASSERT_EQ(a.nr_irqs, b.nr_irqs);
	ASSERTm("another seed, another run", memcmp(a.region, c.region, REGION));
	PASS();
}

TEST corrupted_byte_caught(void)
{
	struct resp_inject inj = {
		.com = AFU_CMD_READ_CL_S, .skip = 25, .count = 1,
		.action = RESP_INJ_CORRUPT, .xor = 0x10,
	};
	u64 jerror = 0, st;

	ASSERT_EQ(0, open_traffic(NULL, 3, NULL, NCMDS, 0));
	ASSERT_EQ(0, responder_inject(&fx.r, &inj));
	CHECK_CALL(run(&jerror));
	st = params()->status;
	ASSERT_EQ(TRAFFIC_ST_FAIL, st & 0xFF);
	ASSERT_EQm("a data mismatch, nothing else", TRAFFIC_WHY_DATA, TRAFFIC_ST_WHY(st));
	ASSERT_EQm("exactly one", 1, params()->mismatches);
	ASSERT_EQm("jerror carries the status", st, jerror);
	ASSERTm("first_bad inside the region",
		params()->first_bad >= fx_ea(fx.area + REGION_OFF) &&
		params()->first_bad < fx_ea(fx.area + REGION_OFF) + REGION);
	PASS();
}

TEST paged_and_flushed_recovered(void)
{
	struct resp_inject paged = {
		.com = RESP_INJ_ANY, .skip = 300, .count = 5,
		.action = RESP_INJ_RESPONSE, .response = AFU_RESP_PAGED,
	};
	struct resp_inject flushed = {
		.com = AFU_CMD_WRITE_MS, .skip = 40, .count = 3,
		.action = RESP_INJ_RESPONSE, .response = AFU_RESP_FLUSHED,
	};
	u64 jerror = ~0ULL;

	ASSERT_EQ(0, open_traffic(NULL, 11, NULL, NCMDS, 0));
	ASSERT_EQ(0, responder_inject(&fx.r, &paged));
	ASSERT_EQ(0, responder_inject(&fx.r, &flushed));
	CHECK_CALL(run(&jerror));
	ASSERT_EQ(5, fx.r.st.resp[AFU_RESP_PAGED]);
	ASSERTm("restarts", fx.r.st.restarts >= 2);
	ASSERT_EQm("recovered: status", TRAFFIC_ST_PASS, params()->status);
	ASSERT_EQm("recovered: jerror", 0, jerror);
	PASS();
}

TEST derror_stops(void)
{
	struct resp_inject inj = {
		.com = AFU_CMD_WRITE_MI, .skip = 100, .count = 1,
		.action = RESP_INJ_RESPONSE, .response = AFU_RESP_DERROR,
	};
	u64 jerror = 0, st;

	ASSERT_EQ(0, open_traffic(NULL, 12, NULL, NCMDS, 0));
	ASSERT_EQ(0, responder_inject(&fx.r, &inj));
	CHECK_CALL(run(&jerror));
	st = params()->status;
	ASSERT_EQ(TRAFFIC_ST_FAIL, st & 0xFF);
	ASSERT_EQ(TRAFFIC_WHY_STOPPED, TRAFFIC_ST_WHY(st));
	ASSERT_EQ(AFU_RESP_DERROR, TRAFFIC_ST_RESP(st));
	ASSERT_EQ(AFU_CMD_WRITE_MI, TRAFFIC_ST_COM(st));
	ASSERT_EQ(st, jerror);
	ASSERTm("stopped early", params()->done < NCMDS);
	PASS();
}

TEST region_outside_memory_stops(void)
{
	u64 jerror = 0;

	ASSERT_EQ(0, open_traffic(NULL, 13, NULL, 100, 0));
	params()->base = 0x7f0000000000ULL;
	CHECK_CALL(run(&jerror));
	ASSERT_EQ(TRAFFIC_WHY_STOPPED, TRAFFIC_ST_WHY(params()->status));
	ASSERT_EQ(AFU_RESP_AERROR, TRAFFIC_ST_RESP(params()->status));
	ASSERT_EQm("the first init write", AFU_CMD_WRITE_NA, TRAFFIC_ST_COM(params()->status));
	ASSERT_EQ(params()->status, jerror);
	PASS();
}

TEST bad_parameters(void)
{
	u64 jerror = 0;

	ASSERT_EQ(0, open_traffic(NULL, 14, NULL, 100, 0));
	params()->size = 100;
	CHECK_CALL(run(&jerror));
	ASSERT_EQ(TRAFFIC_WHY_PARAMS, TRAFFIC_ST_WHY(params()->status));
	ASSERT_EQ(params()->status, jerror);
	PASS();
}

TEST descriptor_and_progress(void)
{
	u64 v, jerror;

	ASSERT_EQ(0, open_traffic("irqs=6", 15, NULL, 500, 0));
	ASSERT_EQ(0, responder_mmio_read(&fx.r, true, true, AFU_DESC_WORD0, &v));
	ASSERT_EQ(AFU_DESC_W0(6, 1, 0, AFU_PROG_DEDICATED), v);
	ASSERT_EQm("dedicated only", -EOPNOTSUPP,
		   responder_start(&fx.r, RESP_MODE_DIRECTED, 0));
	CHECK_CALL(run(&jerror));
	ASSERT_EQ(0, responder_mmio_read(&fx.r, false, true, TRAFFIC_PSA_DONE, &v));
	ASSERT_EQ(params()->done, v);
	ASSERT_EQ(0, responder_mmio_read(&fx.r, false, true, TRAFFIC_PSA_DATA_MM, &v));
	ASSERT_EQ(0, v);
	PASS();
}

SUITE(traffic)
{
	unsigned int i;

	SET_TEARDOWN(teardown, NULL);
	for (i = 0; i < ARRAY_SIZE(seeds); i++)
		RUN_TESTp(seeded_clean_run, &seeds[i], seeds[i].name);
	RUN_TEST(no_illegal_commands);
	RUN_TEST(deterministic_for_a_seed);
	RUN_TEST(corrupted_byte_caught);
	RUN_TEST(paged_and_flushed_recovered);
	RUN_TEST(derror_stops);
	RUN_TEST(region_outside_memory_stops);
	RUN_TEST(bad_parameters);
	RUN_TEST(descriptor_and_progress);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	RUN_SUITE(traffic);
	HARNESS_MAIN_END();
}
