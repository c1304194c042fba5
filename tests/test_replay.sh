#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# capisim replay (docs/replay.md): every golden trace in traces/ replays
# identically; runs of 2 and 4 contexts (threads) replay identically; a
# one-value change to the timing makes the replay report
# the first divergence, at the first command whose latency includes the
# changed value, with exit 1; traces that cannot be replayed are refused
# with exit 2.  $CAPISIM and $BUILD name the build under test.  Ends with
# "N passed, N failed" (", N skipped" when any).
#
# A sanitizer build is another machine (its kernel allocations land
# elsewhere), so it cannot reproduce the goldens of a normal build: there
# each golden's stimulus is recorded afresh and that recording must replay
# identically, and the timing change is made against it.

CAPISIM=${CAPISIM:-build/capisim}
BUILD=${BUILD:-build}
. "$(dirname "$0")/lib.sh"

# capisim ARGS...: the command under test, quiet but for errors, bounded in time.
capisim() {
	CAPISIM_LOG=err timeout 300 "$CAPISIM" "$@"
}

san=
if nm -D "$BUILD/lib/libcxl.so.1" 2>/dev/null | grep -q ' U __asan_'; then
	san=1
fi

# The goldens: each replays identically (under a sanitizer: its own recording of each).
n=0
for t in traces/*.cxt; do
	[ -f "$t" ] || continue
	n=$((n + 1))
	name=$(basename "$t" .cxt)
	if [ -n "$san" ]; then
		skip "golden.$name" "a sanitizer build replays its own recording"
		CAPISIM_LOG=err "$CAPISIM" replay --keep "$tmp/$name.cxt" "$t" >/dev/null 2>&1
		t=$tmp/$name.cxt
	fi
	expect "golden.$name" 0 "^capisim replay: identical: [1-9][0-9]* events" \
		capisim replay "$t"
done
if [ "$n" -lt 4 ]; then
	bad goldens "$n golden traces in traces/, expected 4 (make golden)"
fi

# Several threads, each a process: lockstep orders them, so a run repeats exactly.
for n in 2 4; do
	CAPISIM_LOG=err "$CAPISIM" run --summary /dev/null --trace "$tmp/ctx$n.cxt" --workload memcpy \
		--contexts $n --size 16K --jobs 2 >/dev/null 2>&1
	expect "contexts.$n" 0 "^capisim replay: identical: [1-9][0-9]* events" \
		capisim replay "$tmp/ctx$n.cxt"
done

# One value of the timing changed: the first read's response comes 4 ns later.
printf '[timing]\n# the default is 500 ns\ndma_read = 504 ns\n' >"$tmp/slow.timing"
golden=traces/memcpy-directed.cxt
[ -n "$san" ] && golden=$tmp/memcpy-directed.cxt
expect timing_change 1 "^capisim replay: the runs differ from event" \
	capisim replay --timing "$tmp/slow.timing" --keep "$tmp/slow.cxt" "$golden"
# The first difference is a psl.resp whose latency grew by exactly 4 ns (4000 ps) ...
a=$(sed -n 's/^  A: .* psl\.resp .* lat=\(0x[0-9a-f]*\).*/\1/p' "$tmp/out")
b=$(sed -n 's/^  B: .* psl\.resp .* lat=\(0x[0-9a-f]*\).*/\1/p' "$tmp/out")
if [ -n "$a" ] && [ -n "$b" ] && [ $((b - a)) = 4000 ]; then ok; else
	bad timing_change_event "the first difference is not a psl.resp 4 ns later (A $a, B $b)"
fi
# ... of the first read command in the recording, and the report shows both runs around it.
first=$(sed -n 's/^first difference: event \([0-9]*\),.*/\1/p' "$tmp/out")
want=$("$CAPISIM" trace dump "$golden" | grep -v '^#' |
	awk '/ psl\.cmd .*com=0xa00 / && !tag { tag = $0; sub(/.* tag=/, "", tag); sub(/ .*/, "", tag) }
	     tag && / psl\.resp / && index($0, " tag=" tag " ") { print NR - 1; exit }')
if [ -n "$first" ] && [ "$first" = "$want" ]; then ok; else
	bad timing_change_index "first difference at event '$first', expected '$want'"
fi
if grep -q '^  the same in both before it:' "$tmp/out" && grep -q '^  then in A:' "$tmp/out" &&
   grep -q '^  then in B:' "$tmp/out"; then ok; else
	bad timing_change_context "no events around the divergence"
fi
if [ -f "$tmp/slow.cxt" ]; then ok; else
	bad keep "--keep did not keep the new trace"
fi

# A trace of a host program names no workload: not replayable yet.
CAPISIM_LOG=err "$CAPISIM" run --summary /dev/null --trace "$tmp/prog.cxt" -- \
	"$BUILD/libexec/capisim-workload" memcpy --size 4K --jobs 1 >/dev/null 2>&1
expect program_trace 2 "replaying a host program without running it is not supported yet" \
	capisim replay "$tmp/prog.cxt"

# A trace capisim run did not make has no stimulus.
if "$BUILD/tests/trace_fixture" "$tmp" >/dev/null 2>&1; then
	expect not_from_run 2 "was not recorded by 'capisim run'" capisim replay "$tmp/base.cxt"
else
	bad not_from_run "$BUILD/tests/trace_fixture failed"
fi

expect no_file 2 "expected one trace file" capisim replay
expect missing 2 "cannot open" capisim replay "$tmp/nonexistent.cxt"
expect bad_option 2 "unknown or incomplete option '--frob'" capisim replay --frob "$golden"
expect help 0 "usage: capisim replay" capisim replay --help

finish
