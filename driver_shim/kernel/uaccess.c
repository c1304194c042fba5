// SPDX-License-Identifier: GPL-2.0
/*
 * copy_to_user and copy_from_user.  User memory is host memory, so a copy
 * is a memcpy once the range is checked against current's VMAs: it
 * copies the accessible prefix and returns the number of bytes it could
 * not copy, which is how the driver's -EFAULT paths are reached.  The
 * pages touched are faulted in (made present, dirty for a store) as a
 * real CPU access would.
 */
#define pr_fmt(fmt) "kshim-uaccess: " fmt

#include "kmm.h"

/* Bytes from uaddr on that current's mm lets the kernel read (or write). */
static unsigned long user_access(unsigned long uaddr, unsigned long n, bool store)
{
	struct task_struct *task = current;
	struct mm_struct *mm = task ? task->mm : NULL;
	unsigned long ea = uaddr, end = uaddr + n, page;
	unsigned long need = store ? VM_WRITE : VM_READ;
	struct vm_area_struct *vma;

	if (!mm || end < uaddr || end > KMM_TASK_SIZE)
		return 0;
	kmm_vma_refresh(mm, uaddr, end);
	mmap_read_lock(mm);
	while (ea < end) {
		vma = find_vma(mm, ea);
		if (!vma || vma->vm_start > ea || !(vma->vm_flags & need))
			break;
		for (page = ea & PAGE_MASK; page < min(vma->vm_end, end); page += PAGE_SIZE)
			if (kmm_fault(vma, page, store))
				goto out;
		ea = min(vma->vm_end, end);
	}
out:
	mmap_read_unlock(mm);
	return min(ea, end) - uaddr;
}

unsigned long copy_to_user(void __user *to, const void *from, unsigned long n)
{
	unsigned long ok = user_access((unsigned long)to, n, true);

	memcpy(to, from, ok);
	return n - ok;
}

unsigned long copy_from_user(void *to, const void __user *from, unsigned long n)
{
	unsigned long ok = user_access((unsigned long)from, n, false);

	memcpy(to, from, ok);
	memset((char *)to + ok, 0, n - ok);
	return n - ok;
}
