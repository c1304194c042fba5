// SPDX-License-Identifier: GPL-2.0
/*
 * capisim trace SUBCOMMAND: tools over .cxt trace files.  Today: dump.
 * stats, perfetto, fst and diff come with the exporters (docs/status.md).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/config.h"
#include "trace/trace.h"

void cmd_trace_help(void)
{
	puts("usage: capisim trace dump [OPTIONS] FILE.cxt\n"
	     "\n"
	     "Print a capisim trace as text: a summary of its header (format and\n"
	     "capisim versions, configuration, seeds, timing file, driver identity),\n"
	     "then one line per event: simulated time, source, kind, context and\n"
	     "its fields.\n"
	     "\n"
	     "options:\n"
	     "  --from TIME     only events at or after TIME (e.g. 1.5us, 200 ns, 40 cycles)\n"
	     "  --to TIME       only events at or before TIME\n"
	     "  --source NAME   only events from source NAME (e.g. psl0.slice0)\n"
	     "  --kind NAME     only events of kind NAME; a prefix before a dot also\n"
	     "                  matches, so 'afu' selects afu.cmd and afu.resp\n"
	     "  --ctx N         only events of context (process element) N\n"
	     "\n"
	     "TIME takes the units ps, ns, us, ms, s, or cycles of the 250 MHz PSL clock.\n"
	     "A damaged file is refused with the block and byte offset of the damage.\n"
	     "The format is specified in docs/trace-format.md.\n"
	     "\n"
	     "examples:\n"
	     "  capisim trace dump run.cxt | less\n"
	     "  capisim trace dump --kind afu --ctx 2 --from 10us --to 20us run.cxt");
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
			fprintf(stderr, "capisim trace dump: unknown or incomplete option "
				"'%s'; see 'capisim trace --help'\n", argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "capisim trace dump: expected one trace FILE; "
			"see 'capisim trace --help'\n");
		return EXIT_USAGE;
	}
	if (f.t_min > f.t_max) {
		fprintf(stderr, "capisim trace dump: --from is after --to\n");
		return EXIT_USAGE;
	}
	return trace_dump(argv[optind], stdout, &f) ? EXIT_FAILED : EXIT_OK;
}

int cmd_trace(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "capisim trace: expected a subcommand: dump; "
			"see 'capisim trace --help'\n");
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "dump"))
		return trace_dump_main(argc - 1, argv + 1);
	fprintf(stderr, "capisim trace: '%s' is not a trace subcommand (dump); "
		"see 'capisim trace --help'\n", argv[1]);
	return EXIT_USAGE;
}
