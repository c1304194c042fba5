// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts: the host controller (order, latency, handlers, spurious
 * MSIs, its fault point) and the PSL's sources: AFU interrupts through a
 * context's IVTE ranges, an out-of-range one, the PSL interrupt of a
 * fault, the slice-error interrupt (SERR IVTE) and the PSL error
 * interrupt (PSL_ErrIVTE).
 */
#define pr_fmt(fmt) "test_psl_irq: " fmt

#include "harness.h"
#include "core/log.h"
#include "psl_fixture.h"

#define NS PS_PER_NS
#define US PS_PER_US

#define MSI_LAT (250 * NS)
#define HW_PSL 0x1010
#define HW_AFU1 0x1100		/* range 1: 4 interrupts */
#define HW_AFU2 0x1200		/* range 2: 2 interrupts */
#define HW_SERR 0x1020
#define HW_ERR 0x1001

/* Set up and torn down around every test. */
static struct psl_fx fx;

struct msi {
	u64 t;
	u32 hwirq;
	uintptr_t who;
};

static struct msi got[256];
static unsigned int nr_got;

static void on_msi(void *arg, u32 hwirq)
{
	if (nr_got < ARRAY_SIZE(got))
		got[nr_got] = (struct msi){ simq_now(&fx.q), hwirq, (uintptr_t)arg };
	nr_got++;
}

static void setup(void *arg)
{
	struct psl_params p;
	unsigned int h;

	pfx_host_init(&fx, 0x1000, 0x400, MSI_LAT);
	for (h = 0x1000; h < 0x1400; h++)
		irq_attach(&fx.ic, h, on_msi, (void *)(uintptr_t)h);
	nr_got = 0;
	psl_params_defaults(&p);
	p.nr_slices = 2;
	p.ps_size = 0x100;
	p.timing.spa_cmd = 1 * US;
	p.timing.msi_delivery = MSI_LAT;
	pfx_card_init(&fx, &p, HW_ERR, HW_SERR);
}

static void teardown(void *arg)
{
	pfx_exit(&fx);
}

static const struct cd_ctx ctx_a = {
	.sr = 0x8000000000004011ULL,
	.pid = 77,
	.ivte_off = { HW_PSL, HW_AFU1, HW_AFU2, 0 },
	.ivte_range = { 1, 4, 2, 0 },
	.wed = 0x1000,
};

static enum harness_result attach_directed(unsigned int pe, const struct cd_ctx *c)
{
	if (!fx.drv.spa)
		ASSERT_EQ(0, cd_activate_directed(&fx.drv, 16));
	ASSERT_EQ(0, cd_attach_directed(&fx.drv, pe, c));
	PASS();
}

/* ---- The host controller ---- */

TEST controller_delivers_in_order_after_latency(void)
{
	struct irq_ctl c;
	u64 t0 = simq_now(&fx.q);

	ASSERT_EQ(0, irq_ctl_init(&c, &fx.q, 0x40, 16, 1 * US));
	ASSERT_EQ(0, irq_attach(&c, 0x41, on_msi, (void *)1));
	ASSERT_EQ(0, irq_attach(&c, 0x42, on_msi, (void *)2));
	ASSERT_EQ(0, irq_raise(&c, 0x42));
	pfx_advance(&fx, 100 * NS);
	ASSERT_EQ(0, irq_raise(&c, 0x41));
	ASSERT_EQ(0, irq_raise(&c, 0x42));
	ASSERT_EQ(3, irq_nr_in_flight(&c));
	pfx_advance(&fx, 900 * NS - 1);
	ASSERT_EQ(0, nr_got);
	pfx_advance(&fx, 1);
	ASSERT_EQ(1, nr_got);
	ASSERT_EQ(0x42, got[0].hwirq);
	ASSERT_EQ(t0 + 1 * US, got[0].t);
	pfx_advance(&fx, 100 * NS);
	ASSERT_EQ(3, nr_got);
	ASSERT_EQm("raise order kept at equal times", 0x41, got[1].hwirq);
	ASSERT_EQ(1, got[1].who);
	ASSERT_EQ(0x42, got[2].hwirq);
	ASSERT_EQ(t0 + 1100 * NS, got[2].t);
	ASSERT_EQ(3, c.stats.raised);
	ASSERT_EQ(3, c.stats.delivered);
	ASSERT_EQ(2, c.lines[2].nr_delivered);
	ASSERT_EQ(0, irq_nr_in_flight(&c));
	irq_ctl_exit(&c);
	PASS();
}

TEST controller_counts_spurious_msis(void)
{
	struct irq_ctl c;
	FILE *cap = tmpfile();
	char text[2048] = "";
	size_t n;

	ASSERT(cap);
	log_set_file(cap);
	ASSERT_EQ(0, irq_ctl_init(&c, &fx.q, 0x40, 16, 0));
	ASSERT_EQ(-EINVAL, irq_attach(&c, 0x50, on_msi, NULL));
	ASSERT_EQ(-EINVAL, irq_attach(&c, 0x3F, on_msi, NULL));
	ASSERT_EQ(0, irq_attach(&c, 0x4F, on_msi, NULL));
	ASSERT_EQ(-EBUSY, irq_attach(&c, 0x4F, on_msi, NULL));
	ASSERT_EQ(-ENOENT, irq_detach(&c, 0x44));
	irq_raise(&c, 0x44);		/* in the pool, nobody attached */
	irq_raise(&c, 0x9999);		/* outside the pool */
	irq_raise(&c, 0x4F);
	ASSERT_EQ(0, irq_detach(&c, 0x4F));
	pfx_advance(&fx, 0);
	ASSERT_EQm("detached before delivery: spurious", 0, nr_got);
	ASSERT_EQ(3, c.stats.unassigned);
	ASSERT_EQ(0, c.stats.delivered);
	irq_ctl_exit(&c);
	fflush(cap);
	rewind(cap);
	n = fread(text, 1, sizeof(text) - 1, cap);
	text[n] = '\0';
	fclose(cap);
	log_set_file(NULL);
	ASSERT_STR_HAS(text, "MSI to hwirq 0x44: no handler attached; ignored");
	ASSERT_STR_HAS(text, "MSI to hwirq 0x9999: outside the MSI pool; ignored");
	ASSERT_EQ(-EINVAL, irq_ctl_init(&c, &fx.q, 0xFFF0, 0x20, 0));
	ASSERT_EQ(-EINVAL, irq_ctl_init(&c, &fx.q, 0, 0, 0));
	PASS();
}

TEST controller_fault_point(void)
{
	struct inject_point *pt = inject_find("host.irq.deliver");
	struct inject_action drop = { .kind = INJECT_KIND_DROP };
	struct inject_action late = { .kind = INJECT_KIND_DELAY, .delay = 2 * US };
	struct inject_action bad = { .kind = INJECT_KIND_VALUE, .value = 1 };

	ASSERT(pt);
	ASSERT_EQm("a site honours only its kinds", -EINVAL, inject_arm(pt, &bad, 1));
	ASSERT_EQ(0, inject_arm(pt, &drop, 1));
	irq_raise(&fx.ic, 0x1100);
	ASSERT_EQ(0, inject_arm(pt, &late, 1));
	irq_raise(&fx.ic, 0x1101);
	irq_raise(&fx.ic, 0x1102);
	pfx_advance(&fx, MSI_LAT);
	ASSERT_EQ(1, nr_got);
	ASSERT_EQ(0x1102, got[0].hwirq);
	pfx_advance(&fx, 2 * US);
	ASSERT_EQ(2, nr_got);
	ASSERTm("the late one overtaken", got[1].hwirq == 0x1101);
	ASSERT_EQ(1, fx.ic.stats.dropped);
	ASSERT_EQ(1, fx.ic.stats.delayed);
	PASS();
}

/* ---- AFU interrupts through IVTE ranges (reference 5.2) ---- */

TEST afu_interrupts_map_through_ranges(void)
{
	struct psl_slice *s = &fx.card->slice[0];
	static const u32 want[] = {
		HW_AFU1, HW_AFU1 + 1, HW_AFU1 + 2, HW_AFU1 + 3, HW_AFU2, HW_AFU2 + 1,
	};
	unsigned int n;

	CHECK_CALL(attach_directed(3, &ctx_a));
	pfx_advance(&fx, 10 * US);
	nr_got = 0;
	for (n = 1; n <= 6; n++)
		ASSERT_EQ(0, psl_afu_irq(s, 3, n));
	pfx_advance(&fx, MSI_LAT);
	ASSERT_EQ(6, nr_got);
	for (n = 0; n < 6; n++)
		ASSERT_EQm("LISN n -> IVTE", want[n], got[n].hwirq);
	ASSERT_EQ(6, psl_slice_ctx(s, 3)->nr_afu_irqs);
	ASSERT_EQ(0, cd_p1n_read(&fx.drv, CXL_PSL_SERR_An) & CXL_PSL_SERR_An_IRQS);
	PASS();
}

TEST out_of_range_afu_interrupt_is_badsrc(void)
{
	struct psl_slice *s = &fx.card->slice[0];
	u64 serr;

	pfx_quiet_logs(&fx);
	CHECK_CALL(attach_directed(3, &ctx_a));
	pfx_advance(&fx, 10 * US);
	nr_got = 0;
	ASSERT_EQm("past the last range", -ERANGE, psl_afu_irq(s, 3, 7));
	serr = cd_p1n_read(&fx.drv, CXL_PSL_SERR_An);
	ASSERT_EQ(CXL_PSL_SERR_An_badsrc | HW_SERR, serr);
	pfx_advance(&fx, MSI_LAT);
	ASSERT_EQ(1, nr_got);
	ASSERTm("the slice-error interrupt, not an AFU one", got[0].hwirq == HW_SERR);
	ASSERT_EQm("LISN 0 is the PSL's", -ERANGE, psl_afu_irq(s, 3, 0));
	ASSERT_EQ(-ENOENT, psl_afu_irq(s, 9, 1));
	ASSERT(cd_p1n_read(&fx.drv, CXL_PSL_SERR_An) & CXL_PSL_SERR_An_badctx);
	pfx_advance(&fx, MSI_LAT);
	ASSERT_EQm("badsrc was already set: only badctx rose", 2, nr_got);
	ASSERT_EQ(2, fx.card->stats.irq_badsrc);
	/* The driver's slice-error handler masks what it saw, then W1C. */
	serr = cd_p1n_read(&fx.drv, CXL_PSL_SERR_An);
	cd_p1n_write(&fx.drv, CXL_PSL_SERR_An, serr | (serr & CXL_PSL_SERR_An_IRQS) >> 32);
	ASSERT_EQ(0, cd_p1n_read(&fx.drv, CXL_PSL_SERR_An) & CXL_PSL_SERR_An_IRQS);
	psl_afu_irq(s, 3, 100);
	pfx_advance(&fx, MSI_LAT);
	ASSERT_EQm("masked: status set, no interrupt", 2, nr_got);
	ASSERT(cd_p1n_read(&fx.drv, CXL_PSL_SERR_An) & CXL_PSL_SERR_An_badsrc);
	PASS();
}

TEST caia_lisn_rule(void)
{
	struct psl_ctx ctx = { .ivte_off = { 0x10, 0x20, 0x30, 0x40 },
			       .ivte_range = { 2, 0, 3, 1 } };
	u16 ivte;

	ASSERT_EQ(0, psl_ctx_ivte(&ctx, 0, &ivte));
	ASSERT_EQ(0x10, ivte);
	ASSERT_EQ(0, psl_ctx_ivte(&ctx, 1, &ivte));
	ASSERT_EQ(0x11, ivte);
	ASSERT_EQm("empty range 1 skipped", 0, psl_ctx_ivte(&ctx, 2, &ivte));
	ASSERT_EQ(0x30, ivte);
	ASSERT_EQ(0, psl_ctx_ivte(&ctx, 4, &ivte));
	ASSERT_EQ(0x32, ivte);
	ASSERT_EQ(0, psl_ctx_ivte(&ctx, 5, &ivte));
	ASSERT_EQ(0x40, ivte);
	ASSERT_EQ(-ERANGE, psl_ctx_ivte(&ctx, 6, &ivte));
	ASSERT_EQ(-ERANGE, psl_ctx_ivte(&ctx, 0xFFFFFFFF, &ivte));
	ctx.ivte_range[0] = 0;
	ASSERT_EQm("no range 0: LISN 0 lands in range 2", 0, psl_ctx_ivte(&ctx, 0, &ivte));
	ASSERT_EQ(0x30, ivte);
	PASS();
}

TEST dedicated_afu_interrupts_from_registers(void)
{
	struct psl_slice *s = &fx.card->slice[0];
	u16 off[4] = { HW_PSL, HW_AFU2, 0, 0 }, range[4] = { 1, 2, 0, 0 };

	cd_activate_dedicated(&fx.drv, 0, 0);
	ASSERT_EQ(0, cd_attach_dedicated(&fx.drv, &ctx_a));
	nr_got = 0;
	ASSERT_EQ(0, psl_afu_irq(s, 0, 4));
	/* The driver changes the ranges of the running context. */
	cd_p1n_write(&fx.drv, CXL_PSL_IVTE_Offset_An, cd_pack_ivtes(off));
	cd_p1n_write(&fx.drv, CXL_PSL_IVTE_Limit_An, cd_pack_ivtes(range));
	ASSERT_EQ(0, psl_afu_irq(s, 0, 2));
	pfx_quiet_logs(&fx);
	ASSERT_EQ(-ERANGE, psl_afu_irq(s, 0, 3));
	pfx_advance(&fx, MSI_LAT);
	ASSERT_EQ(3, nr_got);
	ASSERT_EQ(HW_AFU1 + 3, got[0].hwirq);
	ASSERT_EQ(HW_AFU2 + 1, got[1].hwirq);
	ASSERT_EQ(HW_SERR, got[2].hwirq);
	PASS();
}

/* ---- PSL interrupt, slice error, PSL error ---- */

/* A fault left queued when a test ends; the card is destroyed in teardown. */
static struct psl_fault held;

TEST fault_raises_the_psl_interrupt(void)
{
	struct psl_slice *s = &fx.card->slice[0];
	struct psl_fault *f = &held;

	*f = (struct psl_fault){ .pe = 3, .dsisr = CXL_PSL_DSISR_An_DS, .dar = 0x5000 };
	CHECK_CALL(attach_directed(3, &ctx_a));
	pfx_advance(&fx, 10 * US);
	nr_got = 0;
	ASSERT_EQ(0, psl_slice_raise_fault(s, f));
	pfx_advance(&fx, MSI_LAT);
	ASSERT_EQ(1, nr_got);
	ASSERT_EQm("range 0 of the context", HW_PSL, got[0].hwirq);
	PASS();
}

TEST slice_error_interrupt(void)
{
	struct psl_slice *s = &fx.card->slice[1];
	struct cxldrv d1;

	cd_init(&d1, &fx.q, fx.card, &fx.mem, 1);
	cd_p1n_write(&d1, CXL_PSL_SERR_An, HW_SERR + 1);
	psl_err_serr(s, CXL_PSL_SERR_An_afuto);
	pfx_advance(&fx, MSI_LAT);
	ASSERT_EQ(1, nr_got);
	ASSERT_EQ(HW_SERR + 1, got[0].hwirq);
	ASSERT_EQ(CXL_PSL_SERR_An_afuto | (HW_SERR + 1), cd_p1n_read(&d1, CXL_PSL_SERR_An));
	psl_err_serr(s, CXL_PSL_SERR_An_afuto);
	pfx_advance(&fx, MSI_LAT);
	ASSERTm("no new interrupt while the bit stays set", nr_got == 1);
	/* Masked error: status only. */
	cd_p1n_write(&d1, CXL_PSL_SERR_An,
		     cd_p1n_read(&d1, CXL_PSL_SERR_An) | CXL_PSL_SERR_An_afuto >> 32);
	psl_err_serr(s, CXL_PSL_SERR_An_afuto);
	pfx_advance(&fx, MSI_LAT);
	ASSERT_EQ(1, nr_got);
	/* AE has no mask bit: always. */
	cd_p1n_write(&d1, CXL_PSL_SERR_An, CXL_PSL_SERR_An_IRQ_MASKS | (HW_SERR + 1));
	psl_err_serr(s, CXL_PSL_SERR_An_AE);
	pfx_advance(&fx, MSI_LAT);
	ASSERT_EQ(2, nr_got);
	ASSERT_EQ(HW_SERR + 1, got[1].hwirq);
	ASSERTm("slice 0 untouched", cd_p1n_read(&fx.drv, CXL_PSL_SERR_An) == HW_SERR);
	PASS();
}

TEST psl_error_interrupt(void)
{
	struct psl_slice *s = &fx.card->slice[0];

	pfx_quiet_logs(&fx);
	psl_err_spa_data(s, 0xDEAD000);
	pfx_advance(&fx, MSI_LAT);
	ASSERT_EQ(1, nr_got);
	ASSERT_EQ(HW_ERR, got[0].hwirq);
	ASSERT_EQ(PSL_FIR1_SPA_DATA, cd_p1_read(&fx.drv, CXL_PSL_FIR1));
	/* A masked FIR bit is recorded without an interrupt. */
	psl_err_parity(s, -1);
	pfx_advance(&fx, MSI_LAT);
	ASSERT_EQ(PSL_FIR1_SPA_DATA | PSL_FIR1_PARITY, cd_p1_read(&fx.drv, CXL_PSL_FIR1));
	ASSERT_EQm("only the slice error of afupar", 2, nr_got);
	ASSERT_EQ(HW_SERR, got[1].hwirq);
	/* The injected error raises FIR2 and interrupts. */
	psl_err_injected(s, -1);
	pfx_advance(&fx, MSI_LAT);
	ASSERT_EQ(3, nr_got);
	ASSERT_EQ(HW_ERR, got[2].hwirq);
	ASSERT_EQ(PSL_FIR2_INJECTED, cd_p1_read(&fx.drv, CXL_PSL_FIR2));
	/* The driver's adapter-error handler clears nothing; FIR stays. */
	cd_p1_write(&fx.drv, CXL_PSL_FIR1, ~0ULL);
	ASSERT_EQ(PSL_FIR1_SPA_DATA | PSL_FIR1_PARITY, cd_p1_read(&fx.drv, CXL_PSL_FIR1));
	/* Releasing the error IRQ writes ErrIVTE 0: the MSI goes to hwirq 0. */
	cd_p1_write(&fx.drv, CXL_PSL_ErrIVTE, 0);
	fx.card->p1[CXL_PSL_FIR2 / 8] = 0;
	psl_err_injected(s, -1);
	pfx_advance(&fx, MSI_LAT);
	ASSERT_EQ(3, nr_got);
	ASSERT_EQ(1, fx.ic.stats.unassigned);
	PASS();
}

TEST frozen_or_unconnected_cards_send_nothing(void)
{
	struct psl_slice *s = &fx.card->slice[0];

	pfx_quiet_logs(&fx);
	psl_card_freeze(fx.card);
	psl_err_serr(s, CXL_PSL_SERR_An_afudis);
	pfx_advance(&fx, MSI_LAT);
	ASSERT_EQ(0, nr_got);
	ASSERT_EQ(1, fx.card->stats.irq_frozen);
	psl_card_perst(fx.card);
	psl_card_connect(fx.card, &fx.mem, NULL);
	psl_err_serr(s, CXL_PSL_SERR_An_afudis);
	ASSERT_EQ(1, fx.card->stats.irq_no_host);
	ASSERT_EQ(0, fx.card->stats.irq_sent);
	PASS();
}

SUITE(psl_irq)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(controller_delivers_in_order_after_latency);
	RUN_TEST(controller_counts_spurious_msis);
	RUN_TEST(controller_fault_point);
	RUN_TEST(afu_interrupts_map_through_ranges);
	RUN_TEST(out_of_range_afu_interrupt_is_badsrc);
	RUN_TEST(caia_lisn_rule);
	RUN_TEST(dedicated_afu_interrupts_from_registers);
	RUN_TEST(fault_raises_the_psl_interrupt);
	RUN_TEST(slice_error_interrupt);
	RUN_TEST(psl_error_interrupt);
	RUN_TEST(frozen_or_unconnected_cards_send_nothing);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	log_set_level(LOG_WARN);
	RUN_SUITE(psl_irq);
	if (fx.sink)
		fclose(fx.sink);
	HARNESS_MAIN_END();
}
