#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# AFU plug-ins on the machine inside libcxl (docs/libcxl.md, "AFUs"):
#   - the RTL memcpy AFU ($BUILD/afu/memcpy-rtl.so, made by `capisim afu
#     build`) serves examples/memcpy_directed in AFU-directed mode through
#     the real driver, with the dynamic and with the static library: the
#     copy's data is verified by the program, and the status file counts
#     the AFU's commands and bytes;
#   - a C plug-in that logs through capisim's log (strong references to
#     log_printf and log_level_cur, the CAPISIM_PLUGIN_1 exports) loads
#     inside libcxl.so.1 and its lines reach CAPISIM_LOG_FILE; with the
#     static library, whose logger stays private, it is refused in one line;
#   - the machine's fatal problems are one line each ("capisim: ... — ..."),
#     the call fails with ENODEV and the status says "verdict failed" with
#     the problem: an unknown AFU (listing the built-ins), a file that is
#     not an AFU plug-in, a bad timing file (naming file:line).
# Ends with "N passed, N failed".

BUILD=${BUILD:-build}
LIB=$BUILD/lib
EX=$BUILD/examples
RTL=$BUILD/afu/memcpy-rtl.so
. "$(dirname "$0")/lib.sh"

# key FILE KEY: the value of KEY in status FILE.
key() {
	sed -n "s/^$2 //p" "$1"
}

# machine NAME STATUS COMMAND...: run a program on the machine, status to STATUS.
machine() {
	m_name=$1
	m_status=$2
	shift 2
	CAPISIM_LOG=err CAPISIM_STATUS=$m_status timeout 120 "$@" >"$tmp/out" 2>&1
	m_rc=$?
	if [ ! -s "$m_status" ]; then
		bad "$m_name.status" "no status file written (exit $m_rc)"
		return 1
	fi
	[ "$(head -n 1 "$m_status")" = "capisim-status 1" ] ||
		bad "$m_name.status_header" "status does not start with 'capisim-status 1'"
	return 0
}

# The copy ran on the RTL AFU, its data verified by the program.
rtl_copy() {
	r_name=$1
	shift
	machine "$r_name" "$tmp/$r_name.st" env CAPISIM_AFU="$RTL" "$@" || return
	has "$r_name.irq" "$tmp/out" '^ok: the AFU interrupt 1 ends the copy$'
	has "$r_name.data" "$tmp/out" '^ok: 64 KiB copied from heap to heap$'
	has "$r_name.we" "$tmp/out" '^ok: work element status DONE$'
	if [ "$(key "$tmp/$r_name.st" verdict)" = ok ] &&
	   [ "$(key "$tmp/$r_name.st" cmd.read_cl_na)" -ge 512 ] &&
	   [ "$(key "$tmp/$r_name.st" cmd.write_na)" -ge 512 ] &&
	   [ "$(key "$tmp/$r_name.st" bytes_written)" -ge 65536 ] &&
	   [ "$(key "$tmp/$r_name.st" interrupts_afu)" -ge 1 ]; then
		ok
	else
		cp "$tmp/$r_name.st" "$tmp/out"
		bad "$r_name.counts" "the status does not show the copy's commands and bytes"
	fi
}

if [ ! -f "$RTL" ] || [ ! -f "$LIB/libcxl.so.1" ]; then
	bad built "no $RTL or $LIB/libcxl.so.1"
	finish
fi

rtl_copy rtl_dynamic env LD_LIBRARY_PATH="$LIB" "$EX/memcpy_directed"
rtl_copy rtl_static "$EX/memcpy_directed-static"

# A C plug-in calling capisim's log: the memcpy model under another name.
cat >"$tmp/logafu.c" <<'SRC'
#define pr_fmt(fmt) "logafu: " fmt
#include "afu/port.h"
#include "core/log.h"

static struct afu *log_create(const char *instance, u64 seed, const char *options)
{
	pr_info("%s made through capisim's log\n", instance);
	pr_debug("seed %llu\n", (unsigned long long)seed);
	return afu_memcpy_ops.create(instance, seed, options);
}

static void log_destroy(struct afu *afu)
{
	afu->ops->destroy(afu);
}

static void log_tick(struct afu *afu, const struct afu_in *in, struct afu_out *out)
{
	afu->ops->tick(afu, in, out);
}

const struct afu_ops capisim_afu_ops = {
	.abi_version = AFU_ABI_VERSION, .name = "logafu",
	.create = log_create, .destroy = log_destroy, .tick = log_tick,
};
SRC
if ${CC:-cc} -std=gnu11 -O1 -D_GNU_SOURCE -Isim -fPIC -shared -o "$tmp/logafu.so" \
	"$tmp/logafu.c" sim/afu/memcpy.c sim/afu/port.c sim/core/config.c >"$tmp/out" 2>&1 &&
   nm -u "$tmp/logafu.so" | grep -q ' log_printf$'; then
	ok
	if machine log_dynamic "$tmp/log.st" env LD_LIBRARY_PATH="$LIB" CAPISIM_AFU="$tmp/logafu.so" \
		CAPISIM_LOG=info CAPISIM_LOG_FILE="$tmp/log" "$EX/memcpy_directed"; then
		has log_dynamic.data "$tmp/out" '^ok: 64 KiB copied from heap to heap$'
		has log_dynamic.line "$tmp/log" 'logafu: afu0.0 made through capisim.s log$'
	fi
	if machine log_static "$tmp/logs.st" env CAPISIM_AFU="$tmp/logafu.so" \
		"$EX/memcpy_directed-static"; then
		has log_static.problem "$tmp/out" '^capisim: CAPISIM_AFU .*logafu.so: cannot load: .*undefined symbol: log_(printf|level_cur) — a plug-in calling capisim.s log needs libcxl.so.1'
		has log_static.verdict "$tmp/logs.st" '^verdict failed$'
	fi
else
	bad log_plugin "cannot build a plug-in calling log_printf"
fi

# fatal NAME PROBLEM-PATTERN ENV...: one line, ENODEV, verdict failed with the problem.
fatal() {
	f_name=$1
	f_want=$2
	shift 2
	machine "$f_name" "$tmp/$f_name.st" env "$@" "$EX/memcpy_directed-static" || return
	if [ "$(grep -c '^capisim: ' "$tmp/out")" = 1 ] && grep -Eq "^capisim: $f_want" "$tmp/out"
	then ok; else bad "$f_name.line" "expected one line 'capisim: $f_want'"; fi
	has "$f_name.enodev" "$tmp/out" 'No such device$'
	has "$f_name.verdict" "$tmp/$f_name.st" '^verdict failed$'
	has "$f_name.problem" "$tmp/$f_name.st" "^problem $f_want"
}

fatal unknown_afu "CAPISIM_AFU: no built-in AFU 'memcopy' — use one of memcpy, traffic(, [a-z_-]+)*, none" \
	CAPISIM_AFU=memcopy
fatal not_plugin "CAPISIM_AFU .*libafu-not.so: no capisim_afu_ops symbol: not a capisim AFU plug-in — " \
	CAPISIM_AFU="$(cp "$LIB/libcxl.so.1" "$tmp/libafu-not.so" && echo "$tmp/libafu-not.so")"
printf '[timing]\ndma_read = 200 ns\ndma_reed = 100 ns\n' >"$tmp/typo.timing"
fatal bad_timing "CAPISIM_TIMING: $tmp/typo.timing:3: .*dma_reed.* — " \
	CAPISIM_TIMING="$tmp/typo.timing"

finish
