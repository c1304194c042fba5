// SPDX-License-Identifier: GPL-2.0
/*
 * The device model: kobjects with their reference counts and release
 * callbacks, devices and classes, and sysfs as a registry of directories
 * (one per kobject added) holding attribute files, which the harness
 * reads and writes by path in place of /sys.
 *
 * References are as in the kernel: a kobject starts with one, adding it
 * pins its parent until it is deleted, and the ktype's release runs when
 * the last reference goes; a kobject still in sysfs then is deleted
 * first, and its name is freed after the release.  Reference bugs
 * (a get or put on a dead object, a missing release) are WARNs.
 */
#define pr_fmt(fmt) "kshim-dev: " fmt

#include "bus.h"
#include "../host/kdev.h"

#define S_IWUGO		(S_IWUSR | S_IWGRP | S_IWOTH)

/* What a sysfs file is, which says how to read and write it. */
enum sysfs_kind {
	SYSFS_DEV_ATTR,		/* a struct device_attribute of a device */
	SYSFS_KOBJ_ATTR,	/* a default attribute, through the ktype's sysfs_ops */
	SYSFS_BIN_ATTR,		/* a struct bin_attribute */
	SYSFS_DEVT,		/* "dev": a device's major:minor */
};

struct sysfs_file {
	struct list_head link;		/* on its directory's files */
	const char *name;
	enum sysfs_kind kind;
	const struct attribute *attr;	/* NULL for SYSFS_DEVT */
};

struct sysfs_dir {
	struct list_head link;		/* on sysfs_dirs */
	struct kobject *kobj;
	struct list_head files;		/* in creation order */
};

/*
 * Every kobject in sysfs, in the order added, and every class.  Changed
 * by process context only, never by interrupt handlers.
 */
static LIST_HEAD(sysfs_dirs);
static LIST_HEAD(classes);

static const struct kobj_type device_ktype;

/* ---- sysfs directories and files ---- */

static struct sysfs_dir *dir_of(const struct kobject *kobj)
{
	struct sysfs_dir *d;

	list_for_each_entry(d, &sysfs_dirs, link)
		if (d->kobj == kobj)
			return d;
	return NULL;
}

static struct sysfs_file *file_in(struct sysfs_dir *d, const char *name)
{
	struct sysfs_file *f;

	list_for_each_entry(f, &d->files, link)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

static int file_add(struct kobject *kobj, const char *name, enum sysfs_kind kind,
		    const struct attribute *attr)
{
	struct sysfs_dir *d = dir_of(kobj);
	struct sysfs_file *f;

	if (WARN(!d || !name, "sysfs: file %s on a kobject not in sysfs\n", name))
		return -EINVAL;
	if (file_in(d, name)) {
		pr_warn("cannot create duplicate filename '%s/%s'\n", kobj->name, name);
		return -EEXIST;
	}
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->name = name;
	f->kind = kind;
	f->attr = attr;
	list_add_tail(&f->link, &d->files);
	return 0;
}

static void file_remove(struct kobject *kobj, const char *name)
{
	struct sysfs_dir *d = dir_of(kobj);
	struct sysfs_file *f = d ? file_in(d, name) : NULL;

	if (!f)
		return;
	list_del(&f->link);
	kfree(f);
}

static void dir_remove(struct sysfs_dir *d)
{
	struct sysfs_file *f, *tmp;

	list_for_each_entry_safe(f, tmp, &d->files, link)
		kfree(f);
	list_del(&d->link);
	kfree(d);
}

/* The directory and the ktype's default attributes. */
static int dir_create(struct kobject *kobj)
{
	const struct attribute_group **g;
	struct attribute **a;
	struct sysfs_dir *d = kzalloc(sizeof(*d), GFP_KERNEL);
	int rc = 0;

	if (!d)
		return -ENOMEM;
	d->kobj = kobj;
	INIT_LIST_HEAD(&d->files);
	list_add_tail(&d->link, &sysfs_dirs);
	g = kobj->ktype ? kobj->ktype->default_groups : NULL;
	for (; g && *g && !rc; g++)
		for (a = (*g)->attrs; a && *a && !rc; a++)
			rc = file_add(kobj, (*a)->name, SYSFS_KOBJ_ATTR, *a);
	if (rc)
		dir_remove(d);
	return rc;
}

/* ---- kobjects ---- */

static void kobject_init(struct kobject *kobj, const struct kobj_type *ktype)
{
	WARN(kobj->state_initialized, "kobject %s: initialised twice\n", kobj->name);
	atomic_set(&kobj->kref.refcount, 1);
	INIT_LIST_HEAD(&kobj->entry);
	kobj->ktype = ktype;
	kobj->state_initialized = 1;
}

static __printf(2, 0) int kobject_set_name_vargs(struct kobject *kobj, const char *fmt,
						 va_list args)
{
	va_list copy;
	char *name;
	int n;

	va_copy(copy, args);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	name = kmalloc(n + 1, GFP_KERNEL);
	if (!name)
		return -ENOMEM;
	vsnprintf(name, n + 1, fmt, args);
	kfree(kobj->name);
	kobj->name = name;
	return 0;
}

struct kobject *kobject_get(struct kobject *kobj)
{
	if (!kobj)
		return NULL;
	WARN(!kobj->state_initialized, "kobject_get(%s): not initialised\n", kobj->name);
	WARN(atomic_read(&kobj->kref.refcount) <= 0, "kobject_get(%s): already released\n",
	     kobj->name);
	atomic_inc(&kobj->kref.refcount);
	return kobj;
}

static int kobject_add_internal(struct kobject *kobj, struct kobject *parent)
{
	int rc;

	if (!kobj->name || !*kobj->name)
		return -EINVAL;
	if (WARN(kobj->state_in_sysfs, "kobject %s: added twice\n", kobj->name))
		return -EINVAL;
	kobj->parent = kobject_get(parent);
	rc = dir_create(kobj);
	if (rc) {
		kobject_put(kobj->parent);
		kobj->parent = NULL;
		return rc;
	}
	kobj->state_in_sysfs = 1;
	return 0;
}

static bool is_below(const struct kobject *kobj, const struct kobject *top)
{
	for (; kobj; kobj = kobj->parent)
		if (kobj == top)
			return true;
	return false;
}

/*
 * Its directory goes, and the directories below it with it, as sysfs
 * removes a subtree; kobjects still holding those stay valid, out of sight.
 */
static struct kobject *__kobject_del(struct kobject *kobj)
{
	struct kobject *parent = kobj->parent;
	struct sysfs_dir *d, *tmp;

	list_for_each_entry_safe(d, tmp, &sysfs_dirs, link)
		if (is_below(d->kobj, kobj))
			dir_remove(d);
	kobj->state_in_sysfs = 0;
	kobj->parent = NULL;
	return parent;
}

static void kobject_del(struct kobject *kobj)
{
	if (kobj->state_in_sysfs)
		kobject_put(__kobject_del(kobj));
}

int kobject_init_and_add(struct kobject *kobj, const struct kobj_type *ktype,
			 struct kobject *parent, const char *fmt, ...)
{
	va_list args;
	int rc;

	kobject_init(kobj, ktype);
	va_start(args, fmt);
	rc = kobject_set_name_vargs(kobj, fmt, args);
	va_end(args);
	return rc ? rc : kobject_add_internal(kobj, parent);
}

/* The last reference: out of sysfs, release, the name, then the parent's reference. */
static void kobject_cleanup(struct kobject *kobj)
{
	const struct kobj_type *t = kobj->ktype;
	const char *name = kobj->name;
	struct kobject *parent = NULL;

	if (kobj->state_in_sysfs)
		parent = __kobject_del(kobj);
	if (t && t->release)
		t->release(kobj);
	else
		pr_err("kobject %s has no release(): it is leaked\n", name);
	kfree(name);
	kobject_put(parent);
}

void kobject_put(struct kobject *kobj)
{
	if (!kobj)
		return;
	if (WARN(!kobj->state_initialized, "kobject_put(%s): not initialised\n", kobj->name))
		return;
	if (WARN(atomic_read(&kobj->kref.refcount) <= 0, "kobject_put(%s): already released\n",
		 kobj->name))
		return;
	if (atomic_dec_and_test(&kobj->kref.refcount))
		kobject_cleanup(kobj);
}

/* Nothing listens for uevents in the co-simulation. */
int kobject_uevent(struct kobject *kobj, enum kobject_action action)
{
	return 0;
}

int sysfs_create_bin_file(struct kobject *kobj, const struct bin_attribute *attr)
{
	if (!kobj || !attr)
		return -EINVAL;
	return file_add(kobj, attr->attr.name, SYSFS_BIN_ATTR, &attr->attr);
}

void sysfs_remove_bin_file(struct kobject *kobj, const struct bin_attribute *attr)
{
	file_remove(kobj, attr->attr.name);
}

static ssize_t kobj_attr_show(struct kobject *kobj, struct attribute *attr, char *buf)
{
	struct kobj_attribute *ka = container_of(attr, struct kobj_attribute, attr);

	return ka->show ? ka->show(kobj, ka, buf) : -EIO;
}

static ssize_t kobj_attr_store(struct kobject *kobj, struct attribute *attr, const char *buf,
			       size_t count)
{
	struct kobj_attribute *ka = container_of(attr, struct kobj_attribute, attr);

	return ka->store ? ka->store(kobj, ka, buf, count) : -EIO;
}

const struct sysfs_ops kobj_sysfs_ops = {
	.show = kobj_attr_show,
	.store = kobj_attr_store,
};

/* ---- Devices ---- */

static void device_release(struct kobject *kobj)
{
	struct device *dev = kobj_to_dev(kobj);

	if (dev->release)
		dev->release(dev);
	else if (dev->class && dev->class->dev_release)
		dev->class->dev_release(dev);
	else
		WARN(1, "Device '%s' does not have a release() function, "
		     "it is broken and must be fixed.\n", dev_name(dev));
}

static const struct kobj_type device_ktype = {
	.release = device_release,
};

int dev_set_name(struct device *dev, const char *fmt, ...)
{
	va_list args;
	int rc;

	va_start(args, fmt);
	rc = kobject_set_name_vargs(&dev->kobj, fmt, args);
	va_end(args);
	return rc;
}

struct device *get_device(struct device *dev)
{
	return dev ? kobj_to_dev(kobject_get(&dev->kobj)) : NULL;
}

void put_device(struct device *dev)
{
	if (dev)
		kobject_put(&dev->kobj);
}

void device_initialize(struct device *dev)
{
	kobject_init(&dev->kobj, &device_ktype);
}

static int add_groups(struct device *dev)
{
	const struct attribute_group **g;
	struct attribute **a;
	int rc = 0;

	for (g = dev->groups; g && *g && !rc; g++)
		for (a = (*g)->attrs; a && *a && !rc; a++)
			rc = file_add(&dev->kobj, (*a)->name, SYSFS_DEV_ATTR, *a);
	return rc;
}

int device_add(struct device *dev)
{
	int rc;

	if (!dev || !dev_name(dev))
		return -EINVAL;
	rc = kobject_add_internal(&dev->kobj, dev->parent ? &dev->parent->kobj : NULL);
	if (rc)
		return rc;
	rc = add_groups(dev);
	if (!rc && MAJOR(dev->devt))
		rc = file_add(&dev->kobj, "dev", SYSFS_DEVT, NULL);
	if (!rc && MAJOR(dev->devt))
		rc = kshim_devnode_add(dev);
	if (rc)
		kobject_del(&dev->kobj);
	return rc;
}

int device_register(struct device *dev)
{
	device_initialize(dev);
	return device_add(dev);
}

void device_del(struct device *dev)
{
	if (MAJOR(dev->devt))
		kshim_devnode_remove(dev);
	kobject_del(&dev->kobj);
}

void device_unregister(struct device *dev)
{
	device_del(dev);
	put_device(dev);
}

static void device_create_release(struct device *dev)
{
	kfree(dev);
}

struct device *device_create(struct class *cls, struct device *parent, dev_t devt,
			     void *drvdata, const char *fmt, ...)
{
	struct device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	va_list args;
	int rc;

	if (!dev)
		return ERR_PTR(-ENOMEM);
	device_initialize(dev);
	dev->devt = devt;
	dev->class = cls;
	dev->parent = parent;
	dev->release = device_create_release;
	dev_set_drvdata(dev, drvdata);
	va_start(args, fmt);
	rc = kobject_set_name_vargs(&dev->kobj, fmt, args);
	va_end(args);
	if (!rc)
		rc = device_add(dev);
	if (rc) {
		put_device(dev);
		return ERR_PTR(rc);
	}
	return dev;
}

int device_create_file(struct device *dev, const struct device_attribute *attr)
{
	if (!dev)
		return -EINVAL;
	WARN((attr->attr.mode & S_IWUGO) && !attr->store,
	     "Attribute %s: write permission without 'store'\n", attr->attr.name);
	WARN((attr->attr.mode & S_IRUGO) && !attr->show,
	     "Attribute %s: read permission without 'show'\n", attr->attr.name);
	return file_add(&dev->kobj, attr->attr.name, SYSFS_DEV_ATTR, &attr->attr);
}

void device_remove_file(struct device *dev, const struct device_attribute *attr)
{
	if (dev)
		file_remove(&dev->kobj, attr->attr.name);
}

int device_create_bin_file(struct device *dev, const struct bin_attribute *attr)
{
	return dev ? sysfs_create_bin_file(&dev->kobj, attr) : -EINVAL;
}

void device_remove_bin_file(struct device *dev, const struct bin_attribute *attr)
{
	if (dev)
		sysfs_remove_bin_file(&dev->kobj, attr);
}

/* ---- Classes ---- */

struct class_entry {
	struct class cls;
	struct list_head link;		/* on classes */
};

struct class *class_create(struct module *owner, const char *name)
{
	struct class_entry *ce = kzalloc(sizeof(*ce), GFP_KERNEL);

	if (!ce)
		return ERR_PTR(-ENOMEM);
	ce->cls.name = name;
	ce->cls.owner = owner;
	list_add_tail(&ce->link, &classes);
	return &ce->cls;
}

void class_destroy(struct class *cls)
{
	struct class_entry *ce;

	if (IS_ERR_OR_NULL(cls))
		return;
	ce = container_of(cls, struct class_entry, cls);
	list_del(&ce->link);
	kfree(ce);
}

/* ---- Paths, for the harness ---- */

/* The path of @kobj as kdev.h describes it; its length, or -ENAMETOOLONG. */
static int kobj_path(const struct kobject *kobj, char *buf, size_t len)
{
	const struct device *dev = kobj->ktype == &device_ktype ? kobj_to_dev(kobj) : NULL;
	int n = 0;

	if (dev && dev->class)
		n = snprintf(buf, len, "%s/", dev->class->name);
	else if (kobj->parent)
		n = kobj_path(kobj->parent, buf, len);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	if (!dev || !dev->class)
		n += kobj->parent ? snprintf(buf + n, len - n, "/") : 0;
	if ((size_t)n >= len)
		return -ENAMETOOLONG;
	n += snprintf(buf + n, len - n, "%s", kobj->name);
	return (size_t)n < len ? n : -ENAMETOOLONG;
}

static struct sysfs_dir *dir_at(const char *path, size_t len)
{
	char buf[KSHIM_PATH_MAX];
	struct sysfs_dir *d;

	list_for_each_entry(d, &sysfs_dirs, link)
		if (kobj_path(d->kobj, buf, sizeof(buf)) == (int)len && !memcmp(buf, path, len))
			return d;
	return NULL;
}

static struct sysfs_file *lookup(const char *path, struct sysfs_dir **dp)
{
	const char *slash = NULL, *p;

	for (p = path; *p; p++)
		if (*p == '/')
			slash = p;
	if (!slash)
		return NULL;
	*dp = dir_at(path, slash - path);
	return *dp ? file_in(*dp, slash + 1) : NULL;
}

int kshim_sysfs_exists(const char *path)
{
	struct sysfs_dir *d;

	return lookup(path, &d) || dir_at(path, strlen(path));
}

int kshim_sysfs_nr_dirs(void)
{
	struct sysfs_dir *d;
	int n = 0;

	list_for_each_entry(d, &sysfs_dirs, link)
		n++;
	return n;
}

static ssize_t file_show(struct sysfs_dir *d, struct sysfs_file *f, char *page)
{
	struct kobject *kobj = d->kobj;
	const struct device_attribute *da;

	switch (f->kind) {
	case SYSFS_DEV_ATTR:
		da = container_of(f->attr, struct device_attribute, attr);
		return da->show ? da->show(kobj_to_dev(kobj), (struct device_attribute *)da,
					   page) : -EIO;
	case SYSFS_KOBJ_ATTR:
		if (!kobj->ktype->sysfs_ops || !kobj->ktype->sysfs_ops->show)
			return -EIO;
		return kobj->ktype->sysfs_ops->show(kobj, (struct attribute *)f->attr, page);
	case SYSFS_DEVT:
		return snprintf(page, PAGE_SIZE, "%u:%u\n", MAJOR(kobj_to_dev(kobj)->devt),
				MINOR(kobj_to_dev(kobj)->devt));
	default:
		return -EIO;
	}
}

static ssize_t file_store(struct sysfs_dir *d, struct sysfs_file *f, const char *page,
			  size_t count)
{
	struct kobject *kobj = d->kobj;
	const struct device_attribute *da;

	switch (f->kind) {
	case SYSFS_DEV_ATTR:
		da = container_of(f->attr, struct device_attribute, attr);
		return da->store ? da->store(kobj_to_dev(kobj), (struct device_attribute *)da,
					     page, count) : -EIO;
	case SYSFS_KOBJ_ATTR:
		if (!kobj->ktype->sysfs_ops || !kobj->ktype->sysfs_ops->store)
			return -EIO;
		return kobj->ktype->sysfs_ops->store(kobj, (struct attribute *)f->attr, page,
						     count);
	default:
		return -EIO;
	}
}

static long bin_read(struct sysfs_dir *d, struct sysfs_file *f, char *buf, unsigned long len,
		     long long off)
{
	struct bin_attribute *ba = container_of((struct attribute *)f->attr,
						struct bin_attribute, attr);

	if (!ba->read)
		return -EIO;
	if (off < 0)
		return -EINVAL;
	if (ba->size) {
		if ((u64)off >= ba->size)
			return 0;
		len = min_t(u64, len, ba->size - off);
	}
	return ba->read(NULL, d->kobj, ba, buf, off, len);
}

long kshim_sysfs_read(const char *path, char *buf, unsigned long len, long long off)
{
	struct sysfs_dir *d;
	struct sysfs_file *f = lookup(path, &d);
	ssize_t n;
	char *page;

	if (!f)
		return -ENOENT;
	if (f->kind == SYSFS_BIN_ATTR)
		return bin_read(d, f, buf, len, off);
	if (!len || off < 0)
		return -EINVAL;
	page = kzalloc(PAGE_SIZE, GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	n = file_show(d, f, page);
	if (n >= (ssize_t)PAGE_SIZE) {
		pr_err("%s: show() returned %ld, more than a page\n", path, (long)n);
		n = PAGE_SIZE - 1;
	}
	if (n >= 0) {
		n = off < n ? min_t(ssize_t, n - off, len - 1) : 0;
		memcpy(buf, page + off, n);
		buf[n] = 0;
	}
	kfree(page);
	return n;
}

long kshim_sysfs_write(const char *path, const char *buf, unsigned long len)
{
	struct sysfs_dir *d;
	struct sysfs_file *f = lookup(path, &d);
	ssize_t n;
	char *page;

	if (!f)
		return -ENOENT;
	if (f->kind == SYSFS_BIN_ATTR || f->kind == SYSFS_DEVT)
		return -EIO;
	len = min_t(unsigned long, len, PAGE_SIZE - 1);
	page = kzalloc(PAGE_SIZE, GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	memcpy(page, buf, len);
	n = file_store(d, f, page, len);
	kfree(page);
	return n;
}

void kshim_device_reset(void)
{
	INIT_LIST_HEAD(&sysfs_dirs);
	INIT_LIST_HEAD(&classes);
}
