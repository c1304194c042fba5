#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The record of a run on the machine inside libcxl (docs/libcxl.md,
# "Trace and status"): examples/memcpy_directed with CAPISIM_TRACE,
# CAPISIM_STATUS and CAPISIM_RUN_INFO set.
#   - The trace's header names capisim's version, the driver, the seed,
#     the timing file with its text, and the configuration: the machine's
#     [libcxl] section followed by the [run] section verbatim.
#   - It holds the new event kinds: libcxl.<call>, drv.<tracepoint>,
#     drv.printk; verbose adds the buffer beats, default does not.
#   - The status file's numbers, from the model's and the shim's own
#     counters, equal what `capisim trace stats` finds in the trace:
#     commands by opcode, faults (segment + page = answered, address
#     errors = TFC AE), AFU interrupts, contexts.
#   - Two lockstep runs of the program, without address randomization
#     (setarch -R), give byte-identical traces; so do two runs of
#     examples/processes, four threads, each a process.
# Ends with "N passed, N failed".

BUILD=${BUILD:-build}
CAPISIM=${CAPISIM:-$BUILD/capisim}
PROG=$(pwd)/$BUILD/examples/memcpy_directed-static
. "$(dirname "$0")/lib.sh"

# eq NAME WANT GOT
eq() {
	if [ "$2" = "$3" ]; then ok; else bad "$1" "status says $2, trace stats $3"; fi
}

key() {
	sed -n "s/^$1 //p" "$tmp/st"
}

# The count of a `capisim trace stats` row (OP KEY...), 0 when absent.
row() {
	awk -v op="$1" -v key="$2" '$1 == op { k = $2; for (i = 3; i <= NF && $i !~ /^[0-9]+$/; i++) k = k " " $i;
		if (k == key) { print $i; found = 1; exit } } END { if (!found) print 0 }' "$tmp/stats"
}

# The count of kind $1 in the stats' table of kinds.
kind() {
	awk -v kind="$1" '$2 == kind { n += $3 } END { print n + 0 }' "$tmp/stats"
}

# record TRACE [ENV...]: one run of the program in $tmp/run, recorded to TRACE.
record() {
	r_trace=$1
	shift
	(cd "$tmp/run" && env CAPISIM_LOG=err CAPISIM_TRACE=t.cxt CAPISIM_STATUS=../st \
		CAPISIM_TIMING=../psl.timing CAPISIM_RUN_INFO="$(printf '[run]\nprogram = memcpy_directed\n')" \
		"$@" timeout 120 "$PROG") >"$tmp/out" 2>&1
	r_rc=$?
	mv "$tmp/run/t.cxt" "$r_trace" 2>/dev/null
	return $r_rc
}

mkdir "$tmp/run"
printf '[timing]\ndma_read = 600 ns\n' >"$tmp/psl.timing"
record "$tmp/a.cxt"
has ran "$tmp/out" '^ok: 64 KiB copied from heap to heap$'
if [ ! -s "$tmp/a.cxt" ] || ! "$CAPISIM" trace dump "$tmp/a.cxt" >"$tmp/dump" 2>"$tmp/out"; then
	bad trace "no readable trace"
	finish
fi

# The header.
has header.version "$tmp/dump" "^# capisim $(cat VERSION)\$"
has header.driver "$tmp/dump" '^# driver (package linux-source-6.1|kernel_src /.*) [^ ]+$'
has header.seed "$tmp/dump" '^# seed master = 0x1$'
has header.timing "$tmp/dump" '^# timing \.\./psl\.timing \([0-9]+ bytes\)$'
has header.timing_text "$tmp/a.cxt" 'dma_read = 600 ns'
has header.libcxl "$tmp/a.cxt" '\[libcxl\]$'
has header.keys "$tmp/a.cxt" '^trace_level = "default"$'
has header.run "$tmp/a.cxt" '\[run\]$'
has header.run_text "$tmp/a.cxt" '^program = memcpy_directed'

# The new kinds.
"$CAPISIM" trace stats "$tmp/a.cxt" >"$tmp/stats" 2>"$tmp/out" || bad stats "trace stats failed"
for k in libcxl.open libcxl.attach libcxl.mmio_write libcxl.read libcxl.close \
	 drv.cxl_attach drv.cxl_psl_irq drv.cxl_psl_irq_ack drv.cxl_afu_irq drv.printk; do
	[ "$(kind "$k")" -gt 0 ] && ok || bad "kind.$k" "no $k event"
done
has event.libcxl "$tmp/dump" ' libcxl libcxl\.attach pid=0x[0-9a-f]+ comm="memcpy_directed[^"]*" fd=0 .* ret=0 lat='
has event.drv "$tmp/dump" ' driver drv\.cxl_attach ctx=0 pid=0x[0-9a-f]+ comm="memcpy_directed[^"]*" card=0 afu=0 tp_pid=[0-9]+ pe=0 '
has event.printk "$tmp/dump" ' driver drv\.printk pid=0x[0-9a-f]+ comm="[^"]+" level=0x[0-7] text="cxl'
[ "$(kind psl.buf)" = 0 ] && ok || bad level.default "buffer beats at the default level"

# The status agrees with the trace.
has status.verdict "$tmp/st" '^verdict ok$'
has status.trace "$tmp/st" '^trace t\.cxt$'
for c in $(sed -n 's/^cmd\.\([a-z_0-9]*\) .*/\1/p' "$tmp/st"); do
	eq "cmd.$c" "$(key "cmd.$c")" "$(row command "$c")"
done
[ -n "$(key cmd.read_cl_na)" ] && ok || bad cmd.read_cl_na "no read_cl_na commands counted"
eq faults "$(($(key faults_segment) + $(key faults_page)))" \
	"$(($(row fault 'TFC R') + $(row fault 'TFC AE')))"
eq faults_address_error "$(key faults_address_error)" "$(row fault 'TFC AE')"
eq interrupts_afu "$(key interrupts_afu)" "$(row irq afu)"
eq contexts "$(key contexts)" "$(kind drv.cxl_attach)"
[ "$(key faults_address_error)" -ge 1 ] && ok || bad ae "the bad address was not counted"

# The same run again, bit for bit; and verbose adds the buffer beats.
if setarch "$(uname -m)" -R true 2>/dev/null; then
	record "$tmp/r1.cxt" setarch "$(uname -m)" -R
	record "$tmp/r2.cxt" setarch "$(uname -m)" -R
	if [ -s "$tmp/r1.cxt" ] && cmp -s "$tmp/r1.cxt" "$tmp/r2.cxt"; then ok; else
		"$CAPISIM" trace diff "$tmp/r1.cxt" "$tmp/r2.cxt" >"$tmp/out" 2>&1
		bad deterministic "two lockstep runs gave different traces"
	fi
	# Four threads: lockstep orders their program code and their calls.
	PROG=$(pwd)/$BUILD/examples/processes-static
	record "$tmp/t1.cxt" setarch "$(uname -m)" -R
	record "$tmp/t2.cxt" setarch "$(uname -m)" -R
	if [ -s "$tmp/t1.cxt" ] && grep -q '^processes: PASSED$' "$tmp/out" &&
	   cmp -s "$tmp/t1.cxt" "$tmp/t2.cxt"; then ok; else
		"$CAPISIM" trace diff "$tmp/t1.cxt" "$tmp/t2.cxt" >>"$tmp/out" 2>&1
		bad deterministic_threads "two lockstep runs of four threads gave different traces"
	fi
	PROG=$(pwd)/$BUILD/examples/memcpy_directed-static
else
	skip deterministic "setarch -R is not allowed here" 2
fi
record "$tmp/v.cxt" CAPISIM_TRACE_LEVEL=verbose
"$CAPISIM" trace stats "$tmp/v.cxt" >"$tmp/stats" 2>"$tmp/out"
[ "$(kind psl.buf)" -gt 0 ] && ok || bad level.verbose "no buffer beats at the verbose level"

finish
