// SPDX-License-Identifier: GPL-2.0
/*
 * EEH: the slot resets the driver asks for, and the recovery the kernel's
 * EEH core runs when a slot freezes (arch/powerpc/kernel/eeh_driver.c):
 *
 *	error_detected(frozen)
 *	  NEED_RESET, CAN_RECOVER: PERST, config restored, slot_reset, resume
 *	  NONE (the driver opts out): remove the function, PERST, enumerate
 *	    and probe it again
 *	  DISCONNECT, or slot_reset says so: error_detected(perm_failure),
 *	    then the function is removed for good
 *
 * A fundamental reset requested by the driver (cxl's card reset) leaves
 * the slot frozen, as the PHB fences a card whose link went down; an
 * "eehd" task then runs the recovery, as the kernel's EEH thread would.
 */
#define pr_fmt(fmt) "kshim-eeh: " fmt

#include "bus.h"
#include "../host/hsched.h"
#include "../host/kdev.h"

/* PERST, then the header back as enumerated; the slot thaws. */
static void reset_slot(struct kshim_phb *phb)
{
	cosim_perst(phb->card);
	kshim_pci_restore_state(phb);
	if (phb->pdev)
		phb->pdev->error_state = pci_channel_io_normal;
}

/* What a driver's error handler answered, in words, for the log. */
static const char *ers_name(pci_ers_result_t r)
{
	static const char *const names[] = {
		[PCI_ERS_RESULT_NONE] = "none",
		[PCI_ERS_RESULT_CAN_RECOVER] = "can recover",
		[PCI_ERS_RESULT_NEED_RESET] = "need reset",
		[PCI_ERS_RESULT_DISCONNECT] = "disconnect",
		[PCI_ERS_RESULT_RECOVERED] = "recovered",
		[PCI_ERS_RESULT_NO_AER_DRIVER] = "no AER driver",
	};

	return r < ARRAY_SIZE(names) && names[r] ? names[r] : "unknown";
}

static pci_ers_result_t report(struct pci_dev *pdev, const char *what,
			       pci_ers_result_t (*cb)(struct pci_dev *pdev))
{
	pci_ers_result_t r;

	dev_info(&pdev->dev, "EEH: calling %s()\n", what);
	r = cb(pdev);
	dev_info(&pdev->dev, "EEH: %s() answered '%s'\n", what, ers_name(r));
	return r;
}

static void perm_failure(struct kshim_phb *phb, const struct pci_error_handlers *eh)
{
	struct pci_dev *pdev = phb->pdev;

	dev_err(&pdev->dev, "EEH: permanent failure, removing the device\n");
	pdev->error_state = pci_channel_io_perm_failure;
	if (eh && eh->error_detected)
		eh->error_detected(pdev, pci_channel_io_perm_failure);
	kshim_pci_remove_dev(phb);
}

static int recover(struct kshim_phb *phb)
{
	struct pci_dev *pdev = phb->pdev;
	struct pci_driver *drv;
	const struct pci_error_handlers *eh;
	pci_ers_result_t r = PCI_ERS_RESULT_NONE;

	if (!pdev)
		return -ENODEV;	/* removed while the recovery waited to run */
	drv = kshim_pci_driver_of(pdev);
	eh = drv ? drv->err_handler : NULL;
	dev_warn(&pdev->dev, "EEH: frozen slot, recovering\n");
	pdev->error_state = pci_channel_io_frozen;
	if (eh && eh->error_detected) {
		dev_info(&pdev->dev, "EEH: calling error_detected(frozen)\n");
		r = eh->error_detected(pdev, pci_channel_io_frozen);
		dev_info(&pdev->dev, "EEH: error_detected() answered '%s'\n", ers_name(r));
	}
	switch (r) {
	case PCI_ERS_RESULT_NONE:
		dev_info(&pdev->dev, "EEH: removing the device, PERST, probing it again\n");
		kshim_pci_remove_dev(phb);
		reset_slot(phb);
		return kshim_pci_add_dev(phb) ? -EIO : 0;
	case PCI_ERS_RESULT_NEED_RESET:
	case PCI_ERS_RESULT_CAN_RECOVER:
		dev_info(&pdev->dev, "EEH: slot reset with PERST\n");
		reset_slot(phb);
		r = eh->slot_reset ? report(pdev, "slot_reset", eh->slot_reset) :
				     PCI_ERS_RESULT_NONE;
		if (r != PCI_ERS_RESULT_RECOVERED && r != PCI_ERS_RESULT_NONE)
			break;
		if (eh->resume) {
			dev_info(&pdev->dev, "EEH: calling resume()\n");
			eh->resume(pdev);
		}
		dev_info(&pdev->dev, "EEH: recovered\n");
		return 0;
	default:
		break;
	}
	perm_failure(phb, eh);
	return -EIO;
}

static int eehd(void *arg)
{
	return recover(arg);
}

int pci_set_pcie_reset_state(struct pci_dev *dev, enum pcie_reset_state state)
{
	struct kshim_phb *phb = kshim_pci_phb(dev);

	if (!phb)
		return -EINVAL;
	switch (state) {
	case pcie_warm_reset:
		dev->error_state = pci_channel_io_frozen;
		cosim_perst(phb->card);
		if (!kshim_task_create("eehd", eehd, phb)) {
			dev_err(&dev->dev, "EEH: cannot start the recovery\n");
			return -ENOMEM;
		}
		return 0;
	case pcie_deassert_reset:
		kshim_pci_restore_state(phb);
		dev->error_state = pci_channel_io_normal;
		return 0;
	default:
		/* A hot reset (no PERST) is not modelled by the card. */
		return -EOPNOTSUPP;
	}
}

int kshim_eeh_inject(int card)
{
	struct kshim_phb *phb = kshim_phb_of_card(card);

	if (!phb || !phb->pdev)
		return -ENODEV;
	cosim_freeze(card);
	return recover(phb);
}
