// SPDX-License-Identifier: GPL-2.0
/*
 * The machine's status file (CAPISIM_STATUS, docs/libcxl.md, "Status"):
 * what `capisim run` reads when the program has exited.  One "key value"
 * per line after "capisim-status 1"; every key present, 0 when none.  The
 * numbers are the model's and the shim's own counters, never the trace's,
 * so the two can be checked against each other.
 */
#define pr_fmt(fmt) "libcxl: " fmt

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/hsched.h"
#include "host/world.h"
#include "psl/psl.h"
#include "trace/tt.h"
#include "lx.h"

#define STATUS_MAX_COMS	64
#define STATUS_PROBLEM_LEN	512

struct status_com {
	u16 com;
	u64 n;
};

/* The counters at the machine's stop. */
struct status_snap {
	struct lx_stats st;
	u64 contexts;
	struct status_com coms[STATUS_MAX_COMS];
	unsigned int nr_coms;
	u64 coms_other;
	u64 bytes_read, bytes_written;
	u64 faults_segment, faults_page, faults_ae;
	u64 irq_afu, irq_psl_err, irq_slice_err;
	u64 errors_afu;
	u64 warnings, bugs, lock_reports;
};

/*
 * @problem is under @lock (any thread may report one).  @snap and @valid
 * are written by the simulator thread at the stop and read after it
 * ended (lx_shutdown() joins it), or by the simulator thread itself in
 * an emergency.
 */
static struct {
	pthread_mutex_t lock;
	char problem[STATUS_PROBLEM_LEN];
	bool valid;
	struct status_snap snap;
} status = { .lock = PTHREAD_MUTEX_INITIALIZER };

void lx_problem(const char *fmt, ...)
{
	char msg[STATUS_PROBLEM_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "capisim: %s\n", msg);
	pthread_mutex_lock(&status.lock);
	if (!*status.problem)
		snprintf(status.problem, sizeof(status.problem), "%s", msg);
	pthread_mutex_unlock(&status.lock);
}

static void add_com(struct status_snap *sn, u16 com, u64 n)
{
	unsigned int i;

	for (i = 0; i < sn->nr_coms && sn->coms[i].com != com; i++)
		;
	if (i == STATUS_MAX_COMS) {
		sn->coms_other += n;
		return;
	}
	if (i == sn->nr_coms)
		sn->coms[sn->nr_coms++] = (struct status_com){ .com = com };
	sn->coms[i].n += n;
}

static void snap_slice(struct status_snap *sn, const struct psl_slice *s)
{
	const struct psl_port *pt = &s->port;
	unsigned int i;

	for (i = 0; i < pt->nr_coms; i++)
		add_com(sn, pt->coms[i].com, pt->coms[i].n);
	sn->coms_other += pt->coms_other;
	sn->bytes_read += pt->cq.stats.bytes_read;
	sn->bytes_written += pt->cq.stats.bytes_written;
	sn->errors_afu += pt->job.stats.afu_errors;
}

static void snap_card(struct status_snap *sn, const struct psl_card *card)
{
	unsigned int i;

	for (i = 0; i < card->p.nr_slices; i++)
		snap_slice(sn, &card->slice[i]);
	sn->irq_afu += card->stats.irq_afu;
	sn->irq_psl_err += card->stats.irq_psl_err;
	sn->irq_slice_err += card->stats.irq_slice_err;
}

void lx_status_snapshot(const struct lx_stats *st)
{
	struct status_snap *sn = &status.snap;
	unsigned int i;

	memset(sn, 0, sizeof(*sn));
	sn->st = *st;
	for (i = 0; i < kshim_world.nr_cards; i++)
		snap_card(sn, kshim_world.cards[i]);
	sn->contexts = lx_drv_hits("cxl_attach");
	sn->faults_segment = lx_drv_hits("cxl_ste_miss");
	sn->faults_page = lx_drv_hits("cxl_pte_miss");
	sn->faults_ae = lx_drv_tfc_ae();
	sn->warnings = kshim_check_count(KSHIM_CHECK_WARN);
	for (i = KSHIM_CHECK_WARN + 1; i < KSHIM_NR_CHECKS; i++)
		sn->lock_reports += kshim_check_count(i);
	sn->bugs = lx_drv_bugs();
	status.valid = true;
}

void lx_status_reset(void)
{
	pthread_mutex_lock(&status.lock);
	*status.problem = '\0';
	pthread_mutex_unlock(&status.lock);
	status.valid = false;
}

/* "read_cl_na", as sim/psl and `capisim trace stats` name it, or "com_0x1234". */
static const char *com_name(u16 com, char *buf, size_t len)
{
	const char *name = tt_cmd_name(com);

	if (name)
		return name;
	snprintf(buf, len, "com_0x%04x", com);
	return buf;
}

static int cmp_com(const void *a, const void *b)
{
	char x[16], y[16];

	return strcmp(com_name(((const struct status_com *)a)->com, x, sizeof(x)),
		      com_name(((const struct status_com *)b)->com, y, sizeof(y)));
}

static void put(FILE *f, const char *key, u64 v)
{
	fprintf(f, "%s %llu\n", key, (unsigned long long)v);
}

static void write_snap(FILE *f, struct status_snap *sn)
{
	unsigned int i;
	char buf[16];

	put(f, "processes", sn->st.processes);
	put(f, "contexts", sn->contexts);
	qsort(sn->coms, sn->nr_coms, sizeof(sn->coms[0]), cmp_com);
	for (i = 0; i < sn->nr_coms; i++)
		fprintf(f, "cmd.%s %llu\n", com_name(sn->coms[i].com, buf, sizeof(buf)),
			(unsigned long long)sn->coms[i].n);
	if (sn->coms_other)
		put(f, "cmd.other", sn->coms_other);
	put(f, "bytes_read", sn->bytes_read);
	put(f, "bytes_written", sn->bytes_written);
	put(f, "faults_segment", sn->faults_segment);
	put(f, "faults_page", sn->faults_page);
	put(f, "faults_address_error", sn->faults_ae);
	put(f, "interrupts_afu", sn->irq_afu);
	put(f, "interrupts_psl_error", sn->irq_psl_err);
	put(f, "interrupts_slice_error", sn->irq_slice_err);
	put(f, "errors_afu", sn->errors_afu);
	put(f, "driver_warnings", sn->warnings);
	put(f, "driver_bugs", sn->bugs);
	put(f, "lock_reports", sn->lock_reports);
	put(f, "deadlock", sn->st.deadlock);
}

void lx_status_write(const struct lx_conf *c, u64 wall_ns, bool failed)
{
	struct status_snap zero = { 0 };
	struct status_snap *sn = status.valid ? &status.snap : &zero;
	char problem[STATUS_PROBLEM_LEN];
	FILE *f;

	if (!*c->status)
		return;
	pthread_mutex_lock(&status.lock);
	snprintf(problem, sizeof(problem), "%s", status.problem);
	pthread_mutex_unlock(&status.lock);
	f = fopen(c->status, "w");
	if (!f) {
		fprintf(stderr, "capisim: CAPISIM_STATUS %s: %s — name a writable file\n",
			c->status, strerror(errno));
		return;
	}
	fprintf(f, "capisim-status 1\n");
	put(f, "sim_time_ps", sn->st.sim_time_ps);
	put(f, "wall_ns", wall_ns);
	write_snap(f, sn);
	fprintf(f, "trace %s\n", *c->trace ? c->trace : "-");
	failed = failed || !status.valid || sn->st.verdict || *problem;
	fprintf(f, "verdict %s\n", failed ? "failed" : "ok");
	if (*problem)
		fprintf(f, "problem %s\n", problem);
	if (fclose(f))
		fprintf(stderr, "capisim: CAPISIM_STATUS %s: %s — name a writable file\n",
			c->status, strerror(errno));
}
