/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The capisim command line: one program, one file per subcommand.
 * Exit status: 0 ok, 1 the run or check failed, 2 usage error.
 */
#ifndef CAPISIM_CLI_H
#define CAPISIM_CLI_H

#define EXIT_OK 0
#define EXIT_FAILED 1
#define EXIT_USAGE 2

struct cli_cmd {
	const char *name;
	const char *summary;		/* one line, for "capisim help" */
	int (*run)(int argc, char **argv);	/* argv[0] is the subcommand */
	void (*help)(void);		/* full help: what, options, examples */
};

extern const struct cli_cmd cli_cmds[];
extern const unsigned int cli_nr_cmds;

const struct cli_cmd *cli_find(const char *name);
/* True if argv[1..] asks for help (-h or --help). */
int cli_wants_help(int argc, char **argv);

int cmd_help(int argc, char **argv);
void cmd_help_help(void);
int cmd_version(int argc, char **argv);
void cmd_version_help(void);
int cmd_afu(int argc, char **argv);
void cmd_afu_help(void);
int cmd_trace(int argc, char **argv);
void cmd_trace_help(void);

#endif
