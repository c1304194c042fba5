// SPDX-License-Identifier: GPL-2.0
/*
 * The platform under the kernel side: PHBs holding one simulated PSL8
 * card each, their M64 windows, MSI pools and CAPI switch, and the MMIO
 * cookie window.  What the kernel side asks by builtin types (cosim.h)
 * becomes calls into sim/psl and sim/host/irq here.
 */
#define pr_fmt(fmt) "cosim: " fmt

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "core/log.h"
#include "host/irq.h"
#include "psl/psl.h"
#include "world.h"
#include "cosim.h"
#include "hmem.h"

/*
 * The cookie window.  Above ASan's shadow (which ends at 0x10007fff7fff),
 * clear of hmem.h's arenas, below ASan's allocator (0x600000000000) and
 * far below where the host's mmap() puts libraries and stacks.
 */
#define IOWIN_BASE	0x400000000000ULL
#define IOWIN_LEN	(64ULL << 30)

/*
 * The M64 window of a POWER8 PHB as skiboot reports it (ibm,opal-m64-window,
 * quoted in the driver's pci.c): 32 GiB; further PHBs follow it [U].
 */
#define M64_BASE	0x3d05800000000ULL
#define M64_LEN		0x800000000ULL

/* The first BAR register in config space (PCI 3.0 type-0 header). */
#define CFG_BAR0	0x10

/* OPAL_PHB_CAPI_MODE_* (the kernel's ppc.h names them too). */
#define CAPI_MODE_PCIE		0
#define CAPI_MODE_CAPI		1
#define CAPI_MODE_SNOOP_ON	3

/*
 * The platform.  Only the simulation thread touches it, between
 * cosim_init() and cosim_exit(); the cards themselves are in kshim_world.
 */
static struct cosim {
	struct irq_ctl ic;		/* every PHB's MSIs; set up with the first card */
	bool ic_ready;
	struct cosim_slot slot[COSIM_MAX_CARDS];
	void *iowin;			/* MAP_FAILED when not reserved */
	bool log_on;
	struct cosim_mmio_rec *log;	/* the MMIO log, log_len of log_cap used */
	unsigned int log_len;
	unsigned int log_cap;
} cs = { .iowin = MAP_FAILED };

int cosim_init(void)
{
	void *p;

	p = mmap((void *)IOWIN_BASE, IOWIN_LEN, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED || p != (void *)IOWIN_BASE) {
		pr_err("cannot reserve the MMIO cookie window at 0x%llx\n", IOWIN_BASE);
		if (p != MAP_FAILED)
			munmap(p, IOWIN_LEN);
		return -ENOMEM;
	}
	cs.iowin = p;
	return 0;
}

void cosim_exit(void)
{
	unsigned int i;

	for (i = 0; i < kshim_world.nr_cards; i++) {
		psl_card_destroy(kshim_world.cards[i]);
		kshim_world.cards[i] = NULL;
	}
	kshim_world.nr_cards = 0;
	if (cs.ic_ready)
		irq_ctl_exit(&cs.ic);
	if (cs.iowin != MAP_FAILED)
		munmap(cs.iowin, IOWIN_LEN);
	free(cs.log);
	cs = (struct cosim){ .iowin = MAP_FAILED };
}

static void slot_defaults(struct cosim_slot *s, unsigned int n)
{
	*s = (struct cosim_slot){
		.chip_id = 0,
		.phb_index = n,
		.tb_sync = 1,
		.m64_base = M64_BASE + n * M64_LEN,
		.msi_base = COSIM_MSI_BASE + n * COSIM_MSI_PER_PHB,
		.msi_count = COSIM_MSI_PER_PHB,
	};
}

static int card_cfg_write64(struct psl_card *card, unsigned int bar, u64 addr)
{
	unsigned int off = CFG_BAR0 + 4 * bar;
	int ret;

	ret = psl_cfg_write(card, off, 4, (u32)addr);
	if (!ret)
		ret = psl_cfg_write(card, off + 4, 4, (u32)(addr >> 32));
	return ret;
}

/* Firmware's BAR assignment: BAR0 at the window's base, BAR2 above it, each aligned. */
static int assign_bars(struct psl_card *card, const struct cosim_slot *s)
{
	u64 bar0 = s->m64_base;
	u64 bar2 = bar0 + card->p.bar0_size;

	bar2 = (bar2 + card->p.bar2_size - 1) & ~(card->p.bar2_size - 1);
	if (bar2 + card->p.bar2_size > s->m64_base + M64_LEN) {
		pr_err("%s: BARs do not fit the PHB's M64 window\n", card->p.name);
		return -ENOSPC;
	}
	if (card_cfg_write64(card, 0, bar0) || card_cfg_write64(card, 2, bar2))
		return -EINVAL;
	return 0;
}

static int ic_setup(const struct psl_params *p)
{
	int ret;

	if (cs.ic_ready) {
		if (p->timing.msi_delivery != cs.ic.latency)
			pr_warn("%s: msi_delivery differs from the first card's, which holds\n",
				p->name);
		return 0;
	}
	ret = irq_ctl_init(&cs.ic, &kshim_world.q, COSIM_MSI_BASE,
			   COSIM_MAX_CARDS * COSIM_MSI_PER_PHB, p->timing.msi_delivery);
	if (ret) {
		pr_err("cannot set up the MSI controller: %d\n", ret);
		return ret;
	}
	cs.ic_ready = true;
	return 0;
}

int cosim_card_add(const struct psl_params *p, const struct cosim_slot *slot)
{
	unsigned int n = kshim_world.nr_cards;
	struct psl_card *card;
	int ret;

	if (n == COSIM_MAX_CARDS) {
		pr_err("%s: no free slot (%d cards at most)\n", p->name, COSIM_MAX_CARDS);
		return -ENOSPC;
	}
	if (slot)
		cs.slot[n] = *slot;
	else
		slot_defaults(&cs.slot[n], n);
	ret = ic_setup(p);
	if (ret)
		return ret;
	card = psl_card_create(&kshim_world.q, p);
	if (!card)
		return -EINVAL;
	ret = assign_bars(card, &cs.slot[n]);
	if (ret) {
		psl_card_destroy(card);
		return ret;
	}
	psl_card_connect(card, &kshim_world.mem, &cs.ic);
	kshim_world.cards[n] = card;
	kshim_world.nr_cards = n + 1;
	return n;
}

struct irq_ctl *cosim_irq_ctl(void)
{
	return cs.ic_ready ? &cs.ic : NULL;
}

void cosim_mmio_log(int on)
{
	if (on)
		cs.log_len = 0;
	cs.log_on = on;
}

unsigned int cosim_mmio_log_len(void)
{
	return cs.log_len;
}

const struct cosim_mmio_rec *cosim_mmio_log_get(unsigned int i)
{
	return i < cs.log_len ? &cs.log[i] : NULL;
}

static void log_access(int card, unsigned int bar, u64 offset, unsigned int width,
		       bool write, u64 val)
{
	struct cosim_mmio_rec *r;

	if (!cs.log_on)
		return;
	if (cs.log_len == cs.log_cap) {
		unsigned int cap = cs.log_cap ? 2 * cs.log_cap : 256;

		r = realloc(cs.log, cap * sizeof(*r));
		if (!r) {
			pr_err("out of memory: the MMIO log stops at %u entries\n", cs.log_len);
			cs.log_on = false;
			return;
		}
		cs.log = r;
		cs.log_cap = cap;
	}
	cs.log[cs.log_len++] = (struct cosim_mmio_rec){
		.card = card, .bar = bar, .offset = offset, .width = width,
		.write = write, .val = val,
	};
}

int cosim_nr_cards(void)
{
	return kshim_world.nr_cards;
}

static struct psl_card *card_of(int card)
{
	if (card < 0 || (unsigned int)card >= kshim_world.nr_cards)
		return NULL;
	return kshim_world.cards[card];
}

int cosim_card_slot(int card, struct cosim_slot *slot)
{
	if (!card_of(card))
		return -ENODEV;
	*slot = cs.slot[card];
	return 0;
}

int cosim_cfg_read(int card, unsigned int where, unsigned int width, unsigned int *val,
		   unsigned long long *cost_ps)
{
	struct psl_card *c = card_of(card);

	*cost_ps = 0;
	if (!c)
		return -ENODEV;
	*cost_ps = c->p.timing.cfg_access;
	return psl_cfg_read(c, where, width, val);
}

int cosim_cfg_write(int card, unsigned int where, unsigned int width, unsigned int val,
		    unsigned long long *cost_ps)
{
	struct psl_card *c = card_of(card);

	*cost_ps = 0;
	if (!c)
		return -ENODEV;
	*cost_ps = c->p.timing.cfg_access;
	return psl_cfg_write(c, where, width, val);
}

/* Which card and BAR decode @phys, as the PHB's M64 routing does. */
static int route(u64 phys, unsigned int width, int *card, unsigned int *bar, u64 *off)
{
	static const unsigned int bars[] = { 0, 2 };
	unsigned int i, j;

	for (i = 0; i < kshim_world.nr_cards; i++) {
		struct psl_card *c = kshim_world.cards[i];

		for (j = 0; j < 2; j++) {
			u64 base = psl_cfg_bar_addr(c, bars[j]);
			u64 size = bars[j] ? c->p.bar2_size : c->p.bar0_size;

			if (base && phys >= base && phys - base < size) {
				*card = i;
				*bar = bars[j];
				*off = phys - base;
				return 0;
			}
		}
	}
	pr_warn("%u-byte MMIO at 0x%llx: no BAR decodes it; reads all-ones, store dropped\n",
		width, (unsigned long long)phys);
	return -ENXIO;
}

static bool width_ok(unsigned int width)
{
	return width == 1 || width == 2 || width == 4 || width == 8;
}

int cosim_mmio_read(unsigned long long phys, unsigned int width, unsigned long long *val,
		    unsigned long long *cost_ps)
{
	struct psl_card *c;
	unsigned int bar;
	u64 off, v;
	int card, ret;

	*cost_ps = 0;
	if (!width_ok(width))
		return -EINVAL;
	*val = width == 8 ? ~0ULL : (1ULL << (8 * width)) - 1;
	if (route(phys, width, &card, &bar, &off))
		return 0;
	c = kshim_world.cards[card];
	*cost_ps = c->p.timing.mmio_read;
	ret = psl_mmio_read(c, bar, off, width, &v);
	if (ret)
		return ret;
	*val = v;
	log_access(card, bar, off, width, false, v);
	return 0;
}

int cosim_mmio_write(unsigned long long phys, unsigned int width, unsigned long long val,
		     unsigned long long *cost_ps)
{
	struct psl_card *c;
	unsigned int bar;
	u64 off;
	int card;

	*cost_ps = 0;
	if (!width_ok(width))
		return -EINVAL;
	if (route(phys, width, &card, &bar, &off))
		return 0;
	c = kshim_world.cards[card];
	*cost_ps = c->p.timing.mmio_write;
	log_access(card, bar, off, width, true, val);
	return psl_mmio_write(c, bar, off, width, val);
}

int cosim_perst(int card)
{
	struct psl_card *c = card_of(card);

	if (!c)
		return -ENODEV;
	psl_card_perst(c);
	return 0;
}

int cosim_freeze(int card)
{
	struct psl_card *c = card_of(card);

	if (!c)
		return -ENODEV;
	psl_card_freeze(c);
	return 0;
}

int cosim_phb_mode(int card, unsigned long long mode)
{
	struct psl_card *c = card_of(card);

	if (!c)
		return -ENODEV;
	switch (mode) {
	case CAPI_MODE_PCIE:
		return psl_card_phb_mode(c, PSL_PHB_PCIE);
	case CAPI_MODE_CAPI:
		return psl_card_phb_mode(c, PSL_PHB_CAPI);
	case CAPI_MODE_SNOOP_ON:
		return psl_card_phb_mode(c, PSL_PHB_CAPI_SNOOP);
	}
	pr_warn("%s: CAPI mode %llu is not modelled\n", c->p.name, mode);
	return -EOPNOTSUPP;
}

static void msi_arrived(void *arg, u32 hwirq)
{
	kshim_irq_hwirq(hwirq);
}

int cosim_msi_enable(unsigned int hwirq)
{
	if (!cs.ic_ready)
		return -ENODEV;
	return irq_attach(&cs.ic, hwirq, msi_arrived, NULL);
}

int cosim_msi_disable(unsigned int hwirq)
{
	if (!cs.ic_ready)
		return -ENODEV;
	return irq_detach(&cs.ic, hwirq);
}

unsigned long long cosim_iowin_base(void)
{
	return cs.iowin == MAP_FAILED ? 0 : IOWIN_BASE;
}

unsigned long long cosim_iowin_len(void)
{
	return cs.iowin == MAP_FAILED ? 0 : IOWIN_LEN;
}

/*
 * A global tlbie, which the CAPP of every card snoops for its PSL
 * (reference 4.7).  The kernel's segment-size encoding is the HPTE's B
 * field, which psl_ssize follows.
 */
void kshim_card_tlbie(unsigned int lpid, unsigned long long vpn, int ssize,
		      unsigned int bshift, unsigned int ashift)
{
	unsigned int i, n = 0;

	for (i = 0; i < kshim_world.nr_cards; i++)
		n += psl_card_tlbie(kshim_world.cards[i], lpid, vpn, (enum psl_ssize)ssize, bshift,
				    ashift);
	pr_debug("tlbie lpid %u vpn 0x%llx ssize %d page 2^%u/2^%u: %u TLB entries dropped\n",
		 lpid, vpn, ssize, bshift, ashift, n);
}
