// SPDX-License-Identifier: GPL-2.0
/*
 * libcxl on the simulated machine (docs/libcxl.md): IBM libcxl's
 * interface, each call going through the real cxl driver as the system
 * calls IBM's library makes would.  Where IBM's library opens /dev/cxl,
 * reads sysfs, calls ioctl/read/poll/mmap and touches the mapped problem
 * state, this one does the same through the shim's file layer, sysfs and
 * mappings (driver_shim/host/kdev.h), as the calling thread's simulated
 * process (lx_call()).
 */
#define pr_fmt(fmt) "libcxl: " fmt

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/time.h"
#include "host/cosim.h"
#include "host/hsched.h"
#include "host/kdev.h"
#include "libcxl.h"
#include "lx.h"

#define LX_MAX_SLICES		4	/* AFUs per adapter (CXL_MAX_SLICES) */
#define LX_ATTR_LEN		256
#define LX_DEV_PREFIX		"/dev/"
#define LX_EVENT_READ_FAIL	0xffff	/* header.type of a failed cxl_read_event */

/* ---- System calls, run as the calling thread's process ---- */

enum lxs_op {
	LXS_OPEN,
	LXS_CLOSE,
	LXS_IOCTL,
	LXS_ATTACH,
	LXS_READ,
	LXS_POLL,
	LXS_MMAP,
	LXS_MUNMAP,
	LXS_LOAD,
	LXS_STORE,
	LXS_ATTR_READ,
	LXS_ATTR_WRITE,
	LXS_EXISTS,
	LXS_DEV_EXISTS,
};

/* One request; which fields count depends on @op. */
struct lxs {
	enum lxs_op op;
	int fd;				/* a file, or a mapping for load/store/munmap */
	const char *path;
	void *buf;
	unsigned long len;
	unsigned long long val;
	unsigned int cmd;
	long long off;
};

static long lxs_run(void *arg)
{
	struct lxs *s = arg;

	switch (s->op) {
	case LXS_OPEN:
		return kshim_open(s->path, s->cmd);
	case LXS_CLOSE:
		return kshim_close(s->fd);
	case LXS_ATTACH:
		/* The work may point anywhere the program mapped since the last look. */
		lx_mirror_refresh();
		return kshim_ioctl(s->fd, s->cmd, (unsigned long)s->buf);
	case LXS_IOCTL:
		return kshim_ioctl(s->fd, s->cmd, (unsigned long)s->buf);
	case LXS_READ:
		return kshim_read(s->fd, s->buf, s->len);
	case LXS_POLL:
		return kshim_poll_timeout(s->fd, s->cmd, s->off);
	case LXS_MMAP:
		return kshim_mmap(s->fd, s->len, 0);
	case LXS_MUNMAP:
		return kshim_munmap(s->fd);
	case LXS_LOAD:
		return kshim_map_load(s->fd, s->off, s->len, &s->val);
	case LXS_STORE:
		return kshim_map_store(s->fd, s->off, s->len, s->val);
	case LXS_ATTR_READ:
		return kshim_sysfs_read(s->path, s->buf, s->len, s->off);
	case LXS_ATTR_WRITE:
		return kshim_sysfs_write(s->path, s->buf, s->len);
	case LXS_EXISTS:
		return kshim_sysfs_exists(s->path);
	case LXS_DEV_EXISTS:
		return kshim_dev_exists(s->path);
	}
	return -ENOSYS;
}

/*
 * Each system call is a libcxl.<call> trace event, made as the call
 * returns (docs/trace-format.md, "Event kinds"): who made it, its
 * arguments, its result and how long it took in simulated time.
 */
#define LXS_WHO		"pid:u64 comm:str "
#define LXS_END		" ret:s64 lat:u64"
static struct trace_source lxs_src = TRACE_SOURCE("libcxl");
static struct trace_kind lxs_kinds[] = {
	[LXS_OPEN] = TRACE_KIND("libcxl.open", TRACE_LVL_DEFAULT,
				LXS_WHO "path:str flags:u64" LXS_END),
	[LXS_CLOSE] = TRACE_KIND("libcxl.close", TRACE_LVL_DEFAULT, LXS_WHO "fd:s64" LXS_END),
	[LXS_IOCTL] = TRACE_KIND("libcxl.ioctl", TRACE_LVL_DEFAULT,
				 LXS_WHO "fd:s64 cmd:u64" LXS_END),
	[LXS_ATTACH] = TRACE_KIND("libcxl.attach", TRACE_LVL_DEFAULT,
				  LXS_WHO "fd:s64 flags:u64 num_interrupts:s64 wed:u64 amr:u64"
				  LXS_END),
	[LXS_READ] = TRACE_KIND("libcxl.read", TRACE_LVL_DEFAULT,
				LXS_WHO "fd:s64 len:u64 data:bytes" LXS_END),
	[LXS_POLL] = TRACE_KIND("libcxl.poll", TRACE_LVL_DEFAULT,
				LXS_WHO "fd:s64 events:u64 timeout:s64" LXS_END),
	[LXS_MMAP] = TRACE_KIND("libcxl.mmap", TRACE_LVL_DEFAULT, LXS_WHO "fd:s64 len:u64" LXS_END),
	[LXS_MUNMAP] = TRACE_KIND("libcxl.munmap", TRACE_LVL_DEFAULT, LXS_WHO "map:s64" LXS_END),
	[LXS_LOAD] = TRACE_KIND("libcxl.mmio_read", TRACE_LVL_DEFAULT,
				LXS_WHO "map:s64 off:u64 width:u64 val:u64" LXS_END),
	[LXS_STORE] = TRACE_KIND("libcxl.mmio_write", TRACE_LVL_DEFAULT,
				 LXS_WHO "map:s64 off:u64 width:u64 val:u64" LXS_END),
	[LXS_ATTR_READ] = TRACE_KIND("libcxl.sysfs_read", TRACE_LVL_DEFAULT,
				     LXS_WHO "path:str off:s64 text:bytes" LXS_END),
	[LXS_ATTR_WRITE] = TRACE_KIND("libcxl.sysfs_write", TRACE_LVL_DEFAULT,
				      LXS_WHO "path:str text:bytes" LXS_END),
	[LXS_EXISTS] = TRACE_KIND("libcxl.sysfs_exists", TRACE_LVL_DEFAULT,
				  LXS_WHO "path:str" LXS_END),
	[LXS_DEV_EXISTS] = TRACE_KIND("libcxl.dev_exists", TRACE_LVL_DEFAULT,
				      LXS_WHO "path:str" LXS_END),
};

/* The call's own fields, between who made it and its result, into @a; returns how many. */
static unsigned int lxs_fields(const struct lxs *s, long ret, struct trace_arg *a)
{
	const struct cxl_ioctl_start_work *w = s->buf;
	/* What a read or attribute read brought back. */
	unsigned long got = ret <= 0 ? 0 : (unsigned long)ret < s->len ? (unsigned long)ret : s->len;

	switch (s->op) {
	case LXS_OPEN:
		a[0] = TRACE_STR(s->path);
		a[1] = TRACE_U(s->cmd);
		return 2;
	case LXS_CLOSE:
	case LXS_MUNMAP:
		a[0] = TRACE_S(s->fd);
		return 1;
	case LXS_IOCTL:
		a[0] = TRACE_S(s->fd);
		a[1] = TRACE_U(s->cmd);
		return 2;
	case LXS_ATTACH:
		a[0] = TRACE_S(s->fd);
		a[1] = TRACE_U(w->flags);
		a[2] = TRACE_S(w->num_interrupts);
		a[3] = TRACE_U(w->work_element_descriptor);
		a[4] = TRACE_U(w->amr);
		return 5;
	case LXS_READ:
		a[0] = TRACE_S(s->fd);
		a[1] = TRACE_U(s->len);
		a[2] = TRACE_BYTES(s->buf, got);
		return 3;
	case LXS_POLL:
		a[0] = TRACE_S(s->fd);
		a[1] = TRACE_U(s->cmd);
		a[2] = TRACE_S(s->off);
		return 3;
	case LXS_MMAP:
		a[0] = TRACE_S(s->fd);
		a[1] = TRACE_U(s->len);
		return 2;
	case LXS_LOAD:
	case LXS_STORE:
		a[0] = TRACE_S(s->fd);
		a[1] = TRACE_U(s->off);
		a[2] = TRACE_U(s->len);
		a[3] = TRACE_U(s->val);
		return 4;
	case LXS_ATTR_READ:
		a[0] = TRACE_STR(s->path);
		a[1] = TRACE_S(s->off);
		a[2] = TRACE_BYTES(s->buf, got);
		return 3;
	case LXS_ATTR_WRITE:
		a[0] = TRACE_STR(s->path);
		a[1] = TRACE_BYTES(s->buf, s->len);
		return 2;
	case LXS_EXISTS:
	case LXS_DEV_EXISTS:
		a[0] = TRACE_STR(s->path);
		return 1;
	}
	return 0;
}

/* Run in the calling process as the call returns (lx_call_rec()). */
static void lxs_record(void *arg, long ret, const struct lx_call_info *ci)
{
	struct trace_arg a[TRACE_MAX_FIELDS];
	const struct lxs *s = arg;
	struct trace_kind *k = &lxs_kinds[s->op];
	unsigned int n;

	if (!trace_enabled(k->level))
		return;
	a[0] = TRACE_U(ci->pid);
	a[1] = TRACE_STR(ci->comm);
	n = 2 + lxs_fields(s, ret, a + 2);
	a[n++] = TRACE_S(ret);
	a[n++] = TRACE_U(hsched_now() - ci->start);
	trace_emit_args(k, &lxs_src, TRACE_CTX_NONE, a, n);
}

static long lxs(struct lxs *s)
{
	return lx_call_rec(lxs_run, lxs_record, s, 0);
}

/* A negative errno to the C convention: -1 and errno; a restart request is EINTR. */
static int fail(long err)
{
	errno = err >= -516 && err <= -512 ? EINTR : -err;
	return -1;
}

/* ---- Handles ---- */

/*
 * An open AFU device, shared by the handles made from it with
 * cxl_afu_fd_to_h(); closed with the last.  @fd is what cxl_afu_fd()
 * gives: a real descriptor (of /dev/null) standing for the simulated one.
 */
struct lx_file {
	int kfd;		/* valid on machine @gen only */
	unsigned int gen;
	int fd;
	unsigned int refs;	/* under files.lock */
	char dev[LX_NAME_LEN];	/* "afu0.0s" */
	struct lx_file *next;	/* on files.list */
};

/* Every open AFU device, so that a descriptor leads back to it. */
static struct {
	pthread_mutex_t lock;
	struct lx_file *list;
} files = { .lock = PTHREAD_MUTEX_INITIALIZER };

struct cxl_adapter_h {
	int card;
	char name[LX_NAME_LEN];		/* "card0" */
};

struct cxl_afu_h {
	struct cxl_adapter_h *adapter;	/* the adapter a walk is on */
	bool own_adapter;		/* cxl_afu_next()'s walk: freed with the handle */
	int card;
	int slice;
	char name[LX_NAME_LEN];		/* "afu0.0", or the device: "afu0.0s" */
	struct lx_file *file;		/* NULL unless open */
	int pe;				/* cached process element, -1 */
	int map;			/* the problem-state mapping, -1 */
	size_t mmio_size;
	__u32 mmio_flags;
	char *ev_buf;			/* events read, not handed out: [ev_first, ev_end) */
	size_t ev_first;
	size_t ev_end;
};

/* Set by cxl_mmio_install_sigbus_handler(): failed MMIO returns EIO instead of SIGBUS. */
static volatile sig_atomic_t mmio_no_sigbus;

static struct cxl_afu_h *afu_alloc(void)
{
	struct cxl_afu_h *afu = calloc(1, sizeof(*afu));

	if (!afu)
		return NULL;
	afu->slice = -1;
	afu->pe = -1;
	afu->map = -1;
	return afu;
}

/*
 * The handle's file, if it is open on the running machine.  A handle
 * outliving its machine (lx_shutdown()) is EBADF: its descriptor would
 * name another file on a new machine.
 */
static struct lx_file *afu_file(struct cxl_afu_h *afu)
{
	if (!afu || !afu->file) {
		errno = EINVAL;
		return NULL;
	}
	if (afu->file->gen != lx_machine()) {
		errno = EBADF;
		return NULL;
	}
	return afu->file;
}

static bool exists(const char *fmt, int a, int b)
{
	struct lxs s = { .op = LXS_EXISTS };
	char path[LX_PATH_LEN];

	snprintf(path, sizeof(path), fmt, a, b);
	s.path = path;
	return lxs(&s) == 1;
}

/* ---- Enumeration ---- */

char *cxl_adapter_dev_name(struct cxl_adapter_h *adapter)
{
	return adapter->name;
}

void cxl_adapter_free(struct cxl_adapter_h *adapter)
{
	free(adapter);
}

struct cxl_adapter_h *cxl_adapter_next(struct cxl_adapter_h *adapter)
{
	int card, ret;

	if (!adapter) {
		ret = lx_boot();
		if (ret) {
			errno = ENODEV;
			return NULL;
		}
		adapter = calloc(1, sizeof(*adapter));
		if (!adapter)
			return NULL;
		adapter->card = -1;
	}
	for (card = adapter->card + 1; card < COSIM_MAX_CARDS; card++) {
		if (exists("cxl/card%d", card, 0)) {
			adapter->card = card;
			snprintf(adapter->name, sizeof(adapter->name), "card%d", card);
			return adapter;
		}
	}
	cxl_adapter_free(adapter);
	errno = 0;
	return NULL;
}

char *cxl_afu_dev_name(struct cxl_afu_h *afu)
{
	return afu->name;
}

static void afu_free(struct cxl_afu_h *afu);

struct cxl_afu_h *cxl_adapter_afu_next(struct cxl_adapter_h *adapter, struct cxl_afu_h *afu)
{
	int slice;

	if (!adapter) {
		errno = EINVAL;
		return NULL;
	}
	if (!afu) {
		afu = afu_alloc();
		if (!afu)
			return NULL;
		afu->card = adapter->card;
	}
	for (slice = afu->slice + 1; slice < LX_MAX_SLICES; slice++) {
		if (exists("cxl/afu%d.%d", adapter->card, slice)) {
			afu->slice = slice;
			snprintf(afu->name, sizeof(afu->name), "afu%d.%d", adapter->card, slice);
			return afu;
		}
	}
	afu->own_adapter = false;
	afu_free(afu);
	errno = 0;
	return NULL;
}

struct cxl_afu_h *cxl_afu_next(struct cxl_afu_h *afu)
{
	struct cxl_adapter_h *adapter = afu ? afu->adapter : cxl_adapter_next(NULL);

	while (adapter) {
		afu = cxl_adapter_afu_next(adapter, afu);
		if (afu) {
			afu->adapter = adapter;
			afu->own_adapter = true;
			return afu;
		}
		adapter = cxl_adapter_next(adapter);
	}
	return NULL;
}

/* ---- sysfs ---- */

/*
 * Attribute @attr of @name ("afu0.0s", "afu0.0", "card0"): in the
 * device's own directory, or else its AFU's, as IBM's library follows
 * the device/ links.  -ENODEV when neither has it.
 */
static int attr_path(const char *name, const char *attr, char *path, size_t len)
{
	char base[LX_NAME_LEN];
	size_t n = strlen(name);

	snprintf(path, len, "cxl/%s/%s", name, attr);
	if (exists(path, 0, 0))
		return 0;
	snprintf(base, sizeof(base), "%s", name);
	if (n && strchr("msd", base[n - 1]) && !strncmp(base, "afu", 3))
		base[n - 1] = '\0';
	snprintf(path, len, "cxl/%s/%s", base, attr);
	return exists(path, 0, 0) ? 0 : -ENODEV;
}

/* The attribute's text, its last character (the newline) dropped. */
static int attr_read(const char *name, const char *attr, char *buf)
{
	struct lxs s = { .op = LXS_ATTR_READ, .buf = buf, .len = LX_ATTR_LEN };
	char path[LX_PATH_LEN];
	long ret;

	ret = attr_path(name, attr, path, sizeof(path));
	s.path = path;
	if (!ret)
		ret = lxs(&s);
	if (ret < 0)
		return fail(ret);
	if (ret > 0)
		buf[ret - 1] = '\0';
	return 0;
}

static int attr_write(const char *name, const char *attr, const char *val)
{
	struct lxs s = { .op = LXS_ATTR_WRITE, .buf = (void *)val, .len = strlen(val) };
	char path[LX_PATH_LEN];
	long ret;

	ret = attr_path(name, attr, path, sizeof(path));
	s.path = path;
	if (!ret)
		ret = lxs(&s);
	return ret < 0 ? fail(ret) : 0;
}

/* A failed parse: the attribute is not what the kernel writes. */
static int bad_attr(void)
{
	errno = EINVAL;
	return -1;
}

static int attr_long(const char *name, const char *attr, const char *fmt, long *valp)
{
	char buf[LX_ATTR_LEN];

	if (attr_read(name, attr, buf))
		return -1;
	return sscanf(buf, fmt, valp) == 1 ? 0 : bad_attr();
}

static int afu_attr_long(struct cxl_afu_h *afu, const char *attr, long *valp)
{
	if (!afu || !valp)
		return fail(-EINVAL);
	return attr_long(afu->name, attr, "%ld", valp);
}

static int adapter_attr_long(struct cxl_adapter_h *adapter, const char *attr, long *valp)
{
	if (!adapter || !valp)
		return fail(-EINVAL);
	return attr_long(adapter->name, attr, "%ld", valp);
}

/* A word the kernel writes, to its value in @words (NULL-terminated). */
static int attr_word(const char *name, const char *attr, const char *const *words, long *valp)
{
	char buf[LX_ATTR_LEN], word[32];
	long i;

	if (attr_read(name, attr, buf))
		return -1;
	if (sscanf(buf, "%31s", word) != 1)
		return bad_attr();
	for (i = 0; words[i]; i++) {
		if (!strcmp(word, words[i])) {
			*valp = i;
			return 0;
		}
	}
	return bad_attr();
}

static const char *const mode_words[] = {
	"", "dedicated_process", "afu_directed", NULL,
};
static const char *const prefault_words[] = {
	"none", "work_element_descriptor", "all", NULL,
};
static const char *const image_words[] = {
	"factory", "user", NULL,
};

int cxl_get_api_version(struct cxl_afu_h *afu, long *valp)
{
	return afu_attr_long(afu, "api_version", valp);
}

int cxl_get_api_version_compatible(struct cxl_afu_h *afu, long *valp)
{
	return afu_attr_long(afu, "api_version_compatible", valp);
}

static int cr_attr(struct cxl_afu_h *afu, long cr, const char *field, long *valp)
{
	char attr[32];

	if (!afu || !valp)
		return fail(-EINVAL);
	snprintf(attr, sizeof(attr), "cr%ld/%s", cr, field);
	return attr_long(afu->name, attr, "0x%lx", valp);
}

int cxl_get_cr_class(struct cxl_afu_h *afu, long cr_num, long *valp)
{
	return cr_attr(afu, cr_num, "class", valp);
}

int cxl_get_cr_device(struct cxl_afu_h *afu, long cr_num, long *valp)
{
	return cr_attr(afu, cr_num, "device", valp);
}

int cxl_get_cr_vendor(struct cxl_afu_h *afu, long cr_num, long *valp)
{
	return cr_attr(afu, cr_num, "vendor", valp);
}

int cxl_get_irqs_max(struct cxl_afu_h *afu, long *valp)
{
	return afu_attr_long(afu, "irqs_max", valp);
}

int cxl_set_irqs_max(struct cxl_afu_h *afu, long value)
{
	char buf[32];

	if (!afu)
		return fail(-EINVAL);
	snprintf(buf, sizeof(buf), "%ld", value);
	return attr_write(afu->name, "irqs_max", buf);
}

int cxl_get_irqs_min(struct cxl_afu_h *afu, long *valp)
{
	return afu_attr_long(afu, "irqs_min", valp);
}

int cxl_get_mmio_size(struct cxl_afu_h *afu, long *valp)
{
	return afu_attr_long(afu, "mmio_size", valp);
}

int cxl_get_mode(struct cxl_afu_h *afu, long *valp)
{
	if (!afu || !valp)
		return fail(-EINVAL);
	return attr_word(afu->name, "mode", mode_words, valp);
}

int cxl_set_mode(struct cxl_afu_h *afu, long value)
{
	if (!afu || (value != CXL_MODE_DEDICATED && value != CXL_MODE_DIRECTED))
		return fail(-EINVAL);
	return attr_write(afu->name, "mode", mode_words[value]);
}

/* One or two lines, one mode each. */
int cxl_get_modes_supported(struct cxl_afu_h *afu, long *valp)
{
	char buf[LX_ATTR_LEN], *line, *save = NULL;
	long modes = 0, i;

	if (!afu || !valp)
		return fail(-EINVAL);
	if (attr_read(afu->name, "modes_supported", buf))
		return -1;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		for (i = 1; mode_words[i] && strcmp(line, mode_words[i]); i++)
			;
		if (!mode_words[i])
			return bad_attr();
		modes |= i;
	}
	if (!modes)
		return bad_attr();
	*valp = modes;
	return 0;
}

int cxl_get_prefault_mode(struct cxl_afu_h *afu, enum cxl_prefault_mode *valp)
{
	long v;

	if (!afu || !valp)
		return fail(-EINVAL);
	if (attr_word(afu->name, "prefault_mode", prefault_words, &v))
		return -1;
	*valp = v;
	return 0;
}

int cxl_set_prefault_mode(struct cxl_afu_h *afu, enum cxl_prefault_mode value)
{
	if (!afu || value < CXL_PREFAULT_MODE_NONE || value > CXL_PREFAULT_MODE_ALL)
		return fail(-EINVAL);
	return attr_write(afu->name, "prefault_mode", prefault_words[value]);
}

int cxl_get_pp_mmio_len(struct cxl_afu_h *afu, long *valp)
{
	return afu_attr_long(afu, "pp_mmio_len", valp);
}

int cxl_get_pp_mmio_off(struct cxl_afu_h *afu, long *valp)
{
	return afu_attr_long(afu, "pp_mmio_off", valp);
}

int cxl_get_base_image(struct cxl_adapter_h *adapter, long *valp)
{
	return adapter_attr_long(adapter, "base_image", valp);
}

int cxl_get_caia_version(struct cxl_adapter_h *adapter, long *majorp, long *minorp)
{
	char buf[LX_ATTR_LEN];

	if (!adapter || !majorp || !minorp)
		return fail(-EINVAL);
	if (attr_read(adapter->name, "caia_version", buf))
		return -1;
	return sscanf(buf, "%ld.%ld", majorp, minorp) == 2 ? 0 : bad_attr();
}

int cxl_get_image_loaded(struct cxl_adapter_h *adapter, enum cxl_image *valp)
{
	long v;

	if (!adapter || !valp)
		return fail(-EINVAL);
	if (attr_word(adapter->name, "image_loaded", image_words, &v))
		return -1;
	*valp = v;
	return 0;
}

int cxl_get_psl_revision(struct cxl_adapter_h *adapter, long *valp)
{
	return adapter_attr_long(adapter, "psl_revision", valp);
}

int cxl_get_psl_timebase_synced(struct cxl_adapter_h *adapter, long *valp)
{
	return adapter_attr_long(adapter, "psl_timebase_synced", valp);
}

int cxl_afu_sysfs_pci(struct cxl_afu_h *afu, char **pathp)
{
	if (!afu || !pathp || afu->card < 0)
		return fail(-EINVAL);
	/* The shim's PCI naming: card N is function 0 of bus 1 in PCI domain N. */
	if (asprintf(pathp, "/sys/devices/pci%04x:00/%04x:01:00.0", afu->card, afu->card) < 0)
		return -1;
	return 0;
}

/* ---- Opening ---- */

static struct lx_file *file_open(const char *dev)
{
	struct lxs s = { .op = LXS_OPEN, .cmd = O_RDWR | O_CLOEXEC };
	char name[LX_PATH_LEN];
	struct lx_file *f;
	long kfd;

	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	snprintf(name, sizeof(name), "cxl/%s", dev);
	s.path = name;
	kfd = lxs(&s);
	if (kfd < 0) {
		free(f);
		fail(kfd);
		return NULL;
	}
	f->kfd = kfd;
	f->gen = lx_machine();
	f->fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	snprintf(f->dev, sizeof(f->dev), "%s", dev);
	f->refs = 1;
	pthread_mutex_lock(&files.lock);
	f->next = files.list;
	files.list = f;
	pthread_mutex_unlock(&files.lock);
	return f;
}

static void file_put(struct lx_file *f)
{
	struct lxs s = { .op = LXS_CLOSE, .fd = f->kfd };
	struct lx_file **pp;
	bool last;

	pthread_mutex_lock(&files.lock);
	last = !--f->refs;
	for (pp = &files.list; last && *pp; pp = &(*pp)->next) {
		if (*pp == f) {
			*pp = f->next;
			break;
		}
	}
	pthread_mutex_unlock(&files.lock);
	if (!last)
		return;
	/* A machine that stopped closed its files itself. */
	if (f->gen == lx_machine())
		lxs(&s);
	if (f->fd >= 0)
		close(f->fd);
	free(f);
}

static void afu_free(struct cxl_afu_h *afu)
{
	if (afu->map >= 0)
		cxl_mmio_unmap(afu);
	if (afu->file)
		file_put(afu->file);
	if (afu->own_adapter)
		cxl_adapter_free(afu->adapter);
	free(afu->ev_buf);
	free(afu);
}

void cxl_afu_free(struct cxl_afu_h *afu)
{
	if (afu)
		afu_free(afu);
}

int cxl_afu_opened(struct cxl_afu_h *afu)
{
	if (!afu)
		return fail(-EINVAL);
	return afu->file != NULL;
}

/* Card and slice from a device or AFU name ("afu0.0s"); the name is kept. */
static int afu_name(struct cxl_afu_h *afu, const char *dev)
{
	if (sscanf(dev, "afu%d.%d", &afu->card, &afu->slice) != 2)
		return -ENODEV;
	snprintf(afu->name, sizeof(afu->name), "%s", dev);
	return 0;
}

/* An AFU of a kernel API this library does not speak is refused, as IBM's is. */
static int afu_check_api(struct cxl_afu_h *afu)
{
	long v;

	if (cxl_get_api_version_compatible(afu, &v))
		return -ENODEV;
	return v > CXL_KERNEL_API_VERSION ? -EPROTO : 0;
}

static struct cxl_afu_h *afu_open(const char *dev)
{
	struct cxl_afu_h *afu = afu_alloc();
	int ret;

	if (!afu)
		return NULL;
	ret = afu_name(afu, dev);
	if (!ret) {
		afu->file = file_open(dev);
		ret = afu->file ? afu_check_api(afu) : -errno;
	}
	if (ret) {
		afu_free(afu);
		errno = -ret;
		return NULL;
	}
	return afu;
}

struct cxl_afu_h *cxl_afu_open_dev(char *path)
{
	const char *dev = path;

	if (!path) {
		errno = EINVAL;
		return NULL;
	}
	if (strncmp(dev, LX_DEV_PREFIX "cxl/", strlen(LX_DEV_PREFIX "cxl/"))) {
		errno = ENODEV;
		return NULL;
	}
	return afu_open(dev + strlen(LX_DEV_PREFIX "cxl/"));
}

struct cxl_afu_h *cxl_afu_open_h(struct cxl_afu_h *afu, enum cxl_views view)
{
	static const char views[] = { [CXL_VIEW_DEDICATED] = 'd', [CXL_VIEW_MASTER] = 'm',
				      [CXL_VIEW_SLAVE] = 's' };
	struct lxs s = { .op = LXS_DEV_EXISTS };
	char dev[LX_NAME_LEN], path[LX_PATH_LEN];

	if (!afu || view < CXL_VIEW_DEDICATED || view > CXL_VIEW_SLAVE || afu->card < 0) {
		errno = EINVAL;
		return NULL;
	}
	snprintf(dev, sizeof(dev), "afu%d.%d%c", afu->card, afu->slice, views[view]);
	snprintf(path, sizeof(path), "cxl/%s", dev);
	s.path = path;
	if (lxs(&s) != 1) {
		errno = ENODEV;
		return NULL;
	}
	return afu_open(dev);
}

struct cxl_afu_h *cxl_afu_fd_to_h(int fd)
{
	struct cxl_afu_h *afu;
	struct lx_file *f;

	pthread_mutex_lock(&files.lock);
	for (f = files.list; f && f->fd != fd; f = f->next)
		;
	if (f)
		f->refs++;
	pthread_mutex_unlock(&files.lock);
	if (!f) {
		errno = fcntl(fd, F_GETFD) < 0 ? EBADF : ENODEV;
		return NULL;
	}
	afu = afu_alloc();
	if (!afu) {
		file_put(f);
		return NULL;
	}
	afu_name(afu, f->dev);
	afu->file = f;
	return afu;
}

int cxl_afu_fd(struct cxl_afu_h *afu)
{
	return afu && afu->file ? afu->file->fd : -1;
}

/* ---- Attaching ---- */

static int afu_ioctl(struct cxl_afu_h *afu, enum lxs_op op, unsigned int cmd, void *arg)
{
	struct lxs s = { .op = op, .cmd = cmd, .buf = arg };
	struct lx_file *f = afu_file(afu);
	long ret;

	if (!f)
		return -1;
	s.fd = f->kfd;
	ret = lxs(&s);
	return ret < 0 ? fail(ret) : ret;
}

int cxl_afu_attach_work(struct cxl_afu_h *afu, struct cxl_ioctl_start_work *work)
{
	if (!work)
		return fail(-EINVAL);
	return afu_ioctl(afu, LXS_ATTACH, CXL_IOCTL_START_WORK, work);
}

int cxl_afu_attach(struct cxl_afu_h *afu, __u64 wed)
{
	struct cxl_ioctl_start_work work = { .work_element_descriptor = wed };

	return cxl_afu_attach_work(afu, &work);
}

int cxl_afu_attach_full(struct cxl_afu_h *afu, __u64 wed, __u16 num_interrupts, __u64 amr)
{
	struct cxl_ioctl_start_work work = {
		.flags = CXL_START_WORK_NUM_IRQS | CXL_START_WORK_AMR,
		.work_element_descriptor = wed,
		.num_interrupts = num_interrupts,
		.amr = amr,
	};

	return cxl_afu_attach_work(afu, &work);
}

int cxl_afu_get_process_element(struct cxl_afu_h *afu)
{
	__u32 pe;

	if (afu && afu->pe >= 0)
		return afu->pe;
	if (afu_ioctl(afu, LXS_IOCTL, CXL_IOCTL_GET_PROCESS_ELEMENT, &pe) < 0)
		return -1;
	afu->pe = pe;
	return pe;
}

struct cxl_ioctl_start_work *cxl_work_alloc(void)
{
	return calloc(1, sizeof(struct cxl_ioctl_start_work));
}

int cxl_work_free(struct cxl_ioctl_start_work *work)
{
	if (!work)
		return fail(-EINVAL);
	free(work);
	return 0;
}

int cxl_work_get_amr(struct cxl_ioctl_start_work *work, __u64 *valp)
{
	if (!work)
		return fail(-EINVAL);
	*valp = work->amr;
	return 0;
}

int cxl_work_get_num_irqs(struct cxl_ioctl_start_work *work, __s16 *valp)
{
	if (!work)
		return fail(-EINVAL);
	*valp = work->num_interrupts;
	return 0;
}

int cxl_work_get_wed(struct cxl_ioctl_start_work *work, __u64 *valp)
{
	if (!work)
		return fail(-EINVAL);
	*valp = work->work_element_descriptor;
	return 0;
}

/* An AMR of 0 is the default: the flag says whether one is given. */
int cxl_work_set_amr(struct cxl_ioctl_start_work *work, __u64 amr)
{
	if (!work)
		return fail(-EINVAL);
	work->amr = amr;
	if (amr)
		work->flags |= CXL_START_WORK_AMR;
	else
		work->flags &= ~CXL_START_WORK_AMR;
	return 0;
}

/* A negative count asks for the AFU's default. */
int cxl_work_set_num_irqs(struct cxl_ioctl_start_work *work, __s16 num_irqs)
{
	if (!work)
		return fail(-EINVAL);
	work->num_interrupts = num_irqs;
	if (num_irqs >= 0)
		work->flags |= CXL_START_WORK_NUM_IRQS;
	else
		work->flags &= ~CXL_START_WORK_NUM_IRQS;
	return 0;
}

int cxl_work_set_wed(struct cxl_ioctl_start_work *work, __u64 wed)
{
	if (!work)
		return fail(-EINVAL);
	work->work_element_descriptor = wed;
	return 0;
}

/* ---- Events ---- */

static bool event_cached(const struct cxl_afu_h *afu)
{
	return afu->ev_first < afu->ev_end;
}

static void event_take(struct cxl_afu_h *afu, struct cxl_event *event)
{
	const struct cxl_event *e = (const struct cxl_event *)(afu->ev_buf + afu->ev_first);
	size_t size = e->header.size;

	if (size < sizeof(e->header) || size > afu->ev_end - afu->ev_first)
		size = afu->ev_end - afu->ev_first;
	memcpy(event, e, size < sizeof(*event) ? size : sizeof(*event));
	afu->ev_first += size;
}

int cxl_event_pending(struct cxl_afu_h *afu)
{
	struct lxs s = { .op = LXS_POLL, .cmd = POLLIN, .off = 0 };
	struct lx_file *f;
	long ret;

	if (!afu)
		return fail(-EINVAL);
	if (event_cached(afu))
		return 1;
	f = afu_file(afu);
	if (!f)
		return -1;
	s.fd = f->kfd;
	ret = lxs(&s);
	if (ret < 0)
		return fail(ret);
	return !!(ret & POLLIN);
}

/* What a failed read leaves in @event: a recognisable pattern and the fail type. */
static void event_poison(struct cxl_event *event)
{
	memset(event, 0xde, sizeof(*event));
	event->header.type = LX_EVENT_READ_FAIL;
	event->header.size = 0;
}

int cxl_read_event(struct cxl_afu_h *afu, struct cxl_event *event)
{
	struct lxs s = { .op = LXS_READ, .len = CXL_READ_MIN_SIZE };
	struct lx_file *f;
	long ret;

	if (!afu || !event)
		return fail(-EINVAL);
	if (event_cached(afu)) {
		event_take(afu, event);
		return 0;
	}
	f = afu_file(afu);
	if (!f)
		return -1;
	if (!afu->ev_buf) {
		afu->ev_buf = malloc(CXL_READ_MIN_SIZE);
		if (!afu->ev_buf)
			return fail(-ENOMEM);
	}
	s.fd = f->kfd;
	s.buf = afu->ev_buf;
	ret = lxs(&s);
	if (ret <= 0) {
		event_poison(event);
		return fail(ret ? ret : -ENODATA);
	}
	afu->ev_first = 0;
	afu->ev_end = ret;
	event_take(afu, event);
	return 0;
}

int cxl_read_expected_event(struct cxl_afu_h *afu, struct cxl_event *event, __u32 type,
			    __u16 irq)
{
	int ret = cxl_read_event(afu, event);

	if (ret < 0)
		return ret;
	if (event->header.type != type)
		return -1;
	if (type == CXL_EVENT_AFU_INTERRUPT && irq && event->irq.irq != irq)
		return -1;
	return 0;
}

int cxl_fprint_unknown_event(FILE *stream, struct cxl_event *event)
{
	const unsigned char *p = (const unsigned char *)event;
	int n, total;
	__u16 i;

	if (!event)
		return fail(-EINVAL);
	total = fprintf(stream, "CXL Unknown Event %i: ", event->header.type);
	for (i = 0; total >= 0 && i < event->header.size && i < sizeof(*event); i++) {
		n = fprintf(stream, "%02x%s", p[i], i % 4 == 3 ? " " : "");
		total = n < 0 ? n : total + n;
	}
	if (total >= 0)
		total += fprintf(stream, "\n");
	return total;
}

int cxl_fprint_event(FILE *stream, struct cxl_event *event)
{
	if (!event)
		return fail(-EINVAL);
	switch (event->header.type) {
	case LX_EVENT_READ_FAIL:
		fprintf(stderr, "cxl_fprint_event: CXL Read failed\n");
		errno = ENODATA;
		return -1;
	case CXL_EVENT_AFU_INTERRUPT:
		return fprintf(stream, "AFU Interrupt %i\n", event->irq.irq);
	case CXL_EVENT_DATA_STORAGE:
		return fprintf(stream, "AFU Invalid memory reference: 0x%llx\n",
			       (unsigned long long)event->fault.addr);
	case CXL_EVENT_AFU_ERROR:
		return fprintf(stream, "AFU Error: 0x%llx\n",
			       (unsigned long long)event->afu_error.error);
	}
	return cxl_fprint_unknown_event(stream, event);
}

/* ---- The problem-state area ---- */

int cxl_mmio_map(struct cxl_afu_h *afu, __u32 flags)
{
	struct lxs s = { .op = LXS_MMAP };
	struct lx_file *f;
	long size, ret;

	if (!afu)
		return fail(-EINVAL);
	if ((flags & ~CXL_MMIO_FLAGS) || !afu->file)
		return fail(-ENODEV);
	f = afu_file(afu);
	if (!f || cxl_get_mmio_size(afu, &size))
		return -1;
	s.fd = f->kfd;
	s.len = size;
	ret = lxs(&s);
	if (ret < 0)
		return fail(ret);
	afu->map = ret;
	afu->mmio_size = size;
	afu->mmio_flags = flags;
	return 0;
}

int cxl_mmio_unmap(struct cxl_afu_h *afu)
{
	struct lxs s = { .op = LXS_MUNMAP };
	long ret;

	if (!afu || afu->map < 0)
		return fail(-EINVAL);
	s.fd = afu->map;
	afu->map = -1;
	if (!afu_file(afu))
		return -1;
	ret = lxs(&s);
	return ret < 0 ? fail(ret) : 0;
}

/* Direct access would bypass the simulation: the accessors are the only way in. */
int cxl_mmio_ptr(struct cxl_afu_h *afu, void **mmio_ptrp)
{
	errno = !afu || afu->map < 0 ? EINVAL : ENOTSUP;
	return -1;
}

int cxl_mmio_install_sigbus_handler(void)
{
	mmio_no_sigbus = 1;
	return 0;
}

static int mmio_check(struct cxl_afu_h *afu, uint64_t offset, unsigned int width)
{
	if (!afu || afu->map < 0 || offset >= afu->mmio_size || offset % width)
		return fail(-EINVAL);
	return afu_file(afu) ? 0 : -1;
}

/* A bus error: SIGBUS, as the CPU's load or store would raise, or EIO if asked. */
static int mmio_failed(void)
{
	if (!mmio_no_sigbus)
		raise(SIGBUS);
	errno = EIO;
	return -1;
}

static int mmio_access(struct cxl_afu_h *afu, enum lxs_op op, uint64_t offset,
		       unsigned int width, unsigned long long *val)
{
	struct lxs s = { .op = op, .fd = afu->map, .off = offset, .len = width, .val = *val };
	long ret = lxs(&s);

	if (ret == -EFAULT)
		return mmio_failed();
	if (ret < 0)
		return fail(ret);
	*val = s.val;
	return 0;
}

/* The value in the byte order mmio_map() asked for, from the host's (both ways). */
static uint64_t order64(const struct cxl_afu_h *afu, uint64_t v)
{
	switch (afu->mmio_flags & CXL_MMIO_ENDIAN_MASK) {
	case CXL_MMIO_BIG_ENDIAN:
		return htobe64(v);
	case CXL_MMIO_LITTLE_ENDIAN:
		return htole64(v);
	}
	return v;
}

static uint32_t order32(const struct cxl_afu_h *afu, uint32_t v)
{
	switch (afu->mmio_flags & CXL_MMIO_ENDIAN_MASK) {
	case CXL_MMIO_BIG_ENDIAN:
		return htobe32(v);
	case CXL_MMIO_LITTLE_ENDIAN:
		return htole32(v);
	}
	return v;
}

int cxl_mmio_write64(struct cxl_afu_h *afu, uint64_t offset, uint64_t data)
{
	unsigned long long v;

	if (mmio_check(afu, offset, 8))
		return -1;
	v = order64(afu, data);
	return mmio_access(afu, LXS_STORE, offset, 8, &v);
}

int cxl_mmio_read64(struct cxl_afu_h *afu, uint64_t offset, uint64_t *data)
{
	unsigned long long v = 0;

	if (mmio_check(afu, offset, 8))
		return -1;
	if (mmio_access(afu, LXS_LOAD, offset, 8, &v))
		return -1;
	if (v == ~0ULL) {
		*data = v;
		return mmio_failed();
	}
	*data = order64(afu, v);
	return 0;
}

int cxl_mmio_write32(struct cxl_afu_h *afu, uint64_t offset, uint32_t data)
{
	unsigned long long v;

	if (mmio_check(afu, offset, 4))
		return -1;
	v = order32(afu, data);
	return mmio_access(afu, LXS_STORE, offset, 4, &v);
}

int cxl_mmio_read32(struct cxl_afu_h *afu, uint64_t offset, uint32_t *data)
{
	unsigned long long v = 0;

	if (mmio_check(afu, offset, 4))
		return -1;
	if (mmio_access(afu, LXS_LOAD, offset, 4, &v))
		return -1;
	if (v == 0xffffffffULL) {
		*data = v;
		return mmio_failed();
	}
	*data = order32(afu, v);
	return 0;
}

/* ---- The AFU error buffer ---- */

static int errbuf_read(struct cxl_afu_h *afu, void *dst, long long off, size_t len)
{
	struct lxs s = { .op = LXS_ATTR_READ, .buf = dst, .len = len, .off = off };
	char path[LX_PATH_LEN];
	long ret;

	ret = attr_path(afu->name, "afu_err_buff", path, sizeof(path));
	s.path = path;
	if (!ret)
		ret = lxs(&s);
	return ret < 0 ? fail(ret) : ret;
}

int cxl_errinfo_size(struct cxl_afu_h *afu, size_t *valp)
{
	char chunk[4096];
	size_t size = 0;
	int n;

	if (!afu || !valp)
		return fail(-EINVAL);
	while ((n = errbuf_read(afu, chunk, size, sizeof(chunk))) > 0)
		size += n;
	if (n < 0)
		return -1;
	*valp = size;
	return 0;
}

ssize_t cxl_errinfo_read(struct cxl_afu_h *afu, void *dst, off_t off, size_t len)
{
	if (!afu || !dst || off < 0)
		return fail(-EINVAL);
	return errbuf_read(afu, dst, off, len);
}
