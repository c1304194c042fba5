#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make coverage's report: gcov line coverage of each driver file, from the
# counts of one or more instrumented builds of it, then the total.
# Usage: sh mk/coverage.sh [-m MIN] SRC_DIR OBJ_DIR... -- NAME...
#
# A line is one gcov counts as executable in the file itself (not in the
# headers it inlines); it is covered if any build ran it.  With -m, exit 1
# if one of the files the driver issue names is below MIN % (an integer).

CHECKED="native fault irq context file"
min=0
if [ "$1" = -m ]; then
	min=$2
	shift 2
fi
src=${1:?usage: sh mk/coverage.sh [-m MIN] SRC_DIR OBJ_DIR... -- NAME...}
shift
objdirs=
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	objdirs="$objdirs $1"
	shift
done
[ "$1" = -- ] && shift

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
all_run=0
all_lines=0

# gcov's text for one file, from every build of it.  A build that never
# ran it has no counts file: gcov then shows every line as not run.
annotate() {
	for d in $objdirs; do
		[ -f "$d/$1.gcno" ] || continue
		gcov -t -o "$d" "$src/$1.c" 2>"$tmp/err" ||
			grep -v 'cannot open data file' "$tmp/err" >&2
	done
}

# @1 of @2 in per cent, one decimal, rounded down: 69.96 is not 70.
percent() {
	[ "$2" -gt 0 ] || { echo 0.0; return; }
	t=$(($1 * 1000 / $2))
	echo "$((t / 10)).$((t % 10))"
}

# Is there an object of @1 in some build?
built() {
	for d in $objdirs; do
		[ -f "$d/$1.o" ] && return 0
	done
	return 1
}

for name in "$@"; do
	annotate "$name" >"$tmp/gcov"
	if [ ! -s "$tmp/gcov" ]; then
		# gcc writes no notes for a file without code (trace.c).
		if built "$name"; then
			echo "coverage $name.c: no executable lines"
		else
			echo "coverage $name.c: not built with --coverage"
			status=1
		fi
		continue
	fi
	# Sections start with "-: 0:Source:PATH"; keep the file's own lines.
	counts=$(awk -v want="/$name.c" '
		$0 ~ /^ *-: *0:Source:/ {
			p = $0
			sub(/^ *-: *0:Source:/, "", p)
			mine = substr(p, length(p) - length(want) + 1) == want
			next
		}
		mine {
			split($0, f, ":")
			c = f[1]; gsub(/ /, "", c)
			l = f[2] + 0
			# Skip non-code lines and the per-instance blocks of inlines.
			if (l <= 0 || c !~ /^([0-9]+\*?|#####|=====)$/)
				next
			lines[l] = 1
			if (c != "#####" && c != "=====")
				run[l] = 1
		}
		END {
			n = 0; r = 0
			for (l in lines) n++
			for (l in run) r++
			print r, n
		}' "$tmp/gcov")
	run=${counts% *}
	lines=${counts#* }
	if [ "$lines" = 0 ]; then
		echo "coverage $name.c: no executable lines"
		continue
	fi
	pct=$(percent "$run" "$lines")
	echo "coverage $name.c: $pct % ($run/$lines lines)"
	all_run=$((all_run + run))
	all_lines=$((all_lines + lines))
	case " $CHECKED " in
	*" $name "*)
		if [ $((run * 100)) -lt $((min * lines)) ]; then
			echo "coverage $name.c: below $min %"
			status=1
		fi
		;;
	esac
done

pct=$(percent "$all_run" "$all_lines")
echo "coverage total: $pct % ($all_run/$all_lines lines)"
exit $status
