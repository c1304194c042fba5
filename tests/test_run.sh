#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# capisim run: usage errors, exit statuses, the summary printer (with a
# stand-in program that writes the machine's status file itself), then
# real runs of the built-in workloads and of a libcxl program through the
# real machine, whose summary must agree with 'capisim trace stats' of
# the same run's trace.  $CAPISIM and $BUILD name the build under test.
# Ends with "N passed, N failed".

CAPISIM=${CAPISIM:-build/capisim}
BUILD=${BUILD:-build}
. "$(dirname "$0")/lib.sh"

# capisim ARGS...: the command under test, quiet but for errors, bounded in time.
capisim() {
	CAPISIM_LOG=${CAPISIM_LOG:-err} timeout 300 "$CAPISIM" "$@"
}

# ---- Usage (exit 2) and runs that cannot start (exit 1) ----

expect no_program 2 "expected a PROGRAM to run" capisim run
expect unknown_option 2 "unknown or incomplete option '--frob'" capisim run --frob -- true
expect bad_mode 2 "--mode 'fast': expected directed or dedicated" capisim run --mode fast -- true
expect bad_time 2 "--time 'now': expected virtual or wall" capisim run --time now -- true
expect bad_seed 2 "--seed 'x': expected a number" capisim run --seed x -- true
expect bad_size 2 "--size '0': expected a byte count" capisim run --workload memcpy --size 0
expect bad_contexts 2 "--contexts '0': expected a number" capisim run --workload memcpy --contexts 0
expect bad_workload 2 "--workload 'frob': expected memcpy or traffic" capisim run --workload frob
expect both 2 "either --workload or a PROGRAM" capisim run --workload memcpy -- true
expect wl_opts_alone 2 "apply to --workload only" capisim run --size 4K -- true
expect help 0 "usage: capisim run" capisim run --help
expect not_found 1 "/nonexistent/prog: program not found" capisim run -- /nonexistent/prog
expect never_booted 1 "true never called libcxl" capisim run -- true
expect signal 1 "was killed by signal 11" capisim run -- sh -c 'kill -SEGV $$'
expect timing_missing 1 "--timing $tmp/none: No such file" capisim run --timing "$tmp/none" -- true
expect afu_missing 1 "--afu $tmp/none.so: No such file" capisim run --afu "$tmp/none.so" -- true
mkdir -p "$tmp/badafu"
echo 'module afu(input wire x; endmodule' >"$tmp/badafu/afu.sv"
expect afu_build_fails 1 "the AFU in $tmp/badafu did not build" \
	capisim run --afu "$tmp/badafu" --workload memcpy

# ---- The summary printer, fed by a stand-in for the machine ----

cat >"$tmp/fake" <<'EOS'
#!/bin/sh
{
	echo "capisim-status 1"
	echo "sim_time_ps 2000000000"
	echo "wall_ns 500000000"
	echo "processes 3"
	echo "contexts 4"
	echo "cmd.read_cl_na 1000"
	echo "cmd.write_na 999"
	echo "bytes_read 128000"
	echo "bytes_written 127872"
	echo "faults_segment 2"
	echo "faults_page 33"
	echo "faults_address_error 1"
	echo "interrupts_afu 5"
	echo "interrupts_psl_error 0"
	echo "interrupts_slice_error 0"
	echo "errors_afu 0"
	echo "driver_warnings ${FAKE_WARN:-0}"
	echo "driver_bugs 0"
	echo "lock_reports 0"
	echo "deadlock 0"
	echo "trace ${CAPISIM_TRACE:--}"
	echo "verdict ${FAKE_VERDICT:-ok}"
	[ -n "$FAKE_BROKEN" ] && echo "bogus"
} >"$CAPISIM_STATUS"
printf '%s\n' "$CAPISIM_RUN_INFO" >"$(dirname "$0")/run_info"
echo "lib: $LD_LIBRARY_PATH"
exit "${FAKE_EXIT:-0}"
EOS
chmod +x "$tmp/fake"
lib=$(cd "$(dirname "$CAPISIM")" && pwd)/lib
expect sum_contexts 0 "^  contexts          4 in 3 processes" capisim run -- "$tmp/fake"
expect sum_commands 0 "^  commands          1999: read_cl_na 1000, write_na 999" \
	capisim run -- "$tmp/fake"
expect sum_faults 0 "^  faults served     2 segment, 33 page, 1 address error" \
	capisim run -- "$tmp/fake"
expect sum_time 0 "^  simulated time    2.000 ms" capisim run -- "$tmp/fake"
expect sum_speed 0 "^  speed             4.000 ms simulated per wall second (250x slower" \
	capisim run -- "$tmp/fake"
expect sum_trace 0 "capisim trace perfetto $tmp/t.cxt          writes $tmp/t.json" \
	capisim run --trace "$tmp/t.cxt" -- "$tmp/fake"
expect lib_first 0 "^lib: $lib" capisim run -- "$tmp/fake"
FAKE_EXIT=3 expect exit_passed 3 "verdict           ok" capisim run -- "$tmp/fake"
FAKE_VERDICT=failed FAKE_WARN=2 expect verdict_failed 1 \
	"the run failed: 2 driver warnings" capisim run -- "$tmp/fake"
FAKE_BROKEN=1 expect status_malformed 1 "status is malformed at line 23" \
	capisim run -- "$tmp/fake"
expect summary_file 0 "^lib:" capisim run --summary "$tmp/sum" -- "$tmp/fake"
if grep -q "^  verdict           ok" "$tmp/sum" && ! grep -q "verdict" "$tmp/out"; then ok; else
	bad summary_file_content "the summary is not in --summary FILE alone"
fi
expect run_info 0 "" capisim run --seed 9 --time wall --afu memcpy-rtl -- "$tmp/fake" a b
if grep -q '^program = ".*/fake"$' "$tmp/run_info" && grep -q '^args = "a b"$' "$tmp/run_info" &&
   grep -q '^seed = "9"$' "$tmp/run_info" && grep -q '^time = "wall"$' "$tmp/run_info" &&
   grep -q '^afu = "memcpy-rtl"$' "$tmp/run_info"; then ok; else
	sed 's/^/  | /' "$tmp/run_info"
	bad run_info_content "CAPISIM_RUN_INFO lacks what was asked"
fi

# ---- Real runs through the machine ----

# summary_vs_stats NAME SUMMARY TRACE: the summary's commands by kind and its
# faults equal what 'capisim trace stats' finds in the trace of the same run.
summary_vs_stats() {
	# "name n" per command, from "commands  N: a 1, b 2," and its continuation lines.
	awk '/^  commands / { on = 1; sub(/^  commands +[0-9]+:?/, ""); print; next }
	     on && /^                    / { print; next } { on = 0 }' "$2" |
		tr ',' '\n' | sed 's/^ *//' | grep . | sort >"$tmp/sum_cmds"
	"$CAPISIM" trace stats --json "$3" >"$tmp/stats.json" || { bad "$1" "stats failed"; return; }
	python3 - "$tmp/stats.json" >"$tmp/stats_cmds" <<'EOP'
import json, sys
d = json.load(open(sys.argv[1]))
def n(op, keep):
    return sum(l["count"] + l["unfinished"] for l in d["latency"]
               if l["op"] == op and keep(l["key"]))
for l in d["latency"]:
    if l["op"] == "command":
        # The status file names an unknown opcode com_0x1234, stats "com 0x1234".
        print(l["key"].replace("com 0x", "com_0x"), l["count"] + l["unfinished"])
counts = {}
for c in d["counts"]:
    counts[c["kind"]] = counts.get(c["kind"], 0) + c["count"]
# Translation faults are the ones the driver answers through TFC (R, A, C or AE);
# PSL errors also show up as psl.fault, answered otherwise.
tfc = n("fault", lambda k: k.startswith("TFC "))
ae = n("fault", lambda k: k == "TFC AE")
irq = n("irq", lambda k: k == "afu")
print("FAULTS", tfc, ae)
print("CONTEXTS", counts.get("drv.cxl_attach", 0))
print("IRQ_AFU", irq)
EOP
	grep -v '^[A-Z_]* ' "$tmp/stats_cmds" | sort >"$tmp/stats_only_cmds"
	if [ -s "$tmp/sum_cmds" ] && cmp -s "$tmp/sum_cmds" "$tmp/stats_only_cmds"; then ok; else
		diff "$tmp/sum_cmds" "$tmp/stats_only_cmds" >"$tmp/out"
		bad "$1.commands" "commands by kind differ (< summary, > trace stats)"
	fi
	faults='s/^  faults served *\([0-9]*\) segment, \([0-9]*\) page, \([0-9]*\) .*/\1 \2 \3/p'
	set -- "$1" $(sed -n "$faults" "$2") \
		$(sed -n 's/^  contexts *\([0-9]*\) in.*/\1/p' "$2") \
		$(sed -n 's/^  interrupts *\([0-9]*\) AFU.*/\1/p' "$2")
	want="FAULTS $(($2 + $3)) $4
CONTEXTS $5
IRQ_AFU $6"
	if [ "$(grep '^[A-Z_]* ' "$tmp/stats_cmds")" = "$want" ]; then ok; else
		{ echo "summary:"; echo "$want"; echo "stats:"; grep '^[A-Z_]* ' "$tmp/stats_cmds"; } \
			>"$tmp/out"
		bad "$1.faults" "faults, contexts or AFU interrupts differ"
	fi
}

expect memcpy 0 "memcpy: 2 context(s), 65536 bytes each: PASSED" \
	capisim run --workload memcpy --contexts 2 --size 64K --jobs 3 --trace "$tmp/m.cxt" \
	--summary "$tmp/m.sum"
grep -q "^  verdict           ok" "$tmp/m.sum" && ok || bad memcpy_verdict "verdict not ok"
summary_vs_stats memcpy_stats "$tmp/m.sum" "$tmp/m.cxt"

expect dedicated 0 "memcpy: 1 context(s), 32768 bytes each: PASSED" \
	capisim run --workload memcpy --mode dedicated --size 32K --jobs 3 --summary "$tmp/d.sum"

expect traffic 0 "traffic: 2 job(s): PASSED" \
	capisim run --workload traffic --size 16K --jobs 2 --seed 3 --trace "$tmp/t.cxt" \
	--summary "$tmp/t.sum"
summary_vs_stats traffic_stats "$tmp/t.sum" "$tmp/t.cxt"

# A host program with a bad address: its address-error fault is in both.
ex=$BUILD/examples/memcpy_directed
if [ -x "$ex" ]; then
	CAPISIM_LOG=err "$CAPISIM" run --trace "$tmp/e.cxt" --summary "$tmp/e.sum" -- "$ex" \
		>"$tmp/out" 2>&1
	if grep -q "1 address error" "$tmp/e.sum"; then ok; else
		bad example_ae "no address error in the summary of $ex"
	fi
	summary_vs_stats example_stats "$tmp/e.sum" "$tmp/e.cxt"
fi

# A program whose read can never complete: the read fails with EDEADLK, the run with exit 1.
cat >"$tmp/stuck.c" <<'EOC'
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <libcxl.h>

int main(void)
{
	struct cxl_afu_h *afu = cxl_afu_open_dev("/dev/cxl/afu0.0s");
	struct cxl_event ev;

	if (!afu || cxl_afu_attach(afu, 0))
		return 2;
	if (!cxl_read_event(afu, &ev))
		return 3;
	printf("read: %s\n", strerror(errno));
	cxl_afu_free(afu);
	return 0;
}
EOC
# An instrumented libcxl.so.1 (SAN=1) needs the ASan runtime loaded first.
stuck_env=
if nm -D "$BUILD/lib/libcxl.so.1" | grep -q ' U __asan_'; then
	stuck_env="LD_PRELOAD=$(${CC:-cc} -print-file-name=libasan.so) ASAN_OPTIONS=detect_leaks=0"
fi
if ${CC:-cc} -std=gnu11 -I"$BUILD/include" -o "$tmp/stuck" "$tmp/stuck.c" -L"$BUILD/lib" -lcxl \
	>"$tmp/out" 2>&1; then
	expect deadlock 1 "driver .*, DEADLOCK$" env $stuck_env CAPISIM_LOG=err timeout 60 \
		"$CAPISIM" run -- "$tmp/stuck"
	if grep -q "^read: Resource deadlock avoided" "$tmp/out" &&
	   grep -q "^capisim: deadlock: the program's calls can never complete" "$tmp/out" &&
	   grep -q "waits on &ctx->wq (prepared at drivers/misc/cxl/file.c:" "$tmp/out"; then
		ok
	else
		bad deadlock_report "no EDEADLK, stderr line or wait of the reader in the output"
	fi
else
	bad deadlock_build "cannot build a libcxl program against $BUILD"
fi

if [ -f "$BUILD/afu/memcpy-rtl.so" ]; then
	expect rtl 0 "memcpy: 1 context(s), 16384 bytes each: PASSED" \
		capisim run --workload memcpy --afu memcpy-rtl --size 16K --jobs 1
fi

finish
