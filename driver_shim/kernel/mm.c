// SPDX-License-Identifier: GPL-2.0
/*
 * Process address spaces: the mm_struct with its reference counts, the
 * VMAs the harness registers (real host mappings of the test program),
 * the Linux page table that says which pages are present and dirty, and
 * copro_handle_mm_fault(), the fault path the PSL's page faults take.
 *
 * There is no demand paging to model: a VMA's memory is always there,
 * so "making a page present" only records it in the page table, which is
 * what hash_page_mm() then requires before it inserts an HPTE.
 */
#define pr_fmt(fmt) "kshim-mm: " fmt

#include "kmm.h"

/* Linux's user context ids start above those of the four kernel regions. */
#define MIN_USER_CONTEXT	5
#define MAX_USER_CONTEXT	0xfffe	/* 16-bit context ids, all-ones excluded */

/* The page table: a 4-level radix tree of 512-entry nodes over EA bits 12:47. */
#define PT_BITS			9
#define PT_ENTRIES		(1UL << PT_BITS)
#define PT_LEVELS		4

/* An address space: what the driver sees, and the shim's state behind it. */
struct kmm {
	struct mm_struct mm;
	struct list_head vmas;	/* struct kvma by address, disjoint */
	unsigned long *pgd;	/* page-table root */
	int map_readers;	/* holders of mmap_read_lock() */
};

struct kvma {
	struct vm_area_struct vma;
	struct list_head node;	/* on kmm.vmas */
};

/* Context id -> struct kmm of every live mm; reset by kshim_mem_boot(). */
static struct idr mm_contexts;

static struct kmm *to_kmm(struct mm_struct *mm)
{
	return container_of(mm, struct kmm, mm);
}

void kmm_mm_boot(void)
{
	/* The previous world's slot array went with its arena. */
	idr_init(&mm_contexts);
}

static unsigned long pt_index(unsigned long ea, int level)
{
	return (ea >> (PAGE_SHIFT + level * PT_BITS)) & (PT_ENTRIES - 1);
}

/* The PTE slot of ea; missing levels are allocated if @alloc, else NULL. */
static unsigned long *pt_walk(struct kmm *m, unsigned long ea, bool alloc)
{
	unsigned long *node = m->pgd, *slot;
	int level;

	if (ea >= KMM_TASK_SIZE)
		return NULL;
	for (level = PT_LEVELS - 1; level > 0; level--) {
		slot = &node[pt_index(ea, level)];
		if (!*slot && alloc)
			*slot = (unsigned long)kzalloc(PT_ENTRIES * sizeof(long), GFP_KERNEL);
		if (!*slot)
			return NULL;
		node = (unsigned long *)*slot;
	}
	return &node[pt_index(ea, 0)];
}

static void pt_free(unsigned long *node, int level)
{
	unsigned long i;

	for (i = 0; level > 0 && i < PT_ENTRIES; i++)
		if (node[i])
			pt_free((unsigned long *)node[i], level - 1);
	kfree(node);
}

unsigned long *kmm_pte(struct mm_struct *mm, unsigned long ea)
{
	return pt_walk(to_kmm(mm), ea, false);
}

vm_fault_t kmm_fault(struct vm_area_struct *vma, unsigned long ea, bool store)
{
	unsigned long *pte = pt_walk(to_kmm(vma->vm_mm), ea, true);

	if (!pte)
		return VM_FAULT_OOM;
	if (!(*pte & _PAGE_PRESENT))
		*pte = pgprot_val(vma->vm_page_prot);
	*pte |= KPTE_ACCESSED | (store ? KPTE_DIRTY : 0);
	return 0;
}

void *kshim_mm_new(void)
{
	struct kmm *m = kzalloc(sizeof(*m), GFP_KERNEL);
	int id;

	if (!m)
		return NULL;
	m->pgd = kzalloc(PT_ENTRIES * sizeof(long), GFP_KERNEL);
	id = m->pgd ? idr_alloc(&mm_contexts, m, MIN_USER_CONTEXT, MAX_USER_CONTEXT + 1,
				GFP_KERNEL) : -ENOMEM;
	if (id < 0) {
		pr_err("no mm context: %d\n", id);
		kfree(m->pgd);
		kfree(m);
		return NULL;
	}
	atomic_set(&m->mm.mm_users, 1);
	atomic_set(&m->mm.mm_count, 1);
	m->mm.context.id = id;
	INIT_LIST_HEAD(&m->vmas);
	return &m->mm;
}

void kshim_mm_put(void *mm)
{
	mmput(mm);
}

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct kvma *v;

	list_for_each_entry(v, &to_kmm(mm)->vmas, node)
		if (v->vma.vm_end > addr)
			return &v->vma;
	return NULL;
}

struct vm_area_struct *vma_next(struct vma_iterator *vmi)
{
	struct vm_area_struct *vma = find_vma(vmi->mm, vmi->addr);

	if (vma)
		vmi->addr = vma->vm_end;
	return vma;
}

static pgprot_t vm_get_page_prot(unsigned long vm_flags)
{
	unsigned long prot = _PAGE_PRESENT;

	/* Book3S cannot map a page write-only: writable implies readable. */
	if (vm_flags & (VM_READ | VM_WRITE))
		prot |= _PAGE_READ;
	if (vm_flags & VM_WRITE)
		prot |= _PAGE_WRITE;
	if (vm_flags & VM_EXEC)
		prot |= _PAGE_EXEC;
	return __pgprot(prot);
}

static bool range_ok(unsigned long start, unsigned long len)
{
	unsigned long end = start + len;

	if (!len || ((start | len) & ~PAGE_MASK) || end < start || end > KMM_TASK_SIZE)
		return false;
	/* Nothing of the user's in the linear map's segment. */
	return end <= KMM_LINEAR_SEGMENT || start >= KMM_LINEAR_SEGMENT + (1UL << SID_SHIFT_1T);
}

int kshim_mm_map(void *mmp, unsigned long long start, unsigned long long len,
		 unsigned int prot)
{
	struct mm_struct *mm = mmp;
	struct kmm *m = to_kmm(mm);
	struct vm_area_struct *next;
	struct kvma *v;
	int ret;

	if (!range_ok(start, len) ||
	    (prot & ~(KSHIM_PROT_READ | KSHIM_PROT_WRITE | KSHIM_PROT_EXEC)))
		return -EINVAL;
	if (m->map_readers)
		return -EBUSY;
	next = find_vma(mm, start);
	if (next && next->vm_start < start + len)
		return -EEXIST;
	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	ret = kshim_hmem_add_user(start, len, !!(prot & KSHIM_PROT_WRITE));
	if (ret) {
		kfree(v);
		return ret;
	}
	v->vma.vm_start = start;
	v->vma.vm_end = start + len;
	v->vma.vm_mm = mm;
	v->vma.vm_flags = prot;		/* KSHIM_PROT_* are VM_READ/WRITE/EXEC */
	v->vma.vm_page_prot = vm_get_page_prot(prot);
	list_add_tail(&v->node, next ? &container_of(next, struct kvma, vma)->node : &m->vmas);
	return 0;
}

/*
 * Clear the PTEs of [start, end) under @node, which maps from @base at
 * @level, flushing the hashed ones in address order.  Only tables that
 * exist are visited: a VMA may span terabytes (libcxl mirrors ASan's
 * shadow) with a handful of pages ever present.
 */
static void pt_clear(struct kmm *m, unsigned long *node, int level, unsigned long base,
		     unsigned long start, unsigned long end)
{
	unsigned long span = PAGE_SIZE << (level * PT_BITS);
	unsigned long i = start > base ? (start - base) / span : 0;
	unsigned long ea;

	for (; i < PT_ENTRIES && (ea = base + i * span) < end; i++) {
		if (!node[i])
			continue;
		if (level) {
			pt_clear(m, (unsigned long *)node[i], level - 1, ea, start, end);
			continue;
		}
		if (node[i] & KPTE_HASHPTE)
			kmm_hash_flush(&m->mm, ea, node[i]);
		node[i] = 0;
	}
}

/* munmap: every hashed page loses its HPTE and is flushed from the card. */
static void vma_remove(struct kmm *m, struct kvma *v)
{
	pt_clear(m, m->pgd, PT_LEVELS - 1, 0, v->vma.vm_start, v->vma.vm_end);
	kshim_hmem_remove_user(v->vma.vm_start);
	list_del(&v->node);
	kfree(v);
}

int kshim_mm_unmap(void *mmp, unsigned long long start)
{
	struct kmm *m = to_kmm(mmp);
	struct vm_area_struct *vma = find_vma(mmp, start);

	if (!vma || vma->vm_start != start)
		return -ENOENT;
	if (m->map_readers)
		return -EBUSY;
	vma_remove(m, container_of(vma, struct kvma, vma));
	return 0;
}

struct mm_struct *get_task_mm(struct task_struct *task)
{
	struct mm_struct *mm = task->mm;

	if (mm)
		atomic_inc(&mm->mm_users);
	return mm;
}

/* The last user is gone: tear the address space down (exit_mmap). */
void mmput(struct mm_struct *mm)
{
	struct kmm *m = to_kmm(mm);

	if (!atomic_dec_and_test(&mm->mm_users))
		return;
	WARN(m->map_readers, "mm %lu torn down with its mmap lock held\n", mm->context.id);
	while (!list_empty(&m->vmas))
		vma_remove(m, list_first_entry(&m->vmas, struct kvma, node));
	pt_free(m->pgd, PT_LEVELS - 1);
	m->pgd = NULL;
	mmdrop(mm);
}

void __mmdrop(struct mm_struct *mm)
{
	WARN(atomic_read(&mm->mm_users), "mm %lu freed with %d users\n",
	     mm->context.id, atomic_read(&mm->mm_users));
	idr_remove(&mm_contexts, mm->context.id);
	kfree(to_kmm(mm));
}

/*
 * The mmap lock, reader side.  Readers never sleep holding it in the
 * shim, so a writer (map, unmap) finding readers is refused rather than
 * made to wait.
 */
void mmap_read_lock(struct mm_struct *mm)
{
	to_kmm(mm)->map_readers++;
}

void mmap_read_unlock(struct mm_struct *mm)
{
	struct kmm *m = to_kmm(mm);

	if (!WARN(m->map_readers <= 0, "mmap_read_unlock() of an unlocked mm\n"))
		m->map_readers--;
}

__weak int kshim_mm_miss(void *mm, unsigned long long ea)
{
	return 0;
}

void kmm_vma_refresh(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	unsigned long ea = start;
	struct vm_area_struct *vma;

	while (ea < end) {
		vma = find_vma(mm, ea);
		if (!vma || ea < vma->vm_start) {
			kshim_mm_miss(mm, ea);
			return;
		}
		ea = vma->vm_end;
	}
}

__weak int kshim_mm_fault_check(void *mm, unsigned long long ea, int store, int allowed)
{
	return 0;
}

/* The VMA of @ea if it lets the card make the access, else NULL. */
static struct vm_area_struct *vma_allowing(struct mm_struct *mm, unsigned long ea, bool store)
{
	struct vm_area_struct *vma = find_vma(mm, ea);

	if (!vma || ea < vma->vm_start)
		return NULL;
	if (store ? !(vma->vm_flags & VM_WRITE) : !(vma->vm_flags & (VM_READ | VM_EXEC)))
		return NULL;
	return vma;
}

int copro_handle_mm_fault(struct mm_struct *mm, unsigned long ea, unsigned long dsisr,
			  vm_fault_t *flt)
{
	bool store = dsisr & DSISR_ISSTORE;
	struct vm_area_struct *vma;
	int ret = -EFAULT;

	if (!mm)
		return -EFAULT;
	/* The decision is the host's: a stale mirror catches up first. */
	kshim_mm_fault_check(mm, ea, store, !!vma_allowing(mm, ea, store));
	mmap_read_lock(mm);
	vma = vma_allowing(mm, ea, store);
	if (!vma)
		goto out;
	/* Hash reports a missing HPTE, never a protection fault, on a load. */
	if (!store)
		WARN_ON_ONCE(dsisr & DSISR_PROTFAULT);
	*flt = kmm_fault(vma, ea, store);
	ret = *flt ? -ENOMEM : 0;
out:
	mmap_read_unlock(mm);
	return ret;
}
