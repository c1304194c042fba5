/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry points of tests/kshim/mm.c for tests/test_shim_mm.c.  Builtin C
 * types only: the host-side test and the kernel-side object both include
 * this file.  A scenario returns 0, or the line of the first check that
 * failed.
 */
#ifndef KSHIM_TESTS_KS_MM_H
#define KSHIM_TESTS_KS_MM_H

/* Scenarios. */
int ks_mm_idr_lowest(void);
int ks_mm_idr_limits(void);
int ks_mm_idr_iterate(void);
int ks_mm_kmalloc(void);
int ks_mm_pages(void);
int ks_mm_pages_exhaust(void);
int ks_mm_cpu(void);
int ks_mm_refs(void);
int ks_mm_vma_iter(void);
int ks_mm_copro_fault(void);
/* A task function: the copy_*_user checks, in a process whose mm and buffers @arg gives. */
struct ks_uaccess {
	void *mm;
	unsigned long long rw;		/* 2 pages, read/write */
	unsigned long long ro;		/* 1 page, read-only */
	int result;
};
int ks_mm_uaccess_task(void *arg);

/* Wrappers for checks the host side makes. */
void *ks_kmalloc(unsigned long size);
void ks_kfree(void *p);
unsigned long long ks_get_free_pages(unsigned int order);
void ks_free_pages(unsigned long long addr, unsigned int order);
unsigned long long ks_virt_to_phys(void *p);
unsigned long long ks_mfspr(int sprn);
int ks_region(unsigned long long ea);
unsigned long long ks_kernel_vsid(unsigned long long ea, int ssize);
int ks_psize(unsigned int bshift, unsigned int ashift, unsigned long long *sllp, int *penc);
int ks_slb(void *mm, unsigned long long ea, unsigned long long *esid, unsigned long long *vsid);
unsigned long long ks_context_id(void *mm);
/* copro_handle_mm_fault(), then hash_page_mm() as cxl's fault path calls it. */
int ks_handle_fault(void *mm, unsigned long long ea, unsigned long long dsisr);
int ks_hash(void *mm, unsigned long long ea, unsigned long long dsisr);
/* cxl_alloc_sst()'s table and pointers, and cxl_load_segment() into it. */
void *ks_alloc_sst(unsigned long long *sstp0, unsigned long long *sstp1);
int ks_load_segment(void *sst, unsigned long long esid, unsigned long long vsid);
/* cxl_slbia(), which copro_flush_all_slbs() reaches in the driver: counts calls. */
extern int ks_slbia_calls;
extern void *ks_slbia_mm;

#endif
