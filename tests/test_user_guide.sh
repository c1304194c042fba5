#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# docs/user-guide.md cannot rot: every fenced sh block that follows a
# "<!-- test -->" line is run, as written, with `sh -e` (any failing
# command fails the block), in order, from one scratch directory in which
# `build` is this build tree and `examples` and `rtl_models` are the
# source tree's, with the build tree (and $CAPISIM's directory, first) on
# PATH, as the guide's first block sets it.  Under SAN=1, `cc` adds the
# sanitizer flags the instrumented libcxl needs.  Each block is one
# check; ends with "N passed, N failed".

BUILD=${BUILD:-build}
CAPISIM=${CAPISIM:-$BUILD/capisim}
GUIDE=docs/user-guide.md
top=$(pwd)
build=$(cd "$BUILD" && pwd)
case "$CAPISIM" in /*) ;; *) CAPISIM=$top/$CAPISIM ;; esac
. "$(dirname "$0")/lib.sh"

if ! "$CAPISIM" run --help >/dev/null 2>&1; then
	skip run "$CAPISIM has no 'run' command yet"
	finish
fi

# Split the tested blocks into $tmp/blocks/LINE.sh, LINE the block's first line.
mkdir "$tmp/blocks" "$tmp/work"
awk -v dir="$tmp/blocks" '
	/^<!-- test -->$/ { armed = 1; next }
	armed && /^```sh$/ { out = sprintf("%s/%05d.sh", dir, NR + 1); armed = 0; next }
	out && /^```$/ { close(out); out = ""; next }
	out { print > out; next }
	{ armed = 0 }
' "$GUIDE"
if [ -z "$(ls "$tmp/blocks")" ]; then
	bad blocks "no tested block in $GUIDE"
	finish
fi

cd "$tmp/work" || exit 1
ln -s "$build" build
ln -s "$top/examples" examples
ln -s "$top/rtl_models" rtl_models
PATH="$(cd "$(dirname "$CAPISIM")" && pwd):$build:$PATH"
export PATH
# Verilator's runtime as the build compiled it, not a fresh one in ~/.cache.
[ -d "$build/afu-cache" ] && export CAPISIM_CACHE_DIR="$build/afu-cache"
prelude=
if nm -D build/lib/libcxl.so.1 | grep -q ' U __asan_'; then
	prelude='cc() { command cc -fsanitize=address,undefined "$@"; }'
fi

for block in "$tmp"/blocks/*.sh; do
	line=$(basename "$block" .sh | sed 's/^0*//')
	if { echo "$prelude"; cat "$block"; } | timeout 600 sh -ex >"$tmp/out" 2>&1; then
		ok
	else
		bad "line_$line" "the block at $GUIDE:$line failed"
	fi
done

finish
