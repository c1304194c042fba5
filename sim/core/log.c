// SPDX-License-Identifier: GPL-2.0
/*
 * Logging: one line per call, "[<simulated time>] <prefix>: <message>",
 * written with a single fwrite so lines from different threads never
 * interleave.
 */
#define pr_fmt(fmt) "log: " fmt

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "core/time.h"

/*
 * The default is LOG_INFO rather than LOG_NOTICE: capisim is a developer's
 * tool, and the info lines (what was configured, which phase a run is in)
 * are what a person watching a run wants to see, as pr_info lines show in
 * the kernel log.  The noisy levels are debug and trace, which pr_debug
 * and pr_trace skip inline without a call.
 *
 * Read without a lock by log_enabled() on every pr_debug/pr_trace; set
 * only while configuring a run, before any other thread logs.
 */
enum log_level log_level_cur = LOG_INFO;

/*
 * log_lock protects everything below it: the output stream and whether
 * we opened it, the clock callback and its argument, and the counters.
 * Any thread may log; each line is formatted and written under the lock.
 */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *log_out;			/* NULL means stderr */
static bool log_out_owned;		/* log_out came from log_open() */
static u64 (*log_clock)(void *arg);	/* NULL: lines carry no time */
static void *log_clock_arg;
static u64 log_counts[LOG_TRACE + 1];	/* lines printed, per level */

static const char *const log_level_names[] = {
	[LOG_ERR] = "err",
	[LOG_WARN] = "warn",
	[LOG_NOTICE] = "notice",
	[LOG_INFO] = "info",
	[LOG_DEBUG] = "debug",
	[LOG_TRACE] = "trace",
};

void log_set_level(enum log_level level)
{
	log_level_cur = level;
}

enum log_level log_get_level(void)
{
	return log_level_cur;
}

int log_parse_level(const char *name, enum log_level *level)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(log_level_names); i++) {
		if (!strcasecmp(name, log_level_names[i])) {
			*level = i;
			return 0;
		}
	}
	return -EINVAL;
}

/* Called with log_lock held. */
static void log_replace_out(FILE *f, bool owned)
{
	if (log_out_owned)
		fclose(log_out);
	log_out = f;
	log_out_owned = owned;
}

void log_set_file(FILE *f)
{
	pthread_mutex_lock(&log_lock);
	log_replace_out(f, false);
	pthread_mutex_unlock(&log_lock);
}

int log_open(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	/* Line-buffered so a crash loses at most the line being written. */
	setvbuf(f, NULL, _IOLBF, 0);
	pthread_mutex_lock(&log_lock);
	log_replace_out(f, true);
	pthread_mutex_unlock(&log_lock);
	return 0;
}

void log_close(void)
{
	log_set_file(NULL);
}

void log_set_clock(u64 (*now)(void *arg), void *arg)
{
	pthread_mutex_lock(&log_lock);
	log_clock = now;
	log_clock_arg = arg;
	pthread_mutex_unlock(&log_lock);
}

u64 log_count(enum log_level level)
{
	u64 n;

	if ((unsigned int)level >= ARRAY_SIZE(log_counts))
		return 0;
	pthread_mutex_lock(&log_lock);
	n = log_counts[level];
	pthread_mutex_unlock(&log_lock);
	return n;
}

void log_reset_counts(void)
{
	pthread_mutex_lock(&log_lock);
	memset(log_counts, 0, sizeof(log_counts));
	pthread_mutex_unlock(&log_lock);
}

/* Called with log_lock held: "[<time>] " or nothing; returns its length. */
static int log_time_prefix(char *buf, size_t len)
{
	char t[SIM_TIME_STR_LEN];

	if (!log_clock)
		return 0;
	sim_time_str(log_clock(log_clock_arg), t, sizeof(t));
	return snprintf(buf, len, "[%s] ", t);
}

/*
 * Format the line into @stack, or into a heap buffer when it does not
 * fit; returns the buffer (the caller frees it unless it is @stack) and
 * its length in @lenp, with exactly one newline at the end.
 */
static char *log_format(char *stack, size_t size, size_t *lenp,
			const char *fmt, va_list ap)
{
	char *buf = stack;
	va_list ap2;
	int hdr, n;

	hdr = log_time_prefix(stack, size);
	va_copy(ap2, ap);
	n = vsnprintf(stack + hdr, size - hdr, fmt, ap);
	if (n < 0)
		n = 0;
	/* Room for the header, the message, a newline and the NUL. */
	if ((size_t)hdr + n + 2 > size) {
		buf = malloc((size_t)hdr + n + 2);
		if (buf) {
			memcpy(buf, stack, hdr);
			vsnprintf(buf + hdr, (size_t)n + 1, fmt, ap2);
		} else {
			/* Out of memory: print what fitted, truncated. */
			buf = stack;
			n = size - hdr - 2;
		}
	}
	va_end(ap2);
	n += hdr;
	if (!n || buf[n - 1] != '\n')
		buf[n++] = '\n';
	*lenp = n;
	return buf;
}

void log_printf(enum log_level level, const char *fmt, ...)
{
	char stack[512], *buf;
	va_list ap;
	size_t len;

	if (level > log_level_cur)
		return;
	pthread_mutex_lock(&log_lock);
	va_start(ap, fmt);
	buf = log_format(stack, sizeof(stack), &len, fmt, ap);
	va_end(ap);
	fwrite(buf, 1, len, log_out ? log_out : stderr);
	if ((unsigned int)level < ARRAY_SIZE(log_counts))
		log_counts[level]++;
	pthread_mutex_unlock(&log_lock);
	if (buf != stack)
		free(buf);
}
