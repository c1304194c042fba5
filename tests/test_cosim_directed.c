// SPDX-License-Identifier: GPL-2.0
/*
 * AFU-directed and dedicated mode through the unmodified cxl driver, on
 * one simulated PSL8 card with the C memcpy AFU on slice 0.  A simulated
 * process (its own pid and address space) boots the driver, opens the
 * AFU's /dev nodes and uses them as a CAPI program does: START_WORK,
 * mmap of its problem-state area, the memcpy AFU's doorbell, read() of
 * events, close.  The checks look at both ends: the driver's answers and
 * bookkeeping, and what the PSL model saw (SPA commands, faults presented
 * through DSISR/DAR and answered through TFC, invalidations).
 *
 * Faults are read off the MMIO log: the driver reads DSISR and DAR when
 * the PSL interrupts and answers with one TFC write per fault, so the
 * last DSISR and DAR read before each TFC write are the fault it served.
 */
#define pr_fmt(fmt) "test-cosim-directed: " fmt

#include <errno.h>
#include <fcntl.h>
#include <misc/cxl.h>

#define COSIM_PROC_NAME	"directed"

#include "afu/afu.h"
#include "afu/memcpy.h"
#include "core/log.h"
#include "cosim_proc.h"
#include "harness.h"
#include "kshim/ks_directed.h"

#define NR_PROCS	16		/* the memcpy AFU's num_of_processes */
#define PAGE_4K		4096ULL
#define SLAVE		"cxl/afu0.0s"
#define DEDICATED	"cxl/afu0.0d"

/* The fault-counting copy: fresh pages of cosim_proc.h's source and destination areas. */
#define COPY_PAGES	16

/* A translation fault the driver served: what it read, how it answered. */
struct served {
	u64 dsisr;
	u64 dar;
	u64 tfc;
};

#define MAX_SERVED	1024

/* Read off the MMIO log by collect_served(), in the process's task. */
static struct served served[MAX_SERVED];
static unsigned int nr_served;

/* ---- The process's side: system calls on its own memory ---- */

static int ctx_pe(int fd)
{
	__u32 *pe = at(SCRATCH_OFF);
	long rc = kshim_ioctl(fd, CXL_IOCTL_GET_PROCESS_ELEMENT, ea(SCRATCH_OFF));

	return rc ? (int)rc : (int)*pe;
}

/* Open, attach, map: the mapping number, or -errno. */
static int ctx_open_attached(int *fd)
{
	long rc;

	*fd = kshim_open(SLAVE, O_RDWR);
	if (*fd < 0)
		return *fd;
	rc = ctx_start(*fd, 0);
	if (rc)
		return rc;
	return kshim_mmap(*fd, PAGE_4K, 0);
}

/* Unmap, then close: the mapping holds the file, whose release detaches. */
static int ctx_close(int fd, int map)
{
	int rc = kshim_munmap(map);

	return rc ? rc : kshim_close(fd);
}

/* The WE chain at @we on the context mapped as @map: WED, then doorbell (big-endian). */
static int ctx_run(int map, u64 we)
{
	int rc = kshim_map_store(map, MEMCPY_PSA_WED, 8, __builtin_bswap64(we));

	return rc ? rc : kshim_map_store(map, MEMCPY_PSA_DOORBELL, 8, __builtin_bswap64(1));
}

/* The next event of @fd (a blocking read) into @ev: its type, or -errno. */
static int ctx_event(int fd, struct cxl_event *ev)
{
	long n = kshim_read(fd, at(SCRATCH_OFF), CXL_READ_MIN_SIZE);

	if (n < 0)
		return n;
	if ((unsigned long)n < sizeof(ev->header) || (unsigned long)n > sizeof(*ev))
		return -EIO;
	memset(ev, 0, sizeof(*ev));
	memcpy(ev, at(SCRATCH_OFF), n);
	return ev->header.type;
}

/*
 * Events until an AFU interrupt, whose event is left in @ev; a data
 * storage event on the way is copied to @ds (when not NULL).
 */
static int ctx_wait_irq(int fd, struct cxl_event *ev, struct cxl_event *ds)
{
	int type;

	for (;;) {
		type = ctx_event(fd, ev);
		if (type < 0 || type == CXL_EVENT_AFU_INTERRUPT)
			return type;
		if (type == CXL_EVENT_DATA_STORAGE && ds)
			*ds = *ev;
	}
}

static struct memcpy_we *we_at(unsigned int i)
{
	return at(WE_OFF + i * sizeof(struct memcpy_we));
}

/* WE @i copies @len bytes and interrupts with LISN 1: its EA. */
static u64 we_prep(unsigned int i, u64 src, u64 dst, u64 len)
{
	struct memcpy_we *we = we_at(i);

	memset(we, 0, sizeof(*we));
	we->src = src;
	we->dst = dst;
	we->len = len;
	we->lisn = 1;
	we->ctl = MEMCPY_CTL_VALID | MEMCPY_CTL_IRQ;
	return ea(WE_OFF + i * sizeof(struct memcpy_we));
}

static void fill(u64 off, u64 len, unsigned int seed)
{
	u8 *p = at(off);
	u64 i;

	for (i = 0; i < len; i++)
		p[i] = (u8)(i * 13 + seed);
}

/* ---- The MMIO log: what the driver read and wrote on slice 0 ---- */

static bool is_p2(const struct cosim_mmio_rec *r, u64 reg)
{
	return r->card == 0 && r->bar == 0 && r->offset == reg && r->width == 8;
}

static bool is_p1(const struct cosim_mmio_rec *r, u64 reg)
{
	return r->card == 0 && r->bar == 2 && r->offset == reg && r->width == 8;
}

/* The translation faults the driver answered while the log was on, in order. */
static void collect_served(void)
{
	u64 dsisr = 0, dar = 0;
	unsigned int i;

	nr_served = 0;
	for (i = 0; i < cosim_mmio_log_len(); i++) {
		const struct cosim_mmio_rec *r = cosim_mmio_log_get(i);

		if (!r->write && is_p2(r, CXL_PSL_DSISR_An))
			dsisr = r->val;
		else if (!r->write && is_p2(r, CXL_PSL_DAR_An))
			dar = r->val;
		else if (r->write && is_p2(r, CXL_PSL_TFC_An) && nr_served < MAX_SERVED)
			served[nr_served++] = (struct served){ dsisr, dar, r->val };
	}
}

/* The index of the first write of @val to P1 register @reg at or after @from, or -1. */
static int find_p1_write(unsigned int from, u64 reg, u64 val)
{
	unsigned int i;

	for (i = from; i < cosim_mmio_log_len(); i++) {
		const struct cosim_mmio_rec *r = cosim_mmio_log_get(i);

		if (r->write && is_p1(r, reg) && r->val == val)
			return i;
	}
	return -1;
}

/* ---- AFU-directed mode ---- */

/*
 * Every process element the AFU offers: each START_WORK's ADD runs the
 * SPA protocol to completion before the ioctl returns, and the PSL then
 * holds an active context of this process under that handle.  Each
 * context copies its own line.  One open too many is refused as
 * cxl_context_init() refuses it: its idr is full, -ENOSPC.
 */
static int sc_every_process_element(void)
{
	struct psl_slice *s = slice0();
	int fd[NR_PROCS], map[NR_PROCS], i;
	u64 adds = s->spa.stats.done;
	struct cxl_event ev;

	for (i = 0; i < NR_PROCS; i++) {
		struct psl_ctx *ctx;

		map[i] = ctx_open_attached(&fd[i]);
		CHECK(map[i] >= 0);
		CHECK(ctx_pe(fd[i]) == i);
		CHECK(s->spa.stats.done == adds + i + 1);
		ctx = psl_slice_ctx(s, i);
		CHECK(ctx && ctx->state == PSL_PE_ACTIVE);
		CHECK(ctx->xc.pid == (u32)kshim_uproc_pid(proc));
	}
	CHECK(s->spa.stats.failed == 0);
	CHECK(s->nr_ctx_active == NR_PROCS);
	CHECK(ks_directed_contexts() == NR_PROCS);
	CHECK(kshim_open(SLAVE, O_RDWR) == -ENOSPC);

	fill(SRC_OFF, NR_PROCS * 256, 3);
	for (i = 0; i < NR_PROCS; i++)
		CHECK(ctx_run(map[i], we_prep(i, ea(SRC_OFF + i * 256), ea(DST_OFF + i * 256),
					      256)) == 0);
	for (i = 0; i < NR_PROCS; i++) {
		CHECK(ctx_wait_irq(fd[i], &ev, NULL) == CXL_EVENT_AFU_INTERRUPT);
		CHECK(ev.header.process_element == i);
		CHECK(we_at(i)->status == MEMCPY_ST_DONE);
	}
	CHECK(!memcmp(at(SRC_OFF), at(DST_OFF), NR_PROCS * 256));

	for (i = 0; i < NR_PROCS; i++)
		CHECK(ctx_close(fd[i], map[i]) == 0);
	CHECK(s->nr_ctx_active == 0);
	CHECK(ks_directed_contexts() == 0);
	return 0;
}

TEST every_process_element(void)
{
	RUN_OK(sc_every_process_element);
	PASS();
}

/*
 * A fresh context's first command misses its segment (DSISR[DS], the
 * driver loads the STE into the context's segment table), then the page
 * (DSISR[DM], copro_handle_mm_fault and hash_page_mm); each is answered
 * with TFC R and the command completes.  The copy then completes and its
 * AFU interrupt reaches read() as CXL_EVENT_AFU_INTERRUPT.
 */
static int sc_segment_then_page_miss(void)
{
	struct kshim_mmu_stats mmu;
	unsigned long long inserts;
	struct cxl_event ev;
	int fd, map, pe;
	u64 we;

	map = ctx_open_attached(&fd);
	CHECK(map >= 0);
	pe = ctx_pe(fd);
	CHECK(pe >= 0);
	fill(SRC_OFF, 512, 7);
	we = we_prep(0, ea(SRC_OFF), ea(DST_OFF), 512);
	kshim_mmu_get_stats(&mmu);
	inserts = mmu.inserts;
	cosim_mmio_log(1);
	CHECK(ctx_run(map, we) == 0);
	CHECK(ctx_wait_irq(fd, &ev, NULL) == CXL_EVENT_AFU_INTERRUPT);
	cosim_mmio_log(0);
	CHECK(ev.header.process_element == pe);
	CHECK(ev.irq.irq == 1);
	CHECK(we_at(0)->status == MEMCPY_ST_DONE);
	CHECK(!memcmp(at(SRC_OFF), at(DST_OFF), 512));

	collect_served();
	CHECK(nr_served >= 2);
	/* The WE fetch: segment miss, then page miss, both at the WE's line. */
	CHECK(served[0].dsisr & CXL_PSL_DSISR_An_DS);
	CHECK(!(served[0].dsisr & CXL_PSL_DSISR_An_DM));
	CHECK(served[0].dar == we);
	CHECK(served[0].tfc == CXL_PSL_TFC_An_R);
	CHECK(served[1].dsisr & CXL_PSL_DSISR_An_DM);
	CHECK(!(served[1].dsisr & CXL_PSL_DSISR_An_DS));
	CHECK(served[1].dar == we);
	CHECK(served[1].tfc == CXL_PSL_TFC_An_R);
	/* hash_page_mm() hashed the WE's, the source's and the destination's pages. */
	kshim_mmu_get_stats(&mmu);
	CHECK(mmu.inserts == inserts + 3);
	return ctx_close(fd, map) ? __LINE__ : 0;
}

TEST segment_then_page_miss(void)
{
	RUN_OK(sc_segment_then_page_miss);
	PASS();
}

/*
 * A source nobody mapped: the driver's page fault fails, it answers AE,
 * the program reads CXL_EVENT_DATA_STORAGE with that address, and the
 * AFU's command gets AERROR, which its status word reports.
 */
static int sc_bad_address(void)
{
	struct cxl_event ev, ds = { 0 };
	u64 bad = ea(MEM_LEN) + 0x100000;
	u64 st;
	int fd, map;

	map = ctx_open_attached(&fd);
	CHECK(map >= 0);
	CHECK(ctx_run(map, we_prep(0, bad, ea(DST_OFF), 256)) == 0);
	CHECK(ctx_wait_irq(fd, &ev, &ds) == CXL_EVENT_AFU_INTERRUPT);
	CHECK(ds.header.type == CXL_EVENT_DATA_STORAGE);
	CHECK(ds.header.process_element == ctx_pe(fd));
	CHECK(ds.fault.addr == bad);
	CHECK(ds.fault.dsisr & CXL_PSL_DSISR_An_DM);
	st = we_at(0)->status;
	CHECK((st & 0xff) == MEMCPY_ST_ERROR);
	CHECK(MEMCPY_ST_RESP(st) == AFU_RESP_AERROR);
	CHECK(MEMCPY_ST_REASON(st) == MEMCPY_ERR_RESPONSE);
	return ctx_close(fd, map) ? __LINE__ : 0;
}

TEST bad_address_is_data_storage(void)
{
	RUN_OK(sc_bad_address);
	PASS();
}

/*
 * Unmapping a page the AFU has used: the kernel's tlbie reaches the PSL
 * (the CAPP snoops it) and its TLB drops the translation, so the next
 * command to that page faults and the driver, finding no VMA, answers AE.
 */
static int sc_unmap_reaches_the_card(void)
{
	struct psl_card *card = slice0()->card;
	void *mm = kshim_uproc_mm(proc);
	u64 page = kshim_user_mmap(mm, PAGE_4K, KSHIM_PROT_READ | KSHIM_PROT_WRITE);
	struct cxl_event ev, ds = { 0 };
	u64 tlbies;
	int fd, map;

	CHECK(page);
	map = ctx_open_attached(&fd);
	CHECK(map >= 0);
	CHECK(ctx_run(map, we_prep(0, page, ea(DST_OFF), 256)) == 0);
	CHECK(ctx_wait_irq(fd, &ev, NULL) == CXL_EVENT_AFU_INTERRUPT);
	CHECK((we_at(0)->status & 0xff) == MEMCPY_ST_DONE);
	tlbies = card->nr_tlbie;
	CHECK(kshim_user_munmap(mm, page, PAGE_4K) == 0);
	CHECK(card->nr_tlbie == tlbies + 1);
	CHECK(ctx_run(map, we_prep(0, page, ea(DST_OFF), 256)) == 0);
	CHECK(ctx_wait_irq(fd, &ev, &ds) == CXL_EVENT_AFU_INTERRUPT);
	CHECK(ds.header.type == CXL_EVENT_DATA_STORAGE);
	CHECK((ds.fault.addr & ~0xfffULL) == page);
	CHECK(MEMCPY_ST_RESP(we_at(0)->status) == AFU_RESP_AERROR);
	return ctx_close(fd, map) ? __LINE__ : 0;
}

TEST unmap_reaches_the_card(void)
{
	RUN_OK(sc_unmap_reaches_the_card);
	PASS();
}

/*
 * close() detaches: TERMINATE then REMOVE of the PE through the SPA, the
 * SLB entries of the process invalidated (PSL_LBISEL with its PID and
 * LPID, PSL_SLBIA by LPID and PID), the context's interrupts given back
 * to the PHB, its reference to the address space dropped, the context
 * taken out of the driver's idr and, after the grace period, freed by
 * reclaim_ctx(), which drops its reference to the AFU's device last.
 */
static int sc_close_detaches(void)
{
	struct psl_slice *s = slice0();
	struct psl_card *card = s->card;
	int fd, map, pe, i, term, rem, lbisel, slbia;
	int msis = ks_directed_msis_used(), refs = ks_directed_afu_refs();
	u64 slb_dropped, slbia_done, llcmd;
	struct cxl_event ev;
	struct psl_ctx *ctx;
	u32 pid, lpid;

	CHECK(msis > 0 && refs > 0);
	map = ctx_open_attached(&fd);
	CHECK(map >= 0);
	pe = ctx_pe(fd);
	CHECK(pe >= 0);
	CHECK(ks_directed_msis_used() > msis);
	CHECK(ks_directed_contexts_on_mm() == 1);
	CHECK(ks_directed_afu_refs() == refs + 1);
	CHECK(ctx_run(map, we_prep(0, ea(SRC_OFF), ea(DST_OFF), 256)) == 0);
	CHECK(ctx_wait_irq(fd, &ev, NULL) == CXL_EVENT_AFU_INTERRUPT);
	ctx = psl_slice_ctx(s, pe);
	CHECK(ctx);
	pid = ctx->xc.pid;
	lpid = ctx->xc.lpid;
	slb_dropped = s->xlate.stats.slb_dropped;
	slbia_done = card->slbia.nr_done;

	cosim_mmio_log(1);
	CHECK(ctx_close(fd, map) == 0);
	cosim_mmio_log(0);
	term = find_p1_write(0, CXL_P1_SLICE_BASE + CXL_PSL_LLCMD_An,
			     CXL_SPA_SW_CMD_TERMINATE | pe);
	rem = find_p1_write(0, CXL_P1_SLICE_BASE + CXL_PSL_LLCMD_An, CXL_SPA_SW_CMD_REMOVE | pe);
	lbisel = find_p1_write(0, CXL_PSL_LBISEL, (u64)pid << 32 | lpid);
	slbia = find_p1_write(0, CXL_PSL_SLBIA, CXL_TLB_SLB_IQ_LPIDPID);
	CHECK(term >= 0 && rem > term);
	CHECK(lbisel > rem && slbia > lbisel);
	/* No other SPA command on the way. */
	for (i = 0; i < (int)cosim_mmio_log_len(); i++) {
		const struct cosim_mmio_rec *r = cosim_mmio_log_get(i);

		llcmd = r->val & CXL_SPA_SW_CMD_MASK;
		if (r->write && is_p1(r, CXL_P1_SLICE_BASE + CXL_PSL_LLCMD_An))
			CHECK(llcmd == CXL_SPA_SW_CMD_TERMINATE || llcmd == CXL_SPA_SW_CMD_REMOVE);
	}
	CHECK(!psl_slice_ctx(s, pe));
	CHECK(card->slbia.nr_done == slbia_done + 1);
	CHECK(s->xlate.stats.slb_dropped > slb_dropped);
	CHECK(ks_directed_msis_used() == msis);
	CHECK(ks_directed_contexts_on_mm() == 0);
	CHECK(ks_directed_contexts() == 0);
	CHECK(ks_directed_afu_refs() == refs);
	return 0;
}

TEST close_detaches(void)
{
	RUN_OK(sc_close_detaches);
	PASS();
}

/* ---- Dedicated mode ---- */

/*
 * The administrator's mode switch (cxl/afu0.0/mode), then attach with the
 * WE as the WED: the PSL starts the AFU on it, the copy completes with
 * its interrupt read() as CXL_EVENT_AFU_INTERRUPT; close detaches as
 * detach_process_native_dedicated() does: AFU reset, disable, purge,
 * and the interrupts go back to the PHB.
 */
static int sc_dedicated(void)
{
	struct psl_slice *s = slice0();
	u64 resets, purges;
	struct cxl_event ev;
	int fd, msis;

	CHECK(kshim_sysfs_write("cxl/afu0.0/mode", "dedicated_process", 17) == 17);
	CHECK(kshim_dev_exists(DEDICATED) && !kshim_dev_exists(SLAVE));
	msis = ks_directed_msis_used();
	fd = kshim_open(DEDICATED, O_RDWR);
	CHECK(fd >= 0);
	fill(SRC_OFF, 8192, 5);
	CHECK(ctx_start(fd, we_prep(0, ea(SRC_OFF), ea(DST_OFF), 8192)) == 0);
	CHECK(psl_slice_mode(s) == PSL_MODE_DEDICATED);
	CHECK(s->afu == PSL_AFU_ENABLED && s->ded_running);
	CHECK(ks_directed_msis_used() > msis);
	CHECK(ctx_wait_irq(fd, &ev, NULL) == CXL_EVENT_AFU_INTERRUPT);
	CHECK(ev.irq.irq == 1);
	CHECK(we_at(0)->status == MEMCPY_ST_DONE);
	CHECK(!memcmp(at(SRC_OFF), at(DST_OFF), 8192));

	resets = s->nr_resets;
	purges = s->nr_purges;
	CHECK(kshim_close(fd) == 0);
	CHECK(s->nr_resets == resets + 1 && s->nr_purges == purges + 1);
	CHECK(s->afu == PSL_AFU_DISABLED && !s->ded_running);
	CHECK(ks_directed_msis_used() == msis);
	CHECK(ks_directed_contexts() == 0);
	return 0;
}

TEST dedicated_attach_interrupt_detach(void)
{
	RUN_OK(sc_dedicated);
	PASS();
}

/* ---- Faults per page ---- */

/* The fault's kind: segment miss, protection (a store to a clean page), page miss. */
static unsigned int fault_kind(u64 dsisr)
{
	if (dsisr & CXL_PSL_DSISR_An_DS)
		return 0;
	return dsisr & CXL_PSL_DSISR_An_P ? 1 : 2;
}

/*
 * The memcpy AFU keeps 16 commands in flight, many to the same page; the
 * PSL holds them all behind the first fault of the context and retries
 * them after its TFC R, so the OS hears of each missing segment and page
 * once.  A copy of COPY_PAGES fresh pages: one segment miss; the WE's
 * page (read, then the status store to the clean page); each source page
 * once; each destination page once (stored first, so made dirty at once).
 */
static int sc_faults_per_page(void)
{
	struct psl_slice *s = slice0();
	u64 len = COPY_PAGES * PAGE_4K;
	u64 raised, faults;
	struct cxl_event ev;
	unsigned int i, j;
	int fd, map;

	map = ctx_open_attached(&fd);
	CHECK(map >= 0);
	fill(SRC_OFF, len, 11);
	raised = s->faults.nr_raised;
	faults = s->port.cq.stats.faults;
	cosim_mmio_log(1);
	CHECK(ctx_run(map, we_prep(0, ea(SRC_OFF), ea(DST_OFF), len)) == 0);
	CHECK(ctx_wait_irq(fd, &ev, NULL) == CXL_EVENT_AFU_INTERRUPT);
	cosim_mmio_log(0);
	CHECK(we_at(0)->status == MEMCPY_ST_DONE);
	CHECK(!memcmp(at(SRC_OFF), at(DST_OFF), len));
	collect_served();
	pr_info("%u pages copied: %u faults served, %llu raised by commands\n", COPY_PAGES,
		nr_served, (unsigned long long)(s->port.cq.stats.faults - faults));
	CHECK(s->faults.nr_raised - raised == nr_served);
	CHECK(s->port.cq.stats.faults - faults == nr_served);
	for (i = 0; i < nr_served; i++) {
		CHECK(served[i].tfc == CXL_PSL_TFC_An_R);
		for (j = 0; j < i; j++)
			CHECK(fault_kind(served[i].dsisr) != fault_kind(served[j].dsisr) ||
			      (served[i].dar & ~(PAGE_4K - 1)) != (served[j].dar & ~(PAGE_4K - 1)));
	}
	CHECK(nr_served == 1 + 2 + 2 * COPY_PAGES);
	return ctx_close(fd, map) ? __LINE__ : 0;
}

TEST faults_once_per_page(void)
{
	RUN_OK(sc_faults_per_page);
	PASS();
}

SUITE(directed)
{
	SET_SETUP(shim_fx_boot_memcpy, NULL);
	SET_TEARDOWN(shim_fx_exit_memcpy, NULL);
	RUN_TEST(every_process_element);
	RUN_TEST(segment_then_page_miss);
	RUN_TEST(bad_address_is_data_storage);
	RUN_TEST(unmap_reaches_the_card);
	RUN_TEST(close_detaches);
	RUN_TEST(faults_once_per_page);
}

SUITE(dedicated)
{
	SET_SETUP(shim_fx_boot_memcpy, NULL);
	SET_TEARDOWN(shim_fx_exit_memcpy, NULL);
	RUN_TEST(dedicated_attach_interrupt_detach);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	log_set_level(LOG_WARN);
	RUN_SUITE(directed);
	RUN_SUITE(dedicated);
	HARNESS_MAIN_END();
}
