// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel side of tests/test_shim_mm.c: compiled like the driver, so it
 * calls the memory and MMU APIs exactly as cxl does.  See ks_mm.h.
 */
#define pr_fmt(fmt) "test-mm: " fmt

#include <kshim/kshim.h>
#include <misc/cxl-base.h>

#include "../../driver_shim/host/hmem.h"
#include "ks_check.h"
#include "ks_mm.h"

int ks_slbia_calls;
void *ks_slbia_mm;

void cxl_slbia(struct mm_struct *mm)
{
	ks_slbia_calls++;
	ks_slbia_mm = mm;
}

static char obj_a, obj_b, obj_c;

int ks_mm_idr_lowest(void)
{
	DEFINE_IDR(idr);

	CHECK(idr_is_empty(&idr));
	CHECK(idr_alloc(&idr, &obj_a, 0, 0, GFP_KERNEL) == 0);
	CHECK(idr_alloc(&idr, &obj_b, 0, 0, GFP_KERNEL) == 1);
	CHECK(idr_alloc(&idr, &obj_c, 0, 0, GFP_KERNEL) == 2);
	CHECK(idr_remove(&idr, 1) == &obj_b);
	CHECK(idr_find(&idr, 1) == NULL);
	/* The hole is filled before anything above. */
	CHECK(idr_alloc(&idr, &obj_b, 0, 0, GFP_NOWAIT) == 1);
	CHECK(idr_find(&idr, 0) == &obj_a && idr_find(&idr, 2) == &obj_c);
	CHECK(idr_remove(&idr, 7) == NULL);
	idr_destroy(&idr);
	CHECK(idr_is_empty(&idr) && idr_find(&idr, 0) == NULL);
	return 0;
}

int ks_mm_idr_limits(void)
{
	DEFINE_IDR(idr);
	int i;

	/* start is honoured; ids far above the first array grow it. */
	CHECK(idr_alloc(&idr, &obj_a, 5, 0, GFP_KERNEL) == 5);
	CHECK(idr_alloc(&idr, &obj_a, 1000, 0, GFP_KERNEL) == 1000);
	CHECK(idr_find(&idr, 1000) == &obj_a && idr_find(&idr, 999) == NULL);
	/* end is exclusive: [10, 13) holds three ids. */
	for (i = 10; i < 13; i++)
		CHECK(idr_alloc(&idr, &obj_b, 10, 13, GFP_KERNEL) == i);
	CHECK(idr_alloc(&idr, &obj_b, 10, 13, GFP_KERNEL) == -ENOSPC);
	CHECK(idr_alloc(&idr, &obj_b, 20, 20, GFP_KERNEL) == -ENOSPC);
	/* A NULL entry reserves its id: allocated, yet found as NULL. */
	CHECK(idr_alloc(&idr, NULL, 0, 0, GFP_KERNEL) == 0);
	CHECK(idr_find(&idr, 0) == NULL);
	CHECK(idr_alloc(&idr, &obj_c, 0, 0, GFP_KERNEL) == 1);
	CHECK(idr_remove(&idr, 0) == NULL);
	CHECK(idr_alloc(&idr, &obj_c, 0, 0, GFP_KERNEL) == 0);
	idr_destroy(&idr);
	return 0;
}

int ks_mm_idr_iterate(void)
{
	static char objs[5];
	DEFINE_IDR(idr);
	void *entry;
	int id, n = 0;

	CHECK(idr_alloc(&idr, &objs[0], 3, 0, GFP_KERNEL) == 3);
	CHECK(idr_alloc(&idr, NULL, 0, 0, GFP_KERNEL) == 0);
	CHECK(idr_alloc(&idr, &objs[1], 40, 0, GFP_KERNEL) == 40);
	CHECK(!idr_is_empty(&idr));
	/* In id order, skipping the reserved id 0. */
	idr_for_each_entry(&idr, entry, id) {
		CHECK(n < 2);
		CHECK(id == (n ? 40 : 3) && entry == &objs[n]);
		n++;
	}
	CHECK(n == 2);
	id = 4;
	CHECK(idr_get_next(&idr, &id) == &objs[1] && id == 40);
	id = 41;
	CHECK(idr_get_next(&idr, &id) == NULL);
	idr_remove(&idr, 0);
	idr_remove(&idr, 3);
	idr_remove(&idr, 40);
	CHECK(idr_is_empty(&idr));
	idr_destroy(&idr);
	return 0;
}

static bool in_linear(const void *p, unsigned long len)
{
	unsigned long ea = (unsigned long)p;

	return ea >= KSHIM_LINEAR_BASE && ea + len <= KSHIM_LINEAR_BASE + KSHIM_LINEAR_SIZE;
}

int ks_mm_kmalloc(void)
{
	static const size_t sizes[] = { 1, 8, 16, 17, 100, 128, 1000, 2048 };
	char *p[ARRAY_SIZE(sizes)], *q, *big;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned long align = 16;

		while (align < sizes[i])
			align <<= 1;
		p[i] = kmalloc(sizes[i], GFP_KERNEL);
		CHECK(p[i] && in_linear(p[i], sizes[i]));
		/* Aligned to the size's power of two (at least 16). */
		CHECK(!((unsigned long)p[i] & (align - 1)));
		memset(p[i], 0xa5, sizes[i]);
		for (j = 0; j < i; j++)
			CHECK(p[j] + sizes[j] <= p[i] || p[i] + sizes[i] <= p[j]);
	}
	/* A freed object is the next of its size class. */
	kfree(p[4]);
	q = kzalloc(100, GFP_KERNEL);
	CHECK(q == p[4]);
	for (j = 0; j < 100; j++)
		CHECK(!q[j]);
	/* Larger than half a page: whole pages, page aligned. */
	big = kzalloc(3 * PAGE_SIZE + 1, GFP_KERNEL);
	CHECK(big && !((unsigned long)big & (4 * PAGE_SIZE - 1)) && in_linear(big, 4 * PAGE_SIZE));
	CHECK(!big[3 * PAGE_SIZE]);
	kfree(big);
	CHECK(kmalloc(3 * PAGE_SIZE + 1, GFP_KERNEL) == big);
	kfree(big);
	CHECK(kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		kfree(i == 4 ? q : p[i]);
	return 0;
}

int ks_mm_pages(void)
{
	unsigned long a, b, z;
	struct page *pg;
	char *va;
	int i;

	a = __get_free_pages(GFP_KERNEL, 2);
	CHECK(a && !(a & (4 * PAGE_SIZE - 1)) && in_linear((void *)a, 4 * PAGE_SIZE));
	memset((void *)a, 0x5a, 4 * PAGE_SIZE);
	z = get_zeroed_page(GFP_KERNEL);
	CHECK(z && !(z & ~PAGE_MASK));
	for (i = 0; i < PAGE_SIZE; i++)
		CHECK(!((char *)z)[i]);
	/* Identity: the real address the PSL is given is the linear-map address. */
	CHECK(virt_to_phys((void *)a) == a);
	free_pages(a, 2);
	/* Lowest address first: the freed block comes back. */
	b = __get_free_pages(GFP_KERNEL | __GFP_ZERO, 2);
	CHECK(b == a && !((char *)b)[5]);
	free_pages(b, 2);
	free_page(z);

	/* A page is freed with its last reference only. */
	pg = alloc_page(GFP_KERNEL);
	CHECK(pg && page_address(pg) && in_linear(page_address(pg), PAGE_SIZE));
	va = page_address(pg);
	get_page(pg);
	__free_page(pg);
	CHECK(__get_free_page(GFP_KERNEL) != (unsigned long)va);
	__free_page(pg);
	b = __get_free_page(GFP_KERNEL);
	CHECK(b == (unsigned long)va);
	free_page(b);
	free_pages(0, 3);
	return 0;
}

int ks_mm_pages_exhaust(void)
{
	unsigned long first = __get_free_pages(GFP_KERNEL, 10), addr, prev = 0, n = 0;

	CHECK(first);
	/* Chain every remaining order-10 block through its first word. */
	while ((addr = __get_free_pages(GFP_KERNEL, 10))) {
		*(unsigned long *)addr = prev;
		prev = addr;
		n++;
	}
	CHECK(n > 0 && n < KSHIM_LINEAR_SIZE >> 22);
	/* Smaller blocks may remain; an order above the limit never works. */
	CHECK(__get_free_pages(GFP_KERNEL, 11) == 0);
	while (prev) {
		addr = *(unsigned long *)prev;
		free_pages(prev, 10);
		prev = addr;
	}
	free_pages(first, 10);
	CHECK(__get_free_pages(GFP_KERNEL, 10) == first);
	free_pages(first, 10);
	return 0;
}

int ks_mm_cpu(void)
{
	CHECK(cpu_has_feature(CPU_FTR_HVMODE));
	CHECK(pvr_version_is(PVR_POWER8) && !pvr_version_is(PVR_POWER9));
	CHECK(!radix_enabled() && tlbie_capable);
	CHECK((mfmsr() & (MSR_SF | MSR_HV | MSR_PR)) == (MSR_SF | MSR_HV));
	CHECK(mfspr(SPRN_LPID) == 0 && !(mfspr(SPRN_LPCR) & LPCR_TC));
	CHECK(mmu_linear_psize == MMU_PAGE_16M && mmu_kernel_ssize == MMU_SEGSIZE_1T);
	CHECK(mmu_psize_defs[MMU_PAGE_4K].shift == 12 && mmu_psize_defs[MMU_PAGE_16M].shift == 24);
	CHECK(kshim_cpu_set_pvr(0x004e1200) == -EINVAL);
	CHECK(kshim_cpu_set_pvr(0x004c0100) == 0);
	CHECK(pvr_version_is(PVR_POWER8NVL) && mfspr(SPRN_PVR) == 0x004c0100);
	CHECK(cur_cpu_spec->pvr_value == 0x004c0000);
	CHECK(kshim_cpu_set_pvr(0x004d0200) == 0 && pvr_version_is(PVR_POWER8));
	return 0;
}

int ks_mm_refs(void)
{
	struct task_struct task = { .pid = 42 };
	struct mm_struct *mm = kshim_mm_new(), *mm2;
	unsigned long id;

	CHECK(mm && atomic_read(&mm->mm_users) == 1 && atomic_read(&mm->mm_count) == 1);
	id = mm->context.id;
	CHECK(id >= 5);
	CHECK(kshim_mm_map(mm, KSHIM_USER_BASE + 0x100000, PAGE_SIZE, KSHIM_PROT_READ) == 0);
	/* No mm, no reference. */
	CHECK(get_task_mm(&task) == NULL);
	task.mm = mm;
	CHECK(get_task_mm(&task) == mm && atomic_read(&mm->mm_users) == 2);
	/* As cxl pins a context's mm: a struct reference outliving the users. */
	mmgrab(mm);
	CHECK(mmget_not_zero(mm) && atomic_read(&mm->mm_users) == 3);
	mmput(mm);
	mmput(mm);
	CHECK(find_vma(mm, 0) != NULL);
	mmput(mm);
	/* The last user tore the address space down; the struct is still there. */
	CHECK(atomic_read(&mm->mm_users) == 0 && atomic_read(&mm->mm_count) == 1);
	CHECK(find_vma(mm, 0) == NULL && !mmget_not_zero(mm));
	mm2 = kshim_mm_new();
	CHECK(mm2 && mm2->context.id == id + 1);
	mmdrop(mm);
	/* Its context id is free again. */
	kshim_mm_put(mm2);
	mm2 = kshim_mm_new();
	CHECK(mm2 && mm2->context.id == id);
	kshim_mm_put(mm2);
	return 0;
}

int ks_mm_vma_iter(void)
{
	static const unsigned long starts[] = { 0x10000, 0x30000, 0x7f0000000000UL };
	struct mm_struct *mm = kshim_mm_new();
	struct vm_area_struct *vma;
	VMA_ITERATOR(vmi, mm, 0);
	int n = 0;

	CHECK(mm);
	/* Registered out of order, iterated in address order. */
	CHECK(kshim_mm_map(mm, starts[2], PAGE_SIZE, KSHIM_PROT_READ) == 0);
	CHECK(kshim_mm_map(mm, starts[0], 2 * PAGE_SIZE, KSHIM_PROT_READ | KSHIM_PROT_WRITE) == 0);
	CHECK(kshim_mm_map(mm, starts[1], PAGE_SIZE, KSHIM_PROT_READ) == 0);
	mmap_read_lock(mm);
	for_each_vma(vmi, vma) {
		CHECK(n < 3 && vma->vm_start == starts[n] && vma->vm_mm == mm);
		n++;
	}
	mmap_read_unlock(mm);
	CHECK(n == 3);
	CHECK(find_vma(mm, 0x11000)->vm_start == starts[0]);
	CHECK(find_vma(mm, 0x12000)->vm_start == starts[1]);
	CHECK(find_vma(mm, 0x7f0000001000UL) == NULL);
	CHECK(find_vma(mm, 0x10000)->vm_flags == (VM_READ | VM_WRITE));
	/* Overlaps, misalignment and the linear map's segment are refused. */
	CHECK(kshim_mm_map(mm, 0x11000, PAGE_SIZE, KSHIM_PROT_READ) == -EEXIST);
	CHECK(kshim_mm_map(mm, 0x0f000, 2 * PAGE_SIZE, KSHIM_PROT_READ) == -EEXIST);
	CHECK(kshim_mm_map(mm, 0x40800, PAGE_SIZE, KSHIM_PROT_READ) == -EINVAL);
	CHECK(kshim_mm_map(mm, KSHIM_LINEAR_BASE + (1UL << 32), PAGE_SIZE, KSHIM_PROT_READ) ==
	      -EINVAL);
	CHECK(kshim_mm_map(mm, 1UL << 47, PAGE_SIZE, KSHIM_PROT_READ) == -EINVAL);
	/* Not while a reader holds the mmap lock. */
	mmap_read_lock(mm);
	CHECK(kshim_mm_map(mm, 0x50000, PAGE_SIZE, KSHIM_PROT_READ) == -EBUSY);
	CHECK(kshim_mm_unmap(mm, starts[1]) == -EBUSY);
	mmap_read_unlock(mm);
	CHECK(kshim_mm_unmap(mm, starts[1] + PAGE_SIZE) == -ENOENT);
	CHECK(kshim_mm_unmap(mm, starts[1]) == 0);
	CHECK(find_vma(mm, 0x12000)->vm_start == starts[2]);
	kshim_mm_put(mm);
	return 0;
}

int ks_mm_copro_fault(void)
{
	struct mm_struct *mm = kshim_mm_new();
	unsigned long rw = KSHIM_USER_BASE + 0x200000, ro = rw + 0x10000, none = rw + 0x20000;
	vm_fault_t flt = 0;

	CHECK(mm);
	CHECK(kshim_mm_map(mm, rw, PAGE_SIZE, KSHIM_PROT_READ | KSHIM_PROT_WRITE) == 0);
	CHECK(kshim_mm_map(mm, ro, PAGE_SIZE, KSHIM_PROT_READ) == 0);
	CHECK(kshim_mm_map(mm, none, PAGE_SIZE, 0) == 0);
	CHECK(copro_handle_mm_fault(NULL, rw, 0, &flt) == -EFAULT);
	CHECK(copro_handle_mm_fault(mm, rw - PAGE_SIZE, 0, &flt) == -EFAULT);
	CHECK(copro_handle_mm_fault(mm, none, 0, &flt) == -EFAULT);
	CHECK(copro_handle_mm_fault(mm, ro, DSISR_ISSTORE, &flt) == -EFAULT);
	/* Before a fault, the Linux PTE lets hash_page_mm() insert nothing. */
	CHECK(hash_page_mm(mm, ro, _PAGE_PRESENT | _PAGE_READ, 0x300, 0) == 1);
	CHECK(copro_handle_mm_fault(mm, ro + 8, 0, &flt) == 0 && flt == 0);
	CHECK(hash_page_mm(mm, ro, _PAGE_PRESENT | _PAGE_READ, 0x300, 0) == 0);
	/* Write access to a read-only PTE, or kernel access to a user one: no. */
	CHECK(hash_page_mm(mm, ro, _PAGE_PRESENT | _PAGE_READ | _PAGE_WRITE, 0x300, 0) == 1);
	CHECK(hash_page_mm(mm, ro, _PAGE_PRESENT | _PAGE_READ | _PAGE_PRIVILEGED, 0x300, 0) == 1);
	CHECK(copro_handle_mm_fault(mm, rw, DSISR_ISSTORE, &flt) == 0);
	CHECK(hash_page_mm(mm, rw, _PAGE_PRESENT | _PAGE_READ | _PAGE_WRITE, 0x300, 0) == 0);
	/* Linear-map addresses are bolted, never hashed on demand; no mm, no user page. */
	CHECK(hash_page_mm(mm, KSHIM_LINEAR_BASE, _PAGE_PRESENT | _PAGE_READ, 0x300, 0) == 1);
	CHECK(hash_page_mm(NULL, rw, _PAGE_PRESENT | _PAGE_READ, 0x300, 0) == 1);
	/* The harness's copro_flush_all_slbs() reaches cxl_slbia() with the mm. */
	ks_slbia_calls = 0;
	kshim_mm_flush_slbs(mm);
	CHECK(ks_slbia_calls == 1 && ks_slbia_mm == mm);
	kshim_mm_put(mm);
	return 0;
}

int ks_mm_uaccess_task(void *arg)
{
	struct ks_uaccess *u = arg;
	char src[64], dst[64], *rw = (char *)u->rw;
	void *kbuf = kmalloc(64, GFP_KERNEL);
	int i;

	u->result = -1;
	for (i = 0; i < 64; i++)
		src[i] = i + 1;
	/* No mm (a kernel thread): nothing is user memory. */
	CHECK(copy_to_user(rw, src, 64) == 64);
	current->mm = u->mm;
	CHECK(copy_to_user(rw, src, 64) == 0 && !memcmp(rw, src, 64));
	CHECK(copy_from_user(dst, rw, 64) == 0 && !memcmp(dst, src, 64));
	/* The touched pages are now present: hash_page_mm() needs no fault first. */
	CHECK(hash_page_mm(u->mm, u->rw, _PAGE_PRESENT | _PAGE_READ, 0x300, 0) == 0);
	/* Read-only: readable, never written. */
	CHECK(copy_to_user((void *)u->ro, src, 16) == 16);
	CHECK(copy_from_user(dst, (void *)u->ro, 16) == 0);
	/* Across the end of the mapping: the part inside is copied. */
	CHECK(copy_to_user(rw + 2 * PAGE_SIZE - 10, src, 30) == 20);
	CHECK(!memcmp(rw + 2 * PAGE_SIZE - 10, src, 10));
	memset(dst, 0x77, sizeof(dst));
	CHECK(copy_from_user(dst, rw + 2 * PAGE_SIZE - 8, 24) == 16);
	CHECK(!memcmp(dst, src + 2, 8) && !dst[8] && !dst[23] && dst[24] == 0x77);
	/* Kernel memory and wrapping ranges are not user memory. */
	CHECK(copy_to_user(kbuf, src, 64) == 64);
	CHECK(copy_from_user(dst, (void *)~0UL, 2) == 2);
	CHECK(copy_to_user(rw, src, 0) == 0);
	current->mm = NULL;
	kfree(kbuf);
	u->result = 0;
	return 0;
}

void *ks_kmalloc(unsigned long size)
{
	return kmalloc(size, GFP_KERNEL);
}

void ks_kfree(void *p)
{
	kfree(p);
}

unsigned long long ks_get_free_pages(unsigned int order)
{
	return __get_free_pages(GFP_KERNEL, order);
}

void ks_free_pages(unsigned long long addr, unsigned int order)
{
	free_pages(addr, order);
}

unsigned long long ks_virt_to_phys(void *p)
{
	return virt_to_phys(p);
}

unsigned long long ks_mfspr(int sprn)
{
	return mfspr(sprn);
}

int ks_region(unsigned long long ea)
{
	return get_region_id(ea);
}

unsigned long long ks_kernel_vsid(unsigned long long ea, int ssize)
{
	return get_kernel_vsid(ea, ssize);
}

int ks_psize(unsigned int bshift, unsigned int ashift, unsigned long long *sllp, int *penc)
{
	int b, a;

	for (b = 0; b < MMU_PAGE_COUNT && mmu_psize_defs[b].shift != bshift; b++)
		;
	for (a = 0; a < MMU_PAGE_COUNT && mmu_psize_defs[a].shift != ashift; a++)
		;
	if (b == MMU_PAGE_COUNT || a == MMU_PAGE_COUNT)
		return -ENOENT;
	*sllp = mmu_psize_defs[b].sllp;
	*penc = mmu_psize_defs[b].penc[a];
	return 0;
}

int ks_slb(void *mm, unsigned long long ea, unsigned long long *esid, unsigned long long *vsid)
{
	struct copro_slb slb = { 0, 0 };
	int ret = copro_calculate_slb(mm, ea, &slb);

	*esid = slb.esid;
	*vsid = slb.vsid;
	return ret;
}

unsigned long long ks_context_id(void *mm)
{
	return ((struct mm_struct *)mm)->context.id;
}

int ks_handle_fault(void *mm, unsigned long long ea, unsigned long long dsisr)
{
	vm_fault_t flt;

	return copro_handle_mm_fault(mm, ea, dsisr, &flt);
}

/* As cxl_handle_mm_fault() calls it, from the PSL's DSISR. */
int ks_hash(void *mm, unsigned long long ea, unsigned long long dsisr)
{
	unsigned long access = _PAGE_PRESENT | _PAGE_READ, flags = 0;

	if (dsisr & DSISR_ISSTORE)
		access |= _PAGE_WRITE;
	if (!mm && get_region_id(ea) != USER_REGION_ID)
		access |= _PAGE_PRIVILEGED;
	if (dsisr & DSISR_NOHPTE)
		flags |= HPTE_NOHPTE_UPDATE;
	return hash_page_mm(mm, ea, access, 0x300, flags);
}

/* The computation of cxl_alloc_sst() (drivers/misc/cxl/main.c), field for field. */
void *ks_alloc_sst(unsigned long long *sstp0, unsigned long long *sstp1)
{
	void *sst = (void *)get_zeroed_page(GFP_KERNEL);
	unsigned long vsid, ea_mask;

	if (!sst)
		return NULL;
	vsid = get_kernel_vsid((u64)sst, mmu_kernel_ssize) << 12;
	*sstp0 = (u64)mmu_kernel_ssize << 62;
	*sstp0 |= (SLB_VSID_KERNEL | mmu_psize_defs[mmu_linear_psize].sllp) << 50;
	*sstp0 |= ((PAGE_SIZE >> 8) - 1) << 32;
	ea_mask = mmu_kernel_ssize == MMU_SEGSIZE_256M ? 0xfffff00UL : 0xffffffff00UL;
	*sstp0 |= vsid >> (50 - 14);
	*sstp1 = (vsid << (64 - (50 - 14))) & ~ea_mask;
	*sstp1 |= (u64)sst & ea_mask;
	*sstp1 |= 1;
	return sst;
}

/* As cxl_load_segment(): primary group, same entry or the first free one. */
int ks_load_segment(void *sst, unsigned long long esid, unsigned long long vsid)
{
	unsigned int mask = (PAGE_SIZE >> 7) - 1, hash, i;
	__be64 *group;

	if (vsid & SLB_VSID_B_1T)
		hash = (esid >> SID_SHIFT_1T) & mask;
	else
		hash = (esid >> SID_SHIFT) & mask;
	group = (__be64 *)sst + hash * 16;
	for (i = 0; i < 8; i++) {
		if (!(be64_to_cpu(group[2 * i]) & SLB_ESID_V) ||
		    (group[2 * i] == cpu_to_be64(esid) && group[2 * i + 1] == cpu_to_be64(vsid))) {
			group[2 * i + 1] = cpu_to_be64(vsid);
			group[2 * i] = cpu_to_be64(esid);
			return 0;
		}
	}
	return -ENOSPC;
}
