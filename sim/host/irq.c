// SPDX-License-Identifier: GPL-2.0
/*
 * The host interrupt controller: MSIs in flight in a min-heap on
 * (delivery time, raise order), one event at the earliest, handlers per
 * hwirq.  The heap rather than a FIFO because the fault point may delay
 * one message past later ones.
 */
#define pr_fmt(fmt) "irq: " fmt

#include <errno.h>
#include <stdlib.h>

#include "core/log.h"
#include "host/irq.h"
#include "inject/inject.h"

INJECT_POINT(ip_deliver, "host.irq.deliver",
	     "an MSI on its way to the host: lost, or late", INJECT_DROP | INJECT_DELAY);

static struct trace_kind tk_raise =
	TRACE_KIND("irq.raise", TRACE_LVL_DEFAULT, "hwirq:u64 due:u64");
static struct trace_kind tk_deliver =
	TRACE_KIND("irq.deliver", TRACE_LVL_DEFAULT, "hwirq:u64 handled:u64");

static bool msg_before(const struct irq_msg *a, const struct irq_msg *b)
{
	return a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

static void msg_swap(struct irq_msg *a, struct irq_msg *b)
{
	struct irq_msg t = *a;

	*a = *b;
	*b = t;
}

static void heap_up(struct irq_ctl *ic, u32 i)
{
	while (i && msg_before(&ic->heap[i], &ic->heap[(i - 1) / 2])) {
		msg_swap(&ic->heap[i], &ic->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
}

static void heap_down(struct irq_ctl *ic, u32 i)
{
	for (;;) {
		u32 l = 2 * i + 1, r = l + 1, m = i;

		if (l < ic->nr_msgs && msg_before(&ic->heap[l], &ic->heap[m]))
			m = l;
		if (r < ic->nr_msgs && msg_before(&ic->heap[r], &ic->heap[m]))
			m = r;
		if (m == i)
			return;
		msg_swap(&ic->heap[i], &ic->heap[m]);
		i = m;
	}
}

static struct irq_msg heap_pop(struct irq_ctl *ic)
{
	struct irq_msg top = ic->heap[0];

	ic->heap[0] = ic->heap[--ic->nr_msgs];
	heap_down(ic, 0);
	return top;
}

static void arm_event(struct irq_ctl *ic)
{
	if (!ic->nr_msgs) {
		sim_cancel(ic->q, &ic->ev);
		return;
	}
	if (sim_event_pending(&ic->ev) && ic->ev.time == ic->heap[0].due)
		return;
	if (sim_reschedule_at(ic->q, &ic->ev, ic->heap[0].due))
		pr_err("cannot schedule delivery at %llu ps; MSIs stay in flight\n",
		       (unsigned long long)ic->heap[0].due);
}

static struct irq_line *line_of(struct irq_ctl *ic, u32 hwirq)
{
	if (hwirq < ic->base || hwirq - ic->base >= ic->nr)
		return NULL;
	return &ic->lines[hwirq - ic->base];
}

static void deliver(struct irq_ctl *ic, u32 hwirq)
{
	struct irq_line *l = line_of(ic, hwirq);
	bool handled = l && l->fn;

	trace_emit(&tk_deliver, &ic->tsrc, TRACE_CTX_NONE, TRACE_U(hwirq), TRACE_U(handled));
	if (!handled) {
		ic->stats.unassigned++;
		pr_warn("MSI to hwirq 0x%x: %s; ignored\n", hwirq,
			l ? "no handler attached" : "outside the MSI pool");
		return;
	}
	ic->stats.delivered++;
	l->nr_delivered++;
	l->fn(l->arg, hwirq);
}

/* Deliver everything due now, in order; handlers may raise more. */
static void deliver_due(void *arg)
{
	struct irq_ctl *ic = arg;
	u64 now = simq_now(ic->q);

	while (ic->nr_msgs && ic->heap[0].due <= now) {
		struct irq_msg m = heap_pop(ic);

		deliver(ic, m.hwirq);
	}
	arm_event(ic);
}

int irq_ctl_init(struct irq_ctl *ic, struct sim_queue *q, u32 base, u32 nr, u64 latency)
{
	*ic = (struct irq_ctl){ .q = q, .base = base, .nr = nr, .latency = latency };
	ic->tsrc = (struct trace_source)TRACE_SOURCE("host-irq");
	/* First, so that irq_ctl_exit() is safe after a failed init. */
	sim_event_init(&ic->ev, "irq-deliver", deliver_due, ic);
	if (!nr || base >= IRQ_POOL_END || nr > IRQ_POOL_END - base)
		return -EINVAL;
	ic->lines = calloc(nr, sizeof(*ic->lines));
	if (!ic->lines)
		return -ENOMEM;
	return 0;
}

void irq_ctl_exit(struct irq_ctl *ic)
{
	sim_cancel(ic->q, &ic->ev);
	free(ic->lines);
	free(ic->heap);
	ic->lines = NULL;
	ic->heap = NULL;
	ic->nr_msgs = ic->cap = 0;
}

int irq_attach(struct irq_ctl *ic, u32 hwirq, irq_handler_fn *fn, void *arg)
{
	struct irq_line *l = line_of(ic, hwirq);

	if (!l || !fn)
		return -EINVAL;
	if (l->fn)
		return -EBUSY;
	l->fn = fn;
	l->arg = arg;
	return 0;
}

int irq_detach(struct irq_ctl *ic, u32 hwirq)
{
	struct irq_line *l = line_of(ic, hwirq);

	if (!l || !l->fn)
		return -ENOENT;
	l->fn = NULL;
	l->arg = NULL;
	return 0;
}

static int heap_grow(struct irq_ctl *ic)
{
	u32 cap = ic->cap ? 2 * ic->cap : 64;
	struct irq_msg *h = realloc(ic->heap, cap * sizeof(*h));

	if (!h)
		return -ENOMEM;
	ic->heap = h;
	ic->cap = cap;
	return 0;
}

int irq_raise(struct irq_ctl *ic, u32 hwirq)
{
	u64 due = simq_now(ic->q) + ic->latency;
	struct inject_action act;

	ic->stats.raised++;
	if (inject_check(&ip_deliver, &act)) {
		if (act.kind == INJECT_KIND_DROP) {
			ic->stats.dropped++;
			pr_debug("MSI to hwirq 0x%x lost (fault point)\n", hwirq);
			return 0;
		}
		ic->stats.delayed++;
		due += act.delay;
	}
	if (ic->nr_msgs == ic->cap && heap_grow(ic)) {
		pr_err("out of memory: MSI to hwirq 0x%x lost\n", hwirq);
		return -ENOMEM;
	}
	trace_emit(&tk_raise, &ic->tsrc, TRACE_CTX_NONE, TRACE_U(hwirq), TRACE_U(due));
	ic->heap[ic->nr_msgs] = (struct irq_msg){ .due = due, .seq = ic->next_seq++,
						  .hwirq = hwirq };
	heap_up(ic, ic->nr_msgs++);
	arm_event(ic);
	return 0;
}
