// SPDX-License-Identifier: GPL-2.0
/*
 * The run's trace (CAPISIM_TRACE, docs/libcxl.md, "Tracing"): a .cxt
 * recorded from the machine's boot to its stop, whose header names all
 * the run depends on: capisim's version, the effective configuration
 * followed by `capisim run`'s [run] section, the seed, the timing file
 * and the driver the library was built with.
 */
#define pr_fmt(fmt) "libcxl: " fmt

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/world.h"
#include "trace/cxt.h"
#include "lx.h"

/* Set by mk/libcxl.mk from VERSION and the driver the build compiled. */
#ifndef CAPISIM_VERSION
#define CAPISIM_VERSION "unknown"
#endif
#ifndef CAPISIM_DRV_ORIGIN
#define CAPISIM_DRV_ORIGIN "unknown"
#define CAPISIM_DRV_SOURCE "unknown"
#define CAPISIM_DRV_VERSION "unknown"
#endif

/* The trace being recorded; simulator thread only. */
static struct {
	struct cxt_writer *w;
	const char *path;	/* the configuration's, valid while the machine lives */
} rec;

/* The configuration text: the [libcxl] section, then `capisim run`'s [run] section. */
static char *config_text(const struct lx_conf *c)
{
	char *own = lx_conf_text(c), *all;

	if (!own || !c->run_info)
		return own;
	if (asprintf(&all, "%s\n%s", own, c->run_info) < 0)
		all = NULL;
	free(own);
	return all;
}

int lx_record_start(const struct lx_conf *c, const char *timing_text)
{
	const struct cxt_seed seeds[] = { { "master", c->seed } };
	struct cxt_header h = {
		.level = c->trace_level,
		.capisim_version = CAPISIM_VERSION,
		.config_name = getenv("CAPISIM_CONFIG"),
		.timing_name = *c->timing ? c->timing : NULL,
		.timing_text = timing_text,
		.driver_origin = CAPISIM_DRV_ORIGIN,
		.driver_source = CAPISIM_DRV_SOURCE,
		.driver_version = CAPISIM_DRV_VERSION,
		.seeds = seeds,
		.nr_seeds = ARRAY_SIZE(seeds),
	};
	struct cxt_error err;
	char *text;
	int ret;

	if (!*c->trace)
		return 0;
	text = config_text(c);
	if (!text)
		return -ENOMEM;
	h.config_text = text;
	ret = cxt_create(c->trace, &h, NULL, &rec.w, &err);
	free(text);
	if (ret) {
		lx_problem("CAPISIM_TRACE: %s — name a file in a writable directory", err.msg);
		return ret;
	}
	trace_set_clock_var(&kshim_world.q.now);
	ret = trace_start(rec.w, c->trace_level);
	if (ret) {
		lx_problem("CAPISIM_TRACE %s: cannot record: %s — is another trace running?",
			   c->trace, strerror(-ret));
		cxt_close_writer(rec.w, &err);
		rec.w = NULL;
		return ret;
	}
	rec.path = c->trace;
	return 0;
}

int lx_record_stop(void)
{
	struct cxt_error err;
	int ret, cret;

	if (!rec.w)
		return 0;
	ret = trace_stop();
	if (ret)
		pr_err("trace %s: %s\n", rec.path, trace_error());
	trace_set_clock_var(NULL);
	cret = cxt_close_writer(rec.w, &err);
	if (cret)
		pr_err("trace %s: %s\n", rec.path, err.msg);
	rec.w = NULL;
	return ret ?: cret;
}
