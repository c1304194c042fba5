// SPDX-License-Identifier: GPL-2.0
/*
 * The program changes its memory under a running machine (issue #4,
 * docs/libcxl.md "Memory"): the card must get what hardware would give,
 * and the program must live.
 *
 * - Memory made read-only after the attach, or unmapped and mapped again
 *   read-only at the same address, refuses the AFU's store: the driver
 *   decides with the host's protections, not the mirror's stale copy, so
 *   the program sees CXL_EVENT_DATA_STORAGE and the AFU AERROR.  Made
 *   writable again, the same context copies into it.
 * - A page unmapped after the driver hashed it keeps its HPTE (the shim
 *   does not see the munmap): the PSL's DMA there fails with a data
 *   error the AFU reports, and a warning names the address.
 * - The mirror's reading of /proc/self/maps survives the maps changing
 *   while the kernel lists them: a mapping listed twice, or a stale line
 *   overlapping a newer one, gives one VMA per range, the newer.
 */
#define pr_fmt(fmt) "test-cosim-mirror: " fmt

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "afu/afu.h"
#include "afu/memcpy.h"
#include "core/log.h"
#include "harness.h"
#include "host/hmem.h"
#include "libcxl_fixture.h"
#include "user/libcxl.h"
#include "user/lx.h"
#include "user/mirror.h"

#define PAGE		4096

/* The machine's log of the running test (warnings included), read after lx_shutdown(). */
static char log_path[64];

static void setup(void *arg)
{
	lx_fx_setup(arg);
	snprintf(log_path, sizeof(log_path), "/tmp/test_cosim_mirror.%d.log", (int)getpid());
	setenv("CAPISIM_LOG", "warn", 1);
	setenv("CAPISIM_LOG_FILE", log_path, 1);
}

static void teardown(void *arg)
{
	lx_fx_teardown(arg);
	unlink(log_path);
}

/* Does the log hold a line with both @a and @b? */
static bool logged(const char *a, const char *b)
{
	FILE *f = fopen(log_path, "r");
	char line[512];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, a) && strstr(line, b);
	fclose(f);
	return found;
}

static void *page_map(int prot)
{
	void *p = mmap(NULL, PAGE, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * Copy a page from @src to @dst with the work element @we and wait for
 * the job's interrupt.  Returns the address of the data-storage event on
 * the way, 0 for none, or -1 when the events fail.
 */
static u64 copy_page(struct cxl_afu_h *afu, struct memcpy_we *we, const void *src, void *dst)
{
	struct cxl_event ev;
	u64 fault = 0;

	lx_fx_we_set(we, src, dst, PAGE, MEMCPY_CTL_IRQ, 1);
	if (lx_fx_run_we(afu, we))
		return -1;
	for (;;) {
		if (cxl_read_event(afu, &ev))
			return -1;
		if (ev.header.type == CXL_EVENT_AFU_INTERRUPT)
			return fault;
		if (ev.header.type == CXL_EVENT_DATA_STORAGE)
			fault = ev.fault.addr;
	}
}

static bool zero(const unsigned char *p)
{
	unsigned int i;

	for (i = 0; i < PAGE && !p[i]; i++)
		;
	return i == PAGE;
}

/* The page was writable when the mirror was read, at the attach: now it is not. */
TEST mprotect_after_attach_is_data_storage(void)
{
	unsigned char *src = page_map(PROT_READ | PROT_WRITE);
	unsigned char *dst = page_map(PROT_READ | PROT_WRITE);
	struct memcpy_we *we = page_map(PROT_READ | PROT_WRITE);
	struct cxl_afu_h *afu = lx_fx_open_attached();

	ASSERT(src && dst && we && afu);
	lx_fx_fill(src, PAGE, 1);
	ASSERT_EQ(0, mprotect(dst, PAGE, PROT_READ));
	ASSERT_EQ_FMTm("the event names the page made read-only",
		       (unsigned long long)(uintptr_t)dst,
		       (unsigned long long)copy_page(afu, we, src, dst), "%#llx");
	ASSERT_EQ(MEMCPY_ST_ERROR, we->status & 0xff);
	ASSERT_EQm("the AFU's store got AERROR", AFU_RESP_AERROR, MEMCPY_ST_RESP(we->status));
	ASSERTm("the page is untouched", zero(dst));

	/* Writable again: the same context copies, no re-attach needed. */
	ASSERT_EQ(0, mprotect(dst, PAGE, PROT_READ | PROT_WRITE));
	ASSERT_EQm("no fault on the retry", 0, copy_page(afu, we, src, dst));
	ASSERT_EQ(MEMCPY_ST_DONE, we->status);
	ASSERT_MEM_EQ(src, dst, PAGE);
	cxl_afu_free(afu);
	ASSERT_EQm("no runtime check failed", 0, lx_shutdown());
	munmap(src, PAGE);
	munmap(dst, PAGE);
	munmap(we, PAGE);
	PASS();
}

/*
 * Unmapped and mapped again read-only at the same address.  A first job
 * read the page, so it is hashed, but read-only until a store: the store
 * faults and the driver asks again.
 */
TEST remapped_read_only_is_data_storage(void)
{
	unsigned char *src = page_map(PROT_READ | PROT_WRITE);
	unsigned char *dst = page_map(PROT_READ | PROT_WRITE);
	struct memcpy_we *we = page_map(PROT_READ | PROT_WRITE);
	struct cxl_afu_h *afu = lx_fx_open_attached();
	void *again;

	ASSERT(src && dst && we && afu);
	ASSERT_EQm("a first job reads the page", 0, copy_page(afu, we, dst, src));
	ASSERT_EQ(MEMCPY_ST_DONE, we->status);
	lx_fx_fill(src, PAGE, 2);
	ASSERT_EQ(0, munmap(dst, PAGE));
	again = mmap(dst, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		     -1, 0);
	ASSERTm("mapped again at the same address", again == dst);
	ASSERT_EQ_FMT((unsigned long long)(uintptr_t)dst,
		      (unsigned long long)copy_page(afu, we, src, dst), "%#llx");
	ASSERT_EQ(MEMCPY_ST_ERROR, we->status & 0xff);
	ASSERT_EQ(AFU_RESP_AERROR, MEMCPY_ST_RESP(we->status));
	ASSERTm("the page is untouched", zero(dst));
	cxl_afu_free(afu);
	ASSERT_EQm("no runtime check failed", 0, lx_shutdown());
	munmap(src, PAGE);
	munmap(dst, PAGE);
	munmap(we, PAGE);
	PASS();
}

/*
 * A first copy hashes both pages; then the program unmaps one of them.
 * The HPTE stays (the shim does not see the munmap), so the PSL's next
 * DMA there finds no host page: a data error, not a crash.
 */
static enum harness_result unmapped_after_hashing(bool unmap_dst)
{
	unsigned char *src = page_map(PROT_READ | PROT_WRITE);
	unsigned char *dst = page_map(PROT_READ | PROT_WRITE);
	struct memcpy_we *we = page_map(PROT_READ | PROT_WRITE);
	struct cxl_afu_h *afu = lx_fx_open_attached();
	unsigned char *gone = unmap_dst ? dst : src;
	char addr[32];

	ASSERT(src && dst && we && afu);
	lx_fx_fill(src, PAGE, 3);
	ASSERT_EQ(0, copy_page(afu, we, src, dst));
	ASSERT_EQ(MEMCPY_ST_DONE, we->status);
	ASSERT_EQ(0, munmap(gone, PAGE));
	ASSERT_EQm("no fault: the page is still hashed", 0, copy_page(afu, we, src, dst));
	ASSERT_EQm("the program sees the job fail", MEMCPY_ST_ERROR, we->status & 0xff);
	ASSERT_EQm("the AFU got DERROR", AFU_RESP_DERROR, MEMCPY_ST_RESP(we->status));
	cxl_afu_free(afu);
	lx_shutdown();
	snprintf(addr, sizeof(addr), "at %#llx", (unsigned long long)(uintptr_t)gone);
	ASSERTm("a warning names the address",
		logged(unmap_dst ? "DMA write of 128 bytes" : "DMA read of 128 bytes", addr));
	munmap(unmap_dst ? src : dst, PAGE);
	munmap(we, PAGE);
	PASS();
}

TEST store_into_page_unmapped_after_hashing(void)
{
	return unmapped_after_hashing(true);
}

TEST load_from_page_unmapped_after_hashing(void)
{
	return unmapped_after_hashing(false);
}

/* A malloc arena: 64 MB reserved, the part in use read-write. */
#define ARENA		0x7f3c94000000ULL
#define LIBC		"7f3c9a000000-7f3c9a028000 r--p 00000000 08:01 1234   /usr/lib/libc.so.6\n"
#define LIBC_VMA	{ 0x7f3c9a000000ULL, 0x7f3c9a028000ULL, KSHIM_PROT_READ }

/* Does @text parse to exactly the @nr mappings @want? */
static enum harness_result parses_to(const char *text, const struct lx_mirror_vma *want,
				     unsigned int nr)
{
	struct lx_mirror_vma *v;
	unsigned int got, i;

	ASSERT_EQ(0, lx_mirror_parse(text, &v, &got));
	for (i = 0; i < got && i < nr; i++)
		if (v[i].start != want[i].start || v[i].end != want[i].end ||
		    v[i].prot != want[i].prot)
			break;
	if (i < got || got != nr) {
		for (i = 0; i < got; i++)
			fprintf(stderr, "  parsed %#llx-%#llx prot %u\n",
				(unsigned long long)v[i].start, (unsigned long long)v[i].end,
				v[i].prot);
		free(v);
		FAILm("not the mappings expected");
	}
	free(v);
	PASS();
}

/* The kernel resumed its listing inside the same, unchanged mapping. */
TEST duplicate_line_is_one_vma(void)
{
	static const char text[] =
		"7f3c94000000-7f3c940a2000 rw-p 00000000 00:00 0 \n"
		"7f3c94000000-7f3c940a2000 rw-p 00000000 00:00 0 \n"
		"7f3c940a2000-7f3c98000000 ---p 00000000 00:00 0 \n"
		LIBC;
	static const struct lx_mirror_vma want[] = {
		{ ARENA, ARENA + 0xa2000, KSHIM_PROT_READ | KSHIM_PROT_WRITE },
		LIBC_VMA,
	};

	return parses_to(text, want, ARRAY_SIZE(want));
}

/* The arena grew between two reads: listed again from its start, longer. */
TEST arena_grown_mid_listing_is_its_newer_size(void)
{
	static const char text[] =
		"7f3c94000000-7f3c940a2000 rw-p 00000000 00:00 0 \n"
		"7f3c94000000-7f3c940c3000 rw-p 00000000 00:00 0 \n"
		"7f3c940c3000-7f3c98000000 ---p 00000000 00:00 0 \n"
		LIBC;
	static const struct lx_mirror_vma want[] = {
		{ ARENA, ARENA + 0xc3000, KSHIM_PROT_READ | KSHIM_PROT_WRITE },
		LIBC_VMA,
	};

	return parses_to(text, want, ARRAY_SIZE(want));
}

/*
 * A stale line reaching into a newer one is cut where the newer starts;
 * stale lines beyond the newer's start are dropped, even where the newer
 * line is a mapping the mirror does not copy.
 */
TEST stale_lines_give_way_to_newer(void)
{
	static const char text[] =
		"7f3c94000000-7f3c94200000 rw-p 00000000 00:00 0 \n"
		"7f3c94200000-7f3c94300000 r-xp 00000000 00:00 0 \n"
		"7f3c94100000-7f3c94180000 r--p 00000000 00:00 0 \n"
		"7f3c94180000-7f3c94400000 ---p 00000000 00:00 0 \n"
		LIBC;
	static const struct lx_mirror_vma want[] = {
		{ ARENA, ARENA + 0x100000, KSHIM_PROT_READ | KSHIM_PROT_WRITE },
		{ ARENA + 0x100000, ARENA + 0x180000, KSHIM_PROT_READ },
		LIBC_VMA,
	};

	return parses_to(text, want, ARRAY_SIZE(want));
}

/* The kernel's special mappings, inaccessible ones and the shim's arenas are not copied. */
TEST only_the_programs_mappings(void)
{
	static const char text[] =
		"200000000000-200000100000 rw-p 00000000 00:00 0 \n"
		"300000000000-300000001000 rw-p 00000000 00:00 0 \n"
		"555555554000-555555556000 r-xp 00000000 08:01 99   /usr/bin/prog\n"
		"555555556000-555555557000 ---p 00000000 00:00 0 \n"
		"7ffff7fc1000-7ffff7fc5000 r--p 00000000 00:00 0   [vvar]\n"
		"7ffff7fc5000-7ffff7fc7000 r-xp 00000000 00:00 0   [vdso]\n"
		"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0   [stack]\n"
		"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0   [vsyscall]";
	static const struct lx_mirror_vma want[] = {
		{ 0x555555554000ULL, 0x555555556000ULL, KSHIM_PROT_READ | KSHIM_PROT_EXEC },
		{ 0x7ffffffde000ULL, 0x7ffffffff000ULL, KSHIM_PROT_READ | KSHIM_PROT_WRITE },
	};

	return parses_to(text, want, ARRAY_SIZE(want));
}

SUITE(maps)
{
	RUN_TEST(duplicate_line_is_one_vma);
	RUN_TEST(arena_grown_mid_listing_is_its_newer_size);
	RUN_TEST(stale_lines_give_way_to_newer);
	RUN_TEST(only_the_programs_mappings);
}

SUITE(mirror)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(mprotect_after_attach_is_data_storage);
	RUN_TEST(remapped_read_only_is_data_storage);
	RUN_TEST(store_into_page_unmapped_after_hashing);
	RUN_TEST(load_from_page_unmapped_after_hashing);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	RUN_SUITE(maps);
	RUN_SUITE(mirror);
	HARNESS_MAIN_END();
}
