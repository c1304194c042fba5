// SPDX-License-Identifier: GPL-2.0
/*
 * Co-simulation, step 2 of docs/driver-shim.md §5: the unmodified cxl
 * driver's module_init and PCI probe against one simulated PSL8 card.
 * Boot must complete with no WARN, the adapter and AFU devices must be
 * in sysfs with their attributes, the AFU's /dev nodes must exist (m and
 * s in AFU-directed mode, d after switching to dedicated mode through
 * sysfs), and the driver's register writes during the probe must follow
 * the golden sequence below, derived from the driver's source.
 */
#define pr_fmt(fmt) "test-cosim-probe: " fmt

#include <errno.h>

#include "core/log.h"
#include "harness.h"
#include "host/cosim.h"
#include "host/hmem.h"
#include "host/hsched.h"
#include "host/kdev.h"
#include "host/world.h"
#include "psl/psl.h"
#include "shim_fixture.h"

#define RUN_LIMIT (60ULL * PS_PER_S)

/* A register write the probe must make, in this order among the writes. */
struct golden {
	unsigned int bar;
	unsigned long long offset;
	unsigned long long val;
};

#define P1(off, v)		{ 2, (off), (v) }
#define P1N(off, v)		{ 2, CXL_P1_SLICE_BASE + (off), (v) }
#define P2N(off, v)		{ 0, (off), (v) }

/*
 * The adapter (cxl_configure_adapter: sanitise_adapter_regs, the PSL8
 * implementation registers, the timebase, the error IRQ), then slice 0
 * (sanitise_afu_regs_psl8 on a card fresh from power-on, the AFU reset
 * and its SERR unmasking).
 * Constants as pci.c and native.c write them for chip 0, CAPP unit 0xBA,
 * the first MSI of the PHB (0x800) for the PSL error interrupt.
 */
static const struct golden probe_writes[] = {
	P1(CXL_PSL_ErrIVTE, CXL_PSL_ErrIVTE_tberror),
	P1(CXL_PSL_AFUSEL, CXL_PSL_AFUSEL_A),
	P1(CXL_PSL_TLBIA, CXL_TLB_SLB_IQ_ALL),
	P1(CXL_PSL_SLBIA, CXL_TLB_SLB_IQ_ALL),
	P1(CXL_PSL_DSNDCTL, 0x0000900000000000ULL | 2ULL << (63 - 38) | 0xBAULL << (63 - 13)),
	P1(CXL_PSL_RESLCKTO, 0x20000000200ULL),
	P1(CXL_PSL_SNWRALLOC, 0x00000000FFFFFFFFULL),
	P1(CXL_PSL_FIR_CNTL, 2ULL << (63 - 3) | 1ULL << (63 - 6) | 1),
	P1(CXL_PSL_TRACE, 0x0000FF7C00000000ULL),
	P1(CXL_PSL_TB_CTLSTAT, TBSYNC_CNT(2)),
	P1(CXL_PSL_Control, 0),
	P1(CXL_PSL_Control, CXL_PSL_Control_tb),
	P1(CXL_PSL_ErrIVTE, COSIM_MSI_BASE),
	P1N(CXL_PSL_SPAP_An, 0),
	P1N(CXL_PSL_IVTE_Limit_An, 0),
	P1N(CXL_PSL_IVTE_Offset_An, 0),
	P1N(CXL_PSL_AMBAR_An, 0),
	P1N(CXL_PSL_SPOffset_An, 0),
	P1N(CXL_HAURP_An, 0),
	P2N(CXL_CSRP_An, 0),
	P2N(CXL_AURP1_An, 0),
	P2N(CXL_AURP0_An, 0),
	P2N(CXL_SSTP1_An, 0),
	P2N(CXL_SSTP0_An, 0),
	P2N(CXL_AFU_Cntl_An, CXL_AFU_Cntl_An_RA),
	P1N(CXL_PSL_SERR_An, 0),
};

/* What the insmod task saw, for the checks that follow the run. */
static struct probe_run {
	int boot;
	int initcalls;
	int init_cxl;
	char caia[16];
	char image[16];
	char err_ivte[32];
	char mode[32];
	char modes[64];
	int dev_m, dev_s, dev_d;
	long set_dedicated;
	int dev_d_after, dev_s_after;
	int sysfs_after_shutdown;
} pr;

static void read_attr(const char *path, char *buf, unsigned long len)
{
	if (kshim_sysfs_read(path, buf, len, 0) < 0)
		snprintf(buf, len, "<unreadable>");
}

static int insmod(void *arg)
{
	const char *name;
	int i;

	cosim_mmio_log(1);
	pr.boot = kshim_boot();
	cosim_mmio_log(0);
	pr.initcalls = kshim_initcall_count();
	pr.init_cxl = -1;
	for (i = 0; i < pr.initcalls; i++)
		if (kshim_initcall_result(i, &name) == 0 && !strcmp(name, "init_cxl"))
			pr.init_cxl = 0;
	read_attr("cxl/card0/caia_version", pr.caia, sizeof(pr.caia));
	read_attr("cxl/card0/image_loaded", pr.image, sizeof(pr.image));
	if (kshim_debugfs_read("cxl/card0/err_ivte", pr.err_ivte, sizeof(pr.err_ivte)) < 0)
		snprintf(pr.err_ivte, sizeof(pr.err_ivte), "<unreadable>");
	read_attr("cxl/afu0.0/mode", pr.mode, sizeof(pr.mode));
	read_attr("cxl/afu0.0/modes_supported", pr.modes, sizeof(pr.modes));
	pr.dev_m = kshim_dev_exists("cxl/afu0.0m");
	pr.dev_s = kshim_dev_exists("cxl/afu0.0s");
	pr.dev_d = kshim_dev_exists("cxl/afu0.0d");
	pr.set_dedicated = kshim_sysfs_write("cxl/afu0.0/mode", "dedicated_process", 17);
	pr.dev_d_after = kshim_dev_exists("cxl/afu0.0d");
	pr.dev_s_after = kshim_dev_exists("cxl/afu0.0s");
	kshim_shutdown();
	pr.sysfs_after_shutdown = kshim_sysfs_nr_dirs();
	return 0;
}

static int boot_and_probe(void)
{
	memset(&pr, 0, sizeof(pr));
	if (!kshim_task_create("insmod", insmod, NULL))
		return -ENOMEM;
	return kshim_run(RUN_LIMIT);
}

/*
 * The AFU half of the probe needs the card to answer AFU descriptor
 * reads, which the PSL model does not do yet (it counts them in
 * stats.mmio_afu and reads all-ones): until it does, the probe stops at
 * cxl_afu_descriptor_looks_ok() and these checks cannot run.
 */
#define SKIP_UNLESS_AFU_DESCRIPTOR()					\
	do {								\
		if (kshim_world.cards[0]->stats.mmio_afu)		\
			SKIPm("the PSL model does not answer AFU descriptor reads yet"); \
	} while (0)

TEST module_init_and_probe(void)
{
	ASSERT_EQm("kshim_run", 0, boot_and_probe());
	ASSERT_EQm("kshim_boot", 0, pr.boot);
	ASSERT_EQm("init_cxl ran and returned 0", 0, pr.init_cxl);
	ASSERT_STR_EQ("1.0\n", pr.caia);
	ASSERT_STR_EQ("user\n", pr.image);
	/* The PSL error interrupt: the PHB's first MSI, read back through debugfs. */
	ASSERT_STR_EQ("0x0000000000000800\n", pr.err_ivte);
	ASSERT_EQm("no WARN, no lock misuse", 0, kshim_check_verdict());
	SKIP_UNLESS_AFU_DESCRIPTOR();
	ASSERT_STR_EQ("afu_directed\n", pr.mode);
	ASSERTm("AFU-directed mode offers the master and shared nodes", pr.dev_m && pr.dev_s);
	ASSERTm("no dedicated node in AFU-directed mode", !pr.dev_d);
	PASS();
}

TEST dedicated_mode_by_sysfs(void)
{
	ASSERT_EQm("kshim_run", 0, boot_and_probe());
	SKIP_UNLESS_AFU_DESCRIPTOR();
	ASSERTm("the AFU supports dedicated mode", strstr(pr.modes, "dedicated_process"));
	ASSERT_EQm("mode write", 17, pr.set_dedicated);
	ASSERTm("dedicated mode offers the dedicated node only", pr.dev_d_after && !pr.dev_s_after);
	ASSERT_EQm("no WARN, no lock misuse", 0, kshim_check_verdict());
	PASS();
}

TEST probe_register_writes_golden(void)
{
	unsigned int i, n = 0;

	ASSERT_EQm("kshim_run", 0, boot_and_probe());
	for (i = 0; i < cosim_mmio_log_len() && n < ARRAY_SIZE(probe_writes); i++) {
		const struct cosim_mmio_rec *r = cosim_mmio_log_get(i);
		const struct golden *g = &probe_writes[n];

		if (!r->write)
			continue;
		if (r->card != 0 || r->bar != g->bar || r->offset != g->offset ||
		    r->val != g->val || r->width != 8)
			HARNESS_FAILED_AT("write %u: BAR%u+0x%llx <- 0x%llx, "
					  "expected BAR%u+0x%llx <- 0x%llx", n, r->bar, r->offset,
					  r->val, g->bar, g->offset, g->val);
		n++;
	}
	ASSERT_EQm("golden writes seen", ARRAY_SIZE(probe_writes), n);
	PASS();
}

TEST shutdown_leaves_nothing(void)
{
	ASSERT_EQm("kshim_run", 0, boot_and_probe());
	ASSERT_EQm("sysfs directories left", 0, pr.sysfs_after_shutdown);
	PASS();
}

SUITE(probe)
{
	SET_SETUP(shim_fx_boot_card, NULL);
	SET_TEARDOWN(shim_fx_exit, NULL);
	RUN_TEST(module_init_and_probe);
	RUN_TEST(dedicated_mode_by_sysfs);
	RUN_TEST(probe_register_writes_golden);
	RUN_TEST(shutdown_leaves_nothing);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	log_set_level(LOG_WARN);
	RUN_SUITE(probe);
	HARNESS_MAIN_END();
}
