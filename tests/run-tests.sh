#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run each test binary given, show its output, and end with one total line
# "N passed, N failed" (", N skipped" when any).  Exit 1 if any test failed
# or any binary did not end with its own summary line (a crash).  A test
# binary or script that runs longer than TEST_TIMEOUT seconds (default 900)
# is killed and counted as a failure, so a hang cannot stall the suite.

total_p=0
total_f=0
total_s=0
crashed=0
limit=${TEST_TIMEOUT:-900}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

for t in "$@"; do
	echo "== $t"
	case "$t" in
	*.sh) timeout -k 10 "$limit" bash "$t" >"$out" 2>&1 ;;
	*) timeout -k 10 "$limit" "$t" >"$out" 2>&1 ;;
	esac
	rc=$?
	cat "$out"
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		echo "run-tests: $t still ran after ${limit} s: killed, counted as 1 failure"
		total_f=$((total_f + 1))
		continue
	fi
	last=$(tail -n 1 "$out")
	p=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
	f=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
	s=$(echo "$last" | sed -n 's/.*, \([0-9]*\) skipped$/\1/p')
	if [ -z "$p" ]; then
		echo "run-tests: $t ended without a summary line (exit $rc): counted as 1 failure"
		crashed=$((crashed + 1))
		total_f=$((total_f + 1))
		continue
	fi
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "run-tests: $t exited $rc with no failed test: counted as 1 failure"
		total_f=$((total_f + 1))
	fi
	total_p=$((total_p + p))
	total_f=$((total_f + f))
	total_s=$((total_s + ${s:-0}))
done

if [ "$total_s" != 0 ]; then
	echo "$total_p passed, $total_f failed, $total_s skipped"
else
	echo "$total_p passed, $total_f failed"
fi
[ "$total_f" = 0 ]
