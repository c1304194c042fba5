#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The Verilator bridge end to end: "capisim afu build" on the minimal test
# AFU (tests/rtl/minimal_afu) and on variants of it made here (a syntax
# error, a lint warning, another top name, a files.f list, wrong ports),
# then the plug-ins it builds loaded and ticked by tests/test_rtl_afu.
# $CAPISIM and $BUILD name the build under test; the Verilator runtime
# is shared with make's in $BUILD/afu-cache.  Ends with "N passed, N failed".

CAPISIM=${CAPISIM:-build/capisim}
BUILD=${BUILD:-build}
CACHE=$BUILD/afu-cache
TEST_RTL=$BUILD/tests/test_rtl_afu
MINIMAL=tests/rtl/minimal_afu
. "$(dirname "$0")/lib.sh"
# The cache entries of the throw-away AFUs below are named rtltest-*.
trap 'rm -rf "$tmp" "$CACHE"/afu/rtltest-*' EXIT

# Until sim/cli/main.c lists "afu", build with the script the command runs.
if "$CAPISIM" afu --help >/dev/null 2>&1; then
	cli=1
else
	cli=0
	echo "note: '$CAPISIM afu' is not wired yet; using rtl_models/bridge/afu-build.sh"
fi

afu_build() {
	if [ "$cli" = 1 ]; then
		"$CAPISIM" afu build --cache "$CACHE" "$@"
	else
		bash rtl_models/bridge/afu-build.sh --cache "$CACHE" "$@"
	fi
}

# The test program's own total must say nothing failed.
expect_tests() {
	name=$1
	shift
	env "$@" "$TEST_RTL" >"$tmp/out" 2>&1
	last=$(tail -n 1 "$tmp/out")
	case $last in
	*" passed, 0 failed"*) ok ;;
	*) bad "$name" "test_rtl_afu: $last" ;;
	esac
}

# 1. The minimal AFU: its package file sorts after afu.sv, yet goes first.
expect build_minimal 0 "from 2 files" afu_build -v --trace -o "$tmp/min.so" "$MINIMAL"
order=$(sed -n 's/^capisim afu build: sources: //p' "$tmp/out")
case $order in
*minimal_pkg.sv*afu.sv*) ok ;;
*) bad package_first "sources in order: $order" ;;
esac
expect rebuild_is_noop 0 "up to date" afu_build -v --trace -o "$tmp/min.so" "$MINIMAL"

# 2. The plug-in works through the port, and its waveform reads back.
expect_tests minimal_plugin RTL_MINIMAL_SO="$tmp/min.so" RTL_TRACE="$tmp/min.fst"
if fst2vcd "$tmp/min.fst" >"$tmp/min.vcd" 2>"$tmp/out" &&
	grep -q 'ha_jval' "$tmp/min.vcd" && grep -q 'ah_jrunning' "$tmp/min.vcd" &&
	grep -q '^#4000$' "$tmp/min.vcd"; then
	ok
else
	bad fst_reads_back "fst2vcd did not read $tmp/min.fst with the port signals"
fi

# 3. --vflags reaches Verilator: a define changes the magic register; the
# same check fails against the default value.  No --trace: the option
# must then be refused.
magic=0123456789abcdef
expect vflags_build 0 "trace: none" \
	afu_build --name rtltest-vflags --vflags "-DMINIMAL_MAGIC=64'h$magic" \
	-o "$tmp/magic.so" "$MINIMAL"
expect_tests vflags_define RTL_MINIMAL_SO="$tmp/magic.so" RTL_MAGIC=$magic RTL_TRACE=none \
	RTL_NAME=rtltest-vflags
env RTL_MINIMAL_SO="$tmp/magic.so" RTL_TRACE=none "$TEST_RTL" -t magic >"$tmp/out" 2>&1
case $(tail -n 1 "$tmp/out") in
"0 passed, 1 failed") ok ;;
*) bad magic_check_can_fail "expected the default-magic check to fail" ;;
esac

# 4. A syntax error: exit 1, Verilator's message with file and line.
mkdir -p "$tmp/broken"
cp "$MINIMAL"/*.sv "$tmp/broken/"
line=$(grep -n '^endmodule' "$tmp/broken/afu.sv" | cut -d: -f1)
sed -i "${line}i\\  wire oops = ;" "$tmp/broken/afu.sv"
expect syntax_error 1 "broken/afu.sv:$line:" \
	afu_build --name rtltest-broken -o "$tmp/broken.so" "$tmp/broken"
[ ! -e "$tmp/broken.so" ] && ok || bad no_plugin_on_error "$tmp/broken.so was written"

# 5. A lint warning is shown and the build goes on.
mkdir -p "$tmp/warn"
cp "$MINIMAL"/*.sv "$tmp/warn/"
sed -i "${line}i\\  wire [0:3] narrow = 8'hff;" "$tmp/warn/afu.sv"
expect lint_warning_not_fatal 0 "%Warning-WIDTH" \
	afu_build --name rtltest-warn -o "$tmp/warn.so" "$tmp/warn"

# 6. Another top name, with --top; without it the build fails.
mkdir -p "$tmp/top"
cp "$MINIMAL"/*.sv "$tmp/top/"
sed -i 's/^module afu (/module my_top (/' "$tmp/top/afu.sv"
expect top_option 0 "top 'my_top'" \
	afu_build --name rtltest-top --top my_top -o "$tmp/top.so" "$tmp/top"
expect top_missing 1 "" afu_build --name rtltest-top -o "$tmp/top2.so" "$tmp/top"

# 7. files.f decides the sources: an unlisted broken file is not read.
mkdir -p "$tmp/flist/rtl"
cp "$MINIMAL"/*.sv "$tmp/flist/rtl/"
echo "module tb; this is not verilog" >"$tmp/flist/tb.sv"
printf 'rtl/minimal_pkg.sv\nrtl/afu.sv\n' >"$tmp/flist/files.f"
expect files_f 0 "files.f list" \
	afu_build --name rtltest-flist -o "$tmp/flist.so" "$tmp/flist"

# 8. A top without the standard ports is refused, with the differences.
mkdir -p "$tmp/ports"
printf 'module afu (input ha_pclock, input [0:3] ha_jcom, output ah_extra);\n' >"$tmp/ports/afu.v"
printf '  assign ah_extra = ha_jcom[0];\nendmodule\n' >>"$tmp/ports/afu.v"
expect ports_checked 1 "missing port ha_jval" \
	afu_build --name rtltest-ports -o "$tmp/ports.so" "$tmp/ports"
grep -q "ha_jcom has 4 bits, must have 8" "$tmp/out" && grep -q "extra port ah_extra" "$tmp/out" &&
	ok || bad ports_differences "width and extra port not both named"

# 9. The command line itself.
if [ "$cli" = 1 ]; then
	expect cli_help 0 "usage: capisim afu build" "$CAPISIM" afu --help
	expect cli_no_sub 2 "expected a subcommand" "$CAPISIM" afu
	expect cli_bad_sub 2 "'frob' is not an afu subcommand" "$CAPISIM" afu frob
	expect cli_no_dir 2 "expected one AFU directory" "$CAPISIM" afu build
	expect cli_bad_opt 2 "unknown or incomplete option" "$CAPISIM" afu build --bogus x
	expect cli_not_dir 1 "not a directory" "$CAPISIM" afu build /nonexistent
else
	skip cli "'$CAPISIM afu' is not wired yet" 6
fi

finish
