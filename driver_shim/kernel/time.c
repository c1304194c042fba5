// SPDX-License-Identifier: GPL-2.0
/*
 * Time, all of it simulated (docs/shim-sched.md): jiffies, local_clock()
 * and the 512 MHz time base derive from the simulator's clock.  Driver
 * code runs in zero time except where it waits: msleep() sleeps; udelay(),
 * cpu_relax() and MMIO accesses (through kshim_spend()) keep the CPU busy
 * while the simulator runs.
 */
#define pr_fmt(fmt) "kshim-time: " fmt

#include "ksched.h"

/* As in the kernel: jiffies start short of the 32-bit wrap, so wrap bugs show early. */
#define INITIAL_JIFFIES		((unsigned long)(unsigned int)(-300 * HZ))
/* POWER8's cpu_relax() is a pair of thread-priority nops: a few cycles. */
#define CPU_RELAX_PS		(10 * KSHIM_PS_PER_NS)
/* The time base ticks 512e6 times in 1e12 ps, that is 64 times in 125000 ps. */
#define TB_TICKS		64ULL
#define TB_PS			125000ULL

/*
 * The tick count, read directly by the driver.  Brought up to date by
 * kshim_clock_sync() whenever kernel code resumes after time has passed
 * (a sleep, busy time, an interrupt point); written by nothing else.
 */
unsigned long volatile jiffies;

void kshim_clock_sync(void)
{
	jiffies = INITIAL_JIFFIES + hsched_now() / KSHIM_PS_PER_MS;
}

void kshim_spend(u64 ps)
{
	hsched_busy(ps);
	kshim_irq_point();
}

void cpu_relax(void)
{
	kshim_spend(CPU_RELAX_PS);
}

void udelay(unsigned long usecs)
{
	kshim_spend(usecs * KSHIM_PS_PER_US);
}

/* The kernel's msleep(): the timer fires msecs + 1 ticks after the current one. */
void (msleep)(unsigned int msecs)
{
	struct kshim_site site = kshim_site;
	u64 tick = hsched_now() / KSHIM_PS_PER_MS;

	kshim_might_sleep("msleep", site);
	kshim_sleep_until((tick + msecs + 1) * KSHIM_PS_PER_MS);
}

u64 local_clock(void)
{
	return hsched_now() / KSHIM_PS_PER_NS;
}

unsigned long mftb(void)
{
	u64 now = hsched_now();

	return now / TB_PS * TB_TICKS + now % TB_PS * TB_TICKS / TB_PS;
}
