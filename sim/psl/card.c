// SPDX-License-Identifier: GPL-2.0
/*
 * A PSL8 card: parameters, power-on and PERST, the link freeze, the PHB's
 * CAPI switch, and MMIO decode of BAR0 and BAR2 into the register blocks
 * of p1.c and p2.c.
 */
#define pr_fmt(fmt) "psl: " fmt

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "inject/inject.h"
#include "psl/psl.h"

INJECT_POINT(ip_mmio_read, "psl.mmio.read",
	     "the data of a P1/P2 load: lost (all-ones) or changed",
	     INJECT_DROP | INJECT_VALUE | INJECT_XOR);
INJECT_POINT(ip_mmio_write, "psl.mmio.write",
	     "a store on its way into the card (registers or AFU space): lost or changed",
	     INJECT_DROP | INJECT_VALUE | INJECT_XOR);

static struct trace_kind tk_mmio =
	TRACE_KIND("psl.mmio", TRACE_LVL_DEFAULT,
		   "bar:u64 off:u64 width:u64 write:u64 val:u64 lat:u64");
static struct trace_kind tk_state =
	TRACE_KIND("psl.state", TRACE_LVL_DEFAULT, "slice:s64 machine:str state:u64");

#define MAX_PROCESSES 16384	/* CAIA: up to 16K contexts (reference 3.1) */

void psl_params_defaults(struct psl_params *p)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "card0");
	p->device_id = 0x0477;		/* first ID the driver binds [K] */
	p->subsys_vendor = PCI_VENDOR_ID_IBM;	/* [U] */
	p->class_code = 0x120000;	/* processing accelerator [U] */
	p->link_speed = 3;		/* 8 GT/s: CAPI 1.0 is PCIe Gen3 [U] */
	p->link_width = 16;		/* [U] */
	p->aer = true;
	p->bar0_size = 128ULL << 20;	/* reference 1.3 example layout [U] */
	p->bar2_size = 128ULL << 10;
	p->bar4_size = 1ULL << 48;	/* holds the driver's 0x0002_0000_0000_0000 [U] */
	p->nr_slices = 1;
	p->psl_rev = 0x0001;		/* top nibble 0: the driver's AER fixup runs [U] */
	p->caia_major = 1;		/* POWER8 requires 1 [K] */
	p->base_image = 1;		/* [U] */
	/* User image loaded, PERST reloads nothing: EEH recovery is attempted [K]. */
	p->image_state = CXL_VSEC_USER_IMAGE_LOADED;
	p->afu_desc_off = 1;		/* 64 KiB */
	p->afu_desc_size = 1;
	p->ps_off = 0x400;		/* 64 MiB */
	p->ps_size = 0x400;
	p->num_of_processes = 64;	/* [U] */
	/* Errors reported per context or slice do not also raise the adapter error [U]. */
	p->fir1_mask = PSL_FIR1_BAD_RA | PSL_FIR1_PARITY | PSL_FIR1_ILL_CMD | PSL_FIR1_AFU;
	p->fir2_mask = 0;
	p->serr_w1c = true;
	p->afu_ra_self_clear = true;
	p->es_enable_pending = IBM_FIELD(2, 0, 2);	/* ES 010 [U] */
	p->es_disable_pending = IBM_FIELD(6, 0, 2);	/* ES 110 [U] */
	p->fs_busy = IBM_FIELD(1, 28, 29);		/* Fs 01 [U] */
	p->croom = 64;		/* PSLSE's default and maximum; silicon's value [U] */
	/* Strict waits for the OS; the others are our reading of the names [U]. */
	memset(p->cabt, PSL_CABT_ILLEGAL, sizeof(p->cabt));
	p->cabt[AFU_CABT_STRICT] = PSL_CABT_WAIT;
	p->cabt[AFU_CABT_ABORT] = PSL_CABT_ABORT;
	p->cabt[AFU_CABT_PAGE] = PSL_CABT_PAGE;
	p->cabt[AFU_CABT_PREF] = PSL_CABT_FAULT;
	p->cabt[AFU_CABT_SPEC] = PSL_CABT_FAULT;
	psl_xlate_params_defaults(&p->xlate);
	psl_timing_defaults(&p->timing);
}

static bool is_pow2(u64 x)
{
	return x && !(x & (x - 1));
}

struct bar0_region {
	const char *what;
	u64 start;
	u64 len;
};

/* BAR0 holds the P2 blocks, the AFU descriptors and the PSAs, disjoint. */
static int check_bar0(const struct psl_params *p)
{
	struct bar0_region r[] = {
		{ "P2 blocks", 0, (u64)p->nr_slices * CXL_P2_SLICE_SIZE },
		{ "AFU descriptors", p->afu_desc_off * CXL_VSEC_UNIT,
		  (u64)p->nr_slices * p->afu_desc_size * CXL_VSEC_UNIT },
		{ "problem state areas", p->ps_off * CXL_VSEC_UNIT,
		  (u64)p->nr_slices * p->ps_size * CXL_VSEC_UNIT },
	};
	unsigned int i, j, n = p->ps_size ? 3 : 2;

	for (i = 0; i < n; i++) {
		if (r[i].start + r[i].len > p->bar0_size) {
			pr_err("%s: %s end at 0x%llx, past BAR0 (0x%llx bytes)\n", p->name,
			       r[i].what, (unsigned long long)(r[i].start + r[i].len),
			       (unsigned long long)p->bar0_size);
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			if (r[i].start < r[j].start + r[j].len &&
			    r[j].start < r[i].start + r[i].len) {
				pr_err("%s: %s overlap %s in BAR0\n", p->name, r[i].what,
				       r[j].what);
				return -EINVAL;
			}
		}
	}
	return 0;
}

static bool es_pending_ok(u64 es)
{
	return !(es & ~CXL_AFU_Cntl_An_ES_MASK) && es != CXL_AFU_Cntl_An_ES_Disabled &&
	       es != CXL_AFU_Cntl_An_ES_Enabled;
}

static bool cabt_ok(const u8 *cabt)
{
	unsigned int i;

	for (i = 0; i < PSL_NR_CABT; i++)
		if (cabt[i] > PSL_CABT_ILLEGAL)
			return false;
	return true;
}

int psl_params_check(const struct psl_params *p)
{
	const char *bad = NULL;

	if (p->nr_slices < 1 || p->nr_slices > CXL_MAX_SLICES)
		bad = "nr_slices must be 1..4";
	else if (!is_pow2(p->bar0_size) || p->bar0_size < 4096)
		bad = "bar0_size must be a power of two >= 4 KiB";
	else if (!is_pow2(p->bar2_size) ||
		 p->bar2_size < CXL_P1_SLICE_BASE + p->nr_slices * CXL_P1_SLICE_SIZE)
		bad = "bar2_size must be a power of two holding every slice's P1 block";
	else if (!is_pow2(p->bar4_size) || p->bar4_size < 4096)
		bad = "bar4_size must be a power of two >= 4 KiB";
	else if (!p->afu_desc_off || !p->afu_desc_size)
		bad = "afu_desc_off and afu_desc_size must be non-zero (the driver requires it)";
	else if (!es_pending_ok(p->es_enable_pending) || !es_pending_ok(p->es_disable_pending))
		bad = "ES pending encodings must lie in ES and differ from disabled and enabled";
	else if ((p->fs_busy & ~CXL_PSL_Control_Fs_MASK) ||
		 p->fs_busy == CXL_PSL_Control_Fs_Complete)
		bad = "fs_busy must lie in Fs and differ from complete";
	else if (!p->link_speed || p->link_speed > 5 || !p->link_width || p->link_width > 32)
		bad = "link_speed must be 1..5 and link_width 1..32";
	else if (!p->num_of_processes || p->num_of_processes > MAX_PROCESSES)
		bad = "num_of_processes must be 1..16384";
	else if (!p->croom)
		bad = "croom must be 1..255";
	else if (!cabt_ok(p->cabt))
		bad = "cabt entries must be enum psl_cabt_action values";
	if (bad) {
		pr_err("%s: %s\n", p->name, bad);
		return -EINVAL;
	}
	return check_bar0(p);
}

void psl_schedule(struct psl_card *card, struct sim_event *ev, u64 dt)
{
	u64 now = simq_now(card->q);
	int ret;

	if (!dt) {
		sim_cancel(card->q, ev);
		ev->fn(ev->arg);
		return;
	}
	/* A time past 2^64 ps wraps into the past, which the queue refuses. */
	ret = sim_reschedule_at(card->q, ev, now + dt);
	if (ret)
		pr_err("%s: cannot schedule %s: %d; the handshake will not complete\n",
		       card->p.name, ev->name, ret);
}

void psl_trace_state(struct psl_card *card, const struct psl_slice *s, u32 pe,
		     const char *machine, unsigned int state)
{
	trace_emit(&tk_state, &card->tsrc, pe, TRACE_S(s ? (s64)s->idx : -1),
		   TRACE_STR(machine), TRACE_U(state));
}

/*
 * Registers, handshakes, contexts and faults to power-on values; config
 * space is separate.  Faults go first: answering them touches registers,
 * and dropping them before anything else withdraws one means none is
 * presented (or interrupts) on the way down.
 */
static void card_regs_reset(struct psl_card *card)
{
	unsigned int i;

	for (i = 0; i < card->p.nr_slices; i++) {
		psl_fault_reset(&card->slice[i]);
		psl_spa_reset(&card->slice[i]);
		psl_port_reset(&card->slice[i]);
		psl_ctx_reset(&card->slice[i]);
	}
	card->link_free = 0;
	psl_p1_reset(card);
	for (i = 0; i < card->p.nr_slices; i++)
		psl_p2_reset(&card->slice[i]);
}

static void psl_card_free(struct psl_card *card)
{
	unsigned int i;

	for (i = 0; i < card->p.nr_slices; i++) {
		psl_ctx_exit(&card->slice[i]);
		psl_xlate_exit(&card->slice[i].xlate);
	}
	free(card);
}

struct psl_card *psl_card_create(struct sim_queue *q, const struct psl_params *p)
{
	struct psl_card *card;
	unsigned int i;

	if (psl_params_check(p))
		return NULL;
	card = calloc(1, sizeof(*card));
	if (!card) {
		pr_err("%s: out of memory\n", p->name);
		return NULL;
	}
	card->q = q;
	card->p = *p;
	card->tsrc.name = card->p.name;
	psl_p1_init(card);
	for (i = 0; i < p->nr_slices; i++) {
		struct psl_slice *s = &card->slice[i];

		s->card = card;
		s->idx = i;
		psl_p2_init(s);
		psl_spa_init(s);
		psl_port_init(s);
		if (psl_ctx_init(s) || psl_xlate_init(&s->xlate, NULL, &p->xlate)) {
			pr_err("%s: cannot make slice %u's contexts and translation caches\n",
			       p->name, i);
			psl_card_free(card);
			return NULL;
		}
	}
	psl_cfg_init(card);
	card_regs_reset(card);
	pr_info("%s: PSL8 card, device 0x%04x, %u slice(s)\n", p->name, p->device_id,
		p->nr_slices);
	return card;
}

void psl_card_destroy(struct psl_card *card)
{
	if (!card)
		return;
	/* Cancels every pending event, which live inside the card. */
	card_regs_reset(card);
	psl_card_free(card);
}

void psl_card_perst(struct psl_card *card)
{
	unsigned int i;

	card->stats.perst++;
	pr_info("%s: PERST\n", card->p.name);
	card_regs_reset(card);
	psl_cfg_perst(card);
	/* The AFUs are reset with the card (reference 6.5 [U]); not an AFU_Cntl handshake. */
	for (i = 0; i < card->p.nr_slices; i++)
		if (psl_afu_attached(&card->slice[i]))
			psl_job_reset(&card->slice[i], false);
	card->frozen = false;
	psl_trace_state(card, NULL, TRACE_CTX_NONE, "link-frozen", 0);
	/* The CAPP leaves CAPI mode with the card; the driver switches it again [U]. */
	card->phb_mode = PSL_PHB_PCIE;
}

void psl_card_freeze(struct psl_card *card)
{
	pr_info("%s: link frozen: MMIO reads all-ones, writes dropped until PERST\n",
		card->p.name);
	card->frozen = true;
	psl_trace_state(card, NULL, TRACE_CTX_NONE, "link-frozen", 1);
}

void psl_card_connect(struct psl_card *card, struct host_mem *mem, struct irq_ctl *ic)
{
	unsigned int i;

	card->mem = mem;
	card->ic = ic;
	for (i = 0; i < card->p.nr_slices; i++)
		card->slice[i].xlate.mem = mem;
}

unsigned int psl_card_tlbie(struct psl_card *card, u32 lpid, u64 vpn, enum psl_ssize ss,
			    unsigned int bshift, unsigned int ashift)
{
	unsigned int i, n = 0;

	card->nr_tlbie++;
	for (i = 0; i < card->p.nr_slices; i++)
		n += psl_xlate_tlbie(&card->slice[i].xlate, lpid, vpn, ss, bshift, ashift);
	return n;
}

int psl_card_phb_mode(struct psl_card *card, enum psl_phb_mode mode)
{
	if (mode > PSL_PHB_CAPI_SNOOP ||
	    (mode != card->phb_mode && mode != card->phb_mode + 1)) {
		pr_warn("%s: PHB mode switch %d -> %d refused\n", card->p.name,
			card->phb_mode, mode);
		return -EINVAL;
	}
	if (mode == PSL_PHB_CAPI &&
	    !(card->cfg[card->vsec + CXL_VSEC_PROTOCOL] & CXL_VSEC_PROTOCOL_ENABLE))
		pr_warn("%s: PHB switched to CAPI while the card's VSEC is not in CAPI mode\n",
			card->p.name);
	card->phb_mode = mode;
	return 0;
}

/* The POWER8 timebase runs at 512 MHz: 64 ticks every 125 ns. */
u64 psl_host_timebase(u64 t)
{
	return t / 125000 * 64 + t % 125000 * 64 / 125000;
}

/* ---- MMIO decode ---- */

static u64 all_ones(unsigned int width)
{
	return width == 8 ? ~0ULL : (1ULL << (8 * width)) - 1;
}

static void mmio_reject(struct psl_card *card, unsigned int bar, u64 offset,
			unsigned int width, bool write, const char *why)
{
	pr_warn("%s: %s of %u bytes at BAR%u+0x%llx: %s; %s\n", card->p.name,
		write ? "store" : "load", width, bar, (unsigned long long)offset, why,
		write ? "dropped" : "reads all-ones");
}

static bool p1p2_width_ok(struct psl_card *card, unsigned int bar, u64 offset,
			  unsigned int width, bool write)
{
	if (width == 8 && !(offset & 7))
		return true;
	card->stats.mmio_bad_width++;
	mmio_reject(card, bar, offset, width, write,
		    "P1/P2 registers take aligned 64-bit accesses only");
	return false;
}

/* One access the card decoded to a register block; returns -ENOENT if none. */
static int mmio_register(struct psl_card *card, unsigned int bar, u64 offset,
			 bool write, u64 *val)
{
	struct psl_slice *s;

	if (bar == 2)
		return write ? psl_p1_write(card, offset, *val) : psl_p1_read(card, offset, val);
	s = &card->slice[offset / CXL_P2_SLICE_SIZE];
	offset %= CXL_P2_SLICE_SIZE;
	return write ? psl_p2_write(s, offset, *val) : psl_p2_read(s, offset, val);
}

/*
 * Decode one access.  Returns true if it goes to an AFU (descriptor or
 * problem state); otherwise it is done, with *@val set for a load.
 */
static bool mmio_access(struct psl_card *card, unsigned int bar, u64 offset,
			unsigned int width, bool write, u64 *val)
{
	u64 size = bar ? card->p.bar2_size : card->p.bar0_size;

	if (card->frozen) {
		card->stats.mmio_frozen++;
		pr_debug("%s: %s at BAR%u+0x%llx while frozen\n", card->p.name,
			 write ? "store" : "load", bar, (unsigned long long)offset);
		return false;
	}
	if (!psl_cfg_mem_enabled(card)) {
		card->stats.mmio_undecoded++;
		mmio_reject(card, bar, offset, width, write, "memory space is disabled");
		return false;
	}
	if (offset >= size || width > size - offset) {
		card->stats.mmio_bad_offset++;
		mmio_reject(card, bar, offset, width, write, "past the end of the BAR");
		return false;
	}
	if (bar == 0 && offset >= (u64)card->p.nr_slices * CXL_P2_SLICE_SIZE) {
		if (psl_afu_mmio_is_afu_space(card, offset)) {
			card->stats.mmio_afu++;
			return true;
		}
		card->stats.mmio_bad_offset++;
		mmio_reject(card, bar, offset, width, write, "nothing is mapped there");
		return false;
	}
	if (!p1p2_width_ok(card, bar, offset, width, write))
		return false;
	if (mmio_register(card, bar, offset, write, val)) {
		card->stats.mmio_bad_offset++;
		mmio_reject(card, bar, offset, width, write, "no register at this offset");
	}
	return false;
}

static bool mmio_args_ok(unsigned int bar, unsigned int width)
{
	return (bar == 0 || bar == 2) &&
	       (width == 1 || width == 2 || width == 4 || width == 8);
}

int psl_mmio_read_async(struct psl_card *card, unsigned int bar, u64 offset,
			unsigned int width, psl_mmio_done_fn *done, void *arg)
{
	struct inject_action act;
	u64 val;

	if (!mmio_args_ok(bar, width) || !done)
		return -EINVAL;
	card->stats.mmio_reads++;
	val = all_ones(width);
	if (mmio_access(card, bar, offset, width, false, &val))
		return psl_afu_mmio_submit(card, offset, width, false, 0, done, arg);
	if (inject_check(&ip_mmio_read, &act))
		val = act.kind == INJECT_KIND_DROP ? all_ones(width) :
			inject_apply(&act, val) & all_ones(width);
	trace_emit(&tk_mmio, &card->tsrc, TRACE_CTX_NONE, TRACE_U(bar), TRACE_U(offset),
		   TRACE_U(width), TRACE_U(0), TRACE_U(val), TRACE_U(card->p.timing.mmio_read));
	done(arg, val);
	return 0;
}

int psl_mmio_write_async(struct psl_card *card, unsigned int bar, u64 offset,
			 unsigned int width, u64 val, psl_mmio_done_fn *done, void *arg)
{
	struct inject_action act;

	if (!mmio_args_ok(bar, width) || !done)
		return -EINVAL;
	card->stats.mmio_writes++;
	trace_emit(&tk_mmio, &card->tsrc, TRACE_CTX_NONE, TRACE_U(bar), TRACE_U(offset),
		   TRACE_U(width), TRACE_U(1), TRACE_U(val), TRACE_U(card->p.timing.mmio_write));
	if (inject_check(&ip_mmio_write, &act)) {
		if (act.kind == INJECT_KIND_DROP) {
			done(arg, 0);
			return 0;
		}
		val = inject_apply(&act, val) & all_ones(width);
	}
	if (mmio_access(card, bar, offset, width, true, &val))
		return psl_afu_mmio_submit(card, offset, width, true, val, done, arg);
	done(arg, 0);
	return 0;
}

/* A synchronous caller's view of an access that may take time. */
struct mmio_wait {
	bool done;
	u64 val;
};

static void mmio_wait_done(void *arg, u64 val)
{
	struct mmio_wait *w = arg;

	w->done = true;
	w->val = val;
}

static bool mmio_wait_over(void *arg)
{
	return ((struct mmio_wait *)arg)->done;
}

/*
 * Run the card's queue until a forwarded access completes.  It always
 * does: the AFU's clock runs while the access is pending, and the MMIO
 * time-out ends it if the AFU never answers.
 */
static void mmio_wait(struct psl_card *card, struct mmio_wait *w)
{
	while (!w->done) {
		simq_run_while_not(card->q, mmio_wait_over, w);
		if (!w->done && simq_next_time(card->q) == SIM_TIME_NEVER) {
			pr_err("%s: AFU MMIO pending with nothing left to run\n", card->p.name);
			return;
		}
	}
}

int psl_mmio_read(struct psl_card *card, unsigned int bar, u64 offset,
		  unsigned int width, u64 *val)
{
	struct mmio_wait w = { 0 };
	int ret;

	ret = psl_mmio_read_async(card, bar, offset, width, mmio_wait_done, &w);
	if (ret == -EINPROGRESS)
		mmio_wait(card, &w);
	else if (ret)
		return ret;
	*val = w.val;
	return 0;
}

int psl_mmio_write(struct psl_card *card, unsigned int bar, u64 offset,
		   unsigned int width, u64 val)
{
	struct mmio_wait w = { 0 };
	int ret;

	ret = psl_mmio_write_async(card, bar, offset, width, val, mmio_wait_done, &w);
	if (ret == -EINPROGRESS)
		mmio_wait(card, &w);
	else if (ret)
		return ret;
	return 0;
}
