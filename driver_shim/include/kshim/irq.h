/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupts: handlers, the virq <-> hwirq mapping and request_irq().
 *
 * hwirq numbers are the PHB MSI numbers the driver programs into the card;
 * the simulated PSL raises MSIs by hwirq.  Handlers run in hard-IRQ context
 * at the next interrupt point of the running task (driver_shim/kernel/irq.c).
 */
#ifndef _KSHIM_IRQ_H
#define _KSHIM_IRQ_H

#include <kshim/types.h>

enum irqreturn {
	IRQ_NONE = 0,
	IRQ_HANDLED = 1 << 0,
	IRQ_WAKE_THREAD = 1 << 1,
};

typedef enum irqreturn irqreturn_t;
typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);

struct irq_domain;

struct irq_data {
	u32 mask;
	unsigned int irq;	/* the Linux (virtual) irq number */
	irq_hw_number_t hwirq;
	struct irq_domain *domain;
	void *chip_data;
};

static inline irq_hw_number_t irqd_to_hwirq(struct irq_data *d)
{
	return d->hwirq;
}

/* A NULL domain is the default (PHB MSI) domain.  0 means no mapping. */
unsigned int irq_create_mapping(struct irq_domain *domain, irq_hw_number_t hwirq);
unsigned int irq_find_mapping(struct irq_domain *domain, irq_hw_number_t hwirq);
struct irq_data *irq_get_irq_data(unsigned int irq);

int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
		const char *name, void *dev_id);
/* Returns the name given to request_irq(). */
const void *free_irq(unsigned int irq, void *dev_id);

/*
 * Run the handler of @virq, in hard-IRQ context.  The scheduler's
 * interrupt points call it for every virq raised by kshim_irq_raise().
 */
void kshim_irq_dispatch(unsigned int virq);

#endif /* _KSHIM_IRQ_H */
