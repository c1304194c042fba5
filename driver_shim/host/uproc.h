/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User processes (driver_shim/kernel/uproc.c): the kernel tasks that stand
 * for the threads of a host program using libcxl (driver_shim/user/).
 * Each has its own pid and its own address space, and spends its life in
 * "user mode" waiting for its next system call, which host code hands it
 * with kshim_uproc_kick().  Builtin C types only: both sides include it.
 *
 * Every call but kshim_uproc_create() runs on the simulated CPU: in the
 * process's own task where it says "the running process", otherwise in
 * any task.
 */
#ifndef KSHIM_HOST_UPROC_H
#define KSHIM_HOST_UPROC_H

/*
 * A process running @fn(@arg) in a new kernel task named @name, with a
 * new address space when @with_mm (kshim_mm_new(): empty until the
 * caller maps something), else none (a kernel daemon's view).  Returns
 * the process, or NULL when out of memory.  From a task, or from the
 * harness before kshim_run().
 */
void *kshim_uproc_create(const char *name, int (*fn)(void *arg), void *arg, int with_mm);
int kshim_uproc_pid(void *up);
/* Its address space (a struct mm_struct), NULL without one. */
void *kshim_uproc_mm(void *up);

/*
 * The running process waits, interruptibly, until kshim_uproc_kick();
 * returns at once if kicked since the last wait.  A signal does not end
 * the wait: a process between system calls takes it in user mode.
 */
void kshim_uproc_wait(void *up);
/* The same, giving up at simulated time @t: 0 if kicked, -ETIMEDOUT. */
int kshim_uproc_wait_until(void *up, unsigned long long t);
void kshim_uproc_kick(void *up);

/*
 * A signal for the process: TIF_SIGPENDING, which ends an interruptible
 * sleep of its current system call (the driver returns -ERESTARTSYS).
 */
void kshim_uproc_signal(void *up);
/*
 * The running process returns to user mode: a pending signal is taken
 * (cleared), and locks, interrupt saves or RCU sections still held are
 * reported (exit-holding) and released.
 */
void kshim_uproc_ret_user(void);

/*
 * nanosleep() on simulated time: the running process sleeps until @t;
 * 0, or -EINTR (at once, or early) when a signal is pending.
 */
int kshim_uproc_sleep_until(unsigned long long t);

/* The running process's end: its address space is dropped (exit_mm). */
void kshim_uproc_exit(void *up);

#endif
