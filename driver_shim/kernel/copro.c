// SPDX-License-Identifier: GPL-2.0
/*
 * copro_flush_all_slbs(): the kernel calls it when an mm's segment layout
 * changes, and cxl (through cxl_slbia(), in the driver's base.c) then
 * clears the segment tables of every context of that mm.  Apart from
 * hash_mmu.c because it needs the driver: only links that contain the
 * driver (or define cxl_slbia()) pull it in.
 */
#define pr_fmt(fmt) "kshim-copro: " fmt

#include <kshim/kshim.h>
#include <misc/cxl-base.h>

#include "../host/hmem.h"

void copro_flush_all_slbs(struct mm_struct *mm)
{
	cxl_slbia(mm);
}

void kshim_mm_flush_slbs(void *mm)
{
	copro_flush_all_slbs(mm);
}
