/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one configuration format (docs/config-format.md): INI-like,
 *
 *	# comment           ; comment
 *	[section]
 *	key = value         # trailing comment
 *	name = "  a # kept"  # quoted: \" and \\ escapes
 *
 * Names are letters, digits, '_', '.' and '-'; lines are at most 4096
 * characters, files at most 16 MiB.  Every error names the file, the line
 * and what was expected; the first error stops the parse.  A struct cfg
 * is not thread-safe (lookups mark keys used).
 */
#ifndef CAPISIM_CORE_CONFIG_H
#define CAPISIM_CORE_CONFIG_H

#include "types.h"

struct cfg;

/* The text of the last error, "file:line: what was expected, what was found". */
struct cfg_error {
	char msg[512];
};

/*
 * Load @path into *@out.  Returns 0, -EINVAL for a malformed file, -EFBIG,
 * -ENOMEM, or the -errno of opening or reading it; *@out is NULL on error.
 * @err may be NULL.
 */
int cfg_load(const char *path, struct cfg **out, struct cfg_error *err);
/* Parse @text (NUL-terminated); @name stands for the file in errors. */
int cfg_parse(const char *name, const char *text, struct cfg **out,
	      struct cfg_error *err);
void cfg_free(struct cfg *cfg);

/*
 * Raw lookup; NULL when absent.  Marks the key as used.  Strings returned
 * by any getter live until cfg_free().
 */
const char *cfg_get(struct cfg *cfg, const char *section, const char *key);
bool cfg_has_section(const struct cfg *cfg, const char *section);

/*
 * Typed lookups.  An absent key yields @def and returns 0; a malformed
 * value returns -EINVAL with @err naming the key's file and line, what
 * was expected and what was found.  Integers: decimal, 0x hex or 0b
 * binary, '_' between digits, optional K/M/G suffix (2^10, 2^20, 2^30).
 * Booleans: true/false, yes/no, on/off, 1/0, any case.
 */
int cfg_get_u64(struct cfg *cfg, const char *section, const char *key,
		u64 def, u64 *out, struct cfg_error *err);
int cfg_get_bool(struct cfg *cfg, const char *section, const char *key,
		 bool def, bool *out, struct cfg_error *err);
int cfg_get_str(struct cfg *cfg, const char *section, const char *key,
		const char *def, const char **out, struct cfg_error *err);
/*
 * A duration with a unit: ps, ns, us, ms, s, or "N cycles" of the PSL
 * clock (4000 ps each); "1.5 ns" is fine, "1.5 ps" is not (not a whole ps).
 */
int cfg_get_time(struct cfg *cfg, const char *section, const char *key,
		 u64 def_ps, u64 *out_ps, struct cfg_error *err);

/*
 * Report the first key never looked up (a likely typo) as an error naming
 * its file and line; returns -ENOENT if there is one, 0 otherwise.
 */
int cfg_check_unused(const struct cfg *cfg, struct cfg_error *err);

/*
 * The value parsers behind the typed getters, for command-line options
 * that take the same forms: an integer (0x, 0b, K/M/G) and a duration
 * with a unit.  Return 0, -EINVAL, -ERANGE, or -EDOM for a time that is
 * not a whole number of picoseconds.
 */
int cfg_parse_u64(const char *s, u64 *out);
int cfg_parse_time(const char *s, u64 *out);

/* Iterate sections in file order: returns the name of section @i or NULL. */
const char *cfg_section_name(const struct cfg *cfg, unsigned int i);

#endif
