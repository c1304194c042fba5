// SPDX-License-Identifier: GPL-2.0
/*
 * The device layer of the driver shim: kobjects and their references,
 * devices, classes, sysfs attributes by path, device numbers, cdevs, /dev
 * nodes and the file layer, poll, debugfs.  The scenarios are kernel code
 * (tests/kshim/dev*.c) run in a kernel task; each returns 0 or the line
 * of the check that failed.
 */
#define pr_fmt(fmt) "test-shim-dev: " fmt

#include "core/log.h"
#include "harness.h"
#include "host/cosim.h"
#include "host/hmem.h"
#include "host/hsched.h"
#include "host/kdev.h"
#include "host/world.h"
#include "kshim/ks_dev.h"
#include "shim_fixture.h"

TEST kobject_child_pins_parent(void)
{
	SHIM_RUN_OK(ks_dev_kobject_refs, 0);
	PASS();
}

TEST release_runs_at_last_put(void)
{
	SHIM_RUN_OK(ks_dev_release_last_put, 0);
	PASS();
}

TEST missing_release_warns(void)
{
	SHIM_RUN_OK(ks_dev_missing_release, 1);
	PASS();
}

TEST attributes_by_path(void)
{
	SHIM_RUN_OK(ks_dev_attrs, 0);
	PASS();
}

TEST attribute_permission_warns(void)
{
	SHIM_RUN_OK(ks_dev_attr_warns, 2);
	PASS();
}

TEST kobject_default_groups(void)
{
	SHIM_RUN_OK(ks_dev_kobj_groups, 0);
	PASS();
}

TEST binary_attribute_and_dev(void)
{
	SHIM_RUN_OK(ks_dev_bin_attr, 0);
	PASS();
}

SUITE(device_model)
{
	SET_SETUP(shim_fx_boot, NULL);
	SET_TEARDOWN(shim_fx_exit, NULL);
	RUN_TEST(kobject_child_pins_parent);
	RUN_TEST(release_runs_at_last_put);
	RUN_TEST(missing_release_warns);
	RUN_TEST(attributes_by_path);
	RUN_TEST(attribute_permission_warns);
	RUN_TEST(kobject_default_groups);
	RUN_TEST(binary_attribute_and_dev);
}

TEST chrdev_regions(void)
{
	SHIM_RUN_OK(ks_dev_chrdev_regions, 0);
	PASS();
}

TEST files_open_ioctl_close(void)
{
	SHIM_RUN_OK(ks_dev_files, 0);
	PASS();
}

TEST poll_blocks_until_woken(void)
{
	SHIM_RUN_OK(ks_dev_poll, 0);
	PASS();
}

TEST poll_interrupted_by_signal(void)
{
	SHIM_RUN_OK(ks_dev_poll_signal, 0);
	PASS();
}

TEST debugfs_by_path(void)
{
	SHIM_RUN_OK(ks_dev_debugfs, 0);
	PASS();
}

SUITE(files)
{
	SET_SETUP(shim_fx_boot, NULL);
	SET_TEARDOWN(shim_fx_exit, NULL);
	RUN_TEST(chrdev_regions);
	RUN_TEST(files_open_ioctl_close);
	RUN_TEST(poll_blocks_until_woken);
	RUN_TEST(poll_interrupted_by_signal);
	RUN_TEST(debugfs_by_path);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	log_set_level(LOG_WARN);
	RUN_SUITE(device_model);
	RUN_SUITE(files);
	HARNESS_MAIN_END();
}
