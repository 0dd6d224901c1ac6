#!/usr/bin/env bash
# Fetch Debian's 6.12 kernel headers for `make module` without installing a kernel:
# apt-get download the headers, headers-common and linux-kbuild packages of the newest 6.12
# version the archive offers, unpack them with dpkg-deb -x into a cache, and point the
# headers' Makefile at the unpacked common tree.  Idempotent; prints the headers directory.
set -euo pipefail

cache=${KVM_COCO_KCACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kvm-coco/kernel}
mkdir -p "$cache"

if [ -f "$cache/ready" ]; then
	cat "$cache/ready"
	exit 0
fi

find_version() {
	apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb[0-9]+-amd64$' 2>/dev/null |
		awk '{ print $1 }' | sed 's/^linux-headers-//; s/-amd64$//' | sort -V | tail -1
}
ver=$(find_version)
if [ -z "$ver" ]; then
	apt-get update -qq >/dev/null 2>&1 || true
	ver=$(find_version)
fi
if [ -z "$ver" ]; then
	echo "kernel-headers: no linux-headers-6.12.*-amd64 package in the apt archive" >&2
	exit 1
fi

cd "$cache"
rm -f ./*.deb
pkgs=("linux-headers-$ver-amd64" "linux-headers-$ver-common" "linux-kbuild-$ver")
if ! apt-get download "${pkgs[@]}" >/dev/null 2>&1; then
	echo "kernel-headers: apt-get download ${pkgs[*]} failed" >&2
	exit 1
fi
rm -rf root
for d in ./*.deb; do
	dpkg-deb -x "$d" root
done
rm -f ./*.deb
hdr=$cache/root/usr/src/linux-headers-$ver-amd64
# The Makefile includes the common tree by absolute path: point it at the unpacked copy.
# (The scripts/ and tools/ links are relative and already land in the unpacked kbuild.)
sed -i "s|/usr/src/linux-headers-$ver-common|$cache/root/usr/src/linux-headers-$ver-common|g" \
	"$hdr/Makefile"
echo "$hdr" > ready
echo "$hdr"
