// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel side of tests/test_cosim_directed.c (see ks_directed.h): the
 * driver's own bookkeeping, read through its own structures (cxl.h), and
 * the PHB's MSI pool.
 */
#define pr_fmt(fmt) "test-directed: " fmt

#include <kshim/kshim.h>

#include <../drivers/misc/cxl/cxl.h>

#include "../../driver_shim/kernel/bus.h"
#include "ks_directed.h"

/* The driver's afu0.0: cxl_probe() leaves the adapter in the card's drvdata. */
static struct cxl_afu *afu0(void)
{
	struct kshim_phb *phb = kshim_phb_of_card(0);
	struct cxl *adapter;

	if (!phb || !phb->pdev)
		return NULL;
	adapter = pci_get_drvdata(phb->pdev);
	return adapter ? adapter->afu[0] : NULL;
}

int ks_directed_msis_used(void)
{
	struct kshim_phb *phb = kshim_phb_of_card(0);
	unsigned int i;
	int n = 0;

	if (!phb)
		return -ENODEV;
	for (i = 0; i < phb->slot.msi_count; i++)
		n += test_bit(i, phb->msi_bmp);
	return n;
}

static int count_contexts(bool on_mm)
{
	struct cxl_afu *afu = afu0();
	struct cxl_context *ctx;
	int id, n = 0;

	if (!afu)
		return -ENODEV;
	mutex_lock(&afu->contexts_lock);
	idr_for_each_entry(&afu->contexts_idr, ctx, id)
		n += !on_mm || ctx->mm == current->mm;
	mutex_unlock(&afu->contexts_lock);
	return n;
}

int ks_directed_contexts(void)
{
	return count_contexts(false);
}

int ks_directed_contexts_on_mm(void)
{
	return count_contexts(true);
}

int ks_directed_afu_refs(void)
{
	struct cxl_afu *afu = afu0();

	if (!afu)
		return -ENODEV;
	synchronize_rcu();
	return atomic_read(&afu->dev.kobj.kref.refcount);
}
