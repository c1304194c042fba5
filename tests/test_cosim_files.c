// SPDX-License-Identifier: GPL-2.0
/*
 * The /dev/cxl file interface of the real driver (file.c, context.c,
 * irq.c) through its error returns and corners: what a program gets for
 * a bad ioctl, a second START_WORK, bad flags or interrupt counts, bad
 * user pointers; GET_PROCESS_ELEMENT and GET_AFU_ID for each device
 * kind; mmap of the problem-state area at the right and wrong sizes,
 * before and after START_WORK, in both modes; read with a short buffer,
 * without blocking, into a bad buffer; poll; a context whose card went
 * through EEH under it (a blocked read ends with EIO, poll says POLLERR,
 * the mapping faults, close still frees it); an interrupt in flight when
 * the card is fenced; calls while an adapter reset leaves the card
 * offline; a close while the job's first fault is pending, in both
 * modes; an AFU context whose interrupts span three MSI ranges, and one
 * asking more than the PHB has; and fault.c's prefaulting of the WED's
 * segment or of every segment, with a segment-table group overflowing.
 *
 * Each test is a program on libcxl's machine (the memcpy AFU on one PSL8
 * card): the raw calls below run as its simulated process through
 * lx_call(), with pointers into the program's own memory; a few need
 * kernel context and run tests/kshim/files.c there.  Each ends with
 * lx_shutdown(), which must report no runtime check failed beyond those
 * the test declares.
 */
#define pr_fmt(fmt) "test-cosim-files: " fmt

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "afu/memcpy.h"
#include "core/log.h"
#include "core/types.h"
#include "harness.h"
#include "kshim/ks_files.h"
#include "host/cosim.h"
#include "host/hsched.h"
#include "host/kdev.h"
#include "libcxl_fixture.h"
#include "user/libcxl.h"
#include "user/lx.h"

#define SLAVE		"cxl/afu0.0s"
#define MASTER		"cxl/afu0.0m"
#define DEDICATED	"cxl/afu0.0d"
#define LINE		128
#define PAGE		4096

/* ---- System calls of the program's simulated process ---- */

enum sys_op {
	SYS_OPEN,
	SYS_CLOSE,
	SYS_IOCTL,
	SYS_READ,
	SYS_POLL,
	SYS_MMAP,
	SYS_MUNMAP,
	SYS_LOAD,
	SYS_STORE,
	SYS_ATTR_READ,
	SYS_ATTR_WRITE,
	SYS_IRQ_COUNT,
	SYS_EEH,
};

struct sys {
	enum sys_op op;
	int fd;				/* a file, or a mapping */
	const char *path;
	unsigned int cmd;		/* ioctl, open flags, poll events, access width */
	void *buf;
	unsigned long len;		/* buffer or mapping length; page offset for mmap */
	unsigned long long off;
	unsigned long long val;
};

static long sys_run(void *arg)
{
	struct sys *s = arg;

	switch (s->op) {
	case SYS_OPEN:
		return kshim_open(s->path, s->cmd);
	case SYS_CLOSE:
		return kshim_close(s->fd);
	case SYS_IOCTL:
		return kshim_ioctl(s->fd, s->cmd, (unsigned long)s->buf);
	case SYS_READ:
		return kshim_read(s->fd, s->buf, s->len);
	case SYS_POLL:
		return kshim_poll(s->fd, s->cmd, 0);
	case SYS_MMAP:
		return kshim_mmap(s->fd, s->len, s->off);
	case SYS_MUNMAP:
		return kshim_munmap(s->fd);
	case SYS_LOAD:
		return kshim_map_load(s->fd, s->off, s->cmd, &s->val);
	case SYS_STORE:
		return kshim_map_store(s->fd, s->off, s->cmd, s->val);
	case SYS_ATTR_READ:
		return kshim_sysfs_read(s->path, s->buf, s->len, 0);
	case SYS_ATTR_WRITE:
		return kshim_sysfs_write(s->path, s->buf, s->len);
	case SYS_IRQ_COUNT:
		return kshim_irq_count(s->cmd, &s->val, &s->off);
	case SYS_EEH:
		return kshim_eeh_inject(0);
	}
	return -ENOSYS;
}

static long sys(struct sys s)
{
	return lx_call(sys_run, &s, 0);
}

static long f_open(const char *dev, unsigned int flags)
{
	return sys((struct sys){ .op = SYS_OPEN, .path = dev, .cmd = flags });
}

static long f_close(int fd)
{
	return sys((struct sys){ .op = SYS_CLOSE, .fd = fd });
}

static long f_ioctl(int fd, unsigned int cmd, void *arg)
{
	return sys((struct sys){ .op = SYS_IOCTL, .fd = fd, .cmd = cmd, .buf = arg });
}

static long f_read(int fd, void *buf, unsigned long len)
{
	return sys((struct sys){ .op = SYS_READ, .fd = fd, .buf = buf, .len = len });
}

static long f_poll(int fd)
{
	return sys((struct sys){ .op = SYS_POLL, .fd = fd, .cmd = POLLIN | POLLRDNORM });
}

static long f_mmap(int fd, unsigned long len, unsigned long pgoff)
{
	return sys((struct sys){ .op = SYS_MMAP, .fd = fd, .len = len, .off = pgoff });
}

static long f_munmap(int map)
{
	return sys((struct sys){ .op = SYS_MUNMAP, .fd = map });
}

/* A big-endian register of the memcpy AFU, as libcxl's CXL_MMIO_BIG_ENDIAN reads it. */
static long f_load64(int map, unsigned long off, u64 *val)
{
	struct sys s = { .op = SYS_LOAD, .fd = map, .off = off, .cmd = 8 };
	long ret = lx_call(sys_run, &s, 0);

	*val = __builtin_bswap64(s.val);
	return ret;
}

static long f_store64(int map, unsigned long off, u64 val)
{
	return sys((struct sys){ .op = SYS_STORE, .fd = map, .off = off, .cmd = 8,
				 .val = __builtin_bswap64(val) });
}

static long attr_write(const char *path, const char *val)
{
	long ret = sys((struct sys){ .op = SYS_ATTR_WRITE, .path = path, .buf = (void *)val,
				     .len = strlen(val) });

	return ret < 0 ? ret : 0;
}

/* How often the handler of @hwirq handled it; -1 if it is not mapped. */
static long long irq_handled(unsigned int hwirq)
{
	struct sys s = { .op = SYS_IRQ_COUNT, .cmd = hwirq };

	return lx_call(sys_run, &s, 0) ? -1 : (long long)s.val;
}

static long attr_long(const char *path, long *val)
{
	char buf[64] = "";
	long ret = sys((struct sys){ .op = SYS_ATTR_READ, .path = path, .buf = buf,
				     .len = sizeof(buf) });

	*val = strtol(buf, NULL, 0);
	return ret < 0 ? ret : 0;
}

/* ---- The program's side ---- */

/* An address the program has not mapped. */
static void *hole(void)
{
	void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || munmap(p, 4096))
		return NULL;
	return p;
}

static struct cxl_ioctl_start_work work_of(u64 wed)
{
	return (struct cxl_ioctl_start_work){ .work_element_descriptor = wed };
}

static long start_work(int fd, u64 wed)
{
	struct cxl_ioctl_start_work w = work_of(wed);

	return f_ioctl(fd, CXL_IOCTL_START_WORK, &w);
}

/* ---- ioctl ---- */

TEST unknown_ioctl_is_einval(void)
{
	long fd = f_open(SLAVE, O_RDWR);
	u32 pe;

	ASSERT(fd >= 0);
	ASSERT_EQm("no such command", -EINVAL, f_ioctl(fd, _IOR(CXL_MAGIC, 0x7f, u32), &pe));
	ASSERT_EQm("not a cxl command", -EINVAL, f_ioctl(fd, 0x5401 /* TCGETS */, &pe));
	ASSERT_EQ(0, f_close(fd));
	ASSERT_EQm("no runtime check failed", 0, lx_shutdown());
	PASS();
}

TEST start_work_twice_is_eio(void)
{
	long fd = f_open(SLAVE, O_RDWR);

	ASSERT(fd >= 0);
	ASSERT_EQ(0, start_work(fd, 0));
	ASSERT_EQm("a context starts once", -EIO, start_work(fd, 0));
	ASSERT_EQ(0, f_close(fd));
	ASSERT_EQ(0, lx_shutdown());
	PASS();
}

TEST start_work_bad_arguments(void)
{
	long fd = f_open(SLAVE, O_RDWR);
	struct cxl_ioctl_start_work w = work_of(0);
	long irqs_max;

	ASSERT(fd >= 0);
	ASSERT_EQ(0, attr_long("cxl/afu0.0/irqs_max", &irqs_max));
	w.flags = 0x100;
	ASSERT_EQm("an unknown flag", -EINVAL, f_ioctl(fd, CXL_IOCTL_START_WORK, &w));
	w = work_of(0);
	w.reserved3 = 1;
	ASSERT_EQm("a reserved field set", -EINVAL, f_ioctl(fd, CXL_IOCTL_START_WORK, &w));
	w = work_of(0);
	w.flags = CXL_START_WORK_NUM_IRQS;
	w.num_interrupts = 0;
	ASSERT_EQm("fewer interrupts than the AFU needs", -EINVAL,
		   f_ioctl(fd, CXL_IOCTL_START_WORK, &w));
	w.num_interrupts = irqs_max + 1;
	ASSERT_EQm("more than irqs_max", -EINVAL, f_ioctl(fd, CXL_IOCTL_START_WORK, &w));
	ASSERT_EQm("the work is not readable", -EFAULT,
		   f_ioctl(fd, CXL_IOCTL_START_WORK, hole()));
	/* Nothing was consumed: the context still starts, with every flag. */
	w = work_of(0);
	w.flags = CXL_START_WORK_ALL;
	w.num_interrupts = 1;
	w.amr = 0x3;
	w.tid = 0xffff;
	ASSERT_EQ(0, f_ioctl(fd, CXL_IOCTL_START_WORK, &w));
	ASSERT_EQm("POWER8 has no TIDR: the tid written back is 0", 0, w.tid);
	ASSERT_EQ(0, f_close(fd));
	ASSERT_EQ(0, lx_shutdown());
	PASS();
}

TEST process_element_of_each_context(void)
{
	long a = f_open(SLAVE, O_RDWR), b = f_open(SLAVE, O_RDWR);
	u32 pe_a = ~0u, pe_b = ~0u;

	ASSERT(a >= 0 && b >= 0);
	ASSERT_EQm("known from the open", 0, f_ioctl(b, CXL_IOCTL_GET_PROCESS_ELEMENT, &pe_b));
	ASSERT_EQ(0, start_work(a, 0));
	ASSERT_EQ(0, f_ioctl(a, CXL_IOCTL_GET_PROCESS_ELEMENT, &pe_a));
	ASSERT_EQm("the first open's", 0, pe_a);
	ASSERT_EQm("the second open's", 1, pe_b);
	ASSERT_EQm("a bad pointer", -EFAULT, f_ioctl(a, CXL_IOCTL_GET_PROCESS_ELEMENT, hole()));
	ASSERT_EQ(0, f_close(a));
	ASSERT_EQ(0, f_close(b));
	ASSERT_EQ(0, lx_shutdown());
	PASS();
}

TEST afu_id_names_the_device(void)
{
	long s = f_open(SLAVE, O_RDWR), m = f_open(MASTER, O_RDWR);
	struct cxl_afu_id id;

	ASSERT(s >= 0 && m >= 0);
	memset(&id, 0xa5, sizeof(id));
	ASSERT_EQ(0, f_ioctl(s, CXL_IOCTL_GET_AFU_ID, &id));
	ASSERT_EQ(0, id.card_id);
	ASSERT_EQ(0, id.afu_offset);
	ASSERT_EQ(CXL_MODE_DIRECTED, id.afu_mode);
	ASSERT_EQm("a slave says so", CXL_AFUID_FLAG_SLAVE, id.flags);
	ASSERT_EQm("the reserved words are cleared", 0, id.reserved1 | id.reserved6);
	ASSERT_EQ(0, f_ioctl(m, CXL_IOCTL_GET_AFU_ID, &id));
	ASSERT_EQ(CXL_MODE_DIRECTED, id.afu_mode);
	ASSERT_EQm("the master is no slave", 0, id.flags);
	ASSERT_EQm("a bad pointer", -EFAULT, f_ioctl(m, CXL_IOCTL_GET_AFU_ID, hole()));
	ASSERT_EQ(0, f_close(s));
	ASSERT_EQ(0, f_close(m));
	ASSERT_EQ(0, lx_shutdown());
	PASS();
}

/* ---- mmap ---- */

TEST mmap_problem_state_sizes(void)
{
	long fd = f_open(SLAVE, O_RDWR);
	long map;
	u64 v;

	ASSERT(fd >= 0);
	ASSERT_EQm("not before START_WORK", -EIO, f_mmap(fd, 4096, 0));
	ASSERT_EQ(0, start_work(fd, 0));
	ASSERT_EQm("more than the context's 4 KB", -EINVAL, f_mmap(fd, 8192, 0));
	ASSERT_EQm("past its end", -EINVAL, f_mmap(fd, 4096, 1));
	map = f_mmap(fd, 4096, 0);
	ASSERT(map >= 0);
	ASSERT_EQ(0, f_store64(map, MEMCPY_PSA_WED, 0x1234500));
	ASSERT_EQ(0, f_load64(map, MEMCPY_PSA_WED, &v));
	ASSERT_EQ_FMTm("the AFU's own register", 0x1234500ULL, (unsigned long long)v, "%#llx");
	ASSERT_EQ(0, f_munmap(map));
	ASSERT_EQ(0, f_close(fd));
	ASSERT_EQ(0, lx_shutdown());
	PASS();
}

/* A master in AFU-directed mode maps the whole problem-state area. */
TEST master_maps_every_context(void)
{
	long s = f_open(SLAVE, O_RDWR), m = f_open(MASTER, O_RDWR);
	long ps_size, map_m, map_s;
	u64 v;

	ASSERT(s >= 0 && m >= 0);
	ASSERT_EQ(0, attr_long("cxl/afu0.0m/mmio_size", &ps_size));
	ASSERT(ps_size > 4096);
	ASSERT_EQ(0, start_work(s, 0));
	ASSERT_EQ(0, start_work(m, 0));
	ASSERT_EQm("past the area", -EINVAL, f_mmap(m, ps_size + 4096, 0));
	map_m = f_mmap(m, ps_size, 0);
	map_s = f_mmap(s, 4096, 0);
	ASSERT(map_m >= 0 && map_s >= 0);
	/* The slave (process element 0) sees the master's store to its page. */
	ASSERT_EQ(0, f_store64(map_m, MEMCPY_PSA_WED, 0xabc00));
	ASSERT_EQ(0, f_load64(map_s, MEMCPY_PSA_WED, &v));
	ASSERT_EQ_FMT(0xabc00ULL, (unsigned long long)v, "%#llx");
	ASSERT_EQ(0, f_munmap(map_m));
	ASSERT_EQ(0, f_munmap(map_s));
	ASSERT_EQ(0, f_close(s));
	ASSERT_EQ(0, f_close(m));
	ASSERT_EQ(0, lx_shutdown());
	PASS();
}

TEST dedicated_mode_files(void)
{
	struct memcpy_we *we = lx_fx_zalloc(LINE, sizeof(*we));
	unsigned char *buf = lx_fx_zalloc(LINE, 4096);
	struct cxl_afu_id id;
	struct cxl_event ev;
	long fd, map, ps_size;
	u64 v;

	ASSERT(we && buf);
	/* The size of the whole area, which only the master device tells. */
	ASSERT_EQ(0, attr_long("cxl/afu0.0m/mmio_size", &ps_size));
	ASSERT_EQ(0, lx_shutdown());
	setenv("CAPISIM_MODE", "dedicated", 1);
	ASSERT_EQm("no shared device", -ENOENT, f_open(SLAVE, O_RDWR));
	fd = f_open(DEDICATED, O_RDWR);
	ASSERT(fd >= 0);
	ASSERT_EQ(0, f_ioctl(fd, CXL_IOCTL_GET_AFU_ID, &id));
	ASSERT_EQ(CXL_MODE_DEDICATED, id.afu_mode);
	ASSERT_EQ(0, id.flags);
	lx_fx_we_set(we, buf, buf + 2048, 1024, MEMCPY_CTL_IRQ, 1);
	ASSERT_EQ(0, start_work(fd, (uintptr_t)we));
	ASSERTm("an interrupt", f_read(fd, &ev, CXL_READ_MIN_SIZE) > 0);
	ASSERT_EQ(CXL_EVENT_AFU_INTERRUPT, ev.header.type);
	ASSERT_EQ(MEMCPY_ST_DONE, we->status);
	ASSERT_EQm("past the area", -EINVAL, f_mmap(fd, ps_size + 4096, 0));
	map = f_mmap(fd, ps_size, 0);
	ASSERT(map >= 0);
	ASSERT_EQ(0, f_load64(map, MEMCPY_PSA_COUNT, &v));
	ASSERT_EQm("one work element done", 1, v);
	ASSERT_EQ(0, f_munmap(map));
	ASSERT_EQ(0, f_close(fd));
	free(we);
	free(buf);
	ASSERT_EQ(0, lx_shutdown());
	PASS();
}

/* ---- read and poll ---- */

TEST read_errors(void)
{
	long fd = f_open(SLAVE, O_RDWR), nb = f_open(SLAVE, O_RDWR | O_NONBLOCK);
	struct memcpy_we *we = lx_fx_zalloc(LINE, sizeof(*we));
	unsigned char *buf = lx_fx_zalloc(LINE, 4096);
	struct cxl_event *ev = malloc(CXL_READ_MIN_SIZE);
	int map;

	ASSERT(fd >= 0 && nb >= 0 && we && buf && ev);
	ASSERT_EQ(0, start_work(fd, 0));
	ASSERT_EQ(0, start_work(nb, 0));
	ASSERT_EQm("a buffer under CXL_READ_MIN_SIZE", -EINVAL,
		   f_read(fd, ev, CXL_READ_MIN_SIZE - 1));
	ASSERT_EQm("nothing pending, O_NONBLOCK", -EAGAIN, f_read(nb, ev, CXL_READ_MIN_SIZE));
	ASSERT_EQm("nothing to poll", 0, f_poll(fd));
	/* An interrupt: poll sees it, and a read into a bad buffer consumes it. */
	map = f_mmap(fd, 4096, 0);
	ASSERT(map >= 0);
	lx_fx_we_set(we, buf, buf + 2048, 1024, MEMCPY_CTL_IRQ, 1);
	ASSERT_EQ(0, f_store64(map, MEMCPY_PSA_WED, (uintptr_t)we));
	ASSERT_EQ(0, f_store64(map, MEMCPY_PSA_DOORBELL, 1));
	while (!*(volatile u64 *)&we->status)
		usleep(1);
	ASSERT_EQm("the copy is done", MEMCPY_ST_DONE, we->status);
	while (!f_poll(fd))
		usleep(1);
	ASSERT_EQ(POLLIN | POLLRDNORM, f_poll(fd));
	ASSERT_EQm("the event cannot be copied", -EFAULT, f_read(fd, hole(), CXL_READ_MIN_SIZE));
	ASSERT_EQm("and is gone", 0, f_poll(fd));
	ASSERT_EQ(0, f_munmap(map));
	ASSERT_EQ(0, f_close(fd));
	ASSERT_EQ(0, f_close(nb));
	free(we);
	free(buf);
	free(ev);
	ASSERT_EQ(0, lx_shutdown());
	PASS();
}

/* ---- A context across EEH ---- */

struct blocked_read {
	pthread_t thread;
	long fd;
	volatile int state;	/* 0 starting, 1 reading, 2 returned */
	long ret;
	struct cxl_event *ev;
};

static void *blocked_read_main(void *arg)
{
	struct blocked_read *r = arg;

	r->state = 1;
	r->ret = f_read(r->fd, r->ev, CXL_READ_MIN_SIZE);
	r->state = 2;
	return NULL;
}

/*
 * The driver's own bug, which the lock checks find: cxl_pci_error_detected()
 * holds adapter->afu_list_lock, a spinlock, across cxl_context_detach_all()
 * and pci_deconfigure_afu(), which take mutexes, flush work and schedule.
 * With one context attached that is 7 reports, which the run declares.
 */
#define EEH_SLEEPS_UNDER_SPINLOCK	7
/* ... and 2 when no context is open. */
#define EEH_SLEEPS_NO_CONTEXT		2

static long expect_call(void *arg)
{
	const unsigned int *e = arg;

	kshim_expect(e[0], e[1]);
	return 0;
}

/* The machine's run expects @n more reports of @check (hsched.h). */
static void expect(enum kshim_check check, unsigned int n)
{
	unsigned int e[2] = { check, n };

	lx_call(expect_call, e, 0);
}

/*
 * EEH detaches every context (cxl_context_detach_all): a read blocked on
 * one returns EIO, poll says POLLERR, ioctls fail, and its problem-state
 * mapping faults (SIGBUS); closing and unmapping still free everything.
 */
TEST context_across_eeh(void)
{
	struct blocked_read r = { .ev = malloc(CXL_READ_MIN_SIZE) };
	long fd = f_open(SLAVE, O_RDWR);
	long map, fd2;
	u32 pe;
	u64 v;

	ASSERT(fd >= 0 && r.ev);
	expect(KSHIM_CHECK_SLEEP_SPINLOCK, EEH_SLEEPS_UNDER_SPINLOCK);
	ASSERT_EQ(0, start_work(fd, 0));
	map = f_mmap(fd, 4096, 0);
	ASSERT(map >= 0);
	ASSERT_EQ(0, f_load64(map, MEMCPY_PSA_STATE, &v));
	r.fd = fd;
	ASSERT_EQ(0, pthread_create(&r.thread, NULL, blocked_read_main, &r));
	while (r.state != 1 || lx_calls_in_progress() != 1)
		usleep(100);
	ASSERT_EQm("the card came back", 0, sys((struct sys){ .op = SYS_EEH }));
	pthread_join(r.thread, NULL);
	ASSERT_EQm("the blocked read", -EIO, r.ret);
	ASSERT_EQm("poll", POLLERR, sys((struct sys){ .op = SYS_POLL, .fd = fd,
							 .cmd = POLLIN }));
	ASSERT_EQm("a read", -EIO, f_read(fd, r.ev, CXL_READ_MIN_SIZE));
	ASSERT_EQm("an ioctl", -EIO, f_ioctl(fd, CXL_IOCTL_GET_PROCESS_ELEMENT, &pe));
	ASSERT_EQm("the mapping is gone", -EFAULT, f_load64(map, MEMCPY_PSA_STATE, &v));
	ASSERT_EQ(0, f_munmap(map));
	ASSERT_EQ(0, f_close(fd));
	/* The recovered AFU takes new contexts. */
	fd2 = f_open(SLAVE, O_RDWR);
	ASSERT(fd2 >= 0);
	ASSERT_EQ(0, start_work(fd2, 0));
	ASSERT_EQ(0, f_close(fd2));
	free(r.ev);
	ASSERT_EQ(0, lx_shutdown());
	PASS();
}

struct ring_and_close {
	int fd;
	int map;
	u64 wed;
};

/* One system call: start the job, then close at once, its first fault still pending. */
static long ring_and_close_call(void *arg)
{
	struct ring_and_close *c = arg;
	int ret;

	ret = kshim_map_store(c->map, MEMCPY_PSA_WED, 8, __builtin_bswap64(c->wed));
	if (!ret)
		ret = kshim_map_store(c->map, MEMCPY_PSA_DOORBELL, 8, __builtin_bswap64(1));
	kshim_munmap(c->map);
	kshim_close(c->fd);
	return ret;
}

/*
 * A close while the PSL presents the job's first translation fault: the
 * fault work finds the context closed and answers the PSL with an address
 * error (cxl_ack_ae), so the TERMINATE completes and the job never runs.
 */
TEST close_with_a_fault_pending(void)
{
	struct memcpy_we *we = lx_fx_zalloc(PAGE, PAGE);
	unsigned char *buf = lx_fx_zalloc(PAGE, 4 * PAGE);
	struct ring_and_close c;
	long fd = f_open(SLAVE, O_RDWR);

	ASSERT(fd >= 0 && we && buf);
	ASSERT_EQ(0, start_work(fd, 0));
	c.fd = fd;
	c.map = f_mmap(fd, 4096, 0);
	c.wed = (uintptr_t)we;
	ASSERT(c.map >= 0);
	lx_fx_we_set(we, buf, buf + 2 * PAGE, 2 * PAGE, MEMCPY_CTL_IRQ, 1);
	ASSERT_EQ(0, lx_call(ring_and_close_call, &c, 0));
	ASSERTm("the job never ran", !we->status);
	free(we);
	free(buf);
	ASSERT_EQ(0, lx_shutdown());
	PASS();
}

/* One system call: attach with @wed, which starts a dedicated AFU, and close at once. */
static long attach_and_close_call(void *arg)
{
	struct ring_and_close *c = arg;
	struct cxl_ioctl_start_work *w = (void *)(uintptr_t)c->wed;
	long ret = kshim_ioctl(c->fd, CXL_IOCTL_START_WORK, (unsigned long)w);

	kshim_close(c->fd);
	return ret;
}

/*
 * The same in dedicated mode, where the detach resets and disables the
 * AFU and purges the PSL: the purge finds the translation fault pending
 * and terminates it itself.
 */
TEST dedicated_close_with_a_fault_pending(void)
{
	struct memcpy_we *we = lx_fx_zalloc(PAGE, PAGE);
	unsigned char *buf = lx_fx_zalloc(PAGE, 4 * PAGE);
	struct cxl_ioctl_start_work w;
	struct ring_and_close c = { .wed = (uintptr_t)&w };

	ASSERT(we && buf);
	setenv("CAPISIM_MODE", "dedicated", 1);
	lx_fx_we_set(we, buf, buf + 2 * PAGE, 2 * PAGE, MEMCPY_CTL_IRQ, 1);
	w = work_of((uintptr_t)we);
	c.fd = f_open(DEDICATED, O_RDWR);
	ASSERT(c.fd >= 0);
	ASSERT_EQ(0, lx_call(attach_and_close_call, &c, 0));
	ASSERTm("the job never ran", !we->status);
	free(we);
	free(buf);
	ASSERT_EQ(0, lx_shutdown());
	PASS();
}

/*
 * EEH catching a translation-fault interrupt in flight: it is delivered
 * after the PHB fenced the card, the handler reads all-ones for the PE
 * handle and ignores it, and the recovery detaches the context as usual.
 */
TEST interrupt_at_a_fenced_card(void)
{
	struct memcpy_we *we = lx_fx_zalloc(PAGE, PAGE);
	unsigned char *buf = lx_fx_zalloc(PAGE, 4 * PAGE);
	struct ks_files_job job = { .wed = (uintptr_t)we };
	long fd = f_open(SLAVE, O_RDWR);

	ASSERT(fd >= 0 && we && buf);
	expect(KSHIM_CHECK_SLEEP_SPINLOCK, EEH_SLEEPS_UNDER_SPINLOCK);
	ASSERT_EQ(0, start_work(fd, 0));
	job.map = f_mmap(fd, 4096, 0);
	ASSERT(job.map >= 0);
	lx_fx_we_set(we, buf, buf + 2 * PAGE, 2 * PAGE, MEMCPY_CTL_IRQ, 1);
	ASSERT_EQm("the interrupt came, and the card came back", 0,
		   lx_call(ks_files_irq_at_fenced_card, &job, 0));
	ASSERTm("the fault was never served", !we->status);
	ASSERT_EQ(-EIO, start_work(fd, 0));
	ASSERT_EQ(0, f_munmap(job.map));
	ASSERT_EQ(0, f_close(fd));
	free(we);
	free(buf);
	ASSERT_EQ(0, lx_shutdown());
	PASS();
}

/*
 * The card offline between an adapter reset and the EEH thread's recovery
 * (ks_files_use_a_resetting_card): the mode change refused in that window
 * is the driver's WARN; the recovery finds no context and restores the
 * AFU-directed mode, where contexts start again.
 */
TEST calls_while_the_card_resets(void)
{
	long fd = f_open(SLAVE, O_RDWR);
	char buf[32] = "";

	ASSERT(fd >= 0);
	expect(KSHIM_CHECK_WARN, 1);
	expect(KSHIM_CHECK_SLEEP_SPINLOCK, EEH_SLEEPS_NO_CONTEXT);
	ASSERT_EQm("the line of the failed check", 0,
		   lx_call(ks_files_use_a_resetting_card, (void *)fd, 0));
	ASSERT(sys((struct sys){ .op = SYS_ATTR_READ, .path = "cxl/afu0.0/mode", .buf = buf,
				 .len = sizeof(buf) }) > 0);
	ASSERT_STR_EQ("afu_directed\n", buf);
	fd = f_open(SLAVE, O_RDWR);
	ASSERT(fd >= 0);
	ASSERT_EQ(0, start_work(fd, 0));
	ASSERT_EQ(0, f_close(fd));
	ASSERT_EQ(0, lx_shutdown());
	PASS();
}

/* ---- Interrupts ---- */

/*
 * 1026 interrupts do not fit one aligned run of the PHB's MSIs (its first
 * ones are the PSL's): the driver gets three ranges.  The AFU raises the
 * first and last of each, and each must reach read() as its own number.
 */
TEST interrupts_over_three_ranges(void)
{
	static const u16 lisns[] = { 1, 513, 514, 769, 770, 1026 };
	struct memcpy_we *we = lx_fx_zalloc(LINE, ARRAY_SIZE(lisns) * sizeof(*we));
	unsigned char *buf = lx_fx_zalloc(LINE, 4096);
	struct cxl_ioctl_start_work w = work_of(0);
	struct cxl_event *ev = malloc(CXL_READ_MIN_SIZE);
	unsigned int i, seen = 0, got[ARRAY_SIZE(lisns)];
	long fd = f_open(SLAVE, O_RDWR);
	int map;

	ASSERT(fd >= 0 && we && buf && ev);
	w.flags = CXL_START_WORK_NUM_IRQS;
	w.num_interrupts = 1026;
	ASSERT_EQ(0, f_ioctl(fd, CXL_IOCTL_START_WORK, &w));
	for (i = 0; i < ARRAY_SIZE(lisns); i++) {
		lx_fx_we_set(&we[i], buf, buf + 2048, 128, MEMCPY_CTL_IRQ, lisns[i]);
		if (i + 1 < ARRAY_SIZE(lisns))
			we[i].next = (uintptr_t)&we[i + 1];
	}
	map = f_mmap(fd, 4096, 0);
	ASSERT(map >= 0);
	ASSERT_EQ(0, f_store64(map, MEMCPY_PSA_WED, (uintptr_t)we));
	ASSERT_EQ(0, f_store64(map, MEMCPY_PSA_DOORBELL, 1));
	/* Pending interrupts are read lowest first: collect them, then compare. */
	for (i = 0; i < ARRAY_SIZE(lisns); i++) {
		ASSERT(f_read(fd, ev, CXL_READ_MIN_SIZE) > 0);
		ASSERT_EQ(CXL_EVENT_AFU_INTERRUPT, ev->header.type);
		got[i] = ev->irq.irq;
	}
	for (i = 0; i < ARRAY_SIZE(lisns); i++) {
		unsigned int j;

		for (j = 0; j < ARRAY_SIZE(got); j++)
			if (got[j] == lisns[i])
				seen++;
	}
	ASSERT_EQm("each interrupt once, by its own number", ARRAY_SIZE(lisns), seen);
	ASSERT_EQ(MEMCPY_ST_DONE, we[ARRAY_SIZE(lisns) - 1].status);
	ASSERT_EQ(0, f_munmap(map));
	ASSERT_EQ(0, f_close(fd));
	free(we);
	free(buf);
	free(ev);
	ASSERT_EQ(0, lx_shutdown());
	PASS();
}

/*
 * 2000 interrupts do not fit three ranges of the PHB's pool: START_WORK
 * fails with what the allocator said, and the context starts afterwards
 * with what it can have.
 */
TEST interrupts_beyond_the_pool(void)
{
	struct cxl_ioctl_start_work w = work_of(0);
	long fd = f_open(SLAVE, O_RDWR);

	ASSERT(fd >= 0);
	w.flags = CXL_START_WORK_NUM_IRQS;
	w.num_interrupts = 2000;
	ASSERT_EQ(-ENOSPC, f_ioctl(fd, CXL_IOCTL_START_WORK, &w));
	w.num_interrupts = 1;
	ASSERT_EQ(0, f_ioctl(fd, CXL_IOCTL_START_WORK, &w));
	ASSERT_EQ(0, f_close(fd));
	ASSERT_EQ(0, lx_shutdown());
	PASS();
}

/* ---- Prefaulting ---- */

/*
 * The slice's PSL interrupt, which carries its translation faults: the
 * third MSI of the PHB, after the adapter's PSL error interrupt and the
 * slice's error interrupt, in the order the probe asks for them.
 */
#define PSL_HWIRQ	(COSIM_MSI_BASE + 2)

/*
 * One copy on a fresh machine with prefault_mode @mode: how many
 * translation-fault interrupts the driver handled, or -1.  The work
 * element, source and destination are heap pages, in one segment: each
 * run takes the same page faults.
 */
static long long faults_with_prefault(const char *mode)
{
	struct memcpy_we *we = lx_fx_zalloc(PAGE, 4096);
	unsigned char *buf = lx_fx_zalloc(PAGE, 16384);
	struct cxl_event *ev = malloc(CXL_READ_MIN_SIZE);
	long long n = -1;
	long fd = -1, map = -1;

	if (!we || !buf || !ev || attr_write("cxl/afu0.0/prefault_mode", mode))
		goto out;
	fd = f_open(SLAVE, O_RDWR);
	lx_fx_we_set(we, buf, buf + 8192, 8192, MEMCPY_CTL_IRQ, 1);
	if (fd < 0 || start_work(fd, (uintptr_t)we))
		goto out;
	map = f_mmap(fd, 4096, 0);
	if (map < 0 || f_store64(map, MEMCPY_PSA_WED, (uintptr_t)we) ||
	    f_store64(map, MEMCPY_PSA_DOORBELL, 1))
		goto out;
	if (f_read(fd, ev, CXL_READ_MIN_SIZE) > 0 && ev->header.type == CXL_EVENT_AFU_INTERRUPT &&
	    we->status == MEMCPY_ST_DONE)
		n = irq_handled(PSL_HWIRQ);
out:
	if (map >= 0)
		f_munmap(map);
	if (fd >= 0)
		f_close(fd);
	free(we);
	free(buf);
	free(ev);
	return lx_shutdown() ? -1 : n;
}

/* Prefaulting the WED's segment, or every segment, saves the segment miss. */
TEST prefault_modes(void)
{
	long long none = faults_with_prefault("none");
	long long wed = faults_with_prefault("work_element_descriptor");
	long long all = faults_with_prefault("all");

	ASSERTm("the copy ran", none > 0 && wed > 0 && all > 0);
	ASSERT_EQm("the WED's segment was loaded at attach", none - 1, wed);
	ASSERT_EQm("so was every segment", none - 1, all);
	ASSERT_EQ(-EINVAL, attr_write("cxl/afu0.0/prefault_mode", "sometimes"));
	ASSERT_EQ(0, lx_shutdown());
	PASS();
}

/*
 * Nine 256 MB segments below 1 TB whose ESIDs hash to one group of the
 * segment table (8 entries): prefaulting them all makes the driver
 * replace an entry, round robin, and the copies between them still run.
 */
#define SEG_GROUP_STRIDE	(32ULL << 28)	/* 32 groups of 256 MB segments */
#define SEG_BASE		(0x3ULL << 28)
#define NR_SEGS			9

TEST segment_table_group_overflows(void)
{
	unsigned char *seg[NR_SEGS];
	struct memcpy_we *we = lx_fx_zalloc(LINE, NR_SEGS * sizeof(*we));
	struct cxl_event *ev = malloc(CXL_READ_MIN_SIZE);
	long fd, map;
	unsigned int i, placed = 0;

	ASSERT(we && ev);
	for (i = 0; i < NR_SEGS; i++) {
		seg[i] = mmap((void *)(uintptr_t)(SEG_BASE + i * SEG_GROUP_STRIDE), 4096,
			      PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (seg[i] == MAP_FAILED)
			break;
		placed++;
		memset(seg[i], i + 1, 4096);
	}
	if (placed < NR_SEGS) {
		while (placed)
			munmap(seg[--placed], 4096);
		free(we);
		free(ev);
		SKIPm("the low segments are taken in this process (a sanitizer's shadow?)");
	}
	ASSERT_EQ(0, attr_write("cxl/afu0.0/prefault_mode", "all"));
	fd = f_open(SLAVE, O_RDWR);
	ASSERT(fd >= 0);
	ASSERT_EQ(0, start_work(fd, (uintptr_t)we));
	/* Each segment's first half to the next one's second half. */
	for (i = 0; i < NR_SEGS; i++) {
		lx_fx_we_set(&we[i], seg[i], seg[(i + 1) % NR_SEGS] + 2048, 2048, MEMCPY_CTL_IRQ, 1);
		if (i + 1 < NR_SEGS) {
			we[i].ctl &= ~MEMCPY_CTL_IRQ;
			we[i].next = (uintptr_t)&we[i + 1];
		}
	}
	map = f_mmap(fd, 4096, 0);
	ASSERT(map >= 0);
	ASSERT_EQ(0, f_store64(map, MEMCPY_PSA_WED, (uintptr_t)we));
	ASSERT_EQ(0, f_store64(map, MEMCPY_PSA_DOORBELL, 1));
	ASSERT(f_read(fd, ev, CXL_READ_MIN_SIZE) > 0);
	ASSERT_EQ(CXL_EVENT_AFU_INTERRUPT, ev->header.type);
	for (i = 0; i < NR_SEGS; i++) {
		ASSERT_EQ(MEMCPY_ST_DONE, we[i].status);
		ASSERT_EQm("the copy landed", i + 1, seg[(i + 1) % NR_SEGS][2048]);
	}
	ASSERT_EQ(0, f_munmap(map));
	ASSERT_EQ(0, f_close(fd));
	for (i = 0; i < NR_SEGS; i++)
		munmap(seg[i], 4096);
	free(we);
	free(ev);
	ASSERT_EQ(0, lx_shutdown());
	PASS();
}

SUITE(ioctl)
{
	SET_SETUP(lx_fx_setup, NULL);
	SET_TEARDOWN(lx_fx_teardown, NULL);
	RUN_TEST(unknown_ioctl_is_einval);
	RUN_TEST(start_work_twice_is_eio);
	RUN_TEST(start_work_bad_arguments);
	RUN_TEST(process_element_of_each_context);
	RUN_TEST(afu_id_names_the_device);
}

SUITE(mappings)
{
	SET_SETUP(lx_fx_setup, NULL);
	SET_TEARDOWN(lx_fx_teardown, NULL);
	RUN_TEST(mmap_problem_state_sizes);
	RUN_TEST(master_maps_every_context);
	RUN_TEST(dedicated_mode_files);
}

SUITE(events)
{
	SET_SETUP(lx_fx_setup, NULL);
	SET_TEARDOWN(lx_fx_teardown, NULL);
	RUN_TEST(read_errors);
	RUN_TEST(context_across_eeh);
	RUN_TEST(interrupt_at_a_fenced_card);
	RUN_TEST(calls_while_the_card_resets);
	RUN_TEST(close_with_a_fault_pending);
	RUN_TEST(dedicated_close_with_a_fault_pending);
	RUN_TEST(interrupts_over_three_ranges);
	RUN_TEST(interrupts_beyond_the_pool);
}

SUITE(prefault)
{
	SET_SETUP(lx_fx_setup, NULL);
	SET_TEARDOWN(lx_fx_teardown, NULL);
	RUN_TEST(prefault_modes);
	RUN_TEST(segment_table_group_overflows);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	RUN_SUITE(ioctl);
	RUN_SUITE(mappings);
	RUN_SUITE(events);
	RUN_SUITE(prefault);
	HARNESS_MAIN_END();
}
