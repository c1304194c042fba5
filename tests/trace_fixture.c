// SPDX-License-Identifier: GPL-2.0
/*
 * trace_fixture DIR: write the trace tools' test run and its variants
 * (trace_fixtures.h) to DIR for tests/test_trace_cli.sh, and print where
 * each variant departs from the base run: "NAME.cxt EVENTS FIRST".
 */
#include <stdio.h>

#include "trace_fixtures.h"

static const struct {
	const char *name;
	enum fixture_variant variant;
} files[] = {
	{ "base", FIX_BASE }, { "same", FIX_BASE }, { "resp", FIX_RESP },
	{ "shift", FIX_SHIFT }, { "seed", FIX_SEED }, { "extra", FIX_EXTRA },
};

int main(int argc, char **argv)
{
	struct fixture_info info;
	char path[4096];
	unsigned int i;
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: trace_fixture DIR\n");
		return 2;
	}
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s/%s.cxt", argv[1], files[i].name);
		ret = fixture_write(path, files[i].variant, &info);
		if (ret) {
			fprintf(stderr, "trace_fixture: %s: error %d\n", path, ret);
			return 1;
		}
		printf("%s.cxt %llu %llu\n", files[i].name, (unsigned long long)info.nr_events,
		       (unsigned long long)info.planted);
	}
	return 0;
}
