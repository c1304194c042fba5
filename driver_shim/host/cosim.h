/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The platform under the kernel side of the shim: the simulated cards'
 * config space and MMIO by physical address, PERST, the link freeze, the
 * PHB's CAPI switch, the PHB MSI pools and the MMIO cookie window.
 *
 * Builtin C types only: the kernel side (-nostdinc) includes it too.
 * Every call runs on the simulation thread.  Costs are returned, not
 * charged: the kernel side spends them as simulated time, so that a
 * config cycle or an MMIO access is also an interrupt point there.
 */
#ifndef KSHIM_HOST_COSIM_H
#define KSHIM_HOST_COSIM_H

#define COSIM_MAX_CARDS		4
/* Each card sits alone on its PHB, whose MSIs are [msi_base, msi_base + 2048). */
#define COSIM_MSI_PER_PHB	2048
#define COSIM_MSI_BASE		0x800

struct psl_params;
struct irq_ctl;

/* Where a card sits: what the device tree says of its PHB. */
struct cosim_slot {
	unsigned int chip_id;		/* ibm,chip-id */
	unsigned int phb_index;		/* ibm,phb-index */
	int tb_sync;			/* ibm,capp-timebase-sync present */
	unsigned long long m64_base;	/* the PHB's M64 window, where firmware puts the BARs */
	unsigned int msi_base;		/* first hwirq of the PHB's MSI pool */
	unsigned int msi_count;
};

/* ---- Host side: the harness builds the machine (after world_init) ---- */

/* The MSI controller and the cookie window; 0 or -errno (logged). */
int cosim_init(void);
/* Destroys the cards too; before world_exit(). */
void cosim_exit(void);

/*
 * Power on a card described by @p in the next slot (@slot NULL: chip 0,
 * PHB index = card number, timebase sync, the defaults above), and assign
 * its BARs 0 and 2 in the PHB's M64 window as firmware does.  BAR 4 is
 * the CAPI window the driver programs itself.  Returns the card number
 * or -errno (logged).
 */
int cosim_card_add(const struct psl_params *p, const struct cosim_slot *slot);
/* The controller every PHB's MSIs go through, for wiring a card's raises. */
struct irq_ctl *cosim_irq_ctl(void);

/*
 * The MMIO log: while on, every access reaching a card is recorded in
 * order, so a test can compare the driver's register writes to a golden
 * sequence.  Turning it on clears it.
 */
struct cosim_mmio_rec {
	int card;
	unsigned int bar;
	unsigned long long offset;
	unsigned int width;
	int write;
	unsigned long long val;		/* the register's number */
};

void cosim_mmio_log(int on);
unsigned int cosim_mmio_log_len(void);
const struct cosim_mmio_rec *cosim_mmio_log_get(unsigned int i);

/* ---- Kernel side ---- */

int cosim_nr_cards(void);
/* 0, or -ENODEV for no such card. */
int cosim_card_slot(int card, struct cosim_slot *slot);

/*
 * A config cycle (little-endian, width 1, 2 or 4, inside one dword).
 * Returns 0 or -ENODEV / -EINVAL; *cost_ps is what it took.
 */
int cosim_cfg_read(int card, unsigned int where, unsigned int width, unsigned int *val,
		   unsigned long long *cost_ps);
int cosim_cfg_write(int card, unsigned int where, unsigned int width, unsigned int val,
		    unsigned long long *cost_ps);

/*
 * A load or store of @width bytes at physical address @phys, routed by the
 * cards' BARs as the PHB routes M64 space.  *val is the number the bytes
 * form in big-endian order, i.e. what a big-endian load returns; the
 * caller swaps for a little-endian access.  An address no BAR decodes
 * reads all-ones, drops the store and is logged.  Returns 0 or -EINVAL
 * for a bad width; *cost_ps is what it took.
 */
int cosim_mmio_read(unsigned long long phys, unsigned int width, unsigned long long *val,
		    unsigned long long *cost_ps);
int cosim_mmio_write(unsigned long long phys, unsigned int width, unsigned long long val,
		     unsigned long long *cost_ps);

/* PERST: the card back to power-on, config space included. */
int cosim_perst(int card);
/* The PHB fences the card (EEH freeze): reads all-ones until PERST. */
int cosim_freeze(int card);
/* OPAL_PHB_CAPI_MODE_*: 0, or -EOPNOTSUPP / -EINVAL as the switch refuses. */
int cosim_phb_mode(int card, unsigned long long mode);

/*
 * Route MSIs to @hwirq (the PHB's XIVE set up) to kshim_irq_hwirq(), or
 * stop routing them.  0 or -errno from the controller.
 */
int cosim_msi_enable(unsigned int hwirq);
int cosim_msi_disable(unsigned int hwirq);

/*
 * The MMIO cookie window: PROT_NONE host addresses that fault if the
 * driver ever dereferences an ioremap() cookie instead of using the
 * accessors.  Fixed, so cookies do not depend on ASLR.
 */
unsigned long long cosim_iowin_base(void);
unsigned long long cosim_iowin_len(void);

/* ---- Implemented by the kernel side (irq.c) ---- */

/* An MSI reached the host: raise the virq mapped to @hwirq (event context). */
void kshim_irq_hwirq(unsigned int hwirq);

#endif
