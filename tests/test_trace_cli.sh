#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# capisim trace stats|perfetto|fst|diff from the command line, on the
# traces $BUILD/tests/trace_fixture writes (tests/trace_fixtures.c: a run
# of two contexts with known latencies, and variants with one planted
# difference each).  JSON is checked with python3's json module and FST
# with GTKWave's fst2vcd; without them those checks are skipped.  Ends
# with "N passed, N failed" like every test.

CAPISIM=${CAPISIM:-build/capisim}
BUILD=${BUILD:-build}
FIXTURE=$BUILD/tests/trace_fixture
. "$(dirname "$0")/lib.sh"

# pyjson NAME FILE EXPR: python3 says EXPR (over the parsed FILE as d) is true.
pyjson() {
	if ! command -v python3 >/dev/null 2>&1; then
		skip "$1" "no python3"
		return
	fi
	if python3 -c "import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if ($3) else 1)" "$2"; then
		ok
	else
		bad "$1" "python3: not ($3)"
	fi
}

if ! "$FIXTURE" "$tmp" >"$tmp/planted"; then
	bad fixtures "$FIXTURE could not write the traces"
	finish
fi
planted() { awk -v f="$1.cxt" '$1 == f { print $3 }' "$tmp/planted"; }
B=$tmp/base.cxt

# ---- Help and usage ----
expect help 0 "capisim trace fst \[-o OUT.fst\] \[--vcd\] FILE.cxt" "$CAPISIM" trace --help
expect help_sub 0 "capisim trace diff \[--events-only\]" "$CAPISIM" trace stats --help
expect no_sub 2 "dump, stats, perfetto, fst or diff" "$CAPISIM" trace
expect bad_sub 2 "'frob' is not a trace subcommand" "$CAPISIM" trace frob
expect stats_no_file 2 "expected one trace FILE" "$CAPISIM" trace stats
expect stats_bad_opt 2 "unknown or incomplete option '--bogus'" "$CAPISIM" trace stats --bogus "$B"
expect perfetto_two_files 2 "expected one trace FILE" "$CAPISIM" trace perfetto "$B" "$B"
expect fst_no_arg 2 "unknown or incomplete option '-o'" "$CAPISIM" trace fst "$B" -o
expect diff_one_file 2 "expected two trace files A and B" "$CAPISIM" trace diff "$B"

# ---- stats ----
expect stats_table 0 "command  read_cl_s .* 3   100.000 ns   200.000 ns   200.000 ns   300.000 ns   300.000 ns  DONE 3" \
	"$CAPISIM" trace stats "$B"
expect stats_fault 0 "fault    TFC R .* 1     3.000 us" "$CAPISIM" trace stats --brief "$B"
expect stats_hist 0 "command read_cl_s (3)" "$CAPISIM" trace stats "$B"
out=$("$CAPISIM" trace stats --brief "$B")
if printf '%s\n' "$out" | grep -q "command read_cl_s (3)"; then
	bad stats_brief "--brief printed histograms"
else
	ok
fi
"$CAPISIM" trace stats --json "$B" >"$tmp/stats.json" || bad stats_json "exit $?"
pyjson stats_json "$tmp/stats.json" \
	"[(l['count'], l['p50_ps'], l['p99_ps']) for l in d['latency'] if l['key'] == 'read_cl_s'] == [(3, 200000, 300000)]"
pyjson stats_json_counts "$tmp/stats.json" \
	"{(c['source'], c['kind']): c['count'] for c in d['counts']}[('card0', 'psl.cmd')] == 7"
pyjson stats_json_pairing "$tmp/stats.json" "d['pairing']['command']['dup_start'] == 1"

# ---- perfetto ----
expect perfetto 0 "wrote $tmp/p.json" "$CAPISIM" trace perfetto -o "$tmp/p.json" "$B"
pyjson perfetto_json "$tmp/p.json" "len(d['traceEvents']) > 50"
pyjson perfetto_ctx_tracks "$tmp/p.json" \
	"{'ctx 1', 'ctx 2', 'ctx 1 commands', 'ctx 2 commands', 'AFU slice 0'} <= {e['args']['name'] for e in d['traceEvents'] if e['name'] == 'thread_name'}"
pyjson perfetto_span "$tmp/p.json" \
	"[(e['ts'], e['dur']) for e in d['traceEvents'] if e['ph'] == 'X' and e['name'] == 'TFC R'] == [(40.0, 3.0)]"
"$CAPISIM" trace perfetto -o - "$B" >"$tmp/stdout.json" || bad perfetto_stdout "exit $?"
pyjson perfetto_stdout "$tmp/stdout.json" "d['otherData']['seed.master'] == '0x2a'"
expect perfetto_default_name 0 "wrote $tmp/base.json" "$CAPISIM" trace perfetto "$B"
if [ -s "$tmp/base.json" ]; then ok; else bad perfetto_default_name "no $tmp/base.json"; fi

# ---- fst ----
expect fst 0 "wrote $tmp/w.fst" "$CAPISIM" trace fst -o "$tmp/w.fst" "$B"
if command -v fst2vcd >/dev/null 2>&1; then
	if fst2vcd "$tmp/w.fst" >"$tmp/w.vcd" 2>"$tmp/fst2vcd.err"; then
		ok
	else
		bad fst2vcd "fst2vcd failed: $(cat "$tmp/fst2vcd.err")"
	fi
	for v in "wire 1 . ah_cvalid" "wire 8 . ah_ctag" "wire 13 . ah_com" "wire 1 . ha_rvalid" \
		 "wire 512 . ha_bwdata" "string 0 . afu" "string 0 . spa" "string 0 . fault" \
		 "wire 16 . cmds_in_flight"; do
		if grep -q "\$var $v \$end" "$tmp/w.vcd"; then ok; else bad fst_vars "no '$v'"; fi
	done
	# ah_cvalid rises at 30 us with ah_ctag 0 and falls four cycles later.
	id=$(sed -n 's/^\$var wire 1 \(.*\) ah_cvalid \$end$/\1/p' "$tmp/w.vcd")
	at30=$(awk -v id="$id" '/^#/ { t = substr($0, 2) } t == 30000000 && $0 == "1" id { print "up" }' "$tmp/w.vcd")
	at30016=$(awk -v id="$id" '/^#/ { t = substr($0, 2) } t == 30016000 && $0 == "0" id { print "down" }' "$tmp/w.vcd")
	if [ "$at30" = up ] && [ "$at30016" = down ]; then ok; else bad fst_values "ah_cvalid ($id): '$at30' '$at30016'"; fi
	for s in senabling senabled swait-afu spresented; do
		if grep -q "^$s " "$tmp/w.vcd"; then ok; else bad fst_states "no value $s"; fi
	done
else
	skip fst2vcd "no fst2vcd to read the FST back" 4
fi
expect vcd 0 "wrote $tmp/w2.vcd" "$CAPISIM" trace fst --vcd -o "$tmp/w2.vcd" "$B"
if head -1 "$tmp/w2.vcd" | grep -q '^\$version capisim'; then ok; else bad vcd "not a VCD"; fi
expect fst_default_name 0 "wrote $tmp/base.fst" "$CAPISIM" trace fst "$B"
expect fst_bad_out 1 "cannot create" "$CAPISIM" trace fst -o /nonexistent/dir/x.fst "$B"

# ---- diff ----
expect diff_same 0 "" "$CAPISIM" trace diff "$B" "$tmp/same.cxt"
if [ -z "$("$CAPISIM" trace diff "$B" "$tmp/same.cxt")" ]; then ok; else bad diff_same "printed something"; fi
expect diff_resp 1 "first difference: event $(planted resp), " \
	"$CAPISIM" trace diff "$B" "$tmp/resp.cxt"
expect diff_resp_b 1 "  B: .* psl.resp ctx=1 slice=0x0 tag=0x1 resp=0xa" \
	"$CAPISIM" trace diff "$B" "$tmp/resp.cxt"
expect diff_shift 1 "first difference: event $(planted shift), " \
	"$CAPISIM" trace diff "$B" "$tmp/shift.cxt"
expect diff_shift_kind 1 "differ in time only: B - A = +4.000 ns" \
	"$CAPISIM" trace diff "$B" "$tmp/shift.cxt"
expect diff_ignore_time 0 "" "$CAPISIM" trace diff --ignore-time "$B" "$tmp/shift.cxt"
expect diff_seed 1 "header: seed master: 0x2a in A, 0x2b in B" \
	"$CAPISIM" trace diff "$B" "$tmp/seed.cxt"
expect diff_events_only 0 "" "$CAPISIM" trace diff --events-only "$B" "$tmp/seed.cxt"
expect diff_extra 1 "first difference: event $(planted extra), " \
	"$CAPISIM" trace diff "$B" "$tmp/extra.cxt"
expect diff_extra_kinds 1 "psl.err  *1  *2" "$CAPISIM" trace diff "$B" "$tmp/extra.cxt"
expect diff_missing 2 "nonexistent.cxt: cannot open" "$CAPISIM" trace diff "$B" /nonexistent.cxt

# ---- Damaged input ----
head -c 300 "$B" >"$tmp/cut.cxt"
expect stats_damaged 1 "cut.cxt: .*truncated" "$CAPISIM" trace stats "$tmp/cut.cxt"
expect perfetto_damaged 1 "cut.cxt: " "$CAPISIM" trace perfetto -o "$tmp/cut.json" "$tmp/cut.cxt"
if [ ! -e "$tmp/cut.json" ]; then ok; else bad perfetto_damaged "left a partial $tmp/cut.json"; fi
expect fst_damaged 1 "cut.cxt: " "$CAPISIM" trace fst -o "$tmp/cut.fst" "$tmp/cut.cxt"

finish
