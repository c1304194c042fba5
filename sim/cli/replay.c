// SPDX-License-Identifier: GPL-2.0
/*
 * capisim replay T.cxt: run a recorded workload again and compare the
 * new trace with T event by event (docs/replay.md).  A trace names its
 * whole stimulus in its header: the [run] section `capisim run` wrote
 * (the workload, its options and every machine key it set), the timing
 * text and the trace level.  The re-run is `capisim run` with exactly
 * those, or with another timing file: the regression use.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/run.h"
#include "core/config.h"
#include "trace/cxt.h"
#include "trace/tools.h"

#define RUN_SECTION	"run"

/* One replay: what the trace asks for and the files it makes. */
struct replay {
	const char *trace, *timing, *keep;
	char tmpdir[PATH_MAX - 32];
	char new_trace[PATH_MAX];
	char timing_file[PATH_MAX];	/* the header's timing text, "" if not written */
	char summary[PATH_MAX];
	char *argv[64];
	unsigned int argc;
};

void cmd_replay_help(void)
{
	puts("usage: capisim replay [--timing FILE] [--keep NEW.cxt] TRACE.cxt\n"
	     "\n"
	     "Run the workload a trace recorded again, record a new trace, and compare\n"
	     "the two event by event.  The trace's header holds the whole stimulus: the\n"
	     "[run] section 'capisim run' wrote (the workload with its contexts, size and\n"
	     "jobs, the AFU, mode, seed, time mode, configuration), the timing file's text\n"
	     "and the trace level; the re-run uses exactly those.  With the same capisim\n"
	     "and driver, a virtual-time run repeats exactly, one context or several\n"
	     "(their threads reach the machine in an order it decides), so the two\n"
	     "traces must be identical: that is the regression check of traces/.\n"
	     "\n"
	     "With --timing FILE the same stimulus runs against other PSL timing, and\n"
	     "the first event that moved shows where the change acts.  A build with\n"
	     "another driver (make KERNEL_SRC=...) replays against that driver.\n"
	     "\n"
	     "Only traces of 'capisim run --workload' can be replayed: re-running an\n"
	     "arbitrary host program's calls without the program is not supported yet\n"
	     "(exit status 2 for such a trace).\n"
	     "\n"
	     "options:\n"
	     "  --timing FILE     PSL timing for the re-run instead of the recorded one\n"
	     "  --keep NEW.cxt    keep the new trace there (default: a temporary file)\n"
	     "\n"
	     "Output: the re-run's own output, then either 'identical' with the event\n"
	     "count, or the first divergence: both events, the common events before\n"
	     "it, the events after it in each run, and a summary of the differences\n"
	     "(as 'capisim trace diff', headers not compared).  Exit status: 0\n"
	     "identical, 1 different (or the re-run wrote no trace), 2 usage error,\n"
	     "an unreadable trace, or a trace that cannot be replayed.\n"
	     "\n"
	     "examples:\n"
	     "  capisim run --workload memcpy --size 64K --trace t.cxt && capisim replay t.cxt\n"
	     "  capisim replay traces/memcpy-directed.cxt\n"
	     "  capisim replay --timing slow-dma.timing --keep slow.cxt traces/memcpy-directed.cxt");
}

static int parse_opts(struct replay *rp, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "timing", required_argument, NULL, 't' },
		{ "keep", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 't') {
			rp->timing = optarg;
		} else if (c == 'k') {
			rp->keep = optarg;
		} else {
			fprintf(stderr, "capisim replay: unknown or incomplete option '%s'; "
				"see 'capisim replay --help'\n", argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "capisim replay: expected one trace file; "
			"see 'capisim replay --help'\n");
		return EXIT_USAGE;
	}
	rp->trace = argv[optind];
	if (rp->timing && access(rp->timing, R_OK)) {
		fprintf(stderr, "capisim replay: --timing %s: %s\n", rp->timing, strerror(errno));
		return EXIT_USAGE;
	}
	return 0;
}

static void arg(struct replay *rp, const char *a)
{
	/* The largest use is a dozen options with their values. */
	if (rp->argc < ARRAY_SIZE(rp->argv) - 1)
		rp->argv[rp->argc++] = (char *)a;
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fputs(text, f);
	return fclose(f) ? -errno : 0;
}

/* The run's [run] section says a workload: the stimulus to re-run. */
static int check_replayable(const char *trace, struct cfg *cfg)
{
	const char *prog;

	if (!cfg || !cfg_has_section(cfg, RUN_SECTION)) {
		fprintf(stderr, "capisim replay: %s was not recorded by 'capisim run' (its header "
			"has no [run] section), so it names no stimulus to re-run\n", trace);
		return EXIT_USAGE;
	}
	if (cfg_get(cfg, RUN_SECTION, "workload"))
		return 0;
	prog = cfg_get(cfg, RUN_SECTION, "program");
	fprintf(stderr, "capisim replay: %s was recorded from the program %s: replaying a host "
		"program without running it is not supported yet (docs/replay.md); run it "
		"again under 'capisim run --trace' and compare with 'capisim trace diff'\n",
		trace, prog ? prog : "(unnamed)");
	return EXIT_USAGE;
}

static const char *const level_names[] = {
	[TRACE_LVL_DEFAULT] = "default",
	[TRACE_LVL_VERBOSE] = "verbose",
	[TRACE_LVL_DEBUG] = "debug",
};

/* The timing: --timing, else the recorded text, else none. */
static int timing_arg(struct replay *rp, const struct cxt_header *h)
{
	int ret;

	if (rp->timing) {
		arg(rp, "--timing");
		arg(rp, rp->timing);
		return 0;
	}
	if (!h->timing_text)
		return 0;
	snprintf(rp->timing_file, sizeof(rp->timing_file), "%.*s/timing",
		 (int)sizeof(rp->tmpdir), rp->tmpdir);
	ret = write_file(rp->timing_file, h->timing_text);
	if (ret) {
		fprintf(stderr, "capisim replay: %s: %s\n", rp->timing_file, strerror(-ret));
		rp->timing_file[0] = '\0';
		return EXIT_FAILED;
	}
	arg(rp, "--timing");
	arg(rp, rp->timing_file);
	return 0;
}

/*
 * capisim run's arguments for the stimulus: the machine keys as options
 * where run has one, as variables otherwise; nothing inherited from
 * this shell's environment.
 */
static int build_run(struct replay *rp, struct cfg *cfg, const struct cxt_header *h)
{
	static const char *const wl_keys[][2] = {
		{ "contexts", "--contexts" }, { "size", "--size" }, { "jobs", "--jobs" },
	};
	const char *v;
	unsigned int k;

	arg(rp, "run");
	for (k = 0; k < run_nr_keys; k++) {
		unsetenv(run_keys[k].env);
		v = cfg_get(cfg, RUN_SECTION, run_keys[k].key);
		/* Timing and level come from the header itself, below. */
		if (!v || !strcmp(run_keys[k].key, "timing") ||
		    !strcmp(run_keys[k].key, "trace_level"))
			continue;
		if (!run_keys[k].opt) {
			setenv(run_keys[k].env, v, 1);
			continue;
		}
		arg(rp, run_keys[k].opt);
		arg(rp, v);
	}
	/* The level the header states, else the one [run] asked for. */
	v = cfg_get(cfg, RUN_SECTION, "trace_level");
	if (h->level >= TRACE_LVL_DEFAULT && h->level <= TRACE_LVL_DEBUG)
		v = level_names[h->level];
	if (v) {
		arg(rp, "--trace-level");
		arg(rp, v);
	}
	arg(rp, "--trace");
	arg(rp, rp->new_trace);
	arg(rp, "--summary");
	arg(rp, rp->summary);
	arg(rp, "--workload");
	arg(rp, cfg_get(cfg, RUN_SECTION, "workload"));
	for (k = 0; k < ARRAY_SIZE(wl_keys); k++) {
		v = cfg_get(cfg, RUN_SECTION, wl_keys[k][0]);
		if (!v)
			continue;
		arg(rp, wl_keys[k][1]);
		arg(rp, v);
	}
	rp->argv[rp->argc] = NULL;
	return timing_arg(rp, h);
}

static void show_file(const char *path)
{
	char line[1024];
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		fputs(line, stderr);
	fclose(f);
}

/* Compare the recorded trace with the new one: the exit status. */
static int compare(struct replay *rp)
{
	const struct trace_diff_opts o = { .events_only = true };
	struct trace_diff_result res;
	struct cxt_error err;
	int ret;

	fflush(NULL);
	ret = trace_diff(rp->trace, rp->new_trace, &o, stdout, &res, &err);
	if (ret < 0) {
		fprintf(stderr, "capisim replay: %s\n", err.msg);
		return EXIT_FAILED;
	}
	if (!ret) {
		printf("capisim replay: identical: %llu events in both runs\n",
		       (unsigned long long)res.nr_a);
		return EXIT_OK;
	}
	printf("capisim replay: the runs differ from event %llu on (A: %s, the recording; "
	       "B: %s, the re-run)\n", (unsigned long long)res.first, rp->trace, rp->new_trace);
	return EXIT_FAILED;
}

/* Re-run the stimulus of @cfg, then compare. */
static int rerun(struct replay *rp, struct cfg *cfg, const struct cxt_header *h)
{
	unsigned int i;
	int ret;

	ret = build_run(rp, cfg, h);
	if (ret)
		return ret;
	fprintf(stderr, "capisim replay: re-running:");
	for (i = 0; i < rp->argc; i++)
		fprintf(stderr, " %s", rp->argv[i]);
	fputc('\n', stderr);
	ret = cmd_run(rp->argc, rp->argv);
	if (access(rp->new_trace, R_OK)) {
		show_file(rp->summary);
		fprintf(stderr, "capisim replay: the re-run wrote no trace (capisim run exited "
			"%d)\n", ret);
		return EXIT_FAILED;
	}
	if (ret)
		show_file(rp->summary);
	return compare(rp);
}

static int replay_trace(struct replay *rp)
{
	struct cxt_reader *r;
	struct cxt_error err;
	struct cfg_error cerr;
	struct cfg *cfg = NULL;
	const struct cxt_header *h;
	int ret;

	ret = cxt_open(rp->trace, 0, &r, &err);
	if (ret) {
		fprintf(stderr, "capisim replay: %s\n", err.msg);
		return EXIT_USAGE;
	}
	h = cxt_header(r);
	if (h->config_text && cfg_parse(rp->trace, h->config_text, &cfg, &cerr)) {
		fprintf(stderr, "capisim replay: the configuration in the header: %s\n",
			cerr.msg);
		cxt_close(r);
		return EXIT_USAGE;
	}
	ret = check_replayable(rp->trace, cfg);
	if (!ret)
		ret = rerun(rp, cfg, h);
	if (cfg)
		cfg_free(cfg);
	cxt_close(r);
	return ret;
}

static int make_files(struct replay *rp)
{
	const char *t = getenv("TMPDIR");

	snprintf(rp->tmpdir, sizeof(rp->tmpdir), "%s/capisim-replay.XXXXXX",
		 t && *t ? t : "/tmp");
	if (!mkdtemp(rp->tmpdir)) {
		fprintf(stderr, "capisim replay: mkdtemp %s: %s\n", rp->tmpdir, strerror(errno));
		rp->tmpdir[0] = '\0';
		return EXIT_FAILED;
	}
	snprintf(rp->summary, sizeof(rp->summary), "%.*s/summary", (int)sizeof(rp->tmpdir),
		 rp->tmpdir);
	if (rp->keep)
		snprintf(rp->new_trace, sizeof(rp->new_trace), "%s", rp->keep);
	else
		snprintf(rp->new_trace, sizeof(rp->new_trace), "%.*s/replay.cxt",
			 (int)sizeof(rp->tmpdir), rp->tmpdir);
	return 0;
}

static void remove_files(struct replay *rp)
{
	if (!rp->tmpdir[0])
		return;
	unlink(rp->summary);
	if (rp->timing_file[0])
		unlink(rp->timing_file);
	if (!rp->keep)
		unlink(rp->new_trace);
	rmdir(rp->tmpdir);
}

int cmd_replay(int argc, char **argv)
{
	struct replay rp = { 0 };
	int ret;

	ret = parse_opts(&rp, argc, argv);
	if (ret)
		return ret;
	ret = make_files(&rp);
	if (!ret)
		ret = replay_trace(&rp);
	remove_files(&rp);
	return ret;
}
