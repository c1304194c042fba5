// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel memory: the page allocator and kmalloc, both over the linear
 * map, the fixed-address arena the host side maps and registers for DMA
 * (hmem.c), so that the PSL can reach the SPA and segment tables and
 * virt_to_phys() is the identity.
 *
 * Pages: first fit over a bitmap, of naturally aligned 2^order blocks,
 * lowest address first; a run's addresses depend only on its sequence of
 * allocations.  kmalloc: power-of-two size classes from 16 bytes to half a
 * page, carved from pool pages (slab pages go back to the pool only at
 * the next boot), and larger sizes as page blocks, as in the kernel.
 *
 * Under AddressSanitizer free memory is poisoned, so the driver's (or the
 * PSL model's) use of freed memory and kmalloc overflows are reported.
 */
#define pr_fmt(fmt) "kshim-mem: " fmt

#include "kmm.h"

#if defined(__SANITIZE_ADDRESS__)
#define KMM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KMM_ASAN 1
#endif
#endif

#ifdef KMM_ASAN
void __asan_poison_memory_region(void const volatile *addr, size_t size);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
int __asan_address_is_poisoned(void const volatile *addr);
#define kasan_poison(addr, size)	__asan_poison_memory_region(addr, size)
#define kasan_unpoison(addr, size)	__asan_unpoison_memory_region(addr, size)
#define kasan_is_poisoned(addr)		__asan_address_is_poisoned(addr)
#else
#define kasan_poison(addr, size)	do { } while (0)
#define kasan_unpoison(addr, size)	do { } while (0)
#define kasan_is_poisoned(addr)		0
#endif

#define NR_LINEAR_PAGES		(KSHIM_LINEAR_SIZE >> PAGE_SHIFT)
#define MAX_PAGE_ORDER		10	/* 4 MiB blocks at most */
#define SLAB_MIN_SHIFT		4
#define SLAB_MAX_SHIFT		(PAGE_SHIFT - 1)
#define NR_SLAB_CLASSES		(SLAB_MAX_SHIFT - SLAB_MIN_SHIFT + 1)

/*
 * What a pool page is used for.  Changed only by kpage_set_use(): a free
 * page becomes the head of a block (PAGES, SLAB, LARGE) or one of its
 * TAILs, and goes back to FREE; RESERVED (the HPT and the page array) is
 * set at boot and never changes.
 */
enum kpage_use {
	KPAGE_FREE,
	KPAGE_RESERVED,
	KPAGE_PAGES,	/* head of a page-allocator block */
	KPAGE_SLAB,	/* a page of kmalloc objects of one size class */
	KPAGE_LARGE,	/* head of a block holding one large kmalloc object */
	KPAGE_TAIL,	/* any other page of a block */
};

/* The page frame of each linear-map page ("mem_map"), in the arena itself. */
struct kpage {
	struct page page;
	enum kpage_use use;
	unsigned int order;	/* heads: the block's order */
	unsigned int obj_shift;	/* SLAB: log2 of the object size */
};

/*
 * The pool.  Reset by kshim_mem_boot(); touched only under the baton (see
 * kmm.h).  @slab_free heads each size class's free list, linked through
 * the free objects' first word.
 */
static struct {
	struct kpage *map;
	unsigned long used[BITS_TO_LONGS(NR_LINEAR_PAGES)];
	void *slab_free[NR_SLAB_CLASSES];
} pool;

static void *kpage_addr(const struct kpage *kp)
{
	return kp->page.virtual;
}

static struct kpage *virt_to_kpage(const void *addr)
{
	unsigned long ea = (unsigned long)addr;

	if (!kmm_is_linear(ea))
		return NULL;
	return &pool.map[(ea - KSHIM_LINEAR_BASE) >> PAGE_SHIFT];
}

static void kpage_set_use(struct kpage *kp, enum kpage_use use)
{
	bool freeing = use == KPAGE_FREE;

	BUG_ON(freeing == (kp->use == KPAGE_FREE) || kp->use == KPAGE_RESERVED ||
	       use == KPAGE_RESERVED);
	kp->use = use;
}

/* First page of the lowest free aligned 2^order run, or -1. */
static long pool_find(unsigned int order)
{
	unsigned long n = 1UL << order, i, j;

	for (i = 0; i + n <= NR_LINEAR_PAGES; i += n) {
		if (n < BITS_PER_LONG && pool.used[BIT_WORD(i)] == ~0UL) {
			i = ALIGN(i + 1, BITS_PER_LONG) - n;
			continue;
		}
		for (j = 0; j < n && !test_bit(i + j, pool.used); j++)
			;
		if (j == n)
			return i;
	}
	return -1;
}

/* A block of 2^order pages, its memory still poisoned; NULL if none. */
static struct kpage *block_alloc(unsigned int order, enum kpage_use use)
{
	unsigned long i;
	long first;

	if (WARN(order > MAX_PAGE_ORDER, "order-%u allocation refused\n", order))
		return NULL;
	first = pool_find(order);
	if (first < 0) {
		pr_warn("out of memory for an order-%u block\n", order);
		return NULL;
	}
	for (i = 0; i < 1UL << order; i++) {
		set_bit(first + i, pool.used);
		kpage_set_use(&pool.map[first + i], i ? KPAGE_TAIL : use);
	}
	pool.map[first].order = order;
	atomic_set(&pool.map[first].page._refcount, 1);
	return &pool.map[first];
}

static void block_free(struct kpage *head)
{
	unsigned long first = head - pool.map, i;

	for (i = 0; i < 1UL << head->order; i++) {
		clear_bit(first + i, pool.used);
		kpage_set_use(&pool.map[first + i], KPAGE_FREE);
	}
	kasan_poison(kpage_addr(head), PAGE_SIZE << head->order);
}

/* Never sleeps, but a blocking request from atomic context is a bug all the same. */
static void alloc_might_sleep(gfp_t gfp)
{
	if (gfpflags_allow_blocking(gfp))
		might_sleep();
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	struct kpage *kp;

	alloc_might_sleep(gfp);
	kp = block_alloc(order, KPAGE_PAGES);
	if (!kp)
		return NULL;
	kasan_unpoison(kpage_addr(kp), PAGE_SIZE << order);
	if (gfp & __GFP_ZERO)
		memset(kpage_addr(kp), 0, PAGE_SIZE << order);
	return &kp->page;
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp, order);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

void __free_pages(struct page *page, unsigned int order)
{
	struct kpage *kp = container_of(page, struct kpage, page);

	if (WARN(kp->use != KPAGE_PAGES || kp->order != order,
		 "freeing %p as an order-%u block: not one\n", page_address(page), order))
		return;
	if (atomic_dec_and_test(&page->_refcount))
		block_free(kp);
}

void free_pages(unsigned long addr, unsigned int order)
{
	struct kpage *kp;

	if (!addr)
		return;
	kp = virt_to_kpage((void *)addr);
	if (WARN(!kp || kpage_addr(kp) != (void *)addr,
		 "free_pages(%#lx): not a page of the pool\n", addr))
		return;
	__free_pages(&kp->page, order);
}

static unsigned int slab_shift(size_t size)
{
	unsigned int shift = SLAB_MIN_SHIFT;

	while ((1UL << shift) < size)
		shift++;
	return shift;
}

/* Carve a fresh page into objects, lowest address first out. */
static int slab_grow(unsigned int shift)
{
	void **head = &pool.slab_free[shift - SLAB_MIN_SHIFT];
	struct kpage *kp = block_alloc(0, KPAGE_SLAB);
	char *base;
	long off;

	if (!kp)
		return -ENOMEM;
	kp->obj_shift = shift;
	base = kpage_addr(kp);
	for (off = PAGE_SIZE - (1L << shift); off >= 0; off -= 1L << shift) {
		kasan_unpoison(base + off, sizeof(void *));
		*(void **)(base + off) = *head;
		kasan_poison(base + off, sizeof(void *));
		*head = base + off;
	}
	return 0;
}

static void *slab_alloc(size_t size)
{
	unsigned int shift = slab_shift(size);
	void **head = &pool.slab_free[shift - SLAB_MIN_SHIFT];
	void *obj;

	if (!*head && slab_grow(shift))
		return NULL;
	obj = *head;
	kasan_unpoison(obj, sizeof(void *));
	*head = *(void **)obj;
	kasan_poison(obj, 1UL << shift);
	kasan_unpoison(obj, size);
	return obj;
}

static void slab_free(struct kpage *kp, void *obj)
{
	void **head = &pool.slab_free[kp->obj_shift - SLAB_MIN_SHIFT];
	unsigned long off = (char *)obj - (char *)kpage_addr(kp);

	if (WARN(off & ((1UL << kp->obj_shift) - 1), "kfree(%p): inside an object\n", obj))
		return;
	if (WARN(kasan_is_poisoned(obj), "kfree(%p): already free\n", obj))
		return;
	kasan_unpoison(obj, sizeof(void *));
	*(void **)obj = *head;
	*head = obj;
	kasan_poison(obj, 1UL << kp->obj_shift);
}

void *kmalloc(size_t size, gfp_t gfp)
{
	struct kpage *kp;
	void *obj;

	alloc_might_sleep(gfp);
	if (!size)
		return ZERO_SIZE_PTR;
	if (size <= 1UL << SLAB_MAX_SHIFT) {
		obj = slab_alloc(size);
	} else {
		kp = block_alloc(get_order(size), KPAGE_LARGE);
		obj = kp ? kpage_addr(kp) : NULL;
		if (obj)
			kasan_unpoison(obj, size);
	}
	if (obj && (gfp & __GFP_ZERO))
		memset(obj, 0, size);
	return obj;
}

void kfree(const void *ptr)
{
	struct kpage *kp;

	if (ZERO_OR_NULL_PTR(ptr))
		return;
	kp = virt_to_kpage(ptr);
	if (kp && kp->use == KPAGE_SLAB) {
		slab_free(kp, (void *)ptr);
		return;
	}
	if (WARN(!kp || kp->use != KPAGE_LARGE || kpage_addr(kp) != ptr,
		 "kfree(%p): not from kmalloc\n", ptr))
		return;
	block_free(kp);
}

/* The linear map is where it is: effective and real addresses are equal. */
unsigned long virt_to_phys(volatile void *address)
{
	unsigned long ea = (unsigned long)address;

	WARN(!kmm_is_linear(ea), "virt_to_phys(%#lx): not in the linear map\n", ea);
	return ea;
}

/* The page array, then everything before it (the HPT), reserved. */
static void pool_boot(void)
{
	unsigned long map_end = KSHIM_HPT_SIZE + NR_LINEAR_PAGES * sizeof(struct kpage);
	unsigned long reserved = DIV_ROUND_UP(map_end, PAGE_SIZE), i;
	char *base = (char *)KSHIM_LINEAR_BASE;

	memset(&pool, 0, sizeof(pool));
	pool.map = (struct kpage *)(base + KSHIM_HPT_SIZE);
	kasan_unpoison(base, KSHIM_LINEAR_SIZE);
	memset(pool.map, 0, NR_LINEAR_PAGES * sizeof(struct kpage));
	for (i = 0; i < NR_LINEAR_PAGES; i++) {
		pool.map[i].page.virtual = base + i * PAGE_SIZE;
		if (i < reserved) {
			pool.map[i].use = KPAGE_RESERVED;
			set_bit(i, pool.used);
		}
	}
	kasan_poison(base + reserved * PAGE_SIZE, KSHIM_LINEAR_SIZE - reserved * PAGE_SIZE);
}

void kshim_mem_boot(void)
{
	pool_boot();
	kmm_hpt_boot();
	kmm_mm_boot();
}
