// SPDX-License-Identifier: GPL-2.0
/*
 * Co-simulation, step 2 of docs/driver-shim.md §5: the unmodified cxl
 * driver's module_init and PCI probe against one simulated PSL8 card with
 * the C memcpy AFU on slice 0.  Boot must complete with no WARN, the
 * adapter and AFU devices must be in sysfs with their attributes as the
 * driver derived them from the card and the AFU descriptor, the AFU's
 * /dev nodes must exist (m and s in AFU-directed mode, d after switching
 * to dedicated mode through sysfs), and the driver's register writes
 * during the whole probe, adapter and AFU, must follow the golden
 * sequence below, derived from the driver's source.
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

/* The AFU descriptor of the memcpy AFU with its default options (afu-guide.md). */
#define AFU_PROCS	16
#define AFU_PP_IRQS	1

/* Its configuration record 0 with crs=1, as sysfs shows it, and its first bytes. */
#define AFU_CR_VENDOR	"0x1014\n"
#define AFU_CR_DEVICE	"0xca51\n"
#define AFU_CR_CLASS	"0x120000\n"
#define AFU_CR_BYTES	256
static const u8 afu_cr_head[16] = {
	0x14, 0x10, 0x51, 0xCA, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0x12, 0, 0, 0, 0,
};

/*
 * A register write the probe must make, in this order among the writes.
 * Bits in @any may take any value (an address the kernel allocated);
 * check_any() then judges them.
 */
struct golden {
	unsigned int bar;
	unsigned long long offset;
	unsigned long long val;
	unsigned long long any;
};

#define P1(off, v)		{ 2, (off), (v), 0 }
#define P1N(off, v)		{ 2, CXL_P1_SLICE_BASE + (off), (v), 0 }
#define P1N_ANY(off, v, any)	{ 2, CXL_P1_SLICE_BASE + (off), (v), (any) }
#define P2N(off, v)		{ 0, (off), (v), 0 }

/* The PHB's MSIs in the order the probe allocates them (cxl_register_one_irq). */
#define HWIRQ_PSL_ERR		(COSIM_MSI_BASE + 0)
#define HWIRQ_SLICE_ERR		(COSIM_MSI_BASE + 1)

/* pci.c's CXL_PSL_RXCTL_AFUHP_4S, which regs.h does not name. */
#define RXCTL_AFUHP_4S		0x7000000000000000ULL

/*
 * Every register write of the probe, for chip 0, CAPP unit 0xBA and the
 * first MSIs of the PHB.  Groups, in the order cxl_probe() reaches them:
 *
 * pci.c cxl_configure_adapter(): sanitise_adapter_regs, the PSL8
 * implementation registers (init_implementation_adapter_regs_psl8), the
 * timebase (cxl_setup_psl_timebase), then cxl_native_register_psl_err_irq
 * (native.c) writes the PSL error IVTE.
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
	P1(CXL_PSL_ErrIVTE, HWIRQ_PSL_ERR),
	/* pci.c pci_configure_afu(): sanitise_afu_regs_psl8 on a card fresh from power-on. */
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
	/*
	 * native.c native_afu_reset() through afu_control(): RA, polled until
	 * RS complete (RA self-clears, so no XSL workaround write); then, with
	 * no mode active yet, the SERR interrupt masks cleared.
	 */
	P2N(CXL_AFU_Cntl_An, CXL_AFU_Cntl_An_RA),
	P1N(CXL_PSL_SERR_An, 0),
	/*
	 * The descriptor is read (cxl_read_afu_descriptor: no writes), then
	 * pci.c init_implementation_afu_regs_psl8().
	 */
	P1N(CXL_PSL_APCALLOC_A, 0xFFFFFFFEFEFEFEFEULL),
	P1N(CXL_PSL_COALLOC_A, 0xFF000000FEFEFEFEULL),
	P1N(CXL_PSL_SLICE_TRACE, 0x0000FFFF00000000ULL),
	P1N(CXL_PSL_RXCTL_A, RXCTL_AFUHP_4S),
	/*
	 * native.c cxl_native_register_serr_irq(): the slice error IVTE in
	 * SERR's low bits.  cxl_native_register_psl_irq() sets up the
	 * multiplexed PSL interrupt in the PHB only: no card register.
	 */
	P1N(CXL_PSL_SERR_An, HWIRQ_SLICE_ERR),
	/*
	 * cxl_probe() -> cxl_afu_select_best_mode() -> native.c
	 * activate_afu_directed(): attach_spa() with an SPA of one page (16
	 * processes fit in 4 KB, cxl_alloc_spa), AFU-directed programming
	 * model, the AMOR (POWER8), and the PSL_ID F and L bits.
	 */
	P1N_ANY(CXL_PSL_SPAP_An, CXL_PSL_SPAP_V, CXL_PSL_SPAP_Addr),
	P1N(CXL_PSL_SCNTL_An, CXL_PSL_SCNTL_An_PM_AFU),
	P1N(CXL_PSL_AMOR_An, 0xFFFFFFFFFFFFFFFFULL),
	P1N(CXL_PSL_ID_An, CXL_PSL_ID_An_F | CXL_PSL_ID_An_L),
};

/* The variable bits of a golden write: the SPA must be a page of the kernel's linear map. */
static bool check_any(const struct golden *g, unsigned long long val)
{
	unsigned long long addr = val & g->any;

	return addr >= KSHIM_LINEAR_BASE && addr + CXL_SPA_PAGE <= KSHIM_LINEAR_BASE +
	       KSHIM_LINEAR_SIZE;
}

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
	char mmio_size[32];
	char irqs_min[16];
	char irqs_max[16];
	char api[16];
	char api_compat[16];
	char prefault[16];
	char m_mmio_size[32];
	char m_pp_off[32];
	char m_pp_len[32];
	char m_dev[16], s_dev[16], d_dev[16];
	char cr_vendor[16], cr_device[16], cr_class[16];
	u8 cr_config[AFU_CR_BYTES + 8];
	long cr_config_len;
	int dev_m, dev_s, dev_d;
	long set_dedicated;
	char mode_after[32];
	int dev_d_after, dev_s_after, dev_m_after;
	int sysfs_after_shutdown;
} pr;

static void read_attr(const char *path, char *buf, unsigned long len)
{
	if (kshim_sysfs_read(path, buf, len, 0) < 0)
		snprintf(buf, len, "<unreadable>");
}

static void read_afu_attrs(void)
{
	read_attr("cxl/afu0.0/mode", pr.mode, sizeof(pr.mode));
	read_attr("cxl/afu0.0/modes_supported", pr.modes, sizeof(pr.modes));
	read_attr("cxl/afu0.0/mmio_size", pr.mmio_size, sizeof(pr.mmio_size));
	read_attr("cxl/afu0.0/irqs_min", pr.irqs_min, sizeof(pr.irqs_min));
	read_attr("cxl/afu0.0/irqs_max", pr.irqs_max, sizeof(pr.irqs_max));
	read_attr("cxl/afu0.0/api_version", pr.api, sizeof(pr.api));
	read_attr("cxl/afu0.0/api_version_compatible", pr.api_compat, sizeof(pr.api_compat));
	read_attr("cxl/afu0.0/prefault_mode", pr.prefault, sizeof(pr.prefault));
	read_attr("cxl/afu0.0m/mmio_size", pr.m_mmio_size, sizeof(pr.m_mmio_size));
	read_attr("cxl/afu0.0m/pp_mmio_off", pr.m_pp_off, sizeof(pr.m_pp_off));
	read_attr("cxl/afu0.0m/pp_mmio_len", pr.m_pp_len, sizeof(pr.m_pp_len));
	read_attr("cxl/afu0.0m/dev", pr.m_dev, sizeof(pr.m_dev));
	read_attr("cxl/afu0.0s/dev", pr.s_dev, sizeof(pr.s_dev));
	read_attr("cxl/afu0.0/cr0/vendor", pr.cr_vendor, sizeof(pr.cr_vendor));
	read_attr("cxl/afu0.0/cr0/device", pr.cr_device, sizeof(pr.cr_device));
	read_attr("cxl/afu0.0/cr0/class", pr.cr_class, sizeof(pr.cr_class));
	/* More than the record holds: the attribute must stop at its size. */
	pr.cr_config_len = kshim_sysfs_read("cxl/afu0.0/cr0/config", (char *)pr.cr_config,
					    sizeof(pr.cr_config), 0);
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
	read_afu_attrs();
	pr.dev_m = kshim_dev_exists("cxl/afu0.0m");
	pr.dev_s = kshim_dev_exists("cxl/afu0.0s");
	pr.dev_d = kshim_dev_exists("cxl/afu0.0d");
	pr.set_dedicated = kshim_sysfs_write("cxl/afu0.0/mode", "dedicated_process", 17);
	read_attr("cxl/afu0.0/mode", pr.mode_after, sizeof(pr.mode_after));
	read_attr("cxl/afu0.0d/dev", pr.d_dev, sizeof(pr.d_dev));
	pr.dev_d_after = kshim_dev_exists("cxl/afu0.0d");
	pr.dev_s_after = kshim_dev_exists("cxl/afu0.0s");
	pr.dev_m_after = kshim_dev_exists("cxl/afu0.0m");
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

/* "254:3\n": the minor number, -1 if unreadable. */
static int dev_minor(const char *dev)
{
	unsigned int major, minor;

	return sscanf(dev, "%u:%u", &major, &minor) == 2 ? (int)minor : -1;
}

TEST module_init_and_probe(void)
{
	char buf[32];

	ASSERT_EQm("kshim_run", 0, boot_and_probe());
	ASSERT_EQm("kshim_boot", 0, pr.boot);
	ASSERT_EQm("init_cxl ran and returned 0", 0, pr.init_cxl);
	ASSERT_STR_EQ("1.0\n", pr.caia);
	ASSERT_STR_EQ("user\n", pr.image);
	/* The PSL error interrupt: the PHB's first MSI, read back through debugfs. */
	ASSERT_STR_EQ("0x0000000000000800\n", pr.err_ivte);
	ASSERT_EQm("no WARN, no lock misuse", 0, kshim_check_verdict());
	ASSERT_EQm("the AFU descriptor was read from the AFU", 0,
		   kshim_world.cards[0]->slice[0].port.mmio.stats.no_afu);
	/* The driver chose AFU-directed mode, which it prefers, and offers m and s. */
	ASSERT_STR_EQ("afu_directed\n", pr.mode);
	ASSERTm("AFU-directed mode offers the master and shared nodes", pr.dev_m && pr.dev_s);
	ASSERTm("no dedicated node in AFU-directed mode", !pr.dev_d);
	/* Minors: CXL_AFU_MKDEV_M/S of card 0, slice 0 (cxl.h). */
	ASSERT_EQ(2, dev_minor(pr.m_dev));
	ASSERT_EQ(3, dev_minor(pr.s_dev));
	snprintf(buf, sizeof(buf), "%d\n", AFU_PP_IRQS);
	ASSERT_STR_EQ(buf, pr.irqs_min);
	PASS();
}

/*
 * The AFU's attributes as the driver derived them: the descriptor (modes,
 * processes, interrupts, per-process PSA), the card (the PSA size) and the
 * PHB (2048 MSIs, less the adapter's one and the slice's two).
 */
TEST afu_attributes(void)
{
	char buf[32];

	ASSERT_EQm("kshim_run", 0, boot_and_probe());
	ASSERT_STR_EQ("dedicated_process\nafu_directed\n", pr.modes);
	ASSERT_STR_EQ("4096\n", pr.mmio_size);
	ASSERT_STR_EQ("2045\n", pr.irqs_max);
	ASSERT_STR_EQ("3\n", pr.api);
	ASSERT_STR_EQ("1\n", pr.api_compat);
	ASSERT_STR_EQ("none\n", pr.prefault);
	snprintf(buf, sizeof(buf), "%llu\n",
		 (unsigned long long)kshim_world.cards[0]->p.ps_size * CXL_VSEC_UNIT);
	ASSERT_STR_EQm("master: the whole PSA", buf, pr.m_mmio_size);
	ASSERT_STR_EQ("0\n", pr.m_pp_off);
	ASSERT_STR_EQ("4096\n", pr.m_pp_len);
	PASS();
}

/*
 * The AFU's configuration record (crs=1) through the driver: the probe's check
 * of its first word passed (the AFU exists), the sysfs attributes decode
 * the PCI header the AFU declares, and config returns its bytes in order.
 */
TEST afu_config_record(void)
{
	unsigned int i;

	ASSERT_EQm("kshim_run", 0, boot_and_probe());
	ASSERT_STR_EQ(AFU_CR_VENDOR, pr.cr_vendor);
	ASSERT_STR_EQ(AFU_CR_DEVICE, pr.cr_device);
	ASSERT_STR_EQ(AFU_CR_CLASS, pr.cr_class);
	ASSERT_EQm("config: one record of 256 bytes", AFU_CR_BYTES, pr.cr_config_len);
	ASSERT_MEM_EQm("config: the header", afu_cr_head, pr.cr_config, sizeof(afu_cr_head));
	for (i = sizeof(afu_cr_head); i < AFU_CR_BYTES; i++)
		if (pr.cr_config[i])
			HARNESS_FAILED_AT("config byte 0x%x is 0x%02x, expected 0", i,
					  pr.cr_config[i]);
	ASSERT_EQm("no WARN, no lock misuse", 0, kshim_check_verdict());
	PASS();
}

TEST dedicated_mode_by_sysfs(void)
{
	ASSERT_EQm("kshim_run", 0, boot_and_probe());
	ASSERTm("the AFU supports dedicated mode", strstr(pr.modes, "dedicated_process"));
	ASSERT_EQm("mode write", 17, pr.set_dedicated);
	ASSERT_STR_EQ("dedicated_process\n", pr.mode_after);
	ASSERTm("dedicated mode offers the dedicated node only",
		pr.dev_d_after && !pr.dev_s_after && !pr.dev_m_after);
	ASSERT_EQm("CXL_AFU_MKDEV_D of card 0, slice 0", 1, dev_minor(pr.d_dev));
	ASSERT_EQm("no WARN, no lock misuse", 0, kshim_check_verdict());
	PASS();
}

TEST probe_register_writes_golden(void)
{
	unsigned int i, n = 0;

	ASSERT_EQm("kshim_run", 0, boot_and_probe());
	for (i = 0; i < cosim_mmio_log_len(); i++) {
		const struct cosim_mmio_rec *r = cosim_mmio_log_get(i);
		const struct golden *g = &probe_writes[n];

		if (!r->write)
			continue;
		if (n == ARRAY_SIZE(probe_writes))
			FAILm("more writes than the golden sequence");
		if (r->card != 0 || r->bar != g->bar || r->offset != g->offset ||
		    (r->val & ~g->any) != g->val || r->width != 8 ||
		    (g->any && !check_any(g, r->val)))
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

/* ---- AFUs whose configuration records differ: memcpy options in @arg ---- */

static void boot_memcpy_with(void *arg)
{
	struct afu *afu;

	shim_fx_boot_card(NULL);
	afu = afu_find("memcpy")->create("afu0.0", 1, arg);
	if (!afu || psl_afu_attach(&kshim_world.cards[0]->slice[0], afu))
		abort();
}

/* The log of boot_and_probe(), in memory; the caller frees it. */
static char *probe_logged(int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	log_set_file(f);
	*rc = boot_and_probe();
	log_set_file(NULL);
	fclose(f);
	return buf;
}

/* Without records (the default) the driver creates no crN directory. */
TEST no_config_record(void)
{
	ASSERT_EQm("kshim_run", 0, boot_and_probe());
	ASSERT_STR_EQ("afu_directed\n", pr.mode);
	ASSERT_STR_EQ("<unreadable>", pr.cr_vendor);
	ASSERT_EQm("no cr0/config", -ENOENT, pr.cr_config_len);
	ASSERT_EQm("no WARN, no lock misuse", 0, kshim_check_verdict());
	PASS();
}

/*
 * A record of length 0: the driver's read of its first word is out of
 * range, so cxl_afu_descriptor_looks_ok() refuses the AFU with its own
 * message; the card stays, without the AFU.
 */
TEST malformed_cr_len_refused(void)
{
	int rc = -1;
	char *log = probe_logged(&rc);
	bool refused, failed;

	ASSERTm("log captured", log);
	refused = strstr(log, "ABORTING: AFU configuration record 0 is invalid");
	failed = strstr(log, "AFU 0 failed to initialise: -22");
	free(log);
	ASSERT_EQm("kshim_run", 0, rc);
	ASSERT_EQm("kshim_boot", 0, pr.boot);
	ASSERTm("the driver's message on the record", refused);
	ASSERTm("the AFU failed with -EINVAL", failed);
	ASSERT_STR_EQm("the card stays", "1.0\n", pr.caia);
	ASSERT_STR_EQm("no AFU device", "<unreadable>", pr.mode);
	ASSERTm("no AFU nodes", !pr.dev_m && !pr.dev_s && !pr.dev_d);
	ASSERT_EQm("no WARN, no lock misuse", 0, kshim_check_verdict());
	PASS();
}

SUITE(probe_cr)
{
	SET_TEARDOWN(shim_fx_exit_memcpy, NULL);
	SET_SETUP(boot_memcpy_with, "crs=1");
	RUN_TEST(afu_config_record);
	SET_SETUP(boot_memcpy_with, "");
	RUN_TEST(no_config_record);
	SET_SETUP(boot_memcpy_with, "crs=1,cr_len=0");
	RUN_TEST(malformed_cr_len_refused);
}

SUITE(probe)
{
	SET_SETUP(shim_fx_boot_memcpy, NULL);
	SET_TEARDOWN(shim_fx_exit_memcpy, NULL);
	RUN_TEST(module_init_and_probe);
	RUN_TEST(afu_attributes);
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
	RUN_SUITE(probe_cr);
	HARNESS_MAIN_END();
}
