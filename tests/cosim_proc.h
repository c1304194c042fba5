/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A scenario run as a simulated process (its own pid and address space)
 * on the card of shim_fixture.h, shared by test_cosim_directed.c and
 * test_cosim_native.c: the process boots the driver, runs the scenario
 * and exits as a process does; the scenario makes its system calls on
 * the process's own memory through at() and ea().
 *
 * The includer defines COSIM_PROC_NAME, the process's name, first.
 */
#ifndef CAPISIM_TESTS_COSIM_PROC_H
#define CAPISIM_TESTS_COSIM_PROC_H

#include <errno.h>
#include <misc/cxl.h>
#include <string.h>

#include "harness.h"
#include "host/uproc.h"
#include "kshim/ks_check.h"
#include "shim_fixture.h"

#ifndef COSIM_PROC_NAME
#error "define COSIM_PROC_NAME before including cosim_proc.h"
#endif

/*
 * The process's memory (RA == EA == host address): a page for system
 * call arguments, a page of WEs, source and destination areas.
 */
#define MEM_LEN		(1ULL << 20)
#define SCRATCH_OFF	0x0ULL
#define WE_OFF		0x1000ULL
#define SRC_OFF		0x10000ULL
#define DST_OFF		0x80000ULL

/*
 * The process of one test, rebuilt by run().  Only the simulation
 * thread touches them: the harness before kshim_run(), the process's
 * task during it.
 */
static void *proc;		/* the test's process */
static u8 *mem;			/* its memory, MEM_LEN bytes */
static int (*scenario)(void);
static int scenario_rc;

static struct psl_slice *slice0(void)
{
	return &kshim_world.cards[0]->slice[0];
}

/* The process: boot the driver, run the scenario, exit as a process does. */
static int proc_main(void *arg)
{
	scenario_rc = kshim_boot() ? -1 : scenario();
	kshim_files_close_all();
	kshim_shutdown();
	kshim_uproc_exit(proc);
	return 0;
}

/* The scenario's failing line, -1 if the boot failed, -1000 + kshim_run()'s error. */
static int run(int (*fn)(void))
{
	int rc;

	scenario = fn;
	scenario_rc = -1;
	proc = kshim_uproc_create(COSIM_PROC_NAME, proc_main, NULL, 1);
	if (!proc)
		return -ENOMEM;
	mem = (u8 *)(uintptr_t)kshim_user_mmap(kshim_uproc_mm(proc), MEM_LEN,
					       KSHIM_PROT_READ | KSHIM_PROT_WRITE);
	if (!mem)
		return -ENOMEM;
	rc = kshim_run(SHIM_RUN_LIMIT);
	return rc ? -1000 + rc : scenario_rc;
}

#define RUN_OK(fn)							\
	do {								\
		ASSERT_EQm("failing line of the scenario", 0, run(fn));	\
		ASSERT_EQm("no WARN, no lock misuse", 0, kshim_check_verdict()); \
		ASSERT_EQm("sysfs left", 0, kshim_sysfs_nr_dirs());	\
	} while (0)

static void *at(u64 off)
{
	return mem + off;
}

static unsigned long ea(u64 off)
{
	return (unsigned long)(uintptr_t)(mem + off);
}

/* START_WORK with @wed and the AFU's default interrupts: 0 or -errno. */
static long ctx_start(int fd, u64 wed)
{
	struct cxl_ioctl_start_work *w = at(SCRATCH_OFF);

	memset(w, 0, sizeof(*w));
	w->work_element_descriptor = wed;
	return kshim_ioctl(fd, CXL_IOCTL_START_WORK, ea(SCRATCH_OFF));
}

#endif
