#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The examples (examples/*.c) as a user runs them: each under
# `capisim run`, with the options its header comment shows, must exit 0
# and end with "<name>: PASSED"; some must also print what they exist to
# show (every interrupt, the data-storage events).  The same programs run
# on the RTL memcpy AFU, and in free-running time.  A program linked
# elsewhere against IBM's libcxl.so.1 (the stand-in mk/libcxl.mk builds,
# as tests/test_libcxl_link.sh uses it) runs under `capisim run` without
# relinking and without LD_LIBRARY_PATH: `capisim run` finds our library.
# Ends with "N passed, N failed".

BUILD=${BUILD:-build}
CAPISIM=${CAPISIM:-$BUILD/capisim}
EX=$BUILD/examples
. "$(dirname "$0")/lib.sh"
unset LD_LIBRARY_PATH

# run NAME [GREP-PATTERN...] -- CAPISIM-RUN-ARGS...: exit 0, the program's
# last line "<program>: PASSED", and each pattern somewhere in the output.
run() {
	run_name=$1
	shift
	run_greps=
	while [ "$1" != -- ]; do
		run_greps="$run_greps$1
"
		shift
	done
	shift
	if ! timeout 300 "$CAPISIM" run --summary "$tmp/summary" "$@" >"$tmp/out" 2>&1; then
		cat "$tmp/summary" >>"$tmp/out" 2>/dev/null
		bad "$run_name" "capisim run $* exited non-zero"
		return
	fi
	if ! tail -n 1 "$tmp/out" | grep -q '^[a-z_]*: PASSED$'; then
		bad "$run_name" "the output does not end with '<program>: PASSED'"
		return
	fi
	while IFS= read -r pat; do
		[ -z "$pat" ] && continue
		if ! grep -q -- "$pat" "$tmp/out"; then
			bad "$run_name" "expected '$pat' in the output"
			return
		fi
	done <<EOF
$run_greps
EOF
	ok
}

if ! "$CAPISIM" run --help >/dev/null 2>&1; then
	skip run "$CAPISIM has no 'run' command yet"
	finish
fi

for src in examples/*.c; do
	name=$(basename "$src" .c)
	if [ ! -x "$EX/$name" ]; then
		echo "examples.$name: $EX/$name was not built" >"$tmp/out"
		bad "$name.built" "no $EX/$name"
	fi
done

run memcpy_directed 'AFU Invalid memory reference' -- -- "$EX/memcpy_directed"
run memcpy_dedicated 'attached in dedicated mode' -- --mode dedicated -- "$EX/memcpy_dedicated"
run interrupts 'AFU Interrupt 1' 'AFU Interrupt 4' 'interrupt 4 seen 1 time' -- \
	-- "$EX/interrupts"
run errors 'ok: CXL_EVENT_DATA_STORAGE names the source' \
	'ok: CXL_EVENT_DATA_STORAGE names the destination' 'ok: the retry into the page made writable' -- \
	-- "$EX/errors"
run processes_bad 'process 2: AFU Invalid memory reference' \
	'process 2: job 2: handed .*, got its data-storage event' -- \
	-- "$EX/processes" -p 4 -j 3 -b 2
run processes_free_running 'ok: process 3' -- --time wall -- "$EX/processes" -p 3 -b 1

# The RTL memcpy (Verilator) under libcxl: the same host programs, unchanged.
run rtl_memcpy_directed 'AFU Invalid memory reference' -- \
	--afu memcpy-rtl -- "$EX/memcpy_directed"
run rtl_processes 'process 3: job 2: handed' -- \
	--afu memcpy-rtl -- "$EX/processes" -p 4 -j 3 -b 3

# Linked elsewhere against IBM's libcxl.so.1, run without relinking.
if readelf -d "$EX/memcpy_directed-ibm" | grep -q 'NEEDED.*\[libcxl\.so\.1\]'; then
	run ibm_binary 'ok: 64 KiB copied' -- -- "$EX/memcpy_directed-ibm"
	run ibm_binary_processes 'ok: process 2' -- -- "$EX/processes-ibm" -p 2
else
	echo "$EX/memcpy_directed-ibm does not need libcxl.so.1" >"$tmp/out"
	bad ibm_binary "not linked against libcxl.so.1"
fi

finish
