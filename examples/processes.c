// SPDX-License-Identifier: GPL-2.0
/*
 * Several processes sharing one AFU in AFU-directed mode: each has its
 * own context (its own process element, its own problem-state area) and
 * copies its own buffers through the AFU, every job ended by an AFU
 * interrupt and its data verified.
 *
 * Run it:	capisim run -- build/examples/processes -p 4 -j 4 -s 256K -b 2
 *
 *   -p N     processes (default 4)
 *   -j N     jobs per process (default 4)
 *   -s SIZE  bytes per job, K or M for KiB or MiB (default 64K)
 *   -b P     process P (1..N) hands the AFU an address it may not touch in
 *            its second job: it must get the CXL_EVENT_DATA_STORAGE event
 *            and its interrupt, and its later jobs must still run
 *
 * Each process is a thread here: under capisim every thread that calls
 * libcxl is a simulated process of its own, with its own pid and address
 * space (docs/libcxl.md).  On hardware, where threads share one process,
 * the contexts would be the same and the address spaces one.  Each job
 * copies freshly mapped pages, so the AFU's first touch of every page
 * faults, and the kernel's fault handler maps it for the PSL.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <libcxl.h>

#include "memcpy_afu.h"

#define DEVICE		"/dev/cxl/afu0.0s"
#define MAX_PROCS	64
#define BAD_JOB		1
#define GUARD_LEN	4096

/* What main sets up; the processes only read it. */
struct options {
	long procs;
	long jobs;
	long size;
	long bad;		/* the process handing the AFU a bad address, 0 for none */
	void *guard;		/* the bad address: a page nobody may touch */
};

/* One process; main reads it after the thread has ended. */
struct proc {
	pthread_t thread;
	const struct options *opt;
	long id;
	int pe;
	long jobs_done;
	long irqs;
	int failed;
	char *log;		/* the process's report, printed by main */
	size_t log_len;
	FILE *out;
};

/* Page-aligned, freshly mapped: the AFU faults each page in. */
static unsigned char *fresh_pages(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * Read events until the job's interrupt has come and no other event is
 * pending; note a data-storage event.  The driver hands out a pending
 * interrupt before a pending fault, so a failed job's data-storage event
 * may come after its interrupt.
 */
static int wait_job(struct proc *p, struct cxl_afu_h *afu, uint64_t *fault)
{
	struct cxl_event ev;
	int irq = 0;

	do {
		if (cxl_read_event(afu, &ev)) {
			fprintf(p->out, "cxl_read_event: %s\n", strerror(errno));
			return -1;
		}
		if (ev.header.type == CXL_EVENT_AFU_INTERRUPT) {
			p->irqs++;
			irq = 1;
			continue;
		}
		cxl_fprint_event(p->out, &ev);
		if (ev.header.type != CXL_EVENT_DATA_STORAGE)
			return -1;
		*fault = ev.fault.addr;
	} while (!irq || cxl_event_pending(afu) > 0);
	return 0;
}

/* The job meant to fail: the AFU must report the guard page and stop. */
static int bad_job(struct proc *p, struct cxl_afu_h *afu, struct memcpy_we *we,
		   unsigned char *dst)
{
	const void *guard = p->opt->guard;
	uint64_t fault = 0;

	memcpy_we_init(we, guard, dst, GUARD_LEN, 1);
	we->ctl = MEMCPY_CTL_VALID | MEMCPY_CTL_IRQ;
	if (memcpy_afu_start(afu, we) || wait_job(p, afu, &fault))
		return -1;
	if (!memcpy_afu_in(fault, guard, GUARD_LEN) ||
	    MEMCPY_ST_OUTCOME(we->status) != MEMCPY_ST_ERROR ||
	    MEMCPY_ST_RESP(we->status) != MEMCPY_RESP_AERROR) {
		fprintf(p->out, "the bad address %p was not reported\n", guard);
		return -1;
	}
	fprintf(p->out, "job %d: handed %p, got its data-storage event and ERROR/AERROR\n",
		BAD_JOB + 1, guard);
	return 0;
}

static int good_job(struct proc *p, struct cxl_afu_h *afu, struct memcpy_we *we,
		    unsigned char *src, unsigned char *dst, long job)
{
	size_t len = p->opt->size, i;
	uint64_t fault = 0;

	for (i = 0; i < len; i++)
		src[i] = (unsigned char)(i * (2 * p->id + 1) + job);
	memcpy_we_init(we, src, dst, len, 1);
	we->ctl = MEMCPY_CTL_VALID | MEMCPY_CTL_IRQ;
	if (memcpy_afu_start(afu, we) || wait_job(p, afu, &fault))
		return -1;
	if (we->status != MEMCPY_ST_DONE || memcmp(src, dst, len)) {
		fprintf(p->out, "job %ld: status 0x%llx, data %s\n", job + 1,
			(unsigned long long)we->status, memcmp(src, dst, len) ? "wrong" : "right");
		return -1;
	}
	p->jobs_done++;
	return 0;
}

static int run_jobs(struct proc *p, struct cxl_afu_h *afu, struct memcpy_we *we)
{
	size_t len = p->opt->size;
	long job;
	int ret;

	for (job = 0; job < p->opt->jobs; job++) {
		unsigned char *src = fresh_pages(len), *dst = fresh_pages(len);

		if (!src || !dst)
			ret = -1;
		else if (p->id == p->opt->bad && job == BAD_JOB)
			ret = bad_job(p, afu, we, dst);
		else
			ret = good_job(p, afu, we, src, dst, job);
		if (src)
			munmap(src, len);
		if (dst)
			munmap(dst, len);
		if (ret)
			return ret;
	}
	return 0;
}

static void *proc_main(void *arg)
{
	struct proc *p = arg;
	struct cxl_afu_h *afu = cxl_afu_open_dev(DEVICE);
	struct memcpy_we *we = memcpy_afu_alloc(sizeof(*we));

	if (!afu || !we || cxl_afu_attach(afu, 0) || cxl_mmio_map(afu, CXL_MMIO_BIG_ENDIAN)) {
		fprintf(p->out, "open, attach and map %s: %s\n", DEVICE, strerror(errno));
		p->failed = 1;
	} else {
		p->pe = cxl_afu_get_process_element(afu);
		p->failed = run_jobs(p, afu, we) != 0;
	}
	cxl_afu_free(afu);
	free(we);
	return NULL;
}

static long parse_size(const char *s)
{
	char *end;
	long v = strtol(s, &end, 0);

	if (*end == 'K' || *end == 'k')
		v *= 1024, end++;
	else if (*end == 'M' || *end == 'm')
		v *= 1024 * 1024, end++;
	return *end || v <= 0 ? -1 : v;
}

static int parse_options(int argc, char **argv, struct options *opt)
{
	int c;

	*opt = (struct options){ .procs = 4, .jobs = 4, .size = 64 * 1024 };
	while ((c = getopt(argc, argv, "p:j:s:b:")) != -1) {
		switch (c) {
		case 'p':
			opt->procs = atol(optarg);
			break;
		case 'j':
			opt->jobs = atol(optarg);
			break;
		case 's':
			opt->size = parse_size(optarg);
			break;
		case 'b':
			opt->bad = atol(optarg);
			break;
		default:
			return -1;
		}
	}
	if (optind != argc || opt->procs < 1 || opt->procs > MAX_PROCS || opt->jobs < 1 ||
	    opt->size < 1 || opt->bad < 0 || opt->bad > opt->procs ||
	    (opt->bad && opt->jobs <= BAD_JOB))
		return -1;
	return 0;
}

static int report(struct proc *p)
{
	long good = p->opt->jobs - (p->id == p->opt->bad);
	int ok = !p->failed && p->jobs_done == good && p->irqs == p->opt->jobs;
	char *line, *save;

	fflush(p->out);
	printf("%s: process %ld (pe %d): %ld jobs, %ld interrupts, %ld KiB copied and verified\n",
	       ok ? "ok" : "FAILED", p->id, p->pe, p->jobs_done, p->irqs,
	       p->jobs_done * p->opt->size / 1024);
	for (line = strtok_r(p->log, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		printf("  process %ld: %s\n", p->id, line);
	return ok;
}

int main(int argc, char **argv)
{
	struct proc procs[MAX_PROCS] = { 0 };
	struct options opt;
	int failures = 0;
	long i;

	if (parse_options(argc, argv, &opt)) {
		fprintf(stderr, "usage: %s [-p PROCS] [-j JOBS] [-s SIZE[K|M]] [-b PROC]\n",
			argv[0]);
		return 2;
	}
	/*
	 * The bad address is a page reserved with no access, made before any
	 * process starts and kept until all have ended, so that no buffer of
	 * another process is ever mapped there meanwhile.
	 */
	opt.guard = mmap(NULL, GUARD_LEN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (opt.guard == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (i = 0; i < opt.procs; i++) {
		struct proc *p = &procs[i];

		p->opt = &opt;
		p->id = i + 1;
		p->out = open_memstream(&p->log, &p->log_len);
		if (!p->out || pthread_create(&p->thread, NULL, proc_main, p)) {
			fprintf(stderr, "cannot start process %ld\n", p->id);
			return 1;
		}
	}
	for (i = 0; i < opt.procs; i++)
		pthread_join(procs[i].thread, NULL);
	for (i = 0; i < opt.procs; i++) {
		failures += !report(&procs[i]);
		fclose(procs[i].out);
		free(procs[i].log);
	}
	munmap(opt.guard, GUARD_LEN);
	printf("processes: %s\n", failures ? "FAILED" : "PASSED");
	return failures ? 1 : 0;
}
