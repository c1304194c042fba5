/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between tests/test_cosim_directed.c (host side) and
 * tests/kshim/directed.c (kernel side): what the driver and the PHB hold
 * for card 0, read in a kernel task.  Builtin C types only.
 */
#ifndef KSHIM_TESTS_KS_DIRECTED_H
#define KSHIM_TESTS_KS_DIRECTED_H

/* MSIs of the card's PHB allocated now (the PHB's bitmap), or -ENODEV. */
int ks_directed_msis_used(void);
/* Contexts in the driver's idr of afu0.0 (opened, not yet freed), or -ENODEV. */
int ks_directed_contexts(void);
/*
 * The number of contexts of afu0.0 that hold a reference to the address
 * space of the running task (ctx->mm, dropped at detach), or -ENODEV.
 */
int ks_directed_contexts_on_mm(void);
/*
 * After a grace period (the contexts' reclaim_ctx() runs then), the
 * references to afu0.0's device: each context holds one from
 * cxl_context_init() until it is freed.  -ENODEV without the AFU.
 */
int ks_directed_afu_refs(void);

#endif
