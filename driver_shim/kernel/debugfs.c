// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs: a tree of directories and files whose file_operations the
 * harness calls by path (kshim_debugfs_read/write), the way a process
 * reading /sys/kernel/debug would.  The harness passes its own buffers,
 * so the simple-attribute read and write copy with memcpy, as the
 * kernel's kernel_read()/kernel_write() would let them.
 */
#define pr_fmt(fmt) "kshim-debugfs: " fmt

#include "bus.h"
#include "../host/kdev.h"

struct dentry {
	char *name;
	struct dentry *parent;
	struct list_head link;		/* on the parent's children */
	struct list_head children;	/* directories only */
	bool dir;
	umode_t mode;
	void *data;			/* the inode's i_private */
	const struct file_operations *fops;
};

/*
 * The root, /sys/kernel/debug.  Changed by process context only (the
 * driver's probe, remove and init paths).
 */
static struct dentry debugfs_root = {
	.name = "",
	.link = LIST_HEAD_INIT(debugfs_root.link),
	.children = LIST_HEAD_INIT(debugfs_root.children),
	.dir = true,
};

static struct dentry *child(struct dentry *dir, const char *name, size_t len)
{
	struct dentry *d;

	list_for_each_entry(d, &dir->children, link)
		if (strlen(d->name) == len && !memcmp(d->name, name, len))
			return d;
	return NULL;
}

static struct dentry *create(const char *name, struct dentry *parent, bool dir)
{
	size_t n = strlen(name) + 1;
	struct dentry *d;

	if (IS_ERR(parent))
		return parent;
	if (!parent)
		parent = &debugfs_root;
	if (!parent->dir)
		return ERR_PTR(-ENOTDIR);
	if (child(parent, name, n - 1)) {
		pr_err("'%s' already present under '%s'\n", name, parent->name);
		return ERR_PTR(-EEXIST);
	}
	d = kzalloc(sizeof(*d) + n, GFP_KERNEL);
	if (!d)
		return ERR_PTR(-ENOMEM);
	d->name = (char *)(d + 1);
	memcpy(d->name, name, n);
	d->parent = parent;
	d->dir = dir;
	INIT_LIST_HEAD(&d->children);
	list_add_tail(&d->link, &parent->children);
	return d;
}

struct dentry *debugfs_create_dir(const char *name, struct dentry *parent)
{
	return create(name, parent, true);
}

struct dentry *debugfs_create_file_unsafe(const char *name, umode_t mode,
					  struct dentry *parent, void *data,
					  const struct file_operations *fops)
{
	struct dentry *d = create(name, parent, false);

	if (IS_ERR(d))
		return d;
	d->mode = mode;
	d->data = data;
	d->fops = fops;
	return d;
}

void debugfs_remove_recursive(struct dentry *dentry)
{
	struct dentry *c, *tmp;

	if (IS_ERR_OR_NULL(dentry) || dentry == &debugfs_root)
		return;
	list_for_each_entry_safe(c, tmp, &dentry->children, link)
		debugfs_remove_recursive(c);
	list_del(&dentry->link);
	kfree(dentry);
}

/* An open simple-attribute file: the value as last formatted or parsed. */
struct simple_attr {
	int (*get)(void *data, u64 *val);
	int (*set)(void *data, u64 val);
	char get_buf[24];
	char set_buf[24];
	void *data;
	const char *fmt;
};

int simple_attr_open(struct inode *inode, struct file *file, int (*get)(void *, u64 *),
		     int (*set)(void *, u64), const char *fmt)
{
	struct simple_attr *attr = kzalloc(sizeof(*attr), GFP_KERNEL);

	if (!attr)
		return -ENOMEM;
	attr->get = get;
	attr->set = set;
	attr->data = inode->i_private;
	attr->fmt = fmt;
	file->private_data = attr;
	return 0;
}

int simple_attr_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

/* The value is formatted when reading starts at 0, then read piecewise. */
ssize_t debugfs_attr_read(struct file *file, char __user *buf, size_t len, loff_t *ppos)
{
	struct simple_attr *attr = file->private_data;
	size_t size;
	u64 val;
	int rc;

	if (!attr->get)
		return -EACCES;
	if (!*ppos) {
		rc = attr->get(attr->data, &val);
		if (rc)
			return rc;
		snprintf(attr->get_buf, sizeof(attr->get_buf), attr->fmt, val);
	}
	size = strlen(attr->get_buf);
	if (*ppos < 0 || (size_t)*ppos >= size)
		return 0;
	len = min(len, size - (size_t)*ppos);
	memcpy(buf, attr->get_buf + *ppos, len);
	*ppos += len;
	return len;
}

/* kstrtoull() with base 0: 0x hex, leading-0 octal, else decimal; one trailing newline. */
static int parse_u64(const char *s, u64 *val)
{
	unsigned int base = 10, digit;
	u64 v = 0;
	const char *start;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0') {
		base = 8;
	}
	for (start = s; *s && *s != '\n'; s++) {
		if (*s >= '0' && *s <= '9')
			digit = *s - '0';
		else if ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'f')
			digit = (*s | 0x20) - 'a' + 10;
		else
			return -EINVAL;
		if (digit >= base)
			return -EINVAL;
		if (v > (~0ULL - digit) / base)
			return -ERANGE;
		v = v * base + digit;
	}
	if (s == start || (*s == '\n' && s[1]))
		return -EINVAL;
	*val = v;
	return 0;
}

ssize_t debugfs_attr_write(struct file *file, const char __user *buf, size_t len,
			   loff_t *ppos)
{
	struct simple_attr *attr = file->private_data;
	size_t size;
	u64 val;
	int rc;

	if (!attr->set)
		return -EACCES;
	size = min(sizeof(attr->set_buf) - 1, len);
	memcpy(attr->set_buf, buf, size);
	attr->set_buf[size] = 0;
	rc = parse_u64(attr->set_buf, &val);
	if (!rc)
		rc = attr->set(attr->data, val);
	return rc ? rc : (ssize_t)len;
}

/* ---- By path, for the harness ---- */

static struct dentry *lookup(const char *path)
{
	struct dentry *d = &debugfs_root;
	const char *p = path, *end;

	while (d && *p) {
		for (end = p; *end && *end != '/'; end++)
			;
		if (!d->dir)
			return NULL;
		d = child(d, p, end - p);
		p = *end ? end + 1 : end;
	}
	return d == &debugfs_root ? NULL : d;
}

int kshim_debugfs_exists(const char *path)
{
	return lookup(path) != NULL;
}

/* open, one read or write from offset 0, release: what cat or echo does. */
static long file_io(const char *path, char *rbuf, const char *wbuf, unsigned long len)
{
	struct dentry *d = lookup(path);
	struct inode inode = { 0 };
	struct file file = { 0 };
	loff_t pos = 0;
	long n;
	int rc;

	if (!d)
		return -ENOENT;
	if (d->dir)
		return -EISDIR;
	inode.i_mode = d->mode;
	inode.i_private = d->data;
	file.f_inode = &inode;
	file.f_op = d->fops;
	rc = d->fops->open ? d->fops->open(&inode, &file) : 0;
	if (rc)
		return rc;
	if (rbuf)
		n = d->fops->read ? d->fops->read(&file, rbuf, len, &pos) : -EINVAL;
	else
		n = d->fops->write ? d->fops->write(&file, wbuf, len, &pos) : -EINVAL;
	if (d->fops->release)
		d->fops->release(&inode, &file);
	return n;
}

long kshim_debugfs_read(const char *path, char *buf, unsigned long len)
{
	long n;

	if (!len)
		return -EINVAL;
	n = file_io(path, buf, NULL, len - 1);
	if (n >= 0)
		buf[n] = 0;
	return n;
}

long kshim_debugfs_write(const char *path, const char *buf, unsigned long len)
{
	return file_io(path, NULL, buf, len);
}

void kshim_debugfs_reset(void)
{
	INIT_LIST_HEAD(&debugfs_root.children);
}
