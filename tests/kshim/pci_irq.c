// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel side of tests/test_shim_pci.c, part 2: the PHB's MSI pool with
 * PowerNV's semantics, the IRQ domain and delivery of an MSI from the
 * card to a handler, EEH recovery in its three outcomes, and the vPHB's
 * host-bridge calls.  See ks_pci.h.
 */
#define pr_fmt(fmt) "test-pci: " fmt

#include "../../driver_shim/host/cosim.h"
#include "../../driver_shim/host/hsched.h"
#include "../../driver_shim/host/kdev.h"
#include "ks_pci_k.h"
#include "ks_pci.h"

#include <misc/cxl-base.h>

#define BASE		COSIM_MSI_BASE
#define PSL_DSNDCTL	0x150

int ks_pci_msi_alloc(void)
{
	struct pci_dev *pdev = tp_boot(NULL);

	CHECK(pdev && pnv_cxl_get_irq_count(pdev) == 2048);
	CHECK(pnv_cxl_alloc_hwirqs(pdev, 1) == BASE);
	/* Three take a block aligned to four. */
	CHECK(pnv_cxl_alloc_hwirqs(pdev, 3) == BASE + 4);
	CHECK(pnv_cxl_alloc_hwirqs(pdev, 1) == BASE + 1);
	CHECK(pnv_cxl_alloc_hwirqs(pdev, 2) == BASE + 2);
	CHECK(pnv_cxl_alloc_hwirqs(pdev, 2) == BASE + 8);
	pnv_cxl_release_hwirqs(pdev, BASE + 1, 1);
	CHECK(pnv_cxl_alloc_hwirqs(pdev, 1) == BASE + 1);
	CHECK(pnv_cxl_alloc_hwirqs(pdev, 4096) == -ENOSPC);
	CHECK(pnv_cxl_alloc_hwirqs(pdev, 0) == -ENOSPC);
	pnv_cxl_release_hwirqs(pdev, BASE, 4);
	pnv_cxl_release_hwirqs(pdev, BASE + 4, 3);
	pnv_cxl_release_hwirqs(pdev, BASE + 8, 2);
	/* All free again: the whole pool fits. */
	CHECK(pnv_cxl_alloc_hwirqs(pdev, 2048) == BASE);
	pnv_cxl_release_hwirqs(pdev, BASE, 2048);
	tp_shutdown();
	return 0;
}

int ks_pci_msi_ranges(void)
{
	struct pci_dev *pdev = tp_boot(NULL);
	struct cxl_irq_ranges r, r2;

	CHECK(pdev && pnv_cxl_alloc_hwirqs(pdev, 2048) == BASE);
	/* Holes: 100..109 and 200..202. */
	pnv_cxl_release_hwirqs(pdev, BASE + 100, 10);
	pnv_cxl_release_hwirqs(pdev, BASE + 200, 3);
	/*
	 * 12 do not fit in one aligned run: the request halves to 6 (at 104),
	 * the rest goes to ranges 2 and 3 (3 at 100, 3 at 200); range 0 is
	 * left for the PSL interrupt.
	 */
	CHECK(pnv_cxl_alloc_hwirq_ranges(&r, pdev, 12) == 0);
	CHECK(r.offset[0] == 0 && r.range[0] == 0);
	CHECK(r.offset[1] == BASE + 104 && r.range[1] == 6);
	CHECK(r.offset[2] == BASE + 100 && r.range[2] == 3);
	CHECK(r.offset[3] == BASE + 200 && r.range[3] == 3);
	/* Only 103 is left: two do not fit, and nothing stays taken. */
	CHECK(pnv_cxl_alloc_hwirq_ranges(&r2, pdev, 2) == -ENOSPC);
	CHECK(pnv_cxl_alloc_hwirqs(pdev, 1) == BASE + 103);
	pnv_cxl_release_hwirqs(pdev, BASE + 103, 1);
	pnv_cxl_release_hwirq_ranges(&r, pdev);
	/* The holes are back: 100..109 and 200..202. */
	CHECK(pnv_cxl_alloc_hwirqs(pdev, 4) == BASE + 100);
	CHECK(pnv_cxl_alloc_hwirqs(pdev, 3) == BASE + 104);
	pnv_cxl_release_hwirqs(pdev, BASE + 100, 4);
	pnv_cxl_release_hwirqs(pdev, BASE + 104, 3);
	pnv_cxl_release_hwirqs(pdev, BASE, 100);
	pnv_cxl_release_hwirqs(pdev, BASE + 110, 200 - 110);
	pnv_cxl_release_hwirqs(pdev, BASE + 203, 2048 - 203);
	CHECK(pnv_cxl_alloc_hwirqs(pdev, 2048) == BASE);
	pnv_cxl_release_hwirqs(pdev, BASE, 2048);
	tp_shutdown();
	return 0;
}

static int handled;
static unsigned int handled_irq;
static void *handled_cookie;

static irqreturn_t t_handler(int irq, void *dev_id)
{
	handled++;
	handled_irq = irq;
	handled_cookie = dev_id;
	return IRQ_HANDLED;
}

/* Interrupt points until @n handler runs happened, or 1 ms of simulated time. */
static bool wait_handled(int n)
{
	int i;

	for (i = 0; i < 1000 && handled < n; i++)
		udelay(1);
	return handled >= n;
}

int ks_pci_irq(void)
{
	struct pci_dev *pdev = tp_boot(NULL);
	unsigned long long h, u;
	int cookie, other, hw;
	unsigned int virq;

	handled = 0;
	CHECK(pdev);
	hw = pnv_cxl_alloc_hwirqs(pdev, 1);
	CHECK(hw == BASE);
	virq = irq_create_mapping(NULL, hw);
	CHECK(virq == 1 && irq_create_mapping(NULL, hw) == 1);
	CHECK(irq_create_mapping(NULL, hw + 1) == 2 && irq_find_mapping(NULL, hw + 1) == 2);
	CHECK(irq_find_mapping(NULL, hw + 2) == 0);
	CHECK(irqd_to_hwirq(irq_get_irq_data(virq)) == hw && !irq_get_irq_data(3));
	CHECK(request_irq(virq, t_handler, 0, "t-irq", &cookie) == 0);
	CHECK(request_irq(virq, t_handler, 0, "t-irq", &cookie) == -EBUSY);
	CHECK(request_irq(77, t_handler, 0, "t-irq", &cookie) == -EINVAL);
	CHECK(pnv_cxl_ioda_msi_setup(pdev, hw, virq) == 0);
	CHECK(pnv_cxl_ioda_msi_setup(pdev, hw, virq) == 0);
	CHECK(pnv_cxl_ioda_msi_setup(pdev, BASE + 4096, virq) == -EINVAL);
	/* The card's MSI reaches the handler at an interrupt point, in order. */
	ts_msi_raise(hw);
	CHECK(handled == 0);
	CHECK(wait_handled(1) && handled_irq == virq && handled_cookie == &cookie);
	CHECK(kshim_irq_count(hw, &h, &u) == 0 && h == 1 && u == 0);
	CHECK(free_irq(virq, &other) == NULL);		/* wrong dev_id: WARN */
	CHECK(!strcmp(free_irq(virq, &cookie), "t-irq"));
	CHECK(free_irq(virq, &cookie) == NULL);		/* already free: WARN */
	/* The mapping outlives free_irq(); with no handler the interrupt is unhandled. */
	CHECK(irq_find_mapping(NULL, hw) == virq);
	ts_msi_raise(hw);
	udelay(10);
	CHECK(handled == 1 && kshim_irq_count(hw, &h, &u) == 0 && u == 1);
	/* Released, the MSI no longer reaches the domain. */
	pnv_cxl_release_hwirqs(pdev, hw, 1);
	ts_msi_raise(hw);
	udelay(10);
	CHECK(kshim_irq_count(hw, &h, &u) == 0 && u == 1);
	tp_shutdown();
	return 0;
}

/* ---- EEH ---- */

static void __iomem *p1;

static void note(char ev)
{
	if (tp.n < sizeof(tp.ev) - 1)
		tp.ev[tp.n++] = ev;
}

static pci_ers_result_t t_detected(struct pci_dev *pdev, pci_channel_state_t state)
{
	note('d');
	if (tp.nr_states < ARRAY_SIZE(tp.states))
		tp.states[tp.nr_states++] = state;
	/* The card is fenced: every load reads all-ones. */
	if (state == pci_channel_io_frozen && in_be64(p1 + PSL_DSNDCTL) != ~0ULL)
		note('!');
	return tp.detected;
}

static pci_ers_result_t t_slot_reset(struct pci_dev *pdev)
{
	u32 lo, hi;

	note('s');
	/* The BARs are back where firmware put them; the registers at power-on. */
	pci_read_config_dword(pdev, PCI_BASE_ADDRESS_2, &lo);
	pci_read_config_dword(pdev, PCI_BASE_ADDRESS_3, &hi);
	if (((u64)hi << 32 | (lo & ~0xfU)) != pci_resource_start(pdev, 2))
		note('B');
	if (pci_enable_device(pdev) || in_be64(p1 + PSL_DSNDCTL) != 0)
		note('R');
	return tp.slot_reset;
}

static void t_resume(struct pci_dev *pdev)
{
	note('m');
}

static const struct pci_error_handlers t_eh = {
	.error_detected = t_detected,
	.slot_reset = t_slot_reset,
	.resume = t_resume,
};

/* Bound, enabled, BAR2 mapped, a register written: a card in use. */
static struct pci_dev *eeh_setup(pci_ers_result_t detected, pci_ers_result_t slot_reset)
{
	struct pci_dev *pdev = tp_boot(&t_eh);

	if (!pdev || pci_enable_device(pdev))
		return NULL;
	tp.detected = detected;
	tp.slot_reset = slot_reset;
	p1 = ioremap(pci_resource_start(pdev, 2), PAGE_SIZE);
	if (p1)
		out_be64(p1 + PSL_DSNDCTL, 0x1234);
	return p1 ? pdev : NULL;
}

static void eeh_teardown(void)
{
	iounmap(p1);
	if (tp.pdev)
		pci_disable_device(tp.pdev);
	tp_shutdown();
}

int ks_pci_eeh_reset(void)
{
	struct pci_dev *pdev = eeh_setup(PCI_ERS_RESULT_NEED_RESET, PCI_ERS_RESULT_RECOVERED);

	CHECK(pdev);
	pci_disable_device(pdev);	/* as the driver's error_detected would */
	CHECK(kshim_eeh_inject(0) == 0);
	CHECK(!strcmp(tp.ev, "pdsm") && tp.states[0] == pci_channel_io_frozen);
	CHECK(pdev->error_state == pci_channel_io_normal && tp.pdev == pdev);
	CHECK(in_be64(p1 + PSL_DSNDCTL) == 0);
	eeh_teardown();
	return 0;
}

int ks_pci_eeh_opt_out(void)
{
	struct pci_dev *pdev = eeh_setup(PCI_ERS_RESULT_NONE, PCI_ERS_RESULT_RECOVERED);

	CHECK(pdev);
	pci_disable_device(pdev);
	/* The driver opts out: removed, reset, enumerated and probed again. */
	CHECK(kshim_eeh_inject(0) == 0);
	CHECK(!strcmp(tp.ev, "pdrp") && tp.pdev);
	CHECK(kshim_sysfs_exists("pci0000:00/0000:01:00.0"));
	CHECK(pci_resource_start(tp.pdev, 2) == pci_resource_start(tp.pdev, 0) + (128ULL << 20));
	CHECK(tp.pdev->error_state == pci_channel_io_normal && tp.pdev->enable_cnt == 0);
	CHECK(pci_enable_device(tp.pdev) == 0);
	eeh_teardown();
	return 0;
}

int ks_pci_eeh_disconnect(void)
{
	struct pci_dev *pdev = eeh_setup(PCI_ERS_RESULT_NEED_RESET, PCI_ERS_RESULT_DISCONNECT);

	CHECK(pdev);
	pci_disable_device(pdev);
	/* slot_reset gives up: a permanent failure, and the function goes. */
	CHECK(kshim_eeh_inject(0) == -EIO);
	CHECK(!strcmp(tp.ev, "pdsdr") && tp.nr_states == 2);
	CHECK(tp.states[1] == pci_channel_io_perm_failure && !tp.pdev);
	CHECK(!kshim_sysfs_exists("pci0000:00/0000:01:00.0"));
	CHECK(kshim_eeh_inject(0) == -ENODEV && kshim_eeh_inject(3) == -ENODEV);
	iounmap(p1);
	tp_shutdown();
	return 0;
}

int ks_pci_eeh_warm_reset(void)
{
	struct pci_dev *pdev = eeh_setup(PCI_ERS_RESULT_NEED_RESET, PCI_ERS_RESULT_RECOVERED);

	CHECK(pdev);
	CHECK(pci_set_pcie_reset_state(pdev, pcie_hot_reset) == -EOPNOTSUPP);
	/* PERST now; the slot stays frozen until the EEH thread recovers it. */
	CHECK(pci_set_pcie_reset_state(pdev, pcie_warm_reset) == 0);
	CHECK(pdev->error_state == pci_channel_io_frozen && tp.n == 1);
	pci_disable_device(pdev);
	msleep(1);
	CHECK(!strcmp(tp.ev, "pdsm") && pdev->error_state == pci_channel_io_normal);
	/* A reset the caller ends itself: the header comes back. */
	CHECK(pci_set_pcie_reset_state(pdev, pcie_deassert_reset) == 0);
	eeh_teardown();
	return 0;
}

/* ---- The vPHB ---- */

static int vphb_released;

static void vphb_release(struct pci_host_bridge *bridge)
{
	vphb_released++;
	pcibios_free_controller_deferred(bridge);
}

static struct pci_ops vphb_ops;

int ks_pci_vphb(void)
{
	struct pci_dev *pdev = tp_boot(NULL);
	struct pci_controller *hose;

	vphb_released = 0;
	CHECK(pdev);
	hose = pcibios_alloc_controller(pdev->dev.of_node);
	CHECK(hose && hose->dn == pdev->dev.of_node && hose->global_number == COSIM_MAX_CARDS);
	hose->ops = &vphb_ops;
	pcibios_scan_phb(hose);
	CHECK(hose->bus && pci_bus_to_host(hose->bus) == hose && hose->bus->ops == &vphb_ops);
	CHECK(list_empty(&hose->bus->devices));
	pci_set_host_bridge_release(to_pci_host_bridge(hose->bus->bridge), vphb_release, hose);
	pcibios_claim_one_bus(hose->bus);
	pci_bus_add_devices(hose->bus);
	pci_remove_root_bus(hose->bus);
	CHECK(vphb_released == 1);
	tp_shutdown();
	return 0;
}
