// SPDX-License-Identifier: GPL-2.0
/*
 * capisim afu SUBCOMMAND: tools for AFUs.  Today: build, which turns a
 * directory of Verilog/SystemVerilog whose top is the standard CAPI 1.0
 * `module afu` into a plug-in with Verilator.  The command line is
 * checked here; the build itself (verilator, g++, the cache) is the shell
 * script rtl_models/bridge/afu-build.sh, which this runs.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"

#ifndef CAPISIM_SRCDIR
#error "mk/rtl.mk defines CAPISIM_SRCDIR: the source tree holding rtl_models/bridge"
#endif

#define AFU_BUILD_SCRIPT "afu-build.sh"

void cmd_afu_help(void)
{
	puts("usage: capisim afu build [OPTIONS] DIR\n"
	     "\n"
	     "Turn an AFU written in Verilog or SystemVerilog into a capisim plug-in\n"
	     "(a shared object exporting capisim_afu_ops) with Verilator.  DIR holds\n"
	     "the sources; its top module must have the standard CAPI 1.0 `module afu`\n"
	     "port list (ha_jval ... ha_rcachepos, [0:n] numbering, ha_pclock as the\n"
	     "clock), the one that PSLSE's top.v instantiates.  No glue code is needed:\n"
	     "the same bridge maps every AFU's ports to capisim's PSL-AFU signals.\n"
	     "\n"
	     "Sources: DIR/files.f when it exists (a Verilator -F list: file names,\n"
	     "+incdir+, +define+, relative to DIR); otherwise every .sv and .v file\n"
	     "under DIR, with files that declare a package put before the files that\n"
	     "use them.  Each directory with sources is on the `include path.\n"
	     "\n"
	     "options:\n"
	     "  -o FILE           write the plug-in to FILE (default ./NAME.so)\n"
	     "  --top NAME        the top module (default afu)\n"
	     "  --name NAME       the plug-in's AFU name (default: DIR's last component)\n"
	     "  --vflags 'FLAGS'  more verilator options, split at blanks, e.g.\n"
	     "                    --vflags '-DFAST_PATH -GDEPTH=8 -Wall'\n"
	     "  --trace           compile in FST tracing of the top's ports; a run then\n"
	     "                    writes a waveform when the AFU gets the option\n"
	     "                    trace=FILE.fst\n"
	     "  --trace-all       the same, with every internal signal too\n"
	     "  --cache DIR       the build cache (default $CAPISIM_CACHE_DIR, else\n"
	     "                    ~/.cache/capisim)\n"
	     "  --force           rebuild even when nothing changed\n"
	     "  -v, --verbose     show every command run\n"
	     "\n"
	     "Verilator's warnings are shown and never stop the build (-Wno-fatal;\n"
	     "LITENDIAN is off, since [0:n] is the standard numbering); its errors\n"
	     "name the file and line and the build fails with exit status 1.  A top\n"
	     "whose ports differ from the standard list is refused with the\n"
	     "differences.  Verilator's runtime is compiled once per cache; an AFU is\n"
	     "rebuilt only when a file Verilator read, the file list or an option\n"
	     "changes (a rebuild takes a few seconds).  $display output goes to\n"
	     "capisim's log as \"afu INSTANCE: text\".\n"
	     "\n"
	     "Environment: VERILATOR and CXX name the tools; CAPISIM_AFU_CXXFLAGS\n"
	     "replaces -O2; CAPISIM_BRIDGE_DIR points to another rtl_models/bridge.\n"
	     "Manual: docs/afu-guide.md, \"Bringing your own Verilog AFU\".\n"
	     "\n"
	     "examples:\n"
	     "  capisim afu build rtl_models/memcpy -o build/afu/memcpy-rtl.so\n"
	     "  capisim afu build ~/my_afu --top my_afu_top --trace -o my_afu.so\n"
	     "  capisim afu build ~/my_afu --vflags '-DSIM -Wall'");
}

/* Run the build script with @argv (NULL-terminated); its exit status. */
static int run_script(char **argv)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "capisim afu build: fork: %s\n", strerror(errno));
		return EXIT_FAILED;
	}
	if (!pid) {
		execvp(argv[0], argv);
		fprintf(stderr, "capisim afu build: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(EXIT_FAILED);
	}
	if (waitpid(pid, &status, 0) < 0) {
		fprintf(stderr, "capisim afu build: waitpid: %s\n", strerror(errno));
		return EXIT_FAILED;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	fprintf(stderr, "capisim afu build: the build was killed by signal %d\n",
		WTERMSIG(status));
	return EXIT_FAILED;
}

static int afu_build_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "top", required_argument, NULL, 't' },
		{ "name", required_argument, NULL, 'n' },
		{ "vflags", required_argument, NULL, 'f' },
		{ "cache", required_argument, NULL, 'c' },
		{ "trace", no_argument, NULL, 'T' },
		{ "trace-all", no_argument, NULL, 'A' },
		{ "force", no_argument, NULL, 'F' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	/* bash SCRIPT, up to two words per option, DIR, NULL */
	char **sargv = calloc(2 * argc + 4, sizeof(*sargv));
	const char *bridge = getenv("CAPISIM_BRIDGE_DIR");
	char script[4096];
	struct stat st;
	int n = 0, c, rc;

	if (!sargv)
		return EXIT_FAILED;
	if (!bridge || !bridge[0])
		bridge = CAPISIM_SRCDIR "/rtl_models/bridge";
	snprintf(script, sizeof(script), "%s/" AFU_BUILD_SCRIPT, bridge);
	sargv[n++] = "bash";
	sargv[n++] = script;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:v", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
		case 't':
		case 'n':
		case 'f':
		case 'c':
			sargv[n++] = c == 'o' ? "-o" : c == 't' ? "--top" : c == 'n' ? "--name" :
				     c == 'f' ? "--vflags" : "--cache";
			sargv[n++] = optarg;
			break;
		case 'T':
			sargv[n++] = "--trace";
			break;
		case 'A':
			sargv[n++] = "--trace-all";
			break;
		case 'F':
			sargv[n++] = "--force";
			break;
		case 'v':
			sargv[n++] = "-v";
			break;
		default:
			fprintf(stderr, "capisim afu build: unknown or incomplete option '%s'; "
				"see 'capisim afu --help'\n", argv[optind - 1]);
			free(sargv);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "capisim afu build: expected one AFU directory; "
			"see 'capisim afu --help'\n");
		free(sargv);
		return EXIT_USAGE;
	}
	if (stat(argv[optind], &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "capisim afu build: %s: not a directory\n", argv[optind]);
		free(sargv);
		return EXIT_FAILED;
	}
	if (access(script, R_OK)) {
		fprintf(stderr, "capisim afu build: cannot read %s; set CAPISIM_BRIDGE_DIR "
			"to the rtl_models/bridge directory of a capisim tree\n", script);
		free(sargv);
		return EXIT_FAILED;
	}
	sargv[n++] = argv[optind];
	rc = run_script(sargv);
	free(sargv);
	return rc;
}

int cmd_afu(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "capisim afu: expected a subcommand: build; "
			"see 'capisim afu --help'\n");
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "build"))
		return afu_build_main(argc - 1, argv + 1);
	fprintf(stderr, "capisim afu: '%s' is not an afu subcommand (build); "
		"see 'capisim afu --help'\n", argv[1]);
	return EXIT_USAGE;
}
