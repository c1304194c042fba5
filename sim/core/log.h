/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Logging.  Every line carries the simulated time and the prefix of the
 * file that printed it; each .c file defines pr_fmt() before including
 * this header, as kernel files do:
 *
 *	#define pr_fmt(fmt) "psl: " fmt
 *	#include "core/log.h"
 *
 * A line reads "[    0.000004000000] psl: message" (seconds with
 * picosecond resolution), or "psl: message" when no clock is set.  A
 * message gets a newline unless it already ends with one, so both
 * pr_info("x") and pr_info("x\n") print one line.  Lines go out whole
 * (one fwrite each, under a lock): any thread may log.
 */
#ifndef CAPISIM_CORE_LOG_H
#define CAPISIM_CORE_LOG_H

#include <stdio.h>

#include "types.h"

#ifndef pr_fmt
#error "define pr_fmt(fmt) before including log.h, so every line names its source"
#endif

enum log_level {
	LOG_ERR,
	LOG_WARN,
	LOG_NOTICE,
	LOG_INFO,
	LOG_DEBUG,
	LOG_TRACE,
};

/* Only lines at or above (numerically at or below) this level are printed. */
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/*
 * Parse "err", "warn", "notice", "info", "debug", "trace" (any case);
 * -EINVAL otherwise.  The default level is LOG_INFO.
 */
int log_parse_level(const char *name, enum log_level *level);

/*
 * Send output to @f (NULL: stderr, the default); the caller keeps owning
 * @f.  log_open() opens @path for writing (truncating it) and returns 0
 * or -errno; log_close() closes it and goes back to stderr.
 */
void log_set_file(FILE *f);
int log_open(const char *path);
void log_close(void);

/*
 * Where the simulated time on each line comes from; NULL prints no time.
 * @now runs under the log lock, so it must not log.
 */
void log_set_clock(u64 (*now)(void *arg), void *arg);

/* Counters of lines printed at each level (e.g. errors, for run summaries). */
u64 log_count(enum log_level level);
void log_reset_counts(void);

__attribute__((format(printf, 2, 3)))
void log_printf(enum log_level level, const char *fmt, ...);

static inline bool log_enabled(enum log_level level)
{
	extern enum log_level log_level_cur;

	return level <= log_level_cur;
}

#define pr_err(fmt, ...) log_printf(LOG_ERR, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) log_printf(LOG_WARN, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...) log_printf(LOG_NOTICE, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) log_printf(LOG_INFO, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...)						\
	do {								\
		if (log_enabled(LOG_DEBUG))				\
			log_printf(LOG_DEBUG, pr_fmt(fmt), ##__VA_ARGS__); \
	} while (0)
#define pr_trace(fmt, ...)						\
	do {								\
		if (log_enabled(LOG_TRACE))				\
			log_printf(LOG_TRACE, pr_fmt(fmt), ##__VA_ARGS__); \
	} while (0)

#endif
