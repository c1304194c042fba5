// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration parser; docs/config-format.md is the specification.
 *
 * A file becomes an array of items (section headers and keys) in file
 * order, their strings in one pool, and a hash index over (section, name)
 * so that duplicate checks and lookups stay linear in the file's size
 * whatever the input.  The first error stops the parse.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/config.h"
#include "core/time.h"

#define CFG_LINE_MAX 4096
#define CFG_SIZE_MAX (16u << 20)
/* "No item": before the first section, or the section of a section. */
#define CFG_NONE UINT32_MAX
/* Characters of offending text quoted in an error message. */
#define CFG_SHOW_MAX 60

/*
 * A section header or a key.  Strings live in cfg->pool and are kept as
 * offsets because the pool moves while it grows.
 */
struct cfg_item {
	u32 name;	/* pool offset */
	u32 value;	/* pool offset; CFG_NONE for a section header */
	u32 sec;	/* item index of a key's section; CFG_NONE for a section */
	u32 line;
	bool used;	/* a lookup asked for this key */
};

/*
 * A parsed file.  Owned by whoever loaded it; not thread-safe, since
 * lookups set @used.
 */
struct cfg {
	char *name;		/* the file name errors cite */
	char *pool;		/* every name and value, NUL-terminated */
	size_t pool_len, pool_cap;
	struct cfg_item *items;	/* file order */
	size_t nr_items, cap_items;
	u32 *secs;		/* item indices of the sections, file order */
	size_t nr_secs, cap_secs;
	u32 *index;		/* open addressing: item index + 1, 0 if empty */
	size_t index_cap;	/* a power of two, over twice nr_items */
};

struct cfg_parser {
	struct cfg *cfg;
	struct cfg_error *err;
	u32 line;
	u32 sec;		/* item index of the open section, or CFG_NONE */
};

__attribute__((format(printf, 2, 3)))
static void cfg_msg(struct cfg_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

/* A parse error at the current line: "file:line: " and the message. */
__attribute__((format(printf, 2, 3)))
static int cfg_perr(struct cfg_parser *p, const char *fmt, ...)
{
	struct cfg_error *err = p->err;
	va_list ap;
	int n;

	if (!err)
		return -EINVAL;
	n = snprintf(err->msg, sizeof(err->msg), "%s:%u: ", p->cfg->name, p->line);
	if (n < 0 || (size_t)n >= sizeof(err->msg))
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(err->msg + n, sizeof(err->msg) - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/*
 * Quote @len bytes of @s for a message: printable ASCII as is, anything
 * else as \xNN, cut after CFG_SHOW_MAX characters.  @buf holds at least
 * 4 * CFG_SHOW_MAX + 4 bytes.
 */
static const char *cfg_show(char *buf, const char *s, size_t len)
{
	char *o = buf;
	size_t i;

	for (i = 0; i < len && i < CFG_SHOW_MAX; i++) {
		unsigned char c = s[i];

		if (c >= 0x20 && c < 0x7f)
			*o++ = c;
		else
			o += sprintf(o, "\\x%02x", c);
	}
	if (i < len)
		o += sprintf(o, "...");
	*o = '\0';
	return buf;
}

#define CFG_SHOW_BUF (4 * CFG_SHOW_MAX + 4)

/* Grow @arr to hold @need elements of @size; NULL (and @arr intact) on ENOMEM. */
static void *cfg_grow(void *arr, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 16;
	void *p;

	if (need <= *cap)
		return arr;
	while (n < need)
		n *= 2;
	p = realloc(arr, n * size);
	if (p)
		*cap = n;
	return p;
}

static u32 cfg_hash(u32 sec, const char *name)
{
	u32 h = 2166136261u ^ sec;

	while (*name) {
		h ^= (unsigned char)*name++;
		h *= 16777619u;
	}
	return h ^ (h >> 15);
}

static const char *cfg_str(const struct cfg *cfg, u32 off)
{
	return cfg->pool + off;
}

/* The item called @name in section item @sec (CFG_NONE: a section). */
static u32 cfg_find(const struct cfg *cfg, u32 sec, const char *name)
{
	size_t mask = cfg->index_cap - 1, i;

	if (!cfg->index_cap)
		return CFG_NONE;
	for (i = cfg_hash(sec, name) & mask; cfg->index[i]; i = (i + 1) & mask) {
		const struct cfg_item *it = &cfg->items[cfg->index[i] - 1];

		if (it->sec == sec && !strcmp(cfg_str(cfg, it->name), name))
			return cfg->index[i] - 1;
	}
	return CFG_NONE;
}

static void cfg_index_put(u32 *index, size_t cap, const struct cfg *cfg, u32 it)
{
	const struct cfg_item *item = &cfg->items[it];
	size_t i = cfg_hash(item->sec, cfg_str(cfg, item->name)) & (cap - 1);

	while (index[i])
		i = (i + 1) & (cap - 1);
	index[i] = it + 1;
}

/* Index the newest item, rebuilding the index at half load. */
static int cfg_index_add(struct cfg *cfg)
{
	size_t cap = cfg->index_cap, i;
	u32 *index;

	if (cfg->nr_items * 2 <= cap) {
		cfg_index_put(cfg->index, cap, cfg, cfg->nr_items - 1);
		return 0;
	}
	cap = cap ? cap * 2 : 64;
	index = calloc(cap, sizeof(*index));
	if (!index)
		return -ENOMEM;
	for (i = 0; i < cfg->nr_items; i++)
		cfg_index_put(index, cap, cfg, i);
	free(cfg->index);
	cfg->index = index;
	cfg->index_cap = cap;
	return 0;
}

static int cfg_pool_add(struct cfg *cfg, const char *s, size_t len, u32 *off)
{
	char *pool = cfg_grow(cfg->pool, &cfg->pool_cap, cfg->pool_len + len + 1, 1);

	if (!pool)
		return -ENOMEM;
	cfg->pool = pool;
	memcpy(pool + cfg->pool_len, s, len);
	pool[cfg->pool_len + len] = '\0';
	*off = cfg->pool_len;
	cfg->pool_len += len + 1;
	return 0;
}

/* Append an item; @val NULL makes a section header. */
static int cfg_add(struct cfg *cfg, u32 sec, const char *name, size_t nlen,
		   const char *val, size_t vlen, u32 line)
{
	struct cfg_item *items, it = { .sec = sec, .line = line, .value = CFG_NONE };
	int ret;

	items = cfg_grow(cfg->items, &cfg->cap_items, cfg->nr_items + 1, sizeof(*items));
	if (!items)
		return -ENOMEM;
	cfg->items = items;
	ret = cfg_pool_add(cfg, name, nlen, &it.name);
	if (!ret && val)
		ret = cfg_pool_add(cfg, val, vlen, &it.value);
	if (ret)
		return ret;
	items[cfg->nr_items++] = it;
	return cfg_index_add(cfg);
}

static bool cfg_is_space(char c)
{
	return c == ' ' || c == '\t';
}

static bool cfg_is_comment(char c)
{
	return c == '#' || c == ';';
}

static bool cfg_is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

static size_t cfg_skip_space(const char *s, size_t i, size_t len)
{
	while (i < len && cfg_is_space(s[i]))
		i++;
	return i;
}

/* "[name]", optional blanks inside, then nothing but blanks or a comment. */
static int cfg_parse_section(struct cfg_parser *p, const char *s, size_t len)
{
	struct cfg *cfg = p->cfg;
	char show[CFG_SHOW_BUF], name[CFG_LINE_MAX + 1];
	size_t i, start, nlen;
	u32 dup, *secs;
	int ret;

	i = cfg_skip_space(s, 1, len);
	start = i;
	while (i < len && cfg_is_name_char(s[i]))
		i++;
	nlen = i - start;
	i = cfg_skip_space(s, i, len);
	if (!nlen || i == len || s[i] != ']')
		goto bad;
	i = cfg_skip_space(s, i + 1, len);
	if (i < len && !cfg_is_comment(s[i]))
		goto bad;

	memcpy(name, s + start, nlen);
	name[nlen] = '\0';
	dup = cfg_find(cfg, CFG_NONE, name);
	if (dup != CFG_NONE)
		return cfg_perr(p, "duplicate section [%s], first at %s:%u",
				name, cfg->name, cfg->items[dup].line);
	ret = cfg_add(cfg, CFG_NONE, name, nlen, NULL, 0, p->line);
	if (ret)
		return ret;
	p->sec = cfg->nr_items - 1;
	secs = cfg_grow(cfg->secs, &cfg->cap_secs, cfg->nr_secs + 1, sizeof(*secs));
	if (!secs)
		return -ENOMEM;
	cfg->secs = secs;
	secs[cfg->nr_secs++] = p->sec;
	return 0;
bad:
	return cfg_perr(p, "expected '[name]' with a name of letters, digits, '_', '.' or '-', found '%s'",
			cfg_show(show, s, len));
}

/*
 * Decode the quoted value starting at s[*i] == '"' into @out (NUL
 * terminated); leaves *i after the closing quote.
 */
static int cfg_parse_quoted(struct cfg_parser *p, const char *s, size_t len,
			    size_t *i, char *out, size_t *olen)
{
	size_t j = *i + 1, n = 0;

	for (; j < len && s[j] != '"'; j++) {
		if (s[j] == '\\') {
			if (j + 1 == len || (s[j + 1] != '"' && s[j + 1] != '\\')) {
				char show[CFG_SHOW_BUF];

				return cfg_perr(p, "expected '\\\"' or '\\\\' in a quoted value, found '%s'",
						cfg_show(show, s + j, j + 1 < len ? 2 : 1));
			}
			j++;
		}
		out[n++] = s[j];
	}
	if (j == len)
		return cfg_perr(p, "expected a closing '\"' before the end of the line");
	out[n] = '\0';
	*olen = n;
	*i = j + 1;
	return 0;
}

/*
 * The value starting at s[i]: quoted, or up to the end of the line or a
 * comment sign that starts the value or follows a blank, with trailing
 * blanks dropped.
 */
static int cfg_parse_value(struct cfg_parser *p, const char *s, size_t len,
			   size_t i, char *out, size_t *olen)
{
	char show[CFG_SHOW_BUF];
	size_t start = i, end;
	int ret;

	if (i < len && s[i] == '"') {
		ret = cfg_parse_quoted(p, s, len, &i, out, olen);
		if (ret)
			return ret;
		i = cfg_skip_space(s, i, len);
		if (i < len && !cfg_is_comment(s[i]))
			return cfg_perr(p, "expected a comment or the end of the line after the closing '\"', found '%s'",
					cfg_show(show, s + i, len - i));
		return 0;
	}
	for (end = i; end < len; end++)
		if (cfg_is_comment(s[end]) && (end == start || cfg_is_space(s[end - 1])))
			break;
	while (end > start && cfg_is_space(s[end - 1]))
		end--;
	memcpy(out, s + start, end - start);
	out[end - start] = '\0';
	*olen = end - start;
	return 0;
}

/* "key = value": @s starts at the key, @eq is the offset of the '='. */
static int cfg_parse_key(struct cfg_parser *p, const char *s, size_t len, size_t eq)
{
	struct cfg *cfg = p->cfg;
	char show[CFG_SHOW_BUF], key[CFG_LINE_MAX + 1], val[CFG_LINE_MAX + 1];
	size_t klen = eq, vlen = 0, i;
	u32 dup;
	int ret;

	while (klen && cfg_is_space(s[klen - 1]))
		klen--;
	for (i = 0; i < klen; i++)
		if (!cfg_is_name_char(s[i]))
			break;
	if (!klen || i < klen)
		return cfg_perr(p, "expected a key of letters, digits, '_', '.' or '-' before '=', found '%s'",
				cfg_show(show, s, klen));
	memcpy(key, s, klen);
	key[klen] = '\0';
	if (p->sec == CFG_NONE)
		return cfg_perr(p, "expected a '[section]' line before the first key, found key '%s'",
				key);
	dup = cfg_find(cfg, p->sec, key);
	if (dup != CFG_NONE)
		return cfg_perr(p, "duplicate key '%s' in [%s], first set at %s:%u",
				key, cfg_str(cfg, cfg->items[p->sec].name), cfg->name,
				cfg->items[dup].line);
	ret = cfg_parse_value(p, s, len, cfg_skip_space(s, eq + 1, len), val, &vlen);
	if (ret)
		return ret;
	return cfg_add(cfg, p->sec, key, klen, val, vlen, p->line);
}

/* One line, without its line ending; known to hold no NUL byte. */
static int cfg_parse_line(struct cfg_parser *p, const char *s, size_t len)
{
	char show[CFG_SHOW_BUF];
	size_t i = cfg_skip_space(s, 0, len);
	const char *eq;

	s += i;
	len -= i;
	if (!len || cfg_is_comment(s[0]))
		return 0;
	if (s[0] == '[')
		return cfg_parse_section(p, s, len);
	eq = memchr(s, '=', len);
	if (!eq)
		return cfg_perr(p, "expected 'key = value' or '[section]', found '%s'",
				cfg_show(show, s, len));
	return cfg_parse_key(p, s, len, eq - s);
}

static int cfg_parse_buf(const char *name, const char *text, size_t len,
			 struct cfg **out, struct cfg_error *err)
{
	struct cfg_parser p = { .err = err, .sec = CFG_NONE };
	size_t pos = 0;
	int ret = 0;

	*out = NULL;
	if (len > CFG_SIZE_MAX) {
		cfg_msg(err, "%s: expected a configuration file, found one over %u MiB",
			name, CFG_SIZE_MAX >> 20);
		return -EFBIG;
	}
	p.cfg = calloc(1, sizeof(*p.cfg));
	if (p.cfg)
		p.cfg->name = strdup(name);
	if (!p.cfg || !p.cfg->name) {
		ret = -ENOMEM;
		goto out;
	}
	while (pos < len) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;

		pos += n + 1;
		p.line++;
		if (n && line[n - 1] == '\r')
			n--;
		if (n > CFG_LINE_MAX)
			ret = cfg_perr(&p, "expected a line of at most %u characters, found %zu",
				       CFG_LINE_MAX, n);
		else if (memchr(line, '\0', n))
			ret = cfg_perr(&p, "expected text, found a NUL byte");
		else
			ret = cfg_parse_line(&p, line, n);
		if (ret)
			goto out;
	}
	*out = p.cfg;
	return 0;
out:
	if (ret == -ENOMEM)
		cfg_msg(err, "%s: out of memory", name);
	cfg_free(p.cfg);
	return ret;
}

int cfg_parse(const char *name, const char *text, struct cfg **out,
	      struct cfg_error *err)
{
	return cfg_parse_buf(name, text, strlen(text), out, err);
}

/* Read all of @f, stopping once it is past CFG_SIZE_MAX. */
static int cfg_read_all(FILE *f, char **bufp, size_t *lenp)
{
	size_t len = 0, cap = 0;
	char *buf = NULL, *nbuf;

	errno = 0;
	while (!feof(f) && !ferror(f) && len <= CFG_SIZE_MAX) {
		nbuf = cfg_grow(buf, &cap, len + 4096, 1);
		if (!nbuf) {
			free(buf);
			return -ENOMEM;
		}
		buf = nbuf;
		len += fread(buf + len, 1, cap - len, f);
	}
	if (ferror(f)) {
		free(buf);
		return errno ? -errno : -EIO;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

int cfg_load(const char *path, struct cfg **out, struct cfg_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int ret;

	*out = NULL;
	f = fopen(path, "rb");
	if (!f) {
		ret = -errno;
		cfg_msg(err, "%s: cannot open: %s", path, strerror(-ret));
		return ret;
	}
	ret = cfg_read_all(f, &buf, &len);
	fclose(f);
	if (ret) {
		cfg_msg(err, "%s: cannot read: %s", path, strerror(-ret));
		return ret;
	}
	ret = cfg_parse_buf(path, buf ? buf : "", len, out, err);
	free(buf);
	return ret;
}

void cfg_free(struct cfg *cfg)
{
	if (!cfg)
		return;
	free(cfg->name);
	free(cfg->pool);
	free(cfg->items);
	free(cfg->secs);
	free(cfg->index);
	free(cfg);
}

/* Find @key in @section and mark it used; CFG_NONE if absent. */
static u32 cfg_lookup(struct cfg *cfg, const char *section, const char *key)
{
	u32 sec = cfg_find(cfg, CFG_NONE, section), it;

	if (sec == CFG_NONE)
		return CFG_NONE;
	it = cfg_find(cfg, sec, key);
	if (it != CFG_NONE)
		cfg->items[it].used = true;
	return it;
}

const char *cfg_get(struct cfg *cfg, const char *section, const char *key)
{
	u32 it = cfg_lookup(cfg, section, key);

	return it == CFG_NONE ? NULL : cfg_str(cfg, cfg->items[it].value);
}

bool cfg_has_section(const struct cfg *cfg, const char *section)
{
	return cfg_find(cfg, CFG_NONE, section) != CFG_NONE;
}

const char *cfg_section_name(const struct cfg *cfg, unsigned int i)
{
	if (i >= cfg->nr_secs)
		return NULL;
	return cfg_str(cfg, cfg->items[cfg->secs[i]].name);
}

/* A typed getter's error: where the key is, what was expected and found. */
static int cfg_bad_value(const struct cfg *cfg, u32 it, const char *expected,
			 struct cfg_error *err)
{
	const struct cfg_item *item = &cfg->items[it];
	const char *val = cfg_str(cfg, item->value);
	char show[CFG_SHOW_BUF];

	cfg_msg(err, "%s:%u: '%s' in [%s]: expected %s, found '%s'",
		cfg->name, item->line, cfg_str(cfg, item->name),
		cfg_str(cfg, cfg->items[item->sec].name), expected,
		cfg_show(show, val, strlen(val)));
	return -EINVAL;
}

static unsigned int cfg_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/*
 * Digits of @base, a single '_' allowed between two digits; advances *sp
 * past them.  -EINVAL without a digit, -ERANGE past 2^64 - 1.
 */
static int cfg_digits(const char **sp, unsigned int base, u64 *out)
{
	const char *s = *sp;
	unsigned int d, n = 0;
	u64 v = 0;

	for (;; s++) {
		if (*s == '_' && n && cfg_digit(s[1]) < base)
			continue;
		d = cfg_digit(*s);
		if (d >= base)
			break;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
		n++;
	}
	if (!n)
		return -EINVAL;
	*sp = s;
	*out = v;
	return 0;
}

/* Decimal, 0x hex or 0b binary, then an optional K, M or G (2^10, 2^20, 2^30). */
int cfg_parse_u64(const char *s, u64 *out)
{
	unsigned int base = 10, shift = 0;
	const char *suffix;
	u64 v;
	int ret;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
		base = 2;
		s += 2;
	}
	ret = cfg_digits(&s, base, &v);
	if (ret)
		return ret;
	if (*s) {
		suffix = strchr("KkMmGg", *s);
		if (!suffix)
			return -EINVAL;
		shift = 10 * ((suffix - "KkMmGg") / 2 + 1);
		if (*++s)
			return -EINVAL;
		if (v > UINT64_MAX >> shift)
			return -ERANGE;
	}
	*out = v << shift;
	return 0;
}

int cfg_get_u64(struct cfg *cfg, const char *section, const char *key,
		u64 def, u64 *out, struct cfg_error *err)
{
	u32 it = cfg_lookup(cfg, section, key);
	int ret;

	if (it == CFG_NONE) {
		*out = def;
		return 0;
	}
	ret = cfg_parse_u64(cfg_str(cfg, cfg->items[it].value), out);
	if (ret == -ERANGE)
		return cfg_bad_value(cfg, it, "an integer below 2^64", err);
	if (ret)
		return cfg_bad_value(cfg, it,
				     "an unsigned integer (decimal, 0x hex or 0b binary; '_' between digits; K, M or G suffix)",
				     err);
	return 0;
}

int cfg_get_bool(struct cfg *cfg, const char *section, const char *key,
		 bool def, bool *out, struct cfg_error *err)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	u32 it = cfg_lookup(cfg, section, key);
	const char *val;
	unsigned int i;

	if (it == CFG_NONE) {
		*out = def;
		return 0;
	}
	val = cfg_str(cfg, cfg->items[it].value);
	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcasecmp(val, yes[i]) || !strcasecmp(val, no[i])) {
			*out = !strcasecmp(val, yes[i]);
			return 0;
		}
	}
	return cfg_bad_value(cfg, it, "a boolean (true/false, yes/no, on/off, 1/0)", err);
}

int cfg_get_str(struct cfg *cfg, const char *section, const char *key,
		const char *def, const char **out, struct cfg_error *err)
{
	const char *val = cfg_get(cfg, section, key);

	*out = val ? val : def;
	return 0;
}

static const struct {
	const char *name;
	u64 ps;
} cfg_time_units[] = {
	{ "ps", 1 },
	{ "ns", PS_PER_NS },
	{ "us", PS_PER_US },
	{ "ms", PS_PER_MS },
	{ "s", PS_PER_S },
	{ "cycles", PSL_PERIOD_PS },
	{ "cycle", PSL_PERIOD_PS },
};

/*
 * "<integer>[.<digits>] <unit>", exact: -EDOM when it is not a whole
 * number of picoseconds, -ERANGE past 2^64 - 1 ps.
 */
int cfg_parse_time(const char *s, u64 *out)
{
	const char *frac_start, *frac_end;
	unsigned __int128 ps, frac_ps;
	u64 whole, frac = 0, scale = 1, unit;
	unsigned int i;
	int ret;

	ret = cfg_digits(&s, 10, &whole);
	if (ret)
		return ret;
	frac_start = frac_end = s;
	if (*s == '.') {
		frac_start = ++s;
		while (*s >= '0' && *s <= '9')
			s++;
		if (s == frac_start)
			return -EINVAL;
		frac_end = s;
	}
	while (*s == ' ' || *s == '\t')
		s++;
	for (i = 0; i < ARRAY_SIZE(cfg_time_units); i++)
		if (!strcmp(s, cfg_time_units[i].name))
			break;
	if (i == ARRAY_SIZE(cfg_time_units))
		return -EINVAL;
	unit = cfg_time_units[i].ps;

	/*
	 * Trailing zeros change nothing, and no unit divides into whole
	 * picoseconds past 12 digits, so 18 digits always suffice.
	 */
	while (frac_end > frac_start && frac_end[-1] == '0')
		frac_end--;
	if (frac_end - frac_start > 18)
		return -EDOM;
	for (; frac_start < frac_end; frac_start++) {
		frac = frac * 10 + (*frac_start - '0');
		scale *= 10;
	}
	frac_ps = (unsigned __int128)frac * unit;
	if (frac_ps % scale)
		return -EDOM;
	ps = (unsigned __int128)whole * unit + frac_ps / scale;
	if (ps > UINT64_MAX)
		return -ERANGE;
	*out = ps;
	return 0;
}

int cfg_get_time(struct cfg *cfg, const char *section, const char *key,
		 u64 def_ps, u64 *out_ps, struct cfg_error *err)
{
	u32 it = cfg_lookup(cfg, section, key);
	int ret;

	if (it == CFG_NONE) {
		*out_ps = def_ps;
		return 0;
	}
	ret = cfg_parse_time(cfg_str(cfg, cfg->items[it].value), out_ps);
	if (ret == -EDOM)
		return cfg_bad_value(cfg, it, "a whole number of picoseconds", err);
	if (ret == -ERANGE)
		return cfg_bad_value(cfg, it, "a duration below 2^64 ps", err);
	if (ret)
		return cfg_bad_value(cfg, it,
				     "a duration: a number and a unit (ps, ns, us, ms, s or cycles)",
				     err);
	return 0;
}

int cfg_check_unused(const struct cfg *cfg, struct cfg_error *err)
{
	const struct cfg_item *it;
	size_t i;

	for (i = 0; i < cfg->nr_items; i++) {
		it = &cfg->items[i];
		if (it->value == CFG_NONE || it->used)
			continue;
		cfg_msg(err, "%s:%u: expected a known key, found '%s' in [%s], which nothing reads (misspelt?)",
			cfg->name, it->line, cfg_str(cfg, it->name),
			cfg_str(cfg, cfg->items[it->sec].name));
		return -ENOENT;
	}
	return 0;
}
