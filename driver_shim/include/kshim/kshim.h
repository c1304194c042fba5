/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The whole kernel-side shim.  Every <linux/...>, <asm/...> and <trace/...>
 * header the cxl driver includes forwards here, so per-file include order
 * never matters.
 */
#ifndef _KSHIM_KSHIM_H
#define _KSHIM_KSHIM_H

#include <kshim/kconfig.h>
#include <kshim/types.h>
#include <kshim/kernel.h>
#include <kshim/list.h>
#include <kshim/sync.h>
#include <kshim/sched.h>
#include <kshim/mm.h>
#include <kshim/device.h>
#include <kshim/fs.h>
#include <kshim/pci.h>
#include <kshim/irq.h>
#include <kshim/ppc.h>
#include <kshim/trace.h>

#endif /* _KSHIM_KSHIM_H */
