/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private interfaces of the shim's memory files: mem.c (page pool,
 * kmalloc), mm.c (address spaces, VMAs, Linux PTEs), hash_mmu.c (VSIDs,
 * the hashed page table), uaccess.c, cputable.c.  Kernel side only.
 *
 * Like every kernel-side structure here, what these files keep is touched
 * only by the context holding the baton (a task, or the host before the
 * scheduler runs), and none of them sleeps: one CPU without preemption
 * needs no lock around it.
 */
#ifndef _KSHIM_KMM_H
#define _KSHIM_KMM_H

#include <kshim/kshim.h>

#include "../host/hmem.h"

/* User addresses end where x86-64 user space ends. */
#define KMM_TASK_SIZE		(1UL << 47)

/* The segment get_region_id() calls the linear map. */
#define KMM_LINEAR_SEGMENT	((unsigned long)KSHIM_LINEAR_BASE)

static inline bool kmm_is_linear(unsigned long ea)
{
	return ea - KSHIM_LINEAR_BASE < KSHIM_LINEAR_SIZE;
}

/*
 * A Linux PTE as the shim keeps it: the _PAGE_* bits of mm.h, plus
 * dirty/accessed and where the page's HPTE went (hidx: secondary PTEG
 * flag and slot, as the hash MMU code records it).  The real page number
 * is the page's own address: user memory is host memory.
 */
#define KPTE_DIRTY		0x00080UL
#define KPTE_ACCESSED		0x00100UL
#define KPTE_HASHPTE		0x00200UL	/* an HPTE was inserted (it may since be evicted) */
#define KPTE_HIDX_SHIFT		10
#define KPTE_HIDX		(0xfUL << KPTE_HIDX_SHIFT)
#define KPTE_HIDX_SECONDARY	0x8

/* mm.c */
unsigned long *kmm_pte(struct mm_struct *mm, unsigned long ea);
/* Make the page of ea present (dirty for a store), as handle_mm_fault(); 0 or VM_FAULT_OOM. */
vm_fault_t kmm_fault(struct vm_area_struct *vma, unsigned long ea, bool store);
void kmm_mm_boot(void);
/*
 * Before looking [start, end) up: a hole asks the libcxl mirror to catch
 * up (kshim_mm_miss).  Not with the mmap lock held.
 */
void kmm_vma_refresh(struct mm_struct *mm, unsigned long start, unsigned long end);

/* hash_mmu.c */
void kmm_hpt_boot(void);
unsigned long kmm_sdr1(void);
/* Invalidate the HPTE a PTE records and send the page's tlbie (flush_hash_page). */
void kmm_hash_flush(struct mm_struct *mm, unsigned long ea, unsigned long pte);

#endif /* _KSHIM_KMM_H */
