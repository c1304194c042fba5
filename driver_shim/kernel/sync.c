// SPDX-License-Identifier: GPL-2.0
/*
 * Spinlocks, the interrupt mask and mutexes, for one CPU without
 * preemption, checked as lockdep would check them (docs/shim-sched.md).
 *
 * A spinlock is a flag: with one CPU and no preemption, finding it taken
 * means its holder can never run to release it, so that is a deadlock and
 * a BUG.  local_irq_save() masks interrupt delivery for the running task;
 * the flags it returns encode the nesting depth, so that a restore out of
 * order is caught.  A contended mutex puts its taker to sleep; unlock hands
 * it to the oldest sleeper.  Every lock taken while others are held adds an
 * edge to a graph of lock classes (lock names), and an edge that closes a
 * cycle is a lock-order inversion.
 */
#define pr_fmt(fmt) "kshim-sync: " fmt

#include "ksched.h"

#define MAX_CLASSES		128
#define MAX_EDGES		1024
#define IRQ_FLAGS_MAGIC		0x5a5a0000UL
#define IRQ_FLAGS_DEPTH		0x0000ffffUL

/* An edge of the lock-order graph: @to was taken while @from was held. */
struct lock_edge {
	int from, to;
	int next;			/* the next edge from @from, -1 at the end */
	struct kshim_site site;		/* where @to was taken */
	char task[TASK_COMM_LEN];	/* by whom */
};

/*
 * The lock-order graph.  Classes are lock names, numbered as first seen;
 * edges are kept as per-class lists and as a bit matrix for the
 * "already known" test.  Touched only by code on the simulated CPU; reset
 * by kshim_locks_reset().
 */
static const char *class_names[MAX_CLASSES];
static int nr_classes;
static int first_edge[MAX_CLASSES];
static unsigned long edge_bits[MAX_CLASSES][BITS_TO_LONGS(MAX_CLASSES)];
static struct lock_edge edges[MAX_EDGES];
static int nr_edges;
static bool graph_full;			/* said once that it overflowed */
static bool held_full;			/* said once that a task's held[] overflowed */

struct mutex_waiter {
	struct list_head list;		/* on the mutex's wait_list */
	struct kshim_task *task;
};

void kshim_locks_reset(void)
{
	nr_classes = 0;
	nr_edges = 0;
	memset(edge_bits, 0, sizeof(edge_bits));
	graph_full = false;
	held_full = false;
}

static void graph_overflow(int limit, const char *what)
{
	if (graph_full)
		return;
	graph_full = true;
	pr_warn("more than %d %s: lock order is no longer checked for new ones\n", limit, what);
}

/* The class of a lock named @name; *@cache remembers it in the lock. */
static int lock_class(const char *name, int *cache)
{
	int i = *cache - 1;

	if (i >= 0 && i < nr_classes && !strcmp(class_names[i], name))
		return i;
	for (i = 0; i < nr_classes; i++)
		if (!strcmp(class_names[i], name))
			break;
	if (i == nr_classes) {
		if (nr_classes == MAX_CLASSES) {
			graph_overflow(MAX_CLASSES, "lock classes");
			return -1;
		}
		class_names[nr_classes++] = name;
		first_edge[i] = -1;
	}
	*cache = i + 1;
	return i;
}

/* Breadth first: on success via[c] is the edge that reached class c. */
static bool find_path(int from, int to, int *via)
{
	bool seen[MAX_CLASSES] = { false };
	int queue[MAX_CLASSES];
	int head = 0, tail = 0;

	queue[tail++] = from;
	seen[from] = true;
	while (head < tail) {
		int c = queue[head++], e;

		for (e = first_edge[c]; e >= 0; e = edges[e].next) {
			int n = edges[e].to;

			if (seen[n])
				continue;
			seen[n] = true;
			via[n] = e;
			if (n == to)
				return true;
			queue[tail++] = n;
		}
	}
	return false;
}

static void add_edge(int from, int to, struct kshim_site site, const char *task)
{
	struct lock_edge *e;

	if (nr_edges == MAX_EDGES) {
		graph_overflow(MAX_EDGES, "lock-order edges");
		return;
	}
	e = &edges[nr_edges];
	*e = (struct lock_edge){ .from = from, .to = to, .next = first_edge[from], .site = site };
	snprintf(e->task, sizeof(e->task), "%s", task);
	first_edge[from] = nr_edges++;
	set_bit(to, edge_bits[from]);
}

/* @h is held and @cls (@name) is being taken, but a path @cls -> @h exists. */
static void report_inversion(const struct kshim_held *h, int cls, const char *name,
			     struct kshim_site site, const int *via)
{
	int chain[MAX_CLASSES], len = 0, c;
	char path[512], buf[128];
	size_t n = 0;

	for (c = h->cls; c != cls; c = edges[via[c]].from)
		chain[len++] = via[c];
	while (len--) {
		const struct lock_edge *e = &edges[chain[len]];

		n += scnprintf(path + n, sizeof(path) - n, "%s%s then %s at %s (%s)",
			       n ? ", " : "", class_names[e->from], class_names[e->to],
			       kshim_site_str(e->site, buf, sizeof(buf)), e->task);
	}
	kshim_report(KSHIM_CHECK_LOCK_ORDER, site,
		     "lock order inversion: %s taken while holding %s (taken at %s); earlier: %s",
		     name, h->name, kshim_site_str(h->site, buf, sizeof(buf)), path);
}

static void order_check(struct kshim_task *kt, const struct kshim_held *h, int cls,
			const char *name, struct kshim_site site)
{
	int via[MAX_CLASSES];

	if (h->cls < 0 || h->cls == cls || test_bit(cls, edge_bits[h->cls]))
		return;
	if (find_path(cls, h->cls, via))
		report_inversion(h, cls, name, site, via);
	add_edge(h->cls, cls, site, kt->ts.comm);
}

/*
 * The running task takes @lock: check the order against the locks it
 * holds in the same context (an interrupt handler starts afresh, as in
 * lockdep), then remember it.
 */
static void held_push(const void *lock, const char *name, int *cache, bool mutex,
		      struct kshim_site site)
{
	struct kshim_task *kt = kshim_cur();
	int cls = lock_class(name, cache);
	unsigned int i;

	if (cls >= 0)
		for (i = kt->irq_held_base; i < kt->nr_held; i++)
			order_check(kt, &kt->held[i], cls, name, site);
	if (kt->nr_held == KSHIM_MAX_HELD) {
		if (!held_full)
			pr_warn("%s holds more than %d locks: %s is not tracked\n",
				kt->ts.comm, KSHIM_MAX_HELD, name);
		held_full = true;
		return;
	}
	kt->held[kt->nr_held++] = (struct kshim_held){
		.lock = lock, .name = name, .cls = cls, .mutex = mutex, .site = site,
	};
}

static void held_pop(const void *lock)
{
	struct kshim_task *kt = kshim_cur();
	unsigned int i;

	for (i = kt->nr_held; i-- > 0;) {
		if (kt->held[i].lock != lock)
			continue;
		memmove(&kt->held[i], &kt->held[i + 1],
			(kt->nr_held - i - 1) * sizeof(kt->held[0]));
		kt->nr_held--;
		if (i < kt->irq_held_base)
			kt->irq_held_base--;
		return;
	}
}

static void spin_acquire(spinlock_t *lock, struct kshim_site site)
{
	struct kshim_task *kt = kshim_cur();
	char buf[128];

	if (lock->locked)
		kshim_die(site, "spin_lock(%s): %s: held by %s since %s", lock->name,
			  lock->owner == &kt->ts ? "recursion" : "deadlock", lock->owner->comm,
			  kshim_site_str(lock->taken, buf, sizeof(buf)));
	held_push(lock, lock->name, &lock->cls, false, site);
	lock->locked = 1;
	lock->owner = &kt->ts;
	lock->taken = site;
}

/* A foreign unlock leaves the lock to its holder, so only one report is made. */
static void spin_release(spinlock_t *lock, struct kshim_site site)
{
	char buf[128];

	if (!lock->locked) {
		kshim_report(KSHIM_CHECK_DOUBLE_UNLOCK, site, "spin_unlock(%s): not locked",
			     lock->name);
		return;
	}
	if (lock->owner != current) {
		kshim_report(KSHIM_CHECK_FOREIGN_UNLOCK, site,
			     "spin_unlock(%s): held by %s since %s", lock->name, lock->owner->comm,
			     kshim_site_str(lock->taken, buf, sizeof(buf)));
		return;
	}
	held_pop(lock);
	lock->locked = 0;
	lock->owner = NULL;
}

unsigned long arch_local_irq_save(void)
{
	return IRQ_FLAGS_MAGIC | kshim_cur()->irq_off++;
}

/* Restore the depth the flags recorded; enabling again is an interrupt point. */
static void irq_restore(unsigned long flags, struct kshim_site site)
{
	struct kshim_task *kt = kshim_cur();
	unsigned int depth = flags & IRQ_FLAGS_DEPTH;

	if ((flags & ~IRQ_FLAGS_DEPTH) != IRQ_FLAGS_MAGIC) {
		kshim_report(KSHIM_CHECK_IRQ_UNBALANCED, site,
			     "local_irq_restore(%#lx): not flags from local_irq_save()", flags);
		depth = kt->irq_off ? kt->irq_off - 1 : 0;
	} else if (depth + 1 != kt->irq_off) {
		kshim_report(KSHIM_CHECK_IRQ_UNBALANCED, site,
			     "local_irq_restore() to the state of save %u while %u saves are open",
			     depth + 1, kt->irq_off);
	}
	kt->irq_off = depth;
	if (!depth)
		kshim_irq_point();
}

void arch_local_irq_restore(unsigned long flags)
{
	irq_restore(flags, kshim_site);
}

void (spin_lock)(spinlock_t *lock)
{
	spin_acquire(lock, kshim_site);
}

void (spin_unlock)(spinlock_t *lock)
{
	spin_release(lock, kshim_site);
}

unsigned long kshim_spin_lock_irqsave(spinlock_t *lock)
{
	struct kshim_site site = kshim_site;
	unsigned long flags = arch_local_irq_save();

	spin_acquire(lock, site);
	return flags;
}

void (spin_unlock_irqrestore)(spinlock_t *lock, unsigned long flags)
{
	struct kshim_site site = kshim_site;

	spin_release(lock, site);
	irq_restore(flags, site);
}

void (mutex_lock)(struct mutex *lock)
{
	struct kshim_site site = kshim_site;
	struct kshim_task *kt = kshim_cur();
	struct mutex_waiter w = { .task = kt };
	char buf[128];

	kshim_might_sleep("mutex_lock", site);
	if (lock->owner == &kt->ts)
		kshim_die(site, "mutex_lock(%s): recursion: taken at %s", lock->name,
			  kshim_site_str(lock->taken, buf, sizeof(buf)));
	held_push(lock, lock->name, &lock->cls, true, site);
	if (!lock->owner) {
		lock->owner = &kt->ts;
	} else {
		list_add_tail(&w.list, &lock->wait_list);
		while (READ_ONCE(lock->owner) != &kt->ts) {
			kshim_prepare(TASK_UNINTERRUPTIBLE, "mutex %s held by %s (taken at %s)",
				      lock->name, lock->owner->comm,
				      kshim_site_str(lock->taken, buf, sizeof(buf)));
			kshim_sleep(KSHIM_TIME_NEVER);
			kshim_finish();
		}
	}
	lock->taken = site;
}

/* The owner lets go: the oldest sleeper, if any, owns it from now on. */
static void mutex_release(struct mutex *lock)
{
	struct mutex_waiter *w;

	if (list_empty(&lock->wait_list)) {
		lock->owner = NULL;
		return;
	}
	w = list_first_entry(&lock->wait_list, struct mutex_waiter, list);
	list_del_init(&w->list);
	lock->owner = &w->task->ts;
	kshim_wake(w->task, TASK_UNINTERRUPTIBLE);
}

void (mutex_unlock)(struct mutex *lock)
{
	struct kshim_site site = kshim_site;
	char buf[128];

	if (!lock->owner) {
		kshim_report(KSHIM_CHECK_DOUBLE_UNLOCK, site, "mutex_unlock(%s): not locked",
			     lock->name);
		return;
	}
	if (lock->owner != current) {
		kshim_report(KSHIM_CHECK_FOREIGN_UNLOCK, site,
			     "mutex_unlock(%s): held by %s since %s", lock->name, lock->owner->comm,
			     kshim_site_str(lock->taken, buf, sizeof(buf)));
		return;
	}
	held_pop(lock);
	mutex_release(lock);
}

void kshim_release_held(unsigned int base, unsigned int irq_off, unsigned int rcu_depth,
			const char *who)
{
	struct kshim_task *kt = kshim_cur();

	while (kt->nr_held > base) {
		struct kshim_held h = kt->held[--kt->nr_held];

		kshim_report(KSHIM_CHECK_EXIT_HELD, h.site,
			     "%s returned holding %s %s, taken here (released now)", who,
			     h.mutex ? "mutex" : "spinlock", h.name);
		if (h.mutex) {
			mutex_release((struct mutex *)h.lock);
		} else {
			spinlock_t *lock = (spinlock_t *)h.lock;

			lock->locked = 0;
			lock->owner = NULL;
		}
	}
	if (kt->irq_off != irq_off) {
		kshim_report(KSHIM_CHECK_EXIT_HELD, (struct kshim_site){ NULL, 0 },
			     "%s returned with %u interrupt saves open (%u expected)", who,
			     kt->irq_off, irq_off);
		kt->irq_off = irq_off;
	}
	if (kt->rcu_depth != rcu_depth) {
		kshim_report(KSHIM_CHECK_EXIT_HELD, (struct kshim_site){ NULL, 0 },
			     "%s returned at rcu_read_lock() depth %u (%u expected)", who,
			     kt->rcu_depth, rcu_depth);
		kt->rcu_depth = rcu_depth;
	}
}
