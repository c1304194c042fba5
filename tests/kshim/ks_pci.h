/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between tests/test_shim_pci.c (host side) and tests/kshim/pci*.c
 * (kernel side).  Builtin C types only: both include this file.  The host
 * powers on one default PSL8 card before each scenario; each scenario
 * boots, runs in a kernel task and returns 0, or the line of the first
 * check that failed (logged as "test-pci: check failed ...").
 */
#ifndef KSHIM_TESTS_KS_PCI_H
#define KSHIM_TESTS_KS_PCI_H

/* The bus, config space, MMIO, the device tree (pci.c). */
int ks_pci_boot(void);
int ks_pci_enumerate(void);
int ks_pci_match(void);
int ks_pci_config(void);		/* 1 WARN */
int ks_pci_mmio(void);			/* 1 WARN */
int ks_pci_of(void);			/* 1 WARN */
int ks_pci_capi_mode(void);
int ks_pci_mmap(void);

/* MSIs, IRQs, EEH, the vPHB (pci_irq.c). */
int ks_pci_msi_alloc(void);
int ks_pci_msi_ranges(void);
int ks_pci_irq(void);			/* 2 WARNs */
int ks_pci_eeh_reset(void);
int ks_pci_eeh_opt_out(void);
int ks_pci_eeh_disconnect(void);
int ks_pci_eeh_warm_reset(void);
int ks_pci_vphb(void);

/* Host side (test_shim_pci.c): the card raises an MSI to @hwirq now. */
void ts_msi_raise(unsigned int hwirq);

#endif
