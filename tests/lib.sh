# SPDX-License-Identifier: GPL-2.0
#
# The frame every shell test shares; a test sources it first thing:
#   . "$(dirname "$0")/lib.sh"
# It gives the test $TEST (its file name without test_ and .sh, the
# prefix of its FAIL and SKIP lines), a scratch directory $tmp removed at
# exit, the counters pass, fail and skip, and:
#   ok [MSG]                  count a check passed (MSG, if any, shown as "ok: MSG");
#   bad NAME MSG              count one failed, showing the tail of $tmp/out, where
#                             the checks leave the output of what they ran;
#   skip NAME WHY [N]         count N (default 1) checks skipped, saying why;
#   expect NAME RC PATTERN CMD...
#                             CMD exits RC and its output, in $tmp/out, has the
#                             grep PATTERN (any output when PATTERN is empty);
#   has NAME FILE PATTERN     FILE has a line matching PATTERN (grep -E, binary as text);
#   finish                    the line "N passed, N failed[, N skipped]" that
#                             tests/run-tests.sh adds up, then exit, 1 if any failed.

TEST=$(basename "$0" .sh)
TEST=${TEST#test_}
pass=0
fail=0
skip=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capisim-$TEST-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

ok() {
	pass=$((pass + 1))
	[ $# = 0 ] || echo "ok: $*"
}

bad() {
	echo "FAIL $TEST.$1: $2"
	[ -f "$tmp/out" ] && sed 's/^/  | /' "$tmp/out" | tail -n 30
	fail=$((fail + 1))
}

skip() {
	echo "SKIP $TEST.$1: $2"
	skip=$((skip + ${3:-1}))
}

expect() {
	e_name=$1 e_rc=$2 e_pattern=$3
	shift 3
	"$@" >"$tmp/out" 2>&1
	e_got=$?
	if [ "$e_got" != "$e_rc" ]; then
		bad "$e_name" "exit $e_got, expected $e_rc"
		return 1
	fi
	if [ -n "$e_pattern" ] && ! grep -q -- "$e_pattern" "$tmp/out"; then
		bad "$e_name" "output lacks '$e_pattern'"
		return 1
	fi
	ok
}

has() {
	if grep -Eaq "$3" "$2"; then ok; else bad "$1" "no line '$3' in $(basename "$2")"; fi
}

finish() {
	if [ "$skip" != 0 ]; then
		echo "$pass passed, $fail failed, $skip skipped"
	else
		echo "$pass passed, $fail failed"
	fi
	[ "$fail" = 0 ]
	exit
}
