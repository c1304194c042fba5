/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libcxl, the CAPI user library's interface, for programs that run on
 * capisim's simulated machine (docs/libcxl.md): the names, types, values
 * and return conventions of IBM's libcxl, so that a program written for
 * it builds unchanged with -lcxl.  The event and work structures are the
 * kernel's, from <misc/cxl.h>.
 *
 * Functions returning int give 0 (or a count) on success and -1 with
 * errno set on failure, unless their comment says otherwise; those
 * returning a pointer give NULL with errno set.
 */
#ifndef _LIBCXL_H
#define _LIBCXL_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <misc/cxl.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The newest kernel API version this library speaks. */
#define CXL_KERNEL_API_VERSION	1

#define CXL_SYSFS_CLASS		"/sys/class/cxl"
#define CXL_DEV_DIR		"/dev/cxl"

struct cxl_adapter_h;
struct cxl_afu_h;
struct cxl_ioctl_start_work;

/*
 * Enumeration.  Each _next() call gives the following adapter or AFU, or
 * NULL after the last, having freed the handle passed in; a loop left
 * early frees its handle with cxl_adapter_free() / cxl_afu_free().
 */
struct cxl_adapter_h *cxl_adapter_next(struct cxl_adapter_h *adapter);
char *cxl_adapter_dev_name(struct cxl_adapter_h *adapter);
void cxl_adapter_free(struct cxl_adapter_h *adapter);
#define cxl_for_each_adapter(adapter) \
	for (adapter = cxl_adapter_next(NULL); adapter; adapter = cxl_adapter_next(adapter))

struct cxl_afu_h *cxl_adapter_afu_next(struct cxl_adapter_h *adapter, struct cxl_afu_h *afu);
struct cxl_afu_h *cxl_afu_next(struct cxl_afu_h *afu);
char *cxl_afu_dev_name(struct cxl_afu_h *afu);
#define cxl_for_each_adapter_afu(adapter, afu) \
	for (afu = cxl_adapter_afu_next(adapter, NULL); afu; \
	     afu = cxl_adapter_afu_next(adapter, afu))
#define cxl_for_each_afu(afu) \
	for (afu = cxl_afu_next(NULL); afu; afu = cxl_afu_next(afu))

/* Which device of an AFU to open. */
enum cxl_views {
	CXL_VIEW_DEDICATED = 0,
	CXL_VIEW_MASTER,
	CXL_VIEW_SLAVE
};

/*
 * Opening: by device path (/dev/cxl/afu0.0s, ...m, ...d), by an
 * enumerated or open handle and a view, or from the descriptor of an
 * open handle.  cxl_afu_free() closes what the handle opened.
 */
struct cxl_afu_h *cxl_afu_open_dev(char *path);
struct cxl_afu_h *cxl_afu_open_h(struct cxl_afu_h *afu, enum cxl_views view);
struct cxl_afu_h *cxl_afu_fd_to_h(int fd);
void cxl_afu_free(struct cxl_afu_h *afu);
/* 1 if open, 0 if not, -1 (EINVAL) for NULL. */
int cxl_afu_opened(struct cxl_afu_h *afu);

/* Attaching a context to the calling process, starting the AFU on it. */
struct cxl_ioctl_start_work *cxl_work_alloc(void);
int cxl_work_free(struct cxl_ioctl_start_work *work);
int cxl_work_get_amr(struct cxl_ioctl_start_work *work, __u64 *valp);
int cxl_work_get_num_irqs(struct cxl_ioctl_start_work *work, __s16 *valp);
int cxl_work_get_wed(struct cxl_ioctl_start_work *work, __u64 *valp);
int cxl_work_set_amr(struct cxl_ioctl_start_work *work, __u64 amr);
int cxl_work_set_num_irqs(struct cxl_ioctl_start_work *work, __s16 num_irqs);
int cxl_work_set_wed(struct cxl_ioctl_start_work *work, __u64 wed);

int cxl_afu_attach(struct cxl_afu_h *afu, __u64 wed);
int cxl_afu_attach_work(struct cxl_afu_h *afu, struct cxl_ioctl_start_work *work);
/* Deprecated: cxl_afu_attach_work() says the same. */
int cxl_afu_attach_full(struct cxl_afu_h *afu, __u64 wed, __u16 num_interrupts, __u64 amr);

/* The context's process element (its PE handle); -1 on error. */
int cxl_afu_get_process_element(struct cxl_afu_h *afu);

/* The handle's descriptor (docs/libcxl.md says what it is here); -1 if not open. */
int cxl_afu_fd(struct cxl_afu_h *afu);

/* A malloc'd path of the AFU's PCI device. */
int cxl_afu_sysfs_pci(struct cxl_afu_h *afu, char **pathp);

/* Flags of cxl_get_mode / cxl_set_mode / cxl_get_modes_supported. */
#ifndef CXL_MODE_DEDICATED
#define CXL_MODE_DEDICATED	0x1
#endif
#ifndef CXL_MODE_DIRECTED
#define CXL_MODE_DIRECTED	0x2
#endif
#define CXL_MODE_TIME_SLICED	0x4

enum cxl_prefault_mode {
	CXL_PREFAULT_MODE_NONE = 0,
	CXL_PREFAULT_MODE_WED,
	CXL_PREFAULT_MODE_ALL,
};

enum cxl_image {
	CXL_IMAGE_FACTORY = 0,
	CXL_IMAGE_USER,
};

/* The sysfs attributes of AFUs and adapters: 0, or -1 with errno. */
int cxl_get_api_version(struct cxl_afu_h *afu, long *valp);
int cxl_get_api_version_compatible(struct cxl_afu_h *afu, long *valp);
int cxl_get_cr_class(struct cxl_afu_h *afu, long cr_num, long *valp);
int cxl_get_cr_device(struct cxl_afu_h *afu, long cr_num, long *valp);
int cxl_get_cr_vendor(struct cxl_afu_h *afu, long cr_num, long *valp);
int cxl_get_irqs_max(struct cxl_afu_h *afu, long *valp);
int cxl_set_irqs_max(struct cxl_afu_h *afu, long value);
int cxl_get_irqs_min(struct cxl_afu_h *afu, long *valp);
int cxl_get_mmio_size(struct cxl_afu_h *afu, long *valp);
int cxl_get_mode(struct cxl_afu_h *afu, long *valp);
int cxl_set_mode(struct cxl_afu_h *afu, long value);
int cxl_get_modes_supported(struct cxl_afu_h *afu, long *valp);
int cxl_get_prefault_mode(struct cxl_afu_h *afu, enum cxl_prefault_mode *valp);
int cxl_set_prefault_mode(struct cxl_afu_h *afu, enum cxl_prefault_mode value);
int cxl_get_pp_mmio_len(struct cxl_afu_h *afu, long *valp);
int cxl_get_pp_mmio_off(struct cxl_afu_h *afu, long *valp);
int cxl_get_base_image(struct cxl_adapter_h *adapter, long *valp);
int cxl_get_caia_version(struct cxl_adapter_h *adapter, long *majorp, long *minorp);
int cxl_get_image_loaded(struct cxl_adapter_h *adapter, enum cxl_image *valp);
int cxl_get_psl_revision(struct cxl_adapter_h *adapter, long *valp);
int cxl_get_psl_timebase_synced(struct cxl_adapter_h *adapter, long *valp);

/*
 * Events.  cxl_event_pending: 1 if an event can be read now, 0 if not.
 * cxl_read_event blocks until one arrives.  cxl_read_expected_event: 0
 * for the expected type (and AFU interrupt number, 0 for any), -1 for
 * another event, and what cxl_read_event returned if it failed.
 */
int cxl_event_pending(struct cxl_afu_h *afu);
int cxl_read_event(struct cxl_afu_h *afu, struct cxl_event *event);
int cxl_read_expected_event(struct cxl_afu_h *afu, struct cxl_event *event, __u32 type,
			    __u16 irq);

/* Describe an event on @stream (the character count, or -1). */
int cxl_fprint_event(FILE *stream, struct cxl_event *event);
int cxl_fprint_unknown_event(FILE *stream, struct cxl_event *event);

/*
 * The problem-state area.  The accessors convert between the host's byte
 * order and the one cxl_mmio_map() was given.  A failed access (a
 * hardware error reads all-ones) raises SIGBUS, unless
 * cxl_mmio_install_sigbus_handler() was called: then it returns -1 with
 * errno EIO.
 */
#define CXL_MMIO_BIG_ENDIAN	0x1
#define CXL_MMIO_LITTLE_ENDIAN	0x2
#define CXL_MMIO_HOST_ENDIAN	0x3
#define CXL_MMIO_ENDIAN_MASK	0x3
#define CXL_MMIO_FLAGS		0x3
int cxl_mmio_map(struct cxl_afu_h *afu, __u32 flags);
int cxl_mmio_unmap(struct cxl_afu_h *afu);
int cxl_mmio_ptr(struct cxl_afu_h *afu, void **mmio_ptrp);
int cxl_mmio_write64(struct cxl_afu_h *afu, uint64_t offset, uint64_t data);
int cxl_mmio_read64(struct cxl_afu_h *afu, uint64_t offset, uint64_t *data);
int cxl_mmio_write32(struct cxl_afu_h *afu, uint64_t offset, uint32_t data);
int cxl_mmio_read32(struct cxl_afu_h *afu, uint64_t offset, uint32_t *data);
int cxl_mmio_install_sigbus_handler(void);

/* The AFU error buffer: its size, and a copy of part of it (bytes copied, or -1). */
int cxl_errinfo_size(struct cxl_afu_h *afu, size_t *valp);
ssize_t cxl_errinfo_read(struct cxl_afu_h *afu, void *dst, off_t off, size_t len);

#ifdef __cplusplus
}
#endif

#endif
