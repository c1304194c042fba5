#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make demo, interim: the end-to-end pieces capisim runs today, each
# checked; then what the full demo still lacks.  The full demo (capisim
# run: four processes on libcxl through the real driver, the RTL AFU in
# AFU-directed mode, traces) replaces this script.
# Usage: sh mk/demo.sh BUILD_DIR

B=${1:?usage: sh mk/demo.sh BUILD_DIR}
OUT=traces/out
CAPISIM=$B/capisim
failed=0

step() {
	printf '\n\033[1m== %s\033[0m\n' "$*"
}

# Run a test binary, show its result lines, count a failure.
check() {
	if ! BUILD=$B "$@" -v >"$OUT/step.log" 2>&1; then
		failed=$((failed + 1))
		tail -n 20 "$OUT/step.log"
		echo "demo: FAILED: $*"
		return
	fi
	grep -E '^(PASS|SKIP|[0-9]+ passed)' "$OUT/step.log" | sed 's/^/  /'
}

mkdir -p "$OUT"
"$CAPISIM" version

step "1. A CAPI host program written for IBM libcxl, run through the real cxl driver"
echo "   examples/memcpy_directed.c, built unchanged with -lcxl against this build tree: the"
echo "   unmodified Linux cxl driver (Debian linux-source-6.1) probes the simulated PSL8 card,"
echo "   attaches the program, its pages fault in through the driver's fault path, the memcpy"
echo "   AFU copies heap to heap and interrupts; a bad address comes back as a data-storage event:"
for ex in memcpy_directed memcpy_dedicated; do
	if LD_LIBRARY_PATH=$B/lib "$B/examples/$ex" >"$OUT/step.log" 2>&1; then
		sed 's/^/   | /' "$OUT/step.log"
	else
		failed=$((failed + 1))
		sed 's/^/   | /' "$OUT/step.log"
		echo "demo: FAILED: $ex"
	fi
done

step "2. The driver's probe, register by register"
echo "   module_init, PCI probe, VSEC, BARs, the adapter's register sequence checked against"
echo "   a golden list derived from the driver's source (tests/test_cosim_probe.c, no AFU attached):"
check "$B/tests/test_cosim_probe" -t golden

step "3. The C and the RTL (SystemVerilog via Verilator) memcpy AFUs on the PSL8 model"
echo "   real segment-table and HPT translation, faults presented in DSISR/DAR and served"
echo "   through PSL_TFC_An, a bad address answered AERROR; both AFUs must agree byte for byte,"
echo "   and the RTL run writes an FST (tests/test_afu_cosim.c):"
check "$B/tests/test_afu_cosim"

step "4. A timing trace of the streaming workload (memcpy through the PSL8 model) and its tools"
KEEP_TRACE=$OUT/demo.cxt "$B/bench/trace-overhead" N=20000 REPS=1 | grep -v '^bench '
"$CAPISIM" trace stats --brief "$OUT/demo.cxt" | sed -n '1,12p' | sed 's/^/   /'
"$CAPISIM" trace perfetto -o "$OUT/demo.json" "$OUT/demo.cxt" || failed=$((failed + 1))
"$CAPISIM" trace fst -o "$OUT/demo.fst" "$OUT/demo.cxt" || failed=$((failed + 1))
echo "   trace:    $OUT/demo.cxt   (capisim trace dump|stats|diff)"
echo "   Perfetto: $OUT/demo.json  (open in https://ui.perfetto.dev or chrome://tracing)"
echo "   GTKWave:  $OUT/demo.fst   (gtkwave $OUT/demo.fst)"

step "Not yet built (see docs/status.md)"
cat <<'EOM'
   - capisim run (the one command around step 1, with its summary), traces of libcxl runs
   - RTL and plug-in AFUs under libcxl (today: the built-in C memcpy)
   - replay of traces, the trace-driven AFU, fault-injection campaigns
EOM

rm -f "$OUT/step.log"
if [ "$failed" != 0 ]; then
	echo "demo: $failed step(s) failed"
	exit 1
fi
echo
echo "demo: every step ran and checked out"
