#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The capisim command line: help, version, exit codes.  $CAPISIM names the
# binary under test.  Ends with "N passed, N failed" like every test.

CAPISIM=${CAPISIM:-build/capisim}
. "$(dirname "$0")/lib.sh"

expect no_args 0 "usage: capisim COMMAND" "$CAPISIM"
expect help_lists_version 0 "version " "$CAPISIM" help
expect help_flag 0 "usage: capisim COMMAND" "$CAPISIM" --help
expect help_one 0 "usage: capisim version" "$CAPISIM" help version
expect help_unknown 2 "'nope' is not a capisim command" "$CAPISIM" help nope
expect unknown_cmd 2 "'frobnicate' is not a capisim command" "$CAPISIM" frobnicate
expect version 0 "^capisim [0-9][0-9.]* (git " "$CAPISIM" version
expect version_help 0 "usage: capisim version" "$CAPISIM" version --help
expect version_extra 2 "takes no arguments" "$CAPISIM" version extra

expect trace_no_sub 2 "expected a subcommand" "$CAPISIM" trace
expect trace_bad_sub 2 "'frob' is not a trace subcommand" "$CAPISIM" trace frob
expect trace_help 0 "usage: capisim trace dump" "$CAPISIM" trace --help
expect trace_bad_time 2 "expected a time with a unit" "$CAPISIM" trace dump --from 3parsecs x.cxt
expect trace_bad_ctx 2 "expected a context number" "$CAPISIM" trace dump --ctx -1 x.cxt
expect trace_no_file 2 "expected one trace FILE" "$CAPISIM" trace dump
expect trace_missing 1 "nonexistent.cxt: cannot open" "$CAPISIM" trace dump /nonexistent.cxt

finish
