// SPDX-License-Identifier: GPL-2.0
/*
 * The default IRQ domain: the PHB MSI hwirqs mapped to Linux virqs, each
 * with at most one handler (no IRQF_SHARED).  An MSI reaching the host
 * (kshim_irq_hwirq, from the MSI controller's event) is raised as its
 * virq; the scheduler later runs kshim_irq_dispatch() at an interrupt
 * point, in hard-IRQ context.  As in the kernel, a mapping outlives
 * free_irq(): cxl maps a hwirq again when it reuses it.
 */
#define pr_fmt(fmt) "kshim-irq: " fmt

#include "bus.h"
#include "../host/hsched.h"
#include "../host/kdev.h"

#define NR_VIRQS	4096

struct irq_desc {
	struct irq_data data;	/* data.irq is 0 while unmapped */
	irq_handler_t handler;
	void *dev_id;
	const char *name;
	u64 nr_handled;
	u64 nr_unhandled;	/* the handler said IRQ_NONE, or there was none */
};

/*
 * Every virq; virq 0 is never mapped.  Touched by process context with
 * nothing sleeping halfway, and by kshim_irq_dispatch() at interrupt
 * points, which never nest inside these functions' bodies.
 */
static struct irq_desc irq_descs[NR_VIRQS];

static struct irq_desc *mapped(unsigned int virq)
{
	if (!virq || virq >= NR_VIRQS || !irq_descs[virq].data.irq)
		return NULL;
	return &irq_descs[virq];
}

unsigned int irq_find_mapping(struct irq_domain *domain, irq_hw_number_t hwirq)
{
	unsigned int virq;

	for (virq = 1; virq < NR_VIRQS; virq++)
		if (irq_descs[virq].data.irq && irq_descs[virq].data.hwirq == hwirq)
			return virq;
	return 0;
}

/* The lowest free virq, as the kernel's descriptor allocator hands them out. */
unsigned int irq_create_mapping(struct irq_domain *domain, irq_hw_number_t hwirq)
{
	unsigned int virq = irq_find_mapping(domain, hwirq);

	if (virq)
		return virq;
	for (virq = 1; virq < NR_VIRQS; virq++) {
		struct irq_data *d = &irq_descs[virq].data;

		if (d->irq)
			continue;
		*d = (struct irq_data){ .irq = virq, .hwirq = hwirq, .domain = domain };
		return virq;
	}
	pr_err("no free virq for hwirq 0x%lx\n", hwirq);
	return 0;
}

struct irq_data *irq_get_irq_data(unsigned int irq)
{
	struct irq_desc *desc = mapped(irq);

	return desc ? &desc->data : NULL;
}

int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
		const char *name, void *dev_id)
{
	struct irq_desc *desc = mapped(irq);

	if (!desc || !handler)
		return -EINVAL;
	if (flags) {
		pr_err("request_irq(%u, %s): flags 0x%lx are not modelled\n", irq, name, flags);
		return -EINVAL;
	}
	if (desc->handler)
		return -EBUSY;
	desc->handler = handler;
	desc->dev_id = dev_id;
	desc->name = name;
	return 0;
}

const void *free_irq(unsigned int irq, void *dev_id)
{
	struct irq_desc *desc = mapped(irq);
	const char *name;

	if (WARN(!desc || !desc->handler, "Trying to free already-free IRQ %u\n", irq))
		return NULL;
	if (WARN(desc->dev_id != dev_id, "free_irq(%u, %s): wrong dev_id\n", irq, desc->name))
		return NULL;
	name = desc->name;
	desc->handler = NULL;
	desc->dev_id = NULL;
	desc->name = NULL;
	return name;
}

void kshim_irq_dispatch(unsigned int virq)
{
	struct irq_desc *desc = mapped(virq);

	if (!desc || !desc->handler) {
		pr_warn("interrupt on virq %u with no handler: ignored\n", virq);
		if (desc)
			desc->nr_unhandled++;
		return;
	}
	if (desc->handler(virq, desc->dev_id) == IRQ_NONE) {
		desc->nr_unhandled++;
		return;
	}
	desc->nr_handled++;
}

void kshim_irq_hwirq(unsigned int hwirq)
{
	unsigned int virq = irq_find_mapping(NULL, hwirq);

	if (!virq) {
		pr_warn("MSI to hwirq 0x%x, which no virq maps: ignored\n", hwirq);
		return;
	}
	kshim_irq_raise(virq);
}

int kshim_irq_count(unsigned int hwirq, unsigned long long *handled,
		    unsigned long long *unhandled)
{
	struct irq_desc *desc = mapped(irq_find_mapping(NULL, hwirq));

	if (!desc)
		return -ENOENT;
	*handled = desc->nr_handled;
	*unhandled = desc->nr_unhandled;
	return 0;
}

void kshim_irq_reset(void)
{
	memset(irq_descs, 0, sizeof(irq_descs));
}
