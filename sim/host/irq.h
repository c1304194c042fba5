/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host interrupt controller: the PHB's MSI pool and the path from an
 * MSI write to the handler that consumes it.  A card raises an MSI by its
 * hwirq number; the message is queued in raise order and delivered after
 * the controller's latency to the handler attached to that hwirq (the
 * driver shim's, or a test's).  An MSI to a hwirq outside the pool or
 * with no handler is logged and counted, as a spurious interrupt.
 *
 * The pool lies below 2^16 so that a hwirq equals the 16-bit IVTE the PSL
 * sends (the driver programs hwirq & 0xFFFF; reference 5.1 [U]).  Every
 * MSI is delivered on its own: coalescing of an already pending source is
 * the host interrupt code's business, not this controller's.
 */
#ifndef CAPISIM_HOST_IRQ_H
#define CAPISIM_HOST_IRQ_H

#include "core/event.h"
#include "trace/trace.h"

#define IRQ_POOL_END 0x10000	/* first hwirq past any pool */

typedef void irq_handler_fn(void *arg, u32 hwirq);

struct irq_line {
	irq_handler_fn *fn;	/* NULL: unassigned */
	void *arg;
	u64 nr_delivered;
};

/* One MSI in flight. */
struct irq_msg {
	u64 due;		/* delivery time */
	u64 seq;		/* raise order, breaks ties */
	u32 hwirq;
};

struct irq_stats {
	u64 raised;
	u64 delivered;		/* to a handler */
	u64 unassigned;		/* outside the pool, or no handler when due */
	u64 dropped;		/* by the fault point */
	u64 delayed;		/* by the fault point */
};

/*
 * The controller.  Single-threaded: only the simulation thread calls in,
 * and handlers run from its event.  irq.c owns every field but @stats,
 * which callers may read.
 */
struct irq_ctl {
	struct sim_queue *q;
	u32 base;			/* the pool: hwirqs [base, base + nr) */
	u32 nr;
	u64 latency;			/* ps from raise to delivery */
	struct irq_line *lines;		/* nr entries */
	struct irq_msg *heap;		/* in flight, a min-heap on (due, seq) */
	u32 nr_msgs;
	u32 cap;
	u64 next_seq;
	struct sim_event ev;		/* at the earliest due time */
	struct irq_stats stats;
	struct trace_source tsrc;
};

/*
 * A controller for the pool [base, base + nr), delivering @latency ps
 * after each raise (the platform passes its [timing] msi_delivery).
 * Returns 0, -EINVAL if the pool is empty or reaches past IRQ_POOL_END,
 * -ENOMEM; irq_ctl_exit() is safe after either.
 */
int irq_ctl_init(struct irq_ctl *ic, struct sim_queue *q, u32 base, u32 nr, u64 latency);
/* Drops every MSI still in flight. */
void irq_ctl_exit(struct irq_ctl *ic);

/*
 * Attach @fn(@arg, hwirq) to @hwirq: the consumer every MSI to it reaches.
 * Returns 0, -EINVAL outside the pool, -EBUSY if one is attached.
 */
int irq_attach(struct irq_ctl *ic, u32 hwirq, irq_handler_fn *fn, void *arg);
/* Returns 0, or -ENOENT if nothing is attached there. */
int irq_detach(struct irq_ctl *ic, u32 hwirq);

/* Raise an MSI: 0, or -ENOMEM (logged) if it cannot be queued. */
int irq_raise(struct irq_ctl *ic, u32 hwirq);

static inline u32 irq_nr_in_flight(const struct irq_ctl *ic)
{
	return ic->nr_msgs;
}

#endif
