#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a capisim AFU plug-in (.so) from a directory of Verilog or
# SystemVerilog whose top has the standard CAPI 1.0 `module afu` port list
# (ports.txt).  "capisim afu build" runs this script; it can also be run
# by hand with the same options.  docs/afu-guide.md ("Bringing your own Verilog AFU") is the manual.
#
#   afu-build.sh [--top NAME] [--name NAME] [-o FILE] [--vflags 'FLAGS']
#                [--trace | --trace-all] [--cache DIR] [--force] [-v] DIR
#
# Steps: collect the sources (DIR/files.f if present, else every .sv/.v
# under DIR with package files ordered first), verilate them as class
# Vafu, check the top's ports, compile the model and bridge.cpp, link
# them with the cached Verilator runtime into a shared object that
# exports capisim_afu_ops only.
#
# Caching: everything lives under the cache directory (--cache, else
# $CAPISIM_CACHE_DIR, else $XDG_CACHE_HOME/capisim or ~/.cache/capisim):
#   vlrt/KEY/      the Verilator runtime, compiled once per Verilator
#                  version, compiler, flags and trace setting
#   afu/NAME-KEY/  one AFU build; rebuilt only when one of its inputs
#                  changes (every file Verilator read, the file list, the
#                  options, the bridge, the Verilator version)
# Exit status: 0 built or up to date, 1 build failed, 2 usage error.

set -u

PROG="capisim afu build"
BRIDGE_DIR=$(cd "$(dirname "$0")" && pwd)
SIM_INC=$(cd "$BRIDGE_DIR/../../sim" && pwd)
VERILATOR=${VERILATOR:-verilator}
CXX=${CXX:-g++}
AFU_CXXFLAGS=${CAPISIM_AFU_CXXFLAGS:--O2}

die() {
	echo "$PROG: $*" >&2
	exit 1
}

usage() {
	echo "$PROG: $*; see 'capisim afu --help'" >&2
	exit 2
}

say() {
	[ "$verbose" = 1 ] && echo "$PROG: $*" >&2
	return 0
}

# Run a command, showing it in verbose mode.
run() {
	[ "$verbose" = 1 ] && echo "+ $*" >&2
	"$@"
}

hash_of() {
	sha256sum | cut -c1-16
}

top=afu
name=
out=
vflags=
trace=none
cache=${CAPISIM_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/capisim}
force=0
verbose=0
dir=

while [ $# -gt 0 ]; do
	case $1 in
	--top) [ $# -ge 2 ] || usage "--top needs a module name"; top=$2; shift ;;
	--name) [ $# -ge 2 ] || usage "--name needs a name"; name=$2; shift ;;
	-o) [ $# -ge 2 ] || usage "-o needs a file name"; out=$2; shift ;;
	--vflags) [ $# -ge 2 ] || usage "--vflags needs a quoted list of flags"; vflags=$2; shift ;;
	--cache) [ $# -ge 2 ] || usage "--cache needs a directory"; cache=$2; shift ;;
	--trace) trace=ports ;;
	--trace-all) trace=all ;;
	--force) force=1 ;;
	-v|--verbose) verbose=1 ;;
	-*) usage "unknown option '$1'" ;;
	*) [ -z "$dir" ] || usage "expected one AFU directory, got '$dir' and '$1'"; dir=$1 ;;
	esac
	shift
done

[ -n "$dir" ] || usage "expected an AFU directory"
[ -d "$dir" ] || die "$dir: not a directory"
case $top in
*[!A-Za-z0-9_]*|[0-9]*|'') usage "--top '$top': not a module name" ;;
esac
absdir=$(cd "$dir" && pwd)
[ -n "$name" ] || name=$(basename "$absdir")
case $name in
*[!A-Za-z0-9_.+-]*|'') usage "--name '$name': use letters, digits and _ . + -" ;;
esac
[ -n "$out" ] || out=./$name.so
command -v "$VERILATOR" >/dev/null ||
	die "$VERILATOR not found: run 'make deps' (Debian package verilator)"
command -v "$CXX" >/dev/null || die "$CXX not found: run 'make deps'"
read -r -a vflag_list <<<"$vflags"

t_start=$(date +%s.%N)

# 1. Sources: files.f when given, else every .sv/.v, packages first.
incdirs=()
if [ -f "$dir/files.f" ]; then
	src_args=(-F "$dir/files.f")
	src_list="files.f: $(cat "$dir/files.f")"
	nsrc="the files.f list of"
else
	mapfile -t srcs < <(find "$dir" -name '.*' -prune -o -type f \
		\( -name '*.sv' -o -name '*.v' \) -print | LC_ALL=C sort)
	[ ${#srcs[@]} -gt 0 ] || die "$dir: no .sv or .v files (or a files.f list)"
	mapfile -t srcs < <(awk -f "$BRIDGE_DIR/order.awk" "${srcs[@]}")
	src_args=("${srcs[@]}")
	src_list="${srcs[*]}"
	nsrc="${#srcs[@]} files in"
	mapfile -t incs < <(find "$dir" -name '.*' -prune -o -type f \
		\( -name '*.sv' -o -name '*.v' -o -name '*.svh' -o -name '*.vh' \) \
		-printf '%h\n' | LC_ALL=C sort -u)
	for d in "${incs[@]}"; do
		incdirs+=("-I$d")
	done
fi
say "sources: ${src_args[*]}"

vl_version=$("$VERILATOR" --version) || die "$VERILATOR --version failed"
vl_inc=$("$VERILATOR" --getenv VERILATOR_ROOT)/include
[ -f "$vl_inc/verilated.cpp" ] || die "no Verilator runtime in $vl_inc"

case $trace in
none) trace_defs=(-DVM_TRACE=0 -DVM_TRACE_FST=0); trace_vflags=() ;;
ports) trace_defs=(-DVM_TRACE=1 -DVM_TRACE_FST=1); trace_vflags=(--trace-fst --trace-depth 1) ;;
all) trace_defs=(-DVM_TRACE=1 -DVM_TRACE_FST=1); trace_vflags=(--trace-fst --trace-structs) ;;
esac
cxx_flags=($AFU_CXXFLAGS -std=gnu++17 -fPIC -faligned-new
	-DVM_COVERAGE=0 -DVM_SC=0 -DVM_TRACE_VCD=0 "${trace_defs[@]}"
	-include "$BRIDGE_DIR/vl_user.h" -I"$vl_inc" -I"$vl_inc/vltstd")

# 2. The Verilator runtime, once per version, compiler and flags.
rt_files=(verilated.cpp verilated_threads.cpp)
[ "$trace" = none ] || rt_files+=(verilated_fst_c.cpp)
rt_key=$(printf '%s\n' "$vl_version" "$($CXX --version | head -n 1)" "${cxx_flags[*]}" \
	"${rt_files[*]}" | cat - "$BRIDGE_DIR/vl_user.h" | hash_of)
rt_dir=$cache/vlrt/$rt_key
mkdir -p "$rt_dir" || die "cannot create cache directory $rt_dir"
(
	flock 9
	[ -f "$rt_dir/libvlrt.a" ] && exit 0
	echo "$PROG: compiling the Verilator runtime once (cached in $rt_dir)" >&2
	pids=()
	for f in "${rt_files[@]}"; do
		run "$CXX" "${cxx_flags[@]}" -w -c -o "$rt_dir/${f%.cpp}.o" "$vl_inc/$f" &
		pids+=($!)
		# Two at a time: the machine has two cores.
		[ ${#pids[@]} -ge 2 ] && { wait "${pids[0]}" || exit 1; pids=("${pids[@]:1}"); }
	done
	for p in "${pids[@]}"; do
		wait "$p" || exit 1
	done
	objs=()
	for f in "${rt_files[@]}"; do
		objs+=("$rt_dir/${f%.cpp}.o")
	done
	ar rcs "$rt_dir/libvlrt.a.tmp" "${objs[@]}" && mv "$rt_dir/libvlrt.a.tmp" "$rt_dir/libvlrt.a"
) 9>"$rt_dir/lock" || die "compiling the Verilator runtime failed"

# 3. This AFU's build directory and whether it is up to date.
work_key=$(printf '%s\n' "$absdir" "$top" "$name" "$trace" "$vflags" "$rt_key" | hash_of)
work=$cache/afu/$name-$work_key
mkdir -p "$work" || die "cannot create cache directory $work"
exec 9>"$work/lock"
flock 9

# Everything the result depends on, as one hash: the options, the
# bridge, the Verilator version, the file list, and the contents of
# every file the last Verilator run read plus the current sources.
inputs_hash() {
	{
		printf '%s\n' "$vl_version" "$top" "$name" "$trace" "$vflags" "$src_list" \
			"${cxx_flags[*]}"
		cat "$BRIDGE_DIR/bridge.cpp" "$BRIDGE_DIR/vl_user.h" "$BRIDGE_DIR/ports.txt" \
			"$BRIDGE_DIR/exports.map" "$SIM_INC/afu/afu.h" "$SIM_INC/core/log.h"
		{
			[ -f "$work/deps.list" ] && cat "$work/deps.list"
			[ -f "$dir/files.f" ] && realpath "$dir/files.f"
			for f in ${srcs[@]+"${srcs[@]}"}; do
				realpath "$f"
			done
		} | LC_ALL=C sort -u | while read -r f; do
			echo "$f"
			cat "$f" 2>/dev/null || echo "(missing)"
		done
	} | hash_of
}

stamp=$(inputs_hash)
if [ "$force" = 0 ] && [ -f "$work/afu.so" ] && [ "$stamp" = "$(cat "$work/stamp" 2>/dev/null)" ]; then
	say "up to date in $work"
else
	rm -f "$work/stamp" "$work/afu.so"
	rm -rf "$work/obj"

	# 4. Verilate.  Warnings are shown and never stop the build; the
	# [0:n] numbering of the standard port list is expected.
	run "$VERILATOR" --cc --prefix Vafu --top-module "$top" --Mdir "$work/obj" \
		-O3 --no-timing -Wno-fatal -Wno-LITENDIAN "${trace_vflags[@]}" \
		${incdirs[@]+"${incdirs[@]}"} ${vflag_list[@]+"${vflag_list[@]}"} \
		"${src_args[@]}" || die "Verilator failed on $dir (messages above)"

	# 5. The top must have the standard ports, no more and no fewer.
	bad=$(sed -n 's/^ *VL_\(IN\|OUT\|INOUT\)\(8\|16\|64\|W\|\)(&\([A-Za-z0-9_]*\),\([0-9]*\),\([0-9]*\).*/\1 \3 \4 \5/p' \
		"$work/obj/Vafu.h" | awk -v top="$top" '
		NR == FNR {
			if ($0 ~ /^(in|out) /) { want[$2] = $1; wwidth[$2] = $3 }
			next
		}
		{
			d = tolower($1); w = $3 - $4 + 1
			if (d == "inout") d = "inout"
			if (!($2 in want)) { print "  extra port " $2 " (" d ", " w " bits)"; next }
			if (want[$2] != d) print "  " $2 " is " d ", must be " want[$2] "put"
			else if (wwidth[$2] != w) print "  " $2 " has " w " bits, must have " wwidth[$2]
			seen[$2] = 1
		}
		END {
			for (p in want)
				if (!(p in seen))
					print "  missing port " p " (" want[p] "put, " wwidth[p] " bits)"
		}' "$BRIDGE_DIR/ports.txt" -)
	if [ -n "$bad" ]; then
		echo "$PROG: top module '$top' in $dir does not have the standard CAPI 1.0 afu ports:" >&2
		echo "$bad" | LC_ALL=C sort >&2
		die "see $BRIDGE_DIR/ports.txt for the list"
	fi

	# 6. Model and bridge, compiled side by side, linked with the runtime.
	( cd "$work/obj" && for f in Vafu*.cpp; do echo "#include \"$f\""; done ) >"$work/model_all.cpp"
	run "$CXX" "${cxx_flags[@]}" -w -I"$work/obj" -c -o "$work/model.o" "$work/model_all.cpp" &
	model_pid=$!
	run "$CXX" "${cxx_flags[@]}" -Wall -Wno-unused-parameter -I"$work/obj" -I"$SIM_INC" \
		-DCAPISIM_AFU_NAME="\"$name\"" -c -o "$work/bridge.o" "$BRIDGE_DIR/bridge.cpp" ||
		{ wait $model_pid; die "compiling the bridge failed"; }
	wait $model_pid || die "compiling the verilated model failed"
	libs=(-pthread)
	[ "$trace" = none ] || libs+=(-lz)
	run "$CXX" -shared -o "$work/afu.so" "$work/bridge.o" "$work/model.o" "$rt_dir/libvlrt.a" \
		-Wl,--version-script="$BRIDGE_DIR/exports.map" "${libs[@]}" || die "linking failed"

	# Remember every file Verilator read, for the next up-to-date check.
	sed 's/^.*: //' "$work/obj/Vafu__ver.d" | tr ' ' '\n' | grep -v -e '^$' -e '/verilator_bin[_a-z]*$' |
		while read -r f; do realpath "$f"; done | LC_ALL=C sort -u >"$work/deps.list"
	inputs_hash >"$work/stamp"
fi

mkdir -p "$(dirname "$out")" || die "cannot create the directory of $out"
if ! cmp -s "$work/afu.so" "$out"; then
	cp "$work/afu.so" "$out.tmp.$$" && mv -f "$out.tmp.$$" "$out" || die "cannot write $out"
fi
t_end=$(date +%s.%N)
echo "$PROG: $out: top '$top' from $nsrc $dir, trace: $trace," \
	"$(awk -v a="$t_start" -v b="$t_end" 'BEGIN { printf "%.1f s", b - a }')" >&2
