# SPDX-License-Identifier: GPL-2.0
#
# Order Verilog/SystemVerilog files so that every package comes before
# the files that use it (Verilator needs a package declared before any
# "import P::" or "P::name").  Input: the files as arguments, in the
# order to keep among equals (sorted); output: the same files, one a
# line: package files first, each after the packages it uses, then the
# rest.  A dependency cycle keeps the given order and says so on stderr.

function strip_comments(s) {
	if (in_block) {
		if (!sub(/^.*\*\//, "", s))
			return ""
		in_block = 0
	}
	gsub(/\/\*([^*]|\*+[^*\/])*\*+\//, "", s)
	if (sub(/\/\*.*$/, "", s))
		in_block = 1
	sub(/\/\/.*$/, "", s)
	gsub(/"([^"\\]|\\.)*"/, "\"\"", s)
	return s
}

BEGIN {
	for (i = 1; i < ARGC; i++)
		file[++nfiles] = ARGV[i]
}

FNR == 1 {
	in_block = 0
}

{
	line = strip_comments($0)
	s = line
	while (match(s, /(^|[^A-Za-z0-9_$])package[ \t]+[A-Za-z_][A-Za-z0-9_$]*/)) {
		decl = substr(s, RSTART, RLENGTH)
		sub(/^.*package[ \t]+/, "", decl)
		pkg_file[decl] = FILENAME
		declares[FILENAME] = 1
		s = substr(s, RSTART + RLENGTH)
	}
	s = line
	while (match(s, /[A-Za-z_][A-Za-z0-9_$]*[ \t]*::/)) {
		use = substr(s, RSTART, RLENGTH)
		sub(/[ \t]*::$/, "", use)
		uses[FILENAME, use] = 1
		s = substr(s, RSTART + RLENGTH)
	}
}

END {
	# Edges between package files: f needs g when f uses a package g declares.
	for (key in uses) {
		split(key, kf, SUBSEP)
		f = kf[1]; p = kf[2]
		if (!(p in pkg_file) || pkg_file[p] == f || !(f in declares))
			continue
		g = pkg_file[p]
		if (!((f, g) in need)) {
			need[f, g] = 1
			indeg[f]++
		}
	}
	# Kahn's algorithm, always taking the earliest ready file.
	placed = 0
	while (1) {
		pick = 0
		for (i = 1; i <= nfiles; i++) {
			f = file[i]
			if ((f in declares) && !(f in done) && indeg[f] == 0) {
				pick = i
				break
			}
		}
		if (!pick)
			break
		f = file[pick]
		done[f] = 1
		print f
		placed++
		for (i = 1; i <= nfiles; i++)
			if ((file[i], f) in need)
				indeg[file[i]]--
	}
	for (i = 1; i <= nfiles; i++) {
		f = file[i]
		if ((f in declares) && !(f in done)) {
			print "afu build: packages in a dependency cycle, kept in name order: " f \
				> "/dev/stderr"
			print f
		}
	}
	for (i = 1; i <= nfiles; i++)
		if (!(file[i] in declares))
			print file[i]
}
