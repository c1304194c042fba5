// SPDX-License-Identifier: GPL-2.0
/*
 * The shim's fixed-address arenas: the kernel linear map, mapped once per
 * process and zeroed again for every world, and the user window, where
 * simulated processes get their memory.  Both are registered with the
 * world's host memory so that the PSL can reach them by DMA.
 */
#define pr_fmt(fmt) "kshim-hmem: " fmt

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/log.h"
#include "hmem.h"
#include "world.h"

#define HMEM_PAGE	4096ULL

/* A DMA range of user memory, and how many VMAs (of any mm) register it. */
struct hmem_user {
	unsigned long long start;
	unsigned long long len;
	unsigned int refs;
};

/*
 * What this process has mapped at the fixed addresses, and the user
 * ranges registered in the world's host memory.  The mappings outlive
 * worlds, the ranges are forgotten with each; only the simulation thread
 * touches any of it.
 */
static struct {
	bool linear_mapped;
	unsigned long long user_next;	/* next free address of the user window */
	struct hmem_user *users;	/* nr_users of cap_users in use, unsorted */
	unsigned int nr_users;
	unsigned int cap_users;
} hmem;

/* Anonymous read/write memory exactly at @addr; @replace for our own mapping. */
static int map_fixed(unsigned long long addr, unsigned long long len, bool replace)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
		    (replace ? MAP_FIXED : MAP_FIXED_NOREPLACE);
	void *p = mmap((void *)(uintptr_t)addr, len, PROT_READ | PROT_WRITE, flags, -1, 0);

	if (p == MAP_FAILED)
		return -errno;
	if (p != (void *)(uintptr_t)addr) {
		/* A kernel without MAP_FIXED_NOREPLACE took it as a hint. */
		munmap(p, len);
		return -EEXIST;
	}
	return 0;
}

int kshim_hmem_init(void)
{
	int ret;

	ret = map_fixed(KSHIM_LINEAR_BASE, KSHIM_LINEAR_SIZE, hmem.linear_mapped);
	if (ret) {
		pr_err("cannot map the linear map at %#llx: %s", KSHIM_LINEAR_BASE, strerror(-ret));
		return ret;
	}
	hmem.linear_mapped = true;
	if (hmem.user_next > KSHIM_USER_BASE)
		munmap((void *)(uintptr_t)KSHIM_USER_BASE, hmem.user_next - KSHIM_USER_BASE);
	hmem.user_next = KSHIM_USER_BASE;
	hmem.nr_users = 0;
	ret = mem_add(&kshim_world.mem, KSHIM_LINEAR_BASE, KSHIM_LINEAR_SIZE, "linear-map", true);
	if (ret) {
		pr_err("cannot register the linear map: %s", strerror(-ret));
		return ret;
	}
	kshim_mem_boot();
	return 0;
}

unsigned long long kshim_user_mmap(void *mm, unsigned long long len, unsigned int prot)
{
	unsigned long long addr = hmem.user_next;
	int ret;

	len = (len + HMEM_PAGE - 1) & ~(HMEM_PAGE - 1);
	if (!len || len > KSHIM_USER_BASE + KSHIM_USER_SIZE - addr)
		return 0;
	ret = map_fixed(addr, len, false);
	if (!ret) {
		ret = kshim_mm_map(mm, addr, len, prot);
		if (ret)
			munmap((void *)(uintptr_t)addr, len);
	}
	if (ret) {
		pr_err("user mapping of %#llx bytes at %#llx: %s", len, addr, strerror(-ret));
		return 0;
	}
	/* A guard page between mappings, so overruns do not land in a neighbour. */
	hmem.user_next = addr + len + HMEM_PAGE;
	return addr;
}

int kshim_user_munmap(void *mm, unsigned long long addr, unsigned long long len)
{
	int ret = kshim_mm_unmap(mm, addr);

	if (!ret)
		munmap((void *)(uintptr_t)addr, len);
	return ret;
}

static struct hmem_user *user_find(unsigned long long start)
{
	unsigned int i;

	for (i = 0; i < hmem.nr_users; i++)
		if (hmem.users[i].start == start)
			return &hmem.users[i];
	return NULL;
}

/* Memory of ours, which only kshim_user_munmap() unmaps, after its VMA. */
static bool in_user_window(unsigned long long start, unsigned long long len)
{
	unsigned long long off = start - KSHIM_USER_BASE;

	return start >= KSHIM_USER_BASE && off < KSHIM_USER_SIZE && len <= KSHIM_USER_SIZE - off;
}

/*
 * Several address spaces may map the same host memory (the libcxl
 * processes all mirror one program): the range is registered once, for
 * as long as one VMA maps it.  The program's own memory is guarded: it
 * may unmap or protect it before the mirror notices, with pages still
 * hashed, and the PSL's DMA must then fail rather than crash it.
 */
int kshim_hmem_add_user(unsigned long long start, unsigned long long len, int writable)
{
	struct hmem_user *u = user_find(start);
	int ret;

	if (u && u->len == len) {
		u->refs++;
		return 0;
	}
	if (hmem.nr_users == hmem.cap_users) {
		unsigned int cap = hmem.cap_users ? 2 * hmem.cap_users : 64;

		u = realloc(hmem.users, cap * sizeof(*u));
		if (!u)
			return -ENOMEM;
		hmem.users = u;
		hmem.cap_users = cap;
	}
	if (in_user_window(start, len))
		ret = mem_add(&kshim_world.mem, start, len, "user", writable);
	else
		ret = mem_add_guarded(&kshim_world.mem, start, len, "program", writable);
	if (ret)
		return ret;
	hmem.users[hmem.nr_users++] = (struct hmem_user){ start, len, 1 };
	return 0;
}

int kshim_hmem_remove_user(unsigned long long start)
{
	struct hmem_user *u = user_find(start);

	if (!u)
		return -ENOENT;
	if (--u->refs)
		return 0;
	*u = hmem.users[--hmem.nr_users];
	return mem_remove(&kshim_world.mem, start);
}
