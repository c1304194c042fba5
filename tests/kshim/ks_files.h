/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between tests/test_cosim_files.c (a libcxl program) and
 * tests/kshim/files.c (kernel side): calls the test makes with lx_call(),
 * which run as the calling thread's simulated process.  Builtin C types
 * only.
 */
#ifndef KSHIM_TESTS_KS_FILES_H
#define KSHIM_TESTS_KS_FILES_H

/* A job started on a context's problem-state mapping (a kshim_mmap() number). */
struct ks_files_job {
	int map;
	unsigned long long wed;		/* the first work element, a user address */
};

/*
 * With interrupts off: ring the memcpy AFU's doorbell for @arg's job and
 * spin until its first translation-fault interrupt is pending, then fence
 * the card (the PHB's freeze) before turning interrupts back on, so the
 * interrupt arrives at a fenced card; then run EEH recovery.  Returns
 * kshim_eeh_inject()'s result, or -ETIMEDOUT if no interrupt came.
 */
long ks_files_irq_at_fenced_card(void *arg);

/*
 * In one system call, with @arg a slave file descriptor opened and not
 * started: reset the adapter through sysfs (cxl/card0/reset), which
 * leaves the slot frozen until the EEH thread recovers it, and use the
 * card in that window: open, ioctl and read give EIO, and a mode change
 * after closing the file is refused (the driver WARNs once).  Then sleep
 * 1 s of simulated time while the recovery runs.  Returns 0, or the line
 * of the first check that failed (logged).
 */
long ks_files_use_a_resetting_card(void *arg);

#endif
