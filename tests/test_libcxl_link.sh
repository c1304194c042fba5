#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# libcxl as a user links it (docs/libcxl.md).  The examples, written
# against IBM libcxl's interface only, were built by mk/libcxl.mk with
# nothing but $BUILD/include and $BUILD/lib: each runs
#   - linked with -lcxl against libcxl.so.1, found through LD_LIBRARY_PATH;
#   - linked statically with libcxl.a;
#   - linked elsewhere against a libcxl.so.1 that has only IBM's soname and
#     symbol versions, then run, without relinking, on ours;
# and must end with "<name>: PASSED".  Also checked: libcxl.so.1 exports
# exactly the library's symbols, under IBM's versions; the static binary
# does not load libcxl.so; pkg-config describes the build tree.  Under
# AddressSanitizer, an uninstrumented program runs on the instrumented
# library with the runtime preloaded.  Ends with "N passed, N failed".

BUILD=${BUILD:-build}
LIB=$BUILD/lib
EX=$BUILD/examples
. "$(dirname "$0")/lib.sh"

# run NAME EXPECTED-LAST-LINE COMMAND...: exit 0 and that last line.
run() {
	run_name=$1
	run_want=$2
	shift 2
	if CAPISIM_LOG=err timeout 120 "$@" >"$tmp/out" 2>&1 &&
	   [ "$(tail -n 1 "$tmp/out")" = "$run_want" ]; then
		ok
	else
		bad "$run_name" "expected exit 0 and '$run_want'"
	fi
}

if [ ! -f "$LIB/libcxl.so.1" ] || [ ! -f "$LIB/libcxl.a" ]; then
	bad built "no $LIB/libcxl.so.1 or libcxl.a"
	finish
fi

# The exported symbols are the version script's, at IBM's versions.
nm -D --defined-only "$LIB/libcxl.so.1" | awk '{print $3}' | grep -v '^[A-Z]' |
	sed 's/@.*//' | sort >"$tmp/exported"
sed -n 's/^[[:space:]]*\([a-z_0-9]*\);$/\1/p' driver_shim/user/libcxl.map | sort >"$tmp/listed"
if cmp -s "$tmp/exported" "$tmp/listed"; then ok; else
	diff "$tmp/listed" "$tmp/exported" >"$tmp/out"
	bad exports "libcxl.so.1 exports other names than libcxl.map lists"
fi
if nm -D --defined-only "$LIB/libcxl.so.1" | grep -q ' cxl_event_pending@@LIBCXL_1.2$' &&
   nm -D --defined-only "$LIB/libcxl.so.1" | grep -q ' cxl_afu_open_dev@@LIBCXL_1$'; then
	ok
else
	bad versions "cxl_afu_open_dev@@LIBCXL_1 and cxl_event_pending@@LIBCXL_1.2 expected"
fi
if readelf -d "$LIB/libcxl.so.1" | grep -q 'SONAME.*\[libcxl\.so\.1\]'; then ok; else
	bad soname "libcxl.so.1 has another soname"
fi

if command -v pkg-config >/dev/null; then
	flags=$(PKG_CONFIG_PATH=$LIB/pkgconfig pkg-config --cflags --libs libcxl)
	case "$flags" in
	*"-I$(cd "$BUILD" && pwd)/include"*"-lcxl"*) ok ;;
	*) echo "$flags" >"$tmp/out"; bad pkgconfig "unexpected flags" ;;
	esac
fi

for src in examples/*.c; do
	name=$(basename "$src" .c)
	want="$name: PASSED"
	run "$name.dynamic" "$want" env LD_LIBRARY_PATH="$LIB" "$EX/$name"
	run "$name.static" "$want" "$EX/$name-static"
	if readelf -d "$EX/$name-static" | grep -q 'NEEDED.*libcxl'; then
		bad "$name.static_needed" "the static program loads libcxl.so"
	else
		ok
	fi
	# Built against IBM's interface elsewhere: it needs libcxl.so.1 at IBM's versions.
	if readelf -V "$EX/$name-ibm" | grep -q 'Name: LIBCXL_1'; then ok; else
		bad "$name.ibm_versions" "no LIBCXL_1 version need recorded"
	fi
	run "$name.ibm_on_ours" "$want" env LD_LIBRARY_PATH="$LIB" "$EX/$name-ibm"
	# Free-running time: the machine runs on its own thread.
	run "$name.free_running" "$want" env LD_LIBRARY_PATH="$LIB" CAPISIM_TIME=free \
		"$EX/$name"
done

# An uninstrumented program on an instrumented libcxl.so.1: the ASan runtime first.
if readelf -d "$LIB/libcxl.so.1" | grep -q 'NEEDED.*libasan' ||
   nm -D "$LIB/libcxl.so.1" | grep -q ' U __asan_'; then
	asan=$(${CC:-cc} -print-file-name=libasan.so)
	${CC:-cc} -std=gnu11 -O2 -I"$BUILD/include" -o "$tmp/plain" examples/memcpy_directed.c \
		-L"$EX/ibm" -lcxl
	run plain_on_asan "memcpy_directed: PASSED" \
		env LD_LIBRARY_PATH="$LIB" LD_PRELOAD="$asan" ASAN_OPTIONS=detect_leaks=0 \
		"$tmp/plain"
fi

finish
