/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between tests/test_shim_sched.c (host side) and tests/kshim/sched*.c
 * (kernel side).  Builtin C types only: both include this file.  A
 * scenario sets up its tasks, runs them with kshim_run() and checks what
 * happened; it returns 0, or the line of the first check that failed
 * (logged as "ks-sched: check failed ...").
 */
#ifndef KSHIM_TESTS_KS_SCHED_H
#define KSHIM_TESTS_KS_SCHED_H

/* Tasks, time and interrupts (sched.c). */
int ks_sched_current(void);
int ks_sched_no_procs(void);
int ks_sched_yield(void);
int ks_sched_wait_queue(void);
int ks_sched_signal(void);
int ks_sched_wake_before_schedule(void);
int ks_sched_irq_masked(void);
int ks_sched_irq_idle(void);
int ks_sched_irq_not_nested(void);
int ks_sched_irq_coalesced(void);
int ks_sched_msleep(void);
int ks_sched_clocks(void);
int ks_sched_busy(void);
int ks_sched_timeout_loop(void);
int ks_sched_time_limit(void);
int ks_sched_busy_limit(void);
int ks_sched_deadlock(void);

/* Locks and checks (sched_locks.c). */
int ks_sched_mutex_fifo(void);
int ks_sched_mutex_deadlock(void);
int ks_sched_sleep_spinlock(void);
int ks_sched_sleep_atomic(void);
int ks_sched_unlocks(void);
int ks_sched_irq_unbalanced(void);
int ks_sched_lock_order(void);
int ks_sched_exit_holding(void);
int ks_sched_warn(void);
/* Each ends the process with a BUG: run them in a child. */
void ks_sched_bug_spin_recursion(void);
void ks_sched_bug_mutex_recursion(void);
void ks_sched_bug_call(void);

/* Work, RCU, printk and trace (sched_work.c). */
int ks_sched_work(void);
int ks_sched_work_from_irq(void);
int ks_sched_work_flush_running(void);
int ks_sched_work_drained(void);
int ks_sched_rcu(void);
int ks_sched_printk(void);
int ks_sched_trace(void);

/* Host-side helpers the scenarios call (test_shim_sched.c). */
/* At absolute simulated time @ps, an event calls kshim_irq_raise(@virq). */
void ts_raise_at(unsigned long long ps, unsigned int virq);
/* When the last of those events fired, in ps. */
unsigned long long ts_last_raise_time(void);

#endif
