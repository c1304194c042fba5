#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make demo: the main job (issue 7).  One `capisim run`: the RTL memcpy
# AFU (SystemVerilog through Verilator) in AFU-directed mode, driven by
# the real Linux cxl driver; four processes (examples/processes.c, written
# against IBM's libcxl only) each copy buffers through the AFU, their
# pages faulting in through the driver's fault path, every job ended by
# an AFU interrupt and its data verified; process 2 hands the AFU an
# address it may not touch and gets its data-storage event.  The run's
# trace, its FST waveform and its Perfetto timeline go to traces/demo/.
# `capisim run` exits non-zero if the program failed or the machine saw
# a driver warning, a BUG, a lock report or a deadlock.
# Usage: sh mk/demo.sh BUILD_DIR

B=${1:?usage: sh mk/demo.sh BUILD_DIR}
CAPISIM=$B/capisim
OUT=traces/demo
PROGRAM="$B/examples/processes -p 4 -j 4 -s 256K -b 2"

step() {
	printf '\n\033[1m== %s\033[0m\n' "$*"
}

die() {
	echo "demo: FAILED: $*"
	exit 1
}

"$CAPISIM" run --help >/dev/null 2>&1 ||
	die "$CAPISIM has no 'run' command: build the tree first (make)"
mkdir -p "$OUT"
rm -f "$OUT/demo.cxt" "$OUT/demo.fst" "$OUT/demo.json" "$OUT/summary.txt"

step "capisim run --afu memcpy-rtl --mode directed --trace $OUT/demo.cxt -- $PROGRAM"
echo "   the RTL memcpy AFU in AFU-directed mode; four processes, four jobs each; process 2"
echo "   hands the AFU a bad address in its second job. The program's own output:"
echo
# shellcheck disable=SC2086 # PROGRAM is split into its words on purpose
"$CAPISIM" run --afu memcpy-rtl --mode directed --trace "$OUT/demo.cxt" \
	--summary "$OUT/summary.txt" -- $PROGRAM
rc=$?
step "The run's summary ($OUT/summary.txt)"
sed 's/^/   /' "$OUT/summary.txt" 2>/dev/null
[ "$rc" = 0 ] || die "capisim run exited $rc (the program failed, or the machine found a problem)"

step "The trace: statistics (capisim trace stats --brief $OUT/demo.cxt), first lines"
"$CAPISIM" trace stats --brief "$OUT/demo.cxt" >"$OUT/stats.txt" || die "trace stats"
sed -n '1,24p' "$OUT/stats.txt" | sed 's/^/   /'
"$CAPISIM" trace perfetto -o "$OUT/demo.json" "$OUT/demo.cxt" || die "trace perfetto"
"$CAPISIM" trace fst -o "$OUT/demo.fst" "$OUT/demo.cxt" || die "trace fst"

step "Where to look"
cat <<EOM
   trace:     $OUT/demo.cxt    capisim trace dump|stats|diff $OUT/demo.cxt
   timeline:  $OUT/demo.json   open it in https://ui.perfetto.dev (or chrome://tracing)
   waveform:  $OUT/demo.fst    gtkwave $OUT/demo.fst
   summary:   $OUT/summary.txt  statistics: $OUT/stats.txt
EOM
echo
echo "demo: data verified, the bad address reported, no driver warning or lock report"
