/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside libcxl (docs/libcxl.md): the simulated machine a host program's
 * libcxl calls run on, and how a call gets there.
 *
 * The machine lives on one simulator thread.  Each program thread that
 * calls libcxl is a simulated process (a kernel task with its own pid and
 * address space); lx_call() hands it one function to run, as a system
 * call, and waits for the result.  Nothing in the simulation may be
 * touched from a program thread except through lx_call().
 */
#ifndef CAPISIM_LIBCXL_LX_H
#define CAPISIM_LIBCXL_LX_H

#include <stdbool.h>

#include "core/log.h"
#include "core/types.h"

/* How simulated time relates to the program's (docs/libcxl.md). */
enum lx_time {
	LX_TIME_LOCKSTEP,	/* the machine runs only during calls; sleeps are simulated */
	LX_TIME_FREE,		/* the machine runs on its own; sleeps are the host's */
};

#define LX_NAME_LEN	64
#define LX_OPTS_LEN	256
#define LX_PATH_LEN	256

/* The machine to boot, from CAPISIM_* variables and CAPISIM_CONFIG (conf.c). */
struct lx_conf {
	char afu[LX_NAME_LEN];		/* built-in AFU on slice 0; "none" for none */
	char afu_options[LX_OPTS_LEN];
	char mode[LX_NAME_LEN];		/* "directed", "dedicated", "" (driver's choice) */
	u64 seed;
	enum lx_time time;
	u64 quantum_ps;			/* gate's look for new calls while calls run */
	enum log_level log_level;
	char log_file[LX_PATH_LEN];	/* "" for stderr */
};

/* Fill @c from the environment (and the file it names); 0 or -EINVAL, reported on stderr. */
int lx_conf_load(struct lx_conf *c);

/* ---- The handoff (gate.c) ---- */

/*
 * Boot the machine unless it runs: 0, or -errno when it cannot boot.  A
 * machine whose driver found no AFU still boots (its /dev/cxl is empty).
 */
int lx_boot(void);

/* lx_call() flags. */
#define LX_CALL_NORESTART	0x1	/* a signal ends the wait even with SA_RESTART */

/*
 * Run @fn(@arg) as the calling thread's simulated process, as a system
 * call, booting the machine first if need be, and return what it
 * returns (a negative errno for an error).  A signal handled while the
 * call waits interrupts the simulated call (it sees signal_pending()) if
 * the handler was installed without SA_RESTART, as the kernel restarts
 * or interrupts a system call; with LX_CALL_NORESTART it always does.
 * -ENODEV when there is no machine (it failed to boot, or after fork).
 */
long lx_call(long (*fn)(void *arg), void *arg, unsigned int flags);

/*
 * The running machine's generation (each boot makes a new one), 0 when
 * none runs: what a machine handed out dies with it.
 */
unsigned int lx_machine(void);

/* Sleeps of the calling thread run on simulated time (lockstep, machine up, not its own thread). */
bool lx_sleep_virtual(void);

/*
 * Stop the machine: interrupt and finish the calls in progress, close
 * what the program left open, end the processes, run the driver's module
 * exit, and tear the machine down.  Returns the number of runtime checks
 * that failed (WARNs, lock misuse: docs/shim-sched.md), or -ENODEV if no
 * machine ran.  The next call boots a new machine.  Also run at exit.
 */
int lx_shutdown(void);

/* The configuration of the running machine (valid from a call's @fn). */
const struct lx_conf *lx_conf(void);

/* Calls submitted and not yet done, of every thread (for tests). */
unsigned int lx_calls_in_progress(void);

/* ---- The program's memory (mirror.c), simulator thread only ---- */

/*
 * Re-read the program's mappings (/proc/self/maps) and bring every
 * mirrored address space up to date.  Returns 1 if anything changed, 0,
 * or -errno.
 */
int lx_mirror_refresh(void);
/* Mirror the program's mappings into address space @mm (a new process's). */
int lx_mirror_add_mm(void *mm);
/* Stop mirroring into @mm (its process exits). */
void lx_mirror_remove_mm(void *mm);
/* Forget everything: the machine is gone. */
void lx_mirror_reset(void);

#endif
