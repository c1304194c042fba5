/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between the kernel-side files of the bus, device and interrupt part of
 * the shim (pci, phb, of, irq, mmio, eeh, device, vfs, debugfs, boot):
 * the PHBs, the device model's /dev hooks, the cookie window and the cost
 * of a bus access.  Not for the driver.
 */
#ifndef _KSHIM_KERNEL_BUS_H
#define _KSHIM_KERNEL_BUS_H

#include <kshim/kshim.h>
#include "../host/cosim.h"

/*
 * One PHB of the PowerNV host and the card on its root port.  Created by
 * kshim_pci_scan() at boot and freed by kshim_pci_exit(); in between the
 * bus code changes @pdev (EEH re-enumeration) and the MSI bitmap, always
 * on the one simulated CPU with nothing sleeping halfway.
 */
struct kshim_phb {
	int card;			/* the cosim card behind it */
	struct cosim_slot slot;
	struct pci_controller hose;
	struct pci_bus bus;		/* the card's bus; sysdata is &hose */
	struct device bridge;		/* "pciDDDD:00", parent of the card's device */
	struct device_node *dn;		/* the PHB's device-tree node */
	struct device_node *card_dn;	/* the card's, two pciex levels below */
	unsigned long *msi_bmp;		/* slot.msi_count bits, set: allocated */
	struct pci_dev *pdev;		/* the card's function, NULL while removed */
	u32 saved_config[16];		/* its header as enumerated, restored after a reset */
};

/* The PHB a device hangs off, or NULL for one on a vPHB. */
struct kshim_phb *kshim_pci_phb(const struct pci_dev *pdev);
/* The PHB of cosim card @card, NULL before the scan. */
struct kshim_phb *kshim_phb_of_card(int card);
/* The card's function: enumerate it and offer it to the drivers. */
int kshim_pci_add_dev(struct kshim_phb *phb);
/* Unbind (driver ->remove) and remove the card's function. */
void kshim_pci_remove_dev(struct kshim_phb *phb);
int kshim_pci_scan(void);
void kshim_pci_exit(void);
/* The driver bound to pdev, NULL if none. */
struct pci_driver *kshim_pci_driver_of(struct pci_dev *pdev);

/* Write back the header saved at enumeration, after a reset (pci.c, for eeh.c). */
void kshim_pci_restore_state(struct kshim_phb *phb);

/* Device tree (of.c). */
struct device_node *kshim_of_add_phb(const struct cosim_slot *slot, int card,
				     struct device_node **card_dn);
void kshim_of_exit(void);

/* /dev: the node a device with a devt gets, named by its class (vfs.c). */
int kshim_devnode_add(struct device *dev);
void kshim_devnode_remove(struct device *dev);

/* Spend @ps of simulated time on the bus, then take pending interrupts (mmio.c). */
void kshim_bus_spend(u64 ps);
/* Cookie space: an address range of @len bytes that faults if touched (mmio.c). */
unsigned long kshim_iowin_alloc(unsigned long len);
void kshim_iowin_free(unsigned long addr);
/* A raw (memory-order) load or store at physical address @phys (mmio.c). */
u64 kshim_phys_load(u64 phys, unsigned int width);
void kshim_phys_store(u64 phys, unsigned int width, u64 val);

/* The MSI pool (phb.c): stop routing a PHB's MSIs at teardown. */
void kshim_phb_msi_exit(struct kshim_phb *phb);

/* sysfs by path, for the harness (device.c); errors as -errno. */
#define KSHIM_PATH_MAX	256

/*
 * Forget the state of an earlier world, whose memory is gone (one per
 * file; kshim_dev_init() in boot.c calls them all).
 */
void kshim_device_reset(void);
void kshim_vfs_reset(void);
void kshim_debugfs_reset(void);
void kshim_irq_reset(void);
void kshim_pci_reset(void);
void kshim_phb_reset(void);
void kshim_of_reset(void);
void kshim_mmio_reset(void);

#endif /* _KSHIM_KERNEL_BUS_H */
