// SPDX-License-Identifier: GPL-2.0
/*
 * The PowerNV PHB services cxl uses, and the powerpc host-bridge calls of
 * its vPHB.
 *
 * MSIs follow arch/powerpc/platforms/powernv/pci-cxl.c: each PHB has a
 * bitmap of its MSI hwirqs; a request for n hwirqs takes n free bits at
 * an offset aligned to n rounded up to a power of two; an AFU's IRQ
 * ranges 1..3 are filled by halving the request until a run fits (range
 * 0 is the multiplexed PSL interrupt, not allocated here).  Setting up an
 * MSI routes its hwirq through the host's MSI controller.
 *
 * The vPHB is an empty bus: AFU configuration records are not turned
 * into PCI functions.
 */
#define pr_fmt(fmt) "kshim-phb: " fmt

#include "bus.h"

#include <misc/cxl-base.h>

static struct kshim_phb *phb_of(struct pci_dev *dev)
{
	struct kshim_phb *phb = kshim_pci_phb(dev);

	if (!phb)
		kshim_bug(__FILE__, __LINE__, "a PowerNV PHB call for a device on a vPHB");
	return phb;
}

struct device_node *pnv_pci_get_phb_node(struct pci_dev *dev)
{
	return of_node_get(phb_of(dev)->dn);
}

int pnv_phb_to_cxl_mode(struct pci_dev *dev, uint64_t mode)
{
	int rc = cosim_phb_mode(phb_of(dev)->card, mode);

	if (rc)
		dev_err(&dev->dev, "opal_pci_set_phb_cxl_mode failed: %i\n", rc);
	return rc;
}

int pnv_cxl_get_irq_count(struct pci_dev *dev)
{
	return phb_of(dev)->slot.msi_count;
}

/* n free bits at a multiple of n's power-of-two round-up, or -1. */
static int msi_bmp_alloc(struct kshim_phb *phb, unsigned int n)
{
	unsigned int align = 1, off, i;

	while (align < n)
		align <<= 1;
	for (off = 0; off + n <= phb->slot.msi_count; off += align) {
		for (i = 0; i < n && !test_bit(off + i, phb->msi_bmp); i++)
			;
		if (i < n)
			continue;
		for (i = 0; i < n; i++)
			set_bit(off + i, phb->msi_bmp);
		return off;
	}
	return -1;
}

static void msi_bmp_free(struct kshim_phb *phb, unsigned int hwirq, unsigned int n)
{
	unsigned int off = hwirq - phb->slot.msi_base, i;

	if (WARN(hwirq < phb->slot.msi_base || off + n > phb->slot.msi_count,
		 "freeing MSIs 0x%x+%u outside the PHB's pool\n", hwirq, n))
		return;
	for (i = 0; i < n; i++) {
		WARN(!test_bit(off + i, phb->msi_bmp), "freeing MSI 0x%x twice\n", hwirq + i);
		clear_bit(off + i, phb->msi_bmp);
		/* Not routed (-ENOENT) if no handler was ever set up for it. */
		cosim_msi_disable(hwirq + i);
	}
}

int pnv_cxl_alloc_hwirqs(struct pci_dev *dev, int num)
{
	struct kshim_phb *phb = phb_of(dev);
	int off = num > 0 ? msi_bmp_alloc(phb, num) : -1;

	if (off < 0) {
		dev_warn(&dev->dev, "Failed to find a free MSI\n");
		return -ENOSPC;
	}
	return phb->slot.msi_base + off;
}

void pnv_cxl_release_hwirqs(struct pci_dev *dev, int hwirq, int num)
{
	msi_bmp_free(phb_of(dev), hwirq, num);
}

void pnv_cxl_release_hwirq_ranges(struct cxl_irq_ranges *irqs, struct pci_dev *dev)
{
	struct kshim_phb *phb = phb_of(dev);
	int r;

	for (r = 1; r < CXL_IRQ_RANGES; r++)
		if (irqs->offset[r])
			msi_bmp_free(phb, irqs->offset[r], irqs->range[r]);
}

int pnv_cxl_alloc_hwirq_ranges(struct cxl_irq_ranges *irqs, struct pci_dev *dev, int num)
{
	struct kshim_phb *phb = phb_of(dev);
	int r, try, off = -1;

	memset(irqs, 0, sizeof(*irqs));
	for (r = 1; r < CXL_IRQ_RANGES && num > 0; r++) {
		for (try = num; try; try /= 2) {
			off = msi_bmp_alloc(phb, try);
			if (off >= 0)
				break;
		}
		if (!try)
			break;
		irqs->offset[r] = phb->slot.msi_base + off;
		irqs->range[r] = try;
		num -= try;
	}
	if (!num)
		return 0;
	pnv_cxl_release_hwirq_ranges(irqs, dev);
	return -ENOSPC;
}

int pnv_cxl_ioda_msi_setup(struct pci_dev *dev, unsigned int hwirq, unsigned int virq)
{
	struct kshim_phb *phb = phb_of(dev);
	int rc;

	if (hwirq < phb->slot.msi_base || hwirq - phb->slot.msi_base >= phb->slot.msi_count) {
		dev_err(&dev->dev, "MSI setup of hwirq 0x%x outside the PHB's pool\n", hwirq);
		return -EINVAL;
	}
	rc = cosim_msi_enable(hwirq);
	return rc == -EBUSY ? 0 : rc;	/* set up before and never released: still routed */
}

void kshim_phb_msi_exit(struct kshim_phb *phb)
{
	unsigned int i;

	for (i = 0; i < phb->slot.msi_count; i++)
		if (test_bit(i, phb->msi_bmp))
			cosim_msi_disable(phb->slot.msi_base + i);
}

/* POWER9 only (the CAPP tunnel BAR); never called on POWER8. */
int pnv_pci_set_tunnel_bar(struct pci_dev *dev, uint64_t addr, int enable)
{
	kshim_bug(__FILE__, __LINE__, "pnv_pci_set_tunnel_bar: POWER9 path");
}

/* ---- The vPHB: a host bridge with an empty root bus ---- */

/*
 * Numbers of vPHBs, after the real PHBs' domains.  Touched by process
 * context only (probe and remove).
 */
static int vphb_next_number = COSIM_MAX_CARDS;

struct pci_controller *pcibios_alloc_controller(struct device_node *dn)
{
	struct pci_controller *hose = kzalloc(sizeof(*hose), GFP_KERNEL);

	if (!hose)
		return NULL;
	hose->dn = dn;
	hose->global_number = vphb_next_number++;
	return hose;
}

/* The root bus and its host bridge, in one allocation. */
struct vphb_root {
	struct pci_host_bridge bridge;
	struct pci_bus bus;
};

static void vphb_bridge_release(struct device *dev)
{
	kfree(container_of(to_pci_host_bridge(dev), struct vphb_root, bridge));
}

/* Enumerates nothing: the bus stays empty (see the top of this file). */
void pcibios_scan_phb(struct pci_controller *hose)
{
	struct vphb_root *root = kzalloc(sizeof(*root), GFP_KERNEL);

	if (!root)
		return;
	INIT_LIST_HEAD(&root->bus.node);
	INIT_LIST_HEAD(&root->bus.children);
	INIT_LIST_HEAD(&root->bus.devices);
	root->bus.sysdata = hose;
	root->bus.ops = hose->ops;
	root->bus.bridge = &root->bridge.dev;
	root->bridge.bus = &root->bus;
	root->bridge.ops = hose->ops;
	root->bridge.sysdata = hose;
	device_initialize(&root->bridge.dev);
	root->bridge.dev.release = vphb_bridge_release;
	hose->bus = &root->bus;
}

void pci_set_host_bridge_release(struct pci_host_bridge *bridge,
				 void (*release_fn)(struct pci_host_bridge *bridge),
				 void *release_data)
{
	bridge->release_fn = release_fn;
	bridge->release_data = release_data;
}

/* Nothing to claim: an empty bus has no BARs. */
void pcibios_claim_one_bus(struct pci_bus *bus)
{
	WARN_ON(!list_empty(&bus->devices));
}

/* Nothing to add: an empty bus has no functions. */
void pci_bus_add_devices(const struct pci_bus *bus)
{
	WARN_ON(!list_empty(&bus->devices));
}

/* Drops the root bus; the host bridge's release_fn frees the controller. */
void pci_remove_root_bus(struct pci_bus *bus)
{
	struct pci_host_bridge *bridge = to_pci_host_bridge(bus->bridge);

	if (bridge->release_fn)
		bridge->release_fn(bridge);
	put_device(&bridge->dev);
}

void pcibios_free_controller_deferred(struct pci_host_bridge *bridge)
{
	kfree(bridge->release_data);
}

void kshim_phb_reset(void)
{
	vphb_next_number = COSIM_MAX_CARDS;
}
