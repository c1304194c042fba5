/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host memory by real address.  A simulated real address (RA) is a
 * pointer in this process; the models reach host memory only through
 * these calls, which check every access against the registered ranges,
 * so a bad RA becomes a data error the PSL reports, never a segfault.
 * A guarded range is memory the host program may unmap or protect behind
 * the simulator's back (its own heap, stack and mappings): its accesses
 * are made fault-safe as well.
 */
#ifndef CAPISIM_HOST_MEM_H
#define CAPISIM_HOST_MEM_H

#include "core/types.h"

#define MEM_NAME_LEN 32

struct mem_range {
	u64 base;			/* first RA */
	u64 len;			/* bytes, > 0; base + len does not wrap */
	char name[MEM_NAME_LEN];	/* for reports */
	bool writable;
	bool guarded;			/* may be unmapped or protected under us */
};

/*
 * The registered ranges, sorted by base and disjoint.  Single-threaded:
 * only the simulation thread may touch it (lookups update @last).
 */
struct host_mem {
	struct mem_range *ranges;
	u32 nr;
	u32 cap;
	u32 last;		/* index of the last range hit: a lookup cache */
	u64 nr_faults;		/* accesses refused: outside every range or read-only */
	u64 nr_guard_faults;	/* of which a guarded range's host page refused */
	bool unguarded;		/* process_vm_* refused: guarded ranges copied plainly */
};

static inline u64 mem_ra(const void *p)
{
	return (u64)(uintptr_t)p;
}

void mem_init(struct host_mem *mem);
void mem_exit(struct host_mem *mem);

/*
 * Register [ra, ra + len).  Returns 0, -EINVAL for an empty or wrapping
 * range, -EEXIST if it overlaps a registered one, -ENOMEM.
 */
int mem_add(struct host_mem *mem, u64 ra, u64 len, const char *name, bool writable);
/*
 * The same for a guarded range: each access is a copy the host kernel
 * makes (process_vm_readv/writev on our own pid, about 1 us for a line),
 * so a page gone or read-only fails the access with -EFAULT
 * and a warning naming the address, where a memcpy would kill the program.
 */
int mem_add_guarded(struct host_mem *mem, u64 ra, u64 len, const char *name, bool writable);

/* Unregister the range starting at @ra; -ENOENT if there is none. */
int mem_remove(struct host_mem *mem, u64 ra);

/* The range holding all of [ra, ra + len) (len >= 1), or NULL. */
const struct mem_range *mem_find(struct host_mem *mem, u64 ra, u64 len);

/*
 * Copy between host memory and @buf.  Returns 0, or -EFAULT when
 * [ra, ra + len) is not inside one registered range, -EACCES when
 * writing a read-only one; nothing is copied then.  In a guarded range,
 * also -EFAULT when a host page of it is gone or refuses the access; a
 * write failing so may have stored the bytes before that page.  len 0
 * always succeeds.
 */
int mem_read(struct host_mem *mem, u64 ra, void *buf, u64 len);
int mem_write(struct host_mem *mem, u64 ra, const void *buf, u64 len);

/* Big-endian accessors, as the PSL sees the SPA, STEs and HPTEs. */
int mem_read_be16(struct host_mem *mem, u64 ra, u16 *val);
int mem_read_be32(struct host_mem *mem, u64 ra, u32 *val);
int mem_read_be64(struct host_mem *mem, u64 ra, u64 *val);
int mem_write_be16(struct host_mem *mem, u64 ra, u16 val);
int mem_write_be32(struct host_mem *mem, u64 ra, u32 val);
int mem_write_be64(struct host_mem *mem, u64 ra, u64 val);

#endif
