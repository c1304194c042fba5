// SPDX-License-Identifier: GPL-2.0
/*
 * The C memcpy and the RTL memcpy (rtl_models/memcpy, the Verilator
 * plug-in) run the same jobs attached to a PSL8 slice: real translation
 * through a segment table and an HPT, faults presented in DSISR/DAR and
 * answered through PSL_TFC_An by the test playing the OS, the register
 * sequences of the cxl driver (tests/psl_cxldrv.h), MSIs through the
 * interrupt controller.  Both must leave the same memory, status words,
 * PSA registers, AFU_ERR_An, interrupts (context and LISN, in order) and
 * the same sequence of faults the OS had to serve.
 *
 * How many times a fault is presented depends on how many commands the
 * AFU had in flight to the page when it first faulted (each held command
 * raises its own): that is the AFU's pipelining, not its behaviour.  So
 * the OS below tells the faults that made it install a segment or page
 * (or refuse one: AE) from the repeats that found the work done, and the
 * models must agree on the first kind, DSISR and DAR exactly, per context.
 * Each context works in its own 256 MB segment, so its faults do not
 * depend on how the AFU interleaves contexts (the RTL engine serves one
 * context at a time, the C one interleaves them).
 *
 * The RTL run of the AFU-directed case writes an FST, which fst2vcd must
 * read back with the port signals and the AFU's cycles.  The plug-in is
 * $RTL_MEMCPY_SO, default $BUILD/afu/memcpy-rtl.so (make builds it).
 */
#define pr_fmt(fmt) "test_afu_cosim: " fmt

#include <unistd.h>

#include "harness.h"
#include "psl_cxldrv.h"
#include "psl_testdrv.h"
#include "afu/memcpy.h"
#include "afu/port.h"
#include "core/log.h"

#define NS PS_PER_NS
#define US PS_PER_US
#define MS PS_PER_MS

#define NR_AREAS	2
#define AREA_BYTES	(64 * 1024)
#define AREA_PAGES	(AREA_BYTES / 4096)
#define SRC_OFF		0x1000		/* areas: WEs, then source, then destination */
#define DST_OFF		0x8000
/* Each context's area in its own 256 MB segment of one process. */
#define AREA_EA(i)	(0x0000100000000000ULL + (u64)(i) * 0x10000000ULL)
#define BAD_EA(i)	(AREA_EA(i) + 0x200000)	/* mapped by nobody: the OS says AE */
#define SEG_OF(ea)	((ea) >> 28)
#define PID		4242

/* Interrupt sources: a PSL one (range 0) and four AFU ones (range 1) per context. */
#define HW_BASE		0x200
#define HW_PSL(i)	(0x210 + 0x20 * (i))
#define HW_AFU(i)	(0x220 + 0x20 * (i))
#define HW_SERR		0x300
#define HW_ERR		0x301
#define DED_PE		0
#define PE_A		3
#define PE_B		5

#define MAX_FAULTS	512
#define MAX_IRQS	64
#define DEADLINE	(200 * MS)

/* A fault as the OS saw it, and whether it had anything to do. */
struct os_fault {
	u16 pe;
	u64 dsisr;
	u64 dar;
	bool served;		/* installed an STE or HPTE, or refused (AE) */
};

struct afu_irq {
	u16 pe;
	u16 lisn;
};

/* One WE of a job: offsets within its context's area. */
struct we_spec {
	u32 we_off;
	u32 src_off;
	u32 dst_off;
	u32 len;
	u16 lisn;		/* 0: no interrupt */
	bool bad_src;		/* the source is BAD_EA: AERROR */
	bool bad_dst;
};

/* What a run leaves behind, compared between the two models. */
struct outcome {
	u8 mem[NR_AREAS][AREA_BYTES];
	u64 afu_err;
	u64 psa_status[NR_AREAS];
	u64 psa_count[NR_AREAS];
	struct os_fault served[MAX_FAULTS];
	unsigned int nr_served;
	unsigned int nr_faults;		/* presented, repeats included */
	struct afu_irq irqs[MAX_IRQS];
	unsigned int nr_irqs;
	unsigned int nr_serr;
};

/* The simulated machine of one run; rebuilt by setup for each test. */
static struct sim_queue q;
static struct testdrv td;
static struct irq_ctl ic;
static struct psl_card *card;
static struct cxldrv drv;
static struct afu *afu;
static u8 *area[NR_AREAS];
/* The OS's page tables, as far as this test's process goes. */
static bool seg_loaded[NR_AREAS];
static bool page_mapped[NR_AREAS][AREA_PAGES];
static bool bad_refused[NR_AREAS];
static u16 area_pe[NR_AREAS];		/* the context working in each area */
/* Every fault the OS was shown; the outcome keeps the served ones. */
static struct os_fault faults[MAX_FAULTS];
static unsigned int nr_faults;
static struct outcome *out;
static struct outcome res_c, res_rtl;
static FILE *sink;

static struct psl_slice *slice0(void)
{
	return &card->slice[0];
}

static u64 psa_base(void)
{
	return (u64)card->p.ps_off * CXL_VSEC_UNIT;
}

/* ---- The OS: segment and page faults, AFU errors ---- */

static int area_of(u64 ea)
{
	unsigned int i;

	for (i = 0; i < NR_AREAS; i++)
		if (SEG_OF(ea) == SEG_OF(AREA_EA(i)))
			return i;
	return -1;
}

static u64 user_vsid(u64 ea)
{
	return 0x5150000 + SEG_OF(ea);
}

/* Whether *@flag was clear; it is set now. */
static bool first_time(bool *flag)
{
	bool was = *flag;

	*flag = true;
	return !was;
}

/*
 * Serve a translation fault as cxl_handle_fault does: load the segment or
 * hash the page and restart the command (TFC R), or refuse an address the
 * process does not have (AE).  Returns true if the fault had work to do.
 */
static bool os_translation_fault(u64 dsisr, u64 dar)
{
	int i = area_of(dar);
	u64 off = i < 0 ? 0 : dar - AREA_EA(i);
	bool first;

	if (i < 0 || off >= AREA_BYTES) {
		cd_p2n_write(&drv, CXL_PSL_TFC_An, CXL_PSL_TFC_An_AE);
		return i < 0 || first_time(&bad_refused[i]);
	}
	if (dsisr & CXL_PSL_DSISR_An_DS) {
		first = first_time(&seg_loaded[i]);
		if (first)
			td_load_segment(&td, dar, user_vsid(dar), 0,
					TD_STE_USER | td_sllp(TD_SZ_4K));
	} else {
		first = first_time(&page_mapped[i][off / 4096]);
		if (first)
			td_hpte_insert(&td, user_vsid(dar), dar & ~0xFFFULL, 0, TD_SZ_4K,
				       TD_SZ_4K, mem_ra(area[i]) + (off & ~0xFFFULL), &td_rw);
	}
	cd_p2n_write(&drv, CXL_PSL_TFC_An, CXL_PSL_TFC_An_R);
	return first;
}

/* cxl_irq_psl8, reduced: read the fault registers, serve, record. */
static void on_psl_irq(void)
{
	struct os_fault f;

	f.pe = cd_p2n_read(&drv, CXL_PSL_PEHandle_An);
	f.dsisr = cd_p2n_read(&drv, CXL_PSL_DSISR_An);
	f.dar = cd_p2n_read(&drv, CXL_PSL_DAR_An);
	f.served = false;
	if (f.dsisr & CXL_PSL_DSISR_TRANS) {
		f.served = os_translation_fault(f.dsisr, f.dar);
	} else if (f.dsisr & CXL_PSL_DSISR_An_AE) {
		/* The driver reads AFU_ERR for its event, then acknowledges. */
		out->afu_err = cd_p2n_read(&drv, CXL_AFU_ERR_An);
		f.served = true;
		cd_p2n_write(&drv, CXL_PSL_TFC_An, CXL_PSL_TFC_An_A);
	} else if (f.dsisr & CXL_PSL_DSISR_An_PE) {
		cd_p2n_write(&drv, CXL_PSL_DSISR_An, f.dsisr & ~CXL_PSL_DSISR_An_PE);
	}
	if (nr_faults < MAX_FAULTS)
		faults[nr_faults] = f;
	nr_faults++;
}

static void on_msi(void *arg, u32 hwirq)
{
	unsigned int i;

	for (i = 0; i < NR_AREAS; i++) {
		if (hwirq == HW_PSL(i)) {
			on_psl_irq();
			return;
		}
		if (hwirq >= HW_AFU(i) && hwirq < HW_AFU(i) + 4) {
			if (out->nr_irqs < MAX_IRQS) {
				out->irqs[out->nr_irqs].pe = area_pe[i];
				out->irqs[out->nr_irqs].lisn = hwirq - HW_AFU(i) + 1;
			}
			out->nr_irqs++;
			return;
		}
	}
	if (hwirq == HW_SERR)
		out->nr_serr++;
}

/* ---- Host memory and jobs ---- */

static u64 ea_in(unsigned int i, u32 off)
{
	return AREA_EA(i) + off;
}

/* Work elements zeroed, the source a pattern of @i, the destination 0xEE. */
static void fill_area(u8 *a, unsigned int i)
{
	u32 k, x = 0x9E3779B9u * (i + 1);

	memset(a, 0, SRC_OFF);
	for (k = SRC_OFF; k < DST_OFF; k++) {
		x = x * 1103515245u + 12345u;
		a[k] = x >> 16;
	}
	memset(a + DST_OFF, 0xEE, AREA_BYTES - DST_OFF);
}

/* Write the chain @we[0..n) of area @i into @a (the area or its expected image). */
static void put_chain(u8 *a, unsigned int i, const struct we_spec *we, unsigned int n)
{
	unsigned int k;

	for (k = 0; k < n; k++) {
		struct memcpy_we *w = (struct memcpy_we *)(a + we[k].we_off);

		memset(w, 0, sizeof(*w));
		w->src = htole64(we[k].bad_src ? BAD_EA(i) : ea_in(i, we[k].src_off));
		w->dst = htole64(we[k].bad_dst ? BAD_EA(i) : ea_in(i, we[k].dst_off));
		w->len = htole64(we[k].len);
		w->lisn = htole16(we[k].lisn);
		w->next = htole64(k + 1 < n ? ea_in(i, we[k + 1].we_off) : 0);
		w->ctl = htole32(MEMCPY_CTL_VALID | (we[k].lisn ? MEMCPY_CTL_IRQ : 0));
	}
}

/*
 * What area @i must hold once its chain ran, in @a (which holds the chain
 * as put_chain wrote it): the copies up to the first bad WE, each WE's
 * status and err_ea.  Returns the index of the WE the chain ends with.
 */
static unsigned int expect_chain(u8 *a, unsigned int i, const struct we_spec *we,
				 unsigned int n)
{
	unsigned int k;

	for (k = 0; k < n; k++) {
		struct memcpy_we *w = (struct memcpy_we *)(a + we[k].we_off);
		u16 com = we[k].bad_src ? AFU_CMD_READ_CL_NA : AFU_CMD_WRITE_NA;

		if (we[k].bad_src || we[k].bad_dst) {
			w->status = htole64(MEMCPY_ST_ERROR | (u64)AFU_RESP_AERROR << 8 |
					    (u64)com << 16 | (u64)MEMCPY_ERR_RESPONSE << 32);
			w->err_ea = htole64(BAD_EA(i));
			return k;
		}
		memmove(a + we[k].dst_off, a + we[k].src_off, we[k].len);
		w->status = htole64(MEMCPY_ST_DONE);
	}
	return n - 1;
}

/*
 * The pages of area @i a chain touches, marked in @seen: those whose
 * faults the OS serves (a bad WE adds the refused page and ends the chain:
 * with a bad source nothing is written).  Returns how many were new.
 */
static unsigned int pages_touched(const struct we_spec *we, unsigned int n, bool *seen)
{
	unsigned int k, r, nr = 0;
	u32 off;

	for (k = 0; k < n; k++) {
		bool bad = we[k].bad_src || we[k].bad_dst;
		/* [start, end) of the WE, the source read, the destination written */
		u32 ranges[3][2] = {
			{ we[k].we_off, we[k].we_off + sizeof(struct memcpy_we) },
			{ we[k].src_off, we[k].src_off + (we[k].bad_src ? 0 : we[k].len) },
			{ we[k].dst_off, we[k].dst_off + (bad ? 0 : we[k].len) },
		};

		for (r = 0; r < 3; r++) {
			for (off = ranges[r][0] & ~0xFFFu; off < ranges[r][1]; off += 4096) {
				nr += !seen[off / 4096];
				seen[off / 4096] = true;
			}
		}
		if (bad)
			return nr + 1;
	}
	return nr;
}

/* ---- The machine ---- */

static void setup(void *arg)
{
	unsigned int i, h;

	simq_init(&q);
	td_init(&td, 256 * 1024, 4096);
	for (i = 0; i < NR_AREAS; i++) {
		area[i] = aligned_alloc(4096, AREA_BYTES);
		mem_add(&td.mem, mem_ra(area[i]), AREA_BYTES, "area", true);
	}
	irq_ctl_init(&ic, &q, HW_BASE, 0x200, 100 * NS);
	for (h = HW_BASE; h < HW_BASE + 0x200; h++)
		irq_attach(&ic, h, on_msi, NULL);
	memset(&drv, 0, sizeof(drv));
	card = NULL;
	afu = NULL;
}

static void teardown(void *arg)
{
	unsigned int i;

	log_set_file(NULL);
	psl_card_destroy(card);
	card = NULL;
	if (afu)
		afu->ops->destroy(afu);
	afu = NULL;
	cd_exit(&drv);
	irq_ctl_exit(&ic);
	td_exit(&td);
	for (i = 0; i < NR_AREAS; i++)
		free(area[i]);
	simq_exit(&q);
}

static void quiet_logs(void)
{
	if (!sink)
		sink = fopen("/dev/null", "w");
	log_set_file(sink);
}

/* A fresh machine with AFU @ops (made with @options) in slice 0; results go to @o. */
static int power_on(const struct afu_ops *ops, const char *options, struct outcome *o)
{
	struct psl_params p;
	unsigned int i;

	teardown(NULL);
	setup(NULL);
	out = o;
	memset(o, 0, sizeof(*o));
	memset(seg_loaded, 0, sizeof(seg_loaded));
	memset(page_mapped, 0, sizeof(page_mapped));
	memset(bad_refused, 0, sizeof(bad_refused));
	nr_faults = 0;
	for (i = 0; i < NR_AREAS; i++)
		fill_area(area[i], i);
	psl_params_defaults(&p);
	p.num_of_processes = 16;
	p.timing.afu_enable = 1 * US;
	p.timing.afu_reset = 2 * US;
	p.timing.msi_delivery = 100 * NS;
	card = psl_card_create(&q, &p);
	if (!card)
		return -EINVAL;
	cd_card_up(&drv, &q, card, &td.mem, &ic);
	cd_p1_write(&drv, CXL_PSL_ErrIVTE, HW_ERR);
	cd_p1n_write(&drv, CXL_PSL_SERR_An, HW_SERR);
	cd_p1_write(&drv, CXL_PSL_AFUSEL, CXL_PSL_AFUSEL_A);
	afu = ops->create("mc", 1, options);
	if (!afu)
		return -EINVAL;
	return psl_afu_attach(slice0(), afu);
}

/* The registers a context of area @i brings: translated, interrupts of its own. */
static struct cd_ctx ctx_regs(unsigned int i, u64 wed)
{
	return (struct cd_ctx){
		.sr = TD_SR_USER,
		.sstp0 = td.sstp0,
		.sstp1 = td.sstp1,
		.sdr = td.sdr1,
		.pid = PID,
		.ivte_off = { HW_PSL(i), HW_AFU(i), 0, 0 },
		.ivte_range = { 1, 4, 0, 0 },
		.wed = wed,
	};
}

/* The end of a run: what the OS served, memory; -ENOSPC if faults overflowed. */
static int collect(void)
{
	unsigned int i;

	out->nr_faults = nr_faults;
	for (i = 0; i < nr_faults && i < MAX_FAULTS; i++)
		if (faults[i].served)
			out->served[out->nr_served++] = faults[i];
	for (i = 0; i < NR_AREAS; i++)
		memcpy(out->mem[i], area[i], AREA_BYTES);
	return nr_faults > MAX_FAULTS || out->nr_irqs > MAX_IRQS ? -ENOSPC : 0;
}

struct wait_we {
	const struct memcpy_we *we[NR_AREAS];
	u64 deadline;
};

/* Every WE waited for has its status (the host sees the AFU's write). */
static bool statuses_in(void *arg)
{
	struct wait_we *w = arg;
	unsigned int i;

	if (simq_now(&q) > w->deadline)
		return true;
	for (i = 0; i < NR_AREAS; i++)
		if (w->we[i] && !w->we[i]->status)
			return false;
	return true;
}

static bool job_ended(void *arg)
{
	return slice0()->port.job.state == PSL_JOB_ENDED || simq_now(&q) > *(u64 *)arg;
}

/* Let interrupts, TFC answers and the last responses settle. */
static void settle(void)
{
	simq_run_until(&q, simq_now(&q) + 5 * US);
}

/* ---- Dedicated mode: two jobs, an idle second between them ---- */

static const struct we_spec ded_job1[] = {
	{ .we_off = 0x000, .src_off = 0x1001, .dst_off = 0x807F, .len = 1, .lisn = 1 },
	{ .we_off = 0x080, .src_off = 0x1080, .dst_off = 0x8100, .len = 0 },
	{ .we_off = 0x100, .src_off = 0x1003, .dst_off = 0x8205, .len = 129, .lisn = 2 },
	{ .we_off = 0x180, .src_off = 0x2F05, .dst_off = 0x9F33, .len = 5555 },
	{ .we_off = 0x200, .src_off = 0x5000, .dst_off = 0xC000, .len = 4096, .lisn = 1 },
};

/* A good WE, then one whose destination the process does not have. */
static const struct we_spec ded_job2[] = {
	{ .we_off = 0x300, .src_off = 0x6040, .dst_off = 0xD001, .len = 300, .lisn = 3 },
	{ .we_off = 0x280, .src_off = 0x6200, .len = 512, .lisn = 1, .bad_dst = true },
};

/* Idle time between two jobs, as the run saw it. */
struct idle_cost {
	u64 ticks;
	u64 edges;
	u64 events;
};

static int dedicated_run(const struct afu_ops *ops, const char *options, struct outcome *o,
			 struct idle_cost *idle)
{
	u64 deadline, ticks, edges, events;
	struct cd_ctx c;
	int ret;

	ret = power_on(ops, options, o);
	if (ret)
		return ret;
	c = ctx_regs(0, ea_in(0, ded_job1[0].we_off));
	area_pe[0] = DED_PE;
	put_chain(area[0], 0, ded_job1, ARRAY_SIZE(ded_job1));
	put_chain(area[0], 0, ded_job2, ARRAY_SIZE(ded_job2));
	cd_activate_dedicated(&drv, 0, td.sdr1);
	ret = cd_attach_dedicated(&drv, &c);
	if (ret)
		return ret;
	deadline = simq_now(&q) + DEADLINE;
	simq_run_while_not(&q, job_ended, &deadline);
	settle();
	if (slice0()->port.job.state != PSL_JOB_ENDED)
		return -ETIMEDOUT;
	/* Nothing to do for a simulated second: the clock must stay stopped. */
	ticks = slice0()->port.ticks;
	edges = slice0()->port.edges;
	events = q.nr_fired;
	simq_run_until(&q, simq_now(&q) + PS_PER_S);
	idle->ticks = slice0()->port.ticks - ticks;
	idle->edges = slice0()->port.edges - edges;
	idle->events = q.nr_fired - events;
	/* The process detaches and attaches again with its second job. */
	ret = cd_detach_dedicated(&drv);
	if (ret)
		return ret;
	c.wed = ea_in(0, ded_job2[0].we_off);
	ret = cd_attach_dedicated(&drv, &c);
	if (ret)
		return ret;
	deadline = simq_now(&q) + DEADLINE;
	simq_run_while_not(&q, job_ended, &deadline);
	settle();
	if (slice0()->port.job.state != PSL_JOB_ENDED)
		return -ETIMEDOUT;
	return collect();
}

/* ---- AFU-directed mode: two contexts at once ---- */

static const struct we_spec dir_a[] = {
	{ .we_off = 0x000, .src_off = 0x1000, .dst_off = 0x8000, .len = 2048, .lisn = 1 },
	{ .we_off = 0x080, .src_off = 0x17F1, .dst_off = 0x8A0B, .len = 7000, .lisn = 2 },
	{ .we_off = 0x100, .src_off = 0x4007, .dst_off = 0xF003, .len = 77 },
};

/* A good WE, then one whose source the process does not have. */
static const struct we_spec dir_b1[] = {
	{ .we_off = 0x000, .src_off = 0x2000, .dst_off = 0x9000, .len = 3333, .lisn = 4 },
	{ .we_off = 0x080, .dst_off = 0xB000, .len = 1024, .lisn = 1, .bad_src = true },
};

/* After the error, the context runs again on a new doorbell. */
static const struct we_spec dir_b2[] = {
	{ .we_off = 0x100, .src_off = 0x3005, .dst_off = 0xC002, .len = 600, .lisn = 2 },
};

static int psa_write(u16 pe, u64 reg, u64 v)
{
	return psl_mmio_write(card, 0, psa_base() + pe * MEMCPY_PSA_STRIDE + reg, 8, v);
}

static int psa_read(u16 pe, u64 reg, u64 *v)
{
	return psl_mmio_read(card, 0, psa_base() + pe * MEMCPY_PSA_STRIDE + reg, 8, v);
}

static int ring(u16 pe, u64 wed)
{
	int ret = psa_write(pe, MEMCPY_PSA_WED, wed);

	return ret ? ret : psa_write(pe, MEMCPY_PSA_DOORBELL, 1);
}

static int wait_for(struct wait_we *w)
{
	w->deadline = simq_now(&q) + DEADLINE;
	simq_run_while_not(&q, statuses_in, w);
	settle();
	return simq_now(&q) > w->deadline ? -ETIMEDOUT : 0;
}

/* The bad WE ends B's first chain. */
#define DIR_B1_LAST 1

static int directed_run(const struct afu_ops *ops, const char *options, struct outcome *o)
{
	struct wait_we w = { { NULL } };
	struct cd_ctx ca, cb;
	unsigned int i;
	int ret;

	ret = power_on(ops, options, o);
	if (ret)
		return ret;
	ca = ctx_regs(0, 0);
	cb = ctx_regs(1, 0);
	area_pe[0] = PE_A;
	area_pe[1] = PE_B;
	put_chain(area[0], 0, dir_a, ARRAY_SIZE(dir_a));
	put_chain(area[1], 1, dir_b1, ARRAY_SIZE(dir_b1));
	put_chain(area[1], 1, dir_b2, ARRAY_SIZE(dir_b2));
	ret = cd_afu_reset(&drv);
	if (!ret)
		ret = cd_activate_directed(&drv, 16);
	if (!ret)
		ret = cd_attach_directed(&drv, PE_A, &ca);
	if (!ret)
		ret = cd_attach_directed(&drv, PE_B, &cb);
	if (!ret)
		ret = psa_write(PE_A, MEMCPY_PSA_WED, ea_in(0, dir_a[0].we_off));
	if (!ret)
		ret = psa_write(PE_B, MEMCPY_PSA_WED, ea_in(1, dir_b1[0].we_off));
	/* Both doorbells back to back: the contexts run at once. */
	if (!ret)
		ret = psa_write(PE_A, MEMCPY_PSA_DOORBELL, 1);
	if (!ret)
		ret = psa_write(PE_B, MEMCPY_PSA_DOORBELL, 1);
	w.we[0] = (void *)(area[0] + dir_a[ARRAY_SIZE(dir_a) - 1].we_off);
	w.we[1] = (void *)(area[1] + dir_b1[DIR_B1_LAST].we_off);
	if (!ret)
		ret = wait_for(&w);
	w.we[0] = NULL;
	w.we[1] = (void *)(area[1] + dir_b2[0].we_off);
	if (!ret)
		ret = ring(PE_B, ea_in(1, dir_b2[0].we_off));
	if (!ret)
		ret = wait_for(&w);
	for (i = 0; i < NR_AREAS && !ret; i++) {
		ret = psa_read(area_pe[i], MEMCPY_PSA_STATUS, &o->psa_status[i]);
		if (!ret)
			ret = psa_read(area_pe[i], MEMCPY_PSA_COUNT, &o->psa_count[i]);
	}
	if (!ret)
		ret = cd_detach_directed(&drv, PE_A, PID, 0);
	if (!ret)
		ret = cd_detach_directed(&drv, PE_B, PID, 0);
	return ret ? ret : collect();
}

/* ---- Comparing ---- */

static const struct afu_ops *rtl_ops(void)
{
	static const struct afu_ops *ops;
	static char path[4096];
	const char *env = getenv("RTL_MEMCPY_SO"), *build = getenv("BUILD");

	if (ops)
		return ops;
	if (env && env[0])
		snprintf(path, sizeof(path), "%s", env);
	else
		snprintf(path, sizeof(path), "%s/afu/memcpy-rtl.so",
			 build && build[0] ? build : "build");
	if (afu_load_plugin(path, &ops))
		ops = NULL;
	return ops;
}

/*
 * The C model set up as the RTL one is built: a 16-line window and 32
 * data tags.  With its default 32-line window the C model reads into the
 * next source page before it writes the first destination page, so the
 * OS serves the same pages in another order: pipelining, not behaviour.
 */
#define C_OPTIONS "win=16,tags=33"

/* The served faults of context @pe in @o, in order, into @f; returns how many. */
static unsigned int served_of(const struct outcome *o, u16 pe, struct os_fault *f)
{
	unsigned int i, n = 0;

	for (i = 0; i < o->nr_served; i++)
		if (o->served[i].pe == pe)
			f[n++] = o->served[i];
	return n;
}

static unsigned int irqs_of(const struct outcome *o, u16 pe, u16 *lisn)
{
	unsigned int i, n = 0;

	for (i = 0; i < o->nr_irqs; i++)
		if (o->irqs[i].pe == pe)
			lisn[n++] = o->irqs[i].lisn;
	return n;
}

/* Per context @pe: the same faults served (kind, DSISR, DAR) and interrupts, in order. */
static enum harness_result same_events(u16 pe)
{
	static struct os_fault fc[MAX_FAULTS], fr[MAX_FAULTS];
	u16 lc[MAX_IRQS], lr[MAX_IRQS];
	unsigned int nc, nr, i;

	nc = served_of(&res_c, pe, fc);
	nr = served_of(&res_rtl, pe, fr);
	ASSERT_EQm("faults the OS served", nc, nr);
	for (i = 0; i < nc; i++) {
		ASSERT_EQm("DSISR of a served fault", fc[i].dsisr, fr[i].dsisr);
		ASSERT_EQm("DAR of a served fault", fc[i].dar, fr[i].dar);
	}
	nc = irqs_of(&res_c, pe, lc);
	nr = irqs_of(&res_rtl, pe, lr);
	ASSERT_EQm("AFU interrupts", nc, nr);
	for (i = 0; i < nc; i++)
		ASSERT_EQm("LISN", lc[i], lr[i]);
	PASS();
}

/* Both models: the same memory (status words included), errors and registers. */
static enum harness_result same_outcome(void)
{
	unsigned int i;

	for (i = 0; i < NR_AREAS; i++)
		ASSERT_MEM_EQm("host memory", res_c.mem[i], res_rtl.mem[i], AREA_BYTES);
	ASSERT_EQm("AFU_ERR_An", res_c.afu_err, res_rtl.afu_err);
	for (i = 0; i < NR_AREAS; i++) {
		ASSERT_EQm("PSA STATUS", res_c.psa_status[i], res_rtl.psa_status[i]);
		ASSERT_EQm("PSA COUNT", res_c.psa_count[i], res_rtl.psa_count[i]);
	}
	ASSERT_EQm("no SERR", 0, res_c.nr_serr + res_rtl.nr_serr);
	PASS();
}

/* The expected image of area @i after chains @a (@na WEs) and @b (@nb); *@last: b's end. */
static u8 want[AREA_BYTES] __attribute__((aligned(4096)));

static void expect_area(unsigned int i, const struct we_spec *a, unsigned int na,
			const struct we_spec *b, unsigned int nb, unsigned int *last)
{
	fill_area(want, i);
	put_chain(want, i, a, na);
	put_chain(want, i, b, nb);
	expect_chain(want, i, a, na);
	*last = expect_chain(want, i, b, nb);
}

static u64 want_status(u32 we_off)
{
	return le64toh(((struct memcpy_we *)(want + we_off))->status);
}

TEST dedicated_jobs_match(void)
{
	const struct afu_ops *rtl = rtl_ops();
	struct idle_cost idle_c, idle_r;
	bool seen[AREA_PAGES] = { false };
	unsigned int nr_pages, last;
	static const u16 lisns[] = { 1, 2, 1, 3, 1 };
	unsigned int i;

	ASSERTm("the RTL memcpy plug-in loads", rtl);
	quiet_logs();
	ASSERT_EQ(0, dedicated_run(&afu_memcpy_ops, C_OPTIONS, &res_c, &idle_c));
	ASSERT_EQ(0, dedicated_run(rtl, NULL, &res_rtl, &idle_r));
	CHECK_CALL(same_outcome());
	CHECK_CALL(same_events(DED_PE));
	/* And both are right: the copies, the status words, the error. */
	expect_area(0, ded_job1, ARRAY_SIZE(ded_job1), ded_job2, ARRAY_SIZE(ded_job2), &last);
	ASSERT_MEM_EQm("area after both jobs", want, res_rtl.mem[0], AREA_BYTES);
	ASSERT_EQm("the failed job's status in AFU_ERR_An", want_status(ded_job2[last].we_off),
		   res_rtl.afu_err);
	/* Served: the segment, each page touched, the refused one, the AFU error. */
	nr_pages = pages_touched(ded_job1, ARRAY_SIZE(ded_job1), seen);
	nr_pages += pages_touched(ded_job2, ARRAY_SIZE(ded_job2), seen);
	ASSERT_EQm("faults served", 1 + nr_pages + 1, res_rtl.nr_served);
	ASSERT_EQ(CXL_PSL_DSISR_An_DS, res_rtl.served[0].dsisr);
	ASSERT_EQ(ea_in(0, 0), res_rtl.served[0].dar);
	ASSERT_EQ(CXL_PSL_DSISR_An_AE, res_rtl.served[res_rtl.nr_served - 1].dsisr);
	/* Completion interrupts with the LISNs the WEs asked for, in order. */
	ASSERT_EQ(ARRAY_SIZE(lisns), res_rtl.nr_irqs);
	for (i = 0; i < ARRAY_SIZE(lisns); i++)
		ASSERT_EQm("LISN", lisns[i], res_rtl.irqs[i].lisn);
	/* The idle second cost nothing in either: no edge, no tick, no event. */
	ASSERT_EQm("C: edges, ticks, events while idle", 0,
		   idle_c.ticks + idle_c.edges + idle_c.events);
	ASSERT_EQm("RTL: edges, ticks, events while idle", 0,
		   idle_r.ticks + idle_r.edges + idle_r.events);
	PASS();
}

TEST directed_contexts_match(void)
{
	const struct afu_ops *rtl = rtl_ops();
	static const struct { u16 pe; unsigned int nr; u16 lisn[3]; } irqs[] = {
		{ PE_A, 2, { 1, 2 } }, { PE_B, 3, { 4, 1, 2 } },
	};
	static struct os_fault f[MAX_FAULTS];
	bool seen[AREA_PAGES] = { false };
	unsigned int last, nr_pages, i, k;
	u16 lisn[MAX_IRQS];

	ASSERTm("the RTL memcpy plug-in loads", rtl);
	quiet_logs();
	ASSERT_EQ(0, directed_run(&afu_memcpy_ops, C_OPTIONS, &res_c));
	ASSERT_EQ(0, directed_run(rtl, NULL, &res_rtl));
	CHECK_CALL(same_outcome());
	CHECK_CALL(same_events(PE_A));
	CHECK_CALL(same_events(PE_B));
	/* Context A: its chain done; B: an AERROR on a read, then a good run. */
	expect_area(0, dir_a, ARRAY_SIZE(dir_a), NULL, 0, &last);
	ASSERT_MEM_EQm("area of context A", want, res_rtl.mem[0], AREA_BYTES);
	ASSERT_EQ(MEMCPY_ST_DONE, res_rtl.psa_status[0]);
	ASSERT_EQ(ARRAY_SIZE(dir_a), res_rtl.psa_count[0]);
	expect_area(1, dir_b1, ARRAY_SIZE(dir_b1), dir_b2, ARRAY_SIZE(dir_b2), &last);
	ASSERT_MEM_EQm("area of context B", want, res_rtl.mem[1], AREA_BYTES);
	ASSERT_EQ(AFU_RESP_AERROR, MEMCPY_ST_RESP(want_status(dir_b1[DIR_B1_LAST].we_off)));
	ASSERT_EQ(MEMCPY_ST_DONE, res_rtl.psa_status[1]);
	ASSERT_EQ(2, res_rtl.psa_count[1]);
	for (i = 0; i < ARRAY_SIZE(irqs); i++) {
		ASSERT_EQm("AFU interrupts of a context", irqs[i].nr,
			   irqs_of(&res_rtl, irqs[i].pe, lisn));
		for (k = 0; k < irqs[i].nr; k++)
			ASSERT_EQm("LISN", irqs[i].lisn[k], lisn[k]);
	}
	/* A: its segment and pages; B: the same, and the refused page. */
	nr_pages = pages_touched(dir_a, ARRAY_SIZE(dir_a), seen);
	ASSERT_EQm("faults A's OS served", 1 + nr_pages, served_of(&res_rtl, PE_A, f));
	memset(seen, 0, sizeof(seen));
	nr_pages = pages_touched(dir_b1, ARRAY_SIZE(dir_b1), seen);
	nr_pages += pages_touched(dir_b2, ARRAY_SIZE(dir_b2), seen);
	ASSERT_EQm("faults B's OS served", 1 + nr_pages, served_of(&res_rtl, PE_B, f));
	ASSERT_EQm("no AFU error in AFU-directed mode", 0, res_rtl.afu_err);
	PASS();
}

/* ---- The waveform ---- */

/* What fst2vcd made of an FST: the port signals, commands at rising edges, the end. */
struct vcd_summary {
	bool has[4];		/* ha_jval, ah_jrunning, ah_cvalid, ha_rvalid */
	u64 cmds;		/* rising edges with ah_cvalid high */
	u64 last_time;		/* ps */
};

static const char *const vcd_names[] = { "ha_jval", "ah_jrunning", "ah_cvalid", "ha_rvalid" };

#define VCD_ID_LEN 16

/* After all changes at one time: a time where ha_pclock is 1 is a rising edge. */
static void vcd_sample(struct vcd_summary *v, int pclock, int cvalid)
{
	if (pclock == 1 && cvalid == 1)
		v->cmds++;
}

static int read_vcd(const char *fst, struct vcd_summary *v)
{
	char cmd[4200], line[4096], id_clk[VCD_ID_LEN] = "", id_cvalid[VCD_ID_LEN] = "";
	int pclock = 0, cvalid = 0;
	bool body = false;
	unsigned int i;
	FILE *p;

	memset(v, 0, sizeof(*v));
	snprintf(cmd, sizeof(cmd), "fst2vcd '%s' 2>/dev/null", fst);
	p = popen(cmd, "r");
	if (!p)
		return -errno;
	while (fgets(line, sizeof(line), p)) {
		char id[VCD_ID_LEN], name[64];

		if (!body) {
			body = !strncmp(line, "$enddefinitions", 15);
			if (sscanf(line, "$var %*s %*u %15s %63s", id, name) != 2)
				continue;
			for (i = 0; i < ARRAY_SIZE(vcd_names); i++)
				v->has[i] |= !strcmp(name, vcd_names[i]);
			if (!strcmp(name, "ha_pclock"))
				strcpy(id_clk, id);
			if (!strcmp(name, "ah_cvalid"))
				strcpy(id_cvalid, id);
			continue;
		}
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#') {
			vcd_sample(v, pclock, cvalid);
			v->last_time = strtoull(line + 1, NULL, 10);
		} else if ((line[0] == '0' || line[0] == '1') && id_clk[0] && id_cvalid[0]) {
			if (!strcmp(line + 1, id_clk))
				pclock = line[0] - '0';
			else if (!strcmp(line + 1, id_cvalid))
				cvalid = line[0] - '0';
		}
	}
	vcd_sample(v, pclock, cvalid);
	return pclose(p) ? -EIO : 0;
}

static bool have_fst2vcd(void)
{
	return !system("command -v fst2vcd >/dev/null 2>&1");
}

/*
 * The directed run again, with the RTL model tracing: the same outcome,
 * and an FST that fst2vcd reads, holding the port, every command the PSL
 * accepted (ah_cvalid at a rising edge) and every cycle it clocked the AFU.
 */
TEST rtl_run_writes_an_fst(void)
{
	const struct afu_ops *rtl = rtl_ops();
	char path[] = "/tmp/test_afu_cosim.XXXXXX.fst";
	static struct outcome traced;
	struct vcd_summary v;
	u64 cmds, ticks;
	char opt[64];
	unsigned int i;
	int fd, ret;

	ASSERTm("the RTL memcpy plug-in loads", rtl);
	if (!have_fst2vcd())
		SKIPm("no fst2vcd (GTKWave) to read the FST with");
	quiet_logs();
	fd = mkstemps(path, 4);
	ASSERT(fd >= 0);
	close(fd);
	snprintf(opt, sizeof(opt), "trace=%s", path);
	ret = directed_run(rtl, opt, &traced);
	cmds = slice0()->port.cq.stats.cmds;
	ticks = slice0()->port.ticks;
	/* Unplugged and destroyed: the FST is complete on disk. */
	psl_afu_detach(slice0());
	afu->ops->destroy(afu);
	afu = NULL;
	if (!ret)
		ret = read_vcd(path, &v);
	unlink(path);
	ASSERT_EQ(0, ret);
	for (i = 0; i < NR_AREAS; i++)
		ASSERT_MEM_EQm("tracing changes nothing", res_rtl.mem[i], traced.mem[i],
			       AREA_BYTES);
	for (i = 0; i < ARRAY_SIZE(vcd_names); i++)
		ASSERTm(vcd_names[i], v.has[i]);
	ASSERT(cmds > 100);
	ASSERT_EQm("commands in the waveform", cmds, v.cmds);
	ASSERT_EQm("the waveform's end: 4 ns per AFU cycle", ticks * 4000, v.last_time);
	PASS();
}

SUITE(cosim)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(dedicated_jobs_match);
	RUN_TEST(directed_contexts_match);
	RUN_TEST(rtl_run_writes_an_fst);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	log_set_level(LOG_WARN);
	RUN_SUITE(cosim);
	if (sink)
		fclose(sink);
	HARNESS_MAIN_END();
}
