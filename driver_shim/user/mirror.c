// SPDX-License-Identifier: GPL-2.0
/*
 * The program's memory, as its simulated processes see it: each process's
 * address space holds one VMA per mapping of the host program, read from
 * /proc/self/maps, with the same addresses and permissions.  A real
 * address is a host address (docs/shim-mm.md), so a page the driver
 * hashes for the PSL translates an effective address to itself, and the
 * AFU reads and writes the program's heap, stack and static data by the
 * very pointers the program hands it.
 *
 * The mirror is read when a process is made, at every attach, when
 * copy_*_user finds no VMA, and whenever the driver's fault path would
 * decide otherwise than the host: the program may have mapped, unmapped
 * or protected memory since.  Each page fault the driver serves asks the
 * host's own fault handler first (MADV_POPULATE_READ/WRITE: about 1 us,
 * where reading /proc/self/maps costs 20 us and more); only a different
 * answer reads the maps again.  The driver's answer is then the host's,
 * as on hardware.  A page hashed before the program unmapped or
 * protected it keeps its HPTE until the next refresh; the PSL's DMA
 * there fails safely (host/mem.h, guarded ranges).
 */
#define pr_fmt(fmt) "libcxl-mirror: " fmt

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "host/hmem.h"
#include "lx.h"
#include "mirror.h"

/* User space ends where the shim's address spaces end (2^47). */
#define MIRROR_TOP		(1ULL << 47)
/* The shim's linear map owns its whole 1 TB segment (hmem.h). */
#define MIRROR_SEGMENT_1T	(1ULL << 40)
/* The first buffer for /proc/self/maps; it doubles until the file fits. */
#define MAPS_BUF_MIN		(64 << 10)
/* A longer line has a longer path, which parse_line() cuts anyway. */
#define MAPS_LINE_MAX		256

/* How the fault path learns what the host allows (host_allows()). */
enum mirror_probe {
	PROBE_UNTRIED,
	PROBE_MADVISE,		/* MADV_POPULATE_READ/WRITE (Linux 5.14) */
	PROBE_NONE,		/* older kernels: each fault reads the maps */
};

/*
 * The mappings as last read, sorted and disjoint, and the address spaces
 * that mirror them: every one holds exactly these VMAs; and the buffer
 * the maps are read into, kept so that a refresh allocates nothing
 * before it has read them.  Simulator thread only.
 */
static struct {
	struct lx_mirror_vma *v;
	unsigned int nr;
	void **mms;
	unsigned int nr_mms;
	unsigned int cap_mms;
	u64 refreshes;
	enum mirror_probe probe;
	unsigned long page_size;	/* the host's, once probe is tried */
	char *maps;
	size_t maps_cap;
} mir;

static bool overlaps(u64 start, u64 end, u64 base, u64 len)
{
	return start < base + len && end > base;
}

/* Beyond user space, or in the shim's own arenas. */
static bool not_programs(u64 start, u64 end)
{
	return end > MIRROR_TOP || overlaps(start, end, KSHIM_LINEAR_BASE, MIRROR_SEGMENT_1T) ||
	       overlaps(start, end, KSHIM_USER_BASE, KSHIM_USER_SIZE);
}

/* The shim's own arenas and the kernel's special mappings are not the program's. */
static bool mirrored(u64 start, u64 end, unsigned int prot, const char *path)
{
	if (!prot || not_programs(start, end))
		return false;
	return strcmp(path, "[vvar]") && strcmp(path, "[vdso]") && strcmp(path, "[vsyscall]");
}

/* One line of @len bytes, not terminated; a mapping not mirrored gets prot 0. */
static int parse_line(const char *text, size_t len, struct lx_mirror_vma *v)
{
	unsigned long long start, end;
	char line[MAPS_LINE_MAX], perms[8], path[64] = "";
	int n = 0;

	len = len < sizeof(line) ? len : sizeof(line) - 1;
	memcpy(line, text, len);
	line[len] = '\0';
	if (sscanf(line, "%llx-%llx %7s %*s %*s %*s %n", &start, &end, perms, &n) != 3 || !n ||
	    start >= end)
		return -EINVAL;
	sscanf(line + n, "%63s", path);
	v->start = start;
	v->end = end;
	v->prot = (perms[0] == 'r' ? KSHIM_PROT_READ : 0) |
		  (perms[1] == 'w' ? KSHIM_PROT_WRITE : 0) |
		  (perms[2] == 'x' ? KSHIM_PROT_EXEC : 0);
	if (!mirrored(start, end, v->prot, path))
		v->prot = 0;
	return 0;
}

/*
 * The kernel hands out the maps a page of text per read(), and the
 * mappings may change between two reads (another thread's malloc): the
 * next read resumes at the mapping that then holds the address where the
 * last one stopped.  A mapping that grew meanwhile, such as a malloc
 * arena, is listed again, longer; one that shrank or merged leaves stale
 * lines behind.  So a line that overlaps the lines before it is the newer
 * word from its start upward: it replaces them there.  @v holds @n sorted,
 * disjoint mappings; returns their number with @newer added.
 */
static unsigned int supersede(struct lx_mirror_vma *v, unsigned int n,
			      const struct lx_mirror_vma *newer)
{
	while (n && v[n - 1].start >= newer->start)
		n--;
	if (n && v[n - 1].end > newer->start)
		v[n - 1].end = newer->start;
	v[n] = *newer;
	return n + 1;
}

int lx_mirror_parse(const char *text, struct lx_mirror_vma **out, unsigned int *nr)
{
	struct lx_mirror_vma *v, line;
	unsigned int lines = 1, n = 0, i, kept = 0;
	const char *p, *eol;

	for (p = text; (p = strchr(p, '\n')); p++)
		lines++;
	v = malloc(lines * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (p = text; *p; p = *eol ? eol + 1 : eol) {
		eol = strchrnul(p, '\n');
		if (eol == p)
			continue;
		if (parse_line(p, eol - p, &line)) {
			pr_warn("unreadable line in /proc/self/maps: %.*s\n", (int)(eol - p), p);
			continue;
		}
		n = supersede(v, n, &line);
	}
	/* Only now: an unmirrored line still replaces older lines about its range. */
	for (i = 0; i < n; i++)
		if (v[i].prot)
			v[kept++] = v[i];
	*out = v;
	*nr = kept;
	return 0;
}

/* Up to @cap bytes of the file at @path into @buf: their number, or -errno. */
static ssize_t read_file(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t got = 0;

	if (fd < 0)
		return -errno;
	while (len < cap) {
		got = read(fd, buf + len, cap - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		len += got;
	}
	if (got < 0)
		got = -errno;
	close(fd);
	return got < 0 ? got : (ssize_t)len;
}

/*
 * /proc/self/maps, whole, into mir.maps.  Nothing is allocated between
 * its first read and its last: our own malloc could grow an arena under
 * the kernel's listing.  A file that does not fit is read again, whole,
 * into a buffer twice the size.
 */
static int read_maps_text(void)
{
	for (;;) {
		ssize_t len;

		if (!mir.maps) {
			size_t cap = mir.maps_cap ? 2 * mir.maps_cap : MAPS_BUF_MIN;

			mir.maps = malloc(cap);
			if (!mir.maps)
				return -ENOMEM;
			mir.maps_cap = cap;
		}
		len = read_file("/proc/self/maps", mir.maps, mir.maps_cap - 1);
		if (len < 0)
			return len;
		if ((size_t)len < mir.maps_cap - 1) {
			mir.maps[len] = '\0';
			return 0;
		}
		free(mir.maps);
		mir.maps = NULL;
	}
}

static int read_maps(struct lx_mirror_vma **out, unsigned int *nr)
{
	int ret = read_maps_text();

	return ret ? ret : lx_mirror_parse(mir.maps, out, nr);
}

static bool same(const struct lx_mirror_vma *a, const struct lx_mirror_vma *b)
{
	return a->start == b->start && a->end == b->end && a->prot == b->prot;
}

/* Is @v in the sorted list @list? */
static bool listed(const struct lx_mirror_vma *v, const struct lx_mirror_vma *list, unsigned int nr)
{
	unsigned int lo = 0, hi = nr;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (list[mid].start < v->start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < nr && same(&list[lo], v);
}

static void map_into(void *mm, const struct lx_mirror_vma *v)
{
	int ret = kshim_mm_map(mm, v->start, v->end - v->start, v->prot);

	if (ret)
		pr_err("cannot mirror %#llx-%#llx: %s\n", (unsigned long long)v->start,
		       (unsigned long long)v->end, strerror(-ret));
}

int lx_mirror_refresh(void)
{
	struct lx_mirror_vma *nv = NULL;
	unsigned int nr = 0, i, j;
	bool changed = false;
	int ret;

	ret = read_maps(&nv, &nr);
	if (ret)
		return ret;
	mir.refreshes++;
	/* Removals first: a mapping that changed shape may overlap its old self. */
	for (i = 0; i < mir.nr; i++) {
		if (listed(&mir.v[i], nv, nr))
			continue;
		for (j = 0; j < mir.nr_mms; j++)
			kshim_mm_unmap(mir.mms[j], mir.v[i].start);
		changed = true;
	}
	for (i = 0; i < nr; i++) {
		if (listed(&nv[i], mir.v, mir.nr))
			continue;
		for (j = 0; j < mir.nr_mms; j++)
			map_into(mir.mms[j], &nv[i]);
		changed = true;
	}
	free(mir.v);
	mir.v = nv;
	mir.nr = nr;
	return changed;
}

int lx_mirror_add_mm(void *mm)
{
	unsigned int i;
	int ret;

	if (mir.nr_mms == mir.cap_mms) {
		unsigned int cap = mir.cap_mms ? 2 * mir.cap_mms : 8;
		void **mms = realloc(mir.mms, cap * sizeof(*mms));

		if (!mms)
			return -ENOMEM;
		mir.mms = mms;
		mir.cap_mms = cap;
	}
	mir.mms[mir.nr_mms++] = mm;
	for (i = 0; i < mir.nr; i++)
		map_into(mm, &mir.v[i]);
	ret = lx_mirror_refresh();
	return ret < 0 ? ret : 0;
}

void lx_mirror_remove_mm(void *mm)
{
	unsigned int i;

	for (i = 0; i < mir.nr_mms; i++) {
		if (mir.mms[i] == mm) {
			mir.mms[i] = mir.mms[--mir.nr_mms];
			return;
		}
	}
}

void lx_mirror_reset(void)
{
	free(mir.v);
	free(mir.mms);
	free(mir.maps);
	memset(&mir, 0, sizeof(mir));
}

static bool mirrors(void *mm)
{
	unsigned int i;

	for (i = 0; i < mir.nr_mms; i++)
		if (mir.mms[i] == mm)
			return true;
	return false;
}

/* copy_*_user found no VMA: the program may have mapped it since. */
int kshim_mm_miss(void *mm, unsigned long long ea)
{
	if (!mirrors(mm))
		return 0;
	pr_debug("no VMA at %#llx: reading the program's mappings again\n", ea);
	return lx_mirror_refresh() > 0;
}

static void probe_try(void)
{
	long ps = sysconf(_SC_PAGESIZE);
	uintptr_t own = (uintptr_t)&mir;

	mir.page_size = ps > 0 ? ps : 4096;
	own &= ~(uintptr_t)(mir.page_size - 1);
	/* Our own data is readable: EINVAL means the advice is unknown. */
	if (!madvise((void *)own, mir.page_size, MADV_POPULATE_READ)) {
		mir.probe = PROBE_MADVISE;
		return;
	}
	mir.probe = PROBE_NONE;
	pr_info("no MADV_POPULATE_READ (%s): every page fault reads the maps\n", strerror(errno));
}

/*
 * Would the program itself be let make this access?  The host's fault
 * handler answers, and makes the page present if so, as handle_mm_fault()
 * does for the card on hardware.  1, 0, or -EOPNOTSUPP.
 */
static int host_allows(u64 ea, bool store)
{
	uintptr_t page;

	if (mir.probe == PROBE_UNTRIED)
		probe_try();
	if (mir.probe == PROBE_NONE)
		return -EOPNOTSUPP;
	page = ea & ~(u64)(mir.page_size - 1);
	return !madvise((void *)page, mir.page_size,
			store ? MADV_POPULATE_WRITE : MADV_POPULATE_READ);
}

int kshim_mm_fault_check(void *mm, unsigned long long ea, int store, int allowed)
{
	int host;

	if (!mirrors(mm) || not_programs(ea, ea + 1))
		return 0;
	host = host_allows(ea, store);
	if (host == !!allowed)
		return 0;
	pr_debug("%s at %#llx: the mirror says %s, the host %s: reading the maps again\n",
		 store ? "store" : "load", ea, allowed ? "yes" : "no",
		 host < 0 ? "nothing" : host ? "yes" : "no");
	return lx_mirror_refresh() > 0;
}
