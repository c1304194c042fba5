// SPDX-License-Identifier: GPL-2.0
/*
 * The machine libcxl boots, as the environment and an optional
 * configuration file describe it (docs/libcxl.md, "Configuration").  A
 * variable overrides the file's key of the same meaning.  CAPISIM_STATUS
 * and CAPISIM_RUN_INFO, which `capisim run` sets, exist only as variables.
 */
#define pr_fmt(fmt) "libcxl: " fmt

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/time.h"
#include "psl/timing.h"
#include "lx.h"

#define CONF_SECTION	"libcxl"

static const char *const log_names[] = {
	[LOG_ERR] = "err", [LOG_WARN] = "warn", [LOG_NOTICE] = "notice",
	[LOG_INFO] = "info", [LOG_DEBUG] = "debug", [LOG_TRACE] = "trace",
};

static const char *const trace_level_names[] = {
	[TRACE_LVL_DEFAULT] = "default", [TRACE_LVL_VERBOSE] = "verbose",
	[TRACE_LVL_DEBUG] = "debug",
};

static void conf_defaults(struct lx_conf *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->afu, sizeof(c->afu), "memcpy");
	c->seed = 1;
	c->time = LX_TIME_LOCKSTEP;
	c->quantum_ps = PS_PER_US;
	c->log_level = LOG_WARN;
	c->trace_level = TRACE_LVL_DEFAULT;
}

static int set_str(char *dst, size_t len, const char *what, const char *val)
{
	if (strlen(val) >= len) {
		lx_problem("%s: '%s' is longer than %zu characters — shorten it", what, val,
			   len - 1);
		return -EINVAL;
	}
	snprintf(dst, len, "%s", val);
	return 0;
}

static int set_mode(struct lx_conf *c, const char *what, const char *val)
{
	if (strcmp(val, "directed") && strcmp(val, "dedicated") && *val) {
		lx_problem("%s: '%s' is not a mode — use directed or dedicated", what, val);
		return -EINVAL;
	}
	return set_str(c->mode, sizeof(c->mode), what, val);
}

static int set_time(struct lx_conf *c, const char *what, const char *val)
{
	if (!strcmp(val, "lockstep")) {
		c->time = LX_TIME_LOCKSTEP;
	} else if (!strcmp(val, "free")) {
		c->time = LX_TIME_FREE;
	} else {
		lx_problem("%s: '%s' is not a time mode — use lockstep or free", what, val);
		return -EINVAL;
	}
	return 0;
}

static int set_u64(u64 *dst, const char *what, const char *val)
{
	if (cfg_parse_u64(val, dst)) {
		lx_problem("%s: '%s' is not a number — give e.g. 42 or 0x2a", what, val);
		return -EINVAL;
	}
	return 0;
}

static int set_quantum(struct lx_conf *c, const char *what, const char *val)
{
	if (cfg_parse_time(val, &c->quantum_ps) || !c->quantum_ps) {
		lx_problem("%s: '%s' is not a duration above 0 — give e.g. \"1 us\"", what, val);
		return -EINVAL;
	}
	return 0;
}

static int set_log(struct lx_conf *c, const char *what, const char *val)
{
	if (log_parse_level(val, &c->log_level)) {
		lx_problem("%s: '%s' is not a log level — use err, warn, notice, info or debug",
			   what, val);
		return -EINVAL;
	}
	return 0;
}

static int set_trace_level(struct lx_conf *c, const char *what, const char *val)
{
	unsigned int i;

	for (i = TRACE_LVL_DEFAULT; i < ARRAY_SIZE(trace_level_names); i++) {
		if (!strcmp(val, trace_level_names[i])) {
			c->trace_level = i;
			return 0;
		}
	}
	lx_problem("%s: '%s' is not a trace level — use default, verbose or debug", what, val);
	return -EINVAL;
}

/* One setting, by its key in the file; the variable is CAPISIM_ and the key in capitals. */
static int conf_set(struct lx_conf *c, const char *key, const char *what, const char *val)
{
	if (!strcmp(key, "afu"))
		return set_str(c->afu, sizeof(c->afu), what, val);
	if (!strcmp(key, "afu_options"))
		return set_str(c->afu_options, sizeof(c->afu_options), what, val);
	if (!strcmp(key, "mode"))
		return set_mode(c, what, val);
	if (!strcmp(key, "seed"))
		return set_u64(&c->seed, what, val);
	if (!strcmp(key, "time"))
		return set_time(c, what, val);
	if (!strcmp(key, "quantum"))
		return set_quantum(c, what, val);
	if (!strcmp(key, "log"))
		return set_log(c, what, val);
	if (!strcmp(key, "timing"))
		return set_str(c->timing, sizeof(c->timing), what, val);
	if (!strcmp(key, "trace"))
		return set_str(c->trace, sizeof(c->trace), what, val);
	if (!strcmp(key, "trace_level"))
		return set_trace_level(c, what, val);
	return set_str(c->log_file, sizeof(c->log_file), what, val);
}

static const char *const conf_keys[] = {
	"afu", "afu_options", "mode", "seed", "time", "quantum", "log", "log_file",
	"timing", "trace", "trace_level",
};

static int conf_file(struct lx_conf *c, const char *path)
{
	struct cfg_error err;
	struct cfg *cfg;
	unsigned int i;
	int ret;

	ret = cfg_load(path, &cfg, &err);
	if (ret) {
		lx_problem("CAPISIM_CONFIG: %s — fix the file or unset CAPISIM_CONFIG", err.msg);
		return ret;
	}
	for (i = 0; i < ARRAY_SIZE(conf_keys) && !ret; i++) {
		const char *val = cfg_get(cfg, CONF_SECTION, conf_keys[i]);

		if (val)
			ret = conf_set(c, conf_keys[i], path, val);
	}
	if (!ret && cfg_check_unused(cfg, &err)) {
		lx_problem("CAPISIM_CONFIG: %s — see docs/libcxl.md for the [libcxl] keys", err.msg);
		ret = -EINVAL;
	}
	cfg_free(cfg);
	return ret;
}

/* The variables only `capisim run` sets: read first, so a bad configuration still has a status. */
static int conf_run_env(struct lx_conf *c)
{
	const char *val = getenv("CAPISIM_STATUS");

	if (val && set_str(c->status, sizeof(c->status), "CAPISIM_STATUS", val))
		return -EINVAL;
	val = getenv("CAPISIM_RUN_INFO");
	if (val && *val) {
		c->run_info = strdup(val);
		if (!c->run_info)
			return -ENOMEM;
	}
	return 0;
}

int lx_conf_load(struct lx_conf *c)
{
	const char *path = getenv("CAPISIM_CONFIG");
	unsigned int i;
	int ret;

	conf_defaults(c);
	ret = conf_run_env(c);
	if (!ret && path && *path)
		ret = conf_file(c, path);
	for (i = 0; i < ARRAY_SIZE(conf_keys) && !ret; i++) {
		char var[32];
		const char *val;
		unsigned int j;

		snprintf(var, sizeof(var), "CAPISIM_%s", conf_keys[i]);
		for (j = 8; var[j]; j++)
			var[j] = var[j] >= 'a' && var[j] <= 'z' ? var[j] - 'a' + 'A' : var[j];
		val = getenv(var);
		if (val)
			ret = conf_set(c, conf_keys[i], var, val);
	}
	return ret;
}

void lx_conf_free(struct lx_conf *c)
{
	free(c->run_info);
	c->run_info = NULL;
}

/* A value in the configuration format: always quoted, so spaces and '#' survive. */
static void put_val(FILE *f, const char *key, const char *val)
{
	fprintf(f, "%s = \"", key);
	for (; *val; val++) {
		if (*val == '"' || *val == '\\')
			fputc('\\', f);
		fputc(*val, f);
	}
	fputs("\"\n", f);
}

char *lx_conf_text(const struct lx_conf *c)
{
	char *text = NULL, num[32];
	size_t len;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	fprintf(f, "[%s]\n", CONF_SECTION);
	put_val(f, "afu", c->afu);
	put_val(f, "afu_options", c->afu_options);
	put_val(f, "mode", c->mode);
	fprintf(f, "seed = %llu\n", (unsigned long long)c->seed);
	put_val(f, "time", c->time == LX_TIME_FREE ? "free" : "lockstep");
	snprintf(num, sizeof(num), "%llu ps", (unsigned long long)c->quantum_ps);
	put_val(f, "quantum", num);
	put_val(f, "log", c->log_level < ARRAY_SIZE(log_names) ? log_names[c->log_level] : "?");
	put_val(f, "log_file", c->log_file);
	put_val(f, "timing", c->timing);
	put_val(f, "trace", c->trace);
	put_val(f, "trace_level", trace_level_names[c->trace_level]);
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

/* The whole of @path, NUL-terminated; 0 or -errno. */
static int read_file(const char *path, char **out)
{
	char *text = NULL, buf[4096];
	size_t len, n;
	FILE *in = fopen(path, "r");
	FILE *mem;
	int ret = 0;

	if (!in)
		return -errno;
	mem = open_memstream(&text, &len);
	if (!mem) {
		fclose(in);
		return -ENOMEM;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, mem);
	if (ferror(in))
		ret = -EIO;
	fclose(in);
	if (fclose(mem) && !ret)
		ret = -ENOMEM;
	if (ret)
		free(text);
	else
		*out = text;
	return ret;
}

int lx_timing_load(const struct lx_conf *c, struct psl_timing *t, char **text)
{
	struct cfg_error err;
	struct cfg *cfg;
	int ret;

	*text = NULL;
	if (!*c->timing)
		return 0;
	ret = read_file(c->timing, text);
	if (ret) {
		lx_problem("CAPISIM_TIMING: %s: %s — name a PSL timing file (docs/psl8-model.md)",
			   c->timing, strerror(-ret));
		return -EINVAL;
	}
	ret = cfg_parse(c->timing, *text, &cfg, &err);
	if (!ret) {
		ret = psl_timing_load(cfg, t, &err);
		if (!ret && cfg_check_unused(cfg, &err))
			ret = -EINVAL;
		cfg_free(cfg);
	}
	if (!ret)
		return 0;
	lx_problem("CAPISIM_TIMING: %s — fix the timing file (keys: sim/psl/timing.h)", err.msg);
	free(*text);
	*text = NULL;
	return -EINVAL;
}
