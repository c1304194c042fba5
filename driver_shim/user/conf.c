// SPDX-License-Identifier: GPL-2.0
/*
 * The machine libcxl boots, as the environment and an optional
 * configuration file describe it (docs/libcxl.md, "Configuration").  A
 * variable overrides the file's key of the same meaning.
 */
#define pr_fmt(fmt) "libcxl: " fmt

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/time.h"
#include "lx.h"

#define CONF_SECTION	"libcxl"

static void conf_defaults(struct lx_conf *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->afu, sizeof(c->afu), "memcpy");
	c->seed = 1;
	c->time = LX_TIME_LOCKSTEP;
	c->quantum_ps = PS_PER_US;
	c->log_level = LOG_WARN;
}

static int set_str(char *dst, size_t len, const char *what, const char *val)
{
	if (strlen(val) >= len) {
		pr_err("%s: '%s' is longer than %zu characters\n", what, val, len - 1);
		return -EINVAL;
	}
	snprintf(dst, len, "%s", val);
	return 0;
}

static int set_mode(struct lx_conf *c, const char *what, const char *val)
{
	if (strcmp(val, "directed") && strcmp(val, "dedicated") && *val) {
		pr_err("%s: '%s' is neither directed nor dedicated\n", what, val);
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
		pr_err("%s: '%s' is neither lockstep nor free\n", what, val);
		return -EINVAL;
	}
	return 0;
}

static int set_u64(u64 *dst, const char *what, const char *val)
{
	if (cfg_parse_u64(val, dst)) {
		pr_err("%s: '%s' is not a number\n", what, val);
		return -EINVAL;
	}
	return 0;
}

static int set_quantum(struct lx_conf *c, const char *what, const char *val)
{
	if (cfg_parse_time(val, &c->quantum_ps) || !c->quantum_ps) {
		pr_err("%s: '%s' is not a duration above 0 (e.g. \"1 us\")\n", what, val);
		return -EINVAL;
	}
	return 0;
}

static int set_log(struct lx_conf *c, const char *what, const char *val)
{
	if (log_parse_level(val, &c->log_level)) {
		pr_err("%s: '%s' is not a log level (err, warn, notice, info, debug)\n", what, val);
		return -EINVAL;
	}
	return 0;
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
	return set_str(c->log_file, sizeof(c->log_file), what, val);
}

static const char *const conf_keys[] = {
	"afu", "afu_options", "mode", "seed", "time", "quantum", "log", "log_file",
};

static int conf_file(struct lx_conf *c, const char *path)
{
	struct cfg_error err;
	struct cfg *cfg;
	unsigned int i;
	int ret;

	ret = cfg_load(path, &cfg, &err);
	if (ret) {
		pr_err("CAPISIM_CONFIG: %s\n", err.msg);
		return ret;
	}
	for (i = 0; i < ARRAY_SIZE(conf_keys) && !ret; i++) {
		const char *val = cfg_get(cfg, CONF_SECTION, conf_keys[i]);

		if (val)
			ret = conf_set(c, conf_keys[i], path, val);
	}
	if (!ret && cfg_check_unused(cfg, &err)) {
		pr_err("CAPISIM_CONFIG: %s\n", err.msg);
		ret = -EINVAL;
	}
	cfg_free(cfg);
	return ret;
}

int lx_conf_load(struct lx_conf *c)
{
	const char *path = getenv("CAPISIM_CONFIG");
	unsigned int i;
	int ret = 0;

	conf_defaults(c);
	if (path && *path)
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
