/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel side only: the test PCI driver that tests/kshim/pci*.c bind to
 * the simulated card, and what it records.
 */
#ifndef KSHIM_TESTS_KS_PCI_K_H
#define KSHIM_TESTS_KS_PCI_K_H

#include <kshim/kshim.h>

#include "ks_check.h"

/* What the test driver saw, in order: "p" probe, "r" remove, "d" error_detected ... */
struct tp_log {
	char ev[32];
	unsigned int n;
	struct pci_dev *pdev;		/* bound now, NULL if none */
	pci_channel_state_t states[4];	/* error_detected's arguments */
	unsigned int nr_states;
	pci_ers_result_t detected;	/* what error_detected answers */
	pci_ers_result_t slot_reset;	/* what slot_reset answers */
};

extern struct tp_log tp;

/* Boot, then bind the test driver (with @eh) to card 0: its pci_dev, or NULL. */
struct pci_dev *tp_boot(const struct pci_error_handlers *eh);
/* Unbind the test driver and shut down: the buses and the tree go. */
void tp_shutdown(void);

#endif
