// SPDX-License-Identifier: GPL-2.0
/*
 * Character devices and the file layer a test process uses in place of
 * /dev: device-number regions, the cdev map, the /dev nodes devtmpfs
 * would create (named by the class's devnode callback), descriptors
 * with open/ioctl/read/poll/close, and mmap, whose pages are faulted in
 * through the VMA's fault handler on first access as the MMU would.
 *
 * Pointers passed to read and ioctl are user pointers: the driver checks
 * them through copy_to_user() against the calling task's mm.
 */
#define pr_fmt(fmt) "kshim-vfs: " fmt

#include "bus.h"
#include "ksched.h"
#include "../host/kdev.h"

/* Dynamic majors, from the top down, as the kernel hands them out. */
#define DYN_MAJOR_HIGH	254
#define DYN_MAJOR_LOW	234
#define NR_FDS		64
#define NR_MAPS		64
#define NR_POLL_QUEUES	4

struct chrdev_region {
	struct list_head link;		/* on chrdev_regions */
	unsigned int major;
	unsigned int baseminor;
	unsigned int count;
	const char *name;
};

/* A file's page cache, which here only names the file for unmap_mapping_range(). */
struct address_space {
	struct inode *host;
};

/* A /dev node; its inode lives as long as the node or a file opened on it. */
struct devnode {
	struct list_head link;		/* on devnodes while the device exists */
	char *name;			/* "cxl/afu0.0s" */
	struct device *dev;		/* NULL once the device is gone */
	struct inode inode;
	struct address_space mapping;
	int refs;			/* the device's, plus one per open file */
};

/* A mapping: its VMA and the page frames the fault handler inserted. */
struct kshim_map {
	struct vm_area_struct vma;
	unsigned long nr_pages;
	unsigned long *pfns;		/* 0: not faulted in */
};

/*
 * Registries.  Changed by process context only; no function here sleeps
 * between looking something up and using it, except around driver
 * callbacks, which hold a reference (file count, node refs) meanwhile.
 */
static LIST_HEAD(chrdev_regions);
static LIST_HEAD(cdev_map);		/* struct cdev.list, newest first */
static LIST_HEAD(devnodes);
static struct file *fds[NR_FDS];
static struct kshim_map *maps[NR_MAPS];

/* ---- Device numbers and cdevs ---- */

static struct chrdev_region *region_of_major(unsigned int major)
{
	struct chrdev_region *r;

	list_for_each_entry(r, &chrdev_regions, link)
		if (r->major == major)
			return r;
	return NULL;
}

int alloc_chrdev_region(dev_t *dev, unsigned int baseminor, unsigned int count,
			const char *name)
{
	struct chrdev_region *r;
	unsigned int major;

	if (!count || baseminor > MINORMASK || count - 1 > MINORMASK - baseminor)
		return -EINVAL;
	for (major = DYN_MAJOR_HIGH; major >= DYN_MAJOR_LOW; major--)
		if (!region_of_major(major))
			break;
	if (major < DYN_MAJOR_LOW) {
		pr_err("no dynamic major left for %s\n", name);
		return -EBUSY;
	}
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	*r = (struct chrdev_region){ .major = major, .baseminor = baseminor, .count = count,
				     .name = name };
	list_add_tail(&r->link, &chrdev_regions);
	*dev = MKDEV(major, baseminor);
	return 0;
}

void unregister_chrdev_region(dev_t from, unsigned int count)
{
	struct chrdev_region *r = region_of_major(MAJOR(from));

	if (!r || r->baseminor != MINOR(from) || r->count != count) {
		pr_warn("unregistering %u:%u+%u, which was never registered\n", MAJOR(from),
			MINOR(from), count);
		return;
	}
	list_del(&r->link);
	kfree(r);
}

void cdev_init(struct cdev *cdev, const struct file_operations *fops)
{
	memset(cdev, 0, sizeof(*cdev));
	INIT_LIST_HEAD(&cdev->list);
	cdev->ops = fops;
}

int cdev_add(struct cdev *cdev, dev_t dev, unsigned int count)
{
	cdev->dev = dev;
	cdev->count = count;
	list_add(&cdev->list, &cdev_map);
	return 0;
}

/* Open files keep working: they hold the operations, not the cdev. */
void cdev_del(struct cdev *cdev)
{
	list_del_init(&cdev->list);
}

static struct cdev *cdev_lookup(dev_t devt)
{
	struct cdev *c;

	list_for_each_entry(c, &cdev_map, list)
		if (devt >= c->dev && devt - c->dev < c->count)
			return c;
	return NULL;
}

/* ---- /dev nodes ---- */

static struct devnode *node_by_name(const char *name)
{
	struct devnode *n;

	list_for_each_entry(n, &devnodes, link)
		if (!strcmp(n->name, name))
			return n;
	return NULL;
}

static void node_put(struct devnode *n)
{
	if (--n->refs)
		return;
	kfree(n->name);
	kfree(n);
}

static char *node_name(struct device *dev)
{
	umode_t mode = 0;
	char *name = NULL;

	if (dev->class && dev->class->devnode)
		name = dev->class->devnode(dev, &mode);
	if (!name)
		name = kasprintf(GFP_KERNEL, "%s", dev_name(dev));
	return name;
}

/* As devtmpfs: a node that cannot be made is reported, the device stays. */
int kshim_devnode_add(struct device *dev)
{
	struct devnode *n = kzalloc(sizeof(*n), GFP_KERNEL);

	if (n)
		n->name = node_name(dev);
	if (!n || !n->name) {
		pr_err("%s: no memory for its /dev node\n", dev_name(dev));
		kfree(n);
		return 0;
	}
	n->refs = 1;
	if (node_by_name(n->name)) {
		pr_err("/dev/%s exists already: %s gets no node\n", n->name, dev_name(dev));
		node_put(n);
		return 0;
	}
	n->dev = dev;
	n->inode.i_rdev = dev->devt;
	n->inode.i_mapping = &n->mapping;
	n->mapping.host = &n->inode;
	list_add_tail(&n->link, &devnodes);
	return 0;
}

void kshim_devnode_remove(struct device *dev)
{
	struct devnode *n;

	list_for_each_entry(n, &devnodes, link) {
		if (n->dev != dev)
			continue;
		list_del(&n->link);
		n->dev = NULL;
		node_put(n);
		return;
	}
}

int kshim_dev_exists(const char *name)
{
	return node_by_name(name) != NULL;
}

/* ---- Files ---- */

static struct devnode *file_node(struct file *file)
{
	return container_of(file->f_inode, struct devnode, inode);
}

static void fput(struct file *file)
{
	struct devnode *n = file_node(file);

	if (--file->f_count)
		return;
	if (file->f_op->release)
		file->f_op->release(&n->inode, file);
	node_put(n);
	kfree(file);
}

static struct file *fd_file(int fd)
{
	return fd >= 0 && fd < NR_FDS ? fds[fd] : NULL;
}

int kshim_open(const char *name, unsigned int flags)
{
	struct devnode *n = node_by_name(name);
	struct cdev *cdev;
	struct file *file;
	int fd, rc;

	if (!n)
		return -ENOENT;
	cdev = cdev_lookup(n->inode.i_rdev);
	if (!cdev)
		return -ENXIO;
	for (fd = 0; fd < NR_FDS && fds[fd]; fd++)
		;
	if (fd == NR_FDS)
		return -EMFILE;
	file = kzalloc(sizeof(*file), GFP_KERNEL);
	if (!file)
		return -ENOMEM;
	file->f_inode = &n->inode;
	file->f_op = cdev->ops;
	file->f_flags = flags;
	file->f_mapping = n->inode.i_mapping;
	file->f_count = 1;
	n->refs++;
	fds[fd] = file;		/* taken before ->open, which may sleep */
	rc = file->f_op->open ? file->f_op->open(&n->inode, file) : 0;
	if (!rc)
		return fd;
	fds[fd] = NULL;
	node_put(n);
	kfree(file);
	return rc;
}

int kshim_close(int fd)
{
	struct file *file = fd_file(fd);

	if (!file)
		return -EBADF;
	fds[fd] = NULL;
	fput(file);
	return 0;
}

long kshim_ioctl(int fd, unsigned int cmd, unsigned long arg)
{
	struct file *file = fd_file(fd);

	if (!file)
		return -EBADF;
	if (!file->f_op->unlocked_ioctl)
		return -ENOTTY;
	return file->f_op->unlocked_ioctl(file, cmd, arg);
}

long kshim_read(int fd, void *buf, unsigned long len)
{
	struct file *file = fd_file(fd);

	if (!file)
		return -EBADF;
	if (!file->f_op->read)
		return -EINVAL;
	return file->f_op->read(file, buf, len, &file->f_pos);
}

/* The wait-queue entries one pass of poll() registered through poll_wait(). */
struct poll_wqs {
	poll_table pt;
	unsigned int n;
	struct {
		wait_queue_head_t *head;
		struct wait_queue_entry wq;
	} e[NR_POLL_QUEUES];
};

static void poll_qproc(struct file *file, wait_queue_head_t *head, poll_table *pt)
{
	struct poll_wqs *p = container_of(pt, struct poll_wqs, pt);

	if (WARN(p->n == NR_POLL_QUEUES, "poll: more than %d wait queues\n", NR_POLL_QUEUES))
		return;
	p->e[p->n].head = head;
	p->e[p->n].wq = (struct wait_queue_entry){
		.private = current,
		.func = autoremove_wake_function,
	};
	INIT_LIST_HEAD(&p->e[p->n].wq.entry);
	prepare_to_wait(head, &p->e[p->n].wq, TASK_INTERRUPTIBLE);
	p->n++;
}

static void poll_finish(struct poll_wqs *p)
{
	unsigned int i;

	for (i = 0; i < p->n; i++)
		finish_wait(p->e[i].head, &p->e[i].wq);
	p->n = 0;
}

int kshim_poll_timeout(int fd, unsigned int events, long long timeout_ps)
{
	struct file *file = fd_file(fd);
	struct poll_wqs p = { .pt._key = events };
	u64 deadline = timeout_ps < 0 ? KSHIM_TIME_NEVER : hsched_now() + timeout_ps;
	struct kshim_site site = { __FILE__, __LINE__ };
	unsigned int mask;
	bool expired = false;

	if (!file)
		return -EBADF;
	if (!file->f_op->poll)
		return events & (EPOLLIN | EPOLLOUT | EPOLLRDNORM);
	p.pt._qproc = timeout_ps ? poll_qproc : NULL;
	for (;;) {
		mask = file->f_op->poll(file, &p.pt) & (events | EPOLLERR | EPOLLHUP);
		if (mask || !timeout_ps || expired) {
			poll_finish(&p);
			return mask;
		}
		if (signal_pending(current)) {
			poll_finish(&p);
			return -EINTR;
		}
		kshim_might_sleep("poll", site);
		/* Timed out: one more look, as the kernel's do_poll() takes. */
		expired = kshim_sleep(deadline) == -ETIMEDOUT;
		poll_finish(&p);
	}
}

int kshim_poll(int fd, unsigned int events, int block)
{
	return kshim_poll_timeout(fd, events, block ? -1 : 0);
}

/* ---- mmap ---- */

static struct kshim_map *map_of(int map)
{
	return map >= 0 && map < NR_MAPS ? maps[map] : NULL;
}

int kshim_mmap(int fd, unsigned long len, unsigned long pgoff)
{
	struct file *file = fd_file(fd);
	struct kshim_map *m;
	int i, rc = -ENOMEM;

	if (!file)
		return -EBADF;
	if (!file->f_op->mmap)
		return -ENODEV;
	if (!len)
		return -EINVAL;
	for (i = 0; i < NR_MAPS && maps[i]; i++)
		;
	if (i == NR_MAPS)
		return -ENOMEM;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->nr_pages = DIV_ROUND_UP(len, PAGE_SIZE);
	m->pfns = kzalloc(m->nr_pages * sizeof(*m->pfns), GFP_KERNEL);
	m->vma.vm_start = kshim_iowin_alloc(m->nr_pages * PAGE_SIZE);
	if (!m->pfns || !m->vma.vm_start)
		goto err;
	m->vma.vm_end = m->vma.vm_start + m->nr_pages * PAGE_SIZE;
	m->vma.vm_mm = current->mm;
	m->vma.vm_flags = VM_READ | VM_WRITE | VM_SHARED;
	m->vma.vm_page_prot = __pgprot(_PAGE_PRESENT | _PAGE_READ | _PAGE_WRITE);
	m->vma.vm_pgoff = pgoff;
	m->vma.vm_file = file;
	file->f_count++;
	maps[i] = m;
	rc = file->f_op->mmap(file, &m->vma);
	if (!rc)
		return i;
	maps[i] = NULL;
	fput(file);
err:
	if (m->vma.vm_start)
		kshim_iowin_free(m->vma.vm_start);
	kfree(m->pfns);
	kfree(m);
	return rc;
}

int kshim_munmap(int map)
{
	struct kshim_map *m = map_of(map);

	if (!m)
		return -EINVAL;
	maps[map] = NULL;
	if (m->vma.vm_ops && m->vma.vm_ops->close)
		m->vma.vm_ops->close(&m->vma);
	kshim_iowin_free(m->vma.vm_start);
	fput(m->vma.vm_file);
	kfree(m->pfns);
	kfree(m);
	return 0;
}

void kshim_files_close_all(void)
{
	int i;

	for (i = 0; i < NR_MAPS; i++)
		if (maps[i])
			kshim_munmap(i);
	for (i = 0; i < NR_FDS; i++)
		if (fds[i])
			kshim_close(i);
}

vm_fault_t vmf_insert_pfn(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn)
{
	struct kshim_map *m = container_of(vma, struct kshim_map, vma);
	int i;

	for (i = 0; i < NR_MAPS && maps[i] != m; i++)
		;
	if (WARN(i == NR_MAPS, "vmf_insert_pfn: a VMA the file layer did not make\n"))
		return VM_FAULT_SIGBUS;
	if (addr < vma->vm_start || addr >= vma->vm_end || !pfn)
		return VM_FAULT_SIGBUS;
	m->pfns[(addr - vma->vm_start) >> PAGE_SHIFT] = pfn;
	return VM_FAULT_NOPAGE;
}

/* Pages of @mapping's file from @holebegin, @holelen bytes (0: to the end), fault again. */
void unmap_mapping_range(struct address_space *mapping, loff_t const holebegin,
			 loff_t const holelen, int even_cows)
{
	unsigned long i, first = holebegin >> PAGE_SHIFT;
	unsigned long last = holelen ? (holebegin + holelen - 1) >> PAGE_SHIFT : ~0UL;
	int j;

	for (j = 0; j < NR_MAPS; j++) {
		struct kshim_map *m = maps[j];

		if (!m || m->vma.vm_file->f_mapping != mapping)
			continue;
		for (i = 0; i < m->nr_pages; i++)
			if (m->vma.vm_pgoff + i >= first && m->vma.vm_pgoff + i <= last)
				m->pfns[i] = 0;
	}
}

/* The physical address of byte @off, faulting its page in first if need be. */
static int map_phys(struct kshim_map *m, unsigned long off, unsigned int width, u64 *phys)
{
	unsigned long page = off >> PAGE_SHIFT;
	struct vm_fault vmf = {
		.vma = &m->vma,
		.address = m->vma.vm_start + page * PAGE_SIZE,
		.pgoff = m->vma.vm_pgoff + page,
	};

	if ((width != 1 && width != 2 && width != 4 && width != 8) || off % width ||
	    page >= m->nr_pages)
		return -EINVAL;
	if (!m->pfns[page]) {
		if (!m->vma.vm_ops || !m->vma.vm_ops->fault)
			return -EFAULT;
		if ((m->vma.vm_ops->fault(&vmf) & (VM_FAULT_SIGBUS | VM_FAULT_OOM)) ||
		    !m->pfns[page])
			return -EFAULT;
	}
	*phys = ((u64)m->pfns[page] << PAGE_SHIFT) | (off & ~PAGE_MASK);
	return 0;
}

/* A little-endian CPU's view of @width bytes the bus returned in memory order. */
static u64 le_of(u64 be, unsigned int width)
{
	return __builtin_bswap64(be) >> (64 - 8 * width);
}

int kshim_map_load(int map, unsigned long off, unsigned int width, unsigned long long *val)
{
	struct kshim_map *m = map_of(map);
	u64 phys;
	int rc;

	if (!m)
		return -EINVAL;
	rc = map_phys(m, off, width, &phys);
	if (!rc)
		*val = le_of(kshim_phys_load(phys, width), width);
	return rc;
}

int kshim_map_store(int map, unsigned long off, unsigned int width, unsigned long long val)
{
	struct kshim_map *m = map_of(map);
	u64 phys;
	int rc;

	if (!m)
		return -EINVAL;
	rc = map_phys(m, off, width, &phys);
	if (!rc)
		kshim_phys_store(phys, width, le_of(val, width));
	return rc;
}

/*
 * The pseudo-filesystem behind cxl_get_fd(), for in-kernel AFU drivers
 * (cxlflash): never reached from user space or by the PCI probe.
 */
struct pseudo_fs_context *init_pseudo(struct fs_context *fc, unsigned long magic)
{
	kshim_bug(__FILE__, __LINE__, "init_pseudo: in-kernel AFU driver path");
}

void kill_anon_super(struct super_block *sb)
{
	kshim_bug(__FILE__, __LINE__, "kill_anon_super: in-kernel AFU driver path");
}

int simple_pin_fs(struct file_system_type *type, struct vfsmount **mount, int *count)
{
	kshim_bug(__FILE__, __LINE__, "simple_pin_fs: in-kernel AFU driver path");
}

void simple_release_fs(struct vfsmount **mount, int *count)
{
	kshim_bug(__FILE__, __LINE__, "simple_release_fs: in-kernel AFU driver path");
}

struct inode *alloc_anon_inode(struct super_block *sb)
{
	kshim_bug(__FILE__, __LINE__, "alloc_anon_inode: in-kernel AFU driver path");
}

struct file *alloc_file_pseudo(struct inode *inode, struct vfsmount *mnt, const char *name,
			       int flags, const struct file_operations *fops)
{
	kshim_bug(__FILE__, __LINE__, "alloc_file_pseudo: in-kernel AFU driver path");
}

void iput(struct inode *inode)
{
	kshim_bug(__FILE__, __LINE__, "iput: in-kernel AFU driver path");
}

int get_unused_fd_flags(unsigned int flags)
{
	kshim_bug(__FILE__, __LINE__, "get_unused_fd_flags: in-kernel AFU driver path");
}

void put_unused_fd(unsigned int fd)
{
	kshim_bug(__FILE__, __LINE__, "put_unused_fd: in-kernel AFU driver path");
}

void kshim_vfs_reset(void)
{
	INIT_LIST_HEAD(&chrdev_regions);
	INIT_LIST_HEAD(&cdev_map);
	INIT_LIST_HEAD(&devnodes);
	memset(fds, 0, sizeof(fds));
	memset(maps, 0, sizeof(maps));
}
