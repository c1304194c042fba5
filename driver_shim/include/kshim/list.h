/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lists, atomics, barriers, bit operations, bitmaps, cpumasks and the idr.
 *
 * The co-simulation runs one kernel context at a time, but the atomics are
 * real (GCC __atomic builtins) so that their ordering never depends on it.
 */
#ifndef _KSHIM_LIST_H
#define _KSHIM_LIST_H

#include <kshim/types.h>
#include <kshim/kernel.h>

/* Circular doubly linked lists with a sentinel head. */

/* Values stored in a deleted entry's pointers, so that stale use faults. */
#define LIST_POISON1	((void *)0x100)
#define LIST_POISON2	((void *)0x200)

#define LIST_HEAD_INIT(name)	{ &(name), &(name) }
#define LIST_HEAD(name)		struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *list)
{
	WRITE_ONCE(list->next, list);
	list->prev = list;
}

static inline void __list_link(struct list_head *entry, struct list_head *prev,
			       struct list_head *next)
{
	next->prev = entry;
	entry->next = next;
	entry->prev = prev;
	WRITE_ONCE(prev->next, entry);
}

/* Insert entry right after head (stack order). */
static inline void list_add(struct list_head *entry, struct list_head *head)
{
	__list_link(entry, head, head->next);
}

/* Insert entry right before head (queue order). */
static inline void list_add_tail(struct list_head *entry, struct list_head *head)
{
	__list_link(entry, head->prev, head);
}

static inline void __list_unlink(struct list_head *entry)
{
	entry->next->prev = entry->prev;
	WRITE_ONCE(entry->prev->next, entry->next);
}

static inline void list_del(struct list_head *entry)
{
	__list_unlink(entry);
	entry->next = LIST_POISON1;
	entry->prev = LIST_POISON2;
}

static inline void list_del_init(struct list_head *entry)
{
	__list_unlink(entry);
	INIT_LIST_HEAD(entry);
}

static inline bool list_empty(const struct list_head *head)
{
	return READ_ONCE(head->next) == head;
}

#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_first_entry(head, type, member) \
	list_entry((head)->next, type, member)
#define list_next_entry(pos, member) \
	list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_entry_is_head(pos, head, member)	(&(pos)->member == (head))

#define list_for_each(pos, head) \
	for (pos = (head)->next; pos != (head); pos = pos->next)
#define list_for_each_entry(pos, head, member) \
	for (pos = list_first_entry(head, __typeof__(*pos), member); \
	     !list_entry_is_head(pos, head, member); \
	     pos = list_next_entry(pos, member))
/* Safe against removal of pos: n holds the next entry. */
#define list_for_each_entry_safe(pos, n, head, member) \
	for (pos = list_first_entry(head, __typeof__(*pos), member), \
	     n = list_next_entry(pos, member); \
	     !list_entry_is_head(pos, head, member); \
	     pos = n, n = list_next_entry(n, member))

/* Barriers: full fences, never weaker than the kernel's; cost is irrelevant. */
#define mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define rmb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define wmb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_mb()	mb()
#define smp_rmb()	rmb()
#define smp_wmb()	wmb()
#define smp_store_release(p, v)	__atomic_store_n(p, v, __ATOMIC_RELEASE)
#define smp_load_acquire(p)	__atomic_load_n(p, __ATOMIC_ACQUIRE)

/*
 * Atomics with kernel ordering: plain read/set and void RMW operations are
 * relaxed; value-returning RMW operations are fully ordered.
 */
#define ATOMIC_INIT(i)		{ (i) }

static inline int atomic_read(const atomic_t *v)
{
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
}

static inline void atomic_set(atomic_t *v, int i)
{
	__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);
}

static inline void atomic_add(int i, atomic_t *v)
{
	__atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED);
}

static inline void atomic_sub(int i, atomic_t *v)
{
	__atomic_fetch_sub(&v->counter, i, __ATOMIC_RELAXED);
}

#define atomic_inc(v)	atomic_add(1, v)
#define atomic_dec(v)	atomic_sub(1, v)

static inline int atomic_add_return(int i, atomic_t *v)
{
	return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST);
}

#define atomic_inc_return(v)	atomic_add_return(1, v)
#define atomic_dec_return(v)	atomic_add_return(-1, v)
#define atomic_dec_and_test(v)	(atomic_dec_return(v) == 0)

/* Stores new if *v == old; returns the value found. */
static inline int atomic_cmpxchg(atomic_t *v, int old, int new)
{
	__atomic_compare_exchange_n(&v->counter, &old, new, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return old;
}

/* Adds a unless *v == u; true if it added. */
static inline bool atomic_add_unless(atomic_t *v, int a, int u)
{
	int c = atomic_read(v);

	do {
		if (c == u)
			return false;
	} while (!__atomic_compare_exchange_n(&v->counter, &c, c + a, false,
					      __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
	return true;
}

#define atomic_inc_not_zero(v)	atomic_add_unless(v, 1, 0)

/* Increments unless negative; true if it incremented. */
static inline bool atomic_inc_unless_negative(atomic_t *v)
{
	int c = atomic_read(v);

	do {
		if (c < 0)
			return false;
	} while (!__atomic_compare_exchange_n(&v->counter, &c, c + 1, false,
					      __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
	return true;
}

/* Decrements only if the result stays >= 0; returns old value - 1 anyway. */
static inline int atomic_dec_if_positive(atomic_t *v)
{
	int c = atomic_read(v);

	do {
		if (c <= 0)
			return c - 1;
	} while (!__atomic_compare_exchange_n(&v->counter, &c, c - 1, false,
					      __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
	return c - 1;
}

static inline long atomic_long_read(const atomic_long_t *v)
{
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
}

static inline void atomic_long_set(atomic_long_t *v, long i)
{
	__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);
}

/* Bit operations on arrays of unsigned long; set/clear are atomic. */
#define BITS_PER_LONG		64
#define BIT(nr)			(1UL << (nr))
#define BIT_ULL(nr)		(1ULL << (nr))
#define BIT_MASK(nr)		(1UL << ((nr) % BITS_PER_LONG))
#define BIT_WORD(nr)		((nr) / BITS_PER_LONG)
#define BITS_TO_LONGS(nr)	DIV_ROUND_UP(nr, BITS_PER_LONG)
#define DECLARE_BITMAP(name, bits)	unsigned long name[BITS_TO_LONGS(bits)]

static inline void set_bit(long nr, volatile unsigned long *addr)
{
	__atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_RELAXED);
}

static inline void clear_bit(long nr, volatile unsigned long *addr)
{
	__atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT_MASK(nr), __ATOMIC_RELAXED);
}

static inline bool test_bit(long nr, const volatile unsigned long *addr)
{
	return (READ_ONCE(addr[BIT_WORD(nr)]) & BIT_MASK(nr)) != 0;
}

/* Mask of the valid bits in the last word of an nbits bitmap. */
#define BITMAP_LAST_WORD_MASK(nbits)	(~0UL >> (-(nbits) & (BITS_PER_LONG - 1)))

/* Index of the first set bit, or size if none. */
static inline unsigned long find_first_bit(const unsigned long *addr,
					   unsigned long size)
{
	unsigned long i, word;

	for (i = 0; i * BITS_PER_LONG < size; i++) {
		word = addr[i];
		if (word) {
			i = i * BITS_PER_LONG + __builtin_ctzl(word);
			return i < size ? i : size;
		}
	}
	return size;
}

static inline bool bitmap_empty(const unsigned long *src, unsigned int nbits)
{
	unsigned int i, full = nbits / BITS_PER_LONG;

	for (i = 0; i < full; i++)
		if (src[i])
			return false;
	if (nbits % BITS_PER_LONG)
		return !(src[full] & BITMAP_LAST_WORD_MASK(nbits));
	return true;
}

/*
 * CPU masks.  The shim models a uniprocessor (as a !CONFIG_SMP kernel):
 * one CPU, number 0.
 */
#define NR_CPUS			1
#define smp_processor_id()	0

struct cpumask {
	DECLARE_BITMAP(bits, NR_CPUS);
};
typedef struct cpumask cpumask_t;

static inline bool cpumask_test_cpu(int cpu, const struct cpumask *mask)
{
	return test_bit(cpu, mask->bits);
}

static inline void cpumask_set_cpu(unsigned int cpu, struct cpumask *mask)
{
	set_bit(cpu, mask->bits);
}

/*
 * ID allocator: maps small integers to pointers.  The slot array belongs
 * to the runtime (driver_shim/kernel/idr.c); callers serialise access to
 * one idr with their own lock, as in the kernel.
 */
struct idr {
	void **idr_slots;
	unsigned int idr_nslots;
};

#define IDR_INIT(name)		{ .idr_slots = NULL, .idr_nslots = 0 }
#define DEFINE_IDR(name)	struct idr name = IDR_INIT(name)

static inline void idr_init(struct idr *idr)
{
	idr->idr_slots = NULL;
	idr->idr_nslots = 0;
}

/* Lowest free id in [start, end) (end <= 0: no limit), or -ENOSPC/-ENOMEM. */
int idr_alloc(struct idr *idr, void *ptr, int start, int end, gfp_t gfp);
void *idr_find(const struct idr *idr, unsigned long id);
void *idr_remove(struct idr *idr, unsigned long id);
/* First entry with id >= *nextid; stores its id in *nextid. */
void *idr_get_next(struct idr *idr, int *nextid);
bool idr_is_empty(const struct idr *idr);
void idr_destroy(struct idr *idr);

/* Preloading only matters with preemption; the shim never preempts. */
static inline void idr_preload(gfp_t gfp)
{
}

static inline void idr_preload_end(void)
{
}

#define idr_for_each_entry(idr, entry, id) \
	for ((id) = 0; ((entry) = idr_get_next(idr, &(id))) != NULL; (id)++)

#endif /* _KSHIM_LIST_H */
