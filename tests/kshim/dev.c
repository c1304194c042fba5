// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel side of tests/test_shim_dev.c, part 1: kobjects, devices,
 * classes and sysfs attributes, used the way cxl uses them.  See ks_dev.h.
 */
#define pr_fmt(fmt) "test-dev: " fmt

#include <kshim/kshim.h>

#include "../../driver_shim/host/kdev.h"
#include "ks_check.h"
#include "ks_dev.h"

static int refs(struct kobject *kobj)
{
	return atomic_read(&kobj->kref.refcount);
}

/* Release order, by the ids of what was released. */
static int released[8];
static int nr_released;

static void note_release(int id)
{
	if (nr_released < (int)ARRAY_SIZE(released))
		released[nr_released] = id;
	nr_released++;
}

struct tobj {
	struct kobject kobj;
	int id;
};

static void tobj_release(struct kobject *kobj)
{
	struct tobj *t = container_of(kobj, struct tobj, kobj);

	note_release(t->id);
	kfree(t);
}

static const struct kobj_type tobj_type = {
	.release = tobj_release,
	.sysfs_ops = &kobj_sysfs_ops,
};

struct tdev {
	struct device dev;
	int id;
};

static void tdev_release(struct device *dev)
{
	struct tdev *t = container_of(dev, struct tdev, dev);

	/* The name is still there while release runs. */
	if (!dev_name(dev))
		note_release(-1);
	note_release(t->id);
	kfree(t);
}

static struct tdev *tdev_new(int id, struct device *parent, const char *name)
{
	struct tdev *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	t->id = id;
	t->dev.parent = parent;
	t->dev.release = tdev_release;
	if (dev_set_name(&t->dev, "%s", name)) {
		kfree(t);
		return NULL;
	}
	return t;
}

int ks_dev_kobject_refs(void)
{
	struct tdev *p = tdev_new(100, NULL, "parent");
	struct tobj *c = kzalloc(sizeof(*c), GFP_KERNEL);

	nr_released = 0;
	CHECK(p && c);
	CHECK(device_register(&p->dev) == 0);
	CHECK(refs(&p->dev.kobj) == 1);
	c->id = 1;
	CHECK(kobject_init_and_add(&c->kobj, &tobj_type, &p->dev.kobj, "child%d", 0) == 0);
	/* The child pins its parent. */
	CHECK(refs(&p->dev.kobj) == 2);
	CHECK(kshim_sysfs_exists("parent/child0"));
	device_unregister(&p->dev);
	/* Out of sysfs with its subtree, but alive: the child holds it. */
	CHECK(nr_released == 0);
	CHECK(!kshim_sysfs_exists("parent") && !kshim_sysfs_exists("parent/child0"));
	kobject_put(&c->kobj);
	/* The child goes first, then the parent's last reference with it. */
	CHECK(nr_released == 2 && released[0] == 1 && released[1] == 100);
	return 0;
}

int ks_dev_release_last_put(void)
{
	struct tdev *t = tdev_new(7, NULL, "lonely");

	nr_released = 0;
	CHECK(t);
	CHECK(device_register(&t->dev) == 0);
	CHECK(get_device(&t->dev) == &t->dev && refs(&t->dev.kobj) == 2);
	CHECK(get_device(NULL) == NULL);
	device_unregister(&t->dev);
	CHECK(nr_released == 0 && !kshim_sysfs_exists("lonely"));
	put_device(&t->dev);
	CHECK(nr_released == 1 && released[0] == 7);
	put_device(NULL);
	return 0;
}

static struct device no_release_dev;

int ks_dev_missing_release(void)
{
	memset(&no_release_dev, 0, sizeof(no_release_dev));
	CHECK(dev_set_name(&no_release_dev, "norelease") == 0);
	CHECK(device_register(&no_release_dev) == 0);
	/* The last put finds no release function: one WARN. */
	device_unregister(&no_release_dev);
	CHECK(refs(&no_release_dev.kobj) == 0);
	return 0;
}

/* ---- Attributes ---- */

static int value = 7;

static ssize_t value_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return scnprintf(buf, PAGE_SIZE, "%d\n", *(int *)dev_get_drvdata(dev));
}

static ssize_t value_store(struct device *dev, struct device_attribute *attr, const char *buf,
			   size_t count)
{
	int v;

	if (sscanf(buf, "%d", &v) != 1)
		return -EINVAL;
	*(int *)dev_get_drvdata(dev) = v;
	return count;
}

static ssize_t ro_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return scnprintf(buf, PAGE_SIZE, "read-only\n");
}

static ssize_t wo_store(struct device *dev, struct device_attribute *attr, const char *buf,
			size_t count)
{
	return count;
}

static struct device_attribute dev_attr_value = __ATTR_RW(value);
static struct device_attribute dev_attr_ro = __ATTR_RO(ro);
static struct device_attribute dev_attr_wo = __ATTR(wo, S_IWUSR, NULL, wo_store);

int ks_dev_attrs(void)
{
	struct class *cls = class_create(THIS_MODULE, KS_DEV_CLASS);
	struct device *d;
	char buf[32];

	CHECK(!IS_ERR(cls));
	d = device_create(cls, NULL, 0, &value, "thing%d", 3);
	CHECK(!IS_ERR(d) && dev_get_drvdata(d) == &value);
	CHECK(device_create_file(d, &dev_attr_value) == 0);
	CHECK(device_create_file(d, &dev_attr_value) == -EEXIST);
	CHECK(device_create_file(d, &dev_attr_ro) == 0);
	CHECK(device_create_file(d, &dev_attr_wo) == 0);
	CHECK(kshim_sysfs_exists(KS_DEV_CLASS "/thing3"));
	CHECK(kshim_sysfs_read(KS_DEV_CLASS "/thing3/value", buf, sizeof(buf), 0) == 2);
	CHECK(!strcmp(buf, "7\n"));
	/* From an offset, and cut to the buffer. */
	CHECK(kshim_sysfs_read(KS_DEV_CLASS "/thing3/ro", buf, sizeof(buf), 5) == 5);
	CHECK(!strcmp(buf, "only\n"));
	CHECK(kshim_sysfs_read(KS_DEV_CLASS "/thing3/ro", buf, 5, 0) == 4);
	CHECK(!strcmp(buf, "read"));
	CHECK(kshim_sysfs_write(KS_DEV_CLASS "/thing3/value", "42", 2) == 2 && value == 42);
	CHECK(kshim_sysfs_write(KS_DEV_CLASS "/thing3/value", "x", 1) == -EINVAL);
	CHECK(value == 42);
	CHECK(kshim_sysfs_write(KS_DEV_CLASS "/thing3/ro", "1", 1) == -EIO);
	CHECK(kshim_sysfs_read(KS_DEV_CLASS "/thing3/wo", buf, sizeof(buf), 0) == -EIO);
	CHECK(kshim_sysfs_write(KS_DEV_CLASS "/thing3/wo", "1", 1) == 1);
	CHECK(kshim_sysfs_read(KS_DEV_CLASS "/thing3/none", buf, sizeof(buf), 0) == -ENOENT);
	CHECK(kshim_sysfs_read("nocls/thing3/value", buf, sizeof(buf), 0) == -ENOENT);
	device_remove_file(d, &dev_attr_ro);
	CHECK(kshim_sysfs_read(KS_DEV_CLASS "/thing3/ro", buf, sizeof(buf), 0) == -ENOENT);
	device_unregister(d);
	CHECK(!kshim_sysfs_exists(KS_DEV_CLASS "/thing3/value"));
	class_destroy(cls);
	return 0;
}

static ssize_t bad_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return 0;
}

static struct device_attribute dev_attr_bad_w = __ATTR(bad_w, 0644, bad_show, NULL);
static struct device_attribute dev_attr_bad_r = __ATTR(bad_r, 0644, NULL, wo_store);

int ks_dev_attr_warns(void)
{
	struct tdev *t = tdev_new(1, NULL, "warner");

	CHECK(t && device_register(&t->dev) == 0);
	CHECK(device_create_file(&t->dev, &dev_attr_bad_w) == 0);
	CHECK(device_create_file(&t->dev, &dev_attr_bad_r) == 0);
	CHECK(device_create_file(NULL, &dev_attr_bad_r) == -EINVAL);
	device_unregister(&t->dev);
	return 0;
}

/* A kobject with default attributes, as cxl's AFU configuration records. */
struct trec {
	struct kobject kobj;
	u16 vendor;
};

static ssize_t vendor_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return scnprintf(buf, PAGE_SIZE, "0x%.4x\n", container_of(kobj, struct trec, kobj)->vendor);
}

static struct kobj_attribute vendor_attribute = __ATTR_RO(vendor);
static struct attribute *trec_attrs[] = { &vendor_attribute.attr, NULL };
ATTRIBUTE_GROUPS(trec);

static void trec_release(struct kobject *kobj)
{
	note_release(5);
	kfree(container_of(kobj, struct trec, kobj));
}

static const struct kobj_type trec_type = {
	.release = trec_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = trec_groups,
};

int ks_dev_kobj_groups(void)
{
	struct class *cls = class_create(THIS_MODULE, KS_DEV_CLASS);
	struct trec *r = kzalloc(sizeof(*r), GFP_KERNEL);
	struct device *d;
	char buf[16];

	nr_released = 0;
	CHECK(!IS_ERR(cls) && r);
	d = device_create(cls, NULL, 0, NULL, "afu%d.%d", 0, 0);
	CHECK(!IS_ERR(d));
	r->vendor = 0x1014;
	CHECK(kobject_init_and_add(&r->kobj, &trec_type, &d->kobj, "cr%d", 0) == 0);
	CHECK(kobject_uevent(&r->kobj, KOBJ_ADD) == 0);
	CHECK(kshim_sysfs_read(KS_DEV_CLASS "/afu0.0/cr0/vendor", buf, sizeof(buf), 0) == 7);
	CHECK(!strcmp(buf, "0x1014\n"));
	/* kobj_sysfs_ops has a show but the attribute no store. */
	CHECK(kshim_sysfs_write(KS_DEV_CLASS "/afu0.0/cr0/vendor", "1", 1) == -EIO);
	kobject_put(&r->kobj);
	CHECK(nr_released == 1 && !kshim_sysfs_exists(KS_DEV_CLASS "/afu0.0/cr0"));
	device_unregister(d);
	class_destroy(cls);
	return 0;
}

static ssize_t pattern_read(struct file *filp, struct kobject *kobj, struct bin_attribute *attr,
			    char *buf, loff_t off, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		buf[i] = 'a' + off + i;
	return count;
}

static struct bin_attribute pattern_attr = {
	.attr = { .name = "pattern", .mode = S_IRUGO },
	.size = 10,
	.read = pattern_read,
};

int ks_dev_bin_attr(void)
{
	struct class *cls = class_create(THIS_MODULE, KS_DEV_CLASS);
	struct device *d;
	char buf[16];

	CHECK(!IS_ERR(cls));
	d = device_create(cls, NULL, MKDEV(250, 7), NULL, "node");
	CHECK(!IS_ERR(d));
	CHECK(device_create_bin_file(d, &pattern_attr) == 0);
	CHECK(kshim_sysfs_read(KS_DEV_CLASS "/node/pattern", buf, 4, 0) == 4);
	CHECK(!memcmp(buf, "abcd", 4));
	/* Cut at the attribute's size; nothing past it. */
	CHECK(kshim_sysfs_read(KS_DEV_CLASS "/node/pattern", buf, 16, 8) == 2);
	CHECK(!memcmp(buf, "ij", 2));
	CHECK(kshim_sysfs_read(KS_DEV_CLASS "/node/pattern", buf, 16, 10) == 0);
	CHECK(kshim_sysfs_write(KS_DEV_CLASS "/node/pattern", "x", 1) == -EIO);
	/* A device with a number gets "dev" and a /dev node. */
	CHECK(kshim_sysfs_read(KS_DEV_CLASS "/node/dev", buf, sizeof(buf), 0) == 6);
	CHECK(!strcmp(buf, "250:7\n"));
	CHECK(kshim_dev_exists("node"));
	device_remove_bin_file(d, &pattern_attr);
	CHECK(!kshim_sysfs_exists(KS_DEV_CLASS "/node/pattern"));
	device_unregister(d);
	CHECK(!kshim_dev_exists("node"));
	class_destroy(cls);
	return 0;
}
