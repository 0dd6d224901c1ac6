#!/usr/bin/env bash
# Install the Debian packages the build and tests need.  Idempotent and quiet: when all are
# present it runs dpkg-query once and exits; `apt-get update` only if something is missing.
set -euo pipefail

# libssl-dev: SHA-384 for the library host; systemtap-sdt-dev: USDT probes; rsync, kmod
# (modinfo) and dwarves (pahole, for module BTF): `make module`; qemu-system-x86,
# busybox-static and cpio: `make module-check` boots a kernel under QEMU/TCG; openssl: the
# attestation tests verify certificate chains with its command line, as a relying party would.
packages=(pkg-config libssl-dev systemtap-sdt-dev rsync kmod dwarves qemu-system-x86
	  busybox-static cpio openssl)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing Debian packages: ${missing[*]} (run as root, or apt-get install them)" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; } >"$log" 2>&1; then
	cat "$log" >&2
	echo "deps: could not install ${missing[*]}" >&2
	rm -f "$log"
	exit 1
fi
rm -f "$log"
