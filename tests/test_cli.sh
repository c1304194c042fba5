#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The capisim command line: help, version, exit codes.  $CAPISIM names the
# binary under test.  Ends with "N passed, N failed" like every test.

CAPISIM=${CAPISIM:-build/capisim}
pass=0
fail=0

check() {
	name=$1 want_rc=$2 pattern=$3
	shift 3
	out=$("$CAPISIM" "$@" 2>&1)
	rc=$?
	if [ "$rc" != "$want_rc" ]; then
		echo "FAIL cli.$name: exit $rc, expected $want_rc"
		echo "$out" | sed 's/^/  | /'
		fail=$((fail + 1))
		return
	fi
	if ! printf '%s\n' "$out" | grep -q -- "$pattern"; then
		echo "FAIL cli.$name: output lacks '$pattern'"
		echo "$out" | sed 's/^/  | /'
		fail=$((fail + 1))
		return
	fi
	pass=$((pass + 1))
}

check no_args 0 "usage: capisim COMMAND"
check help_lists_version 0 "version " help
check help_flag 0 "usage: capisim COMMAND" --help
check help_one 0 "usage: capisim version" help version
check help_unknown 2 "'nope' is not a capisim command" help nope
check unknown_cmd 2 "'frobnicate' is not a capisim command" frobnicate
check version 0 "^capisim [0-9][0-9.]* (git " version
check version_help 0 "usage: capisim version" version --help
check version_extra 2 "takes no arguments" version extra

check trace_no_sub 2 "expected a subcommand" trace
check trace_bad_sub 2 "'frob' is not a trace subcommand" trace frob
check trace_help 0 "usage: capisim trace dump" trace --help
check trace_bad_time 2 "expected a time with a unit" trace dump --from 3parsecs x.cxt
check trace_bad_ctx 2 "expected a context number" trace dump --ctx -1 x.cxt
check trace_no_file 2 "expected one trace FILE" trace dump
check trace_missing 1 "nonexistent.cxt: cannot open" trace dump /nonexistent.cxt

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
