/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between tests/test_cosim_libcxl.c (a libcxl program) and
 * tests/kshim/libcxl.c (kernel side): calls the test makes with lx_call(),
 * which run as the calling thread's simulated process.  Builtin C types
 * only.
 */
#ifndef KSHIM_TESTS_KS_LIBCXL_H
#define KSHIM_TESTS_KS_LIBCXL_H

/* The process's pid, as current->pid. */
long ks_libcxl_pid(void *arg);
/* The context id of its address space, -1 without one. */
long ks_libcxl_mm_id(void *arg);

#endif
