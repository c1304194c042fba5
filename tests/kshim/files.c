// SPDX-License-Identifier: GPL-2.0
/* Kernel side of tests/test_cosim_files.c: see ks_files.h. */
#define pr_fmt(fmt) "test-files: " fmt

#include <kshim/kshim.h>

#include <uapi/misc/cxl.h>

#include "../../driver_shim/host/cosim.h"
#include "../../driver_shim/host/kdev.h"
#include "ks_check.h"
#include "ks_files.h"

#define MEMCPY_PSA_WED		0x00
#define MEMCPY_PSA_DOORBELL	0x08
/* The slice's PSL interrupt: the PHB's third MSI (the probe's order). */
#define PSL_HWIRQ		(COSIM_MSI_BASE + 2)
/* Long enough for the AFU to fetch its work element and fault on it. */
#define FAULT_WAIT_US		50

/* The AFU's registers are big-endian; the CPU stores little-endian. */
static int store_be64(int map, unsigned long off, u64 val)
{
	return kshim_map_store(map, off, 8, (u64)cpu_to_be64(val));
}

long ks_files_irq_at_fenced_card(void *arg)
{
	struct ks_files_job *job = arg;
	unsigned long long before, after, none;
	unsigned long flags;
	int ret;

	if (kshim_irq_count(PSL_HWIRQ, &before, &none))
		return -ENOENT;
	/* The mapping's page faults in now: its fault handler sleeps. */
	ret = kshim_map_load(job->map, MEMCPY_PSA_WED, 8, &none);
	if (ret)
		return ret;
	local_irq_save(flags);
	ret = store_be64(job->map, MEMCPY_PSA_WED, job->wed);
	if (!ret)
		ret = store_be64(job->map, MEMCPY_PSA_DOORBELL, 1);
	udelay(FAULT_WAIT_US);
	cosim_freeze(0);
	local_irq_restore(flags);
	if (ret)
		return ret;
	kshim_irq_count(PSL_HWIRQ, &after, &none);
	if (after != before + 1)
		return -ETIMEDOUT;
	return kshim_eeh_inject(0);
}

long ks_files_use_a_resetting_card(void *arg)
{
	int fd = (int)(long)arg;
	static char ev[CXL_READ_MIN_SIZE];
	u32 pe;

	CHECK(kshim_sysfs_write("cxl/card0/reset", "1", 1) == 1);
	CHECK(kshim_open("cxl/afu0.0s", O_RDWR) == -EIO);
	CHECK(kshim_ioctl(fd, CXL_IOCTL_GET_PROCESS_ELEMENT, (unsigned long)&pe) == -EIO);
	CHECK(kshim_read(fd, ev, sizeof(ev)) == -EIO);
	CHECK(kshim_close(fd) == 0);
	CHECK(kshim_sysfs_write("cxl/afu0.0/mode", "dedicated_process", 17) == -EIO);
	msleep(1000);
	return 0;
}
