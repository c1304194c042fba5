/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory: allocation flags, kmalloc, pages, process address spaces (mm),
 * VMAs and page-fault plumbing.
 *
 * Pages come from a simulated physical-memory pool, because the PSL reads
 * and writes them by DMA (the SPA, segment tables) and virt_to_phys() must
 * work on them (driver_shim/kernel/mem.c, mm.c).
 */
#ifndef _KSHIM_MM_H
#define _KSHIM_MM_H

#include <kshim/types.h>
#include <kshim/kernel.h>
#include <kshim/list.h>
#include <kshim/sync.h>
#include <kshim/sched.h>

struct file;
struct address_space;

/* 4K pages, as on the host that shares memory with the test programs. */
#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))

/* Base of the ppc64 kernel linear map; devices see it as DMA offset. */
#define PAGE_OFFSET		0xc000000000000000UL

/*
 * Allocation flags.  Bit values are the shim's own; what matters is that
 * GFP_KERNEL may sleep and GFP_NOWAIT/GFP_ATOMIC may not.
 */
#define __GFP_DIRECT_RECLAIM	0x01u	/* may sleep */
#define __GFP_KSWAPD_RECLAIM	0x02u
#define __GFP_IO		0x04u
#define __GFP_FS		0x08u
#define __GFP_ZERO		0x10u
#define __GFP_HARDWALL		0x20u
#define __GFP_HIGH		0x40u
#define __GFP_RECLAIM		(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)

#define GFP_ATOMIC		(__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_NOWAIT		(__GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL		(__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_USER		(GFP_KERNEL | __GFP_HARDWALL)

static inline bool gfpflags_allow_blocking(gfp_t gfp)
{
	return !!(gfp & __GFP_DIRECT_RECLAIM);
}

/*
 * kmalloc(0) returns ZERO_SIZE_PTR, which faults if dereferenced and which
 * kfree() accepts.  Objects of a power-of-two size are aligned to it.
 */
#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(x)	((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

void *kmalloc(size_t size, gfp_t gfp);
void kfree(const void *ptr);

static inline void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

static inline unsigned long *bitmap_zalloc(unsigned int nbits, gfp_t gfp)
{
	return kzalloc(BITS_TO_LONGS(nbits) * sizeof(unsigned long), gfp);
}

static inline void bitmap_free(const unsigned long *bitmap)
{
	kfree(bitmap);
}

/* A page frame of the simulated physical pool. */
struct page {
	unsigned long flags;
	atomic_t _refcount;
	void *virtual;		/* its address in the co-simulation process */
};

static inline void *page_address(const struct page *page)
{
	return page->virtual;
}

static inline void get_page(struct page *page)
{
	atomic_inc(&page->_refcount);
}

/* The smallest order whose block holds size bytes (size > 0). */
static inline int get_order(unsigned long size)
{
	return size <= PAGE_SIZE ? 0 : 64 - __builtin_clzl((size - 1) >> PAGE_SHIFT);
}

/* 2^order physically contiguous pages; returns the address or 0. */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
unsigned long get_zeroed_page(gfp_t gfp);
void free_pages(unsigned long addr, unsigned int order);
struct page *alloc_pages(gfp_t gfp, unsigned int order);
/* Drops a reference; frees the pages when it was the last. */
void __free_pages(struct page *page, unsigned int order);

#define __get_free_page(gfp)	__get_free_pages((gfp), 0)
#define free_page(addr)		free_pages((addr), 0)
#define alloc_page(gfp)		alloc_pages((gfp), 0)
#define __free_page(page)	__free_pages((page), 0)

/* Book3S-64 PTE bits (hash MMU). */
#define _PAGE_EXEC		0x00001UL
#define _PAGE_WRITE		0x00002UL
#define _PAGE_READ		0x00004UL
#define _PAGE_PRIVILEGED	0x00008UL
#define _PAGE_SAO		0x00010UL
#define _PAGE_NON_IDEMPOTENT	0x00020UL
#define _PAGE_TOLERANT		0x00030UL
#define _PAGE_CACHE_CTL		(_PAGE_SAO | _PAGE_NON_IDEMPOTENT | _PAGE_TOLERANT)
#define _PAGE_PRESENT		0x8000000000000000UL

typedef struct {
	unsigned long pgprot;
} pgprot_t;

#define pgprot_val(x)		((x).pgprot)
#define __pgprot(x)		((pgprot_t) { (x) })

static inline pgprot_t pgprot_noncached(pgprot_t prot)
{
	return __pgprot((pgprot_val(prot) & ~_PAGE_CACHE_CTL) | _PAGE_NON_IDEMPOTENT);
}

static inline pgprot_t pgprot_cached(pgprot_t prot)
{
	return __pgprot(pgprot_val(prot) & ~_PAGE_CACHE_CTL);
}

/* Process address spaces. */
typedef struct {
	unsigned long id;	/* context id, the base of the user VSIDs */
	atomic_t copros;	/* coprocessors (PSLs) using this mm */
	atomic_t active_cpus;
} mm_context_t;

struct mm_struct {
	atomic_t mm_users;	/* address-space users (get_task_mm/mmput) */
	atomic_t mm_count;	/* references to the struct (mmgrab/mmdrop) */
	mm_context_t context;
	struct cpumask cpu_mask;
};

static inline struct cpumask *mm_cpumask(struct mm_struct *mm)
{
	return &mm->cpu_mask;
}

struct mm_struct *get_task_mm(struct task_struct *task);
void mmput(struct mm_struct *mm);
/* Frees the mm_struct; called when mm_count drops to zero. */
void __mmdrop(struct mm_struct *mm);
void mmap_read_lock(struct mm_struct *mm);
void mmap_read_unlock(struct mm_struct *mm);

static inline bool mmget_not_zero(struct mm_struct *mm)
{
	return atomic_inc_not_zero(&mm->mm_users);
}

static inline void mmgrab(struct mm_struct *mm)
{
	atomic_inc(&mm->mm_count);
}

static inline void mmdrop(struct mm_struct *mm)
{
	if (atomic_dec_and_test(&mm->mm_count))
		__mmdrop(mm);
}

/*
 * A coprocessor now shares this mm: TLB invalidations must be global so
 * that they reach the PSL.  On the hash MMU the kernel never drops the
 * count again (it cannot flush the PSL precisely), so removal is a no-op.
 */
static inline void mm_context_add_copro(struct mm_struct *mm)
{
	if (atomic_inc_return(&mm->context.copros) == 1)
		atomic_inc(&mm->context.active_cpus);
}

static inline void mm_context_remove_copro(struct mm_struct *mm)
{
}

/* Virtual memory areas and faults. */
#define VM_READ			0x00000001UL
#define VM_WRITE		0x00000002UL
#define VM_EXEC			0x00000004UL
#define VM_SHARED		0x00000008UL
#define VM_PFNMAP		0x00000400UL
#define VM_IO			0x00004000UL

typedef unsigned int vm_fault_t;

#define VM_FAULT_OOM		0x000001
#define VM_FAULT_SIGBUS		0x000002
#define VM_FAULT_NOPAGE		0x000100

struct vm_area_struct;

struct vm_fault {
	struct vm_area_struct *vma;
	unsigned int flags;
	pgoff_t pgoff;
	unsigned long address;
	struct page *page;	/* set by ->fault when it returns a page */
};

struct vm_operations_struct {
	void (*open)(struct vm_area_struct *area);
	void (*close)(struct vm_area_struct *area);
	vm_fault_t (*fault)(struct vm_fault *vmf);
};

struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end;	/* first address after the area */
	struct mm_struct *vm_mm;
	pgprot_t vm_page_prot;
	unsigned long vm_flags;
	const struct vm_operations_struct *vm_ops;
	unsigned long vm_pgoff;	/* offset in the file, in pages */
	struct file *vm_file;
	void *vm_private_data;
};

/* Iterates an mm's VMAs in address order from addr (mmap lock held). */
struct vma_iterator {
	struct mm_struct *mm;
	unsigned long addr;
};

#define VMA_ITERATOR(name, mm_, addr_) \
	struct vma_iterator name = { .mm = (mm_), .addr = (addr_) }

/* The first VMA ending above addr (it may start above addr too), or NULL. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);

/* Next VMA ending above vmi->addr, advancing vmi past it; NULL at the end. */
struct vm_area_struct *vma_next(struct vma_iterator *vmi);

#define for_each_vma(vmi, vma)	while (((vma) = vma_next(&(vmi))) != NULL)

vm_fault_t vmf_insert_pfn(struct vm_area_struct *vma, unsigned long addr,
			  unsigned long pfn);
void unmap_mapping_range(struct address_space *mapping, loff_t const holebegin,
			 loff_t const holelen, int even_cows);

#endif /* _KSHIM_MM_H */
