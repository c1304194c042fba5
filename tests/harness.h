/* SPDX-License-Identifier: GPL-2.0 */
/*
 * capisim's test harness: one header, in the style of greatest.
 *
 *	#include "harness.h"
 *
 *	TEST adds_up(void)
 *	{
 *		ASSERT_EQ(4, 2 + 2);
 *		PASS();
 *	}
 *
 *	SUITE(arith)
 *	{
 *		RUN_TEST(adds_up);
 *	}
 *
 *	HARNESS_MAIN_DEFS();
 *
 *	int main(int argc, char **argv)
 *	{
 *		HARNESS_MAIN_BEGIN(argc, argv);
 *		RUN_SUITE(arith);
 *		HARNESS_MAIN_END();
 *	}
 *
 * Command line: -t NAME runs tests whose name contains NAME, -s NAME
 * suites whose name contains NAME, -x NAME excludes tests containing
 * NAME, -v prints each result, -l lists without running, -f stops at the
 * first failure, -h explains.  The last line is always
 * "N passed, N failed" (", N skipped" when any were skipped).
 */
#ifndef CAPISIM_TESTS_HARNESS_H
#define CAPISIM_TESTS_HARNESS_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum harness_result {
	HARNESS_PASS = 0,
	HARNESS_FAIL = -1,
	HARNESS_SKIP = 1,
};

/* The run's state; one per test binary, touched only by the harness macros. */
struct harness_state {
	const char *suite;		/* running suite */
	const char *test_filter;	/* -t */
	const char *suite_filter;	/* -s */
	const char *exclude;		/* -x */
	int verbose;			/* -v */
	int list_only;			/* -l */
	int fail_fast;			/* -f */
	unsigned int passed, failed, skipped;
	/* Where and why the running test failed or was skipped. */
	const char *fail_file;
	unsigned int fail_line;
	char msg[1024];
	void (*setup)(void *);
	void *setup_arg;
	void (*teardown)(void *);
	void *teardown_arg;
};

extern struct harness_state harness;

#define TEST static enum harness_result
#define SUITE(name) void name(void)
#define SUITE_EXTERN(name) extern void name(void)

/* Setup and teardown run around every test of the current suite. */
#define SET_SETUP(fn, arg) do { harness.setup = (fn); harness.setup_arg = (arg); } while (0)
#define SET_TEARDOWN(fn, arg) do { harness.teardown = (fn); harness.teardown_arg = (arg); } while (0)

#define PASS() return HARNESS_PASS

#define HARNESS_FAILED_AT(...)						\
	do {								\
		harness.fail_file = __FILE__;				\
		harness.fail_line = __LINE__;				\
		snprintf(harness.msg, sizeof(harness.msg), __VA_ARGS__); \
		return HARNESS_FAIL;					\
	} while (0)

#define FAIL() HARNESS_FAILED_AT("FAIL()")
#define FAILm(m) HARNESS_FAILED_AT("%s", (m))

#define SKIPm(m)							\
	do {								\
		snprintf(harness.msg, sizeof(harness.msg), "%s", (m));	\
		return HARNESS_SKIP;					\
	} while (0)
#define SKIP() SKIPm("")

#define ASSERTm(m, cond)						\
	do {								\
		if (!(cond))						\
			HARNESS_FAILED_AT("%s: %s", (m), #cond);	\
	} while (0)
#define ASSERT(cond) ASSERTm("expected true", cond)
#define ASSERT_FALSE(cond) ASSERTm("expected false", !(cond))

/* Integers of any width, shown in decimal and hex. */
#define ASSERT_EQm(m, exp, got)						\
	do {								\
		unsigned long long e_ = (unsigned long long)(exp);	\
		unsigned long long g_ = (unsigned long long)(got);	\
		if (e_ != g_)						\
			HARNESS_FAILED_AT("%s%s%s != %s: expected %llu (0x%llx), got %llu (0x%llx)", \
					  (m), *(m) ? ": " : "", #exp, #got, \
					  e_, e_, g_, g_);		\
	} while (0)
#define ASSERT_EQ(exp, got) ASSERT_EQm("", exp, got)
#define ASSERT_NEQ(a, b) ASSERTm("expected different values", (a) != (b))

/* Compare with ==, print both with @fmt. */
#define ASSERT_EQ_FMTm(m, exp, got, fmt)				\
	do {								\
		__typeof__(exp) e_ = (exp);				\
		__typeof__(got) g_ = (got);				\
		if (!(e_ == g_)) {					\
			char ef_[128], gf_[128];			\
			snprintf(ef_, sizeof(ef_), fmt, e_);		\
			snprintf(gf_, sizeof(gf_), fmt, g_);		\
			HARNESS_FAILED_AT("%s%s%s != %s: expected %s, got %s", \
					  (m), *(m) ? ": " : "", #exp, #got, ef_, gf_); \
		}							\
	} while (0)
#define ASSERT_EQ_FMT(exp, got, fmt) ASSERT_EQ_FMTm("", exp, got, fmt)

#define ASSERT_STR_EQm(m, exp, got)					\
	do {								\
		const char *e_ = (exp), *g_ = (got);			\
		if (!e_ || !g_ || strcmp(e_, g_))			\
			HARNESS_FAILED_AT("%s%s%s != %s: expected \"%s\", got \"%s\"", \
					  (m), *(m) ? ": " : "", #exp, #got, \
					  e_ ? e_ : "(null)", g_ ? g_ : "(null)"); \
	} while (0)
#define ASSERT_STR_EQ(exp, got) ASSERT_STR_EQm("", exp, got)

/* @got contains @needle. */
#define ASSERT_STR_HAS(got, needle)					\
	do {								\
		const char *g_ = (got), *n_ = (needle);			\
		if (!g_ || !strstr(g_, n_))				\
			HARNESS_FAILED_AT("%s: expected to contain \"%s\", got \"%s\"", \
					  #got, n_, g_ ? g_ : "(null)");	\
	} while (0)

#define ASSERT_MEM_EQm(m, exp, got, len)				\
	do {								\
		const unsigned char *e_ = (const void *)(exp);		\
		const unsigned char *g_ = (const void *)(got);		\
		size_t l_ = (len), i_;					\
		for (i_ = 0; i_ < l_; i_++)				\
			if (e_[i_] != g_[i_])				\
				HARNESS_FAILED_AT("%s%s%s != %s at byte %zu of %zu: expected 0x%02x, got 0x%02x", \
						  (m), *(m) ? ": " : "", #exp, #got, \
						  i_, l_, e_[i_], g_[i_]); \
	} while (0)
#define ASSERT_MEM_EQ(exp, got, len) ASSERT_MEM_EQm("", exp, got, len)

/* A test may call a helper test: propagate its failure. */
#define CHECK_CALL(call)						\
	do {								\
		enum harness_result r_ = (call);			\
		if (r_ != HARNESS_PASS)					\
			return r_;					\
	} while (0)

static inline int harness_match(const char *name, const char *filter)
{
	return !filter || strstr(name, filter);
}

/* Run one test: @fn0 takes no argument, @fn1 takes @arg. */
static inline void harness_run(enum harness_result (*fn0)(void),
			       enum harness_result (*fn1)(void *), void *arg,
			       const char *name)
{
	enum harness_result r;
	struct timespec t0, t1;

	if (!harness_match(name, harness.test_filter) ||
	    (harness.exclude && strstr(name, harness.exclude)))
		return;
	if (harness.list_only) {
		printf("%s.%s\n", harness.suite, name);
		return;
	}
	if (harness.fail_fast && harness.failed)
		return;
	harness.msg[0] = '\0';
	harness.fail_file = NULL;
	if (harness.setup)
		harness.setup(harness.setup_arg);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = fn0 ? fn0() : fn1(arg);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (harness.teardown)
		harness.teardown(harness.teardown_arg);
	switch (r) {
	case HARNESS_PASS:
		harness.passed++;
		if (harness.verbose)
			printf("PASS %s.%s (%.3f s)\n", harness.suite, name,
			       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
		break;
	case HARNESS_SKIP:
		harness.skipped++;
		printf("SKIP %s.%s%s%s\n", harness.suite, name,
		       harness.msg[0] ? ": " : "", harness.msg);
		break;
	default:
		harness.failed++;
		printf("FAIL %s.%s\n  %s:%u: %s\n", harness.suite, name,
		       harness.fail_file ? harness.fail_file : "?",
		       harness.fail_line, harness.msg);
		break;
	}
	fflush(stdout);
}

#define RUN_TEST(fn) harness_run(fn, NULL, NULL, #fn)

/* Run a test taking one pointer argument; @label names this instance. */
#define RUN_TESTp(fn, arg, label)					\
	do {								\
		char n_[256];						\
		snprintf(n_, sizeof(n_), "%s/%s", #fn, (label));	\
		harness_run(NULL, (enum harness_result (*)(void *))(fn), \
			    (void *)(arg), n_);				\
	} while (0)

#define RUN_SUITE(fn)							\
	do {								\
		if (harness_match(#fn, harness.suite_filter)) {		\
			harness.suite = #fn;				\
			harness.setup = NULL;				\
			harness.teardown = NULL;			\
			fn();						\
		}							\
	} while (0)

static inline void harness_usage(const char *prog)
{
	printf("usage: %s [-t TEST] [-s SUITE] [-x EXCLUDE] [-v] [-l] [-f]\n"
	       "  -t TEST     run only tests whose name contains TEST\n"
	       "  -s SUITE    run only suites whose name contains SUITE\n"
	       "  -x EXCLUDE  skip tests whose name contains EXCLUDE\n"
	       "  -v          print every result, with its wall time\n"
	       "  -l          list suite.test names, run nothing\n"
	       "  -f          stop at the first failure\n"
	       "The last line is \"N passed, N failed\"; the exit status is 1 on any failure.\n",
	       prog);
}

/* Parse the command line; returns -1 on a usage error, 1 after -h, else 0. */
static inline int harness_parse_args(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-v")) {
			harness.verbose = 1;
		} else if (!strcmp(a, "-l")) {
			harness.list_only = 1;
		} else if (!strcmp(a, "-f")) {
			harness.fail_fast = 1;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			harness_usage(argv[0]);
			return 1;
		} else if ((!strcmp(a, "-t") || !strcmp(a, "-s") || !strcmp(a, "-x")) &&
			   i + 1 < argc) {
			if (a[1] == 't')
				harness.test_filter = argv[++i];
			else if (a[1] == 's')
				harness.suite_filter = argv[++i];
			else
				harness.exclude = argv[++i];
		} else {
			fprintf(stderr, "%s: unknown or incomplete option '%s'\n", argv[0], a);
			harness_usage(argv[0]);
			return -1;
		}
	}
	return 0;
}

static inline int harness_report(void)
{
	if (harness.list_only)
		return 0;
	if (harness.skipped)
		printf("%u passed, %u failed, %u skipped\n",
		       harness.passed, harness.failed, harness.skipped);
	else
		printf("%u passed, %u failed\n", harness.passed, harness.failed);
	fflush(stdout);
	return harness.failed ? 1 : 0;
}

#define HARNESS_MAIN_DEFS() struct harness_state harness

#define HARNESS_MAIN_BEGIN(argc, argv)					\
	do {								\
		int r_ = harness_parse_args(argc, argv);		\
		if (r_)							\
			return r_ < 0 ? 2 : 0;				\
	} while (0)

#define HARNESS_MAIN_END() return harness_report()

#endif
