// SPDX-License-Identifier: GPL-2.0
/* Tests of sim/core/config.c, against docs/config-format.md. */
#include <errno.h>
#include <unistd.h>

#include "harness.h"
#include "core/config.h"
#include "core/rng.h"

static const char good_text[] =
	"# capisim example\n"
	"; another comment style\n"
	"\n"
	"[psl]\n"
	"  clock = 4 ns ; trailing comment\n"
	"depth=0x40\n"
	"size = 4K   # bytes\n"
	"label = \"  padded # kept \\\"quoted\\\" \\\\ \"  # comment\n"
	"flag = yes\n"
	"\n"
	"[ afu.0 ]   # blanks inside the brackets are fine\n"
	"kind = memcpy\n"
	"path = /tmp/a#b;c\n"
	"empty =\n"
	"also-empty = # only a comment\n"
	"[host_1]\n";

/* Write @len bytes to a new temporary file; its name goes to @path. */
static int write_temp(char *path, const void *data, size_t len)
{
	int fd;

	strcpy(path, "/tmp/capisim-test-cfg-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	if (write(fd, data, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

TEST parse_good_file(void)
{
	struct cfg_error err = { "" };
	struct cfg *cfg;

	ASSERT_EQ(0, cfg_parse("good.ini", good_text, &cfg, &err));
	ASSERT_STR_EQ("", err.msg);
	ASSERT_STR_EQ("4 ns", cfg_get(cfg, "psl", "clock"));
	ASSERT_STR_EQ("0x40", cfg_get(cfg, "psl", "depth"));
	ASSERT_STR_EQ("4K", cfg_get(cfg, "psl", "size"));
	ASSERT_STR_EQ("  padded # kept \"quoted\" \\ ", cfg_get(cfg, "psl", "label"));
	ASSERT_STR_EQ("yes", cfg_get(cfg, "psl", "flag"));
	ASSERT_STR_EQ("memcpy", cfg_get(cfg, "afu.0", "kind"));
	ASSERT_STR_EQ("/tmp/a#b;c", cfg_get(cfg, "afu.0", "path"));
	ASSERT_STR_EQ("", cfg_get(cfg, "afu.0", "empty"));
	ASSERT_STR_EQ("", cfg_get(cfg, "afu.0", "also-empty"));
	ASSERT_EQ(NULL, cfg_get(cfg, "psl", "kind"));
	ASSERT_EQ(NULL, cfg_get(cfg, "nosuch", "kind"));

	ASSERT(cfg_has_section(cfg, "psl"));
	ASSERT(cfg_has_section(cfg, "host_1"));
	ASSERT_FALSE(cfg_has_section(cfg, "afu"));
	ASSERT_STR_EQ("psl", cfg_section_name(cfg, 0));
	ASSERT_STR_EQ("afu.0", cfg_section_name(cfg, 1));
	ASSERT_STR_EQ("host_1", cfg_section_name(cfg, 2));
	ASSERT_EQ(NULL, cfg_section_name(cfg, 3));
	cfg_free(cfg);
	PASS();
}

TEST line_endings(void)
{
	struct cfg_error err;
	struct cfg *cfg;

	ASSERT_EQ(0, cfg_parse("crlf.ini", "[s]\r\na = 1\r\nb = \"x\"\r\n\r\nc = 3", &cfg, &err));
	ASSERT_STR_EQ("1", cfg_get(cfg, "s", "a"));
	ASSERT_STR_EQ("x", cfg_get(cfg, "s", "b"));
	ASSERT_STR_EQ("3", cfg_get(cfg, "s", "c"));
	cfg_free(cfg);

	ASSERT_EQ(0, cfg_parse("empty.ini", "", &cfg, &err));
	ASSERT_EQ(NULL, cfg_section_name(cfg, 0));
	cfg_free(cfg);
	cfg_free(NULL);
	PASS();
}

/* One malformed input and the exact message it must give. */
struct bad_case {
	const char *text;
	const char *msg;
};

static const struct bad_case bad_cases[] = {
	{ "[s]\na = 1\noops\n",
	  "t.ini:3: expected 'key = value' or '[section]', found 'oops'" },
	{ "[s]\n  two words  \n",
	  "t.ini:2: expected 'key = value' or '[section]', found 'two words  '" },
	{ "a = 1\n[s]\n",
	  "t.ini:1: expected a '[section]' line before the first key, found key 'a'" },
	{ "# c\n[s]\na = 1\nb = 2\na = 3\n",
	  "t.ini:5: duplicate key 'a' in [s], first set at t.ini:3" },
	{ "[s]\n[t]\n[s]\n",
	  "t.ini:3: duplicate section [s], first at t.ini:1" },
	{ "[a b]\n",
	  "t.ini:1: expected '[name]' with a name of letters, digits, '_', '.' or '-', found '[a b]'" },
	{ "[]\n",
	  "t.ini:1: expected '[name]' with a name of letters, digits, '_', '.' or '-', found '[]'" },
	{ "[s\n",
	  "t.ini:1: expected '[name]' with a name of letters, digits, '_', '.' or '-', found '[s'" },
	{ "[s] junk\n",
	  "t.ini:1: expected '[name]' with a name of letters, digits, '_', '.' or '-', found '[s] junk'" },
	{ "[s]\na b = 1\n",
	  "t.ini:2: expected a key of letters, digits, '_', '.' or '-' before '=', found 'a b'" },
	{ "[s]\n= 1\n",
	  "t.ini:2: expected a key of letters, digits, '_', '.' or '-' before '=', found ''" },
	{ "[s]\na = \"open\n",
	  "t.ini:2: expected a closing '\"' before the end of the line" },
	{ "[s]\na = \"x\\n\"\n",
	  "t.ini:2: expected '\\\"' or '\\\\' in a quoted value, found '\\n'" },
	{ "[s]\na = \"x\\",
	  "t.ini:2: expected '\\\"' or '\\\\' in a quoted value, found '\\'" },
	{ "[s]\na = \"x\" y\n",
	  "t.ini:2: expected a comment or the end of the line after the closing '\"', found 'y'" },
	{ "[s]\n\x01\xff = 1\n",
	  "t.ini:2: expected a key of letters, digits, '_', '.' or '-' before '=', found '\\x01\\xff'" },
	{ "[s]\r\nbad\r\n",
	  "t.ini:2: expected 'key = value' or '[section]', found 'bad'" },
	{ "[s]\n0123456789012345678901234567890123456789012345678901234567890123456789\n",
	  "t.ini:2: expected 'key = value' or '[section]', found "
	  "'012345678901234567890123456789012345678901234567890123456789...'" },
};

TEST parse_error_message(const struct bad_case *c)
{
	struct cfg_error err = { "" };
	struct cfg *cfg = (void *)1;

	ASSERT_EQ(-EINVAL, cfg_parse("t.ini", c->text, &cfg, &err));
	ASSERT_EQ(NULL, cfg);
	ASSERT_STR_EQ(c->msg, err.msg);
	PASS();
}

TEST line_length_limit(void)
{
	static char text[4200];
	struct cfg_error err;
	struct cfg *cfg;
	size_t n;

	/* "[s]\n" then "k = vvv..." of exactly 4096 characters: accepted. */
	n = sprintf(text, "[s]\nk = ");
	memset(text + n, 'v', 4096 - 4);
	text[n + 4096 - 4] = '\0';
	ASSERT_EQ(0, cfg_parse("t.ini", text, &cfg, &err));
	ASSERT_EQ(4092, strlen(cfg_get(cfg, "s", "k")));
	cfg_free(cfg);

	/* A CR before the newline does not count. */
	strcat(text, "\r\n");
	ASSERT_EQ(0, cfg_parse("t.ini", text, &cfg, &err));
	cfg_free(cfg);

	/* One more character is refused. */
	strcpy(text + n + 4096 - 4, "v\n");
	ASSERT_EQ(-EINVAL, cfg_parse("t.ini", text, &cfg, &err));
	ASSERT_STR_EQ("t.ini:2: expected a line of at most 4096 characters, found 4097", err.msg);
	PASS();
}

/* The issue's acceptance test: a config error names the file and the line. */
TEST config_error_names_file_and_line(void)
{
	static const char text[] = "[psl]\nclock = 4 ns\n\n[afu]\nthis line is wrong\n";
	char path[64], want[256];
	struct cfg_error err;
	struct cfg *cfg;

	ASSERT_EQ(0, write_temp(path, text, sizeof(text) - 1));
	ASSERT_EQ(-EINVAL, cfg_load(path, &cfg, &err));
	unlink(path);
	snprintf(want, sizeof(want),
		 "%s:5: expected 'key = value' or '[section]', found 'this line is wrong'", path);
	ASSERT_STR_EQ(want, err.msg);
	PASS();
}

TEST load_file(void)
{
	struct cfg_error err;
	struct cfg *cfg;
	char path[64];

	ASSERT_EQ(0, write_temp(path, good_text, sizeof(good_text) - 1));
	ASSERT_EQ(0, cfg_load(path, &cfg, &err));
	unlink(path);
	ASSERT_STR_EQ("memcpy", cfg_get(cfg, "afu.0", "kind"));
	cfg_free(cfg);
	PASS();
}

TEST load_nul_byte(void)
{
	static const char text[] = "[s]\na = 1\nb = x\0y\n";
	char path[64], want[128];
	struct cfg_error err;
	struct cfg *cfg;

	ASSERT_EQ(0, write_temp(path, text, sizeof(text) - 1));
	ASSERT_EQ(-EINVAL, cfg_load(path, &cfg, &err));
	unlink(path);
	snprintf(want, sizeof(want), "%s:3: expected text, found a NUL byte", path);
	ASSERT_STR_EQ(want, err.msg);
	PASS();
}

TEST load_errors(void)
{
	struct cfg_error err;
	struct cfg *cfg;
	char path[64], want[160];
	FILE *f;

	ASSERT_EQ(-ENOENT, cfg_load("/nonexistent/capisim.ini", &cfg, &err));
	ASSERT_EQ(NULL, cfg);
	ASSERT_STR_EQ("/nonexistent/capisim.ini: cannot open: No such file or directory", err.msg);

	ASSERT_EQ(-EISDIR, cfg_load("/tmp", &cfg, &err));
	ASSERT_STR_EQ("/tmp: cannot read: Is a directory", err.msg);

	/* A sparse file past the size limit is refused without parsing it. */
	ASSERT_EQ(0, write_temp(path, "", 0));
	f = fopen(path, "r+");
	ASSERT(f);
	ASSERT_EQ(0, ftruncate(fileno(f), (16 << 20) + 1));
	fclose(f);
	ASSERT_EQ(-EFBIG, cfg_load(path, &cfg, &err));
	unlink(path);
	snprintf(want, sizeof(want), "%s: expected a configuration file, found one over 16 MiB", path);
	ASSERT_STR_EQ(want, err.msg);

	/* A NULL @err is allowed. */
	ASSERT_EQ(-EINVAL, cfg_parse("t.ini", "junk", &cfg, NULL));
	PASS();
}

SUITE(parse_suite)
{
	unsigned int i;

	RUN_TEST(parse_good_file);
	RUN_TEST(line_endings);
	for (i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		char label[16];

		snprintf(label, sizeof(label), "%u", i);
		RUN_TESTp(parse_error_message, &bad_cases[i], label);
	}
	RUN_TEST(line_length_limit);
	RUN_TEST(config_error_names_file_and_line);
	RUN_TEST(load_file);
	RUN_TEST(load_nul_byte);
	RUN_TEST(load_errors);
}

/* A one-section config holding "key = @value", parsed as "v.ini". */
static struct cfg *one_value(const char *value)
{
	char text[256];
	struct cfg *cfg;

	snprintf(text, sizeof(text), "[s]\n\nk = %s\n", value);
	return cfg_parse("v.ini", text, &cfg, NULL) ? NULL : cfg;
}

struct u64_case {
	const char *text;
	u64 want;
};

TEST get_u64_values(void)
{
	static const struct u64_case ok[] = {
		{ "0", 0 }, { "42", 42 }, { "\"42\"", 42 }, { "0x2A", 42 }, { "0X2a", 42 },
		{ "0b101010", 42 }, { "0B1", 1 }, { "1_000_000", 1000000 },
		{ "0xffff_ffff", 0xffffffffULL }, { "4K", 4096 }, { "4k", 4096 },
		{ "2M", 2 << 20 }, { "3G", 3ULL << 30 }, { "0x10K", 16 << 10 },
		{ "007", 7 }, { "18446744073709551615", UINT64_MAX },
		{ "0xffffffffffffffff", UINT64_MAX }, { "17179869183G", 17179869183ULL << 30 },
	};
	struct cfg_error err;
	struct cfg *cfg;
	unsigned int i;
	u64 v;

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		cfg = one_value(ok[i].text);
		ASSERT(cfg);
		v = 1234;
		ASSERT_EQm(ok[i].text, 0, cfg_get_u64(cfg, "s", "k", 9, &v, &err));
		ASSERT_EQm(ok[i].text, ok[i].want, v);
		ASSERT_EQ(0, cfg_get_u64(cfg, "s", "absent", 9, &v, &err));
		ASSERT_EQ(9, v);
		ASSERT_EQ(0, cfg_get_u64(cfg, "nosuch", "k", 10, &v, &err));
		ASSERT_EQ(10, v);
		cfg_free(cfg);
	}
	PASS();
}

#define U64_EXPECTED "expected an unsigned integer (decimal, 0x hex or 0b binary; " \
	"'_' between digits; K, M or G suffix)"

TEST get_u64_errors(void)
{
	static const char *const bad[] = {
		"", "12x", "-1", "+1", "1__0", "_1", "1_", "0x", "0b2", "4KB", "K",
		"1.5", "0x_1", "1 K",
	};
	struct cfg_error err;
	char want[256];
	struct cfg *cfg;
	unsigned int i;
	u64 v;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		cfg = one_value(bad[i]);
		ASSERTm(bad[i], cfg);
		ASSERT_EQm(bad[i], -EINVAL, cfg_get_u64(cfg, "s", "k", 0, &v, &err));
		snprintf(want, sizeof(want), "v.ini:3: 'k' in [s]: " U64_EXPECTED ", found '%s'",
			 cfg_get(cfg, "s", "k"));
		ASSERT_STR_EQ(want, err.msg);
		cfg_free(cfg);
	}

	cfg = one_value("18446744073709551616");
	ASSERT_EQ(-EINVAL, cfg_get_u64(cfg, "s", "k", 0, &v, &err));
	ASSERT_STR_EQ("v.ini:3: 'k' in [s]: expected an integer below 2^64, found '18446744073709551616'",
		      err.msg);
	cfg_free(cfg);
	cfg = one_value("16777216T");
	ASSERT_EQ(-EINVAL, cfg_get_u64(cfg, "s", "k", 0, &v, &err));
	cfg_free(cfg);
	cfg = one_value("17179869184G");
	ASSERT_EQ(-EINVAL, cfg_get_u64(cfg, "s", "k", 0, &v, &err));
	ASSERT_STR_EQ("v.ini:3: 'k' in [s]: expected an integer below 2^64, found '17179869184G'",
		      err.msg);
	cfg_free(cfg);
	PASS();
}

TEST get_bool(void)
{
	static const char *const yes[] = { "true", "yes", "on", "1", "TRUE", "Yes" };
	static const char *const no[] = { "false", "no", "off", "0", "OFF" };
	struct cfg_error err;
	struct cfg *cfg;
	unsigned int i;
	bool b;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		cfg = one_value(yes[i]);
		b = false;
		ASSERT_EQm(yes[i], 0, cfg_get_bool(cfg, "s", "k", false, &b, &err));
		ASSERTm(yes[i], b);
		cfg_free(cfg);
	}
	for (i = 0; i < ARRAY_SIZE(no); i++) {
		cfg = one_value(no[i]);
		b = true;
		ASSERT_EQm(no[i], 0, cfg_get_bool(cfg, "s", "k", true, &b, &err));
		ASSERT_FALSE(b);
		cfg_free(cfg);
	}
	cfg = one_value("maybe");
	ASSERT_EQ(-EINVAL, cfg_get_bool(cfg, "s", "k", true, &b, &err));
	ASSERT_STR_EQ("v.ini:3: 'k' in [s]: expected a boolean (true/false, yes/no, on/off, 1/0), found 'maybe'",
		      err.msg);
	ASSERT_EQ(0, cfg_get_bool(cfg, "s", "absent", true, &b, &err));
	ASSERT(b);
	cfg_free(cfg);
	PASS();
}

TEST get_str(void)
{
	struct cfg_error err;
	struct cfg *cfg = one_value("\"a # b\"");
	const char *s;

	ASSERT(cfg);
	ASSERT_EQ(0, cfg_get_str(cfg, "s", "k", "def", &s, &err));
	ASSERT_STR_EQ("a # b", s);
	ASSERT_EQ(0, cfg_get_str(cfg, "s", "absent", "def", &s, &err));
	ASSERT_STR_EQ("def", s);
	cfg_free(cfg);
	PASS();
}

TEST get_time_values(void)
{
	static const struct u64_case ok[] = {
		{ "0 ps", 0 }, { "1ps", 1 }, { "4 ns", 4000 }, { "4ns", 4000 },
		{ "1.5 ns", 1500 }, { "2 us", 2000000 }, { "3 ms", 3000000000ULL },
		{ "1 s", 1000000000000ULL }, { "0.000004 s", 4000000 },
		{ "0.000000000001 s", 1 }, { "3 cycles", 12000 }, { "1 cycle", 4000 },
		{ "0.25 cycles", 1000 }, { "0.00025 cycles", 1 }, { "1_000 ns", 1000000 },
		{ "1.50000000000000000000000000 ns", 1500 },
		{ "18446744 s", 18446744000000000000ULL },
		{ "18446744073709551615 ps", UINT64_MAX },
		{ "18446744.073709551615 s", UINT64_MAX },
		{ "1\tns", 1000 },
	};
	struct cfg_error err;
	struct cfg *cfg;
	unsigned int i;
	u64 v;

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		cfg = one_value(ok[i].text);
		ASSERT(cfg);
		v = 1234;
		ASSERT_EQm(ok[i].text, 0, cfg_get_time(cfg, "s", "k", 9, &v, &err));
		ASSERT_EQm(ok[i].text, ok[i].want, v);
		ASSERT_EQ(0, cfg_get_time(cfg, "s", "absent", 9, &v, &err));
		ASSERT_EQ(9, v);
		cfg_free(cfg);
	}
	PASS();
}

struct time_error_case {
	const char *text;
	const char *expected;
};

TEST get_time_errors(void)
{
	static const struct time_error_case bad[] = {
		{ "10", "a duration: a number and a unit (ps, ns, us, ms, s or cycles)" },
		{ "ns", "a duration: a number and a unit (ps, ns, us, ms, s or cycles)" },
		{ "1. ns", "a duration: a number and a unit (ps, ns, us, ms, s or cycles)" },
		{ ".5 ns", "a duration: a number and a unit (ps, ns, us, ms, s or cycles)" },
		{ "-1 ns", "a duration: a number and a unit (ps, ns, us, ms, s or cycles)" },
		{ "1 NS", "a duration: a number and a unit (ps, ns, us, ms, s or cycles)" },
		{ "1 ns x", "a duration: a number and a unit (ps, ns, us, ms, s or cycles)" },
		{ "1.0000000000000000000001 sec", "a duration: a number and a unit (ps, ns, us, ms, s or cycles)" },
		{ "1.5 ps", "a whole number of picoseconds" },
		{ "0.0001 cycles", "a whole number of picoseconds" },
		{ "0.0000000000001 s", "a whole number of picoseconds" },
		{ "1.0000000000000000000001 s", "a whole number of picoseconds" },
		{ "18446745 s", "a duration below 2^64 ps" },
		{ "18446744073709551616 ps", "a duration below 2^64 ps" },
		{ "99999999999999999999999 ns", "a duration below 2^64 ps" },
		{ "4611686018427387904 cycles", "a duration below 2^64 ps" },
	};
	struct cfg_error err;
	char want[256];
	struct cfg *cfg;
	unsigned int i;
	u64 v;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		cfg = one_value(bad[i].text);
		ASSERTm(bad[i].text, cfg);
		ASSERT_EQm(bad[i].text, -EINVAL, cfg_get_time(cfg, "s", "k", 0, &v, &err));
		snprintf(want, sizeof(want), "v.ini:3: 'k' in [s]: expected %s, found '%s'",
			 bad[i].expected, bad[i].text);
		ASSERT_STR_EQ(want, err.msg);
		cfg_free(cfg);
	}
	PASS();
}

TEST check_unused(void)
{
	struct cfg_error err;
	struct cfg *cfg;
	const char *s;
	bool b;
	u64 v;

	ASSERT_EQ(0, cfg_parse("u.ini", "[a]\nx = 1\ny = 2\n[b]\nz = 3\nw = 4\n", &cfg, &err));
	ASSERT_EQ(-ENOENT, cfg_check_unused(cfg, &err));
	ASSERT_STR_EQ("u.ini:2: expected a known key, found 'x' in [a], which nothing reads (misspelt?)",
		      err.msg);
	ASSERT_EQ(0, cfg_get_u64(cfg, "a", "x", 0, &v, &err));
	ASSERT_NEQ(NULL, cfg_get(cfg, "a", "y"));
	ASSERT_EQ(-ENOENT, cfg_check_unused(cfg, &err));
	ASSERT_STR_EQ("u.ini:5: expected a known key, found 'z' in [b], which nothing reads (misspelt?)",
		      err.msg);
	/* A lookup of a key in the wrong section marks nothing. */
	ASSERT_EQ(0, cfg_get_str(cfg, "a", "z", NULL, &s, &err));
	ASSERT_EQ(NULL, s);
	ASSERT_EQ(-ENOENT, cfg_check_unused(cfg, &err));
	/* A failed typed lookup still counts as a use. */
	ASSERT_EQ(-EINVAL, cfg_get_bool(cfg, "b", "z", false, &b, &err));
	ASSERT_EQ(-EINVAL, cfg_get_time(cfg, "b", "w", 0, &v, &err));
	ASSERT_EQ(0, cfg_check_unused(cfg, &err));
	cfg_free(cfg);
	PASS();
}

SUITE(getter_suite)
{
	RUN_TEST(get_u64_values);
	RUN_TEST(get_u64_errors);
	RUN_TEST(get_bool);
	RUN_TEST(get_str);
	RUN_TEST(get_time_values);
	RUN_TEST(get_time_errors);
	RUN_TEST(check_unused);
}

/* Many keys and sections: the parse and lookups must stay fast (no quadratic scans). */
TEST large_file(void)
{
	const unsigned int nr = 200000;
	struct cfg_error err;
	struct cfg *cfg;
	char *text, *p, key[32];
	unsigned int i;
	u64 v;

	text = malloc((size_t)nr * 40);
	ASSERT(text);
	p = text;
	p += sprintf(p, "[big]\n");
	for (i = 0; i < nr; i++)
		p += sprintf(p, "key%u = %u\n", i, i);
	for (i = 0; i < nr / 4; i++)
		p += sprintf(p, "[sec%u]\n", i);
	ASSERT_EQ(0, cfg_parse("big.ini", text, &cfg, &err));
	for (i = 0; i < nr; i += 997) {
		snprintf(key, sizeof(key), "key%u", i);
		ASSERT_EQ(0, cfg_get_u64(cfg, "big", key, 0, &v, &err));
		ASSERT_EQ(i, v);
	}
	ASSERT_STR_EQ("sec49999", cfg_section_name(cfg, nr / 4));
	cfg_free(cfg);

	/* A duplicate at the very end is still found, naming both lines. */
	strcpy(p, "[big]\n");
	ASSERT_EQ(-EINVAL, cfg_parse("big.ini", text, &cfg, &err));
	snprintf(key, sizeof(key), "big.ini:%u:", nr + nr / 4 + 2);
	ASSERT(!strncmp(err.msg, key, strlen(key)));
	ASSERT_STR_HAS(err.msg, "duplicate section [big], first at big.ini:1");
	free(text);
	PASS();
}

/* Pieces the garbage is built from, so that some of it gets far into the parser. */
static const char *const fuzz_tokens[] = {
	"[", "]", "=", " ", "\t", "#", ";", "\"", "\\", "\n", "\r\n", "\r", "s", "key",
	"a.b", "x-y_z", "0x1F", "4K", "1.5", " ns", " cycles", "yes", "\\\"", "[s]\n",
	"k = v\n", "= ", "\xff", "\x01",
};

/* Random text of up to 400 pieces; NUL only when @with_nul. */
static size_t fuzz_text(struct rng *r, char *buf, size_t size, bool with_nul)
{
	size_t n = 0, nr = rng_below(r, 400), i, len;
	const char *tok;

	for (i = 0; i < nr; i++) {
		if (rng_chance(r, 0.1)) {
			char c = rng_below(r, 256);

			if (!c && !with_nul)
				c = 'z';
			tok = &c;
			len = 1;
			if (n + len < size)
				buf[n++] = c;
			continue;
		}
		if (rng_chance(r, 0.002)) {
			/* Now and then a line past the length limit. */
			len = 4000 + rng_below(r, 200);
			if (n + len < size) {
				memset(buf + n, 'v', len);
				n += len;
			}
			continue;
		}
		tok = fuzz_tokens[rng_below(r, ARRAY_SIZE(fuzz_tokens))];
		len = strlen(tok);
		if (n + len < size) {
			memcpy(buf + n, tok, len);
			n += len;
		}
	}
	buf[n] = '\0';
	return n;
}

/* Use every key of a parsed config through every getter. */
static void fuzz_use(struct cfg *cfg)
{
	static const char *const keys[] = { "key", "a.b", "x-y_z", "s", "k" };
	struct cfg_error err;
	const char *sec, *s;
	unsigned int i, j;
	bool b;
	u64 v;

	for (i = 0; (sec = cfg_section_name(cfg, i)); i++) {
		for (j = 0; j < ARRAY_SIZE(keys); j++) {
			cfg_get_u64(cfg, sec, keys[j], 0, &v, &err);
			cfg_get_bool(cfg, sec, keys[j], 0, &b, &err);
			cfg_get_time(cfg, sec, keys[j], 0, &v, &err);
			cfg_get_str(cfg, sec, keys[j], NULL, &s, &err);
		}
	}
	cfg_check_unused(cfg, &err);
}

/* Every error message starts "name:" and a line number or the file's name alone. */
static bool fuzz_msg_ok(const char *msg, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(msg, name, n) && msg[n] == ':' &&
	       ((msg[n + 1] >= '1' && msg[n + 1] <= '9') || msg[n + 1] == ' ');
}

TEST random_garbage_never_crashes(void)
{
	static char buf[20000];
	unsigned int i, nr_ok = 0, nr_bad = 0;
	struct cfg_error err;
	struct cfg *cfg;
	struct rng r;
	int ret;

	rng_init(&r, 20240601, "config-fuzz");
	for (i = 0; i < 20000; i++) {
		fuzz_text(&r, buf, sizeof(buf), false);
		ret = cfg_parse("fuzz.ini", buf, &cfg, &err);
		if (ret) {
			ASSERT_EQ(-EINVAL, ret);
			ASSERT_EQ(NULL, cfg);
			ASSERTm(err.msg, fuzz_msg_ok(err.msg, "fuzz.ini"));
			nr_bad++;
			continue;
		}
		fuzz_use(cfg);
		cfg_free(cfg);
		nr_ok++;
	}
	/* The generator must exercise both outcomes to be worth anything. */
	ASSERT(nr_ok > 100 && nr_bad > 100);
	PASS();
}

/* Raw bytes, NUL included, through cfg_load. */
TEST random_files_never_crash(void)
{
	static char buf[20000];
	struct cfg_error err;
	struct cfg *cfg;
	char path[64];
	unsigned int i;
	struct rng r;
	size_t n;
	int ret;

	rng_init(&r, 7, "config-fuzz-files");
	for (i = 0; i < 500; i++) {
		n = fuzz_text(&r, buf, sizeof(buf), true);
		ASSERT_EQ(0, write_temp(path, buf, n));
		ret = cfg_load(path, &cfg, &err);
		unlink(path);
		if (ret) {
			ASSERT_EQ(-EINVAL, ret);
			ASSERTm(err.msg, fuzz_msg_ok(err.msg, path));
			continue;
		}
		fuzz_use(cfg);
		cfg_free(cfg);
	}
	PASS();
}

SUITE(robustness_suite)
{
	RUN_TEST(large_file);
	RUN_TEST(random_garbage_never_crashes);
	RUN_TEST(random_files_never_crash);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	RUN_SUITE(parse_suite);
	RUN_SUITE(getter_suite);
	RUN_SUITE(robustness_suite);
	HARNESS_MAIN_END();
}
