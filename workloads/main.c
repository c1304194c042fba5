// SPDX-License-Identifier: GPL-2.0
/*
 * capisim-workload NAME [--contexts N] [--size BYTES] [--jobs N]: the
 * built-in workloads, one binary.  `capisim run --workload NAME` runs it
 * with the options it was given; it can also be run directly with
 * LD_LIBRARY_PATH pointing at the build's lib/.  Exit status: 0 data
 * verified, 1 a check failed, 2 usage error.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "workload.h"

#define MAX_CONTEXTS	512

static int usage(const char *msg, const char *arg)
{
	fprintf(stderr, "capisim-workload: %s%s%s\n"
		"usage: capisim-workload memcpy|traffic [--contexts N] [--size BYTES[K|M|G]] "
		"[--jobs N]\n", msg, arg ? " " : "", arg ? arg : "");
	return 2;
}

/* A positive number with an optional K/M/G suffix (powers of 2). */
static int parse_num(const char *s, u64 *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *s == '-')
		return -EINVAL;
	switch (*end) {
	case 'K':
		v <<= 10;
		end++;
		break;
	case 'M':
		v <<= 20;
		end++;
		break;
	case 'G':
		v <<= 30;
		end++;
		break;
	}
	if (*end || !v)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse(int argc, char **argv, struct wl_args *a)
{
	u64 v;
	int i;

	for (i = 2; i < argc; i += 2) {
		if (i + 1 >= argc)
			return usage("option without a value:", argv[i]);
		if (parse_num(argv[i + 1], &v))
			return usage("not a positive number:", argv[i + 1]);
		if (!strcmp(argv[i], "--contexts") && v <= MAX_CONTEXTS)
			a->contexts = v;
		else if (!strcmp(argv[i], "--jobs") && v <= UINT32_MAX)
			a->jobs = v;
		else if (!strcmp(argv[i], "--size"))
			a->size = v;
		else
			return usage("unknown option or value out of range:", argv[i]);
	}
	if (a->jobs > a->size)
		return usage("more jobs than bytes", NULL);
	return 0;
}

int main(int argc, char **argv)
{
	struct wl_args a = { .contexts = 1, .size = 256 << 10, .jobs = 4 };
	int ret;

	if (argc < 2)
		return usage("expected a workload name", NULL);
	a.name = argv[1];
	ret = parse(argc, argv, &a);
	if (ret)
		return ret;
	/* Output lines in order even when stdout is a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(a.name, "memcpy"))
		return wl_memcpy(&a);
	if (!strcmp(a.name, "traffic"))
		return wl_traffic(&a);
	return usage("unknown workload (memcpy, traffic):", a.name);
}

/*
 * Clear of the shim's fixed arenas (0x2000.., 0x3000..) and cookie window
 * (0x4000..), below ASan's allocator (0x6000..) and the libraries.
 */
#define WL_BASE		0x500000000000ULL
#define WL_PAGE		4096ULL

/* The next free address of wl_alloc(); main thread only. */
static u64 wl_next = WL_BASE;

static u64 wl_pages(u64 len)
{
	return (len + WL_PAGE - 1) / WL_PAGE * WL_PAGE;
}

void *wl_alloc(u64 len)
{
	u64 n = wl_pages(len ? len : 1);
	void *p = mmap((void *)wl_next, n, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (p != (void *)wl_next) {
		munmap(p, n);
		errno = EEXIST;
		return NULL;
	}
	wl_next += n + WL_PAGE;
	return p;
}

void wl_free(void *p, u64 len)
{
	if (p)
		munmap(p, wl_pages(len ? len : 1));
}

long wl_afu_mode(const char *who)
{
	struct cxl_afu_h *afu = cxl_afu_next(NULL);
	long mode;

	if (!afu) {
		fprintf(stderr, "%s: no AFU: %s\n", who, strerror(errno ? errno : ENODEV));
		return -1;
	}
	if (cxl_get_mode(afu, &mode)) {
		fprintf(stderr, "%s: cxl_get_mode: %s\n", who, strerror(errno));
		mode = -1;
	}
	cxl_afu_free(afu);
	return mode;
}

struct cxl_afu_h *wl_open_dedicated(const char *who)
{
	struct cxl_afu_h *afu = cxl_afu_next(NULL), *ded;
	long mode;

	if (!afu) {
		fprintf(stderr, "%s: no AFU: %s\n", who, strerror(errno ? errno : ENODEV));
		return NULL;
	}
	if (cxl_get_mode(afu, &mode) ||
	    (mode != CXL_MODE_DEDICATED && cxl_set_mode(afu, CXL_MODE_DEDICATED))) {
		fprintf(stderr, "%s: dedicated mode: %s\n", who, strerror(errno));
		cxl_afu_free(afu);
		return NULL;
	}
	ded = cxl_afu_open_h(afu, CXL_VIEW_DEDICATED);
	if (!ded)
		fprintf(stderr, "%s: cxl_afu_open_h: %s\n", who, strerror(errno));
	cxl_afu_free(afu);
	return ded;
}

int wl_poll(const char *who, volatile u64 *st, u64 max_looks)
{
	u64 looks;

	/* In lockstep each sleep is 1 us of simulated time, and free in host time. */
	for (looks = 0; !*st; looks++) {
		if (looks == max_looks) {
			fprintf(stderr, "%s: no status after %llu us of polling\n", who,
				(unsigned long long)max_looks);
			return -ETIMEDOUT;
		}
		usleep(1);
	}
	return 0;
}
