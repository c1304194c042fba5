// SPDX-License-Identifier: GPL-2.0
/* capisim version: what this binary is, for bug reports and trace headers. */
#include <stdio.h>
#include <zlib.h>

#include "cli/cli.h"

#ifndef CAPISIM_VERSION
#define CAPISIM_VERSION "unknown"
#endif
#ifndef CAPISIM_GIT_REV
#define CAPISIM_GIT_REV "unknown"
#endif

void cmd_version_help(void)
{
	puts("usage: capisim version\n"
	     "\n"
	     "Print capisim's version, the git revision it was built from, the\n"
	     "compiler, and the zlib it uses.  Traces record the same line, so a\n"
	     "trace can be matched with the build that wrote it.");
}

int cmd_version(int argc, char **argv)
{
	if (argc > 1) {
		fprintf(stderr, "capisim version: takes no arguments ('%s')\n", argv[1]);
		return EXIT_USAGE;
	}
	printf("capisim %s (git %s)\n", CAPISIM_VERSION, CAPISIM_GIT_REV);
	printf("compiler: %s\n", __VERSION__);
	printf("zlib: %s\n", zlibVersion());
	return EXIT_OK;
}
