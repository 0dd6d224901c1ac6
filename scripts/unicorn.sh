#!/usr/bin/env bash
# Fetch Unicorn 2.1 (the TCG engine's CPU emulator) without installing it: Debian 12 ships
# 2.0.1, which ignores guest page tables, so apt-get download Debian 13's libunicorn2t64 and
# libunicorn-dev (2.1.1; the library needs only glibc 2.34) through a private sources list for
# the trixie suite, and unpack them into a cache beside the kernel headers.  Idempotent;
# prints the unpacked root (usr/include/unicorn, usr/lib/x86_64-linux-gnu/libunicorn.a).
set -euo pipefail

cache=${KVM_COCO_UCACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kvm-coco/unicorn}
mkdir -p "$cache"

if [ -f "$cache/ready" ]; then
	cat "$cache/ready"
	exit 0
fi

apt=$cache/apt
mkdir -p "$apt/sources.list.d" "$apt/state/lists/partial" "$apt/cache/archives/partial"
cat > "$apt/sources.list.d/trixie.sources" <<SRC
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$apt/sources.list.d"
      -o "Dir::State=$apt/state" -o "Dir::Cache=$apt/cache" -o Dir::State::status=/dev/null
      -o APT::Sandbox::User=root)
log=$(mktemp)
cd "$cache"
rm -f ./*.deb
if ! { apt-get "${opts[@]}" update -qq && \
       apt-get "${opts[@]}" download libunicorn2t64 libunicorn-dev; } >"$log" 2>&1; then
	cat "$log" >&2
	echo "unicorn: apt-get download of trixie's libunicorn2t64 libunicorn-dev failed" >&2
	rm -f "$log"
	exit 1
fi
rm -f "$log"
rm -rf root
for d in ./*.deb; do
	dpkg-deb -x "$d" root
done
rm -rf ./*.deb "$apt"
if [ ! -f root/usr/include/unicorn/unicorn.h ] ||
   [ ! -f root/usr/lib/x86_64-linux-gnu/libunicorn.a ]; then
	echo "unicorn: the packages did not hold unicorn.h and libunicorn.a" >&2
	exit 1
fi
echo "$cache/root" > ready
echo "$cache/root"
