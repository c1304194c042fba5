/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rig of the PSL tests that drive a card as the cxl driver does
 * (test_psl_err.c, test_psl_irq.c, test_psl_spa.c): an event queue, host
 * memory, an interrupt controller, one card and the register-level driver
 * on its slice 0.  Each test file keeps one, set up and torn down around
 * every test; the MSI handlers and the card's parameters stay the test's.
 * The includer defines pr_fmt and includes core/log.h first.
 */
#ifndef CAPISIM_TESTS_PSL_FIXTURE_H
#define CAPISIM_TESTS_PSL_FIXTURE_H

#include <stdio.h>

#include "host/irq.h"
#include "psl_cxldrv.h"

struct psl_fx {
	struct sim_queue q;
	struct host_mem mem;
	struct irq_ctl ic;
	struct psl_card *card;
	struct cxldrv drv;	/* slice 0 */
	FILE *sink;		/* /dev/null for logs a test expects; kept across tests */
};

/* The queue, host memory and MSIs @base to @base + @nr - 1, @lat after raising. */
static inline void pfx_host_init(struct psl_fx *f, u32 base, u32 nr, u64 lat)
{
	simq_init(&f->q);
	mem_init(&f->mem);
	irq_ctl_init(&f->ic, &f->q, base, nr, lat);
}

/*
 * The card made with @p, its memory space enabled and connected, and the
 * driver's first writes: the PSL error IVTE @err_hwirq and slice 0's
 * SERR IVTE @serr_hwirq.
 */
static inline void pfx_card_init(struct psl_fx *f, const struct psl_params *p, u32 err_hwirq,
				 u32 serr_hwirq)
{
	f->card = psl_card_create(&f->q, p);
	psl_cfg_write(f->card, 0x04, 2, 0x0006);
	psl_card_connect(f->card, &f->mem, &f->ic);
	cd_init(&f->drv, &f->q, f->card, &f->mem, 0);
	cd_p1_write(&f->drv, CXL_PSL_ErrIVTE, err_hwirq);
	cd_p1n_write(&f->drv, CXL_PSL_SERR_An, serr_hwirq);
}

/* Undo both inits, and what a test may have left: quiet logs, armed fault points. */
static inline void pfx_exit(struct psl_fx *f)
{
	log_set_file(NULL);
	log_set_level(LOG_WARN);
	inject_disarm_all();
	psl_card_destroy(f->card);
	cd_exit(&f->drv);
	irq_ctl_exit(&f->ic);
	mem_exit(&f->mem);
	simq_exit(&f->q);
}

/* Logs to /dev/null until pfx_exit(), for a test that provokes errors. */
static inline void pfx_quiet_logs(struct psl_fx *f)
{
	if (!f->sink)
		f->sink = fopen("/dev/null", "w");
	log_set_file(f->sink);
}

static inline void pfx_advance(struct psl_fx *f, u64 dt)
{
	simq_run_until(&f->q, simq_now(&f->q) + dt);
}

#endif
