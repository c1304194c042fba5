// SPDX-License-Identifier: GPL-2.0
/* Kernel side of tests/test_cosim_libcxl.c: see ks_libcxl.h. */
#define pr_fmt(fmt) "test-libcxl: " fmt

#include <kshim/kshim.h>

#include "ks_libcxl.h"

long ks_libcxl_pid(void *arg)
{
	return current->pid;
}

long ks_libcxl_mm_id(void *arg)
{
	return current->mm ? (long)current->mm->context.id : -1;
}
