// SPDX-License-Identifier: GPL-2.0
/*
 * PSL8 config space: the VSEC as the cxl driver finds and parses it, BAR
 * sizing, byte lanes, read-only bits, out-of-range accesses, PERST.
 */
#define pr_fmt(fmt) "test_psl_cfg: " fmt

#include <errno.h>

#include "harness.h"
#include "core/log.h"
#include "psl/psl.h"

static struct sim_queue q;
static struct psl_card *card;
static FILE *sink;		/* /dev/null, for tests that expect log lines */

/* Send log lines to /dev/null; warnings and errors are still counted. */
static void quiet_logs(void)
{
	if (!sink)
		sink = fopen("/dev/null", "w");
	log_set_file(sink);
	log_set_level(LOG_WARN);
}

static u32 rd(struct psl_card *c, u32 off, unsigned int width)
{
	u32 v = 0xDEADBEEF;

	if (psl_cfg_read(c, off, width, &v))
		return 0xDEADBEEF;
	return v;
}

static void wr(struct psl_card *c, u32 off, unsigned int width, u32 val)
{
	psl_cfg_write(c, off, width, val);
}

static void setup(void *arg)
{
	struct psl_params p;

	simq_init(&q);
	psl_params_defaults(&p);
	card = psl_card_create(&q, &p);
}

static void teardown(void *arg)
{
	log_set_file(NULL);
	log_set_level(LOG_WARN);
	psl_card_destroy(card);
	card = NULL;
	simq_exit(&q);
}

/* The driver's walk: extended capabilities from 0x100, ID 0x000B with VSEC ID 0x1280. */
static u32 find_vsec(struct psl_card *c)
{
	u32 off = 0x100;
	unsigned int hops = 0;

	while (off && hops++ < 64) {
		u32 hdr = rd(c, off, 4);

		if (!hdr || hdr == 0xFFFFFFFF)
			return 0;
		if ((hdr & 0xFFFF) == PCI_EXT_CAP_ID_VNDR &&
		    rd(c, off + 4, 2) == CXL_PCI_VSEC_ID)
			return off;
		off = hdr >> 20;
	}
	return 0;
}

static u32 find_ext_cap(struct psl_card *c, u16 id)
{
	u32 off = 0x100;
	unsigned int hops = 0;

	while (off && hops++ < 64) {
		u32 hdr = rd(c, off, 4);

		if ((hdr & 0xFFFF) == id)
			return off;
		off = hdr >> 20;
	}
	return 0;
}

TEST header_identity(void)
{
	u32 cap;

	ASSERT_EQ(PCI_VENDOR_ID_IBM, rd(card, 0x00, 2));
	ASSERT_EQ(0x0477, rd(card, 0x02, 2));
	ASSERT_EQ(0x120000, rd(card, 0x08, 4) >> 8);
	ASSERT_EQ(0, rd(card, 0x0E, 1));		/* type 0, single function */
	ASSERT(rd(card, 0x06, 2) & 0x0010);		/* capability list */
	cap = rd(card, 0x34, 1);
	ASSERT_EQ(0x40, cap);
	ASSERT_EQ(0x10, rd(card, cap, 1));		/* PCI Express */
	ASSERT_EQ(0, rd(card, cap + 1, 1));		/* last one */
	ASSERT_EQ(2, rd(card, cap + 2, 2) & 0xF);	/* version 2 */
	ASSERT_EQ(0, (rd(card, cap + 2, 2) >> 4) & 0xF);	/* endpoint */
	ASSERT_EQ(3, rd(card, cap + 0x12, 2) & 0xF);	/* 8 GT/s */
	ASSERT_EQ(16, (rd(card, cap + 0x12, 2) >> 4) & 0x3F);
	PASS();
}

/* What cxl_read_vsec() and its sanity checks read, with the default params. */
TEST vsec_as_driver_parses_it(void *aer)
{
	struct psl_params p;
	struct psl_card *c;
	u32 v, len;

	psl_params_defaults(&p);
	p.aer = aer != NULL;
	p.nr_slices = 2;
	p.ps_size = 0x100;
	c = psl_card_create(&q, &p);
	ASSERT(c);
	v = find_vsec(c);
	ASSERTm("VSEC found by the extended capability walk", v);
	ASSERT_EQ(p.aer ? 0x200 : 0x100, v);
	ASSERT_EQ(p.aer ? 0x100 : 0, find_ext_cap(c, 0x0001));
	len = rd(c, v + CXL_VSEC_LENGTH, 2) >> 4;
	ASSERT(len >= CXL_VSEC_MIN_SIZE);
	ASSERT_EQ(2, rd(c, v + CXL_VSEC_NAFUS, 1));
	ASSERT_EQ(0, rd(c, v + CXL_VSEC_STATUS, 1) &
		  (CXL_STATUS_SECOND_PORT | CXL_STATUS_MSI_X_FULL | CXL_STATUS_MSI_X_SINGLE));
	ASSERT_EQ(0x0001, rd(c, v + CXL_VSEC_PSL_REV, 2));
	ASSERT_EQ(1, rd(c, v + CXL_VSEC_CAIA_MAJOR, 1));
	ASSERT_EQ(0, rd(c, v + CXL_VSEC_CAIA_MINOR, 1));
	ASSERT_EQ(1, rd(c, v + CXL_VSEC_BASE_IMAGE, 2));
	ASSERT_EQ(CXL_VSEC_USER_IMAGE_LOADED, rd(c, v + CXL_VSEC_IMAGE_STATE, 1));
	/* Image state bits sit at 31 and 29:28 of the dword at +0x10. */
	ASSERT_EQ(1, rd(c, v + 0x10, 4) >> 31);
	ASSERT_EQ(1, rd(c, v + CXL_VSEC_AFU_DESC_OFF, 4));
	ASSERT_EQ(1, rd(c, v + CXL_VSEC_AFU_DESC_SIZE, 4));
	ASSERT_EQ(0x400, rd(c, v + CXL_VSEC_PS_OFF, 4));
	ASSERT_EQ(0x100, rd(c, v + CXL_VSEC_PS_SIZE, 4));
	/* The driver's checks: ps_size <= size(BAR0) - ps_off, descriptor non-zero. */
	ASSERT(0x100 * CXL_VSEC_UNIT <= p.bar0_size - 0x400 * CXL_VSEC_UNIT);
	/* Flash and PSL programming registers are not modelled: they read 0. */
	ASSERT_EQ(0, rd(c, v + CXL_VSEC_FLASH_CNTL, 4));
	psl_card_destroy(c);
	PASS();
}

/* The driver's sequence: RMW the mode control, then rewrite the image state. */
TEST vsec_writable_fields(void)
{
	u32 v = card->vsec, mode, image;

	mode = rd(card, v + CXL_VSEC_PROTOCOL, 1);
	wr(card, v + CXL_VSEC_PROTOCOL, 1, (mode & ~CXL_VSEC_PROTOCOL_MASK) |
	   CXL_VSEC_PROTOCOL_256TB | CXL_VSEC_PROTOCOL_ENABLE);
	ASSERT_EQ(0x21, rd(card, v + CXL_VSEC_PROTOCOL, 1));
	image = rd(card, v + CXL_VSEC_IMAGE_STATE, 1);
	wr(card, v + CXL_VSEC_IMAGE_STATE, 1, image | CXL_VSEC_PERST_SELECT_USER);
	ASSERT_EQ(0x90, rd(card, v + CXL_VSEC_IMAGE_STATE, 1));
	/* User-image-loaded is read-only: clearing it has no effect. */
	wr(card, v + CXL_VSEC_IMAGE_STATE, 1, 0);
	ASSERT_EQ(0x80, rd(card, v + CXL_VSEC_IMAGE_STATE, 1));
	PASS();
}

/* Size one 64-bit BAR as pci_read_bases() does. */
static u64 bar_size(struct psl_card *c, unsigned int bar)
{
	u32 off = 0x10 + 4 * bar;
	u32 lo0 = rd(c, off, 4), hi0 = rd(c, off + 4, 4);
	u64 mask;

	wr(c, off, 4, 0xFFFFFFFF);
	wr(c, off + 4, 4, 0xFFFFFFFF);
	mask = (u64)rd(c, off + 4, 4) << 32 | (rd(c, off, 4) & ~0xFU);
	wr(c, off, 4, lo0);
	wr(c, off + 4, 4, hi0);
	return ~mask + 1;
}

TEST bar_sizing(void)
{
	ASSERT_EQ(0xC, rd(card, 0x10, 4) & 0xF);	/* 64-bit prefetchable memory */
	ASSERT_EQ(0xC, rd(card, 0x18, 4) & 0xF);
	ASSERT_EQ(0xC, rd(card, 0x20, 4) & 0xF);
	ASSERT_EQ(128ULL << 20, bar_size(card, 0));
	ASSERT_EQ(128ULL << 10, bar_size(card, 2));
	ASSERT_EQ(1ULL << 48, bar_size(card, 4));
	/* Sizing restored the (zero) addresses and kept the type bits. */
	ASSERT_EQ(0xC, rd(card, 0x10, 4));
	ASSERT_EQ(0, psl_cfg_bar_addr(card, 0));
	PASS();
}

TEST bar_assignment_above_4g(void)
{
	/* An M64 address; the low bits below the BAR size do not stick. */
	wr(card, 0x10, 4, 0x08000123);
	wr(card, 0x14, 4, 0x00002000);
	wr(card, 0x18, 4, 0x00020000);
	wr(card, 0x1C, 4, 0x00002001);
	ASSERT_EQ(0x0000200008000000ULL, psl_cfg_bar_addr(card, 0));
	ASSERT_EQ(0x0000200100020000ULL, psl_cfg_bar_addr(card, 2));
	ASSERT_EQ(0x0800000C, rd(card, 0x10, 4));
	/* The driver's BAR4/BAR5 constant reads back. */
	wr(card, 0x20, 4, 0x00000000);
	wr(card, 0x24, 4, 0x00020000);
	ASSERT_EQ(0x0002000000000000ULL, psl_cfg_bar_addr(card, 4));
	PASS();
}

static enum harness_result lanes_agree(struct psl_card *c)
{
	u32 off;
	unsigned int i;

	for (off = 0; off < PSL_CFG_SIZE; off += 4) {
		u32 dw = rd(c, off, 4);

		for (i = 0; i < 4; i++)
			ASSERT_EQm("byte", (dw >> (8 * i)) & 0xFF, rd(c, off + i, 1));
		for (i = 0; i < 3; i++)
			ASSERT_EQm("word", (dw >> (8 * i)) & 0xFFFF, rd(c, off + i, 2));
	}
	PASS();
}

TEST byte_lanes_agree_with_dword_view(void)
{
	/* Some non-zero writable state too. */
	wr(card, 0x04, 2, 0x0006);
	wr(card, 0x10, 4, 0xFFFFFFFF);
	wr(card, card->vsec + CXL_VSEC_PROTOCOL, 1, 0x21);
	CHECK_CALL(lanes_agree(card));
	PASS();
}

/* Write all-ones everywhere: identity and VSEC values must not move. */
TEST read_only_bits_ignore_writes(void)
{
	u32 v = card->vsec, aer = card->aer, off;
	u32 before[PSL_CFG_SIZE / 4];

	for (off = 0; off < PSL_CFG_SIZE; off += 4)
		before[off / 4] = rd(card, off, 4);
	for (off = 0; off < PSL_CFG_SIZE; off += 4)
		wr(card, off, 4, 0xFFFFFFFF);
	ASSERT_EQ(before[0], rd(card, 0x00, 4));		/* vendor, device */
	ASSERT_EQ(before[2], rd(card, 0x08, 4));		/* revision, class */
	ASSERT_EQ(0x0546, rd(card, 0x04, 2));			/* only the RW command bits */
	ASSERT_EQ(0x0010, rd(card, 0x06, 2));			/* W1C status stays clear */
	ASSERT_EQ(0x40, rd(card, 0x34, 1));
	ASSERT_EQ(before[0x40 / 4], rd(card, 0x40, 4));	/* PCIe header and flags */
	ASSERT_EQ(before[0x44 / 4], rd(card, 0x44, 4));	/* DevCap */
	ASSERT_EQ(before[0x4C / 4], rd(card, 0x4C, 4));	/* LinkCap */
	ASSERT_EQ(before[0x50 / 4] >> 16, rd(card, 0x52, 2));	/* LinkSta */
	ASSERT_EQ(before[aer / 4], rd(card, aer, 4));
	ASSERT_EQ(0x007FF030, rd(card, aer + 0x08, 4));	/* UE mask: RW bits only */
	ASSERT_EQ(0, rd(card, aer + 0x04, 4));			/* UE status: W1C */
	for (off = v; off < v + 0x10; off += 4) {
		if (off == v + 8)
			continue;
		ASSERT_EQm("VSEC header and identity", before[off / 4], rd(card, off, 4));
	}
	ASSERT_EQ(0xE1, rd(card, v + CXL_VSEC_PROTOCOL, 1));
	ASSERT_EQ(before[(v + 8) / 4] & 0xFFFF, rd(card, v + 8, 2));
	ASSERT_EQ(0xB0, rd(card, v + CXL_VSEC_IMAGE_STATE, 1));
	for (off = v + 0x20; off < v + 0x30; off += 4)
		ASSERT_EQm("VSEC layout", before[off / 4], rd(card, off, 4));
	/* Unimplemented space stays 0. */
	ASSERT_EQ(0, rd(card, 0x80, 4));
	ASSERT_EQ(0, rd(card, 0xFFC, 4));
	ASSERT_EQ(0, rd(card, 0x300, 4));
	PASS();
}

TEST aer_mask_read_modify_write(void)
{
	u32 aer = card->aer, m;

	ASSERT(aer);
	m = rd(card, aer + 0x08, 4);
	wr(card, aer + 0x08, 4, m | 0x00040000 | 0x00400000);	/* malformed TLP, internal */
	ASSERT_EQ(0x00440000, rd(card, aer + 0x08, 4));
	ASSERT_EQ(0x00062030, rd(card, aer + 0x0C, 4));	/* default severity */
	PASS();
}

TEST out_of_range_and_bad_accesses(void)
{
	u64 bad = card->stats.cfg_bad, reads = card->stats.cfg_reads, warns;
	u32 v;

	quiet_logs();
	warns = log_count(LOG_WARN);
	ASSERT_EQ(0xFFFFFFFF, rd(card, 0x1000, 4));
	ASSERT_EQ(0xFF, rd(card, 0x2000, 1));
	ASSERT_EQ(0xFFFF, rd(card, 0x3, 2));		/* crosses a dword */
	ASSERT_EQ(0xFFFFFFFF, rd(card, 0x2, 4));
	wr(card, 0x1002, 2, 0);
	wr(card, 0x05, 4, 0xFFFFFFFF);			/* would have hit the command register */
	ASSERT_EQ(0, rd(card, 0x04, 2));
	ASSERT_EQ(bad + 6, card->stats.cfg_bad);
	ASSERT_EQm("each logged", warns + 6, log_count(LOG_WARN));
	ASSERT_EQ(-EINVAL, psl_cfg_read(card, 0, 3, &v));
	ASSERT_EQ(-EINVAL, psl_cfg_write(card, 0, 8, 0));
	ASSERT_EQ(reads + 5, card->stats.cfg_reads);
	PASS();
}

TEST perst_resets_config_space(void)
{
	u32 v = card->vsec, aer = card->aer;

	wr(card, 0x04, 2, 0x0006);
	wr(card, 0x10, 4, 0x08000000);
	wr(card, 0x14, 4, 0x00002000);
	wr(card, 0x3C, 1, 0x42);
	wr(card, aer + 0x08, 4, 0x00440000);
	wr(card, v + CXL_VSEC_PROTOCOL, 1, 0x21);
	wr(card, v + CXL_VSEC_IMAGE_STATE, 1, CXL_VSEC_PERST_SELECT_USER);
	psl_card_perst(card);
	ASSERT_EQ(1, card->stats.perst);
	ASSERT_EQ(0, rd(card, 0x04, 2));
	ASSERT_EQ(0, psl_cfg_bar_addr(card, 0));
	ASSERT_EQ(0xC, rd(card, 0x10, 4));
	ASSERT_EQ(0, rd(card, 0x3C, 1));
	ASSERT_EQ(0, rd(card, aer + 0x08, 4));
	ASSERT_EQ(0, rd(card, v + CXL_VSEC_PROTOCOL, 1));
	/* Image control survives; no reload was asked for, so nothing was loaded. */
	ASSERT_EQ(0x90, rd(card, v + CXL_VSEC_IMAGE_STATE, 1));
	ASSERT_EQ(0, card->stats.image_loads);
	ASSERT_EQ(PCI_VENDOR_ID_IBM, rd(card, 0, 2));
	PASS();
}

TEST perst_reloads_selected_image(void)
{
	u32 off = card->vsec + CXL_VSEC_IMAGE_STATE;

	/* Factory image on PERST. */
	wr(card, off, 1, CXL_VSEC_PERST_LOADS_IMAGE);
	psl_card_perst(card);
	ASSERT_EQ(CXL_VSEC_PERST_LOADS_IMAGE, rd(card, off, 1));
	ASSERT_EQ(1, card->stats.image_loads);
	/* User image on PERST. */
	wr(card, off, 1, CXL_VSEC_PERST_LOADS_IMAGE | CXL_VSEC_PERST_SELECT_USER);
	psl_card_perst(card);
	ASSERT_EQ(0xB0, rd(card, off, 1));
	ASSERT_EQ(2, card->stats.image_loads);
	/* No reload: the running (user) image stays. */
	wr(card, off, 1, 0);
	psl_card_perst(card);
	ASSERT_EQ(CXL_VSEC_USER_IMAGE_LOADED, rd(card, off, 1));
	ASSERT_EQ(2, card->stats.image_loads);
	PASS();
}

TEST bad_params_refused(void)
{
	struct psl_params p;

	u64 errs;

	quiet_logs();
	errs = log_count(LOG_ERR);
	psl_params_defaults(&p);
	p.nr_slices = 0;
	ASSERT_FALSE(psl_card_create(&q, &p));
	psl_params_defaults(&p);
	p.nr_slices = 5;
	ASSERT_FALSE(psl_card_create(&q, &p));
	psl_params_defaults(&p);
	p.nr_slices = 2;	/* two 64 MiB PSAs from 64 MiB overflow a 128 MiB BAR0 */
	ASSERT_FALSE(psl_card_create(&q, &p));
	psl_params_defaults(&p);
	p.ps_off = 1;		/* PSA over the descriptors */
	ASSERT_FALSE(psl_card_create(&q, &p));
	psl_params_defaults(&p);
	p.afu_desc_off = 0;
	ASSERT_FALSE(psl_card_create(&q, &p));
	psl_params_defaults(&p);
	p.bar2_size = 64 << 10;	/* no room for the slice P1 blocks */
	ASSERT_FALSE(psl_card_create(&q, &p));
	psl_params_defaults(&p);
	p.bar0_size = 3 << 20;
	ASSERT_FALSE(psl_card_create(&q, &p));
	psl_params_defaults(&p);
	p.es_enable_pending = CXL_AFU_Cntl_An_ES_Enabled;
	ASSERT_FALSE(psl_card_create(&q, &p));
	psl_params_defaults(&p);
	p.fs_busy = CXL_PSL_Control_Fs_Complete;
	ASSERT_FALSE(psl_card_create(&q, &p));
	ASSERT_EQm("each refusal logged", errs + 9, log_count(LOG_ERR));
	PASS();
}

TEST cards_are_independent(void)
{
	struct psl_params p;
	struct psl_card *c2;

	psl_params_defaults(&p);
	snprintf(p.name, sizeof(p.name), "card1");
	p.device_id = 0x044b;
	c2 = psl_card_create(&q, &p);
	ASSERT(c2);
	wr(card, 0x04, 2, 0x0002);
	wr(c2, 0x10, 4, 0xFFFFFFFF);
	ASSERT_EQ(0, rd(c2, 0x04, 2));
	ASSERT_EQ(0xC, rd(card, 0x10, 4));
	ASSERT_EQ(0x044b, rd(c2, 0x02, 2));
	ASSERT_EQ(0x0477, rd(card, 0x02, 2));
	psl_card_perst(c2);
	ASSERT_EQ(0x0002, rd(card, 0x04, 2));
	psl_card_destroy(c2);
	PASS();
}

SUITE(psl_cfg)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
	RUN_TEST(header_identity);
	RUN_TESTp(vsec_as_driver_parses_it, NULL, "no AER");
	RUN_TESTp(vsec_as_driver_parses_it, &q, "AER");
	RUN_TEST(vsec_writable_fields);
	RUN_TEST(bar_sizing);
	RUN_TEST(bar_assignment_above_4g);
	RUN_TEST(byte_lanes_agree_with_dword_view);
	RUN_TEST(read_only_bits_ignore_writes);
	RUN_TEST(aer_mask_read_modify_write);
	RUN_TEST(out_of_range_and_bad_accesses);
	RUN_TEST(perst_resets_config_space);
	RUN_TEST(perst_reloads_selected_image);
	RUN_TEST(bad_params_refused);
	RUN_TEST(cards_are_independent);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	log_set_level(LOG_WARN);
	RUN_SUITE(psl_cfg);
	if (sink)
		fclose(sink);
	HARNESS_MAIN_END();
}
