// SPDX-License-Identifier: GPL-2.0
/*
 * RTL AFUs through the Verilator bridge (rtl_models/bridge), loaded as
 * plug-ins and ticked through the CAPI 1.0 port:
 *  - the minimal test AFU (tests/rtl/minimal_afu) driven by hand: job
 *    control, descriptor and PSA over MMIO, one interrupt, the buffer's
 *    byte order both ways, $display into the log, two instances;
 *  - the RTL memcpy (rtl_models/memcpy) against the test responder, on
 *    the same jobs as the C memcpy: the same memory afterwards, the same
 *    status words, ah_jerror and interrupts, in both programming models,
 *    with reordered responses, PAGED recovery and an address error.
 *
 * The plug-ins come from $RTL_MINIMAL_SO and $RTL_MEMCPY_SO (default
 * $BUILD/afu/minimal-rtl.so and memcpy-rtl.so, which make builds).  tests/test_rtl_bridge.sh runs this again
 * on builds it makes itself: with RTL_MAGIC (hex) the PSA magic
 * register must hold that value (a --vflags define), RTL_NAME is the
 * plug-in's name if not minimal_afu; RTL_TRACE, see trace_option.
 */
#define pr_fmt(fmt) "test-rtl: " fmt

#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "afu/afu.h"
#include "afu/memcpy.h"
#include "afu/responder.h"
#include "core/log.h"
#include "core/rng.h"
#include "host/mem.h"

/* The minimal AFU's registers (tests/rtl/minimal_afu/minimal_pkg.sv). */
#define MIN_PSA_WED		0x00
#define MIN_PSA_MAGIC		0x08
#define MIN_PSA_IRQ		0x10
#define MIN_PSA_DONE		0x18
#define MIN_PSA_SCRATCH		0x20
#define MIN_PSA_BUF		0x100
#define MIN_IRQ_TAG		0x2a
#define MIN_MAGIC_DEFAULT	0x4d494e494d414c21ULL	/* "MINIMAL!" */
#define MIN_DESC_00		0x0001000100000010ULL
#define MIN_DESC_30		0x0100000000000000ULL

/* Handshakes this AFU answers within a few cycles; more is a failure. */
#define MAX_WAIT 64

/* One AFU on a hand-driven port. */
struct bench {
	const struct afu_ops *ops;
	struct afu *afu;
	struct afu_in in;
	struct afu_out out;
};

static char so_path[4096];

static const char *plugin_path(const char *env, const char *file)
{
	const char *p = getenv(env);
	const char *build = getenv("BUILD");

	if (p && p[0])
		return p;
	snprintf(so_path, sizeof(so_path), "%s/afu/%s", build && build[0] ? build : "build",
		 file);
	return so_path;
}

/* The plug-in's ops, through capisim's own loader; NULL after it logged why. */
static const struct afu_ops *load_plugin(const char *path)
{
	const struct afu_ops *ops;

	return afu_load_plugin(path, &ops) ? NULL : ops;
}

static const struct afu_ops *minimal_ops(void)
{
	static const struct afu_ops *ops;

	if (!ops)
		ops = load_plugin(plugin_path("RTL_MINIMAL_SO", "minimal-rtl.so"));
	return ops;
}

static int bench_open(struct bench *b, const char *options)
{
	memset(b, 0, sizeof(*b));
	b->ops = minimal_ops();
	if (!b->ops)
		return -ENOENT;
	b->afu = b->ops->create("min0", 1, options);
	if (!b->afu)
		return -EINVAL;
	b->in.croom = 16;
	return 0;
}

static void bench_close(struct bench *b)
{
	if (b->afu)
		b->ops->destroy(b->afu);
	b->afu = NULL;
}

/* One PSL cycle: the AFU samples b->in; strobes in b->in last one cycle. */
static void tick(struct bench *b)
{
	afu_out_clear_strobes(&b->out);
	b->ops->tick(b->afu, &b->in, &b->out);
	b->in.jval = 0;
	b->in.mmval = 0;
	b->in.brvalid = 0;
	b->in.bwvalid = 0;
	b->in.rvalid = 0;
}

static int job(struct bench *b, u8 jcom, u64 jea)
{
	b->in.jval = 1;
	b->in.jcom = jcom;
	b->in.jcompar = !__builtin_parity(jcom);
	b->in.jea = jea;
	b->in.jeapar = afu_parity64(jea);
	tick(b);
	return 0;
}

/* One MMIO access; returns 0 and the read data, or -ETIMEDOUT. */
static int mmio(struct bench *b, bool cfg, bool read, bool dw, u32 off, u64 data, u64 *rd)
{
	int i;

	b->in.mmval = 1;
	b->in.mmcfg = cfg;
	b->in.mmrnw = read;
	b->in.mmdw = dw;
	b->in.mmad = off / 4;
	b->in.mmadpar = !__builtin_parity(off / 4);
	b->in.mmdata = data;
	b->in.mmdatapar = afu_parity64(data);
	for (i = 0; i < MAX_WAIT; i++) {
		tick(b);
		if (b->out.mmack) {
			if (rd)
				*rd = b->out.mmdata;
			return 0;
		}
	}
	return -ETIMEDOUT;
}

static u64 be64_at(const u8 *p)
{
	u64 v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void bench_teardown(void *arg)
{
	bench_close(arg);
}

static struct bench b0;

static void bench_setup(void *arg)
{
	struct bench *b = arg;

	if (bench_open(b, NULL))
		return;
	job(b, AFU_JCOM_RESET, 0);
}

#define NEED_AFU(b)							\
	do {								\
		if (!(b)->afu)						\
			FAILm("cannot load the minimal AFU plug-in (see above)"); \
	} while (0)

TEST loads_with_abi_and_name(void)
{
	const struct afu_ops *ops = minimal_ops();

	ASSERTm("plug-in loads and exports capisim_afu_ops", ops);
	ASSERT_EQ(AFU_ABI_VERSION, ops->abi_version);
	ASSERT_STR_EQ(getenv("RTL_NAME") ? getenv("RTL_NAME") : "minimal_afu", ops->name);
	ASSERT(ops->create && ops->destroy && ops->tick);
	NEED_AFU(&b0);
	ASSERT_STR_EQ("min0", b0.afu->instance);
	ASSERT(b0.afu->ops == ops);
	PASS();
}

TEST bad_option_refused(void)
{
	const struct afu_ops *ops = minimal_ops();

	ASSERT(ops);
	ASSERT_EQ(NULL, ops->create("x", 1, "frobnicate=1"));
	ASSERT_EQ(NULL, ops->create("x", 1, "trace="));
	PASS();
}

TEST reset_pulses_jdone(void)
{
	NEED_AFU(&b0);
	/* bench_setup's reset answered in its own tick. */
	job(&b0, AFU_JCOM_RESET, 0);
	ASSERT_EQ(1, b0.out.jdone);
	ASSERT_EQ(0, b0.out.jrunning);
	ASSERT_EQ(0ULL, b0.out.jerror);
	tick(&b0);
	ASSERT_EQ(0, b0.out.jdone);
	ASSERT_EQ(1, b0.out.paren);
	ASSERT_EQ(1, b0.out.brlat);
	PASS();
}

TEST descriptor_over_mmio(void)
{
	u64 v = 0;

	NEED_AFU(&b0);
	ASSERT_EQ(0, mmio(&b0, true, true, true, 0x00, 0, &v));
	ASSERT_EQ(MIN_DESC_00, v);
	ASSERT_EQ(afu_parity64(v), b0.out.mmdatapar);
	ASSERT_EQ(0, mmio(&b0, true, true, true, 0x30, 0, &v));
	ASSERT_EQ(MIN_DESC_30, v);
	/* 32-bit reads: the addressed word on both halves. */
	ASSERT_EQ(0, mmio(&b0, true, true, false, 0x04, 0, &v));
	ASSERT_EQ(0x0000001000000010ULL, v);
	ASSERT_EQ(0, mmio(&b0, true, true, false, 0x00, 0, &v));
	ASSERT_EQ(0x0001000100010001ULL, v);
	PASS();
}

TEST start_raises_one_interrupt(void)
{
	u64 wed = 0x1122334455667788ULL, v = 0;
	int i, cmds = 0;

	NEED_AFU(&b0);
	job(&b0, AFU_JCOM_START, wed);
	ASSERT_EQ(1, b0.out.jrunning);
	for (i = 0; i < 8; i++) {
		tick(&b0);
		if (!b0.out.cvalid)
			continue;
		cmds++;
		ASSERT_EQ(AFU_CMD_INTREQ, b0.out.com);
		ASSERT_EQ(MIN_IRQ_TAG, b0.out.ctag);
		ASSERT_EQ(!__builtin_parity(MIN_IRQ_TAG), b0.out.ctagpar);
		ASSERT_EQ(1ULL, b0.out.cea);
		ASSERT_EQ(afu_parity64(1), b0.out.ceapar);
		ASSERT_EQ(!__builtin_parity(AFU_CMD_INTREQ), b0.out.compar);
	}
	ASSERT_EQ(1, cmds);
	ASSERT_EQ(0, mmio(&b0, false, true, true, MIN_PSA_IRQ, 0, &v));
	ASSERT_EQ(0ULL, v);
	b0.in.rvalid = 1;
	b0.in.rtag = MIN_IRQ_TAG;
	b0.in.response = AFU_RESP_DONE;
	b0.in.rcredits = 1;
	tick(&b0);
	ASSERT_EQ(0, mmio(&b0, false, true, true, MIN_PSA_IRQ, 0, &v));
	ASSERT_EQ(0x100 | AFU_RESP_DONE, v);
	ASSERT_EQ(0, mmio(&b0, false, true, true, MIN_PSA_WED, 0, &v));
	ASSERT_EQ(wed, v);
	PASS();
}

TEST psa_scratch_both_widths(void)
{
	u64 v = 0;

	NEED_AFU(&b0);
	ASSERT_EQ(0, mmio(&b0, false, false, true, MIN_PSA_SCRATCH, 0xdeadbeefcafef00dULL, NULL));
	ASSERT_EQ(0, mmio(&b0, false, true, true, MIN_PSA_SCRATCH, 0, &v));
	ASSERT_EQ(0xdeadbeefcafef00dULL, v);
	ASSERT_EQ(0, mmio(&b0, false, true, false, MIN_PSA_SCRATCH + 4, 0, &v));
	ASSERT_EQ(0xcafef00dcafef00dULL, v);
	PASS();
}

TEST magic_register(void)
{
	const char *want = getenv("RTL_MAGIC");
	u64 exp = want ? strtoull(want, NULL, 16) : MIN_MAGIC_DEFAULT, v = 0;

	NEED_AFU(&b0);
	ASSERT_EQ(0, mmio(&b0, false, true, true, MIN_PSA_MAGIC, 0, &v));
	ASSERT_EQ(exp, v);
	PASS();
}

/*
 * Byte k of a half line is ha_bwdata[8k:8k+7]: the AFU's doubleword i,
 * read over MMIO, is bytes 8i..8i+7 big-endian, and a buffer read gives
 * back the same bytes in the same places.
 */
TEST buffer_byte_order(void)
{
	u8 half[2][AFU_HALF_LINE];
	u64 v = 0;
	int h, k, i;

	NEED_AFU(&b0);
	for (k = 0; k < AFU_HALF_LINE; k++) {
		half[0][k] = 3 * k + 1;
		half[1][k] = 0xff - 5 * k;
	}
	for (h = 0; h < 2; h++) {
		b0.in.bwvalid = 1;
		b0.in.bwtag = 7;
		b0.in.bwad = h;
		memcpy(b0.in.bwdata, half[h], AFU_HALF_LINE);
		b0.in.bwpar = afu_parity_half(half[h]);
		tick(&b0);
	}
	for (h = 0; h < 2; h++) {
		for (i = 0; i < 8; i++) {
			ASSERT_EQ(0, mmio(&b0, false, true, true, MIN_PSA_BUF + 64 * h + 8 * i,
					  0, &v));
			ASSERT_EQ(be64_at(&half[h][8 * i]), v);
		}
	}
	for (h = 1; h >= 0; h--) {
		b0.in.brvalid = 1;
		b0.in.brtag = 7;
		b0.in.brad = h;
		tick(&b0);	/* ah_brlat 1: data in this tick's outputs */
		ASSERT_MEM_EQ(half[h], b0.out.brdata, AFU_HALF_LINE);
		ASSERT_EQ(afu_parity_half(half[h]), b0.out.brpar);
	}
	PASS();
}

TEST done_write_ends_job_with_jerror(void)
{
	NEED_AFU(&b0);
	job(&b0, AFU_JCOM_START, 0x1000);
	ASSERT_EQ(1, b0.out.jrunning);
	ASSERT_EQ(0, mmio(&b0, false, false, true, MIN_PSA_DONE, 0x1234, NULL));
	ASSERT_EQ(1, b0.out.jdone);
	ASSERT_EQ(0, b0.out.jrunning);
	ASSERT_EQ(0x1234ULL, b0.out.jerror);
	PASS();
}

/* $display lines arrive in capisim's log, named by the instance. */
TEST display_goes_to_log(void)
{
	FILE *f = tmpfile();
	char buf[512];
	size_t n;

	NEED_AFU(&b0);
	ASSERT(f);
	log_set_file(f);
	job(&b0, AFU_JCOM_START, 0xabcdef0123456789ULL);
	log_set_file(NULL);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	ASSERT_STR_HAS(buf, "afu min0: minimal: started, wed abcdef0123456789");
	PASS();
}

TEST two_instances_are_independent(void)
{
	struct bench b1;
	u64 v0 = 0, v1 = 0;

	NEED_AFU(&b0);
	ASSERT_EQ(0, bench_open(&b1, NULL));
	job(&b1, AFU_JCOM_RESET, 0);
	job(&b0, AFU_JCOM_START, 0x111);
	job(&b1, AFU_JCOM_START, 0x222);
	ASSERT_EQ(0, mmio(&b0, false, true, true, MIN_PSA_WED, 0, &v0));
	ASSERT_EQ(0, mmio(&b1, false, true, true, MIN_PSA_WED, 0, &v1));
	bench_close(&b1);
	ASSERT_EQ(0x111ULL, v0);
	ASSERT_EQ(0x222ULL, v1);
	PASS();
}

/*
 * The default plug-in is built with --trace: "trace=FILE" writes an FST
 * (RTL_TRACE names it and keeps it; else a temporary file).  RTL_TRACE=none:
 * a build without --trace, which must refuse the option.
 */
TEST trace_option(void)
{
	const char *path = getenv("RTL_TRACE");
	char tmp[] = "/tmp/test_rtl_afu.XXXXXX";
	char opt[4200];
	struct bench b;
	struct stat st;
	int i, fd;

	if (path && !strcmp(path, "none")) {
		ASSERT_EQ(-EINVAL, bench_open(&b, "trace=/tmp/never.fst"));
		PASS();
	}
	if (!path) {
		fd = mkstemp(tmp);
		ASSERT(fd >= 0);
		close(fd);
	}
	snprintf(opt, sizeof(opt), "trace=%s", path ? path : tmp);
	unlink(path ? path : tmp);
	ASSERT_EQ(0, bench_open(&b, opt));
	job(&b, AFU_JCOM_RESET, 0);
	job(&b, AFU_JCOM_START, 0x5a5a);
	for (i = 0; i < 20; i++)
		tick(&b);
	bench_close(&b);
	i = stat(path ? path : tmp, &st);
	if (!path)
		unlink(tmp);
	ASSERT_EQ(0, i);
	ASSERT(st.st_size > 0);
	PASS();
}

SUITE(minimal)
{
	SET_SETUP(bench_setup, &b0);
	SET_TEARDOWN(bench_teardown, &b0);
	RUN_TEST(loads_with_abi_and_name);
	RUN_TEST(bad_option_refused);
	RUN_TEST(reset_pulses_jdone);
	RUN_TEST(descriptor_over_mmio);
	RUN_TEST(start_raises_one_interrupt);
	RUN_TEST(psa_scratch_both_widths);
	RUN_TEST(magic_register);
	RUN_TEST(buffer_byte_order);
	RUN_TEST(done_write_ends_job_with_jerror);
	RUN_TEST(display_goes_to_log);
	RUN_TEST(two_instances_are_independent);
	SET_SETUP(NULL, NULL);
	SET_TEARDOWN(NULL, NULL);
	RUN_TEST(trace_option);
}

/* --- the RTL memcpy against the C one ----------------------------------- */

extern const struct afu_ops afu_memcpy_ops;

static const struct afu_ops *memcpy_rtl_ops(void)
{
	static const struct afu_ops *ops;

	if (!ops)
		ops = load_plugin(plugin_path("RTL_MEMCPY_SO", "memcpy-rtl.so"));
	return ops;
}

/* Host memory: work elements, a source area, a destination area with guards. */
#define POOL_SIZE	(96 * 1024)
#define POOL_WE		0
#define POOL_SRC	4096
#define POOL_DST	(48 * 1024)
#define NR_WE		4
#define JOB_CYCLES	2000000

struct mc_job {
	u32 src_off[NR_WE], dst_off[NR_WE], len[NR_WE];
	u32 nr_we;
	bool irq;
	bool bad_src;		/* the last WE's source is outside host memory */
	u32 lat_max;		/* responder latency spread: reordering */
	u32 paged_every;	/* inject PAGED on this read (0: none) */
};

/* What a job leaves behind, compared between the two models. */
struct mc_result {
	int rc;
	u64 jerror;
	u64 status[NR_WE], err_ea[NR_WE];
	u64 nr_irqs;
	u8 dst[POOL_SIZE - POOL_DST];
	u64 cycles;
};

static u8 *pool_alloc(struct host_mem *mem)
{
	u8 *pool = aligned_alloc(4096, POOL_SIZE);

	if (!pool)
		return NULL;
	mem_init(mem);
	mem_add(mem, mem_ra(pool), POOL_SIZE, "pool", true);
	return pool;
}

static void fill_job(u8 *pool, const struct mc_job *j)
{
	struct rng rng;
	u32 i;

	rng_init(&rng, 42, "test-rtl");
	rng_fill(&rng, pool + POOL_SRC, POOL_DST - POOL_SRC);
	memset(pool + POOL_DST, 0xee, POOL_SIZE - POOL_DST);
	for (i = 0; i < j->nr_we; i++) {
		struct memcpy_we *we = (struct memcpy_we *)(pool + POOL_WE) + i;

		memset(we, 0, sizeof(*we));
		we->ctl = htole32(MEMCPY_CTL_VALID | (j->irq ? MEMCPY_CTL_IRQ : 0));
		we->lisn = htole16(1);
		we->src = htole64(mem_ra(pool + POOL_SRC + j->src_off[i]));
		if (j->bad_src && i == j->nr_we - 1)
			we->src = htole64(mem_ra(pool) + 16 * POOL_SIZE);
		we->dst = htole64(mem_ra(pool + POOL_DST + j->dst_off[i]));
		we->len = htole64(j->len[i]);
		we->next = htole64(i + 1 < j->nr_we ? mem_ra(we + 1) : 0);
	}
}

static void run_job(const struct afu_ops *ops, const struct mc_job *j, struct mc_result *res)
{
	struct responder_params p;
	struct responder r;
	struct host_mem mem;
	struct afu *afu;
	u8 *pool = pool_alloc(&mem);
	u32 i;

	memset(res, 0, sizeof(*res));
	res->rc = -ENOMEM;
	if (!pool)
		return;
	fill_job(pool, j);
	responder_params_defaults(&p);
	p.lat_max = j->lat_max ? j->lat_max : 1;
	p.seed = 7;
	afu = ops->create("mc", 1, NULL);
	res->rc = afu ? responder_init(&r, afu, &mem, &p) : -EINVAL;
	if (!res->rc && j->paged_every) {
		struct resp_inject inj = {
			.com = AFU_CMD_READ_CL_NA, .skip = j->paged_every, .count = 1,
			.action = RESP_INJ_RESPONSE, .response = AFU_RESP_PAGED,
		};

		res->rc = responder_inject(&r, &inj);
	}
	if (!res->rc)
		res->rc = responder_reset(&r);
	if (!res->rc)
		res->rc = responder_start(&r, RESP_MODE_DEDICATED, mem_ra(pool + POOL_WE));
	if (!res->rc)
		res->rc = responder_wait_done(&r, JOB_CYCLES, &res->jerror);
	for (i = 0; i < j->nr_we; i++) {
		struct memcpy_we *we = (struct memcpy_we *)(pool + POOL_WE) + i;

		res->status[i] = le64toh(we->status);
		res->err_ea[i] = le64toh(we->err_ea) ? le64toh(we->err_ea) - mem_ra(pool) : 0;
	}
	res->nr_irqs = r.nr_irqs;
	res->cycles = r.st.cycles;
	memcpy(res->dst, pool + POOL_DST, sizeof(res->dst));
	if (afu) {
		responder_exit(&r);
		ops->destroy(afu);
	}
	mem_exit(&mem);
	free(pool);
}

static struct mc_result res_c, res_rtl;

/* Run @j on both models: equal outcomes, and the copies are right. */
static enum harness_result same_as_c(const struct mc_job *j)
{
	const struct afu_ops *rtl = memcpy_rtl_ops();
	u8 *pool = aligned_alloc(4096, POOL_SIZE);
	u32 i, k;

	ASSERTm("RTL memcpy plug-in loads", rtl);
	ASSERT(pool);
	run_job(&afu_memcpy_ops, j, &res_c);
	run_job(rtl, j, &res_rtl);
	ASSERT_EQ(0, res_c.rc);
	ASSERT_EQ(0, res_rtl.rc);
	ASSERT_EQ(res_c.jerror, res_rtl.jerror);
	ASSERT_EQ(res_c.nr_irqs, res_rtl.nr_irqs);
	for (i = 0; i < j->nr_we; i++) {
		ASSERT_EQ(res_c.status[i], res_rtl.status[i]);
		ASSERT_EQ(res_c.err_ea[i], res_rtl.err_ea[i]);
	}
	ASSERT_MEM_EQ(res_c.dst, res_rtl.dst, sizeof(res_c.dst));
	/* And the copy is the right one: source bytes in place, the rest untouched. */
	fill_job(pool, j);
	for (i = 0; i < j->nr_we; i++) {
		if (res_rtl.status[i] != MEMCPY_ST_DONE)
			continue;
		memcpy(pool + POOL_DST + j->dst_off[i], pool + POOL_SRC + j->src_off[i], j->len[i]);
	}
	for (k = 0; k < sizeof(res_rtl.dst); k++)
		if (pool[POOL_DST + k] != res_rtl.dst[k])
			break;
	free(pool);
	ASSERT_EQm("destination byte differs from the expected copy", sizeof(res_rtl.dst), k);
	PASS();
}

TEST mc_aligned_4k(void)
{
	struct mc_job j = { .src_off = { 0 }, .dst_off = { 0 }, .len = { 4096 }, .nr_we = 1 };

	CHECK_CALL(same_as_c(&j));
	ASSERT_EQ(MEMCPY_ST_DONE, res_rtl.status[0]);
	ASSERT_EQ(0, res_rtl.jerror);
	PASS();
}

TEST mc_unaligned_with_irq(void)
{
	struct mc_job j = { .src_off = { 5 }, .dst_off = { 77 }, .len = { 3001 }, .nr_we = 1,
			    .irq = true };

	CHECK_CALL(same_as_c(&j));
	ASSERT_EQ(1, res_rtl.nr_irqs);
	PASS();
}

TEST mc_chain_of_odd_sizes(void)
{
	struct mc_job j = {
		.src_off = { 1, 130, 0, 4000 }, .dst_off = { 127, 3, 64, 9000 },
		.len = { 1, 0, 129, 5555 }, .nr_we = 4, .irq = true,
	};

	CHECK_CALL(same_as_c(&j));
	ASSERT_EQ(4, res_rtl.nr_irqs);
	PASS();
}

TEST mc_reordered_responses(void)
{
	struct mc_job j = { .src_off = { 3 }, .dst_off = { 200 }, .len = { 20000 }, .nr_we = 1,
			    .lat_max = 40 };

	CHECK_CALL(same_as_c(&j));
	PASS();
}

TEST mc_paged_read_recovers(void)
{
	struct mc_job j = { .src_off = { 0 }, .dst_off = { 8 }, .len = { 8192 }, .nr_we = 1,
			    .lat_max = 8, .paged_every = 5 };

	CHECK_CALL(same_as_c(&j));
	ASSERT_EQ(MEMCPY_ST_DONE, res_rtl.status[0]);
	PASS();
}

TEST mc_address_error_reported(void)
{
	struct mc_job j = { .src_off = { 0, 0 }, .dst_off = { 0, 4096 }, .len = { 256, 512 },
			    .nr_we = 2, .bad_src = true, .irq = true };

	CHECK_CALL(same_as_c(&j));
	ASSERT_EQ(MEMCPY_ST_ERROR, res_rtl.status[1] & 0xff);
	ASSERT_EQ(AFU_RESP_AERROR, MEMCPY_ST_RESP(res_rtl.status[1]));
	ASSERT_EQ(AFU_CMD_READ_CL_NA, MEMCPY_ST_COM(res_rtl.status[1]));
	ASSERT_EQ(res_rtl.status[1], res_rtl.jerror);
	PASS();
}

/* AFU-directed: contexts added by LLCMD, run by PSA WED and doorbell. */
static int directed_run(const struct afu_ops *ops, u64 *status, u64 *count, u8 *dst_out)
{
	struct mc_job j = { .src_off = { 11, 0 }, .dst_off = { 0, 1000 }, .len = { 700, 300 },
			    .nr_we = 2 };
	struct host_mem mem;
	struct responder r;
	struct afu *afu;
	u8 *pool = pool_alloc(&mem);
	u16 pe = 3;
	int rc, i;

	if (!pool)
		return -ENOMEM;
	fill_job(pool, &j);
	/* Two independent WEs: context 3 runs the first, context 5 the second. */
	((struct memcpy_we *)pool)->next = 0;
	afu = ops->create("mc", 1, NULL);
	rc = afu ? responder_init(&r, afu, &mem, NULL) : -EINVAL;
	if (!rc)
		rc = responder_reset(&r);
	if (!rc)
		rc = responder_start(&r, RESP_MODE_DIRECTED, 0);
	for (i = 0; i < 2 && !rc; i++, pe = 5) {
		u64 we = mem_ra(pool) + i * sizeof(struct memcpy_we);

		rc = responder_llcmd(&r, AFU_LLCMD_ADD, pe);
		if (!rc)
			rc = responder_mmio_write(&r, false, true, pe * MEMCPY_PSA_STRIDE +
						  MEMCPY_PSA_WED, we);
		if (!rc)
			rc = responder_mmio_write(&r, false, true, pe * MEMCPY_PSA_STRIDE +
						  MEMCPY_PSA_DOORBELL, 1);
	}
	for (i = 0; i < 2000 && !rc; i++) {
		rc = responder_mmio_read(&r, false, true, 5 * MEMCPY_PSA_STRIDE +
					 MEMCPY_PSA_STATUS, &status[1]);
		if (!rc)
			rc = responder_mmio_read(&r, false, true, 3 * MEMCPY_PSA_STRIDE +
						 MEMCPY_PSA_STATUS, &status[0]);
		if (!rc && status[0] && status[1])
			break;
		responder_run(&r, 50, NULL, NULL);
	}
	if (!rc)
		rc = responder_mmio_read(&r, false, true, 3 * MEMCPY_PSA_STRIDE + MEMCPY_PSA_COUNT,
					 count);
	if (!rc)
		rc = responder_llcmd(&r, AFU_LLCMD_TERMINATE, 3);
	/* A freed context reads as all ones. */
	if (!rc)
		rc = responder_mmio_read(&r, false, true, 3 * MEMCPY_PSA_STRIDE +
					 MEMCPY_PSA_STATUS, &count[1]);
	memcpy(dst_out, pool + POOL_DST, 2048);
	if (afu) {
		responder_exit(&r);
		ops->destroy(afu);
	}
	mem_exit(&mem);
	free(pool);
	return rc;
}

TEST mc_directed_two_contexts(void)
{
	const struct afu_ops *rtl = memcpy_rtl_ops();
	u64 st_c[2] = { 0 }, st_r[2] = { 0 }, cnt_c[2] = { 0 }, cnt_r[2] = { 0 };
	static u8 d_c[2048], d_r[2048];

	ASSERTm("RTL memcpy plug-in loads", rtl);
	ASSERT_EQ(0, directed_run(&afu_memcpy_ops, st_c, cnt_c, d_c));
	ASSERT_EQ(0, directed_run(rtl, st_r, cnt_r, d_r));
	ASSERT_EQ(MEMCPY_ST_DONE, st_r[0]);
	ASSERT_EQ(MEMCPY_ST_DONE, st_r[1]);
	ASSERT_EQ(st_c[0], st_r[0]);
	ASSERT_EQ(st_c[1], st_r[1]);
	ASSERT_EQ(1, cnt_r[0]);
	ASSERT_EQ(cnt_c[0], cnt_r[0]);
	ASSERT_EQ(~0ULL, cnt_r[1]);
	ASSERT_EQ(cnt_c[1], cnt_r[1]);
	ASSERT_MEM_EQ(d_c, d_r, sizeof(d_c));
	PASS();
}

SUITE(memcpy_rtl)
{
	RUN_TEST(mc_aligned_4k);
	RUN_TEST(mc_unaligned_with_irq);
	RUN_TEST(mc_chain_of_odd_sizes);
	RUN_TEST(mc_reordered_responses);
	RUN_TEST(mc_paged_read_recovers);
	RUN_TEST(mc_address_error_reported);
	RUN_TEST(mc_directed_two_contexts);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	RUN_SUITE(minimal);
	RUN_SUITE(memcpy_rtl);
	HARNESS_MAIN_END();
}
