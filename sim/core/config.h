/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one configuration format (docs/config-format.md): INI-like,
 *
 *	# comment           ; comment
 *	[section]
 *	key = value         # trailing comment
 *
 * Every error names the file, the line and what was expected.
 */
#ifndef CAPISIM_CORE_CONFIG_H
#define CAPISIM_CORE_CONFIG_H

#include "types.h"

struct cfg;

/* The text of the last error, "file:line: what was expected, what was found". */
struct cfg_error {
	char msg[512];
};

int cfg_load(const char *path, struct cfg **out, struct cfg_error *err);
/* Parse @text (NUL-terminated); @name stands for the file in errors. */
int cfg_parse(const char *name, const char *text, struct cfg **out,
	      struct cfg_error *err);
void cfg_free(struct cfg *cfg);

/* Raw lookup; NULL when absent.  Marks the key as used. */
const char *cfg_get(struct cfg *cfg, const char *section, const char *key);
bool cfg_has_section(const struct cfg *cfg, const char *section);

/*
 * Typed lookups.  An absent key yields @def and returns 0; a malformed
 * value returns -EINVAL with @err naming the key's file and line.
 */
int cfg_get_u64(struct cfg *cfg, const char *section, const char *key,
		u64 def, u64 *out, struct cfg_error *err);
int cfg_get_bool(struct cfg *cfg, const char *section, const char *key,
		 bool def, bool *out, struct cfg_error *err);
int cfg_get_str(struct cfg *cfg, const char *section, const char *key,
		const char *def, const char **out, struct cfg_error *err);
/* A duration with a unit: ps, ns, us, ms, s, or "N cycles" of the PSL clock. */
int cfg_get_time(struct cfg *cfg, const char *section, const char *key,
		 u64 def_ps, u64 *out_ps, struct cfg_error *err);

/*
 * Report the first key never looked up (a likely typo) as an error naming
 * its file and line; returns -ENOENT if there is one, 0 otherwise.
 */
int cfg_check_unused(const struct cfg *cfg, struct cfg_error *err);

/* Iterate sections in file order: returns the name of section @i or NULL. */
const char *cfg_section_name(const struct cfg *cfg, unsigned int i);

#endif
