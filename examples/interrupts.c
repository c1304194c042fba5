// SPDX-License-Identifier: GPL-2.0
/*
 * Several AFU interrupts on one context, and the event loop that takes
 * them: poll(2) on the context's descriptor, cxl_read_event for the event
 * that woke it, cxl_event_pending to drain the others.
 *
 * Run it:	capisim run -- build/examples/interrupts
 *
 * It asks for four interrupts at attach (cxl_afu_attach_full), within
 * what the AFU gives each context at least (irqs_min) and what the
 * administrator allows at most (irqs_max).  It then hands the memcpy AFU
 * a chain of as many copy jobs, each raising its own interrupt when done,
 * and checks that every interrupt arrives exactly once and every copy is
 * right.  The driver keeps one pending bit per interrupt, so two raises
 * of one interrupt before a read come back as one event: give each job
 * whose end you must see an interrupt of its own.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libcxl.h>

#include "memcpy_afu.h"

#define DEVICE		"/dev/cxl/afu0.0s"
#define WANT_IRQS	4
#define JOB_LEN		(16 * 1024)
#define WAIT_MS		10000

struct job {
	struct memcpy_we *we;
	unsigned char *src;
	unsigned char *dst;
};

static long attach(struct cxl_afu_h *afu)
{
	long min, max, n = WANT_IRQS;

	if (cxl_get_irqs_min(afu, &min) || cxl_get_irqs_max(afu, &max)) {
		perror("irqs_min/irqs_max");
		return -1;
	}
	if (n < min)
		n = min;
	if (n > max)
		n = max;
	if (cxl_afu_attach_full(afu, 0, (uint16_t)n, 0)) {
		perror("cxl_afu_attach_full");
		return -1;
	}
	printf("attached with %ld interrupts (irqs_min %ld, irqs_max %ld)\n", n, min, max);
	return n;
}

/* Job i copies a pattern of its own and raises interrupt i + 1. */
static int make_chain(struct job *jobs, long n)
{
	long i;
	size_t b;

	for (i = 0; i < n; i++) {
		struct job *j = &jobs[i];

		j->we = memcpy_afu_alloc(sizeof(*j->we));
		j->src = memcpy_afu_alloc(JOB_LEN);
		j->dst = memcpy_afu_alloc(JOB_LEN);
		if (!j->we || !j->src || !j->dst)
			return -1;
		for (b = 0; b < JOB_LEN; b++)
			j->src[b] = (unsigned char)(b * (i + 3) + i);
		memset(j->dst, 0, JOB_LEN);
		memcpy_we_init(j->we, j->src, j->dst, JOB_LEN, (uint16_t)(i + 1));
	}
	/* Link and validate from the end, so the AFU never sees a half-made chain. */
	for (i = n - 1; i >= 0; i--) {
		jobs[i].we->next = i + 1 < n ? (uintptr_t)jobs[i + 1].we : 0;
		jobs[i].we->ctl = MEMCPY_CTL_VALID | MEMCPY_CTL_IRQ;
	}
	return 0;
}

/* Take one event; count it in @seen if it is one of our @n interrupts. */
static int take_event(struct cxl_afu_h *afu, long n, unsigned int *seen)
{
	struct cxl_event ev;

	if (cxl_read_event(afu, &ev)) {
		perror("cxl_read_event");
		return -1;
	}
	cxl_fprint_event(stdout, &ev);
	if (ev.header.type != CXL_EVENT_AFU_INTERRUPT || ev.irq.irq < 1 || ev.irq.irq > n) {
		fprintf(stderr, "unexpected event\n");
		return -1;
	}
	seen[ev.irq.irq - 1]++;
	return 0;
}

/* The event loop: wait until @n interrupts have come in. */
static int wait_irqs(struct cxl_afu_h *afu, long n, unsigned int *seen)
{
	struct pollfd pfd = { .fd = cxl_afu_fd(afu), .events = POLLIN };
	long got = 0;
	int pending, ret;

	while (got < n) {
		ret = poll(&pfd, 1, WAIT_MS);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret <= 0) {
			fprintf(stderr, "%s\n", ret ? strerror(errno) : "no event for 10 s");
			return -1;
		}
		do {
			if (take_event(afu, n, seen))
				return -1;
			got++;
			pending = cxl_event_pending(afu);
		} while (pending > 0 && got < n);
		if (pending < 0) {
			perror("cxl_event_pending");
			return -1;
		}
	}
	return 0;
}

static int check(struct job *jobs, long n, const unsigned int *seen)
{
	int failures = 0;
	long i;

	for (i = 0; i < n; i++) {
		int ok = seen[i] == 1 && jobs[i].we->status == MEMCPY_ST_DONE &&
			 !memcmp(jobs[i].src, jobs[i].dst, JOB_LEN);

		printf("%s: job %ld: interrupt %ld seen %u time(s), %d KiB copied\n",
		       ok ? "ok" : "FAILED", i, i + 1, seen[i], JOB_LEN / 1024);
		failures += !ok;
	}
	return failures;
}

int main(void)
{
	struct job jobs[WANT_IRQS] = { 0 };
	unsigned int seen[WANT_IRQS] = { 0 };
	struct cxl_afu_h *afu;
	int failures = 1;
	long n, i;

	afu = cxl_afu_open_dev(DEVICE);
	if (!afu) {
		fprintf(stderr, "%s: %s\n", DEVICE, strerror(errno));
		return 1;
	}
	n = attach(afu);
	if (n < 1 || n > WANT_IRQS) {
		fprintf(stderr, "cannot use %ld interrupts\n", n);
		goto out;
	}
	if (cxl_mmio_map(afu, CXL_MMIO_BIG_ENDIAN)) {
		perror("cxl_mmio_map");
		goto out;
	}
	if (make_chain(jobs, n)) {
		fprintf(stderr, "out of memory\n");
		goto out;
	}
	if (memcpy_afu_start(afu, jobs[0].we)) {
		perror("cxl_mmio_write64");
		goto out;
	}
	if (!wait_irqs(afu, n, seen))
		failures = check(jobs, n, seen);
	if (cxl_event_pending(afu) != 0) {
		fprintf(stderr, "events left over\n");
		failures++;
	}
out:
	for (i = 0; i < WANT_IRQS; i++) {
		free(jobs[i].we);
		free(jobs[i].src);
		free(jobs[i].dst);
	}
	cxl_afu_free(afu);
	printf("interrupts: %s\n", failures ? "FAILED" : "PASSED");
	return failures ? 1 : 0;
}
