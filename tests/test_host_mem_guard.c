// SPDX-License-Identifier: GPL-2.0
/*
 * Guarded host memory (host/mem.h): a range whose host pages may be
 * unmapped or protected behind the simulator's back.  Its accesses copy
 * like plain ones while the pages are there, and fail with -EFAULT,
 * counted, where a plain copy would kill the process.
 */
#define pr_fmt(fmt) "test-host-mem-guard: " fmt

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/log.h"
#include "harness.h"
#include "host/mem.h"

#define PAGES	3

static struct host_mem mem;
static unsigned char *area;	/* PAGES pages, one guarded range */
static long page;

static void setup(void *arg)
{
	page = sysconf(_SC_PAGESIZE);
	area = mmap(NULL, PAGES * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	mem_init(&mem);
	/* The refusals below warn, as they should: keep the output quiet. */
	log_set_level(LOG_ERR);
}

static void teardown(void *arg)
{
	mem_exit(&mem);
	if (area != MAP_FAILED)
		munmap(area, PAGES * page);
	log_set_level(LOG_INFO);
}

TEST copies_while_mapped(void)
{
	unsigned char line[128], back[128];
	unsigned int i;

	ASSERT(area != MAP_FAILED);
	ASSERT_EQ(0, mem_add_guarded(&mem, mem_ra(area), PAGES * page, "prog", true));
	ASSERT(mem_find(&mem, mem_ra(area), 1)->guarded);
	for (i = 0; i < sizeof(line); i++)
		line[i] = (unsigned char)(i * 3 + 1);
	ASSERT_EQ(0, mem_write(&mem, mem_ra(area + page - 64), line, sizeof(line)));
	ASSERT_MEM_EQm("a write across two pages lands", line, area + page - 64, sizeof(line));
	ASSERT_EQ(0, mem_read(&mem, mem_ra(area + page - 64), back, sizeof(back)));
	ASSERT_MEM_EQ(line, back, sizeof(back));
	ASSERT_EQ(0, mem.nr_faults);
	PASS();
}

TEST unmapped_page_fails_safely(void)
{
	unsigned char line[128] = { 1 };
	u64 gone = mem_ra(area + page);

	ASSERT(area != MAP_FAILED);
	ASSERT_EQ(0, mem_add_guarded(&mem, mem_ra(area), PAGES * page, "prog", true));
	ASSERT_EQ(0, munmap(area + page, page));
	ASSERT_EQm("read of an unmapped page", -EFAULT, mem_read(&mem, gone, line, sizeof(line)));
	ASSERT_EQm("write to an unmapped page", -EFAULT,
		   mem_write(&mem, gone + 128, line, sizeof(line)));
	ASSERT_EQ(2, mem.nr_guard_faults);
	ASSERT_EQ(2, mem.nr_faults);
	ASSERT_EQm("the pages around still work", 0,
		   mem_write(&mem, gone + page, line, sizeof(line)));
	PASS();
}

TEST read_only_page_refuses_writes(void)
{
	unsigned char line[128], back[128];

	ASSERT(area != MAP_FAILED);
	memset(line, 0x5a, sizeof(line));
	ASSERT_EQ(0, mem_add_guarded(&mem, mem_ra(area), PAGES * page, "prog", true));
	ASSERT_EQ(0, mprotect(area, page, PROT_READ));
	ASSERT_EQm("registered writable, but the host page is not", -EFAULT,
		   mem_write(&mem, mem_ra(area), line, sizeof(line)));
	ASSERTm("nothing written", area[0] == 0 && area[127] == 0);
	ASSERT_EQm("still readable", 0, mem_read(&mem, mem_ra(area), back, sizeof(back)));
	ASSERT_EQ(0, mprotect(area, page, PROT_NONE));
	ASSERT_EQm("no access at all", -EFAULT, mem_read(&mem, mem_ra(area), back, sizeof(back)));
	ASSERT_EQ(2, mem.nr_guard_faults);
	ASSERT_EQ(0, mprotect(area, page, PROT_READ | PROT_WRITE));
	PASS();
}

TEST range_checks_come_first(void)
{
	unsigned char line[128] = { 0 };

	ASSERT(area != MAP_FAILED);
	ASSERT_EQ(0, mem_add_guarded(&mem, mem_ra(area), page, "prog-ro", false));
	ASSERT_EQm("a read-only range refuses before any copy", -EACCES,
		   mem_write(&mem, mem_ra(area), line, sizeof(line)));
	ASSERT_EQm("outside every range", -EFAULT,
		   mem_read(&mem, mem_ra(area + page), line, sizeof(line)));
	ASSERT_EQm("not the host's refusals", 0, mem.nr_guard_faults);
	ASSERT_EQ(2, mem.nr_faults);
	PASS();
}

SUITE(guarded)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(copies_while_mapped);
	RUN_TEST(unmapped_page_fails_safely);
	RUN_TEST(read_only_page_refuses_writes);
	RUN_TEST(range_checks_come_first);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	RUN_SUITE(guarded);
	HARNESS_MAIN_END();
}
