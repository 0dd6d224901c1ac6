#!/usr/bin/env bash
# Build and run a client exactly as README says a user would: cc + pkg-config, nothing else.
set -eu
build=$1
shift	# the rest: extra compiler flags (the sanitizers, for the sanitized library)
out=$build/pkgconfig-client
echo "TAP version 13"
echo "1..2"
# shellcheck disable=SC2046
cc "$@" -o "$out" tools/testing/pkgconfig/client.c $(PKG_CONFIG_PATH=$build pkg-config --cflags --libs kvm-coco)
"$out"
