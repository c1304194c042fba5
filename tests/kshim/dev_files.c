// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel side of tests/test_shim_dev.c, part 2: device numbers, cdevs,
 * /dev nodes and the file layer, poll, debugfs.  See ks_dev.h.
 */
#define pr_fmt(fmt) "test-dev: " fmt

#include <kshim/kshim.h>

#include "../../driver_shim/host/hsched.h"
#include "../../driver_shim/host/kdev.h"
#include "ks_check.h"
#include "ks_dev.h"

int ks_dev_chrdev_regions(void)
{
	dev_t a, b, c;

	/* Dynamic majors come from the top of the range down. */
	CHECK(alloc_chrdev_region(&a, 0, 256, "first") == 0 && MAJOR(a) == 254 && MINOR(a) == 0);
	CHECK(alloc_chrdev_region(&b, 16, 4, "second") == 0 && MAJOR(b) == 253);
	CHECK(MINOR(b) == 16);
	CHECK(alloc_chrdev_region(&c, 0, 0, "empty") == -EINVAL);
	unregister_chrdev_region(a, 256);
	/* The freed major is the highest free one again. */
	CHECK(alloc_chrdev_region(&c, 0, 1, "third") == 0 && MAJOR(c) == 254);
	unregister_chrdev_region(b, 4);
	unregister_chrdev_region(c, 1);
	return 0;
}

static int opens, releases;
static unsigned int last_cmd;
static dev_t last_rdev;

static int t_open(struct inode *inode, struct file *file)
{
	opens++;
	last_rdev = inode->i_rdev;
	if (file->f_flags & O_NONBLOCK)
		return -EAGAIN;
	file->private_data = inode->i_mapping;
	return 0;
}

static int t_release(struct inode *inode, struct file *file)
{
	releases++;
	return 0;
}

static long t_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	last_cmd = cmd;
	return arg + 1;
}

static ssize_t t_read(struct file *file, char __user *buf, size_t count, loff_t *pos)
{
	*pos += count;
	return count;
}

static wait_queue_head_t t_wq;
static bool t_ready;

static __poll_t t_poll(struct file *file, struct poll_table_struct *wait)
{
	poll_wait(file, &t_wq, wait);
	return t_ready ? EPOLLIN | EPOLLRDNORM : 0;
}

static const struct file_operations t_fops = {
	.owner = THIS_MODULE,
	.open = t_open,
	.release = t_release,
	.unlocked_ioctl = t_ioctl,
	.read = t_read,
	.poll = t_poll,
};

static char *t_devnode(struct device *dev, umode_t *mode)
{
	return kasprintf(GFP_KERNEL, "tst/%s", dev_name(dev));
}

static struct cdev t_cdev;

/* Region base, a cdev on minors 1-2, class "tst" naming nodes tst/NAME. */
static struct class *files_setup(dev_t *base)
{
	struct class *cls;

	opens = releases = 0;
	if (alloc_chrdev_region(base, 0, 4, "tst"))
		return NULL;
	cdev_init(&t_cdev, &t_fops);
	cdev_add(&t_cdev, *base + 1, 2);
	cls = class_create(THIS_MODULE, "tst");
	if (IS_ERR(cls))
		return NULL;
	cls->devnode = t_devnode;
	return cls;
}

static void files_teardown(struct class *cls, dev_t base)
{
	cdev_del(&t_cdev);
	class_destroy(cls);
	unregister_chrdev_region(base, 4);
}

int ks_dev_files(void)
{
	struct device *d, *orphan;
	struct class *cls;
	dev_t base;
	int fd, fd2;

	cls = files_setup(&base);
	CHECK(cls);
	d = device_create(cls, NULL, base + 1, NULL, "node%d", 1);
	CHECK(!IS_ERR(d) && kshim_dev_exists("tst/node1") && !kshim_dev_exists("node1"));
	fd = kshim_open("tst/node1", O_RDWR);
	CHECK(fd >= 0 && opens == 1 && last_rdev == base + 1);
	CHECK(kshim_ioctl(fd, 0x1234, 41) == 42 && last_cmd == 0x1234);
	CHECK(kshim_read(fd, NULL, 5) == 5 && kshim_read(fd, NULL, 3) == 3);
	/* A second open is a second file on the same inode. */
	fd2 = kshim_open("tst/node1", O_RDONLY);
	CHECK(fd2 >= 0 && fd2 != fd && opens == 2);
	/* An open that fails leaves no descriptor behind. */
	CHECK(kshim_open("tst/node1", O_RDONLY | O_NONBLOCK) == -EAGAIN && opens == 3);
	CHECK(kshim_open("tst/none", O_RDWR) == -ENOENT);
	CHECK(kshim_close(fd2) == 0 && releases == 1);
	CHECK(kshim_close(fd2) == -EBADF && kshim_ioctl(fd2, 1, 0) == -EBADF);
	/* The node goes with its device; the open file keeps working. */
	device_unregister(d);
	CHECK(!kshim_dev_exists("tst/node1") && kshim_open("tst/node1", O_RDWR) == -ENOENT);
	CHECK(kshim_ioctl(fd, 7, 1) == 2 && last_cmd == 7);
	CHECK(kshim_close(fd) == 0 && releases == 2);
	/* A number no cdev covers: the node exists, opening it does not. */
	orphan = device_create(cls, NULL, base + 3, NULL, "node%d", 3);
	CHECK(!IS_ERR(orphan) && kshim_open("tst/node3", O_RDWR) == -ENXIO);
	device_unregister(orphan);
	files_teardown(cls, base);
	return 0;
}

static int waker(void *arg)
{
	msleep(5);
	t_ready = true;
	wake_up_all(&t_wq);
	return 0;
}

int ks_dev_poll(void)
{
	struct device *d;
	struct class *cls;
	dev_t base;
	u64 t0;
	int fd;

	cls = files_setup(&base);
	CHECK(cls);
	init_waitqueue_head(&t_wq);
	t_ready = false;
	d = device_create(cls, NULL, base + 2, NULL, "poll");
	CHECK(!IS_ERR(d));
	fd = kshim_open("tst/poll", O_RDWR);
	CHECK(fd >= 0);
	CHECK(kshim_poll(fd, EPOLLIN, 0) == 0);
	CHECK(kshim_task_create("waker", waker, NULL));
	t0 = local_clock();
	CHECK(kshim_poll(fd, EPOLLIN, 1) == (EPOLLIN));
	/* It slept until the waker's 5 ms were up, and left no entry on the queue. */
	CHECK(local_clock() - t0 >= 5000000);
	CHECK(list_empty(&t_wq.head));
	CHECK(kshim_poll(fd, EPOLLIN | EPOLLRDNORM, 1) == (EPOLLIN | EPOLLRDNORM));
	CHECK(kshim_close(fd) == 0);
	device_unregister(d);
	files_teardown(cls, base);
	return 0;
}

static int signaller(void *task)
{
	msleep(1);
	kshim_task_signal(task);
	return 0;
}

int ks_dev_poll_signal(void)
{
	struct device *d;
	struct class *cls;
	dev_t base;
	int fd;

	cls = files_setup(&base);
	CHECK(cls);
	init_waitqueue_head(&t_wq);
	t_ready = false;
	d = device_create(cls, NULL, base + 2, NULL, "poll");
	fd = kshim_open("tst/poll", O_RDWR);
	CHECK(!IS_ERR(d) && fd >= 0);
	CHECK(kshim_task_create("signaller", signaller, current));
	CHECK(kshim_poll(fd, EPOLLIN, 1) == -EINTR);
	CHECK(list_empty(&t_wq.head));
	clear_bit(TIF_SIGPENDING, &current->thread_info.flags);
	CHECK(kshim_close(fd) == 0);
	device_unregister(d);
	files_teardown(cls, base);
	return 0;
}

static u64 dval = 42;

static int dget(void *data, u64 *val)
{
	*val = *(u64 *)data;
	return 0;
}

static int dset(void *data, u64 val)
{
	*(u64 *)data = val;
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(fops_d, dget, dset, "0x%016llx\n");

int ks_dev_debugfs(void)
{
	struct dentry *dir = debugfs_create_dir("tdir", NULL);
	struct dentry *sub = debugfs_create_dir("sub", dir);
	char buf[32];

	CHECK(!IS_ERR(dir) && !IS_ERR(sub));
	CHECK(!IS_ERR(debugfs_create_file_unsafe("val", 0600, sub, &dval, &fops_d)));
	CHECK(kshim_debugfs_read("tdir/sub/val", buf, sizeof(buf)) == 19);
	CHECK(!strcmp(buf, "0x000000000000002a\n"));
	CHECK(kshim_debugfs_write("tdir/sub/val", "0x10\n", 5) == 5 && dval == 16);
	CHECK(kshim_debugfs_write("tdir/sub/val", "010", 3) == 3 && dval == 8);
	CHECK(kshim_debugfs_write("tdir/sub/val", "12", 2) == 2 && dval == 12);
	CHECK(kshim_debugfs_write("tdir/sub/val", "1z", 2) == -EINVAL && dval == 12);
	CHECK(kshim_debugfs_write("tdir/sub/val", "99999999999999999999", 20) == -ERANGE);
	CHECK(kshim_debugfs_read("tdir/sub", buf, sizeof(buf)) == -EISDIR);
	CHECK(kshim_debugfs_read("tdir/nope", buf, sizeof(buf)) == -ENOENT);
	CHECK(PTR_ERR(debugfs_create_dir("tdir", NULL)) == -EEXIST);
	CHECK(debugfs_create_dir("x", ERR_PTR(-EEXIST)) == ERR_PTR(-EEXIST));
	debugfs_remove_recursive(dir);
	CHECK(!kshim_debugfs_exists("tdir/sub/val") && !kshim_debugfs_exists("tdir"));
	debugfs_remove_recursive(NULL);
	debugfs_remove_recursive(ERR_PTR(-ENOMEM));
	return 0;
}
