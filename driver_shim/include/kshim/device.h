/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device model: kobjects, sysfs attributes, devices and classes, plus
 * debugfs and the Open Firmware (device tree) accessors.
 *
 * The runtime (driver_shim/kernel/device.c, debugfs.c, of.c) keeps devices
 * and attributes in registries that tests read and write in place of sysfs.
 */
#ifndef _KSHIM_DEVICE_H
#define _KSHIM_DEVICE_H

#include <kshim/types.h>
#include <kshim/kernel.h>
#include <kshim/list.h>

struct file;
struct inode;
struct module;
struct address_space;
struct cxl_context;
struct file_operations;

/* Mode bits for attributes and device nodes. */
#define S_IRWXU		00700
#define S_IRUSR		00400
#define S_IWUSR		00200
#define S_IXUSR		00100
#define S_IRGRP		00040
#define S_IWGRP		00020
#define S_IROTH		00004
#define S_IWOTH		00002
#define S_IRUGO		(S_IRUSR | S_IRGRP | S_IROTH)

struct kref {
	atomic_t refcount;
};

struct kobj_type;

struct kobject {
	const char *name;
	struct list_head entry;
	struct kobject *parent;
	const struct kobj_type *ktype;
	struct kref kref;
	unsigned int state_initialized:1;
	unsigned int state_in_sysfs:1;
};

struct attribute {
	const char *name;
	umode_t mode;
};

struct attribute_group {
	const char *name;
	umode_t (*is_visible)(struct kobject *kobj, struct attribute *attr, int index);
	struct attribute **attrs;
	struct bin_attribute **bin_attrs;
};

struct bin_attribute {
	struct attribute attr;
	size_t size;
	void *private;
	ssize_t (*read)(struct file *filp, struct kobject *kobj, struct bin_attribute *attr,
			char *buf, loff_t off, size_t count);
	ssize_t (*write)(struct file *filp, struct kobject *kobj, struct bin_attribute *attr,
			 char *buf, loff_t off, size_t count);
};

struct sysfs_ops {
	ssize_t (*show)(struct kobject *kobj, struct attribute *attr, char *buf);
	ssize_t (*store)(struct kobject *kobj, struct attribute *attr, const char *buf,
			 size_t count);
};

struct kobj_type {
	void (*release)(struct kobject *kobj);
	const struct sysfs_ops *sysfs_ops;
	const struct attribute_group **default_groups;
};

struct kobj_attribute {
	struct attribute attr;
	ssize_t (*show)(struct kobject *kobj, struct kobj_attribute *attr, char *buf);
	ssize_t (*store)(struct kobject *kobj, struct kobj_attribute *attr, const char *buf,
			 size_t count);
};

/* Dispatches to struct kobj_attribute show/store. */
extern const struct sysfs_ops kobj_sysfs_ops;

enum kobject_action {
	KOBJ_ADD,
	KOBJ_REMOVE,
	KOBJ_CHANGE,
	KOBJ_MOVE,
	KOBJ_ONLINE,
	KOBJ_OFFLINE,
	KOBJ_BIND,
	KOBJ_UNBIND,
};

__printf(4, 5) int kobject_init_and_add(struct kobject *kobj, const struct kobj_type *ktype,
					struct kobject *parent, const char *fmt, ...);
struct kobject *kobject_get(struct kobject *kobj);
/* Drops a reference; the ktype's release runs at zero. */
void kobject_put(struct kobject *kobj);
int kobject_uevent(struct kobject *kobj, enum kobject_action action);

int sysfs_create_bin_file(struct kobject *kobj, const struct bin_attribute *attr);
void sysfs_remove_bin_file(struct kobject *kobj, const struct bin_attribute *attr);

/* Lockdep class setup in the kernel; nothing to do here. */
#define sysfs_attr_init(attr)		do { } while (0)
#define sysfs_bin_attr_init(bin_attr)	do { } while (0)

#define __ATTR(_name, _mode, _show, _store) { \
	.attr = { .name = __stringify(_name), .mode = (_mode) }, \
	.show = _show, \
	.store = _store, \
}
#define __ATTR_RO(_name) { \
	.attr = { .name = __stringify(_name), .mode = 0444 }, \
	.show = _name##_show, \
}
#define __ATTR_RW(_name)	__ATTR(_name, 0644, _name##_show, _name##_store)

#define ATTRIBUTE_GROUPS(_name) \
	static const struct attribute_group _name##_group = { \
		.attrs = _name##_attrs, \
	}; \
	static const struct attribute_group *_name##_groups[] = { \
		&_name##_group, \
		NULL, \
	}

/* Devices and classes. */
struct device;
struct device_node;

struct device_driver {
	const char *name;
	struct module *owner;
};

struct class {
	const char *name;
	struct module *owner;
	/* Path of the device node under /dev, or NULL for the default name. */
	char *(*devnode)(struct device *dev, umode_t *mode);
	void (*dev_release)(struct device *dev);
};

/* powerpc per-device data. */
struct dev_archdata {
	dma_addr_t dma_offset;
	struct cxl_context *cxl_ctx;	/* default context of a vPHB device */
};

struct device {
	struct kobject kobj;	/* kobj.name is the device name */
	struct device *parent;
	struct device_driver *driver;
	void *driver_data;
	struct device_node *of_node;
	dev_t devt;
	struct class *class;
	const struct attribute_group **groups;
	void (*release)(struct device *dev);
	struct dev_archdata archdata;
};

struct device_attribute {
	struct attribute attr;
	ssize_t (*show)(struct device *dev, struct device_attribute *attr, char *buf);
	ssize_t (*store)(struct device *dev, struct device_attribute *attr, const char *buf,
			 size_t count);
};

#define kobj_to_dev(k)	container_of(k, struct device, kobj)

static inline const char *dev_name(const struct device *dev)
{
	return dev->kobj.name;
}

static inline void *dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}

static inline void dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}

__printf(2, 3) int dev_set_name(struct device *dev, const char *fmt, ...);
/* device_register() in two steps: the reference, then sysfs and /dev. */
void device_initialize(struct device *dev);
int device_add(struct device *dev);
/* Takes a reference; returns dev (NULL for NULL). */
struct device *get_device(struct device *dev);
/* Drops a reference; dev->release runs at zero. */
void put_device(struct device *dev);
int device_register(struct device *dev);
void device_unregister(struct device *dev);
void device_del(struct device *dev);
__printf(5, 6) struct device *device_create(struct class *cls, struct device *parent,
					    dev_t devt, void *drvdata, const char *fmt, ...);
int device_create_file(struct device *dev, const struct device_attribute *attr);
void device_remove_file(struct device *dev, const struct device_attribute *attr);
int device_create_bin_file(struct device *dev, const struct bin_attribute *attr);
void device_remove_bin_file(struct device *dev, const struct bin_attribute *attr);

struct class *class_create(struct module *owner, const char *name);
void class_destroy(struct class *cls);

/* debugfs: a tree of files whose operations the harness can call. */
struct dentry;

struct dentry *debugfs_create_dir(const char *name, struct dentry *parent);
struct dentry *debugfs_create_file_unsafe(const char *name, umode_t mode,
					  struct dentry *parent, void *data,
					  const struct file_operations *fops);
void debugfs_remove_recursive(struct dentry *dentry);

/* A u64 attribute file read and written through get/set and formatted with fmt. */
int simple_attr_open(struct inode *inode, struct file *file, int (*get)(void *, u64 *),
		     int (*set)(void *, u64), const char *fmt);
int simple_attr_release(struct inode *inode, struct file *file);
ssize_t debugfs_attr_read(struct file *file, char __user *buf, size_t len, loff_t *ppos);
ssize_t debugfs_attr_write(struct file *file, const char __user *buf, size_t len,
			   loff_t *ppos);

static inline __printf(1, 2) void __simple_attr_check_format(const char *fmt, ...)
{
}

#define DEFINE_DEBUGFS_ATTRIBUTE(__fops, __get, __set, __fmt) \
	static int __fops##_open(struct inode *inode, struct file *file) \
	{ \
		__simple_attr_check_format(__fmt, 0ull); \
		return simple_attr_open(inode, file, __get, __set, __fmt); \
	} \
	static const struct file_operations __fops = { \
		.owner = THIS_MODULE, \
		.open = __fops##_open, \
		.release = simple_attr_release, \
		.read = debugfs_attr_read, \
		.write = debugfs_attr_write, \
	}

/* Open Firmware device tree. */
struct property {
	char *name;
	int length;
	void *value;
	struct property *next;
};

struct device_node {
	const char *name;
	const char *full_name;
	struct property *properties;
	struct device_node *parent;
	struct kref kref;
};

struct platform_device;
struct platform_driver;

const void *of_get_property(const struct device_node *np, const char *name, int *lenp);
/* 0, or -EINVAL (no property), -ENODATA or -EOVERFLOW (bad length). */
int of_property_read_u32(const struct device_node *np, const char *propname, u32 *out_value);
/* The parent, with a reference; drops the reference on np. */
struct device_node *of_get_next_parent(struct device_node *np);
struct device_node *of_node_get(struct device_node *np);
void of_node_put(struct device_node *np);
bool of_node_is_type(const struct device_node *np, const char *type);
int of_update_property(struct device_node *np, struct property *newprop);
struct device_node *of_find_compatible_node(struct device_node *from, const char *type,
					    const char *compat);
struct platform_device *of_platform_device_create(struct device_node *np,
						  const char *bus_id, struct device *parent);

#define for_each_compatible_node(dn, type, compatible) \
	for (dn = of_find_compatible_node(NULL, type, compatible); dn; \
	     dn = of_find_compatible_node(dn, type, compatible))

#endif /* _KSHIM_DEVICE_H */
