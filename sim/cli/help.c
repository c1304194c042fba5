// SPDX-License-Identifier: GPL-2.0
/* capisim help [COMMAND] */
#include <stdio.h>

#include "cli/cli.h"

void cmd_help_help(void)
{
	puts("usage: capisim help [COMMAND]\n"
	     "\n"
	     "Without COMMAND, list every capisim command with one line on each.\n"
	     "With COMMAND, show that command's manual (the same as\n"
	     "'capisim COMMAND --help').\n"
	     "\n"
	     "examples:\n"
	     "  capisim help\n"
	     "  capisim help run");
}

static void list_commands(void)
{
	unsigned int i;

	puts("capisim: a cycle-aware simulator of IBM CAPI 1.0 hardware (POWER8 PSL8\n"
	     "and AFUs) that co-simulates with the real Linux cxl driver.\n"
	     "\n"
	     "usage: capisim COMMAND [OPTIONS] [ARGS]\n"
	     "\n"
	     "commands:");
	for (i = 0; i < cli_nr_cmds; i++)
		printf("  %-10s %s\n", cli_cmds[i].name, cli_cmds[i].summary);
	puts("\n"
	     "'capisim COMMAND --help' explains one command.  Exit status: 0 ok,\n"
	     "1 the run or check failed, 2 usage error.\n"
	     "\n"
	     "Not yet built: campaign, and replay of traces of host programs\n"
	     "(see docs/status.md).");
}

int cmd_help(int argc, char **argv)
{
	const struct cli_cmd *cmd;

	if (argc < 2) {
		list_commands();
		return EXIT_OK;
	}
	if (argc > 2) {
		fprintf(stderr, "capisim help: takes at most one COMMAND\n");
		return EXIT_USAGE;
	}
	cmd = cli_find(argv[1]);
	if (!cmd) {
		fprintf(stderr, "capisim help: '%s' is not a capisim command; "
			"'capisim help' lists them\n", argv[1]);
		return EXIT_USAGE;
	}
	cmd->help();
	return EXIT_OK;
}
