// SPDX-License-Identifier: GPL-2.0
/* Tests of sim/core/log.c and sim_time_str(). */
#define pr_fmt(fmt) "test: " fmt

#include <errno.h>
#include <pthread.h>
#include <unistd.h>

#include "harness.h"
#include "core/log.h"
#include "core/time.h"

/* Where the suite's log lines go; set up afresh for every test. */
static FILE *cap;
static u64 fake_now;

static void log_setup(void *arg)
{
	cap = tmpfile();
	log_set_file(cap);
	log_set_level(LOG_INFO);
	log_set_clock(NULL, NULL);
	log_reset_counts();
}

static void log_teardown(void *arg)
{
	log_set_file(NULL);
	log_set_clock(NULL, NULL);
	log_set_level(LOG_INFO);
	if (cap)
		fclose(cap);
	cap = NULL;
}

/* Everything logged since the setup, NUL-terminated. */
static const char *captured(void)
{
	static char buf[1 << 20];
	size_t n;

	fflush(cap);
	rewind(cap);
	n = fread(buf, 1, sizeof(buf) - 1, cap);
	buf[n] = '\0';
	fseek(cap, 0, SEEK_END);
	return buf;
}

static u64 fake_clock(void *arg)
{
	return *(u64 *)arg;
}

TEST format_without_clock(void)
{
	ASSERT(cap);
	pr_info("hello %d", 42);
	ASSERT_STR_EQ("test: hello 42\n", captured());
	PASS();
}

TEST format_with_clock(void)
{
	log_set_clock(fake_clock, &fake_now);
	fake_now = 4 * PS_PER_US;
	pr_info("at four us");
	fake_now = 123 * PS_PER_S + 456789012345ULL;
	pr_err("later");
	ASSERT_STR_EQ("[    0.000004000000] test: at four us\n"
		      "[  123.456789012345] test: later\n", captured());
	PASS();
}

TEST clock_removed_drops_time(void)
{
	log_set_clock(fake_clock, &fake_now);
	fake_now = 1;
	pr_info("a");
	log_set_clock(NULL, NULL);
	pr_info("b");
	ASSERT_STR_EQ("[    0.000000000001] test: a\ntest: b\n", captured());
	PASS();
}

TEST one_newline_per_line(void)
{
	pr_info("with\n");
	pr_info("without");
	pr_info("%s", "");
	ASSERT_STR_EQ("test: with\ntest: without\ntest: \n", captured());
	PASS();
}

TEST long_line_kept_whole(void)
{
	static char msg[3000], want[3100];

	log_set_clock(fake_clock, &fake_now);
	fake_now = 0;
	memset(msg, 'x', sizeof(msg) - 1);
	pr_warn("%s|", msg);
	snprintf(want, sizeof(want), "[    0.000000000000] test: %s|\n", msg);
	ASSERTm("the whole line, once", !strcmp(want, captured()));
	PASS();
}

TEST level_filtering(void)
{
	log_set_level(LOG_WARN);
	ASSERT_EQ(LOG_WARN, log_get_level());
	ASSERT(log_enabled(LOG_ERR));
	ASSERT(log_enabled(LOG_WARN));
	ASSERT_FALSE(log_enabled(LOG_NOTICE));
	pr_err("e");
	pr_warn("w");
	pr_notice("n");
	pr_info("i");
	pr_debug("d");
	pr_trace("t");
	ASSERT_STR_EQ("test: e\ntest: w\n", captured());

	log_set_level(LOG_TRACE);
	pr_debug("d");
	pr_trace("t");
	ASSERT_STR_EQ("test: e\ntest: w\ntest: d\ntest: t\n", captured());
	PASS();
}

/* Runs before anything sets a level (the fixture's teardown restores it). */
TEST default_level_is_info(void)
{
	ASSERT_EQ(LOG_INFO, log_get_level());
	ASSERT(log_enabled(LOG_INFO));
	ASSERT_FALSE(log_enabled(LOG_DEBUG));
	PASS();
}

TEST counts_per_level(void)
{
	log_set_level(LOG_NOTICE);
	pr_err("1");
	pr_err("2");
	pr_warn("3");
	pr_notice("4");
	pr_info("filtered, so not counted");
	ASSERT_EQ(2, log_count(LOG_ERR));
	ASSERT_EQ(1, log_count(LOG_WARN));
	ASSERT_EQ(1, log_count(LOG_NOTICE));
	ASSERT_EQ(0, log_count(LOG_INFO));
	ASSERT_EQ(0, log_count(LOG_TRACE));
	log_reset_counts();
	ASSERT_EQ(0, log_count(LOG_ERR));
	ASSERT_EQ(0, log_count(LOG_WARN));
	PASS();
}

TEST parse_level_names(void)
{
	static const char *const names[] = {
		"err", "warn", "notice", "info", "debug", "trace",
	};
	enum log_level l;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		l = 99;
		ASSERT_EQ(0, log_parse_level(names[i], &l));
		ASSERT_EQ(i, l);
	}
	ASSERT_EQ(0, log_parse_level("DEBUG", &l));
	ASSERT_EQ(LOG_DEBUG, l);
	ASSERT_EQ(-EINVAL, log_parse_level("verbose", &l));
	ASSERT_EQ(-EINVAL, log_parse_level("", &l));
	ASSERT_EQ(LOG_DEBUG, l);
	PASS();
}

TEST file_output(void)
{
	char path[] = "/tmp/capisim-test-log-XXXXXX", buf[256];
	FILE *f;
	size_t n;
	int fd;

	fd = mkstemp(path);
	ASSERT(fd >= 0);
	close(fd);
	ASSERT_EQ(0, log_open(path));
	log_set_clock(fake_clock, &fake_now);
	fake_now = 4000;
	pr_info("to the file");
	pr_err("second");
	log_close();

	f = fopen(path, "r");
	ASSERT(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	unlink(path);
	ASSERT_STR_EQ("[    0.000000004000] test: to the file\n"
		      "[    0.000000004000] test: second\n", buf);
	ASSERT_EQ(-ENOENT, log_open("/nonexistent-dir/capisim.log"));
	PASS();
}

/* With no file set (the default), lines go to stderr: catch fd 2 in a file to see. */
TEST default_output_is_stderr(void)
{
	FILE *f = tmpfile();
	char buf[128];
	int saved;
	size_t n;

	ASSERT(f);
	fflush(stderr);
	saved = dup(2);
	ASSERT(saved >= 0);
	dup2(fileno(f), 2);
	pr_warn("on stderr");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	ASSERT_STR_EQ("test: on stderr\n", buf);
	PASS();
}

#define NR_THREADS 4
#define LINES_PER_THREAD 2000

static void *log_thread(void *arg)
{
	long t = (long)arg;
	int i;

	for (i = 0; i < LINES_PER_THREAD; i++)
		pr_info("thread %ld line %d %s", t, i, "padding-padding-padding-padding");
	return NULL;
}

/* Lines from concurrent threads come out whole and each exactly once. */
TEST threads_write_whole_lines(void)
{
	static unsigned char seen[NR_THREADS][LINES_PER_THREAD];
	pthread_t th[NR_THREADS];
	const char *p;
	long t;
	int i, nr = 0;

	memset(seen, 0, sizeof(seen));
	for (t = 0; t < NR_THREADS; t++)
		ASSERT_EQ(0, pthread_create(&th[t], NULL, log_thread, (void *)t));
	for (t = 0; t < NR_THREADS; t++)
		pthread_join(th[t], NULL);

	for (p = captured(); *p; p = strchr(p, '\n') + 1) {
		int end = 0;

		ASSERTm("line format", sscanf(p, "test: thread %ld line %d padding-padding-padding-padding%n",
					      &t, &i, &end) == 2 && end && p[end] == '\n');
		ASSERT(t >= 0 && t < NR_THREADS && i >= 0 && i < LINES_PER_THREAD);
		ASSERT_EQ(0, seen[t][i]);
		seen[t][i] = 1;
		nr++;
	}
	ASSERT_EQ(NR_THREADS * LINES_PER_THREAD, nr);
	ASSERT_EQ(NR_THREADS * LINES_PER_THREAD, log_count(LOG_INFO));
	PASS();
}

/* The state before any test changed it. */
SUITE(log_default_suite)
{
	RUN_TEST(default_level_is_info);
	RUN_TEST(default_output_is_stderr);
}

SUITE(log_suite)
{
	SET_SETUP(log_setup, NULL);
	SET_TEARDOWN(log_teardown, NULL);
	RUN_TEST(format_without_clock);
	RUN_TEST(format_with_clock);
	RUN_TEST(clock_removed_drops_time);
	RUN_TEST(one_newline_per_line);
	RUN_TEST(long_line_kept_whole);
	RUN_TEST(level_filtering);
	RUN_TEST(counts_per_level);
	RUN_TEST(parse_level_names);
	RUN_TEST(file_output);
	RUN_TEST(threads_write_whole_lines);
}

TEST time_str_format(void)
{
	char buf[SIM_TIME_STR_LEN];

	ASSERT_STR_EQ("    0.000000000000", sim_time_str(0, buf, sizeof(buf)));
	ASSERT_STR_EQ("    0.000004000000", sim_time_str(4 * PS_PER_US, buf, sizeof(buf)));
	ASSERT_STR_EQ("    1.000000000001", sim_time_str(PS_PER_S + 1, buf, sizeof(buf)));
	ASSERT_STR_EQ("18446744.073709551615", sim_time_str(UINT64_MAX, buf, sizeof(buf)));
	ASSERT_STR_EQ("    0.00", sim_time_str(1, buf, 9));
	PASS();
}

TEST psl_clock_is_250mhz(void)
{
	ASSERT_EQ(4000, psl_clock.period_ps);
	ASSERT_STR_EQ("psl", psl_clock.name);
	ASSERT_EQ(12000, cycles_to_ps(&psl_clock, 3));
	ASSERT_EQ(8000, next_edge(&psl_clock, 4001));
	PASS();
}

SUITE(time_suite)
{
	RUN_TEST(time_str_format);
	RUN_TEST(psl_clock_is_250mhz);
}

HARNESS_MAIN_DEFS();

int main(int argc, char **argv)
{
	HARNESS_MAIN_BEGIN(argc, argv);
	RUN_SUITE(log_default_suite);
	RUN_SUITE(log_suite);
	RUN_SUITE(time_suite);
	HARNESS_MAIN_END();
}
