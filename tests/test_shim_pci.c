// SPDX-License-Identifier: GPL-2.0
/*
 * The bus layer of the driver shim against a simulated PSL8 card: boot
 * and initcalls, enumeration and driver matching, config space, MMIO and
 * its byte lanes, the device tree, the CAPI switch, mmap of a BAR page,
 * the PowerNV MSI pool, the IRQ domain and MSI delivery, EEH recovery
 * and the vPHB.  The scenarios are kernel code (tests/kshim/pci*.c) run
 * in a kernel task; each returns 0 or the line of the check that failed.
 */
#define pr_fmt(fmt) "test-shim-pci: " fmt

#include "core/log.h"
#include "harness.h"
#include "host/cosim.h"
#include "host/hmem.h"
#include "host/hsched.h"
#include "host/irq.h"
#include "host/kdev.h"
#include "host/world.h"
#include "kshim/ks_pci.h"
#include "psl/psl.h"
#include "shim_fixture.h"

void ts_msi_raise(unsigned int hwirq)
{
	irq_raise(cosim_irq_ctl(), hwirq);
}

TEST boot_runs_initcalls(void)
{
	SHIM_RUN_OK(ks_pci_boot, 0);
	PASS();
}

TEST enumerate_card(void)
{
	SHIM_RUN_OK(ks_pci_enumerate, 0);
	PASS();
}

TEST drivers_match_id_table(void)
{
	SHIM_RUN_OK(ks_pci_match, 0);
	PASS();
}

TEST config_space(void)
{
	SHIM_RUN_OK(ks_pci_config, 1);
	PASS();
}

TEST mmio_byte_lanes_and_cost(void)
{
	SHIM_RUN_OK(ks_pci_mmio, 1);
	PASS();
}

TEST device_tree(void)
{
	SHIM_RUN_OK(ks_pci_of, 1);
	PASS();
}

TEST capi_mode_switch(void)
{
	SHIM_RUN_OK(ks_pci_capi_mode, 0);
	PASS();
}

TEST mmap_faults_pages_in(void)
{
	SHIM_RUN_OK(ks_pci_mmap, 0);
	PASS();
}

SUITE(bus)
{
	SET_SETUP(shim_fx_boot_card, NULL);
	SET_TEARDOWN(shim_fx_exit, NULL);
	RUN_TEST(boot_runs_initcalls);
	RUN_TEST(enumerate_card);
	RUN_TEST(drivers_match_id_table);
	RUN_TEST(config_space);
	RUN_TEST(mmio_byte_lanes_and_cost);
	RUN_TEST(device_tree);
	RUN_TEST(capi_mode_switch);
	RUN_TEST(mmap_faults_pages_in);
}

TEST msi_alloc_aligned(void)
{
	SHIM_RUN_OK(ks_pci_msi_alloc, 0);
	PASS();
}

TEST msi_ranges_halve(void)
{
	SHIM_RUN_OK(ks_pci_msi_ranges, 0);
	PASS();
}

TEST msi_to_handler(void)
{
	SHIM_RUN_OK(ks_pci_irq, 2);
	PASS();
}

SUITE(interrupts)
{
	SET_SETUP(shim_fx_boot_card, NULL);
	SET_TEARDOWN(shim_fx_exit, NULL);
	RUN_TEST(msi_alloc_aligned);
	RUN_TEST(msi_ranges_halve);
	RUN_TEST(msi_to_handler);
}

TEST eeh_reset_recovers(void)
{
	SHIM_RUN_OK(ks_pci_eeh_reset, 0);
	PASS();
}

TEST eeh_opt_out_reprobes(void)
{
	SHIM_RUN_OK(ks_pci_eeh_opt_out, 0);
	PASS();
}

TEST eeh_disconnect_removes(void)
{
	SHIM_RUN_OK(ks_pci_eeh_disconnect, 0);
	PASS();
}

TEST eeh_after_warm_reset(void)
{
	SHIM_RUN_OK(ks_pci_eeh_warm_reset, 0);
	PASS();
}

TEST vphb_empty_bus(void)
{
	SHIM_RUN_OK(ks_pci_vphb, 0);
	PASS();
}

SUITE(recovery)
{
	SET_SETUP(shim_fx_boot_card, NULL);
	SET_TEARDOWN(shim_fx_exit, NULL);
	RUN_TEST(eeh_reset_recovers);
	RUN_TEST(eeh_opt_out_reprobes);
	RUN_TEST(eeh_disconnect_removes);
	RUN_TEST(eeh_after_warm_reset);
	RUN_TEST(vphb_empty_bus);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	log_set_level(LOG_WARN);
	RUN_SUITE(bus);
	RUN_SUITE(interrupts);
	RUN_SUITE(recovery);
	HARNESS_MAIN_END();
}
