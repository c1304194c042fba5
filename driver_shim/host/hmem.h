/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shim's memory, between its two sides: the host side (hmem.c) maps
 * the fixed-address arenas and registers what the PSL may reach by DMA;
 * the kernel side (mem.c, mm.c, hash_mmu.c, cputable.c) allocates from
 * the arenas, keeps the processes' address spaces and the hashed page
 * table.  Builtin C types only, so that both sides can include it.
 *
 * Addresses are the same for the CPU and the card: the linear map and
 * user memory sit at their own host addresses, and a real address (RA)
 * is that host address (sim/host/mem.h).  Fixed addresses keep traces
 * independent of ASLR.  Both arenas lie above AddressSanitizer's shadow
 * and below its allocator and the usual mmap/PIE areas of x86-64.
 */
#ifndef KSHIM_HOST_HMEM_H
#define KSHIM_HOST_HMEM_H

/*
 * The kernel linear map: the hashed page table at its base, then the page
 * pool that kmalloc and the page allocator share.  It must stay within
 * one 1 TB segment (kernel segments are 1 TB) that nothing else uses:
 * get_region_id() calls that whole segment the linear map.
 */
#define KSHIM_LINEAR_BASE	0x200000000000ULL
#define KSHIM_LINEAR_SIZE	0x10000000ULL		/* 256 MiB */
#define KSHIM_HPT_SIZE		0x100000ULL		/* 1 MiB: 8192 PTEGs */

/* Where kshim_user_mmap() places the memory of simulated processes. */
#define KSHIM_USER_BASE		0x300000000000ULL
#define KSHIM_USER_SIZE		0x10000000000ULL	/* 1 TiB */

/* VMA permissions (the values of PROT_* and VM_READ/WRITE/EXEC). */
#define KSHIM_PROT_READ		0x1
#define KSHIM_PROT_WRITE	0x2
#define KSHIM_PROT_EXEC		0x4

/* ---- Host side (hmem.c) ---- */

/*
 * After world_init(): map (or zero again) the linear map at its fixed
 * address, register it in kshim_world.mem, forget the user window's
 * memory and boot the kernel side's memory (kshim_mem_boot()).  Every
 * pointer into the arenas from an earlier world becomes invalid.
 * 0 or -errno.
 */
int kshim_hmem_init(void);

/*
 * Fresh zeroed memory for a simulated process, at the next address of
 * the user window, registered as a VMA of @mm with @prot (the host can
 * always read and write it).  The address, or 0 on failure.
 */
unsigned long long kshim_user_mmap(void *mm, unsigned long long len, unsigned int prot);
/* Unmap what kshim_user_mmap() returned; 0 or -errno from kshim_mm_unmap(). */
int kshim_user_munmap(void *mm, unsigned long long addr, unsigned long long len);

/*
 * For mm.c: make [start, start + len) reachable by DMA, or no longer.
 * Counted: mms that map the same host range (libcxl's processes) share
 * one registration, removed with the last.  Outside the user window the
 * range is the program's own, guarded (mem_add_guarded()): a page it has
 * unmapped or protected since fails the DMA instead of crashing it.
 */
int kshim_hmem_add_user(unsigned long long start, unsigned long long len, int writable);
int kshim_hmem_remove_user(unsigned long long start);

/* ---- Kernel side ---- */

/* Reset the page pool, kmalloc, the HPT and the mm contexts (mem.c). */
void kshim_mem_boot(void);

/*
 * Address spaces (mm.c).  kshim_mm_new() returns a struct mm_struct with
 * one user reference, the owning process's, which kshim_mm_put() drops
 * (mmput) when the process exits; NULL when out of memory.
 */
void *kshim_mm_new(void);
void kshim_mm_put(void *mm);
/*
 * Register [start, start + len) (page aligned, host memory that stays
 * mapped) as a VMA of @mm with KSHIM_PROT_* bits, and make it reachable
 * by DMA.  -EINVAL for a bad range (or one in the linear map's segment),
 * -EEXIST for an overlap, -EBUSY while the mmap lock is read-held.
 */
int kshim_mm_map(void *mm, unsigned long long start, unsigned long long len,
		 unsigned int prot);
/*
 * Remove the VMA starting at @start: its HPTEs are invalidated and each
 * hashed page is sent to the card as a tlbie.  -ENOENT, -EBUSY.
 */
int kshim_mm_unmap(void *mm, unsigned long long start);
/* The harness's copro_flush_all_slbs(mm): cxl_slbia() on every context of mm (copro.c). */
void kshim_mm_flush_slbs(void *mm);

/* The PVR the CPU reports: a POWER8 family version (0x004B-0x004D); -EINVAL otherwise. */
int kshim_cpu_set_pvr(unsigned int pvr);

/* What the hash MMU did since kshim_mem_boot() (hash_mmu.c). */
struct kshim_mmu_stats {
	unsigned long long inserts;	/* HPTEs written into a free slot */
	unsigned long long secondary;	/* of which into the secondary PTEG */
	unsigned long long evictions;	/* valid non-bolted HPTEs cast out to make room */
	unsigned long long updates;	/* HPTEs whose PP/C were changed in place */
	unsigned long long invalidations;	/* HPTEs cleared by an unmap */
	unsigned long long tlbies;	/* kshim_card_tlbie() calls */
	unsigned long long last_tlbie_vpn;
};

void kshim_mmu_get_stats(struct kshim_mmu_stats *st);

/*
 * Provided by the co-simulation (cosim.c): a global tlbie, which the CAPP
 * snoops and forwards to every card's PSL (psl_xlate_tlbie()).  @vpn is
 * VA >> 12; @ssize 0 is 256 MB, 1 is 1 TB; page sizes are log2 values.
 * hash_mmu.c references it weakly: a link without cosim.c has no cards.
 */
void kshim_card_tlbie(unsigned int lpid, unsigned long long vpn, int ssize,
		      unsigned int bshift, unsigned int ashift);

/*
 * Provided by the libcxl co-simulation (driver_shim/user/mirror.c), whose
 * processes' VMAs mirror the host program's own mappings: @mm has no VMA
 * at @ea, so bring the mirror up to date (the program may have mapped it
 * since).  Returns 1 if any VMA changed.  Called with no mmap lock held,
 * from copy_*_user.  mm.c defines a weak stand-in that changes nothing,
 * for links without libcxl.
 */
int kshim_mm_miss(void *mm, unsigned long long ea);

/*
 * Provided by the libcxl co-simulation too: copro_handle_mm_fault() is
 * about to decide whether the card may make an access (a store if
 * @store) at @ea, which @mm's VMAs allow if @allowed.  The program may
 * have unmapped, mapped or protected memory since the mirror was read:
 * if the host's own answer differs, the mirror is read again.  Returns 1
 * if any VMA changed.  No mmap lock held; mm.c's weak stand-in does nothing.
 */
int kshim_mm_fault_check(void *mm, unsigned long long ea, int store, int allowed);

#endif
