// SPDX-License-Identifier: GPL-2.0
/*
 * capisim: dispatch to a subcommand.  Every subcommand answers -h/--help
 * with a page that teaches its use; unknown words get a usage error
 * naming the word and pointing at "capisim help".
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/run.h"

const struct cli_cmd cli_cmds[] = {
	{ "run", "run a host program or a built-in workload on the simulated machine",
	  cmd_run, cmd_run_help },
	{ "replay", "run a recorded workload again and compare it with its trace",
	  cmd_replay, cmd_replay_help },
	{ "help", "show the commands, or one command's manual", cmd_help, cmd_help_help },
	{ "version", "print the version, build and the tools it was built with",
	  cmd_version, cmd_version_help },
	{ "afu", "build an AFU plug-in from Verilog/SystemVerilog (Verilator)",
	  cmd_afu, cmd_afu_help },
	{ "trace", "read trace files: dump, stats, perfetto, fst, diff",
	  cmd_trace, cmd_trace_help },
};

const unsigned int cli_nr_cmds = sizeof(cli_cmds) / sizeof(cli_cmds[0]);

const struct cli_cmd *cli_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < cli_nr_cmds; i++)
		if (!strcmp(cli_cmds[i].name, name))
			return &cli_cmds[i];
	return NULL;
}

int cli_wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	const struct cli_cmd *cmd;

	if (argc < 2)
		return cmd_help(1, argv);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return cmd_help(1, argv);
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version"))
		return cmd_version(1, argv);

	cmd = cli_find(argv[1]);
	if (!cmd) {
		fprintf(stderr, "capisim: '%s' is not a capisim command; "
			"'capisim help' lists them\n", argv[1]);
		return EXIT_USAGE;
	}
	if (cli_wants_help(argc - 1, argv + 1)) {
		cmd->help();
		return EXIT_OK;
	}
	return cmd->run(argc - 1, argv + 1);
}
