#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run each benchmark binary given, with the arguments after "--", and show
# its output, which holds its "bench NAME: VALUE UNIT" lines.  Exit 1 if
# any benchmark failed or printed no such line.

bins=
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
	bins="$bins $1"
	shift
done
[ "$1" = "--" ] && shift

out=$(mktemp)
trap 'rm -f "$out"' EXIT
failed=0

for b in $bins; do
	echo "== $b $*"
	"$b" "$@" >"$out" 2>&1
	rc=$?
	cat "$out"
	line=$(grep '^bench [^:]*: ' "$out" | tail -n 1)
	if [ "$rc" != 0 ] || [ -z "$line" ]; then
		echo "run-bench: $b failed (exit $rc, no summary line or an error)"
		failed=1
	fi
done
exit $failed
