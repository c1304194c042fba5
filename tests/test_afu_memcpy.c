// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the memcpy AFU (sim/afu/memcpy.c) driven by the test
 * responder: its descriptor, copies in both programming models, the
 * recovery protocol, errors, interrupts, credits, tags and parity.
 */
#define pr_fmt(fmt) "test-afu-memcpy: " fmt

#include "harness.h"
#include "afu_fixture.h"
#include "core/log.h"
#include "afu/memcpy.h"
#include "afu/port.h"

#define AREA		(2u << 20)
#define SRC_OFF		0x10000u
#define DST_OFF		0x100000u
#define GUARD		256u
#define MAX_CYCLES	2000000u

static struct afu_fx fx;

/* A work element at @off of the area, copying @len bytes src -> dst. */
static struct memcpy_we *we_at(u32 off, u64 src, u64 dst, u64 len, u32 ctl)
{
	struct memcpy_we *we = (void *)(fx.area + off);

	memset(we, 0, sizeof(*we));
	we->src = src;
	we->dst = dst;
	we->len = len;
	we->ctl = ctl | MEMCPY_CTL_VALID;
	we->lisn = 1;
	return we;
}

static int open_memcpy(const char *opts, const struct responder_params *p)
{
	return fx_open(&fx, &afu_memcpy_ops, opts, 1, AREA, p);
}

static u8 *src_at(u32 off)
{
	return fx.area + SRC_OFF + off;
}

static u8 *dst_at(u32 off)
{
	return fx.area + DST_OFF + off;
}

/* Pattern the source, 0xEE over the destination and its guards. */
static void prepare(u32 src_off, u32 dst_off, u32 len, u32 seed)
{
	fx_pattern(src_at(src_off), len, seed);
	memset(dst_at(0), 0xEE, dst_off + len + GUARD);
}

/* The destination holds the source, and nothing around it changed. */
static enum harness_result check_copy(u32 src_off, u32 dst_off, u32 len)
{
	u32 i;

	ASSERT_MEM_EQm("copied bytes", src_at(src_off), dst_at(dst_off), len);
	for (i = 0; i < dst_off; i++)
		ASSERT_EQm("byte before the destination untouched", 0xEE, *dst_at(i));
	for (i = 0; i < GUARD; i++)
		ASSERT_EQm("byte after the destination untouched", 0xEE,
			   *dst_at(dst_off + len + i));
	PASS();
}

/* Run one dedicated job copying @len bytes; its jerror goes to *@jerror. */
static enum harness_result run_dedicated(u32 src_off, u32 dst_off, u32 len, u64 *jerror)
{
	struct memcpy_we *we = we_at(0, fx_ea(src_at(src_off)), fx_ea(dst_at(dst_off)), len, 0);

	ASSERT_EQ(0, responder_start(&fx.r, RESP_MODE_DEDICATED, fx_ea(we)));
	ASSERT_EQm("the job ends", 0, responder_wait_done(&fx.r, MAX_CYCLES, jerror));
	PASS();
}

static enum harness_result copy_dedicated(const char *opts, const struct responder_params *p,
					  u32 src_off, u32 dst_off, u32 len)
{
	struct memcpy_we *we;
	u64 jerror = ~0ULL;

	ASSERT_EQ(0, open_memcpy(opts, p));
	we = (void *)fx.area;
	prepare(src_off, dst_off, len, len + src_off);
	CHECK_CALL(run_dedicated(src_off, dst_off, len, &jerror));
	ASSERT_EQm("jerror", 0, jerror);
	ASSERT_EQm("status word", MEMCPY_ST_DONE, we->status);
	ASSERT_EQm("err_ea", 0, we->err_ea);
	CHECK_CALL(check_copy(src_off, dst_off, len));
	ASSERT_EQm("no protocol error: parity", 0, fx.r.st.err_parity);
	ASSERT_EQm("no protocol error: credit", 0, fx.r.st.err_credit);
	ASSERT_EQm("no protocol error: tag", 0, fx.r.st.err_dup_tag);
	ASSERT_EQm("no protocol error: not running", 0, fx.r.st.err_not_running);
	ASSERT_EQm("no FAILED", 0, fx.r.st.resp[AFU_RESP_FAILED]);
	PASS();
}

static void teardown(void *arg)
{
	fx_close(&fx);
}

/* --- descriptor ------------------------------------------------------- */

TEST descriptor_values(void)
{
	u64 v;

	ASSERT_EQ(0, open_memcpy("procs=12,irqs=3", NULL));
	ASSERT_EQ(0, responder_mmio_read(&fx.r, true, true, AFU_DESC_WORD0, &v));
	ASSERT_EQ(AFU_DESC_W0(3, 12, 0, AFU_PROG_DEDICATED | AFU_PROG_DIRECTED), v);
	ASSERT_EQ(3, AFU_DESC_NUM_INTS(v));
	ASSERT_EQ(12, AFU_DESC_NUM_PROCS(v));
	ASSERT_EQ(0, AFU_DESC_NUM_CRS(v));
	ASSERT_EQ(0x0014, AFU_DESC_PROG_MODEL(v));
	ASSERT_EQ(0, responder_mmio_read(&fx.r, true, true, AFU_DESC_PSA, &v));
	ASSERT_EQ(0x0300000000000001ULL, v);
	ASSERT_EQ(0, responder_mmio_read(&fx.r, true, true, AFU_DESC_PP_PSA_OFFSET, &v));
	ASSERT_EQ(0, v);
	ASSERT_EQ(0, responder_mmio_read(&fx.r, true, true, AFU_DESC_CR_LEN, &v));
	ASSERT_EQ(0, v);
	ASSERT_EQ(0, responder_mmio_read(&fx.r, true, true, AFU_DESC_EB_LEN, &v));
	ASSERT_EQ(0, v);
	ASSERT_EQ(0, responder_mmio_read(&fx.r, true, true, AFU_DESC_EB_OFFSET, &v));
	ASSERT_EQ(0, v);
	/* 32-bit reads: bits 0:31 at the doubleword's address, 32:63 four bytes on. */
	ASSERT_EQ(0, responder_mmio_read(&fx.r, true, false, 0, &v));
	ASSERT_EQ(0x0003000CULL, v);
	ASSERT_EQ(0, responder_mmio_read(&fx.r, true, false, 4, &v));
	ASSERT_EQ(0x00000014ULL, v);
	ASSERT_EQm("the AFU drives valid MMIO parity", 0, fx.r.st.err_mmio_parity);
	PASS();
}

TEST descriptor_unreadable_before_reset(void)
{
	struct afu *afu = afu_memcpy_ops.create("t1", 1, NULL);
	struct host_mem mem;
	struct responder r;
	u64 v = 0;

	ASSERT(afu);
	mem_init(&mem);
	ASSERT_EQ(0, responder_init(&r, afu, &mem, NULL));
	ASSERT_EQ(0, responder_mmio_read(&r, true, true, AFU_DESC_WORD0, &v));
	ASSERT_EQ(~0ULL, v);
	ASSERT_EQ(0, responder_reset(&r));
	ASSERT_EQ(AFU_PROG_DEDICATED | AFU_PROG_DIRECTED, AFU_DESC_PROG_MODEL(r.desc0));
	responder_exit(&r);
	afu->ops->destroy(afu);
	mem_exit(&mem);
	PASS();
}

/* @opts is refused (and what is not gets destroyed again). */
static bool refused(const char *opts)
{
	struct afu *a = afu_memcpy_ops.create("x", 1, opts);

	if (a)
		a->ops->destroy(a);
	return !a;
}

TEST bad_options_refused(void)
{
	FILE *quiet = fopen("/dev/null", "w");
	bool all;

	/* Each refusal logs why; keep the test's output clean. */
	log_set_file(quiet);
	all = refused("tags=0") && refused("win=3") && refused("brlat=2") &&
	      refused("nosuch=1") && refused("tags") && refused("tags=1,,win=abc");
	log_set_file(NULL);
	if (quiet)
		fclose(quiet);
	ASSERTm("every bad option refused", all);
	ASSERT_FALSE(refused("tags=8,,win=0x10,poll=1K"));
	PASS();
}

SUITE(descriptor)
{
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(descriptor_values);
	RUN_TEST(descriptor_unreadable_before_reset);
	RUN_TEST(bad_options_refused);
}

/* --- dedicated copies ------------------------------------------------- */

struct copy_case {
	const char *name;
	u32 src_off, dst_off, len;
};

static const struct copy_case copies[] = {
	{ "one-line", 0, 0, 128 },
	{ "one-byte", 0, 0, 1 },
	{ "one-byte-odd", 5, 77, 1 },
	{ "page", 0, 0, 4096 },
	{ "half-line-in", 64, 0, 64 },
	{ "127-shifted", 1, 0, 127 },
	{ "src-unaligned", 3, 0, 1000 },
	{ "dst-unaligned", 0, 5, 1000 },
	{ "both-unaligned", 127, 3, 129 },
	{ "same-offset", 40, 40, 5000 },
	{ "big-odd", 64, 17, 65536 + 33 },
	{ "zero", 0, 0, 0 },
};

static enum harness_result copy_case(const struct copy_case *c)
{
	return copy_dedicated(NULL, NULL, c->src_off, c->dst_off, c->len);
}

TEST chain_of_three(void)
{
	struct memcpy_we *we[3];
	u64 jerror = 1;
	int i;

	ASSERT_EQ(0, open_memcpy(NULL, NULL));
	prepare(0, 0, 3 * 1000 + 20, 7);
	for (i = 0; i < 3; i++)
		we[i] = we_at(i * 128, fx_ea(src_at(i * 1000)), fx_ea(dst_at(i * 1000 + 7)),
			      1000, 0);
	we[0]->next = fx_ea(we[1]);
	we[1]->next = fx_ea(we[2]);
	memset(dst_at(0), 0xEE, 4000);
	ASSERT_EQ(0, responder_start(&fx.r, RESP_MODE_DEDICATED, fx_ea(we[0])));
	ASSERT_EQ(0, responder_wait_done(&fx.r, MAX_CYCLES, &jerror));
	ASSERT_EQ(0, jerror);
	for (i = 0; i < 3; i++) {
		ASSERT_EQm("every WE's status", MEMCPY_ST_DONE, we[i]->status);
		ASSERT_MEM_EQ(src_at(i * 1000), dst_at(i * 1000 + 7), 1000);
	}
	PASS();
}

TEST irq_after_status(void)
{
	struct memcpy_we *we;

	ASSERT_EQ(0, open_memcpy("irqs=4", NULL));
	prepare(0, 0, 1024, 3);
	we = we_at(0, fx_ea(src_at(0)), fx_ea(dst_at(0)), 1024, MEMCPY_CTL_IRQ);
	we->lisn = 3;
	ASSERT_EQ(0, responder_start(&fx.r, RESP_MODE_DEDICATED, fx_ea(we)));
	ASSERT_EQ(0, responder_wait_done(&fx.r, MAX_CYCLES, NULL));
	ASSERT_EQm("one interrupt", 1, fx.r.nr_irqs);
	ASSERT_EQm("its LISN", 3, fx.r.irq_log[0].lisn);
	ASSERT_EQm("its context", 0, fx.r.irq_log[0].ctx);
	ASSERT_EQ(MEMCPY_ST_DONE, we->status);
	PASS();
}

/* Stop when an interrupt arrives. */
static bool got_irq(struct responder *r, void *arg)
{
	return r->nr_irqs >= *(u64 *)arg;
}

TEST status_written_before_irq(void)
{
	struct memcpy_we *we;
	u64 one = 1;

	ASSERT_EQ(0, open_memcpy(NULL, NULL));
	prepare(0, 0, 300, 4);
	we = we_at(0, fx_ea(src_at(0)), fx_ea(dst_at(0)), 300, MEMCPY_CTL_IRQ);
	ASSERT_EQ(0, responder_start(&fx.r, RESP_MODE_DEDICATED, fx_ea(we)));
	ASSERT_EQ(0, responder_run(&fx.r, MAX_CYCLES, got_irq, &one));
	ASSERTm("the status is in memory when the interrupt is taken",
		we->status == MEMCPY_ST_DONE);
	PASS();
}

TEST bad_wed_ends_job(void)
{
	u64 jerror = 0;

	ASSERT_EQ(0, open_memcpy(NULL, NULL));
	ASSERT_EQ(0, responder_start(&fx.r, RESP_MODE_DEDICATED, fx_ea(fx.area) + 8));
	ASSERT_EQ(0, responder_wait_done(&fx.r, 1000, &jerror));
	ASSERT_EQ(MEMCPY_ST_ERROR, jerror & 0xFF);
	ASSERT_EQ(MEMCPY_ERR_BAD_WE, MEMCPY_ST_REASON(jerror));
	PASS();
}

TEST invalid_we_without_polling(void)
{
	struct memcpy_we *we;
	u64 jerror = 0;

	ASSERT_EQ(0, open_memcpy(NULL, NULL));
	we = we_at(0, fx_ea(src_at(0)), fx_ea(dst_at(0)), 128, 0);
	we->ctl = 0;
	ASSERT_EQ(0, responder_start(&fx.r, RESP_MODE_DEDICATED, fx_ea(we)));
	ASSERT_EQ(0, responder_wait_done(&fx.r, 1000, &jerror));
	ASSERT_EQ(MEMCPY_ERR_NOT_VALID, MEMCPY_ST_REASON(jerror));
	ASSERT_EQm("a WE not ours is not written", 0, we->status);
	PASS();
}

SUITE(dedicated)
{
	unsigned int i;

	SET_TEARDOWN(teardown, NULL);
	for (i = 0; i < ARRAY_SIZE(copies); i++)
		RUN_TESTp(copy_case, &copies[i], copies[i].name);
	RUN_TEST(chain_of_three);
	RUN_TEST(irq_after_status);
	RUN_TEST(status_written_before_irq);
	RUN_TEST(bad_wed_ends_job);
	RUN_TEST(invalid_we_without_polling);
}

/* --- interface variations --------------------------------------------- */

TEST reordered_responses(void)
{
	struct responder_params p;
	u64 seed;

	for (seed = 1; seed <= 3; seed++) {
		responder_params_defaults(&p);
		p.lat_min = 1;
		p.lat_max = 40;
		p.seed = seed;
		CHECK_CALL(copy_dedicated(NULL, &p, 9, 100, 20000));
		fx_close(&fx);
	}
	PASS();
}

TEST brlat_three(void)
{
	CHECK_CALL(copy_dedicated("brlat=3", NULL, 1, 2, 5000));
	ASSERT_EQ(3, fx.r.out.brlat);
	PASS();
}

TEST write_mi(void)
{
	return copy_dedicated("write_mi=1", NULL, 0, 0, 4096);
}

TEST few_credits(void)
{
	struct responder_params p;

	responder_params_defaults(&p);
	p.croom = 2;
	CHECK_CALL(copy_dedicated("tags=16", &p, 0, 0, 8192));
	ASSERTm("never more commands than credits", fx.r.st.max_outstanding <= 2);
	ASSERT_EQ(0, fx.r.st.err_credit);
	PASS();
}

TEST one_tag(void)
{
	CHECK_CALL(copy_dedicated("tags=1", NULL, 3, 0, 4000));
	ASSERT_EQm("one command at a time", 1, fx.r.st.max_outstanding);
	PASS();
}

TEST many_tags(void)
{
	struct responder_params p;

	/* A long latency needs many commands in flight to keep streaming. */
	responder_params_defaults(&p);
	p.lat_min = p.lat_max = 40;
	CHECK_CALL(copy_dedicated("tags=64,win=64", &p, 0, 0, 65536));
	ASSERTm("the credits bound the tags", fx.r.st.max_outstanding <= 64);
	ASSERTm("many commands in flight", fx.r.st.max_outstanding >= 32);
	PASS();
}

TEST parity_off(void)
{
	CHECK_CALL(copy_dedicated("paren=0", NULL, 0, 0, 1024));
	ASSERT_EQ(0, fx.r.out.paren);
	PASS();
}

TEST parity_on(void)
{
	CHECK_CALL(copy_dedicated("paren=1", NULL, 0, 0, 1024));
	ASSERT_EQ(1, fx.r.out.paren);
	PASS();
}

/* An AFU wrapper that flips ah_compar on its @at'th command. */
struct flip_afu {
	struct afu afu;
	struct afu *inner;
	u32 n, at;
};

static void flip_tick(struct afu *a, const struct afu_in *in, struct afu_out *out)
{
	struct flip_afu *f = container_of(a, struct flip_afu, afu);

	f->inner->ops->tick(f->inner, in, out);
	if (out->cvalid && f->n++ == f->at)
		out->compar ^= 1;
}

static bool flip_idle(const struct afu *a)
{
	const struct flip_afu *f = container_of(a, struct flip_afu, afu);

	return f->inner->ops->idle(f->inner);
}

static const struct afu_ops flip_ops = {
	.abi_version = AFU_ABI_VERSION,
	.name = "flip",
	.tick = flip_tick,
	.idle = flip_idle,
};

TEST corrupted_parity_fails(void)
{
	struct flip_afu f = { .afu = { .ops = &flip_ops, .instance = "flip" }, .at = 4 };
	struct memcpy_we *we;
	u64 jerror = 0;

	ASSERT_EQ(0, open_memcpy(NULL, NULL));
	f.inner = fx.afu;
	responder_exit(&fx.r);
	ASSERT_EQ(0, responder_init(&fx.r, &f.afu, &fx.mem, NULL));
	ASSERT_EQ(0, responder_reset(&fx.r));
	prepare(0, 0, 4096, 5);
	we = we_at(0, fx_ea(src_at(0)), fx_ea(dst_at(0)), 4096, 0);
	ASSERT_EQ(0, responder_start(&fx.r, RESP_MODE_DEDICATED, fx_ea(we)));
	ASSERT_EQ(0, responder_wait_done(&fx.r, MAX_CYCLES, &jerror));
	ASSERT_EQm("the responder saw the bad parity", 1, fx.r.st.err_parity);
	ASSERT_EQm("and answered FAILED", 1, fx.r.st.resp[AFU_RESP_FAILED]);
	ASSERT_EQ(MEMCPY_ST_ERROR, jerror & 0xFF);
	ASSERT_EQ(AFU_RESP_FAILED, MEMCPY_ST_RESP(jerror));
	ASSERT_EQ(MEMCPY_ERR_RESPONSE, MEMCPY_ST_REASON(jerror));
	ASSERT_EQm("the status word says the same", jerror, we->status);
	PASS();
}

SUITE(interface)
{
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(reordered_responses);
	RUN_TEST(brlat_three);
	RUN_TEST(write_mi);
	RUN_TEST(few_credits);
	RUN_TEST(one_tag);
	RUN_TEST(many_tags);
	RUN_TEST(parity_off);
	RUN_TEST(parity_on);
	RUN_TEST(corrupted_parity_fails);
}

/* --- errors and recovery ---------------------------------------------- */

TEST aerror_source_outside_memory(void)
{
	struct memcpy_we *we;
	u64 jerror = 0, bad = 0x7f0000000000ULL;

	ASSERT_EQ(0, open_memcpy(NULL, NULL));
	memset(dst_at(0), 0xEE, 1024);
	we = we_at(0, bad, fx_ea(dst_at(0)), 1024, MEMCPY_CTL_IRQ);
	ASSERT_EQ(0, responder_start(&fx.r, RESP_MODE_DEDICATED, fx_ea(we)));
	ASSERT_EQ(0, responder_wait_done(&fx.r, MAX_CYCLES, &jerror));
	ASSERT_EQm("AERROR seen", 1, fx.r.st.resp[AFU_RESP_AERROR] >= 1);
	ASSERT_EQ(MEMCPY_ST_ERROR, jerror & 0xFF);
	ASSERT_EQ(AFU_RESP_AERROR, MEMCPY_ST_RESP(jerror));
	ASSERT_EQ(AFU_CMD_READ_CL_NA, MEMCPY_ST_COM(jerror));
	ASSERT_EQm("status word", jerror, we->status);
	ASSERT_EQm("err_ea: the first source line", bad, we->err_ea);
	ASSERT_EQm("the error interrupt too", 1, fx.r.nr_irqs);
	ASSERT_EQm("the AFU sent restart to leave flush mode", 0, fx.r.ctx_flush[0]);
	ASSERT_EQm("nothing written", 0xEE, *dst_at(0));
	PASS();
}

TEST aerror_destination_read_only(void)
{
	static u8 ro[4096] __attribute__((aligned(128)));
	struct memcpy_we *we;
	u64 jerror = 0;

	ASSERT_EQ(0, open_memcpy(NULL, NULL));
	ASSERT_EQ(0, mem_add(&fx.mem, mem_ra(ro), sizeof(ro), "ro", false));
	prepare(0, 0, 512, 1);
	we = we_at(0, fx_ea(src_at(0)), mem_ra(ro), 512, 0);
	ASSERT_EQ(0, responder_start(&fx.r, RESP_MODE_DEDICATED, fx_ea(we)));
	ASSERT_EQ(0, responder_wait_done(&fx.r, MAX_CYCLES, &jerror));
	ASSERT_EQ(AFU_RESP_AERROR, MEMCPY_ST_RESP(jerror));
	ASSERT_EQ(AFU_CMD_WRITE_NA, MEMCPY_ST_COM(jerror));
	ASSERT_EQ(jerror, we->status);
	PASS();
}

/* Inject @resp on the @skip'th read_cl_na (0: the WE fetch); expect recovery. */
static enum harness_result recovers(u8 resp, u16 com, u32 skip, u32 count)
{
	struct resp_inject inj = {
		.com = com, .skip = skip, .count = count,
		.action = RESP_INJ_RESPONSE, .response = resp,
	};
	u64 jerror = 1;

	ASSERT_EQ(0, open_memcpy(NULL, NULL));
	ASSERT_EQ(0, responder_inject(&fx.r, &inj));
	prepare(5, 9, 10000, 2);
	CHECK_CALL(run_dedicated(5, 9, 10000, &jerror));
	ASSERT_EQm("injected", count, fx.r.st.resp[resp]);
	ASSERT_EQm("recovered", 0, jerror);
	ASSERT_EQ(MEMCPY_ST_DONE, ((struct memcpy_we *)fx.area)->status);
	ASSERTm("a restart after each recovery", fx.r.st.restarts >= 1 &&
		fx.r.st.restarts <= count);
	CHECK_CALL(check_copy(5, 9, 10000));
	PASS();
}

TEST paged_read_restart_reissue(void)
{
	return recovers(AFU_RESP_PAGED, AFU_CMD_READ_CL_NA, 3, 1);
}

TEST paged_write_restart_reissue(void)
{
	return recovers(AFU_RESP_PAGED, AFU_CMD_WRITE_NA, 10, 1);
}

TEST paged_we_fetch(void)
{
	return recovers(AFU_RESP_PAGED, AFU_CMD_READ_CL_NA, 0, 1);
}

/* Naturally aligned power-of-two pieces covering [a, a + len), per line. */
static u32 count_pieces(u64 a, u64 len)
{
	u64 end = a + len;
	u32 n = 0;

	while (a < end) {
		u64 hi = (a | 127) + 1, size = a & 127 ? a & -a : 128;

		if (hi > end)
			hi = end;
		while (a + size > hi)
			size >>= 1;
		a += size;
		n++;
	}
	return n;
}

TEST paged_status_write(void)
{
	/* The status write follows every piece (the area is 4 KB aligned). */
	return recovers(AFU_RESP_PAGED, AFU_CMD_WRITE_NA,
			count_pieces(DST_OFF + 9, 10000), 1);
}

TEST paged_repeatedly(void)
{
	return recovers(AFU_RESP_PAGED, RESP_INJ_ANY, 5, 6);
}

TEST every_tag_flushed(void)
{
	struct resp_inject inj = {
		.com = AFU_CMD_READ_CL_NA, .skip = 20, .count = 1,
		.action = RESP_INJ_RESPONSE, .response = AFU_RESP_PAGED,
	};
	struct responder_params p;
	u64 jerror = 1;

	/* A long latency: all 16 tags are in flight, then flushed, then reissued. */
	responder_params_defaults(&p);
	p.lat_min = p.lat_max = 40;
	ASSERT_EQ(0, open_memcpy("tags=16", &p));
	ASSERT_EQ(0, responder_inject(&fx.r, &inj));
	prepare(0, 0, 32768, 8);
	CHECK_CALL(run_dedicated(0, 0, 32768, &jerror));
	ASSERT_EQ(0, jerror);
	ASSERTm("most of the tags flushed", fx.r.st.resp[AFU_RESP_FLUSHED] >= 14);
	CHECK_CALL(check_copy(0, 0, 32768));
	PASS();
}

TEST flushed_restart_reissue(void)
{
	return recovers(AFU_RESP_FLUSHED, AFU_CMD_READ_CL_NA, 7, 2);
}

/* Inject @resp on the @skip'th @com; expect an error status naming it. */
static enum harness_result stops(u8 resp, u16 com, u32 skip)
{
	struct resp_inject inj = {
		.com = com, .skip = skip, .count = 1,
		.action = RESP_INJ_RESPONSE, .response = resp,
	};
	u64 jerror = 0;

	ASSERT_EQ(0, open_memcpy(NULL, NULL));
	ASSERT_EQ(0, responder_inject(&fx.r, &inj));
	prepare(0, 0, 8192, 2);
	CHECK_CALL(run_dedicated(0, 0, 8192, &jerror));
	ASSERT_EQ(MEMCPY_ST_ERROR, jerror & 0xFF);
	ASSERT_EQ(resp, MEMCPY_ST_RESP(jerror));
	ASSERT_EQ(com, MEMCPY_ST_COM(jerror));
	ASSERT_EQ(jerror, ((struct memcpy_we *)fx.area)->status);
	ASSERTm("err_ea inside the copy",
		((struct memcpy_we *)fx.area)->err_ea >= fx_ea(src_at(0)));
	PASS();
}

TEST derror_write_stops(void)
{
	return stops(AFU_RESP_DERROR, AFU_CMD_WRITE_NA, 5);
}

TEST derror_read_stops(void)
{
	return stops(AFU_RESP_DERROR, AFU_CMD_READ_CL_NA, 9);
}

TEST failed_stops(void)
{
	return stops(AFU_RESP_FAILED, AFU_CMD_READ_CL_NA, 2);
}

TEST aerror_injected_stops(void)
{
	return stops(AFU_RESP_AERROR, AFU_CMD_WRITE_NA, 30);
}

SUITE(recovery)
{
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(aerror_source_outside_memory);
	RUN_TEST(aerror_destination_read_only);
	RUN_TEST(paged_read_restart_reissue);
	RUN_TEST(paged_write_restart_reissue);
	RUN_TEST(paged_we_fetch);
	RUN_TEST(paged_status_write);
	RUN_TEST(paged_repeatedly);
	RUN_TEST(flushed_restart_reissue);
	RUN_TEST(every_tag_flushed);
	RUN_TEST(derror_write_stops);
	RUN_TEST(derror_read_stops);
	RUN_TEST(failed_stops);
	RUN_TEST(aerror_injected_stops);
}

/* --- AFU-directed ----------------------------------------------------- */

#define NCTX 4

static int psa_write(u16 pe, u32 reg, u64 v)
{
	return responder_mmio_write(&fx.r, false, true, pe * MEMCPY_PSA_STRIDE + reg, v);
}

static u64 psa_read(u16 pe, u32 reg)
{
	u64 v = ~0ULL;

	responder_mmio_read(&fx.r, false, true, pe * MEMCPY_PSA_STRIDE + reg, &v);
	return v;
}

static enum harness_result start_directed(const char *opts)
{
	u16 pe;

	ASSERT_EQ(0, open_memcpy(opts, NULL));
	ASSERT_EQ(0, responder_start(&fx.r, RESP_MODE_DIRECTED, 0));
	for (pe = 0; pe < NCTX; pe++)
		ASSERT_EQ(0, responder_llcmd(&fx.r, AFU_LLCMD_ADD, pe));
	PASS();
}

static bool statuses_written(struct responder *r, void *arg)
{
	struct memcpy_we **we = arg;
	int i;

	for (i = 0; i < NCTX; i++)
		if (we && !we[i]->status)
			return false;
	return true;
}

TEST contexts_at_once(void)
{
	struct memcpy_we *we[NCTX];
	unsigned int seen = 0, i;
	u64 nirqs = NCTX;
	u16 pe;

	CHECK_CALL(start_directed(NULL));
	for (pe = 0; pe < NCTX; pe++) {
		fx_pattern(src_at(pe * 20000), 20000, pe);
		memset(dst_at(pe * 20000), 0xEE, 20000);
		we[pe] = we_at(pe * 128, fx_ea(src_at(pe * 20000 + pe)),
			       fx_ea(dst_at(pe * 20000 + 3 * pe)), 19000, MEMCPY_CTL_IRQ);
		we[pe]->lisn = 1;
		ASSERT_EQ(0, psa_write(pe, MEMCPY_PSA_WED, fx_ea(we[pe])));
	}
	for (pe = 0; pe < NCTX; pe++)
		ASSERT_EQ(0, psa_write(pe, MEMCPY_PSA_DOORBELL, 1));
	ASSERT_EQ(0, responder_run(&fx.r, MAX_CYCLES, statuses_written, we));
	for (pe = 0; pe < NCTX; pe++) {
		ASSERT_EQ(MEMCPY_ST_DONE, we[pe]->status);
		ASSERT_MEM_EQ(src_at(pe * 20000 + pe), dst_at(pe * 20000 + 3 * pe), 19000);
	}
	/* All four interrupts, each from its own context. */
	ASSERT_EQ(0, responder_run(&fx.r, 1000, got_irq, &nirqs));
	ASSERT_EQ(NCTX, fx.r.nr_irqs);
	for (i = 0; i < NCTX; i++)
		seen |= 1u << fx.r.irq_log[i].ctx;
	ASSERT_EQm("one interrupt per context", (1u << NCTX) - 1, seen);
	ASSERT_EQm("then all is quiet", -EDEADLK, responder_run(&fx.r, 1000, NULL, NULL));
	ASSERT_EQ(1, psa_read(2, MEMCPY_PSA_COUNT));
	ASSERT_EQ(MEMCPY_ST_DONE, psa_read(2, MEMCPY_PSA_STATUS));
	ASSERT_EQ(fx_ea(we[3]), psa_read(3, MEMCPY_PSA_WED));
	PASS();
}

TEST context_error_stays_its_own(void)
{
	struct memcpy_we *we[NCTX];
	u16 pe;

	CHECK_CALL(start_directed(NULL));
	for (pe = 0; pe < NCTX; pe++) {
		fx_pattern(src_at(pe * 8192), 8192, pe);
		we[pe] = we_at(pe * 128, pe == 1 ? 0x7f0000000000ULL : fx_ea(src_at(pe * 8192)),
			       fx_ea(dst_at(pe * 8192)), 8192, 0);
		ASSERT_EQ(0, psa_write(pe, MEMCPY_PSA_WED, fx_ea(we[pe])));
		ASSERT_EQ(0, psa_write(pe, MEMCPY_PSA_DOORBELL, 1));
	}
	ASSERT_EQ(0, responder_run(&fx.r, MAX_CYCLES, statuses_written, we));
	for (pe = 0; pe < NCTX; pe++) {
		if (pe == 1) {
			ASSERT_EQ(AFU_RESP_AERROR, MEMCPY_ST_RESP(we[pe]->status));
			ASSERT_EQ(we[pe]->status, psa_read(pe, MEMCPY_PSA_STATUS));
			continue;
		}
		ASSERT_EQ(MEMCPY_ST_DONE, we[pe]->status);
		ASSERT_MEM_EQ(src_at(pe * 8192), dst_at(pe * 8192), 8192);
	}
	/* A new doorbell runs the context again, now with good addresses. */
	we[1]->status = 0;
	we[1]->src = fx_ea(src_at(8192));
	ASSERT_EQ(0, psa_write(1, MEMCPY_PSA_DOORBELL, 1));
	ASSERT_EQ(0, responder_run(&fx.r, MAX_CYCLES, statuses_written, we));
	ASSERT_EQ(MEMCPY_ST_DONE, we[1]->status);
	PASS();
}

static bool quiet(struct responder *r, void *arg)
{
	return responder_quiet(r);
}

TEST polled_we(void)
{
	struct memcpy_we *we[NCTX] = { NULL };
	u64 ticks;

	CHECK_CALL(start_directed("poll=50"));
	fx_pattern(src_at(0), 4096, 9);
	we[0] = we_at(0, fx_ea(src_at(0)), fx_ea(dst_at(0)), 4096, 0);
	we[0]->ctl = 0;
	/* With polling on, the WED write alone starts the context. */
	ASSERT_EQ(0, psa_write(0, MEMCPY_PSA_WED, fx_ea(we[0])));
	ASSERT_EQm("a polling AFU keeps its clock", -ETIMEDOUT,
		   responder_run(&fx.r, 2000, quiet, NULL));
	ASSERT_EQm("not started", 0, we[0]->status);
	we[0]->ctl = MEMCPY_CTL_VALID;
	ticks = fx.r.st.ticks;
	we[1] = we[2] = we[3] = we[0];
	ASSERT_EQ(0, responder_run(&fx.r, MAX_CYCLES, statuses_written, we));
	ASSERT_MEM_EQ(src_at(0), dst_at(0), 4096);
	ASSERTm("it ran", fx.r.st.ticks > ticks);
	PASS();
}

TEST doorbell_idle_clock_stops(void)
{
	struct memcpy_we *we[NCTX] = { NULL };
	u64 ticks;

	CHECK_CALL(start_directed(NULL));
	fx_pattern(src_at(0), 1024, 1);
	we[0] = we_at(0, fx_ea(src_at(0)), fx_ea(dst_at(0)), 1024, 0);
	we[1] = we[2] = we[3] = we[0];
	ASSERT_EQ(0, psa_write(0, MEMCPY_PSA_WED, fx_ea(we[0])));
	ASSERTm("waiting for a doorbell, the clock may stop", responder_quiet(&fx.r));
	ASSERT_EQ(-EDEADLK, responder_run(&fx.r, 1000, NULL, NULL));
	ticks = fx.r.st.ticks;
	ASSERT_EQ(0, psa_write(0, MEMCPY_PSA_DOORBELL, 1));
	ASSERT_EQ(0, responder_run(&fx.r, MAX_CYCLES, statuses_written, we));
	ASSERTm("it ran", fx.r.st.ticks > ticks);
	ASSERT_EQ(-EDEADLK, responder_run(&fx.r, 1000, NULL, NULL));
	ticks = fx.r.st.ticks;
	responder_cycle(&fx.r);
	ASSERT_EQm("no tick while stopped", ticks, fx.r.st.ticks);
	PASS();
}

TEST terminate_in_flight(void)
{
	struct memcpy_we *we[NCTX] = { NULL };

	CHECK_CALL(start_directed(NULL));
	we[2] = we_at(2 * 128, fx_ea(src_at(0)), fx_ea(dst_at(0)), 200000, 0);
	ASSERT_EQ(0, psa_write(2, MEMCPY_PSA_WED, fx_ea(we[2])));
	ASSERT_EQ(0, psa_write(2, MEMCPY_PSA_DOORBELL, 1));
	ASSERT_EQ(-ETIMEDOUT, responder_run(&fx.r, 300, NULL, NULL));
	ASSERTm("commands in flight", fx.r.ctx_cmds[2] > 0);
	ASSERT_EQ(0, responder_llcmd(&fx.r, AFU_LLCMD_TERMINATE, 2));
	ASSERT_EQm("acknowledged only once drained", 0, fx.r.st.err_terminate_busy);
	ASSERT_EQ(0, fx.r.ctx_cmds[2]);
	ASSERT_EQ(0, responder_llcmd(&fx.r, AFU_LLCMD_REMOVE, 2));
	ASSERT_EQ(0, we[2]->status);
	ASSERT_EQm("a removed context has no PSA", ~0ULL, psa_read(2, MEMCPY_PSA_STATE));
	/* Added again, it works. */
	ASSERT_EQ(0, responder_llcmd(&fx.r, AFU_LLCMD_ADD, 2));
	fx_pattern(src_at(0), 1000, 4);
	we[2]->len = 1000;
	we[0] = we[1] = we[3] = we[2];
	ASSERT_EQ(0, psa_write(2, MEMCPY_PSA_WED, fx_ea(we[2])));
	ASSERT_EQ(0, psa_write(2, MEMCPY_PSA_DOORBELL, 1));
	ASSERT_EQ(0, responder_run(&fx.r, MAX_CYCLES, statuses_written, we));
	ASSERT_EQ(MEMCPY_ST_DONE, we[2]->status);
	ASSERT_MEM_EQ(src_at(0), dst_at(0), 1000);
	PASS();
}

TEST directed_restart_per_context(void)
{
	struct resp_inject inj = {
		.com = AFU_CMD_WRITE_NA, .skip = 20, .count = 3,
		.action = RESP_INJ_RESPONSE, .response = AFU_RESP_PAGED,
	};
	struct memcpy_we *we[NCTX];
	u16 pe;

	CHECK_CALL(start_directed(NULL));
	ASSERT_EQ(0, responder_inject(&fx.r, &inj));
	for (pe = 0; pe < NCTX; pe++) {
		fx_pattern(src_at(pe * 8192), 8192, pe + 10);
		we[pe] = we_at(pe * 128, fx_ea(src_at(pe * 8192)), fx_ea(dst_at(pe * 8192 + 1)),
			       8000, 0);
		ASSERT_EQ(0, psa_write(pe, MEMCPY_PSA_WED, fx_ea(we[pe])));
		ASSERT_EQ(0, psa_write(pe, MEMCPY_PSA_DOORBELL, 1));
	}
	ASSERT_EQ(0, responder_run(&fx.r, MAX_CYCLES, statuses_written, we));
	ASSERT_EQ(3, fx.r.st.resp[AFU_RESP_PAGED]);
	for (pe = 0; pe < NCTX; pe++) {
		ASSERT_EQ(MEMCPY_ST_DONE, we[pe]->status);
		ASSERT_MEM_EQ(src_at(pe * 8192), dst_at(pe * 8192 + 1), 8000);
	}
	PASS();
}

SUITE(directed)
{
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(contexts_at_once);
	RUN_TEST(context_error_stays_its_own);
	RUN_TEST(polled_we);
	RUN_TEST(doorbell_idle_clock_stops);
	RUN_TEST(terminate_in_flight);
	RUN_TEST(directed_restart_per_context);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	RUN_SUITE(descriptor);
	RUN_SUITE(dedicated);
	RUN_SUITE(interface);
	RUN_SUITE(recovery);
	RUN_SUITE(directed);
	HARNESS_MAIN_END();
}
