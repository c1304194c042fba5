/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between tests/test_shim_dev.c (host side) and tests/kshim/dev*.c
 * (kernel side).  Builtin C types only: both include this file.  Each
 * scenario runs in a kernel task and returns 0, or the line of the first
 * check that failed (logged as "test-dev: check failed ...").
 */
#ifndef KSHIM_TESTS_KS_DEV_H
#define KSHIM_TESTS_KS_DEV_H

/* The device model and sysfs (dev.c). */
int ks_dev_kobject_refs(void);
int ks_dev_release_last_put(void);
int ks_dev_missing_release(void);	/* 1 WARN */
int ks_dev_attrs(void);
int ks_dev_attr_warns(void);		/* 2 WARNs */
int ks_dev_kobj_groups(void);
int ks_dev_bin_attr(void);

/* /dev, files, debugfs (dev_files.c). */
int ks_dev_chrdev_regions(void);
int ks_dev_files(void);
int ks_dev_poll(void);
int ks_dev_poll_signal(void);
int ks_dev_debugfs(void);

/* Set up by ks_dev_attrs(), read back by the host through kshim_sysfs_read(). */
#define KS_DEV_CLASS	"tcls"

#endif
