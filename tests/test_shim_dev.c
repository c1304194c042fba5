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

#define RUN_LIMIT (10ULL * PS_PER_S)

static void setup(void *arg)
{
	world_init(1);
	if (kshim_hmem_init() || cosim_init())
		abort();
	kshim_sched_init();
	kshim_dev_init();
}

static void teardown(void *arg)
{
	cosim_exit();
	world_exit();
	hsched_reset();
}

struct call {
	int (*fn)(void);
	int rc;
};

static int call_fn(void *arg)
{
	struct call *c = arg;

	c->rc = c->fn();
	return 0;
}

/* The scenario's result, or -1000 minus kshim_run()'s error. */
static int run(int (*fn)(void))
{
	struct call c = { fn, -1 };
	int rc;

	if (!kshim_task_create("test", call_fn, &c))
		return -1;
	rc = kshim_run(RUN_LIMIT);
	return rc ? -1000 + rc : c.rc;
}

#define RUN_OK(fn, warns)						\
	do {								\
		kshim_expect(KSHIM_CHECK_WARN, (warns));		\
		ASSERT_EQm(#fn, 0, run(fn));				\
		ASSERT_EQm("checks", 0, kshim_check_verdict());	\
		ASSERT_EQm("sysfs left", 0, kshim_sysfs_nr_dirs());	\
	} while (0)

TEST kobject_child_pins_parent(void)
{
	RUN_OK(ks_dev_kobject_refs, 0);
	PASS();
}

TEST release_runs_at_last_put(void)
{
	RUN_OK(ks_dev_release_last_put, 0);
	PASS();
}

TEST missing_release_warns(void)
{
	RUN_OK(ks_dev_missing_release, 1);
	PASS();
}

TEST attributes_by_path(void)
{
	RUN_OK(ks_dev_attrs, 0);
	PASS();
}

TEST attribute_permission_warns(void)
{
	RUN_OK(ks_dev_attr_warns, 2);
	PASS();
}

TEST kobject_default_groups(void)
{
	RUN_OK(ks_dev_kobj_groups, 0);
	PASS();
}

TEST binary_attribute_and_dev(void)
{
	RUN_OK(ks_dev_bin_attr, 0);
	PASS();
}

SUITE(device_model)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
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
	RUN_OK(ks_dev_chrdev_regions, 0);
	PASS();
}

TEST files_open_ioctl_close(void)
{
	RUN_OK(ks_dev_files, 0);
	PASS();
}

TEST poll_blocks_until_woken(void)
{
	RUN_OK(ks_dev_poll, 0);
	PASS();
}

TEST poll_interrupted_by_signal(void)
{
	RUN_OK(ks_dev_poll_signal, 0);
	PASS();
}

TEST debugfs_by_path(void)
{
	RUN_OK(ks_dev_debugfs, 0);
	PASS();
}

SUITE(files)
{
	SET_SETUP(setup, NULL);
	SET_TEARDOWN(teardown, NULL);
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
