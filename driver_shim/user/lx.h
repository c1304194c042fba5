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

#include <pthread.h>
#include <stdbool.h>

#include "core/log.h"
#include "core/types.h"
#include "trace/trace.h"

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
	char afu[LX_PATH_LEN];		/* built-in AFU, or a plug-in's path; "none" for none */
	char afu_options[LX_OPTS_LEN];
	char mode[LX_NAME_LEN];		/* "directed", "dedicated", "" (driver's choice) */
	u64 seed;
	enum lx_time time;
	u64 quantum_ps;			/* gate's look for new calls while calls run */
	enum log_level log_level;
	char log_file[LX_PATH_LEN];	/* "" for stderr */
	char timing[LX_PATH_LEN];	/* PSL timing file, "" for the defaults */
	char trace[LX_PATH_LEN];	/* .cxt to record, "" for none */
	enum trace_level trace_level;
	/* From the environment only: what `capisim run` passes */
	char status[LX_PATH_LEN];	/* where the status goes at the stop, "" for nowhere */
	char *run_info;			/* CAPISIM_RUN_INFO, or NULL; malloc'd */
};

/*
 * Fill @c from the environment (and the file it names).  Returns 0, or
 * -EINVAL after reporting the problem (lx_problem()); @c->status is
 * valid either way.  lx_conf_free() releases what it holds.
 */
int lx_conf_load(struct lx_conf *c);
void lx_conf_free(struct lx_conf *c);

/* The effective configuration as a [libcxl] section, every key; malloc'd, NULL if no memory. */
char *lx_conf_text(const struct lx_conf *c);

/*
 * A problem that stops the machine: print "capisim: @fmt" as one line on
 * stderr (say what is wrong, then " — " and what to do) and keep it for
 * the status file.  The first problem is kept; any thread.
 */
__attribute__((format(printf, 1, 2)))
void lx_problem(const char *fmt, ...);

/* ---- The handoff (gate.c) ---- */

/*
 * Boot the machine unless it runs: 0, or -errno when it cannot boot.  A
 * machine whose driver found no AFU still boots (its /dev/cxl is empty).
 */
int lx_boot(void);

/* What the gate knows of a call it ran, for the call's trace event. */
struct lx_call_info {
	int pid;
	const char *comm;
	u64 start;		/* simulated time the process took the call, ps */
};

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
 * lx_call(), and once @fn returned, @rec(@arg, result, who and when) in
 * the same process: where the call's trace event is made (libcxl.c).
 */
long lx_call_rec(long (*fn)(void *arg), void (*rec)(void *arg, long ret,
						   const struct lx_call_info *ci),
		 void *arg, unsigned int flags);

/*
 * The running machine's generation (each boot makes a new one), 0 when
 * none runs: what a machine handed out dies with it.
 */
unsigned int lx_machine(void);

/* Sleeps of the calling thread run on simulated time (lockstep, machine up, not its own thread). */
bool lx_sleep_virtual(void);

/* ---- Program threads in lockstep (gate.c; the interposers in threads.c) ---- */

struct lx_thread;

/*
 * pthread_create() is about to start a thread running @start(@arg): its
 * record, counted from now, if the calling thread is the main thread or
 * one of its descendants (docs/libcxl.md, "Time"), else NULL (start it
 * as it is).  The new thread must run lx_thread_start(record); then
 * lx_thread_spawned() with pthread_create()'s result and the new id.
 */
struct lx_thread *lx_thread_spawn(void *(*start)(void *arg), void *arg, bool detached);
void lx_thread_spawned(struct lx_thread *t, int err, pthread_t tid, bool detached);
void *lx_thread_start(void *t);

/*
 * Around the host's pthread_join(@tid): the calling thread stops counting
 * until @tid ends, and counts again in the machine's order.  Returns what
 * lx_join_end() needs, with the join's result.
 */
struct lx_thread *lx_join_begin(pthread_t tid);
void lx_join_end(struct lx_thread *t, int err);

/* The host's own pthread_create() and pthread_join(), for the machine's threads (threads.c). */
int lx_real_pthread_create(pthread_t *tid, const pthread_attr_t *attr,
			   void *(*start)(void *arg), void *arg);
int lx_real_pthread_join(pthread_t tid, void **ret);

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

/* ---- The run's record (record.c) and status (status.c), simulator thread ---- */

/*
 * Start recording the trace @c names, if any, with the header naming the
 * whole run; @timing_text is the timing file's text (NULL without one).
 * 0, or -errno after lx_problem().
 */
int lx_record_start(const struct lx_conf *c, const char *timing_text);
/* Stop and close the trace; a recording error is reported.  0 or -errno. */
int lx_record_stop(void);

/* The machine's counters at its stop, for the status file. */
struct lx_stats {
	u64 sim_time_ps;
	u64 processes;
	int deadlock;
	int verdict;		/* failed runtime checks, machine abandoned, ... */
};

/*
 * Take the model's and the shim's counters (cards still there) into the
 * status; @st is what the gate counted.
 */
void lx_status_snapshot(const struct lx_stats *st);
/*
 * Write the status file @c names, if any: at the stop, after the
 * simulator thread ended, or from it in lx_emergency().  The last
 * snapshot, or zeros and "verdict failed" for a machine that never ran;
 * @failed forces "failed".  @wall_ns is the machine's life in host time.
 */
void lx_status_write(const struct lx_conf *c, u64 wall_ns, bool failed);
/* Forget the snapshot and the problem: a new machine boots. */
void lx_status_reset(void);

/*
 * The kernel dies (BUG): snapshot, stop the trace and write the status
 * ("verdict failed") before the process aborts (gate.c).
 */
void lx_emergency(void);

/* The driver's tracepoints as counted by drvtrace.c since lx_drv_reset(). */
u64 lx_drv_hits(const char *tracepoint);
u64 lx_drv_tfc_ae(void);	/* faults answered with an address error */
u64 lx_drv_bugs(void);
void lx_drv_reset(void);

struct psl_timing;
/*
 * The PSL timing @c->timing names into @t (left alone without one), and
 * the file's text into *@text (malloc'd; NULL without one).  0, or
 * -EINVAL after lx_problem() naming the file and line.
 */
int lx_timing_load(const struct lx_conf *c, struct psl_timing *t, char **text);

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
