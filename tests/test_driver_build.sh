#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Checks that $BUILD/libcxldrv.a really is the unmodified Linux cxl driver
# compiled against the shim (mk/driver.mk, docs/driver-build.md):
#   - each driver object defines the driver's own functions and data;
#   - the compiler printed nothing for any driver file;
#   - every driver source and header that went into the objects is byte
#     for byte the one in the tarball (or in KERNEL_SRC), read again here;
#   - every external symbol the objects need is declared by the shim.
# Writes the symbols the shim runtime must still provide to
# $BUILD/driver-undefined.txt.  Run from the top of the tree:
#   sh tests/test_driver_build.sh BUILD_DIR
# The last line is "N passed, N failed".

build=${1:-${BUILD:?usage: sh tests/test_driver_build.sh BUILD_DIR (or BUILD in the environment)}}
build=${build%/}
objdir=$build/obj/driver
shim=driver_shim/include/kshim
NM=${NM:-nm}
CC=${CC:-cc}

. "$(dirname "$0")/lib.sh"

# has_sym OBJ TYPES NAME: OBJ defines NAME with an nm type letter in TYPES.
has_sym() {
	$NM "$objdir/$1.o" 2>/dev/null | grep -Eq "^[0-9a-f]+ [$2] $3\$"
}

# 1. The build exists and says where the driver came from.
if [ -r "$objdir/origin" ] && [ -r "$build/libcxldrv.a" ]; then
	ok "library $build/libcxldrv.a and origin record present"
else
	bad built "no driver build in $build (run: make BUILD=$build driver)"
	finish
fi
read -r kind origin <"$objdir/origin"
case $kind in
tarball) tree=$build/kernel ;;
tree) tree=$build/kernel-src ;;
*) bad origin "unknown origin record: $kind $origin"; finish ;;
esac

# 2. Each object defines the driver's own symbols (t/T: static/global
#    functions, d/D/r/R/b/B: data); the static ones chosen have their
#    address taken, so no optimisation level inlines them away.  trace.o
#    must define nothing: the shim generates tracepoints inline.
check_syms() {
	obj=$1
	shift
	missing=
	for spec in "$@"; do
		if ! has_sym "$obj" "${spec%%:*}" "${spec#*:}"; then
			missing="$missing ${spec#*:}"
		fi
	done
	if [ -z "$missing" ]; then
		ok "$obj.o defines $(echo "$@" | sed 's/[a-zA-Z]*://g')"
	else
		bad "symbols.$obj" "$obj.o lacks:$missing"
	fi
}
check_syms main tT:init_cxl T:cxl_alloc_sst T:cxl_afu_slbia
check_syms pci t:cxl_probe tT:cxl_pci_slot_reset dD:cxl_pci_driver dr:psl8_ops
check_syms native T:cxl_attach_afu_directed_psl8 t:native_irq_multiplexed DR:cxl_native_ops
check_syms context T:cxl_context_init T:__detach_context t:reclaim_ctx
check_syms file T:afu_read T:afu_ioctl T:cxl_file_init DR:afu_fops
check_syms fault T:cxl_handle_fault T:cxl_handle_mm_fault T:cxl_prefault
check_syms irq T:cxl_irq_psl8 t:cxl_irq_afu T:afu_register_irqs
check_syms base T:cxl_afu_get T:register_cxl_calls DB:cxl_use_count
check_syms sysfs T:cxl_sysfs_afu_add T:cxl_sysfs_adapter_add
check_syms api T:cxl_start_context T:cxl_dev_context_init T:cxl_get_fd
check_syms vphb T:cxl_pci_vphb_add T:cxl_pci_is_vphb_device
check_syms debugfs T:cxl_debugfs_afu_add T:cxl_debugfs_add_adapter_regs_psl8
check_syms main dr:__kshim_initcall_init_cxl dr:__kshim_exitcall_exit_cxl
check_syms base dr:__kshim_initcall_cxl_base_init
if [ -r "$objdir/trace.o" ] && [ -z "$($NM -g --defined-only "$objdir/trace.o")" ]; then
	ok "trace.o defines nothing (tracepoints are inline)"
else
	bad trace_o "trace.o missing or defines global symbols"
fi

# 3. No compiler output for any driver file.
noisy=
nwarn=0
for c in "$objdir"/*.warn; do
	[ -e "$c" ] || continue
	nwarn=$((nwarn + 1))
	[ -s "$c" ] && noisy="$noisy $(basename "$c" .warn)"
done
if [ "$nwarn" -gt 0 ] && [ -z "$noisy" ]; then
	ok "$nwarn driver files compiled with no warnings"
else
	bad warnings "compiler output for:${noisy:- (no .warn files)}"
fi

# 4. Unmodified: the sources and driver headers named in the objects'
#    dependency files, hashed here and in the origin.
sed -e 's/\\$//' -e 's/^[^:]*://' "$objdir"/*.d | tr ' ' '\n' |
	sed -n "s|^$tree/||p" | sort -u >"$tmp/used"
nused=$(wc -l <"$tmp/used")
while read -r f; do
	printf '%s  %s\n' "$(sha256sum <"$tree/$f" | cut -d' ' -f1)" "$f"
done <"$tmp/used" >"$tmp/built.sha"
case $kind in
tarball)
	top=linux-source-6.1
	# One pass over the archive; the member names are meant to split.
	# shellcheck disable=SC2016,SC2046
	tar -xJf "$origin" --to-command='printf "%s  %s\n" \
		"$(sha256sum | cut -d" " -f1)" "${TAR_FILENAME#*/}"' \
		$(sed "s|^|$top/|" "$tmp/used") >"$tmp/origin.sha" 2>"$tmp/tar.err"
	;;
tree)
	while read -r f; do
		printf '%s  %s\n' "$(sha256sum <"$origin/$f" | cut -d' ' -f1)" "$f"
	done <"$tmp/used" >"$tmp/origin.sha" 2>"$tmp/tar.err"
	;;
esac
sort -k2 -o "$tmp/origin.sha" "$tmp/origin.sha"
sort -k2 -o "$tmp/built.sha" "$tmp/built.sha"
for c in main pci native context file fault irq base sysfs api vphb trace debugfs; do
	grep -qx "drivers/misc/cxl/$c.c" "$tmp/used" ||
		bad "sources.$c" "$c.c not among the compiled sources"
done
if [ "$nused" -ge 18 ] && cmp -s "$tmp/built.sha" "$tmp/origin.sha"; then
	ok "$nused driver sources and headers identical to $kind $origin (sha256)"
else
	bad unmodified "driver files differ from $kind $origin:"
	diff "$tmp/built.sha" "$tmp/origin.sha" | sed 's/^/    /'
	sed 's/^/    /' "$tmp/tar.err"
fi

# 5. External symbols.  Compiler runtime symbols (PIC, sanitizers) are not
#    the shim's business; the rest must be declared by the shim headers.
$NM -u "$objdir"/*.o | awk '$1 == "U" { print $2 }' | sort -u >"$tmp/undef"
$NM --defined-only "$objdir"/*.o | awk 'NF == 3 && $2 ~ /^[A-TV-Z]$/ { print $3 }' |
	sort -u >"$tmp/def"
comm -23 "$tmp/undef" "$tmp/def" |
	grep -Ev '^(_GLOBAL_OFFSET_TABLE_|__asan_|__ubsan_|__sanitizer_|__stack_chk_fail)' \
	>"$tmp/ext"
undeclared=
while read -r s; do
	grep -qw -- "$s" "$shim"/*.h || undeclared="$undeclared $s"
done <"$tmp/ext"
if [ -z "$undeclared" ]; then
	ok "all $(wc -l <"$tmp/ext") external symbols are declared by the shim headers"
else
	bad declared "external symbols not declared by the shim:$undeclared"
fi

# Those the host C library defines resolve there; only string and
# formatting functions may (docs/driver-shim.md section 2).
libc=$($CC -print-file-name=libc.so.6)
$NM -D --defined-only "$libc" 2>/dev/null | awk '{ print $3 }' | sed 's/@.*//' |
	sort -u >"$tmp/libc"
comm -12 "$tmp/ext" "$tmp/libc" >"$tmp/from_libc"
clash=$(grep -Ev '^(mem(cpy|move|set|cmp)|str(len|cmp|ncmp)|v?s(n)?printf|sscanf)$' \
	"$tmp/from_libc" | tr '\n' ' ')
if [ -s "$tmp/libc" ] && [ -z "$clash" ]; then
	ok "resolved by libc: $(tr '\n' ' ' <"$tmp/from_libc")"
else
	bad libc "kernel symbols that collide with libc: ${clash:-(cannot read $libc)}"
fi

comm -23 "$tmp/ext" "$tmp/from_libc" >"$build/driver-undefined.txt"
echo "shim symbols still to implement: $(wc -l <"$build/driver-undefined.txt")" \
	"(list in $build/driver-undefined.txt)"
finish
