// SPDX-License-Identifier: GPL-2.0
/*
 * Boot and module exit: the device tree and the PCI buses of the cosim
 * cards, then the initcalls (module_init, device_initcall) in link order,
 * which register the driver and so probe the cards; at shutdown the
 * exitcalls in reverse order, then the buses and the tree.  The records
 * sit in the kshim_initcalls and kshim_exitcalls sections; the linker's
 * __start_/__stop_ symbols bound them, and are weak so that a program
 * without the driver links too.
 */
#define pr_fmt(fmt) "kshim-boot: " fmt

#include "bus.h"
#include "../host/kdev.h"

#define MAX_INITCALLS	16

extern const struct kshim_initcall __start_kshim_initcalls[] __weak;
extern const struct kshim_initcall __stop_kshim_initcalls[] __weak;
extern const struct kshim_exitcall __start_kshim_exitcalls[] __weak;
extern const struct kshim_exitcall __stop_kshim_exitcalls[] __weak;

/* What each initcall of the last boot returned; written by kshim_boot() only. */
static struct {
	const char *name;
	int rc;
} initcalls[MAX_INITCALLS];
static int nr_initcalls;

int kshim_boot(void)
{
	const struct kshim_initcall *ic;
	int rc, first = 0;

	rc = kshim_pci_scan();
	if (rc)
		return rc;
	nr_initcalls = 0;
	for (ic = __start_kshim_initcalls; ic && ic < __stop_kshim_initcalls; ic++) {
		pr_debug("initcall %s\n", ic->name);
		rc = ic->fn();
		if (rc)
			pr_warn("initcall %s returned %d\n", ic->name, rc);
		if (rc && !first)
			first = rc;
		if (nr_initcalls < MAX_INITCALLS)
			initcalls[nr_initcalls++] = (typeof(initcalls[0])){ ic->name, rc };
	}
	return first;
}

void kshim_shutdown(void)
{
	const struct kshim_exitcall *ec = __stop_kshim_exitcalls;

	while (ec && ec > __start_kshim_exitcalls) {
		ec--;
		pr_debug("exitcall %s\n", ec->name);
		ec->fn();
	}
	kshim_pci_exit();
}

int kshim_initcall_count(void)
{
	return nr_initcalls;
}

int kshim_initcall_result(int i, const char **name)
{
	if (i < 0 || i >= nr_initcalls)
		return -EINVAL;
	if (name)
		*name = initcalls[i].name;
	return initcalls[i].rc;
}

void kshim_dev_init(void)
{
	kshim_device_reset();
	kshim_vfs_reset();
	kshim_debugfs_reset();
	kshim_irq_reset();
	kshim_pci_reset();
	kshim_phb_reset();
	kshim_of_reset();
	kshim_mmio_reset();
	nr_initcalls = 0;
}
