#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make deps: make sure every Debian package the build and tests need is
# installed.  As root, install what is missing with apt-get; otherwise
# print the one command to run.  Quick (one dpkg-query) when all is there.

PKGS="gcc g++ make pkg-config zlib1g-dev verilator libsystemc-dev linux-source-6.1 xz-utils gtkwave"

missing=
for p in $PKGS; do
	s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
	case "$s" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done

if [ -z "$missing" ]; then
	echo "deps: all present"
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing:$missing" >&2
	echo "deps: run as root:  apt-get update && apt-get install -y --no-install-recommends$missing" >&2
	exit 1
fi

echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || { echo "deps: apt-get update failed" >&2; exit 1; }
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing ||
	{ echo "deps: apt-get install failed" >&2; exit 1; }
echo "deps: installed:$missing"
