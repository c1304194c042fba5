// SPDX-License-Identifier: GPL-2.0
/*
 * capisim trace SUBCOMMAND: tools over .cxt trace files: dump, stats,
 * perfetto, fst, diff.  The work is in sim/trace (trace.h, tools.h); this
 * file reads the command line.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/config.h"
#include "trace/tools.h"
#include "trace/trace.h"

void cmd_trace_help(void)
{
	puts("usage: capisim trace dump [OPTIONS] FILE.cxt\n"
	     "       capisim trace stats [--json] [--brief] FILE.cxt\n"
	     "       capisim trace perfetto [-o OUT.json] FILE.cxt\n"
	     "       capisim trace fst [-o OUT.fst] [--vcd] FILE.cxt\n"
	     "       capisim trace diff [--events-only] [--ignore-time] A.cxt B.cxt\n"
	     "\n"
	     "Tools over a capisim trace: a run's header (versions, configuration,\n"
	     "seeds, timing file, driver identity) and its events, each with a\n"
	     "simulated time, a source, a kind, a context and fields.  The format is\n"
	     "docs/trace-format.md; the tools are explained in docs/trace-tools.md.\n"
	     "\n"
	     "dump: the header, then one line per event.\n"
	     "  --from TIME     only events at or after TIME (e.g. 1.5us, 200 ns, 40 cycles)\n"
	     "  --to TIME       only events at or before TIME\n"
	     "  --source NAME   only events from source NAME (e.g. card0)\n"
	     "  --kind NAME     only events of kind NAME; a prefix before a dot also\n"
	     "                  matches, so 'psl.fault' selects psl.fault.answer too\n"
	     "  --ctx N         only events of context (process element) N\n"
	     "  TIME takes the units ps, ns, us, ms, s, or cycles of the 250 MHz PSL clock.\n"
	     "\n"
	     "stats: events per source and kind, then latencies per operation with\n"
	     "count, min, avg, p50, p99 (nearest rank) and max, and a log2 histogram\n"
	     "of each.  Operations pair a start event with its end: command\n"
	     "(psl.cmd -> psl.resp, by opcode), fault (psl.fault -> psl.fault.answer:\n"
	     "DSISR presented to TFC, by answer), irq (irq.raise -> irq.deliver, by\n"
	     "what sent the MSI), spa (psl.spa.start -> psl.spa.done, by LLCMD), job\n"
	     "(psl.job -> its ah_* answer), afu-mmio (psl.afu.mmio -> psl.afu.mmack),\n"
	     "state (time in each state of each PSL machine); mmio and cfg (by\n"
	     "register) take the latency the access was charged.\n"
	     "  --json          one JSON object instead of tables, for scripts\n"
	     "  --brief         the tables without the histograms\n"
	     "\n"
	     "perfetto: a timeline for https://ui.perfetto.dev or chrome://tracing, as\n"
	     "Chrome trace-event JSON: a process per source, a track per AFU slice,\n"
	     "context (and its commands), state machine, task, and for MSIs and host\n"
	     "MMIO; commands, faults, SPA and job commands and states as spans,\n"
	     "interrupts, MMIO and errors as instants.\n"
	     "  -o FILE         write FILE (default: the trace's name ending .json;\n"
	     "                  '-' for standard output)\n"
	     "\n"
	     "fst: the PSL-AFU signals (job, MMIO, command, response, buffer) and the\n"
	     "PSL's state machines (AFU_Cntl, purge, SPA, job, fault) as a waveform\n"
	     "for GTKWave: 'gtkwave run.fst'.  Strobes are high for one 4 ns cycle.\n"
	     "  -o FILE         write FILE (default: the trace's name ending .fst/.vcd)\n"
	     "  --vcd           write VCD instead of FST (larger; any viewer reads it)\n"
	     "\n"
	     "diff: where two traces part: header differences first (configuration,\n"
	     "seeds, timing file, then the rest), the first event that differs with\n"
	     "the events before it, then a summary: events per kind in each, and the\n"
	     "time shift.  Exit status 0 the same, 1 different, 2 usage error or a\n"
	     "file that cannot be read.\n"
	     "  --events-only   do not compare the headers\n"
	     "  --ignore-time   events that differ only in time count as the same\n"
	     "\n"
	     "A damaged file is refused with the block and byte offset of the damage.\n"
	     "\n"
	     "examples:\n"
	     "  capisim trace dump --kind psl.cmd --ctx 2 --from 10us --to 20us run.cxt\n"
	     "  capisim trace stats run.cxt\n"
	     "  capisim trace stats --json run.cxt | python3 -m json.tool\n"
	     "  capisim trace perfetto run.cxt          # writes run.json\n"
	     "  capisim trace fst -o run.fst run.cxt && gtkwave run.fst\n"
	     "  capisim trace diff good.cxt bad.cxt");
}

static int bad_option(const char *sub, const char *arg)
{
	fprintf(stderr, "capisim trace %s: unknown or incomplete option '%s'; "
		"see 'capisim trace --help'\n", sub, arg);
	return EXIT_USAGE;
}

static int want_files(const char *sub, int argc, int n)
{
	if (argc - optind == n)
		return 0;
	fprintf(stderr, "capisim trace %s: expected %s; see 'capisim trace --help'\n", sub,
		n == 1 ? "one trace FILE" : "two trace files A and B");
	return EXIT_USAGE;
}

static int bad_time(const char *opt, const char *arg)
{
	fprintf(stderr, "capisim trace dump: %s '%s': expected a time with a unit "
		"(ps, ns, us, ms, s or cycles), e.g. 1.5us\n", opt, arg);
	return EXIT_USAGE;
}

static int trace_dump_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "source", required_argument, NULL, 's' },
		{ "kind", required_argument, NULL, 'k' },
		{ "ctx", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	struct trace_filter f = TRACE_FILTER_ALL;
	u64 v;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (cfg_parse_time(optarg, &f.t_min))
				return bad_time("--from", optarg);
			break;
		case 't':
			if (cfg_parse_time(optarg, &f.t_max))
				return bad_time("--to", optarg);
			break;
		case 's':
			f.source = optarg;
			break;
		case 'k':
			f.kind = optarg;
			break;
		case 'c':
			if (cfg_parse_u64(optarg, &v) || v > UINT32_MAX) {
				fprintf(stderr, "capisim trace dump: --ctx '%s': expected "
					"a context number\n", optarg);
				return EXIT_USAGE;
			}
			f.match_ctx = true;
			f.ctx = v;
			break;
		default:
			return bad_option("dump", argv[optind - 1]);
		}
	}
	if (want_files("dump", argc, 1))
		return EXIT_USAGE;
	if (f.t_min > f.t_max) {
		fprintf(stderr, "capisim trace dump: --from is after --to\n");
		return EXIT_USAGE;
	}
	return trace_dump(argv[optind], stdout, &f) ? EXIT_FAILED : EXIT_OK;
}

static int trace_stats_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "brief", no_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false, brief = false;
	struct trace_stats *st;
	struct cxt_error err;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'j')
			json = true;
		else if (c == 'b')
			brief = true;
		else
			return bad_option("stats", argv[optind - 1]);
	}
	if (want_files("stats", argc, 1))
		return EXIT_USAGE;
	if (trace_stats_read(argv[optind], &st, &err)) {
		fprintf(stderr, "capisim trace stats: %s\n", err.msg);
		return EXIT_FAILED;
	}
	if (json)
		trace_stats_json(st, stdout);
	else
		trace_stats_print(st, stdout, !brief);
	trace_stats_free(st);
	return EXIT_OK;
}

/* @trace's name with its ".cxt" (if any) replaced by @ext; free it. */
static char *out_name(const char *trace, const char *ext)
{
	size_t n = strlen(trace);
	char *s;

	if (n > 4 && !strcmp(trace + n - 4, ".cxt"))
		n -= 4;
	if (asprintf(&s, "%.*s%s", (int)n, trace, ext) < 0)
		return NULL;
	return s;
}

static int write_perfetto(const char *trace, const char *out_path)
{
	bool to_stdout = !strcmp(out_path, "-");
	struct cxt_error err;
	FILE *f = to_stdout ? stdout : fopen(out_path, "w");
	int ret;

	if (!f) {
		fprintf(stderr, "capisim trace perfetto: %s: cannot create: %s\n", out_path,
			strerror(errno));
		return EXIT_FAILED;
	}
	ret = trace_perfetto(trace, f, &err);
	if (!to_stdout && fclose(f) && !ret) {
		snprintf(err.msg, sizeof(err.msg), "%s: write error: %s", out_path,
			 strerror(errno));
		ret = -EIO;
	}
	if (ret) {
		fprintf(stderr, "capisim trace perfetto: %s\n", err.msg);
		if (!to_stdout)
			remove(out_path);
		return EXIT_FAILED;
	}
	if (!to_stdout)
		printf("capisim trace perfetto: wrote %s; open it in https://ui.perfetto.dev\n",
		       out_path);
	return EXIT_OK;
}

static int trace_perfetto_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	char *name = NULL;
	int c, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (c != 'o')
			return bad_option("perfetto", argv[optind - 1]);
		out = optarg;
	}
	if (want_files("perfetto", argc, 1))
		return EXIT_USAGE;
	if (!out) {
		name = out_name(argv[optind], ".json");
		if (!name)
			return EXIT_FAILED;
		out = name;
	}
	ret = write_perfetto(argv[optind], out);
	free(name);
	return ret;
}

static int trace_fst_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "vcd", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	enum trace_wave_format fmt = TRACE_WAVE_FST;
	const char *out = NULL;
	struct cxt_error err;
	char *name = NULL;
	int c, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (c == 'o')
			out = optarg;
		else if (c == 'v')
			fmt = TRACE_WAVE_VCD;
		else
			return bad_option("fst", argv[optind - 1]);
	}
	if (want_files("fst", argc, 1))
		return EXIT_USAGE;
	if (!out) {
		name = out_name(argv[optind], fmt == TRACE_WAVE_VCD ? ".vcd" : ".fst");
		if (!name)
			return EXIT_FAILED;
		out = name;
	}
	ret = trace_wave(argv[optind], out, fmt, &err);
	if (ret)
		fprintf(stderr, "capisim trace fst: %s\n", err.msg);
	else
		printf("capisim trace fst: wrote %s; open it with gtkwave %s\n", out, out);
	free(name);
	return ret ? EXIT_FAILED : EXIT_OK;
}

/* Exit 0 the same, 1 different, 2 usage or unreadable (as cmp(1) and diff(1)). */
static int trace_diff_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "events-only", no_argument, NULL, 'e' },
		{ "ignore-time", no_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct trace_diff_opts o = { 0 };
	struct trace_diff_result res;
	struct cxt_error err;
	int c, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'e')
			o.events_only = true;
		else if (c == 't')
			o.ignore_time = true;
		else
			return bad_option("diff", argv[optind - 1]);
	}
	if (want_files("diff", argc, 2))
		return EXIT_USAGE;
	ret = trace_diff(argv[optind], argv[optind + 1], &o, stdout, &res, &err);
	if (ret < 0) {
		fprintf(stderr, "capisim trace diff: %s\n", err.msg);
		return EXIT_USAGE;
	}
	return ret ? EXIT_FAILED : EXIT_OK;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} subs[] = {
	{ "dump", trace_dump_main },
	{ "stats", trace_stats_main },
	{ "perfetto", trace_perfetto_main },
	{ "fst", trace_fst_main },
	{ "diff", trace_diff_main },
};

int cmd_trace(int argc, char **argv)
{
	unsigned int i;

	if (argc < 2) {
		fprintf(stderr, "capisim trace: expected a subcommand: dump, stats, perfetto, "
			"fst or diff; see 'capisim trace --help'\n");
		return EXIT_USAGE;
	}
	for (i = 0; i < ARRAY_SIZE(subs); i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].run(argc - 1, argv + 1);
	fprintf(stderr, "capisim trace: '%s' is not a trace subcommand (dump, stats, perfetto, "
		"fst, diff); see 'capisim trace --help'\n", argv[1]);
	return EXIT_USAGE;
}
