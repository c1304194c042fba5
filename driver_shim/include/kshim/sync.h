/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Spinlocks, interrupt masking, mutexes and RCU.
 *
 * The runtime (driver_shim/kernel/sync.c, rcu.c) implements them for one
 * CPU without preemption: a spinlock is a checked flag (taking a held lock
 * is a deadlock, reported as a BUG), the irqsave variants mask interrupt
 * delivery, a mutex sleeps through the scheduler, and RCU callbacks run at
 * the next context switch.  Misuse (sleeping while atomic, double or
 * foreign unlock, unbalanced irqsave, lock-order inversions) is reported
 * with the call site the wrapper macros below record (kshim_at()).
 *
 * A lock's class, for the lock-order checks, is its name: the expression
 * given to spin_lock_init()/mutex_init()/DEFINE_*, as lockdep's class is
 * its initialisation site.
 */
#ifndef _KSHIM_SYNC_H
#define _KSHIM_SYNC_H

#include <kshim/types.h>
#include <kshim/kernel.h>
#include <kshim/list.h>

struct task_struct;

/* Runtime-owned fields; the driver only uses the API below. */
typedef struct spinlock {
	unsigned int locked;
	const char *name;
	struct task_struct *owner;	/* the holder, while locked */
	struct kshim_site taken;	/* where the holder took it */
	int cls;			/* lock-order class + 1; 0 until first taken */
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(lockname)	{ .locked = 0, .name = #lockname }
#define DEFINE_SPINLOCK(x)		spinlock_t x = __SPIN_LOCK_UNLOCKED(x)
#define spin_lock_init(lock)		kshim_spin_lock_init(lock, #lock)

static inline void kshim_spin_lock_init(spinlock_t *lock, const char *name)
{
	*lock = (spinlock_t){ .name = name };
}

void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
unsigned long kshim_spin_lock_irqsave(spinlock_t *lock);
void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags);

#define spin_lock(lock)		kshim_at(spin_lock(lock))
#define spin_unlock(lock)	kshim_at(spin_unlock(lock))
#define spin_lock_irqsave(lock, flags) \
	do { \
		typecheck(unsigned long, flags); \
		(flags) = kshim_at(kshim_spin_lock_irqsave(lock)); \
	} while (0)
#define spin_unlock_irqrestore(lock, flags) \
	kshim_at(spin_unlock_irqrestore(lock, flags))

/*
 * Local interrupt mask; an interrupt point when it returns to enabled.
 * The flags encode the nesting depth, so a restore out of order is caught.
 */
unsigned long arch_local_irq_save(void);
void arch_local_irq_restore(unsigned long flags);

#define local_irq_save(flags) \
	do { \
		typecheck(unsigned long, flags); \
		(flags) = kshim_at(arch_local_irq_save()); \
	} while (0)
#define local_irq_restore(flags)	kshim_at(arch_local_irq_restore(flags))

/* Sleeping lock; owner is NULL when free.  Unlock hands it to the oldest sleeper. */
struct mutex {
	struct task_struct *owner;
	struct list_head wait_list;
	const char *name;
	struct kshim_site taken;	/* where the owner took it */
	int cls;			/* as spinlock_t's */
};

#define __MUTEX_INITIALIZER(lockname) { \
	.owner = NULL, \
	.wait_list = LIST_HEAD_INIT((lockname).wait_list), \
	.name = #lockname }
#define DEFINE_MUTEX(m)		struct mutex m = __MUTEX_INITIALIZER(m)
#define mutex_init(m)		kshim_mutex_init(m, #m)

static inline void kshim_mutex_init(struct mutex *lock, const char *name)
{
	*lock = (struct mutex){ .name = name };
	INIT_LIST_HEAD(&lock->wait_list);
}

void mutex_lock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);

#define mutex_lock(lock)	kshim_at(mutex_lock(lock))
#define mutex_unlock(lock)	kshim_at(mutex_unlock(lock))

static inline bool mutex_is_locked(struct mutex *lock)
{
	return READ_ONCE(lock->owner) != NULL;
}

/* RCU: readers may not sleep; the runtime checks that. */
void rcu_read_lock(void);
void rcu_read_unlock(void);
void synchronize_rcu(void);
void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head));

#define rcu_read_lock()		kshim_at(rcu_read_lock())
#define rcu_read_unlock()	kshim_at(rcu_read_unlock())
#define synchronize_rcu()	kshim_at(synchronize_rcu())

#define rcu_dereference(p)		READ_ONCE(p)
#define rcu_assign_pointer(p, v)	smp_store_release(&(p), (v))
#define RCU_INIT_POINTER(p, v)		WRITE_ONCE(p, v)

#endif /* _KSHIM_SYNC_H */
