/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's devices as the harness sees them: boot and module exit,
 * sysfs and debugfs by path, the /dev file layer, EEH injection.  These
 * are implemented by the kernel side (driver_shim/kernel/) and declared
 * with builtin C types only, so host code can call them.
 *
 * Every call that can reach driver code must run inside a kernel task,
 * as the driver may sleep in it; reading an attribute that only formats
 * a value is no exception, as show() may take a mutex.
 */
#ifndef KSHIM_HOST_KDEV_H
#define KSHIM_HOST_KDEV_H

/* ---- Boot (boot.c) ---- */

/*
 * Forget every device, file, interrupt mapping, PHB and device-tree node
 * of an earlier world.  After kshim_hmem_init() (whose memory they lived
 * in), before kshim_boot() or any test of the device layer.
 */
void kshim_dev_init(void);

/*
 * Build the device tree and the PCI buses of the cosim cards, then run
 * every initcall (module_init) in link order, which registers the driver
 * and probes the cards.  Returns 0, or the first initcall error; the
 * others still run, as the kernel does.
 */
int kshim_boot(void);
/* Every exitcall (module_exit) in reverse order, then the buses and the tree. */
void kshim_shutdown(void);
/* How many initcalls ran, and what the @i-th returned. */
int kshim_initcall_count(void);
int kshim_initcall_result(int i, const char **name);

/* ---- sysfs (device.c) ---- */

/*
 * Paths are those under /sys/class for class devices ("cxl/afu0.0/mode",
 * "cxl/afu0.0/cr0/vendor"), and under /sys/devices otherwise
 * ("pci0000:00/0000:01:00.0").  A read of a text attribute formats it
 * (show) and returns up to @len - 1 bytes from @off, NUL-terminated; a
 * binary attribute is read as it is.  A write stores @len bytes (store).
 * Both return a byte count, -ENOENT for no such file, -EIO when the
 * attribute has no show/store, or the attribute's own error.
 */
long kshim_sysfs_read(const char *path, char *buf, unsigned long len, long long off);
long kshim_sysfs_write(const char *path, const char *buf, unsigned long len);
/* 1 if @path names a directory (kobject) or a file, else 0. */
int kshim_sysfs_exists(const char *path);
/* Number of kobjects in sysfs: what is left after a teardown leaks. */
int kshim_sysfs_nr_dirs(void);

/* ---- debugfs (debugfs.c) ---- */

/* "cxl/card0/err_ivte": open, read or write once from offset 0, release. */
long kshim_debugfs_read(const char *path, char *buf, unsigned long len);
long kshim_debugfs_write(const char *path, const char *buf, unsigned long len);
int kshim_debugfs_exists(const char *path);

/* ---- /dev and files (vfs.c) ---- */

/* 1 if /dev/@name exists ("cxl/afu0.0s"), else 0. */
int kshim_dev_exists(const char *name);
/* open(2) of /dev/@name with O_* @flags: a file descriptor, or -errno. */
int kshim_open(const char *name, unsigned int flags);
int kshim_close(int fd);
long kshim_ioctl(int fd, unsigned int cmd, unsigned long arg);
long kshim_read(int fd, void *buf, unsigned long len);
/*
 * poll(2) of one descriptor for EPOLL* @events: @block 0 returns at once,
 * otherwise sleeps until one is ready or a signal is pending (-EINTR).
 * Returns the ready events.
 */
int kshim_poll(int fd, unsigned int events, int block);
/*
 * The same with a timeout in simulated time: @timeout_ps 0 returns at
 * once, < 0 waits without limit; 0 when the time ran out with nothing
 * ready.
 */
int kshim_poll_timeout(int fd, unsigned int events, long long timeout_ps);
/*
 * mmap(2) of @len bytes at page @pgoff of the file: a mapping number, or
 * -errno.  Its bytes are reached only by load/store below, which take the
 * page fault on first touch as the CPU would; -EFAULT stands for SIGBUS.
 */
int kshim_mmap(int fd, unsigned long len, unsigned long pgoff);
int kshim_munmap(int map);
/* A @width-byte load or store at @off in the mapping, as a little-endian CPU does it. */
int kshim_map_load(int map, unsigned long off, unsigned int width, unsigned long long *val);
int kshim_map_store(int map, unsigned long off, unsigned int width, unsigned long long val);
/* Unmap every mapping and close every file, as a process's exit does. */
void kshim_files_close_all(void);

/* ---- Interrupts (irq.c) ---- */

/*
 * How often the handler of the virq mapped to @hwirq ran and handled it,
 * and how often it said IRQ_NONE or there was none; -ENOENT if unmapped.
 */
int kshim_irq_count(unsigned int hwirq, unsigned long long *handled,
		    unsigned long long *unhandled);

/* ---- EEH (eeh.c) ---- */

/*
 * Freeze the card's slot as the PHB does on an error, then run the
 * recovery the EEH core runs: error_detected, reset, slot_reset, resume,
 * or removal and re-probe when the driver opts out.  Returns 0 when the
 * card came back, -EIO when it was disconnected, -ENODEV for no card.
 */
int kshim_eeh_inject(int card);

#endif
