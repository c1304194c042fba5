// SPDX-License-Identifier: GPL-2.0
/*
 * Host memory by real address: a sorted array of disjoint ranges, found
 * by binary search behind a one-entry cache of the last hit (the PSL
 * walks the same SPA, segment table or buffer many times in a row).
 */
#define pr_fmt(fmt) "mem: " fmt

#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "core/log.h"
#include "host/mem.h"

void mem_init(struct host_mem *mem)
{
	memset(mem, 0, sizeof(*mem));
}

void mem_exit(struct host_mem *mem)
{
	free(mem->ranges);
	memset(mem, 0, sizeof(*mem));
}

static bool range_holds(const struct mem_range *r, u64 ra, u64 len)
{
	return ra >= r->base && ra - r->base < r->len && len <= r->len - (ra - r->base);
}

/* Index of the first range whose base is above @ra. */
static u32 upper_bound(const struct host_mem *mem, u64 ra)
{
	u32 lo = 0, hi = mem->nr;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (mem->ranges[mid].base <= ra)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct mem_range *mem_find(struct host_mem *mem, u64 ra, u64 len)
{
	u32 i;

	if (mem->last < mem->nr && range_holds(&mem->ranges[mem->last], ra, len))
		return &mem->ranges[mem->last];
	i = upper_bound(mem, ra);
	if (!i || !range_holds(&mem->ranges[i - 1], ra, len))
		return NULL;
	mem->last = i - 1;
	return &mem->ranges[i - 1];
}

static int mem_grow(struct host_mem *mem)
{
	u32 cap = mem->cap ? mem->cap * 2 : 16;
	struct mem_range *r;

	r = realloc(mem->ranges, cap * sizeof(*r));
	if (!r)
		return -ENOMEM;
	mem->ranges = r;
	mem->cap = cap;
	return 0;
}

static int range_add(struct host_mem *mem, u64 ra, u64 len, const char *name, bool writable,
		     bool guarded)
{
	struct mem_range *r;
	u32 i;
	int ret;

	if (!len || ra + len < ra)
		return -EINVAL;
	i = upper_bound(mem, ra);
	/* Disjoint from the range below and the one above. */
	if (i && mem->ranges[i - 1].base + mem->ranges[i - 1].len > ra)
		return -EEXIST;
	if (i < mem->nr && mem->ranges[i].base < ra + len)
		return -EEXIST;
	if (mem->nr == mem->cap) {
		ret = mem_grow(mem);
		if (ret)
			return ret;
	}
	memmove(&mem->ranges[i + 1], &mem->ranges[i],
		(mem->nr - i) * sizeof(*mem->ranges));
	r = &mem->ranges[i];
	r->base = ra;
	r->len = len;
	r->writable = writable;
	r->guarded = guarded;
	snprintf(r->name, sizeof(r->name), "%s", name ? name : "?");
	mem->nr++;
	mem->last = i;
	pr_debug("range %s [0x%llx, +0x%llx) %s%s\n", r->name, (unsigned long long)ra,
		 (unsigned long long)len, writable ? "rw" : "ro", guarded ? ", guarded" : "");
	return 0;
}

int mem_add(struct host_mem *mem, u64 ra, u64 len, const char *name, bool writable)
{
	return range_add(mem, ra, len, name, writable, false);
}

int mem_add_guarded(struct host_mem *mem, u64 ra, u64 len, const char *name, bool writable)
{
	return range_add(mem, ra, len, name, writable, true);
}

int mem_remove(struct host_mem *mem, u64 ra)
{
	u32 i = upper_bound(mem, ra);

	if (!i || mem->ranges[i - 1].base != ra)
		return -ENOENT;
	i--;
	memmove(&mem->ranges[i], &mem->ranges[i + 1],
		(mem->nr - i - 1) * sizeof(*mem->ranges));
	mem->nr--;
	mem->last = 0;
	return 0;
}

/* Check an access; returns 0 (and the range in *@rp) or the error the caller reports. */
static int mem_check(struct host_mem *mem, u64 ra, u64 len, bool write,
		     const struct mem_range **rp)
{
	const struct mem_range *r = mem_find(mem, ra, len);

	if (!r) {
		mem->nr_faults++;
		pr_debug("no range holds [0x%llx, +0x%llx)\n",
			 (unsigned long long)ra, (unsigned long long)len);
		return -EFAULT;
	}
	if (write && !r->writable) {
		mem->nr_faults++;
		pr_debug("write to read-only range %s at 0x%llx\n", r->name,
			 (unsigned long long)ra);
		return -EACCES;
	}
	*rp = r;
	return 0;
}

/*
 * The host kernel copies for us, checking each page as it would a system
 * call's buffer: EFAULT instead of SIGSEGV (or SIGBUS past the end of a
 * file).  A line never spans two pages, so it is copied whole or not at
 * all.  -ENOSYS when the host forbids these calls.
 */
static int guarded_copy(struct host_mem *mem, const struct mem_range *r, u64 ra, void *buf,
			u64 len, bool write)
{
	struct iovec local = { .iov_base = buf, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)(uintptr_t)ra, .iov_len = len };
	ssize_t n;

	n = write ? process_vm_writev(getpid(), &local, 1, &remote, 1, 0) :
		    process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
	if (n == (ssize_t)len)
		return 0;
	if (n < 0 && (errno == ENOSYS || errno == EPERM)) {
		pr_warn("process_vm_%sv: %s: DMA to memory the program unmaps will crash\n",
			write ? "write" : "read", strerror(errno));
		return -ENOSYS;
	}
	mem->nr_faults++;
	mem->nr_guard_faults++;
	pr_warn("DMA %s of %llu bytes at 0x%llx (%s): the host page is gone or %s\n",
		write ? "write" : "read", (unsigned long long)len, (unsigned long long)ra,
		r->name, write ? "not writable" : "not readable");
	return -EFAULT;
}

static int mem_copy(struct host_mem *mem, u64 ra, void *buf, u64 len, bool write)
{
	const struct mem_range *r;
	int ret;

	if (!len)
		return 0;
	ret = mem_check(mem, ra, len, write, &r);
	if (ret)
		return ret;
	if (r->guarded && !mem->unguarded) {
		ret = guarded_copy(mem, r, ra, buf, len, write);
		if (ret != -ENOSYS)
			return ret;
		/* A sandbox (seccomp) forbids them: run unprotected rather than not at all. */
		mem->unguarded = true;
	}
	if (write)
		memcpy((void *)(uintptr_t)ra, buf, len);
	else
		memcpy(buf, (const void *)(uintptr_t)ra, len);
	return 0;
}

int mem_read(struct host_mem *mem, u64 ra, void *buf, u64 len)
{
	return mem_copy(mem, ra, buf, len, false);
}

int mem_write(struct host_mem *mem, u64 ra, const void *buf, u64 len)
{
	/* Only read from: process_vm_writev's local iovec is not const. */
	return mem_copy(mem, ra, (void *)buf, len, true);
}

int mem_read_be16(struct host_mem *mem, u64 ra, u16 *val)
{
	u16 be;
	int ret = mem_read(mem, ra, &be, sizeof(be));

	if (!ret)
		*val = be16toh(be);
	return ret;
}

int mem_read_be32(struct host_mem *mem, u64 ra, u32 *val)
{
	u32 be;
	int ret = mem_read(mem, ra, &be, sizeof(be));

	if (!ret)
		*val = be32toh(be);
	return ret;
}

int mem_read_be64(struct host_mem *mem, u64 ra, u64 *val)
{
	u64 be;
	int ret = mem_read(mem, ra, &be, sizeof(be));

	if (!ret)
		*val = be64toh(be);
	return ret;
}

int mem_write_be16(struct host_mem *mem, u64 ra, u16 val)
{
	u16 be = htobe16(val);

	return mem_write(mem, ra, &be, sizeof(be));
}

int mem_write_be32(struct host_mem *mem, u64 ra, u32 val)
{
	u32 be = htobe32(val);

	return mem_write(mem, ra, &be, sizeof(be));
}

int mem_write_be64(struct host_mem *mem, u64 ra, u64 val)
{
	u64 be = htobe64(val);

	return mem_write(mem, ra, &be, sizeof(be));
}
