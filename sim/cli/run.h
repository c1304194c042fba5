/* SPDX-License-Identifier: GPL-2.0 */
/*
 * capisim run and capisim replay (run.c, replay.c): a host program or a
 * built-in workload on the simulated machine inside libcxl, and the
 * re-run of a recorded workload compared with its trace.
 */
#ifndef CAPISIM_CLI_RUN_H
#define CAPISIM_CLI_RUN_H

#include <stddef.h>

int cmd_run(int argc, char **argv);
void cmd_run_help(void);
int cmd_replay(int argc, char **argv);
void cmd_replay_help(void);

/*
 * The keys of a trace's [run] section that configure the machine, with
 * the CAPISIM_* variable each stands for; replay sets exactly these.
 * Values are in capisim run's vocabulary (time = virtual|wall).
 */
struct run_key {
	const char *key;
	const char *env;
	const char *opt;	/* capisim run's option, NULL: the variable only */
};

extern const struct run_key run_keys[];
extern const unsigned int run_nr_keys;

/* @name under the directory of the running capisim executable, in @buf; 0 or -errno. */
int run_exe_path(const char *name, char *buf, size_t len);

#endif
