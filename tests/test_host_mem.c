// SPDX-License-Identifier: GPL-2.0
/*
 * Host memory by real address: range registration, lookup at the edges,
 * refused accesses, big-endian accessors.
 */
#include <errno.h>

#include "harness.h"
#include "core/rng.h"
#include "host/mem.h"

/* Three areas with unregistered gaps around each. */
static u8 pool[8192];
#define area_a (pool + 512)
#define area_b (pool + 5120)
#define area_ro (pool + 6144)
#define AREA_A_LEN 4096
#define AREA_B_LEN 256
#define AREA_RO_LEN 64

static struct host_mem mem;

static void setup(void *arg)
{
	mem_init(&mem);
	mem_add(&mem, mem_ra(area_a), AREA_A_LEN, "a", true);
	mem_add(&mem, mem_ra(area_b), AREA_B_LEN, "b", true);
	mem_add(&mem, mem_ra(area_ro), AREA_RO_LEN, "ro", false);
}

static void teardown(void *arg)
{
	mem_exit(&mem);
}

TEST find_at_edges(void)
{
	u64 a = mem_ra(area_a);

	ASSERT_EQ(3, mem.nr);
	ASSERT(mem_find(&mem, a, 1));
	ASSERT(mem_find(&mem, a, AREA_A_LEN));
	ASSERT(mem_find(&mem, a + AREA_A_LEN - 8, 8));
	ASSERT_FALSE(mem_find(&mem, a + AREA_A_LEN - 8, 9));
	ASSERT_FALSE(mem_find(&mem, a - 1, 1));
	ASSERT_FALSE(mem_find(&mem, a + 1, UINT64_MAX));
	ASSERT_STR_EQ("a", mem_find(&mem, a + 100, 4)->name);
	ASSERT_STR_EQ("b", mem_find(&mem, mem_ra(area_b) + 255, 1)->name);
	PASS();
}

TEST overlap_and_bad_ranges_refused(void)
{
	u64 a = mem_ra(area_a);

	ASSERT_EQ(-EEXIST, mem_add(&mem, a + 16, 16, "inside", true));
	ASSERT_EQ(-EEXIST, mem_add(&mem, a - 8, 16, "straddles start", true));
	ASSERT_EQ(-EEXIST, mem_add(&mem, a + AREA_A_LEN - 1, 16, "straddles end", true));
	ASSERT_EQ(-EINVAL, mem_add(&mem, a, 0, "empty", true));
	ASSERT_EQ(-EINVAL, mem_add(&mem, UINT64_MAX - 4, 16, "wraps", true));
	ASSERT_EQ(3, mem.nr);
	PASS();
}

TEST read_write_roundtrip(void)
{
	u8 buf[16] = "capisim memory!";
	u8 back[16] = { 0 };
	u64 ra = mem_ra(area_a) + 200;

	ASSERT_EQ(0, mem_write(&mem, ra, buf, sizeof(buf)));
	ASSERT_MEM_EQ(buf, area_a + 200, sizeof(buf));
	ASSERT_EQ(0, mem_read(&mem, ra, back, sizeof(back)));
	ASSERT_MEM_EQ(buf, back, sizeof(buf));
	PASS();
}

TEST bad_accesses_refused_and_counted(void)
{
	u8 buf[16] = { 0 };
	u64 faults = mem.nr_faults;

	memset(area_ro, 0x5a, AREA_RO_LEN);
	ASSERT_EQ(-EFAULT, mem_read(&mem, mem_ra(area_a) + 4090, buf, 16));
	ASSERT_EQ(-EFAULT, mem_write(&mem, 0x10, buf, 1));
	ASSERT_EQ(-EACCES, mem_write(&mem, mem_ra(area_ro), buf, 1));
	ASSERT_EQ(0x5a, area_ro[0]);
	ASSERT_EQ(0, mem_read(&mem, mem_ra(area_ro), buf, 1));
	ASSERT_EQ(0, mem_read(&mem, 0x10, buf, 0));
	ASSERT_EQ(faults + 3, mem.nr_faults);
	PASS();
}

TEST big_endian_accessors(void)
{
	u64 ra = mem_ra(area_b);
	u64 v64;
	u32 v32;
	u16 v16;

	ASSERT_EQ(0, mem_write_be64(&mem, ra, 0x0102030405060708ULL));
	ASSERT_EQ(0x01, area_b[0]);
	ASSERT_EQ(0x08, area_b[7]);
	ASSERT_EQ(0, mem_read_be64(&mem, ra, &v64));
	ASSERT_EQ(0x0102030405060708ULL, v64);
	ASSERT_EQ(0, mem_write_be32(&mem, ra + 8, 0xA1B2C3D4));
	ASSERT_EQ(0xA1, area_b[8]);
	ASSERT_EQ(0, mem_read_be32(&mem, ra + 8, &v32));
	ASSERT_EQ(0xA1B2C3D4, v32);
	ASSERT_EQ(0, mem_write_be16(&mem, ra + 12, 0xBEEF));
	ASSERT_EQ(0xBE, area_b[12]);
	ASSERT_EQ(0, mem_read_be16(&mem, ra + 12, &v16));
	ASSERT_EQ(0xBEEF, v16);
	ASSERT_EQ(-EFAULT, mem_read_be64(&mem, ra + 252, &v64));
	ASSERT_EQ(0xBEEF, v16);
	PASS();
}

TEST remove_range(void)
{
	u8 buf[4];

	ASSERT_EQ(-ENOENT, mem_remove(&mem, mem_ra(area_b) + 1));
	ASSERT_EQ(0, mem_remove(&mem, mem_ra(area_b)));
	ASSERT_EQ(2, mem.nr);
	ASSERT_EQ(-EFAULT, mem_read(&mem, mem_ra(area_b), buf, 1));
	ASSERT_EQ(0, mem_read(&mem, mem_ra(area_a), buf, 1));
	ASSERT_EQ(0, mem_add(&mem, mem_ra(area_b), AREA_B_LEN, "b again", false));
	ASSERT_EQ(-EACCES, mem_write(&mem, mem_ra(area_b), buf, 1));
	PASS();
}

/* Many ranges in random order: lookups agree with a linear scan. */
TEST many_ranges_agree_with_linear_scan(void)
{
	enum { N = 500, SPAN = 64 };
	static u8 arena[N * SPAN];
	struct host_mem m;
	struct rng r;
	unsigned int i, order[N];
	bool registered[N] = { false };

	mem_init(&m);
	rng_init(&r, 42, "test_host_mem");
	for (i = 0; i < N; i++)
		order[i] = i;
	for (i = N - 1; i > 0; i--) {
		unsigned int j = rng_below(&r, i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	/* Every other slot of SPAN bytes, first half of it: gaps between ranges. */
	for (i = 0; i < N; i += 2) {
		ASSERT_EQ(0, mem_add(&m, mem_ra(arena) + order[i] * SPAN, SPAN / 2, "r", true));
		registered[order[i]] = true;
	}
	for (i = 0; i < 100000; i++) {
		u64 off = rng_below(&r, sizeof(arena)), len = 1 + rng_below(&r, 40);
		u64 slot = off / SPAN, in = off % SPAN;

		ASSERT_EQ(registered[slot] && in + len <= SPAN / 2,
			  mem_find(&m, mem_ra(arena) + off, len) != NULL);
	}
	mem_exit(&m);
	PASS();
}

SUITE(host_mem)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(find_at_edges);
	RUN_TEST(overlap_and_bad_ranges_refused);
	RUN_TEST(read_write_roundtrip);
	RUN_TEST(bad_accesses_refused_and_counted);
	RUN_TEST(big_endian_accessors);
	RUN_TEST(remove_range);
	RUN_TEST(many_ranges_agree_with_linear_scan);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	RUN_SUITE(host_mem);
	HARNESS_MAIN_END();
}
