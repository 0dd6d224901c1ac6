#!/usr/bin/env bash
# make module: build kvm_coco.ko (the core plus host/kernel/) with Kbuild, W=1, against
# Debian's 6.12 headers, and fail on any compiler or modpost warning, an undefined symbol, or
# a vermagic that is not 6.12.  6.12's Kbuild builds in the source tree, so the sources are
# mirrored into build/module first.
set -uo pipefail
out=${1:-build/module}

kdir=$(scripts/kernel-headers.sh) || { echo "module: cannot fetch Debian's 6.12 kernel headers (see above)"; exit 1; }
mkdir -p "$out"
rsync -a --delete --exclude '*.o' --exclude '.*.cmd' --exclude '*.ko' --exclude '*.mod*' \
	--exclude 'modules.order' --exclude 'Module.symvers' --exclude 'build.log' \
	--include '/Kbuild' --include '/virt/***' --include '/arch/***' --include '/drivers/***' \
	--include '/include/***' --include '/host/' --include '/host/kernel/***' --exclude '*' \
	./ "$out"/
out=$(cd "$out" && pwd)

make -C "$kdir" M="$out" W=1 modules >"$out/build.log" 2>&1
rc=$?
cat "$out/build.log"
if [ $rc -ne 0 ] || [ ! -f "$out/kvm_coco.ko" ]; then
	echo "module: the Kbuild build failed (log: $out/build.log)"
	exit 1
fi
if grep -qiE 'warning|undefined' "$out/build.log"; then
	echo "module: the build is not warning-free (log: $out/build.log)"
	exit 1
fi
vermagic=$(modinfo -F vermagic "$out/kvm_coco.ko")
case $vermagic in
6.12.*) ;;
*) echo "module: unexpected vermagic '$vermagic'"; exit 1 ;;
esac
echo "# module: $out/kvm_coco.ko, vermagic $vermagic, W=1 warning-free"
